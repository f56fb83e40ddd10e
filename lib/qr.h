/*
 * qr.h - a QR Code encoder (ISO/IEC 18004:2015), freestanding: no libc, no
 * allocation, no floating point. It writes one byte-mode segment, the only
 * mode the results screen needs (the CSV is text, and a scanner gives the
 * bytes back as they were).
 *
 * What it does, in the order of the standard:
 *   - picks the smallest version in [vmin, vmax] whose data capacity at the
 *     asked error-correction level holds the bytes (Table 7), and with
 *     `boost` raises the level while the same version still holds them;
 *   - builds the bit stream: mode 0100, the character count (8 bits in
 *     versions 1-9, 16 in 10-40), the bytes, a terminator of up to four
 *     zero bits, zero bits to a byte boundary, then the pad codewords
 *     0xEC, 0x11, 0xEC, ... (7.4);
 *   - splits the data codewords into the blocks of Table 9, computes each
 *     block's Reed-Solomon error-correction codewords over GF(256) (field
 *     polynomial x^8+x^4+x^3+x^2+1, generator prod (x - 2^i), i < ecc) and
 *     interleaves data then error-correction codewords block by block
 *     (7.5, 7.6);
 *   - draws the function patterns (finders with separators, timing,
 *     alignment patterns at the Annex E positions, the dark module), places
 *     the codewords in the two-module-wide zigzag from the bottom-right
 *     corner (7.7.3), tries the eight data masks and keeps the one with the
 *     lowest penalty (7.8), and writes the format information (BCH(15,5),
 *     XOR 0x5412) and, from version 7, the version information
 *     (BCH(18,6)) (7.9, 7.10).
 *
 * The number of codewords of a version is not a table: it is counted from
 * the function patterns this file draws, so the two cannot disagree.
 * tests/unit/test_qr.c decodes the output with zbar (every version, every
 * level, every mask) and compares the capacities with Debian's qrencode.
 */
#ifndef RINGTRIP_QR_H
#define RINGTRIP_QR_H
#include <stddef.h>
#include <stdint.h>

enum qr_ecl { QR_ECL_L, QR_ECL_M, QR_ECL_Q, QR_ECL_H };   /* ~7, 15, 25, 30 % */

#define QR_VERSION_MIN 1
#define QR_VERSION_MAX 40
#define QR_SIZE(v) (4 * (v) + 17)                 /* modules per side */
#define QR_MAX_SIZE QR_SIZE(QR_VERSION_MAX)
#define QR_GRID_BYTES ((QR_MAX_SIZE * QR_MAX_SIZE + 7) / 8)
#define QR_MAX_CODEWORDS 3706                     /* version 40 */
#define QR_QUIET 4                                /* light modules around a symbol */
#define QR_MASK_AUTO (-1)

enum qr_status {
	QR_OK = 0,
	QR_TOO_LONG = -1,       /* no version in [vmin, vmax] holds the bytes */
	QR_BAD_ARGUMENT = -2,   /* a version, level or mask out of range */
};

/* A symbol and the scratch space to build it (about 15 KiB: the kernel
 * keeps one in .bss, not on a 16 KiB stack). */
struct qr_code {
	int version;            /* 1..40 */
	int size;               /* QR_SIZE(version) */
	enum qr_ecl ecl;        /* the level used: the one asked for, or higher with boost */
	int mask;               /* 0..7 */
	uint8_t dark[QR_GRID_BYTES];       /* module (x, y): bit y * size + x */
	uint8_t function[QR_GRID_BYTES];   /* set where a function pattern is */
	uint8_t data[QR_MAX_CODEWORDS];    /* data codewords, in order */
	uint8_t ecc[QR_MAX_CODEWORDS];     /* each block's error-correction codewords */
	uint8_t out[QR_MAX_CODEWORDS];     /* the interleaved codeword sequence */
};

/* Encode len bytes as one byte-mode segment in the smallest version in
 * [vmin, vmax] (1..40) that holds them at level ecl; boost: then use the
 * highest level that still fits that version. mask 0..7 forces a mask,
 * QR_MASK_AUTO picks the one of lowest penalty. */
int qr_encode_bytes(struct qr_code *qr, const void *bytes, size_t len, enum qr_ecl ecl,
		    int vmin, int vmax, int mask, int boost);

/* 1 if module (x, y) of an encoded symbol is dark (x: column, y: row) */
static inline int qr_module(const struct qr_code *qr, int x, int y)
{
	unsigned i = (unsigned)(y * qr->size + x);
	return (qr->dark[i >> 3] >> (i & 7)) & 1;
}

/* Capacities: all codewords of a version, the data codewords at a level,
 * and the most bytes one byte-mode segment can carry there; 0 for a
 * version or level out of range. */
int qr_total_codewords(int version);
int qr_data_codewords(int version, enum qr_ecl ecl);
int qr_byte_capacity(int version, enum qr_ecl ecl);

/* The 15 format-information bits (after the 0x5412 mask) of a level and
 * mask, and the 18 version-information bits of a version (7..40); exposed
 * for the unit tests, which check them against the standard's examples. */
uint32_t qr_format_bits(enum qr_ecl ecl, int mask);
uint32_t qr_version_bits(int version);

/* The penalty score (7.8.3) of an encoded symbol as it stands. */
long qr_penalty(const struct qr_code *qr);

#endif
