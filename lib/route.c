#include <float.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "route.h"

/*
 * The programme walks the aisles left to right.  After each step it
 * knows, for each class of partial tour, the cheapest one: a partial
 * tour is the part of a tour left of (and including) the current aisle,
 * and its class is what the rest of the tour needs to know of it: the
 * degree of the aisle's front and back ends (zero, odd, or even) and how
 * many connected pieces it has (0, 1, or 2: one through each end).
 * Every other vertex must already have even degree, and every piece must
 * reach an end, or be the whole tour.
 *
 * A class is encoded as da * 9 + db * 3 + pieces; most codes are never
 * reached, and those that are not are kept at infinite cost.
 */
enum { ZERO, ODD, EVEN };
#define NSTATE 27
#define INF DBL_MAX

static int
code(int da, int db, int pieces)
{
	return da * 9 + db * 3 + pieces;
}

/* A degree class after k more edges. */
static int
plus_edges(int d, int k)
{
	if (k == 0)
		return d;
	if (d == ZERO)
		return k == 1 ? ODD : EVEN;
	if (d == ODD)
		return k == 1 ? EVEN : ODD;
	return k == 1 ? ODD : EVEN;
}

/* A way through an aisle: its cost and what it adds to either end. */
struct way {
	enum route_way kind;
	double cost;
	int va, vb;    /* edges added at the front and the back end */
	int joins;     /* connects the two ends */
	double lo, hi; /* ROUTE_GAP: the gap */
};

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/*
 * The ways through one aisle, given its required points in order (the
 * depot is a required point at y = 0 of its aisle).
 */
static int
ways(const double *r, int m, double len, int depot, struct way *w)
{
	int n = 0, i;
	double g, best = -1, lo = 0, hi = 0;

	if (m == 0)
		w[n++] = (struct way){ROUTE_NONE, 0, 0, 0, 0, 0, 0};
	w[n++] = (struct way){ROUTE_THROUGH, len, 1, 1, 1, 0, 0};
	w[n++] = (struct way){ROUTE_TWICE, 2 * len, 2, 2, 1, 0, 0};
	if (m == 0)
		return n;
	/* From the back never reaches the depot, which is at the front. */
	if (!depot)
		w[n++] = (struct way){
		    ROUTE_FROM_BACK, 2 * (len - r[0]), 0, 2, 0, 0, 0};
	w[n++] = (struct way){ROUTE_FROM_FRONT, 2 * r[m - 1], 2, 0, 0, 0, 0};
	for (i = 0; i + 1 < m; i++)
		if ((g = r[i + 1] - r[i]) > best) {
			best = g;
			lo = r[i];
			hi = r[i + 1];
		}
	if (best >= 0)
		w[n++] =
		    (struct way){ROUTE_GAP, 2 * (len - best), 2, 2, 0, lo, hi};
	return n;
}

/* The class after a way through the aisle, or -1 if none can follow. */
static int
after_way(int s, const struct way *w)
{
	int da = s / 9, db = s / 3 % 3, pieces = s % 3;
	int ha = da != ZERO, hb = db != ZERO, na, nb, same, n;

	if (!ha && !hb && pieces == 1)
		return w->kind == ROUTE_NONE ? s : -1; /* tour closed */
	na = plus_edges(da, w->va);
	nb = plus_edges(db, w->vb);
	if (w->joins)
		n = 1;
	else {
		same = pieces == 1 && ha && hb;
		n = (na != ZERO) + (nb != ZERO) - same;
	}
	/* Two pieces with odd ends cannot both close. */
	if (n == 2 && (na == ODD || nb == ODD))
		return -1;
	return code(na, nb, n);
}

/*
 * The class after f front and k back edges to the next aisle; -1 if
 * none can follow.  more: there are required points further right.
 */
static int
after_stretch(int s, int f, int k, int more)
{
	int da = s / 9, db = s / 3 % 3, pieces = s % 3;
	int ha = da != ZERO, hb = db != ZERO, ea, eb;

	if (!ha && !hb)
		return f == 0 && k == 0 ? s : -1; /* empty, or closed */
	/* The ends are left behind: their degrees must be even now. */
	ea = plus_edges(da, f);
	eb = plus_edges(db, k);
	if (ea == ODD || eb == ODD)
		return -1;
	if (f == 0 && k == 0)
		/* The tour closes here, if nothing is left to visit. */
		return pieces == 1 && !more ? code(ZERO, ZERO, 1) : -1;
	/* Every piece must go on to the right. */
	if (pieces == 2 && (f == 0 || k == 0))
		return -1;
	if (pieces == 1 && ha && !hb && f == 0)
		return -1;
	if (pieces == 1 && hb && !ha && k == 0)
		return -1;
	if (f > 0 && k > 0)
		return code(plus_edges(ZERO, f), plus_edges(ZERO, k),
		    pieces == 1 && ha && hb ? 1 : 2);
	return code(plus_edges(ZERO, f), plus_edges(ZERO, k), 1);
}

/*
 * The two transitions as tables, made once: the programme looks them up
 * some thousands of times per tour, and pick-list asks for many tours.
 */
static signed char way_to[NSTATE][ROUTE_GAP + 1];
static signed char stretch_to[NSTATE][3][3][2];
/*
 * The same, as lists of the moves that lead somewhere, so the programme
 * does not test the ones that do not: from class s, way kind
 * way_kind[s][i] leads to way_next[s][i]; f + k edges along the cross
 * aisles (with more to visit) to stretch_next[s][i], f * 3 + k being
 * stretch_fk[s][i].
 */
static signed char way_kind[NSTATE][ROUTE_GAP + 1];
static signed char way_next[NSTATE][ROUTE_GAP + 1];
/*
 * The same lists narrowed to the kinds an aisle has (a bit per kind in
 * the mask), in the same order: the programme goes through only these.
 */
#define WAY_MASKS (1 << (ROUTE_GAP + 1))
static signed char mask_kind[NSTATE][WAY_MASKS][ROUTE_GAP + 1];
static signed char mask_next[NSTATE][WAY_MASKS][ROUTE_GAP + 1];
static signed char mask_n[NSTATE][WAY_MASKS];
static signed char stretch_fk[NSTATE][9], stretch_next[NSTATE][9];
static signed char stretch_e[NSTATE][9]; /* f + k: the edges walked */
static int way_n[NSTATE], stretch_n[NSTATE];
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static void
make_tables(void)
{
	/* What each kind of way adds; the costs do not matter here. */
	static const struct way kinds[ROUTE_GAP + 1] = {
	    [ROUTE_NONE] = {ROUTE_NONE, 0, 0, 0, 0, 0, 0},
	    [ROUTE_THROUGH] = {ROUTE_THROUGH, 0, 1, 1, 1, 0, 0},
	    [ROUTE_TWICE] = {ROUTE_TWICE, 0, 2, 2, 1, 0, 0},
	    [ROUTE_FROM_BACK] = {ROUTE_FROM_BACK, 0, 0, 2, 0, 0, 0},
	    [ROUTE_FROM_FRONT] = {ROUTE_FROM_FRONT, 0, 2, 0, 0, 0, 0},
	    [ROUTE_GAP] = {ROUTE_GAP, 0, 2, 2, 0, 0, 0},
	};
	int s, k, f, b, m;

	for (s = 0; s < NSTATE; s++) {
		for (k = 0; k <= ROUTE_GAP; k++) {
			way_to[s][k] = (signed char)after_way(s, &kinds[k]);
			if (way_to[s][k] >= 0) {
				way_kind[s][way_n[s]] = (signed char)k;
				way_next[s][way_n[s]++] = way_to[s][k];
			}
		}
		for (f = 0; f <= 2; f++)
			for (b = 0; b <= 2; b++) {
				for (m = 0; m <= 1; m++)
					stretch_to[s][f][b][m] =
					    (signed char)after_stretch(
						s, f, b, m);
				if (stretch_to[s][f][b][1] >= 0) {
					stretch_e[s][stretch_n[s]] =
					    (signed char)(f + b);
					stretch_fk[s][stretch_n[s]] =
					    (signed char)(f * 3 + b);
					stretch_next[s][stretch_n[s]++] =
					    stretch_to[s][f][b][1];
				}
			}
		for (m = 0; m < WAY_MASKS; m++)
			for (k = 0; k < way_n[s]; k++)
				if (m >> way_kind[s][k] & 1) {
					mask_kind[s][m][(int)mask_n[s][m]] =
					    way_kind[s][k];
					mask_next[s][m][(int)mask_n[s][m]++] =
					    way_next[s][k];
				}
	}
}

/* Back pointers, to rebuild the plan. */
struct step {
	int from[NSTATE]; /* the class this one came from */
	int how[NSTATE];  /* way index, or f * 3 + k */
};

/* Picks are few per aisle: insertion sort beats qsort's calls. */
static void
sort_small(double *r, int m)
{
	int i, j;
	double v;

	if (m > 16) {
		qsort(r, (size_t)m, sizeof *r, cmp_double);
		return;
	}
	for (i = 1; i < m; i++) {
		v = r[i];
		for (j = i; j > 0 && r[j - 1] > v; j--)
			r[j] = r[j - 1];
		r[j] = v;
	}
}

/*
 * The programme; with least (route_optimal_below()), it drops each
 * partial tour that, plus what is left at the least, is above limit,
 * and gives up when none is left: something above limit, not the
 * length, is returned then.
 */
static double
route_dp(const struct route_problem *p, struct route_plan *plan,
    const double *least, double limit)
{
	double cbuf[2][NSTATE], *cost = cbuf[0], *next = cbuf[1], *swap;
	double rest = 0;
	double *r, best = INF, c, rbuf[64], along[5];
	struct step *vs = NULL, *hs = NULL;
	struct way w[6], *wsave = NULL;
	int a, i, s, t, k, m, nw, cap = 64, end = -1, lo, hi;
	int wi[ROUTE_GAP + 1], mask;
	double wc[ROUTE_GAP + 1];
	/*
	 * The classes reached so far, as bits: a class's cost is only
	 * read when its bit is set, so no array is cleared or scanned.
	 * Classes are taken lowest first, as a scan would, so ties go
	 * the same way.
	 */
	uint32_t live, reached, bits;

	if (p->naisles < 1 || p->depot < 0 || p->depot >= p->naisles ||
	    p->length <= 0 || p->pitch < 0)
		return -1;
	pthread_once(&tables_once, make_tables);
	/*
	 * Aisles left of lo and right of hi hold nothing to visit: a
	 * shortest tour never goes there, so the programme starts at lo
	 * and stops at hi.  There is more to visit right of a exactly
	 * when a < hi.
	 */
	lo = hi = p->depot;
	for (a = 0; a < p->naisles; a++) {
		if (p->npick[a] == 0)
			continue;
		for (i = 0; i < p->npick[a]; i++)
			if (!(p->y[a][i] > 0 && p->y[a][i] < p->length))
				return -1;
		if (a < lo)
			lo = a;
		if (a > hi)
			hi = a;
	}
	/*
	 * pick-list asks for many lengths and few plans: the back pointers
	 * are kept only for a plan, and nothing is allocated for a length
	 * unless an aisle holds more than 63 picks.
	 */
	if (plan != NULL) {
		vs = xcalloc((size_t)p->naisles, sizeof *vs);
		hs = xcalloc((size_t)p->naisles, sizeof *hs);
		wsave = xcalloc((size_t)p->naisles * 6, sizeof *wsave);
	}
	/*
	 * What is left right of aisle a is at least the least of each
	 * aisle further right, and each stretch of cross aisle from a to
	 * hi walked twice (the tour goes there and comes back).
	 */
	if (least != NULL)
		for (a = lo + 1; a <= hi; a++)
			rest += least[a];
	r = rbuf;
	for (i = 0; i < 5; i++)
		along[i] = i * p->pitch; /* as (f / 3 + f % 3) * pitch */
	cost[code(ZERO, ZERO, 0)] = 0;
	live = 1u << code(ZERO, ZERO, 0);
	for (a = lo; a <= hi; a++) {
		/* The required points of this aisle, in order. */
		m = p->npick[a] + (a == p->depot);
		if (m > cap) {
			cap = m;
			r = xrealloc(r == rbuf ? NULL : r,
			    (size_t)cap * sizeof *r);
		}
		i = 0;
		if (a == p->depot)
			r[i++] = 0;
		if (p->npick[a] > 0) {
			memcpy(r + i, p->y[a], (size_t)p->npick[a] * sizeof *r);
			sort_small(r, m);
		}
		nw = ways(r, m, p->length, a == p->depot, w);
		if (wsave != NULL)
			memcpy(wsave + 6 * a, w, sizeof w);
		/* Through the aisle: each kind of way is there once, or not. */
		for (mask = 0, i = 0; i < nw; i++) {
			wi[w[i].kind] = i;
			wc[w[i].kind] = w[i].cost;
			mask |= 1 << w[i].kind;
		}
		for (reached = 0, bits = live; bits != 0; bits &= bits - 1) {
			const signed char *kind, *to;

			s = __builtin_ctz(bits);
			kind = mask_kind[s][mask];
			to = mask_next[s][mask];
			for (k = 0; k < mask_n[s][mask]; k++) {
				t = to[k];
				c = cost[s] + wc[(int)kind[k]];
				if (!(reached >> t & 1) || c < next[t]) {
					reached |= 1u << t;
					next[t] = c;
					if (vs != NULL) {
						vs[a].from[t] = s;
						vs[a].how[t] = wi[(int)kind[k]];
					}
				}
			}
		}
		swap = cost, cost = next, next = swap, live = reached;
		if (least != NULL) {
			/*
			 * A class that is above limit with what is left at
			 * the least is dropped: no tour through it is at
			 * most limit.  None left: the tour is above it.
			 */
			for (bits = live; bits != 0; bits &= bits - 1) {
				s = __builtin_ctz(bits);
				if (cost[s] + rest + 2 * p->pitch * (hi - a) >
				    limit)
					live &= ~(1u << s);
			}
			if (live == 0) {
				end = -1;
				best = limit + 1;
				goto out;
			}
			if (a < hi)
				rest -= least[a + 1];
		}
		if (a == hi)
			break;
		/*
		 * Along the cross aisles to the next one, with more to
		 * visit (a < hi): the lists are for that.
		 */
		for (reached = 0, bits = live; bits != 0; bits &= bits - 1) {
			s = __builtin_ctz(bits);
			for (i = 0; i < stretch_n[s]; i++) {
				t = stretch_next[s][i];
				c = cost[s] + along[(int)stretch_e[s][i]];
				if (!(reached >> t & 1) || c < next[t]) {
					reached |= 1u << t;
					next[t] = c;
					if (hs != NULL) {
						hs[a].from[t] = s;
						hs[a].how[t] = stretch_fk[s][i];
					}
				}
			}
		}
		swap = cost, cost = next, next = swap, live = reached;
	}
	/* A whole tour: one piece, every end even, or closed already. */
	for (bits = live; bits != 0; bits &= bits - 1) {
		int da, db, pieces;

		s = __builtin_ctz(bits);
		da = s / 9, db = s / 3 % 3, pieces = s % 3;
		if (pieces != 1 || da == ODD || db == ODD)
			continue;
		if (cost[s] < best) {
			best = cost[s];
			end = s;
		}
	}
	if (plan != NULL && end >= 0) {
		plan->way = xcalloc((size_t)p->naisles, sizeof *plan->way);
		plan->gap_lo =
		    xcalloc((size_t)p->naisles, sizeof *plan->gap_lo);
		plan->gap_hi =
		    xcalloc((size_t)p->naisles, sizeof *plan->gap_hi);
		plan->front = xcalloc((size_t)p->naisles, sizeof *plan->front);
		plan->back = xcalloc((size_t)p->naisles, sizeof *plan->back);
		for (s = end, a = hi; a >= lo; a--) {
			struct way *wy = &wsave[6 * a + vs[a].how[s]];

			plan->way[a] = wy->kind;
			plan->gap_lo[a] = wy->lo;
			plan->gap_hi[a] = wy->hi;
			s = vs[a].from[s];
			if (a > lo) {
				plan->front[a - 1] = hs[a - 1].how[s] / 3;
				plan->back[a - 1] = hs[a - 1].how[s] % 3;
				s = hs[a - 1].from[s];
			}
		}
	}
out:
	if (r != rbuf)
		free(r);
	free(vs);
	free(hs);
	free(wsave);
	/* Below a limit, the only classes left may be no whole tour. */
	if (best == INF && least != NULL)
		return limit + 1;
	return best == INF ? -1 : best;
}

double
route_optimal(const struct route_problem *p, struct route_plan *plan)
{
	return route_dp(p, plan, NULL, 0);
}

double
route_optimal_below(
    const struct route_problem *p, const double *least, double limit)
{
	return route_dp(p, NULL, least, limit);
}

void
route_plan_free(struct route_plan *plan)
{
	free(plan->way);
	free(plan->gap_lo);
	free(plan->gap_hi);
	free(plan->front);
	free(plan->back);
	memset(plan, 0, sizeof *plan);
}

/*
 * The walk as a multigraph: per aisle its front end, its distinct pick
 * positions bottom up, and its back end; edges along aisles as the plan
 * says, and along the cross aisles.  Vertices are numbered aisle by
 * aisle; an edge list per vertex, with each edge's twin, lets Hierholzer's
 * algorithm walk it.
 */
struct graph {
	double *pos; /* y of each vertex */
	int *aisle;  /* aisle of each vertex */
	int *first;  /* first vertex of each aisle (its front) */
	int nv;
	int *to, *next, *head; /* adjacency lists, edges in twin pairs */
	double *len;
	char *used;
	int ne, cape;
};

/* times copies of the edge u-v, of length len. */
static void
edge(struct graph *g, int u, int v, int times, double len)
{
	int i, k;

	for (k = 0; k < times; k++)
		for (i = 0; i < 2; i++) {
			if (g->ne == g->cape) {
				g->cape = g->cape ? 2 * g->cape : 64;
				g->to =
				    xrealloc(g->to, g->cape * sizeof *g->to);
				g->next = xrealloc(
				    g->next, g->cape * sizeof *g->next);
				g->len =
				    xrealloc(g->len, g->cape * sizeof *g->len);
			}
			g->to[g->ne] = i ? u : v;
			g->len[g->ne] = len;
			g->next[g->ne] = g->head[i ? v : u];
			g->head[i ? v : u] = g->ne++;
		}
}

/* Edges along aisle positions lo .. hi (vertex numbers), times each. */
static void
chain(struct graph *g, int lo, int hi, int times)
{
	int v;

	for (v = lo; v < hi; v++)
		edge(g, v, v + 1, times, g->pos[v + 1] - g->pos[v]);
}

int
route_euler(const int *npick, const double *const *y, int start, int nv,
    int ne, int *head, const int *next, const int *to, char *used,
    const double *pos, const int *aisle, struct route_stop *stops)
{
	int *stack, *pv, i, j, v, a, n, top, nstops = 0;
	char *seen;

	/*
	 * Hierholzer's algorithm.  The circuit is the order vertices leave
	 * the stack, reversed; each pick is listed where its position is
	 * first reached.
	 */
	stack = xcalloc((size_t)ne + 2, sizeof *stack);
	pv = xcalloc((size_t)ne + 2, sizeof *pv);
	seen = xcalloc((size_t)nv + 1, 1);
	top = n = 0;
	stack[top++] = start;
	while (top > 0) {
		v = stack[top - 1];
		while (head[v] != -1 && used[head[v]])
			head[v] = next[head[v]];
		if (head[v] == -1) {
			pv[n++] = v;
			top--;
			continue;
		}
		i = head[v];
		used[i] = used[i ^ 1] = 1;
		stack[top++] = to[i];
	}
	for (i = n - 1; i >= 0; i--) {
		v = pv[i];
		if (seen[v]++)
			continue;
		a = aisle[v];
		for (j = 0; j < npick[a]; j++)
			if (y[a][j] == pos[v])
				stops[nstops++] = (struct route_stop){a, j};
	}
	for (i = 0; i < ne; i++)
		if (!used[i])
			nstops = -1; /* more than one closed walk */
	free(seen);
	free(pv);
	free(stack);
	return nstops;
}

int
route_stops(const struct route_problem *p, const struct route_plan *plan,
    struct route_stop *stops, double *walked)
{
	struct graph g;
	int a, i, v, n, nstops = 0, total = 0;
	int front, back, lo, hi;
	double *ys;

	memset(&g, 0, sizeof g);
	for (a = 0; a < p->naisles; a++)
		total += p->npick[a];
	g.first = xcalloc((size_t)p->naisles + 1, sizeof *g.first);
	g.pos = xcalloc((size_t)total + 2 * (size_t)p->naisles, sizeof *g.pos);
	g.aisle =
	    xcalloc((size_t)total + 2 * (size_t)p->naisles, sizeof *g.aisle);
	ys = xcalloc((size_t)total + 1, sizeof *ys);
	/* Vertices: front, distinct positions in order, back. */
	for (a = 0; a < p->naisles; a++) {
		g.first[a] = g.nv;
		g.aisle[g.nv] = a;
		g.pos[g.nv++] = 0;
		n = p->npick[a];
		if (n > 0) {
			memcpy(ys, p->y[a], (size_t)n * sizeof *ys);
			qsort(ys, (size_t)n, sizeof *ys, cmp_double);
		}
		for (i = 0; i < n; i++)
			if (i == 0 || ys[i] != ys[i - 1]) {
				g.aisle[g.nv] = a;
				g.pos[g.nv++] = ys[i];
			}
		g.aisle[g.nv] = a;
		g.pos[g.nv++] = p->length;
	}
	g.first[p->naisles] = g.nv;
	g.head = xcalloc((size_t)g.nv, sizeof *g.head);
	for (v = 0; v < g.nv; v++)
		g.head[v] = -1;
	for (a = 0; a < p->naisles; a++) {
		front = g.first[a];
		back = g.first[a + 1] - 1;
		switch (plan->way[a]) {
		case ROUTE_NONE:
			break;
		case ROUTE_THROUGH:
			chain(&g, front, back, 1);
			break;
		case ROUTE_TWICE:
			chain(&g, front, back, 2);
			break;
		case ROUTE_FROM_BACK:
			chain(&g, front + 1, back, 2);
			break;
		case ROUTE_FROM_FRONT:
			chain(&g, front, back - 1, 2);
			break;
		case ROUTE_GAP:
			/* Up to the gap's low end, down to its high end. */
			for (lo = front;
			     lo < back && g.pos[lo] < plan->gap_lo[a]; lo++)
				;
			for (hi = lo; hi < back && g.pos[hi] < plan->gap_hi[a];
			     hi++)
				;
			chain(&g, front, lo, 2);
			chain(&g, hi, back, 2);
			break;
		}
		if (a + 1 < p->naisles) {
			edge(&g, front, g.first[a + 1], plan->front[a],
			    p->pitch);
			edge(&g, back, g.first[a + 2] - 1, plan->back[a],
			    p->pitch);
		}
	}
	g.used = xcalloc((size_t)g.ne + 1, 1);
	nstops = route_euler(p->npick, p->y, g.first[p->depot], g.nv, g.ne,
	    g.head, g.next, g.to, g.used, g.pos, g.aisle, stops);
	/* Each edge is in twins, and a closed walk takes every edge once. */
	*walked = 0;
	for (i = 0; i < g.ne; i += 2)
		*walked += g.len[i];
	if (nstops != total)
		nstops = -1;
	free(ys);
	free(g.used);
	free(g.head);
	free(g.to);
	free(g.next);
	free(g.len);
	free(g.pos);
	free(g.aisle);
	free(g.first);
	return nstops;
}

double
route_sshape(const struct route_problem *p)
{
	int a, i, n = 0, lo, hi, last = -1;
	double far = 0;

	if (p->naisles < 1 || p->depot < 0 || p->depot >= p->naisles)
		return -1;
	/* The span walked along the front runs from the depot at least. */
	lo = hi = p->depot;
	for (a = 0; a < p->naisles; a++) {
		if (p->npick[a] == 0)
			continue;
		n++;
		last = a;
		if (a < lo)
			lo = a;
		if (a > hi)
			hi = a;
	}
	if (n == 0)
		return 0;
	/* With an odd count the last aisle is a return trip. */
	if (n % 2 == 1)
		for (i = 0; i < p->npick[last]; i++)
			if (p->y[last][i] > far)
				far = p->y[last][i];
	return 2 * (hi - lo) * p->pitch +
	       (n % 2 == 1 ? (n - 1) * p->length + 2 * far : n * p->length);
}
