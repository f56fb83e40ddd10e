/* test_qr_payload.c - kernel/qr_payload.c, the copy of the serial stream
 * the QR codes carry: fed a real capture (results/qemu-tcg-icount.csv) in
 * pieces of every size, as the print service hands them over, it keeps
 * every line but the `# hist` lines and the trailer, adds the two qr_ lines
 * and a trailer whose crc32 covers what it kept (computed here with the
 * tested CRC-32 and checked against an independent bitwise one). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kernel/qr_payload.h"
#include "lib/crc32.h"

static char *capture;
static uint64_t capture_rows;       /* the capture trailer's rows= */
static size_t capture_len;

static int setup(void **state)
{
	(void)state;
	FILE *f = fopen("results/qemu-tcg-icount.csv", "rb");
	if (!f)
		return -1;
	capture = malloc(1 << 20);
	capture_len = fread(capture, 1, 1 << 20, f);
	fclose(f);
	return capture_len ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	free(capture);
	return 0;
}

/* what the payload must be: the capture's lines without # hist and the
 * trailer, then the qr_ lines, then a trailer over all of them */
static char *expected(size_t *len)
{
	char *out = malloc(capture_len + 256);
	size_t o = 0;
	unsigned hist = 0;
	char rows[32] = "", crc[16] = "";
	for (size_t at = 0; at < capture_len;) {
		const char *nl = memchr(capture + at, '\n', capture_len - at);
		size_t l = (size_t)(nl - (capture + at)) + 1;
		if (!strncmp(capture + at, "# hist ", 7)) {
			hist++;
		} else if (!strncmp(capture + at, "# end rows=", 11)) {
			assert_int_equal(sscanf(capture + at, "# end rows=%31[0-9] crc32=%8[0-9a-f]",
						rows, crc), 2);
		} else {
			memcpy(out + o, capture + at, l);
			o += l;
		}
		at += l;
	}
	assert_true(hist > 50);
	capture_rows = strtoull(rows, NULL, 10);
	assert_true(capture_rows > 50);
	o += (size_t)sprintf(out + o, "# qr_hist_lines_omitted=%u\n# qr_serial_crc32=%s\n", hist, crc);
	/* CRC-32 bit by bit, written out here again */
	uint32_t c = 0xFFFFFFFFu;
	for (size_t i = 0; i < o; i++) {
		c ^= (uint8_t)out[i];
		for (int k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0xEDB88320u : c >> 1;
	}
	o += (size_t)sprintf(out + o, "# end rows=%s crc32=%08x\n", rows, ~c);
	*len = o;
	return out;
}

static void test_pieces_of_every_size(void **state)
{
	(void)state;
	size_t want_len;
	char *want = expected(&want_len);
	static const size_t pieces[] = { 1, 2, 3, 6, 7, 8, 13, 255, 256, 4096, 1 << 20 };
	for (size_t k = 0; k < sizeof pieces / sizeof pieces[0]; k++) {
		qr_payload_reset();
		size_t at = 0, len;
		uint64_t rows;
		while (at < capture_len) {
			assert_int_equal(qr_payload_state(), QRP_OPEN);
			assert_null(qr_payload_get(&len, &rows));
			size_t n = capture_len - at < pieces[k] ? capture_len - at : pieces[k];
			qr_payload_feed(capture + at, n);
			at += n;
		}
		assert_int_equal(qr_payload_state(), QRP_COMPLETE);
		const uint8_t *p = qr_payload_get(&len, &rows);
		assert_non_null(p);
		assert_int_equal(rows, capture_rows);
		assert_int_equal(len, want_len);
		assert_memory_equal(p, want, want_len);
		/* asking again gives the same, and bytes after the trailer change nothing */
		qr_payload_feed("# selftest late\n", 16);
		assert_ptr_equal(qr_payload_get(&len, &rows), p);
		assert_int_equal(len, want_len);
	}
	free(want);
}

static void test_no_trailer_is_open(void **state)
{
	(void)state;
	size_t len;
	uint64_t rows;
	qr_payload_reset();
	const char cut[] = "# ringtrip csv=2\n# panic: unexpected exception vector=6\n";
	qr_payload_feed(cut, sizeof cut - 1);
	assert_int_equal(qr_payload_state(), QRP_OPEN);
	assert_null(qr_payload_get(&len, &rows));
	/* a line that only starts like a trailer or a histogram is kept */
	qr_payload_reset();
	const char odd[] = "# histogram=no\n# end\n# hist\n# end rows=0 crc32=00000000\n";
	qr_payload_feed(odd, sizeof odd - 1);
	const uint8_t *p = qr_payload_get(&len, &rows);
	assert_non_null(p);
	assert_int_equal(rows, 0);
	const char keep[] = "# histogram=no\n# end\n# hist\n# qr_hist_lines_omitted=0\n"
			    "# qr_serial_crc32=00000000\n# end rows=0 crc32=";
	assert_memory_equal(p, keep, sizeof keep - 1);
}

static void test_too_large(void **state)
{
	(void)state;
	size_t len;
	uint64_t rows;
	qr_payload_reset();
	static char line[100];
	memset(line, 'x', sizeof line - 1);
	line[sizeof line - 1] = '\n';
	/* histograms never count against the room */
	for (int i = 0; i < 2000; i++) {
		qr_payload_feed("# hist syscall,null,", 20);
		qr_payload_feed(line, sizeof line);
	}
	assert_int_equal(qr_payload_state(), QRP_OPEN);
	assert_int_equal(qr_payload_wanted(), 0);
	for (size_t i = 0; i * sizeof line <= QR_PAYLOAD_CAP; i++)
		qr_payload_feed(line, sizeof line);
	qr_payload_feed("# end rows=1 crc32=12345678\n", 28);
	assert_int_equal(qr_payload_state(), QRP_TOO_LARGE);
	assert_true(qr_payload_wanted() > QR_PAYLOAD_CAP);
	assert_null(qr_payload_get(&len, &rows));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pieces_of_every_size),
		cmocka_unit_test(test_no_trailer_is_open),
		cmocka_unit_test(test_too_large),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
