/* pmu.h - which MSRs to write, with which values, to count core cycles and
 * instructions retired on this CPU, and which rdpmc ECX reads each. Pure:
 * the kernel (kernel/clocks.c) applies the plan with its fault-safe MSR
 * writes, and the host unit tests check the plan itself for Intel's fixed
 * counters and AMD's core counters - the code's first bare-metal run is not
 * its first test. */
#ifndef RINGTRIP_PMU_H
#define RINGTRIP_PMU_H
#include <stdint.h>

enum pmu_vendor { PMU_VENDOR_OTHER, PMU_VENDOR_INTEL, PMU_VENDOR_AMD };

/* what CPUID says (the caller reads it) */
struct pmu_cpu {
	enum pmu_vendor vendor;     /* AMD includes Hygon */
	uint32_t max_leaf;          /* CPUID.0:EAX */
	uint32_t leaf_a_eax;        /* CPUID.0AH:EAX (Intel): version, ... */
	uint32_t leaf_a_edx;        /* CPUID.0AH:EDX: fixed counters, width */
};

#define PMU_MAX_WRITES 4
struct pmu_plan {
	const char *why;            /* NULL, or "unavailable:<why>" */
	const char *name;           /* the CSV's pmu= when it works */
	unsigned nwrites;
	struct { uint32_t msr; uint64_t value; } write[PMU_MAX_WRITES];
	uint32_t ecx_cycles;        /* rdpmc ECX: unhalted core cycles */
	uint32_t ecx_instructions;  /* rdpmc ECX: instructions retired */
};

/* MSRs and encodings the plans use (Intel SDM vol. 3 ch. 20; AMD APM
 * vol. 2 ch. 13) */
#define MSR_IA32_FIXED_CTR_CTRL    0x38D
#define MSR_IA32_PERF_GLOBAL_CTRL  0x38F
#define MSR_AMD_PERF_CTL0          0xC0010000u
#define AMD_PERF_USR               (1ULL << 16)
#define AMD_PERF_OS                (1ULL << 17)
#define AMD_PERF_EN                (1ULL << 22)
#define AMD_EVENT_CYCLES           0x76     /* cycles not in halt */
#define AMD_EVENT_INSTRUCTIONS     0xC0     /* retired instructions */
#define RDPMC_FIXED                (1u << 30)

void pmu_make_plan(const struct pmu_cpu *cpu, struct pmu_plan *plan);

#endif
