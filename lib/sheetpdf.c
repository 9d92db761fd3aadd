#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>

#include "err.h"
#include "fonts.h"
#include "sheetpdf.h"

#ifndef FULFIL_VERSION
#define FULFIL_VERSION "?"
#endif

/* A4 portrait, in PostScript points. */
#define PAGE_W 595.276
#define PAGE_H 841.890
#define MARGIN 36.0
#define BODY_W (PAGE_W - 2 * MARGIN)
#define BOTTOM (PAGE_H - 48.0) /* tables stop here; the footer is below */

/* Tables: 9 pt text on 11 pt lines, rows padded by PAD, cells by CPAD. */
#define TEXT_PT 9.0
#define LINE_H 11.0
#define ASCENT 8.0
#define PAD 3.0
#define CPAD 3.0
#define HEAD_H 15.0
#define TITLE_H 20.0

/* The map: at most MAP_H high, with room for the labels above and below. */
#define MAP_H 340.0
#define LABEL_TOP 14.0
#define LABEL_BOT 22.0

struct col {
	const char *head;
	double w;
	int right; /* aligned right */
	int bold;
};

/* Cells are clean UTF-8 (fonts_clean()) the table owns, row by row. */
struct table {
	const char *title;
	const struct col *cols;
	int ncols;
	int box; /* column 0 is an empty tick box */
	char **cell;
	int nrows;
};

static const struct col stop_cols[] = {{"", 14, 0, 0}, {"#", 22, 1, 1},
    {"Location", 58, 0, 0}, {"Qty", 28, 1, 1}, {"Totes", 68, 0, 0},
    {"SKU", 78, 0, 0}, {"Item", 159, 0, 0}, {"Marks", 96, 0, 1}};
static const struct col tote_cols[] = {
    {"Tote", 60, 0, 1}, {"Order", 200, 0, 0}, {"Handling", 263, 0, 1}};

/*
 * The drawing.  The layout runs twice, first only measuring (draw 0) to
 * count the pages for the footers, then drawing: one flow, so the two
 * runs cannot disagree about where a page breaks.
 */
struct pdf {
	cairo_t *cr;
	const struct sheet *s;
	const struct layout *lay;
	char *head[3]; /* page 1's header lines */
	char *cont;    /* the heading of the pages after */
	char *foot;
	int draw;
	int page, npages;
	int rows; /* table rows on this page */
	double y; /* where the next thing goes, from the top */
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

static void
font(struct pdf *p, int bold, double pt)
{
	fonts_use(p->cr, bold, pt);
}

static void
grey(struct pdf *p, double g)
{
	cairo_set_source_rgb(p->cr, g, g, g);
}

static double
advance(struct pdf *p, const char *s)
{
	return fonts_cairo_width(p->cr, s, strlen(s));
}

/* Text on baseline y, starting, ending or centred at x. */
static void
show(struct pdf *p, double x, double y, const char *s)
{
	if (!p->draw)
		return;
	cairo_move_to(p->cr, x, y);
	cairo_show_text(p->cr, s);
}

static void
show_right(struct pdf *p, double x, double y, const char *s)
{
	if (p->draw)
		show(p, x - advance(p, s), y, s);
}

static void
show_centre(struct pdf *p, double x, double y, const char *s)
{
	if (p->draw)
		show(p, x - advance(p, s) / 2, y, s);
}

/*
 * Draw s in lines no wider than w, the first line's top at top (see
 * fonts_break()).  Returns the number of lines, at least 1; only counts
 * them when measuring.
 */
static int
wrap(struct pdf *p, const char *s, double x, double top, double w, int right)
{
	size_t end, next;
	char *line;
	int lines = 0;

	while (*s == ' ')
		s++;
	do {
		end = fonts_break(s, w, fonts_cairo_width, p->cr, &next);
		if (p->draw) {
			line = xstrndup(s, end);
			if (right)
				show_right(p, x + w, top + ASCENT, line);
			else
				show(p, x, top + ASCENT, line);
			free(line);
		}
		lines++;
		top += LINE_H;
		s += next;
	} while (*s != '\0');
	return lines;
}

static double
row_height(struct pdf *p, const struct table *t, int r)
{
	int c, n, most = 1, draw = p->draw;

	p->draw = 0;
	for (c = t->box ? 1 : 0; c < t->ncols; c++) {
		font(p, t->cols[c].bold, TEXT_PT);
		n = wrap(p, t->cell[r * t->ncols + c], 0, 0,
		    t->cols[c].w - 2 * CPAD, 0);
		if (n > most)
			most = n;
	}
	p->draw = draw;
	return most * LINE_H + 2 * PAD;
}

static void
table_head(struct pdf *p, const struct table *t)
{
	double x = MARGIN;
	int c;

	if (p->draw) {
		grey(p, 0.85);
		cairo_rectangle(p->cr, MARGIN, p->y, BODY_W, HEAD_H);
		cairo_fill(p->cr);
		grey(p, 0);
	}
	font(p, 1, TEXT_PT - 0.5);
	for (c = 0; c < t->ncols; c++) {
		if (t->cols[c].right)
			show_right(p, x + t->cols[c].w - CPAD, p->y + 11,
			    t->cols[c].head);
		else
			show(p, x + CPAD, p->y + 11, t->cols[c].head);
		x += t->cols[c].w;
	}
	p->y += HEAD_H;
}

static void
table_row(struct pdf *p, const struct table *t, int r, double h)
{
	double x = MARGIN;
	int c;

	if (p->draw && p->rows % 2 == 1) {
		grey(p, 0.94);
		cairo_rectangle(p->cr, MARGIN, p->y, BODY_W, h);
		cairo_fill(p->cr);
		grey(p, 0);
	}
	for (c = 0; c < t->ncols; c++) {
		if (c == 0 && t->box) {
			if (p->draw) {
				cairo_set_line_width(p->cr, 0.8);
				cairo_rectangle(
				    p->cr, x + CPAD, p->y + PAD + 1, 8, 8);
				cairo_stroke(p->cr);
			}
		} else {
			font(p, t->cols[c].bold, TEXT_PT);
			wrap(p, t->cell[r * t->ncols + c], x + CPAD, p->y + PAD,
			    t->cols[c].w - 2 * CPAD, t->cols[c].right);
		}
		x += t->cols[c].w;
	}
	p->y += h;
	p->rows++;
}

static void
footer(struct pdf *p)
{
	char num[64];

	if (!p->draw)
		return;
	snprintf(num, sizeof num, "page %d of %d", p->page, p->npages);
	font(p, 0, 8);
	grey(p, 0.35);
	show(p, MARGIN, PAGE_H - 24, p->foot);
	show_right(p, PAGE_W - MARGIN, PAGE_H - 24, num);
	grey(p, 0);
}

static void
newpage(struct pdf *p)
{
	footer(p);
	if (p->draw)
		cairo_show_page(p->cr);
	p->page++;
	p->rows = 0;
	p->y = MARGIN;
	font(p, 1, 11);
	show(p, MARGIN, p->y + 11, p->cont);
	p->y += 22;
}

/* A table, its heading repeated on each page it runs on to. */
static void
table(struct pdf *p, const struct table *t)
{
	double h = t->nrows > 0 ? row_height(p, t, 0) : 0;
	int r;

	if (p->y + TITLE_H + HEAD_H + h > BOTTOM)
		newpage(p);
	font(p, 1, 11);
	show(p, MARGIN, p->y + 12, t->title);
	p->y += TITLE_H;
	p->rows = 0;
	table_head(p, t);
	for (r = 0; r < t->nrows; r++) {
		h = row_height(p, t, r);
		/* A row taller than a page goes on one anyway, cut short. */
		if (p->y + h > BOTTOM && p->rows > 0) {
			newpage(p);
			table_head(p, t);
		}
		table_row(p, t, r, h);
	}
	p->y += 14;
}

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
racks(struct pdf *p, const struct geo *g)
{
	const struct layout *l = g->l;
	double xl, xr, half = l->aisle_pitch / 2;
	int i, k;

	cairo_set_line_width(p->cr, 0.8);
	grey(p, 0.55);
	cairo_rectangle(p->cr, gx(g, -half), gy(g, g->len + g->lane),
	    l->aisles * l->aisle_pitch * g->sc, (g->len + 2 * g->lane) * g->sc);
	cairo_stroke(p->cr);
	for (i = 0; i <= l->aisles; i++) {
		xl = i == 0 ? -half : (i - 1) * l->aisle_pitch + g->lane / 2;
		xr = i == l->aisles ? (i - 1) * l->aisle_pitch + half
				    : i * l->aisle_pitch - g->lane / 2;
		cairo_rectangle(p->cr, gx(g, xl), gy(g, g->len),
		    (xr - xl) * g->sc, g->len * g->sc);
		grey(p, 0.88);
		cairo_fill_preserve(p->cr);
		grey(p, 0.55);
		cairo_set_line_width(p->cr, 0.5);
		cairo_stroke(p->cr);
		cairo_set_line_width(p->cr, 0.3);
		grey(p, 0.7);
		/* Back-to-back racks between two aisles. */
		if (i > 0 && i < l->aisles) {
			cairo_move_to(p->cr, gx(g, (xl + xr) / 2), gy(g, 0));
			cairo_line_to(
			    p->cr, gx(g, (xl + xr) / 2), gy(g, g->len));
		}
		if (l->bay_pitch * g->sc >= 3)
			for (k = 1; k < l->bays; k++) {
				cairo_move_to(
				    p->cr, gx(g, xl), gy(g, k * l->bay_pitch));
				cairo_line_to(
				    p->cr, gx(g, xr), gy(g, k * l->bay_pitch));
			}
		cairo_stroke(p->cr);
	}
	grey(p, 0);
}

/*
 * One leg of the walk.  Within an aisle it goes straight; to another
 * aisle, by the front or the back cross aisle, whichever is shorter for
 * the leg.
 */
static void
leg(struct pdf *p, const struct geo *g, const struct pt *a, const struct pt *b)
{
	double cy;

	if (a->aisle != b->aisle) {
		cy = a->y + b->y <= 2 * g->len - a->y - b->y
			 ? -g->lane / 2
			 : g->len + g->lane / 2;
		cairo_line_to(p->cr, aisle_x(g, a->aisle), gy(g, cy));
		cairo_line_to(p->cr, aisle_x(g, b->aisle), gy(g, cy));
	}
	cairo_line_to(p->cr, aisle_x(g, b->aisle), gy(g, walk_y(g, b)));
}

static void
walk(struct pdf *p, const struct geo *g, int depot)
{
	const struct pick_batch *b = p->s->batch;
	struct pt home = {depot, 0, 1}, at = home, next;
	int i;

	cairo_move_to(p->cr, aisle_x(g, depot), gy(g, walk_y(g, &home)));
	for (i = 0; i < b->nstops; i++) {
		const struct item *it = b->stops[i].item;

		if (!placed(g->l, it))
			continue;
		next = (struct pt){it->aisle, pick_bay_y(g->l, it->bay), 0};
		leg(p, g, &at, &next);
		at = next;
	}
	leg(p, g, &at, &home);
	cairo_set_source_rgba(p->cr, 0.1, 0.35, 0.8, 0.85);
	cairo_set_line_width(p->cr, 1.6);
	cairo_set_line_join(p->cr, CAIRO_LINE_JOIN_ROUND);
	cairo_set_line_cap(p->cr, CAIRO_LINE_CAP_ROUND);
	cairo_stroke(p->cr);
	grey(p, 0);
}

/*
 * Each stop a numbered dot at its pick point; stops at the same point
 * (items on different levels of one bay) side by side across the aisle.
 */
static void
dots(struct pdf *p, const struct geo *g)
{
	const struct pick_batch *b = p->s->batch;
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
		cairo_new_sub_path(p->cr);
		cairo_arc(p->cr, cx, cy, r, 0, 2 * M_PI);
		cairo_set_source_rgb(p->cr, 0.75, 0.1, 0.1);
		cairo_fill_preserve(p->cr);
		cairo_set_source_rgb(p->cr, 1, 1, 1);
		cairo_set_line_width(p->cr, 0.6);
		cairo_stroke(p->cr);
		snprintf(num, sizeof num, "%d", i + 1);
		pt = strlen(num) <= 2 ? r * 1.25 : r * 0.95;
		font(p, 1, pt);
		show_centre(p, cx, cy + pt * 0.36, num);
	}
	grey(p, 0);
}

/* The map of page 1, under the header; without a layout, a note. */
static void
map(struct pdf *p)
{
	const struct layout *l = p->lay;
	struct geo g;
	double w, h;
	char num[16];
	int a, step, depot;

	if (l == NULL || l->aisles < 1 || l->bays < 1 ||
	    !(l->aisle_pitch > 0) || !(l->bay_pitch > 0)) {
		font(p, 0, 10);
		show(p, MARGIN, p->y + 10, "no warehouse layout configured");
		p->y += 24;
		return;
	}
	g.l = l;
	g.lane = 0.4 * l->aisle_pitch;
	g.len = l->bays * l->bay_pitch;
	w = l->aisles * l->aisle_pitch;
	h = g.len + 2 * g.lane;
	g.sc = fmin(BODY_W / w, (MAP_H - LABEL_TOP - LABEL_BOT) / h);
	g.x0 = MARGIN + (BODY_W - w * g.sc) / 2 + l->aisle_pitch / 2 * g.sc;
	g.y0 = p->y + LABEL_TOP + (g.len + g.lane) * g.sc;
	depot = l->depot < 1 ? 1 : l->depot > l->aisles ? l->aisles : l->depot;
	if (p->draw) {
		racks(p, &g);
		walk(p, &g, depot);
		cairo_rectangle(p->cr, aisle_x(&g, depot) - 4,
		    gy(&g, -g.lane / 2) - 4, 8, 8);
		cairo_fill(p->cr);
		dots(p, &g);
		font(p, 1, 7.5);
		show_centre(
		    p, aisle_x(&g, depot), gy(&g, -g.lane) + 11, "DEPOT");
		font(p, 1, 8);
		step = (int)ceil(14 / (l->aisle_pitch * g.sc));
		for (a = 1; a <= l->aisles; a += step) {
			snprintf(num, sizeof num, "%d", a);
			show_centre(
			    p, aisle_x(&g, a), gy(&g, g.len + g.lane) - 4, num);
		}
	}
	p->y += LABEL_TOP + h * g.sc + LABEL_BOT;
}

static void
page_one(struct pdf *p)
{
	p->page = 1;
	p->rows = 0;
	p->y = MARGIN;
	font(p, 1, 16);
	show(p, MARGIN, p->y + 16, p->head[0]);
	p->y += 26;
	font(p, 0, 10);
	show(p, MARGIN, p->y + 10, p->head[1]);
	p->y += 14;
	show(p, MARGIN, p->y + 10, p->head[2]);
	p->y += 22;
	map(p);
}

static void
layout(struct pdf *p, const struct table *stops, const struct table *totes)
{
	page_one(p);
	table(p, stops);
	table(p, totes);
	footer(p);
}

static char *
marks(unsigned handling, int gift)
{
	char hand[128];

	return fonts_fmt("%s%s%s", gift ? "GIFT" : "",
	    gift && handling ? ", " : "",
	    sheet_handling(handling, hand, sizeof hand));
}

static void
stop_table(struct table *t, const struct sheet *s)
{
	const struct pick_batch *b = s->batch;
	char **c, *totes;
	int i, j, gift;

	*t = (struct table){"STOPS, in walking order", stop_cols,
	    (int)(sizeof stop_cols / sizeof stop_cols[0]), 1, NULL, b->nstops};
	c = t->cell =
	    xcalloc((size_t)b->nstops * (size_t)t->ncols + 1, sizeof *t->cell);
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
tote_table(struct table *t, const struct sheet *s)
{
	const struct pick_batch *b = s->batch;
	char **c;
	int i;

	*t = (struct table){"TOTES", tote_cols,
	    (int)(sizeof tote_cols / sizeof tote_cols[0]), 0, NULL, b->norders};
	c = t->cell =
	    xcalloc((size_t)b->norders * (size_t)t->ncols + 1, sizeof *t->cell);
	for (i = 0; i < b->norders; i++) {
		const struct pick_order *o = &s->orders[b->orders[i]];

		*c++ = o->ntotes > 1 ? fonts_fmt("T%d-T%d", o->tote,
					   o->tote + o->ntotes - 1)
				     : fonts_fmt("T%d", o->tote);
		*c++ = fonts_fmt("%s", s->ids[b->orders[i]]);
		*c++ = marks(o->handling, 0);
	}
}

static void
table_free(struct table *t)
{
	int i;

	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cell[i]);
	free(t->cell);
}

/* A write error is the caller's to report; anything else ends here. */
static void
check(cairo_status_t st, FILE *fp, const struct sheet *s)
{
	char what[64];

	snprintf(what, sizeof what, "the pick sheet of batch %" PRId64,
	    s->batch->id);
	fonts_check(st, fp, what);
}

void
sheet_pdf(FILE *fp, const struct sheet *s, const struct layout *lay)
{
	const struct pick_batch *b = s->batch;
	const char *wave = s->wave ? s->wave : "";
	struct table stops, totes;
	cairo_surface_t *sf;
	cairo_status_t st;
	struct pdf p;
	char *title;
	int i;

	fonts_begin();
	memset(&p, 0, sizeof p);
	p.s = s;
	p.lay = lay;
	sf = cairo_pdf_surface_create_for_stream(
	    fonts_write_fp, fp, PAGE_W, PAGE_H);
	title =
	    fonts_fmt("pick sheet, batch %" PRId64 ", wave %s", b->id, wave);
	cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_TITLE, title);
	cairo_pdf_surface_set_metadata(
	    sf, CAIRO_PDF_METADATA_CREATOR, "fulfil " FULFIL_VERSION);
	if (s->printed != NULL)
		cairo_pdf_surface_set_metadata(
		    sf, CAIRO_PDF_METADATA_CREATE_DATE, s->printed);
	p.cr = cairo_create(sf);

	p.head[0] = fonts_fmt("PICK SHEET  batch %" PRId64, b->id);
	p.head[1] = fonts_fmt("wave %s    warehouse %s    printed %s", wave,
	    s->warehouse ? s->warehouse : "", s->printed ? s->printed : "");
	p.head[2] =
	    fonts_fmt("route %.1f m    %d stops    %d orders    %d totes    "
		      "%.1f kg",
		b->route_m, b->nstops, b->norders, b->ntotes,
		(double)b->weight_g / 1000);
	p.cont = fonts_fmt("PICK SHEET  batch %" PRId64 " (continued)", b->id);
	p.foot = fonts_fmt("batch %" PRId64 "    wave %s", b->id, wave);
	stop_table(&stops, s);
	tote_table(&totes, s);

	layout(&p, &stops, &totes);
	p.npages = p.page;
	p.draw = 1;
	layout(&p, &stops, &totes);
	cairo_show_page(p.cr);

	check(cairo_status(p.cr), fp, s);
	cairo_destroy(p.cr);
	cairo_surface_finish(sf);
	st = cairo_surface_status(sf);
	cairo_surface_destroy(sf);
	fonts_end();
	check(st, fp, s);
	table_free(&stops);
	table_free(&totes);
	for (i = 0; i < 3; i++)
		free(p.head[i]);
	free(p.cont);
	free(p.foot);
	free(title);
}
