; syscall.asm - the `syscall` path: SYSCALL in, SYSRETQ out.
;
; Ring 3 (ntdll's NtXxx stub):  mov r10, rcx / mov eax, N / syscall
; The CPU: RCX <- return RIP, R11 <- RFLAGS, RFLAGS &= ~SFMASK (IF, TF, DF,
; NT now clear), CS/SS <- STAR[47:32] (kernel), RIP <- LSTAR. Nothing else:
; RSP is still the user's and GS the user's, so the first instructions must
; get to a trustworthy stack without touching it.
;
; Ring 0, step by step (Windows KiSystemCall64, Linux entry_SYSCALL_64):
;  1. swapgs: GS now addresses the per-CPU block (KPCR / cpu_tss_rw).
;  2. save the user RSP in the per-CPU scratch slot (KPCR.UserRsp /
;     cpu_tss_rw.sp2) and load the kernel stack top (KPRCB.RspBase /
;     cpu_current_top_of_stack).
;  3. build an iretq-shaped trap frame (SS, RSP, RFLAGS=R11, CS, RIP=RCX,
;     error, vector, then the general registers): KTRAP_FRAME / pt_regs.
;  4. call the dispatcher, which writes the NTSTATUS into the frame's RAX.
;  5. restore the registers, then leave by SYSRETQ: RIP <- RCX, RFLAGS <-
;     R11, CS/SS <- STAR[63:48] + 16 / + 8, RPL 3. Before that, swapgs back.
;  6. except when the return RIP is not canonical: Intel's SYSRET would
;     raise #GP in Ring 0 on the user's stack (CVE-2012-0217), so we return
;     by iretq instead, as Linux does; there the fault, if any, is taken
;     with a proper frame.
; The code is SYSCALL_ENTRY in syscall_entry.inc, shared with the other
; syscall-entered paths.

%include "common.inc"

section ENTRY_TEXT
SYSCALL_ENTRY syscall_entry, sysret, 0

; Ring 3: the crossing is the 2-byte `syscall` (0F 05); its baseline is the
; 2-byte NOP 66 90.
INVOKE_STUBS syscall, {db 0x66, 0x90}, syscall

PATH_BEGIN syscall, 010
PATH_MIRRORS "minimal: the crossing of Windows KiSystemCall64 and Linux entry_SYSCALL_64, no mitigations (profile= adds them)"
PATH_INSTALL LSTAR, syscall_entry
PATH_FLAGS PATH_SYSRET_EXIT
PATH_DEFAULT
PATH_END
