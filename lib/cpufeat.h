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

/* CPUID.0's vendor string is v ("GenuineIntel", "AuthenticAMD", ...) */
static inline uint32_t cpufeat_le32(const char *p)
{
	return (uint32_t)(uint8_t)p[0] | (uint32_t)(uint8_t)p[1] << 8 |
	       (uint32_t)(uint8_t)p[2] << 16 | (uint32_t)(uint8_t)p[3] << 24;
}

static inline int cpu_vendor_is(const char *v)
{
	uint32_t r[4];
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(0), "c"(0));
	return r[1] == cpufeat_le32(v) && r[3] == cpufeat_le32(v + 4) &&
	       r[2] == cpufeat_le32(v + 8);
}

/* AMD, or Hygon's licensed copy of it */
static inline int cpu_is_amd(void)
{
	return cpu_vendor_is("AuthenticAMD") || cpu_vendor_is("HygonGenuine");
}

/* RDTSCP: CPUID.80000001h:EDX[27]; without it the timed stubs end with
 * lfence; rdtsc (the *_lf stubs) */
static inline int cpu_has_rdtscp(void)
{
	return cpuid_feature(0x80000001u, 3, 27);
}

#endif
