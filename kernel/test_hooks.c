/* test_hooks.c - see test_hooks.h. Compiled to nothing in the default
 * image: everything below exists only with -DRINGTRIP_TEST_HOOKS. */
#ifdef RINGTRIP_TEST_HOOKS
#include "test_hooks.h"
#include "abi.h"
#include "console.h"
#include "kstacks.h"
#include "paging.h"
#include "ssdt.h"
#include "../lib/options.h"

static uint32_t armed;

/* An unbounded Ring 0 recursion: a frame per call, never a tail call (the
 * addition after it), never optimised away (the volatile frame). It ends in
 * the guard page below whichever stack it runs on: #PF, which cannot be
 * pushed there, so #DF on IST1 and kernel/exception.c's report. */
static volatile int keep_going = 1;
static __attribute__((noinline)) uint64_t recurse(uint64_t depth)
{
	volatile uint64_t frame[8];
	frame[0] = depth;
	if (!keep_going)
		return depth;
	return recurse(depth + 1) + frame[0];
}

static __attribute__((noreturn)) void recurse_on(enum kstack s)
{
	__asm__ volatile("mov %0, %%rsp\n\t"
			 "xor %%edi, %%edi\n\t"
			 "call *%1"
			 : : "r"(kstack_end(s)), "r"(recurse) : "rdi", "memory");
	__builtin_unreachable();
}

void test_hooks_boot(uint32_t test_mask)
{
	armed = test_mask;
	for (unsigned i = 0; i < TEST_HOOK_COUNT; i++) {
		if (!(armed & (1u << i)))
			continue;
		KLINE(l);
		sb_puts(&l, "# warning: test hook armed: test=");
		sb_puts(&l, test_hook_names[i]);
		sb_puts(&l, " (test-hooks build)");
		sb_endline(&l);
		console_sb(CON_BOTH, &l);
	}
	if (armed & (1u << TEST_FAULT_MIDLINE)) {
		/* what an NMI landing inside a print looks like */
		console_puts(CON_SERIAL, "# half a line, then");
		__asm__ volatile("ud2");
	}
	if (armed & (1u << TEST_BOOTSTACK_OVERFLOW))
		recurse(0);                     /* kmain's own stack */
	if (armed & (1u << TEST_KSTACK_OVERFLOW))
		recurse_on(KSTACK_KERNEL);
	if (armed & (1u << TEST_ENTRYSTACK_OVERFLOW))
		recurse_on(KSTACK_ENTRY);
}

void test_hooks_shadow_built(uint64_t *shadow_pml4)
{
	if (!(armed & (1u << TEST_LEAK_SHADOW)))
		return;
	/* the SSDT's physical page (kernel image: load address = link
	 * address - KERNEL_VMA), readable by Ring 3 at USER_CANARY_VA. The
	 * user half's tables are shared with the kernel's, as KPTI shares
	 * them, so the page shows in both address spaces. */
	uint64_t pa = ((uint64_t)service_descriptor_table - KERNEL_VMA) & ~(PAGE_SIZE - 1);
	pt_map(shadow_pml4, USER_CANARY_VA, pa, PTE_U | PTE_NX);
}
#endif
