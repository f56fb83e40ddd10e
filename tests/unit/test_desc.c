/*
 * test_desc.c - host unit tests for lib/desc.c, the descriptor decoder the
 * kernel's `dump=` command and tools/gatedecode share.
 *
 * The seed descriptors are Windows 10 x64 IDT entries quoted in a Chinese
 * write-up (WinDbg `dq idtr`): vector 0 (#DE) and vector 2 (NMI, IST 3).
 * The write-up calls their type "6": the 32-bit-era reading of the same
 * byte (3 type bits + D), which in IA-32e mode is type 0xe.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "lib/desc.h"

#define LEGACY6 " legacy-type=6 (32-bit reading of the same bits: type&7, D=1)"

static char buf[512];
static struct sbuf sb;

static struct sbuf *fresh(void)
{
	sb_init(&sb, buf, sizeof buf);
	return &sb;
}

static uint64_t word(const char *s)
{
	uint64_t w = 0;
	assert_int_equal(desc_parse_word(s, strlen(s), &w), 0);
	return w;
}

/* ------------------------------------------------------------ seed gates */

static void test_seed_vector0(void **state)
{
	(void)state;
	uint64_t lo = word("6b628e00`0010a100"), hi = word("00000000`fffff801");
	struct gate64 g;

	assert_true(lo == 0x6b628e000010a100ull);
	assert_true(hi == 0x00000000fffff801ull);
	memset(&g, 0xA5, sizeof g);
	desc_decode_gate(lo, hi, &g);
	assert_true(g.offset == 0xfffff8016b62a100ull);
	assert_int_equal(g.selector, 0x0010);
	assert_int_equal(g.ist, 0);
	assert_int_equal(g.type, 0xe);
	assert_int_equal(g.type & 7, 6);        /* the seed's "TYPE 6" */
	assert_int_equal(g.dpl, 0);
	assert_int_equal(g.present, 1);
	assert_string_equal(desc_type_name(g.type, 1), "64-bit interrupt gate");

	desc_format_gate(fresh(), 0, lo, hi);
	assert_string_equal(buf,
		"vector=0x00 raw=0x6b628e000010a100 0x00000000fffff801 "
		"offset=0xfffff8016b62a100 selector=0x0010 ist=0 "
		"type=0xe (64-bit interrupt gate) dpl=0 p=1" LEGACY6);
	assert_int_equal(sb.overflow, 0);

	/* no vector: the line starts at raw= */
	desc_format_gate(fresh(), -1, lo, hi);
	assert_string_equal(buf,
		"raw=0x6b628e000010a100 0x00000000fffff801 "
		"offset=0xfffff8016b62a100 selector=0x0010 ist=0 "
		"type=0xe (64-bit interrupt gate) dpl=0 p=1" LEGACY6);
}

static void test_seed_vector2_nmi(void **state)
{
	(void)state;
	uint64_t lo = word("6b628e03`0010a240"), hi = word("00000000`fffff801");
	struct gate64 g;

	desc_decode_gate(lo, hi, &g);
	assert_true(g.offset == 0xfffff8016b62a240ull);
	assert_int_equal(g.selector, 0x0010);
	assert_int_equal(g.ist, 3);
	assert_int_equal(g.type, 0xe);
	assert_int_equal(g.dpl, 0);
	assert_int_equal(g.present, 1);

	desc_format_gate(fresh(), 2, lo, hi);
	assert_string_equal(buf,
		"vector=0x02 raw=0x6b628e030010a240 0x00000000fffff801 "
		"offset=0xfffff8016b62a240 selector=0x0010 ist=3 "
		"type=0xe (64-bit interrupt gate) dpl=0 p=1" LEGACY6);

	/* as a 16-byte system descriptor it is recognised as a gate too */
	desc_format_system16(fresh(), -1, lo, hi);
	assert_string_equal(buf,
		"raw=0x6b628e030010a240 0x00000000fffff801 "
		"offset=0xfffff8016b62a240 selector=0x0010 ist=3 "
		"type=0xe (64-bit interrupt gate) dpl=0 p=1" LEGACY6);
}

/* ------------------------------------------------------------ other gates */

static void test_trap_gate_dpl3(void **state)
{
	(void)state;
	/* #BP reachable from ring 3: P=1 DPL=3 type=0xf -> access byte 0xef */
	uint64_t lo = 0x6b62ef000010a500ull, hi = 0xfffff801ull;
	struct gate64 g;

	desc_decode_gate(lo, hi, &g);
	assert_true(g.offset == 0xfffff8016b62a500ull);
	assert_int_equal(g.type, 0xf);
	assert_int_equal(g.dpl, 3);
	assert_int_equal(g.present, 1);
	assert_int_equal(g.ist, 0);

	desc_format_gate(fresh(), 3, lo, hi);
	assert_string_equal(buf,
		"vector=0x03 raw=0x6b62ef000010a500 0x00000000fffff801 "
		"offset=0xfffff8016b62a500 selector=0x0010 ist=0 "
		"type=0xf (64-bit trap gate) dpl=3 p=1 legacy-type=7 "
		"(32-bit reading of the same bits: type&7, D=1)");
}

static void test_call_gate(void **state)
{
	(void)state;
	/* ring-3 call gate to 0x0008:0xffffffff81234567, access byte 0xec */
	uint64_t lo = 0x8123ec0000084567ull, hi = 0x00000000ffffffffull;
	struct gate64 g;

	desc_decode_gate(lo, hi, &g);
	assert_true(g.offset == 0xffffffff81234567ull);
	assert_int_equal(g.selector, 0x0008);
	assert_int_equal(g.type, 0xc);
	assert_int_equal(g.dpl, 3);
	assert_int_equal(g.present, 1);
	assert_int_equal(desc_is_gate_type(g.type), 1);

	/* no ist= (reserved in a call gate), no legacy note */
	desc_format_system16(fresh(), 0x48, lo, hi);
	assert_string_equal(buf,
		"sel=0x0048 raw=0x8123ec0000084567 0x00000000ffffffff "
		"offset=0xffffffff81234567 selector=0x0008 "
		"type=0xc (64-bit call gate) dpl=3 p=1");
}

/* ------------------------------------------------------------ system16 */

static void test_tss64(void **state)
{
	(void)state;
	/* base 0xfffff8016b7f1000: bits 23:0 and 31:24 in lo, 63:32 in hi */
	uint64_t lo = 0x6b00897f10000067ull, hi = 0x00000000fffff801ull;
	struct seg64 s;

	desc_decode_segment(lo, &s);
	assert_int_equal(s.base, 0x6b7f1000);
	assert_int_equal(s.limit, 0x67);
	assert_int_equal(s.type, 0x9);
	assert_int_equal(s.s, 0);
	assert_int_equal(s.present, 1);
	assert_int_equal(s.g, 0);
	assert_int_equal(desc_is_gate_type(s.type), 0);

	desc_format_system16(fresh(), 0x40, lo, hi);
	assert_string_equal(buf,
		"sel=0x0040 raw=0x6b00897f10000067 0x00000000fffff801 "
		"base=0xfffff8016b7f1000 limit=0x00067 "
		"type=0x9 (64-bit TSS (available)) dpl=0 p=1 g=0 avl=0");

	/* after LTR the CPU marks it busy: type 0xb */
	desc_format_system16(fresh(), -1, lo | 0x20000000000ull, hi);
	assert_non_null(strstr(buf, " type=0xb (64-bit TSS (busy)) "));

	/* code/data lo: not a system descriptor, says so */
	desc_format_system16(fresh(), -1, 0x00af9a000000ffffull, 0);
	assert_non_null(strstr(buf, "(code, execute/read)"));
	assert_non_null(strstr(buf, "(s=1: not a 16-byte system descriptor)"));
}

static void test_system_type_names(void **state)
{
	(void)state;
	static const char *const want[16] = {
		"reserved", "reserved", "LDT", "reserved",
		"reserved", "reserved", "reserved", "reserved",
		"reserved", "64-bit TSS (available)", "reserved",
		"64-bit TSS (busy)", "64-bit call gate", "reserved",
		"64-bit interrupt gate", "64-bit trap gate",
	};
	for (unsigned t = 0; t < 16; t++)
		assert_string_equal(desc_type_name(t, 1), want[t]);
	assert_string_equal(desc_type_name(0x0, 0), "data, read-only");
	assert_string_equal(desc_type_name(0x3, 0), "data, read/write, accessed");
	assert_string_equal(desc_type_name(0x6, 0), "data, read/write, expand-down");
	assert_string_equal(desc_type_name(0xb, 0), "code, execute/read, accessed");
	assert_string_equal(desc_type_name(0xc, 0), "code, execute-only, conforming");
}

/* ------------------------------------------------------------ segments */

static void test_kernel_code64(void **state)
{
	(void)state;
	struct seg64 s;

	memset(&s, 0xA5, sizeof s);
	desc_decode_segment(0x00AF9A000000FFFFull, &s);
	assert_int_equal(s.base, 0);
	assert_int_equal(s.limit, 0xfffff);
	assert_int_equal(desc_seg_limit_bytes(&s), 0xffffffffu);
	assert_int_equal(s.type, 0xa);
	assert_int_equal(s.s, 1);
	assert_int_equal(s.dpl, 0);
	assert_int_equal(s.present, 1);
	assert_int_equal(s.avl, 0);
	assert_int_equal(s.l, 1);
	assert_int_equal(s.db, 0);
	assert_int_equal(s.g, 1);

	desc_format_segment(fresh(), 0x08, 0x00AF9A000000FFFFull);
	assert_string_equal(buf,
		"sel=0x0008 raw=0x00af9a000000ffff base=0x00000000 "
		"limit=0xfffff (0xffffffff with g=1) type=0xa (code, execute/read) "
		"s=1 dpl=0 p=1 l=1 db=0 g=1 avl=0");
}

static void test_user_data(void **state)
{
	(void)state;
	struct seg64 s;

	desc_decode_segment(0x00CFF2000000FFFFull, &s);
	assert_int_equal(s.type, 0x2);
	assert_int_equal(s.s, 1);
	assert_int_equal(s.dpl, 3);
	assert_int_equal(s.present, 1);
	assert_int_equal(s.l, 0);
	assert_int_equal(s.db, 1);
	assert_int_equal(s.g, 1);

	desc_format_segment(fresh(), -1, 0x00CFF2000000FFFFull);
	assert_string_equal(buf,
		"raw=0x00cff2000000ffff base=0x00000000 "
		"limit=0xfffff (0xffffffff with g=1) type=0x2 (data, read/write) "
		"s=1 dpl=3 p=1 l=0 db=1 g=1 avl=0");
}

static void test_segment_base_limit_split(void **state)
{
	(void)state;
	/* base 0x12345678 over bits 39:16 and 63:56, limit 0xabcde over
	 * 15:0 and 51:48, G=0, AVL=1, accessed data */
	uint64_t d = 0x121a93345678bcdeull;
	struct seg64 s;

	desc_decode_segment(d, &s);
	assert_int_equal(s.base, 0x12345678);
	assert_int_equal(s.limit, 0xabcde);
	assert_int_equal(desc_seg_limit_bytes(&s), 0xabcde);
	assert_int_equal(s.avl, 1);
	assert_int_equal(s.g, 0);
	assert_int_equal(s.type, 0x3);
}

static void test_null_and_system8(void **state)
{
	(void)state;
	desc_format_segment(fresh(), 0, 0);
	assert_string_equal(buf, "sel=0x0000 raw=0x0000000000000000 null");

	/* the low half of a TSS descriptor on its own */
	desc_format_segment(fresh(), -1, 0x6b00897f10000067ull);
	assert_non_null(strstr(buf, "base=0x6b7f1000 limit=0x00067 "
				    "type=0x9 (64-bit TSS (available)) s=0 "));
	assert_non_null(strstr(buf, "(system descriptor: 16 bytes, upper half not given)"));
}

static void test_small_buffer_truncates(void **state)
{
	(void)state;
	char small[16];
	struct sbuf t;

	memset(small, 'X', sizeof small);
	sb_init(&t, small, 12);
	desc_format_gate(&t, 0, 0x6b628e000010a100ull, 0xfffff801ull);
	assert_int_equal(t.overflow, 1);
	assert_string_equal(small, "vector=0x00");
	assert_int_equal(small[12], 'X');       /* nothing past cap */
}

/* ------------------------------------------------------------ parse_word */

static int parse(const char *s, uint64_t *out)
{
	return desc_parse_word(s, strlen(s), out);
}

static void test_parse_word(void **state)
{
	(void)state;
	uint64_t w;

	assert_int_equal(parse("6b628e00`0010a100", &w), 0);
	assert_true(w == 0x6b628e000010a100ull);
	assert_int_equal(parse("0`fffff801", &w), 0);        /* short sides */
	assert_true(w == 0xfffff801ull);
	assert_int_equal(parse("FFFFF801`6B62A100", &w), 0); /* upper case */
	assert_true(w == 0xfffff8016b62a100ull);
	assert_int_equal(parse("0x6b628e000010a100", &w), 0);
	assert_true(w == 0x6b628e000010a100ull);
	assert_int_equal(parse("0X1", &w), 0);
	assert_true(w == 1);
	assert_int_equal(parse("00af9a000000ffff", &w), 0);  /* 16 digits */
	assert_true(w == 0x00af9a000000ffffull);

	/* *out untouched on failure */
	w = 42;
	assert_int_equal(parse("", &w), -1);
	assert_int_equal(parse("0x", &w), -1);
	assert_int_equal(parse("0x10000000000000000", &w), -1);      /* 17 */
	assert_int_equal(parse("00af9a000000ffff0", &w), -1);        /* 17 */
	assert_int_equal(parse("af9a000000ffff", &w), -1);   /* bare, <16 */
	assert_int_equal(parse("00af9a000000fffg", &w), -1);         /* bad */
	assert_int_equal(parse("0x6b62-e000010a100", &w), -1);
	assert_int_equal(parse("6b628e00`0010a10z", &w), -1);
	assert_int_equal(parse("16b628e00`0010a100", &w), -1);       /* 9 hi */
	assert_int_equal(parse("6b628e00`00010a100", &w), -1);       /* 9 lo */
	assert_int_equal(parse("`0010a100", &w), -1);
	assert_int_equal(parse("6b628e00`", &w), -1);
	assert_int_equal(parse("1`2`3", &w), -1);
	assert_int_equal(parse("0x6b628e00`0010a100", &w), -1);
	assert_int_equal(parse(" 0x1", &w), -1);
	assert_int_equal(parse("0x1 ", &w), -1);
	assert_int_equal(desc_parse_word(NULL, 0, &w), -1);
	assert_true(w == 42);

	/* len bounds the scan: a longer string is cut, not read on */
	assert_int_equal(desc_parse_word("0x12zz", 4, &w), 0);
	assert_true(w == 0x12);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_vector0),
		cmocka_unit_test(test_seed_vector2_nmi),
		cmocka_unit_test(test_trap_gate_dpl3),
		cmocka_unit_test(test_call_gate),
		cmocka_unit_test(test_tss64),
		cmocka_unit_test(test_system_type_names),
		cmocka_unit_test(test_kernel_code64),
		cmocka_unit_test(test_user_data),
		cmocka_unit_test(test_segment_base_limit_split),
		cmocka_unit_test(test_null_and_system8),
		cmocka_unit_test(test_small_buffer_truncates),
		cmocka_unit_test(test_parse_word),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
