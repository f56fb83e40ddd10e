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

section ENTRY_TEXT
global callgate_entry
align 16
callgate_entry:
	swapgs
	; CPU frame: [rsp] RIP, [+8] CS, [+16] RSP, [+24] SS. Each push moves
	; the offsets of the words below it by 8.
	push qword [rsp + 24]           ; SS
	push qword [rsp + 24]           ; RSP
	pushfq                          ; RFLAGS
	push qword [rsp + 32]           ; CS
	push qword [rsp + 32]           ; RIP
	DISPATCH TF_VECTOR_CALLGATE
	add rsp, 40                     ; the iretq-shaped copy
	swapgs
	o64 retf

; Ring 3: a 7-byte `call far qword [rel callgate_pointer]` (REX.W FF /3,
; RIP-relative); the baseline is the 7-byte NOP 0F 1F 80 00 00 00 00.
INVOKE_STUBS callgate, {db 0x0F, 0x1F, 0x80, 0, 0, 0, 0}, call far qword [rel callgate_pointer]

section .user.rodata
align 16
callgate_pointer:
	dq 0                            ; offset: ignored for a call gate
	dw SEL_CALLGATE | RPL3
