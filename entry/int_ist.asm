; int_ist.asm - the int2e path again, but its gate names an IST stack.
;
; With IST = 4 in the interrupt gate at 0x2E, the CPU loads RSP from
; TSS.IST4 instead of TSS.RSP0 on every entry - unconditionally, even from
; Ring 0 - which is how Windows and Linux give NMI, #DF and #MC a known-good
; stack. Same trap frame, dispatcher and iretq as int2e; the row shows what
; the IST switch costs, if anything.

%include "common.inc"

section ENTRY_TEXT
INT_SERVICE_ENTRY int_ist_entry, VEC_INT2E, 0

INVOKE_STUBS int_ist, {db 0x66, 0x90}, int VEC_INT2E

PATH_BEGIN int_ist, 100
PATH_MIRRORS "an IST gate, as Windows and Linux give NMI, #DF and #MC"
PATH_INSTALL IDT, int_ist_entry, VEC_INT2E, GATE_INTERRUPT, IST_SERVICE
PATH_END
