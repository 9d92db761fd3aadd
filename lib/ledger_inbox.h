/*
 * ledger_inbox: tracking payloads as they came, in the ledger.  This
 * family owns the inbox table and is the only one that writes it:
 * followup --listen stores each webhook's body here and commits before
 * it answers 200, --events each spool file before it moves the file to
 * done/; a payload is then processed, and marked processed in the same
 * transaction, so that a restart takes up what was stored and not
 * processed, and nothing is processed twice.
 *
 * Writes go into the caller's transaction (ledger_begin()).
 *
 * Ownership: strings passed in are borrowed for the call.  A struct
 * filled by ledger_inbox_next() holds copies, freed by
 * ledger_inbox_free().
 */
#ifndef FULFIL_LEDGER_INBOX_H
#define FULFIL_LEDGER_INBOX_H

#include <stddef.h>
#include <stdint.h>

struct ledger;

/* One payload stored. */
struct ledger_inbox {
	int64_t id;
	char *provider; /* its name; NULL: to be recognised by its shape */
	char *origin;   /* where it came from: "http", or the spool file */
	char *body;     /* NUL-terminated, len bytes */
	size_t len;
};

/*
 * Store a payload: its id, or 0 when key (NULL: none) was stored before
 * (a spool file taken again).
 */
int64_t ledger_inbox_add(struct ledger *, const char *provider,
    const char *origin, const char *key, const char *body, size_t len);
/*
 * The oldest payload not yet processed, into *e: 1, or 0 when there is
 * none.  Called inside the transaction that will process it, so that
 * another run waits for that transaction and then finds it processed.
 */
int ledger_inbox_next(struct ledger *, struct ledger_inbox *e);
/* Payload id processed: events read from it, -1 if it was set aside. */
void ledger_inbox_done(struct ledger *, int64_t id, long events);
void ledger_inbox_free(struct ledger_inbox *);

#endif
