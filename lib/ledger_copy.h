/*
 * ledger_copy: a SQLite ledger into an empty PostgreSQL one, for
 * followup --copy-to (moving to a server; fulfil(7)).
 */
#ifndef FULFIL_LEDGER_COPY_H
#define FULFIL_LEDGER_COPY_H

#include <stdio.h>

#include "ledger.h"

/*
 * Every table of from (SQLite) into to (PostgreSQL, empty), in one
 * transaction; a line of NDJSON a table on out, {"table", "rows",
 * "copied"}.  The number of tables; a table already holding rows, a
 * failed write or counts that differ are said and exit 2, with nothing
 * kept.
 */
int ledger_copy(struct ledger *from, struct ledger *to, FILE *out);

#endif
