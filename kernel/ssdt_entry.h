/*
 * ssdt_entry.h - the Windows x64 encoding of a system-service table entry.
 *
 * Since Windows x64 the table holds 32-bit offsets, not pointers:
 *     entry = ((routine - ServiceTableBase) << 4) | stack_argument_count
 * and KiSystemCall64 decodes it with `movsxd r11, [r10+rax*4]; sar r11, 4`
 * (sign-extending, so routines may sit below the table) and takes the low
 * four bits as the number of 8-byte arguments to copy from the user stack.
 * The kernel and the host unit tests share this code.
 */
#ifndef RINGTRIP_SSDT_ENTRY_H
#define RINGTRIP_SSDT_ENTRY_H
#include <stdint.h>

#define SSDT_MAX_STACK_ARGS 15
/* offsets must fit in 28 signed bits: +-128 MiB around the table */
#define SSDT_MAX_OFFSET  ((int64_t)0x07FFFFFF)
#define SSDT_MIN_OFFSET  (-(int64_t)0x08000000)

/* Returns 0 and stores the entry, or -1 if the routine is out of reach or
 * stack_args does not fit in four bits. */
static inline int ssdt_encode(uint64_t base, uint64_t routine,
			      unsigned stack_args, int32_t *entry)
{
	int64_t off = (int64_t)(routine - base);
	if (off > SSDT_MAX_OFFSET || off < SSDT_MIN_OFFSET ||
	    stack_args > SSDT_MAX_STACK_ARGS)
		return -1;
	*entry = (int32_t)(uint32_t)(((uint64_t)off << 4) | stack_args);
	return 0;
}

static inline uint64_t ssdt_decode_routine(uint64_t base, int32_t entry)
{
	return base + (uint64_t)((int64_t)entry >> 4);   /* sar: sign-extends */
}

static inline unsigned ssdt_decode_stack_args(int32_t entry)
{
	return (unsigned)entry & 0xF;
}

/* The first four arguments travel in registers; the rest on the stack. */
static inline unsigned ssdt_stack_args_for(unsigned nargs)
{
	return nargs > 4 ? nargs - 4 : 0;
}

#endif
