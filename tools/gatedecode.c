/*
 * gatedecode.c - host tool: decode x86-64 IDT gates and GDT descriptors
 * given as raw words (as WinDbg's `dq` or a write-up shows them), with
 * the same lib/desc.c code the kernel's `dump=` command prints with.
 *
 *   cc -std=gnu11 -O2 -Wall -Wextra -Werror -I. -o build/gatedecode \
 *      tools/gatedecode.c lib/desc.c lib/fmt.c
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/desc.h"

enum kind { K_AUTO, K_GATE, K_SEGMENT };

static const char usage[] =
	"usage: gatedecode [--gate|--segment] LO HI   16-byte gate or system descriptor\n"
	"       gatedecode [--gate|--segment] 'LO HI' the same, as one argument\n"
	"       gatedecode [--gate|--segment] 'ADDR LO HI'\n"
	"                                             a WinDbg `dq` line (ADDR skipped)\n"
	"       gatedecode [--segment] WORD           8-byte code/data descriptor\n"
	"       gatedecode [--gate|--segment] < FILE  any of these, one per line\n"
	"\n"
	"A word is hhhhhhhh`llllllll (WinDbg), 0x<1-16 hex digits>, or 16 hex\n"
	"digits. LO is the lower-addressed qword, first as `dq` prints it.\n"
	"Arguments are split at blanks, so words may be quoted together. Three\n"
	"words are a `dq` line, e.g. fffff801`6b6a2000  6b628e03`0010a240\n"
	"00000000`fffff801: the address comes first and is skipped.\n"
	"Two words: a gate if the type is 0xc/0xe/0xf, else TSS/LDT; two code/data\n"
	"descriptors if LO has S=1. --gate forces a gate, --segment forces 8-byte\n"
	"descriptors. Input lines may start with a label `N:` or `vector=N`\n"
	"(decimal or 0x hex), printed as vector= (gates) or sel= (GDT entries);\n"
	"blank lines and # comments are skipped. Exit 2 on bad input.\n";

static const char *where = "";   /* "line N: " while reading stdin */
static const char blanks[] = " \t\r\n";

/* The words of one descriptor: WORD, LO HI, or a `dq` line ADDR LO HI.
 * Counting them is what tells the forms apart, so they are gathered
 * first and decoded once the line (or the argument list) is over. */
struct words {
	uint64_t w[3];
	int n;
};

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

/* All hex digits, just too many: the usual slip is two qwords pasted
 * without the blank between them, which "bad word" would not explain. */
static int too_wide(const char *s, size_t len)
{
	size_t side = 0, widest = 0, ticks = 0;

	if (len > 2 && s[0] == '0' && (s[1] | 0x20) == 'x')
		s += 2, len -= 2;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '`') {
			ticks++;
			side = 0;
		} else if (isxdigit((unsigned char)s[i])) {
			if (++side > widest)
				widest = side;
		} else {
			return 0;
		}
	}
	return ticks ? ticks == 1 && widest > 8 : widest > 16;
}

static int word(const char *tok, size_t len, uint64_t *w)
{
	if (!desc_parse_word(tok, len, w))
		return 0;
	if (too_wide(tok, len))
		return bad("word wider than 64 bits (8 hex digits a side, 16 in all)",
			   tok, len);
	return bad("bad word (want hhhhhhhh`llllllll, 0x<hex> or 16 hex digits)",
		   tok, len);
}

/* Parse one more word into ws. No form has four words, so a fourth is
 * refused rather than guessed at. Returns 0 or 2. */
static int add_word(struct words *ws, const char *tok, size_t len)
{
	if (ws->n == 3)
		return bad("too many words (want WORD, LO HI, or a dq line ADDR LO HI)",
			   tok, len);
	return word(tok, len, &ws->w[ws->n++]);
}

/* Three words are a `dq` line: the address only says where the descriptor
 * was read, so it is dropped (after parsing, so a typo is still caught). */
static int decode_words(enum kind kind, long label, const struct words *ws)
{
	if (ws->n == 3)
		return decode(kind, label, ws->w + 1, 2);
	return decode(kind, label, ws->w, ws->n);
}

/* One input line: [label] [ADDR] WORD [WORD] [# comment]. *seen is set if
 * the line held anything but blanks and comments. Returns 0 or 2. */
static int decode_line(enum kind kind, char *line, int *seen)
{
	struct words ws = { .n = 0 };
	long label = -1;
	char *tok, *save;

	for (tok = strtok_r(line, blanks, &save); tok && tok[0] != '#';
	     tok = strtok_r(NULL, blanks, &save)) {
		size_t len = strlen(tok);
		int first = ws.n == 0 && label < 0;

		*seen = 1;

		if (first && len > 1 && tok[len - 1] == ':') {
			if (parse_label(tok, len - 1, &label))
				return bad("bad label", tok, len);
		} else if (first && !strncmp(tok, "vector=", 7)) {
			if (parse_label(tok + 7, len - 7, &label))
				return bad("bad label", tok, len);
		} else if (add_word(&ws, tok, len)) {
			return 2;
		}
	}
	if (!ws.n && label >= 0) {
		fprintf(stderr, "gatedecode: %slabel without words\n", where);
		return 2;
	}
	if (!ws.n)
		return 0;   /* blank or comment */
	return decode_words(kind, label, &ws);
}

static int read_stdin(enum kind kind)
{
	char *line = NULL, pos[32];
	size_t cap = 0;
	unsigned long lineno = 0;
	int rc = 0, seen = 0;

	/* keep going after a bad line so one typo doesn't hide the rest */
	while (getline(&line, &cap, stdin) >= 0) {
		snprintf(pos, sizeof pos, "line %lu: ", ++lineno);
		where = pos;
		if (decode_line(kind, line, &seen))
			rc = 2;
	}
	where = "";
	if (ferror(stdin)) {
		fprintf(stderr, "gatedecode: reading stdin: %s\n", strerror(errno));
		rc = 2;
	} else if (!seen) {
		/* an empty pipe is a step upstream failing, not "nothing wrong" */
		fputs("gatedecode: no descriptor on stdin (try --help)\n", stderr);
		rc = 2;
	}
	free(line);
	return rc;
}

int main(int argc, char **argv)
{
	enum kind kind = K_AUTO;
	struct words ws = { .n = 0 };

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
		} else {
			/* one argument may hold several words: a pair or a whole
			 * `dq` line pasted in quotes. argv is ours to cut up. */
			char *save, *tok = strtok_r(argv[i], blanks, &save);

			if (!tok)
				return bad("empty argument", a, strlen(a));
			for (; tok; tok = strtok_r(NULL, blanks, &save))
				if (add_word(&ws, tok, strlen(tok)))
					return 2;
		}
	}
	return ws.n ? decode_words(kind, -1, &ws) : read_stdin(kind);
}
