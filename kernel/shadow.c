/* shadow.c - the user address space of the shadow paths.
 *
 * What a KVA-shadow / KPTI address space holds: the user half exactly as the
 * kernel's (the same PML4 entries), and from the kernel half only what the
 * CPU and the entry stubs touch before they switch CR3 - the allow-list
 * below. Kernel code, kernel data, the SSDT, the services, the kernel stack
 * and the page tables are absent, so a Ring 3 access (or a speculative one,
 * Meltdown) finds nothing there.
 *
 * shadow_verify() proves it on the physical pages: it walks the shadow
 * tables themselves and checks every present page's physical address
 * against the allow-list's, which is built from first principles - the
 * linker's load addresses of the sections and stacks, and the pages the
 * allocator handed out for Ring 3 - never from the kernel's own tables (the
 * shadow space shares the user half with them, so comparing the two would
 * compare each entry with itself). A kernel page mapped anywhere, under any
 * address, user-accessible or not, is a violation named with its VA and PA.
 * Ring 3 then proves it again by touching kernel and canary addresses
 * (bench/selftest.c). */
#include "shadow.h"
#include "abi.h"
#include "console.h"
#include "kstacks.h"
#include "paging.h"
#include "ssdt.h"
#include "test_hooks.h"

/* load addresses and bounds from kernel/linker.ld */
extern uint8_t __entry_text_start[], __entry_text_end[], __entry_text_phys[];
extern uint8_t __entry_data_start[], __entry_data_end[], __entry_data_phys[];
extern uint8_t __user_start[], __user_text_end[], __user_end[];
extern uint8_t __user_phys_start[], __user_data_phys[], __image_end_phys[];
extern uint8_t __text_phys[], __rodata_phys[], __data_phys[], __bss_phys[];
extern uint8_t __kernel_phys_end[], __boot_phys_start[], __boot_phys_end[];

/* The allow-list: the one place that says what the shadow address space may
 * map. Each entry: where it is mapped [va, va_end), the physical address of
 * va, and the most a mapping of it may allow (PTE_U, PTE_W; PTE_NX: must
 * not be executable). Entries without PTE_U are the kernel half, which
 * shadow_build() maps from this table and nothing else; entries with PTE_U
 * are Ring 3's pages, which the shadow space shares with the kernel's
 * tables and the walk only checks. */
struct allowed {
	const char *what;
	const uint8_t *va, *va_end;
	const uint8_t *pa;
	uint64_t flags;
};

#define STACK_ALLOWED(s, name)                                              \
	{ name, kstack_area + KSTACK_OFFSET(s),                             \
	  kstack_area + KSTACK_OFFSET(s) + KSTACK_SIZE,                     \
	  __kstacks_phys + KSTACK_OFFSET(s), PTE_W | PTE_NX }
#define MAX_ALLOWED 16

static struct allowed allow_list[MAX_ALLOWED] = {
	/* the kernel half: what the CPU and the entry stubs touch before the
	 * CR3 switch. .entry.text: every stub Ring 3 can enter through, and
	 * the exception stubs; .entry.data: GDT, IDT, TSS, the per-CPU block;
	 * the stacks the TSS names, each without its guard page */
	{ "the entry stubs (.entry.text)", __entry_text_start, __entry_text_end,
	  __entry_text_phys, 0 },
	{ "GDT, IDT, TSS, per-CPU block (.entry.data)", __entry_data_start,
	  __entry_data_end, __entry_data_phys, PTE_W | PTE_NX },
	STACK_ALLOWED(KSTACK_ENTRY, "the entry stack (TSS.RSP0)"),
	STACK_ALLOWED(KSTACK_IST1, "the IST1 (#DF) stack"),
	STACK_ALLOWED(KSTACK_IST2, "the IST2 (NMI) stack"),
	STACK_ALLOWED(KSTACK_IST3, "the IST3 (#MC) stack"),
	STACK_ALLOWED(KSTACK_IST4, "the IST4 (int_ist) stack"),
	/* Ring 3's image, where the linker put it; the pages the kernel
	 * allocates for Ring 3 follow (shadow_allow_user) */
	{ "the Ring 3 image's code", __user_start, __user_text_end,
	  __user_phys_start, PTE_U },
	{ "the Ring 3 image's data", __user_text_end, __user_end,
	  __user_data_phys, PTE_U | PTE_W | PTE_NX },
};

static unsigned allowed_count(void)
{
	unsigned n = 0;
	while (n < MAX_ALLOWED && allow_list[n].what)
		n++;
	return n;
}

static unsigned allow_list_full;   /* grants that did not fit: the walk
				      then reports their pages */

void shadow_allow_user(const char *what, uint64_t va, uint64_t pa, uint64_t bytes,
		       uint64_t flags)
{
	unsigned n = allowed_count();
	if (n == MAX_ALLOWED) {
		allow_list_full++;
		return;
	}
	allow_list[n] = (struct allowed){ what, (const uint8_t *)va,
					  (const uint8_t *)(va + bytes),
					  (const uint8_t *)pa, flags | PTE_U };
}

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
	for (unsigned a = 0; a < allowed_count(); a++) {
		const struct allowed *e = &allow_list[a];
		if (e->flags & PTE_U)
			continue;
		for (uint64_t off = 0; e->va + off < e->va_end; off += PAGE_SIZE)
			if (pt_map(pml4, (uint64_t)e->va + off, (uint64_t)e->pa + off,
				   e->flags))
				return -1;
	}
	test_hooks_shadow_built(pml4);
	root = pa;
	return 0;
}

void shadow_set_global(int on)
{
	if (!root)
		return;
	uint64_t *pml4 = phys_to_virt(root);
	for (unsigned a = 0; a < allowed_count(); a++) {
		const struct allowed *e = &allow_list[a];
		if (e->flags & PTE_U)
			continue;               /* Ring 3's pages stay per space */
		for (uint64_t off = 0; e->va + off < e->va_end; off += PAGE_SIZE)
			pt_map(pml4, (uint64_t)e->va + off, (uint64_t)e->pa + off,
			       e->flags | (on ? PTE_G : 0));
	}
}

/* Kernel objects that must not be in the shadow space at all: not at their
 * own address, and their physical pages not at any address. */
struct named {
	const char *what;
	uint64_t va, pa, bytes;
};
#define NNAMED 7

/* Kernel image objects: linker.ld loads every kernel section at its link
 * address minus KERNEL_VMA. */
static struct named image_object(const char *what, const void *p, uint64_t bytes)
{
	return (struct named){ what, (uint64_t)p, (uint64_t)p - KERNEL_VMA, bytes };
}

static void named_objects(struct named n[NNAMED])
{
	n[0] = image_object("the SSDT", service_descriptor_table,
			    sizeof service_descriptor_table);
	n[1] = image_object("the dispatcher", (const void *)ssdt_dispatch, 1);
	n[2] = image_object("the user copy", (const void *)copy_from_user_raw, 1);
	n[3] = (struct named){ "the kernel stack", kstack_base(KSTACK_KERNEL),
			       kstack_phys(KSTACK_KERNEL), KSTACK_SIZE };
	n[4] = (struct named){ "the boot stack", kstack_base(KSTACK_BOOT),
			       kstack_phys(KSTACK_BOOT), KSTACK_SIZE };
	n[5] = (struct named){ "the kernel's page tables",
			       (uint64_t)phys_to_virt(kernel_cr3 & PTE_ADDR),
			       kernel_cr3 & PTE_ADDR, PAGE_SIZE };
	n[6] = (struct named){ "the shadow page tables", (uint64_t)phys_to_virt(root),
			       root, PAGE_SIZE };
}

static int in(uint64_t x, const void *lo, const void *hi)
{
	return x >= (uint64_t)lo && x < (uint64_t)hi;
}

/* what a physical page is, from the linker's and the allocator's view */
static void describe_phys(struct sbuf *sb, uint64_t pa, const struct named *n)
{
	static const struct { const char *what; uint8_t *lo, *hi; } image[] = {
		{ "kernel .text", __text_phys, __entry_text_phys },
		{ "kernel .entry.text", __entry_text_phys, __entry_data_phys },
		{ "kernel .entry.data", __entry_data_phys, __rodata_phys },
		{ "kernel .rodata", __rodata_phys, __data_phys },
		{ "kernel .data", __data_phys, __kstacks_phys },
		{ "kernel .kstacks", __kstacks_phys, __bss_phys },
		{ "kernel .bss", __bss_phys, __kernel_phys_end },
		{ "the Ring 3 image", __user_phys_start, __image_end_phys },
		{ "the boot code and boot page tables (.boot)", __boot_phys_start,
		  __boot_phys_end },
	};
	const char *what = "memory outside the kernel image";
	for (unsigned i = 0; i < sizeof image / sizeof image[0]; i++)
		if (in(pa, image[i].lo, image[i].hi))
			what = image[i].what;
	if (phys_allocated(pa))
		what = "memory the kernel allocated";
	sb_puts(sb, what);
	for (unsigned i = 0; i < NNAMED; i++) {
		uint64_t lo = n[i].pa & ~(PAGE_SIZE - 1);
		if (pa >= lo && pa < n[i].pa + n[i].bytes) {
			sb_puts(sb, ", holds ");
			sb_puts(sb, n[i].what);
		}
	}
}

struct walk {
	struct rt_isolation *r;
	struct named named[NNAMED];
	uint32_t named_seen;       /* bit i: named[i]'s page is mapped */
	unsigned shown;            /* violations printed */
};

#define SHOW_VIOLATIONS 4

static void violation(struct walk *w, uint64_t va, uint64_t pa, uint64_t eff,
		      const char *why)
{
	char buf[sizeof w->r->first_violation_what];
	struct sbuf what;
	sb_init(&what, buf, sizeof buf);
	describe_phys(&what, pa, w->named);
	sb_puts(&what, ": ");
	sb_puts(&what, why);
	sb_puts(&what, (eff & PTE_U) ? ((eff & PTE_W) ? ", Ring 3 can write it" :
					", Ring 3 can read it") : ", supervisor-only");
	if (!w->r->violations++) {
		w->r->first_violation = va;
		w->r->first_violation_pa = pa;
		for (unsigned i = 0; i < sizeof buf; i++)
			w->r->first_violation_what[i] = buf[i];
	}
	if (w->shown++ < SHOW_VIOLATIONS) {
		KLINE(l);
		sb_puts(&l, "# warning: isolation violation in the shadow address space: va=");
		sb_hex(&l, va, 1);
		sb_puts(&l, " pa=");
		sb_hex(&l, pa, 1);
		sb_putc(&l, ' ');
		sb_puts(&l, buf);
		sb_endline(&l);
		console_sb(CON_BOTH, &l);
	}
}

/* One present 4 KiB page: va maps pa with the effective rights eff (U and
 * W of every level ANDed, NX ORed). */
static void check_page(struct walk *w, uint64_t va, uint64_t pa, uint64_t eff)
{
	for (unsigned i = 0; i < NNAMED; i++) {
		uint64_t lo = w->named[i].pa & ~(PAGE_SIZE - 1);
		if (pa >= lo && pa < w->named[i].pa + w->named[i].bytes)
			w->named_seen |= 1u << i;
	}
	const struct allowed *a = 0;
	for (unsigned i = 0; i < allowed_count() && !a; i++) {
		uint64_t len = (uint64_t)(allow_list[i].va_end - allow_list[i].va);
		if (in(pa, allow_list[i].pa, allow_list[i].pa + len))
			a = &allow_list[i];
	}
	const char *why = 0;
	if (!a)
		why = "not on the allow-list";
	else if (va != (uint64_t)a->va + (pa - (uint64_t)a->pa))
		why = "allow-listed, but mapped at another address";
	else if ((eff & PTE_U) != (a->flags & PTE_U))
		why = (eff & PTE_U) ? "allow-listed supervisor-only, mapped for Ring 3" :
				      "allow-listed for Ring 3, mapped supervisor-only";
	else if ((eff & PTE_W) && !(a->flags & PTE_W))
		why = "allow-listed read-only, mapped writable";
	else if (nx_enabled() && (a->flags & PTE_NX) && !(eff & PTE_NX))
		why = "allow-listed not executable, mapped executable";
	if (why)
		violation(w, va, pa, eff, why);
	else if (eff & PTE_U)
		w->r->user_pages++;
	else
		w->r->allowed_pages++;
}

static void walk(struct walk *w, const uint64_t *table, int level, uint64_t base,
		 uint64_t eff)
{
	static const uint64_t span[] = { 1ULL << 12, 1ULL << 21, 1ULL << 30, 1ULL << 39 };
	for (unsigned i = 0; i < 512; i++) {
		uint64_t e = table[i];
		if (!(e & PTE_P))
			continue;
		uint64_t va = base + i * span[level];
		if (level == 3 && va >= (1ULL << 47))
			va |= 0xFFFF000000000000ULL;          /* canonical upper half */
		uint64_t rights = (eff & e & (PTE_U | PTE_W)) | ((eff | e) & PTE_NX);
		if (level == 0 || (level < 3 && (e & PTE_PS))) {
			/* a 2 MiB / 1 GiB leaf's address bits start above its PAT bit */
			uint64_t pa = e & PTE_ADDR & ~(span[level] - 1);
			for (uint64_t off = 0; off < span[level]; off += PAGE_SIZE)
				check_page(w, va + off, pa + off, rights);
		} else {
			walk(w, phys_to_virt(e & PTE_ADDR), level - 1, va, rights);
		}
	}
}

void shadow_verify(struct rt_isolation *r)
{
	*r = (struct rt_isolation){ 0 };
	if (!root)
		return;
	r->built = 1;
	static struct walk w;           /* not on the stack: it is not small */
	w = (struct walk){ .r = r };
	named_objects(w.named);
	walk(&w, phys_to_virt(root), 3, 0, PTE_U | PTE_W);
	r->must_be_absent = NNAMED;
	for (unsigned i = 0; i < NNAMED; i++) {
		/* at its own address too (every page of it) */
		for (uint64_t va = w.named[i].va & ~(PAGE_SIZE - 1);
		     va < w.named[i].va + w.named[i].bytes; va += PAGE_SIZE)
			if (pt_lookup(phys_to_virt(root), va))
				w.named_seen |= 1u << i;
		if (w.named_seen & (1u << i))
			r->present_anyway++;
	}
	if (allow_list_full)
		r->violations += allow_list_full;     /* a grant the list lost */
	if (w.shown > SHOW_VIOLATIONS) {
		KLINE(l);
		sb_puts(&l, "# warning: isolation: ");
		sb_u64(&l, w.shown - SHOW_VIOLATIONS);
		sb_puts(&l, " more violations");
		sb_endline(&l);
		console_sb(CON_BOTH, &l);
	}
}
