/*
 * route: the shortest picking tour in a single-block warehouse, by the
 * dynamic programme of Ratliff and Rosenthal (1983), in time linear in
 * the number of aisles.
 *
 * The model (pick-list(1)): aisles 0 .. naisles-1, parallel, pitch
 * apart; each runs from the front cross aisle (y = 0) to the back cross
 * aisle (y = length) and is walked along its centre line.  Picks are at
 * (aisle, y) with 0 < y < length.  The depot is on the front cross aisle
 * in front of aisle depot.  A tour starts and ends at the depot and
 * walks only along aisles and cross aisles.
 *
 * route_optimal() returns the length of a shortest tour and, when plan is
 * not NULL, how it uses each part of the warehouse: for each aisle, one
 * of the six ways through it; for each stretch of cross aisle between
 * two neighbouring aisles, how many times (0, 1 or 2) it walks the front
 * and the back.  A tour follows from the plan as an Euler circuit.
 * route_optimal_below() is the length for a caller that only wants it
 * if it is within a limit: it stops early when it cannot be.
 *
 * Ownership: the caller owns the problem and the plan; route_plan_free()
 * releases what route_optimal() put in a plan.
 */
#ifndef FULFIL_ROUTE_H
#define FULFIL_ROUTE_H

#include <stddef.h>

struct route_problem {
	int naisles;
	double pitch;  /* between neighbouring aisles' centre lines */
	double length; /* of an aisle, front to back */
	int depot;     /* the aisle the depot is in front of */
	/* Picks in aisle a: y[a][0 .. npick[a]-1], in any order. */
	const int *npick;
	const double *const *y;
};

enum route_way {
	ROUTE_NONE,       /* not entered */
	ROUTE_THROUGH,    /* walked once, front to back (or back to front) */
	ROUTE_TWICE,      /* walked front to back and back again */
	ROUTE_FROM_BACK,  /* entered from the back, down to its last pick */
	ROUTE_FROM_FRONT, /* entered from the front, up to its last pick */
	ROUTE_GAP         /* from both ends, leaving its largest gap */
};

struct route_plan {
	enum route_way *way;     /* per aisle */
	double *gap_lo, *gap_hi; /* ROUTE_GAP: the gap left, per aisle */
	int *front, *back;       /* per stretch a .. a+1: times walked */
};

/*
 * The shortest tour's length; -1 if the problem is malformed (no aisles,
 * a pick outside (0, length), the depot outside the aisles).
 */
double route_optimal(const struct route_problem *, struct route_plan *);
/*
 * route_optimal()'s length if it is at most limit; otherwise a number
 * above limit, maybe not the length: the programme stops as soon as no
 * tour can be short enough.  least[a] is at most what any way through
 * aisle a costs (0 for an aisle without picks; see ways() in route.c),
 * for every aisle.  For a caller that only wants to know whether a
 * tour is short enough, and how long if it is (pick's exchange).
 */
double route_optimal_below(
    const struct route_problem *, const double *least, double limit);
void route_plan_free(struct route_plan *);

/*
 * The S-shape tour most warehouses walk, for comparison: every aisle with
 * a pick is walked through, left to right from the leftmost, except that
 * with an odd number of them the last is entered from the front and left
 * the same way; then back along the front to the depot.  Its length, or
 * -1 for a malformed problem.
 */
double route_sshape(const struct route_problem *);

/* A stop of a tour: pick i of aisle a (as in the problem's y[a][i]). */
struct route_stop {
	int aisle;
	int pick;
};

/*
 * The tour a plan describes, as the order in which its picks are first
 * reached walking from the depot: an Euler circuit of the walk the plan
 * makes.  stops must have room for every pick; *walked gets the length
 * walked (the plan's length).  Returns the number of stops, or -1 if the
 * plan does not make a single closed walk through every pick.
 */
int route_stops(const struct route_problem *, const struct route_plan *,
    struct route_stop *stops, double *walked);

/*
 * For route.c and route_blocks.c: the stops of an Euler circuit from
 * vertex start of a graph of nv vertices whose ne edges come in twin
 * pairs (i, i ^ 1): head, next and to are its adjacency lists (head is
 * used up), used ne zeroed flags, pos and aisle each vertex's place.
 * Each pick y[a][j] is a stop where its position is first reached.
 * Returns the number of stops, or -1 if the edges are not one closed
 * walk.
 */
int route_euler(const int *npick, const double *const *y, int start, int nv,
    int ne, int *head, const int *next, const int *to, char *used,
    const double *pos, const int *aisle, struct route_stop *stops);

#endif
