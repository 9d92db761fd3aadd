/*
 * status: names both ways, the moves allowed, and what a stage does with
 * an order in each status.
 */
#include <string.h>

#include "status.h"
#include "tap.h"

int
main(void)
{
	char why[128];
	int s;

	for (s = 0; s < ST_MAX; s++)
		ok(status_parse(status_name((enum status)s)) == s,
		    "%s: its name and back", status_name((enum status)s));
	is_int(status_parse("shipped"), ST_NONE, "an unknown name");
	is_int(status_parse(NULL), ST_NONE, "no name");
	is_str(status_name(ST_NONE), "", "no status has an empty name");

	/* The way out, step by step. */
	ok(status_may(ST_NONE, ST_ACCEPTED), "new -> accepted");
	ok(status_may(ST_ACCEPTED, ST_PICKED), "accepted -> picked");
	ok(status_may(ST_HELD, ST_PICKED), "held -> picked");
	ok(status_may(ST_PICKED, ST_LABELLED), "picked -> labelled");
	ok(status_may(ST_LABELLED, ST_PICKED), "labelled -> picked (void)");
	ok(status_may(ST_LABELLED, ST_DISPATCHED), "labelled -> dispatched");
	ok(status_may(ST_DISPATCHED, ST_DELIVERED), "dispatched -> delivered");
	ok(status_may(ST_EXCEPTION, ST_DELIVERED), "exception -> delivered");
	ok(status_may(ST_RETURN_REQUESTED, ST_LABELLED),
	    "return_requested -> labelled");
	ok(status_may(ST_LABELLED, ST_RETURN_IN_TRANSIT),
	    "a return's label -> return_in_transit");
	ok(status_may(ST_RETURN_IN_TRANSIT, ST_RETURN_RECEIVED),
	    "return_in_transit -> return_received");
	ok(!status_may(ST_RETURN_RECEIVED, ST_RETURN_IN_TRANSIT),
	    "return_received -/-> return_in_transit");
	ok(strcmp(status_name(ST_RETURN_RECEIVED), "return_received") == 0,
	    "return_received by name");
	ok(status_may(ST_DELIVERED, ST_CANCELLED), "cancelled at any time");
	ok(!status_may(ST_ACCEPTED, ST_LABELLED), "accepted -/-> labelled");
	ok(!status_may(ST_PICKED, ST_DISPATCHED), "picked -/-> dispatched");
	ok(!status_may(ST_CANCELLED, ST_DISPATCHED), "cancelled -/-> anything");
	ok(!status_may(ST_DELIVERED, ST_LABELLED), "delivered -/-> labelled");
	ok(!status_may(ST_NONE, ST_PICKED), "new -/-> picked");

	/* Held for a person or payment; nothing left to ship; pickup. */
	ok(status_may(ST_NONE, ST_ON_HOLD), "new -> on_hold");
	ok(status_may(ST_ON_HOLD, ST_ACCEPTED),
	    "on_hold -> accepted (released)");
	ok(!status_may(ST_ON_HOLD, ST_PICKED), "on_hold -/-> picked");
	ok(status_may(ST_ACCEPTED, ST_FULFILLED), "accepted -> fulfilled");
	ok(!status_may(ST_FULFILLED, ST_ACCEPTED), "nothing leaves fulfilled");
	ok(status_may(ST_PICKED, ST_READY_FOR_PICKUP),
	    "picked -> ready_for_pickup");
	ok(status_may(ST_READY_FOR_PICKUP, ST_COLLECTED),
	    "ready_for_pickup -> collected");
	ok(!status_may(ST_READY_FOR_PICKUP, ST_DISPATCHED),
	    "a pickup is never dispatched");
	is_int(status_step(ST_ON_HOLD, ST_PICKED), STEP_EARLY,
	    "pick-list: on hold is not yet");
	is_int(status_step(ST_FULFILLED, ST_PICKED), STEP_REFUSE,
	    "pick-list: fulfilled elsewhere");

	/* What a stage does. */
	is_int(status_step(ST_PICKED, ST_LABELLED), STEP_ACT, "label: picked");
	is_int(status_step(ST_LABELLED, ST_LABELLED), STEP_AGAIN,
	    "label: labelled again");
	is_int(status_step(ST_DISPATCHED, ST_LABELLED), STEP_PASS,
	    "label: dispatched meanwhile");
	is_int(status_step(ST_ACCEPTED, ST_LABELLED), STEP_EARLY,
	    "label: not picked");
	is_int(status_step(ST_DELIVERED, ST_LABELLED), STEP_REFUSE,
	    "label: delivered");
	is_int(status_step(ST_CANCELLED, ST_DISPATCHED), STEP_REFUSE,
	    "dispatch: cancelled");
	is_int(status_step(ST_IN_TRANSIT, ST_DISPATCHED), STEP_REFUSE,
	    "dispatch: already on the road");
	is_str(status_why(why, sizeof why, ST_ACCEPTED, ST_LABELLED),
	    "not picked yet (status accepted)", "label's word for early");
	is_str(status_why(why, sizeof why, ST_PICKED, ST_DISPATCHED),
	    "not labelled (status picked)", "dispatch's word for early");
	is_str(status_why(why, sizeof why, ST_CANCELLED, ST_DISPATCHED),
	    "cancelled: cannot be dispatched", "refused: both statuses");
	return done_testing();
}
