/*
 * ledger_archive: retention's side of the ledger (lib/archive).  An
 * archive run claims a batch of finished orders under a row of the
 * archives table (the file, and its size before the batch), commits,
 * writes their records to the file, syncs it, and only then, in one
 * transaction, swaps each record for its stub and marks the batch done.
 * A batch claimed and not done is a run that died: the next run cuts
 * the file back to the size noted and writes the batch again, so that
 * every order is in the file exactly once.
 *
 * Strings handed to fn are the ledger's, valid during the call only; fn
 * must not write to the ledger.  Any failure of the database exits 2.
 */
#ifndef FULFIL_LEDGER_ARCHIVE_H
#define FULFIL_LEDGER_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>

struct ledger;

/*
 * A batch claimed and never done, or 0: its file (a copy to free) and
 * the file's size before it.
 */
int64_t ledger_archive_unfinished(struct ledger *, char **file, int64_t *size);
/*
 * Claim up to max orders whose status is one of statuses (NULL-
 * terminated), not archived, and unchanged since before (seconds since
 * the epoch), oldest first, for file at size bytes; in a transaction of
 * its own.  Returns the batch's id and *n its orders; 0 when none.
 */
int64_t ledger_archive_claim(struct ledger *, const char *file, int64_t size,
    const char *const *statuses, int64_t before, long max, long *n);
/* Each order of the batch, oldest first: its keys and its record. */
void ledger_archive_each(struct ledger *, int64_t batch,
    void (*fn)(void *arg, int64_t rowid, const char *source,
	const char *order_id, const char *record, size_t len),
    void *arg);
/*
 * Inside the caller's transaction: the order's record becomes stub (what
 * deduplication and the KPIs read), its messages' bodies go.
 */
void ledger_archive_stub(
    struct ledger *, int64_t rowid, const char *stub, size_t len);
/* Inside the caller's transaction: the batch is done, n orders. */
void ledger_archive_done(struct ledger *, int64_t batch, long n);
/*
 * The pages the ledger's file could give back, and whether they are
 * given back (ledger_release_pages); -1 for a PostgreSQL ledger, whose
 * space the server's (auto)vacuum looks after.
 */
long ledger_free_pages(struct ledger *, int *incremental);
void ledger_release_pages(struct ledger *);

#endif
