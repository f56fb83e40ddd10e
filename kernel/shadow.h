#ifndef RINGTRIP_SHADOW_H
#define RINGTRIP_SHADOW_H
#include <stdint.h>
#include "shared_page.h"

/* The KVA-shadow (KPTI) user address space: build it, and check it. */
int shadow_build(void);                     /* 0, or -1 out of memory */
uint64_t shadow_cr3(void);                  /* physical root, 0 if not built */
void shadow_verify(struct rt_isolation *out);

#endif
