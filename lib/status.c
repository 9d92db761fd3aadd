#include <stdio.h>
#include <string.h>

#include "status.h"

static const char *const names[ST_MAX] = {
    [ST_ACCEPTED] = "accepted",
    [ST_HELD] = "held",
    [ST_PICKED] = "picked",
    [ST_LABELLED] = "labelled",
    [ST_DISPATCHED] = "dispatched",
    [ST_IN_TRANSIT] = "in_transit",
    [ST_OUT_FOR_DELIVERY] = "out_for_delivery",
    [ST_DELIVERED] = "delivered",
    [ST_EXCEPTION] = "exception",
    [ST_RETURNED] = "returned",
    [ST_CANCELLED] = "cancelled",
    [ST_RETURN_REQUESTED] = "return_requested",
    [ST_ON_HOLD] = "on_hold",
    [ST_FULFILLED] = "fulfilled",
    [ST_READY_FOR_PICKUP] = "ready_for_pickup",
    [ST_COLLECTED] = "collected",
    [ST_RETURN_IN_TRANSIT] = "return_in_transit",
    [ST_RETURN_RECEIVED] = "return_received",
};

#define B(s) (1u << (s))
#define JOURNEY                                                                \
	(B(ST_IN_TRANSIT) | B(ST_OUT_FOR_DELIVERY) | B(ST_DELIVERED) |         \
	    B(ST_EXCEPTION) | B(ST_RETURNED))

/*
 * The moves allowed, by the status moved from: a bit per status moved
 * to.  Staying put is always allowed.  A cancellation may come at any
 * time (what it means for a parcel already labelled is the ingest's
 * business); nothing leaves cancelled or returned.
 */
static const unsigned moves[ST_MAX] = {
    [ST_ACCEPTED] = B(ST_HELD) | B(ST_PICKED) | B(ST_CANCELLED) |
		    B(ST_ON_HOLD) | B(ST_FULFILLED),
    [ST_HELD] = B(ST_ACCEPTED) | B(ST_PICKED) | B(ST_CANCELLED) |
		B(ST_ON_HOLD) | B(ST_FULFILLED),
    [ST_ON_HOLD] = B(ST_ACCEPTED) | B(ST_CANCELLED) | B(ST_FULFILLED),
    [ST_PICKED] = B(ST_LABELLED) | B(ST_READY_FOR_PICKUP) | B(ST_CANCELLED),
    [ST_READY_FOR_PICKUP] = B(ST_COLLECTED) | B(ST_CANCELLED),
    /*
     * Back to picked when its label is voided.  A return's label goes
     * back to the warehouse by its parcel's events (lib/feedback).
     */
    [ST_LABELLED] = B(ST_DISPATCHED) | B(ST_PICKED) | B(ST_CANCELLED) |
		    B(ST_RETURN_IN_TRANSIT) | B(ST_RETURN_RECEIVED),
    [ST_DISPATCHED] = JOURNEY | B(ST_CANCELLED),
    [ST_IN_TRANSIT] = JOURNEY | B(ST_CANCELLED),
    [ST_OUT_FOR_DELIVERY] = JOURNEY | B(ST_CANCELLED),
    [ST_EXCEPTION] = JOURNEY | B(ST_CANCELLED),
    [ST_DELIVERED] = B(ST_EXCEPTION) | B(ST_RETURNED) | B(ST_CANCELLED),
    [ST_RETURN_REQUESTED] = B(ST_LABELLED),
    [ST_RETURN_IN_TRANSIT] = B(ST_RETURN_RECEIVED),
};

/* Where a status stands on the way out: the pipeline, then the road. */
static int
rank(enum status s)
{
	switch (s) {
	case ST_ACCEPTED:
	case ST_HELD:
	case ST_ON_HOLD:
		return 0;
	case ST_PICKED:
		return 1;
	case ST_LABELLED:
	case ST_RETURN_REQUESTED:
	case ST_READY_FOR_PICKUP:
		return 2;
	case ST_DISPATCHED:
		return 3;
	default:
		return 4;
	}
}

const char *
status_name(enum status s)
{
	return s > ST_NONE && s < ST_MAX ? names[s] : "";
}

enum status
status_parse(const char *name)
{
	int s;

	for (s = 0; name != NULL && s < ST_MAX; s++)
		if (strcmp(names[s], name) == 0)
			return (enum status)s;
	return ST_NONE;
}

int
status_may(enum status from, enum status to)
{
	if (to <= ST_NONE || to >= ST_MAX)
		return 0;
	if (from == ST_NONE)
		return to == ST_ACCEPTED || to == ST_CANCELLED ||
		       to == ST_RETURN_REQUESTED || to == ST_ON_HOLD ||
		       to == ST_FULFILLED;
	if (from >= ST_MAX)
		return 0;
	return from == to || (moves[from] & B(to)) != 0;
}

enum step
status_step(enum status from, enum status to)
{
	if (from == to)
		return STEP_AGAIN;
	if (from == ST_CANCELLED || from == ST_RETURNED ||
	    from == ST_FULFILLED || from == ST_NONE)
		return STEP_REFUSE;
	if (status_may(from, to))
		return STEP_ACT;
	if (rank(from) < rank(to))
		return STEP_EARLY;
	/* Further on in the pipeline: another run took it there. */
	if (rank(from) <= rank(ST_DISPATCHED))
		return STEP_PASS;
	return STEP_REFUSE;
}

const char *
status_why(char *buf, size_t len, enum status from, enum status to)
{
	/* What each stage waits for, as the tools have always said it. */
	if (status_step(from, to) == STEP_EARLY && to == ST_LABELLED)
		snprintf(
		    buf, len, "not picked yet (status %s)", status_name(from));
	else if (status_step(from, to) == STEP_EARLY && to == ST_DISPATCHED)
		snprintf(
		    buf, len, "not labelled (status %s)", status_name(from));
	else if (status_step(from, to) == STEP_EARLY)
		snprintf(buf, len, "not ready to be %s (status %s)",
		    status_name(to), status_name(from));
	else
		snprintf(buf, len, "%s: cannot be %s", status_name(from),
		    status_name(to));
	return buf;
}
