/*
 * ship: what label(1) decides before any number is handed out: the
 * parcels an order makes for a carrier, and which carrier takes it.
 *
 * Parcels: the goods' units, heaviest first, go into the first parcel
 * with room (first fit decreasing) up to the carrier's max_weight_g,
 * the packaging counted in each; a carrier without a limit takes one
 * parcel.
 *
 * The carrier: --carrier if given, else of the carriers in configuration
 * order that deliver to the country, offer the service, collect COD when
 * the order is COD, have a tracking range, and take every parcel: first
 * those that keep the order's promise (picked up on the ship_by day,
 * delivered by deliver_by), then the one whose rate table makes the
 * parcels cheapest; carriers without a rate table come after those with
 * one, in configuration order.
 *
 * Ownership: a struct ship_choice's weights are freed by ship_free().
 */
#ifndef FULFIL_SHIP_H
#define FULFIL_SHIP_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

struct ship_goods {
	int64_t unit_g; /* one unit */
	int64_t qty;
};

/* The promise a carrier should keep; NULL: any carrier keeps it. */
struct ship_promise {
	int64_t ship_day;   /* days since the epoch, warehouse time */
	int64_t deliver_by; /* epoch seconds */
};

struct ship_choice {
	const struct carrier *carrier;
	int on_time;       /* keeps the promise */
	int64_t *weight_g; /* per parcel, packaging included */
	int nparcels;
	int64_t price; /* by the rate table; -1 if it has none */
};

/*
 * The parcels of goods for a carrier limit (0: none): 0, or -1 with why
 * if a unit does not fit in a parcel at all.
 */
int ship_split(const struct ship_goods *, size_t n, int64_t packaging_g,
    int64_t max_g, struct ship_choice *, char *why, size_t whylen);
/* Price of a parcel by the carrier's rates; -1 if over its last band. */
int64_t ship_rate(const struct carrier *, int64_t weight_g);
/*
 * Choose the carrier: 0, or -1 with why naming each carrier considered
 * and what stopped it.  forced may be NULL.  The choice must be zeroed
 * or hold an earlier one, which is freed.
 */
int ship_choose(const struct config *, const char *forced, const char *country,
    const char *service, int cod, const struct ship_promise *,
    const struct ship_goods *, size_t n, struct ship_choice *, char *why,
    size_t whylen);
void ship_free(struct ship_choice *);

#endif
