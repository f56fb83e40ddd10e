/*
 * test_rowstats.c - host unit tests for bench/rowstats.c: a row's
 * statistics over several ensembles, fed through the same calls the
 * harness makes (rowstats_init, rowstats_add per ensemble,
 * rowstats_summarise).
 *
 * Every expected value is computed here independently, straight from the
 * definitions in bench/stats.h and bench/rowstats.h, by the simplest means:
 * all samples of all ensembles copied into one array and sorted with qsort
 * (min, max, p1, p99 by nearest rank), exact __int128 sums (mean), the
 * variance as the exact fraction (n sum x^2 - (sum x)^2) / n^2 with the
 * rounded root checked by integer squares (stdev), and each ensemble sorted
 * on its own (median of the medians, spreads). The data sets are kept small
 * enough (values < 2^24, N < 2^20) for those exact references to fit in
 * 128 bits; stats.c's own tests cover full-range values.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bench/rowstats.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define MAXN (1u << 19)          /* samples per row, all ensembles */

static struct rowstats rs;
static struct rowstats_tail_entry mem[2 * ROWSTATS_CAP_MAX];
static uint64_t all[MAXN];       /* every sample of the row, for the reference */
static uint64_t ens_buf[MAXN];   /* one ensemble, handed to rowstats_add */

/* ------------------------------------------------------------ reference */

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

struct ref {
	uint64_t n, min, max, mean, stdev, p1, p99, median, median_spread, min_spread;
};

/* ensembles e = 0..ne-1 of n[e] samples each, laid out one after the other
 * in v */
static void reference(const uint64_t *v, const uint64_t *n, unsigned ne, struct ref *r)
{
	static uint64_t sorted[MAXN], one[MAXN];
	uint64_t medians[ROWSTATS_MAX_ENS], mins[ROWSTATS_MAX_ENS], total = 0;
	memset(r, 0, sizeof *r);
	for (unsigned e = 0; e < ne; e++) {
		memcpy(one, v + total, n[e] * sizeof *v);
		qsort(one, n[e], sizeof *one, cmp_u64);
		/* the middle one, or the two middle ones averaged, rounded down */
		medians[e] = n[e] % 2 ? one[n[e] / 2]
			: (uint64_t)(((unsigned __int128)one[n[e] / 2 - 1] + one[n[e] / 2]) / 2);
		mins[e] = one[0];
		total += n[e];
	}
	r->n = total;
	if (!total)
		return;
	memcpy(sorted, v, total * sizeof *v);
	qsort(sorted, total, sizeof *sorted, cmp_u64);
	r->min = sorted[0];
	r->max = sorted[total - 1];
	r->p1 = sorted[(total + 99) / 100 - 1];           /* ceil(N/100)-th */
	r->p99 = sorted[(99 * total + 99) / 100 - 1];     /* ceil(99N/100)-th */

	unsigned __int128 s1 = 0, s2 = 0, nn = total;
	for (uint64_t i = 0; i < total; i++) {
		s1 += v[i];
		s2 += (unsigned __int128)v[i] * v[i];
	}
	r->mean = (uint64_t)((2 * s1 + nn) / (2 * nn));  /* floor(mean + 1/2) */
	/* var = X / n^2; s is sqrt(var) rounded halves up iff
	 * s - 1/2 <= sqrt(var) < s + 1/2, i.e. the largest s with
	 * (2s-1)^2 n^2 <= 4X: found by bisection (values < 2^24, so s < 2^24) */
	unsigned __int128 x = nn * s2 - s1 * s1;
	uint64_t lo = 0, hi = 1u << 24;
	while (lo < hi) {
		uint64_t mid = (lo + hi + 1) / 2;
		if ((unsigned __int128)(2 * mid - 1) * (2 * mid - 1) * nn * nn <= 4 * x)
			lo = mid;
		else
			hi = mid - 1;
	}
	r->stdev = lo;

	memcpy(one, medians, ne * sizeof *medians);
	qsort(one, ne, sizeof *one, cmp_u64);
	r->median = ne % 2 ? one[ne / 2]
		: (uint64_t)(((unsigned __int128)one[ne / 2 - 1] + one[ne / 2]) / 2);
	uint64_t dlo = UINT64_MAX, dhi = 0, mlo = UINT64_MAX, mhi = 0;
	for (unsigned e = 0; e < ne; e++) {
		dlo = medians[e] < dlo ? medians[e] : dlo;
		dhi = medians[e] > dhi ? medians[e] : dhi;
		mlo = mins[e] < mlo ? mins[e] : mlo;
		mhi = mins[e] > mhi ? mins[e] : mhi;
	}
	r->median_spread = dhi - dlo;
	r->min_spread = mhi - mlo;
}

/* Runs v (ensembles of n[e]) through rowstats with `cap` entries per tail,
 * planning the total, and summarises. */
static void run_row(const uint64_t *v, const uint64_t *n, unsigned ne, uint64_t cap,
		    struct rowstats_summary *s)
{
	uint64_t total = 0;
	for (unsigned e = 0; e < ne; e++)
		total += n[e];
	rowstats_init(&rs, total, mem, cap);
	total = 0;
	for (unsigned e = 0; e < ne; e++) {
		memcpy(ens_buf, v + total, n[e] * sizeof *v);   /* rowstats sorts it */
		rowstats_add(&rs, ens_buf, n[e]);
		total += n[e];
	}
	rowstats_summarise(&rs, s);
}

/* everything but p1/p99, which may be inexact with a small cap */
static void expect_moments_and_medians(const struct rowstats_summary *s, const struct ref *r,
				       unsigned ne)
{
	assert_int_equal(s->st.n, r->n);
	assert_int_equal(s->st.min, r->min);
	assert_int_equal(s->st.max, r->max);
	assert_int_equal(s->st.mean, r->mean);
	assert_int_equal(s->st.stdev, r->stdev);
	assert_int_equal(s->st.median, r->median);
	assert_int_equal(s->ensembles, ne);
	assert_int_equal(s->median_spread, r->median_spread);
	assert_int_equal(s->min_spread, r->min_spread);
}

static void expect_exact(const struct rowstats_summary *s, const struct ref *r, unsigned ne)
{
	expect_moments_and_medians(s, r, ne);
	assert_int_equal(s->p1.lo, r->p1);
	assert_int_equal(s->p1.hi, r->p1);
	assert_int_equal(s->p99.lo, r->p99);
	assert_int_equal(s->p99.hi, r->p99);
	assert_int_equal(s->st.p1, r->p1);
	assert_int_equal(s->st.p99, r->p99);
}

/* exact, or a range that holds the true value, with the column at its
 * lower end */
static int expect_bracketed(const struct rowstats_summary *s, const struct ref *r)
{
	assert_true(s->p1.lo <= r->p1 && r->p1 <= s->p1.hi);
	assert_true(s->p99.lo <= r->p99 && r->p99 <= s->p99.hi);
	assert_int_equal(s->st.p1, s->p1.lo);
	assert_int_equal(s->st.p99, s->p99.lo);
	return (s->p1.lo != s->p1.hi) + (s->p99.lo != s->p99.hi);
}

/* ------------------------------------------------------------- samples */

static uint64_t rng = 0x9E3779B97F4A7C15ULL;

static uint64_t next_u64(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static uint64_t below(uint64_t n)
{
	return next_u64() % n;
}

enum shape { NARROW, WIDE, TAILED, DRIFT, STEPS, SHAPES };

/* one sample of ensemble e, values < 2^24 */
static uint64_t sample(enum shape shape, unsigned e)
{
	switch (shape) {
	case NARROW:                       /* a few distinct values */
		return 100 + below(4);
	case WIDE:                         /* mostly distinct */
		return below(1u << 20);
	case TAILED:                       /* a body and rare outliers */
		if (below(100) < 3)
			return 1000 + below(1u << 23);
		return 1000 + below(64) + below(64);
	case DRIFT:                        /* each ensemble slower */
		return 500 + 40 * e + below(200);
	default:                           /* a clock that steps by 26 */
		return 26 * (20 + below(30));
	}
}

static unsigned fill(uint64_t *v, uint64_t *n, unsigned ne, uint64_t per, enum shape shape)
{
	uint64_t k = 0;
	for (unsigned e = 0; e < ne; e++) {
		n[e] = per;
		for (uint64_t i = 0; i < per; i++)
			v[k++] = sample(shape, e);
	}
	return ne;
}

/* --------------------------------------------------------------- tests */

/* Under -icount every sample is the same: stdev 0, p1 = p99 = the value. */
static void test_identical_samples(void **state)
{
	(void)state;
	uint64_t n[5];
	for (unsigned i = 0; i < 5 * 1000; i++)
		all[i] = 103;
	for (unsigned e = 0; e < 5; e++)
		n[e] = 1000;
	struct rowstats_summary s;
	struct ref r;
	run_row(all, n, 5, 1, &s);     /* the smallest pool still suffices */
	reference(all, n, 5, &r);
	expect_exact(&s, &r, 5);
	assert_int_equal(s.st.stdev, 0);
	assert_int_equal(s.st.p1, 103);
	assert_int_equal(s.st.p99, 103);
	assert_int_equal(s.st.n, 5000);
}

/* The point of the pooled stdev: ensembles that each have no spread at all
 * but differ from one another. The old column (the mean of the ensembles'
 * stdevs) said 0. */
static void test_variation_between_ensembles(void **state)
{
	(void)state;
	uint64_t n[5];
	for (unsigned e = 0; e < 5; e++) {
		n[e] = 200;
		for (unsigned i = 0; i < 200; i++)
			all[e * 200 + i] = 100 * (e + 1);
	}
	struct rowstats_summary s;
	struct ref r;
	run_row(all, n, 5, 64, &s);
	reference(all, n, 5, &r);
	expect_exact(&s, &r, 5);
	/* by hand: mean 300, variance 20000, stdev 141.42 */
	assert_int_equal(s.st.mean, 300);
	assert_int_equal(s.st.stdev, 141);
	assert_int_equal(s.st.median, 300);
	assert_int_equal(s.median_spread, 400);
	assert_int_equal(s.st.p1, 100);    /* rank 10 of 1000 */
	assert_int_equal(s.st.p99, 500);   /* rank 990 */
}

/* p1 and p99 are ranks of all samples, not medians of per-ensemble
 * percentiles: here two of the three ensembles' own p99s are 10 (so their
 * median, the old column, said 10), yet 1.5% of all samples are 1000. */
static void test_percentiles_over_all_samples(void **state)
{
	(void)state;
	uint64_t n[3] = { 1000, 1000, 1000 };
	for (unsigned i = 0; i < 3000; i++)
		all[i] = 10;
	for (unsigned i = 0; i < 45; i++)
		all[2000 + i] = 1000;      /* 4.5% of the third ensemble */
	struct rowstats_summary s;
	struct ref r;
	run_row(all, n, 3, 64, &s);
	reference(all, n, 3, &r);
	expect_exact(&s, &r, 3);
	assert_int_equal(s.st.p99, 1000);  /* rank 2970 of 3000 */
	assert_int_equal(s.st.p1, 10);
	assert_int_equal(s.st.median, 10);
}

/* Nearest ranks for small and odd totals split over ensembles */
static void test_rank_boundaries(void **state)
{
	(void)state;
	static const uint64_t totals[] = { 1, 2, 99, 100, 101, 199, 200, 201, 1000, 1001 };
	for (unsigned t = 0; t < ARRAY_LEN(totals); t++) {
		for (unsigned ne = 1; ne <= 3 && ne <= totals[t]; ne++) {
			uint64_t n[3] = { 0, 0, 0 }, total = totals[t];
			for (unsigned e = 0; e < ne; e++)
				n[e] = total / ne + (e < total % ne);
			/* a permutation of 1..N: the k-th smallest is k */
			for (uint64_t i = 0; i < total; i++)
				all[i] = 1 + (i * 7919) % total;
			struct rowstats_summary s;
			struct ref r;
			run_row(all, n, ne, ROWSTATS_CAP_MAX, &s);
			reference(all, n, ne, &r);
			expect_exact(&s, &r, ne);
			assert_int_equal(s.st.p1, (total + 99) / 100);
			assert_int_equal(s.st.p99, (99 * total + 99) / 100);
		}
	}
}

/* With room for floor(N/100)+1 entries per tail nothing is ever collapsed:
 * every shape, every ensemble count, exact. */
static void test_random_rows_exact(void **state)
{
	(void)state;
	static const uint64_t pers[] = { 1, 7, 100, 1000, 4000 };
	static const unsigned nes[] = { 1, 2, 5, 8, 32 };
	for (unsigned a = 0; a < ARRAY_LEN(pers); a++)
		for (unsigned b = 0; b < ARRAY_LEN(nes); b++)
			for (unsigned shape = 0; shape < SHAPES; shape++) {
				uint64_t n[ROWSTATS_MAX_ENS];
				unsigned ne = fill(all, n, nes[b], pers[a], shape);
				uint64_t total = pers[a] * ne;
				struct rowstats_summary s;
				struct ref r;
				run_row(all, n, ne, total / 100 + 1, &s);
				reference(all, n, ne, &r);
				expect_exact(&s, &r, ne);
			}
}

/* Small pools: whatever was collapsed, the answer is exact or the range
 * holds it; moments and medians are never affected. Inexact cases must
 * occur here, or the fallback is untested. */
static void test_random_rows_small_pool(void **state)
{
	(void)state;
	static const uint64_t caps[] = { 1, 2, 5, 16, 64 };
	unsigned inexact = 0, exact = 0;
	for (unsigned c = 0; c < ARRAY_LEN(caps); c++)
		for (unsigned shape = 0; shape < SHAPES; shape++)
			for (unsigned ne = 1; ne <= 32; ne *= 2) {
				uint64_t n[ROWSTATS_MAX_ENS];
				fill(all, n, ne, 3000, shape);
				struct rowstats_summary s;
				struct ref r;
				run_row(all, n, ne, caps[c], &s);
				reference(all, n, ne, &r);
				expect_moments_and_medians(&s, &r, ne);
				unsigned miss = expect_bracketed(&s, &r);
				inexact += miss;
				exact += 2 - miss;
				if (!miss)
					expect_exact(&s, &r, ne);
			}
	assert_true(inexact > 0);
	assert_true(exact > inexact);
}

/* Collapsed ranges, worked by hand: a row whose second ensemble is much
 * faster than its first. N = 1000 planned; cap 4.
 * p1, the 10th smallest: the low tail keeps ranks up to 10. Ensemble 1 is
 * 1000..1499: its 10 smallest 1000..1009 are 10 entries; the window of 4
 * is centred on rank ceil(500/100) = 5 (1004): 1002..1005 stay exact,
 * 1000..1001 collapse to the far range, 1006..1009 to the near one.
 * Ensemble 2 is 500..999; its 10 smallest are all below the far range's
 * top (1001) and counted there. The 10th smallest of all, 509, lies in the
 * far range [500, 1001]; the histogram bucket of rank 10 is [480, 511] (8
 * buckets per power of two); so p1 lies in [500, 511], the column says 500.
 * p99, the 11th largest (floor(1000/100) + 1): ensemble 1's 11 largest,
 * 1499..1489, are 11 entries; the window is centred on rank
 * 500 - 495 + 1 = 6 from the top (1494): 1496..1493 stay exact, 1499..1497
 * go far, 1492..1489 near. Ensemble 2's 11 largest (999..989) fall past the
 * near range's start and are counted there: near is [989, 1492], 15
 * samples. The 11th largest of all, 1489, is in it; its bucket is
 * [1408, 1535]; so p99 lies in [1408, 1492], the column says 1408. */
static void test_collapsed_range_by_hand(void **state)
{
	(void)state;
	uint64_t n[2] = { 500, 500 };
	for (unsigned i = 0; i < 500; i++) {
		all[i] = 1000 + i;
		all[500 + i] = 500 + i;
	}
	struct rowstats_summary s;
	struct ref r;
	run_row(all, n, 2, 4, &s);
	reference(all, n, 2, &r);
	assert_int_equal(r.p1, 509);
	assert_int_equal(s.p1.lo, 500);
	assert_int_equal(s.p1.hi, 511);
	assert_int_equal(s.st.p1, 500);
	assert_int_equal(r.p99, 1489);
	assert_int_equal(s.p99.lo, 1408);
	assert_int_equal(s.p99.hi, 1492);
	assert_int_equal(s.st.p99, 1408);
	expect_moments_and_medians(&s, &r, 2);
}

/* One ensemble: the row's statistics are stats_compute's. */
static void test_one_ensemble_is_stats_compute(void **state)
{
	(void)state;
	for (unsigned shape = 0; shape < SHAPES; shape++) {
		uint64_t n[1];
		fill(all, n, 1, 9999, shape);
		struct rowstats_summary s;
		struct stats st;
		run_row(all, n, 1, 9999 / 100 + 1, &s);
		stats_compute(all, 9999, &st);
		assert_memory_equal(&s.st, &st, sizeof st);
	}
}

/* Even ensemble counts: the median of medians averages the middle two. */
static void test_median_of_even_ensembles(void **state)
{
	(void)state;
	static const uint64_t med[4] = { 41, 10, 30, 20 };
	uint64_t n[4] = { 3, 3, 3, 3 };
	for (unsigned e = 0; e < 4; e++) {
		all[3 * e] = med[e] - 1;
		all[3 * e + 1] = med[e];
		all[3 * e + 2] = med[e] + 5;
	}
	struct rowstats_summary s;
	struct ref r;
	run_row(all, n, 4, 8, &s);
	reference(all, n, 4, &r);
	expect_exact(&s, &r, 4);
	assert_int_equal(s.st.median, 25);        /* (20 + 30) / 2 */
	assert_int_equal(s.median_spread, 31);
	assert_int_equal(s.min_spread, 31);
}

/* More samples than planned: the tails cannot vouch for anything, so the
 * percentiles come from the histogram bucket alone - still bracketed. */
static void test_overrun(void **state)
{
	(void)state;
	uint64_t n[4];
	fill(all, n, 4, 2000, WIDE);
	rowstats_init(&rs, 2000, mem, 64);
	for (unsigned e = 0; e < 4; e++) {
		memcpy(ens_buf, all + 2000 * e, 2000 * sizeof *all);
		rowstats_add(&rs, ens_buf, 2000);
	}
	struct rowstats_summary s;
	struct ref r;
	rowstats_summarise(&rs, &s);
	reference(all, n, 4, &r);
	assert_true(rs.overrun);
	expect_moments_and_medians(&s, &r, 4);
	expect_bracketed(&s, &r);
	assert_true(s.p99.lo < s.p99.hi);
}

static void test_empty_row(void **state)
{
	(void)state;
	struct rowstats_summary s;
	rowstats_init(&rs, 100, mem, 8);
	rowstats_add(&rs, ens_buf, 0);
	rowstats_summarise(&rs, &s);
	assert_int_equal(s.st.n, 0);
	assert_int_equal(s.ensembles, 0);
	assert_int_equal(s.st.p99, 0);
	assert_int_equal(s.st.min, 0);
}

static void test_median_of_and_spread_of(void **state)
{
	(void)state;
	uint64_t v[] = { 9, 1, 5, 3 };
	assert_int_equal(rowstats_median_of(v, 0), 0);
	assert_int_equal(rowstats_median_of(v, 1), 9);
	assert_int_equal(rowstats_median_of(v, 3), 5);
	assert_int_equal(rowstats_median_of(v, 4), 4);    /* (3 + 5) / 2 */
	assert_int_equal(v[0], 9);                        /* v untouched */
	assert_int_equal(v[1], 1);
	assert_int_equal(rowstats_spread_of(v, 0), 0);
	assert_int_equal(rowstats_spread_of(v, 4), 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identical_samples),
		cmocka_unit_test(test_variation_between_ensembles),
		cmocka_unit_test(test_percentiles_over_all_samples),
		cmocka_unit_test(test_rank_boundaries),
		cmocka_unit_test(test_random_rows_exact),
		cmocka_unit_test(test_random_rows_small_pool),
		cmocka_unit_test(test_collapsed_range_by_hand),
		cmocka_unit_test(test_one_ensemble_is_stats_compute),
		cmocka_unit_test(test_median_of_even_ensembles),
		cmocka_unit_test(test_overrun),
		cmocka_unit_test(test_empty_row),
		cmocka_unit_test(test_median_of_and_spread_of),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
