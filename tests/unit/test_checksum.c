/*
 * test_checksum.c - host unit tests for lib/checksum.h (rt_checksum, what
 * the args4/args8/args16 services return and Ring 3 recomputes).
 *
 * Known values were computed independently with python3:
 *   M=(1<<64)-1
 *   def cs(a):
 *       n=len(a); h=0xcbf29ce484222325^n
 *       for i,x in enumerate(a):
 *           h^=(x+(i+1)*0x9e3779b97f4a7c15)&M; h=(h*0x100000001b3)&M; h^=h>>29
 *       return h
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "lib/checksum.h"

static const uint64_t seq16[16] = { 1, 2, 3, 4, 5, 6, 7, 8,
				    9, 10, 11, 12, 13, 14, 15, 16 };

static void test_known_values(void **state)
{
	(void)state;
	assert_int_equal(rt_checksum(seq16, 16), 0x341e5fee4eb0ae64ULL);
	assert_int_equal(rt_checksum(seq16, 8), 0x23415f4a2cf0b8bdULL);
	assert_int_equal(rt_checksum(seq16, 4), 0x6cf4cb74d8fe5d5dULL);
	assert_int_equal(rt_checksum(seq16, 0), 0xcbf29ce484222325ULL);
	assert_int_equal(rt_checksum(NULL, 0), 0xcbf29ce484222325ULL);
	const uint64_t ones[4] = { UINT64_MAX, UINT64_MAX, UINT64_MAX,
				   UINT64_MAX };
	assert_int_equal(rt_checksum(ones, 4), 0x0c3ad33aacfc8cbcULL);
}

static void test_deterministic(void **state)
{
	(void)state;
	uint64_t a[16], b[16];
	for (unsigned i = 0; i < 16; i++)
		a[i] = b[i] = seq16[i];
	assert_int_equal(rt_checksum(a, 16), rt_checksum(b, 16));
	assert_int_equal(rt_checksum(a, 16), rt_checksum(a, 16));
	for (unsigned i = 0; i < 16; i++)      /* input not modified */
		assert_int_equal(a[i], seq16[i]);
}

static void test_order_sensitive(void **state)
{
	(void)state;
	const uint64_t ref = rt_checksum(seq16, 16);
	for (unsigned i = 0; i < 16; i++)
		for (unsigned j = i + 1; j < 16; j++) {
			uint64_t a[16];
			for (unsigned k = 0; k < 16; k++)
				a[k] = seq16[k];
			a[i] = seq16[j];
			a[j] = seq16[i];
			assert_int_not_equal(rt_checksum(a, 16), ref);
		}
	/* shifted by one position */
	uint64_t sh[16];
	for (unsigned k = 0; k < 16; k++)
		sh[k] = seq16[(k + 1) % 16];
	assert_int_not_equal(rt_checksum(sh, 16), ref);
	/* swapping two equal values is not a change */
	const uint64_t eq[4] = { 7, 7, 1, 2 }, eq2[4] = { 7, 7, 1, 2 };
	assert_int_equal(rt_checksum(eq, 4), rt_checksum(eq2, 4));
}

static void test_n_sensitive(void **state)
{
	(void)state;
	uint64_t seen[17];
	for (unsigned n = 0; n <= 16; n++) {
		seen[n] = rt_checksum(seq16, n);
		for (unsigned m = 0; m < n; m++)
			assert_int_not_equal(seen[n], seen[m]);
	}
	/* a trailing zero argument is not invisible */
	const uint64_t z[5] = { 1, 2, 3, 4, 0 };
	assert_int_not_equal(rt_checksum(z, 5), rt_checksum(z, 4));
	const uint64_t zeros[16] = { 0 };
	for (unsigned n = 1; n <= 16; n++)
		assert_int_not_equal(rt_checksum(zeros, n),
				     rt_checksum(zeros, n - 1));
}

static void test_single_value_change(void **state)
{
	(void)state;
	const uint64_t ref = rt_checksum(seq16, 16);
	for (unsigned i = 0; i < 16; i++)
		for (unsigned bit = 0; bit < 64; bit++) {
			uint64_t a[16];
			for (unsigned k = 0; k < 16; k++)
				a[k] = seq16[k];
			a[i] ^= 1ULL << bit;
			assert_int_not_equal(rt_checksum(a, 16), ref);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_values),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_order_sensitive),
		cmocka_unit_test(test_n_sensitive),
		cmocka_unit_test(test_single_value_change),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
