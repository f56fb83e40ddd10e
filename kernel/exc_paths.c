/* exc_paths.c - the Ring 0 half of the timed exception round trips
 * (exc_bp, exc_ud, exc_de, exc_pf, exc_gp). The exception stub builds the
 * usual trap frame; this checks the event is exactly the one the path
 * raises - vector, error code, the instruction at the saved RIP - and
 * resumes as the architecture says: a trap (int3) already points past its
 * instruction; a fault is either skipped (ud2, div, int n) or fixed and
 * re-executed (the write to the not-present page, which gets mapped). A
 * failed check does not stop the run: RAX says so and the row's status
 * counts it. */
#include "exc_paths.h"
#include "abi.h"
#include "cpu.h"
#include "idt.h"
#include "paging.h"
#include "qemu_detect.h"
#include "shadow.h"
#include "ssdt.h"

extern const uint64_t isr_dpl0_probe[];
static const struct exc_expect *active;
static uint64_t pf_page;
static int tcg;         /* read on every #GP sample: a flag, not a call */

void exc_paths_init(void)
{
	tcg = running_on_tcg();
	pf_page = phys_alloc_page();
	if (pf_page)    /* mapped at USER_PF_VA only while a sample needs it */
		shadow_allow_user("exc_pf's page", USER_PF_VA, pf_page, PAGE_SIZE,
				  PTE_W | PTE_NX);
	idt_set_gate(VEC_DPL0_PROBE, isr_dpl0_probe[0], GATE_INTERRUPT, 0, 0);
}

void exc_select(const struct exc_expect *e)
{
	active = e;
	exc_reset();
}

static int insn_matches(const struct trap_frame *tf)
{
	uint8_t got[4];
	uint64_t at = active->trap ? tf->rip - active->len : tf->rip;
	if (copy_from_user(got, at, active->len))
		return 0;
	for (unsigned i = 0; i < active->len; i++)
		if (got[i] != active->insn[i])
			return 0;
	return 1;
}

int exc_path_handle(struct trap_frame *tf)
{
	if (!active || !(tf->cs & 3) || tf->vector != active->vector)
		return 0;
	int ok = insn_matches(tf) &&
		 (!active->has_error || tf->error_code == active->error ||
		  (tcg && active->tcg_error && tf->error_code == active->tcg_error)) &&
		 (!active->map_page || read_cr2() == USER_PF_VA);
	tf->rax = ok ? STATUS_SUCCESS : STATUS_EXCEPTION_CHECK;
	if (active->map_page && ok && pf_page) {
		pt_map(kernel_pml4(), USER_PF_VA, pf_page, PTE_U | PTE_W | PTE_NX);
		return 1;                       /* re-execute the write */
	}
	if (!active->trap)
		tf->rip += active->len;         /* step over the faulting insn */
	return 1;
}

uint64_t exc_reset(void)
{
	pt_unmap(kernel_pml4(), USER_PF_VA);   /* the next sample faults again */
	return STATUS_SUCCESS;
}
