/* harness.c - the timing loop. For each (path, service): warm-up calls
 * (not kept), then `iterations` timed round trips into the sample buffer,
 * each checked against the expected result; then the path's baseline
 * minimum is subtracted from every sample and the statistics computed. */
#include "user.h"
#include "csv.h"
#include "stats.h"

static void run(const struct rt_shared *sh, rt_stub_fn stub,
		const struct rt_call *c, uint64_t expected, uint64_t *bad)
{
	uint64_t *samples = (uint64_t *)sh->samples_va, t;
	for (uint64_t i = 0; i < sh->warmup; i++)
		stub(c, &t);
	for (uint64_t i = 0; i < sh->iterations; i++) {
		uint64_t r = stub(c, &samples[i]);
		if (bad && r != expected)
			(*bad)++;
	}
}

uint64_t measure_baseline(const struct rt_shared *sh, const struct rt_path_view *p)
{
	struct rt_call c;
	struct stats st;
	call_prepare(&c, &bench_services[0]);
	run(sh, (rt_stub_fn)p->baseline, &c, 0, 0);
	stats_compute((uint64_t *)sh->samples_va, sh->iterations, &st);
	return st.min;
}

static void print_row(const struct csv_row *r)
{
	ULINE(l);
	csv_format_row(&l, r);
	out_sb(PRINT_SERIAL, &l);

	sb_puts(&l, "  ");
	sb_puts(&l, r->path);
	sb_putc(&l, ' ');
	sb_puts(&l, r->service);
	sb_puts(&l, ": ");
	if (r->st.n) {
		sb_puts(&l, "median ");
		sb_u64(&l, r->st.median);
		sb_puts(&l, " min ");
		sb_u64(&l, r->st.min);
		sb_puts(&l, " p99 ");
		sb_u64(&l, r->st.p99);
		sb_putc(&l, ' ');
	}
	sb_puts(&l, r->status);
	sb_putc(&l, '\n');
	out_sb(PRINT_SCREEN, &l);
}

unsigned measure_row(const struct rt_shared *sh, const struct rt_path_view *p,
		     const struct bench_service *s, uint64_t overhead)
{
	struct rt_call c;
	struct csv_row r = { .path = p->name, .service = s->name,
			     .args = s->nargs, .status = "ok", .overhead = overhead };
	char status[40];
	uint64_t bad = 0;
	uint64_t *samples = (uint64_t *)sh->samples_va;

	call_prepare(&c, s);
	run(sh, (rt_stub_fn)p->invoke, &c, call_expected(&c, s), &bad);
	subtract_overhead(samples, sh->iterations, overhead);
	stats_compute(samples, sh->iterations, &r.st);
	if (bad) {
		struct sbuf sb;
		sb_init(&sb, status, sizeof status);
		sb_puts(&sb, "bad-result:");
		sb_u64(&sb, bad);
		r.status = status;
	}
	print_row(&r);
	return bad ? 1 : 0;
}

/* The NOP baseline itself as a row: what subtracting its minimum leaves.
 * Under -icount it is exactly 0 everywhere; on hardware its spread is the
 * measurement's own noise floor. */
unsigned measure_baseline_row(const struct rt_shared *sh, const struct rt_path_view *p,
			      uint64_t overhead)
{
	struct rt_call c;
	struct csv_row r = { .path = p->name, .service = "baseline", .args = 0,
			     .status = "ok", .overhead = overhead };
	uint64_t *samples = (uint64_t *)sh->samples_va;
	call_prepare(&c, &bench_services[0]);
	run(sh, (rt_stub_fn)p->baseline, &c, 0, 0);
	subtract_overhead(samples, sh->iterations, overhead);
	stats_compute(samples, sh->iterations, &r.st);
	print_row(&r);
	return 0;
}

void print_unsupported_row(const struct rt_path_view *p, const char *service,
			   unsigned nargs, const char *status)
{
	struct csv_row r = { .path = p->name, .service = service, .args = nargs,
			     .status = status };
	print_row(&r);
}
