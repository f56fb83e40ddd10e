/* main.c - `make host-run`: what the operating system charges for the trip
 * ringtrip measures on bare metal, on the same machine, with the same
 * harness, statistics and CSV (bench/). Pinned to one CPU. Arguments use
 * the kernel's command-line syntax: iterations=N warmup=N repeat=N cpu=N.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench/user.h"
#include "lib/options.h"
#include "lib/tscfreq.h"

extern uint64_t host_vdso_clock_gettime;
#define STUBS(p) extern char p##_invoke[], p##_baseline[], p##_call[], \
	p##_invoke_pmc[], p##_baseline_pmc[], p##_invoke_lf[], p##_baseline_lf[]
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

static int has_rdtscp(void)
{
	uint32_t a, b, c, d;
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0x80000000), "c"(0));
	if (a < 0x80000001)
		return 0;
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0x80000001), "c"(0));
	return (d >> 27) & 1;
}

/* the same choice of timed stubs as the kernel makes (entry/paths.c) */
#define SET_PATH(i, p) set_path(i, #p, p##_invoke, p##_baseline, p##_invoke_lf, \
				p##_baseline_lf, p##_call)
static void set_path(unsigned i, const char *name, char *inv, char *base, char *inv_lf,
		     char *base_lf, char *call)
{
	struct rt_path_view *v = &sh.path[i];
	strlcpy0(v->name, name, sizeof v->name);
	strlcpy0(v->status, "ok", sizeof v->status);
	v->invoke = (uint64_t)(sh.rdtscp ? inv : inv_lf);
	v->baseline = (uint64_t)(sh.rdtscp ? base : base_lf);
	v->call = (uint64_t)call;
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

static void selftest(const struct rt_path_view *p, const struct bench_service *s)
{
	struct rt_call c = { .number = s->number };
	uint64_t got = ((rt_stub_fn)p->call)(&c, 0);
	printf("# selftest %s/%s %s got=0x%llx want=0x%llx\n", p->name, s->name,
	       got == s->result ? "pass" : "fail", (unsigned long long)got,
	       (unsigned long long)s->result);
}

int main(int argc, char **argv)
{
	struct options o;
	char cmdline[CMDLINE_LEN] = "";
	for (int i = 1; i < argc; i++) {
		strncat(cmdline, argv[i], sizeof cmdline - strlen(cmdline) - 2);
		strcat(cmdline, " ");
	}
	/* cpu=N is ours; the rest is the kernel's syntax */
	int cpu = sched_getcpu();
	char *cpuarg = strstr(cmdline, "cpu=");
	if (cpuarg) {
		cpu = atoi(cpuarg + 4);
		memset(cpuarg, ' ', strcspn(cpuarg, " "));
	}
	options_parse(&o, cmdline, 0, 0);

	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu < 0 ? 0 : cpu, &set);
	if (sched_setaffinity(0, sizeof set, &set)) {
		fprintf(stderr, "ringtrip-host: cannot pin to CPU %d\n", cpu);
		return 3;
	}

	sh.iterations = o.iterations;
	sh.warmup = o.warmup;
	sh.repeat = (uint32_t)o.repeat;
	sh.samples_va = (uint64_t)calloc(o.iterations, sizeof(uint64_t));
	if (!sh.samples_va) {
		fprintf(stderr, "ringtrip-host: not enough memory for iterations=%llu\n",
			(unsigned long long)o.iterations);
		return 3;
	}
	strlcpy0(sh.cmdline, cmdline, sizeof sh.cmdline);
	strlcpy0(sh.pmu, "unavailable:host-mode", sizeof sh.pmu);
	tsc_frequency();
	microcode();
	services[P_SYSCALL].result = services[P_INT80].result = (uint64_t)getppid();

	sh.npaths = NPATHS;
	sh.rdtscp = (uint32_t)has_rdtscp();
	SET_PATH(P_SYSCALL, linux_syscall);
	SET_PATH(P_INT80, linux_int80);
	SET_PATH(P_VDSO, linux_vdso);
	const char *why[NPATHS] = { 0, int80_status(), vdso_status() };

	struct utsname u;
	uname(&u);
	printf("# ringtrip csv=1\n# mode=host\n# os=%s %s\n# cpu=%d\n",
	       u.sysname, u.release, cpu);
	for (unsigned i = 0; i < o.nwarnings; i++)
		printf("# warning: %s\n", o.warning[i]);
	fflush(stdout);
	machine_describe(&sh);
	out_kv_u64("iterations", sh.iterations);
	out_kv_u64("warmup", sh.warmup);
	out_kv_u64("repeat", sh.repeat);
	out_kv("timer", sh.rdtscp ? "rdtscp" : "lfence-rdtsc");
	for (unsigned i = 0; i < NPATHS; i++) {
		struct rt_path_view *p = &sh.path[i];
		if (why[i])
			strlcpy0(p->status, why[i], sizeof p->status);
		harness_add_path(p, why[i], &services[i], 1);
		if (why[i])
			continue;
		uint64_t ovh = measure_baseline(&sh, p);
		if (i == 0)
			printf("# overhead_tsc=%llu\n", (unsigned long long)ovh);
		printf("# overhead_tsc.%s=%llu\n", p->name, (unsigned long long)ovh);
	}
	for (unsigned i = 0; i < NPATHS; i++)
		if (!why[i])
			selftest(&sh.path[i], &services[i]);
	fflush(stdout);
	for (unsigned e = 0; e < sh.repeat; e++) {
		fprintf(stderr, "ensemble %u/%u:", e + 1, sh.repeat);
		harness_ensemble(&sh);
	}
	unsigned bad = harness_report(&sh);
	fflush(stdout);
	return bad ? 1 : 0;
}
