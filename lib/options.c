/*
 * options.c - see options.h. Every option is one row of OPTIONS below: its
 * key, its kind (a number in a range, a choice of names, a list of names, a
 * flag), its default and its help text. The parser, the defaults and
 * options_help[] are all derived from that one table.
 */
#include "options.h"
#include "fmt.h"
#include "string.h"

/* ------------------------------------------------------------ the names */

#define OPT_STR(x) #x
#define OPT_XSTR(x) OPT_STR(x)                  /* a macro's value, as text */

/* A name list of options.h as the names array (NULL-terminated, names[e] =
 * "name") and as text: "a|b|c", "a,b,c", "a, b, c", the first name */
#define NAME_AT(e, name) [e] = #name,
#define NAME_STR(e, name) #name
#define NAME_BAR(e, name) "|" #name
#define NAME_COMMA(e, name) "," #name
#define NAME_COMMA_SP(e, name) ", " #name
#define NAME_SKIP(e, name)
#define NAMES(list) { list(NAME_AT, NAME_AT) 0 }
#define NAMES_BAR(list) list(NAME_STR, NAME_BAR)
#define NAMES_COMMA(list) list(NAME_STR, NAME_COMMA)
#define NAMES_COMMA_SP(list) list(NAME_STR, NAME_COMMA_SP)
#define FIRST_NAME(list) list(NAME_STR, NAME_SKIP)
#define NAME_COUNT(list) (0 list(OPT_COUNT_ONE, OPT_COUNT_ONE))

const char *const dump_names[] = NAMES(OPT_DUMP_NAMES);
/* what a SET row that was not given means, in its help and warnings */
#define SET_UNSET "the profile's"

/* stand-ins in the table for the names the caller passes */
static const char *const CALLER_PATHS[] = { 0 };
static const char *const CALLER_SERVICES[] = { 0 };
#ifdef RINGTRIP_TEST_HOOKS
const char *const test_hook_names[] = NAMES(OPT_TEST_HOOK_NAMES);
#endif

/* ------------------------------------------------------------ the table */

/*
 * The options, in the help text's order. The rows:
 *
 * NUMBER(key, field, min, max, default, what)
 *	key=N sets the uint64_t field to N in [min,max] (plain decimal
 *	literals, or macros of them). Help: "key=N  what, min..max (default)".
 * CHOICE(key, field, names, what, note)
 *	key=name sets the int field to the name's index in the name list
 *	names (options.h); the default is its first name. Help:
 *	"key=a|b|c  what (default<note>)".
 * LIST(key, field, names, count, noun, default, values, what)
 *	key=name,name,... sets bit i of the uint32_t field for each names[i]
 *	(count of them; CALLER_PATHS and CALLER_SERVICES stand for the
 *	names the caller passes); the default is all or none; noun says
 *	what a name is, in the warnings. Help: "key=values  what (default)".
 * FLAG(key, field, what)
 *	key alone, without '=', sets the int field to 1 (default 0).
 *	Help: "key  what".
 * SET(key, field, names, count, noun, values, what)
 *	a LIST that also takes `all` and `none` and remembers whether it was
 *	given: the int64_t field is -1 until key= names something (or says
 *	all/none), then the bit mask. Help: "key=values  what (the
 *	profile's)": SET_UNSET, what the field's user does without it.
 */
#ifdef RINGTRIP_TEST_HOOKS
#define TEST_OPTION(LIST) \
	LIST("test", test_mask, test_hook_names, TEST_HOOK_COUNT, "test hook", none, \
	     "a,b", "test-hooks build only: " NAMES_COMMA_SP(OPT_TEST_HOOK_NAMES))
#else
#define TEST_OPTION(LIST)
#endif

#define OPTIONS(NUMBER, CHOICE, LIST, FLAG, SET) \
	NUMBER("iterations", iterations, 1, MAX_ITERATIONS, DEFAULT_ITERATIONS, \
	       "timed samples per row and ensemble") \
	NUMBER("warmup", warmup, 0, MAX_WARMUP, DEFAULT_WARMUP, \
	       "untimed calls before each row") \
	NUMBER("repeat", repeat, 1, MAX_REPEAT, DEFAULT_REPEAT, \
	       "ensembles: run the whole suite N times") \
	NUMBER("batch", batch, 1, MAX_BATCH, DEFAULT_BATCH, \
	       "back-to-back crossings per timed sample, reported per crossing") \
	CHOICE("timer", timer, OPT_TIMER_NAMES, "how a sample reads the TSC", \
	       ": rdtscp where the CPU has it, else lfence; cpuid: CPUID-serialized") \
	LIST("paths", path_mask, CALLER_PATHS, 0, "path", all, "a,b,...", \
	     "only these paths (named below)") \
	LIST("services", service_mask, CALLER_SERVICES, 0, "service", all, "a,b,...", \
	     "only these services (named below)") \
	CHOICE("exit", exit_mode, OPT_EXIT_NAMES, "how the run ends", \
	       ": QEMU's exit port under a hypervisor, else halt") \
	CHOICE("serial", serial_off, OPT_SERIAL_NAMES, "write the CSV to COM1", \
	       ", if a UART answers") \
	CHOICE("qr", qr_mode, OPT_QR_NAMES, "the results as QR codes on the screen at the end", \
	       ": where no UART answers, or with serial=off") \
	CHOICE("clock", clock_icount, OPT_CLOCK_NAMES, \
	       "what the TSC counts; icount: QEMU -icount instruction counts", "") \
	LIST("dump", dump_mask, dump_names, OPT_DUMP_COUNT, "table", none, \
	     NAMES_COMMA(OPT_DUMP_NAMES), "print the CPU tables and registers, decoded") \
	CHOICE("crash", crash, OPT_CRASH_NAMES, \
	       "test hook: raise #UD in Ring 0 or Ring 3", "") \
	TEST_OPTION(LIST) \
	FLAG("help", help, "print this list and stop") \
	CHOICE("profile", profile, OPT_PROFILE_NAMES, \
	       "whose entry the main rows get: nothing, or what Linux / Windows enable here", "") \
	SET("mitigations", mitigations, mitig_names, MITIG_COUNT, "mitigation", \
	    "a,b,...|all|none", "instead of the profile's, these entry toggles: " \
	    NAMES_COMMA_SP(OPT_MITIG_NAMES))

/* each row's field has its kind's type */
#define FIELD_IS(f, type) _Generic(((struct options *)0)->f, type: 1, default: 0)
#define CHECK_NUMBER(k, f, ...) \
	_Static_assert(FIELD_IS(f, uint64_t), k ": a number's field is a uint64_t");
#define CHECK_CHOICE(k, f, ...) \
	_Static_assert(FIELD_IS(f, int), k ": a choice's field is an int");
#define CHECK_LIST(k, f, arr, count, ...) \
	_Static_assert(FIELD_IS(f, uint32_t), k ": a list's field is a uint32_t"); \
	_Static_assert((count) <= 32, k ": more names than bits");
#define CHECK_FLAG(k, f, ...) \
	_Static_assert(FIELD_IS(f, int), k ": a flag's field is an int");
#define CHECK_SET(k, f, arr, count, ...) \
	_Static_assert(FIELD_IS(f, int64_t), k ": a set's field is an int64_t"); \
	_Static_assert((count) <= 32, k ": more names than bits");
OPTIONS(CHECK_NUMBER, CHECK_CHOICE, CHECK_LIST, CHECK_FLAG, CHECK_SET)

/* The parser's table */
enum opt_kind { OPT_NUMBER, OPT_CHOICE, OPT_LIST, OPT_FLAG, OPT_SET };
enum { LIST_none, LIST_all };

struct opt {
	const char *key;
	enum opt_kind kind;
	size_t offset;             /* of the field in struct options */
	uint64_t min, max;         /* OPT_NUMBER */
	uint64_t def;              /* OPT_NUMBER; OPT_LIST: LIST_all or LIST_none */
	const char *const *names;  /* OPT_CHOICE, OPT_LIST; or CALLER_* */
	unsigned nnames;
	const char *noun;          /* OPT_LIST */
};

#define ROW_NUMBER(k, f, lo, hi, dflt, what) \
	{ .key = k, .kind = OPT_NUMBER, .offset = offsetof(struct options, f), \
	  .min = lo, .max = hi, .def = dflt },
#define ROW_CHOICE(k, f, list, what, note) \
	{ .key = k, .kind = OPT_CHOICE, .offset = offsetof(struct options, f), \
	  .names = (const char *const[])NAMES(list), .nnames = NAME_COUNT(list) },
#define ROW_LIST(k, f, arr, count, what_name, dflt, values, what) \
	{ .key = k, .kind = OPT_LIST, .offset = offsetof(struct options, f), \
	  .def = LIST_##dflt, .names = arr, .nnames = count, .noun = what_name },
#define ROW_FLAG(k, f, what) \
	{ .key = k, .kind = OPT_FLAG, .offset = offsetof(struct options, f) },
#define ROW_SET(k, f, arr, count, what_name, values, what) \
	{ .key = k, .kind = OPT_SET, .offset = offsetof(struct options, f), \
	  .names = arr, .nnames = count, .noun = what_name },
static const struct opt option_table[] = {
	OPTIONS(ROW_NUMBER, ROW_CHOICE, ROW_LIST, ROW_FLAG, ROW_SET)
};
#define NOPTIONS (sizeof option_table / sizeof option_table[0])

/*
 * The help text: a line per row, "syntax  text", the text starting in
 * column HELP_COL (or two blanks after a longer syntax). The padding is
 * computed, so each line is a struct of char arrays with no NUL but the
 * last: syntax, blanks, text.
 */
#define HELP_COL 20
#define HELP_PAD(syntax) \
	(sizeof syntax - 1 + 2 > HELP_COL ? 2 : HELP_COL - (sizeof syntax - 1))
#define HELP_LINE(id, syntax, text) \
	static const struct { \
		char syntax_[sizeof syntax - 1] __attribute__((nonstring)); \
		char pad_[HELP_PAD(syntax)] __attribute__((nonstring)); \
		char text_[sizeof text]; \
	} id = { syntax, { [0 ... HELP_PAD(syntax) - 1] = ' ' }, text }; \
	_Static_assert(sizeof id == sizeof syntax - 1 + HELP_PAD(syntax) + sizeof text, \
		       "a help line is one string");
#define HELP_NUMBER(k, f, lo, hi, dflt, what) \
	HELP_LINE(help_##f, k "=N", what ", " OPT_XSTR(lo) ".." OPT_XSTR(hi) \
		  " (" OPT_XSTR(dflt) ")")
#define HELP_CHOICE(k, f, list, what, note) \
	HELP_LINE(help_##f, k "=" NAMES_BAR(list), what " (" FIRST_NAME(list) note ")")
#define HELP_LIST(k, f, arr, count, what_name, dflt, values, what) \
	HELP_LINE(help_##f, k "=" values, what " (" #dflt ")")
#define HELP_FLAG(k, f, what) \
	HELP_LINE(help_##f, k, what)
#define HELP_SET(k, f, arr, count, what_name, values, what) \
	HELP_LINE(help_##f, k "=" values, what " (" SET_UNSET ")")
OPTIONS(HELP_NUMBER, HELP_CHOICE, HELP_LIST, HELP_FLAG, HELP_SET)

#define HELP_AT(k, f, ...) (const char *)&help_##f,
const char *const options_help[] = {
	OPTIONS(HELP_AT, HELP_AT, HELP_AT, HELP_AT, HELP_AT)
	0,
};

/* ----------------------------------------------------------- the parser */

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

/* "option '<word>'": every warning about a bad value starts so */
static void sb_option(struct sbuf *sb, char *msg, const char *word, size_t wlen)
{
	sb_init(sb, msg, OPT_WARNING_LEN);
	sb_puts(sb, "option '");
	sb_quote(sb, word, wlen, QUOTE_MAX);
	sb_puts(sb, "'");
}

static int word_is(const char *w, size_t n, const char *lit)
{
	return strlen(lit) == n && !strncmp(w, lit, n);
}

/* The names an OPT_CHOICE or OPT_LIST row takes */
struct names {
	const char *const *v;
	unsigned n;
};

static struct names row_names(const struct opt *d, const struct option_names *c)
{
	struct names r = { d->names, d->nnames };
	if (!c)
		;
	else if (d->names == CALLER_PATHS) {
		r.v = c->paths;
		r.n = c->npaths;
	} else if (d->names == CALLER_SERVICES) {
		r.v = c->services;
		r.n = c->nservices;
	}
	return r;
}

static uint32_t all_bits(unsigned n)
{
	return n >= 32 ? 0xFFFFFFFFu : (1u << n) - 1;
}

/* The row's field, a uint64_t, int or uint32_t as its kind says */
static void *field_of(struct options *o, const struct opt *d)
{
	return (char *)o + d->offset;
}

static void set_default(struct options *o, const struct opt *d, struct names nm)
{
	switch (d->kind) {
	case OPT_NUMBER:
		*(uint64_t *)field_of(o, d) = d->def;
		break;
	case OPT_CHOICE:                /* the first name */
	case OPT_FLAG:
		*(int *)field_of(o, d) = 0;
		break;
	case OPT_LIST:
		*(uint32_t *)field_of(o, d) = d->def == LIST_all ? all_bits(nm.n) : 0;
		break;
	case OPT_SET:                   /* not given */
		*(int64_t *)field_of(o, d) = -1;
		break;
	}
}

/* A bad value leaves the field alone: the last valid value, or the default */
static void set_number(struct options *o, const struct opt *d, const char *word,
		       size_t wlen, const char *val, size_t vlen)
{
	uint64_t *field = field_of(o, d), v;
	if (!parse_u64(val, vlen, &v) && v >= d->min && v <= d->max) {
		*field = v;
		return;
	}
	char msg[OPT_WARNING_LEN];
	struct sbuf sb;
	sb_option(&sb, msg, word, wlen);
	sb_puts(&sb, " is not a number in [");
	sb_u64(&sb, d->min);
	sb_putc(&sb, ',');
	sb_u64(&sb, d->max);
	sb_puts(&sb, "]; keeping ");
	sb_u64(&sb, *field);
	add_warning(o, msg);
}

static int name_index(const char *s, size_t n, struct names nm)
{
	for (unsigned i = 0; i < nm.n; i++)
		if (word_is(s, n, nm.v[i]))
			return (int)i;
	return -1;
}

static void set_choice(struct options *o, const struct opt *d, struct names nm,
		       const char *word, size_t wlen, const char *val, size_t vlen)
{
	int *field = field_of(o, d);
	int i = name_index(val, vlen, nm);
	if (i >= 0) {
		*field = i;
		return;
	}
	char msg[OPT_WARNING_LEN];
	struct sbuf sb;
	sb_option(&sb, msg, word, wlen);
	sb_puts(&sb, " must be one of ");
	for (unsigned n = 0; n < nm.n; n++) {
		if (n)
			sb_putc(&sb, '|');
		sb_puts(&sb, nm.v[n]);
	}
	sb_puts(&sb, "; keeping ");
	sb_puts(&sb, nm.v[*field]);
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

/* "all", "none" or the names of the bits, comma-separated */
static void sb_mask(struct sbuf *sb, uint32_t mask, struct names nm)
{
	uint32_t all = all_bits(nm.n);
	if (!(mask & all)) {
		sb_puts(sb, "none");
		return;
	}
	if ((mask & all) == all) {
		sb_puts(sb, "all");
		return;
	}
	int comma = 0;
	for (unsigned i = 0; i < nm.n; i++) {
		if (mask & (1u << i)) {
			if (comma)
				sb_putc(sb, ',');
			sb_puts(sb, nm.v[i]);
			comma = 1;
		}
	}
}

/* key=name,name,...: a bit per known name. A list with a known name
 * replaces the mask, its unknown names are warned about and ignored; a list
 * with no known name is a bad value and the mask keeps its last valid
 * value (or the default). */
static int list_into(struct options *o, const struct opt *d, uint32_t *mask,
		     const char *unset, struct names nm, const char *word,
		     size_t wlen, const char *val, size_t vlen)
{
	char msg[OPT_WARNING_LEN];
	struct sbuf sb;
	uint32_t bits = 0;
	const char *name;
	size_t n, pos = 0;
	while (next_name(val, vlen, &pos, &name, &n)) {
		int i = name_index(name, n, nm);
		if (i >= 0)
			bits |= 1u << i;
	}
	if (!bits) {
		sb_option(&sb, msg, word, wlen);
		sb_puts(&sb, " names no known ");
		sb_puts(&sb, d->noun);
		sb_puts(&sb, "; keeping ");
		if (unset)
			sb_puts(&sb, unset);
		else
			sb_mask(&sb, *mask, nm);
		add_warning(o, msg);
		return 0;
	}
	*mask = bits;
	pos = 0;
	while (next_name(val, vlen, &pos, &name, &n)) {
		if (name_index(name, n, nm) >= 0)
			continue;
		sb_init(&sb, msg, sizeof msg);
		sb_puts(&sb, "unknown ");
		sb_puts(&sb, d->noun);
		sb_puts(&sb, " '");
		sb_quote(&sb, name, n, QUOTE_MAX);
		sb_puts(&sb, "' in ");
		sb_puts(&sb, d->key);
		sb_puts(&sb, "=: ignored; using ");
		sb_mask(&sb, bits, nm);
		add_warning(o, msg);
	}
	return 1;
}

static void set_list(struct options *o, const struct opt *d, struct names nm,
		     const char *word, size_t wlen, const char *val, size_t vlen)
{
	list_into(o, d, field_of(o, d), 0, nm, word, wlen, val, vlen);
}

/* key=all, key=none, or a list as set_list takes it; the field becomes the
 * mask (it was -1: not given). A list naming nothing known keeps the field
 * as it was, with set_list's warning. */
static void set_set(struct options *o, const struct opt *d, struct names nm,
		    const char *word, size_t wlen, const char *val, size_t vlen)
{
	int64_t *field = field_of(o, d);
	if (word_is(val, vlen, "all") || word_is(val, vlen, "none")) {
		*field = val[0] == 'a' ? (int64_t)all_bits(nm.n) : 0;
		return;
	}
	uint32_t bits = *field < 0 ? 0 : (uint32_t)*field;
	if (list_into(o, d, &bits, *field < 0 ? SET_UNSET : 0, nm, word, wlen, val, vlen))
		*field = bits;
}

/* The row for key w[0..klen), or 0 */
static const struct opt *find_option(const char *w, size_t klen)
{
	for (size_t i = 0; i < NOPTIONS; i++)
		if (word_is(w, klen, option_table[i].key))
			return &option_table[i];
	return 0;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static void parse(struct options *o, const char *cmdline, size_t full_len,
		  const struct option_names *c);

void options_parse(struct options *o, const char *cmdline, const struct option_names *names)
{
	parse(o, cmdline, 0, names);
}

void options_parse_cut(struct options *o, const char *cmdline, size_t full_len,
		       const struct option_names *names)
{
	parse(o, cmdline, full_len, names);
}

static void parse(struct options *o, const char *cmdline, size_t full_len,
		  const struct option_names *c)
{
	memset(o, 0, sizeof *o);
	for (size_t i = 0; i < NOPTIONS; i++)
		set_default(o, &option_table[i], row_names(&option_table[i], c));
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
		const struct opt *d = find_option(w, klen);
		/* a flag is its key alone: "help=1" is no option */
		if (!d || (d->kind == OPT_FLAG && has_val)) {
			char msg[OPT_WARNING_LEN];
			struct sbuf sb;
			sb_init(&sb, msg, sizeof msg);
			sb_puts(&sb, "unknown option '");
			sb_quote(&sb, w, wlen, QUOTE_MAX);
			sb_puts(&sb, "'; ignored");
			add_warning(o, msg);
			continue;
		}
		o->given |= 1u << (d - option_table);
		struct names nm = row_names(d, c);
		switch (d->kind) {
		case OPT_NUMBER:
			set_number(o, d, w, wlen, val, vlen);
			break;
		case OPT_CHOICE:
			set_choice(o, d, nm, w, wlen, val, vlen);
			break;
		case OPT_LIST:
			set_list(o, d, nm, w, wlen, val, vlen);
			break;
		case OPT_FLAG:
			*(int *)field_of(o, d) = 1;
			break;
		case OPT_SET:
			set_set(o, d, nm, w, wlen, val, vlen);
			break;
		}
	}
}

int options_given(const struct options *o, const char *key)
{
	const struct opt *d = find_option(key, strlen(key));
	return d && (o->given >> (d - option_table) & 1);
}
