/* cpufeat.h - CPUID feature bits that the kernel, Ring 3 and host mode all
 * ask about (CPUID is unprivileged, so one definition serves every layer). */
#ifndef RINGTRIP_CPUFEAT_H
#define RINGTRIP_CPUFEAT_H
#include <stdint.h>

/* bit BIT of register REG (0 EAX .. 3 EDX) of LEAF (subleaf 0); 0 when the
 * CPU's basic or extended range does not reach LEAF */
static inline int cpuid_feature(uint32_t leaf, int reg, int bit)
{
	uint32_t r[4];
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf & 0x80000000u), "c"(0));
	if (r[0] < leaf)
		return 0;
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(0));
	return (r[reg] >> bit) & 1;
}

/* RDTSCP: CPUID.80000001h:EDX[27]; without it the timed stubs end with
 * lfence; rdtsc (the *_lf stubs) */
static inline int cpu_has_rdtscp(void)
{
	return cpuid_feature(0x80000001u, 3, 27);
}

#endif
