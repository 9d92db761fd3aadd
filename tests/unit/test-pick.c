/*
 * pick: packing, allocation and planning on items and orders built by
 * hand, then pick_plan() on random instances checked against what a plan
 * promises: every filled order on exactly one cart within its limits,
 * one ship_by per wave, each batch walked by the optimal route through
 * its places (recomputed here with route_optimal()), every unit put in
 * the right tote, stops in walking order.
 */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "pick.h"
#include "route.h"
#include "tap.h"

#define MAXITEMS 64
#define MAXA 12 /* aisles */
#define MAXB 30 /* bays */
#define EPS 1e-6

/* A catalogue built by hand: items in SKU order, S000, S001, ... */
struct fix {
	struct catalog cat;
	struct item items[MAXITEMS];
	char skus[MAXITEMS][8];
	char name[1];
	char loc[1];
};

static void
fix_init(struct fix *f)
{
	memset(f, 0, sizeof *f);
	f->cat.items = f->items;
}

static struct item *
add_item(struct fix *f, int aisle, int bay, int level, int64_t g, double l,
    unsigned handling, int64_t stock)
{
	struct item *it = &f->items[f->cat.n];

	if (f->cat.n == MAXITEMS) {
		printf("# too many items\n");
		exit(2);
	}
	snprintf(f->skus[f->cat.n], sizeof f->skus[0], "S%03zu", f->cat.n);
	*it = (struct item){.sku = f->skus[f->cat.n],
	    .name = f->name,
	    .location = f->loc,
	    .line = (long)f->cat.n + 2,
	    .aisle = aisle,
	    .bay = bay,
	    .level = level,
	    .weight_g = g,
	    .volume_l = l,
	    .handling = handling,
	    .stock = stock};
	f->cat.n++;
	return it;
}

static void
order_init(struct pick_order *o, int64_t ship_by, int express, int64_t placed)
{
	memset(o, 0, sizeof *o);
	o->ship_by = ship_by;
	o->express = express;
	o->placed = placed;
}

static void
add_line(struct pick_order *o, const struct item *it, int64_t qty, int gift)
{
	o->lines =
	    xrealloc(o->lines, (size_t)(o->nlines + 1) * sizeof *o->lines);
	o->lines[o->nlines++] =
	    (struct pick_line){.item = it, .qty = qty, .gift = gift};
}

static void
free_orders(struct pick_order *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		pick_order_free(&v[i]);
		memset(&v[i], 0, sizeof v[i]);
	}
}

/*
 * NULL if o's parts are a packing of its lines into totes of c: every
 * unit in one tote, no tote over its weight or volume, no tote empty,
 * and the order's totals right.  Else what is wrong.
 */
static const char *
check_pack(const struct pick_order *o, const struct carts *c)
{
	int64_t g[64] = {0}, per[64] = {0}, weight = 0;
	double l[64] = {0}, volume = 0;
	unsigned handling = 0;
	int i, t;

	if (o->ntotes < 1 || o->ntotes > c->totes || o->ntotes > 64)
		return "ntotes out of range";
	for (i = 0; i < o->nparts; i++) {
		const struct pick_part *p = &o->parts[i];

		if (p->line < 0 || p->line >= o->nlines || p->tote < 0 ||
		    p->tote >= o->ntotes || p->qty < 1 || p->line >= 64)
			return "a part out of range";
		g[p->tote] += p->qty * o->lines[p->line].item->weight_g;
		l[p->tote] += (double)p->qty * o->lines[p->line].item->volume_l;
		per[p->line] += p->qty;
	}
	for (t = 0; t < o->ntotes; t++) {
		if (g[t] == 0)
			return "an empty tote";
		if (g[t] > c->tote_weight_g)
			return "a tote over its weight";
		if (l[t] > c->tote_volume_l + 1e-9)
			return "a tote over its volume";
	}
	for (i = 0; i < o->nlines; i++) {
		if (per[i] != o->lines[i].qty)
			return "a line's parts do not add up to its qty";
		weight += o->lines[i].qty * o->lines[i].item->weight_g;
		volume += (double)o->lines[i].qty * o->lines[i].item->volume_l;
		handling |= o->lines[i].item->handling;
	}
	if (weight != o->weight_g || fabs(volume - o->volume_l) > 1e-9 ||
	    handling != o->handling)
		return "the order's weight, volume or handling is wrong";
	return NULL;
}

static void
is_packed(const struct pick_order *o, const struct carts *c, const char *name)
{
	const char *why = check_pack(o, c);

	if (!ok(why == NULL, "%s: a packing within the totes", name))
		printf("#   %s\n", why);
}

static void
test_pack(void)
{
	const struct carts c = {4, 10000, 40000, 40, 160};
	const struct carts lowg = {4, 10000, 15000, 40, 160};
	const struct carts lowl = {4, 10000, 40000, 40, 50};
	struct fix f;
	struct item *a, *b, *h, *lt, *v, *t, *whole, *heavy, *big;
	struct pick_order o;
	char why[256];
	int r;

	fix_init(&f);
	a = add_item(&f, 1, 1, 1, 500, 1.0, HANDLE_FRAGILE, 100);
	b = add_item(&f, 1, 2, 1, 1000, 2.0, HANDLE_UPRIGHT, 100);
	h = add_item(&f, 2, 1, 1, 3000, 1.0, 0, 100);
	lt = add_item(&f, 2, 2, 1, 700, 5.0, 0, 100);
	v = add_item(&f, 3, 1, 1, 100, 15.0, 0, 100);
	t = add_item(&f, 3, 2, 1, 2500, 10.0, 0, 100);
	whole = add_item(&f, 3, 3, 1, 10000, 40.0, 0, 100);
	heavy = add_item(&f, 4, 1, 1, 10001, 1.0, 0, 100);
	big = add_item(&f, 4, 2, 1, 100, 40.5, 0, 100);

	/* A small order: one tote. */
	order_init(&o, 0, 0, 0);
	add_line(&o, a, 2, 0);
	add_line(&o, b, 1, 0);
	r = pick_pack(&o, &c, why, sizeof why);
	is_int(r, 0, "small order: packed");
	is_int(o.ntotes, 1, "small order: one tote");
	is_int(o.weight_g, 2000, "small order: 2 x 500 g + 1000 g");
	ok(fabs(o.volume_l - 4.0) < 1e-12, "small order: 4 l");
	is_int(o.handling, HANDLE_FRAGILE | HANDLE_UPRIGHT,
	    "small order: handling of every item");
	is_packed(&o, &c, "small order");
	/* Again: the old parts are dropped, not added to. */
	r = pick_pack(&o, &c, why, sizeof why);
	ok(r == 0 && o.ntotes == 1 && check_pack(&o, &c) == NULL,
	    "packing again gives the same");
	pick_order_free(&o);

	/* 7 x 3 kg and 5 x 700 g: 24.5 kg, three totes of 10 kg. */
	order_init(&o, 0, 0, 0);
	add_line(&o, lt, 5, 0);
	add_line(&o, h, 7, 0);
	r = pick_pack(&o, &c, why, sizeof why);
	is_int(r, 0, "heavy order: packed");
	is_int(o.ntotes, 3, "heavy order: 24.5 kg in three totes of 10 kg");
	is_int(o.weight_g, 24500, "heavy order: weight");
	is_packed(&o, &c, "heavy order");
	pick_order_free(&o);

	/* 5 x 15 l: two to a tote of 40 l. */
	order_init(&o, 0, 0, 0);
	add_line(&o, v, 5, 0);
	r = pick_pack(&o, &c, why, sizeof why);
	ok(r == 0 && o.ntotes == 3, "bulky order: 75 l in three totes");
	is_packed(&o, &c, "bulky order");
	pick_order_free(&o);

	/* 16 x (2.5 kg, 10 l) fill four totes to the gram and the litre. */
	order_init(&o, 0, 0, 0);
	add_line(&o, t, 16, 0);
	r = pick_pack(&o, &c, why, sizeof why);
	ok(r == 0 && o.ntotes == 4, "a full cart, every tote exactly full");
	is_packed(&o, &c, "full cart");
	pick_order_free(&o);

	order_init(&o, 0, 0, 0);
	add_line(&o, whole, 1, 0);
	r = pick_pack(&o, &c, why, sizeof why);
	ok(r == 0 && o.ntotes == 1, "a unit as big as a tote fits");
	pick_order_free(&o);

	/* Units bigger than a tote. */
	order_init(&o, 0, 0, 0);
	add_line(&o, a, 1, 0);
	add_line(&o, heavy, 1, 0);
	why[0] = '\0';
	r = pick_pack(&o, &c, why, sizeof why);
	is_int(r, -1, "a unit heavier than a tote: refused");
	ok(strstr(why, heavy->sku) != NULL && strstr(why, a->sku) == NULL,
	    "why names the heavy SKU (%s)", why);
	pick_order_free(&o);
	order_init(&o, 0, 0, 0);
	add_line(&o, a, 1, 0);
	add_line(&o, big, 1, 0);
	why[0] = '\0';
	r = pick_pack(&o, &c, why, sizeof why);
	is_int(r, -1, "a unit bigger than a tote: refused");
	ok(strstr(why, big->sku) != NULL, "why names the bulky SKU (%s)", why);
	pick_order_free(&o);

	/* More than a cart. */
	order_init(&o, 0, 0, 0);
	add_line(&o, h, 20, 0);
	why[0] = '\0';
	r = pick_pack(&o, &c, why, sizeof why);
	is_int(r, -1, "20 x 3 kg: more totes than a cart has, refused");
	ok(strstr(why, "cart") != NULL, "why says cart (%s)", why);
	pick_order_free(&o);
	order_init(&o, 0, 0, 0);
	add_line(&o, h, 6, 0);
	why[0] = '\0';
	r = pick_pack(&o, &lowg, why, sizeof why);
	is_int(r, -1, "18 kg on a cart for 15 kg: refused");
	ok(strstr(why, "cart") != NULL, "why says cart (%s)", why);
	pick_order_free(&o);
	order_init(&o, 0, 0, 0);
	add_line(&o, h, 5, 0);
	r = pick_pack(&o, &lowg, why, sizeof why);
	ok(r == 0 && o.ntotes == 2, "15 kg on a cart for 15 kg: packed");
	pick_order_free(&o);
	order_init(&o, 0, 0, 0);
	add_line(&o, v, 4, 0);
	r = pick_pack(&o, &lowl, why, sizeof why);
	is_int(r, -1, "60 l on a cart for 50 l: refused");
	pick_order_free(&o);
}

/* Random orders: whatever pick_pack() accepts is a packing. */
static void
test_pack_random(void)
{
	struct fix f;
	struct carts c;
	struct pick_order o;
	char why[256];
	int trial, i, j, r, bad = 0, badwhy = 0, onetote = 0, accepted = 0;
	int64_t g;
	double l;

	for (trial = 0; trial < 1000; trial++) {
		int toobig = 0;

		c.totes = 1 + rand() % 8;
		c.tote_weight_g = 2000 + rand() % 18000;
		c.tote_volume_l = 5 + rand() % 50;
		c.cart_weight_g = c.tote_weight_g * c.totes;
		c.cart_volume_l = c.tote_volume_l * c.totes;
		if (rand() % 3 == 0)
			c.cart_weight_g =
			    c.cart_weight_g * (50 + rand() % 50) / 100;
		if (rand() % 3 == 0)
			c.cart_volume_l *= (50 + rand() % 50) / 100.0;
		fix_init(&f);
		order_init(&o, 0, 0, 0);
		for (i = 1 + rand() % 6; i > 0; i--)
			add_item(&f, 1, 1, 1, 1 + rand() % 3000,
			    (1 + rand() % 200) / 10.0, 1u << (rand() % 4), 0);
		for (i = 1 + rand() % 5, g = 0, l = 0; i > 0; i--) {
			const struct item *it = &f.items[rand() % f.cat.n];

			add_line(&o, it, 1 + rand() % 8, 0);
			toobig |= it->weight_g > c.tote_weight_g ||
				  it->volume_l > c.tote_volume_l;
			g += it->weight_g * o.lines[o.nlines - 1].qty;
			l += it->volume_l * (double)o.lines[o.nlines - 1].qty;
		}
		why[0] = '\0';
		r = pick_pack(&o, &c, why, sizeof why);
		if (r == 0) {
			accepted++;
			if (toobig || check_pack(&o, &c) != NULL ||
			    o.weight_g > c.cart_weight_g ||
			    o.volume_l > c.cart_volume_l + 1e-9) {
				if (bad++ < 5)
					printf("# trial %d: %s\n", trial,
					    check_pack(&o, &c));
			}
		} else {
			int named = 0;

			for (j = 0; j < o.nlines; j++)
				named |=
				    strstr(why, o.lines[j].item->sku) != NULL;
			if (named != toobig ||
			    (!toobig && strstr(why, "cart") == NULL))
				badwhy++;
		}
		/* All of it in one tote's room: next fit takes one tote. */
		if (!toobig && g <= c.tote_weight_g && g <= c.cart_weight_g &&
		    l <= c.tote_volume_l - 1e-6 &&
		    l <= c.cart_volume_l - 1e-6 && (r != 0 || o.ntotes != 1))
			onetote++;
		pick_order_free(&o);
	}
	ok(bad == 0, "1000 random orders: %d accepted, %d of them badly packed",
	    accepted, bad);
	ok(badwhy == 0,
	    "refusals name the SKU exactly when a unit is bigger "
	    "than a tote, else the cart: %d do not",
	    badwhy);
	ok(onetote == 0, "what fits in a tote takes one tote: %d do not",
	    onetote);
}

/* Allocation. */

static void
alloc2(struct fix *f, struct pick_order *v, int64_t *avail)
{
	size_t i;

	for (i = 0; i < f->cat.n; i++)
		avail[i] = f->items[i].stock;
	pick_allocate(v, 2, &f->cat, avail);
}

/* Two orders for 3 of S000 (stock 5): which one gets it. */
static void
race(struct fix *f, int64_t sb0, int ex0, int64_t pl0, int64_t sb1, int ex1,
    int64_t pl1, int winner, const char *name)
{
	struct pick_order v[2];
	int64_t avail[MAXITEMS];
	int loser = !winner;

	order_init(&v[0], sb0, ex0, pl0);
	add_line(&v[0], &f->items[0], 3, 0);
	order_init(&v[1], sb1, ex1, pl1);
	add_line(&v[1], &f->items[0], 3, 0);
	alloc2(f, v, avail);
	if (!ok(v[winner].state == PICK_OK && v[loser].state == PICK_HELD &&
		    v[loser].nshort == 1 &&
		    v[loser].shorts[0].item == &f->items[0] &&
		    v[loser].shorts[0].qty == 1 && avail[0] == 2,
		"%s: order %d gets the stock, the other is held short 1", name,
		winner))
		printf("#   states %d %d, avail %lld\n", v[0].state, v[1].state,
		    (long long)avail[0]);
	free_orders(v, 2);
}

static void
test_allocate(void)
{
	struct fix f;
	struct pick_order v[6];
	int64_t avail[MAXITEMS];
	size_t i;

	fix_init(&f);
	add_item(&f, 1, 1, 1, 100, 1, 0, 5);  /* S000 */
	add_item(&f, 1, 2, 1, 100, 1, 0, 10); /* S001 */
	add_item(&f, 1, 3, 1, 100, 1, 0, 0);  /* S002 */
	add_item(&f, 1, 4, 1, 100, 1, 0, 4);  /* S003 */

	race(&f, 200, 0, 1, 100, 0, 9, 1, "earlier ship_by first");
	race(&f, 100, 1, 9, 200, 0, 1, 0, "earlier ship_by first (express)");
	race(&f, 100, 0, 9, INT64_MAX, 1, 1, 0, "a promise before none");
	race(&f, 100, 0, 1, 100, 1, 9, 1, "same ship_by: express first");
	race(&f, 100, 0, 9, 100, 0, 1, 1, "then earlier placed");
	race(&f, 100, 1, 9, 100, 1, 1, 1, "then earlier placed (express)");
	race(&f, 100, 0, 5, 100, 0, 5, 0, "then input order");
	race(&f, 100, 1, 5, 100, 1, 5, 0, "then input order (express)");

	/*
	 * An order short of one item takes nothing of the others, which a
	 * later order can then have.
	 */
	order_init(&v[0], 1, 0, 1);
	add_line(&v[0], &f.items[0], 2, 0);
	add_line(&v[0], &f.items[1], 20, 0);
	order_init(&v[1], 2, 0, 1);
	add_line(&v[1], &f.items[0], 5, 0);
	alloc2(&f, v, avail);
	is_int(v[0].state, PICK_HELD, "short of S001: held");
	ok(v[0].nshort == 1 && v[0].shorts[0].item == &f.items[1] &&
		v[0].shorts[0].qty == 10,
	    "held: short of S001 by 10, and of nothing else");
	is_int(v[1].state, PICK_OK, "the next order gets all 5 of S000");
	ok(avail[0] == 0 && avail[1] == 10,
	    "a held order consumes nothing (avail %lld, %lld)",
	    (long long)avail[0], (long long)avail[1]);
	free_orders(v, 2);

	/* Short of several items; one with no stock at all. */
	order_init(&v[0], 1, 0, 1);
	add_line(&v[0], &f.items[2], 1, 0);
	add_line(&v[0], &f.items[1], 3, 0);
	add_line(&v[0], &f.items[0], 8, 0);
	order_init(&v[1], 1, 0, 1);
	v[1].state = PICK_SKIP;
	alloc2(&f, v, avail);
	ok(v[0].state == PICK_HELD && v[0].nshort == 2 &&
		v[0].shorts[0].item == &f.items[2] && v[0].shorts[0].qty == 1 &&
		v[0].shorts[1].item == &f.items[0] && v[0].shorts[1].qty == 3,
	    "short of two items: S002 by 1 and S000 by 3, in line order");
	ok(avail[0] == 5 && avail[1] == 10 && avail[2] == 0,
	    "and nothing consumed");
	free_orders(v, 2);

	/* The same SKU on two lines counts together. */
	order_init(&v[0], 1, 0, 1);
	add_line(&v[0], &f.items[0], 3, 0);
	add_line(&v[0], &f.items[1], 1, 0);
	add_line(&v[0], &f.items[0], 3, 1);
	order_init(&v[1], 2, 0, 1);
	add_line(&v[1], &f.items[0], 2, 0);
	add_line(&v[1], &f.items[0], 3, 1);
	alloc2(&f, v, avail);
	ok(v[0].state == PICK_HELD && v[0].nshort == 1 &&
		v[0].shorts[0].item == &f.items[0] && v[0].shorts[0].qty == 1,
	    "3 + 3 of S000 with 5 in stock: held, short 1, listed once");
	ok(v[1].state == PICK_OK && avail[0] == 0 && avail[1] == 10,
	    "2 + 3 of S000 with 5 in stock: filled, all 5 taken");
	free_orders(v, 2);

	/*
	 * Only PICK_NONE orders take part; avail goes down by what the
	 * filled ones take, exactly.
	 */
	for (i = 0; i < 6; i++) {
		order_init(&v[i], 10, 0, (int64_t)i);
		add_line(&v[i], &f.items[3], 1, 0);
		add_line(&v[i], &f.items[1], 2, 0);
	}
	v[0].state = PICK_SKIP;
	v[1].state = PICK_HELD;
	v[2].state = PICK_OK;
	for (i = 0; i < f.cat.n; i++)
		avail[i] = f.items[i].stock;
	pick_allocate(v, 6, &f.cat, avail);
	ok(v[0].state == PICK_SKIP && v[1].state == PICK_HELD &&
		v[2].state == PICK_OK && v[1].nshort == 0,
	    "orders not PICK_NONE are left alone");
	ok(v[3].state == PICK_OK && v[4].state == PICK_OK &&
		v[5].state == PICK_OK,
	    "three orders of 1 + 2 units filled");
	ok(avail[3] == 1 && avail[1] == 4 && avail[0] == 5,
	    "avail down by exactly 3 and 6 (%lld, %lld)", (long long)avail[3],
	    (long long)avail[1]);
	pick_allocate(v, 6, &f.cat, avail);
	ok(avail[3] == 1 && avail[1] == 4,
	    "allocating again takes nothing more");
	free_orders(v, 6);
	pick_allocate(NULL, 0, &f.cat, avail);
	ok(1, "no orders: nothing happens");
}

/*
 * An order short of stock whose policy lets it ship in part (lib/split):
 * what is on the shelf, when enough of its value is, and nothing taken
 * when not.  S000 has 5, S001 10, S002 none.
 */
static void
test_partial(void)
{
	struct fix f;
	struct pick_order v[2];
	int64_t avail[MAXITEMS];

	fix_init(&f);
	add_item(&f, 1, 1, 1, 100, 1, 0, 5);  /* S000 */
	add_item(&f, 1, 2, 1, 100, 1, 0, 10); /* S001 */
	add_item(&f, 1, 3, 1, 100, 1, 0, 0);  /* S002 */
	order_init(&v[0], 1, 0, 1);
	add_line(&v[0], &f.items[0], 3, 0);
	add_line(&v[0], &f.items[2], 2, 0);
	v[0].partial = 1;
	order_init(&v[1], 2, 0, 2);
	add_line(&v[1], &f.items[2], 1, 0);
	add_line(&v[1], &f.items[1], 1, 0);
	alloc2(&f, v, avail);
	ok(v[0].state == PICK_OK && v[0].split && v[0].nlines == 1 &&
		v[0].lines[0].item == &f.items[0] && v[0].lines[0].qty == 3 &&
		v[0].lines[0].src == 0,
	    "allowed: the line on the shelf ships, the empty one is gone");
	ok(v[0].nshort == 1 && v[0].shorts[0].item == &f.items[2] &&
		v[0].shorts[0].qty == 2 && avail[0] == 2,
	    "and its shortage is the backorder's; only what ships taken");
	ok(v[1].state == PICK_HELD && !v[1].split && avail[1] == 10,
	    "no policy (zeroed): held whole, as before");
	free_orders(v, 2);

	/* 6 of 9 by value on the shelf. */
	order_init(&v[0], 1, 0, 1);
	add_line(&v[0], &f.items[0], 8, 0);
	add_line(&v[0], &f.items[1], 1, 0);
	v[0].lines[0].price = v[0].lines[1].price = 100;
	v[0].lines[1].src = 1;
	v[0].partial = 1;
	v[0].min_share = 0.7;
	order_init(&v[1], 9, 0, 9);
	add_line(&v[1], &f.items[1], 1, 0);
	alloc2(&f, v, avail);
	ok(v[0].state == PICK_HELD && !v[0].split && v[0].nlines == 2 &&
		avail[0] == 5 && avail[1] == 9,
	    "above 0.7 with 2/3 on hand: held, its stock left to others");
	free_orders(v, 2);
	order_init(&v[0], 1, 0, 1);
	add_line(&v[0], &f.items[0], 8, 0);
	add_line(&v[0], &f.items[1], 1, 0);
	v[0].lines[0].price = v[0].lines[1].price = 100;
	v[0].lines[1].src = 1;
	v[0].partial = 1;
	v[0].min_share = 0.6;
	order_init(&v[1], 9, 0, 9);
	add_line(&v[1], &f.items[0], 1, 0);
	alloc2(&f, v, avail);
	ok(v[0].state == PICK_OK && v[0].split && v[0].nlines == 2 &&
		v[0].lines[0].qty == 5 && v[0].lines[1].qty == 1 &&
		v[0].lines[1].src == 1 && avail[0] == 0 && avail[1] == 9,
	    "above 0.6: 5 + 1 ship, the shelf is empty");
	ok(v[1].state == PICK_HELD, "and the next order is held");
	free_orders(v, 2);
}

/*
 * Allocation against a simple model on random orders: take orders in
 * priority order, fill each whose needs (per item) are all in stock.
 */
static int
prio_cmp(
    const struct pick_order *p, size_t x, const struct pick_order *q, size_t y)
{
	if (p->ship_by != q->ship_by)
		return p->ship_by < q->ship_by ? -1 : 1;
	if (p->express != q->express)
		return p->express ? -1 : 1;
	if (p->placed != q->placed)
		return p->placed < q->placed ? -1 : 1;
	return (x > y) - (x < y);
}

static void
test_allocate_random(void)
{
	struct fix f;
	struct pick_order v[30];
	int64_t avail[MAXITEMS], model[MAXITEMS], need[MAXITEMS];
	size_t order[30], i, j, k, n;
	int trial, bad = 0, held = 0, filled = 0;

	for (trial = 0; trial < 300; trial++) {
		fix_init(&f);
		for (i = 1 + (size_t)(rand() % 8); i > 0; i--)
			add_item(&f, 1, 1, 1, 100, 1, 0, rand() % 40);
		n = (size_t)(rand() % 30);
		for (i = 0; i < n; i++) {
			order_init(&v[i], rand() % 3, rand() % 2, rand() % 4);
			if (rand() % 6 == 0)
				v[i].state = PICK_SKIP;
			for (j = 1 + (size_t)(rand() % 4); j > 0; j--)
				add_line(&v[i], &f.items[rand() % f.cat.n],
				    1 + rand() % 4, 0);
		}
		for (i = 0; i < f.cat.n; i++)
			avail[i] = model[i] = f.items[i].stock;
		pick_allocate(v, n, &f.cat, avail);
		/* The model: insertion sort by priority, then fill. */
		for (i = 0; i < n; i++) {
			for (j = i;
			     j > 0 && prio_cmp(&v[i], i, &v[order[j - 1]],
					  order[j - 1]) < 0;
			     j--)
				order[j] = order[j - 1];
			order[j] = i;
		}
		for (k = 0; k < n; k++) {
			const struct pick_order *o = &v[order[k]];
			int64_t got;
			int shortof = 0, s;

			if (o->state == PICK_SKIP) {
				bad += o->nshort != 0;
				continue;
			}
			memset(need, 0, sizeof need);
			for (j = 0; j < (size_t)o->nlines; j++)
				need[o->lines[j].item - f.items] +=
				    o->lines[j].qty;
			for (j = 0; j < f.cat.n; j++) {
				if (need[j] <= model[j])
					continue;
				shortof++;
				for (got = -1, s = 0; s < o->nshort; s++)
					if (o->shorts[s].item == &f.items[j])
						got = o->shorts[s].qty;
				bad += got != need[j] - model[j];
			}
			if (shortof != o->nshort ||
			    o->state != (shortof ? PICK_HELD : PICK_OK))
				bad++;
			if (shortof) {
				held++;
				continue;
			}
			filled++;
			for (j = 0; j < f.cat.n; j++)
				model[j] -= need[j];
		}
		for (i = 0; i < f.cat.n; i++)
			bad += avail[i] != model[i];
		free_orders(v, n);
	}
	ok(bad == 0,
	    "300 random allocations as the model says (%d filled, %d held): "
	    "%d differences",
	    filled, held, bad);
}

/* Planning. */

/*
 * The picks of a route problem: each distinct (aisle, bay) once.  It
 * points into itself: do not copy it.
 */
struct geo {
	const struct layout *lay;
	int np[MAXA];
	double ys[MAXA][MAXB];
	const double *yp[MAXA];
	char seen[MAXA][MAXB];
	int left, right; /* aisles with picks, and the depot's */
	double ymax;
	struct route_problem p;
};

static void
geo_init(struct geo *g, const struct layout *lay)
{
	int a;

	memset(g, 0, sizeof *g);
	g->lay = lay;
	for (a = 0; a < MAXA; a++)
		g->yp[a] = g->ys[a];
	g->left = g->right = lay->depot - 1;
	g->p = (struct route_problem){lay->aisles, lay->aisle_pitch,
	    lay->bays * lay->bay_pitch, lay->depot - 1, g->np, g->yp};
}

static void
geo_add(struct geo *g, const struct item *it)
{
	int a = it->aisle - 1, b = it->bay - 1;

	if (g->seen[a][b]++)
		return;
	g->ys[a][g->np[a]++] = pick_bay_y(g->lay, it->bay);
	if (a < g->left)
		g->left = a;
	if (a > g->right)
		g->right = a;
	if (pick_bay_y(g->lay, it->bay) > g->ymax)
		g->ymax = pick_bay_y(g->lay, it->bay);
}

static void
geo_order(struct geo *g, const struct pick_order *o)
{
	int j;

	for (j = 0; j < o->nlines; j++)
		geo_add(g, o->lines[j].item);
}

/*
 * No tour is shorter: it goes from the leftmost to the rightmost aisle
 * and back along cross aisles, and up to the farthest pick and back
 * down along aisles.
 */
static double
geo_bound(const struct geo *g)
{
	return 2 * g->lay->aisle_pitch * (g->right - g->left) + 2 * g->ymax;
}

/* Walking distance between two places, y = 0 being the front. */
static double
walk(const struct layout *lay, int a1, double y1, int a2, double y2)
{
	double len = lay->bays * lay->bay_pitch;

	if (a1 == a2)
		return fabs(y1 - y2);
	return abs(a1 - a2) * lay->aisle_pitch +
	       fmin(y1 + y2, 2 * len - y1 - y2);
}

/* The load of a cart being filled, for the first-come model. */
struct load {
	int totes;
	int64_t g;
	double l;
};

static int
room(const struct carts *c, const struct load *ld, const struct pick_order *o)
{
	return ld->totes + o->ntotes <= c->totes &&
	       ld->g + o->weight_g <= c->cart_weight_g &&
	       ld->l + o->volume_l <= c->cart_volume_l + 1e-9;
}

/* What --stats compares with: one_by_one_m and first_come_m, modelled. */
static void
compare_model(const struct pick_order *v, size_t n, const struct layout *lay,
    const struct carts *c, double *one, double *first)
{
	static struct geo g;
	struct load ld = {0, 0, 0};
	int64_t sb = 0;
	size_t i, k, w, nw = 0;
	int64_t waves[3];
	int open = 0;

	*one = *first = 0;
	for (i = 0; i < n; i++)
		if (v[i].state == PICK_OK) {
			geo_init(&g, lay);
			geo_order(&g, &v[i]);
			*one += route_optimal(&g.p, NULL);
		}
	/* Wave by wave in ship_by order, carts filled in input order. */
	for (i = 0; i < n; i++) {
		if (v[i].state != PICK_OK)
			continue;
		for (k = 0; k < nw && waves[k] != v[i].ship_by; k++)
			;
		if (k == nw && nw < 3)
			waves[nw++] = v[i].ship_by;
	}
	for (i = 1; i < nw; i++)
		for (k = i; k > 0 && waves[k - 1] > waves[k]; k--) {
			sb = waves[k];
			waves[k] = waves[k - 1];
			waves[k - 1] = sb;
		}
	for (w = 0; w < nw; w++) {
		for (i = 0; i < n; i++) {
			if (v[i].state != PICK_OK || v[i].ship_by != waves[w])
				continue;
			if (open && room(c, &ld, &v[i])) {
				ld.totes += v[i].ntotes;
				ld.g += v[i].weight_g;
				ld.l += v[i].volume_l;
				geo_order(&g, &v[i]);
				continue;
			}
			if (open)
				*first += route_sshape(&g.p);
			geo_init(&g, lay);
			geo_order(&g, &v[i]);
			ld = (struct load){
			    v[i].ntotes, v[i].weight_g, v[i].volume_l};
			open = 1;
		}
		if (open)
			*first += route_sshape(&g.p);
		open = 0;
	}
}

/* What can be wrong with a plan: one counter each. */
enum {
	P_BATCHED, /* each filled order on one batch, no other */
	P_LOAD,    /* a batch within the cart, its totals right */
	P_WAVE,    /* waves by ship_by, batches by wave */
	P_OPT,     /* route_m is the optimal tour of the batch's places */
	P_BOUND,   /* ... at least the lower bound */
	P_SSHAPE,  /* ... at most the S-shape */
	P_SUM,     /* the plan's route_m */
	P_UNITS,   /* puts cover every unit of every order */
	P_PARTS,   /* puts are the orders' parts, in their totes */
	P_WALK,    /* stops in walking order, one per item */
	P_PUTS,    /* puts at a stop in tote order */
	P_TOTES,   /* totes: contiguous, in the cart, not shared */
	P_SEQ,     /* seq: first stop with a put for the order */
	P_CMP,     /* comparisons: finite, positive */
	P_ONE,     /* one_by_one_m as modelled */
	P_FIRST,   /* first_come_m as modelled */
	P_SAME,    /* the same orders, the same plan */
	P_NOSTOPS, /* PICK_NO_STOPS: the same plan, no stops kept */
	P_N
};

static int fails[P_N];
static int shown;

static void fail(int what, int trial, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
fail(int what, int trial, const char *fmt, ...)
{
	va_list ap;

	fails[what]++;
	if (shown++ >= 12)
		return;
	printf("# trial %d: ", trial);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* Units put for order o of item it in tote t (0: any), at any stop. */
static int64_t
put_units(
    const struct pick_batch *b, int o, const struct item *it, int t, int gift)
{
	int64_t n = 0;
	int s, k;

	for (s = 0; s < b->nstops; s++) {
		if (b->stops[s].item != it)
			continue;
		for (k = 0; k < b->stops[s].nputs; k++) {
			const struct pick_put *p = &b->stops[s].puts[k];

			if (p->order == o && (t == 0 || p->tote == t) &&
			    (gift < 0 || p->gift == gift))
				n += p->qty;
		}
	}
	return n;
}

/* Stops and puts of batch bi. */
static void
check_stops(int trial, const struct pick_plan *pl, int bi,
    const struct pick_order *v, size_t n, const struct layout *lay,
    const struct carts *c)
{
	const struct pick_batch *b = &pl->batches[bi];
	int owner[64];
	double dist = 0, py = 0;
	int64_t want, got;
	int i, j, k, s, t, pa = lay->depot - 1, first;

	for (t = 0; t < 64; t++)
		owner[t] = -1;
	for (i = 0; i < b->norders; i++) {
		const struct pick_order *o = &v[b->orders[i]];

		if (i > 0 && v[b->orders[i - 1]].tote >= o->tote)
			fail(
			    P_TOTES, trial, "batch %d: orders not by tote", bi);
		if (o->tote < 1 || o->tote + o->ntotes - 1 > c->totes) {
			fail(P_TOTES, trial, "order %d: totes %d-%d of %d",
			    b->orders[i], o->tote, o->tote + o->ntotes - 1,
			    c->totes);
			continue;
		}
		for (t = o->tote; t < o->tote + o->ntotes; t++) {
			if (owner[t] != -1)
				fail(P_TOTES, trial, "tote %d shared", t);
			owner[t] = i;
		}
	}
	for (s = 0; s < b->nstops; s++) {
		const struct pick_stop *st = &b->stops[s];

		got = 0;
		for (k = 0; k < st->nputs; k++) {
			const struct pick_put *p = &st->puts[k];

			got += p->qty;
			if (p->order < 0 || (size_t)p->order >= n ||
			    v[p->order].batch != bi ||
			    v[p->order].state != PICK_OK || p->qty < 1 ||
			    p->tote < 1 || p->tote > c->totes ||
			    owner[p->tote] == -1 ||
			    b->orders[owner[p->tote]] != p->order)
				fail(P_PARTS, trial,
				    "batch %d stop %d: a put to order %d tote "
				    "%d",
				    bi, s + 1, p->order, p->tote);
		}
		for (k = 1; k < st->nputs; k++)
			if (st->puts[k - 1].tote > st->puts[k].tote)
				fail(P_PUTS, trial,
				    "batch %d stop %d: puts not by tote", bi,
				    s + 1);
		if (st->nputs < 1 || got != st->qty)
			fail(P_UNITS, trial,
			    "batch %d stop %d: qty %lld, puts %lld", bi, s + 1,
			    (long long)st->qty, (long long)got);
		for (k = 0; k < s; k++)
			if (b->stops[k].item == st->item)
				fail(P_WALK, trial,
				    "batch %d: two stops for %s", bi,
				    st->item->sku);
		dist += walk(lay, pa, py, st->item->aisle - 1,
		    pick_bay_y(lay, st->item->bay));
		pa = st->item->aisle - 1;
		py = pick_bay_y(lay, st->item->bay);
	}
	dist += walk(lay, pa, py, lay->depot - 1, 0);
	if (dist > b->route_m + EPS)
		fail(P_WALK, trial,
		    "batch %d: %.3f m through the stops in order, route %.3f",
		    bi, dist, b->route_m);
	for (i = 0; i < b->norders; i++) {
		int oi = b->orders[i];
		const struct pick_order *o = &v[oi];

		/* Every unit of every item of the order. */
		for (j = 0; j < o->nlines; j++) {
			const struct item *it = o->lines[j].item;

			for (want = 0, k = 0; k < o->nlines; k++)
				if (o->lines[k].item == it)
					want += o->lines[k].qty;
			if ((got = put_units(b, oi, it, 0, -1)) != want)
				fail(P_UNITS, trial,
				    "order %d: %lld of %s put, %lld ordered",
				    oi, (long long)got, it->sku,
				    (long long)want);
		}
		/* As its parts say, tote by tote, gift or not. */
		for (j = 0; j < o->nparts; j++) {
			const struct pick_part *p = &o->parts[j];
			const struct pick_line *l = &o->lines[p->line];

			for (want = 0, k = 0; k < o->nparts; k++)
				if (o->lines[o->parts[k].line].item ==
					l->item &&
				    o->parts[k].tote == p->tote &&
				    o->lines[o->parts[k].line].gift == l->gift)
					want += o->parts[k].qty;
			got = put_units(
			    b, oi, l->item, o->tote + p->tote, l->gift);
			if (got != want)
				fail(P_PARTS, trial,
				    "order %d: %lld of %s in tote %d, parts "
				    "say %lld",
				    oi, (long long)got, l->item->sku,
				    o->tote + p->tote, (long long)want);
		}
		/* Every tote of the order used. */
		for (t = 0; t < o->ntotes; t++) {
			for (s = 0, got = 0; s < b->nstops; s++)
				for (k = 0; k < b->stops[s].nputs; k++)
					got +=
					    b->stops[s].puts[k].order == oi &&
					    b->stops[s].puts[k].tote ==
						o->tote + t;
			if (got == 0)
				fail(P_TOTES, trial, "order %d: tote %d unused",
				    oi, o->tote + t);
		}
		/* seq: the first stop with a put for it. */
		for (first = 0, s = 0; s < b->nstops && first == 0; s++)
			for (k = 0; k < b->stops[s].nputs; k++)
				if (b->stops[s].puts[k].order == oi)
					first = s + 1;
		if (o->seq != first)
			fail(P_SEQ, trial, "order %d: seq %d, first stop %d",
			    oi, o->seq, first);
	}
}

static void
check_plan(int trial, const struct pick_plan *pl, const struct pick_order *v,
    size_t n, const struct layout *lay, const struct carts *c)
{
	static struct geo g;
	double sum = 0, opt, one, first;
	int64_t g_;
	double l_;
	int *seen = xcalloc(n + 1, sizeof *seen), b, i, w, totes, nok = 0;
	int nwaves = 0, norders;
	size_t k;

	for (b = 0; b < pl->nbatches; b++)
		for (i = 0; i < pl->batches[b].norders; i++) {
			int o = pl->batches[b].orders[i];

			if (o < 0 || (size_t)o >= n) {
				fail(P_BATCHED, trial, "batch %d: order %d", b,
				    o);
				continue;
			}
			seen[o]++;
			if (v[o].batch != b || v[o].wave != pl->batches[b].wave)
				fail(P_BATCHED, trial,
				    "order %d: batch %d wave %d, in batch %d "
				    "wave %d",
				    o, v[o].batch, v[o].wave, b,
				    pl->batches[b].wave);
		}
	for (k = 0; k < n; k++) {
		nok += v[k].state == PICK_OK;
		if (seen[k] != (v[k].state == PICK_OK))
			fail(P_BATCHED, trial,
			    "order %zu (state %d) in %d batches", k, v[k].state,
			    seen[k]);
	}
	free(seen);

	/* Waves: by ship_by, each a run of batches. */
	for (w = 0, b = 0; w < pl->nwaves; w++) {
		const struct pick_wave *wv = &pl->waves[w];

		if (w > 0 && pl->waves[w - 1].ship_by >= wv->ship_by)
			fail(P_WAVE, trial, "waves not by ship_by");
		if (wv->first != b || wv->nbatches < 1)
			fail(P_WAVE, trial, "wave %d: batches from %d", w,
			    wv->first);
		for (norders = 0;
		     b < wv->first + wv->nbatches && b < pl->nbatches; b++) {
			norders += pl->batches[b].norders;
			if (pl->batches[b].wave != w)
				fail(P_WAVE, trial, "batch %d: wave %d, not %d",
				    b, pl->batches[b].wave, w);
			for (i = 0; i < pl->batches[b].norders; i++)
				if (v[pl->batches[b].orders[i]].ship_by !=
				    wv->ship_by)
					fail(P_WAVE, trial,
					    "batch %d: ship_by %lld in wave "
					    "%lld",
					    b,
					    (long long)
						v[pl->batches[b].orders[i]]
						    .ship_by,
					    (long long)wv->ship_by);
		}
		if (norders != wv->norders)
			fail(P_WAVE, trial, "wave %d: %d orders, says %d", w,
			    norders, wv->norders);
		nwaves++;
	}
	if (b != pl->nbatches)
		fail(P_WAVE, trial, "%d batches, waves cover %d", pl->nbatches,
		    b);
	for (k = 0; k < n; k++)
		if (v[k].state == PICK_OK) {
			for (w = 0; w < pl->nwaves; w++)
				if (pl->waves[w].ship_by == v[k].ship_by)
					break;
			if (w == pl->nwaves)
				fail(P_WAVE, trial, "no wave for order %zu", k);
		}

	for (b = 0; b < pl->nbatches; b++) {
		const struct pick_batch *bt = &pl->batches[b];

		totes = 0;
		g_ = 0;
		l_ = 0;
		geo_init(&g, lay);
		for (i = 0; i < bt->norders; i++) {
			const struct pick_order *o = &v[bt->orders[i]];

			totes += o->ntotes;
			g_ += o->weight_g;
			l_ += o->volume_l;
			geo_order(&g, o);
		}
		if (bt->norders < 1 || totes != bt->ntotes ||
		    g_ != bt->weight_g || fabs(l_ - bt->volume_l) > EPS ||
		    totes > c->totes || g_ > c->cart_weight_g ||
		    l_ > c->cart_volume_l + EPS)
			fail(P_LOAD, trial,
			    "batch %d: %d orders, %d totes (says %d) of %d, "
			    "%lld g (says %lld) of %lld, %.3f l (says %.3f) "
			    "of %.3f",
			    b, bt->norders, totes, bt->ntotes, c->totes,
			    (long long)g_, (long long)bt->weight_g,
			    (long long)c->cart_weight_g, l_, bt->volume_l,
			    c->cart_volume_l);
		opt = route_optimal(&g.p, NULL);
		if (fabs(opt - bt->route_m) > EPS)
			fail(P_OPT, trial, "batch %d: route %.6f, optimal %.6f",
			    b, bt->route_m, opt);
		if (bt->route_m < geo_bound(&g) - EPS)
			fail(P_BOUND, trial, "batch %d: route %.6f, bound %.6f",
			    b, bt->route_m, geo_bound(&g));
		if (bt->route_m > route_sshape(&g.p) + EPS)
			fail(P_SSHAPE, trial,
			    "batch %d: route %.6f, S-shape %.6f", b,
			    bt->route_m, route_sshape(&g.p));
		sum += bt->route_m;
		check_stops(trial, pl, b, v, n, lay, c);
	}
	if (fabs(sum - pl->route_m) > EPS)
		fail(P_SUM, trial, "route_m %.6f, batches %.6f", pl->route_m,
		    sum);
	if (nok > 0
		? !(isfinite(pl->first_come_m) && pl->first_come_m > 0 &&
		      isfinite(pl->one_by_one_m) && pl->one_by_one_m > 0)
		: pl->first_come_m != 0 || pl->one_by_one_m != 0 ||
		      pl->nbatches != 0 || pl->nwaves != 0 || pl->route_m != 0)
		fail(P_CMP, trial, "first come %g, one by one %g, %d orders",
		    pl->first_come_m, pl->one_by_one_m, nok);
	compare_model(v, n, lay, c, &one, &first);
	if (fabs(one - pl->one_by_one_m) > EPS)
		fail(P_ONE, trial, "one by one %.6f, model %.6f",
		    pl->one_by_one_m, one);
	if (fabs(first - pl->first_come_m) > EPS)
		fail(P_FIRST, trial, "first come %.6f, model %.6f",
		    pl->first_come_m, first);
}

/* 1 if two plans are the same, batch by batch and stop by stop. */
static int
same_plan(const struct pick_plan *p, const struct pick_plan *q)
{
	const struct pick_batch *a, *b;
	const struct pick_put *x, *y;
	int i, s, k;

	if (p->nwaves != q->nwaves || p->nbatches != q->nbatches ||
	    p->route_m != q->route_m || p->first_come_m != q->first_come_m ||
	    p->one_by_one_m != q->one_by_one_m)
		return 0;
	for (i = 0; i < p->nbatches; i++) {
		a = &p->batches[i];
		b = &q->batches[i];
		if (a->norders != b->norders || a->nstops != b->nstops ||
		    a->route_m != b->route_m ||
		    memcmp(a->orders, b->orders,
			(size_t)a->norders * sizeof *a->orders) != 0)
			return 0;
		for (s = 0; s < a->nstops; s++) {
			if (a->stops[s].item != b->stops[s].item ||
			    a->stops[s].nputs != b->stops[s].nputs)
				return 0;
			/* Field by field: a put has padding. */
			for (k = 0; k < a->stops[s].nputs; k++) {
				x = &a->stops[s].puts[k];
				y = &b->stops[s].puts[k];
				if (x->order != y->order ||
				    x->tote != y->tote || x->qty != y->qty ||
				    x->gift != y->gift)
					return 0;
			}
		}
	}
	return 1;
}

/*
 * pick_plan_for() with PICK_NO_STOPS against the plan pl (just made of
 * v, with stops): the same batches, walks and comparisons, each order's
 * batch, tote and seq the same, and no batch with a stop.
 */
static void
no_stops_same(int trial, const struct pick_plan *pl, struct pick_order *v,
    size_t n, const struct layout *lay, const struct carts *c)
{
	struct pick_plan q;
	int *was = xcalloc(3 * n + 1, sizeof *was), b, bad = 0;
	size_t k;

	for (k = 0; k < n; k++) {
		was[3 * k] = v[k].batch;
		was[3 * k + 1] = v[k].tote;
		was[3 * k + 2] = v[k].seq;
	}
	pick_plan_for(&q, v, n, lay, c, PICK_COMPARE | PICK_NO_STOPS);
	if (q.nwaves != pl->nwaves || q.nbatches != pl->nbatches ||
	    q.route_m != pl->route_m || q.first_come_m != pl->first_come_m ||
	    q.one_by_one_m != pl->one_by_one_m)
		bad = 1;
	for (b = 0; !bad && b < q.nbatches; b++)
		bad = q.batches[b].nstops != 0 || q.batches[b].stops != NULL ||
		      q.batches[b].norders != pl->batches[b].norders ||
		      q.batches[b].route_m != pl->batches[b].route_m ||
		      memcmp(q.batches[b].orders, pl->batches[b].orders,
			  (size_t)q.batches[b].norders *
			      sizeof *q.batches[b].orders) != 0;
	for (k = 0; !bad && k < n; k++)
		bad = v[k].state == PICK_OK &&
		      (v[k].batch != was[3 * k] || v[k].tote != was[3 * k + 1] ||
			  v[k].seq != was[3 * k + 2]);
	if (bad)
		fail(P_NOSTOPS, trial, "without stops: another plan");
	pick_plan_free(&q);
	free(was);
}

/* Small plans worked out by hand. */
static void
test_plan(void)
{
	const struct layout one = {.aisles = 1,
	    .bays = 10,
	    .aisle_pitch = 3.0,
	    .bay_pitch = 1.0,
	    .depot = 1};
	const struct layout four = {.aisles = 4,
	    .bays = 10,
	    .aisle_pitch = 3.0,
	    .bay_pitch = 1.0,
	    .depot = 2};
	const struct carts c = {4, 10000, 40000, 40, 160};
	const struct carts c1 = {1, 10000, 10000, 40, 40};
	struct fix f;
	struct pick_order v[4];
	struct pick_plan pl;
	char why[256];
	int i;

	fix_init(&f);
	add_item(&f, 1, 5, 1, 100, 1, 0, 100); /* S000: y 4.5 */
	add_item(&f, 1, 8, 2, 100, 1, 0, 100); /* S001: y 7.5 */
	add_item(&f, 1, 5, 3, 100, 1, 0, 100); /* S002: y 4.5, level 3 */
	add_item(&f, 4, 2, 1, 100, 1, 0, 100); /* S003: aisle 4, y 1.5 */

	/* One aisle, one order: up to the pick and back. */
	order_init(&v[0], 1, 0, 1);
	add_line(&v[0], &f.items[0], 2, 0);
	pick_pack(&v[0], &c, why, sizeof why);
	pick_allocate(v, 1, &f.cat, (int64_t[MAXITEMS]){100});
	pick_plan(&pl, v, 1, &one, &c);
	ok(pl.nwaves == 1 && pl.nbatches == 1 && pl.batches[0].norders == 1 &&
		fabs(pl.route_m - 9.0) < EPS,
	    "one order 4.5 m up the depot's aisle: one batch, 9 m");
	ok(pl.batches[0].nstops == 1 && pl.batches[0].stops[0].qty == 2 &&
		pl.batches[0].stops[0].nputs == 1 &&
		pl.batches[0].stops[0].puts[0].tote == 1 && v[0].tote == 1 &&
		v[0].seq == 1 && v[0].batch == 0 && v[0].wave == 0,
	    "one stop, 2 units into tote 1, seq 1");
	ok(fabs(pl.one_by_one_m - 9.0) < EPS &&
		fabs(pl.first_come_m - 9.0) < EPS,
	    "one order: each comparison walks 9 m too");
	pick_plan_free(&pl);
	free_orders(v, 1);

	/*
	 * Two orders in one aisle, same wave, room on the cart: one batch,
	 * 15 m to the farther pick and back; the stops go up the aisle, by
	 * level at a place.
	 */
	order_init(&v[0], 1, 0, 1);
	add_line(&v[0], &f.items[1], 1, 0);
	order_init(&v[1], 1, 0, 2);
	add_line(&v[1], &f.items[2], 1, 1);
	add_line(&v[1], &f.items[0], 1, 0);
	for (i = 0; i < 2; i++) {
		pick_pack(&v[i], &c, why, sizeof why);
		v[i].state = PICK_OK;
	}
	pick_plan(&pl, v, 2, &one, &c);
	ok(pl.nbatches == 1 && pl.batches[0].norders == 2 &&
		fabs(pl.route_m - 15.0) < EPS,
	    "two orders, one aisle, one cart: 15 m");
	ok(pl.batches[0].nstops == 3 &&
		pl.batches[0].stops[0].item == &f.items[0] &&
		pl.batches[0].stops[1].item == &f.items[2] &&
		pl.batches[0].stops[2].item == &f.items[1],
	    "stops: S000 and S002 (levels 1, 3) at 4.5 m, then S001");
	ok(v[1].tote == 1 && v[0].tote == 2 && v[1].seq == 1 && v[0].seq == 3 &&
		pl.batches[0].orders[0] == 1,
	    "the order reached first takes tote 1");
	ok(pl.batches[0].stops[1].puts[0].gift == 1 &&
		pl.batches[0].stops[0].puts[0].gift == 0,
	    "a gift line's put is marked gift");
	pick_plan_free(&pl);

	/* The same on carts of one tote: two batches. */
	for (i = 0; i < 2; i++)
		pick_pack(&v[i], &c1, why, sizeof why);
	pick_plan(&pl, v, 2, &one, &c1);
	ok(pl.nwaves == 1 && pl.nbatches == 2 &&
		fabs(pl.route_m - 24.0) < EPS && v[0].tote == 1 &&
		v[1].tote == 1 && v[0].batch != v[1].batch,
	    "carts of one tote: two batches, 15 + 9 m");
	pick_plan_free(&pl);

	/* Different ship_by: two waves, earlier first, although they fit. */
	v[0].ship_by = 5;
	v[1].ship_by = 3;
	for (i = 0; i < 2; i++)
		pick_pack(&v[i], &c, why, sizeof why);
	pick_plan(&pl, v, 2, &one, &c);
	ok(pl.nwaves == 2 && pl.nbatches == 2 && pl.waves[0].ship_by == 3 &&
		pl.waves[1].ship_by == 5 && v[1].wave == 0 && v[0].wave == 1 &&
		v[1].batch == 0 && v[0].batch == 1,
	    "two ship_by: two waves, the earlier first");
	pick_plan_free(&pl);
	free_orders(v, 2);

	/*
	 * Four aisles, depot at aisle 2: picks in aisles 1 and 4 near the
	 * front.  Optimal: 2 x 9 m across the front plus 2 x 4.5 m and
	 * 2 x 1.5 m up and back.
	 */
	order_init(&v[0], 1, 0, 1);
	add_line(&v[0], &f.items[0], 1, 0);
	order_init(&v[1], 1, 0, 1);
	add_line(&v[1], &f.items[3], 1, 0);
	order_init(&v[2], 1, 0, 1);
	add_line(&v[2], &f.items[3], 1000, 0);
	order_init(&v[3], 1, 0, 1);
	add_line(&v[3], &f.items[3], 1, 0);
	for (i = 0; i < 4; i++)
		pick_pack(&v[i], &c, why, sizeof why);
	v[2].state = PICK_HELD;
	v[3].state = PICK_SKIP;
	v[0].state = v[1].state = PICK_OK;
	pick_plan(&pl, v, 4, &four, &c);
	ok(pl.nbatches == 1 && pl.batches[0].norders == 2 &&
		fabs(pl.route_m - 30.0) < EPS,
	    "aisles 1 and 4 from aisle 2: 18 + 9 + 3 = 30 m");
	ok(fabs(pl.one_by_one_m - (15.0 + 15.0)) < EPS,
	    "one by one: 6 + 9 m and 12 + 3 m");
	pick_plan_free(&pl);
	free_orders(v, 4);

	/* Nothing to plan. */
	pick_plan(&pl, NULL, 0, &four, &c);
	ok(pl.nwaves == 0 && pl.nbatches == 0 && pl.route_m == 0 &&
		pl.first_come_m == 0 && pl.one_by_one_m == 0,
	    "no orders: an empty plan");
	pick_plan_free(&pl);
}

static void
test_plan_random(void)
{
	static const char *const what[P_N] = {
	    [P_BATCHED] = "every filled order in exactly one batch",
	    [P_LOAD] = "batches within the cart's totes, weight, volume",
	    [P_WAVE] = "one ship_by per wave, waves in ship_by order",
	    [P_OPT] = "route_m is route_optimal() of the batch's places",
	    [P_BOUND] = "route_m is at least the lower bound",
	    [P_SSHAPE] = "route_m is at most the S-shape",
	    [P_SUM] = "the plan's route_m is the sum of its batches'",
	    [P_UNITS] = "stops put every unit of every order, once",
	    [P_PARTS] = "puts follow the orders' parts, tote by tote",
	    [P_WALK] = "stops in walking order, one per item",
	    [P_PUTS] = "puts at each stop in tote order",
	    [P_TOTES] = "orders' totes contiguous, in the cart, not shared",
	    [P_SEQ] = "seq is the first stop with a put for the order",
	    [P_CMP] = "comparisons finite and positive",
	    [P_ONE] = "one_by_one_m: each order's optimal tour, summed",
	    [P_FIRST] = "first_come_m: carts in input order, S-shape",
	    [P_SAME] = "planning again gives the same plan",
	    [P_NOSTOPS] = "PICK_NO_STOPS: the same plan and totes, no stops"};
	struct fix f;
	struct layout lay = {0};
	struct carts c;
	struct pick_order v[150];
	struct pick_plan pl, again;
	int64_t avail[MAXITEMS], sb[3];
	char why[256];
	int trial, i, j, nsb, trials = 320, planned = 0, batches = 0;
	int shorter = 0;
	size_t n, k;

	for (trial = 0; trial < trials; trial++) {
		lay.aisles = 1 + rand() % MAXA;
		lay.bays = 1 + rand() % MAXB;
		lay.aisle_pitch = 1 + rand() % 5 + (rand() % 2) * 0.5;
		lay.bay_pitch = 0.5 + (rand() % 4) * 0.5;
		lay.depot = 1 + rand() % lay.aisles;
		c.totes = 1 + rand() % 8;
		c.tote_weight_g = 4000 + rand() % 16000;
		c.tote_volume_l = 10 + rand() % 50;
		c.cart_weight_g = c.tote_weight_g * c.totes;
		c.cart_volume_l = c.tote_volume_l * c.totes;
		if (rand() % 3 == 0)
			c.cart_weight_g =
			    c.cart_weight_g * (40 + rand() % 60) / 100;
		if (rand() % 3 == 0)
			c.cart_volume_l *= (40 + rand() % 60) / 100.0;
		fix_init(&f);
		for (j = 1 + rand() % 40; j > 0; j--)
			add_item(&f, 1 + rand() % lay.aisles,
			    1 + rand() % lay.bays, rand() % 5,
			    rand() % 4 ? 50 + rand() % 3000
				       : 1000 + rand() % 8000,
			    (1 + rand() % 100) / 10.0, (unsigned)rand() % 16,
			    rand() % 4 ? 1000 : rand() % 10);
		nsb = 1 + rand() % 3;
		for (j = 0; j < nsb; j++)
			sb[j] = rand() % 2 ? 1000 + rand() % 3 * 100
					   : INT64_MAX - j;
		/* The last few are larger than a window of candidates. */
		n = trial < 300 ? 1 + (size_t)(rand() % 40)
				: 100 + (size_t)(rand() % 51);
		for (k = 0; k < n; k++) {
			order_init(
			    &v[k], sb[rand() % nsb], rand() % 2, rand() % 5);
			for (j = 1 + rand() % 5; j > 0; j--)
				add_line(&v[k], &f.items[rand() % f.cat.n],
				    rand() % 4 ? 1 + rand() % 3
					       : 1 + rand() % 12,
				    rand() % 5 == 0);
			if (pick_pack(&v[k], &c, why, sizeof why) == -1)
				v[k].state = PICK_SKIP;
		}
		for (k = 0; k < f.cat.n; k++)
			avail[k] = f.items[k].stock;
		pick_allocate(v, n, &f.cat, avail);
		pick_plan(&pl, v, n, &lay, &c);
		check_plan(trial, &pl, v, n, &lay, &c);
		if (trial % 10 == 0) {
			pick_plan(&again, v, n, &lay, &c);
			if (!same_plan(&pl, &again))
				fail(P_SAME, trial, "planned again: differs");
			pick_plan_free(&again);
			no_stops_same(trial, &pl, v, n, &lay, &c);
		}
		for (k = 0; k < n; k++)
			planned += v[k].state == PICK_OK;
		batches += pl.nbatches;
		shorter += pl.nbatches > 0 && pl.first_come_m < pl.route_m;
		pick_plan_free(&pl);
		free_orders(v, n);
	}
	printf("# %d trials (the last 20 of 100-150 orders): %d orders planned "
	       "in %d batches; first come "
	       "shorter than the plan in %d\n",
	    trials, planned, batches, shorter);
	for (i = 0; i < P_N; i++)
		ok(fails[i] == 0, "random plans: %s: %d failures", what[i],
		    fails[i]);
}

int
main(void)
{
	err_init("test-pick");
	srand(20261124);
	test_pack();
	test_pack_random();
	test_allocate();
	test_partial();
	test_allocate_random();
	test_plan();
	test_plan_random();
	return done_testing();
}
