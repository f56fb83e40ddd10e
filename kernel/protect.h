#ifndef RINGTRIP_PROTECT_H
#define RINGTRIP_PROTECT_H
#include "shared_page.h"
/* SMEP and SMAP: on where the CPU has them, each proven by a Ring 0 probe
 * that must fault (results in the shared page for Ring 3 to report). */
void protections_enable(struct rt_shared *sh);
#endif
