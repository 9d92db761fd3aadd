#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "route_blocks.h"
#include "zones.h"

struct zones {
	const struct layout *lay;
	struct pick_order *picks; /* zone by zone, orders in input order */
	size_t npicks;
	size_t *parent; /* per pick: its order */
	size_t *first,
	    *list; /* order i's picks: list[first[i] .. first[i+1]) */
	int *bzone, nbatches; /* per batch: its zone's index */
};

int
zones_index(const struct layout *lay, int letter)
{
	int k;

	if (lay->nzones == 0)
		return 0;
	letter = toupper(letter);
	for (k = 0; k < lay->nzones; k++)
		if (lay->zones[k].zone == letter)
			return k;
	return -1;
}

const struct layout *
zones_of(const struct layout *lay, int letter)
{
	int k = zones_index(lay, letter);

	if (k < 0)
		return NULL;
	return lay->nzones == 0 ? lay : &lay->zones[k];
}

double
zones_bay_y(const struct layout *z, int bay)
{
	int i, behind = 0;

	/* A middle cross aisle after bay c pushes bays c+1 on back. */
	for (i = 0; i < z->ncross; i++)
		if (z->cross[i] < bay)
			behind++;
	return (bay - 0.5) * z->bay_pitch + behind * z->cross_width;
}

double
zones_length(const struct layout *z)
{
	return z->bays * z->bay_pitch + z->ncross * z->cross_width;
}

int
zones_cross(const struct layout *z, double *cross)
{
	int i;

	/* Cross aisle i's centre line: after its bay, half its width on. */
	cross[0] = 0;
	for (i = 0; i < z->ncross; i++)
		cross[i + 1] = z->cross[i] * z->bay_pitch + i * z->cross_width +
			       z->cross_width / 2;
	cross[z->ncross + 1] = zones_length(z);
	return z->ncross + 1;
}

/* The layout's route problem for those picks; cross has its room. */
static void
problem(const struct layout *z, const int *npick, const double *const *y,
    double *cross, struct route_blocks_problem *p)
{
	p->naisles = z->aisles;
	p->pitch = z->aisle_pitch;
	p->nblocks = zones_cross(z, cross);
	p->cross = cross;
	p->depot = z->depot - 1;
	p->npick = npick;
	p->y = y;
}

double
zones_route(const struct layout *z, const int *npick, const double *const *y,
    struct route_stop *stops)
{
	double cross[LAYOUT_CROSS_MAX + 2];
	struct route_blocks_problem p;

	problem(z, npick, y, cross, &p);
	return route_walk(&p, stops);
}

double
zones_route_below(const struct layout *z, const int *npick,
    const double *const *y, double limit)
{
	double cross[LAYOUT_CROSS_MAX + 2];
	struct route_blocks_problem p;

	problem(z, npick, y, cross, &p);
	return route_blocks_below(&p, limit);
}

/* Order o's lines of zone z as a pick of its own, packed into totes. */
static void
make_pick(struct pick_order *s, const struct pick_order *o,
    const struct layout *lay, int z, const struct carts *carts)
{
	char why[256];
	int j;

	memset(s, 0, sizeof *s);
	s->ship_by = o->ship_by;
	s->express = o->express;
	s->placed = o->placed;
	s->partial = o->partial;
	s->min_share = o->min_share;
	s->state = PICK_OK;
	s->lines = xcalloc((size_t)o->nlines + 1, sizeof *s->lines);
	for (j = 0; j < o->nlines; j++)
		if (zones_index(lay, o->lines[j].item->location[0]) == z)
			s->lines[s->nlines++] = o->lines[j];
	/* Part of an order that fits a cart fits a cart. */
	if (pick_pack(s, carts, why, sizeof why) == -1)
		err_exit(
		    EXIT_TROUBLE, "internal error: a zone's pick: %s", why);
}

/* Zone z's plan joined on to the end of pl; its picks from at. */
static void
join(struct zones *zr, struct pick_plan *pl, struct pick_plan *zp, int z,
    size_t at, size_t n)
{
	int b, k, s, wo = pl->nwaves, bo = pl->nbatches;
	size_t i;

	pl->waves = xrealloc(pl->waves,
	    (size_t)(pl->nwaves + zp->nwaves + 1) * sizeof *pl->waves);
	for (k = 0; k < zp->nwaves; k++) {
		pl->waves[wo + k] = zp->waves[k];
		pl->waves[wo + k].first += bo;
	}
	pl->nwaves += zp->nwaves;
	pl->batches = xrealloc(pl->batches,
	    (size_t)(pl->nbatches + zp->nbatches + 1) * sizeof *pl->batches);
	zr->bzone = xrealloc(zr->bzone,
	    (size_t)(pl->nbatches + zp->nbatches + 1) * sizeof *zr->bzone);
	for (b = 0; b < zp->nbatches; b++) {
		struct pick_batch *pb = &pl->batches[bo + b];

		*pb = zp->batches[b];
		pb->wave += wo;
		for (k = 0; k < pb->norders; k++)
			pb->orders[k] += (int)at;
		for (s = 0; s < pb->nstops; s++)
			for (k = 0; k < pb->stops[s].nputs; k++)
				pb->stops[s].puts[k].order += (int)at;
		zr->bzone[bo + b] = z;
	}
	pl->nbatches += zp->nbatches;
	for (i = at; i < at + n; i++) {
		zr->picks[i].batch += bo;
		zr->picks[i].wave += wo;
	}
	pl->route_m += zp->route_m;
	pl->first_come_m += zp->first_come_m;
	pl->first_come_opt_m += zp->first_come_opt_m;
	pl->one_by_one_m += zp->one_by_one_m;
	free(zp->waves);
	free(zp->batches);
}

struct zones *
zones_plan(struct pick_plan *pl, struct pick_order *v, size_t n,
    const struct layout *lay, const struct carts *carts, int flags)
{
	struct zones *zr;
	struct pick_plan zp;
	size_t i, at, *fill;
	int z, j;
	char *in;

	if (lay->nzones == 0) {
		pick_plan_for(pl, v, n, lay, carts, flags);
		return NULL;
	}
	zr = xcalloc(1, sizeof *zr);
	zr->lay = lay;
	/* Which zones each order needs: in[i * nzones + z]. */
	in = xcalloc(n * (size_t)lay->nzones + 1, 1);
	zr->first = xcalloc(n + 1, sizeof *zr->first);
	for (i = 0; i < n; i++) {
		zr->first[i] = zr->npicks;
		if (v[i].state != PICK_OK)
			continue;
		for (j = 0; j < v[i].nlines; j++) {
			z = zones_index(lay, v[i].lines[j].item->location[0]);
			if (z < 0)
				err_exit(EXIT_TROUBLE,
				    "internal error: a line outside the zones");
			if (!in[i * (size_t)lay->nzones + (size_t)z]++)
				zr->npicks++;
		}
	}
	zr->first[n] = zr->npicks;
	zr->picks = xcalloc(zr->npicks + 1, sizeof *zr->picks);
	zr->parent = xcalloc(zr->npicks + 1, sizeof *zr->parent);
	zr->list = xcalloc(zr->npicks + 1, sizeof *zr->list);
	fill = xcalloc(n + 1, sizeof *fill);
	memset(pl, 0, sizeof *pl);
	for (at = 0, z = 0; z < lay->nzones; z++) {
		size_t start = at;

		for (i = 0; i < n; i++)
			if (in[i * (size_t)lay->nzones + (size_t)z]) {
				make_pick(&zr->picks[at], &v[i], lay, z, carts);
				zr->parent[at] = i;
				zr->list[zr->first[i] + fill[i]++] = at++;
			}
		if (at == start)
			continue;
		pick_plan_for(&zp, zr->picks + start, at - start,
		    &lay->zones[z], carts, flags);
		join(zr, pl, &zp, z, start, at - start);
	}
	zr->nbatches = pl->nbatches;
	/* An order's own fields: its first zone's pick's. */
	for (i = 0; i < n; i++)
		if (zr->first[i + 1] > zr->first[i]) {
			const struct pick_order *f =
			    &zr->picks[zr->list[zr->first[i]]];

			v[i].batch = f->batch;
			v[i].wave = f->wave;
			v[i].tote = f->tote;
			v[i].ntotes = f->ntotes;
			v[i].seq = f->seq;
		}
	free(fill);
	free(in);
	return zr;
}

const struct pick_order *
zones_orders(const struct zones *zr, const struct pick_order *orders)
{
	return zr != NULL ? zr->picks : orders;
}

size_t
zones_order_of(const struct zones *zr, size_t pick)
{
	return zr != NULL ? zr->parent[pick] : pick;
}

size_t
zones_npicks(const struct zones *zr, size_t n)
{
	return zr != NULL ? zr->npicks : n;
}

const struct layout *
zones_batch_zone(const struct zones *zr, const struct layout *lay, int b)
{
	return zr != NULL ? &lay->zones[zr->bzone[b]] : lay;
}

const struct pick_order *
zones_pick(
    const struct zones *zr, const struct pick_order *orders, size_t i, int k)
{
	if (zr == NULL)
		return k == 0 ? &orders[i] : NULL;
	if (zr->first[i] + (size_t)k >= zr->first[i + 1])
		return NULL;
	return &zr->picks[zr->list[zr->first[i] + (size_t)k]];
}

void
zones_record(
    const struct zones *zr, const struct pick_plan *pl, size_t i, json_t *pick)
{
	json_t *letters, *by, *z, *totes;
	const struct pick_order *s;
	char name[2] = {0, 0};
	int k, t;

	if (zr == NULL)
		return;
	letters = json_array();
	by = json_array();
	for (k = 0; (s = zones_pick(zr, NULL, i, k)) != NULL; k++) {
		const struct pick_batch *b = &pl->batches[s->batch];

		name[0] = zr->lay->zones[zr->bzone[s->batch]].zone;
		json_array_append_new(letters, json_string(name));
		z = json_pack("{s:s,s:I,s:i}", "zone", name, "batch",
		    (json_int_t)b->id, "tote", s->tote);
		if (s->ntotes > 1) {
			totes = json_array();
			for (t = 0; t < s->ntotes; t++)
				json_array_append_new(
				    totes, json_integer(s->tote + t));
			json_object_set_new(z, "totes", totes);
		}
		json_object_set_new(z, "route_m",
		    json_real((double)(int64_t)(b->route_m * 10 + 0.5) / 10));
		json_object_set_new(z, "seq", json_integer(s->seq));
		json_array_append_new(by, z);
	}
	json_object_set_new(pick, "zones", letters);
	json_object_set_new(pick, "by_zone", by);
}

char *
zones_note(const struct zones *zr, size_t pick)
{
	size_t i, k, at;
	char *s;

	if (zr == NULL)
		return NULL;
	i = zr->parent[pick];
	if (zr->first[i + 1] - zr->first[i] < 2)
		return NULL;
	s = xcalloc(64 + 2 * LAYOUT_ZONES_MAX, 1);
	at = (size_t)sprintf(s, "pack with zones");
	for (k = zr->first[i]; k < zr->first[i + 1]; k++)
		at += (size_t)sprintf(s + at, "%c%c",
		    k == zr->first[i] ? ' ' : '+',
		    zr->lay->zones[zr->bzone[zr->picks[zr->list[k]].batch]]
			.zone);
	return s;
}

void
zones_free(struct zones *zr)
{
	size_t i;

	if (zr == NULL)
		return;
	for (i = 0; i < zr->npicks; i++)
		pick_order_free(&zr->picks[i]);
	free(zr->picks);
	free(zr->parent);
	free(zr->first);
	free(zr->list);
	free(zr->bzone);
	free(zr);
}
