/*
 * route_blocks: the programme for blocks cut by cross aisles against
 * exhaustive search.  Exhaustive search is Held-Karp over the depot and
 * the picks with the shortest-path distances of the aisle graph (every
 * aisle cut at its cross aisles and picks, every cross aisle between
 * neighbouring aisles), computed by Floyd-Warshall: a shortest tour
 * visits the picks in some order along shortest paths.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "route_blocks.h"
#include "tap.h"

#define MAXA 5
#define MAXP 10 /* picks; with the depot 11 points */
#define MAXV (MAXA * (ROUTE_BLOCKS_MAX + 1 + MAXP))

struct inst {
	int naisles, nblocks, depot, np[MAXA];
	double pitch, cross[ROUTE_BLOCKS_MAX + 1];
	double ys[MAXA][MAXP];
	const double *yp[MAXA];
	struct route_blocks_problem p;
};

static void
setup(struct inst *in)
{
	int a;

	for (a = 0; a < MAXA; a++)
		in->yp[a] = in->ys[a];
	in->p =
	    (struct route_blocks_problem){in->naisles, in->pitch, in->nblocks,
		in->cross, in->depot, in->np, (const double *const *)in->yp};
}

/* The aisle graph's vertices: every cross point and pick of each aisle. */
static double dist[MAXV][MAXV];
static double vy[MAXV];
static int va[MAXV], nvert;

static int
vertex(int a, double y)
{
	int v;

	for (v = 0; v < nvert; v++)
		if (va[v] == a && vy[v] == y)
			return v;
	va[nvert] = a;
	vy[nvert] = y;
	return nvert++;
}

static int
by_pos(const void *x, const void *y)
{
	int u = *(const int *)x, v = *(const int *)y;

	if (va[u] != va[v])
		return va[u] - va[v];
	return vy[u] < vy[v] ? -1 : vy[u] > vy[v];
}

static double
exhaustive(const struct inst *in, int *pv, int *npts)
{
	static double dp[1 << MAXP][MAXP + 1];
	int ord[MAXV], n = 0, a, i, j, k, full, mask, m;
	double c, best = INFINITY;

	nvert = 0;
	for (a = 0; a < in->naisles; a++)
		for (j = 0; j <= in->nblocks; j++)
			vertex(a, in->cross[j]);
	pv[n++] = vertex(in->depot, 0);
	for (a = 0; a < in->naisles; a++)
		for (i = 0; i < in->np[a]; i++)
			pv[n++] = vertex(a, in->ys[a][i]);
	*npts = n;
	for (i = 0; i < nvert; i++)
		for (j = 0; j < nvert; j++)
			dist[i][j] = i == j ? 0 : INFINITY;
	for (i = 0; i < nvert; i++)
		ord[i] = i;
	qsort(ord, (size_t)nvert, sizeof *ord, by_pos);
	for (i = 0; i + 1 < nvert; i++)
		if (va[ord[i]] == va[ord[i + 1]])
			dist[ord[i]][ord[i + 1]] = dist[ord[i + 1]][ord[i]] =
			    vy[ord[i + 1]] - vy[ord[i]];
	for (a = 0; a + 1 < in->naisles; a++)
		for (j = 0; j <= in->nblocks; j++) {
			int u = vertex(a, in->cross[j]);
			int v = vertex(a + 1, in->cross[j]);

			dist[u][v] = dist[v][u] = in->pitch;
		}
	for (k = 0; k < nvert; k++)
		for (i = 0; i < nvert; i++)
			for (j = 0; j < nvert; j++)
				if (dist[i][k] + dist[k][j] < dist[i][j])
					dist[i][j] = dist[i][k] + dist[k][j];
	/* Held-Karp from point 0 over points 1 .. n-1. */
	m = n - 1;
	if (m == 0)
		return 0;
	full = (1 << m) - 1;
	for (mask = 0; mask <= full; mask++)
		for (j = 0; j < m; j++)
			dp[mask][j] = INFINITY;
	for (j = 0; j < m; j++)
		dp[1 << j][j] = dist[pv[0]][pv[j + 1]];
	for (mask = 1; mask <= full; mask++)
		for (j = 0; j < m; j++) {
			if (!(mask & 1 << j) || dp[mask][j] == INFINITY)
				continue;
			for (i = 0; i < m; i++) {
				if (mask & 1 << i)
					continue;
				c = dp[mask][j] + dist[pv[j + 1]][pv[i + 1]];
				if (c < dp[mask | 1 << i][i])
					dp[mask | 1 << i][i] = c;
			}
		}
	for (j = 0; j < m; j++)
		if ((c = dp[full][j] + dist[pv[j + 1]][pv[0]]) < best)
			best = c;
	return best;
}

static unsigned long rng = 12345;

static int
rnd(int n)
{
	rng = rng * 6364136223846793005UL + 1442695040888963407UL;
	return (int)((rng >> 33) % (unsigned long)n);
}

static void
random_inst(struct inst *in, int nblocks)
{
	int a, j, i, total;

	memset(in, 0, sizeof *in);
	in->naisles = 1 + rnd(MAXA);
	in->nblocks = nblocks;
	in->depot = rnd(in->naisles);
	in->pitch = 1 + rnd(4);
	for (j = 1; j <= nblocks; j++)
		in->cross[j] = in->cross[j - 1] + 2 + rnd(8);
	total = rnd(MAXP + 1);
	for (i = 0; i < total; i++) {
		a = rnd(in->naisles);
		j = rnd(nblocks);
		/* Half-metre steps strictly inside the block. */
		in->ys[a][in->np[a]++] =
		    in->cross[j] +
		    (1 +
			rnd((int)(2 * (in->cross[j + 1] - in->cross[j])) - 1)) /
			2.0;
	}
	setup(in);
}

static void
dump(const struct inst *in, int trial, double got, double want)
{
	int a, i, j;

	printf("# trial %d: got %g, want %g; pitch %g depot %d cross", trial,
	    got, want, in->pitch, in->depot);
	for (j = 0; j <= in->nblocks; j++)
		printf(" %g", in->cross[j]);
	printf("\n");
	for (a = 0; a < in->naisles; a++) {
		printf("#   aisle %d:", a);
		for (i = 0; i < in->np[a]; i++)
			printf(" %g", in->ys[a][i]);
		printf("\n");
	}
}

/*
 * route_blocks_below() against route_blocks() on carts of pick-list's
 * size (up to 20 aisles, 30 picks), pitches and cross aisles that are
 * not round numbers, so that the sums round: the length to the bit at
 * any limit at or above it, and a number above the limit below it.
 */
#define BIGA 20
#define BIGP 30

static int
below_trials(int trials, int *calls)
{
	static double ys[BIGA][BIGP];
	const double *yp[BIGA];
	double cross[ROUTE_BLOCKS_MAX + 1], pitch, bp, w, want, got, limit;
	int cb[ROUTE_BLOCKS_MAX], np[BIGA], trial, bad = 0, nb, na, bays;
	int a, j, k, n, bay, behind, q;

	for (trial = 0; trial < trials; trial++) {
		nb = 1 + trial % ROUTE_BLOCKS_MAX;
		na = 1 + rnd(BIGA);
		bays = 2 * nb + rnd(30);
		pitch = 1 + rnd(7) * 0.7;
		bp = 0.5 + rnd(5) * 0.35;
		w = 1 + rnd(4) * 0.6;
		/* Cross aisles after bays cb[0] < cb[1] < ... < bays. */
		for (j = 0; j < nb - 1; j++)
			cb[j] = (j + 1) * bays / nb;
		cross[0] = 0;
		for (j = 0; j < nb - 1; j++)
			cross[j + 1] = cb[j] * bp + j * w + w / 2;
		cross[nb] = bays * bp + (nb - 1) * w;
		memset(np, 0, sizeof np);
		for (n = 1 + rnd(BIGP), k = 0; k < n; k++) {
			bay = 1 + rnd(bays);
			a = rnd(na);
			for (behind = 0, j = 0; j < nb - 1; j++)
				behind += cb[j] < bay;
			ys[a][np[a]++] = (bay - 0.5) * bp + behind * w;
		}
		for (a = 0; a < BIGA; a++)
			yp[a] = ys[a];
		struct route_blocks_problem p = {na, pitch, nb, cross, rnd(na),
		    np, (const double *const *)yp};

		want = route_blocks(&p, NULL);
		for (q = 0; q < 9; q++) {
			limit = q == 8 ? want : want + (q - 4) * 1.3 * pitch;
			got = route_blocks_below(&p, limit);
			++*calls;
			if (want < 0 ||
			    (want <= limit ? got != want : !(got > limit)))
				bad++;
		}
	}
	return bad;
}

/* The walk through the stops in order, along shortest paths. */
static double
stops_walk(
    const struct inst *in, const struct route_stop *st, int n, const int *pv)
{
	int i, a, at = pv[0], v, idx;
	double w = 0;

	for (i = 0; i < n; i++) {
		for (idx = 1, a = 0; a < st[i].aisle; a++)
			idx += in->np[a];
		v = pv[idx + st[i].pick];
		w += dist[at][v];
		at = v;
	}
	return w + dist[at][pv[0]];
}

int
main(void)
{
	struct inst in;
	struct route_stop st[MAXP + 1];
	int pv[MAXP + 1], npts, nb, trial, bad, badstops, i, n, total;
	double got, want, walk;
	char seen[MAXA][MAXP];

	for (nb = 1; nb <= ROUTE_BLOCKS_MAX; nb++) {
		bad = badstops = 0;
		for (trial = 0; trial < 400; trial++) {
			random_inst(&in, nb);
			want = exhaustive(&in, pv, &npts);
			got = route_blocks(&in.p, st);
			if (fabs(got - want) > 1e-9) {
				if (bad++ == 0)
					dump(&in, trial, got, want);
				continue;
			}
			/* Every pick once, and the walk no longer. */
			memset(seen, 0, sizeof seen);
			for (total = 0, i = 0; i < in.naisles; i++)
				total += in.np[i];
			n = total;
			for (i = 0; i < n; i++)
				if (seen[st[i].aisle][st[i].pick]++)
					badstops++;
			walk = stops_walk(&in, st, n, pv);
			if (walk > got + 1e-9 && badstops++ == 0)
				dump(&in, trial, walk, got);
		}
		is_int(
		    bad, 0, "%d block(s): optimal on 400 random instances", nb);
		is_int(badstops, 0,
		    "%d block(s): the stops are each pick once, in a walk "
		    "no longer than the optimum",
		    nb);
	}
	/* One block: route_walk is route_optimal, exactly. */
	for (bad = 0, trial = 0; trial < 200; trial++) {
		struct route_problem q;

		random_inst(&in, 1);
		q = (struct route_problem){in.naisles, in.pitch, in.cross[1],
		    in.depot, in.np, (const double *const *)in.yp};
		if (route_walk(&in.p, NULL) != route_optimal(&q, NULL) ||
		    route_walk(&in.p, st) != route_optimal(&q, NULL))
			bad++;
	}
	is_int(bad, 0, "one block: route_walk gives route_optimal's length");
	n = 0;
	bad = below_trials(4000, &n);
	is_int(bad, 0,
	    "route_blocks_below: the length to the bit at or under the "
	    "limit, above it otherwise (%d limits)",
	    n);
	/*
	 * A crafted case: picks just either side of a middle cross aisle in
	 * aisles 1 and 3 of 3.  Without the cross aisle, the tour walks to
	 * the back and round; with it, across the middle.
	 */
	memset(&in, 0, sizeof in);
	in.naisles = 3;
	in.nblocks = 2;
	in.pitch = 3;
	in.cross[1] = 10;
	in.cross[2] = 20;
	in.np[0] = 2;
	in.ys[0][0] = 9;
	in.ys[0][1] = 11;
	in.np[2] = 2;
	in.ys[2][0] = 9;
	in.ys[2][1] = 11;
	setup(&in);
	got = route_walk(&in.p, st);
	{
		struct route_problem q = {
		    3, 3, 20, 0, in.np, (const double *const *)in.yp};

		want = route_optimal(&q, NULL);
	}
	ok(got == 2 * 11 + 2 * 6 + 2 * 1,
	    "crafted: the middle cross aisle "
	    "is used (%g)",
	    got);
	ok(got < want, "crafted: shorter than one block (%g < %g)", got, want);
	/* Malformed: a pick on a cross aisle, too many blocks. */
	in.ys[0][0] = 10;
	ok(route_blocks(&in.p, NULL) == -1, "a pick on a cross aisle is -1");
	in.ys[0][0] = 9;
	in.p.nblocks = ROUTE_BLOCKS_MAX + 1;
	ok(route_blocks(&in.p, NULL) == -1, "too many blocks is -1");
	in.p.nblocks = 2;
	in.np[1] = 0;
	in.np[0] = in.np[2] = 0;
	ok(route_blocks(&in.p, st) == 0, "no picks: 0");
	return done_testing();
}
