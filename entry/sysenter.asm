; sysenter.asm - SYSENTER / SYSEXIT in 64-bit mode (Intel only).
;
; SYSENTER saves nothing: it loads CS from IA32_SYSENTER_CS (SS = +8), RSP
; from IA32_SYSENTER_ESP, RIP from IA32_SYSENTER_EIP and clears IF, VM, RF.
; So Ring 3 must say where to come back to. 32-bit Windows put the user ESP
; in EDX and returned to a fixed KiFastSystemCallRet; here the arguments own
; RDX, so the stub passes the return RIP in R11 and the user RSP in RCX -
; the registers SYSCALL would have used - and SYSEXITQ takes RIP from RDX
; and RSP from RCX (CS = SYSENTER_CS + 32, SS = + 40, RPL 3). RDX and RCX
; are therefore not preserved across this path.
;
; Ring 0: swapgs; an iretq-shaped trap frame from R11/RCX and the current
; RFLAGS (DF cleared after it is saved: SYSENTER leaves it alone); the
; dispatcher; the saved RFLAGS restored (SYSEXIT does not restore them);
; swapgs; sysexitq - or iretq when RIP or RSP is not canonical, since
; SYSEXIT raises #GP in Ring 0 then. AMD CPUs raise #UD for SYSENTER in long
; mode, so the path is Intel-only (the row says unsupported:vendor).

%include "common.inc"

; the stub (and its template with the mitigation sites filled:
; entry/mitig.inc)
%macro SYSENTER_BODY 0
	swapgs
	MITIG lfence_swapgs, entry
	push SEL_UDATA | RPL3           ; SS
	push rcx                        ; RSP, by our convention
	pushfq                          ; RFLAGS
	push SEL_UCODE64 | RPL3         ; CS
	push r11                        ; RIP, by our convention
	DISPATCH TF_VECTOR_SYSENTER
	mov rdx, [rsp + IRET_RIP]       ; RIP for sysexit
	mov rcx, rdx
	shl rcx, 16
	sar rcx, 16
	cmp rcx, rdx
	MJCC ne, %%iret_exit
	mov rcx, [rsp + IRET_RSP]       ; RSP for sysexit
	mov rdx, rcx
	shl rdx, 16
	sar rdx, 16
	cmp rdx, rcx
	MJCC ne, %%iret_exit
	mov rdx, [rsp + IRET_RIP]
	push qword [rsp + IRET_RFLAGS]
	popfq                           ; IF stays 0 here: Ring 3 runs without it
	swapgs
	MITIG verw, exit
	o64 sysexit
%%iret_exit:
	swapgs
	MITIG verw, exit, 1
	IRETQ_TO_USER
%endmacro
MITIG_STUB sysenter_entry, SYSENTER_BODY

; Ring 3: R11 = where to come back, RCX = RSP, then sysenter (0F 34).
%macro SYSENTER_CROSSING 0
	lea r11, [rel %%back]
	mov rcx, rsp
	sysenter
%%back:
%endmacro
%macro SYSENTER_BASELINE 0
	lea r11, [rel %%back]
	mov rcx, rsp
	db 0x66, 0x90
%%back:
%endmacro

INVOKE_STUBS sysenter, SYSENTER_BASELINE, SYSENTER_CROSSING

PATH_BEGIN sysenter, 080
PATH_MIRRORS "32-bit Windows KiFastCallEntry, in 64-bit mode (Intel only)"
PATH_INSTALL SYSENTER, sysenter_entry
PATH_DEFAULT
PATH_END
