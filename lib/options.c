/* options.c - see options.h */
#include "options.h"
#include "fmt.h"
#include "string.h"
#include "../kernel/abi.h"

int parse_u64(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	if (!len)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		unsigned d = (unsigned)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

/* the longest piece of the command line a warning quotes, so that the
 * value kept (at the end of the warning) always fits in OPT_WARNING_LEN */
#define QUOTE_MAX 40

static void sb_quote(struct sbuf *sb, const char *s, size_t n, size_t max)
{
	if (n <= max) {
		sb_putn(sb, s, n);
		return;
	}
	sb_putn(sb, s, max - 3);
	sb_puts(sb, "...");
}

/* Store a warning; once the slots run out the last one counts the rest */
static void add_warning(struct options *o, const char *msg)
{
	struct sbuf sb;
	o->warnings_total++;
	if (o->nwarnings < OPT_MAX_WARNINGS) {
		strlcpy0(o->warning[o->nwarnings++], msg, OPT_WARNING_LEN);
		return;
	}
	sb_init(&sb, o->warning[OPT_MAX_WARNINGS - 1], OPT_WARNING_LEN);
	sb_puts(&sb, "... and ");
	sb_u64(&sb, o->warnings_total - (OPT_MAX_WARNINGS - 1));
	sb_puts(&sb, " more warnings");
}

/* a + the word b (quoted, clipped) + c */
static void warn(struct options *o, const char *a, const char *b, size_t blen,
		 const char *c)
{
	char msg[OPT_WARNING_LEN];
	struct sbuf sb;
	sb_init(&sb, msg, sizeof msg);
	sb_puts(&sb, a);
	sb_quote(&sb, b, blen, QUOTE_MAX);
	sb_puts(&sb, c);
	add_warning(o, msg);
}

static int word_is(const char *w, size_t n, const char *lit)
{
	return strlen(lit) == n && !strncmp(w, lit, n);
}

/* A bad value leaves *field alone: the last valid value, or the default */
static void set_number(struct options *o, uint64_t *field, uint64_t min,
		       uint64_t max, const char *word, size_t wlen,
		       const char *val, size_t vlen)
{
	uint64_t v;
	if (!parse_u64(val, vlen, &v) && v >= min && v <= max) {
		*field = v;
		return;
	}
	char msg[OPT_WARNING_LEN];
	struct sbuf sb;
	sb_init(&sb, msg, sizeof msg);
	sb_puts(&sb, "option '");
	sb_quote(&sb, word, wlen, QUOTE_MAX);
	sb_puts(&sb, "' is not a number in [");
	sb_u64(&sb, min);
	sb_putc(&sb, ',');
	sb_u64(&sb, max);
	sb_puts(&sb, "]; keeping ");
	sb_u64(&sb, *field);
	add_warning(o, msg);
}

/* key=name options: names[i] is the value that sets the field to i */
static const char *const clock_names[] = { "tsc", "icount", 0 };
static const char *const exit_names[] = {
	[EXIT_AUTO] = "auto", [EXIT_HALT] = "halt", [EXIT_QEMU] = "qemu",
	[EXIT_BOCHS] = "bochs", [EXIT_REBOOT] = "reboot", 0 };
static const char *const serial_names[] = { "on", "off", 0 };
const char *const dump_names[] = { "idt", "gdt", "tss", "msr", "cr", 0 };
#define SERVICE_NAME(name, number, nargs) #name,
static const char *const service_names[] = { BENCH_SERVICES(SERVICE_NAME) };

const char *const options_help[] = {
	"iterations=N        timed samples per row and ensemble, 1..10000000 (100000)",
	"warmup=N            untimed calls before each row, 0..10000000 (10000)",
	"repeat=N            ensembles: run the whole suite N times, 1..32 (5)",
	"paths=a,b,...       only these paths (all)",
	"services=a,b,...    only these services: null,args4,args8,args16,win32k_null (all)",
	"exit=auto|halt|reboot|qemu|bochs  how the run ends (auto: QEMU's exit port under a hypervisor, else halt)",
	"serial=on|off       write the CSV to COM1 (on, if a UART answers)",
	"clock=tsc|icount    what the TSC counts; icount: QEMU -icount instruction counts (tsc)",
	"dump=idt,gdt,tss,msr,cr  print the CPU tables and registers, decoded (none)",
	"crash=kernel|user   test hook: raise #UD in Ring 0 or Ring 3",
#ifdef RINGTRIP_TEST_HOOKS
	"test=a,b            test-hooks build only: leak_shadow, kstack_overflow, bootstack_overflow, entrystack_overflow, fault_midline",
#endif
	"help                print this list and stop",
	0,
};
static const char *const crash_names[] = {
	[CRASH_NONE] = "none", [CRASH_KERNEL] = "kernel", [CRASH_USER] = "user", 0 };
#ifdef RINGTRIP_TEST_HOOKS
const char *const test_hook_names[] = {
	[TEST_LEAK_SHADOW] = "leak_shadow", [TEST_KSTACK_OVERFLOW] = "kstack_overflow",
	[TEST_BOOTSTACK_OVERFLOW] = "bootstack_overflow",
	[TEST_ENTRYSTACK_OVERFLOW] = "entrystack_overflow",
	[TEST_FAULT_MIDLINE] = "fault_midline", 0 };
#endif

static void set_choice(struct options *o, int *field, const char *const *names,
		       const char *word, size_t wlen, const char *val, size_t vlen)
{
	for (int i = 0; names[i]; i++) {
		if (word_is(val, vlen, names[i])) {
			*field = i;
			return;
		}
	}
	char msg[OPT_WARNING_LEN];
	struct sbuf sb;
	sb_init(&sb, msg, sizeof msg);
	sb_puts(&sb, "option '");
	sb_quote(&sb, word, wlen, QUOTE_MAX);
	sb_puts(&sb, "' must be one of ");
	for (int i = 0; names[i]; i++) {
		if (i)
			sb_putc(&sb, '|');
		sb_puts(&sb, names[i]);
	}
	sb_puts(&sb, "; keeping ");
	sb_puts(&sb, names[*field]);
	add_warning(o, msg);
}

/* The next non-empty name of the comma-separated list val[*pos..vlen) */
static int next_name(const char *val, size_t vlen, size_t *pos,
		     const char **name, size_t *n)
{
	while (*pos < vlen) {
		size_t start = *pos;
		while (*pos < vlen && val[*pos] != ',')
			(*pos)++;
		size_t len = *pos - start;
		if (*pos < vlen)
			(*pos)++;               /* the comma */
		if (len) {
			*name = val + start;
			*n = len;
			return 1;
		}
	}
	return 0;
}

static int name_index(const char *s, size_t n, const char *const *names,
		      unsigned nnames)
{
	for (unsigned i = 0; i < nnames; i++)
		if (word_is(s, n, names[i]))
			return (int)i;
	return -1;
}

/* "all", "none" or the names of the bits, comma-separated */
static void sb_mask(struct sbuf *sb, uint32_t mask, const char *const *names,
		    unsigned nnames)
{
	uint32_t all = nnames >= 32 ? 0xFFFFFFFFu : (1u << nnames) - 1;
	if (!(mask & all)) {
		sb_puts(sb, "none");
		return;
	}
	if ((mask & all) == all) {
		sb_puts(sb, "all");
		return;
	}
	int comma = 0;
	for (unsigned i = 0; i < nnames; i++) {
		if (mask & (1u << i)) {
			if (comma)
				sb_putc(sb, ',');
			sb_puts(sb, names[i]);
			comma = 1;
		}
	}
}

/* key=name,name,...: a bit per known name. A list with a known name
 * replaces the mask, its unknown names are warned about and ignored; a list
 * with no known name is a bad value and the mask keeps its last valid
 * value (or the default). noun: what a name is, for the warnings. */
static void set_names(struct options *o, const char *key, const char *noun,
		      uint32_t *mask, const char *word, size_t wlen,
		      const char *val, size_t vlen, const char *const *names,
		      unsigned nnames)
{
	char msg[OPT_WARNING_LEN];
	struct sbuf sb;
	uint32_t bits = 0;
	const char *name;
	size_t n, pos = 0;
	while (next_name(val, vlen, &pos, &name, &n)) {
		int i = name_index(name, n, names, nnames);
		if (i >= 0)
			bits |= 1u << i;
	}
	if (!bits) {
		sb_init(&sb, msg, sizeof msg);
		sb_puts(&sb, "option '");
		sb_quote(&sb, word, wlen, QUOTE_MAX);
		sb_puts(&sb, "' names no known ");
		sb_puts(&sb, noun);
		sb_puts(&sb, "; keeping ");
		sb_mask(&sb, *mask, names, nnames);
		add_warning(o, msg);
		return;
	}
	*mask = bits;
	pos = 0;
	while (next_name(val, vlen, &pos, &name, &n)) {
		if (name_index(name, n, names, nnames) >= 0)
			continue;
		sb_init(&sb, msg, sizeof msg);
		sb_puts(&sb, "unknown ");
		sb_puts(&sb, noun);
		sb_puts(&sb, " '");
		sb_quote(&sb, name, n, QUOTE_MAX);
		sb_puts(&sb, "' in ");
		sb_puts(&sb, key);
		sb_puts(&sb, "=: ignored; using ");
		sb_mask(&sb, bits, names, nnames);
		add_warning(o, msg);
	}
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

void options_parse(struct options *o, const char *cmdline,
		   const char *const *path_names, unsigned npaths)
{
	options_parse_cut(o, cmdline, 0, path_names, npaths);
}

void options_parse_cut(struct options *o, const char *cmdline, size_t full_len,
		       const char *const *path_names, unsigned npaths)
{
	memset(o, 0, sizeof *o);
	o->iterations = DEFAULT_ITERATIONS;
	o->warmup = DEFAULT_WARMUP;
	o->repeat = DEFAULT_REPEAT;
	o->exit_mode = EXIT_AUTO;
	o->path_mask = npaths >= 32 ? 0xFFFFFFFFu : (1u << npaths) - 1;
	o->service_mask = (1u << BENCH_SERVICE_COUNT) - 1;
	if (!cmdline)
		cmdline = "";

	size_t end = strlen(cmdline);
	if (full_len > end) {
		/* the caller cut the line: the first warning says so, and a last
		 * word not followed by a blank may be cut short: not used */
		char msg[OPT_WARNING_LEN];
		struct sbuf sb;
		size_t last = end;
		while (last && !is_blank(cmdline[last - 1]))
			last--;
		sb_init(&sb, msg, sizeof msg);
		sb_puts(&sb, "command line longer than ");
		sb_u64(&sb, end);
		sb_puts(&sb, " bytes (");
		sb_u64(&sb, full_len);
		sb_puts(&sb, "): cut at ");
		sb_u64(&sb, end);
		if (last < end) {
			sb_puts(&sb, "; last word '");
			sb_quote(&sb, cmdline + last, end - last, 32);
			sb_puts(&sb, "' may be cut: ignored");
		}
		add_warning(o, msg);
		end = last;
	}

	size_t i = 0;
	int first = 1;
	while (i < end) {
		while (i < end && is_blank(cmdline[i]))
			i++;
		if (i >= end)
			break;
		const char *w = cmdline + i;
		while (i < end && !is_blank(cmdline[i]))
			i++;
		size_t wlen = (size_t)(cmdline + i - w);
		size_t klen = 0;
		while (klen < wlen && w[klen] != '=')
			klen++;
		int has_val = klen < wlen;
		/* a known key without '=' is that key with an empty value */
		const char *val = has_val ? w + klen + 1 : w + wlen;
		size_t vlen = has_val ? wlen - klen - 1 : 0;
		int was_first = first;
		first = 0;

		if (!has_val && was_first && w[0] == '/')
			continue;       /* GRUB's path of the kernel */
		if (!has_val && word_is(w, wlen, "help"))
			o->help = 1;
		else if (word_is(w, klen, "iterations"))
			set_number(o, &o->iterations, 1, MAX_ITERATIONS,
				   w, wlen, val, vlen);
		else if (word_is(w, klen, "warmup"))
			set_number(o, &o->warmup, 0, MAX_WARMUP,
				   w, wlen, val, vlen);
		else if (word_is(w, klen, "repeat"))
			set_number(o, &o->repeat, 1, MAX_REPEAT,
				   w, wlen, val, vlen);
		else if (word_is(w, klen, "clock"))
			set_choice(o, &o->clock_icount, clock_names, w, wlen, val, vlen);
		else if (word_is(w, klen, "exit"))
			set_choice(o, &o->exit_mode, exit_names, w, wlen, val, vlen);
		else if (word_is(w, klen, "crash"))      /* test hook */
			set_choice(o, &o->crash, crash_names, w, wlen, val, vlen);
		else if (word_is(w, klen, "serial"))
			set_choice(o, &o->serial_off, serial_names, w, wlen, val, vlen);
		else if (word_is(w, klen, "dump"))
			set_names(o, "dump", "table", &o->dump_mask, w, wlen,
				  val, vlen, dump_names,
				  sizeof dump_names / sizeof dump_names[0] - 1);
		else if (word_is(w, klen, "services"))
			set_names(o, "services", "service", &o->service_mask,
				  w, wlen, val, vlen, service_names,
				  BENCH_SERVICE_COUNT);
		else if (word_is(w, klen, "paths"))
			set_names(o, "paths", "path", &o->path_mask, w, wlen,
				  val, vlen, path_names, npaths);
#ifdef RINGTRIP_TEST_HOOKS
		else if (word_is(w, klen, "test"))
			set_names(o, "test", "test hook", &o->test_mask, w, wlen,
				  val, vlen, test_hook_names, TEST_HOOK_COUNT);
#endif
		else
			warn(o, "unknown option '", w, wlen, "'; ignored");
	}
}
