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
#define CSV_COLUMNS "path,service,args,status,samples,min,median,mean,stdev,p99,max,overhead," \
	"p1,ensembles,median_spread,min_spread,median_ns,median_cycles,median_instructions"

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
};

void csv_header(struct sbuf *sb);                 /* with '\n' */
void csv_format_row(struct sbuf *sb, const struct csv_row *r);
/* "# end rows=N crc32=xxxxxxxx": crc of every line before the trailer */
void csv_trailer(struct sbuf *sb, uint64_t rows, uint32_t crc);
void csv_field(struct sbuf *sb, const char *s);   /* sanitized text field */

#endif
