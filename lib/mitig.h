/*
 * mitig.h - the entry mitigations ringtrip can put on every path, and which
 * of them Linux and Windows would put there on a given CPU.
 *
 * Everything here is pure: the kernel fills struct mitig_cpu from CPUID and
 * IA32_ARCH_CAPABILITIES, and the same functions decide in Ring 3, in host
 * mode and in the host unit tests (tests/unit/test_mitig.c). lib/ includes
 * nothing from kernel/ and knows no path: a path is described by what its
 * entry looks like (struct mitig_path).
 *
 * Where each toggle sits in the entry and exit, and the Windows and Linux
 * code it stands for, is in entry/mitig.inc; why each profile enables it on
 * which CPU is in lib/mitig.c and the README's table.
 */
#ifndef RINGTRIP_MITIG_H
#define RINGTRIP_MITIG_H
#include <stdint.h>
#include "fmt.h"

/*
 * The toggles, the one list: X(enumerator, name, screen label). The name
 * is what mitigations= takes and what the CSV's `mitigations` column lists
 * ('+' between them); bit i of a mitigation set is entry i. New ones go at
 * the end (the bit numbers are in captures' metadata).
 */
#define MITIG_X(X) \
	X(MITIG_LFENCE_SWAPGS, lfence_swapgs, "lfsg") \
	X(MITIG_IBRS,          ibrs,          "ibrs") \
	X(MITIG_IBPB,          ibpb,          "ibpb") \
	X(MITIG_RSB_FILL,      rsb_fill,      "rsb") \
	X(MITIG_BHB_CLEAR,     bhb_clear,     "bhb") \
	X(MITIG_BHI_DIS_S,     bhi_dis_s,     "bhis") \
	X(MITIG_VERW,          verw,          "verw") \
	X(MITIG_UNTRAIN_RET,   untrain_ret,   "untr") \
	X(MITIG_RETPOLINE,     retpoline,     "retp") \
	X(MITIG_FPU,           fpu,           "fpu") \
	X(MITIG_STI,           sti,           "sti") \
	X(MITIG_PGE,           pge,           "pge")

#define MITIG_ENUM_(e, name, label) e,
enum mitig_toggle { MITIG_X(MITIG_ENUM_) MITIG_COUNT };
#define MITIG_BIT(t) (1u << (t))
#define MITIG_ALL ((1u << MITIG_COUNT) - 1)

/* The same list in options.h's FIRST/REST form, for mitigations= */
#define OPT_MITIG_NAMES(FIRST, REST) \
	FIRST(MITIG_LFENCE_SWAPGS, lfence_swapgs) REST(MITIG_IBRS, ibrs) \
	REST(MITIG_IBPB, ibpb) REST(MITIG_RSB_FILL, rsb_fill) \
	REST(MITIG_BHB_CLEAR, bhb_clear) REST(MITIG_BHI_DIS_S, bhi_dis_s) \
	REST(MITIG_VERW, verw) REST(MITIG_UNTRAIN_RET, untrain_ret) \
	REST(MITIG_RETPOLINE, retpoline) REST(MITIG_FPU, fpu) \
	REST(MITIG_STI, sti) REST(MITIG_PGE, pge)

/* profile=: whose entry every main row gets. minimal: none (the crossing,
 * the trap frame and the dispatcher alone) */
#define OPT_PROFILE_NAMES(FIRST, REST) \
	FIRST(PROFILE_MINIMAL, minimal) REST(PROFILE_LINUX, linux) \
	REST(PROFILE_WINDOWS, windows)
#define MITIG_PROFILE_ENUM_(e, name) e,
enum mitig_profile { OPT_PROFILE_NAMES(MITIG_PROFILE_ENUM_, MITIG_PROFILE_ENUM_) MITIG_PROFILES };

extern const char *const mitig_names[];      /* MITIG_COUNT + NULL */
extern const char *const mitig_labels[];     /* short, for the screen */
extern const char *const mitig_profile_names[];

/* --- what the decisions read ---------------------------------------------- */

enum mitig_vendor { MV_OTHER, MV_INTEL, MV_AMD, MV_HYGON };

/* CPUID bits (struct mitig_cpu.feat) */
#define MF_SPEC_CTRL  (1u << 0)   /* IA32_SPEC_CTRL.IBRS: Intel 7.EDX[26], AMD 8000_0008.EBX[14] */
#define MF_IBPB       (1u << 1)   /* IA32_PRED_CMD.IBPB: Intel 7.EDX[26], AMD 8000_0008.EBX[12] */
#define MF_ARCH_CAPS  (1u << 2)   /* IA32_ARCH_CAPABILITIES: 7.EDX[29] */
#define MF_MD_CLEAR   (1u << 3)   /* VERW clears buffers: 7.EDX[10] */
#define MF_BHI_CTRL   (1u << 4)   /* SPEC_CTRL.BHI_DIS_S: 7.2.EDX[4] */
#define MF_PCID       (1u << 5)   /* 1.ECX[17] */
#define MF_INVPCID    (1u << 6)   /* 7.EBX[10] */
#define MF_SMAP       (1u << 7)   /* 7.EBX[20] */
#define MF_FSGSBASE   (1u << 8)   /* 7.EBX[0] */
#define MF_RTM        (1u << 9)   /* 7.EBX[11] */
#define MF_HYPERVISOR (1u << 10)  /* 1.ECX[31] */
#define MF_AUTOIBRS   (1u << 11)  /* AMD 8000_0021.EAX[8] */
#define MF_BTC_NO     (1u << 12)  /* AMD 8000_0008.EBX[29] */
#define MF_SRSO_NO    (1u << 13)  /* AMD 8000_0021.EAX[29] */
#define MF_SSE2       (1u << 14)  /* 1.EDX[26]: LFENCE, the XMM moves */
#define MF_FXSR       (1u << 15)  /* 1.EDX[24]: CR4.OSFXSR, LDMXCSR */
#define MF_PGE        (1u << 16)  /* 1.EDX[13] */
#define MF_MSR_OK     (1u << 17)  /* the kernel's probe: the SPEC_CTRL and
				     PRED_CMD writes the CPUID bits promise
				     did not fault (a hypervisor may lie) */

/* IA32_ARCH_CAPABILITIES (MSR 0x10A) bits the decisions read */
#define AC_RDCL_NO     (1ull << 0)   /* not affected by Meltdown */
#define AC_IBRS_ALL    (1ull << 1)   /* enhanced IBRS */
#define AC_RSBA        (1ull << 2)   /* RET may predict from the BTB */
#define AC_MDS_NO      (1ull << 5)
#define AC_TSX_CTRL    (1ull << 7)
#define AC_TAA_NO      (1ull << 8)
#define AC_RRSBA       (1ull << 19)
#define AC_BHI_NO      (1ull << 20)
#define AC_RFDS_NO     (1ull << 27)
#define AC_RFDS_CLEAR  (1ull << 28)

struct mitig_cpu {
	uint32_t vendor;     /* enum mitig_vendor */
	uint32_t family;     /* displayed family (base + extended) */
	uint32_t model;      /* displayed model (extended << 4 | base) */
	uint32_t feat;       /* MF_* */
	uint64_t arch_caps;  /* 0 where the MSR is not enumerated */
};

/* What a path's entry looks like, as far as the decisions care */
struct mitig_path {
	uint8_t int_gate;    /* entered through an IDT gate: the swapgs is
				conditional on the saved CS (Linux idtentry,
				Windows KiSystemService) */
	uint8_t shadow;      /* runs on the KVA-shadow / KPTI space: a CR3
				write on entry */
	uint8_t pcid;        /* ... with PCIDs (no flush on the CR3 writes) */
	uint8_t pad;
};

/* --- what the CPU can run --------------------------------------------------- */

/* Why a toggle cannot run here: MITIG_WHY_* (0: it can) */
#define MITIG_WHY_X(X) \
	X(MITIG_OK,           "ok") \
	X(MITIG_NO_SPEC_CTRL, "no-spec-ctrl") \
	X(MITIG_NO_PRED_CMD,  "no-pred-cmd") \
	X(MITIG_NO_MD_CLEAR,  "no-md-clear") \
	X(MITIG_NO_BHI_CTRL,  "no-bhi-ctrl") \
	X(MITIG_VENDOR,       "vendor") \
	X(MITIG_NO_SSE2,      "no-sse2") \
	X(MITIG_NO_FXSR,      "no-fxsr") \
	X(MITIG_NO_PGE,       "no-pge") \
	X(MITIG_MSR_FAULTS,   "msr-faults") \
	X(MITIG_NOT_PROBED,   "not-probed")
#define MITIG_WHY_ENUM_(e, text) e,
enum mitig_why { MITIG_WHY_X(MITIG_WHY_ENUM_) MITIG_WHYS };
extern const char *const mitig_why_text[];   /* "no-spec-ctrl", ... */

/* The toggles this CPU can run; why[t] says why not for the others (may be
 * NULL). A toggle that is not in the result is never executed. */
uint32_t mitig_supported(const struct mitig_cpu *cpu, uint8_t why[MITIG_COUNT]);

/* --- what each OS would do --------------------------------------------------- */

/* The toggles profile puts on path's entry and exit on this CPU, before
 * intersecting with what the CPU can run (so a wanted toggle the CPU lacks
 * can be reported). PROFILE_MINIMAL: 0. */
uint32_t mitig_profile_set(int profile, const struct mitig_cpu *cpu,
			   const struct mitig_path *path);

/* Would that OS run with a KVA-shadow / KPTI address space here, and with
 * PCIDs? (Which of ringtrip's paths it would take for a system call.) */
int mitig_profile_kpti(int profile, const struct mitig_cpu *cpu);
int mitig_profile_pcid(int profile, const struct mitig_cpu *cpu);

/* "a+b+c", or "none" for the empty set */
void mitig_format(struct sbuf *sb, uint32_t set);

#endif
