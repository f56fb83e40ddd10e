; fred_syscall.asm - `syscall` delivered by FRED, returned by ERETU.
;
; Ring 3: the same as the syscall path (mov r10, rcx / mov eax, N /
; syscall). What differs is all on the CPU's side: with CR4.FRED set,
; SYSCALL is a FRED event of type 7 ("other"), vector 1. The CPU ignores
; LSTAR and SFMASK, leaves RCX and R11 alone, loads CS/SS from STAR[47:32],
; swaps GS itself, switches to IA32_FRED_RSP0 (the entry stack), pushes the
; FRED frame - user RIP, RSP, RFLAGS included - clears RFLAGS and jumps to
; this path's entry page. So none of the syscall path's first steps exist
; here: no swapgs, no user RSP parked in the per-CPU block, no kernel stack
; load, no hand-built iret frame, no SYSRET canonical-RIP check (ERETU
; checks, and a non-canonical RIP faults in Ring 0 with a good frame).
;
; Ring 0 (FRED_ENTRY_PAGE, entry/fred_entry.inc): registers under the
; CPU's frame - the trap frame every path builds - then the hot test
; (type 7, vector 1, 64-bit) and the dispatcher, POP, ERETU.
; Linux: asm_fred_entrypoint_user (entry_64_fred.S) -> fred_entry_from_user
; -> fred_other -> do_syscall_64 (entry_fred.c); Linux makes the type and
; vector test in C, this page makes it in asm for its one hot event.

%include "common.inc"

FRED_ENTRY_PAGE fred_syscall_entry, FRED_TYPE_OTHER, FRED_OTHER_SYSCALL, \
	TF_VECTOR_SYSCALL, ssdt_dispatch

; the crossing is the 2-byte `syscall`, as on the syscall path
INVOKE_STUBS fred_syscall, {db 0x66, 0x90}, syscall

PATH_BEGIN fred_syscall, 160
PATH_MIRRORS "Linux asm_fred_entrypoint_user -> fred_other -> do_syscall_64 (SYSCALL as a FRED event, ERETU)"
PATH_INSTALL FRED, fred_syscall_entry
PATH_END
