/* harness.c - the timing loop and what it keeps (the screen table: screen.c).
 *
 * A row is one (path, service). The suite runs `repeat` times (ensembles);
 * each time, per row: warm-up calls (not kept), then `iterations` timed round
 * trips into the sample buffer, each checked against the expected result;
 * the path's NOP-baseline minimum (measured again in that ensemble) is
 * subtracted and the samples are added to the row's statistics over all
 * ensembles (rowstats.h: its definitions) and its histogram. Where the PMU
 * is open to Ring 3 the row is measured twice more, counting core cycles
 * and instructions retired with rdpmc. */
#include "user.h"
#include "csv.h"
#include "hist.h"
#include "rowstats.h"
#include "screen.h"
#include "stats.h"
#include "../lib/options.h"
#include "../lib/string.h"
#include "../lib/tscfreq.h"

struct row_acc {
	const struct rt_path_view *path;
	const struct bench_service *service;   /* NULL: the baseline row */
	const char *why;                       /* not runnable: the status */
	uint64_t bad;
	struct rowstats rs;      /* the samples of every ensemble; rs.ens */
	uint64_t overhead[MAX_REPEAT], cycles[MAX_REPEAT], instructions[MAX_REPEAT];
};

#define MAX_ROWS (MAX_PATHS * 8)
static struct row_acc rows[MAX_ROWS];
static unsigned nrows;
/* What the rows keep of their p1/p99 tails: one pool split evenly among
 * the rows that run (rowstats.h, "Exactness of p1 and p99"). 3 MiB: some
 * 1600 distinct values per tail for a full suite; ROWSTATS_CAP_MAX (8192)
 * for up to 12 rows, which at the default counts (ceil(N/100) = 5000)
 * makes every p1 and p99 exact whatever the samples. */
#define TAIL_POOL (6 * 32768)
static struct rowstats_tail_entry tail_pool[TAIL_POOL];
static struct screen_row shown[MAX_ROWS];   /* what the screen table shows */
static const struct bench_service baseline_service = { .name = "baseline", .number = SVC_NULL };

/* A path may need something undone after each sample (exc_pf: unmap the
 * page again); that control call is outside the timed region. */
static void run(const struct rt_shared *sh, const struct rt_path_view *p, uint64_t stub,
		const struct rt_call *c, uint64_t expected, uint64_t *bad)
{
	rt_stub_fn fn = (rt_stub_fn)stub;
	uint64_t *samples = (uint64_t *)sh->samples_va, t;
	for (uint64_t i = 0; i < sh->warmup; i++) {
		fn(c, &t);
		if (p->reset)
			control_call(p->reset, 0, 0, 0);
	}
	for (uint64_t i = 0; i < sh->iterations; i++) {
		uint64_t r = fn(c, &samples[i]);
		if (p->reset)
			control_call(p->reset, 0, 0, 0);
		if (bad && r != expected)
			(*bad)++;
	}
}

/* the minimum of a baseline stub over `iterations` samples */
static uint64_t baseline_min(const struct rt_shared *sh, const struct rt_path_view *p,
			     uint64_t stub, uint64_t pmc)
{
	struct rt_call c;
	struct stats st;
	call_prepare(&c, &baseline_service);
	c.pmc = pmc;
	run(sh, p, stub, &c, 0, 0);
	stats_compute((uint64_t *)sh->samples_va, sh->iterations, &st);
	return st.min;
}

uint64_t measure_baseline(const struct rt_shared *sh, const struct rt_path_view *p)
{
	return baseline_min(sh, p, p->baseline, 0);
}

void harness_add_path(const struct rt_path_view *p, const char *why,
		      const struct bench_service *services, unsigned nservices)
{
	for (unsigned s = 0; s <= nservices && nrows < MAX_ROWS; s++) {
		struct row_acc *r = &rows[nrows++];
		r->path = p;
		r->service = s ? &services[s - 1] : 0;
		r->why = why;
	}
}

/* one pass of a row counting with rdpmc: its median, overhead off */
static uint64_t pmc_median(const struct rt_shared *sh, const struct row_acc *r,
			   const struct bench_service *s, uint64_t pmc, uint64_t overhead)
{
	uint64_t *samples = (uint64_t *)sh->samples_va;
	struct rt_call c;
	struct stats st;
	call_prepare(&c, s);
	c.pmc = pmc;
	run(sh, r->path, r->service ? r->path->invoke_pmc : r->path->baseline_pmc, &c, 0, 0);
	subtract_overhead(samples, sh->iterations, overhead);
	stats_compute(samples, sh->iterations, &st);
	return st.median;
}

/* a row's first ensemble: its share of the tail pool, its planned samples */
static void row_start(const struct rt_shared *sh, struct row_acc *r)
{
	uint64_t runnable = 0, slot = 0;
	for (unsigned i = 0; i < nrows; i++) {
		slot += !rows[i].why && &rows[i] < r;
		runnable += !rows[i].why;
	}
	uint64_t cap = TAIL_POOL / 2 / runnable;
	rowstats_init(&r->rs, sh->iterations * sh->repeat, tail_pool + 2 * cap * slot, cap);
}

static void measure_one(const struct rt_shared *sh, struct row_acc *r, uint64_t ovh,
			uint64_t ovh_cycles, uint64_t ovh_instr)
{
	const struct bench_service *s = r->service ? r->service : &baseline_service;
	uint64_t *samples = (uint64_t *)sh->samples_va;
	uint64_t e = r->rs.ens;
	struct rt_call c;

	call_prepare(&c, s);
	if (r->service)
		run(sh, r->path, r->path->invoke, &c, call_expected(&c, s), &r->bad);
	else
		run(sh, r->path, r->path->baseline, &c, 0, 0);
	subtract_overhead(samples, sh->iterations, ovh);
	if (!e)
		row_start(sh, r);
	rowstats_add(&r->rs, samples, sh->iterations);     /* sorts them */

	r->overhead[e] = ovh;
	if (sh->pmc_ok) {
		r->cycles[e] = pmc_median(sh, r, s, sh->pmc_cycles, ovh_cycles);
		r->instructions[e] = pmc_median(sh, r, s, sh->pmc_instructions, ovh_instr);
	}
}

/* One ensemble: every runnable row once. */
void harness_ensemble(const struct rt_shared *sh)
{
	const struct rt_path_view *current = 0;
	uint64_t ovh = 0, ovh_cycles = 0, ovh_instr = 0;
	for (unsigned i = 0; i < nrows; i++) {
		struct row_acc *r = &rows[i];
		if (r->why)
			continue;
		if (r->path != current) {
			current = r->path;
			control_call(SVC_SELECT_PATH, (uint64_t)(r->path - sh->path), 0, 0);
			ovh = baseline_min(sh, r->path, r->path->baseline, 0);
			if (sh->pmc_ok) {
				ovh_cycles = baseline_min(sh, r->path, r->path->baseline_pmc,
							  sh->pmc_cycles);
				ovh_instr = baseline_min(sh, r->path, r->path->baseline_pmc,
							 sh->pmc_instructions);
			}
			out_str(PRINT_SCREEN, " ");
			out_str(PRINT_SCREEN, r->path->name);
		}
		measure_one(sh, r, ovh, ovh_cycles, ovh_instr);
	}
	out_str(PRINT_SCREEN, "\n");
}

static void row_summary(const struct rt_shared *sh, const struct row_acc *r,
			struct csv_row *c, struct rowstats_summary *rs,
			char *status, unsigned cap)
{
	memset(c, 0, sizeof *c);
	memset(rs, 0, sizeof *rs);
	c->path = r->path->name;
	c->service = r->service ? r->service->name : "baseline";
	c->args = r->service ? r->service->nargs : 0;
	c->status = r->why ? r->why : "ok";
	if (r->why || !r->rs.ens)
		return;
	uint64_t n = r->rs.ens;
	rowstats_summarise(&r->rs, rs);
	c->st = rs->st;
	c->overhead = rowstats_median_of(r->overhead, n);
	c->ensembles = rs->ensembles;
	c->median_spread = rs->median_spread;
	c->min_spread = rs->min_spread;
	if (sh->tsc_hz && !sh->clock_icount) {
		c->has_ns = 1;
		c->median_ns_tenths = ticks_to_ns_tenths(c->st.median, sh->tsc_hz);
	}
	if (sh->pmc_ok) {
		c->has_cycles = c->has_instructions = 1;
		c->median_cycles = rowstats_median_of(r->cycles, n);
		c->median_instructions = rowstats_median_of(r->instructions, n);
	}
	if (r->bad) {
		struct sbuf sb;
		sb_init(&sb, status, cap);
		sb_puts(&sb, "bad-result:");
		sb_u64(&sb, r->bad);
		c->status = status;
	}
}

static void emit_serial(const char *line, uint64_t len, void *ctx)
{
	(void)ctx;
	out_write(PRINT_SERIAL, line, len);
}

/* A p1 or p99 the row could not keep exactly (rowstats.h, "Exactness"):
 * say where it lies; the column holds the lower end. */
static void pct_warning(const char *name, const struct rowstats_pct *p,
			const struct csv_row *c)
{
	if (p->lo == p->hi)
		return;
	ULINE(l);
	sb_puts(&l, "# warning: ");
	sb_puts(&l, name);
	sb_puts(&l, " of ");
	csv_field(&l, c->path);
	sb_putc(&l, ',');
	csv_field(&l, c->service);
	sb_puts(&l, " is not exact: it lies in [");
	sb_u64(&l, p->lo);
	sb_puts(&l, ", ");
	sb_u64(&l, p->hi);
	sb_puts(&l, "]; the column holds ");
	sb_u64(&l, p->lo);
	sb_endline(&l);
	out_sb(PRINT_SERIAL, &l);
}

/* The trailer's crc32 (CSV version 2): the CRC-32 of every byte sent to
 * serial since the capture's first line - metadata, self-tests, warnings,
 * header, rows, histograms - which the control gate keeps as they pass
 * (SVC_OUTPUT_CRC). 0 with *ok = 0 if it did not answer. */
static uint32_t output_crc(int *ok)
{
	uint64_t r = control_call(SVC_OUTPUT_CRC, 0, 0, 0);
	*ok = (r >> 32) == (OUTPUT_CRC_VALID >> 32);
	return (uint32_t)r;
}

/* The header, every row (each followed by its histogram) and the trailer
 * with the CRC of everything before it. Returns the number of rows with
 * wrong results. */
unsigned harness_report(const struct rt_shared *sh)
{
	unsigned bad_rows = 0;
	char hbuf[512];
	int crc_ok;
	ULINE(l);
	csv_header(&l);
	out_sb(PRINT_SERIAL, &l);
	for (unsigned i = 0; i < nrows; i++) {
		struct csv_row c;
		struct rowstats_summary rs;
		char status[40];
		row_summary(sh, &rows[i], &c, &rs, status, sizeof status);
		csv_format_row(&l, &c);
		out_sb(PRINT_SERIAL, &l);
		shown[i] = (struct screen_row){
			.path = rows[i].path->name, .why = rows[i].why,
			.service = rows[i].service ? rows[i].service->name : 0,
			.exception = !!(rows[i].path->flags & PATH_EXCEPTION),
			.bad = rows[i].bad != 0, .median = c.st.median };
		if (!rows[i].why && rows[i].rs.ens) {
			hist_format(&rows[i].rs.hist, c.path, c.service, hbuf, sizeof hbuf,
				    emit_serial, 0);
			pct_warning("p1", &rs.p1, &c);
			pct_warning("p99", &rs.p99, &c);
		}
		bad_rows += rows[i].bad ? 1 : 0;
	}
	uint32_t crc = output_crc(&crc_ok);
	if (crc_ok) {
		csv_trailer(&l, nrows, crc);
	} else {
		/* never with this kernel; a trailer without crc32= is refused
		 * by every reader of a csv=2 file, as it should be */
		sb_puts(&l, "# error: the output CRC service did not answer\n# end rows=");
		sb_u64(&l, nrows);
		sb_endline(&l);
		bad_rows++;
	}
	out_sb(PRINT_SERIAL, &l);
	screen_table(sh, shown, nrows);
	return bad_rows;
}
