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

; int kernel_probe(void (*fn)(uint64_t), uint64_t arg): call fn(arg) in
; Ring 0 expecting it may fault (the SMEP and SMAP self-tests). Returns 0
; if it came back, 1 if it faulted: exception.c then records the fault in
; kprobe_fault and resumes at .faulted with the stack as it was here.
global kernel_probe, kprobe_rip, kprobe_rsp
kernel_probe:
	push rbx
	push rbp
	push r12
	push r13
	push r14
	push r15
	sub rsp, 8
	mov [rel kprobe_rsp], rsp
	lea rax, [rel .faulted]
	mov [rel kprobe_rip], rax
	mov rax, rdi
	mov rdi, rsi
	call rax
	xor eax, eax
.out:
	mov qword [rel kprobe_rip], 0
	add rsp, 8
	pop r15
	pop r14
	pop r13
	pop r12
	pop rbp
	pop rbx
	ret
.faulted:
	mov eax, 1
	jmp .out

section .data
kprobe_rip: dq 0
kprobe_rsp: dq 0
