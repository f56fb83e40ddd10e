/*
 * mitig.c - see mitig.h. What each OS enables on a system-call entry and
 * exit, decided the way each OS decides it.
 *
 * Linux (a current mainline kernel with its default configuration and no
 * mitigations= options): arch/x86/kernel/cpu/common.c sets the X86_BUG_*
 * bits from the vendor, family/model lists (cpu_vuln_whitelist,
 * cpu_vuln_blacklist) and IA32_ARCH_CAPABILITIES; arch/x86/kernel/cpu/bugs.c
 * picks a mitigation per bug; arch/x86/entry/entry_64.S, calling.h and
 * nospec-branch.h show where each one sits on the entry and exit
 * (Documentation/admin-guide/hw-vuln/ explains them). The predicates below
 * name the Linux bug or feature they stand for. Each ringtrip path is read
 * as Linux running with that path's address space: a shadow path is Linux
 * with PTI on, a full-space path Linux with PTI off.
 *
 * Windows (10/11 client defaults, no FeatureSettingsOverride): Microsoft's
 * speculative-execution guidance - KB4073119 (client), KB4072698 (server,
 * the registry values of every mitigation that is off by default),
 * KB4074629 (what Get-SpeculationControlSettings reports), the MSRC posts
 * "KVA Shadow: Mitigating Meltdown on Windows" and "Mitigating Spectre
 * variant 2 with Retpoline on Windows" - and public disassembly of
 * KiSystemCall64 for the floating-point and interrupt work. Microsoft does
 * not publish the per-model choice between IBRS and retpoline; where the
 * reading is ringtrip's, the README's table says so.
 */
#include "mitig.h"

#define MITIG_NAME_(e, name, label) [e] = #name,
const char *const mitig_names[] = { MITIG_X(MITIG_NAME_) 0 };
#define MITIG_LABEL_(e, name, label) [e] = label,
const char *const mitig_labels[] = { MITIG_X(MITIG_LABEL_) 0 };
#define MITIG_PROFILE_NAME_(e, name) [e] = #name,
const char *const mitig_profile_names[] = {
	OPT_PROFILE_NAMES(MITIG_PROFILE_NAME_, MITIG_PROFILE_NAME_) 0 };
#define MITIG_WHY_TEXT_(e, text) [e] = text,
const char *const mitig_why_text[] = { MITIG_WHY_X(MITIG_WHY_TEXT_) 0 };

/* --------------------------------------------------------------- the CPU */

static int has(const struct mitig_cpu *c, uint32_t f)
{
	return (c->feat & f) == f;
}

static int cap(const struct mitig_cpu *c, uint64_t bit)
{
	return (c->arch_caps & bit) != 0;
}

static int intel(const struct mitig_cpu *c)
{
	return c->vendor == MV_INTEL;
}

static int amd_like(const struct mitig_cpu *c)
{
	return c->vendor == MV_AMD || c->vendor == MV_HYGON;
}

static int model_in(const struct mitig_cpu *c, const uint8_t *models, unsigned n)
{
	if (!intel(c) || c->family != 6)
		return 0;
	for (unsigned i = 0; i < n; i++)
		if (c->model == models[i])
			return 1;
	return 0;
}
#define MODEL_IN(c, list) model_in(c, list, sizeof list)

/* Intel family 6 models of common.c's lists (INTEL_FAM6_* numbers) */
static const uint8_t no_speculation_models[] = {   /* Saltwell, Bonnell Atoms */
	0x36, 0x35, 0x27, 0x1C, 0x26 };
static const uint8_t no_swapgs[] = {        /* Silvermont, Airmont, Xeon Phi, Goldmont */
	0x37, 0x4D, 0x4A, 0x4C, 0x57, 0x85, 0x5A, 0x75, 0x5C, 0x5F, 0x7A };
static const uint8_t no_mds[] = {           /* Goldmont, Goldmont Plus */
	0x5C, 0x5F, 0x7A };
static const uint8_t retbleed_models[] = {  /* Skylake .. Comet Lake, Ice Lake L, Lakefield, Rocket Lake */
	0x55, 0x4E, 0x5E, 0x8E, 0x9E, 0x66, 0x7E, 0xA5, 0xA6, 0x8A, 0xA7 };
static const uint8_t rfds_models[] = {      /* Alder/Raptor Lake, Tremont, Goldmont (Plus) */
	0x97, 0x9A, 0xB7, 0xBA, 0xBF, 0xBE, 0x96, 0x86, 0x9C, 0x5C, 0x5F, 0x7A };

/* cpu_vuln_whitelist's NO_SPECULATION: in-order cores, nothing applies */
static int no_speculation(const struct mitig_cpu *c)
{
	return c->family == 4 || (intel(c) && c->family == 5) ||
	       MODEL_IN(c, no_speculation_models);
}

/* X86_BUG_CPU_MELTDOWN: not AMD/Hygon (NO_MELTDOWN), not RDCL_NO */
static int bug_meltdown(const struct mitig_cpu *c)
{
	return intel(c) && !no_speculation(c) && !cap(c, AC_RDCL_NO);
}

/* X86_BUG_SWAPGS: Intel except the NO_SWAPGS Atoms (AMD: %gs-relative
 * loads wait for swapgs) */
static int bug_swapgs(const struct mitig_cpu *c)
{
	return intel(c) && !no_speculation(c) && !MODEL_IN(c, no_swapgs);
}

/* X86_BUG_MDS */
static int bug_mds(const struct mitig_cpu *c)
{
	return intel(c) && !no_speculation(c) && !MODEL_IN(c, no_mds) &&
	       !cap(c, AC_MDS_NO);
}

/* X86_BUG_TAA, and TSX still on (taa_select_mitigation: VERW only with RTM) */
static int bug_taa_rtm(const struct mitig_cpu *c)
{
	return !no_speculation(c) && !cap(c, AC_TAA_NO) && has(c, MF_RTM);
}

/* X86_BUG_RFDS with the microcode that makes VERW clear the register file */
static int rfds_verw(const struct mitig_cpu *c)
{
	if (!intel(c) || cap(c, AC_RFDS_NO))
		return 0;
	int vulnerable = cap(c, AC_RFDS_CLEAR) || MODEL_IN(c, rfds_models);
	return vulnerable && cap(c, AC_RFDS_CLEAR);
}

/* X86_FEATURE_IBRS_ENHANCED: Intel's eIBRS or AMD's Automatic IBRS */
static int eibrs(const struct mitig_cpu *c)
{
	return cap(c, AC_IBRS_ALL) || (amd_like(c) && has(c, MF_AUTOIBRS));
}

/* X86_BUG_RETBLEED: the blacklist (Intel models above, AMD 0x15-0x17,
 * Hygon 0x18) or RSBA, unless AMD says BTC_NO */
static int bug_retbleed(const struct mitig_cpu *c)
{
	if (has(c, MF_BTC_NO) || no_speculation(c))
		return 0;
	if (c->vendor == MV_AMD && c->family >= 0x15 && c->family <= 0x17)
		return 1;
	if (c->vendor == MV_HYGON && c->family == 0x18)
		return 1;
	return MODEL_IN(c, retbleed_models) || (intel(c) && cap(c, AC_RSBA));
}

/* X86_BUG_SRSO: AMD 0x17 and 0x19, Hygon 0x18, unless SRSO_NO */
static int bug_srso(const struct mitig_cpu *c)
{
	if (has(c, MF_SRSO_NO))
		return 0;
	return (c->vendor == MV_AMD && (c->family == 0x17 || c->family == 0x19)) ||
	       (c->vendor == MV_HYGON && c->family == 0x18);
}

/* X86_BUG_BHI: not BHI_NO, not AMD/Hygon (NO_BHI), and eIBRS or a
 * hypervisor (which may hide eIBRS) */
static int bug_bhi(const struct mitig_cpu *c)
{
	return intel(c) && !no_speculation(c) && !cap(c, AC_BHI_NO) &&
	       (eibrs(c) || has(c, MF_HYPERVISOR));
}

/* spectre_v2_select_mitigation() with spectre_v2=auto */
enum v2_mode { V2_NONE, V2_EIBRS, V2_IBRS, V2_RETPOLINE };
static enum v2_mode linux_v2(const struct mitig_cpu *c)
{
	if (no_speculation(c))
		return V2_NONE;
	if (eibrs(c))
		return V2_EIBRS;
	if (bug_retbleed(c) && has(c, MF_SPEC_CTRL) && intel(c))
		return V2_IBRS;
	return V2_RETPOLINE;
}

/* smap_works_speculatively(): SMAP, and no Meltdown to read past it */
static int smap_speculative(const struct mitig_cpu *c)
{
	return has(c, MF_SMAP) && !bug_meltdown(c);
}

/* ------------------------------------------------------------- supported */

uint32_t mitig_supported(const struct mitig_cpu *c, uint8_t why[MITIG_COUNT])
{
	uint8_t w[MITIG_COUNT] = { 0 };
	int msr_ok = has(c, MF_MSR_OK);
	if (!has(c, MF_SSE2)) {
		w[MITIG_LFENCE_SWAPGS] = MITIG_NO_SSE2;
		w[MITIG_FPU] = MITIG_NO_SSE2;
	}
	if (!has(c, MF_FXSR))
		w[MITIG_FPU] = MITIG_NO_FXSR;
	if (!has(c, MF_SPEC_CTRL))
		w[MITIG_IBRS] = MITIG_NO_SPEC_CTRL;
	else if (!msr_ok)
		w[MITIG_IBRS] = MITIG_MSR_FAULTS;
	if (!has(c, MF_IBPB))
		w[MITIG_IBPB] = MITIG_NO_PRED_CMD;
	else if (!msr_ok)
		w[MITIG_IBPB] = MITIG_MSR_FAULTS;
	if (!has(c, MF_BHI_CTRL | MF_SPEC_CTRL))
		w[MITIG_BHI_DIS_S] = MITIG_NO_BHI_CTRL;
	else if (!msr_ok)
		w[MITIG_BHI_DIS_S] = MITIG_MSR_FAULTS;
	if (!has(c, MF_MD_CLEAR))
		w[MITIG_VERW] = MITIG_NO_MD_CLEAR;
	/* the untraining is AMD's: an Intel BTB does not alias this way */
	if (!amd_like(c))
		w[MITIG_UNTRAIN_RET] = MITIG_VENDOR;
	if (!has(c, MF_PGE))
		w[MITIG_PGE] = MITIG_NO_PGE;
	uint32_t set = 0;
	for (unsigned t = 0; t < MITIG_COUNT; t++) {
		if (!w[t])
			set |= MITIG_BIT(t);
		if (why)
			why[t] = w[t];
	}
	return set;
}

/* ------------------------------------------------------------- the OSes */

static uint32_t linux_set(const struct mitig_cpu *c, const struct mitig_path *p)
{
	uint32_t s = MITIG_BIT(MITIG_STI);   /* do_syscall_64: local_irq_enable() */
	if (c->vendor == MV_OTHER)
		return s;
	enum v2_mode v2 = linux_v2(c);
	/* spectre_v1: FENCE_SWAPGS_USER where the swapgs is conditional
	 * (idtentry's error_entry), unless PTI's CR3 write serializes */
	if (bug_swapgs(c) && (has(c, MF_FSGSBASE) || !smap_speculative(c)) &&
	    p->int_gate && !p->shadow)
		s |= MITIG_BIT(MITIG_LFENCE_SWAPGS);
	/* spectre_v2=ibrs, chosen for retbleed-affected Intel without eIBRS:
	 * IBRS_ENTER / IBRS_EXIT */
	if (v2 == V2_IBRS)
		s |= MITIG_BIT(MITIG_IBRS);
	/* retbleed=unret (AMD/Hygon) and spec_rstack_overflow=safe-ret:
	 * UNTRAIN_RET on entry */
	if (amd_like(c) && (bug_retbleed(c) || bug_srso(c)))
		s |= MITIG_BIT(MITIG_UNTRAIN_RET);
	/* spectre_bhi=on: BHI_DIS_S where SPEC_CTRL has it, else
	 * CLEAR_BRANCH_HISTORY (clear_bhb_loop) on every system-call entry;
	 * nothing when retpolines cover it (no RRSBA) */
	if (bug_bhi(c) && !(v2 == V2_RETPOLINE && !cap(c, AC_RRSBA)))
		s |= MITIG_BIT(has(c, MF_BHI_CTRL) ? MITIG_BHI_DIS_S : MITIG_BHB_CLEAR);
	/* MDS, TAA (TSX on), RFDS: CLEAR_CPU_BUFFERS (VERW) right before
	 * sysret/iret; MMIO stale data only adds it with MDS or TAA */
	if (bug_mds(c) || bug_taa_rtm(c) || rfds_verw(c))
		s |= MITIG_BIT(MITIG_VERW);
	/* PTI without PCID: the kernel image is mapped global
	 * (pti_kernel_image_global_ok()) */
	if (p->shadow && !p->pcid)
		s |= MITIG_BIT(MITIG_PGE);
	/* Not on Linux's system-call path: an entry IBPB (retbleed=ibpb and
	 * spec_rstack_overflow=ibpb only), RSB filling (context switch and VM
	 * exit), a retpoline on the dispatch (x64_sys_call() is a switch since
	 * 6.9, no indirect call), MXCSR/XMM work (the FPU state is switched
	 * on context switch). */
	return s;
}

static uint32_t windows_set(const struct mitig_cpu *c, const struct mitig_path *p)
{
	/* KiSystemCall64: stmxcsr/ldmxcsr on entry, the volatile XMM
	 * registers zeroed on the way out; sti once the frame is built */
	uint32_t s = MITIG_BIT(MITIG_FPU) | MITIG_BIT(MITIG_STI);
	if (c->vendor == MV_OTHER)
		return s;
	/* CVE-2019-1125 (swapgs): fenced where the swapgs is conditional,
	 * ringtrip's reading: as Linux, a KVA-shadow CR3 write serializes */
	if (bug_swapgs(c) && p->int_gate && !p->shadow)
		s |= MITIG_BIT(MITIG_LFENCE_SWAPGS);
	/* CVE-2017-5715 (BTI), on by default on client SKUs: nothing per
	 * entry with enhanced/automatic IBRS; IBRS written on entry and exit
	 * (Windows' original mitigation) where a RET may predict from the
	 * BTB (RSBA, the Skylake-generation parts), which retpoline does not
	 * cover; elsewhere retpoline (Windows 10 1809+), ringtrip's reading
	 * of Microsoft's retpoline post */
	if (!no_speculation(c) && !eibrs(c)) {
		if (intel(c) && has(c, MF_SPEC_CTRL) &&
		    (cap(c, AC_RSBA) || MODEL_IN(c, retbleed_models)))
			s |= MITIG_BIT(MITIG_IBRS);
		else
			s |= MITIG_BIT(MITIG_RETPOLINE);
	}
	/* ADV190013 (MDS) and TAA: the CPU buffers are flushed on the way
	 * back to user mode, on by default on client SKUs */
	if (bug_mds(c) || bug_taa_rtm(c))
		s |= MITIG_BIT(MITIG_VERW);
	/* Off by default (KB4072698 lists the registry values that turn
	 * them on): BHI (CVE-2022-0001), AMD's return-address predictor
	 * mitigations (CVE-2022-23825, CVE-2023-20569). Never on the
	 * system-call path: IBPB (context switch), RSB filling, global
	 * kernel mappings under KVA shadow. */
	(void)p;
	return s;
}

uint32_t mitig_profile_set(int profile, const struct mitig_cpu *c,
			   const struct mitig_path *p)
{
	switch (profile) {
	case PROFILE_LINUX:
		return linux_set(c, p);
	case PROFILE_WINDOWS:
		return windows_set(c, p);
	default:
		return 0;
	}
}

int mitig_profile_kpti(int profile, const struct mitig_cpu *c)
{
	switch (profile) {
	case PROFILE_LINUX:          /* X86_BUG_CPU_MELTDOWN -> pti=auto on */
		return bug_meltdown(c);
	case PROFILE_WINDOWS:        /* KVAShadowRequired: Intel without RDCL_NO */
		return intel(c) && !cap(c, AC_RDCL_NO);
	default:
		return 0;
	}
}

int mitig_profile_pcid(int profile, const struct mitig_cpu *c)
{
	if (!mitig_profile_kpti(profile, c))
		return 0;
	if (profile == PROFILE_WINDOWS)  /* KVAShadowPcidEnabled: PCID and INVPCID */
		return has(c, MF_PCID | MF_INVPCID);
	return has(c, MF_PCID);          /* X86_FEATURE_PCID */
}

void mitig_format(struct sbuf *sb, uint32_t set)
{
	int first = 1;
	for (unsigned t = 0; t < MITIG_COUNT; t++) {
		if (!(set & MITIG_BIT(t)))
			continue;
		if (!first)
			sb_putc(sb, '+');
		sb_puts(sb, mitig_names[t]);
		first = 0;
	}
	if (first)
		sb_puts(sb, "none");
}
