/*
 * shared_page.h - what the kernel tells Ring 3, on a page Ring 3 may read but
 * not write (mapped at USER_SHARED_VA, the place Windows keeps
 * KUSER_SHARED_DATA). Ring 3 gets its address in RDI when it is entered.
 */
#ifndef RINGTRIP_SHARED_PAGE_H
#define RINGTRIP_SHARED_PAGE_H
#include <stdint.h>
#include "../lib/mitig.h"       /* struct mitig_cpu, MITIG_COUNT */

#define SHARED_MAGIC     0x7069727467697200ULL
#define MAX_PATHS        24   /* the page below must still fit: see the assert */
#define PATH_NAME_LEN    20
#define PATH_STATUS_LEN  32
#define CMDLINE_LEN      512

/* An invoke stub, called from C in Ring 3. It performs one round trip of
 * service call->number with the arguments in call->arg, returns what the
 * kernel returned in RAX, and stores the elapsed TSC ticks in *ticks (timed
 * stubs only). call->rsp, when non-zero, replaces RSP across the crossing
 * (used by the bad-user-stack self-tests; untimed stubs only). */
struct rt_call {
	uint64_t number;
	uint64_t arg[16];
	uint64_t rsp;
	uint64_t pmc;       /* ECX for rdpmc, for the *_pmc stubs */
	uint64_t batch;     /* timed stubs: crossings between the two clock
			       reads (batch=K); 0 counts as 1 */
};
typedef uint64_t (*rt_stub_fn)(const struct rt_call *call, uint64_t *ticks);

#define PATH_SYSRET_EXIT 1   /* leaves by sysretq: the non-canonical RIP test applies */
#define PATH_SHADOW      2   /* Ring 3 runs on the shadow address space */
#define PATH_EXCEPTION   4   /* a timed exception, not a system call: one
				service, "none"; no dispatcher self-tests */
#define PATH_INT_GATE    8   /* entered through an IDT gate (its swapgs is
				conditional on the saved CS) */
#define PATH_PCID        16  /* its shadow space uses PCIDs */
#define PATH_MITIG       32  /* its stub has a template: the entry
				mitigations apply (kernel/mitig.h) */
#define PATH_FRED        64  /* events delivered by FRED while it is selected
				(CR4.FRED on): IDT-only self-tests are skipped */

struct rt_path_view {
	char name[PATH_NAME_LEN];
	uint32_t runnable;  /* 1: this CPU can run it; 0: status says why not */
	uint64_t flags;     /* PATH_* */
	char status[PATH_STATUS_LEN];   /* the CSV's status: "ok" or "unsupported:<why>" */
	uint64_t invoke;    /* timed stub */
	uint64_t baseline;  /* the same stub, crossing replaced by a NOP */
	uint64_t call;      /* untimed, honours rt_call.rsp */
	uint64_t reset;        /* a control service to call after each sample, or 0 */
	uint64_t invoke_pmc;   /* as invoke/baseline, counting with rdpmc */
	uint64_t baseline_pmc; /* (rt_call.pmc) instead of rdtsc */
};

struct rt_shared {
	uint64_t magic;
	uint64_t iterations;
	uint64_t warmup;
	uint64_t samples_va;       /* USER_SAMPLES_VA */
	uint64_t samples_capacity; /* in uint64_t */
	uint64_t user_probe_address;
	uint64_t kernel_probe_va;  /* some mapped kernel address, for self-tests */
	uint64_t unmapped_user_va; /* a user address that is never mapped */
	uint32_t clock_icount;     /* the launcher said the TSC counts instructions */
	uint32_t npaths;
	uint32_t path_mask;        /* paths chosen on the command line */
	uint32_t warnings;         /* command-line warnings already printed */
	uint32_t crash_user;       /* crash=user: Ring 3 executes ud2 first */
	uint32_t repeat;           /* ensembles: the whole suite, repeat times */
	uint32_t service_mask;     /* services= (bit i: BENCH_SERVICES entry i) */
	uint32_t timer;            /* enum timer_mode (lib/options.h): which
				      clock path[].invoke/baseline read */
	uint32_t on_tcg;           /* QEMU TCG (its known deviations are accepted) */
	uint32_t batch;            /* batch=K: crossings per timed sample */
	/* the clocks, as Ring 0 found them (kernel/clocks.c) */
	uint64_t tsc_hz;           /* 0 if unknown */
	char tsc_hz_source[16];    /* cpuid15, cpuid16, hypervisor, pit, none */
	char microcode[24];        /* "0x..." or "unknown" */
	uint32_t pmc_ok;           /* rdpmc works from Ring 3 (CR4.PCE) */
	uint32_t pmc_cycles;       /* ECX selecting unhalted core cycles */
	uint32_t pmc_instructions; /* ECX selecting instructions retired */
	uint32_t reserved1;
	char pmu[48];              /* which counters, or unavailable:<why> */
	/* kernel/counters.c: what turns ticks into core cycles and what says a
	 * row was disturbed, each "ok"-like or unavailable:<why> */
	char lfence[32];           /* lfence_serializing= */
	char core_clock[40];       /* aperf-mperf, or unavailable:<why> */
	char smi_count[40];        /* msr-0x34, or unavailable:<why> */
	char turbo[32];            /* enabled, disabled, none, unknown:<why> */
	uint32_t core_clock_ok;    /* snap.aperf/mperf count */
	uint32_t smi_count_ok;     /* snap.smi counts */
	/* SVC_COUNTERS' snapshot, taken in Ring 0 around a row */
	struct rt_snapshot {
		uint64_t tsc, aperf, mperf, smi;
	} snap;
	char cmdline[CMDLINE_LEN];
	struct rt_path_view path[MAX_PATHS];
	/* the last fault a recovery point caught (see SVC_SET_RECOVERY) */
	struct rt_fault {
		uint64_t count;
		uint64_t vector, error, rip, cr2;
		uint64_t ring;          /* where it was raised: 3, or 0 when the
					   return to Ring 3 itself faulted */
		uint64_t iret_fallbacks;  /* percpu's count at that moment */
	} fault;
	/* Ring 0 touching user pages with SMEP / SMAP on (kernel/protect.c):
	 * tried = 0 when the CPU lacks the feature */
	struct rt_prot_probe {
		uint64_t tried, faulted, vector, error, cr2, va;
	} smep_probe, smap_probe;
	uint64_t noncanonical_syscall_va; /* `syscall` as the last 2 bytes of
					     the canonical lower half */
	uint64_t kernel_data_va;   /* the SSDT: never mapped for shadow paths */
	uint64_t kernel_text_va;   /* the dispatcher: never mapped either */
	uint64_t entry_text_va;    /* an entry stub: mapped, supervisor-only */
	/* the walk of the shadow page tables at boot (kernel/shadow.c): every
	 * present page's physical address against the allow-list's */
	struct rt_isolation {
		uint64_t built;            /* 1 if the shadow tables exist */
		uint64_t user_pages;       /* present, U/S set, allow-listed Ring 3 pages */
		uint64_t allowed_pages;    /* present, supervisor, allow-listed */
		uint64_t violations;       /* any other present page */
		uint64_t first_violation;  /* its virtual address */
		uint64_t must_be_absent;   /* kernel objects checked absent */
		uint64_t present_anyway;   /* ... found mapped (at their own
					      address or by their physical page
					      anywhere) */
		uint64_t first_violation_pa;   /* its physical address */
		char first_violation_what[96]; /* what that page is and why it
						  may not be there */
	} isolation;
	/* the entry mitigations (kernel/mitig.c; lib/mitig.h decides) */
	struct rt_mitig {
		uint32_t probed;        /* 1: the kernel filled this in (0 in
					   host mode: the OS's own entry) */
		uint32_t supported;     /* the toggles this CPU can run */
		uint32_t profile;       /* profile=: enum mitig_profile */
		int32_t requested;      /* mitigations=, or -1: the profile's */
		struct mitig_cpu cpu;   /* what the profiles decide from */
		uint8_t why[MITIG_COUNT];   /* enum mitig_why of each toggle */
		uint8_t reserved[4];
	} mitig;
};

/* MAX_PATHS of these must fit beside the rest: no padding in one */
_Static_assert(sizeof(struct rt_path_view) == 112, "struct rt_path_view grew");
/* one page, mapped read-only at USER_SHARED_VA (kernel/main.c) */
_Static_assert(sizeof(struct rt_shared) <= 4096, "struct rt_shared outgrew its page");

#endif
