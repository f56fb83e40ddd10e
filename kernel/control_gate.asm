; control_gate.asm - int 0x2F, the harness's line to the kernel.
;
; Printing, choosing an entry path and ending the run are system services
; like any other (abi.h SVC_PRINT...), but they must work whichever path is
; being measured, so they have a gate of their own: a DPL 3 interrupt gate
; whose stub builds the common trap frame and calls the same dispatcher.
; Nothing here is timed.

%include "asm_offsets.inc"
%include "trapframe.inc"

extern ssdt_dispatch_frame

section ENTRY_TEXT
global control_gate_entry
align 16
control_gate_entry:
	push 0                          ; error code
	push VEC_CONTROL
	INTERRUPT_BODY ssdt_dispatch_frame, .fred_exit
; SVC_SELECT_PATH chose a FRED path: leave by ERETU (trapframe.inc). With
; FRED on, the control gate is not this stub but the FRED entry page's
; handling of int 0x2F (entry/fred_entry.inc, kernel/fred.c).
.fred_exit:
	FRED_EXIT_FROM_IDT
