/* machine.c - what makes a result comparable: the CPU, the hypervisor, the
 * clock and the features that matter, read with CPUID from Ring 3. */
#include "user.h"
#include "../lib/fmt.h"
#include "../lib/string.h"

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

static uint32_t max_ext(void)
{
	uint32_t r[4];
	cpuid(0x80000000, 0, r);
	return r[0];
}

static int tsc_invariant(void)
{
	uint32_t r[4];
	if (max_ext() < 0x80000007)
		return 0;
	cpuid(0x80000007, 0, r);
	return (r[3] >> 8) & 1;
}

/* hypervisor=none, a short name for the ones we know, else the signature */
static void hypervisor_name(char *out, unsigned cap)
{
	static const struct { const char sig[13]; const char *name; } known[] = {
		{ "KVMKVMKVM\0\0\0", "kvm" }, { "TCGTCGTCGTCG", "tcg" },
		{ "VMwareVMware", "vmware" }, { "Microsoft Hv", "hyperv" },
		{ "XenVMMXenVMM", "xen" }, { "VBoxVBoxVBox", "virtualbox" },
		{ "bhyve bhyve ", "bhyve" }, { " lrpepyh  vr", "parallels" },
		{ "ACRNACRNACRN", "acrn" }, { "QNXQVMBSQG\0\0", "qnx" },
	};
	uint32_t r[4];
	cpuid(1, 0, r);
	if (!((r[2] >> 31) & 1)) {
		strlcpy0(out, "none", cap);
		return;
	}
	char sig[13];
	cpuid(0x40000000, 0, r);
	memcpy(sig, &r[1], 4);
	memcpy(sig + 4, &r[2], 4);
	memcpy(sig + 8, &r[3], 4);
	sig[12] = 0;
	for (unsigned i = 0; i < sizeof known / sizeof known[0]; i++)
		if (!memcmp(sig, known[i].sig, 12)) {
			strlcpy0(out, known[i].name, cap);
			return;
		}
	/* unknown: the printable part of the signature, no spaces or commas */
	unsigned n = 0;
	for (unsigned i = 0; i < 12 && n + 1 < cap; i++)
		if (sig[i] > ' ' && sig[i] < 127 && sig[i] != ',')
			out[n++] = sig[i];
	out[n] = 0;
	if (!n)
		strlcpy0(out, "unknown", cap);
}

static void brand(char *out)
{
	uint32_t r[4];
	if (max_ext() < 0x80000004) {
		strlcpy0(out, "unknown", 49);
		return;
	}
	for (unsigned i = 0; i < 3; i++) {
		cpuid(0x80000002 + i, 0, r);
		memcpy(out + 16 * i, r, 16);
	}
	out[48] = 0;
	/* trim the padding some vendors put on both ends */
	char *s = out;
	while (*s == ' ')
		s++;
	memmove(out, s, strlen(s) + 1);
	for (unsigned n = (unsigned)strlen(out); n && out[n - 1] == ' ';)
		out[--n] = 0;
}

struct feature {
	const char *name;
	uint32_t leaf, sub;
	int reg, bit;       /* reg: 0 eax .. 3 edx */
};

static const struct feature features[] = {
	{ "tsc", 1, 0, 3, 4 },          { "rdtscp", 0x80000001, 0, 3, 27 },
	{ "syscall", 0x80000001, 0, 3, 11 }, { "sep", 1, 0, 3, 11 },
	{ "nx", 0x80000001, 0, 3, 20 }, { "pcid", 1, 0, 2, 17 },
	{ "invpcid", 7, 0, 1, 10 },     { "smep", 7, 0, 1, 7 },
	{ "smap", 7, 0, 1, 20 },        { "umip", 7, 0, 2, 2 },
	{ "fsgsbase", 7, 0, 1, 0 },     { "x2apic", 1, 0, 2, 21 },
	{ "hypervisor", 1, 0, 2, 31 },
	{ "fred", 7, 1, 0, 17 },        { "lkgs", 7, 1, 0, 18 },
};

static int has(const struct feature *f)
{
	uint32_t r[4];
	cpuid(f->leaf & 0x80000000, 0, r);
	if (r[0] < f->leaf)
		return 0;
	cpuid(f->leaf, f->sub, r);
	return (r[f->reg] >> f->bit) & 1;
}

void machine_describe(const struct rt_shared *sh)
{
	uint32_t r[4];
	char vendor[13], name[49], hv[16];

	cpuid(0, 0, r);
	memcpy(vendor, &r[1], 4);
	memcpy(vendor + 4, &r[3], 4);
	memcpy(vendor + 8, &r[2], 4);
	vendor[12] = 0;
	brand(name);
	cpuid(1, 0, r);
	uint32_t fam = (r[0] >> 8) & 0xF, model = (r[0] >> 4) & 0xF;
	if (fam == 0xF)
		fam += (r[0] >> 20) & 0xFF;
	if (fam == 6 || fam >= 0xF)
		model |= ((r[0] >> 16) & 0xF) << 4;
	hypervisor_name(hv, sizeof hv);

	out_kv("cpu_vendor", vendor);
	out_kv("cpu_brand", name);
	out_kv_u64("family", fam);
	out_kv_u64("model", model);
	out_kv_u64("stepping", r[0] & 0xF);
	out_kv("hypervisor", hv);
	out_kv("clock", sh->clock_icount ? "icount" : "tsc");
	out_kv_u64("tsc_invariant", (uint64_t)tsc_invariant());
	out_kv_u64("tsc_hz", sh->tsc_hz);
	out_kv("tsc_hz_source", sh->tsc_hz_source);
	out_kv("microcode", sh->microcode);
	out_kv("pmu", sh->pmu);
	/* kernel/counters.c's answers (host mode has no Ring 0 to ask) */
	out_kv("lfence_serializing", sh->lfence[0] ? sh->lfence : "unknown:not-probed");
	out_kv("core_clock", sh->core_clock[0] ? sh->core_clock : "unavailable:not-probed");
	out_kv("smi_count", sh->smi_count[0] ? sh->smi_count : "unavailable:not-probed");
	out_kv("turbo", sh->turbo[0] ? sh->turbo : "unknown:not-probed");
	if (sh->magic == SHARED_MAGIC) {   /* the bare kernel: host mode has no say */
		out_kv("smep", sh->smep_probe.tried ? "on" : "unsupported");
		out_kv("smap", sh->smap_probe.tried ? "on" : "unsupported");
	}

	ULINE(l);
	sb_puts(&l, "# features=");
	int first = 1;
	for (unsigned i = 0; i < sizeof features / sizeof features[0]; i++) {
		if (!has(&features[i]))
			continue;
		if (!first)
			sb_putc(&l, ',');
		sb_puts(&l, features[i].name);
		first = 0;
	}
	sb_endline(&l);
	out_sb(PRINT_SERIAL, &l);
	out_kv("cmdline", sh->cmdline);

	sb_puts(&l, "cpu: ");
	sb_puts(&l, name);
	sb_puts(&l, "\nhypervisor: ");
	sb_puts(&l, hv);
	sb_puts(&l, sh->clock_icount ? ", clock: icount (instructions)\n"
				     : ", clock: TSC ticks\n");
	sb_puts(&l, "TSC: ");
	sb_u64(&l, sh->tsc_hz / 1000000);
	sb_puts(&l, " MHz (");
	sb_puts(&l, sh->tsc_hz_source);
	sb_puts(&l, tsc_invariant() ? "), invariant" : "), not invariant");
	sb_puts(&l, "; PMU: ");
	sb_puts(&l, sh->pmu);
	sb_puts(&l, "; microcode ");
	sb_puts(&l, sh->microcode);
	sb_endline(&l);
	out_sb(PRINT_SCREEN, &l);
	if (!tsc_invariant())
		out_str(PRINT_SERIAL | PRINT_SCREEN,
			"# warning: no invariant TSC: ticks may not be a constant clock\n");
}
