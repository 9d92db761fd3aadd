/*
 * cancel: what a cancellation does beyond the ledger's status.
 *
 * ingest-orders records a cancellation (the order's status, its record,
 * the audit trail) and then calls cancel_apply() once, inside the same
 * transaction, with the status the order had before: NULL when it was
 * never seen.  What the cancellation means downstream belongs here:
 * before picking, its stock released; after picking or labelling, the
 * label voided and a task to pull the parcel; after dispatch, a carrier
 * intercept; the customer told (issue 15).
 *
 * Ownership: everything is borrowed; order is the cancellation record as
 * ingest-orders wrote it to the ledger, and must not be changed.
 */
#ifndef FULFIL_CANCEL_H
#define FULFIL_CANCEL_H

#include <jansson.h>

struct config;
struct ledger;

void cancel_apply(struct ledger *, const struct config *, json_t *order,
    const char *prev_status);

#endif
