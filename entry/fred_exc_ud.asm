; fred_exc_ud.asm - exc_ud with FRED on: `ud2` (0F 0B) from Ring 3.
;
; The same crossing and checks as exc_ud (vector 6, 0F 0B at RIP, step
; over it); FRED delivers it as a hardware exception (type 3), vector 6,
; RIP at the ud2, error-code slot 0, on IA32_FRED_RSP0; the hot path calls
; exception_dispatch; ERETU. Linux: fred_entry_from_user -> fred_hwexc ->
; exc_invalid_op.

%include "common.inc"

FRED_ENTRY_PAGE fred_exc_ud_entry, FRED_TYPE_HWEXC, 6, 6, exception_dispatch

INVOKE_STUBS fred_exc_ud, {db 0x66, 0x90}, ud2

PATH_BEGIN fred_exc_ud, 220
PATH_MIRRORS "Linux fred_entry_from_user -> fred_hwexc -> exc_invalid_op"
PATH_INSTALL FRED_EXCEPTION, fred_exc_ud_entry
PATH_EXPECT 6, {0x0F, 0x0B}
PATH_END
