/* service_cost.c - what a measured service costs by itself, so a row reads
 * as crossing + dispatch + argument copy + service, each known: the args
 * rows are mostly the checksum the services compute to prove their
 * arguments arrived (under icount args16 - null is 252 instructions, 212
 * of them the checksum).
 *
 * The routine is called directly (ms_abi, all 16 arguments, as the
 * dispatcher would), SERVICE_COST_SAMPLES times, each call between fenced
 * TSC reads (lfence; rdtsc; lfence at both ends: no RDTSCP needed, which
 * some CPUs lack);
 * a bare `ret` is timed the same way, and the cost is the difference of
 * the two medians: the routine's own work beyond a call and a return.
 * Only BENCH_SERVICES routines: the control services (exit, select_path)
 * must never run in a loop. */
#include "service_cost.h"
#include "abi.h"
#include "services.h"
#include "shared_page.h"
#include "ssdt.h"

typedef uint64_t (__attribute__((ms_abi)) *routine16)(
	uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t,
	uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);

/* the reference: a routine that is nothing but its return */
extern char service_cost_ret[];
__asm__(".pushsection .text\n.align 16\nservice_cost_ret:\n\tret\n.popsection");

static const struct service_def *bench_service(uint64_t number)
{
#define IS_BENCH(name, constant) number == (constant) ||
	if (!(BENCH_SERVICES(IS_BENCH) 0))
		return 0;
	unsigned index = number & SVC_INDEX_MASK;
	return (number >> SVC_TABLE_SHIFT) ? &win32k_services[index] : &native_services[index];
}

static uint64_t time_once(routine16 f, const uint64_t *a)
{
	uint32_t lo, hi, lo1, hi1;
	__asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi) : : "memory");
	f(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7],
	  a[8], a[9], a[10], a[11], a[12], a[13], a[14], a[15]);
	__asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo1), "=d"(hi1) : : "memory");
	return (((uint64_t)hi1 << 32) | lo1) - (((uint64_t)hi << 32) | lo);
}

static uint64_t median_time(routine16 f, const uint64_t *a)
{
	uint64_t t[SERVICE_COST_SAMPLES];
	for (unsigned i = 0; i < SERVICE_COST_SAMPLES; i++) {
		uint64_t v = time_once(f, a);
		unsigned j = i;
		for (; j && t[j - 1] > v; j--)       /* insertion: 63 values */
			t[j] = t[j - 1];
		t[j] = v;
	}
	return t[SERVICE_COST_SAMPLES / 2];
}

uint64_t service_cost(uint64_t number, uint64_t user_call)
{
	const struct service_def *s = bench_service(number);
	struct rt_call c;
	if (!s || !s->routine)
		return STATUS_INVALID_PARAMETER;
	if (copy_from_user(&c, user_call, sizeof c))
		return STATUS_ACCESS_VIOLATION;
	uint64_t svc = median_time((routine16)s->routine, c.arg);
	uint64_t ret = median_time((routine16)(void *)service_cost_ret, c.arg);
	return SERVICE_COST_VALID | (svc > ret ? svc - ret : 0);
}
