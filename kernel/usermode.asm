; usermode.asm - the one-way trip into Ring 3 at boot.
;
; noreturn void enter_user(uint64_t rip, uint64_t rsp, uint64_t arg)
; Builds the frame iretq pops (SS, RSP, RFLAGS, CS, RIP) with Ring 3
; selectors and IF clear (no timer is programmed; nothing may interrupt a
; sample), parks the kernel GS in KERNEL_GS_BASE with swapgs, clears every
; register that could leak kernel values, and drops to Ring 3 with
; arg in RDI.

%include "asm_offsets.inc"

section .text
global enter_user
enter_user:
	push SEL_UDATA | RPL3
	push rsi
	push 0x2                        ; RFLAGS: reserved bit 1 only, IF = 0
	push SEL_UCODE64 | RPL3
	push rdi
	mov rdi, rdx
	xor eax, eax
	xor ebx, ebx
	xor ecx, ecx
	xor edx, edx
	xor esi, esi
	xor ebp, ebp
	xor r8d, r8d
	xor r9d, r9d
	xor r10d, r10d
	xor r11d, r11d
	xor r12d, r12d
	xor r13d, r13d
	xor r14d, r14d
	xor r15d, r15d
	swapgs
	iretq
