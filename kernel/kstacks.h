/*
 * kstacks.h - every stack Ring 0 runs on, each with an unmapped guard page
 * below it (and, since the next stack's guard follows it, above it).
 *
 * The stacks live in the kernel image's .kstacks section (kernel/linker.ld),
 * one slot of KSTACK_SLOT_PAGES pages each: a guard page, then the stack.
 * The kernel half maps the image through the boot's 2 MiB direct map;
 * kstacks_init() splits the 2 MiB pages that hold .kstacks into 4 KiB pages
 * and leaves every guard page not present, so a stack's only mapping has a
 * hole below it. An overflow then faults in the guard instead of writing
 * over whatever lies below: #PF cannot be delivered on the overflowed
 * stack, the CPU raises #DF, and #DF runs on IST1 - a guarded stack of its
 * own - where kernel/exception.c reports which stack overflowed.
 */
#ifndef RINGTRIP_KSTACKS_H
#define RINGTRIP_KSTACKS_H
#include <stdint.h>

enum kstack {
	KSTACK_BOOT,     /* kmain, from boot.asm's high_entry on */
	KSTACK_KERNEL,   /* percpu.kernel_rsp: syscall, sysenter, the shadow entries */
	KSTACK_ENTRY,    /* TSS.RSP0: int gates, the call gate, exceptions from Ring 3 */
	KSTACK_IST1,     /* #DF */
	KSTACK_IST2,     /* NMI */
	KSTACK_IST3,     /* #MC */
	KSTACK_IST4,     /* the int_ist path */
	KSTACK_COUNT
};

#define KSTACK_PAGE        4096
#define KSTACK_SIZE        16384                       /* every stack */
#define KSTACK_SLOT_PAGES  (1 + KSTACK_SIZE / KSTACK_PAGE)  /* guard + stack */
/* the slots, then one more guard page above the last stack */
#define KSTACKS_BYTES      ((KSTACK_COUNT * KSTACK_SLOT_PAGES + 1) * KSTACK_PAGE)
/* offset of stack i's lowest byte / of its top (initial RSP) in .kstacks */
#define KSTACK_OFFSET(i)   (((i) * KSTACK_SLOT_PAGES + 1) * KSTACK_PAGE)
#define KSTACK_TOP_OFFSET(i) (KSTACK_OFFSET(i) + KSTACK_SIZE)

/* the IST index of a TSS slot -> its stack */
#define KSTACK_OF_IST(ist) ((enum kstack)(KSTACK_IST1 + (ist) - 1))

extern uint8_t kstack_area[KSTACKS_BYTES];     /* .kstacks */
extern uint8_t __kstacks_phys[];               /* its load address */

static inline uint64_t kstack_base(enum kstack s)   /* lowest byte */
{
	return (uint64_t)kstack_area + KSTACK_OFFSET(s);
}
static inline uint64_t kstack_end(enum kstack s)    /* its top: the initial RSP */
{
	return (uint64_t)kstack_area + KSTACK_TOP_OFFSET(s);
}
static inline uint64_t kstack_phys(enum kstack s)   /* physical lowest byte */
{
	return (uint64_t)__kstacks_phys + KSTACK_OFFSET(s);
}
static inline uint64_t kstack_guard(enum kstack s)  /* the unmapped page below */
{
	return kstack_base(s) - KSTACK_PAGE;
}

/* "the kernel stack", "IST1 (#DF)", ... */
const char *kstack_name(enum kstack s);
/* The stack whose mapped pages hold va, or -1. */
int kstack_holding(uint64_t va);
/* The stack whose guard page holds va (or whose RSP sits exactly on the
 * guard's top, the stack's lowest byte: the push that faulted), or -1. */
int kstack_guard_hit(uint64_t va);

/* Called by boot.asm on the boot stack before kmain: punch the guard pages
 * out of the boot page tables (which the kernel's tables keep using). */
void kstacks_init(void);

#endif
