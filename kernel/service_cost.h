#ifndef RINGTRIP_SERVICE_COST_H
#define RINGTRIP_SERVICE_COST_H
#include <stdint.h>
/* SVC_SERVICE_COST(number, call): time a measured service's routine alone,
 * in Ring 0, with the arguments of Ring 3's struct rt_call at `call`.
 * SERVICE_COST_VALID | ticks, or STATUS_INVALID_PARAMETER (not a
 * BENCH_SERVICES number) / STATUS_ACCESS_VIOLATION (a bad `call`). */
uint64_t service_cost(uint64_t number, uint64_t user_call);
#endif
