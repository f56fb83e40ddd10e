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
 */
#ifndef RINGTRIP_OPTIONS_H
#define RINGTRIP_OPTIONS_H
#include <stddef.h>
#include <stdint.h>

#define DEFAULT_ITERATIONS 100000
#define DEFAULT_WARMUP     10000
#define MAX_ITERATIONS     10000000
#define MAX_WARMUP         10000000
#define DEFAULT_REPEAT     5
#define MAX_REPEAT         32
#define OPT_MAX_WARNINGS   8
#define OPT_WARNING_LEN    120

enum exit_mode { EXIT_AUTO, EXIT_HALT, EXIT_QEMU, EXIT_BOCHS, EXIT_REBOOT };
enum crash_mode { CRASH_NONE, CRASH_KERNEL, CRASH_USER };

struct options {
	uint64_t iterations;
	uint64_t warmup;
	uint64_t repeat;           /* ensembles: the suite runs this many times */
	int clock_icount;          /* clock=icount: the launcher ran QEMU with -icount */
	int exit_mode;             /* enum exit_mode */
	uint32_t path_mask;        /* bit i = path i selected; default all */
	uint32_t service_mask;     /* bit i = BENCH_SERVICES entry i; default all */
	int serial_off;            /* serial=off: screen only */
	uint32_t dump_mask;        /* dump=: bit i = dump_names[i]; default none */
	int help;
	int crash;                 /* enum crash_mode: a test hook */
	uint32_t test_mask;        /* test=: bit i = test_hook_names[i]; only
				    * the test-hooks build (RINGTRIP_TEST_HOOKS)
				    * knows the option, else it stays 0 */
	unsigned nwarnings;        /* warning[] in use, at most OPT_MAX_WARNINGS */
	unsigned warnings_total;   /* every warning, shown or not: when it exceeds
				    * OPT_MAX_WARNINGS the last slot says
				    * "... and K more warnings" */
	char warning[OPT_MAX_WARNINGS][OPT_WARNING_LEN];
};

/* Parse cmdline (may be NULL). path_names lists the known paths (npaths of
 * them) for paths=name,name. */
void options_parse(struct options *o, const char *cmdline,
		   const char *const *path_names, unsigned npaths);

/* The same, for a command line the caller may have cut to fit its buffer:
 * full_len is the length before the cut. If it exceeds N = strlen(cmdline),
 * the first warning says so ("command line longer than N bytes (F): cut at
 * N"), and a last word not followed by a blank may be incomplete, so it is
 * ignored (and named in that warning: "; last word 'w' may be cut:
 * ignored"). options_parse() is this with full_len 0: nothing was cut. */
void options_parse_cut(struct options *o, const char *cmdline, size_t full_len,
		       const char *const *path_names, unsigned npaths);

/* The help text: one option per line, "key=values  what (default)". */
extern const char *const options_help[];
enum dump_table { DUMP_IDT, DUMP_GDT, DUMP_TSS, DUMP_MSR, DUMP_CR };
extern const char *const dump_names[];

#ifdef RINGTRIP_TEST_HOOKS
/* test=a,b: what the test-hooks kernel breaks on purpose (kernel/test_hooks.c).
 * The default image has neither the option nor these names. */
enum test_hook {
	TEST_LEAK_SHADOW,          /* the SSDT's page at USER_CANARY_VA, Ring 3-readable */
	TEST_KSTACK_OVERFLOW,      /* unbounded Ring 0 recursion on the kernel stack */
	TEST_BOOTSTACK_OVERFLOW,   /* ... on the boot stack (kmain's) */
	TEST_ENTRYSTACK_OVERFLOW,  /* ... on the entry stack (TSS.RSP0) */
	TEST_FAULT_MIDLINE,        /* #UD with half a line on the serial port */
	TEST_HOOK_COUNT
};
extern const char *const test_hook_names[];
#endif

/* Strict unsigned decimal: digits only, no sign, no overflow. 0 on success. */
int parse_u64(const char *s, size_t len, uint64_t *out);

#endif
