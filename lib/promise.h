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
 */
#ifndef FULFIL_PROMISE_H
#define FULFIL_PROMISE_H

#include <stddef.h>

#include <jansson.h>

struct config;

int promise_make(const struct config *, json_t *order, json_t *warnings,
    char *why, size_t whylen);

#endif
