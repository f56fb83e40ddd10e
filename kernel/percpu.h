/*
 * percpu.h - the per-CPU block Ring 0 reaches through GS after swapgs.
 *
 * In Ring 3, IA32_KERNEL_GS_BASE holds its address and GS_BASE the user's;
 * the first instruction of every entry from Ring 3 is swapgs, which makes
 * gs:OFFSET address this block (Windows' KPCR/KPRCB, Linux's per-cpu area).
 * Entry stubs only use the offsets generated from this struct.
 */
#ifndef RINGTRIP_PERCPU_H
#define RINGTRIP_PERCPU_H
#include <stdint.h>

/* It lives in .entry.data, so the shadow (user) address space maps it: the
 * shadow entry stubs read kernel_cr3 before they can switch to it. */
struct percpu {
	struct percpu *self;
	uint64_t kernel_rsp;   /* top of the kernel stack, loaded on syscall */
	uint64_t user_rsp;     /* scratch: the user RSP while the stack is switched */
	uint64_t kernel_cr3;   /* value loaded on entry: the full address space */
	uint64_t user_cr3;     /* value loaded on exit to Ring 3: equal to
				  kernel_cr3 unless a shadow path is selected */
	uint64_t entry_rsp;    /* top of the entry stack (TSS.RSP0), mapped in
				  both address spaces */
	uint64_t scratch;      /* one register's worth, for the CR3 switch */
	uint64_t recover_rip;  /* armed by SVC_SET_RECOVERY: where a Ring 3 */
	uint64_t recover_rsp;  /* fault resumes instead of ending the run */
	uint64_t iret_fallbacks; /* syscall exits that took iretq, not sysretq */
	uint64_t smap;         /* 1 once protect.c turned CR4.SMAP on: the
				  stubs' stac/clac run only then. Here, not in
				  .data, because a stub that reads it may run
				  while the shadow space is live */
	uint64_t fred;         /* 1 while CR4.FRED is on (kernel/fred.c): the
				  control gate's exit reads it to leave by
				  ERETU once a FRED path has been selected */
	/* the entry mitigations' values (kernel/mitig.c sets them when a
	 * path is selected; entry/mitig.inc's sequences read them through GS) */
	uint64_t spec_ctrl_kernel; /* IA32_SPEC_CTRL on entry (ibrs): IBRS + base */
	uint64_t spec_ctrl_user;   /* ... and on the way out: the base value */
	uint32_t kernel_mxcsr;     /* fpu: what ldmxcsr loads on entry (0x1F80) */
	uint32_t user_mxcsr;       /* fpu: Ring 3's MXCSR while in the kernel */
};

extern struct percpu percpu0;
void percpu_init(uint64_t kernel_stack_top, uint64_t entry_stack_top);

#endif
