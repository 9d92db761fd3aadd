/*
 * archive: retention (followup --archive).  Finished orders (delivered,
 * collected, cancelled, fulfilled, returned, return received) unchanged
 * for longer than the returns window (followup.return_window_days) are
 * written whole, one NDJSON line each, to a gzip file, which is synced
 * before the ledger lets go of anything.  Then each order's record
 * becomes a stub of what the ledger still needs: its row and content
 * hash for ingest-orders' duplicate detection, and the fields the KPIs
 * read (followup --report gives the same figures after as before); the
 * bodies of its messages go.  Batches are keyed in the ledger
 * (lib/ledger_archive): a run killed anywhere leaves each order either
 * in the ledger or in the file, and the next run finishes the batch
 * without doubling a line.
 */
#ifndef FULFIL_ARCHIVE_H
#define FULFIL_ARCHIVE_H

#include <stddef.h>
#include <jansson.h>

struct ledger;
struct config;
struct when;

/*
 * Archive to file what is due at now, and what changed before the day
 * before (YYYY-MM-DD, NULL: no such bound) if that is earlier.  Says
 * what it did on stderr unless quiet; exits 2 on trouble.  Returns the
 * exit status.
 */
int archive_run(struct ledger *, const struct config *, const struct when *now,
    const char *file, const char *before);
/* The stub an archived order's record becomes: a new reference. */
json_t *archive_stub(const json_t *record);

#endif
