/* kstacks.c - the guarded Ring 0 stacks (see kstacks.h). */
#include "kstacks.h"
#include "abi.h"
#include "cpu.h"
#include "paging.h"

/* NOBITS (.bss.*), page-aligned; kernel/linker.ld gives it a section of its
 * own, .kstacks, and its load address __kstacks_phys */
uint8_t kstack_area[KSTACKS_BYTES]
	__attribute__((section(".bss.kstacks"), aligned(KSTACK_PAGE)));

_Static_assert(KSTACK_OF_IST(IST_DF) == KSTACK_IST1 && KSTACK_OF_IST(IST_NMI) == KSTACK_IST2 &&
	       KSTACK_OF_IST(IST_MC) == KSTACK_IST3 && KSTACK_OF_IST(IST_SERVICE) == KSTACK_IST4,
	       "an IST slot's stack");
_Static_assert(KSTACKS_BYTES <= 0x200000, ".kstacks spans at most two 2 MiB pages");

/* The 4 KiB page tables that replace the 2 MiB pages holding .kstacks
 * (it is far smaller than 2 MiB, so it touches at most two of them). */
static uint64_t split_pt[2][512] __attribute__((aligned(KSTACK_PAGE)));
static unsigned nsplit;

static const char *const names[KSTACK_COUNT] = {
	[KSTACK_BOOT] = "the boot stack",
	[KSTACK_KERNEL] = "the kernel stack",
	[KSTACK_ENTRY] = "the entry stack (TSS.RSP0)",
	[KSTACK_IST1] = "IST1 (#DF)",
	[KSTACK_IST2] = "IST2 (NMI)",
	[KSTACK_IST3] = "IST3 (#MC)",
	[KSTACK_IST4] = "IST4 (int_ist)",
};

const char *kstack_name(enum kstack s)
{
	return (unsigned)s < KSTACK_COUNT ? names[s] : "an unknown stack";
}

int kstack_holding(uint64_t va)
{
	for (int s = 0; s < KSTACK_COUNT; s++)
		if (va >= kstack_base(s) && va < kstack_end(s))
			return s;
	return -1;
}

int kstack_guard_hit(uint64_t va)
{
	for (int s = 0; s < KSTACK_COUNT; s++)
		if (va >= kstack_guard(s) && va <= kstack_base(s))
			return s;
	return -1;
}

/* The 4 KiB entry for va in the tables CR3 points at, splitting the 2 MiB
 * page that maps it if need be. Runs before paging_init(): the tables are
 * the boot's (kernel/boot.asm), reached through the direct map, and the
 * kernel's keep the same PDPT and PD (paging_init() reuses them). */
static uint64_t *pte_for(uint64_t va)
{
	uint64_t *t = phys_to_virt(read_cr3() & PTE_ADDR);
	for (int shift = 39; shift > 21; shift -= 9)
		t = phys_to_virt(t[(va >> shift) & 511] & PTE_ADDR);
	uint64_t *pde = &t[(va >> 21) & 511];
	if (*pde & PTE_PS) {
		if (nsplit == sizeof split_pt / sizeof split_pt[0])
			return 0;
		uint64_t *pt = split_pt[nsplit++];
		uint64_t base = *pde & PTE_ADDR & ~0x1FFFFFULL;
		uint64_t flags = *pde & (PTE_P | PTE_W | PTE_U | PTE_NX);
		for (unsigned i = 0; i < 512; i++)
			pt[i] = (base + i * KSTACK_PAGE) | flags;
		/* the table is in the image: its physical address is its link
		 * address minus KERNEL_VMA */
		*pde = ((uint64_t)pt - KERNEL_VMA) | PTE_P | PTE_W;
	}
	return &((uint64_t *)phys_to_virt(*pde & PTE_ADDR))[(va >> 12) & 511];
}

void kstacks_init(void)
{
	for (int s = 0; s <= KSTACK_COUNT; s++) {
		/* slot s's guard; s == KSTACK_COUNT: the one above the last stack */
		uint64_t guard = (uint64_t)kstack_area + (uint64_t)s * KSTACK_SLOT_PAGES * KSTACK_PAGE;
		uint64_t *pte = pte_for(guard);
		if (pte)
			*pte = 0;
	}
	write_cr3(read_cr3());          /* drop the 2 MiB translations */
}
