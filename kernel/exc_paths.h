#ifndef RINGTRIP_EXC_PATHS_H
#define RINGTRIP_EXC_PATHS_H
#include "trapframe.h"

/* What the selected exception path's handler expects: the vector, the
 * error code, the instruction at (or, for a trap, just before) the saved
 * RIP, and what to do to resume. Fixed-width fields: entry/path.inc emits
 * it inside each exception path's descriptor (EXC_* offsets). */
struct exc_expect {
	uint64_t error;
	uint64_t tcg_error;          /* what QEMU TCG reports instead, if it
					deviates from the SDM (accepted there only) */
	uint32_t vector;
	uint32_t has_error;
	uint32_t len;
	uint32_t trap;               /* RIP already points past the instruction */
	uint32_t map_page;           /* exc_pf: map USER_PF_VA and re-execute */
	uint8_t insn[4];
};

void exc_paths_init(void);                       /* the #PF page, the DPL 0 gate */
void exc_select(const struct exc_expect *e);    /* NULL: none */
/* Handle tf if it is the selected path's exception from Ring 3: 1, with
 * tf->rax = STATUS_SUCCESS if every check held, else STATUS_EXCEPTION_CHECK. */
int exc_path_handle(struct trap_frame *tf);
uint64_t exc_reset(void);                       /* SVC_EXC_RESET */

#endif
