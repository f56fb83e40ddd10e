; ssdt_call.asm - the system-service dispatcher every entry path ends in:
; KiSystemServiceStart .. KiSystemServiceCopyEnd and the call of the
; service, in asm as Windows x64 has it, plus the general user copy.
;
; ssdt_dispatch - called by every entry stub right after PUSH_GPRS:
;
;   register   on entry                          on return
;   [rsp+8]    the trap frame (TF_x)             TF_RAX = the service's status
;   EAX        service number (bits 12-13 table, bits 0-11 index)
;   R10        argument 1 (ntdll's mov r10, rcx: SYSCALL took RCX)
;   RDX R8 R9  arguments 2-4
;   others     anything                          clobbered: the stub's
;                                                 POP_GPRS restores them all
;
; The argument registers are never reloaded from the frame: they are still
; the caller's when the stub calls here (PUSH_GPRS only copies them), as
; they are when KiSystemCall64 reaches KiSystemServiceStart. Every check
; the dispatcher makes:
;   table and limit  EAX bits 12-13 pick one of the four descriptor slots;
;                    slots 2 and 3 are empty (limit 0), so the one limit
;                    compare also turns a missing table away. Either way
;                    STATUS_INVALID_SYSTEM_SERVICE, nothing called.
;   decode           movsxd + sar 4 (ssdt_entry.h): routine = base +
;                    (entry >> 4), stack arguments = entry & 0xF.
;   stack arguments  only when there are any: the source, user RSP +
;                    USER_STACK_ARGS_OFFSET (0x28), is clamped to
;                    MmUserProbeAddress first - a source at or past it (or
;                    one that wrapped past 2^64) becomes the probe address,
;                    which is never mapped - then the words are copied
;                    by an unrolled sequence entered part-way, two
;                    instructions per argument (KiSystemServiceCopyStart).
;                    A source below the probe address whose arguments run
;                    past it runs into the never-mapped 64 KiB below the
;                    canonical hole (abi.h) within 15 words, so it faults
;                    too, as on Windows.
;   access violation a fault inside the copy lands on .fault through the
;                    extable: STATUS_ACCESS_VIOLATION, the kernel goes on.
; The service is called with a Windows x64 frame: the home area
; (HOME_AREA_SIZE) at RSP, argument 5 above it, RSP 16-aligned at the call.
; The frame is always reserved whole (15 stack arguments), so no size is
; computed on the way.

%include "asm_offsets.inc"
%include "trapframe.inc"

; the service's frame: home area + 15 argument slots. RSP is 8 mod 16
; here (the stub's call pushed a return address onto a 16-aligned trap
; frame), so 152 bytes leave it 16-aligned at the call.
%assign SSDT_MAX_STACK_ARGS 15
%assign COPY_PAIR_SHIFT 3               ; each copy pair is 8 bytes
%assign DISPATCH_FRAME HOME_AREA_SIZE + SSDT_MAX_STACK_ARGS * 8
%if (DISPATCH_FRAME + 8) % 16
%error "DISPATCH_FRAME leaves RSP misaligned at the service call"
%endif
; the trap frame, seen from inside the dispatcher's frame
%define FRAME(x) rsp + DISPATCH_FRAME + 8 + x

extern service_descriptor_table

section .rodata
align 8
ssdt_probe_address:
	dq USER_PROBE_ADDRESS           ; MmUserProbeAddress

; DISPATCHER name, retpoline: the dispatcher, and (retpoline = 1) the same
; with its two indirect branches - the service call and the copy's computed
; jump - through retpoline thunks (kernel/mitig_seq.asm): the mitigations'
; `retpoline` toggle. A stub built with that toggle calls
; ssdt_dispatch_retpoline instead of ssdt_dispatch (kernel/mitig.c); each
; thunk adds 3 instructions per branch (its call, mov, ret).
%macro DISPATCHER 2
global %1
align 16
%1:
	mov r11d, eax
	shr r11d, SVC_TABLE_SHIFT - SD_SHIFT    ; table << SD_SHIFT: the slot's offset
	and r11d, SVC_TABLE_MASK << SD_SHIFT
	and eax, SVC_INDEX_MASK
	cmp rax, [r11 + service_descriptor_table + SD_LIMIT]
	jae .invalid
	mov rcx, [r11 + service_descriptor_table + SD_BASE]
	movsxd r11, dword [rcx + rax * 4]       ; ((routine - base) << 4) | nstack
	mov eax, r11d
	sar r11, 4
	add r11, rcx                            ; the routine
	mov rcx, r10                            ; argument 1, where ms_abi wants it
	sub rsp, DISPATCH_FRAME
	and eax, 0xF                            ; stack arguments
	jz .call
	; KiSystemServiceCopyStart: clamp, then enter the copy at the pair
	; that copies the last argument
	mov rsi, [FRAME(TF_RSP)]
	add rsi, USER_STACK_ARGS_OFFSET
	jc .wrapped
	cmp rsi, [ssdt_probe_address]
	cmovae rsi, [ssdt_probe_address]
.clamped:
	lea rdi, [rsp + HOME_AREA_SIZE]         ; argument 5's slot
	STAC_IF_SMAP
	lea r10, [rel .copy_end]
	shl eax, COPY_PAIR_SHIFT
	sub r10, rax
%if %2
	jmp mitig_jmp_thunk_r10
%else
	jmp r10
%endif
.copy_start:
%assign i SSDT_MAX_STACK_ARGS - 1
%rep SSDT_MAX_STACK_ARGS
	mov r10, [byte rsi + i * 8]             ; Ring 3 memory: may fault
	mov [byte rdi + i * 8], r10
%assign i i - 1
%endrep
.copy_end:
	CLAC_IF_SMAP
.call:
%if %2
	call mitig_thunk_r11
%else
	call r11
%endif
	add rsp, DISPATCH_FRAME
	mov [rsp + 8 + TF_RAX], rax
	ret
.wrapped:
	mov rsi, [ssdt_probe_address]
	jmp .clamped
.invalid:
	mov eax, STATUS_INVALID_SYSTEM_SERVICE
	mov [rsp + 8 + TF_RAX], rax
	ret
.fault:
	CLAC_IF_SMAP
	add rsp, DISPATCH_FRAME
	mov eax, STATUS_ACCESS_VIOLATION
	mov [rsp + 8 + TF_RAX], rax
	ret
EXTABLE %1.copy_start, %1.copy_end, %1.fault
; each copy pair is two 4-byte moves (REX, opcode, ModRM, disp8), which
; the computed jump relies on: a pair of another size fails the assembly
	times -((%1.copy_end - %1.copy_start) != \
		(SSDT_MAX_STACK_ARGS << COPY_PAIR_SHIFT)) db 0
%endmacro

extern mitig_thunk_r11, mitig_jmp_thunk_r10

section .text
DISPATCHER ssdt_dispatch, 0
DISPATCHER ssdt_dispatch_retpoline, 1

; ssdt_dispatch_frame - the same for a stub that has not kept the argument
; registers (the control gate: its CR3 switch uses RAX): reload them from
; the trap frame at [rsp + 8], then dispatch. Not on any timed path.
global ssdt_dispatch_frame
ssdt_dispatch_frame:
	mov rax, [rsp + 8 + TF_RAX]
	mov r10, [rsp + 8 + TF_R10]
	mov rdx, [rsp + 8 + TF_RDX]
	mov r8, [rsp + 8 + TF_R8]
	mov r9, [rsp + 8 + TF_R9]
	jmp ssdt_dispatch

; void ssdt_dispatch_tf(struct trap_frame *tf): the dispatcher for C
; (kernel/fred.c's events that are not a FRED path's hot one: the control
; gate's int 0x2F and the like, never timed). The dispatcher clobbers what
; a C caller keeps and wants the frame right above its return address, so
; the frame is copied onto this stack, dispatched, and its status copied
; back. RSP: 8 mod 16 on entry, 6 pushes keep it so, TF_SIZE + 8 makes the
; copy 16-aligned as a stub's frame is.
global ssdt_dispatch_tf
ssdt_dispatch_tf:
	push rbx
	push rbp
	push r12
	push r13
	push r14
	push r15
	mov rbx, rdi
	sub rsp, TF_SIZE + 8
	mov rsi, rdi
	mov rdi, rsp
	mov ecx, TF_SIZE / 8
	rep movsq
	call ssdt_dispatch_frame
	mov rax, [rsp + TF_RAX]
	mov [rbx + TF_RAX], rax
	add rsp, TF_SIZE + 8
	pop r15
	pop r14
	pop r13
	pop r12
	pop rbp
	pop rbx
	ret

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
