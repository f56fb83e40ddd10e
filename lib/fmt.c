/* fmt.c - see fmt.h */
#include "fmt.h"

void sb_init(struct sbuf *sb, char *buf, size_t cap)
{
	sb->buf = buf;
	sb->cap = cap;
	sb->len = 0;
	sb->overflow = 0;
	if (cap)
		buf[0] = 0;
}

void sb_putc(struct sbuf *sb, char c)
{
	if (sb->len + 1 >= sb->cap) {
		sb->overflow = 1;
		return;
	}
	sb->buf[sb->len++] = c;
	sb->buf[sb->len] = 0;
}

void sb_endline(struct sbuf *sb)
{
	if (sb->cap < 2)
		return;
	if (sb->len + 1 >= sb->cap)
		sb->len = sb->cap - 2;
	sb->buf[sb->len++] = '\n';
	sb->buf[sb->len] = 0;
}

void sb_kv_line(struct sbuf *sb, const char *key, const char *value)
{
	sb_puts(sb, "# ");
	sb_puts(sb, key);
	sb_putc(sb, '=');
	sb_puts(sb, value);
	sb_endline(sb);
}

void sb_putn(struct sbuf *sb, const char *s, size_t n)
{
	for (size_t i = 0; i < n && s[i]; i++)
		sb_putc(sb, s[i]);
}

void sb_puts(struct sbuf *sb, const char *s)
{
	while (*s)
		sb_putc(sb, *s++);
}

void sb_u64(struct sbuf *sb, uint64_t v)
{
	char tmp[20];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		sb_putc(sb, tmp[--n]);
}

void sb_i64(struct sbuf *sb, int64_t v)
{
	if (v < 0) {
		sb_putc(sb, '-');
		sb_u64(sb, (uint64_t)0 - (uint64_t)v);
	} else {
		sb_u64(sb, (uint64_t)v);
	}
}

void sb_hex(struct sbuf *sb, uint64_t v, int min_digits)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[16];
	int n = 0;
	do {
		tmp[n++] = digits[v & 15];
		v >>= 4;
	} while (v);
	while (n < min_digits && n < 16)
		tmp[n++] = '0';
	sb_puts(sb, "0x");
	while (n)
		sb_putc(sb, tmp[--n]);
}

const char *sb_str(struct sbuf *sb)
{
	return sb->cap ? sb->buf : "";
}

void strlcpy0(char *dst, const char *src, size_t size)
{
	size_t i = 0;
	if (!size)
		return;
	for (; i + 1 < size && src[i]; i++)
		dst[i] = src[i];
	dst[i] = 0;
}
