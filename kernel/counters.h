#ifndef RINGTRIP_COUNTERS_H
#define RINGTRIP_COUNTERS_H
#include "shared_page.h"
/* At boot: is LFENCE dispatch-serializing (set on AMD where it is not
 * yet), are IA32_APERF/MPERF and MSR_SMI_COUNT readable, is turbo on; the
 * answers go to the shared page. */
void counters_probe(struct rt_shared *sh);
/* SVC_COUNTERS: the shared page's snap <- TSC, APERF, MPERF, SMI count
 * (0 for what is unavailable); STATUS_SUCCESS */
uint64_t counters_snapshot(void);
#endif
