; exc_bp.asm - a timed breakpoint trap from Ring 3: `int3` (CC).
;
; A trap: the CPU delivers #BP (vector 3, a DPL 3 interrupt gate, so Ring 3
; may raise it) with the saved RIP already past the instruction, so the
; handler (kernel/exc_paths.c, after the common exception stub) checks the
; vector and that the byte before RIP is CC, and returns to RIP unchanged.
; Windows: KiBreakpointTrap; Linux: exc_int3. Baseline: the 1-byte NOP.

%include "common.inc"

INVOKE_STUBS exc_bp, {db 0x90}, int3

PATH_BEGIN exc_bp, 110
PATH_MIRRORS "Windows KiBreakpointTrap, Linux exc_int3"
PATH_INSTALL EXCEPTION
PATH_EXPECT 3, {0xCC}
PATH_TRAP
PATH_END
