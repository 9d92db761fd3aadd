/*
 * ledger_split: the backorders of an order shipped in parts (lib/split),
 * as the ledger has them: the orders of the same source whose record's
 * split.of is the order.  It reads only.  Strings handed to fn are the
 * ledger's, valid during the call only, and fn must not write to the
 * ledger; any failure of the database exits 2.
 */
#ifndef FULFIL_LEDGER_SPLIT_H
#define FULFIL_LEDGER_SPLIT_H

struct ledger;

/* Each backorder of (source, id): its id and status, by id. */
void ledger_backorders(struct ledger *, const char *source, const char *id,
    void (*fn)(void *arg, const char *id, const char *status), void *arg);

#endif
