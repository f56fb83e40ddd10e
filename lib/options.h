/*
 * options.h - the kernel command line, parsed without side effects so the
 * host unit tests run the very code the kernel runs.
 *
 * Syntax: space-separated key=value words (GRUB passes the line after the
 * kernel's path; a leading word starting with '/' is the path and skipped).
 * Every problem becomes a warning string: a bad value (not a number, out of
 * range, not one of the names, a list naming nothing known) leaves the
 * option at its last valid value, or the default if it had none, and the
 * warning names the option, the bad value and the value kept. Nothing is
 * silently ignored: more warnings than fit, and a command line the caller
 * had to cut, are warnings too.
 *
 * Each option is one row of the table in lib/options.c (key, kind, default,
 * help text); the parser, the defaults and options_help[] come from it.
 * lib/ includes nothing of kernel/.
 */
#ifndef RINGTRIP_OPTIONS_H
#define RINGTRIP_OPTIONS_H
#include <stddef.h>
#include <stdint.h>
#include "mitig.h"               /* OPT_PROFILE_NAMES, OPT_MITIG_NAMES */

/* Plain decimal literals: lib/options.c stringifies them into the help text */
#define DEFAULT_ITERATIONS 100000
#define DEFAULT_WARMUP     10000
#define MAX_ITERATIONS     10000000
#define MAX_WARMUP         10000000
#define DEFAULT_REPEAT     5
#define MAX_REPEAT         32
/* clock=icount (QEMU -icount): every sample of a row is the same
 * instruction count, so what the command line does not set is smaller */
#define ICOUNT_ITERATIONS  100
#define ICOUNT_WARMUP      10
#define ICOUNT_REPEAT      2
#define DEFAULT_BATCH      1
#define MAX_BATCH          1000
#define OPT_MAX_WARNINGS   8
#define OPT_WARNING_LEN    120

/*
 * The names an option takes, each list written once: LIST(FIRST, REST)
 * expands FIRST(ENUMERATOR, name) for its first entry and REST(ENUMERATOR,
 * name) for each other, so the one list gives the enum (entry i is i), the
 * names the parser takes and the help text's "a|b|c". A choice's first name
 * is its default.
 */
#define OPT_ENUMERATOR(e, name) e,
#define OPT_COUNT_ONE(e, name) + 1

#define OPT_EXIT_NAMES(FIRST, REST) \
	FIRST(EXIT_AUTO, auto) REST(EXIT_HALT, halt) REST(EXIT_QEMU, qemu) \
	REST(EXIT_BOCHS, bochs) REST(EXIT_REBOOT, reboot)
enum exit_mode { OPT_EXIT_NAMES(OPT_ENUMERATOR, OPT_ENUMERATOR) };

#define OPT_CRASH_NAMES(FIRST, REST) \
	FIRST(CRASH_NONE, none) REST(CRASH_KERNEL, kernel) REST(CRASH_USER, user)
enum crash_mode { OPT_CRASH_NAMES(OPT_ENUMERATOR, OPT_ENUMERATOR) };

/* clock= and serial= set the flags clock_icount and serial_off */
#define OPT_CLOCK_NAMES(FIRST, REST) FIRST(CLOCK_TSC, tsc) REST(CLOCK_ICOUNT, icount)
enum clock_mode { OPT_CLOCK_NAMES(OPT_ENUMERATOR, OPT_ENUMERATOR) };
_Static_assert(CLOCK_ICOUNT == 1, "clock_icount is 1 for clock=icount");
#define OPT_SERIAL_NAMES(FIRST, REST) FIRST(SERIAL_ON, on) REST(SERIAL_OFF, off)
enum serial_mode { OPT_SERIAL_NAMES(OPT_ENUMERATOR, OPT_ENUMERATOR) };
_Static_assert(SERIAL_OFF == 1, "serial_off is 1 for serial=off");

/* timer=: how a timed stub reads the TSC (entry/invoke.inc's clocks); auto
 * is rdtscp where the CPU has RDTSCP, else lfence. The shared page's
 * `timer` holds the resolved one, never TIMER_AUTO. */
#define OPT_TIMER_NAMES(FIRST, REST) \
	FIRST(TIMER_AUTO, auto) REST(TIMER_RDTSCP, rdtscp) REST(TIMER_LFENCE, lfence) \
	REST(TIMER_CPUID, cpuid)
enum timer_mode { OPT_TIMER_NAMES(OPT_ENUMERATOR, OPT_ENUMERATOR) };
/* qr=: the results as QR codes on the screen at the end of the run
 * (kernel/qr_screen.c); auto: where no UART answered or with serial=off */
#define OPT_QR_NAMES(FIRST, REST) FIRST(QR_AUTO, auto) REST(QR_ON, on) REST(QR_OFF, off)
enum qr_mode { OPT_QR_NAMES(OPT_ENUMERATOR, OPT_ENUMERATOR) };

/* dump=: bit i = table i */
#define OPT_DUMP_NAMES(FIRST, REST) \
	FIRST(DUMP_IDT, idt) REST(DUMP_GDT, gdt) REST(DUMP_TSS, tss) \
	REST(DUMP_MSR, msr) REST(DUMP_CR, cr)
enum dump_table { OPT_DUMP_NAMES(OPT_ENUMERATOR, OPT_ENUMERATOR) };
#define OPT_DUMP_COUNT (0 OPT_DUMP_NAMES(OPT_COUNT_ONE, OPT_COUNT_ONE))

struct options {
	uint64_t iterations;
	uint64_t warmup;
	uint64_t repeat;           /* ensembles: the suite runs this many times */
	uint64_t batch;            /* crossings per timed sample (batch=K) */
	int timer;                 /* enum timer_mode */
	int clock_icount;          /* enum clock_mode; clock=icount: the
				    * launcher ran QEMU with -icount */
	int exit_mode;             /* enum exit_mode */
	uint32_t path_mask;        /* bit i = path i selected; default all */
	uint32_t service_mask;     /* bit i = the caller's service i; default all */
	int serial_off;            /* enum serial_mode; serial=off: screen only */
	int qr_mode;               /* enum qr_mode */
	uint32_t dump_mask;        /* dump=: bit i = enum dump_table i; default none */
	int help;
	int crash;                 /* enum crash_mode: a test hook */
	uint32_t test_mask;        /* test=: bit i = enum test_hook i; only
				    * the test-hooks build (RINGTRIP_TEST_HOOKS)
				    * knows the option, else it stays 0 */
	uint32_t given;            /* bit i: the command line named option row i */
	int profile;               /* profile=: enum mitig_profile (lib/mitig.h) */
	int64_t mitigations;       /* mitigations=: bit i = enum mitig_toggle i,
				    * replacing the profile's set; -1 when not
				    * given (all and none are masks too) */
	unsigned nwarnings;        /* warning[] in use, at most OPT_MAX_WARNINGS */
	unsigned warnings_total;   /* every warning, shown or not: when it exceeds
				    * OPT_MAX_WARNINGS the last slot says
				    * "... and K more warnings" */
	char warning[OPT_MAX_WARNINGS][OPT_WARNING_LEN];
};

/* The names paths= and services= take come from the caller: the kernel's
 * declared paths and kernel/abi.h's BENCH_SERVICES, or host mode's own
 * (getppid, clock_gettime). lib/ knows no path and no service. */
struct option_names {
	const char *const *paths;
	unsigned npaths;
	const char *const *services;
	unsigned nservices;
};

/* Parse cmdline (may be NULL): paths=name,name and services=name,name
 * take names->paths / names->services. */
void options_parse(struct options *o, const char *cmdline,
		   const struct option_names *names);

/* The same, for a command line the caller may have cut to fit its buffer:
 * full_len is the length before the cut. If it exceeds N = strlen(cmdline),
 * the first warning says so ("command line longer than N bytes (F): cut at
 * N"), and a last word not followed by a blank may be incomplete, so it is
 * ignored (and named in that warning: "; last word 'w' may be cut:
 * ignored"). options_parse() is this with full_len 0: nothing was cut. */
void options_parse_cut(struct options *o, const char *cmdline, size_t full_len,
		       const struct option_names *names);

/* 1 if the command line named option key (with any value, even one that
 * was refused), else 0: a caller may then pick another default */
int options_given(const struct options *o, const char *key);

/* The help text, derived from lib/options.c's table of the options: one
 * option per line, "key=values  what (default)", NULL-terminated. */
extern const char *const options_help[];
extern const char *const dump_names[];      /* OPT_DUMP_NAMES, NULL-terminated */

/* test=a,b: what the test-hooks kernel breaks on purpose (kernel/test_hooks.c).
 * The default image has neither the option nor these names. */
#define OPT_TEST_HOOK_NAMES(FIRST, REST) \
	/* the SSDT's page at USER_CANARY_VA, Ring 3-readable */ \
	FIRST(TEST_LEAK_SHADOW, leak_shadow) \
	/* unbounded Ring 0 recursion on the kernel stack */ \
	REST(TEST_KSTACK_OVERFLOW, kstack_overflow) \
	/* ... on the boot stack (kmain's) */ \
	REST(TEST_BOOTSTACK_OVERFLOW, bootstack_overflow) \
	/* ... on the entry stack (TSS.RSP0) */ \
	REST(TEST_ENTRYSTACK_OVERFLOW, entrystack_overflow) \
	/* #UD with half a line on the serial port */ \
	REST(TEST_FAULT_MIDLINE, fault_midline)
#ifdef RINGTRIP_TEST_HOOKS
enum test_hook { OPT_TEST_HOOK_NAMES(OPT_ENUMERATOR, OPT_ENUMERATOR) TEST_HOOK_COUNT };
extern const char *const test_hook_names[];  /* NULL-terminated */
#endif

/* Strict unsigned decimal: digits only, no sign, no overflow. 0 on success. */
int parse_u64(const char *s, size_t len, uint64_t *out);

#endif
