/*
 * test_mitig.c - host unit tests for lib/mitig.c: which toggles a CPU can
 * run, and what Linux and Windows would put on each kind of entry, for
 * CPUs whose Linux sysfs verdicts are well known (the README's table is
 * the same facts in prose). Each CPU is a fixture of the CPUID bits and
 * IA32_ARCH_CAPABILITIES value the kernel would read.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "lib/mitig.h"

#define B(t) MITIG_BIT(MITIG_##t)
#define BASE (MF_SSE2 | MF_FXSR | MF_PGE | MF_MSR_OK)

static const struct mitig_path syscall_path = { 0 };
static const struct mitig_path int_path = { .int_gate = 1 };
static const struct mitig_path shadow_path = { .shadow = 1 };
static const struct mitig_path shadow_pcid_path = { .shadow = 1, .pcid = 1 };
static const struct mitig_path int_shadow_path = { .int_gate = 1, .shadow = 1 };

/* Skylake client (Core i7-6700, 06_5E): no IA32_ARCH_CAPABILITIES, SPEC_CTRL
 * and MD_CLEAR from microcode, Meltdown, MDS, retbleed (Linux: IBRS) */
static const struct mitig_cpu skylake = {
	.vendor = MV_INTEL, .family = 6, .model = 0x5E,
	.feat = BASE | MF_SPEC_CTRL | MF_IBPB | MF_MD_CLEAR | MF_PCID | MF_INVPCID |
		MF_SMAP | MF_FSGSBASE,
};
/* Haswell (06_3C): retpoline, not in the retbleed list; Meltdown, MDS */
static const struct mitig_cpu haswell = {
	.vendor = MV_INTEL, .family = 6, .model = 0x3C,
	.feat = BASE | MF_SPEC_CTRL | MF_IBPB | MF_MD_CLEAR | MF_PCID | MF_INVPCID |
		MF_FSGSBASE,
};
/* Ice Lake client (06_7E): eIBRS, RDCL_NO, MDS_NO, TAA_NO; no BHI_CTRL */
static const struct mitig_cpu icelake = {
	.vendor = MV_INTEL, .family = 6, .model = 0x7E,
	.feat = BASE | MF_SPEC_CTRL | MF_IBPB | MF_ARCH_CAPS | MF_MD_CLEAR | MF_PCID |
		MF_INVPCID | MF_SMAP | MF_FSGSBASE,
	.arch_caps = AC_RDCL_NO | AC_IBRS_ALL | AC_MDS_NO | AC_TAA_NO,
};
/* Alder Lake (06_97): eIBRS, BHI_CTRL; RFDS_CLEAR from microcode */
static const struct mitig_cpu alderlake = {
	.vendor = MV_INTEL, .family = 6, .model = 0x97,
	.feat = BASE | MF_SPEC_CTRL | MF_IBPB | MF_ARCH_CAPS | MF_MD_CLEAR | MF_PCID |
		MF_INVPCID | MF_SMAP | MF_FSGSBASE | MF_BHI_CTRL,
	.arch_caps = AC_RDCL_NO | AC_IBRS_ALL | AC_MDS_NO | AC_TAA_NO | AC_RFDS_CLEAR,
};
/* Zen 2 (17h), Zen 3 (19h), Zen 4 (19h, Automatic IBRS), Zen 5 (1Ah, SRSO_NO) */
static const struct mitig_cpu zen2 = {
	.vendor = MV_AMD, .family = 0x17, .model = 0x31,
	.feat = BASE | MF_SPEC_CTRL | MF_IBPB | MF_SMAP | MF_FSGSBASE,
};
static const struct mitig_cpu zen3 = {
	.vendor = MV_AMD, .family = 0x19, .model = 0x21,
	.feat = BASE | MF_SPEC_CTRL | MF_IBPB | MF_SMAP | MF_FSGSBASE | MF_PCID | MF_INVPCID,
};
static const struct mitig_cpu zen4 = {
	.vendor = MV_AMD, .family = 0x19, .model = 0x61,
	.feat = BASE | MF_SPEC_CTRL | MF_IBPB | MF_SMAP | MF_FSGSBASE | MF_AUTOIBRS,
};
static const struct mitig_cpu zen5 = {
	.vendor = MV_AMD, .family = 0x1A, .model = 0x44,
	.feat = BASE | MF_SPEC_CTRL | MF_IBPB | MF_SMAP | MF_FSGSBASE | MF_AUTOIBRS |
		MF_SRSO_NO,
};
/* QEMU TCG's -cpu max (what the boot tests run on): AMD family 0Fh,
 * no speculation controls at all */
static const struct mitig_cpu tcg = {
	.vendor = MV_AMD, .family = 0x0F, .model = 0x6B,
	.feat = BASE | MF_SMAP | MF_FSGSBASE | MF_HYPERVISOR,
};

static void test_supported_tcg(void **state)
{
	(void)state;
	uint8_t why[MITIG_COUNT];
	uint32_t s = mitig_supported(&tcg, why);
	assert_int_equal(s, B(LFENCE_SWAPGS) | B(RSB_FILL) | B(BHB_CLEAR) |
			 B(UNTRAIN_RET) | B(RETPOLINE) | B(FPU) | B(STI) | B(PGE));
	assert_string_equal(mitig_why_text[why[MITIG_IBRS]], "no-spec-ctrl");
	assert_string_equal(mitig_why_text[why[MITIG_IBPB]], "no-pred-cmd");
	assert_string_equal(mitig_why_text[why[MITIG_BHI_DIS_S]], "no-bhi-ctrl");
	assert_string_equal(mitig_why_text[why[MITIG_VERW]], "no-md-clear");
	assert_int_equal(why[MITIG_STI], MITIG_OK);
}

static void test_supported_intel(void **state)
{
	(void)state;
	uint8_t why[MITIG_COUNT];
	uint32_t s = mitig_supported(&alderlake, why);
	assert_int_equal(s, MITIG_ALL & ~B(UNTRAIN_RET));
	assert_string_equal(mitig_why_text[why[MITIG_UNTRAIN_RET]], "vendor");
	/* CPUID promises SPEC_CTRL, but the kernel's write faulted */
	struct mitig_cpu liar = skylake;
	liar.feat &= ~MF_MSR_OK;
	s = mitig_supported(&liar, why);
	assert_false(s & (B(IBRS) | B(IBPB)));
	assert_string_equal(mitig_why_text[why[MITIG_IBRS]], "msr-faults");
	assert_string_equal(mitig_why_text[why[MITIG_IBPB]], "msr-faults");
	assert_string_equal(mitig_why_text[why[MITIG_BHI_DIS_S]], "no-bhi-ctrl");
	assert_null(NULL);
	s = mitig_supported(&liar, NULL);     /* why is optional */
	assert_false(s & B(IBRS));
}

static void test_minimal_is_empty(void **state)
{
	(void)state;
	assert_int_equal(mitig_profile_set(PROFILE_MINIMAL, &skylake, &int_path), 0);
	assert_int_equal(mitig_profile_set(PROFILE_MINIMAL, &zen2, &shadow_path), 0);
	assert_false(mitig_profile_kpti(PROFILE_MINIMAL, &skylake));
}

static void test_skylake(void **state)
{
	(void)state;
	/* Linux: spectre_v2=IBRS (retbleed), MDS -> VERW, Meltdown -> PTI */
	assert_int_equal(mitig_profile_set(PROFILE_LINUX, &skylake, &syscall_path),
			 B(IBRS) | B(VERW) | B(STI));
	assert_int_equal(mitig_profile_set(PROFILE_LINUX, &skylake, &int_path),
			 B(LFENCE_SWAPGS) | B(IBRS) | B(VERW) | B(STI));
	assert_int_equal(mitig_profile_set(PROFILE_LINUX, &skylake, &shadow_path),
			 B(IBRS) | B(VERW) | B(STI) | B(PGE));
	assert_int_equal(mitig_profile_set(PROFILE_LINUX, &skylake, &shadow_pcid_path),
			 B(IBRS) | B(VERW) | B(STI));
	assert_int_equal(mitig_profile_set(PROFILE_LINUX, &skylake, &int_shadow_path),
			 B(IBRS) | B(VERW) | B(STI) | B(PGE));
	assert_true(mitig_profile_kpti(PROFILE_LINUX, &skylake));
	assert_true(mitig_profile_pcid(PROFILE_LINUX, &skylake));
	/* Windows: KVA shadow with PCID (INVPCID too), IBRS, MDS flush */
	assert_int_equal(mitig_profile_set(PROFILE_WINDOWS, &skylake, &syscall_path),
			 B(IBRS) | B(VERW) | B(FPU) | B(STI));
	assert_int_equal(mitig_profile_set(PROFILE_WINDOWS, &skylake, &int_path),
			 B(LFENCE_SWAPGS) | B(IBRS) | B(VERW) | B(FPU) | B(STI));
	assert_true(mitig_profile_kpti(PROFILE_WINDOWS, &skylake));
	assert_true(mitig_profile_pcid(PROFILE_WINDOWS, &skylake));
	struct mitig_cpu no_invpcid = skylake;
	no_invpcid.feat &= ~MF_INVPCID;
	assert_false(mitig_profile_pcid(PROFILE_WINDOWS, &no_invpcid));
	assert_true(mitig_profile_pcid(PROFILE_LINUX, &no_invpcid));
}

static void test_haswell(void **state)
{
	(void)state;
	/* not retbleed-listed: Linux retpolines (nothing on the syscall entry),
	 * Windows retpoline on the service call */
	assert_int_equal(mitig_profile_set(PROFILE_LINUX, &haswell, &syscall_path),
			 B(VERW) | B(STI));
	assert_int_equal(mitig_profile_set(PROFILE_WINDOWS, &haswell, &syscall_path),
			 B(RETPOLINE) | B(VERW) | B(FPU) | B(STI));
	/* RSBA in IA32_ARCH_CAPABILITIES puts a part in the retbleed set */
	struct mitig_cpu rsba = haswell;
	rsba.feat |= MF_ARCH_CAPS;
	rsba.arch_caps = AC_RSBA;
	assert_true(mitig_profile_set(PROFILE_LINUX, &rsba, &syscall_path) & B(IBRS));
	assert_true(mitig_profile_set(PROFILE_WINDOWS, &rsba, &syscall_path) & B(IBRS));
	/* no SMAP, no FSGSBASE: the swapgs fence still, SMAP being absent */
	struct mitig_cpu old = haswell;
	old.feat &= ~MF_FSGSBASE;
	assert_true(mitig_profile_set(PROFILE_LINUX, &old, &int_path) & B(LFENCE_SWAPGS));
}

static void test_icelake(void **state)
{
	(void)state;
	/* eIBRS: nothing per entry for BTI; BHI without BHI_CTRL -> the loop */
	assert_int_equal(mitig_profile_set(PROFILE_LINUX, &icelake, &syscall_path),
			 B(BHB_CLEAR) | B(STI));
	assert_int_equal(mitig_profile_set(PROFILE_LINUX, &icelake, &int_path),
			 B(LFENCE_SWAPGS) | B(BHB_CLEAR) | B(STI));
	assert_false(mitig_profile_kpti(PROFILE_LINUX, &icelake));
	assert_int_equal(mitig_profile_set(PROFILE_WINDOWS, &icelake, &syscall_path),
			 B(FPU) | B(STI));
	assert_false(mitig_profile_kpti(PROFILE_WINDOWS, &icelake));
	/* BHI_NO: no history mitigation */
	struct mitig_cpu bhi_no = icelake;
	bhi_no.arch_caps |= AC_BHI_NO;
	assert_int_equal(mitig_profile_set(PROFILE_LINUX, &bhi_no, &syscall_path), B(STI));
	/* TSX on and not TAA_NO: VERW for TAA */
	struct mitig_cpu taa = icelake;
	taa.feat |= MF_RTM;
	taa.arch_caps &= ~AC_TAA_NO;
	assert_true(mitig_profile_set(PROFILE_LINUX, &taa, &syscall_path) & B(VERW));
	assert_true(mitig_profile_set(PROFILE_WINDOWS, &taa, &syscall_path) & B(VERW));
}

static void test_alderlake(void **state)
{
	(void)state;
	/* BHI_DIS_S instead of the loop; RFDS_CLEAR -> VERW on Linux */
	assert_int_equal(mitig_profile_set(PROFILE_LINUX, &alderlake, &syscall_path),
			 B(BHI_DIS_S) | B(VERW) | B(STI));
	struct mitig_cpu rfds_no = alderlake;
	rfds_no.arch_caps = (rfds_no.arch_caps & ~AC_RFDS_CLEAR) | AC_RFDS_NO;
	assert_int_equal(mitig_profile_set(PROFILE_LINUX, &rfds_no, &syscall_path),
			 B(BHI_DIS_S) | B(STI));
	assert_int_equal(mitig_profile_set(PROFILE_WINDOWS, &alderlake, &syscall_path),
			 B(FPU) | B(STI));
}

static void test_amd(void **state)
{
	(void)state;
	/* Zen 2: retbleed=unret; Zen 3: SRSO safe-ret; both untrain on entry */
	assert_int_equal(mitig_profile_set(PROFILE_LINUX, &zen2, &syscall_path),
			 B(UNTRAIN_RET) | B(STI));
	assert_int_equal(mitig_profile_set(PROFILE_LINUX, &zen3, &int_path),
			 B(UNTRAIN_RET) | B(STI));
	assert_int_equal(mitig_profile_set(PROFILE_LINUX, &zen4, &syscall_path),
			 B(UNTRAIN_RET) | B(STI));
	assert_int_equal(mitig_profile_set(PROFILE_LINUX, &zen5, &syscall_path), B(STI));
	/* no Meltdown, no swapgs bug, no MDS on AMD */
	assert_false(mitig_profile_kpti(PROFILE_LINUX, &zen2));
	assert_false(mitig_profile_kpti(PROFILE_WINDOWS, &zen3));
	/* Windows: retpoline without Automatic IBRS */
	assert_int_equal(mitig_profile_set(PROFILE_WINDOWS, &zen2, &syscall_path),
			 B(RETPOLINE) | B(FPU) | B(STI));
	assert_int_equal(mitig_profile_set(PROFILE_WINDOWS, &zen4, &syscall_path),
			 B(FPU) | B(STI));
	/* BTC_NO takes Zen 2 out of retbleed; SRSO still untrains */
	struct mitig_cpu btc = zen2;
	btc.feat |= MF_BTC_NO;
	assert_true(mitig_profile_set(PROFILE_LINUX, &btc, &syscall_path) & B(UNTRAIN_RET));
	btc.feat |= MF_SRSO_NO;
	assert_false(mitig_profile_set(PROFILE_LINUX, &btc, &syscall_path) & B(UNTRAIN_RET));
}

static void test_tcg(void **state)
{
	(void)state;
	/* what the boot tests see: Linux only enables interrupts; Windows
	 * adds its FPU work and a retpoline */
	for (unsigned k = 0; k < 2; k++) {
		const struct mitig_path *p = k ? &int_path : &shadow_path;
		assert_int_equal(mitig_profile_set(PROFILE_LINUX, &tcg, p),
				 B(STI) | (p->shadow ? B(PGE) : 0));
		assert_int_equal(mitig_profile_set(PROFILE_WINDOWS, &tcg, p),
				 B(RETPOLINE) | B(FPU) | B(STI));
	}
}

static void test_hypervisor_bhi(void **state)
{
	(void)state;
	/* under a hypervisor eIBRS may be hidden: Linux assumes BHI, but a
	 * retpoline kernel without RRSBA is covered by the retpolines */
	struct mitig_cpu guest = haswell;
	guest.feat |= MF_HYPERVISOR;
	assert_false(mitig_profile_set(PROFILE_LINUX, &guest, &syscall_path) &
		     (B(BHB_CLEAR) | B(BHI_DIS_S)));
	guest.feat |= MF_ARCH_CAPS;
	guest.arch_caps = AC_RRSBA;
	assert_true(mitig_profile_set(PROFILE_LINUX, &guest, &syscall_path) & B(BHB_CLEAR));
}

static void test_other_vendor(void **state)
{
	(void)state;
	struct mitig_cpu other = { .vendor = MV_OTHER, .family = 7, .feat = BASE };
	assert_int_equal(mitig_profile_set(PROFILE_LINUX, &other, &int_path), B(STI));
	assert_int_equal(mitig_profile_set(PROFILE_WINDOWS, &other, &int_path),
			 B(FPU) | B(STI));
	assert_false(mitig_profile_kpti(PROFILE_LINUX, &other));
}

static void test_format(void **state)
{
	(void)state;
	char buf[256];
	struct sbuf sb;
	sb_init(&sb, buf, sizeof buf);
	mitig_format(&sb, 0);
	assert_string_equal(sb_str(&sb), "none");
	sb_init(&sb, buf, sizeof buf);
	mitig_format(&sb, B(VERW) | B(LFENCE_SWAPGS) | B(PGE));
	assert_string_equal(sb_str(&sb), "lfence_swapgs+verw+pge");
	sb_init(&sb, buf, sizeof buf);
	mitig_format(&sb, MITIG_ALL);
	assert_false(sb.overflow);
	assert_int_equal(strlen(sb_str(&sb)), 91);
	/* the names, in bit order, and the lists agree */
	assert_string_equal(mitig_names[MITIG_BHI_DIS_S], "bhi_dis_s");
	assert_null(mitig_names[MITIG_COUNT]);
	assert_string_equal(mitig_profile_names[PROFILE_WINDOWS], "windows");
	assert_string_equal(mitig_why_text[MITIG_VENDOR], "vendor");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_supported_tcg),
		cmocka_unit_test(test_supported_intel),
		cmocka_unit_test(test_minimal_is_empty),
		cmocka_unit_test(test_skylake),
		cmocka_unit_test(test_haswell),
		cmocka_unit_test(test_icelake),
		cmocka_unit_test(test_alderlake),
		cmocka_unit_test(test_amd),
		cmocka_unit_test(test_tcg),
		cmocka_unit_test(test_hypervisor_bhi),
		cmocka_unit_test(test_other_vendor),
		cmocka_unit_test(test_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
