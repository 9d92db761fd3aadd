/*
 * tasks: the work followup(1) gives staff: a carrier to chase, a customer
 * to call, a parcel to replace or refund; and what a cancellation leaves
 * them (cancel.h): goods to put back on the shelf, a parcel to pull, a
 * carrier to stop.  A task is opened once per key (a stall, a review, an
 * RMA, a cancellation), kept in the ledger with a due time from the
 * configuration, and written out with the notices after the commit;
 * --tasks lists the open ones and --done closes them.
 *
 * Ownership: tasks_open() and tasks_add() take detail; tasks_add()
 * returns a new reference; tasks_detail() returns a new object.
 */
#ifndef FULFIL_TASKS_H
#define FULFIL_TASKS_H

#include <stddef.h>

#include <stdint.h>

#include <jansson.h>

struct aftercare;
struct config;
struct ledger;

/*
 * Open a task of a kind (its key unique) about an order, and its parcel
 * when tracking is not NULL, in the caller's transaction, made at now
 * (seconds since the epoch): its record if new, NULL if opened before.
 * A high one is due sooner.
 */
json_t *tasks_add(struct ledger *, const struct config *, int64_t now,
    const char *kind, const char *key, const char *source, const char *id,
    const char *tracking, int high, json_t *detail);
/*
 * What staff need to act on an order: why, its status, the customer and
 * the full phone (for staff only), its carrier when not NULL, and
 * deliver_by.
 */
json_t *tasks_detail(const struct config *, json_t *order, const char *carrier,
    const char *status, const char *reason);

/*
 * Open a task of a kind (its key unique) about an order's parcel (or
 * RMA) and queue it: 1 if new, 0 if opened before.  A high one is due
 * sooner.
 */
int tasks_open(struct aftercare *, const char *kind, const char *key,
    const char *source, const char *id, const char *tracking, int high,
    json_t *detail);
/* --tasks: the open tasks on stdout, the soonest due first; the count. */
long tasks_list(struct ledger *);
/*
 * --done: close the tasks ids[0..n-1], in one transaction: EXIT_OK, or
 * EXIT_REJECTS if one is unknown.  One done before is only a warning.
 */
int tasks_done(struct ledger *, char **ids, size_t n);

#endif
