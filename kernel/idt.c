/* idt.c - 256 16-byte gates. Vectors 0-31 go to kernel/isr.asm; the rest are
 * left not-present (raising one is a #GP or #NP, which isr.asm reports)
 * unless an entry path or the control gate installs one. */
#include "idt.h"
#include "abi.h"

struct idt_gate {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;      /* P | DPL | 0 | type */
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct idt_gate) == 16, "IDT gate layout");

/* in .entry.data: the shadow address space must map it (see gdt.c) */
static union {
	struct idt_gate gate[256];
	uint64_t word[512];          /* the same bytes, for dump= */
} idt_table __attribute__((section(".entry.data"), aligned(16)));
#define idt idt_table.gate
extern const uint64_t isr_stub_table[32];

void idt_set_gate(unsigned v, uint64_t handler, unsigned type, unsigned dpl,
		  unsigned ist)
{
	idt[v].offset_lo = (uint16_t)handler;
	idt[v].selector = SEL_KCODE;
	idt[v].ist = (uint8_t)ist;
	idt[v].type_attr = (uint8_t)(0x80 | (dpl << 5) | type);
	idt[v].offset_mid = (uint16_t)(handler >> 16);
	idt[v].offset_hi = (uint32_t)(handler >> 32);
	idt[v].reserved = 0;
}

void idt_init(void)
{
	for (unsigned v = 0; v < 32; v++) {
		unsigned ist = v == 2 ? IST_NMI : v == 8 ? IST_DF : v == 18 ? IST_MC : 0;
		/* #BP and #OF may be raised by Ring 3 (int3, into) */
		unsigned dpl = (v == 3 || v == 4) ? 3 : 0;
		idt_set_gate(v, isr_stub_table[v], GATE_INTERRUPT, dpl, ist);
	}
	struct { uint16_t limit; uint64_t base; } __attribute__((packed)) ptr = {
		sizeof idt - 1, (uint64_t)idt
	};
	__asm__ volatile("lidt %0" : : "m"(ptr));
}

const uint64_t *idt_base(void)
{
	return idt_table.word;
}
