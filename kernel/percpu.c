/* percpu.c - the one CPU's per-CPU block and the GS MSRs that reach it. */
#include "percpu.h"
#include "abi.h"
#include "cpu.h"

struct percpu percpu0 __attribute__((section(".entry.data")));

void percpu_init(uint64_t kernel_stack_top, uint64_t entry_stack_top)
{
	percpu0.self = &percpu0;
	percpu0.kernel_rsp = kernel_stack_top;
	percpu0.entry_rsp = entry_stack_top;
	/* Ring 0 runs with GS_BASE = the block; enter_user's swapgs parks it
	 * in KERNEL_GS_BASE, and each entry's swapgs brings it back. */
	wrmsr(MSR_GS_BASE, (uint64_t)&percpu0);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
}
