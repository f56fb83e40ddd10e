/*
 * stats.h - order statistics and moments of a sample set, in integers only
 * (no floating point in a freestanding Ring 3). Definitions, so a reader can
 * reproduce every number in the CSV:
 *   median  sorted[(n-1)/2] and sorted[n/2] averaged, rounded down
 *   p99     nearest rank: sorted[ceil(0.99 n) - 1]
 *   p1      nearest rank: sorted[ceil(0.01 n) - 1]
 *   mean    sum / n rounded to nearest
 *   stdev   population standard deviation, rounded to nearest integer
 */
#ifndef RINGTRIP_STATS_H
#define RINGTRIP_STATS_H
#include <stdint.h>

struct stats {
	uint64_t n, min, median, mean, stdev, p99, max, p1;
};

void sort_u64(uint64_t *v, uint64_t n);       /* heapsort, in place */
/* Sorts samples in place, then fills *st. n == 0 gives all zeros. */
void stats_compute(uint64_t *samples, uint64_t n, struct stats *st);
uint64_t isqrt_u128(unsigned __int128 x);     /* floor(sqrt(x)) */
/* subtract overhead from every sample, saturating at 0 */
void subtract_overhead(uint64_t *samples, uint64_t n, uint64_t overhead);

#endif
