; fred_exc_bp.asm - exc_bp with FRED on: `int3` (CC) from Ring 3.
;
; The same crossing and checks as exc_bp (kernel/exc_paths.c: vector 3, CC
; before RIP, resume at RIP); only the delivery differs. FRED delivers int3
; as a software exception (type 6), vector 3, RIP past the CC, on
; IA32_FRED_RSP0 - no IDT gate, so the gate DPL 3 that lets Ring 3 raise #BP
; under the IDT does not exist - and the page's hot path calls
; exception_dispatch, the handler isr.asm's vector 3 reaches. ERETU.
; Linux: fred_entry_from_user -> fred_swexc -> exc_int3.

%include "common.inc"

FRED_ENTRY_PAGE fred_exc_bp_entry, FRED_TYPE_SWEXC, 3, 3, exception_dispatch

INVOKE_STUBS fred_exc_bp, {db 0x90}, int3

PATH_BEGIN fred_exc_bp, 210
PATH_MIRRORS "Linux fred_entry_from_user -> fred_swexc -> exc_int3"
PATH_INSTALL FRED_EXCEPTION, fred_exc_bp_entry
PATH_EXPECT 3, {0xCC}
PATH_TRAP
PATH_END
