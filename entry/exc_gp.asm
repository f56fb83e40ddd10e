; exc_gp.asm - a timed general-protection fault from Ring 3: `int 0x40`
; (CD 40) on a present gate whose DPL is 0.
;
; The CPU refuses the gate (DPL 0 < CPL 3) and raises #GP (vector 13) with
; the error code (0x40 << 3) | 2 - IDT bit set, EXT clear: the documented
; encoding for an IDT vector. The handler checks vector, error code and the
; instruction, and steps over it. Windows: KiGeneralProtectionFault; Linux:
; exc_general_protection. Baseline: 66 90.

%include "common.inc"

INVOKE_STUBS exc_gp, {db 0x66, 0x90}, int VEC_DPL0_PROBE
