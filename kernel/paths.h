/*
 * paths.h - the ring-crossing paths. Each path is declared once, in its own
 * file in entry/, by the PATH_BEGIN ... PATH_END block of entry/path.inc,
 * which emits one struct path_desc into a .paths.<order> section; the
 * linker collects them in order between __paths_start and __paths_end
 * (kernel/linker.ld). The kernel installs a path by its kind, the harness
 * measures it through its seven Ring 3 stubs (entry/invoke.inc). Nothing
 * here, in bench/ or in the dispatcher changes when a path is added.
 * The asm emits the struct at the offsets asm_offsets.c generates (PD_*),
 * so this definition is the only one.
 */
#ifndef RINGTRIP_PATHS_H
#define RINGTRIP_PATHS_H
#include <stdint.h>
#include "exc_paths.h"
#include "shared_page.h"

/* what installing the path points at its Ring 0 entry */
#define INSTALL_LSTAR      1   /* IA32_LSTAR (SYSCALL), with STAR and SFMASK */
#define INSTALL_IDT        2   /* an IDT gate: vector, gate type, IST */
#define INSTALL_SYSENTER   3   /* IA32_SYSENTER_CS/ESP/EIP */
#define INSTALL_CALLGATE   4   /* the GDT's call gate (SEL_CALLGATE) */
#define INSTALL_EXCEPTION  5   /* nothing: the exception handlers check `expect` */
/* FRED on (kernel/fred.c), events from Ring 3 entering at the path's entry
 * page; selecting any other kind (or PATH_NONE) turns it off again */
#define INSTALL_FRED       6
#define INSTALL_FRED_EXCEPTION 7   /* the same, and the handlers check `expect` */

/* which CR3 Ring 3 runs on while the path is selected (kernel/paths.c) */
#define SPACE_FULL         0   /* the kernel's own tables */
#define SPACE_SHADOW       1   /* KVA shadow / KPTI, CR3 write flushes */
#define SPACE_SHADOW_PCID  2   /* the same with PCIDs and no-flush CR3 writes */

/* PD_DEFAULT: installed at boot and when no path is selected (PATH_NONE),
 * so each MSR and gate the paths share has an owner: one per resource */
#define PD_DEFAULT         1

struct path_desc {
	const char *name;            /* the CSV `path` column and paths= name */
	const char *counterpart;     /* the Windows/Linux code it mirrors */
	const void *entry;           /* Ring 0 entry point (FRED: the 4 KiB
					entry page); 0 for IDT exceptions */
	const void *invoke, *baseline, *call;   /* Ring 3 stubs */
	const void *invoke_pmc, *baseline_pmc;
	const void *invoke_lf, *baseline_lf;    /* no RDTSCP: lfence; rdtsc */
	const void *invoke_cpuid, *baseline_cpuid;   /* timer=cpuid */
	uint64_t flags;              /* PATH_SYSRET_EXIT (shared_page.h) */
	uint64_t reset;              /* control service after each sample, or 0 */
	uint32_t install;            /* INSTALL_* */
	uint32_t space;              /* SPACE_* */
	uint32_t vector;             /* INSTALL_IDT: gate vector */
	uint32_t gate_type;          /* INSTALL_IDT: GATE_INTERRUPT or GATE_TRAP */
	uint32_t ist;                /* INSTALL_IDT: 0 or an IST index */
	uint32_t pd_flags;           /* PD_DEFAULT */
	struct exc_expect expect;    /* INSTALL_EXCEPTION: what the handler checks */
};

extern const struct path_desc __paths_start[], __paths_end[];
#define path_table __paths_start
extern unsigned path_count;

/* Count and check the declared paths (unique names, at most MAX_PATHS):
 * a declaration error stops the boot with a message naming the path. */
void paths_init(void);
/* Fill the shared page's path views (names, statuses, stub addresses),
 * the stubs reading the clock timer= asks for (enum timer_mode) where the
 * CPU can. */
void paths_publish(struct rt_shared *sh, int timer);
void paths_install_defaults(void);
/* SVC_SELECT_PATH: install path index with the entry mitigations in the
 * set mitigations (lib/mitig.h bits; 0: its own stub), or with PATH_NONE
 * the boot-time defaults on the kernel's own address space. STATUS_*:
 * STATUS_INVALID_PARAMETER for a toggle this CPU cannot run. */
uint64_t path_select(uint64_t index, uint64_t mitigations);

#endif
