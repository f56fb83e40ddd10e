#ifndef RINGTRIP_GDT_H
#define RINGTRIP_GDT_H
#include <stdint.h>

/* The 64-bit TSS: no task switching, only the stacks the CPU loads on a
 * privilege change (RSP0) and through an IDT gate's IST field. */
struct tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t ist[8];        /* ist[0] is the reserved slot before IST1:
				   IST index 0 in a gate means "no IST" */
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));
_Static_assert(sizeof(struct tss64) == 104, "TSS layout");

extern struct tss64 tss;
extern uint64_t gdt[];

void gdt_init(void);
uint64_t ist_stack_top(int ist);   /* IST_DF ... IST_SERVICE (kernel/kstacks.h) */
uint64_t entry_stack_top(void);    /* TSS.RSP0 */
void gdt_set_call_gate(uint64_t target);

#endif
