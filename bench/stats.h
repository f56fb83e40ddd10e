/*
 * stats.h - order statistics and moments of a sample set, in integers only
 * (no floating point in a freestanding Ring 3). Every value is exact: no
 * scaling, no floating point, no range restriction on the samples.
 *
 * Definitions, so a reader can reproduce every number in the CSV. For n
 * samples sorted ascending as s[0..n-1] (0-based):
 *   median  s[(n-1)/2] and s[n/2] averaged, rounded down (for odd n the
 *           middle value itself)
 *   p1      nearest rank: the ceil(n/100)-th smallest, s[ceil(n/100) - 1]
 *   p99     nearest rank: the ceil(99n/100)-th smallest,
 *           s[ceil(99n/100) - 1]; equivalently the (floor(n/100)+1)-th
 *           largest
 *   mean    sum / n, rounded to nearest, halves up
 *   stdev   the population standard deviation sqrt(sum((x - mean)^2) / n)
 *           with the exact mean, rounded to nearest, halves up
 *
 * A CSV row covers several ensembles (repeat=N); how these apply there -
 * mean, stdev, p1, p99 over all samples of all ensembles, median as the
 * median of the ensembles' medians - is bench/rowstats.h.
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

/* The ranks (1-based, counted from the smallest) of the nearest-rank p1
 * and p99 of n samples; 0 for n == 0. */
uint64_t rank_p1(uint64_t n);                 /* ceil(n/100) */
uint64_t rank_p99(uint64_t n);                /* ceil(99n/100) */
/* the median rule above, of n sorted values; 0 for n == 0 */
uint64_t median_sorted(const uint64_t *sorted, uint64_t n);

/*
 * Exact running moments: the count, the sum and the sum of squares of
 * every sample added, kept as integers (sum in 128 bits, sum of squares
 * in 192), so samples can be added in any number of batches - one per
 * ensemble - and the mean and stdev are those of all of them together,
 * exact for any uint64_t samples and any n < 2^62.
 */
struct moments {
	uint64_t n;
	unsigned __int128 sum;
	unsigned __int128 sumsq_lo;   /* sum of squares: low 128 bits */
	uint64_t sumsq_hi;            /* ... and the bits above */
};

void moments_clear(struct moments *m);
void moments_add(struct moments *m, const uint64_t *v, uint64_t n);
uint64_t moments_mean(const struct moments *m);    /* 0 when empty */
uint64_t moments_stdev(const struct moments *m);   /* 0 when empty */

#endif
