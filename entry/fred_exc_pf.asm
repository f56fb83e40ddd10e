; fred_exc_pf.asm - exc_pf with FRED on: a byte write (`mov [rdx], al`,
; 88 02) to a user page that is not present.
;
; The same crossing and checks as exc_pf (vector 14, error code 6, CR2,
; the instruction; map the page and re-execute; SVC_EXC_RESET unmaps it
; after each sample, outside the timed region). FRED delivers #PF as a
; hardware exception (type 3), vector 14, with the error code in its slot
; and the faulting address both in CR2 and in the frame's event data
; (Linux's exc_page_fault reads the event data under FRED; the check here
; reads CR2, as for exc_pf); the hot path calls exception_dispatch; ERETU.
; Linux: fred_entry_from_user -> fred_hwexc -> exc_page_fault.

%include "common.inc"
%include "exc_crossings.inc"

FRED_ENTRY_PAGE fred_exc_pf_entry, FRED_TYPE_HWEXC, 14, 14, exception_dispatch

INVOKE_STUBS fred_exc_pf, PF_BASELINE, PF_CROSSING

PATH_BEGIN fred_exc_pf, 250
PATH_MIRRORS "Linux fred_entry_from_user -> fred_hwexc -> exc_page_fault (demand-zero)"
PATH_INSTALL FRED_EXCEPTION, fred_exc_pf_entry
PATH_EXPECT 14, {0x88, 0x02}
PATH_ERROR_CODE 6
PATH_MAP_PAGE
PATH_RESET SVC_EXC_RESET
PATH_END
