/* driver.c - see driver.h. */
#include "driver.h"
#include "../lib/options.h"
#include "../lib/tscfreq.h"

const char *bench_select(const struct rt_shared *sh, unsigned i)
{
	const struct rt_path_view *p = &sh->path[i];
	if (!p->runnable)
		return p->status;
	if (control_call(SVC_SELECT_PATH, i, bench_mitig_main(p), 0) != STATUS_SUCCESS)
		return "install-failed";
	return 0;
}

void bench_deselect(void)
{
	control_call(SVC_SELECT_PATH, PATH_NONE, 0, 0);
}

/* each chosen path's baseline first: the metadata names it before the rows */
static void baselines(const struct rt_shared *sh, const struct bench_plan *plan)
{
	int first = 1;
	for (unsigned i = 0; i < sh->npaths; i++) {
		const struct rt_path_view *p = &sh->path[i];
		if (!plan->chosen(sh, i))
			continue;
		unsigned n;
		const struct bench_service *s = plan->services(sh, i, &n);
		const char *why = bench_select(sh, i);
		harness_add_path(p, why, s, n);
		bench_mitig_rows(sh, i, why, s, n);   /* the entry mitigations' matrix */
		if (why)
			continue;
		uint64_t overhead = measure_baseline(sh, p);
		if (first)
			out_kv_u64("overhead_tsc", overhead);
		first = 0;
		ULINE(l);
		sb_puts(&l, "# overhead_tsc.");
		sb_puts(&l, p->name);
		sb_putc(&l, '=');
		sb_u64(&l, overhead);
		sb_endline(&l);
		out_sb(PRINT_SERIAL, &l);
		if (sh->batch > 1 && p->reset) {
			/* its crossing must be undone before the next: no batch */
			sb_puts(&l, "# batch.");
			sb_puts(&l, p->name);
			sb_puts(&l, "=1");
			sb_endline(&l);
			out_sb(PRINT_SERIAL, &l);
		}
	}
	bench_deselect();
}

/* "# ensemble.N=core_mhz:M,smis:S": what the core's clock did, and how
 * many SMIs arrived, over a whole ensemble - where the CPU tells */
static void ensemble_counters(const struct rt_shared *sh, unsigned e,
			      const struct rt_snapshot *before)
{
	if (!sh->core_clock_ok && !sh->smi_count_ok)
		return;
	struct rt_snapshot after = bench_counters(sh);
	ULINE(l);
	sb_puts(&l, "# ensemble.");
	sb_u64(&l, e);
	sb_putc(&l, '=');
	if (sh->core_clock_ok) {
		sb_puts(&l, "core_mhz:");
		sb_u64(&l, core_mhz(sh->tsc_hz, after.aperf - before->aperf,
				    after.mperf - before->mperf));
		sb_putc(&l, ',');
	}
	sb_puts(&l, "smis:");
	if (sh->smi_count_ok)
		sb_u64(&l, after.smi - before->smi);
	else
		sb_puts(&l, "unavailable");
	sb_endline(&l);
	out_sb(PRINT_SERIAL, &l);
}

unsigned bench_drive(const struct rt_shared *sh, const struct bench_plan *plan)
{
	unsigned failed = 0;
	machine_describe(sh);
	bench_mitig_init(sh);
	if (plan->after_describe)
		plan->after_describe(sh);
	out_kv_u64("iterations", sh->iterations);
	out_kv_u64("warmup", sh->warmup);
	out_kv_u64("repeat", sh->repeat);
	/* entry/invoke.inc's clocks. rdtscp: lfence; rdtsc; lfence .. rdtscp;
	 * lfence. lfence-rdtsc: lfence; rdtsc; lfence at both ends (no RDTSCP,
	 * or timer=lfence). cpuid-rdtscp: cpuid; rdtsc .. rdtscp; cpuid. */
	out_kv("timer", sh->timer == TIMER_RDTSCP ? "rdtscp" :
			sh->timer == TIMER_CPUID ? "cpuid-rdtscp" : "lfence-rdtsc");
	out_kv_u64("batch", sh->batch);
	/* under icount the TSC is the instruction count: a step of 1 by
	 * definition, and the measurement would say the same */
	uint64_t tsc_step = sh->clock_icount ? 1 : tsc_step_measure();
	out_kv_u64("tsc_step", tsc_step);

	baselines(sh, plan);
	failed += plan->selftests(sh);
	failed += bench_mitig_selftests(sh);
	bench_deselect();

	for (unsigned e = 0; e < sh->repeat; e++) {
		ULINE(l);
		sb_puts(&l, "ensemble ");
		sb_u64(&l, e + 1);
		sb_putc(&l, '/');
		sb_u64(&l, sh->repeat);
		sb_putc(&l, ':');
		out_sb(PRINT_SCREEN, &l);
		struct rt_snapshot before = bench_counters(sh);
		harness_ensemble(sh);
		bench_deselect();
		ensemble_counters(sh, e + 1, &before);
	}
	return failed + harness_report(sh, tsc_step);
}
