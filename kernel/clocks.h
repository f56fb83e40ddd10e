#ifndef RINGTRIP_CLOCKS_H
#define RINGTRIP_CLOCKS_H
#include "shared_page.h"
/* What Ring 3's numbers are in: the TSC's frequency and where it came from,
 * the microcode revision, and the core-cycle / instruction counters
 * (programmed, and opened to Ring 3 with CR4.PCE) or why there are none. */
void clocks_probe(struct rt_shared *sh);

int rdmsr_safe(uint32_t msr, uint64_t *value);
int wrmsr_safe(uint32_t msr, uint64_t value);
int rdpmc_safe(uint32_t counter, uint64_t *value);
#endif
