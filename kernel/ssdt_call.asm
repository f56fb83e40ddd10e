; ssdt_call.asm - the asm half of the dispatcher: KiSystemServiceCopyStart
; .. KiSystemServiceCopyEnd and the call, plus the general user copy.
;
; uint64_t ssdt_call(const struct trap_frame *tf, uint64_t routine,
;                    uint64_t user_src, uint64_t nstack)
; Lays out a Windows x64 call frame on the kernel stack - 32-byte home area,
; then stack arguments copied straight from Ring 3 memory - loads arguments
; 1-4 from the trap frame's R10, RDX, R8, R9 and calls the ms_abi routine.
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
	lea rax, [rcx*8 + 0x20 + 15]
	and rax, -16
	sub rsp, rax                    ; 16-aligned at the call, as ms_abi wants
	lea r10, [rsp + 0x20]
.copy_start:
	test rcx, rcx
	jz .copy_end
.copy_one:
	mov rax, [rdx]                  ; Ring 3 memory: may fault
	mov [r10], rax
	add rdx, 8
	add r10, 8
	dec rcx
	jnz .copy_one
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
	mov eax, STATUS_ACCESS_VIOLATION
	leave
	ret
EXTABLE ssdt_call.copy_start, ssdt_call.copy_end, ssdt_call.fault

; int copy_from_user_raw(void *dst, uint64_t src, uint64_t n): 0 or -1.
; The caller has checked the range; only the fault is handled here.
global copy_from_user_raw
copy_from_user_raw:
	mov rcx, rdx
.copy:
	rep movsb
.copied:
	xor eax, eax
	ret
.fault:
	mov eax, -1
	ret
EXTABLE copy_from_user_raw.copy, copy_from_user_raw.copied, copy_from_user_raw.fault

; int rdmsr_safe(uint32_t msr, uint64_t *value) / int wrmsr_safe(uint32_t msr,
; uint64_t value): 0, or -1 if the MSR raised #GP (absent on this CPU or
; hypervisor) - for probing microcode and PMU registers without a panic.
global rdmsr_safe, wrmsr_safe
rdmsr_safe:
	mov ecx, edi
.read:
	rdmsr
.read_done:
	shl rdx, 32
	or rax, rdx
	mov [rsi], rax
	xor eax, eax
	ret
.fault:
	mov eax, -1
	ret
EXTABLE rdmsr_safe.read, rdmsr_safe.read_done, rdmsr_safe.fault

wrmsr_safe:
	mov ecx, edi
	mov eax, esi
	mov rdx, rsi
	shr rdx, 32
.write:
	wrmsr
.write_done:
	xor eax, eax
	ret
.fault:
	mov eax, -1
	ret
EXTABLE wrmsr_safe.write, wrmsr_safe.write_done, wrmsr_safe.fault

; int rdpmc_safe(uint32_t counter, uint64_t *value): 0, or -1 if rdpmc
; faulted (#GP for a counter that does not exist, #UD where it is not
; emulated).
global rdpmc_safe
rdpmc_safe:
	mov ecx, edi
.read:
	rdpmc
.read_done:
	shl rdx, 32
	or rax, rdx
	mov [rsi], rax
	xor eax, eax
	ret
.fault:
	mov eax, -1
	ret
EXTABLE rdpmc_safe.read, rdpmc_safe.read_done, rdpmc_safe.fault
