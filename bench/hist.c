/* hist.c - see hist.h */
#include "hist.h"

unsigned hist_bucket(uint64_t v)
{
	if (v < HIST_LINEAR)
		return (unsigned)v;
	unsigned k = 63 - (unsigned)__builtin_clzll(v);     /* 2^k <= v, k >= 4 */
	unsigned sub = (unsigned)((v >> (k - 3)) & (HIST_SUB - 1));
	return HIST_LINEAR + (k - 4) * HIST_SUB + sub;
}

uint64_t hist_bucket_lo(unsigned b)
{
	if (b < HIST_LINEAR)
		return b;
	unsigned k = (b - HIST_LINEAR) / HIST_SUB + 4, sub = (b - HIST_LINEAR) % HIST_SUB;
	return (1ULL << k) + ((uint64_t)sub << (k - 3));
}

void hist_clear(struct hist *h)
{
	for (unsigned i = 0; i < HIST_BUCKETS; i++)
		h->count[i] = 0;
}

void hist_add(struct hist *h, const uint64_t *v, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		h->count[hist_bucket(v[i])]++;
}

static void start(struct sbuf *sb, const char *path, const char *service)
{
	sb->len = 0;
	sb_puts(sb, "# hist ");
	sb_puts(sb, path);
	sb_putc(sb, ',');
	sb_puts(sb, service);
}

void hist_format(const struct hist *h, const char *path, const char *service,
		 char *buf, uint64_t cap,
		 void (*emit)(const char *line, uint64_t len, void *ctx), void *ctx)
{
	struct sbuf sb;
	char item[48];
	sb_init(&sb, buf, cap);
	start(&sb, path, service);
	uint64_t fresh = sb.len;
	for (unsigned b = 0; b < HIST_BUCKETS; b++) {
		if (!h->count[b])
			continue;
		struct sbuf it;
		sb_init(&it, item, sizeof item);
		sb_putc(&it, ',');
		sb_u64(&it, hist_bucket_lo(b));
		sb_putc(&it, ':');
		sb_u64(&it, h->count[b]);
		if (sb.len + it.len + 2 > cap && sb.len > fresh) {
			sb_endline(&sb);
			emit(sb.buf, sb.len, ctx);
			start(&sb, path, service);
		}
		sb_puts(&sb, item);
	}
	sb_endline(&sb);
	emit(sb.buf, sb.len, ctx);
}
