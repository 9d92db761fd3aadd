/*
 * status: the one list of an order's statuses and of the moves between
 * them.  Every tool asks here instead of comparing strings: which status
 * a name is, whether a move is allowed, and what a stage should do with
 * an order the ledger has in some status.
 *
 *   accepted -> held | picked -> labelled -> dispatched -> in_transit
 *   -> out_for_delivery -> delivered, with exception and returned
 *   beside the journey; cancelled from anywhere, and for good.
 *   on_hold: ingest-orders holds it for a person or for payment (not
 *   for stock, which is held); it goes on as accepted when released.
 *   fulfilled: the shop says nothing is left to ship (shipped elsewhere,
 *   refunded); for good.  A pickup order: picked -> ready_for_pickup ->
 *   collected, never labelled or dispatched.
 *   A return (source "rma") is return_requested -> labelled ->
 *   return_in_transit -> return_received, by its parcel's events.
 *
 * The names are the record's and the ledger's ("picked"); status_name()
 * returns static strings.
 */
#ifndef FULFIL_STATUS_H
#define FULFIL_STATUS_H

#include <stddef.h>

enum status {
	ST_NONE = -1, /* no status, or one this list does not know */
	ST_ACCEPTED,
	ST_HELD,
	ST_PICKED,
	ST_LABELLED,
	ST_DISPATCHED,
	ST_IN_TRANSIT,
	ST_OUT_FOR_DELIVERY,
	ST_DELIVERED,
	ST_EXCEPTION,
	ST_RETURNED,
	ST_CANCELLED,
	ST_RETURN_REQUESTED,
	ST_ON_HOLD,
	ST_FULFILLED,
	ST_READY_FOR_PICKUP,
	ST_COLLECTED,
	ST_RETURN_IN_TRANSIT,
	ST_RETURN_RECEIVED,
	ST_MAX
};

/* "picked" for ST_PICKED; "" for ST_NONE. */
const char *status_name(enum status);
/* ST_PICKED for "picked"; ST_NONE for NULL or a name not in the list. */
enum status status_parse(const char *name);
/* 1 if an order may move from one status to the other (to itself too). */
int status_may(enum status from, enum status to);

/*
 * What a stage that moves orders to status to does with an order the
 * ledger has in status from:
 *   STEP_ACT     the move is allowed: make it;
 *   STEP_AGAIN   the order is there already: give the same output again;
 *   STEP_PASS    a later stage of the pipeline has it, or it is held:
 *                pass it on unchanged (a pipeline run again, two runs
 *                at once);
 *   STEP_EARLY   an earlier stage has not done its part yet;
 *   STEP_REFUSE  the move would be wrong: cancelled, returned, or gone
 *                past the pipeline (in transit, delivered).
 */
enum step { STEP_ACT, STEP_AGAIN, STEP_PASS, STEP_EARLY, STEP_REFUSE };
enum step status_step(enum status from, enum status to);

/*
 * The reason a stage gives for an order it sets aside (STEP_EARLY or
 * STEP_REFUSE), into buf: "cancelled: cannot be dispatched", "not
 * picked yet (status accepted)".
 */
const char *status_why(char *buf, size_t len, enum status from, enum status to);

#endif
