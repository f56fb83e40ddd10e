; int2e_shadow.asm - `int 0x2e` into a KVA-shadow address space: Windows'
; KiSystemServiceShadow (and any KPTI interrupt entry).
;
; The CPU pushes its frame onto TSS.RSP0, the entry stack, which the user
; address space maps. The stub then: swapgs; parks RAX in the per-CPU
; scratch slot; loads the kernel CR3; copies the five-word hardware frame to
; the kernel stack (unmapped in the user address space, so not exposed to
; it); builds the trap frame and dispatches. The exit copies the frame back
; to the entry stack, loads the user CR3 and swapgs, then iretq. Vector 0x2E
; is shared with int2e: installing one path points the gate at its stub.

%include "common.inc"

section ENTRY_TEXT
INT_SERVICE_ENTRY int2e_shadow_entry, VEC_INT2E, 1

INVOKE_STUBS int2e_shadow, {db 0x66, 0x90}, int VEC_INT2E

PATH_BEGIN int2e_shadow, 070
PATH_MIRRORS "Windows KiSystemServiceShadow"
PATH_INSTALL IDT, int2e_shadow_entry, VEC_INT2E, GATE_INTERRUPT, 0
PATH_SPACE SHADOW
PATH_END
