; probe.asm - Ring 0 code that is allowed to fault: reading and writing
; MSRs and performance counters that may not exist (microcode, PMU, dump=),
; and kernel_probe(), which runs a function expected to fault (the SMEP and
; SMAP self-tests). The first kind resume through the extable; kernel_probe
; through kprobe_rip/kprobe_rsp, which exception.c checks.

%include "asm_offsets.inc"
%include "callee_saved.inc"
%include "trapframe.inc"

section .text
; READ_SAFE name, insn: int name(uint32_t ecx, uint64_t *value) runs insn
; (rdmsr or rdpmc: ECX in, EDX:EAX out) and returns 0, or -1 if it faulted -
; #GP for an MSR or counter this CPU or hypervisor lacks, #UD where rdpmc is
; not emulated - for probing microcode and PMU registers without a panic.
%macro READ_SAFE 2
global %1
%1:
	mov ecx, edi
%%insn:
	%2
%%done:
	shl rdx, 32
	or rax, rdx
	mov [rsi], rax
	xor eax, eax
	ret
%%fault:
	mov eax, -1
	ret
EXTABLE %%insn, %%done, %%fault
%endmacro

READ_SAFE rdmsr_safe, rdmsr
READ_SAFE rdpmc_safe, rdpmc

; int wrmsr_safe(uint32_t msr, uint64_t value): 0, or -1 on #GP.
global wrmsr_safe
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

; int kernel_probe(void (*fn)(uint64_t), uint64_t arg): call fn(arg) in
; Ring 0 expecting it may fault (the SMEP and SMAP self-tests). Returns 0
; if it came back, 1 if it faulted: exception.c then records the fault in
; kprobe_fault and resumes at .faulted with the stack as it was here.
global kernel_probe, kprobe_rip, kprobe_rsp
kernel_probe:
	PUSH_CALLEE_SAVED
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
	POP_CALLEE_SAVED
	ret
.faulted:
	mov eax, 1
	jmp .out

section .data
kprobe_rip: dq 0
kprobe_rsp: dq 0
