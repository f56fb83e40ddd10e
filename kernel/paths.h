/*
 * paths.h - the table of ring-crossing paths. One row per path: its name
 * (the CSV `path` column), why the CPU cannot run it (NULL if it can), how to
 * install it, and its seven Ring 3 stubs (entry/invoke.inc). Adding a path
 * is one file in entry/ plus, in kernel/paths.c, its STUBS()/extern lines, an
 * installer if none fits, and a ROW; nothing in bench/ or the dispatcher
 * changes.
 */
#ifndef RINGTRIP_PATHS_H
#define RINGTRIP_PATHS_H
#include <stdint.h>
#include "shared_page.h"

struct path_def {
	const char *name;
	uint64_t flags;                      /* PATH_* of shared_page.h */
	uint64_t reset;                      /* control service after each sample */
	const char *(*unsupported)(void);   /* e.g. "unsupported:no-pcid" */
	void (*install)(void);
	const void *invoke, *baseline, *call;   /* Ring 3 addresses */
	const void *invoke_pmc, *baseline_pmc;
	const void *invoke_lf, *baseline_lf;     /* no RDTSCP: lfence; rdtsc */
};

extern const struct path_def path_table[];
extern const unsigned path_count;

/* Fill the shared page's path views (names, statuses, stub addresses). */
void paths_publish(struct rt_shared *sh);
void paths_install_defaults(void);
/* SVC_SELECT_PATH: install path index, or with PATH_NONE the boot-time
 * defaults on the kernel's own address space. STATUS_* */
uint64_t path_select(uint64_t index);

#endif
