#ifndef RINGTRIP_SHADOW_H
#define RINGTRIP_SHADOW_H
#include <stdint.h>
#include "shared_page.h"

/* The KVA-shadow (KPTI) user address space: build it, and check it. */
int shadow_build(void);                     /* 0, or -1 out of memory */
uint64_t shadow_cr3(void);                  /* physical root, 0 if not built */
void shadow_verify(struct rt_isolation *out);
/* Put pages the kernel gave Ring 3 on the allow-list: [va, va+bytes) maps
 * the physical run from pa, at most with flags (PTE_W, PTE_NX; PTE_U is
 * implied). Whoever allocates a Ring 3 page says so here; a present user
 * page nobody announced is a violation. */
/* pge (kernel/mitig.c): mark the shadow space's supervisor pages - the
 * allow-list's kernel half - global, or not. The caller flushes (a CR4.PGE
 * write). */
void shadow_set_global(int on);
void shadow_allow_user(const char *what, uint64_t va, uint64_t pa, uint64_t bytes,
		       uint64_t flags);

#endif
