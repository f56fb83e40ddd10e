; mitig_seq.asm - what the entry mitigations need outside the stubs
; (entry/mitig.inc has the sites, kernel/mitig.c builds the stubs):
;
;   mitig_area          the page of .entry.text the selected path's stub is
;                       built in when it has toggles (mapped in the shadow
;                       space with every other stub: kernel/shadow.c's
;                       allow-list covers all of .entry.text)
;   mitig_verw_sel      verw's memory operand: a valid data selector, in
;                       .entry.text so that it is mapped after the CR3
;                       switch back to the user space
;   mitig_untrain_ret   AMD's return untraining
;   mitig_clear_bhb     the branch-history clearing loop
;   mitig_thunk_r11,    the retpolines of the dispatcher's service call and
;   mitig_jmp_thunk_r10 computed jump (kernel/ssdt_call.asm)
;
; The last four run after the CR3 switch to the kernel, so they live in
; .text, where their alignment is what it is written to be: a copied stub
; calls them, it does not carry them.

%include "asm_offsets.inc"

section .entry.text progbits alloc exec nowrite align=64
global mitig_area, mitig_verw_sel
align 64
mitig_area:
	times MITIG_AREA_SIZE db 0xCC   ; int3 until a stub is built here
align 2
mitig_verw_sel:
	dw SEL_KDATA

section .text
; mitig_untrain_ret - AMD's return untraining (Zen 1/2 retbleed; the SRSO
; safe-RET variants on later parts work alike), called on entry. Executed
; from its first byte the bytes F6 C3 CC are one instruction, test bl, 0xCC,
; whose decode evicts any prediction attached to the RET hidden at +1;
; the lfence waits for that decode; the jmp then runs the hidden byte as
; the RET it is, which returns to the caller. Five instructions with the
; call. (Linux: retbleed_untrain_ret / retbleed_return_thunk.)
global mitig_untrain_ret
align 64
mitig_untrain_ret:
	db 0xF6                         ; test bl, imm8 - ModRM is the ret below
.ret:
	ret                             ; C3
	int3                            ; CC: the test's immediate
	lfence
	jmp .ret
	int3

; mitig_clear_bhb - overwrite the branch history with taken branches the
; user cannot have trained (Intel's BHI guidance; Linux clear_bhb_loop):
; five rounds of a call, then five taken jumps, each branch in a 64-byte
; chunk of its own, nested so the returns unwind last. Uses EAX and ECX.
; 109 instructions, 110 with the call that reaches it:
;   push, mov, mov, call                                   4
;   5 x (call, mov, 5 x (jmp, sub, jnz), sub, jnz)         95
;   the unwinding: ret after the last round, 5 rets at .round  6
;   jmp .done, lfence, pop, ret                            4
global mitig_clear_bhb
align 64
mitig_clear_bhb:
	push rbp
	mov rbp, rsp
	mov ecx, 5
	call .round
	jmp .done
align 64, int3
.round:
	call .taken
	ret
align 64, int3
.taken:
	mov eax, 5
.jump:
	jmp .next
	int3
.next:
	sub eax, 1
	jnz .jump
	sub ecx, 1
	jnz .round
	ret
.done:
	lfence
	pop rbp
	ret

; The retpolines: the branch target is put in place of a return address
; the CPU has just pushed itself, so the RET predicts from the return stack
; buffer into the pause/lfence trap and only ever goes architecturally to
; the target. (Linux __x86_indirect_thunk_r11 / the JMP_NOSPEC form.)
; RETPOLINE name, register: the thunk for a branch through register
%macro RETPOLINE 2
global %1
align 32
%1:
	call %%arm
%%trap:
	pause
	lfence
	jmp %%trap
%%arm:
	mov [rsp], %2
	ret
%endmacro
RETPOLINE mitig_thunk_r11, r11          ; call r11 -> call mitig_thunk_r11
RETPOLINE mitig_jmp_thunk_r10, r10      ; jmp r10 -> jmp mitig_jmp_thunk_r10
