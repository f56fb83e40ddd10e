/* screen.h - the results table on the screen: a line per path, a column
 * per service, medians with the NOP baseline subtracted. What a user with
 * only a monitor reads the results from; the CSV goes to serial. */
#ifndef RINGTRIP_SCREEN_H
#define RINGTRIP_SCREEN_H
#include <stdint.h>
#include "../kernel/shared_page.h"

/* one CSV row as the table shows it, in CSV order */
struct screen_row {
	const char *path;
	const char *why;       /* the path cannot run: the status, else NULL */
	const char *service;   /* NULL: the baseline row (not shown) */
	int exception;         /* an exception path: one round trip, no columns */
	int bad;               /* a wrong result was seen */
	uint64_t median;
};

void screen_table(const struct rt_shared *sh, const struct screen_row *rows, unsigned n);

#endif
