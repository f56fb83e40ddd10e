/* main.c - the Ring 3 harness: describe the machine, measure each chosen
 * path's NOP baseline, run the self-tests, then one CSV row per (path,
 * service), the trailer, and exit through the kernel. */
#include "user.h"
#include "csv.h"
#include "../lib/string.h"

uint8_t user_stack[USER_STACK_SIZE] __attribute__((aligned(16)));
void user_main(const struct rt_shared *sh);

static int chosen(const struct rt_shared *sh, unsigned i)
{
	return (sh->path_mask >> i) & 1;
}

/* Installs path i and returns NULL, or says why it cannot run. */
static const char *select_path(const struct rt_path_view *p, unsigned i)
{
	if (strcmp(p->status, "ok"))
		return p->status;
	if (control_call(SVC_SELECT_PATH, i, 0, 0) != STATUS_SUCCESS)
		return "install-failed";
	return 0;
}

void user_main(const struct rt_shared *sh)
{
	uint64_t overhead[MAX_PATHS] = { 0 };
	unsigned failed = 0, rows = 0, first = 1;

	machine_describe(sh);
	if (sh->crash_user)
		__asm__ volatile("ud2");
	out_kv_u64("iterations", sh->iterations);
	out_kv_u64("warmup", sh->warmup);

	for (unsigned i = 0; i < sh->npaths; i++) {
		const struct rt_path_view *p = &sh->path[i];
		if (!chosen(sh, i) || select_path(p, i))
			continue;
		overhead[i] = measure_baseline(sh, p);
		if (first)
			out_kv_u64("overhead_tsc", overhead[i]);
		first = 0;
		ULINE(l);
		sb_puts(&l, "# overhead_tsc.");
		sb_puts(&l, p->name);
		sb_putc(&l, '=');
		sb_u64(&l, overhead[i]);
		sb_putc(&l, '\n');
		out_sb(PRINT_SERIAL, &l);
	}

	failed += selftest_control(sh);
	for (unsigned i = 0; i < sh->npaths; i++)
		if (chosen(sh, i) && !select_path(&sh->path[i], i))
			failed += selftest_path(sh, &sh->path[i]);

	ULINE(l);
	csv_header(&l);
	out_sb(PRINT_SERIAL, &l);
	for (unsigned i = 0; i < sh->npaths; i++) {
		const struct rt_path_view *p = &sh->path[i];
		if (!chosen(sh, i))
			continue;
		const char *why = select_path(p, i);
		if (why) {
			print_unsupported_row(p, "baseline", 0, why);
			rows++;
			for (unsigned s = 0; s < bench_service_count; s++, rows++)
				print_unsupported_row(p, bench_services[s].name,
						      bench_services[s].nargs, why);
			continue;
		}
		out_str(PRINT_SCREEN, "measuring ");
		out_str(PRINT_SCREEN, p->name);
		out_str(PRINT_SCREEN, "\n");
		measure_baseline_row(sh, p, overhead[i]);
		rows++;
		for (unsigned s = 0; s < bench_service_count; s++, rows++)
			failed += measure_row(sh, p, &bench_services[s], overhead[i]);
	}
	csv_trailer(&l, rows);
	out_sb(PRINT_SERIAL, &l);
	control_call(SVC_EXIT, failed ? EXIT_SELFTEST : EXIT_OK, 0, 0);
}
