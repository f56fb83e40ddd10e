/*
 * csv.h - the CSV contract (version 1). Columns only ever grow; tools read
 * them by name. A row's text fields never contain ',' or a newline: the
 * writer replaces them with '_' so one bad status cannot shift columns.
 */
#ifndef RINGTRIP_CSV_H
#define RINGTRIP_CSV_H
#include "../lib/fmt.h"
#include "stats.h"

#define CSV_VERSION 1
#define CSV_COLUMNS "path,service,args,status,samples,min,median,mean,stdev,p99,max,overhead"

struct csv_row {
	const char *path;
	const char *service;
	unsigned args;
	const char *status;     /* "ok" or a short reason */
	struct stats st;        /* st.n is the samples column */
	uint64_t overhead;      /* the path's NOP baseline minimum, subtracted */
};

void csv_header(struct sbuf *sb);                 /* with '\n' */
void csv_format_row(struct sbuf *sb, const struct csv_row *r);
void csv_trailer(struct sbuf *sb, uint64_t rows);
void csv_field(struct sbuf *sb, const char *s);   /* sanitized text field */

#endif
