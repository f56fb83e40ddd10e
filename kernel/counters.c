/* counters.c - see counters.h. Everything is probed with the fault-safe
 * MSR helpers first; a CPU or hypervisor without an MSR gets a reason in
 * the CSV, never a #GP.
 *
 * LFENCE: Intel defines it as dispatch-serializing (nothing later starts
 * until it completes), which the timed stubs' fences rely on. On AMD
 * families 10h-17h it is only once DE_CFG (MSR C001_1029) bit 1 is set,
 * which Linux sets at boot (init_amd, X86_FEATURE_LFENCE_RDTSC) and a bare
 * kernel must set itself; families 0Fh and 11h have no such MSR and their
 * LFENCE already serializes; from 19h the bit reads as set.
 *
 * IA32_MPERF (0xE7) counts at the TSC's rate and IA32_APERF (0xE8) at the
 * core's actual clock while it runs (CPUID.06H:ECX[0]): over a row, ticks
 * x dAPERF / dMPERF are core cycles, whatever turbo or P-state did. Intel's
 * MSR_SMI_COUNT (0x34) counts System Management Interrupts: a row during
 * which one arrived has a max and a p99 that are not the path's. */
#include "counters.h"
#include "abi.h"
#include "clocks.h"
#include "cpu.h"
#include "../lib/cpufeat.h"
#include "../lib/fmt.h"

#define MSR_SMI_COUNT       0x34
#define MSR_MPERF           0xE7
#define MSR_APERF           0xE8
#define MSR_MISC_ENABLE     0x1A0
#define MISC_TURBO_DISABLE  (1ULL << 38)
#define MSR_AMD_HWCR        0xC0010015u
#define HWCR_CPB_DISABLE    (1ULL << 25)
#define MSR_AMD_DE_CFG      0xC0011029u
#define DE_CFG_LFENCE_SERIALIZE (1ULL << 1)

static struct rt_shared *shared;

static unsigned family(void)
{
	uint32_t r[4];
	cpuid(1, 0, r);
	unsigned f = (r[0] >> 8) & 0xF;
	return f == 0xF ? f + ((r[0] >> 20) & 0xFF) : f;
}

static const char *lfence_serializing(void)
{
	uint64_t v;
	if (!cpu_is_amd())
		return "yes";                       /* Intel: architectural */
	unsigned f = family();
	if (f == 0xF || f == 0x11)
		return "yes:family-without-de_cfg";
	if (rdmsr_safe(MSR_AMD_DE_CFG, &v))
		return "unknown:de_cfg-unreadable";
	if (v & DE_CFG_LFENCE_SERIALIZE)
		return "yes:de_cfg";
	if (wrmsr_safe(MSR_AMD_DE_CFG, v | DE_CFG_LFENCE_SERIALIZE) ||
	    rdmsr_safe(MSR_AMD_DE_CFG, &v) || !(v & DE_CFG_LFENCE_SERIALIZE))
		return "no:de_cfg-not-writable";
	return "yes:set-by-ringtrip";
}

static const char *core_clock(void)
{
	uint64_t a0, m0, a1, m1;
	if (!cpuid_feature(6, 2, 0))
		return "unavailable:no-aperf-mperf";
	if (rdmsr_safe(MSR_APERF, &a0) || rdmsr_safe(MSR_MPERF, &m0))
		return "unavailable:msr-fault";
	for (volatile int spin = 0; spin < 1000; spin++)
		;
	if (rdmsr_safe(MSR_APERF, &a1) || rdmsr_safe(MSR_MPERF, &m1))
		return "unavailable:msr-fault";
	if (a1 == a0 || m1 == m0)
		return "unavailable:counters-do-not-count";
	return 0;
}

static const char *smi_count(void)
{
	uint64_t v;
	if (!cpu_vendor_is("GenuineIntel"))
		return "unavailable:not-intel";
	if (rdmsr_safe(MSR_SMI_COUNT, &v))
		return "unavailable:msr-fault";
	return 0;
}

/* Intel: turbo exists (CPUID.06H:EAX[1]) unless IA32_MISC_ENABLE[38]
 * disabled it, in which case the CPUID bit reads 0. AMD: core performance
 * boost (CPUID.80000007H:EDX[9]) unless HWCR[25] disables it. */
static const char *turbo(void)
{
	uint64_t v;
	if (cpu_vendor_is("GenuineIntel")) {
		if (cpuid_feature(6, 0, 1))
			return "enabled";
		if (rdmsr_safe(MSR_MISC_ENABLE, &v))
			return "unknown:msr-fault";
		return v & MISC_TURBO_DISABLE ? "disabled" : "none";
	}
	if (cpu_is_amd()) {
		if (!cpuid_feature(0x80000007u, 3, 9))
			return "none";
		if (rdmsr_safe(MSR_AMD_HWCR, &v))
			return "unknown:msr-fault";
		return v & HWCR_CPB_DISABLE ? "disabled" : "enabled";
	}
	return "unknown:vendor";
}

void counters_probe(struct rt_shared *sh)
{
	shared = sh;
	strlcpy0(sh->lfence, lfence_serializing(), sizeof sh->lfence);
	const char *why = core_clock();
	sh->core_clock_ok = !why;
	strlcpy0(sh->core_clock, why ? why : "aperf-mperf", sizeof sh->core_clock);
	why = smi_count();
	sh->smi_count_ok = !why;
	strlcpy0(sh->smi_count, why ? why : "msr-0x34", sizeof sh->smi_count);
	strlcpy0(sh->turbo, turbo(), sizeof sh->turbo);
}

uint64_t counters_snapshot(void)
{
	struct rt_snapshot s = { .tsc = rdtsc_ordered() };
	if (shared->core_clock_ok) {
		s.aperf = rdmsr(MSR_APERF);
		s.mperf = rdmsr(MSR_MPERF);
	}
	if (shared->smi_count_ok)
		s.smi = rdmsr(MSR_SMI_COUNT);
	shared->snap = s;
	return STATUS_SUCCESS;
}
