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

PATH_BEGIN exc_gp, 140
PATH_MIRRORS "Windows KiGeneralProtectionFault, Linux exc_general_protection"
PATH_INSTALL EXCEPTION
PATH_EXPECT 13, {0xCD, VEC_DPL0_PROBE}
; QEMU 7.2's TCG reports the IDT offset, (n << 4) | 2
PATH_ERROR_CODE (VEC_DPL0_PROBE << 3) | 2, (VEC_DPL0_PROBE << 4) | 2
PATH_END
