/* paging.c - physical pages and the kernel's page tables.
 *
 * The kernel half (PML4 slot 511) is the boot's direct map of phys
 * [0, 1 GiB) in 2 MiB supervisor pages - but for the one or two holding the
 * kernel stacks, which kernel/kstacks.c split into 4 KiB pages with a hole
 * (a guard page) below every stack; the kernel's tables keep the boot's
 * PDPT and PD, so the holes stay. The user half holds only what Ring 3
 * needs - its image, its sample buffer, the shared page - in 4 KiB pages with
 * U/S set. The boot's identity map is gone once paging_init() returns, so a
 * stray low pointer faults instead of quietly working. */
#include "paging.h"
#include "abi.h"
#include "cpu.h"
#include "../lib/string.h"

extern uint8_t __user_start[], __user_text_end[], __user_end[];
extern uint8_t __user_phys_start[];
extern uint64_t boot_pdpt_hi_phys;

uint64_t kernel_cr3;
static uint64_t *pml4;
static uint64_t alloc_start, next_free, free_end;
static int nx;

static inline uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

void phys_init(const struct boot_info *bi, uint64_t kernel_end_phys)
{
	uint64_t start = align_up(kernel_end_phys > bi->mbi_end_phys ?
				  kernel_end_phys : bi->mbi_end_phys, PAGE_SIZE);
	uint64_t best = 0;
	for (unsigned i = 0; i < bi->navail; i++) {
		uint64_t b = bi->avail[i].base, e = b + bi->avail[i].len;
		if (e > DIRECT_MAP_SIZE)
			e = DIRECT_MAP_SIZE;
		if (b < start)
			b = start;
		b = align_up(b, PAGE_SIZE);
		if (e > b && e - b > best) {
			best = e - b;
			alloc_start = next_free = b;
			free_end = e & ~(PAGE_SIZE - 1);
		}
	}
}

uint64_t phys_free_bytes(void)
{
	return free_end - next_free;
}

int phys_allocated(uint64_t pa)
{
	return pa >= alloc_start && pa < next_free;
}

uint64_t phys_alloc_page(void)
{
	if (next_free + PAGE_SIZE > free_end)
		return 0;
	uint64_t pa = next_free;
	next_free += PAGE_SIZE;
	memset(phys_to_virt(pa), 0, PAGE_SIZE);
	return pa;
}

/* The next-level table under entry *e, created if absent. Intermediate
 * entries are as permissive as their leaves need; the leaf decides. */
static uint64_t *next_table(uint64_t *e, uint64_t leaf_flags)
{
	uint64_t want = PTE_P | PTE_W | (leaf_flags & PTE_U);
	if (!(*e & PTE_P)) {
		uint64_t pa = phys_alloc_page();
		if (!pa)
			return 0;
		*e = pa | want;
	}
	*e |= want;
	return phys_to_virt(*e & PTE_ADDR);
}

int pt_map(uint64_t *root, uint64_t va, uint64_t pa, uint64_t flags)
{
	uint64_t *t = root;
	for (int shift = 39; shift > 12; shift -= 9) {
		t = next_table(&t[(va >> shift) & 511], flags);
		if (!t)
			return -1;
	}
	if (!nx)
		flags &= ~PTE_NX;
	t[(va >> 12) & 511] = (pa & PTE_ADDR) | flags | PTE_P;
	invlpg(va);
	return 0;
}

uint64_t pt_lookup(const uint64_t *root, uint64_t va)
{
	const uint64_t *t = root;
	for (int shift = 39; shift >= 12; shift -= 9) {
		uint64_t e = t[(va >> shift) & 511];
		if (!(e & PTE_P))
			return 0;
		if (shift == 12 || (e & PTE_PS))
			return e;
		t = phys_to_virt(e & PTE_ADDR);
	}
	return 0;
}

/* The 4 KiB PTE mapping va, or NULL where a level is absent or a large
 * page maps it */
static uint64_t *pte_of(uint64_t *root, uint64_t va)
{
	uint64_t *t = root;
	for (int shift = 39; shift > 12; shift -= 9) {
		uint64_t e = t[(va >> shift) & 511];
		if (!(e & PTE_P) || (e & PTE_PS))
			return 0;
		t = phys_to_virt(e & PTE_ADDR);
	}
	return &t[(va >> 12) & 511];
}

void pt_unmap(uint64_t *root, uint64_t va)
{
	uint64_t *pte = pte_of(root, va);
	if (pte && (*pte & PTE_P)) {
		*pte = 0;
		invlpg(va);
	}
}

/* The pages first, then the tables that map them: the pages are then one
 * physical run, which *pa_out names (the shadow allow-list records it). */
int map_user_range(uint64_t va, uint64_t bytes, uint64_t flags, uint64_t *pa_out)
{
	uint64_t first = 0;
	for (uint64_t off = 0; off < bytes; off += PAGE_SIZE) {
		uint64_t pa = phys_alloc_page();
		if (!pa || (off && pa != first + off))
			return -1;
		if (!off)
			first = pa;
	}
	for (uint64_t off = 0; off < bytes; off += PAGE_SIZE)
		if (pt_map(pml4, va + off, first + off, flags | PTE_U))
			return -1;
	*pa_out = first;
	return 0;
}

uint64_t *kernel_pml4(void)
{
	return pml4;
}

int nx_enabled(void)
{
	return nx;
}

void paging_init(void)
{
	uint32_t r[4];
	cpuid(0x80000000, 0, r);
	if (r[0] >= 0x80000001) {
		cpuid(0x80000001, 0, r);
		if (r[3] & (1u << 20)) {
			wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
			nx = 1;
		}
	}

	uint64_t root = phys_alloc_page();
	pml4 = phys_to_virt(root);
	pml4[511] = boot_pdpt_hi_phys | PTE_P | PTE_W;

	/* the Ring 3 image: code read-only, data writable and not executable */
	uint64_t n = (uint64_t)(__user_end - __user_start);
	for (uint64_t off = 0; off < n; off += PAGE_SIZE) {
		uint64_t va = (uint64_t)__user_start + off;
		uint64_t pa = (uint64_t)__user_phys_start + off;
		uint64_t flags = PTE_U;
		if (va >= (uint64_t)__user_text_end)
			flags |= PTE_W | PTE_NX;
		pt_map(pml4, va, pa, flags);
	}
	kernel_cr3 = root;
	write_cr3(root);
}
