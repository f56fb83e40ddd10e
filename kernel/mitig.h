/*
 * mitig.h - the entry mitigations in Ring 0: probing what the CPU can run,
 * building a path's entry stub with exactly the toggles asked for, and the
 * per-CPU state the toggles need (IA32_SPEC_CTRL values, MXCSR, global
 * pages, interrupts that can be enabled without anything arriving).
 *
 * How a toggle costs the minimal path nothing: every entry stub is
 * assembled twice from one macro (entry/mitig.inc, MITIG_STUB). The stub
 * the path declares is the minimal one, with no trace of any toggle. The
 * second copy, the template, is assembled with every toggle's sequence in
 * place, each between two labels recorded as a site (struct mitig_site),
 * and with every branch whose span might cross a site - or that leaves
 * the stub - recorded too (struct mitig_reloc). Selecting a path with a
 * non-empty set copies the template into a page of .entry.text (mapped in
 * the shadow space, like every stub) leaving out the sites of the toggles
 * not asked for, re-aims the recorded branches, and points the path's MSR,
 * gate or descriptor at the copy. Nothing is patched into a stub that runs
 * without toggles, so no NOP is ever executed for a toggle that is off.
 */
#ifndef RINGTRIP_MITIG_KERNEL_H
#define RINGTRIP_MITIG_KERNEL_H
#include <stdint.h>
#include "../lib/mitig.h"

#define MSR_IA32_SPEC_CTRL      0x48
#define MSR_IA32_PRED_CMD       0x49
#define MSR_IA32_ARCH_CAPS      0x10A
#define SPEC_CTRL_IBRS          (1ull << 0)
#define SPEC_CTRL_BHI_DIS_S     (1ull << 10)
#define PRED_CMD_IBPB           1

/* one template site: its bytes, its toggle, where it sits, the
 * instructions it executes when it runs (the tests hold the count to
 * what -icount measures) */
#define MSITE_ENTRY   1     /* on the way in */
#define MSITE_EXIT    2     /* on the way out */
#define MSITE_SLOW    4     /* on an exit the timed rows never take (the
			       iretq fallback of a sysret path) */
struct mitig_site {
	const uint8_t *start, *end;
	uint32_t toggle;            /* enum mitig_toggle */
	uint32_t flags;             /* MSITE_* */
	uint32_t insns;
	uint32_t pad;
};
_Static_assert(sizeof(struct mitig_site) == 32, "entry/mitig.inc emits 32 bytes");

/* a rel32 branch in a template: its field ends at field_end (the end of
 * the instruction), its target is target */
struct mitig_reloc {
	const uint8_t *field_end;
	const uint8_t *target;
};

/* an iretq in a template and the .iret_user slot that names its copy */
struct mitig_iret {
	const uint8_t *iret;
	uint64_t *slot;
};

/* one template: the minimal stub it belongs to, and its bytes */
struct mitig_template {
	const void *entry;
	const uint8_t *start, *end;
};

/* the page the selected path's stub is built in (kernel/mitig_seq.asm) */
#define MITIG_AREA_SIZE 4096

struct path_desc;
struct rt_shared;

/* Read the CPU (CPUID, IA32_ARCH_CAPABILITIES), probe the MSR writes the
 * toggles need, and publish what the CPU can run and what the command line
 * asked for in the shared page. */
void mitig_init(struct rt_shared *sh, int profile, int64_t requested);
/* Print, as '# key=value' lines, the CPU facts the profiles read and, per
 * path, every toggle's instructions on the entry and on the exit. */
void mitig_describe(void);
/* *entry = the entry to install for p with the toggles in set, after
 * putting the per-CPU state they need in place: p->entry itself for the
 * empty set, else the stub built from p's template. -1 (nothing to
 * install) if set names a toggle this CPU cannot run, or p has no
 * template, or its stub cannot be built. */
int mitig_select(const struct path_desc *p, uint32_t set, const void **entry);
/* the state of the empty set: SPEC_CTRL as the firmware left it, no
 * global pages (PATH_NONE: back to the boot-time defaults) */
void mitig_reset(void);
/* entry has a template: the toggles apply to its path */
int mitig_has_template(const void *entry);

#endif
