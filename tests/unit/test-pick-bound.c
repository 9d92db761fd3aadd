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
 * never below batch_bound(), and above it often.  pick.c computes it
 * from the parts (part_tour()), and a part from the whole batch
 * (part_less()); both are checked equal to the bit to what gathering
 * the points again gives: the plan must not move by a rounding.  With
 * middle cross aisles try_change() asks levels_bound(): never above the
 * route, not even by a rounding, and above batch_bound() mostly; and
 * memo_route() must answer as route_below() does, from the memo when
 * it has the set.
 */
#include "pick.c"

#include "tap.h"

#define TRIALS 4000
#define MAXO 8 /* orders on a cart */
#define MAXP 6 /* points of an order */

/*
 * The bound over gathered points, as try_change() computed it before
 * part_tour(): the reference part_tour() must equal.
 */
static double
tour_bound(const struct ctx *x, struct gather *g)
{
	const struct layout *l = x->lay;
	double len = zones_length(l), front = 0, t[4], u[4], c, gap,
	       big = 1e300;
	int a, lo = l->depot - 1, hi = l->depot - 1, k, s, m, depot;
	const double *y;
	static const int next[4][3] = {
	    {0, 1, 2}, {1, 2, 3}, {2, 3, 2}, {3, 2, 3}};

	for (a = 0; a < l->aisles; a++)
		if (g->np[a] > 0) {
			if (a < lo)
				lo = a;
			if (a > hi)
				hi = a;
		}
	t[0] = 0;
	t[1] = t[2] = t[3] = big;
	for (a = lo; a <= hi; a++) {
		m = g->np[a];
		y = g->ys[a];
		depot = a == l->depot - 1;
		/* Not walked through: from the front, the back, or both. */
		if (m == 0)
			c = 0;
		else {
			sort_y(g->ys[a], m);
			front += 2 * y[m - 1];
			c = 2 * y[m - 1];
			if (!depot && 2 * (len - y[0]) < c)
				c = 2 * (len - y[0]);
			gap = depot ? y[0] : -1;
			for (k = 0; k + 1 < m; k++)
				if (y[k + 1] - y[k] > gap)
					gap = y[k + 1] - y[k];
			if (gap >= 0 && 2 * (len - gap) < c)
				c = 2 * (len - gap);
		}
		if (g->least != NULL)
			g->least[a] = c < len ? c : len;
		for (s = 0; s < 4; s++)
			u[s] = big;
		for (s = 0; s < 4; s++) {
			if (t[s] >= big)
				continue;
			if (t[s] + c < u[next[s][0]])
				u[next[s][0]] = t[s] + c;
			if (t[s] + len < u[next[s][1]])
				u[next[s][1]] = t[s] + len;
			if (t[s] + 2 * len < u[next[s][2]])
				u[next[s][2]] = t[s] + 2 * len;
		}
		memcpy(t, u, sizeof t);
	}
	return (front < t[2] ? front : t[2]) + 2 * l->aisle_pitch * (hi - lo);
}

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

/*
 * memo_route() of a cart, asked at limits around its route in an order
 * that finds some answers kept, some not enough: each answer must be
 * what route_below() says (the length at or under the limit, above the
 * limit otherwise).  Then the kept length is altered, and asked again:
 * it must come from the memo (*hit), not the programme.  Returns how
 * many were asked.
 */
static int
memo_check(
    struct ctx *x, const int *orders, int n, double route, int *bad, int *hit)
{
	static const double step[] = {-3, 5, -1, 0, 2, -7, 1, -2, 9, 0};
	struct memo *m;
	int k, i, ord[MAXO], key[MAXO];
	double limit, got, kept;

	/* The same set, its orders in another order. */
	for (k = 0; k < n; k++)
		ord[k] = orders[n - 1 - k];
	for (k = 0; k < (int)(sizeof step / sizeof *step); k++) {
		limit = route + step[k];
		got = memo_route(x, &x->g[0], k % 2 ? ord : orders, n, limit);
		if (route <= limit ? got != route : !(got > limit))
			++*bad;
	}
	/* The orders are 0 .. n-1: the key. */
	for (i = 0; i < n; i++)
		key[i] = i;
	for (i = 0; i < MEMO_SIZE; i++) {
		m = &x->memo[i];
		if (m->n != n || memcmp(m->ord, key, (size_t)n * sizeof *key))
			continue;
		if (!m->exact || m->v != route)
			++*bad;
		kept = m->v;
		m->v = -42;
		*hit += memo_route(x, &x->g[0], ord, n, route + 100) == -42;
		m->v = kept;
	}
	return k;
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
	    {LAY(12, 30, 3, 1, 1), .ncross = 1, .cross = {15},
		.cross_width = 2},
	    {LAY(9, 20, 2.5, 1.5, 5), .ncross = 2, .cross = {6, 13},
		.cross_width = 3},
	    {LAY(1, 20, 3, 1, 1), .ncross = 1, .cross = {4}, .cross_width = 2},
	    {LAY(20, 40, 3, 1, 1), .ncross = 2, .cross = {13, 26},
		.cross_width = 2},
	    {LAY(11, 30, 2.7, 1.3, 6), .ncross = 3, .cross = {7, 15, 22},
		.cross_width = 2.3}};
	struct carts carts = {MAXO, 20000, 160000, 50, 400};
	int trial, bad = 0, apart = 0, i, o, skip, tbad = 0, tighter = 0,
		   tn = 0, ptbad = 0, plbad = 0, pln = 0, lower = 0, lbad = 0,
		   ln = 0, ltighter = 0, mbad = 0, mn = 0, mhit = 0;
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
		if (x.lay->ncross > 0) {
			/* Never above the route, not even by a rounding. */
			tb = levels_bound(&x, &x.g[0]);
			ln++;
			if (!(tb <= route) || !(tb >= bound - 1e-6))
				lbad++;
			ltighter += tb > bound + 1e-9;
			mn += memo_check(
			    &x, orders, b.norders, route, &mbad, &mhit);
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
		/* exchange() counts on it: an order added never lowers it. */
		if (part_with(&x, &x.parts[0][0], MAXO) <
		    part_with(&x, &x.parts[0][0], -1))
			lower++;
		if (!(whole <= batch_route(&x, &x.g[1]) + 1e-9))
			bad++;
		if (x.lay->ncross == 0) {
			double least[64];
			int a, lo, hi;

			tb = tour_bound(&x, &x.g[1]);
			if (part_tour(&x, &x.parts[0][0], MAXO, least) != tb)
				ptbad++;
			lo = hi = x.lay->depot - 1;
			for (a = 0; a < x.lay->aisles; a++)
				if (x.g[1].np[a] > 0) {
					lo = a < lo ? a : lo;
					hi = a > hi ? a : hi;
				}
			for (a = lo; a <= hi; a++)
				if (least[a] != x.g[1].least[a])
					ptbad++;
		}
		/* The same part, made from the whole batch. */
		if (skip >= 0) {
			struct part *pm = &x.parts[0][0], *w = &x.parts[0][1],
				    *pl = &x.parts[0][2];
			int a, k;

			pln++;
			part_make(&x, w, &b, -1);
			part_less(&x, pl, w, orders[skip]);
			if (pl->sum != pm->sum || pl->lo != pm->lo ||
			    pl->hi != pm->hi)
				plbad++;
			for (a = 0; a < x.lay->aisles; a++) {
				if (pl->g.np[a] != pm->g.np[a])
					plbad++;
				if (pl->g.np[a] == 0 ||
				    pl->g.np[a] != pm->g.np[a])
					continue;
				if (pl->c[a] != pm->c[a] ||
				    (x.lay->ncross == 0 &&
					(pl->tc[a] != pm->tc[a] ||
					    pl->tf[a] != pm->tf[a])))
					plbad++;
				for (k = 0; k < pl->g.np[a]; k++)
					if (pl->g.ys[a][k] != pm->g.ys[a][k])
						plbad++;
			}
		}
		scratch_free(&x);
		free(x.off);
		free(x.pts);
	}
	ok(bad == 0, "the bound is never above the optimal route (%d trials)",
	    TRIALS);
	ok(apart == 0,
	    "the bound aisle by aisle, an order added, is the whole bound");
	ok(lower == 0, "an order added never lowers the part's bound");
	ok(worst > 0, "and it is a bound, not the route (up to %.0f%% below)",
	    100 * worst);
	ok(tbad == 0,
	    "tour_bound() is between the bound and the route (%d trials)", tn);
	ok(tighter > tn / 10, "... and above the bound often (%d of %d)",
	    tighter, tn);
	ok(ptbad == 0,
	    "part_tour() is tour_bound() to the bit, least ways too");
	ok(lbad == 0,
	    "with middle cross aisles, levels_bound() is between the bound "
	    "and the route (%d trials)",
	    ln);
	ok(ltighter > ln / 2, "... and above the bound mostly (%d of %d)",
	    ltighter, ln);
	ok(mbad == 0 && mhit > 0,
	    "memo_route() answers as route_below() would, kept or not "
	    "(%d asked, %d from the memo)",
	    mn, mhit);
	ok(plbad == 0 && pln > TRIALS / 2,
	    "part_less() is part_make() to the bit (%d trials)", pln);
	return done_testing();
}
