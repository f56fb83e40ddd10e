/* fmt.h - bounded string building without libc: every line ringtrip prints
 * (CSV rows, metadata, panic reports) is built with these. Overflow truncates
 * and sets sb->overflow; it never writes past the buffer. */
#ifndef RINGTRIP_FMT_H
#define RINGTRIP_FMT_H
#include <stddef.h>
#include <stdint.h>

struct sbuf {
	char *buf;
	size_t cap;
	size_t len;
	int overflow;
};

void sb_init(struct sbuf *sb, char *buf, size_t cap);
void sb_putc(struct sbuf *sb, char c);
void sb_puts(struct sbuf *sb, const char *s);
void sb_putn(struct sbuf *sb, const char *s, size_t n);
void sb_u64(struct sbuf *sb, uint64_t v);
void sb_i64(struct sbuf *sb, int64_t v);
/* "0x" followed by at least min_digits hex digits */
void sb_hex(struct sbuf *sb, uint64_t v, int min_digits);
const char *sb_str(struct sbuf *sb);   /* NUL-terminated view */
/* End a line: the newline always fits, replacing the last character of a
 * full buffer, so a line cut short never runs into the next one. */
void sb_endline(struct sbuf *sb);
/* The CSV's metadata line "# key=value\n", the one format for it in Ring 0,
 * Ring 3 and host mode */
void sb_kv_line(struct sbuf *sb, const char *key, const char *value);
/* copy at most size-1 bytes and always terminate */
void strlcpy0(char *dst, const char *src, size_t size);

#endif
