/* mitig.c - the entry mitigations in Ring 3: which toggle set each row runs
 * with, the matrix of extra rows, their metadata and their screen table.
 *
 * Every path whose stub has a template (PATH_MITIG) gets, after its main
 * rows (baseline and services under the set the command line names - the
 * profile's, or mitigations='s):
 *   - each profile (minimal, linux, windows) on `null` and `args4`, unless
 *     it is the main rows' own;
 *   - each toggle alone on `null`, unless it is the main set itself; a
 *     toggle the CPU cannot run gets its row with the reason as status
 *     (unsupported:<why>) and is never asked for.
 * (`null` and `args4` where services= chose them.) The decisions are
 * lib/mitig.c's, from the CPU facts the kernel read
 * (sh->mitig.cpu). Nothing here runs in host mode (sh->mitig.probed = 0),
 * where the operating system's own entry is measured.
 */
#include "user.h"
#include "../lib/mitig.h"
#include "../lib/string.h"

static const struct rt_shared *msh;
static char unsupported[MITIG_COUNT][PATH_STATUS_LEN];

static int applies(const struct rt_path_view *p)
{
	return msh && msh->mitig.probed && (p->flags & PATH_MITIG);
}

static struct mitig_path kind(const struct rt_path_view *p)
{
	return (struct mitig_path){
		.int_gate = !!(p->flags & PATH_INT_GATE),
		.shadow = !!(p->flags & PATH_SHADOW),
		.pcid = !!(p->flags & PATH_PCID) };
}

/* what profile enables on p, as far as this CPU can run it */
static uint32_t profile_set(int profile, const struct rt_path_view *p)
{
	struct mitig_path k = kind(p);
	return mitig_profile_set(profile, &msh->mitig.cpu, &k) & msh->mitig.supported;
}

uint32_t bench_mitig_main(const struct rt_path_view *p)
{
	if (!applies(p))
		return 0;
	if (msh->mitig.requested >= 0)
		return (uint32_t)msh->mitig.requested & msh->mitig.supported;
	return profile_set((int)msh->mitig.profile, p);
}

const char *bench_mitig_main_label(const struct rt_path_view *p)
{
	if (!msh || !msh->mitig.probed)
		return 0;                       /* host mode: the OS's own */
	if (!applies(p))
		return "minimal";               /* no entry macros: no toggle */
	if (msh->mitig.requested >= 0)
		return msh->mitig.requested ? "custom" : "minimal";
	return mitig_profile_names[msh->mitig.profile];
}

static const struct bench_service *service_named(const struct bench_service *s, unsigned n,
						 const char *name)
{
	for (unsigned i = 0; i < n; i++)
		if (!strcmp(s[i].name, name))
			return &s[i];
	return 0;
}

void bench_mitig_rows(const struct rt_shared *sh, unsigned i, const char *why,
		      const struct bench_service *services, unsigned nservices)
{
	const struct rt_path_view *p = &sh->path[i];
	if (!applies(p))
		return;
	/* services= may leave either out: the matrix then has fewer rows */
	const struct bench_service *null = service_named(services, nservices, "null");
	const struct bench_service *args4 = service_named(services, nservices, "args4");
	const char *main_label = bench_mitig_main_label(p);
	uint32_t main_set = bench_mitig_main(p);
	for (int prof = 0; prof < MITIG_PROFILES; prof++) {
		if (!strcmp(main_label, mitig_profile_names[prof]))
			continue;
		uint32_t set = profile_set(prof, p);
		if (null)
			harness_add_row(p, why, null, set, mitig_profile_names[prof]);
		if (args4)
			harness_add_row(p, why, args4, set, mitig_profile_names[prof]);
	}
	for (unsigned t = 0; t < MITIG_COUNT && null; t++) {
		if (!strcmp(main_label, "custom") && main_set == MITIG_BIT(t))
			continue;
		const char *status = why;
		if (!status && !(sh->mitig.supported & MITIG_BIT(t)))
			status = unsupported[t];
		harness_add_row(p, status, null, MITIG_BIT(t), "toggle");
	}
}

/* "# key=value" with a toggle set as the value */
static void kv_set(const char *key, uint32_t set)
{
	char b[128];
	struct sbuf v;
	sb_init(&v, b, sizeof b);
	mitig_format(&v, set);
	out_kv(key, sb_str(&v));
}

void bench_mitig_init(const struct rt_shared *sh)
{
	if (!sh->mitig.probed)
		return;
	msh = sh;
	for (unsigned t = 0; t < MITIG_COUNT; t++) {
		struct sbuf s;
		sb_init(&s, unsupported[t], sizeof unsupported[t]);
		sb_puts(&s, "unsupported:");
		sb_puts(&s, mitig_why_text[sh->mitig.why[t]]);
	}
	/* what the main rows run with */
	out_kv("profile", mitig_profile_names[sh->mitig.profile]);
	if (sh->mitig.requested >= 0) {
		uint32_t asked = (uint32_t)sh->mitig.requested;
		kv_set("mitigations", asked & sh->mitig.supported);
		for (unsigned t = 0; t < MITIG_COUNT; t++)
			if (asked & ~sh->mitig.supported & MITIG_BIT(t)) {
				ULINE(l);
				sb_puts(&l, "# warning: mitigations=");
				sb_puts(&l, mitig_names[t]);
				sb_puts(&l, " is ");
				sb_puts(&l, unsupported[t]);
				sb_puts(&l, " on this CPU: not run");
				sb_endline(&l);
				out_sb(PRINT_SERIAL | PRINT_SCREEN, &l);
			}
	} else {
		out_kv("mitigations", "profile");
	}
	/* what each OS would do here: its address space, and per path kind
	 * what it wants that this CPU cannot run */
	for (int prof = PROFILE_LINUX; prof < MITIG_PROFILES; prof++) {
		const struct mitig_cpu *c = &sh->mitig.cpu;
		int kpti = mitig_profile_kpti(prof, c), pcid = mitig_profile_pcid(prof, c);
		ULINE(l);
		sb_puts(&l, "# profile.");
		sb_puts(&l, mitig_profile_names[prof]);
		sb_puts(&l, "=kpti:");
		sb_puts(&l, kpti ? "on" : "off");
		sb_puts(&l, ",pcid:");
		sb_puts(&l, pcid ? "on" : "off");
		sb_puts(&l, ",syscall_path:");
		sb_puts(&l, !kpti ? "syscall" : pcid ? "shadow_pcid" : "shadow");
		uint32_t lacking = 0;
		for (unsigned i = 0; i < sh->npaths; i++) {
			if (!(sh->path[i].flags & PATH_MITIG))
				continue;
			struct mitig_path k = kind(&sh->path[i]);
			lacking |= mitig_profile_set(prof, c, &k) & ~sh->mitig.supported;
		}
		sb_puts(&l, ",wanted_unsupported:");
		mitig_format(&l, lacking);
		sb_endline(&l);
		out_sb(PRINT_SERIAL, &l);
	}
	/* the paths whose entry has no mitigation sites (the exception paths
	 * enter through the common exception stub, the FRED paths through
	 * their entry page): whatever the profile, their rows run minimal */
	ULINE(l);
	sb_puts(&l, "# mitigations_not_applied=");
	int any = 0;
	for (unsigned i = 0; i < sh->npaths; i++) {
		if (sh->path[i].flags & PATH_MITIG)
			continue;
		if (any++)
			sb_putc(&l, ',');
		sb_puts(&l, sh->path[i].name);
	}
	if (!any)
		sb_puts(&l, "none");
	sb_endline(&l);
	out_sb(PRINT_SERIAL, &l);
}

/* The kernel never runs a toggle this CPU cannot: selecting a path with one
 * is refused (STATUS_INVALID_PARAMETER), which these self-tests prove for
 * every unsupported toggle on the first runnable path with a template; one
 * more shows the kernel refuses a set naming no toggle at all (bit 31).
 * Returns the failures. */
unsigned bench_mitig_selftests(const struct rt_shared *sh)
{
	if (!sh->mitig.probed)
		return 0;
	unsigned failed = 0, i;
	for (i = 0; i < sh->npaths; i++)
		if ((sh->path[i].flags & PATH_MITIG) && sh->path[i].runnable)
			break;
	if (i == sh->npaths)
		return 0;
	for (unsigned t = 0; t <= MITIG_COUNT; t++) {
		uint64_t set = t < MITIG_COUNT ? MITIG_BIT(t) : 1ull << 31;
		if (t < MITIG_COUNT && (sh->mitig.supported & set))
			continue;
		uint64_t got = control_call(SVC_SELECT_PATH, i, set, 0);
		int pass = got == STATUS_INVALID_PARAMETER;
		failed += !pass;
		ULINE(l);
		sb_puts(&l, "# selftest mitigations/");
		sb_puts(&l, t < MITIG_COUNT ? mitig_names[t] : "unknown_bit");
		sb_puts(&l, pass ? "_refused pass got=" : "_refused fail got=");
		sb_hex(&l, got, 1);
		sb_puts(&l, " want=");
		sb_hex(&l, STATUS_INVALID_PARAMETER, 1);
		sb_puts(&l, " path=");
		sb_puts(&l, sh->path[i].name);
		if (t < MITIG_COUNT) {
			sb_putc(&l, ' ');
			sb_puts(&l, unsupported[t]);
		}
		sb_endline(&l);
		out_sb(pass ? PRINT_SERIAL : PRINT_SERIAL | PRINT_SCREEN, &l);
	}
	control_call(SVC_SELECT_PATH, PATH_NONE, 0, 0);
	return failed;
}

/* --- the screen -------------------------------------------------------------- */

static void pad(struct sbuf *sb, uint64_t to)
{
	while (sb->len < to)
		sb_putc(sb, ' ');
}

static void cell(struct sbuf *l, uint64_t width, const char *text)
{
	size_t n = strlen(text);
	pad(l, l->len + (n < width ? width - n : 1));
	sb_puts(l, text);
}

static const struct bench_mitig_result *find(const struct bench_mitig_result *r, unsigned n,
					     const char *path, const char *label,
					     const char *service, uint32_t set, int by_set)
{
	for (unsigned i = 0; i < n; i++)
		if (!strcmp(r[i].path, path) && r[i].service && !strcmp(r[i].service, service) &&
		    (by_set ? r[i].set == set && !strcmp(r[i].label, "toggle")
			    : !strcmp(r[i].label, label)))
			return &r[i];
	return 0;
}

static void result_cell(struct sbuf *l, const struct bench_mitig_result *x,
			const struct bench_mitig_result *base)
{
	char num[24];
	struct sbuf nb;
	sb_init(&nb, num, sizeof num);
	if (!x || x->why)
		sb_puts(&nb, "-");
	else if (x->bad)
		sb_puts(&nb, "BAD");
	else if (!base)
		sb_u64(&nb, x->median);
	else {
		sb_putc(&nb, x->median >= base->median ? '+' : '-');
		sb_u64(&nb, x->median >= base->median ? x->median - base->median
						      : base->median - x->median);
	}
	cell(l, base ? 5 : 8, num);
}

/* Two tables: per path, null under minimal, linux and windows (with the
 * set each OS runs there); then what each toggle alone adds to minimal
 * (+N; '-' where the CPU cannot run it). */
void bench_mitig_screen(const struct rt_shared *sh, const struct bench_mitig_result *r,
			unsigned n)
{
	if (!sh->mitig.probed)
		return;
	ULINE(l);
	sb_puts(&l, "\nnull under each profile (minimal: the crossing and the dispatcher alone):\n");
	out_sb(PRINT_SCREEN, &l);
	pad(&l, 12);
	cell(&l, 8, "minimal");
	cell(&l, 8, "linux");
	cell(&l, 8, "windows");
	sb_endline(&l);
	out_sb(PRINT_SCREEN, &l);
	for (unsigned i = 0; i < sh->npaths; i++) {
		const struct rt_path_view *p = &sh->path[i];
		const struct bench_mitig_result *m = find(r, n, p->name, "minimal", "null", 0, 0);
		if (!(p->flags & PATH_MITIG) || !m)
			continue;
		sb_putn(&l, p->name, 12);
		pad(&l, 12);
		if (m->why) {
			sb_puts(&l, "  ");
			sb_puts(&l, m->why);
		} else {
			for (int prof = 0; prof < MITIG_PROFILES; prof++)
				result_cell(&l, find(r, n, p->name, mitig_profile_names[prof],
						     "null", 0, 0), 0);
		}
		sb_endline(&l);
		out_sb(PRINT_SCREEN, &l);
	}
	sb_puts(&l, "\nwhat each toggle alone adds to minimal null ('-': this CPU cannot run it):\n");
	out_sb(PRINT_SCREEN, &l);
	pad(&l, 12);
	for (unsigned t = 0; t < MITIG_COUNT; t++)
		cell(&l, 5, mitig_labels[t]);
	sb_endline(&l);
	out_sb(PRINT_SCREEN, &l);
	for (unsigned i = 0; i < sh->npaths; i++) {
		const struct rt_path_view *p = &sh->path[i];
		const struct bench_mitig_result *m = find(r, n, p->name, "minimal", "null", 0, 0);
		if (!(p->flags & PATH_MITIG) || !m || m->why)
			continue;
		sb_putn(&l, p->name, 12);
		pad(&l, 12);
		for (unsigned t = 0; t < MITIG_COUNT; t++)
			result_cell(&l, find(r, n, p->name, 0, "null", MITIG_BIT(t), 1), m);
		sb_endline(&l);
		out_sb(PRINT_SCREEN, &l);
	}
}
