/*
 * pick's exchange turns a change down by a lower bound of the two walks
 * before computing them (batch_bound(), and part_make()/part_with(),
 * the same bound built aisle by aisle).  The plan is only the same as
 * without the bound if the bound is one: never above route_optimal()
 * for the same points.  Checked here on random carts, with pick.c's
 * static functions (the file is included), in layouts with the depot
 * at either end and in the middle; and the aisle-by-aisle bound is
 * checked equal to the whole one, so the exchange measures what the
 * bound says.  tour_bound(), the tighter one try_change() asks in a
 * block without middle cross aisles, likewise: never above the route,
 * never below batch_bound(), and above it often.
 */
#include "pick.c"

#include "tap.h"

#define TRIALS 4000
#define MAXO 8 /* orders on a cart */
#define MAXP 6 /* points of an order */

static unsigned long long rng = 88172645463325252ull;

static int
rnd(int n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (int)(rng % (unsigned long long)n);
}

/* Order o's points: distinct places, by aisle then bay, as geometry(). */
static void
random_order(struct ctx *x, size_t o, size_t *total)
{
	struct point p[MAXP];
	int n = 1 + rnd(MAXP), i, k = 0;

	for (i = 0; i < n; i++)
		p[i] = (struct point){rnd(x->lay->aisles),
		    1 + rnd(x->lay->bays), 0};
	qsort(p, (size_t)n, sizeof *p, by_place);
	x->off[o] = *total;
	for (i = 0; i < n; i++)
		if (k == 0 || by_place(&p[k - 1], &p[i]) != 0)
			p[k++] = p[i];
	for (i = 0; i < k; i++) {
		p[i].y = pick_bay_y(x->lay, p[i].bay);
		x->pts[(*total)++] = p[i];
	}
	x->off[o + 1] = *total;
}

int
main(void)
{
#define LAY(a, b, ap, bp, d) \
	.aisles = a, .bays = b, .aisle_pitch = ap, .bay_pitch = bp, .depot = d
	/* One block, and blocks cut by middle cross aisles (route_blocks). */
	struct layout lays[] = {{LAY(12, 30, 3, 1, 1)}, {LAY(12, 30, 3, 1, 12)},
	    {LAY(9, 10, 2.5, 1.5, 5)}, {LAY(1, 20, 3, 1, 1)},
	    {LAY(20, 40, 3, 1, 10)},
	    {LAY(12, 30, 3, 1, 1), .ncross = 1, .cross = {15}, .cross_width = 2},
	    {LAY(9, 20, 2.5, 1.5, 5), .ncross = 2, .cross = {6, 13},
		.cross_width = 3},
	    {LAY(1, 20, 3, 1, 1), .ncross = 1, .cross = {4}, .cross_width = 2}};
	struct carts carts = {MAXO, 20000, 160000, 50, 400};
	int trial, bad = 0, apart = 0, i, o, skip, tbad = 0, tighter = 0,
					      tn = 0;
	double worst = 0, tb;

	for (trial = 0; trial < TRIALS; trial++) {
		struct ctx x;
		struct pick_batch b;
		int orders[MAXO], with[MAXO + 1];
		size_t total = 0;
		double bound, route, whole;

		memset(&x, 0, sizeof x);
		memset(&b, 0, sizeof b);
		x.lay = &lays[trial % (int)(sizeof lays / sizeof *lays)];
		x.carts = &carts;
		x.n = MAXO + 1;
		x.off = xcalloc(x.n + 1, sizeof *x.off);
		x.pts = xcalloc(x.n * MAXP, sizeof *x.pts);
		for (o = 0; o < (int)x.n; o++)
			random_order(&x, (size_t)o, &total);
		scratch_init(&x);
		b.norders = 1 + rnd(MAXO);
		b.orders = orders;
		for (i = 0; i < b.norders; i++)
			orders[i] = i;
		gather(&x, &x.g[0], orders, b.norders);
		route = batch_route(&x, &x.g[0]);
		bound = batch_bound(&x, &x.g[0]);
		if (x.lay->ncross == 0) {
			tb = tour_bound(&x, &x.g[0]);
			tn++;
			if (!(tb <= route + 1e-9) || !(tb >= bound - 1e-9))
				tbad++;
			tighter += tb > bound + 1e-9;
		}
		if (!(bound <= route + 1e-9) || route < 0)
			bad++;
		if (route > 0 && 1 - bound / route > worst)
			worst = 1 - bound / route;
		/* Less one order (or none), plus the spare order MAXO. */
		skip = rnd(b.norders + 1) - 1;
		part_make(&x, &x.parts[0][0], &b, skip);
		for (i = 0, o = 0; i < b.norders; i++)
			if (i != skip)
				with[o++] = i;
		with[o++] = MAXO;
		gather(&x, &x.g[1], with, o);
		whole = batch_bound(&x, &x.g[1]);
		if (fabs(part_with(&x, &x.parts[0][0], MAXO) - whole) > 1e-9)
			apart++;
		if (!(whole <= batch_route(&x, &x.g[1]) + 1e-9))
			bad++;
		scratch_free(&x);
		free(x.off);
		free(x.pts);
	}
	ok(bad == 0, "the bound is never above the optimal route (%d trials)",
	    TRIALS);
	ok(apart == 0,
	    "the bound aisle by aisle, an order added, is the whole bound");
	ok(worst > 0, "and it is a bound, not the route (up to %.0f%% below)",
	    100 * worst);
	ok(tbad == 0,
	    "tour_bound() is between the bound and the route (%d trials)", tn);
	ok(tighter > tn / 10, "... and above the bound often (%d of %d)",
	    tighter, tn);
	return done_testing();
}
