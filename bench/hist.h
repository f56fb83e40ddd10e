/*
 * hist.h - a log-linear histogram of samples, printed per row as
 *   # hist <path>,<service>,<lo>:<count>,<lo>:<count>,...
 * (non-empty buckets only, ascending <lo>, the bucket's smallest value).
 * Values 0..15 have a bucket each; above that every power of two [2^k,
 * 2^(k+1)) is split into 8 equal buckets, so a bucket is at most 1/8 of
 * its value wide (12.5%) - enough to draw a CDF. 16 + 8*60 buckets cover
 * every uint64_t.
 */
#ifndef RINGTRIP_HIST_H
#define RINGTRIP_HIST_H
#include <stdint.h>
#include "../lib/fmt.h"

#define HIST_LINEAR   16
#define HIST_SUB      8
#define HIST_BUCKETS  (HIST_LINEAR + HIST_SUB * 60)

struct hist {
	uint64_t count[HIST_BUCKETS];
};

unsigned hist_bucket(uint64_t v);          /* index of v's bucket */
uint64_t hist_bucket_lo(unsigned b);       /* smallest value in bucket b */
void hist_clear(struct hist *h);
void hist_add(struct hist *h, const uint64_t *v, uint64_t n);
/* "# hist path,service,lo:count,...\n"; long lines are split into several
 * "# hist" lines for the same row, each at most cap bytes. emit is called
 * per line. */
void hist_format(const struct hist *h, const char *path, const char *service,
		 char *buf, uint64_t cap,
		 void (*emit)(const char *line, uint64_t len, void *ctx), void *ctx);

#endif
