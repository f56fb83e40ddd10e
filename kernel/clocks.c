/* clocks.c - see clocks.h. Every MSR and rdpmc is probed through the
 * fault-safe helpers: a CPU or hypervisor without them gives a reason in
 * the CSV, never a panic. */
#include "clocks.h"
#include "abi.h"
#include "cpu.h"
#include "../lib/cpufeat.h"
#include "../lib/fmt.h"
#include "../lib/pmu.h"
#include "../lib/string.h"
#include "../lib/tscfreq.h"

#define MSR_BIOS_SIGN_ID      0x8B     /* Intel microcode; AMD PATCH_LEVEL */
#define CR4_PCE               (1ULL << 8)

static uint32_t max_leaf(uint32_t base)
{
	uint32_t r[4];
	cpuid(base, 0, r);
	return r[0];
}

/* Port 0x61 (the AT's "port B", NMI status and control on today's
 * chipsets): bit 4 is the refresh toggle, which flips every ~15 us on every
 * 8254-based PC (Intel PCH and AMD FCH included), in QEMU (on every read,
 * hw/audio/pcspk.c; KVM's in-kernel PIT: every 16 us) and in Bochs. Where
 * nothing decodes the port it reads 0xFF. Read only: 0 if a PIT answers,
 * else the tsc_hz_source that says why not. */
#define PIT_PROBE_READS 1000000u     /* >= 0.1 s of port reads on hardware */
static const char *pit_probe(void)
{
	const uint8_t first = inb(0x61);
	if (first == 0xFF)
		return "none:no-pit";
	for (unsigned i = 0; i < PIT_PROBE_READS; i++)
		if ((inb(0x61) ^ first) & 0x10)
			return 0;
	return "none:no-refresh";
}

/* PIT channel 2 in mode 0, gated by port 0x61 bit 0 (speaker data, bit 1,
 * off; the NMI enables in bits 2-3 kept), counted down from 50 ms worth of
 * ticks; OUT2 (port 0x61 bit 5) is low from the mode write and rises at
 * zero. Only after pit_probe; bounded by the TSC itself (2^33 ticks: 3 s at
 * 3 GHz) so a PIT that stops answering cannot hang us. */
static uint64_t pit_calibrate(const char **why)
{
	const uint16_t count = 59659;                 /* 50 ms at 1.193182 MHz */
	if ((*why = pit_probe()))
		return 0;
	outb(0x61, (uint8_t)((inb(0x61) & 0x0C) | 0x01));
	outb(0x43, 0xB0);                            /* ch 2, lo/hi, mode 0 */
	outb(0x42, count & 0xFF);
	outb(0x42, count >> 8);
	uint64_t t0 = rdtsc_ordered(), t;
	if (inb(0x61) & 0x20) {                      /* OUT2 high already */
		*why = "none:pit-stuck";
		return 0;
	}
	while (!(inb(0x61) & 0x20)) {
		t = rdtsc_ordered();
		if (t - t0 > (1ULL << 33)) {
			*why = "none:pit-stuck";
			return 0;
		}
	}
	t = rdtsc_ordered();
	return tsc_hz_from_pit(t - t0, count);
}

static void tsc_frequency(struct rt_shared *sh)
{
	uint32_t r[4];
	const char *src = "none";
	uint64_t hz = 0;
	if (max_leaf(0) >= 0x15) {
		cpuid(0x15, 0, r);
		if ((hz = tsc_hz_cpuid15(r[0], r[1], r[2])))
			src = "cpuid15";
	}
	if (!hz && max_leaf(0) >= 0x16) {
		cpuid(0x16, 0, r);
		if ((hz = tsc_hz_cpuid16(r[0])))
			src = "cpuid16";
	}
	if (!hz && cpu_has_hypervisor() && max_leaf(0x40000000) >= 0x40000010) {
		cpuid(0x40000010, 0, r);
		if ((hz = tsc_hz_hypervisor(r[0])))
			src = "hypervisor";
	}
	if (!hz) {
		const char *why = 0;
		hz = pit_calibrate(&why);
		src = hz ? "pit" : why ? why : "none";
	}
	sh->tsc_hz = hz;
	strlcpy0(sh->tsc_hz_source, src, sizeof sh->tsc_hz_source);
}

static void microcode(struct rt_shared *sh)
{
	uint64_t v;
	struct sbuf sb;
	strlcpy0(sh->microcode, "unknown", sizeof sh->microcode);
	if (cpu_vendor_is("GenuineIntel")) {
		/* SDM: write 0, execute CPUID(1), read the revision in 63:32 */
		uint32_t r[4];
		if (wrmsr_safe(MSR_BIOS_SIGN_ID, 0))
			return;
		cpuid(1, 0, r);
		if (rdmsr_safe(MSR_BIOS_SIGN_ID, &v))
			return;
		v >>= 32;
	} else if (cpu_is_amd()) {
		if (rdmsr_safe(MSR_BIOS_SIGN_ID, &v))
			return;
		v &= 0xFFFFFFFF;
	} else {
		return;
	}
	if (!v)
		return;                     /* emulators report 0: not a revision */
	sb_init(&sb, sh->microcode, sizeof sh->microcode);
	sb_hex(&sb, v, 1);
}

static enum pmu_vendor pmu_vendor(void)
{
	if (cpu_vendor_is("GenuineIntel"))
		return PMU_VENDOR_INTEL;
	if (cpu_is_amd())
		return PMU_VENDOR_AMD;
	return PMU_VENDOR_OTHER;
}

/* Program a cycles and an instructions counter as lib/pmu.c plans it for
 * this CPU; 0 or a reason. */
static const char *pmu_program(struct rt_shared *sh)
{
	struct pmu_cpu cpu = { .vendor = pmu_vendor(), .max_leaf = max_leaf(0) };
	struct pmu_plan plan;
	if (cpu.vendor == PMU_VENDOR_INTEL && cpu.max_leaf >= 0xA) {
		uint32_t r[4];
		cpuid(0xA, 0, r);
		cpu.leaf_a_eax = r[0];
		cpu.leaf_a_edx = r[3];
	}
	pmu_make_plan(&cpu, &plan);
	if (plan.why)
		return plan.why;
	for (unsigned i = 0; i < plan.nwrites; i++)
		if (wrmsr_safe(plan.write[i].msr, plan.write[i].value))
			return "unavailable:msr-fault";
	sh->pmc_cycles = plan.ecx_cycles;
	sh->pmc_instructions = plan.ecx_instructions;
	strlcpy0(sh->pmu, plan.name, sizeof sh->pmu);
	return 0;
}

/* A counter that accepts its MSRs may still not count (a hypervisor
 * without a virtual PMU, an emulator): check both move. */
static const char *pmu_check(const struct rt_shared *sh)
{
	uint64_t c0, c1, i0, i1;
	if (rdpmc_safe(sh->pmc_cycles, &c0) || rdpmc_safe(sh->pmc_instructions, &i0))
		return "unavailable:rdpmc-faults";
	for (volatile int spin = 0; spin < 1000; spin++)
		;
	if (rdpmc_safe(sh->pmc_cycles, &c1) || rdpmc_safe(sh->pmc_instructions, &i1))
		return "unavailable:rdpmc-faults";
	if (c1 == c0 || i1 == i0)
		return "unavailable:counters-do-not-count";
	return 0;
}

void clocks_probe(struct rt_shared *sh)
{
	tsc_frequency(sh);
	microcode(sh);
	const char *why = pmu_program(sh);
	if (!why)
		why = pmu_check(sh);
	if (why) {
		strlcpy0(sh->pmu, why, sizeof sh->pmu);
		sh->pmc_ok = 0;
		return;
	}
	write_cr4(read_cr4() | CR4_PCE);     /* rdpmc from Ring 3 */
	sh->pmc_ok = 1;
}
