/* gdt.c - segments and the TSS, in the selector order SYSRET requires
 * (see abi.h: user32 code, user data, user64 code, 8 bytes apart). */
#include "gdt.h"
#include "abi.h"
#include "kstacks.h"

/* In .entry.data: the CPU reads the GDT and the TSS on the way into Ring 0,
 * before a shadow entry can switch CR3, so the shadow address space must
 * map them (kernel/shadow.c). The stacks the TSS names - the entry stack
 * and the IST stacks - are guarded stacks of kernel/kstacks.c, which the
 * shadow space maps as well (and their guard pages not). */
#define ENTRY_DATA __attribute__((section(".entry.data"), aligned(16)))
uint64_t gdt[GDT_ENTRIES] ENTRY_DATA;
struct tss64 tss ENTRY_DATA;

uint64_t entry_stack_top(void)
{
	return kstack_end(KSTACK_ENTRY);
}

/* access byte: P | DPL | S | type; flags: L (64-bit) or D/B, G */
#define SEG_CODE64(dpl) (0x00AF9A000000FFFFULL | ((uint64_t)(dpl) << 45))
#define SEG_CODE32(dpl) (0x00CF9A000000FFFFULL | ((uint64_t)(dpl) << 45))
#define SEG_DATA(dpl)   (0x00CF92000000FFFFULL | ((uint64_t)(dpl) << 45))

uint64_t ist_stack_top(int ist)
{
	return kstack_end(KSTACK_OF_IST(ist));
}

void gdt_set_call_gate(uint64_t target)
{
	/* 64-bit call gate: offset 15:0 | selector | type 0xC, DPL 3, P |
	 * offset 31:16; then offset 63:32 and a zero type field */
	gdt[SEL_CALLGATE / 8] = (target & 0xFFFF) | ((uint64_t)SEL_KCODE << 16) |
				(0xECULL << 40) | (((target >> 16) & 0xFFFF) << 48);
	gdt[SEL_CALLGATE / 8 + 1] = target >> 32;
}

void gdt_init(void)
{
	gdt[SEL_KCODE / 8] = SEG_CODE64(0);
	gdt[SEL_KDATA / 8] = SEG_DATA(0);
	gdt[SEL_UCODE32 / 8] = SEG_CODE32(3);
	gdt[SEL_UDATA / 8] = SEG_DATA(3);
	gdt[SEL_UCODE64 / 8] = SEG_CODE64(3);
	gdt[SEL_UDATA_CMTEB / 8] = SEG_DATA(3);

	/* every gate from Ring 3 lands on the entry stack */
	tss.rsp[0] = entry_stack_top();
	tss.ist[IST_DF] = ist_stack_top(IST_DF);
	tss.ist[IST_NMI] = ist_stack_top(IST_NMI);
	tss.ist[IST_MC] = ist_stack_top(IST_MC);
	tss.ist[IST_SERVICE] = ist_stack_top(IST_SERVICE);
	tss.iomap_base = sizeof(struct tss64);   /* no I/O bitmap: Ring 3 gets no ports */

	uint64_t base = (uint64_t)&tss, limit = sizeof(struct tss64) - 1;
	gdt[SEL_TSS / 8] = (limit & 0xFFFF) | ((base & 0xFFFFFF) << 16) |
			   (0x89ULL << 40) |              /* P, available 64-bit TSS */
			   (((limit >> 16) & 0xF) << 48) |
			   (((base >> 24) & 0xFF) << 56);
	gdt[SEL_TSS / 8 + 1] = base >> 32;

	struct { uint16_t limit; uint64_t base; } __attribute__((packed)) ptr = {
		sizeof(uint64_t) * GDT_ENTRIES - 1, (uint64_t)gdt
	};
	__asm__ volatile(
		"lgdt %0\n\t"
		"pushq %1\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"movw %w2, %%ax\n\t"
		"movw %%ax, %%ds\n\t"
		"movw %%ax, %%es\n\t"
		"movw %%ax, %%ss\n\t"
		"xorl %%eax, %%eax\n\t"
		"movw %%ax, %%fs\n\t"
		"movw %%ax, %%gs\n\t"
		"ltr %w3"
		: : "m"(ptr), "i"(SEL_KCODE), "r"(SEL_KDATA), "r"(SEL_TSS)
		: "rax", "memory");
}
