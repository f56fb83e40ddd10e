/* csv.c - see csv.h */
#include "csv.h"

void csv_field(struct sbuf *sb, const char *s)
{
	if (!s || !*s) {
		sb_putc(sb, '-');
		return;
	}
	for (; *s; s++)
		sb_putc(sb, (*s == ',' || *s == '\n' || *s == '\r') ? '_' : *s);
}

/* How each kind of column (csv.h, CSV_COLUMNS_X) writes its value. */
static inline void csv_put_TEXT(struct sbuf *sb, const char *s)
{
	csv_field(sb, s);
}

static inline void csv_put_U64(struct sbuf *sb, uint64_t v)
{
	sb_u64(sb, v);
}

static inline void csv_put_TENTHS(struct sbuf *sb, uint64_t tenths)
{
	sb_u64(sb, tenths / 10);
	sb_putc(sb, '.');
	sb_u64(sb, tenths % 10);
}

void csv_header(struct sbuf *sb)
{
	sb_puts(sb, CSV_COLUMNS);
	sb_putc(sb, '\n');
}

void csv_format_row(struct sbuf *sb, const struct csv_row *r)
{
	unsigned col = 0;
#define CSV_PUT_(name, kind, present, value)	\
	if (col++)				\
		sb_putc(sb, ',');		\
	if (present)				\
		csv_put_##kind(sb, value);
	CSV_COLUMNS_X(CSV_PUT_)
#undef CSV_PUT_
	sb_endline(sb);
}

void csv_trailer(struct sbuf *sb, uint64_t rows, uint32_t crc)
{
	sb_puts(sb, "# end rows=");
	sb_u64(sb, rows);
	sb_puts(sb, " crc32=");
	static const char hex[] = "0123456789abcdef";
	for (int shift = 28; shift >= 0; shift -= 4)
		sb_putc(sb, hex[(crc >> shift) & 15]);
	sb_endline(sb);
}
