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

%include "asm_offsets.inc"
%include "trapframe.inc"
%include "invoke.inc"

extern ssdt_dispatch

section .text
global syscall_entry
align 16
syscall_entry:
	swapgs
	mov [gs:PCPU_USER_RSP], rsp
	mov rsp, [gs:PCPU_KERNEL_RSP]
	push SEL_UDATA | RPL3           ; SS
	push qword [gs:PCPU_USER_RSP]   ; RSP
	push r11                        ; RFLAGS
	push SEL_UCODE64 | RPL3         ; CS
	push rcx                        ; RIP
	push 0                          ; error code
	push TF_VECTOR_SYSCALL
	PUSH_GPRS
	mov rdi, rsp
	call ssdt_dispatch
	POP_GPRS
	add rsp, 16                     ; vector, error code: RSP -> RIP slot
	mov rcx, [rsp]
	mov r11, rcx
	shl r11, 16
	sar r11, 16                     ; sign-extend bit 47
	cmp r11, rcx
	jne .iret_exit
	mov r11, [rsp + 16]             ; RFLAGS
	mov rsp, [rsp + 24]             ; user RSP: no kernel stack from here on
	swapgs
	o64 sysret
.iret_exit:
	inc qword [gs:PCPU_IRET_FALLBACKS]
	mov r11, [rsp + 16]             ; the register values sysret would give
	swapgs
	IRETQ_TO_USER

; Ring 3: the crossing is the 2-byte `syscall` (0F 05); its baseline is the
; 2-byte NOP 66 90.
INVOKE_STUBS syscall, {db 0x66, 0x90}, syscall
