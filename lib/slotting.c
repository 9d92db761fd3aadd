#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "pick.h"
#include "route.h"
#include "slotting.h"
#include "zones.h"

/* Less than this is no saving: sums of walks differ in the last bits. */
#define EPS 1e-6

/* A SKU's zone: its layout, by its location's letter. */
static const struct layout *
zone_of(const struct slotting *s, const struct slot_sku *k)
{
	return zones_of(s->lay, k->location[0]);
}

/*
 * A batch's walk: a cart works one zone, but the period may hold batches
 * of before the layout had zones; then each zone's part is walked.
 */
double
slotting_walk(const struct slotting *s, size_t b, const size_t *place)
{
	size_t n = s->first[b + 1] - s->first[b], k;
	int nz = s->lay->nzones > 0 ? s->lay->nzones : 1, most = 1, z, a;
	int *np;
	double **ys, *yv, len = 0;

	for (z = 0; z < nz; z++) {
		const struct layout *l =
		    s->lay->nzones > 0 ? &s->lay->zones[z] : s->lay;

		if (l->aisles > most)
			most = l->aisles;
	}
	np = xcalloc((size_t)most, sizeof *np);
	ys = xcalloc((size_t)most, sizeof *ys);
	yv = xcalloc(n + 1, sizeof *yv);
	for (z = 0; z < nz; z++) {
		const struct layout *l =
		    s->lay->nzones > 0 ? &s->lay->zones[z] : s->lay;
		size_t m = 0;

		memset(np, 0, (size_t)most * sizeof *np);
		for (k = 0; k < n; k++) {
			const struct slot_sku *at =
			    &s->skus[place ? place[s->visit[s->first[b] + k]]
					   : s->visit[s->first[b] + k]];

			if (zone_of(s, at) == l) {
				np[at->aisle - 1]++;
				m++;
			}
		}
		if (m == 0)
			continue;
		for (a = 0, k = 0; a < l->aisles; a++) {
			ys[a] = yv + k;
			k += (size_t)np[a];
			np[a] = 0;
		}
		for (k = 0; k < n; k++) {
			const struct slot_sku *at =
			    &s->skus[place ? place[s->visit[s->first[b] + k]]
					   : s->visit[s->first[b] + k]];

			if (zone_of(s, at) != l)
				continue;
			a = at->aisle - 1;
			ys[a][np[a]++] = pick_bay_y(l, at->bay);
		}
		len += zones_route(l, np, (const double *const *)ys, NULL);
	}
	free(np);
	free(ys);
	free(yv);
	return len;
}

/* How far a place is from its zone's depot: along the front, then up. */
static double
reach(const struct slotting *s, const struct slot_sku *k)
{
	const struct layout *l = zone_of(s, k);

	return abs(k->aisle - l->depot) * l->aisle_pitch +
	       pick_bay_y(l, k->bay);
}

/* The work of one plan: today's walks and which batches fetch each SKU. */
struct work {
	struct slotting *s;
	size_t *place;
	double *walk; /* per batch, on the places as they are now */
	size_t *boff; /* SKU i is fetched by batches bat[boff[i] .. ] */
	size_t *bat;
	unsigned *stamp; /* per batch: the last union it joined */
	unsigned round;
	size_t *uni; /* the union of two SKUs' batches */
	size_t nuni;
	double *dist; /* per SKU, of its own place */
};

static int
by_picks(const void *a, const void *b, void *arg)
{
	const struct slot_sku *v = arg;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;

	if (v[i].picks != v[j].picks)
		return v[i].picks > v[j].picks ? -1 : 1;
	return strcmp(v[i].sku, v[j].sku);
}

static int
by_reach(const void *a, const void *b, void *arg)
{
	const struct work *w = arg;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;

	if (w->dist[i] != w->dist[j])
		return w->dist[i] < w->dist[j] ? -1 : 1;
	return strcmp(w->s->skus[i].sku, w->s->skus[j].sku);
}

/* The batches that fetch f or g, each once, into w->uni. */
static void
batches_of(struct work *w, size_t f, size_t g)
{
	size_t two[2] = {f, g}, k, i;

	w->round++;
	w->nuni = 0;
	for (i = 0; i < 2; i++)
		for (k = w->boff[two[i]]; k < w->boff[two[i] + 1]; k++)
			if (w->stamp[w->bat[k]] != w->round) {
				w->stamp[w->bat[k]] = w->round;
				w->uni[w->nuni++] = w->bat[k];
			}
}

/*
 * What swapping f and g saves on the walks as they are now, replayed;
 * with keep, the swap is made and the walks updated.
 */
static double
try_swap(struct work *w, size_t f, size_t g, int keep)
{
	size_t t, k;
	double saved = 0, *after;

	batches_of(w, f, g);
	after = xcalloc(w->nuni + 1, sizeof *after);
	t = w->place[f];
	w->place[f] = w->place[g];
	w->place[g] = t;
	for (k = 0; k < w->nuni; k++) {
		after[k] = slotting_walk(w->s, w->uni[k], w->place);
		saved += w->walk[w->uni[k]] - after[k];
	}
	if (keep) {
		for (k = 0; k < w->nuni; k++)
			w->walk[w->uni[k]] = after[k];
	} else {
		w->place[g] = w->place[f];
		w->place[f] = t;
	}
	free(after);
	return saved;
}

/* Index the batches by SKU: the inverse of visit. */
static void
index_batches(struct work *w)
{
	struct slotting *s = w->s;
	size_t b, k, *at;

	w->boff = xcalloc(s->nsku + 1, sizeof *w->boff);
	for (k = 0; k < s->first[s->nbatch]; k++)
		w->boff[s->visit[k] + 1]++;
	for (k = 0; k < s->nsku; k++)
		w->boff[k + 1] += w->boff[k];
	w->bat = xcalloc(s->first[s->nbatch] + 1, sizeof *w->bat);
	at = xcalloc(s->nsku + 1, sizeof *at);
	memcpy(at, w->boff, s->nsku * sizeof *at);
	for (b = 0; b < s->nbatch; b++)
		for (k = s->first[b]; k < s->first[b + 1]; k++)
			w->bat[at[s->visit[k]]++] = b;
	free(at);
}

static int
valid(const struct slotting *s)
{
	const struct layout *l = s->lay;
	size_t i;

	const struct layout *z;

	for (i = 0; i < s->nsku; i++)
		if ((z = zone_of(s, &s->skus[i])) == NULL ||
		    s->skus[i].aisle < 1 || s->skus[i].aisle > z->aisles ||
		    s->skus[i].bay < 1 || s->skus[i].bay > z->bays)
			return 0;
	for (i = 0; i < s->first[s->nbatch]; i++)
		if (s->visit[i] >= s->nsku)
			return 0;
	return l->aisles > 0 && l->depot >= 1 && l->depot <= l->aisles;
}

/* The best swap for fast mover f, or f itself when none saves. */
static size_t
best_for(struct work *w, const size_t *near, const char *moved, size_t f)
{
	const struct slotting *s = w->s;
	size_t best = f, k;
	double most = EPS, saved;
	int offered = 0;

	for (k = 0; k < s->nsku && offered < SLOTTING_CANDIDATES; k++) {
		size_t g = near[k];

		if (w->dist[g] >= w->dist[f])
			break;
		/* A SKU keeps to its zone: its carts work no other. */
		if (moved[g] || s->skus[g].picks >= s->skus[f].picks ||
		    zone_of(s, &s->skus[g]) != zone_of(s, &s->skus[f]))
			continue;
		offered++;
		saved = try_swap(w, f, g, 0);
		if (saved > most) {
			most = saved;
			best = g;
		}
	}
	return best;
}

int
slotting_plan(struct slotting *s)
{
	struct work w = {s, 0, 0, 0, 0, 0, 0, 0, 0, 0};
	size_t *fast, *near, i, b, g;
	char *moved;

	s->moves = NULL;
	s->nmoves = 0;
	s->before_m = s->after_m = 0;
	if (!valid(s))
		return -1;
	w.place = xcalloc(s->nsku + 1, sizeof *w.place);
	w.dist = xcalloc(s->nsku + 1, sizeof *w.dist);
	fast = xcalloc(s->nsku + 1, sizeof *fast);
	near = xcalloc(s->nsku + 1, sizeof *near);
	moved = xcalloc(s->nsku + 1, 1);
	for (i = 0; i < s->nsku; i++) {
		w.place[i] = fast[i] = near[i] = i;
		w.dist[i] = reach(s, &s->skus[i]);
	}
	w.walk = xcalloc(s->nbatch + 1, sizeof *w.walk);
	w.stamp = xcalloc(s->nbatch + 1, sizeof *w.stamp);
	w.uni = xcalloc(s->nbatch + 1, sizeof *w.uni);
	for (b = 0; b < s->nbatch; b++)
		s->before_m += w.walk[b] = slotting_walk(s, b, NULL);
	index_batches(&w);
	qsort_r(fast, s->nsku, sizeof *fast, by_picks, (void *)s->skus);
	qsort_r(near, s->nsku, sizeof *near, by_reach, &w);
	s->moves = xcalloc((size_t)s->max_moves + 1, sizeof *s->moves);
	for (i = 0; i < s->nsku && s->nmoves < s->max_moves; i++) {
		size_t f = fast[i];

		if (s->skus[f].picks == 0)
			break;
		if (moved[f] || (g = best_for(&w, near, moved, f)) == f)
			continue;
		s->moves[s->nmoves++] =
		    (struct slot_move){f, g, try_swap(&w, f, g, 1)};
		moved[f] = moved[g] = 1;
	}
	/* Walked again on the final places, not summed from the swaps. */
	for (b = 0; b < s->nbatch; b++)
		s->after_m += slotting_walk(s, b, w.place);
	free(w.place);
	free(w.dist);
	free(w.walk);
	free(w.stamp);
	free(w.uni);
	free(w.boff);
	free(w.bat);
	free(fast);
	free(near);
	free(moved);
	return 0;
}

void
slotting_free(struct slotting *s)
{
	free(s->moves);
	s->moves = NULL;
	s->nmoves = 0;
}
