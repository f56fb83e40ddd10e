/* env.c - the environment that explains a host-mode number, as CSV
 * metadata: two runs on one machine can differ by half because a
 * mitigation, the governor, turbo or the clock source changed, and
 * nothing else in the CSV would say so.
 *
 *   kernel_release / kernel_version / kernel_machine   uname -r / -v / -m
 *   kernel_cmdline            /proc/cmdline (mitigations=, isolcpus=, ...)
 *   vulnerability.<name>      each /sys/devices/system/cpu/vulnerabilities/<name>
 *   smt, smt_active           /sys/devices/system/cpu/smt/{control,active}
 *   clocksource               the current clocksource (the vDSO row needs tsc
 *                             or kvm-clock, or clock_gettime becomes a syscall)
 *   cpufreq_driver, cpufreq_governor, cpufreq_min_khz, cpufreq_max_khz,
 *   cpufreq_epp               /sys/devices/system/cpu/cpuN/cpufreq/ of the
 *                             CPU the run is pinned to
 *   cpu_boost, cpu_boost_source   turbo/boost on or off, and the file that said
 *
 * A value that cannot be read is "unavailable:<errno name>" (a VM without
 * cpufreq: "unavailable:no-cpufreq"). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host/host.h"

const char *host_errno_name(int err)
{
	static const struct { int err; const char *name; } names[] = {
		{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { EACCES, "EACCES" },
		{ ENODEV, "ENODEV" }, { EINVAL, "EINVAL" }, { ENOSYS, "ENOSYS" },
		{ EOPNOTSUPP, "EOPNOTSUPP" }, { EBUSY, "EBUSY" }, { ENOSPC, "ENOSPC" },
		{ EMFILE, "EMFILE" }, { ENFILE, "ENFILE" }, { E2BIG, "E2BIG" },
		{ EFAULT, "EFAULT" }, { ENOMEM, "ENOMEM" }, { EIO, "EIO" },
		{ ENOTDIR, "ENOTDIR" }, { EISDIR, "EISDIR" }, { ENXIO, "ENXIO" },
	};
	static __thread char other[24];
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].err == err)
			return names[i].name;
	snprintf(other, sizeof other, "errno-%d", err);
	return other;
}

int host_read_line(const char *root, const char *path, char *buf, size_t cap)
{
	char full[512];
	buf[0] = 0;
	if ((size_t)snprintf(full, sizeof full, "%s%s", root, path) >= sizeof full)
		return ENAMETOOLONG;
	FILE *f = fopen(full, "r");
	if (!f)
		return errno;
	int err = 0;
	if (!fgets(buf, (int)cap, f)) {
		err = ferror(f) ? (errno ? errno : EIO) : 0;
		buf[0] = 0;
	}
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	return err;
}

/* the longest value that fits a line "# key=" + value */
static size_t value_room(const char *key)
{
	size_t used = strlen("# =") + strlen(key);
	return used < HOST_LINE_MAX ? HOST_LINE_MAX - used : 0;
}

void host_emit(host_emit_fn emit, void *ctx, const char *key, const char *value)
{
	size_t n = strlen(value);
	char *clean = malloc(n + 1);
	if (!clean) {
		emit(ctx, key, "unavailable:ENOMEM");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)value[i];
		clean[i] = c < 0x20 || c >= 0x7f ? '?' : (char)c;
	}
	clean[n] = 0;

	char part_key[128], *part = malloc(HOST_LINE_MAX + 1);
	if (!part) {
		free(clean);
		emit(ctx, key, "unavailable:ENOMEM");
		return;
	}
	size_t at = 0;
	unsigned k = 1;
	do {
		if (k == 1)
			snprintf(part_key, sizeof part_key, "%s", key);
		else
			snprintf(part_key, sizeof part_key, "%s.%u", key, k);
		size_t room = value_room(part_key), take = n - at;
		if (!room)
			room = 1;       /* a key near HOST_LINE_MAX: never, but no endless loop */
		if (take > room) {
			/* cut before a space where there is one in the second half:
			 * the next part starts with it, nothing is lost */
			take = room;
			for (size_t j = room; j > room / 2; j--)
				if (clean[at + j] == ' ') {
					take = j;
					break;
				}
		}
		memcpy(part, clean + at, take);
		part[take] = 0;
		emit(ctx, part_key, part);
		at += take;
		k++;
	} while (at < n);
	free(part);
	free(clean);
}

/* key = the first line of root/path, or unavailable:<errno name> */
static void emit_file(const char *root, const char *path, const char *key,
		      host_emit_fn emit, void *ctx)
{
	char buf[4096], why[64];
	int err = host_read_line(root, path, buf, sizeof buf);
	if (err) {
		snprintf(why, sizeof why, "unavailable:%s", host_errno_name(err));
		host_emit(emit, ctx, key, why);
		return;
	}
	host_emit(emit, ctx, key, buf);
}

static int by_name(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

#define VULN_DIR "/sys/devices/system/cpu/vulnerabilities"
#define MAX_VULNS 64
#define VULN_NAME 64

/* every file of the vulnerabilities directory, by name: the kernel adds one
 * for each new CPU bug, so none is named here */
static void vulnerabilities(const char *root, host_emit_fn emit, void *ctx)
{
	static char names[MAX_VULNS][VULN_NAME];
	char dir[512], why[64];
	unsigned n = 0, dropped = 0;
	snprintf(dir, sizeof dir, "%s%s", root, VULN_DIR);
	DIR *d = opendir(dir);
	if (!d) {
		snprintf(why, sizeof why, "unavailable:%s", host_errno_name(errno));
		host_emit(emit, ctx, "vulnerabilities", why);
		return;
	}
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		if (n == MAX_VULNS || strlen(e->d_name) >= VULN_NAME) {
			dropped++;
			continue;
		}
		memcpy(names[n++], e->d_name, strlen(e->d_name) + 1);   /* fits: checked */
	}
	closedir(d);
	qsort(names, n, sizeof names[0], by_name);
	for (unsigned i = 0; i < n; i++) {
		char key[VULN_NAME + 16], path[sizeof VULN_DIR + VULN_NAME + 1];
		/* names are shorter than VULN_NAME: neither is ever cut */
		if (snprintf(key, sizeof key, "vulnerability.%s", names[i]) >= (int)sizeof key ||
		    snprintf(path, sizeof path, "%s/%s", VULN_DIR, names[i]) >= (int)sizeof path)
			continue;
		/* a key is [A-Za-z0-9_.-] (results/ringtrip_csv.py's reader) */
		for (char *c = key; *c; c++)
			if (!(*c == '_' || *c == '.' || *c == '-' || (*c >= '0' && *c <= '9') ||
			      (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z')))
				*c = '_';
		emit_file(root, path, key, emit, ctx);
	}
	if (dropped) {
		snprintf(why, sizeof why, "%u files not shown (too many or too long)", dropped);
		host_emit(emit, ctx, "vulnerabilities_dropped", why);
	}
}

static void cpufreq(const char *root, int cpu, host_emit_fn emit, void *ctx)
{
	static const struct { const char *key, *file; } files[] = {
		{ "cpufreq_driver", "scaling_driver" },
		{ "cpufreq_governor", "scaling_governor" },
		{ "cpufreq_min_khz", "scaling_min_freq" },
		{ "cpufreq_max_khz", "scaling_max_freq" },
		{ "cpufreq_epp", "energy_performance_preference" },
	};
	char dir[128], full[640], path[192];
	snprintf(dir, sizeof dir, "/sys/devices/system/cpu/cpu%d/cpufreq", cpu);
	snprintf(full, sizeof full, "%s%s", root, dir);
	int present = access(full, F_OK) == 0;
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		if (!present) {
			/* no cpufreq driver (most VMs): the frequency is not the
			 * kernel's to choose, or not visible */
			host_emit(emit, ctx, files[i].key, "unavailable:no-cpufreq");
			continue;
		}
		snprintf(path, sizeof path, "%s/%s", dir, files[i].file);
		emit_file(root, path, files[i].key, emit, ctx);
	}
}

/* Turbo / boost: per policy (newer kernels), the global acpi-cpufreq and
 * amd-pstate switch, or intel_pstate's no_turbo (inverted) */
static void boost(const char *root, int cpu, host_emit_fn emit, void *ctx)
{
	static const struct { const char *fmt; int inverted; } sources[] = {
		{ "/sys/devices/system/cpu/cpu%d/cpufreq/boost", 0 },
		{ "/sys/devices/system/cpu/cpufreq/boost", 0 },
		{ "/sys/devices/system/cpu/intel_pstate/no_turbo", 1 },
	};
	char path[128], buf[64];
	for (size_t i = 0; i < sizeof sources / sizeof sources[0]; i++) {
		snprintf(path, sizeof path, sources[i].fmt, cpu);
		if (host_read_line(root, path, buf, sizeof buf))
			continue;
		const char *v = buf;
		if (!strcmp(buf, "0") || !strcmp(buf, "1"))
			v = (buf[0] == '1') != sources[i].inverted ? "on" : "off";
		host_emit(emit, ctx, "cpu_boost", v);
		host_emit(emit, ctx, "cpu_boost_source", path);
		return;
	}
	host_emit(emit, ctx, "cpu_boost", "unavailable:no-boost-control");
	host_emit(emit, ctx, "cpu_boost_source", "none");
}

void host_env_describe(const char *root, int cpu, const struct utsname *u,
		       host_emit_fn emit, void *ctx)
{
	host_emit(emit, ctx, "kernel_release", u->release);
	host_emit(emit, ctx, "kernel_version", u->version);
	host_emit(emit, ctx, "kernel_machine", u->machine);
	emit_file(root, "/proc/cmdline", "kernel_cmdline", emit, ctx);
	vulnerabilities(root, emit, ctx);
	emit_file(root, "/sys/devices/system/cpu/smt/control", "smt", emit, ctx);
	emit_file(root, "/sys/devices/system/cpu/smt/active", "smt_active", emit, ctx);
	emit_file(root, "/sys/devices/system/clocksource/clocksource0/current_clocksource",
		  "clocksource", emit, ctx);
	cpufreq(root, cpu, emit, ctx);
	boost(root, cpu, emit, ctx);
}
