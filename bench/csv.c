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

void csv_header(struct sbuf *sb)
{
	sb_puts(sb, CSV_COLUMNS "\n");
}

void csv_format_row(struct sbuf *sb, const struct csv_row *r)
{
	const uint64_t num[] = { r->st.n, r->st.min, r->st.median, r->st.mean,
				 r->st.stdev, r->st.p99, r->st.max, r->overhead };
	csv_field(sb, r->path);
	sb_putc(sb, ',');
	csv_field(sb, r->service);
	sb_putc(sb, ',');
	sb_u64(sb, r->args);
	sb_putc(sb, ',');
	csv_field(sb, r->status);
	for (unsigned i = 0; i < sizeof num / sizeof num[0]; i++) {
		sb_putc(sb, ',');
		sb_u64(sb, num[i]);
	}
	const uint64_t more[] = { r->st.p1, r->ensembles, r->median_spread, r->min_spread };
	for (unsigned i = 0; i < sizeof more / sizeof more[0]; i++) {
		sb_putc(sb, ',');
		sb_u64(sb, more[i]);
	}
	sb_putc(sb, ',');
	if (r->has_ns) {
		sb_u64(sb, r->median_ns_tenths / 10);
		sb_putc(sb, '.');
		sb_u64(sb, r->median_ns_tenths % 10);
	}
	sb_putc(sb, ',');
	if (r->has_cycles)
		sb_u64(sb, r->median_cycles);
	sb_putc(sb, ',');
	if (r->has_instructions)
		sb_u64(sb, r->median_instructions);
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
