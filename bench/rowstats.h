/*
 * rowstats.h - what one CSV row keeps across its ensembles (repeat=N), and
 * the row's statistics at the end. Pure integer code with no I/O: the
 * harness (harness.c) feeds it each ensemble's samples, the host unit tests
 * (tests/unit/test_rowstats.c) feed it known sample sets.
 *
 * A row's samples are all samples of all its ensembles, after the
 * ensemble's NOP-baseline minimum is subtracted. With the definitions of
 * bench/stats.h:
 *   samples  all of them (iterations x ensembles)
 *   min/max  over all samples
 *   mean     over all samples (exact: integer sum)
 *   stdev    population stdev over all samples (pooled: exact integer sum
 *            and sum of squares), so the differences between ensembles are
 *            in it, not only the spread within each
 *   p1, p99  nearest rank over all samples: the ceil(N/100)-th and
 *            ceil(99N/100)-th smallest of all N; exact - see "Exactness"
 *   median   the median of the ensembles' medians (each by the stats.h
 *            rule; the middle one of an odd count, the two middle ones
 *            averaged and rounded down of an even count). Not over all
 *            samples: the middle of N samples cannot be found in bounded
 *            memory, and a median of ensemble medians is not moved by one
 *            disturbed ensemble.
 *   median_spread, min_spread  largest minus smallest of the ensembles'
 *            medians and minimums
 *
 * Exactness of p1 and p99. The k-th smallest of N samples that arrive in
 * batches needs, in general, every one of the k smallest kept: k is
 * ceil(N/100) for p1 and floor(N/100) + 1 from the top for p99, up to
 * 0.32 x iterations values per row and tail at repeat=32 - more than there
 * is memory for, for every row at once. Each tail is therefore kept as
 * distinct values with exact counts (so repeated values cost nothing), at
 * most `cap` of them (the harness shares one pool among the rows it runs),
 * in a window centred on the percentile's rank among the samples seen so
 * far; values further out on either side keep only their count and range
 * (far: towards the extreme, near: towards the middle), and values that
 * can no longer reach rank k are dropped. The percentile is exact whenever
 * it falls on a kept value:
 *   - always when k <= cap (nothing is ever collapsed), and under -icount
 *     (one distinct value);
 *   - otherwise unless it ends up more than about cap/2 distinct values
 *     away from where the percentile of the samples seen after some
 *     ensemble was (a wide tail that moves between ensembles).
 * When it is not, the summary says so (rowstats_pct.lo < .hi): the value
 * lies in [lo, hi] - the kept range, narrowed to the row's histogram bucket
 * of that rank and to [min, max] - and the column holds lo. The harness
 * prints a '# warning:' line for such a row.
 */
#ifndef RINGTRIP_ROWSTATS_H
#define RINGTRIP_ROWSTATS_H
#include <stdint.h>
#include "stats.h"
#include "hist.h"
#include "../lib/options.h"      /* MAX_REPEAT */

#define ROWSTATS_CAP_MAX  8192      /* entries per tail at most */
#define ROWSTATS_MAX_ENS  MAX_REPEAT

/*
 * One tail of the sorted samples, in "key" order: key = value for the low
 * tail, key = ~value for the high tail, so both keep the smallest keys and
 * the percentile is the k-th smallest key. Every sample with a key up to
 * far_hi is counted in far_count; every kept value between far_hi and
 * near_lo has an entry of its own with its exact count; near_count counts
 * kept samples with keys from near_lo to near_hi. Keys past the rank the
 * row can still need are dropped.
 */
struct rowstats_tail_entry {
	uint64_t key, count;
};

struct rowstats_tail {
	uint64_t far_count, far_lo, far_hi;
	uint64_t near_count, near_lo, near_hi;
	uint64_t n, cap;                          /* entries in e[], room */
	struct rowstats_tail_entry *e;
};

struct rowstats {
	uint64_t planned;      /* samples expected over all ensembles */
	uint64_t overrun;      /* more arrived than planned: tails incomplete */
	uint64_t min, max;
	struct moments mom;    /* mom.n: samples so far */
	uint64_t ens;          /* ensembles added */
	uint64_t median[ROWSTATS_MAX_ENS], min_e[ROWSTATS_MAX_ENS];
	struct rowstats_tail low, high;
	struct hist hist;      /* every sample, for the '# hist' lines */
};

/* where a percentile lies: exactly lo when lo == hi, else in [lo, hi] */
struct rowstats_pct {
	uint64_t lo, hi;
};

struct rowstats_summary {
	struct stats st;       /* st.p1 = p1.lo, st.p99 = p99.lo */
	struct rowstats_pct p1, p99;
	uint64_t ensembles, median_spread, min_spread;
};

/* planned: the samples all ensembles together will add (iterations x
 * repeat); it sizes what the tails must keep. mem: 2 x cap entries for the
 * two tails, which the row uses until it is initialised again; cap is at
 * least 1 and at most ROWSTATS_CAP_MAX (clamped). */
void rowstats_init(struct rowstats *r, uint64_t planned,
		   struct rowstats_tail_entry *mem, uint64_t cap);
/* One ensemble's samples (overhead already subtracted): sorted in place,
 * then added to every statistic and to the histogram. */
void rowstats_add(struct rowstats *r, uint64_t *samples, uint64_t n);
void rowstats_summarise(const struct rowstats *r, struct rowstats_summary *s);

/* Helpers for per-ensemble values the harness keeps itself (overhead,
 * PMU medians), n <= ROWSTATS_MAX_ENS: the median by the stats.h rule
 * without reordering v, and largest minus smallest. */
uint64_t rowstats_median_of(const uint64_t *v, uint64_t n);
uint64_t rowstats_spread_of(const uint64_t *v, uint64_t n);

#endif
