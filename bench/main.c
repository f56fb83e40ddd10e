/* main.c - the Ring 3 harness on the bare kernel: the paths the command line
 * chose, each with the chosen services (an exception path with its one
 * event), the dispatcher and privilege self-tests, then bench_drive()
 * (driver.c, shared with host mode) and exit through the kernel. */
#include "driver.h"

uint8_t user_stack[USER_STACK_SIZE] __attribute__((aligned(16)));
/* an exception path's one "service": the handler returns STATUS_SUCCESS in
 * RAX when it saw exactly the event it expected */
static const struct bench_service exception_service = {
	.name = "none", .fixed = 1, .result = STATUS_SUCCESS };
static struct bench_service chosen_services[BENCH_SERVICE_COUNT];
static unsigned nchosen_services;
void user_main(const struct rt_shared *sh);

static int chosen(const struct rt_shared *sh, unsigned i)
{
	return (sh->path_mask >> i) & 1;
}

static const struct bench_service *services(const struct rt_shared *sh, unsigned i,
					     unsigned *n)
{
	if (sh->path[i].flags & PATH_EXCEPTION) {
		*n = 1;
		return &exception_service;
	}
	*n = nchosen_services;
	return chosen_services;
}

static void crash_hook(const struct rt_shared *sh)
{
	if (sh->crash_user)
		__asm__ volatile("ud2");
}

static unsigned selftests(const struct rt_shared *sh)
{
	unsigned failed = selftest_control(sh);
	for (unsigned i = 0; i < sh->npaths; i++)
		if (chosen(sh, i) && !bench_select(sh, i))
			failed += selftest_path(sh, &sh->path[i]);
	return failed;
}

void user_main(const struct rt_shared *sh)
{
	static const struct bench_plan plan = {
		.chosen = chosen, .services = services,
		.after_describe = crash_hook, .selftests = selftests };
	for (unsigned s = 0; s < bench_service_count; s++)
		if ((sh->service_mask >> s) & 1)
			chosen_services[nchosen_services++] = bench_services[s];
	unsigned failed = bench_drive(sh, &plan);
	control_call(SVC_EXIT, failed ? EXIT_SELFTEST : EXIT_OK, 0, 0);
}
