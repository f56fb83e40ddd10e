; boot.asm - from GRUB's 32-bit protected mode to C in 64-bit long mode.
;
; GRUB (multiboot2) jumps to _start in 32-bit protected mode, paging off,
; EAX = multiboot2 magic, EBX = physical address of the boot information.
; We check the magic and that the CPU has long mode, build a throw-away
; page table that maps physical [0, 1 GiB) twice - at 0 (so the next
; instruction after enabling paging still exists) and at KERNEL_VMA (where
; the kernel is linked) - turn on PAE + LME + PG, and jump to the high half.
; kernel/paging.c later replaces these tables with the real ones and drops
; the identity map. Everything here runs at physical addresses (section
; .boot*), so it may not touch high-half symbols until the final far jump.

%include "asm_offsets.inc"

MB2_MAGIC        equ 0xE85250D6
MB2_BOOT_MAGIC   equ 0x36D76289
MB2_ARCH_I386    equ 0

section .multiboot2 align=8
mb2_header:
	dd MB2_MAGIC
	dd MB2_ARCH_I386
	dd mb2_header_end - mb2_header
	dd -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
%ifdef WANT_FRAMEBUFFER
	; framebuffer tag (type 5, optional), in ringtrip-efi.elf only: UEFI
	; has no VGA text mode, so ask GRUB for a linear framebuffer, any size,
	; 32 bpp preferred. The BIOS kernel leaves it out: it keeps VGA text, and
	; GRUB 2.06's VBE path is not trusted with a mode on every BIOS (it
	; crashes on Bochs').
	dw 5, 1
	dd 20
	dd 0, 0, 32
	dd 0                            ; pad: tags are 8-byte aligned
%endif
	; end tag: type 0, flags 0, size 8
	dw 0, 0
	dd 8
mb2_header_end:

section .boot.bss nobits alloc noexec write align=4096
boot_pml4:	resb 4096
boot_pdpt_lo:	resb 4096
boot_pdpt_hi:	resb 4096
boot_pd:	resb 4096
boot_stack:	resb 4096
boot_stack_top:

section .boot.data progbits alloc noexec write align=16
global boot_mb_magic, boot_mb_info, boot_pdpt_hi_phys
boot_mb_magic:	dd 0
boot_mb_info:	dd 0
boot_pdpt_hi_phys: dq boot_pdpt_hi

boot_gdt:
	dq 0
	dq 0x00AF9A000000FFFF      ; 64-bit code, DPL 0 (selector 0x08)
	dq 0x00CF92000000FFFF      ; data (selector 0x10)
boot_gdt_ptr:
	dw $ - boot_gdt - 1
	dd boot_gdt

msg_magic:	db "ringtrip: not booted by a multiboot2 loader", 0
msg_nolm:	db "ringtrip: this CPU has no long mode (x86-64)", 0

section .boot.text progbits alloc exec nowrite align=16
bits 32
global _start
_start:
	cli
	cld
	mov esp, boot_stack_top
	mov [boot_mb_magic], eax
	mov [boot_mb_info], ebx
	mov esi, msg_magic
	cmp eax, MB2_BOOT_MAGIC
	jne .fail

	; long mode present? CPUID 0x80000001 EDX bit 29
	mov esi, msg_nolm
	mov eax, 0x80000000
	cpuid
	cmp eax, 0x80000001
	jb .fail
	mov eax, 0x80000001
	cpuid
	bt edx, 29
	jnc .fail

	; PD: 512 x 2 MiB supervisor pages = phys [0, 1 GiB)
	mov edi, boot_pd
	mov eax, 0x83                   ; present | writable | 2 MiB
	xor ecx, ecx
.fill_pd:
	mov [edi + ecx*8], eax
	mov dword [edi + ecx*8 + 4], 0
	add eax, 0x200000
	inc ecx
	cmp ecx, 512
	jne .fill_pd

	mov eax, boot_pd
	or eax, 3
	mov [boot_pdpt_lo], eax                   ; VA 0          -> PD
	mov [boot_pdpt_hi + 510*8], eax           ; VA -2 GiB     -> PD
	mov eax, boot_pdpt_lo
	or eax, 3
	mov [boot_pml4], eax
	mov eax, boot_pdpt_hi
	or eax, 3
	mov [boot_pml4 + 511*8], eax

	mov eax, cr4
	or eax, 1 << 5                  ; PAE
	mov cr4, eax
	mov eax, boot_pml4
	mov cr3, eax
	mov ecx, MSR_EFER
	rdmsr
	or eax, EFER_LME
	wrmsr
	mov eax, cr0
	or eax, (1 << 31) | (1 << 16) | 1   ; PG | WP | PE
	mov cr0, eax

	lgdt [boot_gdt_ptr]
	jmp 0x08:.long_mode

.fail:
	; white on red across the top line of the VGA text screen, then stop
	mov edi, 0xB8000
.putc:
	lodsb
	test al, al
	jz .halt
	mov ah, 0x4F
	stosw
	jmp .putc
.halt:
	hlt
	jmp .halt

bits 64
.long_mode:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	xor eax, eax
	mov fs, ax
	mov gs, ax
	mov rax, high_entry
	jmp rax

section .text
extern kmain, kstacks_init, kstack_area
; From here on Ring 0 runs on the boot stack in .kstacks (kernel/kstacks.h).
; kstacks_init, running on it, unmaps the guard page below it and every
; other stack's, so an overflow of the boot stack faults (#PF -> #DF on
; IST1, reported) instead of writing over the kernel image below it.
; kmain reads boot_mb_magic/boot_mb_info itself, through the high mapping.
high_entry:
	lea rsp, [rel kstack_area + KSTACK_BOOT_TOP]
	xor ebp, ebp
	call kstacks_init
	call kmain
.hang:
	cli
	hlt
	jmp .hang
