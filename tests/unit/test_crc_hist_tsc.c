/* test_crc_hist_tsc.c - the CRC in the trailer, the histogram buckets and
 * the TSC-frequency arithmetic, against values computed independently
 * (zlib's CRC-32 check value, hand-computed buckets and frequencies). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "lib/crc32.h"
#include "lib/tscfreq.h"
#include "bench/hist.h"

static void test_crc32_check_value(void **state)
{
	(void)state;
	/* the CRC-32 check value of "123456789" is 0xCBF43926 */
	assert_int_equal(crc32_update(0, "123456789", 9), 0xCBF43926u);
	assert_int_equal(crc32_update(0, "", 0), 0);
	/* chaining = one pass */
	uint32_t c = crc32_update(0, "1234", 4);
	assert_int_equal(crc32_update(c, "56789", 5), 0xCBF43926u);
	/* python3 -c "import binascii;print(hex(binascii.crc32(b'syscall,null\n')))" */
	assert_int_equal(crc32_update(0, "syscall,null\n", 13), 0x0e2ec390u);
}

static void test_hist_buckets(void **state)
{
	(void)state;
	for (uint64_t v = 0; v < 16; v++) {
		assert_int_equal(hist_bucket(v), v);
		assert_int_equal(hist_bucket_lo((unsigned)v), v);
	}
	/* [16,32): 8 buckets of width 2 */
	assert_int_equal(hist_bucket(16), 16);
	assert_int_equal(hist_bucket(17), 16);
	assert_int_equal(hist_bucket(18), 17);
	assert_int_equal(hist_bucket(31), 23);
	assert_int_equal(hist_bucket(32), 24);
	assert_int_equal(hist_bucket_lo(24), 32);
	assert_int_equal(hist_bucket_lo(25), 36);
	/* 103: 64 <= 103 < 128, width 8: bucket lo 96 */
	assert_int_equal(hist_bucket_lo(hist_bucket(103)), 96);
	assert_int_equal(hist_bucket(UINT64_MAX), HIST_BUCKETS - 1);
	assert_int_equal(hist_bucket_lo(HIST_BUCKETS - 1), 0xF000000000000000ULL);
	/* every value lies in [lo(b), lo(b+1)) and buckets are at most 1/8 wide */
	for (uint64_t v = 1; v < (1ULL << 62); v = v * 3 + 1) {
		unsigned b = hist_bucket(v);
		assert_true(hist_bucket_lo(b) <= v);
		assert_true(v < hist_bucket_lo(b + 1));
		if (v >= 16)
			assert_true(hist_bucket_lo(b + 1) - hist_bucket_lo(b) <= v / 8 + 1);
	}
}

static char out[4096];
static unsigned lines;
static void collect(const char *line, uint64_t len, void *ctx)
{
	(void)ctx;
	strncat(out, line, len);
	lines++;
}

static void test_hist_format(void **state)
{
	(void)state;
	static struct hist h;
	uint64_t v[] = { 0, 0, 103, 100, 97, 5000 };
	char buf[512];
	hist_clear(&h);
	hist_add(&h, v, 6);
	out[0] = 0;
	lines = 0;
	hist_format(&h, "syscall", "null", buf, sizeof buf, collect, 0);
	/* 97, 100 and 103 share the bucket [96,104); 5000 is in [4608,5120) */
	assert_string_equal(out, "# hist syscall,null,0:2,96:3,4608:1\n");
	assert_int_equal(lines, 1);

	/* a long histogram splits into several lines, each within the buffer */
	hist_clear(&h);
	for (uint64_t x = 0; x < 2000; x += 7)
		hist_add(&h, &x, 1);
	out[0] = 0;
	lines = 0;
	char small[64];
	hist_format(&h, "p", "s", small, sizeof small, collect, 0);
	assert_true(lines > 1);
	for (char *l = out; *l; l = strchr(l, '\n') + 1) {
		assert_int_equal(strncmp(l, "# hist p,s,", 11), 0);
		assert_true(strchr(l, '\n') - l < (long)sizeof small);
	}
}

static void test_tsc_arithmetic(void **state)
{
	(void)state;
	/* a 24 MHz crystal, ratio 250/2: 3.0 GHz */
	assert_int_equal(tsc_hz_cpuid15(2, 250, 24000000), 3000000000ULL);
	/* Skylake client: crystal 24 MHz, 216/2 -> 2.592 GHz */
	assert_int_equal(tsc_hz_cpuid15(2, 216, 24000000), 2592000000ULL);
	/* any zero means "not enumerated" */
	assert_int_equal(tsc_hz_cpuid15(0, 216, 24000000), 0);
	assert_int_equal(tsc_hz_cpuid15(2, 0, 24000000), 0);
	assert_int_equal(tsc_hz_cpuid15(2, 216, 0), 0);
	assert_int_equal(tsc_hz_cpuid16(2400), 2400000000ULL);
	assert_int_equal(tsc_hz_cpuid16(0x12340960), 2400000000ULL);   /* high bits reserved */
	assert_int_equal(tsc_hz_hypervisor(2899999), 2899999000ULL);
	/* 50 ms of PIT (59659 ticks) during 150,000,000 TSC ticks: 3.000005 GHz */
	assert_int_equal(tsc_hz_from_pit(150000000, 59659), 3000005029ULL);
	assert_int_equal(tsc_hz_from_pit(123, 0), 0);
	/* 3000 ticks at 3 GHz = 1000 ns = 10000 tenths; 1 tick at 3 GHz = 0.3 ns */
	assert_int_equal(ticks_to_ns_tenths(3000, 3000000000ULL), 10000);
	assert_int_equal(ticks_to_ns_tenths(1, 3000000000ULL), 3);
	assert_int_equal(ticks_to_ns_tenths(2, 3000000000ULL), 7);     /* 6.67 -> 7 */
	assert_int_equal(ticks_to_ns_tenths(5, 0), 0);
	/* no overflow for a day of ticks at 5 GHz */
	assert_int_equal(ticks_to_ns_tenths(432000000000000ULL, 5000000000ULL),
			 864000000000000ULL);
}

/* the step of a TSC: the GCD of what it showed */
static void test_tsc_step(void **state)
{
	(void)state;
	uint64_t step = 0;
	const uint64_t coarse[] = { 52, 78, 26, 0, 104, 52 };  /* an AMD host's */
	for (unsigned i = 0; i < 6; i++)
		step = tsc_step_add(step, coarse[i]);
	assert_int_equal(step, 26);
	step = tsc_step_add(step, 53);          /* one odd tick: a fine clock */
	assert_int_equal(step, 1);
	assert_int_equal(tsc_step_add(0, 0), 0);            /* nothing seen yet */
	/* icount-like deltas a + j for a loop of j one-instruction LOOPs */
	step = 0;
	for (unsigned j = 0; j < 17; j++)
		step = tsc_step_add(step, 40 + j);
	assert_int_equal(step, 1);
}

/* APERF/MPERF: 1000 ticks with the core at 1.5x the TSC's rate are 1500
 * core cycles; a 2 GHz TSC then means a 3000 MHz core */
static void test_core_clock(void **state)
{
	(void)state;
	assert_int_equal(core_cycles_from_ticks(1000, 3000000, 2000000), 1500);
	assert_int_equal(core_cycles_from_ticks(1000, 1, 3), 333);
	assert_int_equal(core_cycles_from_ticks(1000, 2, 3), 667);  /* rounded */
	assert_int_equal(core_cycles_from_ticks(1000, 5, 0), 0);    /* nothing counted */
	assert_int_equal(core_mhz(2000000000ULL, 3000000, 2000000), 3000);
	assert_int_equal(core_mhz(2400000000ULL, 1, 3), 800);
	assert_int_equal(core_mhz(2400000000ULL, 5, 0), 0);
	/* 64-bit counters a minute apart at 5 GHz do not overflow the math */
	assert_int_equal(core_cycles_from_ticks(300000000000ULL, 300000000000ULL,
						200000000000ULL), 450000000000ULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc32_check_value),
		cmocka_unit_test(test_hist_buckets),
		cmocka_unit_test(test_hist_format),
		cmocka_unit_test(test_tsc_arithmetic),
		cmocka_unit_test(test_tsc_step),
		cmocka_unit_test(test_core_clock),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
