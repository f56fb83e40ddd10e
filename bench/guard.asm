; guard.asm - run a function that is expected to fault, and survive it.
;
; int guarded(void (*fn)(void *), void *arg)
; Arms the kernel's recovery point (SVC_SET_RECOVERY) with the address of
; .recovered and the current RSP, calls fn(arg), and disarms. If fn faults in
; Ring 3 (or the return to Ring 3 faults), the kernel records the fault in
; the shared page and resumes at .recovered with this RSP: returns 1.
; Returns 0 if fn came back normally.

%include "asm_offsets.inc"
%include "callee_saved.inc"

section .text
global guarded
guarded:
	PUSH_CALLEE_SAVED
	sub rsp, 8                      ; 16-aligned for the call below
	mov r12, rdi
	mov r13, rsi
	mov eax, SVC_SET_RECOVERY
	lea r10, [rel .recovered]
	mov rdx, rsp
	int VEC_CONTROL
	mov rdi, r13
	call r12
	mov eax, SVC_SET_RECOVERY
	xor r10d, r10d
	xor edx, edx
	int VEC_CONTROL
	xor eax, eax
	jmp .out
.recovered:
	mov eax, 1
.out:
	add rsp, 8
	POP_CALLEE_SAVED
	ret
