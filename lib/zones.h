/*
 * zones: the warehouse as zones of blocks, for pick-list(1).
 *
 * Geometry of one zone (a struct layout with no zones of its own): where
 * a bay's pick point is along its aisle, once middle cross aisles push
 * the bays behind them back, and the zone's shortest tour, by
 * route_optimal() for a zone of one block and route_blocks() for more
 * (route_walk()): zones_route() is the one function the planner walks a
 * batch by.
 *
 * Zones of a layout (fulfil.json(5), "layout.zones"): a location's
 * letter picks its zone; a layout without zones serves every letter, as
 * before zones were.  A cart works one zone, so zones_plan() splits each
 * order to pick by zone into one pick per zone it needs (its lines of
 * that zone, packed into totes again), plans each zone by pick_plan() on
 * its own, and joins the plans: batches zone by zone (A's first), their
 * orders and puts indexing the picks, not the orders.  With no zones it
 * is pick_plan() and returns NULL; every other call takes that NULL as
 * "no zones" and does what pick-list did before.
 *
 * An order's fields batch, wave, tote, ntotes and seq become its first
 * zone's pick's, so that the record's pick.batch, pick.tote and
 * pick.totes keep their meaning for an order of one zone;
 * zones_record() adds pick.zones and pick.by_zone, one per zone.
 *
 * Ownership: zones_plan() returns a struct zones the caller frees with
 * zones_free(), after the plan (pick_plan_free()); it borrows the orders
 * and the layout, and owns the picks.
 */
#ifndef FULFIL_ZONES_H
#define FULFIL_ZONES_H

#include <jansson.h>

#include "config.h"
#include "pick.h"
#include "route.h"

struct zones;

/* The zone of a location letter: lay itself with no zones; or NULL. */
const struct layout *zones_of(const struct layout *, int letter);
/* Its index in lay->zones (0 with no zones), or -1. */
int zones_index(const struct layout *, int letter);

/* y of a bay's pick point in a zone, and the length of its aisles. */
double zones_bay_y(const struct layout *zone, int bay);
double zones_length(const struct layout *zone);
/*
 * Where the zone's blocks begin and end along an aisle: cross[0] = 0 (the
 * front cross aisle), the middle cross aisles' centre lines, and the
 * back (zones_length()); room for LAYOUT_CROSS_MAX + 2.  Returns the
 * number of blocks.
 */
int zones_cross(const struct layout *zone, double *cross);
/*
 * The shortest tour of a zone through picks y[a][0 .. npick[a]) of each
 * aisle a (0-based), as route_walk(): stops NULL or room for every pick.
 */
double zones_route(const struct layout *zone, const int *npick,
    const double *const *y, struct route_stop *stops);
/*
 * zones_route()'s length for a zone of middle cross aisles if it is at
 * most limit, else a number above limit (route_blocks_below()).
 */
double zones_route_below(const struct layout *zone, const int *npick,
    const double *const *y, double limit);

/*
 * Plan every PICK_OK order, zone by zone; see above.  flags as
 * pick_plan_for(): PICK_COMPARE, the comparison walks, for --stats;
 * PICK_NO_STOPS, no batch keeps its stops.
 */
struct zones *zones_plan(struct pick_plan *, struct pick_order *, size_t n,
    const struct layout *, const struct carts *, int flags);
/* What the plan's batches index: the picks, or the orders with no zones. */
const struct pick_order *zones_orders(
    const struct zones *, const struct pick_order *orders);
/* How many picks the batches index (n, the orders, with no zones). */
size_t zones_npicks(const struct zones *, size_t n);
/* The order a pick (an index the batches use) is of. */
size_t zones_order_of(const struct zones *, size_t pick);
/* The zone batch b works (the layout itself with no zones). */
const struct layout *zones_batch_zone(
    const struct zones *, const struct layout *, int batch);
/* Order i's k-th pick (by zone), or NULL after the last. */
const struct pick_order *zones_pick(
    const struct zones *, const struct pick_order *orders, size_t i, int k);
/*
 * pick.zones (the letters) and pick.by_zone (zone, batch id, tote,
 * totes, route_m, seq of each) for order i, into pick; nothing with no
 * zones.
 */
void zones_record(
    const struct zones *, const struct pick_plan *, size_t i, json_t *pick);
/*
 * For a sheet: "pack with zones A+B" when pick's order is picked in more
 * zones than one, else NULL; the caller frees.
 */
char *zones_note(const struct zones *, size_t pick);
void zones_free(struct zones *);

#endif
