; exc_pf.asm - a timed page fault from Ring 3: a byte write (`mov [rdx],
; al`, 88 02) to a user page that is not present.
;
; #PF (vector 14), error code 6 (user, write, not present), CR2 = the page.
; The handler checks them and the instruction, maps the page (a demand-zero
; fault, as every OS handles on first touch) and returns to the same RIP:
; the write re-executes and succeeds. After each sample the harness asks the
; kernel (SVC_EXC_RESET) to unmap the page again, with invlpg, outside the
; timed region. Windows: KiPageFault -> MmAccessFault; Linux: exc_page_fault.
; Setting RDX is in both the stub and its baseline; the write becomes 66 90.

%include "common.inc"
%include "exc_crossings.inc"

INVOKE_STUBS exc_pf, PF_BASELINE, PF_CROSSING

PATH_BEGIN exc_pf, 150
PATH_MIRRORS "Windows KiPageFault -> MmAccessFault, Linux exc_page_fault (demand-zero)"
PATH_INSTALL EXCEPTION
PATH_EXPECT 14, {0x88, 0x02}
PATH_ERROR_CODE 6
PATH_MAP_PAGE
PATH_RESET SVC_EXC_RESET
PATH_END
