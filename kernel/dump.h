#ifndef RINGTRIP_DUMP_H
#define RINGTRIP_DUMP_H
#include <stdint.h>
/* dump=idt,gdt,tss,msr,cr: the CPU's tables and registers as '#' lines on
 * serial and screen, decoded the way the seed document decodes its gates
 * (lib/desc.c, shared with build/gatedecode). mask: bits of enum dump_table. */
void dump_tables(uint32_t mask);
#endif
