/*
 * test_ssdt_entry.c - host unit tests for kernel/ssdt_entry.h, the Windows
 * x64 SSDT entry encoding: entry = ((routine - base) << 4) | stack_args,
 * decoded with movsxd + sar 4.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "kernel/ssdt_entry.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* a kernel-half style base and a low one, to show nothing depends on it */
static const uint64_t bases[] = {
	0x1000, 0xFFFFF80000400000ULL, 0x0000000010000000ULL,
};

static void roundtrip(uint64_t base, int64_t off, unsigned stack_args)
{
	int32_t entry = 0x5A5A5A5A;
	uint64_t routine = base + (uint64_t)off;
	assert_int_equal(ssdt_encode(base, routine, stack_args, &entry), 0);
	assert_int_equal(ssdt_decode_routine(base, entry), routine);
	assert_int_equal(ssdt_decode_stack_args(entry), stack_args);
}

static void test_hand_computed(void **state)
{
	(void)state;
	int32_t e;
	/* (0x1230 - 0x1000) << 4 | 2 = 0x2302 */
	assert_int_equal(ssdt_encode(0x1000, 0x1230, 2, &e), 0);
	assert_int_equal((uint32_t)e, 0x2302);

	/* routine == base, 0 args -> 0 */
	assert_int_equal(ssdt_encode(0x1000, 0x1000, 0, &e), 0);
	assert_int_equal((uint32_t)e, 0);

	/* 16 bytes below the base, 4 args: -16 << 4 = -0x100 -> 0xFFFFFF00|4 */
	assert_int_equal(ssdt_encode(0x1000, 0xFF0, 4, &e), 0);
	assert_int_equal((uint32_t)e, 0xFFFFFF04u);

	/* one byte below, 3 args: 0xFFFFFFF3 */
	assert_int_equal(ssdt_encode(0x1000, 0xFFF, 3, &e), 0);
	assert_int_equal((uint32_t)e, 0xFFFFFFF3u);

	/* kernel-style addresses: routine 0x1234560 above, 15 args */
	assert_int_equal(ssdt_encode(0xFFFFF80000400000ULL,
				     0xFFFFF80001634560ULL, 15, &e), 0);
	assert_int_equal((uint32_t)e, 0x1234560Fu);
}

static void test_roundtrip_above_and_below(void **state)
{
	(void)state;
	static const int64_t offs[] = {
		0, 1, 2, 15, 16, 0x230, 0x1000, 0x123456, 0x07FFFFFE,
		0x07FFFFFF, -1, -2, -16, -0x1000, -0x123456, -0x07FFFFFF,
		-0x08000000,
	};
	for (unsigned b = 0; b < ARRAY_LEN(bases); b++)
		for (unsigned i = 0; i < ARRAY_LEN(offs); i++)
			for (unsigned a = 0; a <= SSDT_MAX_STACK_ARGS; a++)
				roundtrip(bases[b], offs[i], a);
}

static void test_stack_args_range(void **state)
{
	(void)state;
	int32_t e;
	for (unsigned a = 0; a <= 15; a++) {
		assert_int_equal(ssdt_encode(0x1000, 0x1230, a, &e), 0);
		assert_int_equal(ssdt_decode_stack_args(e), a);
		assert_int_equal(ssdt_decode_routine(0x1000, e), 0x1230);
		assert_int_equal((uint32_t)e, 0x2300u | a);
	}
	e = 0x11111111;
	assert_int_equal(ssdt_encode(0x1000, 0x1230, 16, &e), -1);
	assert_int_equal(ssdt_encode(0x1000, 0x1230, 17, &e), -1);
	assert_int_equal(ssdt_encode(0x1000, 0x1230, 0xFFFFFFFFu, &e), -1);
	assert_int_equal(e, 0x11111111);        /* untouched on failure */
}

static void test_offset_limits(void **state)
{
	(void)state;
	for (unsigned b = 0; b < ARRAY_LEN(bases); b++) {
		uint64_t base = bases[b];
		int32_t e = 0x22222222;

		/* +0x07FFFFFF: largest positive, encodes to 0x7FFFFFF0|args */
		assert_int_equal(ssdt_encode(base, base + 0x07FFFFFF, 5, &e), 0);
		assert_int_equal((uint32_t)e, 0x7FFFFFF5u);
		assert_int_equal(ssdt_decode_routine(base, e), base + 0x07FFFFFF);

		/* -0x08000000: most negative, encodes to 0x80000000|args */
		assert_int_equal(ssdt_encode(base, base - 0x08000000, 5, &e), 0);
		assert_int_equal((uint32_t)e, 0x80000005u);
		assert_int_equal(ssdt_decode_routine(base, e), base - 0x08000000);

		e = 0x22222222;
		assert_int_equal(ssdt_encode(base, base + 0x08000000, 0, &e), -1);
		assert_int_equal(ssdt_encode(base, base - 0x08000001, 0, &e), -1);
		/* far away in either direction */
		assert_int_equal(ssdt_encode(base, base + 0x100000000ULL, 0, &e), -1);
		assert_int_equal(ssdt_encode(base, base - 0x100000000ULL, 0, &e), -1);
		assert_int_equal(ssdt_encode(base, base + (1ULL << 62), 0, &e), -1);
		assert_int_equal(ssdt_encode(base, base ^ (1ULL << 63), 0, &e), -1);
		assert_int_equal(e, 0x22222222);
	}
}

static void test_negative_decode_sign_extends(void **state)
{
	(void)state;
	const int32_t e = (int32_t)0xFFFFFFF3u;
	for (unsigned b = 0; b < ARRAY_LEN(bases); b++) {
		assert_int_equal(ssdt_decode_routine(bases[b], e), bases[b] - 1);
		assert_int_equal(ssdt_decode_stack_args(e), 3);
	}
	/* 0x80000000: -0x08000000 and 0 args */
	assert_int_equal(ssdt_decode_routine(0x10000000, (int32_t)0x80000000u),
			 0x08000000);
	assert_int_equal(ssdt_decode_stack_args((int32_t)0x80000000u), 0);
	/* 0xFFFFFFFF: -1, 15 args */
	assert_int_equal(ssdt_decode_routine(0x1000, -1), 0xFFF);
	assert_int_equal(ssdt_decode_stack_args(-1), 15);
	/* positive decode, hand-computed entry */
	assert_int_equal(ssdt_decode_routine(0x1000, 0x2302), 0x1230);
	assert_int_equal(ssdt_decode_stack_args(0x2302), 2);
}

static void test_stack_args_for(void **state)
{
	(void)state;
	assert_int_equal(ssdt_stack_args_for(0), 0);
	assert_int_equal(ssdt_stack_args_for(1), 0);
	assert_int_equal(ssdt_stack_args_for(3), 0);
	assert_int_equal(ssdt_stack_args_for(4), 0);
	assert_int_equal(ssdt_stack_args_for(5), 1);
	assert_int_equal(ssdt_stack_args_for(8), 4);
	assert_int_equal(ssdt_stack_args_for(16), 12);
	assert_int_equal(ssdt_stack_args_for(19), 15);
	assert_int_equal(ssdt_stack_args_for(19), SSDT_MAX_STACK_ARGS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hand_computed),
		cmocka_unit_test(test_roundtrip_above_and_below),
		cmocka_unit_test(test_stack_args_range),
		cmocka_unit_test(test_offset_limits),
		cmocka_unit_test(test_negative_decode_sign_extends),
		cmocka_unit_test(test_stack_args_for),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
