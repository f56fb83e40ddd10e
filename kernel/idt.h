#ifndef RINGTRIP_IDT_H
#define RINGTRIP_IDT_H
#include <stdint.h>

#define GATE_INTERRUPT 0xE   /* clears IF on entry */
#define GATE_TRAP      0xF   /* leaves IF alone */

void idt_init(void);
const uint64_t *idt_base(void);     /* 256 gates, two words each */
void idt_set_gate(unsigned vector, uint64_t handler, unsigned type,
		  unsigned dpl, unsigned ist);

#endif
