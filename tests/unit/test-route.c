/*
 * route: the Ratliff-Rosenthal programme against exhaustive search.
 * Exhaustive search is Held-Karp over the picks and the depot, with the
 * walking distance of the warehouse between every two of them: a
 * shortest tour visits them in some order along shortest paths, so the
 * best order is the optimum.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "route.h"
#include "tap.h"

#define MAXP 11 /* the depot and up to ten picks */

struct pt {
	int aisle;
	double y;
};

static double
walk(const struct pt *p, const struct pt *q, double pitch, double len)
{
	if (p->aisle == q->aisle)
		return fabs(p->y - q->y);
	return abs(p->aisle - q->aisle) * pitch +
	       fmin(p->y + q->y, 2 * len - p->y - q->y);
}

/* Held-Karp: the shortest closed tour from point 0 through all n. */
static double
exhaustive(const struct pt *pt, int n, double pitch, double len)
{
	static double dp[1 << (MAXP - 1)][MAXP];
	double d[MAXP][MAXP], best = INFINITY, c;
	int full = (1 << (n - 1)) - 1, mask, i, j;

	if (n == 1)
		return 0;
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			d[i][j] = walk(&pt[i], &pt[j], pitch, len);
	for (mask = 0; mask <= full; mask++)
		for (j = 0; j < n; j++)
			dp[mask][j] = INFINITY;
	for (j = 1; j < n; j++)
		dp[1 << (j - 1)][j] = d[0][j];
	for (mask = 1; mask <= full; mask++)
		for (j = 1; j < n; j++) {
			if (!(mask & (1 << (j - 1))) || dp[mask][j] == INFINITY)
				continue;
			for (i = 1; i < n; i++) {
				if (mask & (1 << (i - 1)))
					continue;
				c = dp[mask][j] + d[j][i];
				if (c < dp[mask | (1 << (i - 1))][i])
					dp[mask | (1 << (i - 1))][i] = c;
			}
		}
	for (j = 1; j < n; j++)
		if ((c = dp[full][j] + d[j][0]) < best)
			best = c;
	return best;
}

/*
 * The problem for points pt[0 .. n-1] (pt[0] is the depot), and which
 * point each pick is.  It points into itself: do not copy it.
 */
struct inst {
	double ys[12][MAXP];
	const double *yp[12];
	int np[12];
	int idx[12][MAXP];
	struct route_problem p;
};

static void
build(struct inst *in, const struct pt *pt, int n, int naisles, double pitch,
    double len)
{
	int i, a;

	memset(in->np, 0, sizeof in->np);
	for (i = 1; i < n; i++) {
		a = pt[i].aisle;
		in->idx[a][in->np[a]] = i;
		in->ys[a][in->np[a]++] = pt[i].y;
	}
	for (i = 0; i < naisles; i++)
		in->yp[i] = in->ys[i];
	in->p = (struct route_problem){
	    naisles, pitch, len, pt[0].aisle, in->np, in->yp};
}

/* A plan's own length, from its parts: it must be the length returned. */
static double
plan_length(const struct route_plan *plan, int naisles, double pitch,
    double len, const struct pt *pt, int n)
{
	double total = 0, lo, hi;
	int a, i;

	for (a = 0; a < naisles; a++) {
		lo = len;
		hi = 0;
		for (i = 0; i < n; i++)
			if (pt[i].aisle == a) {
				lo = fmin(lo, pt[i].y);
				hi = fmax(hi, pt[i].y);
			}
		switch (plan->way[a]) {
		case ROUTE_NONE:
			break;
		case ROUTE_THROUGH:
			total += len;
			break;
		case ROUTE_TWICE:
			total += 2 * len;
			break;
		case ROUTE_FROM_BACK:
			total += 2 * (len - lo);
			break;
		case ROUTE_FROM_FRONT:
			total += 2 * hi;
			break;
		case ROUTE_GAP:
			total +=
			    2 * (len - (plan->gap_hi[a] - plan->gap_lo[a]));
			break;
		}
		if (a + 1 < naisles)
			total += (plan->front[a] + plan->back[a]) * pitch;
	}
	return total;
}

/*
 * The stops of a plan: each pick once, and the walk between them (from
 * the depot, back to it) no longer than the tour: the order is a tour.
 */
static int
circuit_ok(const struct inst *in, const struct pt *pt, int n,
    const struct route_plan *plan, double optimum)
{
	double walked, dist = 0, pitch = in->p.pitch, len = in->p.length;
	int seen[MAXP] = {0}, i, k, at;
	struct route_stop st[MAXP];
	struct pt prev = pt[0];

	if ((k = route_stops(&in->p, plan, st, &walked)) != n - 1 ||
	    fabs(walked - optimum) > 1e-9)
		return 0;
	for (i = 0; i < k; i++) {
		at = in->idx[st[i].aisle][st[i].pick];
		if (seen[at]++)
			return 0;
		dist += walk(&prev, &pt[at], pitch, len);
		prev = pt[at];
	}
	dist += walk(&prev, &pt[0], pitch, len);
	return dist <= optimum + 1e-9;
}

/*
 * The least way through each aisle of a problem, as route.c's ways()
 * offers them (the depot a point at 0 of its aisle): what
 * route_optimal_below() is given.
 */
static void
least_ways(const struct route_problem *p, double *least)
{
	double y[MAXP + 1], c, gap, v;
	int a, m, i, j;

	for (a = 0; a < p->naisles; a++) {
		m = 0;
		if (a == p->depot)
			y[m++] = 0;
		for (i = 0; i < p->npick[a]; i++)
			y[m++] = p->y[a][i];
		least[a] = 0;
		if (p->npick[a] == 0)
			continue;
		for (i = 1; i < m; i++)
			for (j = i; j > 0 && y[j - 1] > y[j]; j--)
				v = y[j], y[j] = y[j - 1], y[j - 1] = v;
		c = p->length;
		if (2 * y[m - 1] < c)
			c = 2 * y[m - 1];
		if (a != p->depot && 2 * (p->length - y[0]) < c)
			c = 2 * (p->length - y[0]);
		for (gap = -1, i = 0; i + 1 < m; i++)
			if (y[i + 1] - y[i] > gap)
				gap = y[i + 1] - y[i];
		if (gap >= 0 && 2 * (p->length - gap) < c)
			c = 2 * (p->length - gap);
		least[a] = c;
	}
}

int
main(void)
{
	static struct inst inst;
	struct route_plan plan;
	struct pt pt[MAXP];
	int trial, n, naisles, bays, i, bad = 0, badplan = 0, count = 0;
	int stopsbad = 0, sworse = 0, belowbad = 0, k;
	double pitch, bay, len, want, got, least[12], lim, b;
	const double scale[] = {0.5, 0.9, 0.999, 1, 1.001, 2};
	const double none[1] = {0};
	const double *yp[1] = {none};
	int np[1] = {0};
	struct route_problem p = {1, 3, 10, 0, np, yp};

	srand(20261123);
	/*
	 * S-shape by hand: depot at aisle 1 of 4 (pitch 3, length 10),
	 * picks in aisles 0, 2 and 3 (y 4 in aisle 3): through 0 and 2,
	 * return trip in 3 (2 x 4), and 2 x 3 stretches of 3 m across.
	 */
	{
		const double a0[] = {2}, a2[] = {7}, a3[] = {4};
		const double *ys4[4] = {a0, NULL, a2, a3};
		int np4[4] = {1, 0, 1, 1};
		struct route_problem p4 = {4, 3, 10, 1, np4, ys4};

		is_int((long long)(route_sshape(&p4) * 1000), 46000,
		    "S-shape: 10 + 10 + 8 + 18 = 46 m");
	}
	/* Hand-checked cases first. */
	is_int((long long)(route_optimal(&p, NULL) * 1000), 0,
	    "no picks: a tour of length 0");
	np[0] = 1;
	yp[0] = (const double[]){4};
	is_int((long long)(route_optimal(&p, NULL) * 1000), 8000,
	    "one pick 4 m up the depot's aisle: 8 m there and back");
	p.depot = 1;
	is_int((long long)route_optimal(&p, NULL), -1,
	    "depot outside the aisles: -1");
	p.depot = 0;
	yp[0] = (const double[]){10};
	is_int((long long)route_optimal(&p, NULL), -1,
	    "a pick on the back cross aisle is outside: -1");

	for (trial = 0; trial < 2000; trial++) {
		naisles = 1 + rand() % 12;
		bays = 1 + rand() % 15;
		bay = 1 + rand() % 3;
		pitch = 1 + rand() % 6;
		len = bays * bay;
		n = 1 + rand() % MAXP;
		pt[0].aisle = rand() % naisles;
		pt[0].y = 0;
		for (i = 1; i < n; i++) {
			pt[i].aisle = rand() % naisles;
			pt[i].y = (rand() % bays + 0.5) * bay;
		}
		want = exhaustive(pt, n, pitch, len);
		memset(&plan, 0, sizeof plan);
		build(&inst, pt, n, naisles, pitch, len);
		got = route_optimal(&inst.p, &plan);
		if (fabs(want - got) > 1e-9) {
			if (bad++ < 5)
				printf("# trial %d: %d aisles, %d picks, depot "
				       "%d: exhaustive %.3f, route %.3f\n",
				    trial, naisles, n - 1, pt[0].aisle, want,
				    got);
		} else if (fabs(plan_length(&plan, naisles, pitch, len, pt, n) -
				got) > 1e-9)
			badplan++;
		else if (!circuit_ok(&inst, pt, n, &plan, got))
			stopsbad++;
		if (route_sshape(&inst.p) < got - 1e-9)
			sworse++;
		/*
		 * Below a limit: the length itself, the same bits, when it
		 * is within the limit; above the limit when it is not.
		 */
		least_ways(&inst.p, least);
		for (k = 0; k < (int)(sizeof scale / sizeof *scale); k++) {
			lim = got * scale[k];
			b = route_optimal_below(&inst.p, least, lim);
			if (got <= lim ? b != got : !(b > lim))
				belowbad++;
		}
		count++;
		route_plan_free(&plan);
	}
	ok(bad == 0,
	    "optimal on %d random instances (1-12 aisles, up to "
	    "10 picks, depot anywhere on the front): %d differ",
	    count, bad);
	ok(badplan == 0, "every plan adds up to its length: %d do not",
	    badplan);
	ok(sworse == 0, "S-shape is never shorter than the optimum: %d are",
	    sworse);
	ok(belowbad == 0,
	    "route_optimal_below(): the length when within the limit, "
	    "above the limit otherwise: %d not",
	    belowbad);
	ok(stopsbad == 0,
	    "every plan walks as one circuit from the depot "
	    "through every pick, as long as it says: %d do not",
	    stopsbad);
	return done_testing();
}
