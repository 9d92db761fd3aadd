#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "pick.h"
#include "route.h"
#include "zones.h"

/* Candidates looked at on each side of a batch's seed, by position. */
#define WINDOW 48
/* Exchange passes over each wave's neighbouring batches. */
#define PASSES 2

double
pick_bay_y(const struct layout *l, int bay)
{
	return zones_bay_y(l, bay);
}

/* Packing: heaviest units first, filling each tote before the next. */

static int
by_weight(const void *a, const void *b, void *arg)
{
	const struct pick_line *l = arg;
	int x = *(const int *)a, y = *(const int *)b;
	int64_t wx = l[x].item->weight_g, wy = l[y].item->weight_g;

	if (wx != wy)
		return wx > wy ? -1 : 1;
	return (x > y) - (x < y);
}

static int64_t
fits(int64_t left, int64_t w, double vleft, double v, int64_t want)
{
	int64_t k = want;

	if (left / w < k)
		k = left / w;
	if (v > 0 && (int64_t)floor(vleft / v + 1e-9) < k)
		k = (int64_t)floor(vleft / v + 1e-9);
	return k;
}

int
pick_pack(struct pick_order *o, const struct carts *c, char *why, size_t whylen)
{
	int64_t wleft = 0, left, k;
	double vleft = 0;
	size_t cap = 0;
	int *ix, i, tote = -1;

	free(o->parts);
	o->parts = NULL;
	o->nparts = o->ntotes = 0;
	o->weight_g = 0;
	o->volume_l = 0;
	o->handling = 0;
	ix = xcalloc((size_t)o->nlines, sizeof *ix);
	for (i = 0; i < o->nlines; i++)
		ix[i] = i;
	qsort_r(ix, (size_t)o->nlines, sizeof *ix, by_weight, o->lines);
	for (i = 0; i < o->nlines; i++) {
		const struct pick_line *l = &o->lines[ix[i]];
		const struct item *it = l->item;

		o->weight_g += it->weight_g * l->qty;
		o->volume_l += it->volume_l * (double)l->qty;
		o->handling |= it->handling;
		if (it->weight_g > c->tote_weight_g ||
		    it->volume_l > c->tote_volume_l) {
			snprintf(why, whylen,
			    "one unit of SKU %s (%lld g, %.1f l) does not fit "
			    "in a tote (%lld g, %.1f l)",
			    it->sku, (long long)it->weight_g, it->volume_l,
			    (long long)c->tote_weight_g, c->tote_volume_l);
			free(ix);
			return -1;
		}
		for (left = l->qty; left > 0 && tote < c->totes;) {
			k = tote < 0 ? 0
				     : fits(wleft, it->weight_g, vleft,
					   it->volume_l, left);
			if (k == 0) {
				tote++;
				wleft = c->tote_weight_g;
				vleft = c->tote_volume_l;
				continue;
			}
			xgrow(&o->parts, &cap, (size_t)o->nparts + 1,
			    sizeof *o->parts);
			o->parts[o->nparts++] =
			    (struct pick_part){ix[i], tote, k};
			wleft -= k * it->weight_g;
			vleft -= (double)k * it->volume_l;
			left -= k;
		}
	}
	free(ix);
	/*
	 * Kept for the whole run, for every order of the day: its exact
	 * size, not xgrow()'s eight or more (80 bytes an order).
	 */
	if (o->nparts > 0 && cap > (size_t)o->nparts)
		o->parts = xrealloc(o->parts, (size_t)o->nparts * sizeof *o->parts);
	o->ntotes = tote + 1;
	if (o->ntotes > c->totes || o->weight_g > c->cart_weight_g ||
	    o->volume_l > c->cart_volume_l) {
		snprintf(why, whylen,
		    "the order (%lld g, %.1f l) does not fit on one cart "
		    "(%d totes, %lld g, %.1f l)",
		    (long long)o->weight_g, o->volume_l, c->totes,
		    (long long)c->cart_weight_g, c->cart_volume_l);
		return -1;
	}
	return 0;
}

/* Allocation. */

static int
by_priority(const void *a, const void *b, void *arg)
{
	const struct pick_order *v = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	const struct pick_order *p = &v[x], *q = &v[y];

	if (p->ship_by != q->ship_by)
		return p->ship_by < q->ship_by ? -1 : 1;
	if (p->express != q->express)
		return p->express ? -1 : 1;
	if (p->placed != q->placed)
		return p->placed < q->placed ? -1 : 1;
	return (x > y) - (x < y);
}

/* Units of the item of line i the order needs, if i is its first line. */
static int64_t
need(const struct pick_order *o, int i)
{
	int64_t n = 0;
	int j;

	for (j = 0; j < i; j++)
		if (o->lines[j].item == o->lines[i].item)
			return 0;
	for (j = i; j < o->nlines; j++)
		if (o->lines[j].item == o->lines[i].item)
			n += o->lines[j].qty;
	return n;
}

/*
 * An order short of stock whose policy lets it ship part: take what the
 * shelf has, line by line, and keep it if that is enough of the order's
 * value (units when it has no prices).  1 if split (its lines are now
 * what it takes, avail less them), else 0 and avail as it was.
 */
static int
take_part(struct pick_order *o, const struct catalog *cat, int64_t *avail)
{
	int64_t *take = xcalloc((size_t)o->nlines, sizeof *take), *have;
	int64_t v_all = 0, v_now = 0, u_all = 0, u_now = 0;
	int j, k, ok;

	for (j = 0; j < o->nlines; j++) {
		have = &avail[o->lines[j].item - cat->items];
		take[j] = *have <= 0                ? 0
			  : *have < o->lines[j].qty ? *have
						    : o->lines[j].qty;
		*have -= take[j];
		u_all += o->lines[j].qty;
		u_now += take[j];
		v_all += o->lines[j].qty * o->lines[j].price;
		v_now += take[j] * o->lines[j].price;
	}
	ok = u_now > 0 &&
	     (v_all > 0 ? (double)v_now >= o->min_share * (double)v_all
			: (double)u_now >= o->min_share * (double)u_all);
	for (j = 0, k = 0; j < o->nlines; j++)
		if (!ok)
			avail[o->lines[j].item - cat->items] += take[j];
		else if (take[j] > 0) {
			o->lines[k] = o->lines[j];
			o->lines[k++].qty = take[j];
		}
	if (ok)
		o->nlines = k;
	free(take);
	return ok;
}

void
pick_allocate(
    struct pick_order *v, size_t n, const struct catalog *cat, int64_t *avail)
{
	size_t *ix = xcalloc(n ? n : 1, sizeof *ix), i, cap;
	struct pick_order *o;
	int64_t want, *have;
	int j;

	for (i = 0; i < n; i++)
		ix[i] = i;
	qsort_r(ix, n, sizeof *ix, by_priority, v);
	for (i = 0; i < n; i++) {
		o = &v[ix[i]];
		if (o->state != PICK_NONE)
			continue;
		cap = 0;
		for (j = 0; j < o->nlines; j++) {
			have = &avail[o->lines[j].item - cat->items];
			if ((want = need(o, j)) <= *have)
				continue;
			xgrow(&o->shorts, &cap, (size_t)o->nshort + 1,
			    sizeof *o->shorts);
			o->shorts[o->nshort++] = (struct pick_short){
			    o->lines[j].item, want - (*have > 0 ? *have : 0)};
		}
		if (o->nshort && o->partial && take_part(o, cat, avail)) {
			o->state = PICK_OK;
			o->split = 1;
			continue;
		}
		o->state = o->nshort ? PICK_HELD : PICK_OK;
		if (o->state == PICK_OK)
			for (j = 0; j < o->nlines; j++)
				avail[o->lines[j].item - cat->items] -=
				    o->lines[j].qty;
	}
	free(ix);
}

/* Geometry: each order's distinct pick points, sorted by aisle. */

struct point {
	int aisle; /* 0-based */
	int bay;
	double y;
};

/* Points of some orders, by aisle: what a route is computed from. */
struct gather {
	int *np;
	double **ys, *ybuf;
	size_t ycap;
	double *least; /* part_tour()'s, per aisle */
};

struct ctx {
	const struct layout *lay;
	const struct carts *carts;
	struct pick_order *v;
	size_t n;
	struct point *pts; /* order i's: pts[off[i] .. off[i + 1]) */
	size_t *off;
	/* Scratch for tours: two batches' points, gathered by aisle. */
	struct gather g[2];
	int *np; /* scratch for walk_batch and try_change */
	/* The exchange's: each batch less each of its orders, or none. */
	struct part *parts[2];
	double *merge;
	size_t mcap;
	/* The estimate of a batch's walk while it is built. */
	double *lo, *hi, *ac; /* ac: aisle_cost() of lo and hi */
	int left, right;
	double len; /* zones_length(), asked often */
	struct memo *memo; /* with middle cross aisles: memo_route() */
};

static int
by_place(const void *a, const void *b)
{
	const struct point *p = a, *q = b;

	if (p->aisle != q->aisle)
		return p->aisle - q->aisle;
	return p->bay - q->bay;
}

static void
geometry(struct ctx *x)
{
	size_t i, cap = 0, total = 0, k;
	int j;

	x->off = xcalloc(x->n + 1, sizeof *x->off);
	for (i = 0; i < x->n; i++) {
		struct pick_order *o = &x->v[i];

		x->off[i] = total;
		if (o->state != PICK_OK)
			continue;
		xgrow(&x->pts, &cap, total + (size_t)o->nlines, sizeof *x->pts);
		for (j = 0; j < o->nlines; j++) {
			const struct item *it = o->lines[j].item;

			x->pts[total + (size_t)j] =
			    (struct point){it->aisle - 1, it->bay,
				pick_bay_y(x->lay, it->bay)};
		}
		qsort(x->pts + total, (size_t)o->nlines, sizeof *x->pts,
		    by_place);
		/* Distinct places only. */
		for (k = 0, j = 0; j < o->nlines; j++)
			if (k == 0 || by_place(&x->pts[total + k - 1],
					  &x->pts[total + (size_t)j]) != 0)
				x->pts[total + k++] = x->pts[total + (size_t)j];
		total += k;
	}
	x->off[x->n] = total;
}

/* The points of orders ord[0 .. n) into g, by aisle. */
static void
gather(struct ctx *x, struct gather *g, const int *ord, int n)
{
	const struct layout *l = x->lay;
	size_t need = 0, at = 0, k;
	int a, i;

	for (i = 0; i < n; i++)
		need += x->off[ord[i] + 1] - x->off[ord[i]];
	if (need > g->ycap) {
		g->ycap = need * 2;
		g->ybuf = xrealloc(g->ybuf, g->ycap * sizeof *g->ybuf);
	}
	memset(g->np, 0, (size_t)l->aisles * sizeof *g->np);
	for (i = 0; i < n; i++)
		for (k = x->off[ord[i]]; k < x->off[ord[i] + 1]; k++)
			g->np[x->pts[k].aisle]++;
	for (a = 0; a < l->aisles; a++) {
		g->ys[a] = g->ybuf + at;
		at += (size_t)g->np[a];
		g->np[a] = 0;
	}
	for (i = 0; i < n; i++)
		for (k = x->off[ord[i]]; k < x->off[ord[i] + 1]; k++) {
			a = x->pts[k].aisle;
			g->ys[a][g->np[a]++] = x->pts[k].y;
		}
}

static void
problem(const struct ctx *x, const struct gather *g, struct route_problem *p)
{
	const struct layout *l = x->lay;

	p->naisles = l->aisles;
	p->pitch = l->aisle_pitch;
	p->length = zones_length(l);
	p->depot = l->depot - 1;
	p->npick = g->np;
	p->y = (const double *const *)g->ys;
}

/*
 * The length of a batch's tour, from its gathered points: every length
 * the plan compares is this one function's (the final walk's is
 * zones_route() with stops in walk_batch()); route_optimal() for a
 * block without middle cross aisles, route_blocks() with them.
 */
static double
batch_route(const struct ctx *x, const struct gather *g)
{
	return zones_route(x->lay, g->np, (const double *const *)g->ys, NULL);
}

/*
 * A lower bound of batch_route(), much cheaper: each aisle with points
 * costs at least its cheapest way through (route.c's ways(): through,
 * from the back, from the front, from both ends leaving the largest
 * gap), and the cross aisles between the outermost aisles and the depot
 * are walked at least twice, since a tour crosses each stretch between
 * them, and crosses back.  The exchange looks at many changes that make
 * a walk longer; the bound turns most of them down without the route.
 * Whoever changes batch_route() changes this with it (0 is always a
 * bound).
 */
static void
sort_y(double *y, int m)
{
	double v;
	int i, j;

	for (i = 1; i < m; i++) {
		v = y[i];
		for (j = i; j > 0 && y[j - 1] > v; j--)
			y[j] = y[j - 1];
		y[j] = v;
	}
}

/*
 * With middle cross aisles, each stretch of the aisle between two cross
 * aisles that has points costs at least its own cheapest way (through,
 * from either end, from both leaving its largest gap): a tour enters a
 * stretch only at its ends.  The depot is left out, which only lowers
 * the bound.
 */
static double
blocks_bound(const struct ctx *x, const double *y, int m)
{
	double cross[LAYOUT_CROSS_MAX + 2], sum = 0, c, lo, hi, gap;
	int nb = zones_cross(x->lay, cross), b, i = 0, j;

	for (b = 0; b < nb && i < m; b++) {
		lo = cross[b];
		hi = cross[b + 1];
		if (y[i] >= hi)
			continue;
		for (j = i; j + 1 < m && y[j + 1] < hi; j++)
			;
		c = hi - lo;
		if (2 * (y[j] - lo) < c)
			c = 2 * (y[j] - lo);
		if (2 * (hi - y[i]) < c)
			c = 2 * (hi - y[i]);
		for (gap = 0; i < j; i++)
			if (y[i + 1] - y[i] > gap)
				gap = y[i + 1] - y[i];
		if (2 * (hi - lo - gap) < c)
			c = 2 * (hi - lo - gap);
		sum += c;
		i = j + 1;
	}
	return sum;
}

/*
 * An aisle not walked through, with sorted points y[0 .. m), m > 0: its
 * cheapest way from the front, the back, or both; *front its way from
 * the front alone.
 */
static double
tour_aisle(double len, int depot, const double *y, int m, double *front)
{
	double c, gap;
	int k;

	*front = 2 * y[m - 1];
	c = 2 * y[m - 1];
	if (!depot && 2 * (len - y[0]) < c)
		c = 2 * (len - y[0]);
	/* The depot is a point at the front of its aisle. */
	gap = depot ? y[0] : -1;
	for (k = 0; k + 1 < m; k++)
		if (y[k + 1] - y[k] > gap)
			gap = y[k + 1] - y[k];
	if (gap >= 0 && 2 * (len - gap) < c)
		c = 2 * (len - gap);
	return c;
}

/*
 * The cheapest way through an aisle with sorted points y[0 .. m), m > 0:
 * tour_aisle()'s, or once through it when that is less.
 */
static double
aisle_bound(const struct ctx *x, int a, const double *y, int m)
{
	double front, c;

	if (x->lay->ncross > 0)
		return blocks_bound(x, y, m);
	c = tour_aisle(x->len, a == x->lay->depot - 1, y, m, &front);
	return c < x->len ? c : x->len;
}

/* Aisle a into the span [*lo, *hi] of the aisles a cart goes into. */
static void
span(int a, int *lo, int *hi)
{
	if (a < *lo)
		*lo = a;
	if (a > *hi)
		*hi = a;
}

/*
 * The bound over a batch's gathered points, part_with()'s sum: what
 * tests/unit/test-pick-bound.c checks part_with() against (inline: the
 * exchange asks part_with(), and try_change() tighter bounds).
 */
static inline double
batch_bound(const struct ctx *x, struct gather *g)
{
	const struct layout *l = x->lay;
	double sum = 0;
	int a, lo = l->depot - 1, hi = l->depot - 1;

	for (a = 0; a < l->aisles; a++) {
		if (g->np[a] == 0)
			continue;
		span(a, &lo, &hi);
		sort_y(g->ys[a], g->np[a]);
		sum += aisle_bound(x, a, g->ys[a], g->np[a]);
	}
	return sum + 2 * l->aisle_pitch * (hi - lo);
}

/*
 * A tighter bound than batch_bound(), for a block without middle cross
 * aisles (route_optimal()'s problem): part_tour() below.  A tour
 * either never walks the back cross aisle, and then enters every aisle
 * from the front (or passes it by); or it does, and then it walks from
 * front to back along aisles an even number of times, at least twice
 * (an aisle walked twice counts two): the back is reached only that
 * way, and the tour comes back.  Each is bounded aisle by aisle as
 * batch_bound() does, the second with the count of walks through kept
 * (0, 1, even from 2, odd from 3); the cross aisles as there.  Both are
 * at least batch_bound()'s sum, and the tour is one of the two: a
 * bound still, and it turns down more of the exchange's changes before
 * route_optimal() is asked.  Each aisle's least way is kept too, for
 * route_optimal_below().  (tests/unit/test-pick-bound.c has it over
 * gathered points, as it was first written, and checks the two equal.)
 */
#define TOUR_BIG 1e300

/*
 * One aisle of the bound's programme, c its way not walked through
 * (c <= 2 * len): walks through so far 0, 1, even from 2, odd from 3,
 * after c, len (once through) or 2 * len (twice).  Written out, without
 * branches; the sums and their least are the same as taken one by one.
 * A state not reached stays at TOUR_BIG or above, which never wins over
 * one reached.
 */
static inline double
tour_min(double a, double b)
{
	return b < a ? b : a;
}

static void
tour_step(double *t, double c, double len)
{
	double u0, u1, u2, u3, len2 = 2 * len;

	u0 = t[0] + c;
	u1 = tour_min(t[0] + len, t[1] + c);
	u2 = tour_min(tour_min(t[0] + len2, t[1] + len),
	    tour_min(tour_min(t[2] + c, t[2] + len2), t[3] + len));
	u3 = tour_min(
	    tour_min(t[1] + len2, t[2] + len), tour_min(t[3] + c, t[3] + len2));
	t[0] = u0;
	t[1] = u1;
	t[2] = u2;
	t[3] = u3;
}

/*
 * The bound of a batch less one of its orders (or none), kept aisle by
 * aisle, so that the bound with another order added costs only that
 * order's aisles: the exchange puts each order of the other batch in
 * its place.
 */
struct part {
	struct gather g; /* points, sorted in each aisle */
	double *c;       /* each aisle's bound */
	double *tc, *tf; /* tour_aisle()'s, each aisle with points */
	double sum;
	int lo, hi; /* outermost aisles, the depot's included */
};

static void
part_make(struct ctx *x, struct part *pt, const struct pick_batch *b, int skip)
{
	int *ord = x->np + x->lay->aisles, n = 0, i, a;

	for (i = 0; i < b->norders; i++)
		if (i != skip)
			ord[n++] = b->orders[i];
	gather(x, &pt->g, ord, n);
	pt->sum = 0;
	pt->lo = pt->hi = x->lay->depot - 1;
	for (a = 0; a < x->lay->aisles; a++) {
		pt->c[a] = 0;
		if (pt->g.np[a] == 0)
			continue;
		span(a, &pt->lo, &pt->hi);
		sort_y(pt->g.ys[a], pt->g.np[a]);
		pt->c[a] = aisle_bound(x, a, pt->g.ys[a], pt->g.np[a]);
		pt->sum += pt->c[a];
		if (x->lay->ncross == 0)
			pt->tc[a] = tour_aisle(x->len, a == x->lay->depot - 1,
			    pt->g.ys[a], pt->g.np[a], &pt->tf[a]);
	}
}

/*
 * The part of whole (a batch less none) less its order o, without
 * gathering again: whole's aisles, each as it is but o's, which lose
 * o's points (one of each, both sorted).  What part_make() would make,
 * to the bit: the same points in each aisle, in the same order, and
 * the same sums.
 */
static void
part_less(struct ctx *x, struct part *pt, const struct part *whole, int o)
{
	size_t na = (size_t)x->lay->aisles, k = x->off[o], end = x->off[o + 1];
	size_t need = 0, at = 0, q;
	int a, i, n, n1;
	double len = x->len, *out;
	const double *y1;

	for (q = k; q < end; q++)
		need += (size_t)whole->g.np[x->pts[q].aisle];
	if (need > pt->g.ycap) {
		pt->g.ycap = need * 2;
		pt->g.ybuf =
		    xrealloc(pt->g.ybuf, pt->g.ycap * sizeof *pt->g.ybuf);
	}
	memcpy(pt->g.np, whole->g.np, na * sizeof *pt->g.np);
	memcpy(pt->g.ys, whole->g.ys, na * sizeof *pt->g.ys);
	memcpy(pt->c, whole->c, na * sizeof *pt->c);
	if (x->lay->ncross == 0) {
		memcpy(pt->tc, whole->tc, na * sizeof *pt->tc);
		memcpy(pt->tf, whole->tf, na * sizeof *pt->tf);
	}
	while (k < end) {
		a = x->pts[k].aisle;
		n1 = whole->g.np[a];
		y1 = whole->g.ys[a];
		out = pt->g.ybuf + at;
		for (i = 0, n = 0; i < n1; i++)
			if (k < end && x->pts[k].aisle == a &&
			    x->pts[k].y == y1[i])
				k++;
			else
				out[n++] = y1[i];
		/* Every point of o is whole's: none is left over. */
		for (; k < end && x->pts[k].aisle == a; k++)
			;
		pt->g.ys[a] = out;
		pt->g.np[a] = n;
		at += (size_t)n;
		pt->c[a] = n > 0 ? aisle_bound(x, a, out, n) : 0;
		if (n > 0 && x->lay->ncross == 0)
			pt->tc[a] = tour_aisle(
			    len, a == x->lay->depot - 1, out, n, &pt->tf[a]);
	}
	pt->sum = 0;
	pt->lo = pt->hi = x->lay->depot - 1;
	for (a = 0; a < (int)na; a++) {
		if (pt->g.np[a] == 0)
			continue;
		span(a, &pt->lo, &pt->hi);
		pt->sum += pt->c[a];
	}
}

/* The bound of the part with order o added (o < 0: none). */
static double
part_with(struct ctx *x, const struct part *pt, int o)
{
	double sum = pt->sum, *m;
	size_t k, end;
	int lo = pt->lo, hi = pt->hi, a, i, j, n1, n;

	if (o < 0)
		return sum + 2 * x->lay->aisle_pitch * (hi - lo);
	for (k = x->off[o], end = x->off[o + 1]; k < end;) {
		const double *y1;

		a = x->pts[k].aisle;
		n1 = pt->g.np[a];
		y1 = pt->g.ys[a];
		if ((size_t)n1 + (end - k) > x->mcap) {
			x->mcap = 2 * ((size_t)n1 + (end - k));
			x->merge =
			    xrealloc(x->merge, x->mcap * sizeof *x->merge);
		}
		m = x->merge;
		/* Both sorted: an order's points are by aisle, then bay. */
		for (i = 0, n = 0; k < end && x->pts[k].aisle == a; k++) {
			for (; i < n1 && y1[i] <= x->pts[k].y; i++)
				m[n++] = y1[i];
			m[n++] = x->pts[k].y;
		}
		for (j = i; j < n1; j++)
			m[n++] = y1[j];
		sum += aisle_bound(x, a, m, n) - pt->c[a];
		span(a, &lo, &hi);
	}
	return sum + 2 * x->lay->aisle_pitch * (hi - lo);
}

/*
 * The bound of the part with order o added (o < 0: none), without
 * gathering: the part's aisles as they are, o's merged in; each aisle's
 * least way into least.  The same sums in the same order as over the
 * points gathered and sorted, so the same value to the bit.
 */
static double
part_tour(struct ctx *x, const struct part *pt, int o, double *least)
{
	const struct layout *l = x->lay;
	double len = x->len, front = 0, t[4], c, f, *m;
	size_t k = 0, end = 0;
	int lo = pt->lo, hi = pt->hi, a, i, j, n1, n;

	if (o >= 0) {
		k = x->off[o];
		end = x->off[o + 1];
	}
	if (k < end && x->pts[k].aisle < lo)
		lo = x->pts[k].aisle;
	if (k < end && x->pts[end - 1].aisle > hi)
		hi = x->pts[end - 1].aisle;
	t[0] = 0;
	t[1] = t[2] = t[3] = TOUR_BIG;
	for (a = lo; a <= hi; a++) {
		n1 = pt->g.np[a];
		if (k < end && x->pts[k].aisle == a) {
			const double *y1 = pt->g.ys[a];

			if ((size_t)n1 + (end - k) > x->mcap) {
				x->mcap = 2 * ((size_t)n1 + (end - k));
				x->merge = xrealloc(
				    x->merge, x->mcap * sizeof *x->merge);
			}
			m = x->merge;
			for (i = 0, n = 0; k < end && x->pts[k].aisle == a;
			     k++) {
				for (; i < n1 && y1[i] <= x->pts[k].y; i++)
					m[n++] = y1[i];
				m[n++] = x->pts[k].y;
			}
			for (j = i; j < n1; j++)
				m[n++] = y1[j];
			c = tour_aisle(len, a == l->depot - 1, m, n, &f);
			front += f;
		} else if (n1 > 0) {
			c = pt->tc[a];
			front += pt->tf[a];
		} else
			c = 0;
		least[a] = c < len ? c : len;
		tour_step(t, c, len);
	}
	return (front < t[2] ? front : t[2]) + 2 * l->aisle_pitch * (hi - lo);
}

/*
 * With middle cross aisles, a bound of batch_route() level by level
 * (route_blocks.c's least_after() has it for the rest of a tour): the
 * blocks between two cross aisles are a level; the tour reaches every
 * level below its highest pick through that level's blocks, walked
 * through an even number of times, twice at least; the level of its
 * highest pick either so or with every block of it entered from the
 * front; each block it does not walk through at least its cheapest
 * way.  Sorts g's points in each aisle.
 */
static double
levels_bound(const struct ctx *x, struct gather *g)
{
	const struct layout *l = x->lay;
	double cross[LAYOUT_CROSS_MAX + 2], t[LAYOUT_CROSS_MAX + 1][4];
	double front[LAYOUT_CROSS_MAX + 1], sum, best;
	int nb = zones_cross(l, cross), a, j, i, m, q, top = -1;
	int lo = l->depot - 1, hi = lo;

	for (a = 0; a < l->aisles; a++)
		if (g->np[a] > 0)
			span(a, &lo, &hi);
	for (j = 0; j < nb; j++) {
		t[j][0] = 0;
		t[j][1] = t[j][2] = t[j][3] = TOUR_BIG;
		front[j] = 0;
	}
	for (a = lo; a <= hi; a++) {
		const double *y = g->ys[a];

		m = g->np[a];
		sort_y(g->ys[a], m);
		for (i = 0, j = 0; j < nb; j++) {
			double low = cross[j], len = cross[j + 1] - low, c = 0;
			double gap = 0;
			int first = i;

			for (; i < m && y[i] < cross[j + 1]; i++)
				;
			if (i > first) {
				for (q = first; q + 1 < i; q++)
					if (y[q + 1] - y[q] > gap)
						gap = y[q + 1] - y[q];
				c = 2 * (y[i - 1] - low);
				front[j] += c;
				if (2 * (len - (y[first] - low)) < c)
					c = 2 * (len - (y[first] - low));
				if (2 * (len - gap) < c)
					c = 2 * (len - gap);
				if (j > top)
					top = j;
			}
			tour_step(t[j], c, len);
		}
	}
	if (top < 0)
		return 0;
	for (sum = 0, j = 0; j < top; j++)
		sum += t[j][2];
	best = sum + (front[top] < t[top][2] ? front[top] : t[top][2]);
	/* Summed otherwise than the programme sums: a rounding under. */
	return best + 2 * l->aisle_pitch * (hi - lo) - 1e-9;
}

/* The length of the tour through orders' points, optimal or S-shape. */
static double
tour(struct ctx *x, const int *ord, int n, int sshape)
{
	struct route_problem p;

	gather(x, &x->g[0], ord, n);
	problem(x, &x->g[0], &p);
	return sshape ? route_sshape(&p) : batch_route(x, &x->g[0]);
}

/*
 * The estimate: each aisle entered from the nearer end (or walked
 * through), plus the cross aisle between the outermost aisles, twice.
 * Cheap to update, so the seed step can look at many candidates.
 */
static double
aisle_cost(double len, double lo, double hi)
{
	double c = len;

	if (hi < 0)
		return 0;
	if (2 * hi < c)
		c = 2 * hi;
	if (2 * (len - lo) < c)
		c = 2 * (len - lo);
	return c;
}

static void
est_reset(struct ctx *x)
{
	int a;

	for (a = 0; a < x->lay->aisles; a++) {
		x->lo[a] = INFINITY;
		x->hi[a] = -1;
		x->ac[a] = 0;
	}
	x->left = x->right = x->lay->depot - 1;
}

static double
est_delta(const struct ctx *x, size_t o, int add)
{
	double len = x->len, d = 0, lo, hi, c;
	int left = x->left, right = x->right, a;
	size_t k = x->off[o], end = x->off[o + 1];

	while (k < end) {
		a = x->pts[k].aisle;
		lo = x->lo[a];
		hi = x->hi[a];
		/* An aisle's points are by bay, so by y: the first and last. */
		if (x->pts[k].y < lo)
			lo = x->pts[k].y;
		for (; k + 1 < end && x->pts[k + 1].aisle == a; k++)
			;
		if (x->pts[k].y > hi)
			hi = x->pts[k].y;
		k++;
		c = aisle_cost(len, lo, hi);
		d += c - x->ac[a];
		if (add) {
			((struct ctx *)x)->lo[a] = lo;
			((struct ctx *)x)->hi[a] = hi;
			((struct ctx *)x)->ac[a] = c;
		}
		if (a < left)
			left = a;
		if (a > right)
			right = a;
	}
	d += 2 * x->lay->aisle_pitch * ((right - left) - (x->right - x->left));
	if (add) {
		((struct ctx *)x)->left = left;
		((struct ctx *)x)->right = right;
	}
	return d;
}

/* A cart being filled. */
struct load {
	int totes;
	int64_t g;
	double l;
};

static int
room(const struct ctx *x, const struct load *c, const struct pick_order *o)
{
	return c->totes + o->ntotes <= x->carts->totes &&
	       c->g + o->weight_g <= x->carts->cart_weight_g &&
	       c->l + o->volume_l <= x->carts->cart_volume_l + 1e-9;
}

static void
load_add(struct load *c, const struct pick_order *o, int sign)
{
	c->totes += sign * o->ntotes;
	c->g += sign * o->weight_g;
	c->l += sign * o->volume_l;
}

/* Nearest free position at or beyond i (DSU with path halving). */
static int
free_find(int *next, int i)
{
	while (next[i] != i) {
		next[i] = next[next[i]];
		i = next[i];
	}
	return i;
}

static int
by_key(const void *a, const void *b, void *arg)
{
	const double *key = arg;
	int x = *(const int *)a, y = *(const int *)b;

	if (key[x] != key[y])
		return key[x] < key[y] ? -1 : 1;
	return (x > y) - (x < y);
}

struct batchset {
	struct pick_batch *b;
	int n;
	size_t cap;
};

static struct pick_batch *
new_batch(struct batchset *bs, int wave)
{
	struct pick_batch *b;

	xgrow(&bs->b, &bs->cap, (size_t)bs->n + 1, sizeof *bs->b);
	b = &bs->b[bs->n++];
	memset(b, 0, sizeof *b);
	b->wave = wave;
	return b;
}

static void
batch_add(struct pick_batch *b, const struct ctx *x, int o, int max)
{
	if (b->orders == NULL)
		b->orders = xcalloc((size_t)max, sizeof *b->orders);
	b->orders[b->norders++] = o;
	b->ntotes += x->v[o].ntotes;
	b->weight_g += x->v[o].weight_g;
	b->volume_l += x->v[o].volume_l;
}

/*
 * Seed batching over one wave's orders w[0 .. m): the order farthest
 * from the depot opens a cart; the order whose points add least to the
 * estimated walk joins it, while there is room; among the orders placed
 * near the seed (by their centre of gravity).
 */
static void
seed_batches(struct ctx *x, struct batchset *bs, int wave, const int *w, int m)
{
	double *key = xcalloc((size_t)m, sizeof *key), *far, d, best;
	int *bykey = xcalloc((size_t)m, sizeof *bykey);
	int *pos = xcalloc((size_t)m, sizeof *pos);
	int *byfar = xcalloc((size_t)m, sizeof *byfar);
	int *rnext = xcalloc((size_t)m + 1, sizeof *rnext);
	int *lnext = xcalloc((size_t)m + 1, sizeof *lnext);
	int *used = xcalloc((size_t)m, sizeof *used);
	int i, s, j, side, seen, pick, p, q, f = 0;
	struct pick_batch *b;
	struct load c;
	size_t k, o;

	far = xcalloc((size_t)m, sizeof *far);
	for (i = 0; i < m; i++) {
		double sa = 0, sy = 0, np;

		o = (size_t)w[i];
		np = (double)(x->off[o + 1] - x->off[o]);
		for (k = x->off[o]; k < x->off[o + 1]; k++) {
			double reach = fabs((double)(x->pts[k].aisle -
						     (x->lay->depot - 1))) *
					   x->lay->aisle_pitch +
				       x->pts[k].y;

			sa += x->pts[k].aisle;
			sy += x->pts[k].y;
			if (reach > far[i])
				far[i] = reach;
		}
		key[i] = sa / np * (x->lay->bays + 1.0) * x->lay->bay_pitch +
			 sy / np;
		bykey[i] = byfar[i] = i;
	}
	qsort_r(bykey, (size_t)m, sizeof *bykey, by_key, key);
	for (i = 0; i < m; i++)
		far[i] = -far[i];
	qsort_r(byfar, (size_t)m, sizeof *byfar, by_key, far);
	/* Positions 0 .. m-1 in key order; m and -1 are the sentinels. */
	for (i = 0; i < m; i++)
		pos[bykey[i]] = i;
	for (i = 0; i <= m; i++)
		rnext[i] = lnext[i] = i;
	while (f < m) {
		if (used[byfar[f]]) {
			f++;
			continue;
		}
		s = byfar[f];
		b = new_batch(bs, wave);
		memset(&c, 0, sizeof c);
		est_reset(x);
		pick = s;
		do {
			/* Take pick out of the free positions. */
			used[pick] = 1;
			p = pos[pick];
			rnext[p] = p + 1;
			lnext[m - 1 - p] = m - p;
			batch_add(b, x, w[pick], x->carts->totes);
			load_add(&c, &x->v[w[pick]], 1);
			est_delta(x, (size_t)w[pick], 1);
			pick = -1;
			best = INFINITY;
			for (side = 0; side < 2; side++) {
				p = pos[s];
				for (seen = 0; seen < WINDOW; seen++) {
					if (side == 0) {
						q = free_find(rnext, p);
						if (q >= m)
							break;
						p = q + 1;
					} else {
						/* Mirrored: m - 1 - p. */
						q = free_find(lnext, m - 1 - p);
						if (q >= m)
							break;
						q = m - 1 - q;
						p = q - 1;
					}
					j = bykey[q];
					if (!room(x, &c, &x->v[w[j]]))
						continue;
					d = est_delta(x, (size_t)w[j], 0);
					if (d < best) {
						best = d;
						pick = j;
					}
				}
			}
		} while (pick >= 0);
	}
	free(key);
	free(far);
	free(bykey);
	free(pos);
	free(byfar);
	free(rnext);
	free(lnext);
	free(used);
}

/* Exchange: moves and swaps between two batches that shorten both walks. */

static int
fits_after(const struct ctx *x, const struct pick_batch *b, int out, int in)
{
	struct load c = {b->ntotes, b->weight_g, b->volume_l};

	if (out >= 0)
		load_add(&c, &x->v[out], -1);
	return room(x, &c, &x->v[in]);
}

static void
batch_set(struct ctx *x, struct pick_batch *b, int at, int o)
{
	int old = at < b->norders ? b->orders[at] : -1;

	if (old >= 0) {
		b->ntotes -= x->v[old].ntotes;
		b->weight_g -= x->v[old].weight_g;
		b->volume_l -= x->v[old].volume_l;
	}
	if (o < 0) {
		b->orders[at] = b->orders[--b->norders];
		return;
	}
	if (at == b->norders)
		b->norders++;
	b->orders[at] = o;
	b->ntotes += x->v[o].ntotes;
	b->weight_g += x->v[o].weight_g;
	b->volume_l += x->v[o].volume_l;
}

/*
 * batch_route() if it is at most limit, else something above limit:
 * in one block, part_tour()'s least ways (just made for g) let the
 * programme stop early; with middle cross aisles route_blocks_below()
 * bounds the rest of each partial tour itself.  The margin keeps it
 * from stopping where
 * batch_route() would be just under limit, rounded otherwise: a change
 * is turned down only where batch_route() would turn it down.
 */
static double
route_below(const struct ctx *x, const struct gather *g, double limit)
{
	struct route_problem p;

	if (x->lay->ncross > 0)
		return zones_route_below(
		    x->lay, g->np, (const double *const *)g->ys, limit + 1e-6);
	problem(x, g, &p);
	return route_optimal_below(&p, g->least, limit + 1e-6);
}

/*
 * With middle cross aisles, the exchange asks the route of the same
 * orders again and again (a batch less one order and with another,
 * pass after pass): memo_route() keeps what the programme said of the
 * last MEMO_SIZE sets of orders, by a hash of the set, each either the
 * length or that the length is above some limit.  A set found again is
 * answered from it when that says enough: the length, or above a limit
 * at least as high as the one asked.  The programme's answer does not
 * depend on when it is asked, so the plan is the same.
 */
#define MEMO_SIZE 16384 /* a power of 2; 48 bytes each, per thread */
#define MEMO_KEY 8      /* orders, at most, in a set kept */

struct memo {
	int n, exact;
	int ord[MEMO_KEY]; /* rising */
	double v;          /* the length, or exact 0: the length is above v */
};

static double
memo_route(
    struct ctx *x, const struct gather *g, const int *ord, int n, double limit)
{
	struct memo *m;
	uint64_t h = 1469598103934665603u;
	int key[MEMO_KEY], i, k, v;
	double len;

	if (n > MEMO_KEY || x->memo == NULL)
		return route_below(x, g, limit);
	for (i = 0; i < n; i++) {
		for (v = ord[i], k = i; k > 0 && key[k - 1] > v; k--)
			key[k] = key[k - 1];
		key[k] = v;
	}
	for (i = 0; i < n; i++)
		h = (h ^ (uint64_t)(unsigned)key[i]) * 1099511628211u;
	m = &x->memo[(h ^ h >> 29) & (MEMO_SIZE - 1)];
	if (m->n == n && memcmp(m->ord, key, (size_t)n * sizeof *key) == 0) {
		if (m->exact || m->v > limit)
			return m->v;
	}
	len = route_below(x, g, limit);
	m->n = n;
	memcpy(m->ord, key, (size_t)n * sizeof *key);
	/* Above limit + 1e-6 (route_below()'s margin): above limit. */
	m->exact = len <= limit + 1e-6;
	m->v = m->exact ? len : limit;
	return len;
}

/*
 * With middle cross aisles: the two routes of a change (g[0] and g[1],
 * bounds ba and bb) into *la and *lb, if their sum is under now, else
 * -1.  The programme costs much more the more room its limit leaves, so
 * each walk is first given its share of the room the bounds leave
 * (share by bound): a change with both walks over their shares is
 * turned down (la + lb > now) having computed neither; a walk under its
 * share is known exactly, and the other is then computed within what
 * is left, as without shares.  The same changes are turned down as by
 * the two routes.
 */
static int
split_routes(struct ctx *x, const int *ta, int na, const int *tb, int nb,
    double now, double ba, double bb, double *la, double *lb)
{
	double share = ba + (now - ba - bb) * (ba / (ba + bb));

	*la = na > 0 ? memo_route(x, &x->g[0], ta, na, share) : 0;
	if (*la > share) {
		*lb = nb > 0 ? memo_route(x, &x->g[1], tb, nb, now - share) : 0;
		if (*lb > now - share)
			return -1;
		*la = memo_route(x, &x->g[0], ta, na, now - *lb);
		return *la + *lb < now ? 0 : -1;
	}
	*lb = nb > 0 ? memo_route(x, &x->g[1], tb, nb, now - *la) : 0;
	return *la + *lb < now ? 0 : -1;
}

/*
 * Try one change; keep it if the two walks get shorter.  The bounds
 * turn a change down only where the routes would: a route is never
 * shorter than its bound.
 */
static int
try_change(
    struct ctx *x, struct pick_batch *a, struct pick_batch *b, int ia, int ib)
{
	int oa = ia >= 0 ? a->orders[ia] : -1,
	    ob = ib >= 0 ? b->orders[ib] : -1;
	int *ta = x->np + x->lay->aisles, *tb = ta + x->carts->totes;
	int na = a->norders, nb = b->norders;
	double la, lb, ba, bb, now = a->route_m + b->route_m - 1e-6;

	memcpy(ta, a->orders, (size_t)na * sizeof *ta);
	memcpy(tb, b->orders, (size_t)nb * sizeof *tb);
	/* a gives oa to b and takes ob from it. */
	if (ob >= 0)
		ta[ia >= 0 ? ia : na++] = ob;
	else
		ta[ia] = ta[--na];
	if (oa >= 0)
		tb[ib >= 0 ? ib : nb++] = oa;
	else
		tb[ib] = tb[--nb];
	if (x->lay->ncross > 0) {
		gather(x, &x->g[0], ta, na);
		gather(x, &x->g[1], tb, nb);
		ba = na ? levels_bound(x, &x->g[0]) : 0;
		bb = nb ? levels_bound(x, &x->g[1]) : 0;
		if (ba + bb >= now ||
		    split_routes(x, ta, na, tb, nb, now, ba, bb, &la, &lb) < 0)
			return 0;
	} else {
		/* The bounds from exchange()'s parts; gathered only if kept. */
		ba = na ? part_tour(x, &x->parts[0][ia >= 0 ? ia : a->norders],
			      ob, x->g[0].least)
			: 0;
		bb = nb ? part_tour(x, &x->parts[1][ib >= 0 ? ib : b->norders],
			      oa, x->g[1].least)
			: 0;
		if (ba + bb >= now)
			return 0;
		gather(x, &x->g[0], ta, na);
		la = na ? route_below(x, &x->g[0], now - bb) : 0;
		if (la + bb >= now)
			return 0;
		/* b's points, if a's route left room. */
		gather(x, &x->g[1], tb, nb);
		lb = nb ? route_below(x, &x->g[1], now - la) : 0;
		if (la + lb >= now)
			return 0;
	}
	batch_set(x, a, ia >= 0 ? ia : a->norders, ob);
	batch_set(x, b, ib >= 0 ? ib : b->norders, oa);
	a->route_m = la;
	b->route_m = lb;
	return 1;
}

/*
 * The first change between a and b that shortens their walks, made:
 * swaps, then a's orders to b, then b's to a.  Each is first measured
 * by the bound (part_with()), which turns down most of them; the rest
 * by try_change().
 */
static int
exchange(struct ctx *x, struct pick_batch *a, struct pick_batch *b)
{
	struct part *pa = x->parts[0], *pb = x->parts[1];
	double now = a->route_m + b->route_m - 1e-6, wa;
	int i, j, na = a->norders, nb = b->norders;

	part_make(x, &pa[na], a, -1);
	for (i = 0; i < na; i++)
		part_less(x, &pa[i], &pa[na], a->orders[i]);
	part_make(x, &pb[nb], b, -1);
	for (j = 0; j < nb; j++)
		part_less(x, &pb[j], &pb[nb], b->orders[j]);
	for (i = 0; i < na; i++)
		for (j = 0; j < nb; j++) {
			if (!fits_after(x, a, a->orders[i], b->orders[j]) ||
			    !fits_after(x, b, b->orders[j], a->orders[i]))
				continue;
			/*
			 * b's part alone is bounded below its bound with a's
			 * order (more points never lower it, nor do the
			 * roundings): a's side first, b's only if the two
			 * may still be under now.
			 */
			wa = part_with(x, &pa[i], b->orders[j]);
			if (wa + part_with(x, &pb[j], -1) >= now)
				continue;
			if (wa + part_with(x, &pb[j], a->orders[i]) < now &&
			    try_change(x, a, b, i, j))
				return 1;
		}
	for (i = 0; na > 1 && i < na; i++)
		if (fits_after(x, b, -1, a->orders[i]) &&
		    part_with(x, &pa[i], -1) +
			    part_with(x, &pb[nb], a->orders[i]) <
			now &&
		    try_change(x, a, b, i, -1))
			return 1;
	for (j = 0; nb > 1 && j < nb; j++)
		if (fits_after(x, a, -1, b->orders[j]) &&
		    part_with(x, &pa[na], b->orders[j]) +
			    part_with(x, &pb[j], -1) <
			now &&
		    try_change(x, a, b, -1, j))
			return 1;
	return 0;
}

static double
batch_centre(const struct ctx *x, const struct pick_batch *b)
{
	double s = 0;
	size_t k, n = 0;
	int i;

	for (i = 0; i < b->norders; i++)
		for (k = x->off[b->orders[i]]; k < x->off[b->orders[i] + 1];
		     k++, n++)
			s += x->pts[k].aisle * (x->lay->bays + 1.0) +
			     x->pts[k].bay;
	return n ? s / (double)n : 0;
}

/*
 * exchange() is a function of its two batches alone: a pair it found
 * nothing for, neither batch changed since, has nothing again.  Each
 * batch's changes are counted (ver), and each pair's counts when it
 * last came to nothing (seen, per distance d and position i), so a
 * later pass skips what cannot change: the plan is the same, sooner.
 */
static void
improve(struct ctx *x, struct pick_batch *b, int nb)
{
	double *key = xcalloc((size_t)nb + 1, sizeof *key);
	int *ix = xcalloc((size_t)nb + 1, sizeof *ix), i, d, pass, tries;
	long *ver = xcalloc((size_t)nb + 1, sizeof *ver);
	long *seen = xcalloc(4 * ((size_t)nb + 1), sizeof *seen), *sa, *sb;
	struct pick_batch *p, *q;

	for (i = 0; i < nb; i++) {
		b[i].route_m = tour(x, b[i].orders, b[i].norders, 0);
		key[i] = batch_centre(x, &b[i]);
		ix[i] = i;
	}
	qsort_r(ix, (size_t)nb, sizeof *ix, by_key, key);
	for (i = 0; i < 4 * (nb + 1); i++)
		seen[i] = -1;
	for (pass = 0; pass < PASSES; pass++)
		for (d = 1; d <= 2; d++)
			for (i = 0; i + d < nb; i++) {
				p = &b[ix[i]];
				q = &b[ix[i + d]];
				sa = &seen[2 * ((d - 1) * (nb + 1) + i)];
				sb = sa + 1;
				if (*sa == ver[ix[i]] && *sb == ver[ix[i + d]])
					continue;
				for (tries = 0;
				     tries < 16 && exchange(x, p, q); tries++) {
					ver[ix[i]]++;
					ver[ix[i + d]]++;
				}
				/* Sixteen changes: it may have more. */
				if (tries < 16) {
					*sa = ver[ix[i]];
					*sb = ver[ix[i + d]];
				}
			}
	free(seen);
	free(ver);
	free(key);
	free(ix);
}

/* The walk of a batch, stop by stop. */

struct entry {
	int point; /* distinct (aisle, bay) of the batch */
	const struct item *item;
	int order, part;
};

static int
by_entry(const void *a, const void *b, void *arg)
{
	const int *rank = arg;
	const struct entry *p = a, *q = b;
	int c;

	if (rank[p->point] != rank[q->point])
		return rank[p->point] - rank[q->point];
	if (p->item->level != q->item->level)
		return p->item->level - q->item->level;
	if ((c = strcmp(p->item->sku, q->item->sku)) != 0)
		return c;
	if (p->order != q->order)
		return p->order - q->order;
	return p->part - q->part;
}

static int
by_tote(const void *a, const void *b)
{
	return ((const struct pick_put *)a)->tote -
	       ((const struct pick_put *)b)->tote;
}

/* By place: aisle, then bay. */
static int
by_spot(const void *a, const void *b)
{
	const struct entry *p = a, *q = b;

	if (p->item->aisle != q->item->aisle)
		return p->item->aisle - q->item->aisle;
	return p->item->bay - q->item->bay;
}

static int
by_seq(const void *a, const void *b, void *arg)
{
	const struct pick_order *v = arg;
	int x = *(const int *)a, y = *(const int *)b;

	if (v[x].seq != v[y].seq)
		return v[x].seq - v[y].seq;
	return x - y;
}

static void
walk_batch(struct ctx *x, struct pick_batch *b, int keep_stops)
{
	const struct layout *l = x->lay;
	struct entry *e = NULL;
	struct route_stop *rs;
	struct pick_stop *st = NULL;
	struct pick_put *putv;
	size_t ne = 0, cap = 0, k;
	int *rank, npoint = 0, i, j, a, tote;
	double **ys, *yv;

	/* Every part of every order. */
	for (i = 0; i < b->norders; i++) {
		struct pick_order *o = &x->v[b->orders[i]];

		for (j = 0; j < o->nparts; j++) {
			xgrow(&e, &cap, ne + 1, sizeof *e);
			e[ne++] = (struct entry){0,
			    o->lines[o->parts[j].line].item, b->orders[i], j};
		}
	}
	/* Number the distinct places, which are the route's picks. */
	if (ne == 0)
		err_exit(EXIT_TROUBLE, "internal error: empty batch");
	qsort(e, ne, sizeof *e, by_spot);
	ys = xcalloc((size_t)l->aisles, sizeof *ys);
	yv = xcalloc(ne + 1, sizeof *yv);
	memset(x->np, 0, (size_t)l->aisles * sizeof *x->np);
	for (k = 0; k < ne; k++) {
		a = e[k].item->aisle - 1;
		if (k == 0 || by_spot(&e[k - 1], &e[k]) != 0) {
			if (x->np[a] == 0)
				ys[a] = yv + npoint;
			yv[npoint++] = pick_bay_y(l, e[k].item->bay);
			x->np[a]++;
		}
		e[k].point = npoint - 1;
	}
	rs = xcalloc((size_t)npoint + 1, sizeof *rs);
	b->route_m = zones_route(l, x->np, (const double *const *)ys, rs);
	if (b->route_m < 0)
		err_exit(EXIT_TROUBLE, "internal error: no tour through batch");
	/* Rank of each place on the walk. */
	rank = xcalloc((size_t)npoint, sizeof *rank);
	for (i = 0; i < npoint; i++)
		rank[(ys[rs[i].aisle] - yv) + rs[i].pick] = i;
	qsort_r(e, ne, sizeof *e, by_entry, rank);
	/*
	 * Stops: one per item, in walking order.  The batch's puts are one
	 * array, stop after stop (stops[0].puts owns it): one allocation a
	 * batch, not one a stop, which on a big day is most of the plan.
	 */
	b->nstops = 0;
	for (k = 0; k < ne; k++)
		b->nstops += k == 0 || e[k].item != e[k - 1].item;
	st = xcalloc((size_t)b->nstops, sizeof *st);
	putv = xcalloc(ne, sizeof *putv);
	b->nstops = 0;
	for (k = 0; k < ne; k++) {
		struct pick_order *o = &x->v[e[k].order];
		const struct pick_part *pt = &o->parts[e[k].part];

		if (k == 0 || e[k].item != e[k - 1].item) {
			st[b->nstops].puts = putv + k;
			st[b->nstops++].item = e[k].item;
		}
		if (o->seq == 0)
			o->seq = b->nstops;
		st[b->nstops - 1].qty += pt->qty;
		st[b->nstops - 1].puts[st[b->nstops - 1].nputs++] =
		    (struct pick_put){
			e[k].order, pt->tote, pt->qty, o->lines[pt->line].gift};
	}
	b->stops = st;
	/* Totes in the order the walk first reaches the orders. */
	qsort_r(b->orders, (size_t)b->norders, sizeof *b->orders, by_seq, x->v);
	for (i = 0, tote = 1; i < b->norders; i++) {
		x->v[b->orders[i]].tote = tote;
		tote += x->v[b->orders[i]].ntotes;
	}
	for (i = 0; i < b->nstops; i++) {
		for (j = 0; j < st[i].nputs; j++)
			st[i].puts[j].tote += x->v[st[i].puts[j].order].tote;
		qsort(st[i].puts, (size_t)st[i].nputs, sizeof *st[i].puts,
		    by_tote);
	}
	/* Only the sheets read them (PICK_NO_STOPS). */
	if (!keep_stops) {
		free(putv);
		free(st);
		b->stops = NULL;
		b->nstops = 0;
	}
	free(rank);
	free(rs);
	free(yv);
	free(ys);
	free(e);
}

/* The comparisons --stats shows. */
static void
compare(struct ctx *x, struct pick_plan *pl, const int *ok, int nok)
{
	struct load c;
	int i, start, one;

	for (i = 0; i < nok; i++) {
		one = ok[i];
		pl->one_by_one_m += tour(x, &one, 1, 0);
	}
	/* Carts filled in input order, wave by wave, walked S-shape. */
	memset(&c, 0, sizeof c);
	for (i = start = 0; i <= nok; i++) {
		if (i < nok && i > start &&
		    x->v[ok[i]].ship_by == x->v[ok[start]].ship_by &&
		    room(x, &c, &x->v[ok[i]])) {
			load_add(&c, &x->v[ok[i]], 1);
			continue;
		}
		if (i > start) {
			pl->first_come_m += tour(x, ok + start, i - start, 1);
			pl->first_come_opt_m +=
			    tour(x, ok + start, i - start, 0);
		}
		if (i < nok) {
			start = i;
			memset(&c, 0, sizeof c);
			load_add(&c, &x->v[ok[i]], 1);
		}
	}
}

static int
by_ship_by(const void *a, const void *b, void *arg)
{
	const struct pick_order *v = arg;
	int x = *(const int *)a, y = *(const int *)b;

	if (v[x].ship_by != v[y].ship_by)
		return v[x].ship_by < v[y].ship_by ? -1 : 1;
	return x - y;
}

/* A thread's scratch for tours and the exchange. */
static void
scratch_init(struct ctx *x)
{
	const struct layout *lay = x->lay;
	const struct carts *carts = x->carts;
	int k, j;

	x->len = zones_length(lay);
	x->np = xcalloc(
	    (size_t)lay->aisles + 2 * (size_t)carts->totes, sizeof *x->np);
	for (k = 0; k < 2; k++) {
		x->g[k].np = xcalloc((size_t)lay->aisles, sizeof *x->g[k].np);
		x->g[k].ys = xcalloc((size_t)lay->aisles, sizeof *x->g[k].ys);
		x->g[k].ybuf = NULL;
		x->g[k].ycap = 0;
		x->g[k].least =
		    xcalloc((size_t)lay->aisles, sizeof *x->g[k].least);
		x->parts[k] =
		    xcalloc((size_t)carts->totes + 1, sizeof *x->parts[k]);
		for (j = 0; j <= carts->totes; j++) {
			struct part *pt = &x->parts[k][j];

			pt->g.np =
			    xcalloc((size_t)lay->aisles, sizeof *pt->g.np);
			pt->g.ys =
			    xcalloc((size_t)lay->aisles, sizeof *pt->g.ys);
			pt->c = xcalloc((size_t)lay->aisles, sizeof *pt->c);
			pt->tc = xcalloc((size_t)lay->aisles, sizeof *pt->tc);
			pt->tf = xcalloc((size_t)lay->aisles, sizeof *pt->tf);
		}
	}
	x->merge = NULL;
	x->mcap = 0;
	x->memo = lay->ncross > 0 ? xcalloc(MEMO_SIZE, sizeof *x->memo) : NULL;
}

static void
scratch_free(struct ctx *x)
{
	int k, j;

	free(x->np);
	for (k = 0; k < 2; k++) {
		free(x->g[k].np);
		free(x->g[k].ys);
		free(x->g[k].ybuf);
		free(x->g[k].least);
		for (j = 0; j <= x->carts->totes; j++) {
			free(x->parts[k][j].g.np);
			free(x->parts[k][j].g.ys);
			free(x->parts[k][j].g.ybuf);
			free(x->parts[k][j].c);
			free(x->parts[k][j].tc);
			free(x->parts[k][j].tf);
		}
		free(x->parts[k]);
	}
	free(x->merge);
	free(x->memo);
}

/*
 * The exchange, wave after wave, on two threads: a wave's carts
 * exchange orders only among themselves, so the waves are independent
 * and which thread improves which does not change the plan.
 */
struct improver {
	struct ctx x; /* the thread's own scratch */
	struct pick_plan *pl;
	struct pick_batch *b;
	pthread_mutex_t *lock;
	int *next; /* the next wave to improve */
};

static void *
improve_waves(void *arg)
{
	struct improver *im = arg;
	const struct pick_wave *wv;
	int w;

	for (;;) {
		pthread_mutex_lock(im->lock);
		w = (*im->next)++;
		pthread_mutex_unlock(im->lock);
		if (w >= im->pl->nwaves)
			return NULL;
		wv = &im->pl->waves[w];
		improve(&im->x, im->b + wv->first, wv->nbatches);
	}
}

static void
improve_all(struct ctx *x, struct pick_plan *pl, struct pick_batch *b)
{
	pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	struct improver im[2];
	pthread_t t;
	int next = 0, helper;

	im[0].x = im[1].x = *x;
	scratch_init(&im[1].x);
	im[0].pl = im[1].pl = pl;
	im[0].b = im[1].b = b;
	im[0].lock = im[1].lock = &lock;
	im[0].next = im[1].next = &next;
	/* Without a second thread, this one improves every wave. */
	helper = pl->nwaves > 1 &&
		 pthread_create(&t, NULL, improve_waves, &im[1]) == 0;
	improve_waves(&im[0]);
	if (helper)
		pthread_join(t, NULL);
	scratch_free(&im[1].x);
	/* This thread's scratch may have grown (moved) meanwhile. */
	*x = im[0].x;
}

void
pick_plan(struct pick_plan *pl, struct pick_order *v, size_t n,
    const struct layout *lay, const struct carts *carts)
{
	pick_plan_for(pl, v, n, lay, carts, PICK_COMPARE);
}

void
pick_plan_for(struct pick_plan *pl, struct pick_order *v, size_t n,
    const struct layout *lay, const struct carts *carts, int flags)
{
	int with_compare = flags & PICK_COMPARE;
	struct ctx x;
	struct batchset bs = {NULL, 0, 0};
	size_t i, wcap = 0;
	int *ok = xcalloc(n + 1, sizeof *ok), nok = 0, w, first, b;

	memset(pl, 0, sizeof *pl);
	memset(&x, 0, sizeof x);
	x.lay = lay;
	x.carts = carts;
	x.v = v;
	x.n = n;
	geometry(&x);
	scratch_init(&x);
	x.lo = xcalloc((size_t)lay->aisles, sizeof *x.lo);
	x.hi = xcalloc((size_t)lay->aisles, sizeof *x.hi);
	x.ac = xcalloc((size_t)lay->aisles, sizeof *x.ac);
	for (i = 0; i < n; i++)
		if (v[i].state == PICK_OK)
			ok[nok++] = (int)i;
	qsort_r(ok, (size_t)nok, sizeof *ok, by_ship_by, v);
	for (w = 0; w < nok; w = first) {
		struct pick_wave *wv;

		for (first = w + 1;
		     first < nok && v[ok[first]].ship_by == v[ok[w]].ship_by;
		     first++)
			;
		xgrow(&pl->waves, &wcap, (size_t)pl->nwaves + 1,
		    sizeof *pl->waves);
		wv = &pl->waves[pl->nwaves];
		wv->ship_by = v[ok[w]].ship_by;
		wv->first = bs.n;
		wv->norders = first - w;
		seed_batches(&x, &bs, pl->nwaves, ok + w, first - w);
		wv->nbatches = bs.n - wv->first;
		pl->nwaves++;
	}
	improve_all(&x, pl, bs.b);
	pl->batches = bs.b;
	pl->nbatches = bs.n;
	for (b = 0; b < bs.n; b++) {
		for (w = 0; w < bs.b[b].norders; w++) {
			v[bs.b[b].orders[w]].batch = b;
			v[bs.b[b].orders[w]].wave = bs.b[b].wave;
			v[bs.b[b].orders[w]].seq = 0;
		}
		walk_batch(&x, &bs.b[b], !(flags & PICK_NO_STOPS));
		pl->route_m += bs.b[b].route_m;
	}
	/*
	 * Input order, for the first-come comparison: a tour for every
	 * order and two for every first-come cart, so only when asked
	 * (--stats); it changes nothing in the plan.
	 */
	for (i = 0, nok = 0; with_compare && i < n; i++)
		if (v[i].state == PICK_OK)
			ok[nok++] = (int)i;
	if (with_compare) {
		qsort_r(ok, (size_t)nok, sizeof *ok, by_ship_by, v);
		compare(&x, pl, ok, nok);
	}
	free(ok);
	free(x.pts);
	free(x.off);
	scratch_free(&x);
	free(x.lo);
	free(x.hi);
	free(x.ac);
}

void
pick_plan_free(struct pick_plan *pl)
{
	int b;

	for (b = 0; b < pl->nbatches; b++) {
		if (pl->batches[b].nstops > 0)
			free(pl->batches[b].stops[0].puts);
		free(pl->batches[b].stops);
		free(pl->batches[b].orders);
	}
	free(pl->batches);
	free(pl->waves);
	memset(pl, 0, sizeof *pl);
}

void
pick_order_free(struct pick_order *o)
{
	free(o->lines);
	free(o->shorts);
	free(o->parts);
}
