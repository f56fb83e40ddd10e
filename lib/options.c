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

static void warn(struct options *o, const char *a, const char *b, size_t blen,
		 const char *c)
{
	struct sbuf sb;
	if (o->nwarnings >= OPT_MAX_WARNINGS)
		return;
	sb_init(&sb, o->warning[o->nwarnings++], OPT_WARNING_LEN);
	sb_puts(&sb, a);
	sb_putn(&sb, b, blen);
	sb_puts(&sb, c);
}

static int word_is(const char *w, size_t n, const char *lit)
{
	return strlen(lit) == n && !strncmp(w, lit, n);
}

static void set_number(struct options *o, uint64_t *field, uint64_t dflt,
		       uint64_t min, uint64_t max, const char *word,
		       size_t wlen, const char *val, size_t vlen)
{
	uint64_t v;
	if (parse_u64(val, vlen, &v) || v < min || v > max) {
		struct sbuf sb;
		char tail[64];
		sb_init(&sb, tail, sizeof tail);
		sb_puts(&sb, "' is not a number in [");
		sb_u64(&sb, min);
		sb_putc(&sb, ',');
		sb_u64(&sb, max);
		sb_puts(&sb, "]; using ");
		sb_u64(&sb, dflt);
		warn(o, "option '", word, wlen, tail);
		*field = dflt;
		return;
	}
	*field = v;
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
	"help                print this list and stop",
	0,
};
static const char *const crash_names[] = {
	[CRASH_NONE] = "none", [CRASH_KERNEL] = "kernel", [CRASH_USER] = "user", 0 };

static void set_choice(struct options *o, int *field, const char *const *names,
		       const char *word, size_t wlen, const char *val, size_t vlen)
{
	struct sbuf sb;
	char tail[80];
	for (int i = 0; names[i]; i++) {
		if (word_is(val, vlen, names[i])) {
			*field = i;
			return;
		}
	}
	sb_init(&sb, tail, sizeof tail);
	sb_puts(&sb, "' must be one of ");
	for (int i = 0; names[i]; i++) {
		if (i)
			sb_putc(&sb, '|');
		sb_puts(&sb, names[i]);
	}
	sb_puts(&sb, "; using ");
	sb_puts(&sb, names[*field]);
	warn(o, "option '", word, wlen, tail);
}

/* key=name,name,...: a bit per known name; unknown names are reported, and
 * a list with no known name keeps the default (all) */
static void set_names(struct options *o, const char *key, uint32_t *mask,
		      const char *val, size_t vlen, const char *const *names,
		      unsigned nnames)
{
	uint32_t bits = 0;
	size_t i = 0;
	while (i <= vlen) {
		size_t start = i;
		while (i < vlen && val[i] != ',')
			i++;
		size_t n = i - start;
		if (n) {
			unsigned p;
			for (p = 0; p < nnames; p++)
				if (word_is(val + start, n, names[p]))
					break;
			if (p < nnames) {
				bits |= 1u << p;
			} else {
				char tail[48];
				struct sbuf sb;
				sb_init(&sb, tail, sizeof tail);
				sb_puts(&sb, "' in ");
				sb_puts(&sb, key);
				sb_puts(&sb, "=; ignoring that name");
				warn(o, key[0] == 'p' ? "unknown path '" :
					key[0] == 's' ? "unknown service '" : "unknown table '",
				     val + start, n, tail);
			}
		}
		i++;
	}
	if (bits) {
		*mask = bits;
	} else {
		char head[24];
		struct sbuf sb;
		sb_init(&sb, head, sizeof head);
		sb_puts(&sb, key);
		sb_putc(&sb, '=');
		warn(o, head, val, vlen, key[0] == 'd' ? " names nothing known" :
				      " names nothing known; running all");
	}
}

void options_parse(struct options *o, const char *cmdline,
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
		return;

	const char *p = cmdline;
	int first = 1;
	while (*p) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		const char *w = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		size_t wlen = (size_t)(p - w);
		const char *eq = w;
		while (eq < p && *eq != '=')
			eq++;
		size_t klen = (size_t)(eq - w);
		const char *val = eq < p ? eq + 1 : NULL;
		size_t vlen = val ? (size_t)(p - val) : 0;
		int was_first = first;
		first = 0;

		if (!val) {
			if (was_first && w[0] == '/')
				continue;       /* GRUB's path of the kernel */
			if (word_is(w, wlen, "help"))
				o->help = 1;
			else
				warn(o, "unknown option '", w, wlen, "'; ignored");
			continue;
		}
		if (word_is(w, klen, "iterations"))
			set_number(o, &o->iterations, DEFAULT_ITERATIONS, 1,
				   MAX_ITERATIONS, w, wlen, val, vlen);
		else if (word_is(w, klen, "warmup"))
			set_number(o, &o->warmup, DEFAULT_WARMUP, 0, MAX_WARMUP,
				   w, wlen, val, vlen);
		else if (word_is(w, klen, "repeat"))
			set_number(o, &o->repeat, DEFAULT_REPEAT, 1, MAX_REPEAT,
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
			set_names(o, "dump", &o->dump_mask, val, vlen, dump_names, 5);
		else if (word_is(w, klen, "services"))
			set_names(o, "services", &o->service_mask, val, vlen,
				  service_names, BENCH_SERVICE_COUNT);
		else if (word_is(w, klen, "paths")) {
			set_names(o, "paths", &o->path_mask, val, vlen, path_names, npaths);
		} else {
			warn(o, "unknown option '", w, wlen, "'; ignored");
		}
	}
}
