; shadow.asm - KVA shadow / KPTI without PCID: SYSCALL into a user address
; space that does not map the kernel.
;
; Windows KiSystemCall64Shadow, Linux entry_SYSCALL_64 with
; SWITCH_TO_KERNEL_CR3. While this path is selected Ring 3 runs on the shadow
; page tables (kernel/shadow.c): user pages plus only what the entry needs
; before the switch - this stub's page, GDT, IDT, TSS, the entry and IST
; stacks, the per-CPU block. Step by step:
;  1. swapgs; save the user RSP in the per-CPU block (mapped in both).
;  2. load the kernel CR3 from the per-CPU block through RSP, the only free
;     register: the kernel, its stack and the SSDT appear.
;  3. the kernel stack, the trap frame, the dispatcher - as `syscall`.
;  4. on the way out, with every register restored, park RDX in the per-CPU
;     scratch slot, load the user RSP, write the user CR3 from RDX, restore
;     RDX, swapgs, sysretq. (The iretq fallback copies its frame to the
;     entry stack first: the kernel stack vanishes with the CR3 write.)
; Without PCID every CR3 write flushes the TLB: both switches cost a flush
; and every kernel page touched is a TLB miss - what KPTI costs on CPUs
; without PCID.

%include "common.inc"

section ENTRY_TEXT
SYSCALL_ENTRY shadow_entry, sysret, 1

INVOKE_STUBS shadow, {db 0x66, 0x90}, syscall

PATH_BEGIN shadow, 050
PATH_MIRRORS "Windows KiSystemCall64Shadow, Linux KPTI entry_SYSCALL_64 (no PCID)"
PATH_INSTALL LSTAR, shadow_entry
PATH_FLAGS PATH_SYSRET_EXIT
PATH_SPACE SHADOW
PATH_END
