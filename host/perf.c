/* perf.c - core cycles and instructions retired in host mode.
 *
 * The TSC ticks at a fixed rate whatever the core's clock does, so host
 * mode also counts what the bare kernel counts with its PMU: unhalted core
 * cycles and instructions retired, in user and kernel mode alike (a system
 * call's cost is mostly the kernel's). Linux owns the PMU, so the counters
 * come from perf_event_open: one pinned group of the two generic hardware
 * events for this thread, which is pinned to one CPU. Each event's page
 * (mmap) says whether user space may read it with rdpmc
 * (cap_user_rdpmc, /sys/bus/event_source/devices/cpu/rdpmc) and which
 * counter it is in (index - 1 is rdpmc's ECX); then the harness's *_pmc
 * stubs time every sample with rdpmc exactly as on the bare kernel, and
 * median_cycles / median_instructions fill in.
 *
 * Where that is not possible pmu= says why in a word and pmu_detail= in a
 * sentence: kernel.perf_event_paranoid above 1 without CAP_PERFMON (the
 * kernel may not be counted), ENOENT (no hardware PMU: most VMs), a
 * seccomp filter, rdpmc disabled, a counter not scheduled.
 *
 * The counter a pinned event sits in does not change while the thread
 * runs on one CPU; a sample that straddles a context switch (the counter
 * is saved and reloaded) or a wrap at the counter's width is an outlier,
 * which the medians ignore. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <linux/perf_event.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "host/host.h"

#define EVENT_DEVICES "/sys/bus/event_source/devices"

static int paranoid_level(const char *root)
{
	char buf[32], *end;
	if (host_read_line(root, "/proc/sys/kernel/perf_event_paranoid", buf, sizeof buf))
		return HOST_PARANOID_UNKNOWN;
	long v = strtol(buf, &end, 10);
	return end == buf ? HOST_PARANOID_UNKNOWN : (int)v;
}

#define SET(field, ...) snprintf(p->field, sizeof p->field, __VA_ARGS__)

void host_perf_reason(int err, int paranoid, struct host_pmu *p)
{
	const char *name = host_errno_name(err);
	char level[16];
	if (paranoid == HOST_PARANOID_UNKNOWN)
		snprintf(level, sizeof level, "unknown");
	else
		snprintf(level, sizeof level, "%d", paranoid);
	p->ok = 0;
	SET(pmu, "unavailable:%s", name);
	switch (err) {
	case EACCES:
	case EPERM:
		if (paranoid == HOST_PARANOID_UNKNOWN || paranoid > 1) {
			SET(pmu, "unavailable:perf_event_paranoid=%s", level);
			SET(detail, "perf_event_open refused to count the kernel (%s): "
			    "kernel.perf_event_paranoid=%s lets only CAP_PERFMON or CAP_SYS_ADMIN "
			    "do that; run as root or set it to 1 (sysctl "
			    "kernel.perf_event_paranoid=1)", name, level);
		} else {
			SET(detail, "perf_event_open refused (%s) though "
			    "kernel.perf_event_paranoid=%s allows it: a seccomp filter or a "
			    "security module (a container's, say) forbids it", name, level);
		}
		break;
	case ENOENT:
		SET(detail, "the kernel has no hardware PMU for this CPU (ENOENT for the "
		    "cycles event): a VM without a virtual PMU, or no perf driver for this "
		    "CPU model");
		break;
	case ENODEV:
		SET(detail, "the PMU cannot count this event on this CPU (ENODEV)");
		break;
	case EOPNOTSUPP:
		SET(detail, "the PMU cannot count here (EOPNOTSUPP): no PMU interrupt, or a "
		    "hypervisor's reduced virtual PMU");
		break;
	case ENOSYS:
		SET(detail, "no perf_event_open (ENOSYS): a kernel without CONFIG_PERF_EVENTS, "
		    "or a seccomp filter");
		break;
	case EINVAL:
		SET(detail, "the kernel rejected the events (EINVAL): too old for a hybrid "
		    "CPU's PMU type, or an attribute it does not know");
		break;
	case EBUSY:
	case ENOSPC:
		SET(detail, "the counters are taken (%s): another perf user, the NMI "
		    "watchdog or a pinned event holds them", name);
		break;
	default:
		SET(detail, "perf_event_open failed: %s (%s)", strerror(err), name);
	}
}

int host_cpulist_has(const char *list, int cpu)
{
	const char *s = list;
	while (*s) {
		char *end;
		long lo = strtol(s, &end, 10), hi;
		if (end == s)
			return 0;
		hi = lo;
		s = end;
		if (*s == '-') {
			hi = strtol(s + 1, &end, 10);
			if (end == s + 1)
				return 0;
			s = end;
		}
		if (cpu >= lo && cpu <= hi)
			return 1;
		if (*s != ',')
			return 0;
		s++;
	}
	return 0;
}

int host_perf_pmu(const char *root, int cpu, uint32_t *type, char *name, size_t cap)
{
	char buf[4096], dir[512], path[512];
	*type = 0;
	snprintf(name, cap, "none");
	if (!host_read_line(root, EVENT_DEVICES "/cpu/type", buf, sizeof buf)) {
		snprintf(name, cap, "cpu");     /* one core type: the generic events */
		return 0;
	}
	/* a hybrid CPU: cpu_core, cpu_atom, ... each with its CPUs and type */
	snprintf(dir, sizeof dir, "%s%s", root, EVENT_DEVICES);
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	int found = -1;
	for (struct dirent *e; found && (e = readdir(d));) {
		if (strncmp(e->d_name, "cpu_", 4) || strlen(e->d_name) > 64)
			continue;
		snprintf(path, sizeof path, EVENT_DEVICES "/%s/cpus", e->d_name);
		if (host_read_line(root, path, buf, sizeof buf) || !host_cpulist_has(buf, cpu))
			continue;
		snprintf(path, sizeof path, EVENT_DEVICES "/%s/type", e->d_name);
		char *end;
		if (host_read_line(root, path, buf, sizeof buf))
			continue;
		unsigned long t = strtoul(buf, &end, 10);
		if (end == buf)
			continue;
		*type = (uint32_t)t;
		snprintf(name, cap, "%s", e->d_name);
		found = 0;
	}
	closedir(d);
	return found;
}

/* ---- opening and checking ------------------------------------------------ */

static int fds[2] = { -1, -1 };
static struct perf_event_mmap_page *pages[2];
static size_t page_size;

static void close_all(void)
{
	for (int i = 0; i < 2; i++) {
		if (pages[i])
			munmap(pages[i], page_size);
		if (fds[i] >= 0)
			close(fds[i]);
		pages[i] = 0;
		fds[i] = -1;
	}
}

static int perf_open(uint64_t config, int group)
{
	struct perf_event_attr a;
	memset(&a, 0, sizeof a);
	a.size = sizeof a;
	a.type = PERF_TYPE_HARDWARE;
	a.config = config;
	a.pinned = group < 0;       /* the group leader: always on the PMU, or an error */
	a.exclude_hv = 1;           /* user and kernel; not a hypervisor below */
	return (int)syscall(SYS_perf_event_open, &a, 0, -1, group, PERF_FLAG_FD_CLOEXEC);
}

/* the event's counter (index, 0: not in a counter now), whether rdpmc may
 * read it, and its width, read consistently (the page's seqlock) */
static void counter_of(volatile struct perf_event_mmap_page *pg, uint32_t *index,
		       int *rdpmc, unsigned *width)
{
	uint32_t seq;
	do {
		seq = pg->lock;
		__asm__ volatile("" ::: "memory");
		*index = pg->index;
		*rdpmc = pg->cap_user_rdpmc;
		*width = pg->pmc_width;
		__asm__ volatile("" ::: "memory");
	} while (pg->lock != seq);
}

static sigjmp_buf probe_jmp;

static void probe_fault(int sig)
{
	(void)sig;
	siglongjmp(probe_jmp, 1);
}

static uint64_t rdpmc(uint32_t ecx)
{
	uint32_t lo, hi;
	__asm__ volatile("rdpmc" : "=a"(lo), "=d"(hi) : "c"(ecx));
	return ((uint64_t)hi << 32) | lo;
}

/* Reads both counters around a loop of known length with SIGSEGV caught
 * (rdpmc without CR4.PCE is #GP): 0 and the deltas, or -1 if it faulted. */
static int probe(uint32_t ecx_c, uint32_t ecx_i, uint64_t mask, uint64_t *dc, uint64_t *di)
{
	struct sigaction sa, old;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = probe_fault;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, &old);
	int rc = -1;
	if (!sigsetjmp(probe_jmp, 1)) {
		uint64_t c0 = rdpmc(ecx_c), i0 = rdpmc(ecx_i);
		for (volatile unsigned k = 0; k < 100000; k++)
			;
		uint64_t c1 = rdpmc(ecx_c), i1 = rdpmc(ecx_i);
		*dc = (c1 - c0) & mask;
		*di = (i1 - i0) & mask;
		rc = 0;
	}
	sigaction(SIGSEGV, &old, 0);
	return rc;
}

void host_perf_open(const char *root, int cpu, int enabled, struct host_pmu *p)
{
	static const char *const event_name[2] = { "cycles", "instructions" };
	memset(p, 0, sizeof *p);
	p->paranoid = paranoid_level(root);
	snprintf(p->pmu_name, sizeof p->pmu_name, "none");
	if (!enabled) {
		SET(pmu, "unavailable:perf-off");
		SET(detail, "perf=off: core cycles and instructions not asked for");
		return;
	}
	close_all();
	uint32_t type;
	host_perf_pmu(root, cpu, &type, p->pmu_name, sizeof p->pmu_name);
	/* on a hybrid CPU the generic event names the core type's PMU */
	uint64_t ext = (uint64_t)type << PERF_PMU_TYPE_SHIFT;
	static const uint64_t config[2] = { PERF_COUNT_HW_CPU_CYCLES,
					    PERF_COUNT_HW_INSTRUCTIONS };
	for (int i = 0; i < 2; i++) {
		fds[i] = perf_open(ext | config[i], i ? fds[0] : -1);
		if (fds[i] < 0) {
			int err = errno;
			close_all();
			host_perf_reason(err, p->paranoid, p);
			if (i) {   /* cycles opened, instructions not */
				char d[sizeof p->detail];
				if (snprintf(d, sizeof d, "%s: %s", event_name[i], p->detail) > 0)
					memcpy(p->detail, d, sizeof d);   /* cut at the end if need be */
			}
			return;
		}
	}
	page_size = (size_t)sysconf(_SC_PAGESIZE);
	uint32_t index[2];
	unsigned width = 64;
	for (int i = 0; i < 2; i++) {
		void *m = mmap(0, page_size, PROT_READ, MAP_SHARED, fds[i], 0);
		if (m == MAP_FAILED) {
			int err = errno;
			close_all();
			SET(pmu, "unavailable:mmap-%s", host_errno_name(err));
			SET(detail, "the %s event opened but its page cannot be mapped (%s): "
			    "rdpmc needs it", event_name[i], host_errno_name(err));
			return;
		}
		pages[i] = m;
		int allowed;
		unsigned w;
		counter_of(pages[i], &index[i], &allowed, &w);
		width = w && w < width ? w : width;
		if (!allowed) {
			char mode[16];
			if (host_read_line(root, EVENT_DEVICES "/cpu/rdpmc", mode, sizeof mode))
				snprintf(mode, sizeof mode, "unreadable");
			close_all();
			SET(pmu, "unavailable:rdpmc-disabled");
			SET(detail, "perf counts, but user space may not read the counters with "
			    "rdpmc (cap_user_rdpmc=0; %s/cpu/rdpmc is %s: 1 allows it)",
			    EVENT_DEVICES, mode);
			return;
		}
		if (!index[i]) {
			close_all();
			SET(pmu, "unavailable:not-scheduled");
			SET(detail, "the %s event is not in a hardware counter (index 0): the "
			    "counters are taken, or the PMU is another core type's", event_name[i]);
			return;
		}
	}
	uint64_t mask = width >= 64 ? ~0ULL : (1ULL << width) - 1, dc, di;
	if (probe(index[0] - 1, index[1] - 1, mask, &dc, &di)) {
		close_all();
		SET(pmu, "unavailable:rdpmc-faults");
		SET(detail, "rdpmc of counter 0x%x faulted although perf said it may be used",
		    index[0] - 1);
		return;
	}
	if (!dc || di < 100000) {
		close_all();
		SET(pmu, "unavailable:not-counting");
		SET(detail, "the counters did not count a 100000-iteration loop (cycles +%llu, "
		    "instructions +%llu)", (unsigned long long)dc, (unsigned long long)di);
		return;
	}
	p->ok = 1;
	p->ecx_cycles = index[0] - 1;
	p->ecx_instructions = index[1] - 1;
	SET(pmu, "linux-perf");
	SET(detail, "perf_event_open: cycles and instructions, user and kernel, one pinned "
	    "group on PMU %s; read with rdpmc (ECX 0x%x and 0x%x, %u bits)", p->pmu_name,
	    p->ecx_cycles, p->ecx_instructions, width);
}

void host_perf_describe(const struct host_pmu *p, host_emit_fn emit, void *ctx)
{
	char level[32];
	host_emit(emit, ctx, "pmu_detail", p->detail);
	if (p->ok) {
		host_emit(emit, ctx, "pmu_events", "cycles,instructions");
		host_emit(emit, ctx, "pmu_counting", "user+kernel");
	}
	host_emit(emit, ctx, "perf_pmu", p->pmu_name);
	if (p->paranoid == HOST_PARANOID_UNKNOWN)
		snprintf(level, sizeof level, "unavailable:unreadable");
	else
		snprintf(level, sizeof level, "%d", p->paranoid);
	host_emit(emit, ctx, "perf_event_paranoid", level);
}
