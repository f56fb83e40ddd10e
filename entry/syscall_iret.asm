; syscall_iret.asm - enter by SYSCALL, always leave by IRETQ.
;
; Linux leaves a system call through iret instead of sysret whenever sysret
; is unsafe or cannot restore the state (a non-canonical or changed RIP, a
; changed RCX/R11, TF set, after ptrace or a signal): entry_SYSCALL_64's
; swapgs_restore_regs_and_return_to_usermode. This path measures that exit:
; the same entry as `syscall` (swapgs, user RSP to the per-CPU block, kernel
; stack, trap frame, dispatcher), then swapgs and iretq with RCX and R11 set
; as sysret would have set them. The difference from the `syscall` row is
; the cost of IRETQ over SYSRETQ.

%include "common.inc"

section ENTRY_TEXT
SYSCALL_ENTRY syscall_iret_entry, iret, 0

INVOKE_STUBS syscall_iret, {db 0x66, 0x90}, syscall

PATH_BEGIN syscall_iret, 020
PATH_MIRRORS "Linux entry_SYSCALL_64 leaving by iretq (swapgs_restore_regs_and_return_to_usermode)"
PATH_INSTALL LSTAR, syscall_iret_entry
PATH_END
