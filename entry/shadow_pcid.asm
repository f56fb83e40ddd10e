; shadow_pcid.asm - KVA shadow / KPTI with PCID.
;
; The same entry and exit as shadow.asm (SYSCALL_ENTRY with shadow = 1); the
; difference is in what the installer (kernel/paths.c) puts in the per-CPU
; block and CR4: CR4.PCIDE = 1, the kernel address space tagged PCID 1 and
; the user one PCID 2, and bit 63 set in both CR3 values, so the writes keep
; each PCID's TLB entries instead of flushing them - what Windows (KVA shadow
; with PCID) and Linux (PTI with PCID, X86_CR3_PCID_NOFLUSH) do on CPUs that
; have PCID. Without PCID (CPUID.1:ECX[17]) the rows say unsupported:no-pcid.

%include "common.inc"

section ENTRY_TEXT
SYSCALL_ENTRY shadow_pcid_entry, sysret, 1

INVOKE_STUBS shadow_pcid, {db 0x66, 0x90}, syscall

PATH_BEGIN shadow_pcid, 060
PATH_MIRRORS "Windows KiSystemCall64Shadow, Linux KPTI entry_SYSCALL_64 (PCID, no-flush CR3)"
PATH_INSTALL LSTAR, shadow_pcid_entry
PATH_FLAGS PATH_SYSRET_EXIT
PATH_SPACE SHADOW_PCID
PATH_END
