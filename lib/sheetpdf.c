#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>

#include "draw.h"
#include "err.h"
#include "fonts.h"
#include "sheetpdf.h"
#include "zones.h"

/* The map: at most MAP_H high, with room for the labels above and below. */
#define MAP_H 340.0
#define LABEL_TOP 14.0
#define LABEL_BOT 22.0

/* Table text: its baseline below its line's top. */
#define ASCENT 8.0

static const struct draw_col stop_cols[] = {{"", 14, 0, 0}, {"#", 22, 1, 1},
    {"Location", 58, 0, 0}, {"Qty", 28, 1, 1}, {"Totes", 68, 0, 0},
    {"SKU", 78, 0, 0}, {"Item", 159, 0, 0}, {"Marks", 96, 0, 1}};
static const struct draw_col tote_cols[] = {
    {"Tote", 60, 0, 1}, {"Order", 200, 0, 0}, {"Handling", 263, 0, 1}};

/* What the layout draws (draw.h has where it is). */
struct pdf {
	const struct sheet *s;
	const struct layout *lay;
	char *head[3]; /* page 1's header lines */
	struct draw_table stops, totes;
};

/* Where the map's model coordinates (metres) land on the page. */
struct geo {
	const struct layout *l;
	double x0, y0; /* aisle 1's centre line, front of the bays */
	double sc;     /* points per metre */
	double lane;   /* width drawn for aisles and cross aisles, m */
	double len;    /* of an aisle, m */
};

/* A point of the walk: a pick point, or the depot. */
struct pt {
	int aisle;
	double y;
	int depot;
};

static double
gx(const struct geo *g, double xm)
{
	return g->x0 + xm * g->sc;
}

static double
gy(const struct geo *g, double ym)
{
	return g->y0 - ym * g->sc;
}

static double
aisle_x(const struct geo *g, int aisle)
{
	return gx(g, (aisle - 1) * g->l->aisle_pitch);
}

/*
 * The model's cross aisles are the lines y = 0 and y = len; the map
 * draws them as lanes in front of and behind the shelving, and the walk
 * along their middles.
 */
static double
walk_y(const struct geo *g, const struct pt *a)
{
	return a->depot ? -g->lane / 2 : a->y;
}

static int
placed(const struct layout *l, const struct item *it)
{
	return it->aisle >= 1 && it->aisle <= l->aisles && it->bay >= 1 &&
	       it->bay <= l->bays;
}

/* The shelving: racks between the aisles, single ones at both sides. */
static void
racks(struct draw *d, const struct geo *g)
{
	const struct layout *l = g->l;
	double xl, xr, y, half = l->aisle_pitch / 2;
	int i, k, c;

	cairo_set_line_width(d->cr, 0.8);
	draw_grey(d, 0.55);
	cairo_rectangle(d->cr, gx(g, -half), gy(g, g->len + g->lane),
	    l->aisles * l->aisle_pitch * g->sc, (g->len + 2 * g->lane) * g->sc);
	cairo_stroke(d->cr);
	for (i = 0; i <= l->aisles; i++) {
		xl = i == 0 ? -half : (i - 1) * l->aisle_pitch + g->lane / 2;
		xr = i == l->aisles ? (i - 1) * l->aisle_pitch + half
				    : i * l->aisle_pitch - g->lane / 2;
		cairo_rectangle(d->cr, gx(g, xl), gy(g, g->len),
		    (xr - xl) * g->sc, g->len * g->sc);
		draw_grey(d, 0.88);
		cairo_fill_preserve(d->cr);
		draw_grey(d, 0.55);
		cairo_set_line_width(d->cr, 0.5);
		cairo_stroke(d->cr);
		cairo_set_line_width(d->cr, 0.3);
		draw_grey(d, 0.7);
		/* Back-to-back racks between two aisles. */
		if (i > 0 && i < l->aisles) {
			cairo_move_to(d->cr, gx(g, (xl + xr) / 2), gy(g, 0));
			cairo_line_to(
			    d->cr, gx(g, (xl + xr) / 2), gy(g, g->len));
		}
		if (l->bay_pitch * g->sc >= 3)
			for (k = 1; k < l->bays; k++) {
				/* Behind the cross aisles before it. */
				for (y = k * l->bay_pitch, c = 0; c < l->ncross;
				     c++)
					if (l->cross[c] < k)
						y += l->cross_width;
				cairo_move_to(d->cr, gx(g, xl), gy(g, y));
				cairo_line_to(d->cr, gx(g, xr), gy(g, y));
			}
		cairo_stroke(d->cr);
	}
	/* Middle cross aisles: lanes through the shelving. */
	for (i = 0; i < l->ncross; i++) {
		y = l->cross[i] * l->bay_pitch + (i + 1) * l->cross_width;
		cairo_rectangle(d->cr, gx(g, -half), gy(g, y),
		    l->aisles * l->aisle_pitch * g->sc, l->cross_width * g->sc);
		cairo_set_source_rgb(d->cr, 1, 1, 1);
		cairo_fill(d->cr);
	}
	draw_grey(d, 0);
}

/*
 * One leg of the walk.  Within an aisle it goes straight; to another
 * aisle, by the front or the back cross aisle, whichever is shorter for
 * the leg.
 */
static void
leg(struct draw *d, const struct geo *g, const struct pt *a, const struct pt *b)
{
	double cy;

	double best, c, m;
	int i;

	if (a->aisle != b->aisle) {
		cy = a->y + b->y <= 2 * g->len - a->y - b->y
			 ? -g->lane / 2
			 : g->len + g->lane / 2;
		best = fmin(a->y + b->y, 2 * g->len - a->y - b->y);
		/* Or a middle cross aisle, if nearer. */
		for (i = 0; i < g->l->ncross; i++) {
			m = g->l->cross[i] * g->l->bay_pitch +
			    (i + 0.5) * g->l->cross_width;
			c = fabs(a->y - m) + fabs(b->y - m);
			if (a->depot)
				c = m + fabs(b->y - m);
			if (b->depot)
				c = fabs(a->y - m) + m;
			if (c < best) {
				best = c;
				cy = m;
			}
		}
		cairo_line_to(d->cr, aisle_x(g, a->aisle), gy(g, cy));
		cairo_line_to(d->cr, aisle_x(g, b->aisle), gy(g, cy));
	}
	cairo_line_to(d->cr, aisle_x(g, b->aisle), gy(g, walk_y(g, b)));
}

static void
walk(struct draw *d, const struct geo *g, const struct pick_batch *b, int depot)
{
	struct pt home = {depot, 0, 1}, at = home, next;
	int i;

	cairo_move_to(d->cr, aisle_x(g, depot), gy(g, walk_y(g, &home)));
	for (i = 0; i < b->nstops; i++) {
		const struct item *it = b->stops[i].item;

		if (!placed(g->l, it))
			continue;
		next = (struct pt){it->aisle, pick_bay_y(g->l, it->bay), 0};
		leg(d, g, &at, &next);
		at = next;
	}
	leg(d, g, &at, &home);
	cairo_set_source_rgba(d->cr, 0.1, 0.35, 0.8, 0.85);
	cairo_set_line_width(d->cr, 1.6);
	cairo_set_line_join(d->cr, CAIRO_LINE_JOIN_ROUND);
	cairo_set_line_cap(d->cr, CAIRO_LINE_CAP_ROUND);
	cairo_stroke(d->cr);
	draw_grey(d, 0);
}

/*
 * Each stop a numbered dot at its pick point; stops at the same point
 * (items on different levels of one bay) side by side across the aisle.
 */
static void
dots(struct draw *d, const struct geo *g, const struct pick_batch *b)
{
	double r = fmin(7, fmax(4.5, 0.45 * g->l->bay_pitch * g->sc));
	double cx, cy, pt;
	char num[16];
	int i, k, nth, same;

	for (i = 0; i < b->nstops; i++) {
		const struct item *it = b->stops[i].item;

		if (!placed(g->l, it))
			continue;
		nth = same = 0;
		for (k = 0; k < b->nstops; k++)
			if (b->stops[k].item->aisle == it->aisle &&
			    b->stops[k].item->bay == it->bay) {
				same++;
				nth += k < i;
			}
		cx = aisle_x(g, it->aisle) + (nth - (same - 1) / 2.0) * 2.1 * r;
		cy = gy(g, pick_bay_y(g->l, it->bay));
		cairo_new_sub_path(d->cr);
		cairo_arc(d->cr, cx, cy, r, 0, 2 * M_PI);
		cairo_set_source_rgb(d->cr, 0.75, 0.1, 0.1);
		cairo_fill_preserve(d->cr);
		cairo_set_source_rgb(d->cr, 1, 1, 1);
		cairo_set_line_width(d->cr, 0.6);
		cairo_stroke(d->cr);
		snprintf(num, sizeof num, "%d", i + 1);
		pt = strlen(num) <= 2 ? r * 1.25 : r * 0.95;
		draw_font(d, 1, pt);
		draw_show(d, cx, cy + pt * 0.36, num, DRAW_CENTRE);
	}
	draw_grey(d, 0);
}

/* The map of page 1, under the header; without a layout, a note. */
static void
map(struct draw *d, const struct pdf *p)
{
	const struct layout *l = p->lay;
	struct geo g;
	double w, h;
	char num[16];
	int a, step, depot;

	if (l == NULL || l->aisles < 1 || l->bays < 1 ||
	    !(l->aisle_pitch > 0) || !(l->bay_pitch > 0)) {
		draw_font(d, 0, 10);
		draw_show(d, DRAW_MARGIN, d->y + 10,
		    "no warehouse layout configured", DRAW_LEFT);
		d->y += 24;
		return;
	}
	g.l = l;
	g.lane = 0.4 * l->aisle_pitch;
	g.len = zones_length(l);
	w = l->aisles * l->aisle_pitch;
	h = g.len + 2 * g.lane;
	g.sc = fmin(DRAW_BODY_W / w, (MAP_H - LABEL_TOP - LABEL_BOT) / h);
	g.x0 = DRAW_MARGIN + (DRAW_BODY_W - w * g.sc) / 2 +
	       l->aisle_pitch / 2 * g.sc;
	g.y0 = d->y + LABEL_TOP + (g.len + g.lane) * g.sc;
	depot = l->depot < 1 ? 1 : l->depot > l->aisles ? l->aisles : l->depot;
	if (d->draw) {
		racks(d, &g);
		walk(d, &g, p->s->batch, depot);
		cairo_rectangle(d->cr, aisle_x(&g, depot) - 4,
		    gy(&g, -g.lane / 2) - 4, 8, 8);
		cairo_fill(d->cr);
		dots(d, &g, p->s->batch);
		draw_font(d, 1, 7.5);
		draw_show(d, aisle_x(&g, depot), gy(&g, -g.lane) + 11, "DEPOT",
		    DRAW_CENTRE);
		draw_font(d, 1, 8);
		step = (int)ceil(14 / (l->aisle_pitch * g.sc));
		for (a = 1; a <= l->aisles; a += step) {
			snprintf(num, sizeof num, "%d", a);
			draw_show(d, aisle_x(&g, a), gy(&g, g.len + g.lane) - 4,
			    num, DRAW_CENTRE);
		}
	}
	d->y += LABEL_TOP + h * g.sc + LABEL_BOT;
}

static void
page_one(struct draw *d, const struct pdf *p)
{
	draw_font(d, 1, 16);
	draw_show(d, DRAW_MARGIN, d->y + 16, p->head[0], DRAW_LEFT);
	d->y += 26;
	draw_font(d, 0, 10);
	draw_show(d, DRAW_MARGIN, d->y + 10, p->head[1], DRAW_LEFT);
	d->y += 14;
	draw_show(d, DRAW_MARGIN, d->y + 10, p->head[2], DRAW_LEFT);
	d->y += 22;
	map(d, p);
}

static void
layout(struct draw *d, void *arg)
{
	const struct pdf *p = arg;

	page_one(d, p);
	draw_table(d, &p->stops);
	draw_table(d, &p->totes);
}

static char *
marks(unsigned handling, int gift)
{
	char hand[128];

	return fonts_fmt("%s%s%s", gift ? "GIFT" : "",
	    gift && handling ? ", " : "",
	    sheet_handling(handling, hand, sizeof hand));
}

/*
 * The table's rows are shaded across the body, and column 0 is a box
 * to tick.
 */
static void
stop_table(struct draw_table *t, const struct sheet *s)
{
	const struct pick_batch *b = s->batch;
	char **c, *totes;
	int i, j, gift;

	c = draw_table_new(t, "STOPS, in walking order", stop_cols,
	    (int)(sizeof stop_cols / sizeof stop_cols[0]), (size_t)b->nstops);
	t->box = 1;
	t->w = DRAW_BODY_W;
	for (i = 0; i < b->nstops; i++) {
		const struct pick_stop *st = &b->stops[i];

		for (gift = 0, j = 0; j < st->nputs; j++)
			gift |= st->puts[j].gift;
		totes = sheet_puts(st);
		*c++ = xstrdup("");
		*c++ = fonts_fmt("%d", i + 1);
		*c++ = fonts_fmt("%s", st->item->location);
		*c++ = fonts_fmt("%" PRId64, st->qty);
		*c++ = fonts_fmt("%s", totes);
		*c++ = fonts_fmt("%s", st->item->sku);
		*c++ = fonts_fmt("%s", st->item->name);
		*c++ = marks(st->item->handling, gift);
		free(totes);
	}
}

static void
tote_table(struct draw_table *t, const struct sheet *s)
{
	const struct pick_batch *b = s->batch;
	char **c, *note;
	int i;

	c = draw_table_new(t, "TOTES", tote_cols,
	    (int)(sizeof tote_cols / sizeof tote_cols[0]), (size_t)b->norders);
	t->w = DRAW_BODY_W;
	for (i = 0; i < b->norders; i++) {
		const struct pick_order *o = &s->orders[b->orders[i]];

		*c++ = o->ntotes > 1 ? fonts_fmt("T%d-T%d", o->tote,
					   o->tote + o->ntotes - 1)
				     : fonts_fmt("T%d", o->tote);
		note = zones_note(s->zr, (size_t)b->orders[i]);
		*c++ = note != NULL
			   ? fonts_fmt("%s (%s)", s->ids[b->orders[i]], note)
			   : fonts_fmt("%s", s->ids[b->orders[i]]);
		free(note);
		*c++ = marks(o->handling, 0);
	}
}

void
sheet_pdf(FILE *fp, const struct sheet *s, const struct layout *lay)
{
	const struct pick_batch *b = s->batch;
	const char *wave = s->wave ? s->wave : "";
	struct draw d = {0};
	struct pdf p = {0};
	char what[64], *title, *cont, *foot;
	int i;

	p.s = s;
	p.lay = lay;
	title =
	    fonts_fmt("pick sheet, batch %" PRId64 ", wave %s", b->id, wave);
	p.head[0] = s->zone != NULL && s->zone->zone
			? fonts_fmt("PICK SHEET  batch %" PRId64 "  zone %c",
			      b->id, s->zone->zone)
			: fonts_fmt("PICK SHEET  batch %" PRId64, b->id);
	p.head[1] = fonts_fmt("wave %s    warehouse %s    printed %s", wave,
	    s->warehouse ? s->warehouse : "", s->printed ? s->printed : "");
	p.head[2] =
	    fonts_fmt("route %.1f m    %d stops    %d orders    %d totes    "
		      "%.1f kg",
		b->route_m, b->nstops, b->norders, b->ntotes,
		(double)b->weight_g / 1000);
	cont = fonts_fmt("PICK SHEET  batch %" PRId64 " (continued)", b->id);
	foot = fonts_fmt("batch %" PRId64 "    wave %s", b->id, wave);
	snprintf(what, sizeof what, "the pick sheet of batch %" PRId64, b->id);
	stop_table(&p.stops, s);
	tote_table(&p.totes, s);

	d.title = title;
	d.created = s->printed;
	d.what = what;
	d.cont = cont;
	d.foot = foot;
	d.ascent = ASCENT;
	draw_pdf(fp, &d, layout, &p);

	draw_table_free(&p.stops);
	draw_table_free(&p.totes);
	for (i = 0; i < 3; i++)
		free(p.head[i]);
	free(cont);
	free(foot);
	free(title);
}
