/* pmu.c - see pmu.h. */
#include "pmu.h"

static void add(struct pmu_plan *p, uint32_t msr, uint64_t value)
{
	if (p->nwrites < PMU_MAX_WRITES) {
		p->write[p->nwrites].msr = msr;
		p->write[p->nwrites].value = value;
		p->nwrites++;
	}
}

/* Intel architectural performance monitoring, version 2 or later: fixed
 * counter 0 counts instructions retired, fixed counter 1 unhalted core
 * cycles. Each takes 4 bits of IA32_FIXED_CTR_CTRL (bit 0: Ring 0, bit 1:
 * Ring 3) and its enable bit 32 + n in IA32_PERF_GLOBAL_CTRL; rdpmc reads
 * fixed counter n with ECX = (1 << 30) | n. */
static void intel(const struct pmu_cpu *cpu, struct pmu_plan *p)
{
	if (cpu->max_leaf < 0xA) {
		p->why = "unavailable:no-perfmon-leaf";
		return;
	}
	unsigned version = cpu->leaf_a_eax & 0xFF, fixed = cpu->leaf_a_edx & 0x1F;
	if (version < 2 || fixed < 2) {
		p->why = "unavailable:no-fixed-counters";
		return;
	}
	add(p, MSR_IA32_FIXED_CTR_CTRL, 0x3 << 0 | 0x3 << 4);
	add(p, MSR_IA32_PERF_GLOBAL_CTRL, (1ULL << 32) | (1ULL << 33));
	p->ecx_instructions = RDPMC_FIXED | 0;
	p->ecx_cycles = RDPMC_FIXED | 1;
	p->name = "intel-fixed-counters";
}

/* AMD: the four legacy core counters every family since K8 has
 * (PERF_CTL0..3 at C001_0000, aliased by the extended ones on family 15h
 * and later). Counter 0 counts event 0x76, counter 1 event 0xC0, in Ring 0
 * and Ring 3; rdpmc reads counter n with ECX = n. */
static void amd(struct pmu_plan *p)
{
	const uint64_t en = AMD_PERF_USR | AMD_PERF_OS | AMD_PERF_EN;
	add(p, MSR_AMD_PERF_CTL0, AMD_EVENT_CYCLES | en);
	add(p, MSR_AMD_PERF_CTL0 + 1, AMD_EVENT_INSTRUCTIONS | en);
	p->ecx_cycles = 0;
	p->ecx_instructions = 1;
	p->name = "amd-perfctr";
}

void pmu_make_plan(const struct pmu_cpu *cpu, struct pmu_plan *plan)
{
	*plan = (struct pmu_plan){ 0 };
	switch (cpu->vendor) {
	case PMU_VENDOR_INTEL:
		intel(cpu, plan);
		break;
	case PMU_VENDOR_AMD:
		amd(plan);
		break;
	default:
		plan->why = "unavailable:vendor";
	}
}
