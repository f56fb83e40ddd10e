/*
 * test_options.c - host unit tests for lib/options.c, the kernel command
 * line parser (the very code the kernel runs).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "lib/options.h"
#include "kernel/abi.h"

/* services= takes the caller's names: here kernel/abi.h's BENCH_SERVICES,
 * as the kernel passes them */
#define SERVICE_NAME(name, constant) #name,
static const char *const services[] = { BENCH_SERVICES(SERVICE_NAME) };
#define NSERVICES ((unsigned)(sizeof services / sizeof services[0]))
#define NAMES(p, n) (&(const struct option_names){ .paths = (p), .npaths = (n), \
			.services = services, .nservices = NSERVICES })

static const char *const names[] = { "syscall", "int2e", "shadow" };
#define NPATHS 3u
#define ALL 0x7u

static struct options o;

static void parse(const char *cmdline)
{
	memset(&o, 0xA5, sizeof o);     /* parse must initialize everything */
	options_parse(&o, cmdline, NAMES(names, NPATHS));
}

/* true if some warning contains needle */
static int has_warning(const char *needle)
{
	for (unsigned i = 0; i < o.nwarnings && i < OPT_MAX_WARNINGS; i++)
		if (strstr(o.warning[i], needle))
			return 1;
	return 0;
}

static void expect_defaults_except_warnings(void)
{
	assert_int_equal(o.iterations, DEFAULT_ITERATIONS);
	assert_int_equal(o.warmup, DEFAULT_WARMUP);
	assert_int_equal(o.clock_icount, 0);
	assert_int_equal(o.exit_mode, EXIT_AUTO);
	assert_int_equal(o.path_mask, ALL);
	assert_int_equal(o.help, 0);
}

static void expect_defaults(void)
{
	expect_defaults_except_warnings();
	assert_int_equal(o.nwarnings, 0);
}

/* ------------------------------------------------------------ defaults */

static void test_defaults(void **state)
{
	(void)state;
	parse(NULL);
	expect_defaults();
	assert_int_equal(o.iterations, 100000);
	assert_int_equal(o.warmup, 10000);
	parse("");
	expect_defaults();
	parse("   \t  ");
	expect_defaults();
}

static void test_default_mask_by_npaths(void **state)
{
	(void)state;
	static const char *const many[32] = { "p" };
	options_parse(&o, NULL, NAMES(many, 0));
	assert_int_equal(o.path_mask, 0);
	options_parse(&o, NULL, NAMES(many, 1));
	assert_int_equal(o.path_mask, 1);
	options_parse(&o, NULL, NAMES(many, 31));
	assert_int_equal(o.path_mask, 0x7FFFFFFFu);
	options_parse(&o, NULL, NAMES(many, 32));
	assert_int_equal(o.path_mask, 0xFFFFFFFFu);
}

/* ------------------------------------------------------------- numbers */

static void test_numbers(void **state)
{
	(void)state;
	parse("iterations=1000 warmup=5");
	assert_int_equal(o.iterations, 1000);
	assert_int_equal(o.warmup, 5);
	assert_int_equal(o.nwarnings, 0);

	parse("\titerations=1\t warmup=0  ");     /* min values, tabs */
	assert_int_equal(o.iterations, 1);
	assert_int_equal(o.warmup, 0);
	assert_int_equal(o.nwarnings, 0);

	parse("iterations=10000000 warmup=10000000");   /* max values */
	assert_int_equal(o.iterations, MAX_ITERATIONS);
	assert_int_equal(o.warmup, MAX_WARMUP);
	assert_int_equal(o.nwarnings, 0);
}

static void test_kernel_path_skipped(void **state)
{
	(void)state;
	parse("/boot/ringtrip.elf");
	expect_defaults();
	parse("/boot/ringtrip.elf iterations=7");
	assert_int_equal(o.iterations, 7);
	assert_int_equal(o.nwarnings, 0);
	parse("  /boot/ringtrip.elf   exit=halt");
	assert_int_equal(o.exit_mode, EXIT_HALT);
	assert_int_equal(o.nwarnings, 0);
	/* only the first word may be the path */
	parse("iterations=7 /boot/ringtrip.elf");
	assert_int_equal(o.iterations, 7);
	assert_int_equal(o.nwarnings, 1);
	assert_true(has_warning("unknown option"));
	assert_true(has_warning("/boot/ringtrip.elf"));
}

static void test_iterations_not_a_number(void **state)
{
	(void)state;
	parse("iterations=abc");
	expect_defaults_except_warnings();
	assert_int_equal(o.nwarnings, 1);
	assert_true(has_warning("iterations=abc"));
	assert_string_equal(o.warning[0],
		"option 'iterations=abc' is not a number in [1,10000000]; keeping 100000");

	parse("iterations=");
	assert_int_equal(o.iterations, DEFAULT_ITERATIONS);
	assert_int_equal(o.nwarnings, 1);
	parse("iterations=-5");
	assert_int_equal(o.iterations, DEFAULT_ITERATIONS);
	assert_int_equal(o.nwarnings, 1);
	parse("iterations=12a");
	assert_int_equal(o.iterations, DEFAULT_ITERATIONS);
	assert_true(has_warning("iterations=12a"));
}

static void test_iterations_out_of_range(void **state)
{
	(void)state;
	parse("iterations=0");
	expect_defaults_except_warnings();
	assert_int_equal(o.nwarnings, 1);
	assert_true(has_warning("iterations=0"));

	parse("iterations=99999999999");
	expect_defaults_except_warnings();
	assert_int_equal(o.nwarnings, 1);
	assert_true(has_warning("iterations=99999999999"));

	parse("iterations=10000001");
	assert_int_equal(o.iterations, DEFAULT_ITERATIONS);
	assert_int_equal(o.nwarnings, 1);

	parse("warmup=10000001");
	assert_int_equal(o.warmup, DEFAULT_WARMUP);
	assert_int_equal(o.nwarnings, 1);
	assert_true(has_warning("keeping 10000"));
}

static void test_warmup_overflow(void **state)
{
	(void)state;
	parse("warmup=99999999999999999999999");
	expect_defaults_except_warnings();
	assert_int_equal(o.nwarnings, 1);
	assert_true(has_warning("warmup=99999999999999999999999"));
}

/* issue 9: a bad value keeps the last valid value, not the default */
static void test_bad_number_keeps_last_valid(void **state)
{
	(void)state;
	parse("iterations=10000 warmup=5 repeat=3 iterations=lots warmup=-1 repeat=99");
	assert_int_equal(o.iterations, 10000);
	assert_int_equal(o.warmup, 5);
	assert_int_equal(o.repeat, 3);
	assert_int_equal(o.nwarnings, 3);
	assert_string_equal(o.warning[0],
		"option 'iterations=lots' is not a number in [1,10000000]; keeping 10000");
	assert_string_equal(o.warning[1],
		"option 'warmup=-1' is not a number in [0,10000000]; keeping 5");
	assert_string_equal(o.warning[2],
		"option 'repeat=99' is not a number in [1,32]; keeping 3");

	/* out of range and overflow alike; several bad values in a row */
	parse("iterations=500 iterations=0 iterations=99999999999999999999999 warmup=7");
	assert_int_equal(o.iterations, 500);
	assert_int_equal(o.warmup, 7);
	assert_int_equal(o.nwarnings, 2);
	assert_string_equal(o.warning[0],
		"option 'iterations=0' is not a number in [1,10000000]; keeping 500");
	assert_string_equal(o.warning[1],
		"option 'iterations=99999999999999999999999' is not a number in "
		"[1,10000000]; keeping 500");

	/* the last valid value, not the first */
	parse("repeat=2 repeat=4 repeat=x");
	assert_int_equal(o.repeat, 4);
	assert_true(has_warning("option 'repeat=x'"));
	assert_true(has_warning("keeping 4"));

	/* a later good value wins */
	parse("iterations=bad iterations=500");
	assert_int_equal(o.iterations, 500);
	assert_int_equal(o.nwarnings, 1);

	/* a known key without '=' is a bad (empty) value, not an unknown option */
	parse("iterations=7 iterations");
	assert_int_equal(o.iterations, 7);
	assert_int_equal(o.nwarnings, 1);
	assert_string_equal(o.warning[0],
		"option 'iterations' is not a number in [1,10000000]; keeping 7");
}

static void test_bad_number_alone_keeps_default(void **state)
{
	(void)state;
	parse("iterations=lots warmup=x repeat=0");
	expect_defaults_except_warnings();
	assert_int_equal(o.repeat, DEFAULT_REPEAT);
	assert_int_equal(o.nwarnings, 3);
	assert_string_equal(o.warning[0],
		"option 'iterations=lots' is not a number in [1,10000000]; keeping 100000");
	assert_string_equal(o.warning[1],
		"option 'warmup=x' is not a number in [0,10000000]; keeping 10000");
	assert_string_equal(o.warning[2],
		"option 'repeat=0' is not a number in [1,32]; keeping 5");
}

static void test_bad_choice_keeps_last_valid(void **state)
{
	(void)state;
	parse("exit=qemu clock=icount serial=off crash=user "
	      "exit=poweroff clock=cycles serial=maybe crash=sometimes");
	assert_int_equal(o.exit_mode, EXIT_QEMU);
	assert_int_equal(o.clock_icount, 1);
	assert_int_equal(o.serial_off, 1);
	assert_int_equal(o.crash, CRASH_USER);
	assert_int_equal(o.nwarnings, 4);
	assert_string_equal(o.warning[0],
		"option 'exit=poweroff' must be one of auto|halt|qemu|bochs|reboot; keeping qemu");
	assert_string_equal(o.warning[1],
		"option 'clock=cycles' must be one of tsc|icount; keeping icount");
	assert_string_equal(o.warning[2],
		"option 'serial=maybe' must be one of on|off; keeping off");
	assert_string_equal(o.warning[3],
		"option 'crash=sometimes' must be one of none|kernel|user; keeping user");

	/* alone: the default */
	parse("exit=poweroff clock");
	assert_int_equal(o.exit_mode, EXIT_AUTO);
	assert_int_equal(o.clock_icount, 0);
	assert_string_equal(o.warning[1],
		"option 'clock' must be one of tsc|icount; keeping tsc");
}

static void test_bad_list_keeps_last_valid(void **state)
{
	(void)state;
	parse("paths=int2e services=null,args4 dump=idt,cr "
	      "paths=nope services=bogus,args99 dump=");
	assert_int_equal(o.path_mask, 0x2);
	assert_int_equal(o.service_mask, 0x3);
	assert_int_equal(o.dump_mask, (1u << DUMP_IDT) | (1u << DUMP_CR));
	assert_int_equal(o.nwarnings, 3);
	assert_string_equal(o.warning[0],
		"option 'paths=nope' names no known path; keeping int2e");
	assert_string_equal(o.warning[1],
		"option 'services=bogus,args99' names no known service; keeping null,args4");
	assert_string_equal(o.warning[2],
		"option 'dump=' names no known table; keeping idt,cr");

	/* alone: the default (all paths and services, no dump) */
	parse("paths=nope services=,, dump=bogus");
	assert_int_equal(o.path_mask, ALL);
	assert_int_equal(o.service_mask, 0x1F);
	assert_int_equal(o.dump_mask, 0);
	assert_int_equal(o.nwarnings, 3);
	assert_string_equal(o.warning[0],
		"option 'paths=nope' names no known path; keeping all");
	assert_string_equal(o.warning[1],
		"option 'services=,,' names no known service; keeping all");
	assert_string_equal(o.warning[2],
		"option 'dump=bogus' names no known table; keeping none");

	/* a list with a known name replaces the mask; its unknown names are
	 * named, with what is used instead */
	parse("paths=int2e paths=shadow,nope,syscall");
	assert_int_equal(o.path_mask, 0x5);
	assert_int_equal(o.nwarnings, 1);
	assert_string_equal(o.warning[0],
		"unknown path 'nope' in paths=: ignored; using syscall,shadow");

	/* a known key without '=' */
	parse("paths=shadow paths");
	assert_int_equal(o.path_mask, 0x4);
	assert_string_equal(o.warning[0],
		"option 'paths' names no known path; keeping shadow");
}

/* ------------------------------------------------------ unknown, help */

static void test_unknown(void **state)
{
	(void)state;
	parse("bogus=1");
	expect_defaults_except_warnings();
	assert_int_equal(o.nwarnings, 1);
	assert_true(has_warning("unknown option"));
	assert_true(has_warning("bogus=1"));

	parse("frobnicate");
	expect_defaults_except_warnings();
	assert_int_equal(o.nwarnings, 1);
	assert_true(has_warning("unknown option"));
	assert_true(has_warning("frobnicate"));

	parse("iteration=5 =5 iterationsx=5");
	expect_defaults_except_warnings();
	assert_int_equal(o.nwarnings, 3);
	assert_true(has_warning("'iteration=5'"));
	assert_true(has_warning("'=5'"));
	assert_true(has_warning("'iterationsx=5'"));
}

static void test_help(void **state)
{
	(void)state;
	parse("help");
	assert_int_equal(o.help, 1);
	assert_int_equal(o.nwarnings, 0);
	parse("/boot/ringtrip.elf iterations=9 help");
	assert_int_equal(o.help, 1);
	assert_int_equal(o.iterations, 9);
	assert_int_equal(o.nwarnings, 0);
	parse("helpme");
	assert_int_equal(o.help, 0);
	assert_true(has_warning("unknown option"));
}

/* test= exists only in the test-hooks kernel (-DRINGTRIP_TEST_HOOKS, issue
 * 10); the default build - this one - does not know it */
static void test_no_test_hooks(void **state)
{
	(void)state;
	parse("test=leak_shadow test=kstack_overflow");
	expect_defaults_except_warnings();
	assert_int_equal(o.test_mask, 0);
	assert_int_equal(o.nwarnings, 2);
	assert_true(has_warning("unknown option 'test=leak_shadow'"));
	assert_true(has_warning("unknown option 'test=kstack_overflow'"));
	for (unsigned i = 0; options_help[i]; i++)
		assert_null(strstr(options_help[i], "test="));
}

/* The help text comes from the parser's table: each line is an option the
 * parser knows, laid out in two columns, and states the range, the names
 * and the default that the parser's own warnings state */
static void test_help_matches_parser(void **state)
{
	(void)state;
	unsigned lines = 0;
	for (unsigned i = 0; options_help[i]; i++, lines++) {
		const char *h = options_help[i];
		size_t syn = strcspn(h, " "), klen = strcspn(h, "= ");
		size_t text = syn + strspn(h + syn, " ");
		char word[64], want[160];
		/* the text starts in column 20, or two blanks after the syntax */
		assert_int_equal(text, syn + 2 > 20 ? syn + 2 : 20);
		assert_true(h[text] && h[text] != ' ');
		assert_true(klen < 20);
		if (klen == syn) {              /* a flag: its key alone */
			snprintf(word, sizeof word, "%.*s", (int)klen, h);
			parse(word);
			assert_int_equal(o.nwarnings, 0);
			assert_int_equal(o.help, 1);
			continue;
		}
		snprintf(word, sizeof word, "%.*s=@", (int)klen, h);
		parse(word);
		assert_int_equal(o.nwarnings, 1);
		const char *w = o.warning[0], *keep = strstr(w, "; keeping ");
		assert_non_null(keep);
		/* the default, first in the parentheses */
		snprintf(want, sizeof want, " (%s", keep + strlen("; keeping "));
		assert_non_null(strstr(h + text, want));
		const char *range = strstr(w, " is not a number in [");
		const char *one_of = strstr(w, " must be one of ");
		if (range) {
			unsigned long long lo, hi;
			assert_int_equal(sscanf(range, " is not a number in [%llu,%llu]",
						&lo, &hi), 2);
			snprintf(want, sizeof want, ", %llu..%llu (", lo, hi);
			assert_non_null(strstr(h + text, want));
			assert_memory_equal(h + klen, "=N ", 3);
		} else if (one_of) {
			/* the names, in the parser's order */
			one_of += strlen(" must be one of ");
			assert_int_equal(keep - one_of, syn - klen - 1);
			assert_memory_equal(h + klen + 1, one_of, syn - klen - 1);
		} else {
			assert_non_null(strstr(w, "' names no known "));
		}
	}
#ifdef RINGTRIP_TEST_HOOKS
	assert_int_equal(lines, 17);         /* and test= */
#else
	assert_int_equal(lines, 16);
#endif
}

/* --------------------------------------------------------- clock, exit */

static void test_clock(void **state)
{
	(void)state;
	parse("clock=icount");
	assert_int_equal(o.clock_icount, 1);
	assert_int_equal(o.nwarnings, 0);
	parse("clock=tsc");
	assert_int_equal(o.clock_icount, 0);
	assert_int_equal(o.nwarnings, 0);
	parse("clock=icount clock=tsc");
	assert_int_equal(o.clock_icount, 0);
	parse("clock=bad");
	assert_int_equal(o.clock_icount, 0);
	assert_int_equal(o.nwarnings, 1);
	assert_true(has_warning("clock=bad"));
	parse("clock=icountx");
	assert_int_equal(o.clock_icount, 0);
	assert_int_equal(o.nwarnings, 1);
}

static void test_exit_bochs_and_crash(void **state)
{
	(void)state;
	parse("exit=bochs");
	assert_int_equal(o.exit_mode, EXIT_BOCHS);
	assert_int_equal(o.nwarnings, 0);
	assert_int_equal(o.crash, CRASH_NONE);
	parse("crash=kernel");
	assert_int_equal(o.crash, CRASH_KERNEL);
	parse("crash=user");
	assert_int_equal(o.crash, CRASH_USER);
	parse("crash=sometimes");
	assert_int_equal(o.crash, CRASH_NONE);
	assert_int_equal(o.nwarnings, 1);
	assert_string_equal(o.warning[0],
		"option 'crash=sometimes' must be one of none|kernel|user; keeping none");
	parse("exit=reboot");
	assert_int_equal(o.exit_mode, EXIT_REBOOT);
	parse("exit=poweroff");
	assert_string_equal(o.warning[0],
		"option 'exit=poweroff' must be one of auto|halt|qemu|bochs|reboot; keeping auto");
}

static void test_services_and_serial(void **state)
{
	(void)state;
	parse("");
	assert_int_equal(o.service_mask, 0x1F);
	assert_int_equal(o.serial_off, 0);
	parse("services=args16,null serial=off");
	assert_int_equal(o.service_mask, (1u << 3) | 1u);
	assert_int_equal(o.serial_off, 1);
	assert_int_equal(o.nwarnings, 0);
	parse("services=args99");
	assert_int_equal(o.service_mask, 0x1F);
	assert_int_equal(o.nwarnings, 1);
	assert_true(has_warning("'services=args99' names no known service; keeping all"));
	parse("services=null,args99");
	assert_int_equal(o.service_mask, 0x1);
	assert_int_equal(o.nwarnings, 1);
	assert_true(has_warning("unknown service 'args99' in services=: ignored; using null"));
	parse("serial=maybe");
	assert_int_equal(o.serial_off, 0);
	assert_true(has_warning("must be one of on|off; keeping on"));
	/* every option the parser knows is in the help text */
	const char *keys[] = { "iterations=", "warmup=", "repeat=", "paths=", "services=",
			       "exit=", "serial=", "clock=", "dump=", "crash=", "help" };
	for (unsigned k = 0; k < sizeof keys / sizeof keys[0]; k++) {
		int found = 0;
		for (unsigned i = 0; options_help[i]; i++)
			found |= !strncmp(options_help[i], keys[k], strlen(keys[k]));
		assert_true(found);
	}
}

static void test_exit(void **state)
{
	(void)state;
	parse("exit=halt");
	assert_int_equal(o.exit_mode, EXIT_HALT);
	assert_int_equal(o.nwarnings, 0);
	parse("exit=qemu");
	assert_int_equal(o.exit_mode, EXIT_QEMU);
	assert_int_equal(o.nwarnings, 0);
	parse("exit=qemu exit=auto");
	assert_int_equal(o.exit_mode, EXIT_AUTO);
	assert_int_equal(o.nwarnings, 0);
	parse("exit=bad");
	assert_int_equal(o.exit_mode, EXIT_AUTO);
	assert_int_equal(o.nwarnings, 1);
	assert_true(has_warning("exit=bad"));
	parse("exit=");
	assert_int_equal(o.exit_mode, EXIT_AUTO);
	assert_int_equal(o.nwarnings, 1);
}

/* --------------------------------------------------------------- paths */

static void test_paths(void **state)
{
	(void)state;
	parse("paths=int2e,shadow");
	assert_int_equal(o.path_mask, 0x6);
	assert_int_equal(o.nwarnings, 0);

	parse("paths=syscall");
	assert_int_equal(o.path_mask, 0x1);
	assert_int_equal(o.nwarnings, 0);

	parse("paths=shadow,syscall,shadow");
	assert_int_equal(o.path_mask, 0x5);
	assert_int_equal(o.nwarnings, 0);

	parse("paths=,int2e,,");            /* empty names are skipped */
	assert_int_equal(o.path_mask, 0x2);
	assert_int_equal(o.nwarnings, 0);
}

static void test_paths_unknown(void **state)
{
	(void)state;
	parse("paths=nope");
	assert_int_equal(o.path_mask, ALL);
	assert_int_equal(o.nwarnings, 1);
	assert_true(has_warning("nope"));

	/* the boot test greps for "unknown path 'nosuchpath'" */
	parse("paths=syscall,nope");
	assert_int_equal(o.path_mask, 0x1);
	assert_int_equal(o.nwarnings, 1);
	assert_true(has_warning("unknown path 'nope'"));

	parse("paths=");
	assert_int_equal(o.path_mask, ALL);
	assert_int_equal(o.nwarnings, 1);

	parse("paths=sys,syscal,syscalls");   /* no prefix matching */
	assert_int_equal(o.path_mask, ALL);
	assert_int_equal(o.nwarnings, 1);
	assert_true(has_warning("'paths=sys,syscal,syscalls' names no known path"));

	parse("paths=sys,shadow,syscalls");   /* one warning per unknown name */
	assert_int_equal(o.path_mask, 0x4);
	assert_int_equal(o.nwarnings, 2);
	assert_true(has_warning("unknown path 'sys'"));
	assert_true(has_warning("unknown path 'syscalls'"));

	/* no paths known at all (host mode passes none) */
	options_parse(&o, "paths=syscall", NAMES(NULL, 0));
	assert_int_equal(o.path_mask, 0);
	assert_string_equal(o.warning[0],
		"option 'paths=syscall' names no known path; keeping none");
}

/* ------------------------------------------------------------ warnings */

struct guarded {
	struct options o;
	unsigned char guard[64];
};

static void test_warning_overflow(void **state)
{
	(void)state;
	static struct guarded g;
	memset(&g, 0xA5, sizeof g);
	options_parse(&g.o,
		"a b c d e f g h i j k l iterations=x warmup=y clock=z exit=w "
		"paths=q iterations=3",
		NAMES(names, NPATHS));
	assert_int_equal(g.o.nwarnings, OPT_MAX_WARNINGS);
	assert_int_equal(g.o.warnings_total, 17);
	for (unsigned i = 0; i < sizeof g.guard; i++)
		assert_int_equal(g.guard[i], 0xA5);
	for (unsigned i = 0; i < OPT_MAX_WARNINGS; i++)
		assert_true(memchr(g.o.warning[i], 0, OPT_WARNING_LEN) != NULL);
	/* the first seven kept, in order; the last slot counts the rest */
	assert_string_equal(g.o.warning[0], "unknown option 'a'; ignored");
	assert_string_equal(g.o.warning[6], "unknown option 'g'; ignored");
	assert_string_equal(g.o.warning[7], "... and 10 more warnings");
	/* parsing continued after the warnings ran out */
	assert_int_equal(g.o.iterations, 3);
	assert_int_equal(g.o.warmup, DEFAULT_WARMUP);
}

static void test_warning_overflow_edges(void **state)
{
	(void)state;
	/* exactly as many as fit: all shown */
	parse("a b c d e f g h");
	assert_int_equal(o.nwarnings, OPT_MAX_WARNINGS);
	assert_int_equal(o.warnings_total, OPT_MAX_WARNINGS);
	assert_string_equal(o.warning[7], "unknown option 'h'; ignored");
	/* one more: the last slot stands for two */
	parse("a b c d e f g h i");
	assert_int_equal(o.nwarnings, OPT_MAX_WARNINGS);
	assert_int_equal(o.warnings_total, OPT_MAX_WARNINGS + 1);
	assert_string_equal(o.warning[6], "unknown option 'g'; ignored");
	assert_string_equal(o.warning[7], "... and 2 more warnings");
	/* no warnings */
	parse("iterations=5");
	assert_int_equal(o.warnings_total, 0);
}

static void test_long_warning_truncated(void **state)
{
	(void)state;
	static struct guarded g;
	char line[400];
	memset(line, 'x', 300);
	memcpy(line, "iterations=", 11);
	line[300] = 0;
	memset(&g, 0xA5, sizeof g);
	options_parse(&g.o, line, NAMES(names, NPATHS));
	assert_int_equal(g.o.nwarnings, 1);
	assert_true(strlen(g.o.warning[0]) < OPT_WARNING_LEN);
	/* the value is clipped so that the value kept still shows */
	assert_string_equal(g.o.warning[0],
		"option 'iterations=xxxxxxxxxxxxxxxxxxxxxxxxxx...' is not a number "
		"in [1,10000000]; keeping 100000");
	assert_int_equal(g.o.iterations, DEFAULT_ITERATIONS);
	for (unsigned i = 0; i < sizeof g.guard; i++)
		assert_int_equal(g.guard[i], 0xA5);

	/* the same for the other kinds */
	memcpy(line, "exit=", 5);
	options_parse(&g.o, line, NAMES(names, NPATHS));
	assert_int_equal(g.o.nwarnings, 1);
	assert_true(strstr(g.o.warning[0], "...' must be one of auto|halt|qemu|bochs|"
				       "reboot; keeping auto") != NULL);
	memcpy(line, "paths=", 6);
	options_parse(&g.o, line, NAMES(names, NPATHS));
	assert_true(strstr(g.o.warning[0], "...' names no known path; keeping all") != NULL);
	memcpy(line, "paths=shadow,", 13);
	options_parse(&g.o, line, NAMES(names, NPATHS));
	assert_int_equal(g.o.path_mask, 0x4);
	assert_true(strstr(g.o.warning[0], "...' in paths=: ignored; using shadow") != NULL);
	for (unsigned i = 0; i < sizeof g.guard; i++)
		assert_int_equal(g.guard[i], 0xA5);
}

/* ---------------------------------------------------- cut command line */

static void parse_cut(const char *cmdline, size_t full_len)
{
	memset(&o, 0xA5, sizeof o);
	options_parse_cut(&o, cmdline, full_len, NAMES(names, NPATHS));
}

static void test_cut_command_line(void **state)
{
	(void)state;
	/* not cut: no warning */
	parse_cut("iterations=7 warmup=12", 0);
	assert_int_equal(o.warmup, 12);
	assert_int_equal(o.warnings_total, 0);
	parse_cut("iterations=7 warmup=12", 22);
	assert_int_equal(o.warmup, 12);
	assert_int_equal(o.warnings_total, 0);

	/* cut inside or right after a word: that word may be incomplete */
	parse_cut("iterations=7 warmup=12", 600);
	assert_int_equal(o.iterations, 7);
	assert_int_equal(o.warmup, DEFAULT_WARMUP);
	assert_int_equal(o.nwarnings, 1);
	assert_string_equal(o.warning[0],
		"command line longer than 22 bytes (600): cut at 22; "
		"last word 'warmup=12' may be cut: ignored");

	/* cut after a blank: every word is whole */
	parse_cut("iterations=7 warmup=12 ", 600);
	assert_int_equal(o.warmup, 12);
	assert_int_equal(o.nwarnings, 1);
	assert_string_equal(o.warning[0],
		"command line longer than 23 bytes (600): cut at 23");

	parse_cut(NULL, 10);
	expect_defaults_except_warnings();
	assert_string_equal(o.warning[0], "command line longer than 0 bytes (10): cut at 0");

	/* options_parse() never says cut, whatever the length */
	char line[512];
	memset(line, 'a', 511);
	line[511] = 0;
	parse(line);
	assert_int_equal(o.nwarnings, 1);
	assert_true(has_warning("unknown option 'aaa"));
}

static void test_cut_warning_comes_first(void **state)
{
	(void)state;
	/* a 511-byte line, as the kernel keeps it, full of bad words */
	char line[512];
	size_t n = 0;
	n += (size_t)sprintf(line + n, "/boot/ringtrip.elf iterations=300 ");
	while (n < 511 - 9)
		n += (size_t)sprintf(line + n, "bogus=%02u ", (unsigned)(n % 100));
	memset(line + n, 'z', 511 - n);
	line[511] = 0;
	parse_cut(line, 4000);
	assert_int_equal(o.iterations, 300);
	assert_int_equal(o.nwarnings, OPT_MAX_WARNINGS);
	assert_true(o.warnings_total > OPT_MAX_WARNINGS);
	static const char head[] =
		"command line longer than 511 bytes (4000): cut at 511; last word '";
	assert_memory_equal(o.warning[0], head, sizeof head - 1);
	assert_true(strstr(o.warning[0], "' may be cut: ignored") != NULL);
	assert_true(strlen(o.warning[0]) < OPT_WARNING_LEN - 1);   /* not clipped */
	assert_string_equal(o.warning[1], "unknown option 'bogus=34'; ignored");
	assert_true(strstr(o.warning[7], "... and ") == o.warning[7]);
	/* the ignored word is not reported as an unknown option */
	for (unsigned i = 1; i < OPT_MAX_WARNINGS; i++)
		assert_true(strstr(o.warning[i], "zz") == NULL);
}

/* ----------------------------------------------------------- parse_u64 */

static int pu(const char *s, uint64_t *v)
{
	*v = 0xDEADBEEF;
	return parse_u64(s, strlen(s), v);
}

static void test_parse_u64(void **state)
{
	(void)state;
	uint64_t v;
	assert_int_equal(pu("0", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(pu("007", &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(pu("12345", &v), 0);
	assert_int_equal(v, 12345);
	assert_int_equal(pu("18446744073709551615", &v), 0);
	assert_int_equal(v, UINT64_MAX);
	assert_int_equal(pu("18446744073709551610", &v), 0);
	assert_int_equal(v, UINT64_MAX - 5);
	assert_int_equal(pu("1844674407370955161", &v), 0);
	assert_int_equal(v, UINT64_MAX / 10);

	assert_int_not_equal(pu("", &v), 0);
	assert_int_equal(v, 0xDEADBEEF);           /* untouched on failure */
	assert_int_not_equal(pu("18446744073709551616", &v), 0);
	assert_int_equal(v, 0xDEADBEEF);
	assert_int_not_equal(pu("18446744073709551620", &v), 0);
	assert_int_not_equal(pu("99999999999999999999", &v), 0);
	assert_int_not_equal(pu("184467440737095516150", &v), 0);
	assert_int_not_equal(pu("-1", &v), 0);
	assert_int_not_equal(pu("+1", &v), 0);
	assert_int_not_equal(pu("12a", &v), 0);
	assert_int_not_equal(pu("a12", &v), 0);
	assert_int_not_equal(pu(" 1", &v), 0);
	assert_int_not_equal(pu("1 ", &v), 0);
	assert_int_not_equal(pu("0x10", &v), 0);
	assert_int_equal(v, 0xDEADBEEF);

	/* len bounds the parse: "123abc" with len 3 */
	assert_int_equal(parse_u64("123abc", 3, &v), 0);
	assert_int_equal(v, 123);
	assert_int_not_equal(parse_u64("123", 0, &v), 0);
}

/* ------------------------------------------------ profile, mitigations */

static void test_profile_and_mitigations(void **state)
{
	(void)state;
	parse("");
	assert_int_equal(o.profile, PROFILE_MINIMAL);
	assert_int_equal(o.mitigations, -1);              /* not given */
	parse("profile=windows");
	assert_int_equal(o.profile, PROFILE_WINDOWS);
	assert_int_equal(o.nwarnings, 0);
	parse("profile=bsd");
	assert_int_equal(o.profile, PROFILE_MINIMAL);
	assert_true(has_warning("option 'profile=bsd' must be one of minimal|linux|windows; keeping minimal"));

	parse("mitigations=verw,ibrs");
	assert_int_equal(o.mitigations, MITIG_BIT(MITIG_IBRS) | MITIG_BIT(MITIG_VERW));
	assert_int_equal(o.nwarnings, 0);
	parse("mitigations=all");
	assert_int_equal(o.mitigations, MITIG_ALL);
	parse("mitigations=none");
	assert_int_equal(o.mitigations, 0);               /* given: the empty set */
	parse("mitigations=ibrs mitigations=none");
	assert_int_equal(o.mitigations, 0);
	/* a bad list keeps what was there: not given, or the last valid set */
	parse("mitigations=spectre");
	assert_int_equal(o.mitigations, -1);
	assert_true(has_warning("option 'mitigations=spectre' names no known mitigation; keeping the profile's"));
	parse("mitigations=sti mitigations=spectre");
	assert_int_equal(o.mitigations, MITIG_BIT(MITIG_STI));
	assert_true(has_warning("names no known mitigation; keeping sti"));
	/* unknown names in a good list are ignored, with a warning */
	parse("mitigations=pge,bogus,,fpu");
	assert_int_equal(o.mitigations, MITIG_BIT(MITIG_PGE) | MITIG_BIT(MITIG_FPU));
	assert_true(has_warning("unknown mitigation 'bogus' in mitigations=: ignored; using fpu,pge"));
	/* all and none are the set's own words, not the other lists' */
	parse("paths=none");
	assert_int_equal(o.path_mask, ALL);
	assert_true(has_warning("names no known path"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_default_mask_by_npaths),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_kernel_path_skipped),
		cmocka_unit_test(test_iterations_not_a_number),
		cmocka_unit_test(test_iterations_out_of_range),
		cmocka_unit_test(test_warmup_overflow),
		cmocka_unit_test(test_bad_number_keeps_last_valid),
		cmocka_unit_test(test_bad_number_alone_keeps_default),
		cmocka_unit_test(test_bad_choice_keeps_last_valid),
		cmocka_unit_test(test_bad_list_keeps_last_valid),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_no_test_hooks),
		cmocka_unit_test(test_help_matches_parser),
		cmocka_unit_test(test_clock),
		cmocka_unit_test(test_exit),
		cmocka_unit_test(test_exit_bochs_and_crash),
		cmocka_unit_test(test_services_and_serial),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_paths_unknown),
		cmocka_unit_test(test_warning_overflow),
		cmocka_unit_test(test_warning_overflow_edges),
		cmocka_unit_test(test_long_warning_truncated),
		cmocka_unit_test(test_cut_command_line),
		cmocka_unit_test(test_cut_warning_comes_first),
		cmocka_unit_test(test_parse_u64),
		cmocka_unit_test(test_profile_and_mitigations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
