/* shadow.c - the user address space of the shadow paths.
 *
 * What a KVA-shadow / KPTI address space holds: the user half exactly as the
 * kernel's (the same PML4 entries), and from the kernel half only what the
 * CPU and the entry stubs touch before they switch CR3 - the allow-list
 * below. Kernel code, kernel data, the SSDT, the services, the kernel stack
 * and the page tables are absent, so a Ring 3 access (or a speculative one,
 * Meltdown) finds nothing there. shadow_verify() walks the tables and proves
 * it; Ring 3 then proves it again by touching kernel addresses. */
#include "shadow.h"
#include "abi.h"
#include "paging.h"
#include "percpu.h"
#include "ssdt.h"

extern uint8_t __entry_text_start[], __entry_text_end[];
extern uint8_t __entry_data_start[], __entry_data_end[];

/* The allow-list: the one place that says what the shadow address space may
 * map of the kernel. .entry.text holds every stub Ring 3 can enter through
 * (and exception stubs); .entry.data the GDT, IDT, TSS, per-CPU block, the
 * entry stack (TSS.RSP0) and the IST stacks. */
static const struct allowed {
	const char *what;
	const uint8_t *start, *end;
	uint64_t flags;
} allow_list[] = {
	{ "entry stubs", __entry_text_start, __entry_text_end, 0 },
	{ "GDT, IDT, TSS, per-CPU block, entry and IST stacks",
	  __entry_data_start, __entry_data_end, PTE_W | PTE_NX },
};
#define NALLOWED (sizeof allow_list / sizeof allow_list[0])

static uint64_t root;

uint64_t shadow_cr3(void)
{
	return root;
}

int shadow_build(void)
{
	uint64_t pa = phys_alloc_page();
	if (!pa)
		return -1;
	uint64_t *pml4 = phys_to_virt(pa), *kpml4 = kernel_pml4();
	for (unsigned i = 0; i < 256; i++)          /* the user half, shared */
		pml4[i] = kpml4[i];
	for (unsigned a = 0; a < NALLOWED; a++)
		for (const uint8_t *va = allow_list[a].start; va < allow_list[a].end;
		     va += PAGE_SIZE)
			if (pt_map(pml4, (uint64_t)va, (uint64_t)va - KERNEL_VMA,
				   allow_list[a].flags))
				return -1;
	root = pa;
	return 0;
}

static int allowed(uint64_t va)
{
	for (unsigned a = 0; a < NALLOWED; a++)
		if (va >= (uint64_t)allow_list[a].start && va < (uint64_t)allow_list[a].end)
			return 1;
	return 0;
}

static void check_leaf(struct rt_isolation *r, uint64_t va, uint64_t e, uint64_t size)
{
	for (uint64_t off = 0; off < size; off += PAGE_SIZE) {
		uint64_t v = va + off;
		int ok;
		if (v < (1ULL << 47))
			ok = (e & PTE_U) && pt_lookup(kernel_pml4(), v) == e;
		else
			ok = !(e & PTE_U) && allowed(v);
		if (ok) {
			if (v < (1ULL << 47))
				r->user_pages++;
			else
				r->allowed_pages++;
		} else if (!r->violations++) {
			r->first_violation = v;
		}
	}
}

static void walk(struct rt_isolation *r, const uint64_t *table, int level, uint64_t base)
{
	static const uint64_t span[] = { 1ULL << 12, 1ULL << 21, 1ULL << 30, 1ULL << 39 };
	for (unsigned i = 0; i < 512; i++) {
		uint64_t e = table[i];
		if (!(e & PTE_P))
			continue;
		uint64_t va = base + i * span[level];
		if (level == 3 && va >= (1ULL << 47))
			va |= 0xFFFF000000000000ULL;          /* canonical upper half */
		if (level == 0 || (e & PTE_PS))
			check_leaf(r, va, e, span[level]);
		else
			walk(r, phys_to_virt(e & PTE_ADDR), level - 1, va);
	}
}

void shadow_verify(struct rt_isolation *r)
{
	const uint64_t absent[] = {
		(uint64_t)service_descriptor_table,       /* the SSDT */
		(uint64_t)ssdt_dispatch,                  /* the dispatcher */
		(uint64_t)ssdt_call,                      /* service call and copy */
		percpu0.kernel_rsp - 8,                   /* the kernel stack */
		(uint64_t)kernel_pml4(),                  /* the kernel's tables */
		(uint64_t)phys_to_virt(root),             /* and these */
	};
	*r = (struct rt_isolation){ 0 };
	if (!root)
		return;
	r->built = 1;
	walk(r, phys_to_virt(root), 3, 0);
	for (unsigned i = 0; i < sizeof absent / sizeof absent[0]; i++) {
		r->must_be_absent++;
		if (pt_lookup(phys_to_virt(root), absent[i]))
			r->present_anyway++;
	}
}
