/*
 * csv.h - the CSV contract (version CSV_VERSION, kernel/abi.h). Columns
 * only ever grow; tools read them by name. A row's text fields never
 * contain ',' or a newline: the writer replaces them with '_' so one bad
 * status cannot shift columns.
 *
 * A capture starts with CSV_FIRST_LINE ("# ringtrip csv=2") and ends with
 * the trailer "# end rows=N crc32=xxxxxxxx": N data rows, and the CRC-32
 * (lib/crc32.h) of every byte of every line before the trailer, from the
 * first line on, each with its '\n' - metadata, self-tests, warnings, the
 * header, the rows and the '# hist' lines alike. (Version 1's crc32
 * covered the data rows alone.) The CRC is kept where the lines pass: the
 * kernel's console (SVC_OUTPUT_CRC), host mode's control.c.
 */
#ifndef RINGTRIP_CSV_H
#define RINGTRIP_CSV_H
#include "../lib/fmt.h"
#include "stats.h"
#include "../kernel/abi.h"     /* CSV_VERSION, CSV_FIRST_LINE */

/*
 * The columns, in file order: the one list. The header (CSV_COLUMNS) and
 * the row writer (csv_format_row) are both made from it, so a column
 * cannot be named in one and missing from the other. A new column goes at
 * the end (tools read by name, but columns only ever grow).
 *
 *   X(name, kind, present, value)
 *
 * name     the header's name for the column (a C identifier)
 * kind     how the value is written: TEXT (csv_field: ',' and newlines
 *          become '_', an empty or NULL string '-'), U64 (decimal),
 *          TENTHS (a count of tenths as "123.4", the leading zero kept)
 * present  an expression over `const struct csv_row *r`: 0 leaves the
 *          field empty (a clock the machine lacks)
 * value    an expression over `const struct csv_row *r`
 *
 * Keep one X(...) entry per line: tests/boot/lib.sh reads the names from
 * here (its CSV_HEADER), and tests/results/test_columns.py checks that
 * reading, and results/ringtrip_csv.py's column types, against this table.
 */
#define CSV_COLUMNS_X(X) \
	X(path,                TEXT,   1,                   r->path)               \
	X(service,             TEXT,   1,                   r->service)            \
	X(args,                U64,    1,                   r->args)               \
	X(status,              TEXT,   1,                   r->status)             \
	X(samples,             U64,    1,                   r->st.n)               \
	X(min,                 U64,    1,                   r->st.min)             \
	X(median,              U64,    1,                   r->st.median)          \
	X(mean,                U64,    1,                   r->st.mean)            \
	X(stdev,               U64,    1,                   r->st.stdev)           \
	X(p99,                 U64,    1,                   r->st.p99)             \
	X(max,                 U64,    1,                   r->st.max)             \
	X(overhead,            U64,    1,                   r->overhead)           \
	X(p1,                  U64,    1,                   r->st.p1)              \
	X(ensembles,           U64,    1,                   r->ensembles)          \
	X(median_spread,       U64,    1,                   r->median_spread)      \
	X(min_spread,          U64,    1,                   r->min_spread)         \
	X(median_ns,           TENTHS, r->has_ns,           r->median_ns_tenths)   \
	X(median_cycles,       U64,    r->has_cycles,       r->median_cycles)      \
	X(median_instructions, U64,    r->has_instructions, r->median_instructions) \
	X(core_mhz,            U64,    r->has_core_clock,   r->core_mhz)           \
	X(median_core_cycles,  U64,    r->has_core_clock,   r->median_core_cycles) \
	X(smis,                U64,    r->has_smis,         r->smis)               \
	X(service_cost,        U64,    r->has_service_cost, r->service_cost)       \
	X(profile,             TEXT,   1,                   r->profile)            \
	X(mitigations,         TEXT,   1,                   r->mitigations)

/* ",path,service,...": each name with the separator before it */
#define CSV_COLUMN_NAME_(name, kind, present, value) "," #name
#define CSV_COLUMNS_WITH_COMMA_ ("" CSV_COLUMNS_X(CSV_COLUMN_NAME_))
/* The header line without its '\n', "path,service,...,median_instructions",
 * a constant NUL-terminated string (not a literal: the leading ',' of the
 * first name is skipped). */
#define CSV_COLUMNS (CSV_COLUMNS_WITH_COMMA_ + 1)
#define CSV_COLUMNS_LEN (sizeof CSV_COLUMNS_WITH_COMMA_ - 2)
#define CSV_COLUMN_ONE_(name, kind, present, value) + 1
#define CSV_NCOLUMNS (0 CSV_COLUMNS_X(CSV_COLUMN_ONE_))

/* A column with no value (a clock the machine lacks) is left empty. */
struct csv_row {
	const char *path;
	const char *service;
	unsigned args;
	const char *status;     /* "ok" or a short reason */
	struct stats st;        /* st.n is the samples column */
	uint64_t overhead;      /* the path's NOP baseline minimum, subtracted */
	uint64_t ensembles;     /* repeat=N: how many runs the row summarises */
	uint64_t median_spread; /* max - min of the ensembles' medians */
	uint64_t min_spread;    /* max - min of the ensembles' minimums */
	int has_ns;             /* median_ns: median at tsc_hz, one decimal */
	uint64_t median_ns_tenths;
	int has_cycles;         /* median_cycles: core clock cycles */
	uint64_t median_cycles;
	int has_instructions;   /* median_instructions: instructions retired */
	uint64_t median_instructions;
	int has_core_clock;     /* IA32_APERF/MPERF over the row's samples: */
	uint64_t core_mhz;      /* the core's effective clock, MHz */
	uint64_t median_core_cycles; /* median x dAPERF / dMPERF */
	int has_smis;           /* MSR_SMI_COUNT: SMIs while the row ran */
	uint64_t smis;
	int has_service_cost;   /* SVC_SERVICE_COST: the service routine */
	uint64_t service_cost;  /* alone in Ring 0, beyond a call/ret */
	/* the entry mitigations the row ran with (bench/mitig.c): profile is
	 * minimal, linux, windows (the profile's set), toggle (one toggle of
	 * the matrix) or custom (mitigations=); mitigations the exact toggles,
	 * '+'-joined, or none. NULL (written '-') in host mode. */
	const char *profile;
	const char *mitigations;
};

void csv_header(struct sbuf *sb);                 /* with '\n' */
void csv_format_row(struct sbuf *sb, const struct csv_row *r);
/* "# end rows=N crc32=xxxxxxxx": crc of every line before the trailer */
void csv_trailer(struct sbuf *sb, uint64_t rows, uint32_t crc);
void csv_field(struct sbuf *sb, const char *s);   /* sanitized text field */

#endif
