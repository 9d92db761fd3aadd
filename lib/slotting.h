/*
 * slotting: which SKUs to move nearer the depot, and the walk that would
 * have saved, for pick-list --slotting (pick-list(1), SLOTTING).
 *
 * The input is a period's carts as they went out: for each batch, the
 * SKUs its pickers fetched; and every SKU that has a place in the
 * warehouse, with how often it was picked.  A proposal is a swap: a fast
 * mover takes the place of a slower SKU nearer the depot, which takes
 * the fast mover's place, so that every place keeps one SKU.  Whether a
 * swap is worth it is not estimated: the period's batches that fetch
 * either SKU are walked again by route_optimal() with the two places
 * exchanged, and the swap saves what those walks lose.  Swaps are taken
 * one at a time, each on top of those before, so the savings add up to
 * the period's walk on the proposed places against today's.
 *
 * The choice is greedy and deterministic: the fast movers by picks
 * (most first, then SKU), each offered the SLOTTING_CANDIDATES places
 * nearest the depot held by a slower SKU not yet moved; it takes the
 * one that saves most (ties: the nearer place, then the earlier SKU),
 * if it saves anything.  No SKU moves twice.
 *
 * Pure: no I/O, nothing read from the clock or the ledger.
 *
 * Ownership: the caller owns the layout, the SKUs (and their strings)
 * and the batches; slotting_plan() fills moves and the walks, which
 * slotting_free() releases.
 */
#ifndef FULFIL_SLOTTING_H
#define FULFIL_SLOTTING_H

#include <stddef.h>

#include "config.h"

/* Places offered to each fast mover: the nearest to the depot. */
#define SLOTTING_CANDIDATES 48

struct slot_sku {
	const char *sku;      /* borrowed */
	const char *location; /* borrowed, as the catalogue writes it */
	int aisle, bay;       /* 1-based, as in the catalogue */
	long picks;           /* pick rows of the period */
};

/* A swap: sku goes to with's place, with to sku's. */
struct slot_move {
	size_t sku, with; /* indexes into the SKUs */
	double saved_m;   /* the period's walk it saves, replayed */
};

struct slotting {
	/* The caller's. */
	const struct layout *lay;
	const struct slot_sku *skus;
	size_t nsku;
	/* Batch b fetched skus[visit[first[b]] .. visit[first[b+1]-1]]. */
	const size_t *visit;
	const size_t *first; /* nbatch + 1 entries */
	size_t nbatch;
	int max_moves;
	/* slotting_plan()'s. */
	struct slot_move *moves;
	int nmoves;
	double before_m; /* the period's batches on today's places */
	double after_m;  /* the same batches with every move made */
};

/*
 * Propose up to max_moves swaps and replay the walks: 0, or -1 if a SKU's
 * place is outside the layout or a batch names no SKU of the list.
 */
int slotting_plan(struct slotting *);
/*
 * The walk of one batch with the SKUs at place[] (place[i]: the index of
 * the SKU whose place SKU i has; NULL: their own), by route_optimal().
 */
double slotting_walk(
    const struct slotting *, size_t batch, const size_t *place);
void slotting_free(struct slotting *);

#endif
