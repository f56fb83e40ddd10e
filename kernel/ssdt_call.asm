; ssdt_call.asm - the asm half of the dispatcher: KiSystemServiceCopyStart
; .. KiSystemServiceCopyEnd and the call, plus the general user copy.
;
; uint64_t ssdt_call(const struct trap_frame *tf, uint64_t routine,
;                    uint64_t user_src, uint64_t nstack)
; Lays out a Windows x64 call frame on the kernel stack - the home area
; (HOME_AREA_SIZE, 32 bytes), then nstack stack arguments copied straight
; from Ring 3 memory at user_src - loads arguments 1-4 from the trap frame's
; R10, RDX, R8, R9 and calls the ms_abi routine, which finds argument 5 at
; its RSP + USER_STACK_ARGS_OFFSET, past the return address.
; A fault inside the copy lands on .fault through the extable and returns
; STATUS_ACCESS_VIOLATION to the caller, as Windows' exception handler on
; the copy does; the kernel goes on.

%include "asm_offsets.inc"
%include "trapframe.inc"

section .text
global ssdt_call
ssdt_call:
	push rbp
	mov rbp, rsp
	lea rax, [rcx*8 + HOME_AREA_SIZE + 15]
	and rax, -16
	sub rsp, rax                    ; 16-aligned at the call, as ms_abi wants
	lea r10, [rsp + HOME_AREA_SIZE] ; argument 5's slot
	test rcx, rcx
	jz .copy_end
	STAC_IF_SMAP
.copy_start:
	mov rax, [rdx]                  ; Ring 3 memory: may fault
	mov [r10], rax
	add rdx, 8
	add r10, 8
	dec rcx
	jnz .copy_start
.copied:
	CLAC_IF_SMAP
.copy_end:
	mov rax, rsi
	mov rcx, [rdi + TF_R10]
	mov rdx, [rdi + TF_RDX]
	mov r8, [rdi + TF_R8]
	mov r9, [rdi + TF_R9]
	call rax
	leave
	ret
.fault:
	CLAC_IF_SMAP
	mov eax, STATUS_ACCESS_VIOLATION
	leave
	ret
EXTABLE ssdt_call.copy_start, ssdt_call.copied, ssdt_call.fault

; int copy_from_user_raw(void *dst, uint64_t src, uint64_t n): 0 or -1.
; The caller has checked the range; only the fault is handled here.
global copy_from_user_raw
copy_from_user_raw:
	mov rcx, rdx
	STAC_IF_SMAP
.copy:
	rep movsb
.copied:
	CLAC_IF_SMAP
	xor eax, eax
	ret
.fault:
	CLAC_IF_SMAP
	mov eax, -1
	ret
EXTABLE copy_from_user_raw.copy, copy_from_user_raw.copied, copy_from_user_raw.fault
