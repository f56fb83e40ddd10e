; exc_de.asm - a timed divide-error fault from Ring 3: `div ecx` (F7 F1)
; with ECX = 0.
;
; A fault: #DE (vector 0), saved RIP at the div. The handler checks the
; vector and the instruction and steps over it (a runtime's "skip the
; division" recovery). Windows: KiDivideErrorFault; Linux: exc_divide_error.
; The `xor ecx, ecx` is part of both the timed stub and its baseline; only
; the div becomes the 2-byte NOP 66 90.

%include "common.inc"
%include "exc_crossings.inc"

INVOKE_STUBS exc_de, DE_BASELINE, DE_CROSSING

PATH_BEGIN exc_de, 130
PATH_MIRRORS "Windows KiDivideErrorFault, Linux exc_divide_error"
PATH_INSTALL EXCEPTION
PATH_EXPECT 0, {0xF7, 0xF1}
PATH_END
