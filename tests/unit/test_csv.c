/*
 * test_csv.c - host unit tests for bench/csv.c and lib/fmt.c (the bounded
 * string builder every CSV row is made with).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "bench/csv.h"
#include "lib/fmt.h"

#define GUARD 0x7E

/* ----------------------------------------------------------------- CSV */

static void test_header(void **state)
{
	(void)state;
	char buf[256];
	struct sbuf sb;
	sb_init(&sb, buf, sizeof buf);
	csv_header(&sb);
	/* the contract, spelled out: CSV_COLUMNS_X may only grow at the end */
	assert_string_equal(sb_str(&sb),
		"path,service,args,status,samples,min,median,mean,stdev,p99,max,overhead,"
		"p1,ensembles,median_spread,min_spread,median_ns,median_cycles,"
		"median_instructions,core_mhz,median_core_cycles,smis,service_cost,"
		"profile,mitigations\n");
	assert_memory_equal(sb_str(&sb), CSV_COLUMNS, CSV_COLUMNS_LEN);
	assert_int_equal(strlen(CSV_COLUMNS), CSV_COLUMNS_LEN);
	assert_int_equal(sb.len, CSV_COLUMNS_LEN + 1);
	assert_int_equal(CSV_NCOLUMNS, 25);
	assert_false(sb.overflow);
	assert_int_equal(CSV_VERSION, 2);
	assert_string_equal(CSV_FIRST_LINE, "# ringtrip csv=2\n");
}

static void test_row_exact(void **state)
{
	(void)state;
	char buf[256];
	struct sbuf sb;
	struct csv_row r = {
		.path = "syscall",
		.service = "args4",
		.args = 4,
		.status = "ok",
		.st = { .n = 100000, .min = 61, .median = 64, .mean = 65,
			.stdev = 3, .p99 = 80, .max = 1234 },
		.overhead = 22,
	};
	sb_init(&sb, buf, sizeof buf);
	csv_format_row(&sb, &r);
	assert_string_equal(sb_str(&sb),
			    "syscall,args4,4,ok,100000,61,64,65,3,80,1234,22,0,0,0,0,,,,,,,,-,-\n");
	assert_false(sb.overflow);
}

static void test_row_zero_and_max_numbers(void **state)
{
	(void)state;
	char buf[512];
	struct sbuf sb;
	struct csv_row r = {
		.path = "int2e", .service = "nop", .args = 0, .status = "ok",
		.st = { .n = 0 }, .overhead = UINT64_MAX,
	};
	sb_init(&sb, buf, sizeof buf);
	csv_format_row(&sb, &r);
	assert_string_equal(sb_str(&sb),
			    "int2e,nop,0,ok,0,0,0,0,0,0,0,18446744073709551615,0,0,0,0,,,,,,,,-,-\n");
}

static void test_row_sanitizes_text(void **state)
{
	(void)state;
	char buf[256];
	struct sbuf sb;
	struct csv_row r = {
		.path = "sys,call\n",
		.service = "a,b\r",
		.args = 16,
		.status = "bad checksum, got\nthis",
		.st = { .n = 1, .min = 2, .median = 3, .mean = 4, .stdev = 5,
			.p99 = 6, .max = 7 },
		.overhead = 8,
	};
	sb_init(&sb, buf, sizeof buf);
	csv_format_row(&sb, &r);
	assert_string_equal(sb_str(&sb),
		"sys_call_,a_b_,16,bad checksum_ got_this,1,2,3,4,5,6,7,8,0,0,0,0,,,,,,,,-,-\n");
	/* exactly 24 commas (25 columns) and one newline, at the end */
	unsigned commas = 0, nl = 0;
	for (const char *p = sb_str(&sb); *p; p++) {
		commas += *p == ',';
		nl += *p == '\n';
	}
	assert_int_equal(commas, 24);
	assert_int_equal(commas, CSV_NCOLUMNS - 1);
	assert_int_equal(nl, 1);
	assert_int_equal(buf[sb.len - 1], '\n');
}

static void test_row_empty_and_null_fields(void **state)
{
	(void)state;
	char buf[256];
	struct sbuf sb;
	struct csv_row r = {
		.path = "shadow", .service = NULL, .args = 2, .status = "",
		.st = { .n = 5, .min = 1, .median = 2, .mean = 3, .stdev = 4,
			.p99 = 5, .max = 6 },
		.overhead = 0,
	};
	sb_init(&sb, buf, sizeof buf);
	csv_format_row(&sb, &r);
	assert_string_equal(sb_str(&sb), "shadow,-,2,-,5,1,2,3,4,5,6,0,0,0,0,0,,,,,,,,-,-\n");
}

static void test_field(void **state)
{
	(void)state;
	char buf[64];
	struct sbuf sb;
	sb_init(&sb, buf, sizeof buf);
	csv_field(&sb, "");
	csv_field(&sb, NULL);
	csv_field(&sb, ",\n\r,x");
	assert_string_equal(sb_str(&sb), "--____x");
}

static void test_trailer(void **state)
{
	(void)state;
	char buf[64];
	struct sbuf sb;
	sb_init(&sb, buf, sizeof buf);
	csv_trailer(&sb, 5, 0xcbf43926);
	assert_string_equal(sb_str(&sb), "# end rows=5 crc32=cbf43926\n");
	sb_init(&sb, buf, sizeof buf);
	csv_trailer(&sb, 0, 0);
	assert_string_equal(sb_str(&sb), "# end rows=0 crc32=00000000\n");
}

static void test_row_new_columns(void **state)
{
	(void)state;
	char buf[512];
	struct sbuf sb;
	struct csv_row r = {
		.path = "shadow_pcid", .service = "null", .args = 0, .status = "ok",
		.st = { .n = 500, .min = 10, .median = 12, .mean = 13, .stdev = 1,
			.p99 = 20, .max = 40, .p1 = 11 },
		.overhead = 30, .ensembles = 5, .median_spread = 2, .min_spread = 1,
		.has_ns = 1, .median_ns_tenths = 1234,
		.has_cycles = 1, .median_cycles = 456,
		.has_instructions = 1, .median_instructions = 0,
		.has_core_clock = 1, .core_mhz = 4100, .median_core_cycles = 21,
		.has_smis = 1, .smis = 0, .has_service_cost = 1, .service_cost = 57,
	};
	sb_init(&sb, buf, sizeof buf);
	csv_format_row(&sb, &r);
	assert_string_equal(sb_str(&sb),
		"shadow_pcid,null,0,ok,500,10,12,13,1,20,40,30,11,5,2,1,123.4,456,0,4100,21,0,57,-,-\n");
	r.median_ns_tenths = 7;         /* 0.7 ns: the leading zero is kept */
	r.has_cycles = 0;
	r.has_core_clock = r.has_smis = r.has_service_cost = 0;
	sb_init(&sb, buf, sizeof buf);
	csv_format_row(&sb, &r);
	assert_string_equal(sb_str(&sb),
		"shadow_pcid,null,0,ok,500,10,12,13,1,20,40,30,11,5,2,1,0.7,,0,,,,,-,-\n");
}

/* One table makes both: the header and any row have CSV_NCOLUMNS fields,
 * and each column's name is the X-macro entry's, in the entry's place. */
static unsigned fields(const char *line)
{
	unsigned n = 1;
	for (; *line && *line != '\n'; line++)
		n += *line == ',';
	return n;
}

static void test_table_header_and_row_agree(void **state)
{
	(void)state;
	char buf[512];
	struct sbuf sb;
	static const char *const names[] = {
#define NAME(name, kind, present, value) #name,
		CSV_COLUMNS_X(NAME)
#undef NAME
	};
	assert_int_equal(sizeof names / sizeof names[0], CSV_NCOLUMNS);
	sb_init(&sb, buf, sizeof buf);
	csv_header(&sb);
	assert_int_equal(fields(sb_str(&sb)), CSV_NCOLUMNS);
	const char *p = sb_str(&sb);
	for (unsigned i = 0; i < CSV_NCOLUMNS; i++) {
		size_t n = strlen(names[i]);
		assert_memory_equal(p, names[i], n);
		assert_true(p[n] == (i + 1 < CSV_NCOLUMNS ? ',' : '\n'));
		p += n + 1;
	}
	assert_int_equal(*p, 0);

	/* every value present, and every value absent: still CSV_NCOLUMNS */
	struct csv_row r = {
		.path = "p", .service = "s", .status = "ok",
		.has_ns = 1, .has_cycles = 1, .has_instructions = 1,
	};
	for (int pass = 0; pass < 2; pass++) {
		sb_init(&sb, buf, sizeof buf);
		csv_format_row(&sb, &r);
		assert_false(sb.overflow);
		assert_int_equal(fields(sb_str(&sb)), CSV_NCOLUMNS);
		memset(&r, 0, sizeof r);
	}
	assert_string_equal(sb_str(&sb), "-,-,0,-,0,0,0,0,0,0,0,0,0,0,0,0,,,,,,,,-,-\n");
}

/* the entry mitigations a row ran with: a profile name and the toggles */
static void test_row_mitigation_columns(void **state)
{
	(void)state;
	char buf[512];
	struct sbuf sb;
	struct csv_row r = {
		.path = "syscall", .service = "null", .status = "ok",
		.profile = "linux", .mitigations = "ibrs+verw+sti",
	};
	sb_init(&sb, buf, sizeof buf);
	csv_format_row(&sb, &r);
	const char *end = sb_str(&sb) + strlen(sb_str(&sb)) - strlen(",linux,ibrs+verw+sti\n");
	assert_string_equal(end, ",linux,ibrs+verw+sti\n");
	assert_int_equal(fields(sb_str(&sb)), CSV_NCOLUMNS);
}

static void test_row_truncated(void **state)
{
	(void)state;
	char buf[21];
	struct sbuf sb;
	struct csv_row r = {
		.path = "syscall", .service = "args4", .args = 4, .status = "ok",
		.st = { .n = 100000, .min = 61, .median = 64, .mean = 65,
			.stdev = 3, .p99 = 80, .max = 1234 },
		.overhead = 22,
	};
	memset(buf, GUARD, sizeof buf);
	sb_init(&sb, buf, 20);
	csv_format_row(&sb, &r);
	assert_true(sb.overflow);
	assert_int_equal(sb.len, 19);
	/* cut short, the row still ends its line (sb_endline): the newline
	 * takes the last place, so it cannot run into the next line */
	assert_string_equal(sb_str(&sb), "syscall,args4,4,ok\n");
	assert_int_equal((unsigned char)buf[20], GUARD);
}

/* ----------------------------------------------------------------- sbuf */

static void test_sb_truncation_guard(void **state)
{
	(void)state;
	for (size_t cap = 1; cap <= 12; cap++) {
		char buf[16];
		struct sbuf sb;
		memset(buf, GUARD, sizeof buf);
		sb_init(&sb, buf, cap);
		sb_puts(&sb, "hello");
		sb_putc(&sb, ' ');
		sb_u64(&sb, 12345);
		/* "hello 12345" is 11 chars; needs cap 12 */
		size_t want = cap - 1 < 11 ? cap - 1 : 11;
		assert_int_equal(sb.len, want);
		assert_int_equal(sb.overflow, cap < 12);
		assert_int_equal(strlen(sb_str(&sb)), want);
		assert_memory_equal(sb_str(&sb), "hello 12345", want);
		for (size_t i = cap; i < sizeof buf; i++)
			assert_int_equal((unsigned char)buf[i], GUARD);
	}
}

static void test_sb_cap_zero(void **state)
{
	(void)state;
	char buf[2] = { GUARD, GUARD };
	struct sbuf sb;
	sb_init(&sb, buf, 0);
	sb_putc(&sb, 'x');
	sb_puts(&sb, "abc");
	sb_u64(&sb, 7);
	assert_true(sb.overflow);
	assert_int_equal(sb.len, 0);
	assert_string_equal(sb_str(&sb), "");
	assert_int_equal((unsigned char)buf[0], GUARD);
	assert_int_equal((unsigned char)buf[1], GUARD);
}

static void test_sb_overflow_sticky(void **state)
{
	(void)state;
	char buf[5];
	struct sbuf sb;
	sb_init(&sb, buf, 4);
	sb_puts(&sb, "abcdef");
	assert_true(sb.overflow);
	assert_string_equal(sb_str(&sb), "abc");
	sb_putc(&sb, 'z');              /* still full: nothing, still set */
	assert_true(sb.overflow);
	assert_string_equal(sb_str(&sb), "abc");
}

static void test_sb_putn(void **state)
{
	(void)state;
	char buf[32];
	struct sbuf sb;
	sb_init(&sb, buf, sizeof buf);
	sb_putn(&sb, "abcdef", 3);
	sb_putn(&sb, "xy", 10);         /* stops at NUL */
	sb_putn(&sb, "q", 0);
	assert_string_equal(sb_str(&sb), "abcxy");
	assert_false(sb.overflow);
}

static void test_sb_u64(void **state)
{
	(void)state;
	char buf[64];
	struct sbuf sb;
	sb_init(&sb, buf, sizeof buf);
	sb_u64(&sb, 0);
	sb_putc(&sb, ' ');
	sb_u64(&sb, 9);
	sb_putc(&sb, ' ');
	sb_u64(&sb, 10);
	sb_putc(&sb, ' ');
	sb_u64(&sb, UINT64_MAX);
	assert_string_equal(sb_str(&sb), "0 9 10 18446744073709551615");
}

static void test_sb_i64(void **state)
{
	(void)state;
	char buf[96];
	struct sbuf sb;
	sb_init(&sb, buf, sizeof buf);
	sb_i64(&sb, -1);
	sb_putc(&sb, ' ');
	sb_i64(&sb, -42);
	sb_putc(&sb, ' ');
	sb_i64(&sb, 0);
	sb_putc(&sb, ' ');
	sb_i64(&sb, INT64_MAX);
	sb_putc(&sb, ' ');
	sb_i64(&sb, INT64_MIN);
	assert_string_equal(sb_str(&sb),
		"-1 -42 0 9223372036854775807 -9223372036854775808");
	assert_false(sb.overflow);
}

static void test_sb_hex(void **state)
{
	(void)state;
	char buf[128];
	struct sbuf sb;
	sb_init(&sb, buf, sizeof buf);
	sb_hex(&sb, 0, 0);
	sb_putc(&sb, ' ');
	sb_hex(&sb, 0, 4);
	sb_putc(&sb, ' ');
	sb_hex(&sb, 0xabc, 1);
	sb_putc(&sb, ' ');
	sb_hex(&sb, 0xabc, 8);
	sb_putc(&sb, ' ');
	sb_hex(&sb, 0x12345678, 4);     /* longer than min: not cut */
	sb_putc(&sb, ' ');
	sb_hex(&sb, 0xFFFFF80000400000ULL, 16);
	sb_putc(&sb, ' ');
	sb_hex(&sb, 1, 20);             /* min digits capped at 16 */
	sb_putc(&sb, ' ');
	sb_hex(&sb, UINT64_MAX, 0);
	assert_string_equal(sb_str(&sb),
		"0x0 0x0000 0xabc 0x00000abc 0x12345678 0xfffff80000400000 "
		"0x0000000000000001 0xffffffffffffffff");
	assert_false(sb.overflow);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_row_exact),
		cmocka_unit_test(test_row_zero_and_max_numbers),
		cmocka_unit_test(test_row_sanitizes_text),
		cmocka_unit_test(test_row_empty_and_null_fields),
		cmocka_unit_test(test_field),
		cmocka_unit_test(test_trailer),
		cmocka_unit_test(test_row_new_columns),
		cmocka_unit_test(test_row_mitigation_columns),
		cmocka_unit_test(test_table_header_and_row_agree),
		cmocka_unit_test(test_row_truncated),
		cmocka_unit_test(test_sb_truncation_guard),
		cmocka_unit_test(test_sb_cap_zero),
		cmocka_unit_test(test_sb_overflow_sticky),
		cmocka_unit_test(test_sb_putn),
		cmocka_unit_test(test_sb_u64),
		cmocka_unit_test(test_sb_i64),
		cmocka_unit_test(test_sb_hex),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
