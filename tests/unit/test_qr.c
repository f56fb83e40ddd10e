/* test_qr.c - lib/qr.c against a real decoder and a real encoder:
 *
 *   - zbar (Debian's zbar-tools, `zbarimg`) must read back every symbol the
 *     encoder writes: every version 1..40 filled to capacity at every level,
 *     each of the eight masks forced, many payload sizes with the version
 *     chosen automatically, and every byte value 0..255;
 *   - the capacities agree with Debian's `qrencode`: the most bytes our
 *     table says a version holds at a level, qrencode also puts in a symbol
 *     of that version, and one byte more it does not; and with the mask
 *     qrencode picked, our symbol is qrencode's, module for module, at
 *     every version and level;
 *   - the standard's own worked examples (format and version information)
 *     and the codeword totals it lists; the automatic mask is the one of
 *     lowest penalty; bad arguments and too much data are refused.
 *
 * Images go to a private directory under /tmp as PGM, 3 pixels a module
 * with the 4-module quiet zone; one zbarimg process reads them all. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "lib/qr.h"

static struct qr_code qr;
static char dir[64];

static void fail_if_missing(const char *tool, const char *package)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", tool);
	if (system(cmd) != 0)
		fail_msg("%s is not installed (Debian package %s; scripts/deps.sh installs it)",
			 tool, package);
}

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/ringtrip-test-qr-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* the symbol as a PGM: black modules on white, quiet zone, `scale` pixels each */
static void write_pgm(const char *path, const struct qr_code *q, int scale)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	int side = (q->size + 2 * QR_QUIET) * scale;
	fprintf(f, "P5\n%d %d\n255\n", side, side);
	for (int y = 0; y < side; y++)
		for (int x = 0; x < side; x++) {
			int mx = x / scale - QR_QUIET, my = y / scale - QR_QUIET;
			int on = mx >= 0 && my >= 0 && mx < q->size && my < q->size &&
				 qr_module(q, mx, my);
			fputc(on ? 0 : 255, f);
		}
	fclose(f);
}

/* reproducible text: printable ASCII, without ']' (zbar's XML wraps the
 * data in CDATA, which "]]>" would end) */
static uint32_t rng = 12345;
static void fill_text(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		rng = rng * 1103515245u + 12345u;
		uint8_t c = (uint8_t)(' ' + (rng >> 16) % 95);
		p[i] = c == ']' ? '_' : c;
	}
}

/* ------------------------------------------------------------ zbar */

struct sample {
	char path[96];
	char what[64];
	uint8_t *data;
	size_t len;
};

#define MAX_SAMPLES 400
static struct sample samples[MAX_SAMPLES];
static int nsamples;

static void add_sample(const char *what, const uint8_t *data, size_t len)
{
	assert_true(nsamples < MAX_SAMPLES);
	struct sample *s = &samples[nsamples];
	snprintf(s->path, sizeof s->path, "%s/%03d.pgm", dir, nsamples);
	snprintf(s->what, sizeof s->what, "%s", what);
	s->data = malloc(len + 1);
	assert_non_null(s->data);
	memcpy(s->data, data, len);
	s->len = len;
	write_pgm(s->path, &qr, 3);
	nsamples++;
}

static char *read_all(FILE *f, size_t *n)
{
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	assert_non_null(buf);
	size_t got;
	while ((got = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += got;
		if (cap - len < 4096) {
			cap *= 2;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
	}
	buf[len] = 0;
	*n = len;
	return buf;
}

/* One zbarimg for every sample so far; each must decode to its bytes. */
static void zbar_check_all(void)
{
	fail_if_missing("zbarimg", "zbar-tools");
	size_t cmdcap = 64 + (size_t)nsamples * sizeof samples[0].path;
	char *cmd = malloc(cmdcap);
	assert_non_null(cmd);
	size_t at = (size_t)snprintf(cmd, cmdcap, "zbarimg --nodbus --xml -q");
	for (int i = 0; i < nsamples; i++)
		at += (size_t)snprintf(cmd + at, cmdcap - at, " %s", samples[i].path);
	snprintf(cmd + at, cmdcap - at, " 2>/dev/null");
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	size_t n;
	char *xml = read_all(p, &n);
	pclose(p);
	free(cmd);

	int bad = 0;
	for (int i = 0; i < nsamples; i++) {
		struct sample *s = &samples[i];
		char key[128];
		snprintf(key, sizeof key, "<source href='%s'>", s->path);
		const char *src = strstr(xml, key);
		const char *end = src ? strstr(src + 1, "<source ") : NULL;
		const char *d = src ? strstr(src, "<data><![CDATA[") : NULL;
		if (!d || (end && d > end)) {
			if (bad++ < 10)
				print_error("zbar found no code in sample %d (%s)\n", i, s->what);
			continue;
		}
		d += strlen("<data><![CDATA[");
		const char *e = strstr(d, "]]></data>");
		if (!e || (size_t)(e - d) != s->len || memcmp(d, s->data, s->len)) {
			if (bad++ < 10)
				print_error("sample %d (%s): zbar read %zd bytes, not the %zu written\n",
					    i, s->what, e ? (ssize_t)(e - d) : (ssize_t)-1, s->len);
		}
	}
	free(xml);
	for (int i = 0; i < nsamples; i++)
		free(samples[i].data);
	int total = nsamples;
	nsamples = 0;
	if (bad)
		fail_msg("%d of %d symbols did not decode to their payload", bad, total);
}

/* ------------------------------------------------------------ the tests */

/* Every version at every level, filled to its capacity, the version forced */
static void test_every_version_every_level_decodes(void **state)
{
	(void)state;
	static uint8_t buf[3000];
	for (int e = QR_ECL_L; e <= QR_ECL_H; e++)
		for (int v = 1; v <= 40; v++) {
			int cap = qr_byte_capacity(v, (enum qr_ecl)e);
			assert_true(cap > 0 && cap <= (int)sizeof buf);
			fill_text(buf, (size_t)cap);
			assert_int_equal(qr_encode_bytes(&qr, buf, (size_t)cap, (enum qr_ecl)e, v, v,
							 QR_MASK_AUTO, 0), QR_OK);
			assert_int_equal(qr.version, v);
			assert_int_equal(qr.ecl, e);
			assert_int_equal(qr.size, 17 + 4 * v);
			char what[64];
			snprintf(what, sizeof what, "version %d level %c, %d bytes", v, "LMQH"[e], cap);
			add_sample(what, buf, (size_t)cap);
		}
	zbar_check_all();
}

/* Each mask pattern forced, on versions without and with version
 * information and several alignment-pattern grids */
static void test_every_mask_decodes(void **state)
{
	(void)state;
	static const int versions[] = { 1, 2, 6, 7, 13, 22, 32, 40 };
	static uint8_t buf[3000];
	for (size_t i = 0; i < sizeof versions / sizeof versions[0]; i++)
		for (int m = 0; m < 8; m++) {
			int v = versions[i];
			size_t len = (size_t)qr_byte_capacity(v, QR_ECL_M) / 2 + 1;
			fill_text(buf, len);
			assert_int_equal(qr_encode_bytes(&qr, buf, len, QR_ECL_M, v, v, m, 0), QR_OK);
			assert_int_equal(qr.mask, m);
			char what[64];
			snprintf(what, sizeof what, "version %d mask %d", v, m);
			add_sample(what, buf, len);
		}
	zbar_check_all();
}

/* Many sizes, the version chosen by the encoder: it must be the smallest
 * that holds the bytes at level M, and zbar must read them */
static void test_many_sizes_smallest_version(void **state)
{
	(void)state;
	static uint8_t buf[3000];
	size_t lens[120];
	int n = 0;
	for (size_t l = 0; l <= 20; l++)
		lens[n++] = l;
	/* each capacity boundary of a few versions: full, and one byte over */
	static const int edge[] = { 1, 2, 5, 9, 10, 26, 39 };
	for (size_t i = 0; i < sizeof edge / sizeof edge[0]; i++) {
		lens[n++] = (size_t)qr_byte_capacity(edge[i], QR_ECL_M);
		lens[n++] = (size_t)qr_byte_capacity(edge[i], QR_ECL_M) + 1;
	}
	while (n < 80) {
		rng = rng * 1103515245u + 12345u;
		lens[n++] = (rng >> 8) % 2332;
	}
	for (int i = 0; i < n; i++) {
		size_t len = lens[i];
		fill_text(buf, len);
		assert_int_equal(qr_encode_bytes(&qr, buf, len, QR_ECL_M, 1, 40, QR_MASK_AUTO, 0), QR_OK);
		int want = 1;
		while ((size_t)qr_byte_capacity(want, QR_ECL_M) < len)
			want++;
		assert_int_equal(qr.version, want);
		assert_int_equal(qr.ecl, QR_ECL_M);
		char what[64];
		snprintf(what, sizeof what, "%zu bytes, version %d", len, qr.version);
		add_sample(what, buf, len);
	}
	zbar_check_all();
}

/* boost: the highest level the chosen version still holds */
static void test_boost_raises_the_level(void **state)
{
	(void)state;
	static uint8_t buf[300];
	/* 10 bytes: version 1 holds 14 at M, 11 at Q, 7 at H -> Q */
	fill_text(buf, 10);
	assert_int_equal(qr_encode_bytes(&qr, buf, 10, QR_ECL_M, 1, 40, QR_MASK_AUTO, 1), QR_OK);
	assert_int_equal(qr.version, 1);
	assert_int_equal(qr.ecl, QR_ECL_Q);
	add_sample("10 bytes boosted to Q", buf, 10);
	/* 7 bytes: H */
	assert_int_equal(qr_encode_bytes(&qr, buf, 7, QR_ECL_M, 1, 40, QR_MASK_AUTO, 1), QR_OK);
	assert_int_equal(qr.ecl, QR_ECL_H);
	add_sample("7 bytes boosted to H", buf, 7);
	/* never below the level asked for */
	assert_int_equal(qr_encode_bytes(&qr, buf, 14, QR_ECL_M, 1, 40, QR_MASK_AUTO, 1), QR_OK);
	assert_int_equal(qr.ecl, QR_ECL_M);
	zbar_check_all();
}

/* Every byte value, read back raw (zbar's binary mode: no charset guess) */
static void test_binary_bytes_decode(void **state)
{
	(void)state;
	fail_if_missing("zbarimg", "zbar-tools");
	uint8_t buf[512];
	for (int i = 0; i < 512; i++)
		buf[i] = (uint8_t)(i * 7 + 3);          /* every value, twice, shuffled */
	assert_int_equal(qr_encode_bytes(&qr, buf, sizeof buf, QR_ECL_M, 1, 40, QR_MASK_AUTO, 0), QR_OK);
	char path[128], cmd[256];
	snprintf(path, sizeof path, "%s/binary.pgm", dir);
	write_pgm(path, &qr, 3);
	snprintf(cmd, sizeof cmd, "zbarimg --nodbus -q --raw -Sbinary %s 2>/dev/null", path);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	size_t n;
	char *got = read_all(p, &n);
	pclose(p);
	/* zbar ends its output with a newline in some versions */
	if (n == sizeof buf + 1 && got[n - 1] == '\n')
		n--;
	assert_int_equal(n, sizeof buf);
	assert_memory_equal(got, buf, sizeof buf);
	free(got);
}

/* qrencode (Debian) as the second opinion on capacity: at our capacity it
 * builds a symbol of exactly that version; one byte more, a larger one
 * (or, for version 40, none). */
static int qrencode_size(int version, char level, size_t len)
{
	char path[128], cmd[256];
	snprintf(path, sizeof path, "%s/qrencode.in", dir);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	for (size_t i = 0; i < len; i++)
		fputc('a', f);
	fclose(f);
	snprintf(cmd, sizeof cmd,
		 "qrencode -8 -l %c -v %d -m 0 -t ASCII -r %s -o - 2>/dev/null | wc -l",
		 level, version, path);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	int lines = -1;
	if (fscanf(p, "%d", &lines) != 1)
		lines = -1;
	pclose(p);
	return lines;        /* modules per side; 0 when qrencode refused */
}

static void test_capacity_matches_qrencode(void **state)
{
	(void)state;
	fail_if_missing("qrencode", "qrencode");
	int bad = 0;
	for (int e = QR_ECL_L; e <= QR_ECL_H; e++)
		for (int v = 1; v <= 40; v++) {
			char level = "LMQH"[e];
			int cap = qr_byte_capacity(v, (enum qr_ecl)e);
			int at = qrencode_size(v, level, (size_t)cap);
			int over = qrencode_size(v, level, (size_t)cap + 1);
			if (at != QR_SIZE(v) || (v < 40 ? over <= QR_SIZE(v) : over != 0)) {
				if (bad++ < 10)
					print_error("version %d level %c: capacity %d; qrencode gives "
						    "%d modules at it and %d one byte over\n",
						    v, level, cap, at, over);
			}
		}
	if (bad)
		fail_msg("%d capacities differ from qrencode's", bad);
}

/* The same symbol as qrencode's, module for module: told the same version
 * and level, with the mask qrencode chose (read from its format
 * information), our bit stream, blocks, error correction, placement and
 * format/version information must all agree with Debian's encoder. */
static void test_identical_to_qrencode(void **state)
{
	(void)state;
	fail_if_missing("qrencode", "qrencode");
	static uint8_t buf[3000];
	static char line[512];
	char path[128], cmd[256];
	snprintf(path, sizeof path, "%s/same.in", dir);
	int bad = 0;
	for (int e = QR_ECL_L; e <= QR_ECL_H; e++)
		for (int v = 1; v <= 40; v++) {
			char level = "LMQH"[e];
			size_t len = (size_t)qr_byte_capacity(v, (enum qr_ecl)e) / 3 + 1;
			fill_text(buf, len);
			FILE *f = fopen(path, "wb");
			assert_non_null(f);
			fwrite(buf, 1, len, f);
			fclose(f);
			snprintf(cmd, sizeof cmd,
				 "qrencode -8 -l %c -v %d -m 0 -t ASCII -r %s -o - 2>/dev/null",
				 level, v, path);
			FILE *p = popen(cmd, "r");
			assert_non_null(p);
			static uint8_t theirs[QR_MAX_SIZE][QR_MAX_SIZE];
			int rows = 0, n = QR_SIZE(v);
			while (fgets(line, sizeof line, p) && rows < QR_MAX_SIZE) {
				for (int x = 0; x < n && 2 * x < (int)strlen(line); x++)
					theirs[rows][x] = line[2 * x] == '#';
				rows++;
			}
			pclose(p);
			assert_int_equal(rows, n);
			/* the format bits' first copy, beside the top-left finder */
			uint32_t fmt = 0;
			for (int i = 0; i < 15; i++) {
				int x = i < 8 ? 8 : i == 8 ? 7 : 14 - i;
				int y = i < 6 ? i : i < 8 ? i + 1 : 8;
				fmt |= (uint32_t)theirs[y][x] << i;
			}
			int mask = -1;
			for (int m = 0; m < 8; m++)
				if (qr_format_bits((enum qr_ecl)e, m) == fmt)
					mask = m;
			assert_true(mask >= 0);
			assert_int_equal(qr_encode_bytes(&qr, buf, len, (enum qr_ecl)e, v, v, mask, 0), QR_OK);
			int diff = 0;
			for (int y = 0; y < n; y++)
				for (int x = 0; x < n; x++)
					diff += qr_module(&qr, x, y) != theirs[y][x];
			if (diff && bad++ < 10)
				print_error("version %d level %c mask %d: %d modules differ from qrencode's\n",
					    v, level, mask, diff);
		}
	if (bad)
		fail_msg("%d symbols differ from qrencode's", bad);
}

/* The standard's worked examples and listed totals */
static void test_standard_examples(void **state)
{
	(void)state;
	/* Annex C: level M, mask 101 -> 100000011001110 after the XOR mask */
	assert_int_equal(qr_format_bits(QR_ECL_M, 5), 0x40CE);
	/* Annex D: version 7 -> 000111110010010100 */
	assert_int_equal(qr_version_bits(7), 0x07C94);
	/* Table 1: total codewords */
	assert_int_equal(qr_total_codewords(1), 26);
	assert_int_equal(qr_total_codewords(2), 44);
	assert_int_equal(qr_total_codewords(7), 196);
	assert_int_equal(qr_total_codewords(10), 346);
	assert_int_equal(qr_total_codewords(14), 581);
	assert_int_equal(qr_total_codewords(21), 1156);
	assert_int_equal(qr_total_codewords(40), QR_MAX_CODEWORDS);
	/* Table 7: byte-mode capacities */
	assert_int_equal(qr_byte_capacity(1, QR_ECL_L), 17);
	assert_int_equal(qr_byte_capacity(1, QR_ECL_M), 14);
	assert_int_equal(qr_byte_capacity(1, QR_ECL_H), 7);
	assert_int_equal(qr_byte_capacity(10, QR_ECL_M), 213);
	assert_int_equal(qr_byte_capacity(40, QR_ECL_L), 2953);
	assert_int_equal(qr_byte_capacity(40, QR_ECL_M), 2331);
	assert_int_equal(qr_byte_capacity(40, QR_ECL_H), 1273);
	/* out of range */
	assert_int_equal(qr_byte_capacity(0, QR_ECL_M), 0);
	assert_int_equal(qr_byte_capacity(41, QR_ECL_M), 0);
	assert_int_equal(qr_byte_capacity(5, (enum qr_ecl)4), 0);
}

/* A symbol's fixed parts where the standard puts them */
static void test_function_patterns(void **state)
{
	(void)state;
	assert_int_equal(qr_encode_bytes(&qr, "ringtrip", 8, QR_ECL_M, 7, 7, QR_MASK_AUTO, 0), QR_OK);
	int n = qr.size;
	/* finder corners dark, separators light, timing alternating */
	assert_true(qr_module(&qr, 0, 0) && qr_module(&qr, 6, 6) && qr_module(&qr, 3, 3));
	assert_false(qr_module(&qr, 7, 7) || qr_module(&qr, 1, 1) || qr_module(&qr, 7, 0));
	assert_true(qr_module(&qr, n - 1, 0) && qr_module(&qr, 0, n - 1));
	for (int i = 8; i < n - 8; i++) {
		assert_int_equal(qr_module(&qr, i, 6), i % 2 == 0);
		assert_int_equal(qr_module(&qr, 6, i), i % 2 == 0);
	}
	assert_true(qr_module(&qr, 8, n - 8));                  /* the dark module */
	/* alignment pattern centred at (22, 22): dark centre, light ring */
	assert_true(qr_module(&qr, 22, 22));
	assert_false(qr_module(&qr, 21, 22) || qr_module(&qr, 23, 23));
	assert_true(qr_module(&qr, 20, 20) && qr_module(&qr, 24, 22));
	/* the version block beside the top-right finder: 18 bits of 0x07C94 */
	uint32_t vb = qr_version_bits(7), got = 0, got2 = 0;
	for (int i = 0; i < 18; i++) {
		got |= (uint32_t)qr_module(&qr, n - 11 + i % 3, i / 3) << i;
		got2 |= (uint32_t)qr_module(&qr, i / 3, n - 11 + i % 3) << i;
	}
	assert_int_equal(got, vb);
	assert_int_equal(got2, vb);
	/* both format copies say level M and the mask used */
	uint32_t fb = qr_format_bits(QR_ECL_M, qr.mask), c1 = 0, c2 = 0;
	for (int i = 0; i < 15; i++) {
		int x1 = i < 6 ? 8 : i < 8 ? 8 : i == 8 ? 7 : 14 - i;
		int y1 = i < 6 ? i : i < 8 ? i + 1 : 8;
		c1 |= (uint32_t)qr_module(&qr, x1, y1) << i;
		int x2 = i < 8 ? n - 1 - i : 8, y2 = i < 8 ? 8 : n - 15 + i;
		c2 |= (uint32_t)qr_module(&qr, x2, y2) << i;
	}
	assert_int_equal(c1, fb);
	assert_int_equal(c2, fb);
}

/* The automatic mask has the lowest penalty of the eight */
static void test_auto_mask_lowest_penalty(void **state)
{
	(void)state;
	static uint8_t buf[3000];
	static struct qr_code forced;
	for (int v = 1; v <= 25; v += 4) {
		size_t len = (size_t)qr_byte_capacity(v, QR_ECL_M) - 1;
		assert_true(len < sizeof buf);
		fill_text(buf, len);
		assert_int_equal(qr_encode_bytes(&qr, buf, len, QR_ECL_M, v, v, QR_MASK_AUTO, 0), QR_OK);
		long best = qr_penalty(&qr);
		assert_true(best > 0);
		for (int m = 0; m < 8; m++) {
			assert_int_equal(qr_encode_bytes(&forced, buf, len, QR_ECL_M, v, v, m, 0), QR_OK);
			assert_true(qr_penalty(&forced) >= best);
			if (m == qr.mask)
				assert_memory_equal(forced.dark, qr.dark, sizeof qr.dark);
		}
	}
}

static void test_refusals(void **state)
{
	(void)state;
	static uint8_t buf[3000];
	memset(buf, 'x', sizeof buf);
	assert_int_equal(qr_encode_bytes(&qr, buf, 2332, QR_ECL_M, 1, 40, QR_MASK_AUTO, 0), QR_TOO_LONG);
	assert_int_equal(qr_encode_bytes(&qr, buf, 15, QR_ECL_M, 1, 1, QR_MASK_AUTO, 0), QR_TOO_LONG);
	assert_int_equal(qr_encode_bytes(&qr, buf, 1, QR_ECL_M, 0, 40, QR_MASK_AUTO, 0), QR_BAD_ARGUMENT);
	assert_int_equal(qr_encode_bytes(&qr, buf, 1, QR_ECL_M, 1, 41, QR_MASK_AUTO, 0), QR_BAD_ARGUMENT);
	assert_int_equal(qr_encode_bytes(&qr, buf, 1, QR_ECL_M, 5, 4, QR_MASK_AUTO, 0), QR_BAD_ARGUMENT);
	assert_int_equal(qr_encode_bytes(&qr, buf, 1, QR_ECL_M, 1, 40, 8, 0), QR_BAD_ARGUMENT);
	assert_int_equal(qr_encode_bytes(&qr, buf, 1, (enum qr_ecl)7, 1, 40, 0, 0), QR_BAD_ARGUMENT);
	assert_int_equal(qr_encode_bytes(&qr, NULL, 3, QR_ECL_M, 1, 40, 0, 0), QR_BAD_ARGUMENT);
	assert_int_equal(qr_encode_bytes(&qr, NULL, 0, QR_ECL_M, 1, 40, 0, 0), QR_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_standard_examples),
		cmocka_unit_test(test_function_patterns),
		cmocka_unit_test(test_auto_mask_lowest_penalty),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_every_version_every_level_decodes),
		cmocka_unit_test(test_every_mask_decodes),
		cmocka_unit_test(test_many_sizes_smallest_version),
		cmocka_unit_test(test_boost_raises_the_level),
		cmocka_unit_test(test_binary_bytes_decode),
		cmocka_unit_test(test_capacity_matches_qrencode),
		cmocka_unit_test(test_identical_to_qrencode),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
