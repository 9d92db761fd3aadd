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
 * Ownership: the paths are borrowed; what is made is queued on u->out.
 */
#ifndef FULFIL_FEEDBACK_H
#define FULFIL_FEEDBACK_H

#include <stddef.h>

struct aftercare;

/* Read the review files paths[0..n-1]; exits 2 if one cannot be opened. */
void feedback_reviews(struct aftercare *, char **paths, size_t n);
/* Read the return and exchange request files paths[0..n-1]; likewise. */
void feedback_returns(struct aftercare *, char **paths, size_t n);

#endif
