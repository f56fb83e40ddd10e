/* main.c - the Ring 3 harness: describe the machine, measure each chosen
 * path's NOP baseline, run the self-tests, run the suite `repeat` times,
 * then one CSV row per (path, service) with its histogram, the trailer, and
 * exit through the kernel. */
#include "user.h"
#include "../lib/string.h"

uint8_t user_stack[USER_STACK_SIZE] __attribute__((aligned(16)));
/* an exception path's one "service": the handler returns STATUS_SUCCESS in
 * RAX when it saw exactly the event it expected */
static const struct bench_service exception_service = {
	.name = "none", .fixed = 1, .result = STATUS_SUCCESS };
void user_main(const struct rt_shared *sh);

static int chosen(const struct rt_shared *sh, unsigned i)
{
	return (sh->path_mask >> i) & 1;
}

/* Back to the kernel's own address space and gates: nothing but a timed
 * path may run while a shadow space is live (the self-tests and the
 * control gate must not depend on what the shadow space happens to map). */
static void deselect(void)
{
	control_call(SVC_SELECT_PATH, PATH_NONE, 0, 0);
}

/* Installs path i and returns NULL, or says why it cannot run. */
static const char *select_path(const struct rt_path_view *p, unsigned i)
{
	if (!p->runnable)
		return p->status;
	if (control_call(SVC_SELECT_PATH, i, 0, 0) != STATUS_SUCCESS)
		return "install-failed";
	return 0;
}

void user_main(const struct rt_shared *sh)
{
	unsigned failed = 0, first = 1, nservices = 0;
	struct bench_service services[BENCH_SERVICE_COUNT];
	for (unsigned s = 0; s < bench_service_count; s++)
		if ((sh->service_mask >> s) & 1)
			services[nservices++] = bench_services[s];

	machine_describe(sh);
	if (sh->crash_user)
		__asm__ volatile("ud2");
	out_kv_u64("iterations", sh->iterations);
	out_kv_u64("warmup", sh->warmup);
	out_kv_u64("repeat", sh->repeat);
	/* rdtscp: lfence; rdtsc .. rdtscp; lfence. lfence-rdtsc: the CPU has no
	 * RDTSCP, so lfence; rdtsc at both ends */
	out_kv("timer", sh->rdtscp ? "rdtscp" : "lfence-rdtsc");

	/* each path's baseline first: the metadata names it before the rows */
	for (unsigned i = 0; i < sh->npaths; i++) {
		const struct rt_path_view *p = &sh->path[i];
		if (!chosen(sh, i))
			continue;
		const char *why = select_path(p, i);
		if (p->flags & PATH_EXCEPTION)
			harness_add_path(p, why, &exception_service, 1);
		else
			harness_add_path(p, why, services, nservices);
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
	}
	deselect();

	failed += selftest_control(sh);
	for (unsigned i = 0; i < sh->npaths; i++)
		if (chosen(sh, i) && !select_path(&sh->path[i], i))
			failed += selftest_path(sh, &sh->path[i]);
	deselect();

	for (unsigned e = 0; e < sh->repeat; e++) {
		ULINE(l);
		sb_puts(&l, "ensemble ");
		sb_u64(&l, e + 1);
		sb_putc(&l, '/');
		sb_u64(&l, sh->repeat);
		sb_putc(&l, ':');
		out_sb(PRINT_SCREEN, &l);
		harness_ensemble(sh);
		deselect();
	}
	failed += harness_report(sh);
	control_call(SVC_EXIT, failed ? EXIT_SELFTEST : EXIT_OK, 0, 0);
}
