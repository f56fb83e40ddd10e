/* host.h - what host mode's files share beyond bench/: the machine's
 * environment as CSV metadata (env.c) and core cycles and instructions
 * from perf_event_open (perf.c). Both read /proc and /sys under a root
 * prefix ("" on a real run) so the unit tests can hand them a made-up tree.
 * Plain libc only: the unit tests link these files alone. */
#ifndef RINGTRIP_HOST_H
#define RINGTRIP_HOST_H
#include <stddef.h>
#include <stdint.h>
#include <sys/utsname.h>

/* the longest CSV line host mode writes, '\n' not counted: as the bare
 * kernel's lines (CMDLINE_LEN - 1) */
#define HOST_LINE_MAX 511

/* receives one metadata line's key and value (already clean and short
 * enough: see host_emit) */
typedef void (*host_emit_fn)(void *ctx, const char *key, const char *value);

/* "# key=value" lines: the value's control characters and bytes outside
 * ASCII become '?'; a value too long for one line of HOST_LINE_MAX is
 * continued under key.2, key.3, ... (the parts concatenated give it back,
 * byte for byte) */
void host_emit(host_emit_fn emit, void *ctx, const char *key, const char *value);
/* the first line of root/path, without its newline, in buf: 0, or errno */
int host_read_line(const char *root, const char *path, char *buf, size_t cap);
/* "ENOENT", "EACCES", ... or "errno-N" */
const char *host_errno_name(int err);

/* env.c: kernel_release/_version/_machine, kernel_cmdline, every
 * vulnerability.<name>, smt, clocksource, cpufreq_* of this cpu, cpu_boost */
void host_env_describe(const char *root, int cpu, const struct utsname *u,
		       host_emit_fn emit, void *ctx);

/* perf.c */
#define HOST_PARANOID_UNKNOWN (-1000)
struct host_pmu {
	int ok;                     /* 1: rdpmc reads both counters */
	uint32_t ecx_cycles;        /* rdpmc's ECX for each counter */
	uint32_t ecx_instructions;
	char pmu[48];               /* pmu=: "linux-perf" or "unavailable:<why>" */
	char detail[320];           /* pmu_detail=: what happened, in words */
	char pmu_name[32];          /* the perf PMU: "cpu", "cpu_core", ... */
	int paranoid;               /* kernel.perf_event_paranoid */
};
/* pmu and detail for perf_event_open failing with err */
void host_perf_reason(int err, int paranoid, struct host_pmu *p);
/* 1 if cpu is in a kernel CPU list such as "0-3,8,10-11" */
int host_cpulist_has(const char *list, int cpu);
/* The perf PMU that counts on cpu: "cpu" (one core type: type 0 means
 * PERF_TYPE_HARDWARE's generic events), or on a hybrid CPU the cpu_*
 * PMU whose cpus list has it, with its perf type. 0, or -1 if none. */
int host_perf_pmu(const char *root, int cpu, uint32_t *type, char *name, size_t cap);
/* Opens core cycles and instructions retired, user and kernel, for this
 * thread (pinned to cpu), and checks that rdpmc reads them; with
 * enabled = 0 (perf=off) only says so. Fills p either way. */
void host_perf_open(const char *root, int cpu, int enabled, struct host_pmu *p);
/* pmu_detail=, pmu_counting=, pmu_events=, perf_event_paranoid= */
void host_perf_describe(const struct host_pmu *p, host_emit_fn emit, void *ctx);

#endif
