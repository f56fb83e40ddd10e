/* mitig.c - see mitig.h. */
#include "mitig.h"
#include "abi.h"
#include "clocks.h"          /* rdmsr_safe, wrmsr_safe */
#include "console.h"
#include "cpu.h"
#include "paths.h"
#include "percpu.h"
#include "shadow.h"
#include "shared_page.h"
#include "ssdt.h"
#include "../lib/fmt.h"
#include "../lib/string.h"

extern const struct mitig_template __mitig_tmpls_start[], __mitig_tmpls_end[];
extern const struct mitig_site __mitig_sites_start[], __mitig_sites_end[];
extern const struct mitig_reloc __mitig_relocs_start[], __mitig_relocs_end[];
extern const struct mitig_iret __mitig_irets_start[], __mitig_irets_end[];
extern uint8_t mitig_area[];                    /* mitig_seq.asm */
extern const uint8_t ssdt_dispatch_retpoline[]; /* ssdt_call.asm */

#define CR4_OSFXSR      (1ull << 9)
#define CR4_OSXMMEXCPT  (1ull << 10)
#define CR4_PGE         (1ull << 7)
#define MXCSR_DEFAULT   0x1F80          /* all exceptions masked, round to nearest */

static struct mitig_cpu cpu;
static uint32_t supported;
static uint8_t why[MITIG_COUNT];
static uint64_t spec_ctrl_boot;         /* as the firmware left it */
static uint64_t spec_ctrl_now;
static int quiet;                       /* interrupts made unable to arrive */
static int pge_on;

/* --- the CPU ----------------------------------------------------------------- */

static uint32_t bit(uint32_t reg, int n, uint32_t flag)
{
	return (reg >> n) & 1 ? flag : 0;
}

static void read_cpu(struct mitig_cpu *c)
{
	uint32_t r[4], max, ext;
	memset(c, 0, sizeof *c);
	cpuid(0, 0, r);
	max = r[0];
	if (r[1] == 0x756e6547 && r[3] == 0x49656e69 && r[2] == 0x6c65746e)
		c->vendor = MV_INTEL;                        /* GenuineIntel */
	else if (r[1] == 0x68747541 && r[3] == 0x69746e65 && r[2] == 0x444d4163)
		c->vendor = MV_AMD;                          /* AuthenticAMD */
	else if (r[1] == 0x6f677948 && r[3] == 0x6e65476e && r[2] == 0x656e6975)
		c->vendor = MV_HYGON;                        /* HygonGenuine */
	cpuid(1, 0, r);
	uint32_t fam = (r[0] >> 8) & 0xF, model = (r[0] >> 4) & 0xF;
	c->family = fam == 0xF ? fam + ((r[0] >> 20) & 0xFF) : fam;
	c->model = fam == 6 || fam == 0xF ? (((r[0] >> 16) & 0xF) << 4) | model : model;
	c->feat |= bit(r[2], 17, MF_PCID) | bit(r[2], 31, MF_HYPERVISOR) |
		   bit(r[3], 13, MF_PGE) | bit(r[3], 24, MF_FXSR) | bit(r[3], 26, MF_SSE2);
	if (max >= 7) {
		cpuid(7, 0, r);
		uint32_t subleaves = r[0];
		c->feat |= bit(r[1], 0, MF_FSGSBASE) | bit(r[1], 10, MF_INVPCID) |
			   bit(r[1], 11, MF_RTM) | bit(r[1], 20, MF_SMAP) |
			   bit(r[3], 10, MF_MD_CLEAR) | bit(r[3], 29, MF_ARCH_CAPS);
		/* IBRS_IBPB: SPEC_CTRL.IBRS and PRED_CMD.IBPB together */
		c->feat |= bit(r[3], 26, MF_SPEC_CTRL | MF_IBPB);
		if (subleaves >= 2) {
			cpuid(7, 2, r);
			c->feat |= bit(r[3], 4, MF_BHI_CTRL);
		}
	}
	cpuid(0x80000000, 0, r);
	ext = r[0];
	if (ext >= 0x80000008 && c->vendor != MV_INTEL) {
		cpuid(0x80000008, 0, r);
		c->feat |= bit(r[1], 12, MF_IBPB) | bit(r[1], 14, MF_SPEC_CTRL) |
			   bit(r[1], 29, MF_BTC_NO);
	}
	if (ext >= 0x80000021 && c->vendor != MV_INTEL) {
		cpuid(0x80000021, 0, r);
		c->feat |= bit(r[0], 8, MF_AUTOIBRS) | bit(r[0], 29, MF_SRSO_NO);
	}
	if ((c->feat & MF_ARCH_CAPS) && rdmsr_safe(MSR_IA32_ARCH_CAPS, &c->arch_caps))
		c->arch_caps = 0;
	/* What CPUID promises a hypervisor may not deliver: write back what
	 * SPEC_CTRL holds, issue one IBPB. A fault here, not in a timed loop,
	 * makes those toggles unsupported:msr-faults. */
	int ok = 1;
	if (c->feat & (MF_SPEC_CTRL | MF_BHI_CTRL))
		ok &= !rdmsr_safe(MSR_IA32_SPEC_CTRL, &spec_ctrl_boot) &&
		      !wrmsr_safe(MSR_IA32_SPEC_CTRL, spec_ctrl_boot);
	if (c->feat & MF_IBPB)
		ok &= !wrmsr_safe(MSR_IA32_PRED_CMD, PRED_CMD_IBPB);
	if (ok)
		c->feat |= MF_MSR_OK;
	spec_ctrl_now = spec_ctrl_boot;
}

void mitig_init(struct rt_shared *sh, int profile, int64_t requested)
{
	read_cpu(&cpu);
	supported = mitig_supported(&cpu, why);
	percpu0.kernel_mxcsr = MXCSR_DEFAULT;
	percpu0.user_mxcsr = MXCSR_DEFAULT;
	percpu0.spec_ctrl_kernel = spec_ctrl_boot;
	percpu0.spec_ctrl_user = spec_ctrl_boot;
	/* ldmxcsr and the XMM moves #UD until the OS says it saves SSE state */
	if (supported & MITIG_BIT(MITIG_FPU))
		write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
	struct rt_mitig *m = &sh->mitig;
	m->probed = 1;
	m->supported = supported;
	m->profile = (uint32_t)profile;
	m->requested = requested < 0 ? -1 : (int32_t)(requested & MITIG_ALL);
	m->cpu = cpu;
	memcpy(m->why, why, sizeof m->why);
}

/* --- the templates ------------------------------------------------------------ */

static const struct mitig_template *template_of(const void *entry)
{
	for (const struct mitig_template *t = __mitig_tmpls_start; t < __mitig_tmpls_end; t++)
		if (t->entry == entry)
			return t;
	return 0;
}

int mitig_has_template(const void *entry)
{
	return entry && template_of(entry);
}

static int in(const uint8_t *p, const uint8_t *start, const uint8_t *end)
{
	return p >= start && p < end;
}

/* the site of t that holds byte p and is left out of a stub with set, or 0 */
static const struct mitig_site *removed_site(const struct mitig_template *t,
					     const uint8_t *p, uint32_t set)
{
	for (const struct mitig_site *s = __mitig_sites_start; s < __mitig_sites_end; s++)
		if (in(s->start, t->start, t->end) && in(p, s->start, s->end) &&
		    !(set & MITIG_BIT(s->toggle)))
			return s;
	return 0;
}

/* where template byte p lands in the stub: p less every removed byte
 * before it */
static uint64_t moved(const struct mitig_template *t, const uint8_t *p, uint32_t set)
{
	uint64_t off = (uint64_t)(p - t->start);
	for (const struct mitig_site *s = __mitig_sites_start; s < __mitig_sites_end; s++)
		if (in(s->start, t->start, t->end) && s->end <= p &&
		    !(set & MITIG_BIT(s->toggle)))
			off -= (uint64_t)(s->end - s->start);
	return off;
}

/* Build t's stub with the toggles in set into mitig_area: the template's
 * bytes without the other toggles' sites, its branches re-aimed, the
 * dispatcher call to the retpoline dispatcher when that toggle is on, the
 * copy's iretq instructions named in .iret_user. 0, or -1 if it does not
 * fit or a branch cannot reach. */
static int build(const struct mitig_template *t, uint32_t set)
{
	uint64_t n = 0;
	for (const uint8_t *p = t->start; p < t->end; p++) {
		const struct mitig_site *s = removed_site(t, p, set);
		if (s) {
			p = s->end - 1;
			continue;
		}
		if (n == MITIG_AREA_SIZE)
			return -1;
		mitig_area[n++] = *p;
	}
	for (const struct mitig_reloc *r = __mitig_relocs_start; r < __mitig_relocs_end; r++) {
		if (!in(r->field_end - 1, t->start, t->end) || removed_site(t, r->field_end - 1, set))
			continue;
		const uint8_t *target = r->target;
		if (in(target, t->start, t->end + 1))
			target = mitig_area + moved(t, target, set);
		else if (target == (const uint8_t *)ssdt_dispatch && (set & MITIG_BIT(MITIG_RETPOLINE)))
			target = ssdt_dispatch_retpoline;
		uint8_t *field_end = mitig_area + moved(t, r->field_end, set);
		int64_t disp = (int64_t)(target - field_end);
		if (disp != (int32_t)disp)
			return -1;
		int32_t d32 = (int32_t)disp;
		memcpy(field_end - 4, &d32, 4);
	}
	for (const struct mitig_iret *i = __mitig_irets_start; i < __mitig_irets_end; i++)
		*i->slot = in(i->iret, t->start, t->end) ?
			(uint64_t)(mitig_area + moved(t, i->iret, set)) : 0;
	return 0;
}

/* --- the state the toggles need ------------------------------------------------- */

/* sti: nothing may arrive while interrupts are on. No interrupt source is
 * programmed, but the firmware may have left one armed: mask both 8259s
 * (each read before it is written) and raise the local APIC's task
 * priority (CR8) to 15, which holds back every maskable vector it could
 * deliver. NMIs are not maskable and are reported as before. */
static void quiet_interrupts(void)
{
	if (quiet)
		return;
	(void)inb(0x21);
	outb(0x21, 0xFF);
	(void)inb(0xA1);
	outb(0xA1, 0xFF);
	__asm__ volatile("mov %0, %%cr8" :: "r"(15ull) : "memory");
	quiet = 1;
}

static void set_spec_ctrl(uint32_t set)
{
	if (!(cpu.feat & MF_SPEC_CTRL) || !(cpu.feat & MF_MSR_OK))
		return;
	uint64_t base = spec_ctrl_boot & ~(SPEC_CTRL_IBRS | SPEC_CTRL_BHI_DIS_S);
	if (set & MITIG_BIT(MITIG_BHI_DIS_S))
		base |= SPEC_CTRL_BHI_DIS_S;
	percpu0.spec_ctrl_user = base;
	percpu0.spec_ctrl_kernel = base | SPEC_CTRL_IBRS;
	if (!(set & (MITIG_BIT(MITIG_BHI_DIS_S) | MITIG_BIT(MITIG_IBRS))))
		base = spec_ctrl_boot;          /* minimal: as the firmware left it */
	if (base != spec_ctrl_now) {
		wrmsr(MSR_IA32_SPEC_CTRL, base);
		spec_ctrl_now = base;
	}
}

/* pge: a CR4.PGE write flushes every TLB entry, global ones too, so the
 * G bits change only while PGE is off */
static void set_pge(int on)
{
	if (on == pge_on)
		return;
	if (!on)
		write_cr4(read_cr4() & ~CR4_PGE);
	shadow_set_global(on);
	if (on)
		write_cr4(read_cr4() | CR4_PGE);
	pge_on = on;
}

static void apply(uint32_t set)
{
	set_spec_ctrl(set);
	set_pge(!!(set & MITIG_BIT(MITIG_PGE)));
	if (set & MITIG_BIT(MITIG_STI))
		quiet_interrupts();
}

void mitig_reset(void)
{
	apply(0);
}

int mitig_select(const struct path_desc *p, uint32_t set, const void **entry)
{
	if (set & ~supported)
		return -1;                      /* never run what the CPU cannot */
	const struct mitig_template *t = template_of(p->entry);
	if (set && !t)
		return -1;
	apply(set);
	*entry = p->entry;
	if (!set)
		return 0;
	if (build(t, set))
		return -1;
	*entry = mitig_area;
	return 0;
}

/* --- what a run reports ----------------------------------------------------------- */

static void line(const char *key, const char *val)
{
	KLINE(l);
	sb_kv_line(&l, key, val);
	console_sb(CON_SERIAL, &l);
}

/* per path: "toggle:entry+exit,..." - each toggle's instructions on the
 * timed entry and exit (slow sites left out); retpoline's are the
 * dispatcher's, counted on the entry */
static void describe_path(const struct path_desc *p, const struct mitig_template *t)
{
	uint32_t in_[MITIG_COUNT] = { 0 }, out[MITIG_COUNT] = { 0 };
	for (const struct mitig_site *s = __mitig_sites_start; s < __mitig_sites_end; s++) {
		if (!in(s->start, t->start, t->end) || (s->flags & MSITE_SLOW))
			continue;
		if (s->flags & MSITE_ENTRY)
			in_[s->toggle] += s->insns;
		else
			out[s->toggle] += s->insns;
	}
	in_[MITIG_RETPOLINE] = 3;       /* call thunk, mov, ret: the service call */
	char key[64];
	struct sbuf k;
	sb_init(&k, key, sizeof key);
	sb_puts(&k, "mitigation_insns.");
	sb_puts(&k, p->name);
	char val[400];
	struct sbuf v;
	sb_init(&v, val, sizeof val);
	for (unsigned i = 0; i < MITIG_COUNT; i++) {
		if (i)
			sb_putc(&v, ',');
		sb_puts(&v, mitig_names[i]);
		sb_putc(&v, ':');
		sb_u64(&v, in_[i]);
		sb_putc(&v, '+');
		sb_u64(&v, out[i]);
	}
	line(sb_str(&k), sb_str(&v));
}

void mitig_describe(void)
{
	static const char *const feat_names[] = {
		"spec_ctrl", "ibpb", "arch_capabilities", "md_clear", "bhi_ctrl",
		"pcid", "invpcid", "smap", "fsgsbase", "rtm", "hypervisor",
		"autoibrs", "btc_no", "srso_no", "sse2", "fxsr", "pge", "msr_ok" };
	char val[400];
	struct sbuf v;
	sb_init(&v, val, sizeof val);
	for (unsigned i = 0, first = 1; i < sizeof feat_names / sizeof feat_names[0]; i++)
		if (cpu.feat & (1u << i)) {
			if (!first)
				sb_putc(&v, ',');
			sb_puts(&v, feat_names[i]);
			first = 0;
		}
	line("mitigation_features", sb_str(&v));
	sb_init(&v, val, sizeof val);
	if (cpu.feat & MF_ARCH_CAPS)
		sb_hex(&v, cpu.arch_caps, 1);
	else
		sb_puts(&v, "unavailable");
	line("arch_capabilities", sb_str(&v));
	sb_init(&v, val, sizeof val);
	mitig_format(&v, supported);
	line("mitigations_supported", sb_str(&v));
	sb_init(&v, val, sizeof val);
	int first = 1;
	for (unsigned i = 0; i < MITIG_COUNT; i++)
		if (!(supported & MITIG_BIT(i))) {
			if (!first)
				sb_putc(&v, ',');
			sb_puts(&v, mitig_names[i]);
			sb_puts(&v, ":unsupported:");
			sb_puts(&v, mitig_why_text[why[i]]);
			first = 0;
		}
	line("mitigations_unsupported", first ? "none" : sb_str(&v));
	for (unsigned i = 0; i < path_count; i++) {
		const struct mitig_template *t = template_of(path_table[i].entry);
		if (t)
			describe_path(&path_table[i], t);
	}
}
