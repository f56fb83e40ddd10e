; control.asm - Ring 3's call into the control gate (int 0x2F; see
; kernel/control_gate.asm). Untimed; arguments in the NT registers.
;
; uint64_t control_call(uint64_t number, uint64_t a1, uint64_t a2, uint64_t a3)

%include "asm_offsets.inc"

section .text
global control_call
control_call:
	mov eax, edi
	mov r10, rsi
	; a2 is already in rdx
	mov r8, rcx
	int VEC_CONTROL
	ret
