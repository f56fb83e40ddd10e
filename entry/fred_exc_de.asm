; fred_exc_de.asm - exc_de with FRED on: `xor ecx, ecx; div ecx` in Ring 3.
;
; The same crossing and checks as exc_de (vector 0, F7 F1 at RIP, step
; over it); FRED delivers #DE as a hardware exception (type 3), vector 0;
; the hot path calls exception_dispatch; ERETU. Linux: fred_entry_from_user
; -> fred_hwexc -> exc_divide_error.

%include "common.inc"
%include "exc_crossings.inc"

FRED_ENTRY_PAGE fred_exc_de_entry, FRED_TYPE_HWEXC, 0, 0, exception_dispatch

INVOKE_STUBS fred_exc_de, DE_BASELINE, DE_CROSSING

PATH_BEGIN fred_exc_de, 230
PATH_MIRRORS "Linux fred_entry_from_user -> fred_hwexc -> exc_divide_error"
PATH_INSTALL FRED_EXCEPTION, fred_exc_de_entry
PATH_EXPECT 0, {0xF7, 0xF1}
PATH_END
