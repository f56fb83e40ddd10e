/*
 * test_stats.c - host unit tests for bench/stats.c.
 *
 * Every expected statistic below was computed independently in python3 with
 * exact arithmetic (sorted(), Decimal sqrt with 80 digits, ROUND_HALF_UP),
 * straight from the definitions in bench/stats.h, and pasted as literals.
 * Data sets avoid exact .5 ties for mean/stdev except where noted.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bench/stats.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Same generator as the python used for the expected values:
 * x = x*6364136223846793005 + 1442695040888963407 (mod 2^64),
 * sample = lo + (x >> 33) % span */
static void lcg_fill(uint64_t *v, uint64_t n, uint64_t seed, uint64_t lo,
		     uint64_t span)
{
	uint64_t x = seed;
	for (uint64_t i = 0; i < n; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		v[i] = lo + (x >> 33) % span;
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static void expect_stats(const struct stats *st, uint64_t n, uint64_t min,
			 uint64_t median, uint64_t mean, uint64_t stdev,
			 uint64_t p99, uint64_t max)
{
	assert_int_equal(st->n, n);
	assert_int_equal(st->min, min);
	assert_int_equal(st->median, median);
	assert_int_equal(st->mean, mean);
	assert_int_equal(st->stdev, stdev);
	assert_int_equal(st->p99, p99);
	assert_int_equal(st->max, max);
}

/* ---------------------------------------------------------------- sort */

static void check_sort_against_qsort(uint64_t *v, uint64_t n)
{
	uint64_t *ref = malloc((n ? n : 1) * sizeof *ref);
	assert_non_null(ref);
	memcpy(ref, v, n * sizeof *ref);
	qsort(ref, n, sizeof *ref, cmp_u64);
	sort_u64(v, n);
	for (uint64_t i = 0; i < n; i++)
		assert_int_equal(v[i], ref[i]);
	free(ref);
}

static void test_sort_small_n(void **state)
{
	(void)state;
	uint64_t guard[4] = { 99, 98, 97, 96 };
	sort_u64(guard, 0);                 /* n = 0: untouched */
	assert_int_equal(guard[0], 99);
	assert_int_equal(guard[1], 98);
	sort_u64(guard, 1);                 /* n = 1: untouched */
	assert_int_equal(guard[0], 99);
	assert_int_equal(guard[1], 98);

	uint64_t two[3] = { 5, 3, 1 };
	sort_u64(two, 2);                   /* only the first two */
	assert_int_equal(two[0], 3);
	assert_int_equal(two[1], 5);
	assert_int_equal(two[2], 1);

	uint64_t sorted2[2] = { 3, 5 };
	sort_u64(sorted2, 2);
	assert_int_equal(sorted2[0], 3);
	assert_int_equal(sorted2[1], 5);

	uint64_t eq2[2] = { 4, 4 };
	sort_u64(eq2, 2);
	assert_int_equal(eq2[0], 4);
	assert_int_equal(eq2[1], 4);
}

static void test_sort_random_vs_qsort(void **state)
{
	(void)state;
	static const uint64_t sizes[] = { 3, 4, 5, 7, 8, 16, 31, 32, 33, 100,
					  257, 1000, 4096 };
	uint64_t seed = 7;
	for (unsigned s = 0; s < ARRAY_LEN(sizes); s++) {
		uint64_t n = sizes[s];
		uint64_t *v = malloc(n * sizeof *v);
		assert_non_null(v);
		/* full 64-bit range */
		for (uint64_t i = 0; i < n; i++) {
			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			v[i] = seed ^ (seed >> 31);
		}
		check_sort_against_qsort(v, n);
		free(v);
	}
}

static void test_sort_duplicates_and_patterns(void **state)
{
	(void)state;
	enum { N = 500 };
	uint64_t v[N];

	lcg_fill(v, N, 3, 0, 4);                /* only 4 distinct values */
	check_sort_against_qsort(v, N);

	for (unsigned i = 0; i < N; i++)        /* already sorted */
		v[i] = i;
	check_sort_against_qsort(v, N);

	for (unsigned i = 0; i < N; i++)        /* reversed */
		v[i] = N - i;
	check_sort_against_qsort(v, N);

	for (unsigned i = 0; i < N; i++)        /* all equal */
		v[i] = 42;
	check_sort_against_qsort(v, N);

	for (unsigned i = 0; i < N; i++)        /* extremes */
		v[i] = (i & 1) ? UINT64_MAX : 0;
	check_sort_against_qsort(v, N);
}

/* --------------------------------------------------------- stats_compute */

static void test_stats_empty(void **state)
{
	(void)state;
	struct stats st;
	memset(&st, 0xA5, sizeof st);
	stats_compute(NULL, 0, &st);
	expect_stats(&st, 0, 0, 0, 0, 0, 0, 0);
}

static void test_stats_one(void **state)
{
	(void)state;
	uint64_t v[] = { 42 };
	struct stats st;
	stats_compute(v, 1, &st);
	expect_stats(&st, 1, 42, 42, 42, 0, 42, 42);
}

static void test_stats_two(void **state)
{
	(void)state;
	/* sorted 8,100: median (8+100)/2 = 54; mean 54; pop. stdev 46 */
	uint64_t v[] = { 100, 8 };
	struct stats st;
	stats_compute(v, 2, &st);
	expect_stats(&st, 2, 8, 54, 54, 46, 100, 100);
	assert_int_equal(v[0], 8);          /* sorted in place */
	assert_int_equal(v[1], 100);
}

static void test_stats_odd5(void **state)
{
	(void)state;
	/* sorted 1,3,5,7,9: median 5, mean 5, var 8 -> stdev 2.83 -> 3,
	 * p99 rank ceil(4.95) = 5 -> 9 */
	uint64_t v[] = { 5, 1, 9, 3, 7 };
	struct stats st;
	stats_compute(v, 5, &st);
	expect_stats(&st, 5, 1, 5, 5, 3, 9, 9);
	for (unsigned i = 0; i < 5; i++)
		assert_int_equal(v[i], 2 * i + 1);
}

static void test_stats_even4(void **state)
{
	(void)state;
	/* sorted 2,4,7,10: median (4+7)/2 = 5.5 -> 5 (rounded down);
	 * mean 23/4 = 5.75 -> 6; var 9.1875 -> stdev 3.03 -> 3;
	 * p99 rank ceil(3.96) = 4 -> 10 */
	uint64_t v[] = { 10, 2, 7, 4 };
	struct stats st;
	stats_compute(v, 4, &st);
	expect_stats(&st, 4, 2, 5, 6, 3, 10, 10);
}

static void test_stats_duplicates(void **state)
{
	(void)state;
	uint64_t v[9];
	for (unsigned i = 0; i < 9; i++)
		v[i] = 7;
	struct stats st;
	stats_compute(v, 9, &st);
	expect_stats(&st, 9, 7, 7, 7, 0, 7, 7);
}

static void test_stats_n100(void **state)
{
	(void)state;
	/* lcg seed 1, lo 200, span 1000. python: mean 717.67, stdev 311.154,
	 * sorted[98] = 1178 (the 99th value), sorted[99] = 1188 */
	uint64_t v[100];
	lcg_fill(v, 100, 1, 200, 1000);
	assert_int_equal(v[0], 974);       /* generator matches the python */
	assert_int_equal(v[1], 353);
	assert_int_equal(v[4], 234);
	struct stats st;
	stats_compute(v, 100, &st);
	expect_stats(&st, 100, 200, 703, 718, 311, 1178, 1188);
	assert_int_equal(v[98], 1178);
}

static void test_stats_n1000(void **state)
{
	(void)state;
	/* lcg seed 12345, lo 1000, span 5000. python: mean 3414.292,
	 * stdev 1473.943, p99 rank 990 -> sorted[989] = 5958
	 * (neighbours sorted[988] = 5950, sorted[990] = 5960) */
	uint64_t v[1000];
	lcg_fill(v, 1000, 12345, 1000, 5000);
	assert_int_equal(v[0], 4264);
	assert_int_equal(v[1], 1583);
	struct stats st;
	stats_compute(v, 1000, &st);
	expect_stats(&st, 1000, 1012, 3347, 3414, 1474, 5958, 5998);
}

static void test_stats_p99_rank(void **state)
{
	(void)state;
	/* values 1..n reversed, so p99 equals its nearest rank ceil(0.99 n)
	 * (python: math.ceil(Decimal(99)*n/100)) */
	static const struct { uint64_t n, rank; } cases[] = {
		{ 1, 1 }, { 2, 2 }, { 3, 3 }, { 10, 10 }, { 99, 99 },
		{ 100, 99 }, { 101, 100 }, { 150, 149 }, { 199, 198 },
		{ 200, 198 }, { 201, 199 }, { 1000, 990 }, { 1001, 991 },
	};
	uint64_t v[1001];
	for (unsigned c = 0; c < ARRAY_LEN(cases); c++) {
		uint64_t n = cases[c].n;
		for (uint64_t i = 0; i < n; i++)
			v[i] = n - i;
		struct stats st;
		stats_compute(v, n, &st);
		assert_int_equal(st.p99, cases[c].rank);
		/* median of 1..n: floor((floor((n+1)/2) + ceil((n+1)/2)) / 2) */
		assert_int_equal(st.median, (((n - 1) / 2 + 1) + (n / 2 + 1)) / 2);
	}
}

static void test_stats_large_spread(void **state)
{
	(void)state;
	/* python: mean 600000200000000004.6, stdev 1199999900000062497.705 */
	uint64_t v[] = { 1, 1000000000000ULL, 5, 17, 3000000000000000000ULL };
	struct stats st;
	stats_compute(v, 5, &st);
	expect_stats(&st, 5, 1, 17, 600000200000000005ULL,
		     1199999900000062498ULL, 3000000000000000000ULL,
		     3000000000000000000ULL);
}

static void test_stats_large_offset_small_spread(void **state)
{
	(void)state;
	/* huge absolute values, small spread: 2^63 + {10,20,30,40}
	 * median 2^63+25, mean 2^63+25, stdev sqrt(125) = 11.18 -> 11 */
	const uint64_t b = 1ULL << 63;
	uint64_t v[] = { b + 40, b + 10, b + 30, b + 20 };
	struct stats st;
	stats_compute(v, 4, &st);
	expect_stats(&st, 4, b + 10, b + 25, b + 25, 11, b + 40, b + 40);
}

/* Full-range inputs: the header defines stdev for any sample set, without
 * a range restriction, so these assert the documented values (python,
 * fractions.Fraction and Decimal sqrt, exact). */
static void test_stats_extreme_spread_2pow63(void **state)
{
	(void)state;
	/* {0, 2^63}: median = mean = stdev = 2^62 exactly */
	struct stats st;
	uint64_t a[] = { 1ULL << 63, 0 };
	stats_compute(a, 2, &st);
	assert_int_equal(st.mean, 1ULL << 62);
	assert_int_equal(st.median, 1ULL << 62);
	assert_int_equal(st.stdev, 1ULL << 62);
}

static void test_stats_extreme_spread_full_range(void **state)
{
	(void)state;
	/* {0, 5, 2^64-1}: mean 6148914691236517206.67 -> ...207,
	 * stdev 8695878550221854806.58 -> ...807 */
	struct stats st;
	uint64_t b[] = { 0, UINT64_MAX, 5 };
	stats_compute(b, 3, &st);
	assert_int_equal(st.min, 0);
	assert_int_equal(st.median, 5);
	assert_int_equal(st.mean, 6148914691236517207ULL);
	assert_int_equal(st.p99, UINT64_MAX);
	assert_int_equal(st.stdev, 8695878550221854807ULL);
}

static void test_stats_near_limit(void **state)
{
	(void)state;
	/* {0, 2^63-1}: stdev (2^63-1)/2 = ...903.5, a tie: rounds up to ...904 */
	struct stats st;
	uint64_t c[] = { 0, (1ULL << 63) - 1 };
	stats_compute(c, 2, &st);
	assert_int_equal(st.stdev, 4611686018427387904ULL);
}

/* ------------------------------------------------------------ isqrt_u128 */

static void check_isqrt(unsigned __int128 x)
{
	uint64_t r = isqrt_u128(x);
	unsigned __int128 r2 = (unsigned __int128)r * r;
	assert_true(r2 <= x);
	/* (r+1)^2 > x; (r+1)^2 can reach 2^128 only when r = 2^64-1 */
	if (r != UINT64_MAX) {
		unsigned __int128 r1 = (unsigned __int128)(r + 1) * (r + 1);
		assert_true(r1 > x);
	}
}

static void test_isqrt_small(void **state)
{
	(void)state;
	static const struct { uint64_t x, r; } cases[] = {
		{ 0, 0 }, { 1, 1 }, { 2, 1 }, { 3, 1 }, { 4, 2 }, { 5, 2 },
		{ 8, 2 }, { 9, 3 }, { 15, 3 }, { 16, 4 }, { 17, 4 },
		{ 99, 9 }, { 100, 10 }, { 101, 10 }, { 1000000, 1000 },
		{ 999999, 999 },
	};
	for (unsigned i = 0; i < ARRAY_LEN(cases); i++)
		assert_int_equal(isqrt_u128(cases[i].x), cases[i].r);
	for (uint64_t x = 0; x < 100000; x++)
		check_isqrt(x);
}

static void test_isqrt_squares_and_neighbours(void **state)
{
	(void)state;
	static const uint64_t roots[] = {
		2, 3, 1000, 65535, 65536, 4294967295ULL, 4294967296ULL,
		4294967297ULL, 3037000499ULL, 3037000500ULL,
		1ULL << 40, (1ULL << 62) + 12345, 1ULL << 63,
		0xFFFFFFFFFFFFFFFEULL, 0xFFFFFFFFFFFFFFFFULL,
	};
	for (unsigned i = 0; i < ARRAY_LEN(roots); i++) {
		uint64_t r = roots[i];
		unsigned __int128 sq = (unsigned __int128)r * r;
		assert_int_equal(isqrt_u128(sq), r);
		assert_int_equal(isqrt_u128(sq - 1), r - 1);
		if (r != UINT64_MAX) {
			assert_int_equal(isqrt_u128(sq + 1), r);
			/* (r+1)^2 - 1 still has root r */
			unsigned __int128 nx = (unsigned __int128)(r + 1) * (r + 1);
			assert_int_equal(isqrt_u128(nx - 1), r);
			assert_int_equal(isqrt_u128(nx), r + 1);
		}
		check_isqrt(sq);
		check_isqrt(sq - 1);
		check_isqrt(sq + 1);
	}
}

static void test_isqrt_64bit_boundary(void **state)
{
	(void)state;
	/* around 2^64 */
	unsigned __int128 two64 = (unsigned __int128)1 << 64;
	assert_int_equal(isqrt_u128(two64), 1ULL << 32);
	assert_int_equal(isqrt_u128(two64 - 1), 0xFFFFFFFFULL);
	assert_int_equal(isqrt_u128(two64 + 1), 1ULL << 32);
	assert_int_equal(isqrt_u128(UINT64_MAX), 0xFFFFFFFFULL);
	for (int d = -1000; d <= 1000; d++)
		check_isqrt(two64 + d);
}

static void test_isqrt_large_128(void **state)
{
	(void)state;
	unsigned __int128 max = ~(unsigned __int128)0;
	assert_int_equal(isqrt_u128(max), UINT64_MAX);   /* 2^128-1 */
	assert_int_equal(isqrt_u128((unsigned __int128)1 << 126), 1ULL << 63);
	assert_int_equal(isqrt_u128(((unsigned __int128)1 << 126) - 1),
			 (1ULL << 63) - 1);
	assert_int_equal(isqrt_u128((unsigned __int128)1 << 127),
			 13043817825332782212ULL);   /* floor(2^63.5), python */
	assert_int_equal(isqrt_u128((unsigned __int128)1 << 100), 1ULL << 50);
	check_isqrt(max);
	check_isqrt(max - 1);

	/* pseudo-random 128-bit values of every magnitude */
	uint64_t x = 99;
	for (int i = 0; i < 20000; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		uint64_t hi = x;
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		unsigned __int128 v = ((unsigned __int128)hi << 64) | x;
		v >>= (unsigned)(i % 128);
		check_isqrt(v);
	}
}

/* ------------------------------------------------------ subtract_overhead */

static void test_subtract_overhead(void **state)
{
	(void)state;
	uint64_t v[] = { 0, 5, 99, 100, 101, 1000, UINT64_MAX };
	subtract_overhead(v, ARRAY_LEN(v), 100);
	assert_int_equal(v[0], 0);
	assert_int_equal(v[1], 0);
	assert_int_equal(v[2], 0);
	assert_int_equal(v[3], 0);
	assert_int_equal(v[4], 1);
	assert_int_equal(v[5], 900);
	assert_int_equal(v[6], UINT64_MAX - 100);

	uint64_t w[] = { 3, 7 };
	subtract_overhead(w, 2, 0);             /* zero overhead: unchanged */
	assert_int_equal(w[0], 3);
	assert_int_equal(w[1], 7);
	subtract_overhead(w, 2, UINT64_MAX);    /* saturates, never wraps */
	assert_int_equal(w[0], 0);
	assert_int_equal(w[1], 0);

	uint64_t z[] = { 50, 60 };
	subtract_overhead(z, 1, 10);            /* only n elements */
	assert_int_equal(z[0], 40);
	assert_int_equal(z[1], 60);
	subtract_overhead(NULL, 0, 10);         /* n = 0 */
}

static void test_stats_p1(void **state)
{
	(void)state;
	/* nearest rank: ceil(0.01 n) - 1 -> n=100: sorted[0]; n=1000: sorted[9];
	 * n=101: sorted[1] */
	static uint64_t v[1000];
	struct stats st;
	for (unsigned i = 0; i < 1000; i++)
		v[i] = 1000 - i;            /* 1000..1, reversed */
	stats_compute(v, 1000, &st);
	assert_int_equal(st.p1, 10);
	for (unsigned i = 0; i < 100; i++)
		v[i] = 500 + i;
	stats_compute(v, 100, &st);
	assert_int_equal(st.p1, 500);
	for (unsigned i = 0; i < 101; i++)
		v[i] = 7 * i;
	stats_compute(v, 101, &st);
	assert_int_equal(st.p1, 7);
}

/* ---------------------------------------------- ranks, median, moments */

static void test_rank_helpers(void **state)
{
	(void)state;
	/* ceil(n/100) and ceil(99n/100), by the textbook integer formula */
	for (uint64_t n = 0; n < 5000; n++) {
		assert_int_equal(rank_p1(n), (n + 99) / 100);
		assert_int_equal(rank_p99(n), (99 * n + 99) / 100);
	}
	assert_int_equal(rank_p1(UINT64_MAX), UINT64_MAX / 100 + 1);
	assert_int_equal(rank_p99(UINT64_MAX), UINT64_MAX - UINT64_MAX / 100);
}

static void test_median_sorted(void **state)
{
	(void)state;
	uint64_t a[] = { 1, 2, 4, 9 };
	assert_int_equal(median_sorted(a, 0), 0);
	assert_int_equal(median_sorted(a, 1), 1);
	assert_int_equal(median_sorted(a, 2), 1);      /* 1.5 -> 1 */
	assert_int_equal(median_sorted(a, 3), 2);
	assert_int_equal(median_sorted(a, 4), 3);      /* (2+4)/2 */
	uint64_t b[] = { UINT64_MAX - 1, UINT64_MAX };
	assert_int_equal(median_sorted(b, 2), UINT64_MAX - 1);   /* no overflow */
}

/* The moments of one set added in batches equal those added at once, and
 * both equal stats_compute's. */
static void test_moments_batches(void **state)
{
	(void)state;
	enum { N = 3000 };
	static uint64_t v[N];
	lcg_fill(v, N, 77, 50, 100000);
	struct moments one, parts;
	moments_clear(&one);
	moments_clear(&parts);
	moments_add(&one, v, N);
	moments_add(&parts, v, 1);
	moments_add(&parts, v + 1, 999);
	moments_add(&parts, v + 1000, 0);
	moments_add(&parts, v + 1000, N - 1000);
	assert_int_equal(parts.n, N);
	assert_int_equal(moments_mean(&parts), moments_mean(&one));
	assert_int_equal(moments_stdev(&parts), moments_stdev(&one));
	struct stats st;
	stats_compute(v, N, &st);
	assert_int_equal(st.mean, moments_mean(&one));
	assert_int_equal(st.stdev, moments_stdev(&one));

	struct moments empty;
	moments_clear(&empty);
	assert_int_equal(moments_mean(&empty), 0);
	assert_int_equal(moments_stdev(&empty), 0);
}

/* Sums of squares past 2^128: the 192-bit accumulator (python, exact) */
static void test_moments_huge(void **state)
{
	(void)state;
	static uint64_t v[2000];
	struct moments m;
	for (unsigned i = 0; i < 2000; i++)
		v[i] = i < 1000 ? 0 : UINT64_MAX;
	moments_clear(&m);
	moments_add(&m, v, 2000);
	/* mean and stdev (2^64-1)/2 = ...807.5: both round up to 2^63 */
	assert_int_equal(moments_mean(&m), 1ULL << 63);
	assert_int_equal(moments_stdev(&m), 1ULL << 63);

	uint64_t w[] = { 0, 0, 0, UINT64_MAX };
	moments_clear(&m);
	moments_add(&m, w, 4);
	assert_int_equal(moments_mean(&m), 4611686018427387904ULL);
	assert_int_equal(moments_stdev(&m), 7987674492471257550ULL);

	uint64_t x[] = { UINT64_MAX, UINT64_MAX - 1, UINT64_MAX - 2, 7 };
	moments_clear(&m);
	moments_add(&m, x, 2);
	moments_add(&m, x + 2, 2);
	assert_int_equal(moments_mean(&m), 13835058055282163712ULL);
	assert_int_equal(moments_stdev(&m), 7987674492471257547ULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sort_small_n),
		cmocka_unit_test(test_sort_random_vs_qsort),
		cmocka_unit_test(test_sort_duplicates_and_patterns),
		cmocka_unit_test(test_stats_empty),
		cmocka_unit_test(test_stats_one),
		cmocka_unit_test(test_stats_two),
		cmocka_unit_test(test_stats_odd5),
		cmocka_unit_test(test_stats_even4),
		cmocka_unit_test(test_stats_duplicates),
		cmocka_unit_test(test_stats_n100),
		cmocka_unit_test(test_stats_n1000),
		cmocka_unit_test(test_stats_p99_rank),
		cmocka_unit_test(test_stats_large_spread),
		cmocka_unit_test(test_stats_large_offset_small_spread),
		cmocka_unit_test(test_stats_near_limit),
		cmocka_unit_test(test_stats_extreme_spread_2pow63),
		cmocka_unit_test(test_stats_extreme_spread_full_range),
		cmocka_unit_test(test_isqrt_small),
		cmocka_unit_test(test_isqrt_squares_and_neighbours),
		cmocka_unit_test(test_isqrt_64bit_boundary),
		cmocka_unit_test(test_isqrt_large_128),
		cmocka_unit_test(test_subtract_overhead),
		cmocka_unit_test(test_stats_p1),
		cmocka_unit_test(test_rank_helpers),
		cmocka_unit_test(test_median_sorted),
		cmocka_unit_test(test_moments_batches),
		cmocka_unit_test(test_moments_huge),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
