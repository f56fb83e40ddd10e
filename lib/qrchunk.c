/* qrchunk.c - see qrchunk.h */
#include "qrchunk.h"
#include "crc32.h"

/* characters byte c takes in a body (not its last byte) */
static size_t escaped_cost(uint8_t c)
{
	if (c == '\n' || c == '\\')
		return 2;
	if (c < 0x20 || c > 0x7E)
		return 4;
	return 1;
}

unsigned qrchunk_split(const uint8_t *p, size_t len, size_t body_cap,
		       uint32_t *starts, unsigned max)
{
	if (!len || body_cap < 4)
		return 0;
	unsigned n = 0;
	size_t pos = 0;
	while (pos < len) {
		if (n == max)
			return 0;
		starts[n++] = (uint32_t)pos;
		size_t used = 0, end = pos;
		while (end < len && used + escaped_cost(p[end]) <= body_cap)
			used += escaped_cost(p[end++]);
		/* a space at the end becomes \x20, 3 more: leave it (and any
		 * space before it) to the next chunk when that does not fit;
		 * a body_cap of 4 always holds one such space */
		while (p[end - 1] == ' ' && used + 3 > body_cap) {
			end--;
			used--;
		}
		pos = end;
	}
	starts[n] = (uint32_t)len;
	return n;
}

struct out {
	char *buf;
	size_t cap, len;
	int full;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->cap)
		o->buf[o->len++] = c;
	else
		o->full = 1;
}

static void put_hex(struct out *o, uint32_t v, int digits)
{
	for (int s = 4 * (digits - 1); s >= 0; s -= 4)
		put(o, "0123456789abcdef"[(v >> s) & 15]);
}

static void put_dec(struct out *o, unsigned v)
{
	char d[12];
	int k = 0;
	do
		d[k++] = (char)('0' + v % 10);
	while ((v /= 10));
	while (k)
		put(o, d[--k]);
}

static void put_str(struct out *o, const char *s)
{
	while (*s)
		put(o, *s++);
}

size_t qrchunk_text(char *out, size_t cap, uint32_t run_id, unsigned i, unsigned n,
		    const uint8_t *body, size_t len)
{
	struct out o = { out, cap, 0, 0 };
	if (!cap)
		return 0;
	put_str(&o, "ringtrip ");
	put_hex(&o, run_id, 8);
	put(&o, ' ');
	put_dec(&o, i);
	put(&o, '/');
	put_dec(&o, n);
	put(&o, ' ');
	put_hex(&o, crc32_update(0, body, len), 8);
	put(&o, ' ');
	for (size_t k = 0; k < len; k++) {
		uint8_t c = body[k];
		if (c == '\n') {
			put_str(&o, "\\n");
		} else if (c == '\\') {
			put_str(&o, "\\\\");
		} else if (c < 0x20 || c > 0x7E || (c == ' ' && k == len - 1)) {
			put_str(&o, "\\x");
			put_hex(&o, c, 2);
		} else {
			put(&o, (char)c);
		}
	}
	out[o.len] = 0;
	return o.full ? 0 : o.len;
}

unsigned qr_min_scale(unsigned height)
{
	unsigned s = (height + 269) / 270;
	return s < 3 ? 3 : s;
}

static unsigned digits(unsigned v)
{
	unsigned d = 1;
	while (v >= 10) {
		v /= 10;
		d++;
	}
	return d;
}

/* chunks of a payload in codes of version v; 0 if they would not do */
static unsigned chunks_for(int v, const uint8_t *payload, size_t len, size_t *body_cap,
			   uint32_t *starts, unsigned max)
{
	int cap = qr_byte_capacity(v, QRCHUNK_ECL);
	unsigned d = 1;
	for (;;) {
		if (cap <= (int)QRCHUNK_HEADER_LEN(d))
			return 0;
		*body_cap = (size_t)cap - QRCHUNK_HEADER_LEN(d);
		unsigned n = qrchunk_split(payload, len, *body_cap, starts, max);
		if (!n || digits(n) <= d)
			return n;
		d = digits(n);
	}
}

int qr_plan_make(struct qr_plan *pl, const uint8_t *payload, size_t len,
		 unsigned width, unsigned height, unsigned label_h, unsigned min_scale,
		 uint32_t *starts, unsigned max)
{
	if (!min_scale)
		min_scale = 1;
	int best_v = 0;
	unsigned best_pages = 0, best_n = 0;
	for (int v = 1; v <= QRCHUNK_MAX_VERSION; v++) {
		unsigned side = (unsigned)(QR_SIZE(v) + 2 * QR_QUIET) * min_scale;
		unsigned per = (width / side) * (height / (side + label_h));
		if (!per)
			break;                  /* larger versions fit even less */
		size_t body_cap;
		unsigned n = chunks_for(v, payload, len, &body_cap, starts, max);
		if (!n)
			continue;
		unsigned pages = (n + per - 1) / per;
		if (!best_v || pages < best_pages || (pages == best_pages && n < best_n)) {
			best_v = v;
			best_pages = pages;
			best_n = n;
		}
	}
	if (!best_v)
		return -1;
	pl->version = best_v;
	pl->chunks = chunks_for(best_v, payload, len, &pl->body_cap, starts, max);
	pl->pages = best_pages;
	/* as many codes on a page as the fullest page needs, as large as they fit */
	unsigned want = (pl->chunks + best_pages - 1) / best_pages;
	unsigned modules = (unsigned)(QR_SIZE(best_v) + 2 * QR_QUIET), s = min_scale;
	for (;;) {
		unsigned side = modules * (s + 1);
		if ((width / side) * (height / (side + label_h)) < want)
			break;
		s++;
	}
	pl->scale = s;
	pl->cell_w = modules * s;
	pl->cell_h = pl->cell_w + label_h;
	unsigned across = width / pl->cell_w;
	pl->cols = across < want ? across : want;
	pl->rows = (want + pl->cols - 1) / pl->cols;
	pl->per_page = pl->cols * pl->rows;
	/* the even spread may leave the page count as it was, never above */
	pl->pages = (pl->chunks + pl->per_page - 1) / pl->per_page;
	return 0;
}
