; isr.asm - one stub per exception vector 0-31, all ending in C.
;
; The CPU pushes an error code for some vectors only; the stubs push a 0 for
; the others so every frame is a struct trap_frame. If the exception came
; from Ring 3 (CS.RPL = 3) we swapgs (and leave a shadow address space) on
; the way in and undo it on the way out, so Ring 0 always runs with the
; kernel's GS and page tables. exception_dispatch() fixes the frame up
; (extable, a Ring 3 recovery point) or reports the exception and ends the
; run; it never guesses. Lives in .entry.text: mapped in the shadow address
; space, because the CPU jumps here before any CR3 switch.

%include "asm_offsets.inc"
%include "trapframe.inc"

extern exception_dispatch

%macro ISR_NOERR 1
isr_%1:
	push 0
	push %1
	jmp isr_common
%endmacro
%macro ISR_ERR 1
isr_%1:
	push %1
	jmp isr_common
%endmacro

section ENTRY_TEXT
align 16
isr_common:
	INTERRUPT_BODY exception_dispatch

ISR_NOERR 0
ISR_NOERR 1
ISR_NOERR 2
ISR_NOERR 3
ISR_NOERR 4
ISR_NOERR 5
ISR_NOERR 6
ISR_NOERR 7
ISR_ERR   8
ISR_NOERR 9
ISR_ERR   10
ISR_ERR   11
ISR_ERR   12
ISR_ERR   13
ISR_ERR   14
ISR_NOERR 15
ISR_NOERR 16
ISR_ERR   17
ISR_NOERR 18
ISR_NOERR 19
ISR_NOERR 20
ISR_ERR   21
ISR_NOERR 22
ISR_NOERR 23
ISR_NOERR 24
ISR_NOERR 25
ISR_NOERR 26
ISR_NOERR 27
ISR_NOERR 28
ISR_ERR   29
ISR_ERR   30
ISR_NOERR 31
ISR_NOERR 64            ; VEC_DPL0_PROBE: only ever reached if Ring 0 raised it

section .rodata
global isr_stub_table, isr_dpl0_probe
isr_dpl0_probe:
	dq isr_64
isr_stub_table:
%assign v 0
%rep 32
	dq isr_%+v
%assign v v+1
%endrep
