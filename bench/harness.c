/* harness.c - the timing loop and what it keeps (the screen table: screen.c).
 *
 * A row is one (path, service). The suite runs `repeat` times (ensembles);
 * each time, per row: warm-up calls (not kept), then `iterations` timed
 * samples into the sample buffer, each of batch=K back-to-back round trips
 * (default 1) and each checked against the expected result; the path's
 * NOP-baseline minimum (measured again in that ensemble, also of K) is
 * subtracted and the rest divided by K, and the samples are added to the
 * row's statistics over all ensembles (rowstats.h: its definitions) and its
 * histogram. Where the PMU is open to Ring 3 the row is measured twice
 * more, counting core cycles and instructions retired with rdpmc. */
#include "user.h"
#include "csv.h"
#include "hist.h"
#include "rowstats.h"
#include "screen.h"
#include "stats.h"
#include "../lib/options.h"
#include "../lib/string.h"
#include "../lib/tscfreq.h"
#include "../lib/mitig.h"

struct row_acc {
	const struct rt_path_view *path;
	const struct bench_service *service;   /* NULL: the baseline row */
	const char *why;                       /* not runnable: the status */
	uint64_t bad;
	struct rowstats rs;      /* the samples of every ensemble; rs.ens */
	uint64_t overhead[MAX_REPEAT], cycles[MAX_REPEAT], instructions[MAX_REPEAT];
	uint64_t service_cost;   /* SVC_SERVICE_COST | valid bit, or 0 */
	/* over every ensemble's timed samples: APERF, MPERF, SMIs */
	uint64_t d_aperf, d_mperf, d_smi;
	/* the entry mitigations it runs with (bench/mitig.c): the toggles,
	 * the CSV's profile column, and the set as the mitigations column
	 * and the '# hist' key's "@variant" write it */
	uint32_t set;
	const char *label;
	char set_text[100];
	int matrix;                 /* a bench_mitig_rows() row: not on the
				       main screen table */
};

/* a path's main rows, and up to 18 more for the mitigation matrix */
#define MAX_ROWS (MAX_PATHS * 16)
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

/* batch=K: K crossings per sample - except on a path that must undo each
 * crossing (exc_pf: the page is mapped by the first), which runs one */
static uint64_t batch_of(const struct rt_shared *sh, const struct rt_path_view *p)
{
	return p->reset || !sh->batch ? 1 : sh->batch;
}

static void prepare(struct rt_call *c, const struct rt_shared *sh,
		    const struct rt_path_view *p, const struct bench_service *s, uint64_t pmc)
{
	call_prepare(c, s);
	c->pmc = pmc;
	c->batch = batch_of(sh, p);
}

/* A sample of K crossings, its baseline (K NOPs) subtracted, per crossing:
 * (ticks - baseline) / K, rounded down - under icount exactly what one
 * crossing adds, whatever K is. */
static void per_crossing(uint64_t *samples, uint64_t n, uint64_t k)
{
	if (k > 1)
		for (uint64_t i = 0; i < n; i++)
			samples[i] /= k;
}

/* SVC_COUNTERS: the kernel's snapshot of TSC, APERF, MPERF and the SMI
 * count, outside the timed region; nothing where neither counts */
struct rt_snapshot bench_counters(const struct rt_shared *sh)
{
	if (sh->core_clock_ok || sh->smi_count_ok)
		control_call(SVC_COUNTERS, 0, 0, 0);
	return sh->snap;
}

/* the minimum of a baseline stub over `iterations` samples (of K NOPs) */
static uint64_t baseline_min(const struct rt_shared *sh, const struct rt_path_view *p,
			     uint64_t stub, uint64_t pmc)
{
	struct rt_call c;
	struct stats st;
	prepare(&c, sh, p, &baseline_service, pmc);
	run(sh, p, stub, &c, 0, 0);
	stats_compute((uint64_t *)sh->samples_va, sh->iterations, &st);
	return st.min;
}

/* per crossing, as the rows' overhead column */
uint64_t measure_baseline(const struct rt_shared *sh, const struct rt_path_view *p)
{
	return baseline_min(sh, p, p->baseline, 0) / batch_of(sh, p);
}

static void add_row(const struct rt_path_view *p, const char *why,
		    const struct bench_service *s, uint32_t set, const char *label)
{
	if (nrows == MAX_ROWS)
		return;
	struct row_acc *r = &rows[nrows++];
	r->path = p;
	r->service = s;
	r->why = why;
	r->set = set;
	r->label = label;
	struct sbuf t;
	sb_init(&t, r->set_text, sizeof r->set_text);
	if (label)
		mitig_format(&t, set);
}

void harness_add_path(const struct rt_path_view *p, const char *why,
		      const struct bench_service *services, unsigned nservices)
{
	uint32_t set = bench_mitig_main(p);
	const char *label = bench_mitig_main_label(p);
	for (unsigned s = 0; s <= nservices; s++)
		add_row(p, why, s ? &services[s - 1] : 0, set, label);
}

void harness_add_row(const struct rt_path_view *p, const char *why,
		     const struct bench_service *s, uint32_t set, const char *label)
{
	unsigned n = nrows;
	add_row(p, why, s, set, label);
	if (nrows > n)
		rows[n].matrix = 1;
}

/* The '# hist' line's service: "null", or "null@<variant>" for a row not
 * under the minimal profile - the profile's name, or the toggle set of a
 * toggle or custom row - so each row's histogram has a key of its own
 * (results/ringtrip_csv.py's row_key() reads the same from the columns). */
static const char *hist_service(const struct row_acc *r, const char *service, char *buf,
				unsigned cap)
{
	if (!r->label || !strcmp(r->label, "minimal"))
		return service;
	struct sbuf sb;
	sb_init(&sb, buf, cap);
	sb_puts(&sb, service);
	sb_putc(&sb, '@');
	sb_puts(&sb, !strcmp(r->label, "toggle") || !strcmp(r->label, "custom") ?
		r->set_text : r->label);
	return sb_str(&sb);
}

static struct bench_mitig_result mitig_results[MAX_ROWS];

/* one pass of a row counting with rdpmc: its median, overhead off */
static uint64_t pmc_median(const struct rt_shared *sh, const struct row_acc *r,
			   const struct bench_service *s, uint64_t pmc, uint64_t overhead)
{
	uint64_t *samples = (uint64_t *)sh->samples_va;
	struct rt_call c;
	struct stats st;
	prepare(&c, sh, r->path, s, pmc);
	run(sh, r->path, r->service ? r->path->invoke_pmc : r->path->baseline_pmc, &c, 0, 0);
	subtract_overhead(samples, sh->iterations, overhead);
	per_crossing(samples, sh->iterations, c.batch);
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

	prepare(&c, sh, r->path, s, 0);
	struct rt_snapshot before = bench_counters(sh);
	if (r->service)
		run(sh, r->path, r->path->invoke, &c, call_expected(&c, s), &r->bad);
	else
		run(sh, r->path, r->path->baseline, &c, 0, 0);
	struct rt_snapshot after = bench_counters(sh);
	/* the service alone, in Ring 0, once per row (host mode: not there) */
	if (!e && r->service && !(r->path->flags & PATH_EXCEPTION))
		r->service_cost = control_call(SVC_SERVICE_COST, s->number, (uint64_t)&c, 0);
	r->d_aperf += after.aperf - before.aperf;
	r->d_mperf += after.mperf - before.mperf;
	r->d_smi += after.smi - before.smi;
	subtract_overhead(samples, sh->iterations, ovh);
	per_crossing(samples, sh->iterations, c.batch);
	if (!e)
		row_start(sh, r);
	rowstats_add(&r->rs, samples, sh->iterations);     /* sorts them */

	r->overhead[e] = ovh / c.batch;
	if (sh->pmc_ok) {
		r->cycles[e] = pmc_median(sh, r, s, sh->pmc_cycles, ovh_cycles);
		r->instructions[e] = pmc_median(sh, r, s, sh->pmc_instructions, ovh_instr);
	}
}

/* One ensemble: every runnable row once. */
void harness_ensemble(const struct rt_shared *sh)
{
	const struct rt_path_view *current = 0;
	uint32_t current_set = 0;
	uint64_t ovh = 0, ovh_cycles = 0, ovh_instr = 0;
	for (unsigned i = 0; i < nrows; i++) {
		struct row_acc *r = &rows[i];
		if (r->why)
			continue;
		/* another toggle set on the same path: its stub, same baseline */
		if (r->path == current && r->set != current_set) {
			current_set = r->set;
			control_call(SVC_SELECT_PATH, (uint64_t)(r->path - sh->path), r->set, 0);
		}
		if (r->path != current) {
			current = r->path;
			current_set = r->set;
			control_call(SVC_SELECT_PATH, (uint64_t)(r->path - sh->path), r->set, 0);
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
	c->profile = r->label;
	c->mitigations = r->label ? r->set_text : 0;
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
	if (sh->core_clock_ok && r->d_mperf) {
		c->has_core_clock = 1;
		c->median_core_cycles = core_cycles_from_ticks(c->st.median, r->d_aperf,
							       r->d_mperf);
		c->core_mhz = core_mhz(sh->tsc_hz, r->d_aperf, r->d_mperf);
	}
	if ((r->service_cost >> 32) == (SERVICE_COST_VALID >> 32)) {
		c->has_service_cost = 1;
		c->service_cost = (uint32_t)r->service_cost;
	}
	if (sh->smi_count_ok) {
		c->has_smis = 1;
		c->smis = r->d_smi;
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

/* A TSC that moves in steps cannot resolve less than a step: say so where
 * the step is more than 5% of a row's median (per crossing: step / K). */
static void warn_tsc_step(const struct rt_shared *sh, uint64_t step,
			  const struct screen_row *row, unsigned n)
{
	uint64_t k = sh->batch ? sh->batch : 1;
	unsigned coarse = 0, worst = 0;
	for (unsigned i = 0; i < n; i++) {
		if (row[i].why || !row[i].service || step * 20 <= row[i].median * k)
			continue;
		if (!coarse++ || row[i].median < row[worst].median)
			worst = i;
	}
	if (step <= 1 || !coarse)
		return;
	ULINE(l);
	sb_puts(&l, "# warning: the TSC moves in steps of ");
	sb_u64(&l, step);
	sb_puts(&l, " ticks, more than 5% of the median of ");
	sb_u64(&l, coarse);
	sb_puts(&l, " rows (smallest: ");
	sb_puts(&l, row[worst].path);
	sb_putc(&l, '/');
	sb_puts(&l, row[worst].service);
	sb_puts(&l, " at ");
	sb_u64(&l, row[worst].median);
	sb_puts(&l, "); batch=K measures K crossings per sample");
	sb_endline(&l);
	out_sb(PRINT_SERIAL | PRINT_SCREEN, &l);
}

/* The header, every row (each followed by its histogram) and the trailer
 * with the CRC of everything before it. Returns the number of rows with
 * wrong results. */
unsigned harness_report(const struct rt_shared *sh, uint64_t tsc_step)
{
	unsigned bad_rows = 0;
	char hbuf[512];
	int crc_ok;
	ULINE(l);
	csv_header(&l);
	out_sb(PRINT_SERIAL, &l);
	unsigned nshown = 0;
	for (unsigned i = 0; i < nrows; i++) {
		struct csv_row c;
		struct rowstats_summary rs;
		char status[40], hkey[160];
		row_summary(sh, &rows[i], &c, &rs, status, sizeof status);
		csv_format_row(&l, &c);
		out_sb(PRINT_SERIAL, &l);
		if (!rows[i].matrix)
			shown[nshown++] = (struct screen_row){
				.path = rows[i].path->name, .why = rows[i].why,
				.service = rows[i].service ? rows[i].service->name : 0,
				.exception = !!(rows[i].path->flags & PATH_EXCEPTION),
				.bad = rows[i].bad != 0, .median = c.st.median };
		mitig_results[i] = (struct bench_mitig_result){
			.path = c.path, .service = rows[i].service ? c.service : 0,
			.label = rows[i].label, .why = rows[i].why, .set = rows[i].set,
			.bad = rows[i].bad != 0, .median = c.st.median };
		if (!rows[i].why && rows[i].rs.ens) {
			hist_format(&rows[i].rs.hist, c.path,
				    hist_service(&rows[i], c.service, hkey, sizeof hkey),
				    hbuf, sizeof hbuf, emit_serial, 0);
			pct_warning("p1", &rs.p1, &c);
			pct_warning("p99", &rs.p99, &c);
		}
		bad_rows += rows[i].bad ? 1 : 0;
	}
	warn_tsc_step(sh, tsc_step, shown, nshown);
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
	screen_table(sh, shown, nshown);
	bench_mitig_screen(sh, mitig_results, nrows);
	return bad_rows;
}
