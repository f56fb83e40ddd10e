/* gdt.c - segments and the TSS, in the selector order SYSRET requires
 * (see abi.h: user32 code, user data, user64 code, 8 bytes apart). */
#include "gdt.h"
#include "abi.h"

#define IST_STACK_SIZE 8192

uint64_t gdt[GDT_ENTRIES] __attribute__((aligned(16)));
struct tss64 tss __attribute__((aligned(16)));
static uint8_t ist_stacks[4][IST_STACK_SIZE] __attribute__((aligned(16)));

/* access byte: P | DPL | S | type; flags: L (64-bit) or D/B, G */
#define SEG_CODE64(dpl) (0x00AF9A000000FFFFULL | ((uint64_t)(dpl) << 45))
#define SEG_CODE32(dpl) (0x00CF9A000000FFFFULL | ((uint64_t)(dpl) << 45))
#define SEG_DATA(dpl)   (0x00CF92000000FFFFULL | ((uint64_t)(dpl) << 45))

uint64_t ist_stack_top(int ist)
{
	return (uint64_t)&ist_stacks[ist][IST_STACK_SIZE];
}

void gdt_init(uint64_t rsp0)
{
	gdt[SEL_KCODE / 8] = SEG_CODE64(0);
	gdt[SEL_KDATA / 8] = SEG_DATA(0);
	gdt[SEL_UCODE32 / 8] = SEG_CODE32(3);
	gdt[SEL_UDATA / 8] = SEG_DATA(3);
	gdt[SEL_UCODE64 / 8] = SEG_CODE64(3);

	tss.rsp[0] = rsp0;
	tss.ist[IST_DF] = ist_stack_top(IST_DF);
	tss.ist[IST_NMI] = ist_stack_top(IST_NMI);
	tss.ist[IST_MC] = ist_stack_top(IST_MC);
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
