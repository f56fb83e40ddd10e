#ifndef RINGTRIP_IDT_H
#define RINGTRIP_IDT_H
#include <stdint.h>

#define GATE_INTERRUPT 0xE   /* clears IF on entry */
#define GATE_TRAP      0xF   /* leaves IF alone */

void idt_init(void);
void idt_set_gate(unsigned vector, uint64_t handler, unsigned type,
		  unsigned dpl, unsigned ist);

#endif
