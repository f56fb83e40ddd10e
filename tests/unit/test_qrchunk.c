/* test_qrchunk.c - the chunk texts of the QR results screen and the page
 * plan (lib/qrchunk.c): the exact text of a code, escaping that survives a
 * round trip (parsed here independently of the writer, as results/qr-import
 * parses it), chunks that stay within their code's capacity, and plans that
 * fit the screen. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lib/qrchunk.h"
#include "lib/qr.h"
#include "lib/crc32.h"

static uint32_t starts[QRCHUNK_MAX_CHUNKS + 1];

/* The reader's side: "ringtrip RUN I/N CRC BODY" -> fields and raw bytes.
 * Returns the body length, or -1 on any deviation from the format. */
static long parse(const char *t, uint32_t *run, unsigned *i, unsigned *n, uint32_t *crc,
		  uint8_t *out)
{
	char *e;
	if (strncmp(t, "ringtrip ", 9))
		return -1;
	t += 9;
	*run = (uint32_t)strtoul(t, &e, 16);
	if (e != t + 8 || *e != ' ')
		return -1;
	t = e + 1;
	*i = (unsigned)strtoul(t, &e, 10);
	if (e == t || *e != '/')
		return -1;
	t = e + 1;
	*n = (unsigned)strtoul(t, &e, 10);
	if (e == t || *e != ' ')
		return -1;
	t = e + 1;
	*crc = (uint32_t)strtoul(t, &e, 16);
	if (e != t + 8 || *e != ' ')
		return -1;
	long k = 0;
	for (const char *p = e + 1; *p; p++) {
		if (*p < 0x20 || *p > 0x7E)
			return -1;                      /* a code is one printable line */
		if (*p != '\\') {
			out[k++] = (uint8_t)*p;
			continue;
		}
		p++;
		if (*p == 'n') {
			out[k++] = '\n';
		} else if (*p == '\\') {
			out[k++] = '\\';
		} else if (*p == 'x' && p[1] && p[2]) {
			char h[3] = { p[1], p[2], 0 };
			out[k++] = (uint8_t)strtoul(h, NULL, 16);
			p += 2;
		} else {
			return -1;
		}
	}
	return k;
}

static void test_exact_text(void **state)
{
	(void)state;
	char out[256];
	const uint8_t body[] = "a,b\n\\x\x01 end ";
	size_t len = sizeof body - 1;
	size_t n = qrchunk_text(out, sizeof out, 0x0badcafe, 3, 12, body, len);
	char want[256];
	snprintf(want, sizeof want, "ringtrip 0badcafe 3/12 %08x a,b\\n\\\\x\\x01 end\\x20",
		 crc32_update(0, body, len));
	assert_string_equal(out, want);
	assert_int_equal(n, strlen(want));
	/* too small a buffer: 0, never past it */
	char small[20];
	memset(small, 'Z', sizeof small);
	assert_int_equal(qrchunk_text(small, 10, 1, 1, 1, body, len), 0);
	assert_int_equal(small[10], 'Z');
}

static uint32_t rng = 99;
static uint8_t next_byte(int binary)
{
	rng = rng * 1103515245u + 12345u;
	uint8_t c = (uint8_t)(rng >> 16);
	if (binary)
		return c;
	/* CSV-like text: mostly printable, newlines, some spaces */
	if (c % 17 == 0)
		return '\n';
	if (c % 11 == 0)
		return ' ';
	return (uint8_t)(' ' + c % 95);
}

/* Any payload, any capacity: the texts parse, stay in their capacity, and
 * join to the payload */
static void test_round_trip(void **state)
{
	(void)state;
	static uint8_t payload[20000], joined[20000], body[4000];
	static char text[QRCHUNK_TEXT_MAX];
	static const size_t caps[] = { 4, 5, 7, 50, 300, 997 };
	for (int binary = 0; binary < 2; binary++)
		for (size_t c = 0; c < sizeof caps / sizeof caps[0]; c++) {
			/* the small capacities need many chunks: at most 999 */
			size_t len = caps[c] < 50 ? 600 : 3000 + (size_t)c * 2500;
			for (size_t k = 0; k < len; k++)
				payload[k] = next_byte(binary);
			payload[len - 1] = ' ';         /* the payload itself ends in a space */
			uint32_t run = crc32_update(0, payload, len);
			unsigned n = qrchunk_split(payload, len, caps[c], starts, QRCHUNK_MAX_CHUNKS);
			assert_true(n > 0);
			assert_int_equal(starts[0], 0);
			assert_int_equal(starts[n], len);
			size_t at = 0;
			for (unsigned i = 1; i <= n; i++) {
				size_t bl = starts[i] - starts[i - 1];
				assert_true(bl > 0);
				size_t tl = qrchunk_text(text, sizeof text, run, i, n,
							 payload + starts[i - 1], bl);
				assert_true(tl > 0);
				/* the body never exceeds the capacity it was cut for */
				unsigned d = n >= 100 ? 3 : n >= 10 ? 2 : 1;
				assert_true(tl <= QRCHUNK_HEADER_LEN(d) + caps[c]);
				/* and ends in no blank a scanner app could trim */
				assert_true(text[tl - 1] != ' ');
				uint32_t r, crc;
				unsigned ii, nn;
				long got = parse(text, &r, &ii, &nn, &crc, body);
				assert_int_equal(got, (long)bl);
				assert_int_equal(r, run);
				assert_int_equal(ii, i);
				assert_int_equal(nn, n);
				assert_int_equal(crc, crc32_update(0, body, bl));
				memcpy(joined + at, body, bl);
				at += bl;
			}
			assert_int_equal(at, len);
			assert_memory_equal(joined, payload, len);
		}
}

static void test_split_refusals(void **state)
{
	(void)state;
	const uint8_t p[] = "abc";
	assert_int_equal(qrchunk_split(p, 0, 100, starts, 10), 0);
	assert_int_equal(qrchunk_split(p, 3, 3, starts, 10), 0);
	assert_int_equal(qrchunk_split(p, 3, 4, starts, 10), 1);
	/* "\x01" costs 4: four of them need four chunks of 4 */
	const uint8_t ctl[] = { 1, 1, 1, 1 };
	assert_int_equal(qrchunk_split(ctl, 4, 4, starts, 10), 4);
	assert_int_equal(qrchunk_split(ctl, 4, 4, starts, 3), 0);
}

static void test_min_scale(void **state)
{
	(void)state;
	assert_int_equal(qr_min_scale(480), 3);
	assert_int_equal(qr_min_scale(600), 3);
	assert_int_equal(qr_min_scale(768), 3);
	assert_int_equal(qr_min_scale(1080), 4);
	assert_int_equal(qr_min_scale(1200), 5);
	assert_int_equal(qr_min_scale(2160), 8);
}

/* a CSV-sized payload planned for common screens */
static void test_plans_fit_the_screen(void **state)
{
	(void)state;
	static uint8_t payload[30000];
	static char text[QRCHUNK_TEXT_MAX];
	static const unsigned screens[][2] = {
		{ 640, 480 }, { 800, 600 }, { 1024, 768 }, { 1280, 800 },
		{ 1920, 1080 }, { 2560, 1600 }, { 3840, 2160 },
	};
	static const size_t sizes[] = { 300, 5000, 22000, 30000 };
	for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++) {
		size_t len = sizes[z];
		for (size_t k = 0; k < len; k++)
			payload[k] = next_byte(0);
		for (size_t s = 0; s < sizeof screens / sizeof screens[0]; s++) {
			unsigned w = screens[s][0], h = screens[s][1] - 3 * 16;
			struct qr_plan pl;
			unsigned ms = qr_min_scale(screens[s][1]);
			assert_int_equal(qr_plan_make(&pl, payload, len, w, h, 16, ms, starts,
						      QRCHUNK_MAX_CHUNKS), 0);
			assert_true(pl.version >= 1 && pl.version <= QRCHUNK_MAX_VERSION);
			assert_true(pl.scale >= ms);
			assert_int_equal(pl.cell_w, (unsigned)(QR_SIZE(pl.version) + 8) * pl.scale);
			assert_int_equal(pl.cell_h, pl.cell_w + 16);
			assert_true(pl.cols * pl.cell_w <= w);
			assert_true(pl.rows * pl.cell_h <= h);
			assert_int_equal(pl.per_page, pl.cols * pl.rows);
			assert_true(pl.pages * pl.per_page >= pl.chunks);
			assert_true((pl.pages - 1) * pl.per_page < pl.chunks);
			assert_int_equal(starts[pl.chunks], len);
			/* every chunk's text fits a code of the plan's version */
			for (unsigned i = 1; i <= pl.chunks; i++) {
				size_t tl = qrchunk_text(text, sizeof text, 1, i, pl.chunks,
							 payload + starts[i - 1],
							 starts[i] - starts[i - 1]);
				assert_true(tl > 0);
				if ((int)tl > qr_byte_capacity(pl.version, QRCHUNK_ECL))
					fail_msg("%ux%u, %zu bytes: code %u/%u of version %d: %zu > %d",
						 w, h, len, i, pl.chunks, pl.version, tl,
						 qr_byte_capacity(pl.version, QRCHUNK_ECL));
			}
		}
	}
	/* 800x600 and a full-suite CSV: a few pages, not dozens */
	struct qr_plan pl;
	for (size_t k = 0; k < 22000; k++)
		payload[k] = next_byte(0);
	assert_int_equal(qr_plan_make(&pl, payload, 22000, 800, 600 - 48, 16, 3, starts,
				      QRCHUNK_MAX_CHUNKS), 0);
	assert_true(pl.pages <= 12);
	/* a screen too small for any code */
	assert_int_equal(qr_plan_make(&pl, payload, 100, 60, 60, 16, 3, starts,
				      QRCHUNK_MAX_CHUNKS), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact_text),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_split_refusals),
		cmocka_unit_test(test_min_scale),
		cmocka_unit_test(test_plans_fit_the_screen),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
