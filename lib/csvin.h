/*
 * csvin: CSV (RFC 4180) and tab-separated records on libcsv, with the
 * header row mapped to column numbers by name.
 *
 * Quoted fields may hold delimiters, quotes and newlines; a UTF-8 byte
 * order mark before the header is dropped (by the input, ndjson.h).
 * Each row knows the line it starts on and its raw text, so errors can
 * say file:line and rejects can keep the record whole.  A malformed row
 * is returned as an error and reading goes on at the next line.  An
 * unterminated quote would swallow the rest of the file: the row it opens
 * is rejected at EOF (or after CSVIN_MAX_LINES lines) and the lines after
 * it are read again as rows.  The same happens when a quoted field runs
 * into a malformed quote, a NUL byte or a line too long; that line is
 * reported in its turn.
 *
 * Ownership: the csvin borrows its input, which the caller closes after
 * csvin_close().  A row returned by csvin_next() belongs to the csvin and
 * is valid until the next call.
 */
#ifndef FULFIL_CSVIN_H
#define FULFIL_CSVIN_H

#include <stddef.h>

#define CSVIN_MAX_LINES 1000 /* most lines one record may span */

struct input;
struct csvin;

struct csvrow {
	long line; /* where the record starts */
	size_t nf; /* fields */
	char **f;  /* NUL-terminated fields */
	char *raw; /* the record's text, NUL-terminated */
	size_t rawlen;
};

enum {
	CSVIN_ROW = 1,
	CSVIN_EOF = 0,
	CSVIN_BAD = -1,  /* a bad record: why, and row line/raw */
	CSVIN_ERROR = -2 /* the input failed: why */
};

/*
 * Read the header row.  delim is ',' or '\t'; tab-separated input has no
 * quoting.  NULL with why set if there is no usable header.
 */
struct csvin *csvin_open(struct input *, int delim, char *why, size_t whylen);
int csvin_next(struct csvin *, struct csvrow **, char *why, size_t whylen);
/*
 * Column of a header name (case and surrounding blanks ignored), -1 if
 * none has it, or CSVIN_TWICE if more than one has: which of them holds
 * the value cannot be told, so a reader that wants the column must give
 * up on the file.  A name nobody asks for may be there any number of
 * times.
 */
#define CSVIN_TWICE (-2)
int csvin_column(const struct csvin *, const char *name);
size_t csvin_ncolumns(const struct csvin *);
/* The header name of column i (as read, blanks trimmed), or NULL. */
const char *csvin_column_name(const struct csvin *, size_t i);
/* The header line as it was read, without a byte order mark. */
const char *csvin_header(const struct csvin *);
void csvin_close(struct csvin *);

#endif
