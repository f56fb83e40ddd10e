/* rowstats.c - see rowstats.h */
#include "rowstats.h"
#include "../lib/string.h"

/* ----------------------------------------------------------- the tails */

/* One ensemble's candidates for a tail, in ascending key order: the
 * sorted samples from the front (low tail) or, complemented, from the back
 * (high tail). */
struct cand {
	const uint64_t *s;
	uint64_t n;         /* samples in s */
	uint64_t m;         /* candidates: the first m keys */
	int high;
};

static uint64_t cand_key(const struct cand *c, uint64_t i)
{
	return c->high ? ~c->s[c->n - 1 - i] : c->s[i];
}

/* The kept entries and the new candidates keys [j, jend) merged: distinct
 * keys ascending, each with its combined count. */
struct walk {
	const struct rowstats_tail *t;
	const struct cand *c;
	uint64_t i, j, jend;
};

static int walk_next(struct walk *w, uint64_t *key, uint64_t *count)
{
	int old = w->i < w->t->n, new = w->j < w->jend;
	if (!old && !new)
		return 0;
	uint64_t k = old ? w->t->e[w->i].key : cand_key(w->c, w->j);
	if (new && cand_key(w->c, w->j) < k)
		k = cand_key(w->c, w->j);
	uint64_t cnt = 0;
	if (old && w->t->e[w->i].key == k)
		cnt += w->t->e[w->i++].count;
	while (w->j < w->jend && cand_key(w->c, w->j) == k) {
		cnt++;
		w->j++;
	}
	*key = k;
	*count = cnt;
	return 1;
}

/* the new window, written while the old entries are still being read */
static struct rowstats_tail_entry scratch[ROWSTATS_CAP_MAX];

/*
 * Adds one ensemble's candidates to a tail. keep: the largest rank the row
 * can still ask for (entries wholly past it are dropped); est: the rank of
 * the percentile among the samples seen so far, where the window of exact
 * entries is centred.
 */
static void tail_merge(struct rowstats_tail *t, const struct cand *c,
		       uint64_t keep, uint64_t est)
{
	uint64_t m = c->m;
	/* candidates inside the collapsed ranges only add to their counts */
	uint64_t j0 = 0, j1 = m;
	if (t->far_count)
		while (j0 < m && cand_key(c, j0) <= t->far_hi)
			j0++;
	if (t->near_count)
		while (j1 > j0 && cand_key(c, j1 - 1) >= t->near_lo)
			j1--;
	if (j0) {
		uint64_t k0 = cand_key(c, 0);
		t->far_lo = k0 < t->far_lo ? k0 : t->far_lo;
		t->far_count += j0;
	}
	if (j1 < m) {
		uint64_t k1 = cand_key(c, m - 1);
		t->near_hi = k1 > t->near_hi ? k1 : t->near_hi;
		t->near_count += m - j1;
	}

	/* first pass: how many entries lie before rank `keep`, and which one
	 * holds rank `est` */
	struct walk w = { t, c, 0, j0, j1 };
	uint64_t cum = t->far_count, entries = 0, pos, key, cnt;
	pos = est <= cum ? 0 : UINT64_MAX;
	while (cum < keep && walk_next(&w, &key, &cnt)) {
		if (cum < est && cum + cnt >= est)
			pos = entries;
		cum += cnt;
		entries++;
	}
	if (pos == UINT64_MAX)
		pos = entries;
	uint64_t start = 0;
	if (entries > t->cap) {
		start = pos > t->cap / 2 ? pos - t->cap / 2 : 0;
		if (start > entries - t->cap)
			start = entries - t->cap;
	}
	int near_kept = cum < keep && t->near_count;

	/* second pass: [0, start) into far, the window into e[], the rest of
	 * the entries into near */
	struct walk w2 = { t, c, 0, j0, j1 };
	uint64_t n = 0, coll = 0, coll_lo = 0, coll_hi = 0;
	for (uint64_t idx = 0; idx < entries; idx++) {
		walk_next(&w2, &key, &cnt);
		if (idx < start) {
			if (!t->far_count)
				t->far_lo = key;
			t->far_hi = key;
			t->far_count += cnt;
		} else if (idx < start + t->cap) {
			scratch[n].key = key;
			scratch[n++].count = cnt;
		} else {
			if (!coll)
				coll_lo = key;
			coll_hi = key;
			coll += cnt;
		}
	}
	memcpy(t->e, scratch, n * sizeof *scratch);
	t->n = n;
	if (coll) {
		t->near_lo = coll_lo;
		if (!near_kept)
			t->near_hi = coll_hi;
		t->near_count = (near_kept ? t->near_count : 0) + coll;
	} else if (!near_kept) {
		t->near_count = 0;
	}
}

/* the rank-th smallest key (1-based): [*lo, *hi] */
static void tail_rank(const struct rowstats_tail *t, uint64_t rank,
		      uint64_t *lo, uint64_t *hi)
{
	uint64_t cum = t->far_count;
	if (rank <= cum) {
		*lo = t->far_lo;
		*hi = t->far_hi;
		return;
	}
	for (uint64_t i = 0; i < t->n; i++) {
		cum += t->e[i].count;
		if (rank <= cum) {
			*lo = *hi = t->e[i].key;
			return;
		}
	}
	if (t->near_count && rank <= cum + t->near_count) {
		*lo = t->near_lo;
		*hi = t->near_hi;
		return;
	}
	*lo = 0;                     /* not kept (an overrun): anywhere */
	*hi = UINT64_MAX;
}

static void tail_init(struct rowstats_tail *t, struct rowstats_tail_entry *e, uint64_t cap)
{
	t->far_count = t->near_count = t->n = 0;
	t->far_lo = t->far_hi = t->near_lo = t->near_hi = 0;
	t->e = e;
	t->cap = cap;
}

/* ------------------------------------------------------------ the row */

void rowstats_init(struct rowstats *r, uint64_t planned,
		   struct rowstats_tail_entry *mem, uint64_t cap)
{
	cap = cap < 1 ? 1 : cap > ROWSTATS_CAP_MAX ? ROWSTATS_CAP_MAX : cap;
	r->planned = planned;
	r->overrun = 0;
	r->min = UINT64_MAX;
	r->max = 0;
	moments_clear(&r->mom);
	r->ens = 0;
	tail_init(&r->low, mem, cap);
	tail_init(&r->high, mem + cap, cap);
	hist_clear(&r->hist);
}

/* The ranks from each end the finished row will ask for: p1 is the
 * rank_p1(N)-th smallest, p99 the (N - rank_p99(N) + 1)-th largest. They
 * only grow with N, so the planned N bounds what must be kept. */
static uint64_t low_rank(uint64_t n)
{
	return rank_p1(n);
}

static uint64_t high_rank(uint64_t n)
{
	return n ? n - rank_p99(n) + 1 : 0;
}

void rowstats_add(struct rowstats *r, uint64_t *s, uint64_t n)
{
	if (!n)
		return;
	sort_u64(s, n);
	if (r->ens < ROWSTATS_MAX_ENS) {
		r->median[r->ens] = median_sorted(s, n);
		r->min_e[r->ens] = s[0];
	}
	r->ens++;
	r->min = s[0] < r->min ? s[0] : r->min;
	r->max = s[n - 1] > r->max ? s[n - 1] : r->max;
	moments_add(&r->mom, s, n);
	hist_add(&r->hist, s, n);

	uint64_t seen = r->mom.n;
	if (seen > r->planned)
		r->overrun = 1;
	uint64_t planned = seen > r->planned ? seen : r->planned;
	uint64_t keep_lo = low_rank(planned), keep_hi = high_rank(planned);
	struct cand lo = { s, n, n < keep_lo ? n : keep_lo, 0 };
	struct cand hi = { s, n, n < keep_hi ? n : keep_hi, 1 };
	tail_merge(&r->low, &lo, keep_lo, low_rank(seen));
	tail_merge(&r->high, &hi, keep_hi, high_rank(seen));
}

/* The histogram bucket holding the rank-th smallest sample: [*lo, *hi]. */
static void hist_rank(const struct hist *h, uint64_t rank, uint64_t *lo, uint64_t *hi)
{
	uint64_t cum = 0;
	for (unsigned b = 0; b < HIST_BUCKETS; b++) {
		cum += h->count[b];
		if (rank <= cum) {
			*lo = hist_bucket_lo(b);
			*hi = b + 1 < HIST_BUCKETS ? hist_bucket_lo(b + 1) - 1 : UINT64_MAX;
			return;
		}
	}
	*lo = 0;
	*hi = UINT64_MAX;
}

/* Where the rank-th smallest sample lies: what the tail kept, narrowed by
 * the histogram bucket and the row's min and max. */
static struct rowstats_pct pct(const struct rowstats *r, const struct rowstats_tail *t,
			       int high, uint64_t rank_from_end, uint64_t rank_from_low)
{
	uint64_t klo, khi, lo, hi, blo, bhi;
	tail_rank(t, rank_from_end, &klo, &khi);
	if (r->overrun) {        /* the tails may miss samples: not evidence */
		klo = 0;
		khi = UINT64_MAX;
	}
	lo = high ? ~khi : klo;
	hi = high ? ~klo : khi;
	hist_rank(&r->hist, rank_from_low, &blo, &bhi);
	lo = blo > lo ? blo : lo;
	hi = bhi < hi ? bhi : hi;
	lo = r->min > lo ? r->min : lo;
	hi = r->max < hi ? r->max : hi;
	return (struct rowstats_pct){ lo, hi };
}

void rowstats_summarise(const struct rowstats *r, struct rowstats_summary *s)
{
	memset(s, 0, sizeof *s);
	uint64_t n = r->mom.n;
	if (!n)
		return;
	uint64_t ne = r->ens < ROWSTATS_MAX_ENS ? r->ens : ROWSTATS_MAX_ENS;
	s->st.n = n;
	s->st.min = r->min;
	s->st.max = r->max;
	s->st.mean = moments_mean(&r->mom);
	s->st.stdev = moments_stdev(&r->mom);
	s->st.median = rowstats_median_of(r->median, ne);
	s->p1 = pct(r, &r->low, 0, low_rank(n), rank_p1(n));
	s->p99 = pct(r, &r->high, 1, high_rank(n), rank_p99(n));
	s->st.p1 = s->p1.lo;
	s->st.p99 = s->p99.lo;
	s->ensembles = r->ens;
	s->median_spread = rowstats_spread_of(r->median, ne);
	s->min_spread = rowstats_spread_of(r->min_e, ne);
}

uint64_t rowstats_median_of(const uint64_t *v, uint64_t n)
{
	uint64_t tmp[ROWSTATS_MAX_ENS];
	if (n > ROWSTATS_MAX_ENS)
		n = ROWSTATS_MAX_ENS;
	memcpy(tmp, v, n * sizeof *v);
	sort_u64(tmp, n);
	return median_sorted(tmp, n);
}

uint64_t rowstats_spread_of(const uint64_t *v, uint64_t n)
{
	uint64_t lo = UINT64_MAX, hi = 0;
	for (uint64_t i = 0; i < n; i++) {
		lo = v[i] < lo ? v[i] : lo;
		hi = v[i] > hi ? v[i] : hi;
	}
	return n ? hi - lo : 0;
}
