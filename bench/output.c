/* output.c - Ring 3's console: every byte goes through SVC_PRINT. */
#include "user.h"
#include "../lib/string.h"

void out_write(int where, const char *s, uint64_t n)
{
	control_call(SVC_PRINT, (uint64_t)s, n, (uint64_t)where);
}

void out_sb(int where, struct sbuf *sb)
{
	out_write(where, sb->buf, sb->len);
	sb->len = 0;
	sb->overflow = 0;
	sb->buf[0] = 0;
}

void out_kv(const char *key, const char *value)
{
	ULINE(l);
	sb_kv_line(&l, key, value);
	out_sb(PRINT_SERIAL, &l);
}

void out_kv_u64(const char *key, uint64_t value)
{
	char b[24];
	struct sbuf sb;
	sb_init(&sb, b, sizeof b);
	sb_u64(&sb, value);
	out_kv(key, b);
}

void out_str(int where, const char *s)
{
	out_write(where, s, strlen(s));
}
