/* clockstep.c - how finely the TSC counts. Some CPUs and hypervisors advance
 * it in steps (every sample on one AMD host is a multiple of 26): a median
 * of 60 is then one of 52 or 78, nothing between. Pairs of fenced reads
 * with 0..16 LOOP instructions between them (one instruction each, so the
 * true spacing differs by a few cycles from pair to pair) give deltas whose
 * GCD is the step: 1 on a TSC that counts every tick. */
#include "user.h"
#include "../lib/tscfreq.h"

#define STEP_PAIRS 544u             /* 32 rounds of the 17 spacings */

static inline uint64_t fenced_tsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi) : : "memory");
	return ((uint64_t)hi << 32) | lo;
}

uint64_t tsc_step_measure(void)
{
	uint64_t step = 0;
	for (unsigned i = 0; i < STEP_PAIRS; i++) {
		uint64_t spin = i % 17;
		uint64_t t0 = fenced_tsc();
		__asm__ volatile("jrcxz 2f\n1: loop 1b\n2:" : "+c"(spin));
		step = tsc_step_add(step, fenced_tsc() - t0);
	}
	return step ? step : 1;
}
