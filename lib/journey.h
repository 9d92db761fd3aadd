/*
 * journey: a parcel's way to the customer, from its carrier's tracking
 * events.  Each event is checked (a parcel of ours, a known status, a
 * time not in the future, its own carrier), kept once, and moves its
 * parcel's state by event time, never backwards; the order follows its
 * parcels (in transit, out for delivery, delivered when all of them
 * are).  Each change of state worth telling is a notice for notify(1);
 * an exception opens a replace_or_refund task.
 *
 * The events' statuses are the carriers' words, which this module knows:
 * info_received, in_transit, out_for_delivery, attempt_fail,
 * available_for_pickup, exception, delivered, returned.
 *
 * Ownership: journey_map_load() returns a new reference.
 */
#ifndef FULFIL_JOURNEY_H
#define FULFIL_JOURNEY_H

#include <jansson.h>

#include "status.h"

struct aftercare;
struct input;

/*
 * Read one input of tracking events: NDJSON, or the carrier's CSV export
 * that u->map describes when it is set.
 */
void journey_read(struct aftercare *, struct input *);
/*
 * --map: how a carrier's CSV export reads ("columns", "statuses",
 * "delimiter", "carrier"), checked; exits 2 if it is wrong.
 */
json_t *journey_map_load(const char *path);
/*
 * The status an order takes when its parcel's tracking status becomes
 * this one; ST_NONE when it stays as it is (or the word is unknown).
 */
enum status journey_order_status(const char *tracking_status);

#endif
