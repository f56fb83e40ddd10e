/* main.c - `make host-run`: what the operating system charges for the trip
 * ringtrip measures on bare metal, on the same machine, with the same
 * harness, statistics and CSV (bench/). Pinned to one CPU (by default the
 * highest-numbered CPU this process may run on). Arguments use the kernel's
 * command-line syntax and its parser (lib/options.c): iterations=N warmup=N
 * repeat=N paths=a,b services=a,b, plus cpu=N, perf=on|off and help; `help`
 * lists them. Besides the harness's metadata it records the environment
 * that explains a number (env.c) and, where Linux lets it, core cycles and
 * instructions from perf_event_open, read with rdpmc (perf.c).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench/driver.h"
#include "bench/user.h"
#include "host/host.h"
#include "lib/cpufeat.h"
#include "lib/options.h"
#include "lib/tscfreq.h"

extern uint64_t host_vdso_clock_gettime;
#define STUBS(p) extern char p##_invoke[], p##_baseline[], p##_call[], \
	p##_invoke_pmc[], p##_baseline_pmc[], p##_invoke_lf[], p##_baseline_lf[], \
	p##_invoke_cpuid[], p##_baseline_cpuid[]
STUBS(linux_syscall);
STUBS(linux_int80);
STUBS(linux_vdso);

static struct rt_shared sh;
enum { P_SYSCALL, P_INT80, P_VDSO, NPATHS };
static struct bench_service services[NPATHS] = {
	[P_SYSCALL] = { .name = "getppid", .number = 110, .fixed = 1 },
	[P_INT80] = { .name = "getppid", .number = 64, .fixed = 1 },
	[P_VDSO] = { .name = "clock_gettime", .fixed = 1, .result = 0 },
};
/* paths= and services= name these; each path measures one service */
static const char *const path_names[NPATHS] = {
	[P_SYSCALL] = "linux_syscall", [P_INT80] = "linux_int80", [P_VDSO] = "linux_vdso" };
enum { S_GETPPID, S_CLOCK_GETTIME, NSERVICES };
static const char *const service_names[NSERVICES] = { "getppid", "clock_gettime" };
static const unsigned path_service[NPATHS] = {
	[P_SYSCALL] = S_GETPPID, [P_INT80] = S_GETPPID, [P_VDSO] = S_CLOCK_GETTIME };
/* the bare kernel's options that mean nothing here */
static const char *const kernel_only[] = { "exit", "serial", "clock", "dump", "crash",
					   "profile", "mitigations", 0 };


/* the same choice of timed stubs as the kernel makes (kernel/paths.c); the
 * *_pmc stubs time with rdpmc when perf.c found the counters readable */
#define SET_PATH(i, p) set_path(i, #p, (char *[]){ p##_invoke, p##_invoke_lf, p##_invoke_cpuid }, \
				(char *[]){ p##_baseline, p##_baseline_lf, p##_baseline_cpuid }, \
				p##_call, p##_invoke_pmc, p##_baseline_pmc)
/* inv[] and base[]: the rdtscp, lfence and cpuid stubs */
static void set_path(unsigned i, const char *name, char *const inv[3], char *const base[3],
		     char *call, char *inv_pmc, char *base_pmc)
{
	struct rt_path_view *v = &sh.path[i];
	unsigned t = sh.timer == TIMER_RDTSCP ? 0 : sh.timer == TIMER_CPUID ? 2 : 1;
	strlcpy0(v->name, name, sizeof v->name);
	v->runnable = 1;
	strlcpy0(v->status, "ok", sizeof v->status);
	v->invoke = (uint64_t)inv[t];
	v->baseline = (uint64_t)base[t];
	v->call = (uint64_t)call;
	v->invoke_pmc = (uint64_t)inv_pmc;
	v->baseline_pmc = (uint64_t)base_pmc;
}

static uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static uint64_t ns_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* CPUID 0x15/0x16 as the kernel reads them; otherwise the TSC against
 * CLOCK_MONOTONIC_RAW over 200 ms */
static void tsc_frequency(void)
{
	uint32_t a, b, c, d, max;
	__asm__ volatile("cpuid" : "=a"(max), "=b"(b), "=c"(c), "=d"(d) : "a"(0), "c"(0));
	if (max >= 0x15) {
		__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0x15), "c"(0));
		if ((sh.tsc_hz = tsc_hz_cpuid15(a, b, c))) {
			strlcpy0(sh.tsc_hz_source, "cpuid15", sizeof sh.tsc_hz_source);
			return;
		}
	}
	uint64_t n0 = ns_now(), t0 = rdtsc();
	while (ns_now() - n0 < 200000000ULL)
		;
	uint64_t n1 = ns_now(), t1 = rdtsc();
	sh.tsc_hz = (uint64_t)((unsigned __int128)(t1 - t0) * 1000000000ULL / (n1 - n0));
	strlcpy0(sh.tsc_hz_source, "clock_gettime", sizeof sh.tsc_hz_source);
}

static void microcode(void)
{
	char line[256];
	FILE *f = fopen("/proc/cpuinfo", "r");
	strlcpy0(sh.microcode, "unknown", sizeof sh.microcode);
	while (f && fgets(line, sizeof line, f)) {
		char *v;
		if (!strncmp(line, "microcode", 9) && (v = strchr(line, ':'))) {
			v += strspn(v + 1, " ") + 1;
			v[strcspn(v, "\n")] = 0;
			strlcpy0(sh.microcode, v, sizeof sh.microcode);
			break;
		}
	}
	if (f)
		fclose(f);
}

/* int 0x80 from a 64-bit process exists only with IA32 emulation (and not
 * after ia32_emulation=0): try it in a child, which a SIGSEGV may kill. */
static const char *int80_status(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		struct rt_call c = { .number = 64 };
		uint64_t r = ((rt_stub_fn)linux_int80_call)(&c, 0);
		_exit(r == (uint64_t)getppid() ? 0 : 1);
	}
	int st;
	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		return "unsupported:cannot-probe";
	if (WIFSIGNALED(st))
		return "unsupported:int80-disabled";
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		return "unsupported:int80-wrong-result";
	return 0;
}

static const char *vdso_status(void)
{
	void *h = dlopen("linux-vdso.so.1", RTLD_NOW | RTLD_NOLOAD);
	void *fn = h ? dlsym(h, "__vdso_clock_gettime") : 0;
	if (!fn)
		return "unsupported:no-vdso";
	host_vdso_clock_gettime = (uint64_t)fn;
	return 0;
}

/* A line of the CSV. It goes through the control gate's print, as the
 * harness's lines do, so that it is in the trailer's crc32 (control.c):
 * nothing of the CSV may be written to stdout any other way. */
__attribute__((format(printf, 1, 2)))
static void csv_printf(const char *fmt, ...)
{
	char *s;
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0) {
		fprintf(stderr, "ringtrip-host: out of memory for a CSV line\n");
		exit(EXIT_SETUP);
	}
	control_call(SVC_PRINT, (uint64_t)s, (uint64_t)n, PRINT_SERIAL);
	free(s);
}

static unsigned selftest(const struct rt_path_view *p, const struct bench_service *s)
{
	struct rt_call c = { .number = s->number };
	uint64_t got = ((rt_stub_fn)p->call)(&c, 0);
	csv_printf("# selftest %s/%s %s got=0x%llx want=0x%llx\n", p->name, s->name,
		   got == s->result ? "pass" : "fail", (unsigned long long)got,
		   (unsigned long long)s->result);
	return got != s->result;
}

/* what bench_drive() (bench/driver.c) asks of host mode */
static int host_chosen[NPATHS];

static int plan_chosen(const struct rt_shared *s, unsigned i)
{
	(void)s;
	return host_chosen[i];
}

static const struct bench_service *plan_services(const struct rt_shared *s, unsigned i,
						  unsigned *n)
{
	(void)s;
	*n = 1;
	return &services[i];
}

/* one "# key=value" line of host mode's own metadata (host_emit keeps it
 * clean and short) */
static void meta_line(void *ctx, const char *key, const char *value)
{
	(void)ctx;
	csv_printf("# %s=%s\n", key, value);
}

static struct host_pmu host_pmu;
static int host_cpu;

/* after the harness's description (pmu= among it): why the PMU is what it
 * is, and the environment */
static void plan_after_describe(const struct rt_shared *s)
{
	struct utsname u;
	(void)s;
	host_perf_describe(&host_pmu, meta_line, 0);
	if (uname(&u))
		memset(&u, 0, sizeof u);
	host_env_describe("", host_cpu, &u, meta_line, 0);
	fflush(stdout);
}

static unsigned plan_selftests(const struct rt_shared *s)
{
	unsigned failed = 0;
	for (unsigned i = 0; i < NPATHS; i++)
		if (host_chosen[i] && s->path[i].runnable)
			failed += selftest(&s->path[i], &services[i]);
	fflush(stdout);
	return failed;
}

/* ---- arguments ---------------------------------------------------------- */

#define EXIT_USAGE 2    /* a refused argument: nothing was measured */
#define EXIT_SETUP 3    /* as the kernel's: setup failed */
/* bench/ prints "# cmdline=" + the line + '\n' through a 512-byte ULINE:
 * more than this and the line would lose its newline */
#define CMDLINE_KEEP 500
_Static_assert(CMDLINE_KEEP < CMDLINE_LEN, "CMDLINE_KEEP");

/* Warnings: the shared parser's and host mode's own, printed on stderr and
 * as "# warning:" lines in the CSV, as the kernel prints its own. */
#define MAX_WARNINGS 32
#define WARNING_LEN 200
static char warnings[MAX_WARNINGS][WARNING_LEN];
static unsigned nwarnings, warnings_dropped;

static void add_warning(const char *w)
{
	if (nwarnings < MAX_WARNINGS)
		strlcpy0(warnings[nwarnings++], w, sizeof warnings[0]);
	else
		warnings_dropped++;
}

__attribute__((format(printf, 1, 2)))
static void warnf(const char *fmt, ...)
{
	char w[WARNING_LEN];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(w, sizeof w, fmt, ap);
	va_end(ap);
	add_warning(w);
}

/* timer=, as the kernel resolves it (kernel/paths.c): RDTSCP ends the
 * rdtscp and cpuid stubs; without it, lfence; rdtsc at both ends */
static uint32_t resolve_timer(int asked)
{
	if (cpu_has_rdtscp())
		return asked == TIMER_AUTO ? TIMER_RDTSCP : (uint32_t)asked;
	if (asked == TIMER_RDTSCP || asked == TIMER_CPUID)
		warnf("timer=: this CPU has no RDTSCP; timing with lfence; rdtsc at both ends");
	return TIMER_LFENCE;
}

/* a word as a message shows it: whole if short, else its start and length */
static const char *shown(const char *w, size_t n, char buf[64])
{
	if (n <= 40)
		snprintf(buf, 64, "%.*s", (int)n, w);
	else
		snprintf(buf, 64, "%.24s...(%zu characters)", w, n);
	return buf;
}

/* "0-3,8,10-11": the CPUs in set, bounded; "..." if it does not fit */
static const char *cpuset_str(const cpu_set_t *set, char *buf, size_t cap)
{
	size_t len = 0;
	buf[0] = 0;
	for (int i = 0; i < CPU_SETSIZE; i++) {
		if (!CPU_ISSET(i, set))
			continue;
		int j = i;
		while (j + 1 < CPU_SETSIZE && CPU_ISSET(j + 1, set))
			j++;
		char r[32];
		int n = j == i ? snprintf(r, sizeof r, "%s%d", len ? "," : "", i)
			       : snprintf(r, sizeof r, "%s%d-%d", len ? "," : "", i, j);
		if (len + (size_t)n + 4 >= cap) {
			strlcpy0(buf + len, ",...", cap - len);
			break;
		}
		memcpy(buf + len, r, (size_t)n + 1);
		len += (size_t)n;
		i = j;
	}
	return buf;
}

/* The default CPU: the highest-numbered one this process may run on. CPU 0
 * is where Linux boots, and where device interrupts, timers and
 * housekeeping land unless irqbalance or isolcpus moved them; the highest
 * one is the least likely to share the benchmark with them, and the rule
 * depends only on the affinity set (taskset), not on where we started. */
static int default_cpu(const cpu_set_t *allowed)
{
	for (int i = CPU_SETSIZE - 1; i >= 0; i--)
		if (CPU_ISSET(i, allowed))
			return i;
	return -1;
}

/* cpu=N: decimal digits only, below CPU_SETSIZE, in the allowed set.
 * Returns the CPU, or -1 after saying why on stderr. */
static int parse_cpu(const char *v, size_t n, const cpu_set_t *allowed)
{
	char b[64], set[256];
	uint64_t cpu;
	if (parse_u64(v, n, &cpu)) {
		fprintf(stderr, "ringtrip-host: cpu=%s: not a CPU number "
			"(decimal digits, no sign, 0..%d)\n", shown(v, n, b), CPU_SETSIZE - 1);
		return -1;
	}
	if (cpu >= CPU_SETSIZE) {
		fprintf(stderr, "ringtrip-host: cpu=%s: out of range: CPU numbers go "
			"from 0 to %d (CPU_SETSIZE - 1)\n", shown(v, n, b), CPU_SETSIZE - 1);
		return -1;
	}
	if (!CPU_ISSET((int)cpu, allowed)) {
		fprintf(stderr, "ringtrip-host: cpu=%llu: CPU %llu is not in this "
			"process's allowed set (%s); choose one of those, or widen the "
			"affinity (taskset)\n", (unsigned long long)cpu,
			(unsigned long long)cpu, cpuset_str(allowed, set, sizeof set));
		return -1;
	}
	return (int)cpu;
}

static void usage(FILE *f, const cpu_set_t *allowed)
{
	char set[256];
	fprintf(f,
"usage: ringtrip-host [option ...]\n"
"Times Linux's own entries (linux_syscall, linux_int80, linux_vdso) with\n"
"ringtrip's harness: CSV on stdout, progress on stderr. Options use the\n"
"kernel's command-line syntax, key=value (default in parentheses):\n"
"  iterations=N      timed samples per row and ensemble, 1..%d (%d)\n"
"  warmup=N          untimed calls before each row, 0..%d (%d)\n"
"  repeat=N          ensembles: run the whole suite N times, 1..%d (%d)\n"
"  paths=a,b,...     only these paths: linux_syscall,linux_int80,linux_vdso (all)\n"
"  services=a,b,...  only these services: getppid,clock_gettime (all)\n"
"  cpu=N             pin to CPU N, one of the allowed set (here %s)\n"
"                    (default: the highest-numbered allowed CPU, here %d,\n"
"                    away from CPU 0's interrupts and housekeeping)\n"
"  perf=on|off       core cycles and instructions (user+kernel) from\n"
"                    perf_event_open where Linux allows it; pmu_detail= says\n"
"                    why not (on)\n"
"  help, --help, -h  print this and exit\n"
"As in the kernel, a bad value of iterations=, warmup= or repeat=, an unknown\n"
"name in paths= or services=, an unknown option, or a bare-kernel option\n"
"(exit= serial= clock= dump= crash=) is a warning, on stderr and as a\n"
"'# warning:' line in the CSV, and the option keeps its last valid value or\n"
"its default. A bad cpu= is refused: nothing is measured.\n"
"Exit status: 0 ok, 1 a self-test or row failed, 2 argument refused, 3 setup failed.\n",
		MAX_ITERATIONS, DEFAULT_ITERATIONS, MAX_WARMUP, DEFAULT_WARMUP,
		MAX_REPEAT, DEFAULT_REPEAT, cpuset_str(allowed, set, sizeof set),
		default_cpu(allowed));
}

/* "all" or the names of the bits in mask */
/* argv joined with spaces, as GRUB would pass it. Bytes no option contains
 * (controls, non-ASCII) become '?' and whitespace a space, so a word can
 * neither break a CSV line nor smuggle invalid UTF-8 into it. */
static char *join_args(int argc, char **argv, size_t *len)
{
	size_t n = 1;
	for (int i = 1; i < argc; i++)
		n += strlen(argv[i]) + 1;
	char *s = malloc(n), *d = s;
	if (!s)
		return 0;
	for (int i = 1; i < argc; i++) {
		if (d != s)
			*d++ = ' ';
		for (const unsigned char *c = (const unsigned char *)argv[i]; *c; c++)
			*d++ = (char)(*c == '\t' || *c == '\n' || *c == '\r' || *c == '\v' ||
				      *c == '\f' ? ' ' : *c < 0x20 || *c >= 0x7f ? '?' : *c);
	}
	*d = 0;
	*len = (size_t)(d - s);
	return s;
}

static int key_is(const char *w, size_t klen, const char *key)
{
	return strlen(key) == klen && !strncmp(w, key, klen);
}

struct host_args {
	int help;
	int cpu;                 /* -1: default_cpu() */
	int perf;                /* perf=on|off: core cycles from perf_event_open */
	struct options o;        /* iterations, warmup, repeat, paths=, services=
				    (bit S_* of service_mask: host mode's own) */
};

/* Splits the line into words: cpu=, help and the bare kernel's
 * options are host mode's to handle; the rest goes to the kernel's parser,
 * whose warnings are kept. Returns 0, or EXIT_USAGE after saying why. */
static int parse_args(const char *line, size_t len, const cpu_set_t *allowed,
		      struct host_args *a)
{
	/* GRUB's path first, so the parser takes no user word for it */
	static const char lead[] = "/ringtrip-host";
	size_t cap = sizeof lead + len + 1;
	char *rest = malloc(cap);
	struct sbuf rb;
	int rc = 0;
	if (!rest) {
		fprintf(stderr, "ringtrip-host: out of memory for the arguments\n");
		exit(EXIT_SETUP);
	}
	sb_init(&rb, rest, cap);
	sb_puts(&rb, lead);
	a->help = 0;
	a->cpu = -1;
	a->perf = 1;

	for (const char *p = line; *p;) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		const char *w = p;
		while (*p && *p != ' ')
			p++;
		/* as in the kernel, a key without '=' is that key, empty */
		size_t n = (size_t)(p - w), klen = strcspn(w, "= ");
		const char *v = klen < n ? w + klen + 1 : p;
		size_t vlen = (size_t)(p - v);
		char b[64];
		int k;
		for (k = 0; kernel_only[k]; k++)
			if (key_is(w, klen, kernel_only[k]))
				break;
		if (key_is(w, n, "help") || key_is(w, n, "--help") || key_is(w, n, "-h")) {
			a->help = 1;
		} else if (key_is(w, klen, "cpu")) {
			a->cpu = parse_cpu(v, vlen, allowed);
			if (a->cpu < 0)
				rc = EXIT_USAGE;
		} else if (key_is(w, klen, "perf")) {
			if (key_is(v, vlen, "on") || key_is(v, vlen, "off"))
				a->perf = key_is(v, vlen, "on");
			else
				warnf("option 'perf=%s': not on or off; perf=%s kept",
				      shown(v, vlen, b), a->perf ? "on" : "off");
		} else if (kernel_only[k]) {
			warnf("option '%s' is the bare kernel's; ignored in host mode",
			      shown(w, n, b));
		} else {
			sb_putc(&rb, ' ');
			sb_putn(&rb, w, n);
		}
	}
	/* rest holds at most the lead and the whole line: never cut */
	const struct option_names names = { .paths = path_names, .npaths = NPATHS,
					    .services = service_names, .nservices = NSERVICES };
	options_parse(&a->o, rest, &names);
	for (unsigned i = 0; i < a->o.nwarnings; i++)
		add_warning(a->o.warning[i]);
	free(rest);
	return rc;
}

/* The command line for the cmdline= metadata: whole, or its start and a
 * note of what was cut (and a warning saying so). */
static void record_cmdline(const char *line, size_t len)
{
	if (len <= CMDLINE_KEEP) {
		strlcpy0(sh.cmdline, line, sizeof sh.cmdline);
		return;
	}
	char note[64];
	int nl = snprintf(note, sizeof note, " ...[truncated: %zu characters]", len);
	size_t keep = CMDLINE_KEEP - (size_t)nl;
	snprintf(sh.cmdline, sizeof sh.cmdline, "%.*s%s", (int)keep, line, note);
	warnf("the command line is %zu characters; cmdline= keeps the first %zu", len, keep);
}

int main(int argc, char **argv)
{
	struct host_args a;
	cpu_set_t allowed;
	size_t len;
	char set[256];

	if (sched_getaffinity(0, sizeof allowed, &allowed)) {
		perror("ringtrip-host: sched_getaffinity");
		return EXIT_SETUP;
	}
	char *line = join_args(argc, argv, &len);
	if (!line) {
		fprintf(stderr, "ringtrip-host: out of memory for the arguments\n");
		return EXIT_SETUP;
	}
	int rc = parse_args(line, len, &allowed, &a);
	if (a.help || rc)
		free(line);
	if (a.help) {                   /* as in the kernel: help and stop */
		usage(stdout, &allowed);
		return 0;
	}
	if (rc) {
		for (unsigned i = 0; i < nwarnings; i++)
			fprintf(stderr, "ringtrip-host: warning: %s\n", warnings[i]);
		fprintf(stderr, "ringtrip-host: nothing measured; "
			"'ringtrip-host help' lists the options\n");
		return rc;
	}
	record_cmdline(line, len);
	free(line);
	const struct options *o = &a.o;

	int cpu = a.cpu >= 0 ? a.cpu : default_cpu(&allowed);
	cpu_set_t one;
	CPU_ZERO(&one);
	if (cpu >= 0)
		CPU_SET(cpu, &one);
	if (cpu < 0 || sched_setaffinity(0, sizeof one, &one)) {
		fprintf(stderr, "ringtrip-host: cannot pin to CPU %d\n", cpu);
		return EXIT_SETUP;
	}
	if (sched_getcpu() != cpu)
		warnf("pinned to CPU %d but running on CPU %d", cpu, sched_getcpu());

	int nchosen = 0;
	for (unsigned i = 0; i < NPATHS; i++) {
		host_chosen[i] = (o->path_mask >> i & 1) && (o->service_mask >> path_service[i] & 1);
		nchosen += host_chosen[i];
	}
	if (!nchosen)
		warnf("paths= and services= together select nothing: no rows");

	sh.iterations = o->iterations;
	sh.warmup = o->warmup;
	sh.repeat = (uint32_t)o->repeat;
	sh.samples_va = (uint64_t)calloc(o->iterations, sizeof(uint64_t));
	if (!sh.samples_va) {
		fprintf(stderr, "ringtrip-host: not enough memory for iterations=%llu\n",
			(unsigned long long)o->iterations);
		return EXIT_SETUP;
	}
	/* pinned first: the events count this thread, on this CPU's PMU */
	host_cpu = cpu;
	host_perf_open("", cpu, a.perf, &host_pmu);
	strlcpy0(sh.pmu, host_pmu.pmu, sizeof sh.pmu);
	sh.pmc_ok = (uint32_t)host_pmu.ok;
	sh.pmc_cycles = host_pmu.ecx_cycles;
	sh.pmc_instructions = host_pmu.ecx_instructions;
	if (!host_pmu.ok && a.perf)
		fprintf(stderr, "ringtrip-host: no core cycles: %s\n", host_pmu.detail);
	tsc_frequency();
	microcode();
	services[P_SYSCALL].result = services[P_INT80].result = (uint64_t)getppid();

	sh.npaths = NPATHS;
	sh.timer = resolve_timer(o->timer);
	sh.batch = (uint32_t)o->batch;
	SET_PATH(P_SYSCALL, linux_syscall);
	SET_PATH(P_INT80, linux_int80);
	SET_PATH(P_VDSO, linux_vdso);
	const char *why[NPATHS] = { 0, host_chosen[P_INT80] ? int80_status() : 0,
				    host_chosen[P_VDSO] ? vdso_status() : 0 };
	for (unsigned i = 0; i < NPATHS; i++) {
		if (!why[i])
			continue;
		sh.path[i].runnable = 0;
		strlcpy0(sh.path[i].status, why[i], sizeof sh.path[i].status);
	}

	struct utsname u;
	uname(&u);
	/* the first line starts the trailer's crc32: all of it goes through
	 * csv_printf or the harness's print, none straight to stdout */
	csv_printf("%s# mode=host\n# os=%s %s\n# cpu=%d\n# cpu_allowed=%s\n",
		   CSV_FIRST_LINE, u.sysname, u.release, cpu,
		   cpuset_str(&allowed, set, sizeof set));
	for (unsigned i = 0; i < nwarnings; i++) {
		csv_printf("# warning: %s\n", warnings[i]);
		fprintf(stderr, "ringtrip-host: warning: %s\n", warnings[i]);
	}
	if (warnings_dropped) {
		csv_printf("# warning: %u more warnings not shown\n", warnings_dropped);
		fprintf(stderr, "ringtrip-host: warning: %u more warnings not shown\n",
			warnings_dropped);
	}
	fflush(stdout);
	static const struct bench_plan plan = {
		.chosen = plan_chosen, .services = plan_services,
		.after_describe = plan_after_describe, .selftests = plan_selftests };
	unsigned failed = bench_drive(&sh, &plan);
	fflush(stdout);
	return failed ? 1 : 0;
}
