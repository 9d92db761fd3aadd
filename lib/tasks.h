/*
 * tasks: the work followup(1) gives staff: a carrier to chase, a customer
 * to call, a parcel to replace or refund.  A task is opened once per key
 * (a stall, a review, an RMA), kept in the ledger with a due time from
 * the configuration, and written out with the notices after the commit;
 * --tasks lists the open ones and --done closes them.
 *
 * Ownership: tasks_open() takes detail.
 */
#ifndef FULFIL_TASKS_H
#define FULFIL_TASKS_H

#include <stddef.h>

#include <jansson.h>

struct aftercare;
struct ledger;

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
