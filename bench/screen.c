/* screen.c - see screen.h. */
#include "screen.h"
#include "user.h"
#include "../lib/string.h"

static void pad(struct sbuf *sb, uint64_t to)
{
	while (sb->len < to)
		sb_putc(sb, ' ');
}

static int same_path(const struct screen_row *a, const struct screen_row *b)
{
	return !strcmp(a->path, b->path);
}

void screen_table(const struct rt_shared *sh, const struct screen_row *rows, unsigned n)
{
	ULINE(l);
	sb_puts(&l, sh->clock_icount ? "\nmedian instructions per round trip"
				      : "\nmedian TSC ticks per round trip");
	if (sh->tsc_hz && !sh->clock_icount) {
		sb_puts(&l, " (TSC ");
		sb_u64(&l, sh->tsc_hz / 1000000);
		sb_puts(&l, " MHz)");
	}
	sb_puts(&l, ", NOP baseline subtracted\n");
	out_sb(PRINT_SCREEN, &l);
	/* header from the first path's services */
	pad(&l, 13);
	for (unsigned i = 0; i < n && (i == 0 || same_path(&rows[i], &rows[0])); i++) {
		if (!rows[i].service)
			continue;
		char label[12];
		struct sbuf lb;
		const char *name = rows[i].service;
		sb_init(&lb, label, sizeof label);
		if (!strncmp(name, "win32k_", 7)) {    /* the table-1 services */
			sb_puts(&lb, "w32:");
			name += 7;
		}
		sb_putn(&lb, name, 8 - lb.len);
		pad(&l, l.len + 9 - lb.len);
		sb_puts(&l, label);
	}
	sb_endline(&l);
	out_sb(PRINT_SCREEN, &l);
	for (unsigned i = 0; i < n; i++) {
		const struct screen_row *r = &rows[i];
		if (i == 0 || !same_path(r, &rows[i - 1])) {
			if (i)
				out_sb(PRINT_SCREEN, &l);
			sb_putn(&l, r->path, 12);
			pad(&l, 13);
			if (r->why) {
				sb_puts(&l, r->why);
				sb_endline(&l);
			}
		}
		if (r->why || !r->service)
			continue;
		char num[24];
		struct sbuf nb;
		sb_init(&nb, num, sizeof num);
		if (r->bad)
			sb_puts(&nb, "BAD");
		else
			sb_u64(&nb, r->median);
		if (r->exception) {
			/* one service, not the columns' */
			sb_puts(&l, "exception round trip: ");
			sb_puts(&l, num);
		} else {
			pad(&l, l.len + 9 - (nb.len < 9 ? nb.len : 8));
			sb_puts(&l, num);
		}
		if (i + 1 == n || !same_path(&rows[i + 1], r))
			sb_endline(&l);
	}
	out_sb(PRINT_SCREEN, &l);
}
