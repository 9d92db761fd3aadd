/*
 * cancel: what a cancellation undoes, by how far the order had gone.
 * ingest-orders(1) records a cancellation (lib/ingest) and calls
 * cancel_apply() in the same transaction, before it writes the order's
 * record, so that the cancellation and all it undoes are one commit.
 *
 *   accepted, held, on_hold    nothing to undo: no stock was taken.
 *   picked, ready_for_pickup   the stock its picks took goes back to the
 *                              shelf (lib/ledger_picks), and a
 *                              return_to_shelf task says where the goods
 *                              are: the cart (batch) and tote, or the
 *                              pickup counter.
 *   labelled                   its tracking numbers are voided, never to
 *                              be handed out again; its stock goes back;
 *                              a high-priority pull_parcel task names
 *                              each parcel, its number, whether its label
 *                              was printed, and the label file.
 *   dispatched, its manifest   the carrier has not taken it: its parcels
 *   still open                 come off the manifest, then as labelled.
 *   dispatched (the manifest   a high-priority carrier_intercept task
 *   closed), in_transit,       names the carrier, the manifest and the
 *   out_for_delivery,          numbers, which stay live: the parcel is on
 *   exception                  the road under them.
 *   delivered                  a cancelled_after_delivery task: staff
 *                              arrange a return, or write it off.
 *   anything else              (fulfilled, collected, returned: the
 *                              status model refuses the move) nothing is
 *                              undone, and the record says so.
 *
 * The record gains "cancellation": {"at", "was", and what was done:
 * "released", "voided", "off_manifest", "intercept", "task", or
 * "too_late"; "backorders": the later parts of an order shipped in
 * parts (lib/split), each undone as its own status allows and recorded
 * cancelled with it}; a bare cancellation takes the rest of the order (the
 * customer, the lines, the carrier when it is on the road) from the
 * ledger's record, so that notify(1) can tell the customer.  What was
 * undone leaves the record: "pick" once the stock is back, "shipment"
 * once its numbers are voided, "dispatch" once off the manifest.
 *
 * Ownership: order is changed in place and stays the caller's.
 */
#ifndef FULFIL_CANCEL_H
#define FULFIL_CANCEL_H

#include <jansson.h>

struct config;
struct ledger;

/*
 * Undo what can be undone of the order (source, id of order), which the
 * ledger had in prev_status (NULL: never seen), inside the caller's
 * transaction, and say so in the record.
 */
void cancel_apply(struct ledger *, const struct config *, json_t *order,
    const char *prev_status);

#endif
