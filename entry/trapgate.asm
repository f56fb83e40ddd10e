; trapgate.asm - the int2e path through a trap gate (type 0xF) on a vector
; of its own (0x2B), so both gates are measured in one boot.
;
; A trap gate differs from an interrupt gate only in leaving RFLAGS.IF as it
; was; everything else - DPL 3 check, RSP0, the pushed frame, our stub - is
; the int2e path's. (Ring 3 runs with IF = 0 here, no timer being
; programmed, so IF stays 0 either way; the cost difference is the CPU's.)

%include "common.inc"

section ENTRY_TEXT
INT_SERVICE_ENTRY trapgate_entry, VEC_TRAPGATE, 0

INVOKE_STUBS trapgate, {db 0x66, 0x90}, int VEC_TRAPGATE

PATH_BEGIN trapgate, 040
PATH_MIRRORS "int 0x2b through a trap gate (no OS counterpart)"
PATH_INSTALL IDT, trapgate_entry, VEC_TRAPGATE, GATE_TRAP, 0
PATH_DEFAULT
PATH_END
