/*
 * split: an order shipped in parts.  When pick-list(1) fills an order
 * in part (pick.partial allows it, lib/pick), the order ships what was
 * on the shelf under its own id, and the rest becomes a backorder: an
 * order of its own in the ledger, id "<order>/<part>" (1001/2, then
 * 1001/3 if that one is split again), held until the stock comes, so
 * that label, dispatch, notify and followup treat each part as the order
 * it is, with its own parcels and tracking.  Both records carry
 * "split": {"of", "part", "parts"}; the part shipped now also
 * "backorder" (the next part's id), "later" ([{sku, name, qty}]) and
 * "now_text", "later_text" (the lines listed, "name × qty, ..."),
 * which its one message to the customer tells (notify's
 * partial_shipment).
 *
 * Ownership: split_order() changes order in place and returns a new
 * reference (the caller's); the other calls borrow.
 */
#ifndef FULFIL_SPLIT_H
#define FULFIL_SPLIT_H

#include <jansson.h>

struct pick_order;

/*
 * Split order (the record) as o (PICK_OK, split) was filled: order
 * keeps what ships now, and the backorder returned holds the rest
 * (status held, pick.short listing it).  Its id is the next part's
 * for which taken_id(arg, id) says 0: a shop's own order "1001/2" is
 * never overwritten (the backorder is then 1001/3).
 */
json_t *split_order(json_t *order, const struct pick_order *o,
    int (*taken_id)(void *arg, const char *id), void *arg);
/* The original order's id a part belongs to, or NULL if not split. */
const char *split_of(const json_t *order);
/* 1 if the record is a part shipped with more of its order to come. */
int split_more_to_come(const json_t *order);

#endif
