/*
 * slotting: a warehouse small enough that every walk is worked out by
 * hand.  Three aisles, 2 m apart, of four 1 m bays (4 m long), the depot
 * in front of aisle 1.  A bay's pick point is at y = bay - 0.5.  Between
 * points in different aisles a picker walks the aisles apart plus the
 * shorter way round by the front (y1 + y2) or the back (8 - y1 - y2).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "slotting.h"
#include "tap.h"

static const struct layout lay = {
    .aisles = 3, .bays = 4, .aisle_pitch = 2, .bay_pitch = 1, .depot = 1};

/*
 * A (aisle 3 bay 4: 7.5 m from the depot) is picked most; B (aisle 1
 * bay 1, the best place) never; C (aisle 2 bay 2) once; D (aisle 3 bay
 * 3) twice; E (aisle 1 bay 2) never.
 */
static const struct slot_sku skus[] = {
    {"A", "A03-04-1", 3, 4, 3},
    {"B", "A01-01-1", 1, 1, 0},
    {"C", "A02-02-1", 2, 2, 1},
    {"D", "A03-03-1", 3, 3, 2},
    {"E", "A01-02-1", 1, 2, 0},
};
/* b0 {A}, b1 {A}, b2 {A, C}, b3 {D}, b4 {D}. */
static const size_t visit[] = {0, 0, 0, 2, 3, 3};
static const size_t first[] = {0, 1, 2, 4, 5, 6};

static struct slotting
period(size_t nsku, size_t nbatch, int max)
{
	struct slotting s = {0};

	s.lay = &lay;
	s.skus = skus;
	s.nsku = nsku;
	s.visit = visit;
	s.first = first;
	s.nbatch = nbatch;
	s.max_moves = max;
	return s;
}

static int
near(double got, double want)
{
	return fabs(got - want) < 1e-9;
}

int
main(void)
{
	struct slotting s = period(5, 5, 10);
	size_t place[5] = {0, 1, 2, 3, 4};
	struct slot_sku bad[1] = {{"X", "A04-01-1", 4, 1, 1}};
	double w;

	/*
	 * Today's walks.  A alone: 4 m along the front, up to 3.5 and back,
	 * 4 m back: 15.  A and C: to C (2 + 1.5), across the back to A
	 * (2 + 0.5 + 2.5), down aisle 3 and back along the front (3.5 + 4):
	 * 16.  D alone: 4 + 2.5 + 2.5 + 4 = 13.
	 */
	ok(near(slotting_walk(&s, 0, NULL), 15), "A alone: 15 m");
	ok(near(slotting_walk(&s, 2, NULL), 16), "A and C: 16 m");
	ok(near(slotting_walk(&s, 3, NULL), 13), "D alone: 13 m");
	/* A in B's place (aisle 1 y 0.5), C where it is: 0.5, 4, 3.5. */
	place[0] = 1;
	place[1] = 0;
	ok(near(slotting_walk(&s, 2, place), 8), "A and C, A at B's: 8 m");

	is_int(slotting_plan(&s), 0, "plan");
	ok(near(s.before_m, 15 + 15 + 16 + 13 + 13), "before: 72 m, got %g",
	    s.before_m);
	is_int(s.nmoves, 2, "two swaps");
	/*
	 * A takes B's place: batches 0 to 2 walk 1 + 1 + 8 instead of 46
	 * (36 saved), better than C's (7 + 7 + 16: 16 saved).
	 */
	is_int(s.moves[0].sku, 0, "first: A");
	is_int(s.moves[0].with, 1, "into B's place");
	ok(near(s.moves[0].saved_m, 36), "saves 36 m, got %g",
	    s.moves[0].saved_m);
	/*
	 * D takes E's place (aisle 1 y 1.5): 3 + 3 instead of 13 + 13, 20
	 * saved; C's would save 12 on D's batches and lose 6 on A and C's
	 * (C at aisle 3 y 2.5: 0.5 + 7 + 6.5 = 14 against 8): 6.
	 */
	is_int(s.moves[1].sku, 3, "second: D");
	is_int(s.moves[1].with, 4, "into E's place");
	ok(near(s.moves[1].saved_m, 20), "saves 20 m, got %g",
	    s.moves[1].saved_m);
	/* C has nowhere nearer held by a slower SKU not yet moved. */
	ok(near(s.after_m, 1 + 1 + 8 + 3 + 3), "after: 16 m, got %g",
	    s.after_m);
	ok(near(
	       s.before_m - s.after_m, s.moves[0].saved_m + s.moves[1].saved_m),
	    "the swaps' savings add up to the replayed walks");
	slotting_free(&s);

	s = period(5, 5, 1);
	is_int(slotting_plan(&s), 0, "plan, one move at most");
	is_int(s.nmoves, 1, "--moves 1: one swap");
	is_int(s.moves[0].sku, 0, "the best first");
	ok(near(s.after_m, 1 + 1 + 8 + 13 + 13), "after: 36 m");
	slotting_free(&s);

	/*
	 * Only A and B, A's batches: the swap is the obvious one.  And the
	 * same input gives the same plan.
	 */
	s = period(2, 2, 10);
	is_int(slotting_plan(&s), 0, "plan, A and B");
	is_int(s.nmoves, 1, "one swap");
	w = s.moves[0].saved_m;
	slotting_free(&s);
	is_int(slotting_plan(&s), 0, "again");
	ok(s.nmoves == 1 && near(s.moves[0].saved_m, w) && near(w, 28),
	    "the same plan: 28 m saved");
	slotting_free(&s);

	/* Nothing picked faster than what is nearer: no move. */
	s = period(5, 0, 10);
	is_int(slotting_plan(&s), 0, "no batches");
	is_int(s.nmoves, 0, "no move");
	ok(near(s.before_m, 0) && near(s.after_m, 0), "no walk");
	slotting_free(&s);

	/* A place outside the layout is refused. */
	s = period(1, 0, 10);
	s.skus = bad;
	is_int(slotting_plan(&s), -1, "aisle 4 of 3: refused");
	slotting_free(&s);
	return done_testing();
}
