/*
 * gatedecode.c - host tool: decode x86-64 IDT gates and GDT descriptors
 * given as raw words (as WinDbg's `dq` or a write-up shows them), with
 * the same lib/desc.c code the kernel's `dump=` command prints with.
 *
 *   cc -std=gnu11 -O2 -Wall -Wextra -Werror -I. -o build/gatedecode \
 *      tools/gatedecode.c lib/desc.c lib/fmt.c
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/desc.h"

enum kind { K_AUTO, K_GATE, K_SEGMENT };

static const char usage[] =
	"usage: gatedecode [--gate|--segment] LO HI   16-byte gate or system descriptor\n"
	"       gatedecode [--segment] WORD           8-byte code/data descriptor\n"
	"       gatedecode [--gate|--segment] < FILE  one or two words per line\n"
	"\n"
	"A word is hhhhhhhh`llllllll (WinDbg), 0x<1-16 hex digits>, or 16 hex\n"
	"digits. LO is the lower-addressed qword, first as `dq` prints it.\n"
	"Two words: a gate if the type is 0xc/0xe/0xf, else TSS/LDT; two code/data\n"
	"descriptors if LO has S=1. --gate forces a gate, --segment forces 8-byte\n"
	"descriptors. Input lines may start with a label `N:` or `vector=N`\n"
	"(decimal or 0x hex), printed as vector= (gates) or sel= (GDT entries);\n"
	"blank lines and # comments are skipped. Exit 2 on bad input.\n";

static const char *where = "";   /* "line N: " while reading stdin */

static int bad(const char *what, const char *tok, size_t len)
{
	fprintf(stderr, "gatedecode: %s%s '%.*s'\n", where, what, (int)len, tok);
	return 2;
}

static void emit(struct sbuf *sb)
{
	puts(sb_str(sb));
	sb->len = 0;
	sb->buf[0] = 0;
}

/* Print n (1 or 2) words; label < 0: none. Returns 0 or 2. */
static int decode(enum kind kind, long label, const uint64_t *w, int n)
{
	char buf[512];
	struct sbuf sb;
	int as_gate = kind == K_GATE;

	sb_init(&sb, buf, sizeof buf);
	if (n == 1 && kind == K_GATE) {
		fprintf(stderr, "gatedecode: %s--gate needs two words (LO HI)\n", where);
		return 2;
	}
	/* S=1 in LO: two adjacent 8-byte GDT entries, not one 16-byte one */
	if (n == 1 || kind == K_SEGMENT || (!as_gate && (w[0] >> 44 & 1))) {
		for (int i = 0; i < n; i++) {
			desc_format_segment(&sb, label < 0 ? -1 : (int)label + 8 * i, w[i]);
			emit(&sb);
		}
		return 0;
	}
	if (as_gate || desc_is_gate_type((unsigned)(w[0] >> 40) & 15)) {
		if (label > 255) {
			fprintf(stderr, "gatedecode: %svector %ld out of range 0-255\n",
				where, label);
			return 2;
		}
		desc_format_gate(&sb, (int)label, w[0], w[1]);
	} else {
		desc_format_system16(&sb, (int)label, w[0], w[1]);
	}
	emit(&sb);
	return 0;
}

/* decimal or 0x hex, 0..0xffff (a vector or a GDT selector) */
static int parse_label(const char *s, size_t len, long *out)
{
	uint64_t v = 0;

	if (len > 2 && s[0] == '0' && (s[1] | 0x20) == 'x') {
		if (desc_parse_word(s, len, &v))
			return -1;
	} else {
		if (!len || len > 5)
			return -1;
		for (size_t i = 0; i < len; i++) {
			if (s[i] < '0' || s[i] > '9')
				return -1;
			v = v * 10 + (uint64_t)(s[i] - '0');
		}
	}
	if (v > 0xffff)
		return -1;
	*out = (long)v;
	return 0;
}

static int word(const char *tok, size_t len, uint64_t *w)
{
	if (desc_parse_word(tok, len, w))
		return bad("bad word (want hhhhhhhh`llllllll, 0x<hex> or 16 hex digits)",
			   tok, len);
	return 0;
}

/* One input line: [label] WORD [WORD] [# comment]. Returns 0 or 2. */
static int decode_line(enum kind kind, char *line)
{
	static const char ws[] = " \t\r\n";
	uint64_t w[2];
	int n = 0;
	long label = -1;
	char *tok, *save;

	for (tok = strtok_r(line, ws, &save); tok && tok[0] != '#';
	     tok = strtok_r(NULL, ws, &save)) {
		size_t len = strlen(tok);
		int first = n == 0 && label < 0;

		if (first && len > 1 && tok[len - 1] == ':') {
			if (parse_label(tok, len - 1, &label))
				return bad("bad label", tok, len);
		} else if (first && !strncmp(tok, "vector=", 7)) {
			if (parse_label(tok + 7, len - 7, &label))
				return bad("bad label", tok, len);
		} else if (n == 2) {
			return bad("too many words", tok, len);
		} else if (word(tok, len, &w[n++])) {
			return 2;
		}
	}
	if (!n && label >= 0) {
		fprintf(stderr, "gatedecode: %slabel without words\n", where);
		return 2;
	}
	if (!n)
		return 0;   /* blank or comment */
	return decode(kind, label, w, n);
}

static int read_stdin(enum kind kind)
{
	char *line = NULL, pos[32];
	size_t cap = 0;
	unsigned long lineno = 0;
	int rc = 0;

	/* keep going after a bad line so one typo doesn't hide the rest */
	while (getline(&line, &cap, stdin) >= 0) {
		snprintf(pos, sizeof pos, "line %lu: ", ++lineno);
		where = pos;
		if (decode_line(kind, line))
			rc = 2;
	}
	if (ferror(stdin)) {
		fprintf(stderr, "gatedecode: reading stdin: %s\n", strerror(errno));
		rc = 2;
	}
	free(line);
	return rc;
}

int main(int argc, char **argv)
{
	enum kind kind = K_AUTO;
	uint64_t w[2];
	int n = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(usage, stdout);
			return 0;
		} else if (!strcmp(a, "--gate") || !strcmp(a, "--segment")) {
			enum kind k = a[2] == 'g' ? K_GATE : K_SEGMENT;
			if (kind != K_AUTO && kind != k) {
				fputs("gatedecode: --gate and --segment conflict\n", stderr);
				return 2;
			}
			kind = k;
		} else if (a[0] == '-') {   /* a word never starts with '-' */
			fprintf(stderr, "gatedecode: unknown option '%s' (try --help)\n", a);
			return 2;
		} else if (n == 2) {
			return bad("too many words", a, strlen(a));
		} else if (word(a, strlen(a), &w[n++])) {
			return 2;
		}
	}
	return n ? decode(kind, -1, w, n) : read_stdin(kind);
}
