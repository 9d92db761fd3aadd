/*
 * zones: a zone's geometry with middle cross aisles, the one route
 * function (route_optimal's length for a zone of one block), and
 * zones_plan() splitting orders by zone: every line in exactly one pick,
 * each pick in a batch of its zone, the orders' fields their first
 * zone's pick's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pick.h"
#include "route.h"
#include "tap.h"
#include "zones.h"

static struct layout
zone(char letter, int aisles, int bays, int ncross)
{
	struct layout l = {.aisles = aisles,
	    .bays = bays,
	    .aisle_pitch = 3,
	    .bay_pitch = 1,
	    .depot = 1,
	    .ncross = ncross,
	    .cross = {10, 20},
	    .cross_width = 2,
	    .zone = letter};

	return l;
}

int
main(void)
{
	struct layout zs[2] = {zone('A', 4, 10, 0), zone('B', 3, 30, 2)};
	struct layout lay = zs[0], one = zone(0, 6, 10, 0);
	struct carts carts = {8, 15000, 120000, 40, 320};
	struct item items[6];
	char locs[6][16];
	struct pick_line lines[4][3];
	struct pick_order o[4];
	struct pick_plan pl;
	struct zones *zr;
	const struct pick_order *s;
	double y[6] = {2.5, 7.5}, ys[2][4] = {{4.5}, {16.5}};
	const double *yp[3] = {y, NULL, NULL}, *yb[3] = {ys[0], NULL, ys[1]};
	int np[6] = {2, 0, 0, 0, 0, 0}, npb[3] = {1, 0, 1}, i, k, n, bad;
	struct route_problem q = {6, 3, 10, 0, np, yp};
	const char *const at[6] = {"A01-03-1", "A04-07-1", "B01-05-1",
	    "B03-15-2", "b02-25-1", "A02-02-1"};

	lay.zone = 0;
	lay.zones = zs;
	lay.nzones = 2;
	is_int(zones_index(&lay, 'B'), 1, "zone B's index");
	is_int(zones_index(&lay, 'b'), 1, "a letter in either case");
	ok(zones_of(&lay, 'C') == NULL, "an undescribed zone: none");
	ok(zones_of(&one, 'Q') == &one,
	    "no zones: the layout for every letter");
	ok(zones_bay_y(&zs[1], 10) == 9.5, "bay 10: before the cross aisle");
	ok(zones_bay_y(&zs[1], 11) == 12.5, "bay 11: behind it, by its width");
	ok(zones_bay_y(&zs[1], 21) == 24.5, "bay 21: behind two");
	ok(zones_length(&zs[1]) == 34, "length: bays and cross aisles");
	ok(zones_bay_y(&one, 3) == pick_bay_y(&one, 3),
	    "no cross aisles: pick_bay_y as before");
	ok(zones_route(&one, np, yp, NULL) == route_optimal(&q, NULL),
	    "one block: route_optimal's length");
	/* Zone B: up aisle 1 to the first cross aisle (11 m), across (6 m),
	 * up to 16.5 and back (11 m), and home the same way. */
	ok(zones_route(&zs[1], npb, yb, NULL) == 45,
	    "two cross aisles: by the first (%g)",
	    zones_route(&zs[1], npb, yb, NULL));

	memset(items, 0, sizeof items);
	for (i = 0; i < 6; i++) {
		strcpy(locs[i], at[i]);
		items[i].sku = locs[i];
		items[i].location = locs[i];
		items[i].aisle = locs[i][2] - '0';
		items[i].bay = atoi(locs[i] + 4);
		items[i].weight_g = 100 * (i + 1);
		items[i].volume_l = 1;
	}
	/* Orders: A+B, A only, B only (one in a lower-case location), A+B. */
	memset(o, 0, sizeof o);
	memset(lines, 0, sizeof lines);
	{
		const int use[4][3] = {
		    {0, 2, -1}, {1, -1, -1}, {3, 4, -1}, {5, 3, 1}};

		for (i = 0; i < 4; i++) {
			o[i].lines = lines[i];
			for (k = 0; k < 3 && use[i][k] >= 0; k++)
				lines[i][o[i].nlines++] = (struct pick_line){
				    &items[use[i][k]], 1, 0, k, 0};
			(void)pick_pack(&o[i], &carts, NULL, 0);
			o[i].state = PICK_OK;
			o[i].ship_by = 1000;
		}
	}
	zr = zones_plan(&pl, o, 4, &lay, &carts, 1);
	is_int(
	    (int)zones_npicks(zr, 4), 6, "six picks: two orders in two zones");
	for (bad = 0, i = 0; i < 4; i++) {
		int lines_seen = 0;

		for (k = 0; (s = zones_pick(zr, o, (size_t)i, k)) != NULL;
		     k++) {
			const struct layout *z =
			    zones_batch_zone(zr, &lay, s->batch);

			for (n = 0; n < s->nlines; n++)
				if (zones_of(&lay,
					s->lines[n].item->location[0]) != z)
					bad++;
			lines_seen += s->nlines;
		}
		if (lines_seen != o[i].nlines)
			bad++;
		s = zones_pick(zr, o, (size_t)i, 0);
		if (o[i].batch != s->batch || o[i].tote != s->tote)
			bad++;
	}
	is_int(bad, 0,
	    "every line once, in a batch of its zone; the order's "
	    "fields its first pick's");
	is_int(pl.nbatches, 2, "two batches: one per zone");
	ok(zones_batch_zone(zr, &lay, 0)->zone == 'A' &&
		zones_batch_zone(zr, &lay, 1)->zone == 'B',
	    "zone A's batches first");
	{
		char *note = zones_note(zr, 0);
		char *none = zones_note(zr, 1);

		is_str(
		    note, "pack with zones A+B", "the note of an order in two");
		ok(none == NULL, "no note for an order in one");
		free(note);
	}
	pick_plan_free(&pl);
	zones_free(zr);
	one.bays = 30;
	zr = zones_plan(&pl, o, 4, &one, &carts, 1);
	ok(zr == NULL && pl.nbatches == 1,
	    "no zones: pick_plan, one cart for every letter");
	pick_plan_free(&pl);
	for (i = 0; i < 4; i++)
		free(o[i].parts);
	return done_testing();
}
