; int2e.asm - `int 0x2e` through a 64-bit interrupt gate: Windows'
; KiSystemService, the way system calls entered NT before sysenter/syscall
; and the path x64 Windows still keeps for them.
;
; Ring 3: mov r10, rcx / mov eax, N / int 0x2e. The CPU checks the gate's
; DPL (3) against CPL, loads RSP0 from the TSS, pushes SS, RSP, RFLAGS, CS,
; RIP, clears IF (interrupt gate, type 0xE) and jumps. Ring 0 (INT_SERVICE_
; ENTRY): error/vector slots, swapgs if from Ring 3, registers, dispatcher,
; swapgs, iretq.

%include "common.inc"

section ENTRY_TEXT
INT_SERVICE_ENTRY int2e_entry, VEC_INT2E, 0

; `int 0x2e` is CD 2E: 2 bytes, like its baseline 66 90
INVOKE_STUBS int2e, {db 0x66, 0x90}, int VEC_INT2E

PATH_BEGIN int2e, 030
PATH_MIRRORS "Windows KiSystemService (int 0x2e)"
PATH_INSTALL IDT, int2e_entry, VEC_INT2E, GATE_INTERRUPT, 0
PATH_DEFAULT
PATH_END
