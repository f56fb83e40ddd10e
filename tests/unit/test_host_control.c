/*
 * test_host_control.c - host mode's own C (host/):
 *  - the control gate (control.c): the running CRC-32 that becomes the
 *    trailer's crc32 (CSV version 2) covers exactly the bytes written to
 *    stdout, in order, and none written to stderr (the kernel's console
 *    does the same for serial and screen);
 *  - the environment metadata (env.c) read from a made-up /sys and /proc:
 *    every vulnerability file, the kernel command line continued over
 *    lines that fit, cpufreq and boost, and what is said where they are
 *    missing;
 *  - perf (perf.c): why the PMU is unavailable for each perf_event_open
 *    error, CPU lists, the hybrid PMU chosen for a CPU, perf=off.
 * perf_event_open itself is not called here: the machines that run the
 * tests may have no PMU at all.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "bench/user.h"
#include "host/host.h"
#include "lib/crc32.h"

/* SVC_PRINT, with stdout and stderr sent to /dev/null meanwhile: what it
 * writes is not the point, and cmocka's report must stay readable */
static uint64_t print(const char *s, uint64_t where)
{
	fflush(stdout);
	fflush(stderr);
	int out = dup(1), err = dup(2), null = open("/dev/null", O_WRONLY);
	assert_true(out >= 0 && err >= 0 && null >= 0);
	dup2(null, 1);
	dup2(null, 2);
	uint64_t r = control_call(SVC_PRINT, (uint64_t)s, strlen(s), where);
	fflush(stdout);
	fflush(stderr);
	dup2(out, 1);
	dup2(err, 2);
	close(out);
	close(err);
	close(null);
	return r;
}

static uint64_t output_crc(void)
{
	return control_call(SVC_OUTPUT_CRC, 0, 0, 0);
}

static void test_output_crc(void **state)
{
	(void)state;
	static const char a[] = CSV_FIRST_LINE "# mode=host\n",
			  b[] = "path,service\nx,y\n", screen[] = "ensemble 1/1:\n";
	/* nothing written yet: the CRC of nothing, tagged valid */
	assert_int_equal(output_crc(), OUTPUT_CRC_VALID | 0);
	assert_int_equal(print(a, PRINT_SERIAL), STATUS_SUCCESS);
	uint32_t want = crc32_update(0, a, strlen(a));
	assert_int_equal(output_crc(), OUTPUT_CRC_VALID | want);
	/* the screen (stderr) is not in it */
	assert_int_equal(print(screen, PRINT_SCREEN), STATUS_SUCCESS);
	assert_int_equal(output_crc(), OUTPUT_CRC_VALID | want);
	/* both: the stdout copy is */
	assert_int_equal(print(b, PRINT_SERIAL | PRINT_SCREEN), STATUS_SUCCESS);
	want = crc32_update(want, b, strlen(b));
	assert_int_equal(output_crc(), OUTPUT_CRC_VALID | want);
	/* the same as one CRC over everything stdout received */
	char all[256];
	snprintf(all, sizeof all, "%s%s", a, b);
	assert_int_equal(want, crc32_update(0, all, strlen(all)));
	/* the tag keeps a CRC apart from any NTSTATUS */
	assert_int_not_equal(output_crc() >> 32, 0);
	assert_int_equal(control_call(0x0FFF, 0, 0, 0), STATUS_INVALID_SYSTEM_SERVICE);
}

/* ---- a made-up /sys and /proc ------------------------------------------- */

static char root[64];

static void put(const char *rel, const char *text)
{
	char path[512];
	snprintf(path, sizeof path, "%s%s", root, rel);
	for (char *s = path + 1; (s = strchr(s, '/')); s++) {   /* mkdir -p */
		*s = 0;
		mkdir(path, 0755);
		*s = '/';
	}
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int tree_setup(void **state)
{
	(void)state;
	strcpy(root, "/tmp/ringtrip-hosttest-XXXXXX");
	return mkdtemp(root) ? 0 : -1;
}

static int tree_teardown(void **state)
{
	(void)state;
	return nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* what host_emit handed on */
#define MAX_LINES 128
struct lines {
	unsigned n;
	char key[MAX_LINES][64];
	char value[MAX_LINES][HOST_LINE_MAX + 1];
};

static void collect(void *ctx, const char *key, const char *value)
{
	struct lines *l = ctx;
	assert_true(l->n < MAX_LINES);
	/* the line "# key=value" fits, and its key is a key the readers know */
	assert_true(strlen("# =") + strlen(key) + strlen(value) <= HOST_LINE_MAX);
	assert_true(strspn(key, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			   "0123456789_.-") == strlen(key));
	for (const char *c = value; *c; c++)
		assert_true(*c >= 0x20 && *c < 0x7f);
	snprintf(l->key[l->n], sizeof l->key[0], "%s", key);
	snprintf(l->value[l->n], sizeof l->value[0], "%s", value);
	l->n++;
}

static const char *value_of(const struct lines *l, const char *key)
{
	for (unsigned i = 0; i < l->n; i++)
		if (!strcmp(l->key[i], key))
			return l->value[i];
	return 0;
}

static struct utsname fake_uname(void)
{
	struct utsname u;
	memset(&u, 0, sizeof u);
	strcpy(u.release, "6.1.0-test");
	strcpy(u.version, "#1 SMP PREEMPT_DYNAMIC Debian 6.1.99-1");
	strcpy(u.machine, "x86_64");
	return u;
}

static void test_env_full(void **state)
{
	(void)state;
	static struct lines l;
	char cmdline[1400];
	/* longer than a line: key, key.2, key.3 hold it, cut before spaces */
	size_t n = 0;
	for (unsigned i = 0; n + 40 < sizeof cmdline; i++)
		n += (size_t)snprintf(cmdline + n, sizeof cmdline - n, "opt%u=value%u ", i, i);
	cmdline[n - 1] = '\x01';              /* a control character: '?' */
	put("/proc/cmdline", cmdline);
	put("/sys/devices/system/cpu/vulnerabilities/meltdown", "Not affected\n");
	put("/sys/devices/system/cpu/vulnerabilities/spectre_v2",
	    "Mitigation: Enhanced / Automatic IBRS; IBPB: conditional; RSB filling\n");
	put("/sys/devices/system/cpu/vulnerabilities/a+new bug", "Vulnerable\n");
	put("/sys/devices/system/cpu/smt/control", "on\n");
	put("/sys/devices/system/cpu/smt/active", "1\n");
	put("/sys/devices/system/clocksource/clocksource0/current_clocksource", "tsc\n");
	put("/sys/devices/system/cpu/cpu2/cpufreq/scaling_driver", "intel_pstate\n");
	put("/sys/devices/system/cpu/cpu2/cpufreq/scaling_governor", "performance\n");
	put("/sys/devices/system/cpu/cpu2/cpufreq/scaling_min_freq", "800000\n");
	put("/sys/devices/system/cpu/cpu2/cpufreq/scaling_max_freq", "4700000\n");
	put("/sys/devices/system/cpu/intel_pstate/no_turbo", "1\n");

	struct utsname u = fake_uname();
	memset(&l, 0, sizeof l);
	host_env_describe(root, 2, &u, collect, &l);

	assert_string_equal(value_of(&l, "kernel_release"), "6.1.0-test");
	assert_string_equal(value_of(&l, "kernel_version"), u.version);
	assert_string_equal(value_of(&l, "kernel_machine"), "x86_64");
	/* every vulnerability file, sorted by name, its key made readable */
	assert_string_equal(value_of(&l, "vulnerability.a_new_bug"), "Vulnerable");
	assert_string_equal(value_of(&l, "vulnerability.meltdown"), "Not affected");
	assert_string_equal(value_of(&l, "vulnerability.spectre_v2"),
			    "Mitigation: Enhanced / Automatic IBRS; IBPB: conditional; RSB filling");
	unsigned vulns = 0;
	for (unsigned i = 0; i < l.n; i++)
		vulns += !strncmp(l.key[i], "vulnerability.", 14);
	assert_int_equal(vulns, 3);
	assert_string_equal(value_of(&l, "smt"), "on");
	assert_string_equal(value_of(&l, "smt_active"), "1");
	assert_string_equal(value_of(&l, "clocksource"), "tsc");
	assert_string_equal(value_of(&l, "cpufreq_driver"), "intel_pstate");
	assert_string_equal(value_of(&l, "cpufreq_governor"), "performance");
	assert_string_equal(value_of(&l, "cpufreq_min_khz"), "800000");
	assert_string_equal(value_of(&l, "cpufreq_max_khz"), "4700000");
	assert_string_equal(value_of(&l, "cpufreq_epp"), "unavailable:ENOENT");
	/* intel_pstate's no_turbo=1: boost off */
	assert_string_equal(value_of(&l, "cpu_boost"), "off");
	assert_string_equal(value_of(&l, "cpu_boost_source"),
			    "/sys/devices/system/cpu/intel_pstate/no_turbo");

	/* the command line: parts that give it back, '\x01' as '?' */
	char joined[sizeof cmdline + 8] = "";
	const char *part = value_of(&l, "kernel_cmdline");
	assert_non_null(part);
	strcat(joined, part);
	assert_non_null(value_of(&l, "kernel_cmdline.2"));
	for (unsigned k = 2;; k++) {
		char key[32];
		snprintf(key, sizeof key, "kernel_cmdline.%u", k);
		if (!(part = value_of(&l, key)))
			break;
		assert_true(part[0] == ' ');        /* cut before a space */
		strcat(joined, part);
	}
	cmdline[n - 1] = '?';
	assert_string_equal(joined, cmdline);
}

static void test_env_missing(void **state)
{
	(void)state;
	static struct lines l;
	char empty[96];
	snprintf(empty, sizeof empty, "%s/empty", root);
	mkdir(empty, 0755);
	struct utsname u = fake_uname();
	memset(&l, 0, sizeof l);
	host_env_describe(empty, 0, &u, collect, &l);
	assert_string_equal(value_of(&l, "kernel_cmdline"), "unavailable:ENOENT");
	assert_string_equal(value_of(&l, "vulnerabilities"), "unavailable:ENOENT");
	assert_string_equal(value_of(&l, "smt"), "unavailable:ENOENT");
	assert_string_equal(value_of(&l, "cpufreq_governor"), "unavailable:no-cpufreq");
	assert_string_equal(value_of(&l, "cpufreq_driver"), "unavailable:no-cpufreq");
	assert_string_equal(value_of(&l, "cpu_boost"), "unavailable:no-boost-control");
	assert_string_equal(value_of(&l, "cpu_boost_source"), "none");

	/* the global acpi-cpufreq / amd-pstate switch, not inverted */
	char r2[96];
	snprintf(r2, sizeof r2, "%s/acpi", root);
	char saved[64];
	strcpy(saved, root);
	strcpy(root, r2);
	put("/sys/devices/system/cpu/cpufreq/boost", "1\n");
	strcpy(root, saved);
	memset(&l, 0, sizeof l);
	host_env_describe(r2, 0, &u, collect, &l);
	assert_string_equal(value_of(&l, "cpu_boost"), "on");
	assert_string_equal(value_of(&l, "cpu_boost_source"), "/sys/devices/system/cpu/cpufreq/boost");
}

static void test_emit_clean(void **state)
{
	(void)state;
	static struct lines l;
	memset(&l, 0, sizeof l);
	host_emit(collect, &l, "k", "a\tb\xff" "c\n");
	host_emit(collect, &l, "empty", "");
	assert_string_equal(value_of(&l, "k"), "a?b?c?");
	assert_string_equal(value_of(&l, "empty"), "");
	/* no space to cut at: cut where the line is full */
	char big[1200];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = 0;
	memset(&l, 0, sizeof l);
	host_emit(collect, &l, "big", big);
	assert_int_equal(l.n, 3);
	assert_int_equal(strlen(l.value[0]) + strlen(l.value[1]) + strlen(l.value[2]),
			 sizeof big - 1);
	assert_int_equal(strlen("# big=") + strlen(l.value[0]), HOST_LINE_MAX);
	assert_string_equal(l.key[1], "big.2");
	assert_string_equal(l.key[2], "big.3");
}

/* ---- perf ------------------------------------------------------------------ */

static void test_perf_reasons(void **state)
{
	(void)state;
	struct host_pmu p;
	memset(&p, 0, sizeof p);
	host_perf_reason(EACCES, 2, &p);
	assert_string_equal(p.pmu, "unavailable:perf_event_paranoid=2");
	assert_non_null(strstr(p.detail, "kernel.perf_event_paranoid=2"));
	assert_non_null(strstr(p.detail, "CAP_PERFMON"));
	host_perf_reason(EPERM, 3, &p);            /* Debian's default: 3 */
	assert_string_equal(p.pmu, "unavailable:perf_event_paranoid=3");
	host_perf_reason(EACCES, HOST_PARANOID_UNKNOWN, &p);
	assert_string_equal(p.pmu, "unavailable:perf_event_paranoid=unknown");
	/* allowed by the sysctl, refused anyway: a filter */
	host_perf_reason(EACCES, 1, &p);
	assert_string_equal(p.pmu, "unavailable:EACCES");
	assert_non_null(strstr(p.detail, "seccomp"));
	host_perf_reason(ENOENT, -1, &p);
	assert_string_equal(p.pmu, "unavailable:ENOENT");
	assert_non_null(strstr(p.detail, "no hardware PMU"));
	assert_non_null(strstr(p.detail, "VM"));
	host_perf_reason(EOPNOTSUPP, 0, &p);
	assert_string_equal(p.pmu, "unavailable:EOPNOTSUPP");
	host_perf_reason(ENOSYS, 0, &p);
	assert_string_equal(p.pmu, "unavailable:ENOSYS");
	assert_non_null(strstr(p.detail, "CONFIG_PERF_EVENTS"));
	host_perf_reason(EBUSY, 0, &p);
	assert_string_equal(p.pmu, "unavailable:EBUSY");
	host_perf_reason(12345, 0, &p);
	assert_string_equal(p.pmu, "unavailable:errno-12345");
	assert_int_equal(p.ok, 0);
	/* every pmu= fits the shared page's field it is copied into */
	assert_true(strlen("unavailable:perf_event_paranoid=-2147483648") < sizeof p.pmu);
}

static void test_cpulist(void **state)
{
	(void)state;
	const char *l = "0-3,8,10-11";
	for (int c = 0; c < 14; c++)
		assert_int_equal(host_cpulist_has(l, c),
				 c <= 3 || c == 8 || c == 10 || c == 11);
	assert_int_equal(host_cpulist_has("5", 5), 1);
	assert_int_equal(host_cpulist_has("5", 4), 0);
	assert_int_equal(host_cpulist_has("", 0), 0);
	assert_int_equal(host_cpulist_has("x", 0), 0);
	assert_int_equal(host_cpulist_has("0-", 0), 0);
}

static void test_perf_pmu_choice(void **state)
{
	(void)state;
	char saved[64], name[32];
	uint32_t type = 99;
	strcpy(saved, root);
	/* a hybrid CPU: cpu_core and cpu_atom, no "cpu" */
	strcat(root, "/hybrid");
	put("/sys/bus/event_source/devices/cpu_core/cpus", "0-7\n");
	put("/sys/bus/event_source/devices/cpu_core/type", "4\n");
	put("/sys/bus/event_source/devices/cpu_atom/cpus", "8-15\n");
	put("/sys/bus/event_source/devices/cpu_atom/type", "10\n");
	put("/sys/bus/event_source/devices/software/type", "1\n");
	assert_int_equal(host_perf_pmu(root, 9, &type, name, sizeof name), 0);
	assert_string_equal(name, "cpu_atom");
	assert_int_equal(type, 10);
	assert_int_equal(host_perf_pmu(root, 3, &type, name, sizeof name), 0);
	assert_string_equal(name, "cpu_core");
	assert_int_equal(type, 4);
	assert_int_equal(host_perf_pmu(root, 16, &type, name, sizeof name), -1);
	assert_string_equal(name, "none");
	assert_int_equal(type, 0);
	/* one core type: "cpu", the generic events as they are */
	strcpy(root, saved);
	strcat(root, "/plain");
	put("/sys/bus/event_source/devices/cpu/type", "4\n");
	assert_int_equal(host_perf_pmu(root, 3, &type, name, sizeof name), 0);
	assert_string_equal(name, "cpu");
	assert_int_equal(type, 0);
	/* a VM without a PMU: neither */
	strcpy(root, saved);
	strcat(root, "/vm");
	put("/sys/bus/event_source/devices/software/type", "1\n");
	assert_int_equal(host_perf_pmu(root, 0, &type, name, sizeof name), -1);
	strcpy(root, saved);
}

static void test_perf_off_and_describe(void **state)
{
	(void)state;
	static struct lines l;
	struct host_pmu p;
	char saved[64];
	strcpy(saved, root);
	strcat(root, "/paranoid");
	put("/proc/sys/kernel/perf_event_paranoid", "2\n");
	host_perf_open(root, 0, 0, &p);
	strcpy(root, saved);
	assert_int_equal(p.ok, 0);
	assert_string_equal(p.pmu, "unavailable:perf-off");
	assert_int_equal(p.paranoid, 2);
	memset(&l, 0, sizeof l);
	host_perf_describe(&p, collect, &l);
	assert_non_null(strstr(value_of(&l, "pmu_detail"), "perf=off"));
	assert_string_equal(value_of(&l, "perf_event_paranoid"), "2");
	assert_string_equal(value_of(&l, "perf_pmu"), "none");
	assert_null(value_of(&l, "pmu_counting"));         /* only when counting */
	/* counting: what and how */
	p.ok = 1;
	p.paranoid = HOST_PARANOID_UNKNOWN;
	memset(&l, 0, sizeof l);
	host_perf_describe(&p, collect, &l);
	assert_string_equal(value_of(&l, "pmu_events"), "cycles,instructions");
	assert_string_equal(value_of(&l, "pmu_counting"), "user+kernel");
	assert_string_equal(value_of(&l, "perf_event_paranoid"), "unavailable:unreadable");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_output_crc),
		cmocka_unit_test(test_env_full),
		cmocka_unit_test(test_env_missing),
		cmocka_unit_test(test_emit_clean),
		cmocka_unit_test(test_perf_reasons),
		cmocka_unit_test(test_cpulist),
		cmocka_unit_test(test_perf_pmu_choice),
		cmocka_unit_test(test_perf_off_and_describe),
	};
	return cmocka_run_group_tests(tests, tree_setup, tree_teardown);
}
