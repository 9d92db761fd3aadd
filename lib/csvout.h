/*
 * csvout: the CSV files the tools write (pick-list's batch sheets,
 * dispatch's manifests), one field at a time through libcsv's
 * csv_fwrite(), so that every field is quoted and its quotes doubled.
 *
 * A spreadsheet opening the file runs a cell that begins with =, +, -
 * or @ (and, in some, a tab or a carriage return) as a formula: an
 * order id from a shop's export such as =HYPERLINK(...) would become a
 * link or a command.  csvout_text() writes such a field with a single
 * quote before it, as OWASP advises, so that it shows as text.  Numbers
 * the tools compute themselves (quantities, weights, amounts) go through
 * csvout_number() as they are: a spreadsheet should read them as numbers,
 * a negative one included.
 *
 * Write errors are left on the FILE for the caller to find (ferror).
 */
#ifndef FULFIL_CSVOUT_H
#define FULFIL_CSVOUT_H

#include <stdio.h>

/* A text field (NULL: empty), then a comma, or a newline if last. */
void csvout_text(FILE *, const char *s, int last);
/* A number formatted by the caller, written as it is. */
void csvout_number(FILE *, const char *s, int last);

#endif
