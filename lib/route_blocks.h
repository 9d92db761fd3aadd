/*
 * route_blocks: the shortest picking tour in a warehouse whose aisles are
 * cut by cross aisles into blocks (pick-list(1), "cross_aisles").
 *
 * The model extends route.h's: aisles 0 .. naisles-1, pitch apart, each
 * running from y = 0 to y = cross[nblocks]; cross aisles run across every
 * aisle at y = cross[0] = 0 (the front), cross[1], ..., cross[nblocks]
 * (the back).  Block j is the stretch between cross[j] and cross[j + 1];
 * a pick lies strictly inside a block.  The depot is at (depot, 0).
 *
 * route_blocks() is exact for any number of blocks up to
 * ROUTE_BLOCKS_MAX.  It is the dynamic programme of Roodbergen and de
 * Koster (2001) for one middle cross aisle, written for any number of
 * them: the classes of partial tours are the degree (zero, odd, even) of
 * each cross-aisle vertex of the current aisle and which of them are
 * connected (a partition), as in their paper for two blocks; with three
 * or more blocks the classes are the same kind, only more of them.  No
 * heuristic is needed up to ROUTE_BLOCKS_MAX blocks, where the count of
 * classes stays in the hundreds; fulfil.json(5) allows no more.  For one
 * block it gives route_optimal()'s length, but callers should use
 * route_optimal() there (it is faster): route_walk() does so.
 *
 * Ownership: the caller owns the problem and stops.
 */
#ifndef FULFIL_ROUTE_BLOCKS_H
#define FULFIL_ROUTE_BLOCKS_H

#include "route.h"

#define ROUTE_BLOCKS_MAX 4

struct route_blocks_problem {
	int naisles;
	double pitch;
	int nblocks;         /* 1 .. ROUTE_BLOCKS_MAX */
	const double *cross; /* nblocks + 1 rising y's, cross[0] = 0 */
	int depot;
	/* Picks in aisle a: y[a][0 .. npick[a]-1], in any order. */
	const int *npick;
	const double *const *y;
};

/*
 * The shortest tour's length, or -1 if the problem is malformed (no
 * aisles, too many blocks, a pick outside the blocks or on a cross aisle,
 * the depot outside the aisles).  When stops is not NULL (room for every
 * pick) it gets the picks in the order the tour first reaches them, as
 * route_stops() gives them.
 */
double route_blocks(
    const struct route_blocks_problem *, struct route_stop *stops);

/*
 * route_blocks()'s length if it is at most limit; otherwise a number
 * above limit, maybe not the length: partial tours that cannot end
 * within the limit are dropped as they are found.  No stops; -1 for a
 * malformed problem.
 */
double route_blocks_below(const struct route_blocks_problem *, double limit);

/*
 * The tour of a pick area of one block or more: route_optimal() (and
 * route_stops()) for one block, route_blocks() for more.  stops as in
 * route_blocks(); -1 for a malformed problem.
 */
double route_walk(
    const struct route_blocks_problem *, struct route_stop *stops);

#endif
