/*
 * pick: the plan pick-list(1) makes, apart from any input or output.
 *
 * The caller fills an array of struct pick_order (lines resolved against
 * the catalog) and then:
 *   pick_pack()      splits each order into totes, or says why it cannot
 *                    go on a cart at all;
 *   pick_allocate()  gives shelf stock to orders by priority (earliest
 *                    ship_by, express, earliest placed_at, input order);
 *                    an order that cannot be filled whole is held, with
 *                    what it is short of, or, when its partial policy
 *                    lets it, filled with what there is and split;
 *   pick_plan()      puts the filled orders into waves (same ship_by),
 *                    waves into cart batches (seed batching on an
 *                    estimate of the walk, then pairwise exchange between
 *                    batches on the optimal route length, each change
 *                    first measured by lower bounds, the routes then
 *                    given up as soon as they cannot win
 *                    (route_optimal_below(), route_blocks_below()
 *                    across middle cross aisles); the waves on two
 *                    threads, the plan the same), and walks each
 *                    batch by zones_route() (route_optimal(), or
 *                    route_blocks() across middle cross aisles); also
 *                    works out the walks
 *                    the comparison in --stats needs.
 *
 * Ownership: the plan owns its waves, batches and stops; pick_plan_free().
 * Orders are the caller's; pick_order_free() frees what pick_* added.
 */
#ifndef FULFIL_PICK_H
#define FULFIL_PICK_H

#include <stddef.h>
#include <stdint.h>

#include "catalog.h"
#include "config.h"

struct pick_line {
	const struct item *item;
	int64_t qty;
	int gift;
	int src;       /* the caller's line it is (the record's, 0-based) */
	int64_t price; /* unit price in minor units, 0 if none */
};

/* So many units of an order's line go into the order's tote k (0-based). */
struct pick_part {
	int line;
	int tote;
	int64_t qty;
};

struct pick_short {
	const struct item *item;
	int64_t qty;
};

enum pick_state {
	PICK_NONE, /* to allocate */
	PICK_OK,   /* filled, to plan */
	PICK_HELD, /* short of stock */
	PICK_SKIP  /* not taking part */
};

struct pick_order {
	/* Filled by the caller. */
	int64_t ship_by; /* INT64_MAX when the order has no promise */
	int express;
	int64_t placed;
	struct pick_line *lines;
	int nlines;
	/*
	 * 0 (as zeroed): an order short of stock is held whole.  1: it may
	 * be split when at least min_share of its value (of its units, when
	 * its lines have no prices) is on the shelf; 0 is any share.
	 */
	int partial;
	double min_share;
	/* Filled by pick_*. */
	enum pick_state state;
	/*
	 * PICK_OK with split set: lines now hold only what is on the shelf
	 * (lines with nothing to pick gone) and shorts what is left over.
	 */
	int split;
	struct pick_short *shorts;
	int nshort;
	struct pick_part *parts;
	int nparts, ntotes;
	int64_t weight_g;
	double volume_l;
	unsigned handling;
	int wave, batch; /* indexes into the plan */
	int tote;        /* first tote, 1-based */
	int seq;         /* first stop, 1-based */
};

/* At a stop, so many units of its item go into a tote for an order. */
struct pick_put {
	int order; /* index into the orders */
	int tote;  /* 1-based in the cart */
	int64_t qty;
	int gift;
};

struct pick_stop {
	const struct item *item;
	int64_t qty;
	struct pick_put *puts;
	int nputs;
};

struct pick_batch {
	int wave;
	int *orders; /* by tote */
	int norders, ntotes;
	int64_t weight_g;
	double volume_l;
	double route_m;
	struct pick_stop *stops; /* in walking order; NULL with PICK_NO_STOPS */
	int nstops;
	int64_t id; /* the caller's (pick-list's ledger id) */
};

struct pick_wave {
	int64_t ship_by;
	int first, nbatches; /* its batches */
	int norders;
};

struct pick_plan {
	struct pick_wave *waves;
	int nwaves;
	struct pick_batch *batches;
	int nbatches;
	double route_m;          /* every batch's tour */
	double first_come_m;     /* carts filled in input order, S-shape */
	double first_come_opt_m; /* the same carts, optimal tours */
	double one_by_one_m;     /* each order on its own, optimal tour */
};

/*
 * Split o into totes: 0, or -1 with why (an item bigger than a tote, an
 * order bigger than a cart).
 */
int pick_pack(
    struct pick_order *o, const struct carts *, char *why, size_t whylen);
/*
 * Allocate stock: avail[i] is what is left of cat->items[i] and goes
 * down as orders are filled.  Each order with state PICK_NONE becomes
 * PICK_OK or PICK_HELD.
 */
void pick_allocate(
    struct pick_order *, size_t n, const struct catalog *, int64_t *avail);
/* Plan every PICK_OK order. */
void pick_plan(struct pick_plan *, struct pick_order *, size_t n,
    const struct layout *, const struct carts *);
/*
 * The same, the comparison walks (first_come_m, first_come_opt_m,
 * one_by_one_m) worked out only with PICK_COMPARE in flags; without,
 * they are 0 and the plan is the same.  They cost a tour for every order and two
 * for every first-come cart, which only --stats reads.
 */
void pick_plan_for(struct pick_plan *, struct pick_order *, size_t n,
    const struct layout *, const struct carts *, int flags);
/*
 * pick_plan_for()'s flags: PICK_COMPARE, the comparison walks (1, as
 * with_compare was); PICK_NO_STOPS, each batch's stops and puts freed
 * as soon as it is walked (nstops 0, stops NULL), its route_m, and its
 * orders' tote and seq, still set: only the pick sheets read the stops,
 * and a big day without sheets keeps no stop of any batch (about 170
 * bytes an order).
 */
#define PICK_COMPARE 1
#define PICK_NO_STOPS 2
void pick_plan_free(struct pick_plan *);
void pick_order_free(struct pick_order *);

/* y of a bay's pick point, and an aisle's length, in metres. */
double pick_bay_y(const struct layout *, int bay);

#endif
