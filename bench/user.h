/* user.h - what the Ring 3 harness files share. */
#ifndef RINGTRIP_USER_H
#define RINGTRIP_USER_H
#include <stdint.h>
#include "../kernel/abi.h"
#include "../kernel/shared_page.h"
#include "../lib/fmt.h"

uint64_t control_call(uint64_t number, uint64_t a1, uint64_t a2, uint64_t a3);
/* guard.asm: 1 if fn(arg) faulted (details in sh->fault), 0 if it returned */
int guarded(void (*fn)(void *), void *arg);

/* output through SVC_PRINT */
void out_write(int where, const char *s, uint64_t n);
void out_str(int where, const char *s);
void out_sb(int where, struct sbuf *sb);               /* writes and resets */
void out_kv(const char *key, const char *value);       /* "# key=value" */
void out_kv_u64(const char *key, uint64_t value);
#define ULINE(name) char name##_buf[CMDLINE_LEN + 64]; struct sbuf name; sb_init(&name, name##_buf, sizeof name##_buf)

/* machine.c */
void machine_describe(const struct rt_shared *sh);
/* clockstep.c: the TSC's step (1: it counts every tick) */
uint64_t tsc_step_measure(void);

/* the services the harness measures; a service with fixed = 1 must return
 * result (host mode: getppid), the others STATUS_SUCCESS or the checksum of
 * their arguments */
struct bench_service {
	const char *name;
	uint32_t number;
	unsigned nargs;
	int fixed;
	uint64_t result;
};
extern const struct bench_service bench_services[];
extern const unsigned bench_service_count;
void call_prepare(struct rt_call *c, const struct bench_service *s);
uint64_t call_expected(const struct rt_call *c, const struct bench_service *s);

/* selftest.c: returns the number of failures */
unsigned selftest_path(const struct rt_shared *sh, const struct rt_path_view *p);
unsigned selftest_control(const struct rt_shared *sh);

/* harness.c: rows are added per chosen path (why = NULL if it runs), then
 * measured `repeat` times, then reported with their histograms and the CRC */
uint64_t measure_baseline(const struct rt_shared *sh, const struct rt_path_view *p);
void harness_add_path(const struct rt_path_view *p, const char *why,
		      const struct bench_service *services, unsigned nservices);
void harness_ensemble(const struct rt_shared *sh);
/* the kernel's counter snapshot (SVC_COUNTERS), outside any timed region */
struct rt_snapshot bench_counters(const struct rt_shared *sh);
/* rows with bad results; tsc_step: warn where it is a large part of a median */
unsigned harness_report(const struct rt_shared *sh, uint64_t tsc_step);

/* mitig.c: the entry mitigations' rows (bare kernel only: in host mode
 * sh->mitig.probed is 0 and all of this does nothing) */
struct bench_mitig_result {
	const char *path, *service;   /* service NULL: a baseline row */
	const char *label;            /* the CSV's profile column */
	const char *why;              /* not run: the status */
	uint32_t set;                 /* the toggles it ran with */
	int bad;
	uint64_t median;
};
void bench_mitig_init(const struct rt_shared *sh);     /* + its metadata */
/* the set path p's main rows run with, and their label: the profile's
 * name, "custom" (mitigations=), "minimal"; NULL in host mode */
uint32_t bench_mitig_main(const struct rt_path_view *p);
const char *bench_mitig_main_label(const struct rt_path_view *p);
/* the extra rows of path i (harness_add_row), after its main rows, on the
 * services chosen for it (null and args4, where chosen) */
void bench_mitig_rows(const struct rt_shared *sh, unsigned i, const char *why,
		      const struct bench_service *services, unsigned nservices);
/* the kernel refuses every toggle this CPU cannot run: '# selftest
 * mitigations/...' lines; returns the failures */
unsigned bench_mitig_selftests(const struct rt_shared *sh);
void bench_mitig_screen(const struct rt_shared *sh, const struct bench_mitig_result *r,
			unsigned n);
/* harness.c: one row of path p on service s with the toggles in set,
 * labelled label in the CSV's profile column (why: not run, the status) */
void harness_add_row(const struct rt_path_view *p, const char *why,
		     const struct bench_service *s, uint32_t set, const char *label);

#endif
