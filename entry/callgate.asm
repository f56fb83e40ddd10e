; callgate.asm - a far call through a 64-bit call gate (type 0xC, DPL 3) in
; the GDT, into the 64-bit kernel code segment; back with a 64-bit far
; return. The oldest way into a more privileged ring (OS/2, early NT's
; LDT call gates, rootkits since); no mainstream 64-bit OS uses it.
;
; Ring 3: `call far [m16:64]` with the gate's selector (the offset is
; ignored). The CPU checks the gate's DPL, loads RSP0 from the TSS, pushes
; the caller's SS, RSP, CS, RIP (no RFLAGS: a call gate does not touch them)
; and jumps to the gate's offset. Ring 0: swapgs; an iretq-shaped trap frame
; built under the CPU's four words (RFLAGS read with pushfq); cld; the
; dispatcher; swapgs; `o64 retf`, which pops RIP, CS, RSP, SS back to Ring 3.

%include "common.inc"

; the stub (and its template with the mitigation sites filled:
; entry/mitig.inc)
%macro CALLGATE_BODY 0
	swapgs
	MITIG lfence_swapgs, entry
	; The CPU's frame (struct callgate_frame) is at RSP; the copy grows
	; below it, so after n pushes its slot X is at [rsp + n*8 + CALLGATE_X]
	; (push [rsp + ...] addresses with RSP as it was before the push).
	push qword [rsp + 0*8 + CALLGATE_SS]
	push qword [rsp + 1*8 + CALLGATE_RSP]
	pushfq                          ; RFLAGS
	push qword [rsp + 3*8 + CALLGATE_CS]
	push qword [rsp + 4*8 + CALLGATE_RIP]
	DISPATCH TF_VECTOR_CALLGATE
	add rsp, IRET_SIZE              ; the iretq-shaped copy
	swapgs
	MITIG verw, exit
	o64 retf
%endmacro
MITIG_STUB callgate_entry, CALLGATE_BODY

; Ring 3: a 7-byte `call far qword [rel callgate_pointer]` (REX.W FF /3,
; RIP-relative); the baseline is the 7-byte NOP 0F 1F 80 00 00 00 00.
INVOKE_STUBS callgate, {db 0x0F, 0x1F, 0x80, 0, 0, 0, 0}, call far qword [rel callgate_pointer]

section .user.rodata
align 16
callgate_pointer:
	dq 0                            ; offset: ignored for a call gate
	dw SEL_CALLGATE | RPL3

PATH_BEGIN callgate, 090
PATH_MIRRORS "a 64-bit call gate (no mainstream 64-bit OS)"
PATH_INSTALL CALLGATE, callgate_entry
PATH_DEFAULT
PATH_END
