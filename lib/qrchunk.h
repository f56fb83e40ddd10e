/*
 * qrchunk.h - the results as numbered QR codes: how the payload (the run's
 * CSV without its `# hist` lines) is cut into chunks, what text each code
 * carries, and how many codes of which version go on a screen. Pure
 * functions, so the host unit tests run the very code the kernel runs;
 * results/qr-import reads what they write.
 *
 * The text of code i of n (one line, no newline in it):
 *
 *     ringtrip <run> <i>/<n> <crc> <body>
 *
 *   run   8 lowercase hex digits: the CRC-32 of the whole payload, so every
 *         code of one run carries the same id and the importer can check
 *         the reassembled text against it;
 *   i/n   decimal, 1 <= i <= n;
 *   crc   8 lowercase hex digits: the CRC-32 of this chunk's bytes (before
 *         escaping), so a damaged or edited code is named by number;
 *   body  the chunk's bytes, escaped so that a code is a single line of
 *         printable ASCII (scanner apps export one scan per line and may
 *         trim blanks at the end): `\n` for a newline, `\\` for a
 *         backslash, `\xHH` for any other byte outside 0x20..0x7E, and a
 *         space that ends the body as `\x20`.
 *
 * Chunks cut the payload anywhere, also inside a CSV line; joined in order
 * they give it back byte for byte.
 */
#ifndef RINGTRIP_QRCHUNK_H
#define RINGTRIP_QRCHUNK_H
#include <stddef.h>
#include <stdint.h>
#include "qr.h"

#define QRCHUNK_ECL QR_ECL_M      /* the level every code is made at (or higher) */
/* Denser codes carry more per code but are harder for a phone to lock on
 * to from a screen; 25 (117 modules) is about where scanner apps still
 * read a code that fills a third of a laptop screen at once. */
#define QRCHUNK_MAX_VERSION 25
#define QRCHUNK_MAX_CHUNKS 999    /* i/n stay at most three digits each */
/* "ringtrip " + run + ' ' + i + '/' + n + ' ' + crc + ' ' */
#define QRCHUNK_HEADER_LEN(ndigits) (9 + 8 + 1 + 2 * (ndigits) + 1 + 1 + 8 + 1)
#define QRCHUNK_TEXT_MAX 2400     /* more than version 40 holds */

/* Split len bytes into chunks whose escaped bodies take at most body_cap
 * characters each. starts[k] is where chunk k+1 begins, starts[n] = len.
 * Returns n, or 0 if that needs more than max chunks (starts has room for
 * max + 1 entries), body_cap is under 4, or len is 0. */
unsigned qrchunk_split(const uint8_t *p, size_t len, size_t body_cap,
		       uint32_t *starts, unsigned max);

/* The text of chunk i of n (see above) into out (NUL-terminated); returns
 * its length, or 0 if it does not fit in cap. */
size_t qrchunk_text(char *out, size_t cap, uint32_t run_id, unsigned i, unsigned n,
		    const uint8_t *body, size_t len);

/* How the codes go on a screen */
struct qr_plan {
	int version;            /* of a full chunk's symbol (the last may be smaller) */
	unsigned scale;         /* pixels per module */
	unsigned cols, rows;    /* codes across and down on a page */
	unsigned per_page;      /* cols * rows, at most chunks */
	unsigned chunks, pages;
	size_t body_cap;        /* escaped body characters per chunk */
	unsigned cell_w, cell_h;        /* a code with its quiet zone, plus label_h */
};

/* The smallest module, in pixels, worth offering a phone camera on a
 * screen of that height: 3, and more on taller screens (1/270 of the
 * height: a 1080-line laptop panel gets 4, a 2160-line one 8). */
unsigned qr_min_scale(unsigned height);

/* Plan the codes of a payload for an area of width x height pixels, with
 * label_h pixels under each code for its number: the version (up to
 * QRCHUNK_MAX_VERSION) that needs the fewest pages, then the fewest
 * codes; then the largest scale at which a page's codes still fit.
 * starts[] (max + 1 entries) receives the chunks as qrchunk_split gives
 * them. Returns 0, or -1 if not even one code fits the area or the payload
 * needs more than max chunks. */
int qr_plan_make(struct qr_plan *pl, const uint8_t *payload, size_t len,
		 unsigned width, unsigned height, unsigned label_h, unsigned min_scale,
		 uint32_t *starts, unsigned max);

#endif
