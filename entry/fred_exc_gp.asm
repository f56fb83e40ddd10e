; fred_exc_gp.asm - exc_gp with FRED on: `int 0x40` (CD 40) from Ring 3.
;
; The same crossing as exc_gp, but not the same event: under the IDT the
; CPU refuses 0x40's DPL 0 gate and raises #GP((0x40 << 3) | 2) at the
; int. FRED has no gates: the CPU delivers `int 0x40` as a software
; interrupt (type 4), vector 0x40, RIP past it, and the kernel decides
; that Ring 3 may not raise it. As Linux's fred_intx does for every vector
; it does not offer, the handler is the #GP one with error code 0 and RIP
; left past the instruction: the trap frame says vector 13, and the checks
; are vector 13, error 0, CD 40 before RIP (so PATH_TRAP: resume at RIP).
; The hot path does that conversion by its vector slot (13; FRED wrote 0
; in the error-code slot) and calls exception_dispatch; ERETU.
; Linux: fred_entry_from_user -> fred_intx -> exc_general_protection(regs, 0).

%include "common.inc"

FRED_ENTRY_PAGE fred_exc_gp_entry, FRED_TYPE_SWINT, VEC_DPL0_PROBE, 13, exception_dispatch

INVOKE_STUBS fred_exc_gp, {db 0x66, 0x90}, int VEC_DPL0_PROBE

PATH_BEGIN fred_exc_gp, 240
PATH_MIRRORS "Linux fred_entry_from_user -> fred_intx -> exc_general_protection(regs, 0)"
PATH_INSTALL FRED_EXCEPTION, fred_exc_gp_entry
PATH_EXPECT 13, {0xCD, VEC_DPL0_PROBE}
PATH_ERROR_CODE 0
PATH_TRAP
PATH_END
