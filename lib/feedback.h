/*
 * feedback: what customers say after delivery, read by followup
 * --reviews and --returns (NDJSON, or CSV whose header names the fields
 * when a file's name ends in .csv).
 *
 * A review is kept once; a negative one (a low rating, or a word of
 * followup.negative in its text) opens a call_customer task with the
 * order and its tracking history.  A return or exchange request is
 * checked (the order delivered or in exception, inside the return
 * window, its lines shipped and not asked back before) and becomes an
 * RMA, an order of source "rma" that label --return --pending takes up;
 * an exchange's replacement is a new order of source "exchange",
 * accepted at once; a damaged parcel opens a replace_or_refund task.
 * Bad records are set aside as rejects.
 *
 * A return parcel (the label label --return printed for an RMA) has a
 * journey of its own: its carrier's events move the RMA to
 * return_in_transit, then, delivered at the warehouse, to
 * return_received: the customer gets a return_received notice about the
 * order and staff an inspect_return task.  The order keeps its status (a
 * return may be of one line of several); its audit trail has the return.
 *
 * Ownership: the paths are borrowed; what is made is queued on u->out.
 */
#ifndef FULFIL_FEEDBACK_H
#define FULFIL_FEEDBACK_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct aftercare;

/* Read the review files paths[0..n-1]; exits 2 if one cannot be opened. */
void feedback_reviews(struct aftercare *, char **paths, size_t n);
/* Read the return and exchange request files paths[0..n-1]; likewise. */
void feedback_returns(struct aftercare *, char **paths, size_t n);
/*
 * The parcel tracking of RMA rma came to tracking status status (a
 * carrier's word, journey.h) at t, as event ev (borrowed) says: move the
 * RMA, tell and act.  In the caller's transaction.
 */
void feedback_return_parcel(struct aftercare *, const char *rma,
    const char *carrier, const char *tracking, const char *status, int64_t t,
    json_t *ev);

#endif
