; exc_ud.asm - a timed invalid-opcode fault from Ring 3: `ud2` (0F 0B).
;
; A fault: #UD (vector 6) is delivered with the saved RIP at ud2 itself, so
; returning unchanged would fault forever. The handler checks the vector
; and the bytes at RIP, and steps RIP over the two bytes (what a debugger or
; an emulator does). Windows: KiInvalidOpcodeFault; Linux: exc_invalid_op.
; Baseline: the 2-byte NOP 66 90.

%include "common.inc"

INVOKE_STUBS exc_ud, {db 0x66, 0x90}, ud2

PATH_BEGIN exc_ud, 120
PATH_MIRRORS "Windows KiInvalidOpcodeFault, Linux exc_invalid_op"
PATH_INSTALL EXCEPTION
PATH_EXPECT 6, {0x0F, 0x0B}
PATH_END
