/* protect.c - see protect.h. SMEP (CR4.20) makes Ring 0 fault when it
 * executes a user page, SMAP (CR4.21) when it reads or writes one outside
 * stac/clac - the two tricks that turn a kernel bug into a user-controlled
 * exploit. The probes execute and read a user page from Ring 0 through
 * kernel_probe(), which survives the #PF and records it. */
#include "protect.h"
#include "abi.h"
#include "cpu.h"
#include "exception.h"
#include "percpu.h"

#define CR4_SMEP (1ULL << 20)
#define CR4_SMAP (1ULL << 21)

static void exec_user(uint64_t va)
{
	((void (*)(void))va)();
}

static void read_user(uint64_t va)
{
	(void)*(volatile uint8_t *)va;
}

static void probe(struct rt_prot_probe *p, void (*fn)(uint64_t), uint64_t va)
{
	p->tried = 1;
	p->faulted = (uint64_t)kernel_probe(fn, va);
	p->vector = p->faulted ? kprobe_fault.vector : 0;
	p->error = p->faulted ? kprobe_fault.error : 0;
	p->cr2 = p->faulted ? kprobe_fault.cr2 : 0;
	p->va = va;
}

void protections_enable(struct rt_shared *sh)
{
	uint32_t r[4];
	cpuid(0, 0, r);
	if (r[0] >= 7)
		cpuid(7, 0, r);
	else
		r[1] = 0;
	int smep = (r[1] >> 7) & 1, smap = (r[1] >> 20) & 1;
	if (smep) {
		write_cr4(read_cr4() | CR4_SMEP);
		/* a `ret` at the start of the last user page (see main.c) */
		probe(&sh->smep_probe, exec_user, USER_LAST_PAGE_VA);
	}
	if (smap) {
		write_cr4(read_cr4() | CR4_SMAP);
		percpu0.smap = 1;
		probe(&sh->smap_probe, read_user, USER_SHARED_VA);
	}
}
