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
 * callers guarantee the quotient fits in 64 bits (num >> 64 < den). */
static uint64_t div128_64(unsigned __int128 num, uint64_t den, uint64_t *rem)
{
	uint64_t q, r;
	__asm__("divq %4" : "=a"(q), "=d"(r)
		: "a"((uint64_t)num), "d"((uint64_t)(num >> 64)), "rm"(den));
	if (rem)
		*rem = r;
	return q;
}

void subtract_overhead(uint64_t *samples, uint64_t n, uint64_t overhead)
{
	for (uint64_t i = 0; i < n; i++)
		samples[i] = samples[i] > overhead ? samples[i] - overhead : 0;
}

uint64_t rank_p1(uint64_t n)
{
	return n / 100 + (n % 100 != 0);
}

uint64_t rank_p99(uint64_t n)
{
	return n - n / 100;          /* n - floor(n/100) = ceil(99n/100) */
}

uint64_t median_sorted(const uint64_t *s, uint64_t n)
{
	if (!n)
		return 0;
	uint64_t lo = s[(n - 1) / 2], hi = s[n / 2];
	return lo + (hi - lo) / 2;
}

/* ------------------------------------------------------------ moments */

/* A 192-bit unsigned integer, just the operations the variance needs. */
struct u192 {
	unsigned __int128 lo;
	uint64_t hi;
};

static struct u192 mul_128_64(unsigned __int128 a, uint64_t b)
{
	unsigned __int128 p0 = (unsigned __int128)(uint64_t)a * b;
	unsigned __int128 p1 = (unsigned __int128)(uint64_t)(a >> 64) * b;
	struct u192 r;
	r.lo = p0 + (p1 << 64);
	r.hi = (uint64_t)(p1 >> 64) + (r.lo < p0);
	return r;
}

static struct u192 sub_192(struct u192 a, struct u192 b)
{
	struct u192 r;
	r.lo = a.lo - b.lo;
	r.hi = a.hi - b.hi - (a.lo < b.lo);
	return r;
}

/* floor(a / d), which the caller knows is below 2^128 */
static unsigned __int128 div_192_64(struct u192 a, uint64_t d)
{
	uint64_t r = a.hi % d, r1, q1, q0;      /* a.hi / d is 0 */
	q1 = div128_64(((unsigned __int128)r << 64) | (uint64_t)(a.lo >> 64), d, &r1);
	q0 = div128_64(((unsigned __int128)r1 << 64) | (uint64_t)a.lo, d, 0);
	return ((unsigned __int128)q1 << 64) | q0;
}

void moments_clear(struct moments *m)
{
	m->n = 0;
	m->sum = m->sumsq_lo = 0;
	m->sumsq_hi = 0;
}

void moments_add(struct moments *m, const uint64_t *v, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		unsigned __int128 sq = (unsigned __int128)v[i] * v[i];
		m->sum += v[i];
		m->sumsq_lo += sq;
		m->sumsq_hi += m->sumsq_lo < sq;
	}
	m->n += n;
}

/* sum = q*n + r, 0 <= r < n; q <= the largest sample, so it fits */
static uint64_t floor_mean(const struct moments *m, uint64_t *r)
{
	return div128_64(m->sum, m->n, r);
}

uint64_t moments_mean(const struct moments *m)
{
	if (!m->n)
		return 0;
	uint64_t r, q = floor_mean(m, &r);
	return q + (r >= m->n - r);              /* r/n >= 1/2: round up */
}

/*
 * With q = floor(mean) and r = sum - q n:
 *   A = sum((x - q)^2) = sumsq - q (sum + r)              (exact, >= 0)
 *   n var = sum((x - mean)^2) = A - r^2/n
 * The stdev rounded to nearest, halves up, is the largest s with
 * (2s - 1)^2 <= 4 var, i.e. (2s - 1)^2 n <= 4A - 4r^2/n; the left side is
 * an integer, so that is (2s - 1)^2 <= floor((4A - ceil(4r^2/n)) / n) = M,
 * and s = floor((isqrt(M) + 1) / 2). M <= 4 var <= (max - min)^2 < 2^128
 * (a variance is at most a quarter of the squared range).
 */
uint64_t moments_stdev(const struct moments *m)
{
	uint64_t n = m->n;
	if (!n)
		return 0;
	uint64_t r, q = floor_mean(m, &r);
	struct u192 sumsq = { m->sumsq_lo, m->sumsq_hi };
	struct u192 a = sub_192(sumsq, mul_128_64(m->sum + r, q));
	struct u192 a4 = { a.lo << 2, (a.hi << 2) | (uint64_t)(a.lo >> 126) };
	unsigned __int128 r4 = (unsigned __int128)r * r * 4;
	uint64_t c = div128_64(r4 + n - 1, n, 0);     /* ceil(4 r^2 / n) */
	struct u192 b = sub_192(a4, (struct u192){ c, 0 });
	uint64_t root = isqrt_u128(div_192_64(b, n));
	return (root >> 1) + (root & 1);            /* floor((root + 1) / 2) */
}

/* ------------------------------------------------------ one sample set */

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
	st->median = median_sorted(s, n);
	st->p99 = s[rank_p99(n) - 1];
	st->p1 = s[rank_p1(n) - 1];

	struct moments m;
	moments_clear(&m);
	moments_add(&m, s, n);
	st->mean = moments_mean(&m);
	st->stdev = moments_stdev(&m);
}
