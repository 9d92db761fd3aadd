#include <float.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "route_blocks.h"

/*
 * The programme walks the aisles left to right, and within an aisle its
 * blocks front to back, one step each, then the cross aisles to the next
 * aisle in one step.  After each step it knows, for each class of partial
 * tour, the cheapest one.  A class is what the rest of the tour needs to
 * know of a partial tour: for each cross-aisle vertex of the current
 * aisle, its degree (zero, odd, even) and which connected piece it is in.
 * Every vertex left behind must have even degree and every piece must go
 * on to the right, until the last aisle, where one piece with even
 * degrees everywhere is a tour.
 */
enum { ZERO, ODD, EVEN };
#define NV (ROUTE_BLOCKS_MAX + 1)
#define BITS 5 /* per vertex in a key: 2 of degree, 3 of piece */

struct cls {
	int deg[NV], lab[NV];
};

static int
plus_edges(int d, int k)
{
	if (k == 0)
		return d;
	if (d == ODD)
		return k == 1 ? EVEN : ODD;
	return k == 1 ? ODD : EVEN;
}

/* The key of a class, its pieces numbered in order of first vertex. */
static uint64_t
pack(const struct cls *c, int nv)
{
	int map[4 * NV], next = 0, j, lab;
	uint64_t k = 0;

	for (j = 0; j < 4 * NV; j++)
		map[j] = -1;
	for (j = 0; j < nv; j++) {
		lab = 0;
		if (c->deg[j] != ZERO) {
			if (map[c->lab[j]] < 0)
				map[c->lab[j]] = next++;
			lab = map[c->lab[j]];
		}
		k = k << BITS | (uint64_t)(c->deg[j] << 3 | lab);
	}
	return k;
}

static void
unpack(uint64_t k, int nv, struct cls *c)
{
	int j;

	for (j = nv - 1; j >= 0; j--, k >>= BITS) {
		c->deg[j] = (int)(k >> 3 & 3);
		c->lab[j] = (int)(k & 7);
	}
}

/* The classes found so far, by key: an open-addressed hash of indexes. */
struct index {
	uint64_t *key; /* the table's */
	int *slot;
	size_t nslot;
};

static size_t
hash(uint64_t k, size_t mask)
{
	return (size_t)((k * UINT64_C(0x9E3779B97F4A7C15)) >> 17) & mask;
}

/* Where key is, or would go. */
static size_t
slot_of(const struct index *ix, uint64_t key)
{
	size_t h = hash(key, ix->nslot - 1);

	while (ix->slot[h] != -1 && ix->key[ix->slot[h]] != key)
		h = (h + 1) & (ix->nslot - 1);
	return h;
}

/* A way through a block of an aisle (route.h's kinds, low end first). */
struct way {
	enum route_way kind;
	double cost;
	int va, vb; /* edges added at the low and the high end */
	int joins;  /* connects the two ends */
};

/* The first largest gap between picks r[i] and r[i + 1], or -1. */
static int
gap_at(const double *r, int m)
{
	int i, at = -1;

	for (i = 0; i + 1 < m; i++)
		if (at < 0 || r[i + 1] - r[i] > r[at + 1] - r[at])
			at = i;
	return at;
}

/* The ways through a block of length len with picks r (sorted, from 0). */
static int
ways(const double *r, int m, double len, struct way *w)
{
	int n = 0, g;

	if (m == 0)
		w[n++] = (struct way){ROUTE_NONE, 0, 0, 0, 0};
	w[n++] = (struct way){ROUTE_THROUGH, len, 1, 1, 1};
	w[n++] = (struct way){ROUTE_TWICE, 2 * len, 2, 2, 1};
	if (m == 0)
		return n;
	w[n++] = (struct way){ROUTE_FROM_BACK, 2 * (len - r[0]), 0, 2, 0};
	w[n++] = (struct way){ROUTE_FROM_FRONT, 2 * r[m - 1], 2, 0, 0};
	if ((g = gap_at(r, m)) >= 0)
		w[n++] = (struct way){
		    ROUTE_GAP, 2 * (len - (r[g + 1] - r[g])), 2, 2, 0};
	return n;
}

/* Ways by cost, cheapest first (a few). */
static void
ways_sort(struct way *w, int n)
{
	struct way v;
	int i, k;

	for (i = 1; i < n; i++) {
		v = w[i];
		for (k = i; k > 0 && w[k - 1].cost > v.cost; k--)
			w[k] = w[k - 1];
		w[k] = v;
	}
}

/* A label no vertex has. */
static int
fresh(const struct cls *c, int nv)
{
	int j, f = 0;

	for (j = 0; j < nv; j++)
		if (c->deg[j] != ZERO && c->lab[j] >= f)
			f = c->lab[j] + 1;
	return f;
}

static void
way_apply(struct cls *c, int nv, int j, const struct way *w)
{
	int v, old;

	if (w->va) {
		if (c->deg[j] == ZERO)
			c->lab[j] = fresh(c, nv);
		c->deg[j] = plus_edges(c->deg[j], w->va);
	}
	if (w->vb) {
		if (c->deg[j + 1] == ZERO)
			c->lab[j + 1] = fresh(c, nv);
		c->deg[j + 1] = plus_edges(c->deg[j + 1], w->vb);
	}
	if (w->joins) {
		old = c->lab[j + 1];
		for (v = 0; v < nv; v++)
			if (c->deg[v] != ZERO && c->lab[v] == old)
				c->lab[v] = c->lab[j];
	}
}

/*
 * The class at the next aisle after k[j] edges along cross aisle j, or
 * -1 if none can follow: a vertex left odd, or a piece left behind.
 */
static int
cross_apply(const struct cls *c, int nv, const int *k, struct cls *out)
{
	int j, v, goes, f = fresh(c, nv);

	for (j = 0; j < nv; j++) {
		if (plus_edges(c->deg[j], k[j]) == ODD)
			return -1;
		/*
		 * Edges from a vertex nothing else reaches are a spur out and
		 * back, which a shortest tour does without; unless it is the
		 * depot's, which is on cross aisle 0.
		 */
		if (c->deg[j] == ZERO && k[j] && j > 0)
			return -1;
		if (c->deg[j] == ZERO)
			continue;
		for (goes = 0, v = 0; v < nv; v++)
			if (c->deg[v] != ZERO && c->lab[v] == c->lab[j] && k[v])
				goes = 1;
		if (!goes)
			return -1;
	}
	for (j = 0; j < nv; j++) {
		out->deg[j] = plus_edges(ZERO, k[j]);
		out->lab[j] = c->deg[j] != ZERO ? c->lab[j] : k[j] ? f++ : 0;
	}
	return 0;
}

/* Picks of one aisle, sorted, and where each block's begin. */
struct aisle {
	double *r;
	int first[NV + 1]; /* block j: r[first[j] .. first[j + 1]) */
};

/*
 * The walk of the plan as a multigraph, and its Euler circuit from the
 * depot: the picks in the order first reached.
 */
struct graph {
	double *pos;
	int *aisle, *cv; /* cv[a * nv + j]: the vertex of cross aisle j */
	int nv, *to, *next, *head;
	char *used;
	int ne;
	size_t cape;
};

static void
edge(struct graph *g, int u, int v, int times)
{
	int i, k;

	for (k = 0; k < times; k++)
		for (i = 0; i < 2; i++) {
			xgrow(
			    &g->to, &g->cape, (size_t)g->ne + 1, sizeof *g->to);
			g->next = xrealloc(g->next, g->cape * sizeof *g->next);
			g->to[g->ne] = i ? u : v;
			g->next[g->ne] = g->head[i ? v : u];
			g->head[i ? v : u] = g->ne++;
		}
}

static void
chain(struct graph *g, int lo, int hi, int times)
{
	int v;

	for (v = lo; v < hi; v++)
		edge(g, v, v + 1, times);
}

static int
tour_stops(const struct route_blocks_problem *p, const struct aisle *ai,
    const enum route_way *way, const int *k, struct route_stop *stops)
{
	struct graph g;
	int nv = p->nblocks + 1, a, j, i, v, lo, hi, ns = 0, total = 0;

	memset(&g, 0, sizeof g);
	for (a = 0; a < p->naisles; a++)
		total += p->npick[a];
	g.pos = xcalloc((size_t)(total + nv * p->naisles), sizeof *g.pos);
	g.aisle = xcalloc((size_t)(total + nv * p->naisles), sizeof *g.aisle);
	g.cv = xcalloc((size_t)(nv * p->naisles), sizeof *g.cv);
	for (a = 0; a < p->naisles; a++)
		for (j = 0; j < nv; j++) {
			g.cv[a * nv + j] = g.nv;
			g.aisle[g.nv] = a;
			g.pos[g.nv++] = p->cross[j];
			if (j == p->nblocks)
				break;
			for (i = ai[a].first[j]; i < ai[a].first[j + 1]; i++)
				if (i == ai[a].first[j] ||
				    ai[a].r[i] != ai[a].r[i - 1]) {
					g.aisle[g.nv] = a;
					g.pos[g.nv++] = ai[a].r[i];
				}
		}
	g.head = xcalloc((size_t)g.nv, sizeof *g.head);
	for (v = 0; v < g.nv; v++)
		g.head[v] = -1;
	for (a = 0; a < p->naisles; a++) {
		for (j = 0; j < p->nblocks; j++) {
			lo = g.cv[a * nv + j];
			hi = g.cv[a * nv + j + 1];
			switch (way[a * p->nblocks + j]) {
			case ROUTE_NONE:
				break;
			case ROUTE_THROUGH:
				chain(&g, lo, hi, 1);
				break;
			case ROUTE_TWICE:
				chain(&g, lo, hi, 2);
				break;
			case ROUTE_FROM_BACK:
				chain(&g, lo + 1, hi, 2);
				break;
			case ROUTE_FROM_FRONT:
				chain(&g, lo, hi - 1, 2);
				break;
			case ROUTE_GAP:
				/*
				 * The largest gap between distinct picks;
				 * with one, the gap between a pick and
				 * itself.
				 */
				for (i = v = lo + 1; v + 1 < hi; v++)
					if (g.pos[v + 1] - g.pos[v] >
					    g.pos[i + 1] - g.pos[i])
						i = v;
				chain(&g, lo, i, 2);
				chain(&g, i + 1, hi, 2);
				break;
			}
		}
		if (a + 1 < p->naisles)
			for (j = 0; j < nv; j++)
				edge(&g, g.cv[a * nv + j],
				    g.cv[(a + 1) * nv + j], k[a * nv + j]);
	}
	g.used = xcalloc((size_t)g.ne + 1, 1);
	ns = route_euler(p->npick, p->y, g.cv[p->depot * nv], g.nv, g.ne, g.head,
	    g.next, g.to, g.used, g.pos, g.aisle, stops);
	if (ns != total)
		ns = -1;
	free(g.used);
	free(g.head);
	free(g.to);
	free(g.next);
	free(g.cv);
	free(g.aisle);
	free(g.pos);
	return ns;
}

/*
 * Is the problem well formed?  Then its aisles' picks, sorted (all in
 * ai[0].r's one allocation: aisles_free()).
 */
static struct aisle *
prepare(const struct route_blocks_problem *p, int *total)
{
	struct aisle *ai;
	double *r, v;
	int a, i, j, k, ok = 1;

	if (p->naisles < 1 || p->nblocks < 1 || p->nblocks > ROUTE_BLOCKS_MAX ||
	    p->depot < 0 || p->depot >= p->naisles || p->pitch < 0 ||
	    p->cross[0] != 0)
		return NULL;
	for (j = 0; j < p->nblocks; j++)
		if (!(p->cross[j + 1] > p->cross[j]))
			return NULL;
	ai = xcalloc((size_t)p->naisles, sizeof *ai);
	for (*total = 0, a = 0; a < p->naisles; a++)
		*total += p->npick[a];
	r = xcalloc((size_t)*total + 1, sizeof *r);
	for (a = 0; a < p->naisles; a++) {
		ai[a].r = r;
		r += p->npick[a];
		/* Sorted as qsort() by cmp_double() would: a few picks. */
		for (i = 0; i < p->npick[a]; i++) {
			v = p->y[a][i];
			for (k = i; k > 0 && ai[a].r[k - 1] > v; k--)
				ai[a].r[k] = ai[a].r[k - 1];
			ai[a].r[k] = v;
		}
		/* Every pick strictly inside a block. */
		for (i = 0; i < p->npick[a]; i++)
			for (j = 0; j <= p->nblocks; j++)
				if (!(ai[a].r[i] > 0) ||
				    ai[a].r[i] >= p->cross[p->nblocks] ||
				    ai[a].r[i] == p->cross[j])
					ok = 0;
		for (i = 0, j = 0; j <= p->nblocks; j++) {
			while (i < p->npick[a] && ai[a].r[i] < p->cross[j])
				i++;
			ai[a].first[j] = i;
		}
	}
	if (!ok) {
		free(ai[0].r);
		free(ai);
		return NULL;
	}
	return ai;
}

static void
aisles_free(struct aisle *ai)
{
	free(ai[0].r);
	free(ai);
}

/*
 * The classes and their transitions, made once for each number of
 * cross aisles: they do not depend on the problem, and pick-list asks
 * for many tours.  Classes are numbered as found, from the empty one
 * (0); vert[(c * nblocks + j) * NKIND + kind] is the class after a way
 * of that kind through block j, horiz[c * ncombo + x] the class after
 * the cross-aisle edges x (base 3, vertex 0 first) to the next aisle;
 * -1 where none can follow.
 */
#define NKIND (ROUTE_GAP + 1)

struct table {
	int n, ncombo;
	uint64_t *key;
	int *vert, *horiz;
	int *hfirst, *hx;  /* class c's moves: hx[hfirst[c] .. hfirst[c+1]) */
	int *ksum;         /* per combo: its edges */
	char *zero0, *end; /* per class: vertex 0 untouched; a whole tour */
	int *need;         /* per class: what each level needs, blocks_dp() */
};

/*
 * What the rest of a tour must walk through a level (the blocks between
 * cross aisles j and j + 1) after a partial tour of some class, at the
 * current aisle.  The vertices above level j are cut off from those
 * below it only by the level's blocks: a way through one (through,
 * twice) crosses the cut once or twice, every other way an even number
 * of times or not at all.  Degrees are even at every vertex left
 * behind, so the walks through the level so far are as many, modulo 2,
 * as the odd vertices above it at the current aisle.  With them odd,
 * the rest walks through the level an odd number of times
 * (NEED_ODD); with them even, an even number (NEED_EVEN).  If no
 * vertex above the level is reached at the current aisle, the rest
 * reaches what it must above the level only through the level itself:
 * twice at least, or, with nothing to pick above the level, not at all
 * but then every block of the level from its low end (NEED_TWO).  If
 * pieces of the partial tour lie above the level and below it, none
 * across, only the rest can join them, through the level: even, so
 * twice at least (NEED_JOIN).  A class's needs are a function of it,
 * made with the table: level j's in bits 2j and 2j + 1.
 */
enum { NEED_ODD, NEED_EVEN, NEED_TWO, NEED_JOIN, NEED_KINDS };

static struct table *tables[NV + 1];
static pthread_mutex_t tables_mu = PTHREAD_MUTEX_INITIALIZER;

/* The class of key, numbered if new. */
static int
class_of(struct table *t, struct index *ix, size_t *cap, uint64_t key)
{
	size_t h, i;

	if (2 * ((size_t)t->n + 1) > ix->nslot) {
		ix->nslot = ix->nslot ? 2 * ix->nslot : 64;
		ix->slot = xrealloc(ix->slot, ix->nslot * sizeof *ix->slot);
		for (i = 0; i < ix->nslot; i++)
			ix->slot[i] = -1;
		for (i = 0; i < (size_t)t->n; i++)
			ix->slot[slot_of(ix, t->key[i])] = (int)i;
	}
	h = slot_of(ix, key);
	if (ix->slot[h] != -1)
		return ix->slot[h];
	xgrow(&t->key, cap, (size_t)t->n + 1, sizeof *t->key);
	ix->key = t->key;
	t->key[t->n] = key;
	ix->slot[h] = t->n;
	return t->n++;
}

static struct table *
make_table(int nv)
{
	static const struct way kinds[NKIND] = {
	    [ROUTE_NONE] = {ROUTE_NONE, 0, 0, 0, 0},
	    [ROUTE_THROUGH] = {ROUTE_THROUGH, 0, 1, 1, 1},
	    [ROUTE_TWICE] = {ROUTE_TWICE, 0, 2, 2, 1},
	    [ROUTE_FROM_BACK] = {ROUTE_FROM_BACK, 0, 0, 2, 0},
	    [ROUTE_FROM_FRONT] = {ROUTE_FROM_FRONT, 0, 2, 0, 0},
	    [ROUTE_GAP] = {ROUTE_GAP, 0, 2, 2, 0},
	};
	struct table *t = xcalloc(1, sizeof *t);
	struct index ix;
	struct cls c, d;
	size_t cap = 0, vcap = 0, hcap = 0;
	int nb = nv - 1, i, j, k, x, y, kv[NV], ok;

	memset(&ix, 0, sizeof ix);
	memset(&c, 0, sizeof c);
	for (t->ncombo = 1, j = 0; j < nv; j++)
		t->ncombo *= 3;
	t->ksum = xcalloc((size_t)t->ncombo, sizeof *t->ksum);
	for (x = 0; x < t->ncombo; x++)
		for (y = x, j = 0; j < nv; j++, y /= 3)
			t->ksum[x] += y % 3;
	class_of(t, &ix, &cap, pack(&c, nv));
	/* Breadth first: every class a transition reaches is numbered. */
	for (i = 0; i < t->n; i++) {
		xgrow(&t->vert, &vcap, (size_t)(i + 1) * (size_t)(nb * NKIND),
		    sizeof *t->vert);
		xgrow(&t->horiz, &hcap, (size_t)(i + 1) * (size_t)t->ncombo,
		    sizeof *t->horiz);
		for (j = 0; j < nb; j++)
			for (k = 0; k < NKIND; k++) {
				unpack(t->key[i], nv, &c);
				way_apply(&c, nv, j, &kinds[k]);
				t->vert[(i * nb + j) * NKIND + k] =
				    class_of(t, &ix, &cap, pack(&c, nv));
			}
		unpack(t->key[i], nv, &c);
		for (x = 0; x < t->ncombo; x++) {
			for (y = x, j = 0; j < nv; j++, y /= 3)
				kv[j] = y % 3;
			t->horiz[i * t->ncombo + x] =
			    cross_apply(&c, nv, kv, &d) < 0
				? -1
				: class_of(t, &ix, &cap, pack(&d, nv));
		}
	}
	/* Each class's moves to the next aisle, without the -1s. */
	t->hfirst = xcalloc((size_t)t->n + 1, sizeof *t->hfirst);
	t->hx = xcalloc((size_t)t->n * (size_t)t->ncombo + 1, sizeof *t->hx);
	for (k = 0, i = 0; i < t->n; i++) {
		t->hfirst[i] = k;
		for (x = 0; x < t->ncombo; x++)
			if (t->horiz[i * t->ncombo + x] >= 0)
				t->hx[k++] = x;
	}
	t->hfirst[t->n] = k;
	t->zero0 = xcalloc((size_t)t->n, 1);
	t->end = xcalloc((size_t)t->n, 1);
	t->need = xcalloc((size_t)t->n, sizeof *t->need);
	for (i = 0; i < t->n; i++) {
		unpack(t->key[i], nv, &c);
		t->zero0[i] = c.deg[0] == ZERO;
		/* One piece, no vertex odd, something walked. */
		for (ok = 0, j = 0; j < nv; j++) {
			if (c.deg[j] == ODD || (c.deg[j] != ZERO && c.lab[j]))
				break;
			ok |= c.deg[j] != ZERO;
		}
		t->end[i] = ok && j == nv;
		/* Level by level: see NEED_ODD. */
		for (t->need[i] = 0, j = nb - 1; j >= 0; j--) {
			int up = 0, down = 0;

			for (ok = 0, k = 0, x = j + 1; x < nv; x++) {
				ok ^= c.deg[x] == ODD;
				k |= c.deg[x] != ZERO;
			}
			/* Pieces each side of the level, none across it. */
			for (x = 0; x < nv; x++)
				if (c.deg[x] != ZERO) {
					if (x > j)
						up |= 1 << c.lab[x];
					else
						down |= 1 << c.lab[x];
				}
			t->need[i] |=
			    (ok                              ? NEED_ODD
				: !k                         ? NEED_TWO
				: up && down && !(up & down) ? NEED_JOIN
							     : NEED_EVEN)
			    << 2 * j;
		}
	}
	free(ix.slot);
	return t;
}

static const struct table *
table(int nv)
{
	struct table *t;

	pthread_mutex_lock(&tables_mu);
	if (tables[nv] == NULL)
		tables[nv] = make_table(nv);
	t = tables[nv];
	pthread_mutex_unlock(&tables_mu);
	return t;
}

/*
 * For blocks_dp() with a limit: rest[(l * nb + j) * NEED_KINDS + need],
 * the least the blocks of level j still to come after step l can cost,
 * for a class whose level j needs what need says (NEED_*): walked through
 * as often as it needs (counted as pick.c's tour_step() does: 0, 1,
 * even from 2, odd from 3), each block not walked through at least its
 * cheapest other way.  least() adds them up for a class's needs, with
 * each stretch of cross aisle still to come twice (a tour crosses every
 * stretch between its outermost aisles, and comes back).  Never more
 * than any rest of a tour costs, so a partial tour over the limit with
 * it can be dropped.
 */
#define LEAST_BIG 1e300

static void
level_step(double *t, double c, double len)
{
	double u[4];

	u[0] = t[0] + c;
	u[1] = t[0] + len;
	if (t[1] + c < u[1])
		u[1] = t[1] + c;
	u[2] = t[0] + 2 * len;
	if (t[1] + len < u[2])
		u[2] = t[1] + len;
	if (t[2] + c < u[2])
		u[2] = t[2] + c;
	if (t[3] + len < u[2])
		u[2] = t[3] + len;
	u[3] = t[1] + 2 * len;
	if (t[2] + len < u[3])
		u[3] = t[2] + len;
	if (t[3] + c < u[3])
		u[3] = t[3] + c;
	memcpy(t, u, sizeof u);
}

static void
least_after(const struct route_blocks_problem *p, int nl, const struct way *wv,
    const int *nws, double *rest)
{
	int nb = p->nblocks, l, j, i, top = -1;
	double t[ROUTE_BLOCKS_MAX][4], front[ROUTE_BLOCKS_MAX], c, f, *r;

	for (j = 0; j < nb; j++) {
		t[j][0] = 0;
		t[j][1] = t[j][2] = t[j][3] = LEAST_BIG;
		front[j] = 0;
	}
	for (l = nl - 1; l >= 0; l--) {
		for (j = 0; j < nb; j++) {
			r = rest +
			    ((size_t)l * (size_t)nb + (size_t)j) * NEED_KINDS;
			r[NEED_ODD] = t[j][1] < t[j][3] ? t[j][1] : t[j][3];
			r[NEED_EVEN] = t[j][0] < t[j][2] ? t[j][0] : t[j][2];
			r[NEED_TWO] = r[NEED_JOIN] = t[j][2];
			if (top <= j && front[j] < t[j][2])
				r[NEED_TWO] = front[j];
		}
		/* Step l itself, for the steps before it. */
		if ((j = l % (nb + 1)) == nb)
			continue;
		/* Its least way not through it (none: 0), from the front. */
		c = LEAST_BIG;
		f = -1;
		for (i = 0; i < nws[l]; i++) {
			const struct way *w = &wv[(size_t)l * 6 + (size_t)i];

			if (w->kind == ROUTE_FROM_FRONT)
				f = w->cost;
			if (w->kind != ROUTE_THROUGH &&
			    w->kind != ROUTE_TWICE && w->cost < c)
				c = w->cost;
		}
		level_step(t[j], c, p->cross[j + 1] - p->cross[j]);
		if (f >= 0) {
			front[j] += f;
			if (j > top)
				top = j;
		}
	}
}

/*
 * The least the rest costs after step l, for a class of needs need
 * (table's need[]), stretches the cross aisles' part.
 */
static inline double
least(int nb, const double *r, double stretches, int need)
{
	int j;

	for (j = 0; j < nb; j++, need >>= 2)
		stretches += r[j * NEED_KINDS + (need & 3)];
	return stretches;
}

/*
 * After step l: r, its levels' rests; *lo and *hi, less and more than
 * least() can be for any class, so that many partial tours are kept or
 * dropped without it.
 */
static const double *
bounds_at(
    int nb, const double *rest, int l, double stretches, double *lo, double *hi)
{
	const double *r = rest + (size_t)l * (size_t)nb * NEED_KINDS;
	double a, b;
	int j, k;

	*lo = *hi = stretches;
	for (j = 0; j < nb; j++) {
		a = b = r[j * NEED_KINDS];
		for (k = 1; k < NEED_KINDS; k++) {
			if (r[j * NEED_KINDS + k] < a)
				a = r[j * NEED_KINDS + k];
			if (r[j * NEED_KINDS + k] > b)
				b = r[j * NEED_KINDS + k];
		}
		*lo += a;
		*hi += b;
	}
	return r;
}

/*
 * Is a partial tour of cost c, needs need, over the limit with its rest
 * (rl NULL: no limit)?
 */
struct cut {
	const double *rl;
	double lo, hi, stretches, limit;
	int nb;
};

static inline int
over(const struct cut *k, double c, int need)
{
	return k->rl != NULL &&
	       (c + k->lo > k->limit ||
		   (c + k->hi > k->limit &&
		       c + least(k->nb, k->rl, k->stretches, need) > k->limit));
}

/*
 * The programme, for route_blocks() (limit DBL_MAX) and
 * route_blocks_below().  With a limit, a partial tour is dropped as
 * soon as its cost and the least the rest can cost pass the limit
 * (least_after(), by what its class needs of each level).  A partial
 * tour that ends a tour at most limit is never dropped, and a class's
 * cost is the least of the same sums as without a limit: the length is
 * the same to the bit.
 */
static double
blocks_dp(const struct route_blocks_problem *p, struct route_stop *stops,
    double limit)
{
	const struct table *tb;
	struct aisle *ai;
	struct way *wv;
	double best = DBL_MAX, rel[64], *rv, *cost, *next, *rest, c;
	int nv = p->nblocks + 1, nb = p->nblocks, total, a, j, i, s, t, nw = 0;
	int lo, hi, nl, l, x, end = -1, *from = NULL, *how = NULL, *la, *lj;
	int *reach, *nreach2, *sw, nreach = 0, nnext = 0, r, *nws;
	size_t nrest;
	/*
	 * The rest's least is summed otherwise than a tour's length: a
	 * margin, so that no rounding drops a tour at the limit.
	 */
	struct cut cut = {
	    NULL, 0, 0, 0, limit + 1e-9 * (1 + fabs(limit)), p->nblocks};

	if ((ai = prepare(p, &total)) == NULL)
		return -1;
	if (total == 0) {
		aisles_free(ai);
		return 0;
	}
	tb = table(nv);
	lo = hi = p->depot;
	for (a = 0; a < p->naisles; a++)
		if (p->npick[a] > 0) {
			if (a < lo)
				lo = a;
			if (a > hi)
				hi = a;
		}
	/* Steps: each block of each aisle, and between the aisles. */
	nl = (hi - lo + 1) * (nb + 1);
	/*
	 * Each step's ways (through a block), and with a limit the least
	 * after it; the classes' costs; in three allocations, not ten (the
	 * exchange asks for many tours).
	 */
	wv = xmalloc((size_t)nl * 6 * sizeof *wv);
	nrest = limit < DBL_MAX ? (size_t)nl * (size_t)nb * NEED_KINDS : 0;
	cost = xmalloc((2 * (size_t)tb->n + nrest) * sizeof *cost);
	next = cost + tb->n;
	rest = nrest > 0 ? next + tb->n : NULL;
	la = xmalloc((3 * (size_t)nl + 2 * (size_t)tb->n) * sizeof *la);
	lj = la + nl;
	nws = lj + nl;
	reach = nws + nl;
	nreach2 = reach + tb->n;
	for (l = 0, a = lo; a <= hi; a++)
		for (j = 0; j <= nb; j++, l++) {
			nws[l] = 0;
			if (j == nb)
				continue;
			/* Through block j: its picks, from its low end. */
			int m = ai[a].first[j + 1] - ai[a].first[j];

			rv = m <= 64 ? rel : xcalloc((size_t)m, sizeof *rv);
			for (i = 0; i < m; i++)
				rv[i] =
				    ai[a].r[ai[a].first[j] + i] - p->cross[j];
			nws[l] = ways(rv, m, p->cross[j + 1] - p->cross[j],
			    wv + (size_t)l * 6);
			if (rv != rel)
				free(rv);
			/*
			 * With a limit, cheapest first, so that a partial
			 * tour's ways stop at the first over it.  (Without,
			 * in ways()' order: which of two as short tours the
			 * stops follow depends on it.)
			 */
			if (rest != NULL)
				ways_sort(wv + (size_t)l * 6, nws[l]);
		}
	if (rest != NULL)
		least_after(p, nl, wv, nws, rest);
	if (stops != NULL) {
		from = xcalloc((size_t)nl * (size_t)tb->n, sizeof *from);
		how = xcalloc((size_t)nl * (size_t)tb->n, sizeof *how);
	}
	for (s = 0; s < tb->n; s++)
		cost[s] = next[s] = DBL_MAX;
	cost[0] = 0;
	reach[nreach++] = 0;
	for (l = 0, a = lo; a <= hi && nreach > 0; a++) {
		for (j = 0; j <= nb && nreach > 0; j++) {
			const struct way *w = wv + (size_t)l * 6;

			if (rest != NULL) {
				cut.stretches =
				    2 * p->pitch * (hi - a - (j == nb));
				cut.rl = bounds_at(nb, rest, l, cut.stretches,
				    &cut.lo, &cut.hi);
			}

			if (j == nb && a == hi)
				break;
			la[l] = a;
			lj[l] = j < nb ? j : -1;
			nnext = 0;
			nw = nws[l];
			for (r = 0; r < nreach; r++) {
				s = reach[r];
				if (j < nb)
					for (i = 0; i < nw; i++) {
						t = tb->vert[(s * nb + j) *
								 NKIND +
							     w[i].kind];
						/*
						 * The depot is a vertex to
						 * visit: by now, if no step to
						 * the right follows.
						 */
						if (a == p->depot && a == hi &&
						    j == 0 && tb->zero0[t])
							continue;
						c = cost[s] + w[i].cost;
						if (cut.rl != NULL &&
						    c + cut.lo > cut.limit)
							break;
						if (over(&cut, c, tb->need[t]))
							continue;
						if (next[t] == DBL_MAX)
							nreach2[nnext++] = t;
						if (c < next[t]) {
							next[t] = c;
							if (from != NULL) {
								from[l * tb->n +
								     t] = s;
								how[l * tb->n +
								    t] =
								    w[i].kind;
							}
						}
					}
				else
					for (i = tb->hfirst[s];
					     i < tb->hfirst[s + 1]; i++) {
						x = tb->hx[i];
						t = tb->horiz[s * tb->ncombo +
							      x];
						if ((a == p->depot &&
							tb->zero0[s] &&
							x % 3 == 0))
							continue;
						c = cost[s] +
						    tb->ksum[x] * p->pitch;
						if (over(&cut, c, tb->need[t]))
							continue;
						if (next[t] == DBL_MAX)
							nreach2[nnext++] = t;
						if (c < next[t]) {
							next[t] = c;
							if (from != NULL) {
								from[l * tb->n +
								     t] = s;
								how[l * tb->n +
								    t] = x;
							}
						}
					}
			}
			/* Only the classes reached are looked at next. */
			for (r = 0; r < nreach; r++)
				cost[reach[r]] = DBL_MAX;
			for (r = 0; r < nnext; r++) {
				cost[nreach2[r]] = next[nreach2[r]];
				next[nreach2[r]] = DBL_MAX;
			}
			sw = reach;
			reach = nreach2;
			nreach2 = sw;
			nreach = nnext;
			l++;
		}
	}
	nl = l;
	for (s = 0; s < tb->n; s++)
		if (tb->end[s] && cost[s] < best) {
			best = cost[s];
			end = s;
		}
	if (stops != NULL && end >= 0) {
		enum route_way *way =
		    xcalloc((size_t)(p->naisles * p->nblocks), sizeof *way);
		int *kk = xcalloc((size_t)(p->naisles * nv), sizeof *kk);

		for (s = end, l = nl - 1; l >= 0; l--) {
			if (lj[l] >= 0)
				way[la[l] * nb + lj[l]] =
				    (enum route_way)how[l * tb->n + s];
			else
				for (t = how[l * tb->n + s], j = 0; j < nv;
				     j++, t /= 3)
					kk[la[l] * nv + j] = t % 3;
			s = from[l * tb->n + s];
		}
		if (tour_stops(p, ai, way, kk, stops) != total)
			best = DBL_MAX;
		free(way);
		free(kk);
	}
	free(cost);
	free(from);
	free(how);
	/* la's allocation holds lj, nws, reach and nreach2 too. */
	free(la);
	free(wv);
	aisles_free(ai);
	return best;
}

double
route_blocks(const struct route_blocks_problem *p, struct route_stop *stops)
{
	double len = blocks_dp(p, stops, DBL_MAX);

	return len == DBL_MAX ? -1 : len;
}

double
route_blocks_below(const struct route_blocks_problem *p, double limit)
{
	return blocks_dp(p, NULL, limit);
}

double
route_walk(const struct route_blocks_problem *p, struct route_stop *stops)
{
	struct route_problem q;
	struct route_plan plan;
	double len, walked;
	int a, total = 0;

	if (p->nblocks != 1)
		return route_blocks(p, stops);
	q.naisles = p->naisles;
	q.pitch = p->pitch;
	q.length = p->cross[1];
	q.depot = p->depot;
	q.npick = p->npick;
	q.y = p->y;
	if (stops == NULL)
		return route_optimal(&q, NULL);
	memset(&plan, 0, sizeof plan);
	if ((len = route_optimal(&q, &plan)) < 0)
		return -1;
	for (a = 0; a < p->naisles; a++)
		total += p->npick[a];
	if (total > 0 && route_stops(&q, &plan, stops, &walked) != total)
		len = -1;
	route_plan_free(&plan);
	return len;
}
