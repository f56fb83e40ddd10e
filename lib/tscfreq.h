/* tscfreq.h - the arithmetic of TSC frequencies, kept pure so the host unit
 * tests check exactly what the kernel computes. All results in Hz. */
#ifndef RINGTRIP_TSCFREQ_H
#define RINGTRIP_TSCFREQ_H
#include <stdint.h>

#define PIT_HZ 1193182ULL     /* the 8254's input clock */

/* CPUID 0x15: TSC = crystal (ECX Hz) * EBX / EAX. 0 if any is 0. */
uint64_t tsc_hz_cpuid15(uint32_t eax, uint32_t ebx, uint32_t ecx);
/* CPUID 0x16: EAX = base frequency in MHz (an approximation of the TSC). */
uint64_t tsc_hz_cpuid16(uint32_t eax);
/* leaf 0x40000010 (VMware, KVM): EAX = TSC frequency in kHz. */
uint64_t tsc_hz_hypervisor(uint32_t eax);
/* tsc_ticks elapsed while the PIT counted pit_ticks. 0 if pit_ticks is 0. */
uint64_t tsc_hz_from_pit(uint64_t tsc_ticks, uint64_t pit_ticks);
/* ticks at hz in tenths of a nanosecond, rounded; 0 if hz is 0 */
uint64_t ticks_to_ns_tenths(uint64_t ticks, uint64_t hz);

/* IA32_APERF counts core clocks and IA32_MPERF TSC ticks while the core
 * runs: over the same interval, ticks x daperf / dmperf are core cycles and
 * tsc_hz x daperf / dmperf is the core's effective clock. Rounded; 0 when
 * dmperf is 0 (nothing counted). */
uint64_t core_cycles_from_ticks(uint64_t ticks, uint64_t daperf, uint64_t dmperf);
uint64_t core_mhz(uint64_t tsc_hz, uint64_t daperf, uint64_t dmperf);

/* The clock's step: the greatest common divisor of the deltas seen so far
 * (step 0 = none yet) and one more. A TSC that advances in steps of 26
 * gives only multiples of 26; one that counts every tick gives deltas that
 * differ by 1 somewhere, so the GCD falls to 1. A zero delta is skipped. */
uint64_t tsc_step_add(uint64_t step, uint64_t delta);

#endif
