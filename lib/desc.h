/* desc.h - decode and print x86-64 descriptors (IDT gates, GDT code/data
 * segments, 16-byte TSS/LDT/call-gate system descriptors).
 *
 * Freestanding: the kernel's `dump=` command and the host tool
 * tools/gatedecode.c share this code, so every line either prints is built
 * here (with lib/fmt.h) and the two can never disagree. */
#ifndef RINGTRIP_DESC_H
#define RINGTRIP_DESC_H
#include <stddef.h>
#include <stdint.h>
#include "fmt.h"

/* system descriptor types (S=0) in IA-32e mode, Intel SDM Vol 3 Table 3-2 */
enum {
	DESC_LDT = 0x2,
	DESC_TSS_AVAIL = 0x9,
	DESC_TSS_BUSY = 0xB,
	DESC_CALL_GATE = 0xC,
	DESC_INTR_GATE = 0xE,
	DESC_TRAP_GATE = 0xF,
};

/* 16-byte IDT or call gate; fields are the raw bits, unscaled */
struct gate64 {
	uint64_t offset;        /* lo[15:0] | lo[63:48] << 16 | hi[31:0] << 32 */
	uint16_t selector;      /* lo[31:16] */
	unsigned ist;           /* lo[34:32] (reserved in a call gate) */
	unsigned type;          /* lo[43:40] */
	unsigned dpl;           /* lo[46:45] */
	unsigned present;       /* lo[47] */
};

/* 8-byte GDT/LDT code or data descriptor */
struct seg64 {
	uint32_t base;          /* d[39:16] | d[63:56] << 24 */
	uint32_t limit;         /* raw 20 bits d[15:0] | d[51:48] << 16 */
	unsigned type;          /* d[43:40] */
	unsigned s;             /* d[44]: 1 = code/data, 0 = system */
	unsigned dpl;           /* d[46:45] */
	unsigned present;       /* d[47] */
	unsigned avl;           /* d[52] */
	unsigned l;             /* d[53]: 64-bit code segment */
	unsigned db;            /* d[54] */
	unsigned g;             /* d[55]: limit counts 4 KiB pages */
};

void desc_decode_gate(uint64_t lo, uint64_t hi, struct gate64 *g);
void desc_decode_segment(uint64_t d, struct seg64 *s);
/* highest valid offset: the raw limit scaled by G */
uint32_t desc_seg_limit_bytes(const struct seg64 *s);
/* 1 for the three IA-32e gate types (0xC, 0xE, 0xF) */
int desc_is_gate_type(unsigned type);
/* static string; system != 0 selects the S=0 table */
const char *desc_type_name(unsigned type, int system);

/* One line each, no newline. A negative vector/selector omits the label. */
void desc_format_gate(struct sbuf *sb, int vector, uint64_t lo, uint64_t hi);
void desc_format_segment(struct sbuf *sb, int selector, uint64_t d);
void desc_format_system16(struct sbuf *sb, int selector, uint64_t lo,
			  uint64_t hi);

/* One 64-bit word: WinDbg `hhhhhhhh`llllllll` (1-8 hex digits a side),
 * `0x` + 1-16 hex digits, or exactly 16 bare hex digits. 0 or -1;
 * *out is written only on success. */
int desc_parse_word(const char *s, size_t len, uint64_t *out);

#endif
