/*
 * promise: the dates an order is promised, from the warehouse calendar.
 *
 * ship_by: an order placed before its service's cut-off on a working day
 * ships that day, else on the next working day, by the carrier's pickup
 * time.  deliver_by: the end of the day the carrier's transit days (on
 * its delivery days, skipping the warehouse holidays) bring it to.  With
 * a delivery_window, ship_by moves as late as still meets the window and
 * deliver_by is the window's end; a window that cannot be met is flagged
 * with "at_risk": true and a warning, never silently missed.
 *
 * The carrier assumed is the first in the configuration that serves the
 * ship-to country with the service (and cash on delivery when needed).
 *
 * promise_make() sets "promise" on the order (borrowed) and returns 0, or
 * returns -1 with the reason in why when no carrier can take the order.
 * A pickup order (service "pickup") needs no carrier: its promise is
 * ready_by, the pickup section's ready_time on the day it would ship.
 *
 * This module is the one home of the dates: every tool that asks when a
 * parcel will arrive, or on which day a timed delivery should leave,
 * asks here (ingest-orders for the promise, label for the carrier that
 * keeps it, pick-list for when to pick a timed order, dispatch for the
 * pickup day and the expected delivery, followup for its estimates).
 * Days are day numbers in the warehouse's calendar; instants are
 * seconds since the epoch.
 */
#ifndef FULFIL_PROMISE_H
#define FULFIL_PROMISE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct carrier;
struct config;

/* A timed delivery's window, as instants; set is 0 when there is none. */
struct promise_window {
	int set;
	int64_t from, to;
};

int promise_make(const struct config *, json_t *order, json_t *warnings,
    char *why, size_t whylen);

/* The order's delivery_window (0), or none (set 0). */
void promise_window(json_t *order, struct promise_window *);

/*
 * When a parcel k picks up on day ship_day arrives with transit days of
 * travel on k's delivery days: the end of that day in the warehouse's
 * zone.  With a window, a timed delivery: never before the window's
 * start (it waits for its slot), and on the window's days by its end;
 * only a parcel that reaches the door after the window's last day is
 * told so, at the end of that later day.  CAL_NONE when no delivery day
 * comes.
 */
int64_t promise_arrival(const struct config *, const struct carrier *k,
    int transit, int64_t ship_day, const struct promise_window *);

/*
 * The day a parcel should be picked up, on or after the working day
 * earliest: earliest itself without a window; with one, the latest
 * working day that still arrives inside it (earliest when none does,
 * for the late delivery to be flagged rather than made later still).
 */
int64_t promise_ship_day(const struct config *, const struct carrier *k,
    int transit, int64_t earliest, const struct promise_window *);

/*
 * Whether a timed order may be picked at now: not before the day it
 * ships (its promise's ship_by, in the warehouse's zone).  Orders
 * without a window may always be picked.
 */
int promise_pick_now(const struct config *, json_t *order, int64_t now);

/*
 * Where a parcel on its way stands against its order's promise at now.
 * The customer is told it is late (late != 0) only when that is true:
 * the promise's deliver_by has passed by the clock, or the carrier's
 * own word says it cannot be kept (dispatch's expected_delivery, from
 * the day the carrier really took it, is after deliver_by).  Never on a
 * guess before the date: a parcel in transit on its promised day may
 * still come that afternoon.  at_risk is that guess, for staff: it
 * cannot come by deliver_by if it needs one more delivery day (it is
 * not out for delivery).  earliest: the soonest it can come (today when
 * out, else the next delivery day, never before the carrier said);
 * estimate: an honest new date, a whole transit again from today.
 * Days are the warehouse's, whatever offset now was given in.
 */
struct promise_parcel {
	int late, at_risk;
	int64_t deliver_by; /* INT64_MAX: none */
	int64_t earliest, estimate;
};

void promise_parcel(const struct config *, const struct carrier *k, int transit,
    json_t *order, int out, int64_t now, struct promise_parcel *);

#endif
