/* qr.c - see qr.h. Coordinates are (x, y) = (column, row), (0, 0) the top
 * left module; bit numbers count from the least significant bit. */
#include "qr.h"
#include "string.h"

/* ------------------------------------------------------------ the tables */

/*
 * ISO/IEC 18004:2015 Table 9, per version (index 0 = version 1) and level
 * (L, M, Q, H): the error-correction codewords of each block, and the
 * number of blocks. The data codewords are shared out over the blocks as
 * evenly as possible, the longer blocks last (the standard's second
 * group, one codeword longer) - which is what Table 9 lists.
 */
static const uint8_t ecc_per_block[40][4] = {
	{ 7, 10, 13, 17 }, { 10, 16, 22, 28 }, { 15, 26, 18, 22 }, { 20, 18, 26, 16 },
	{ 26, 24, 18, 22 }, { 18, 16, 24, 28 }, { 20, 18, 18, 26 }, { 24, 22, 22, 26 },
	{ 30, 22, 20, 24 }, { 18, 26, 24, 28 }, { 20, 30, 28, 24 }, { 24, 22, 26, 28 },
	{ 26, 22, 24, 22 }, { 30, 24, 20, 24 }, { 22, 24, 30, 24 }, { 24, 28, 24, 30 },
	{ 28, 28, 28, 28 }, { 30, 26, 28, 28 }, { 28, 26, 26, 26 }, { 28, 26, 30, 28 },
	{ 28, 26, 28, 30 }, { 28, 28, 30, 24 }, { 30, 28, 30, 30 }, { 30, 28, 30, 30 },
	{ 26, 28, 30, 30 }, { 28, 28, 28, 30 }, { 30, 28, 30, 30 }, { 30, 28, 30, 30 },
	{ 30, 28, 30, 30 }, { 30, 28, 30, 30 }, { 30, 28, 30, 30 }, { 30, 28, 30, 30 },
	{ 30, 28, 30, 30 }, { 30, 28, 30, 30 }, { 30, 28, 30, 30 }, { 30, 28, 30, 30 },
	{ 30, 28, 30, 30 }, { 30, 28, 30, 30 }, { 30, 28, 30, 30 }, { 30, 28, 30, 30 },
};
static const uint8_t blocks[40][4] = {
	{ 1, 1, 1, 1 }, { 1, 1, 1, 1 }, { 1, 1, 2, 2 }, { 1, 2, 2, 4 },
	{ 1, 2, 4, 4 }, { 2, 4, 4, 4 }, { 2, 4, 6, 5 }, { 2, 4, 6, 6 },
	{ 2, 5, 8, 8 }, { 4, 5, 8, 8 }, { 4, 5, 8, 11 }, { 4, 8, 10, 11 },
	{ 4, 9, 12, 16 }, { 4, 9, 16, 16 }, { 6, 10, 12, 18 }, { 6, 10, 17, 16 },
	{ 6, 11, 16, 19 }, { 6, 13, 18, 21 }, { 7, 14, 21, 25 }, { 8, 16, 20, 25 },
	{ 8, 17, 23, 25 }, { 9, 17, 23, 34 }, { 9, 18, 25, 30 }, { 10, 20, 27, 32 },
	{ 12, 21, 29, 35 }, { 12, 23, 34, 37 }, { 12, 25, 34, 40 }, { 13, 26, 35, 42 },
	{ 14, 28, 38, 45 }, { 15, 29, 40, 48 }, { 16, 31, 43, 51 }, { 17, 33, 45, 54 },
	{ 18, 35, 48, 57 }, { 19, 37, 51, 60 }, { 19, 38, 53, 63 }, { 20, 40, 56, 66 },
	{ 21, 43, 59, 70 }, { 22, 45, 62, 74 }, { 24, 47, 65, 77 }, { 25, 49, 68, 81 },
};

/* Annex E: the row/column coordinates of the alignment patterns' centres,
 * versions 2..40 (index 0 = version 2); 0 ends a list. */
static const uint8_t align_pos[39][7] = {
	{ 6, 18 }, { 6, 22 }, { 6, 26 }, { 6, 30 }, { 6, 34 },
	{ 6, 22, 38 }, { 6, 24, 42 }, { 6, 26, 46 }, { 6, 28, 50 }, { 6, 30, 54 },
	{ 6, 32, 58 }, { 6, 34, 62 },
	{ 6, 26, 46, 66 }, { 6, 26, 48, 70 }, { 6, 26, 50, 74 }, { 6, 30, 54, 78 },
	{ 6, 30, 56, 82 }, { 6, 30, 58, 86 }, { 6, 34, 62, 90 },
	{ 6, 28, 50, 72, 94 }, { 6, 26, 50, 74, 98 }, { 6, 30, 54, 78, 102 },
	{ 6, 28, 54, 80, 106 }, { 6, 32, 58, 84, 110 }, { 6, 30, 58, 86, 114 },
	{ 6, 34, 62, 90, 118 },
	{ 6, 26, 50, 74, 98, 122 }, { 6, 30, 54, 78, 102, 126 }, { 6, 26, 52, 78, 104, 130 },
	{ 6, 30, 56, 82, 108, 134 }, { 6, 34, 60, 86, 112, 138 }, { 6, 30, 58, 86, 114, 142 },
	{ 6, 34, 62, 90, 118, 146 },
	{ 6, 30, 54, 78, 102, 126, 150 }, { 6, 24, 50, 76, 102, 128, 154 },
	{ 6, 28, 54, 80, 106, 132, 158 }, { 6, 32, 58, 84, 110, 136, 162 },
	{ 6, 26, 54, 82, 110, 138, 166 }, { 6, 30, 58, 86, 114, 142, 170 },
};

/* Table 12: the two format bits of each level (M is 00, not L) */
static const uint8_t ecl_format_bits[4] = { 1, 0, 3, 2 };

static int version_ok(int v)
{
	return v >= QR_VERSION_MIN && v <= QR_VERSION_MAX;
}

static int ecl_ok(enum qr_ecl e)
{
	return (int)e >= QR_ECL_L && (int)e <= QR_ECL_H;
}

/* ------------------------------------------------------------ module grid */

static int get_bit(const uint8_t *grid, int size, int x, int y)
{
	unsigned i = (unsigned)(y * size + x);
	return (grid[i >> 3] >> (i & 7)) & 1;
}

static void put_bit(uint8_t *grid, int size, int x, int y, int on)
{
	unsigned i = (unsigned)(y * size + x);
	if (on)
		grid[i >> 3] = (uint8_t)(grid[i >> 3] | (1u << (i & 7)));
	else
		grid[i >> 3] = (uint8_t)(grid[i >> 3] & ~(1u << (i & 7)));
}

/* a function module: drawn now, never masked, never holds data */
static void fn(struct qr_code *qr, int x, int y, int on)
{
	put_bit(qr->dark, qr->size, x, y, on);
	put_bit(qr->function, qr->size, x, y, 1);
}

static int absdiff(int a, int b)
{
	return a > b ? a - b : b - a;
}

/* A finder pattern with its separator: rings around (cx, cy) at
 * Chebyshev distance 0-1 dark (the 3x3 centre), 2 light, 3 dark (the 7x7
 * border), 4 light (the separator, where it lies inside the symbol). */
static void draw_finder(struct qr_code *qr, int cx, int cy)
{
	for (int y = cy - 4; y <= cy + 4; y++)
		for (int x = cx - 4; x <= cx + 4; x++) {
			if (x < 0 || y < 0 || x >= qr->size || y >= qr->size)
				continue;
			int d = absdiff(x, cx) > absdiff(y, cy) ? absdiff(x, cx) : absdiff(y, cy);
			fn(qr, x, y, d != 2 && d != 4);
		}
}

/* An alignment pattern: 5x5, dark centre, light ring, dark border */
static void draw_alignment(struct qr_code *qr, int cx, int cy)
{
	for (int y = cy - 2; y <= cy + 2; y++)
		for (int x = cx - 2; x <= cx + 2; x++) {
			int d = absdiff(x, cx) > absdiff(y, cy) ? absdiff(x, cx) : absdiff(y, cy);
			fn(qr, x, y, d != 1);
		}
}

/* The 15 format bits around the finders: copy 1 in row 8 and column 8
 * beside the top-left finder, copy 2 split between the top-right (row 8)
 * and bottom-left (column 8) finders. Bit 14 is the most significant. */
static void draw_format(struct qr_code *qr, uint32_t bits)
{
	int n = qr->size;
	for (int i = 0; i < 15; i++) {
		int on = (bits >> i) & 1;
		/* copy 1: bits 0-5 down column 8 (rows 0-5), 6 and 7 at rows 7
		 * and 8 (row 6 is the timing pattern), 8 at column 7 of row 8,
		 * 9-14 leftwards along row 8 (columns 5-0) */
		if (i < 6)
			fn(qr, 8, i, on);
		else if (i < 8)
			fn(qr, 8, i + 1, on);
		else if (i == 8)
			fn(qr, 7, 8, on);
		else
			fn(qr, 14 - i, 8, on);
		/* copy 2: bits 0-7 leftwards along row 8 from the right edge,
		 * bits 8-14 down column 8 to the bottom edge */
		if (i < 8)
			fn(qr, n - 1 - i, 8, on);
		else
			fn(qr, 8, n - 15 + i, on);
	}
	fn(qr, 8, n - 8, 1);            /* the dark module */
}

/* Versions 7 and up: 18 bits in a 6x3 block left of the top-right finder
 * and its transpose above the bottom-left finder. */
static void draw_version(struct qr_code *qr)
{
	if (qr->version < 7)
		return;
	uint32_t bits = qr_version_bits(qr->version);
	for (int i = 0; i < 18; i++) {
		int on = (bits >> i) & 1;
		int a = qr->size - 11 + i % 3, b = i / 3;
		fn(qr, a, b, on);
		fn(qr, b, a, on);
	}
}

/* Everything but the data: finders, timing, alignment, and the format and
 * version areas (reserved here with placeholder bits, rewritten later). */
static void draw_function_patterns(struct qr_code *qr)
{
	int n = qr->size;
	memset(qr->dark, 0, sizeof qr->dark);
	memset(qr->function, 0, sizeof qr->function);
	for (int i = 8; i < n - 8; i++) {
		fn(qr, i, 6, i % 2 == 0);
		fn(qr, 6, i, i % 2 == 0);
	}
	draw_finder(qr, 3, 3);
	draw_finder(qr, n - 4, 3);
	draw_finder(qr, 3, n - 4);
	if (qr->version >= 2) {
		const uint8_t *p = align_pos[qr->version - 2];
		int k = 0;
		while (k < 7 && p[k])
			k++;
		for (int i = 0; i < k; i++)
			for (int j = 0; j < k; j++) {
				/* the three corners that a finder holds */
				if ((i == 0 && j == 0) || (i == 0 && j == k - 1) || (i == k - 1 && j == 0))
					continue;
				draw_alignment(qr, p[i], p[j]);
			}
	}
	draw_format(qr, 0);
	draw_version(qr);
}

/* ------------------------------------------------------------ capacities */

/* The modules left for codewords once the function patterns are drawn;
 * 8 of them per codeword, the rest (0-7) remainder bits. Counted once per
 * version on a scratch symbol the first time it is asked. */
static uint16_t total_codewords_of[QR_VERSION_MAX + 1];

int qr_total_codewords(int version)
{
	if (!version_ok(version))
		return 0;
	if (!total_codewords_of[version]) {
		static struct qr_code scratch;
		scratch.version = version;
		scratch.size = QR_SIZE(version);
		draw_function_patterns(&scratch);
		int free_modules = 0;
		for (int y = 0; y < scratch.size; y++)
			for (int x = 0; x < scratch.size; x++)
				free_modules += !get_bit(scratch.function, scratch.size, x, y);
		total_codewords_of[version] = (uint16_t)(free_modules / 8);
	}
	return total_codewords_of[version];
}

int qr_data_codewords(int version, enum qr_ecl ecl)
{
	if (!version_ok(version) || !ecl_ok(ecl))
		return 0;
	return qr_total_codewords(version) -
	       blocks[version - 1][ecl] * ecc_per_block[version - 1][ecl];
}

static int count_bits(int version)
{
	return version < 10 ? 8 : 16;
}

int qr_byte_capacity(int version, enum qr_ecl ecl)
{
	int d = qr_data_codewords(version, ecl);
	if (!d)
		return 0;
	int cap = (d * 8 - 4 - count_bits(version)) / 8;
	int max_count = (1 << count_bits(version)) - 1;
	return cap < max_count ? cap : max_count;
}

/* ------------------------------------------------------------ BCH codes */

/* the remainder of value (already shifted up by deg) modulo poly (degree deg) */
static uint32_t bch_remainder(uint32_t value, uint32_t poly, int deg, int top)
{
	for (int i = top; i >= deg; i--)
		if (value & (1u << i))
			value ^= poly << (i - deg);
	return value;
}

uint32_t qr_format_bits(enum qr_ecl ecl, int mask)
{
	uint32_t data = (uint32_t)(ecl_format_bits[ecl & 3] << 3 | (mask & 7));
	uint32_t rem = bch_remainder(data << 10, 0x537, 10, 14);
	return ((data << 10) | rem) ^ 0x5412;
}

uint32_t qr_version_bits(int version)
{
	uint32_t data = (uint32_t)version & 0x3F;
	uint32_t rem = bch_remainder(data << 12, 0x1F25, 12, 17);
	return (data << 12) | rem;
}

/* ------------------------------------------------------------ Reed-Solomon */

/* multiplication in GF(256) modulo x^8+x^4+x^3+x^2+1 (0x11D), shift and add */
static uint8_t gf_mul(uint8_t a, uint8_t b)
{
	unsigned r = 0, x = a;
	for (int i = 0; i < 8; i++) {
		if (b & (1u << i))
			r ^= x;
		x <<= 1;
		if (x & 0x100)
			x ^= 0x11D;
	}
	return (uint8_t)r;
}

/* The generator polynomial of degree n, prod_{i<n} (x - 2^i): g[k] is the
 * coefficient of x^(n-1-k), the leading 1 left out. */
static void rs_generator(uint8_t *g, int n)
{
	uint8_t c[32];                  /* c[k]: coefficient of x^k */
	memset(c, 0, sizeof c);
	c[0] = 1;
	uint8_t root = 1;
	for (int i = 0; i < n; i++) {
		/* multiply by (x + root): the new c[k] = c[k-1] + root*c[k] */
		for (int k = i + 1; k >= 1; k--)
			c[k] = (uint8_t)(c[k - 1] ^ gf_mul(root, c[k]));
		c[0] = gf_mul(root, c[0]);
		root = gf_mul(root, 2);
	}
	for (int k = 0; k < n; k++)
		g[k] = c[n - 1 - k];
}

/* the n error-correction codewords of a block: the remainder of
 * data(x) * x^n divided by the generator */
static void rs_remainder(const uint8_t *data, int len, const uint8_t *g, int n, uint8_t *out)
{
	memset(out, 0, (size_t)n);
	for (int i = 0; i < len; i++) {
		uint8_t f = (uint8_t)(data[i] ^ out[0]);
		memmove(out, out + 1, (size_t)(n - 1));
		out[n - 1] = 0;
		for (int k = 0; k < n; k++)
			out[k] ^= gf_mul(g[k], f);
	}
}

/* ------------------------------------------------------------ the codewords */

struct bits {
	uint8_t *buf;
	int nbits;
};

static void put_bits(struct bits *b, uint32_t value, int n)
{
	for (int i = n - 1; i >= 0; i--) {
		if ((value >> i) & 1)
			b->buf[b->nbits >> 3] = (uint8_t)(b->buf[b->nbits >> 3] | (0x80u >> (b->nbits & 7)));
		b->nbits++;
	}
}

/* qr->data: mode, count, the bytes, terminator, padding */
static void make_data_codewords(struct qr_code *qr, const uint8_t *bytes, size_t len)
{
	int d = qr_data_codewords(qr->version, qr->ecl);
	memset(qr->data, 0, sizeof qr->data);
	struct bits b = { qr->data, 0 };
	put_bits(&b, 0x4, 4);                         /* byte mode */
	put_bits(&b, (uint32_t)len, count_bits(qr->version));
	for (size_t i = 0; i < len; i++)
		put_bits(&b, bytes[i], 8);
	int room = d * 8 - b.nbits;
	put_bits(&b, 0, room < 4 ? room : 4);         /* terminator */
	b.nbits = (b.nbits + 7) & ~7;                 /* zero bits to a byte */
	for (int i = b.nbits / 8, pad = 0xEC; i < d; i++, pad ^= 0xEC ^ 0x11)
		qr->data[i] = (uint8_t)pad;
}

/* qr->out: the blocks' data codewords interleaved, then their
 * error-correction codewords interleaved */
static void make_final_codewords(struct qr_code *qr)
{
	int v = qr->version - 1, nb = blocks[v][qr->ecl], ne = ecc_per_block[v][qr->ecl];
	int d = qr_data_codewords(qr->version, qr->ecl);
	int short_len = d / nb, nlong = d % nb, nshort = nb - nlong;
	uint8_t g[32];
	rs_generator(g, ne);
	int start = 0;
	for (int b = 0; b < nb; b++) {
		int len = short_len + (b >= nshort);
		rs_remainder(qr->data + start, len, g, ne, qr->ecc + b * ne);
		start += len;
	}
	int o = 0;
	for (int i = 0; i <= short_len; i++) {
		start = 0;
		for (int b = 0; b < nb; b++) {
			int len = short_len + (b >= nshort);
			if (i < len)
				qr->out[o++] = qr->data[start + i];
			start += len;
		}
	}
	for (int i = 0; i < ne; i++)
		for (int b = 0; b < nb; b++)
			qr->out[o++] = qr->ecc[b * ne + i];
}

/* The codeword bits, most significant first, up and down the two-module
 * columns from the bottom-right corner, right module before left, skipping
 * the vertical timing column and every function module; the modules left
 * over at the end are remainder bits, 0. */
static void place_codewords(struct qr_code *qr)
{
	int n = qr->size, total_bits = qr_total_codewords(qr->version) * 8, k = 0, up = 1;
	for (int right = n - 1; right >= 1; right -= 2) {
		if (right == 6)
			right = 5;
		for (int step = 0; step < n; step++) {
			int y = up ? n - 1 - step : step;
			for (int x = right; x >= right - 1; x--) {
				if (get_bit(qr->function, n, x, y))
					continue;
				int on = 0;
				if (k < total_bits)
					on = (qr->out[k >> 3] >> (7 - (k & 7))) & 1;
				k++;
				put_bit(qr->dark, n, x, y, on);
			}
		}
		up = !up;
	}
}

/* ------------------------------------------------------------ masks */

/* Table 10: the condition under which mask m inverts module (row i, column j) */
static int mask_inverts(int m, int i, int j)
{
	switch (m) {
	case 0: return (i + j) % 2 == 0;
	case 1: return i % 2 == 0;
	case 2: return j % 3 == 0;
	case 3: return (i + j) % 3 == 0;
	case 4: return (i / 2 + j / 3) % 2 == 0;
	case 5: return (i * j) % 2 + (i * j) % 3 == 0;
	case 6: return ((i * j) % 2 + (i * j) % 3) % 2 == 0;
	default: return ((i + j) % 2 + (i * j) % 3) % 2 == 0;
	}
}

/* XOR mask m onto every data module (twice undoes it) */
static void apply_mask(struct qr_code *qr, int m)
{
	int n = qr->size;
	for (int y = 0; y < n; y++)
		for (int x = 0; x < n; x++)
			if (!get_bit(qr->function, n, x, y) && mask_inverts(m, y, x))
				put_bit(qr->dark, n, x, y, !get_bit(qr->dark, n, x, y));
}

/* module (x, y) read along a row (horizontal) or down a column;
 * outside the symbol is the light quiet zone */
static int line_module(const struct qr_code *qr, int line, int pos, int horizontal)
{
	if (pos < 0 || pos >= qr->size)
		return 0;
	return horizontal ? qr_module(qr, pos, line) : qr_module(qr, line, pos);
}

/* 7.8.3.1: N1 = 3, N2 = 3, N3 = 40, N4 = 10 */
long qr_penalty(const struct qr_code *qr)
{
	int n = qr->size;
	long score = 0;
	static const uint8_t finder_like[7] = { 1, 0, 1, 1, 1, 0, 1 };
	for (int horizontal = 0; horizontal < 2; horizontal++) {
		for (int line = 0; line < n; line++) {
			/* runs of five or more modules of one colour: 3 + (run - 5) */
			int run = 1;
			for (int pos = 1; pos <= n; pos++) {
				if (pos < n && line_module(qr, line, pos, horizontal) ==
					       line_module(qr, line, pos - 1, horizontal)) {
					run++;
					continue;
				}
				if (run >= 5)
					score += 3 + (run - 5);
				run = 1;
			}
			/* 1:1:3:1:1 dark:light:dark:light:dark with four light
			 * modules before or after it: 40 each */
			for (int pos = 0; pos + 7 <= n; pos++) {
				int match = 1;
				for (int k = 0; k < 7 && match; k++)
					match = line_module(qr, line, pos + k, horizontal) == finder_like[k];
				if (!match)
					continue;
				int before = 1, after = 1;
				for (int k = 1; k <= 4; k++) {
					before &= !line_module(qr, line, pos - k, horizontal);
					after &= !line_module(qr, line, pos + 6 + k, horizontal);
				}
				if (before || after)
					score += 40;
			}
		}
	}
	/* each 2x2 block of one colour: 3 */
	for (int y = 0; y + 1 < n; y++)
		for (int x = 0; x + 1 < n; x++) {
			int c = qr_module(qr, x, y);
			if (c == qr_module(qr, x + 1, y) && c == qr_module(qr, x, y + 1) &&
			    c == qr_module(qr, x + 1, y + 1))
				score += 3;
		}
	/* the dark share: 10 for each full 5 % it is away from 50 % */
	long dark = 0, total = (long)n * n;
	for (int y = 0; y < n; y++)
		for (int x = 0; x < n; x++)
			dark += qr_module(qr, x, y);
	long off = dark * 20 - total * 10;
	if (off < 0)
		off = -off;
	score += 10 * (off / total);
	return score;
}

/* ------------------------------------------------------------ encode */

int qr_encode_bytes(struct qr_code *qr, const void *bytes, size_t len, enum qr_ecl ecl,
		    int vmin, int vmax, int mask, int boost)
{
	if (!version_ok(vmin) || !version_ok(vmax) || vmin > vmax || !ecl_ok(ecl) ||
	    mask < QR_MASK_AUTO || mask > 7 || (len && !bytes))
		return QR_BAD_ARGUMENT;
	int v = vmin;
	while (v <= vmax && (size_t)qr_byte_capacity(v, ecl) < len)
		v++;
	if (v > vmax)
		return QR_TOO_LONG;
	if (boost)
		while (ecl < QR_ECL_H && (size_t)qr_byte_capacity(v, (enum qr_ecl)(ecl + 1)) >= len)
			ecl = (enum qr_ecl)(ecl + 1);
	qr->version = v;
	qr->size = QR_SIZE(v);
	qr->ecl = ecl;
	make_data_codewords(qr, bytes, len);
	make_final_codewords(qr);
	draw_function_patterns(qr);
	place_codewords(qr);

	if (mask == QR_MASK_AUTO) {
		long best = -1;
		for (int m = 0; m < 8; m++) {
			apply_mask(qr, m);
			draw_format(qr, qr_format_bits(ecl, m));
			long p = qr_penalty(qr);
			if (best < 0 || p < best) {
				best = p;
				mask = m;
			}
			apply_mask(qr, m);
		}
	}
	qr->mask = mask;
	apply_mask(qr, mask);
	draw_format(qr, qr_format_bits(ecl, mask));
	return QR_OK;
}
