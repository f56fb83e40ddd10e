; fred_int2e.asm - `int 0x2e` delivered by FRED, returned by ERETU.
;
; Ring 3: the same as the int2e path (mov r10, rcx / mov eax, N / int
; 0x2e). With CR4.FRED set the IDT is not read: no gate, so no gate type
; (interrupt or trap), no DPL check and no IST; `int 0x2e` is a FRED event
; of type 4 (software interrupt), vector 0x2E, taken on IA32_FRED_RSP0 with
; RIP past the instruction, RFLAGS cleared and GS swapped by the CPU. The
; frame is the one SYSCALL gets under FRED: only the event word differs,
; which is the point of comparing the two - under the IDT, syscall and int
; 0x2e are two different entries; under FRED they are one.
;
; Ring 0 (FRED_ENTRY_PAGE): registers, the hot test (type 4, vector 0x2E),
; the dispatcher, ERETU. That Ring 3 may raise 0x2E at all is now software's
; decision (kernel/fred.c, swint(): 0x2E and 0x2F yes, most others #GP).
; Linux: asm_fred_entrypoint_user -> fred_entry_from_user -> fred_intx,
; which accepts int 0x80 (ia32 system calls) the same way.

%include "common.inc"

FRED_ENTRY_PAGE fred_int2e_entry, FRED_TYPE_SWINT, VEC_INT2E, VEC_INT2E, ssdt_dispatch

; `int 0x2e` is CD 2E: 2 bytes, like its baseline 66 90
INVOKE_STUBS fred_int2e, {db 0x66, 0x90}, int VEC_INT2E

PATH_BEGIN fred_int2e, 170
PATH_MIRRORS "Linux asm_fred_entrypoint_user -> fred_intx (int 0x80 emulation): int n as a FRED event, ERETU"
PATH_INSTALL FRED, fred_int2e_entry
PATH_END
