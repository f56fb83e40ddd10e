/* stats.c - see stats.h */
#include "stats.h"

static void sift_down(uint64_t *v, uint64_t root, uint64_t n)
{
	for (;;) {
		uint64_t child = 2 * root + 1;
		if (child >= n)
			return;
		if (child + 1 < n && v[child + 1] > v[child])
			child++;
		if (v[root] >= v[child])
			return;
		uint64_t t = v[root];
		v[root] = v[child];
		v[child] = t;
		root = child;
	}
}

void sort_u64(uint64_t *v, uint64_t n)
{
	if (n < 2)
		return;
	for (uint64_t i = n / 2; i-- > 0;)
		sift_down(v, i, n);
	for (uint64_t end = n - 1; end > 0; end--) {
		uint64_t t = v[0];
		v[0] = v[end];
		v[end] = t;
		sift_down(v, 0, end);
	}
}

uint64_t isqrt_u128(unsigned __int128 x)
{
	/* bit-by-bit: exact for every input, no division */
	unsigned __int128 res = 0, bit = (unsigned __int128)1 << 126;
	while (bit > x)
		bit >>= 2;
	while (bit) {
		if (x >= res + bit) {
			x -= res + bit;
			res = (res >> 1) + bit;
		} else {
			res >>= 1;
		}
		bit >>= 2;
	}
	return (uint64_t)res;
}

/* 128/64 -> 64 with one divq: no libgcc in a freestanding Ring 3. The
 * callers guarantee the quotient fits in 64 bits. */
static uint64_t div128_64(unsigned __int128 num, uint64_t den)
{
	uint64_t q, r;
	__asm__("divq %4" : "=a"(q), "=d"(r)
		: "a"((uint64_t)num), "d"((uint64_t)(num >> 64)), "rm"(den));
	return q;
}

void subtract_overhead(uint64_t *samples, uint64_t n, uint64_t overhead)
{
	for (uint64_t i = 0; i < n; i++)
		samples[i] = samples[i] > overhead ? samples[i] - overhead : 0;
}

void stats_compute(uint64_t *s, uint64_t n, struct stats *st)
{
	st->n = n;
	if (!n) {
		st->min = st->median = st->mean = st->stdev = st->p99 = st->max = st->p1 = 0;
		return;
	}
	sort_u64(s, n);
	st->min = s[0];
	st->max = s[n - 1];
	uint64_t lo = s[(n - 1) / 2], hi = s[n / 2];
	st->median = lo + (hi - lo) / 2;
	uint64_t rank = (99 * n + 99) / 100;      /* ceil(0.99 n) */
	st->p99 = s[rank - 1];
	st->p1 = s[(n + 99) / 100 - 1];            /* ceil(0.01 n) */

	unsigned __int128 sum = 0;
	for (uint64_t i = 0; i < n; i++)
		sum += s[i];
	st->mean = div128_64(sum + n / 2, n);

	/* n*sum(d^2) - sum(d)^2 = n^2 var, with d the deviation from the
	 * minimum. Spreads of 2^31 ticks or more are scaled down by 2^k first so
	 * every intermediate fits in 128 bits for n < 2^32; the result is then
	 * exact to within 2^k, and exact for every realistic spread. */
	uint64_t spread = s[n - 1] - s[0];
	unsigned k = 0;
	while ((spread >> k) >= (1ULL << 31))
		k++;
	unsigned __int128 s1 = 0, s2 = 0;
	for (uint64_t i = 0; i < n; i++) {
		unsigned __int128 d = (s[i] - s[0]) >> k;
		s1 += d;
		s2 += d * d;
	}
	unsigned __int128 nvar = s2 * n - s1 * s1;    /* n^2 * variance */
	/* stdev = sqrt(nvar)/n, rounded: floor(sqrt(4 nvar) / n + 1) / 2 */
	uint64_t r2 = isqrt_u128(nvar * 4);           /* ~2n*stdev */
	st->stdev = ((r2 / n + 1) / 2) << k;
}
