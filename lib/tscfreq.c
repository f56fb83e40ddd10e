/* tscfreq.c - see tscfreq.h. 128-bit intermediates: a 5 GHz TSC times a
 * second's worth of anything overflows 64 bits. */
#include "tscfreq.h"

static uint64_t muldiv(uint64_t a, uint64_t b, uint64_t c)
{
	unsigned __int128 p = (unsigned __int128)a * b + c / 2;
	uint64_t hi = (uint64_t)(p >> 64), lo = (uint64_t)p, q, r;
	if (hi >= c)
		return UINT64_MAX;                /* would not fit */
	__asm__("divq %4" : "=a"(q), "=d"(r) : "a"(lo), "d"(hi), "rm"(c));
	return q;
}

uint64_t tsc_hz_cpuid15(uint32_t eax, uint32_t ebx, uint32_t ecx)
{
	if (!eax || !ebx || !ecx)
		return 0;
	return muldiv(ecx, ebx, eax);
}

uint64_t tsc_hz_cpuid16(uint32_t eax)
{
	return (uint64_t)(eax & 0xFFFF) * 1000000ULL;
}

uint64_t tsc_hz_hypervisor(uint32_t eax)
{
	return (uint64_t)eax * 1000ULL;
}

uint64_t tsc_hz_from_pit(uint64_t tsc_ticks, uint64_t pit_ticks)
{
	if (!pit_ticks)
		return 0;
	return muldiv(tsc_ticks, PIT_HZ, pit_ticks);
}

uint64_t ticks_to_ns_tenths(uint64_t ticks, uint64_t hz)
{
	if (!hz)
		return 0;
	return muldiv(ticks, 10000000000ULL, hz);
}

uint64_t core_cycles_from_ticks(uint64_t ticks, uint64_t daperf, uint64_t dmperf)
{
	return dmperf ? muldiv(ticks, daperf, dmperf) : 0;
}

uint64_t core_mhz(uint64_t tsc_hz, uint64_t daperf, uint64_t dmperf)
{
	return dmperf ? (muldiv(tsc_hz, daperf, dmperf) + 500000) / 1000000 : 0;
}

uint64_t tsc_step_add(uint64_t step, uint64_t delta)
{
	if (!delta)
		return step;
	while (delta) {
		uint64_t r = step % delta;
		step = delta;
		delta = r;
	}
	return step;
}
