; stubs.asm - host mode's invoke stubs: the same INVOKE_STUBS as the bare
; kernel's paths (entry/invoke.inc), so the timing code is identical; only
; the crossing differs.
;   linux_syscall  `syscall` with EAX = __NR_getppid (110): Linux's
;                  entry_SYSCALL_64, with whatever mitigations it runs
;   linux_int80    `int 0x80` with EAX = 64 (getppid in the i386 ABI): the
;                  32-bit compat entry from a 64-bit process
;   linux_vdso     a call to the vDSO's clock_gettime(CLOCK_MONOTONIC): no
;                  ring crossing at all, a reference point
; Each baseline is the same stub with the crossing replaced by a NOP of the
; same length.

%define INVOKE_SECTION .text
%include "asm_offsets.inc"
%include "invoke.inc"

section .data
global host_vdso_clock_gettime
align 8
host_vdso_clock_gettime: dq 0
section .bss
align 16
host_timespec: resq 2

%macro VDSO_CALL 0
	mov edi, 1                              ; CLOCK_MONOTONIC
	lea rsi, [rel host_timespec]
	call [rel host_vdso_clock_gettime]      ; FF 15 rel32: 6 bytes
%endmacro
%macro VDSO_BASELINE 0
	mov edi, 1
	lea rsi, [rel host_timespec]
	db 0x66, 0x0F, 0x1F, 0x44, 0x00, 0x00   ; 6-byte NOP
%endmacro

INVOKE_STUBS linux_syscall, {db 0x66, 0x90}, syscall
INVOKE_STUBS linux_int80, {db 0x66, 0x90}, int 0x80
INVOKE_STUBS linux_vdso, VDSO_BASELINE, VDSO_CALL

section .note.GNU-stack noalloc noexec nowrite progbits
