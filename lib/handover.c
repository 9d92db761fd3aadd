#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <zint.h>

#include "draw.h"
#include "err.h"
#include "fonts.h"
#include "handover.h"
#include "manifest.h"
#include "money.h"
#include "sheet.h"

/*
 * Page 1's header: the details on the left, keys KEY_W wide, and the
 * barcode in a box BOX_W wide on the right, or on a row of its own if
 * it would be too narrow there for a scanner.
 */
#define KEY_W 62.0
#define BOX_W 240.0
#define BARS_H 54.0
#define QUIET 10        /* modules of quiet zone either side */
#define MODULE_MAX 1.4  /* points: 0.49 mm */
#define MODULE_MIN 0.72 /* 0.25 mm, about the least hand scanners read */

/* The signatures, kept together. */
#define SIGN_H 190.0

static const struct draw_col parcel_cols[] = {{"#", 22, 1, 0},
    {"Tracking", 104, 0, 1}, {"Order", 96, 0, 0}, {"Service", 60, 0, 0},
    {"n/m", 28, 1, 0}, {"kg", 40, 1, 0}, {"COD", 64, 1, 1},
    {"Handling", 109, 0, 1}};
static const struct draw_col service_cols[] = {
    {"Service", 160, 0, 0}, {"Pieces", 60, 1, 1}, {"kg", 80, 1, 0}};
static const struct draw_col cod_cols[] = {
    {"To collect", 160, 0, 1}, {"Parcels", 60, 1, 0}};

/* Page 1's details: key and clean value. */
#define NFIELDS 8
struct field {
	const char *key;
	char *val;
};

/* What the layout draws (draw.h has where it is). */
struct doc {
	const struct manifest *m;
	struct zint_symbol *zs;
	char *code;    /* the id as the barcode holds it */
	double module; /* points */
	int wide;      /* the barcode on a row of its own */
	struct field field[NFIELDS];
	int nfields;
	char *pieces; /* "3 pieces, 7.350 kg" */
	struct draw_table parcels, svc, cod;
};

/* 1 if s is there to print. */
static int
given(const char *s)
{
	return s != NULL && s[0] != '\0';
}

/* NULL, which the caller may leave in a field, prints as nothing. */
static const char *
str(const char *s)
{
	return s != NULL ? s : "";
}

/* Grams as kilograms, exact: "1.250". */
static char *
kg(int64_t g)
{
	uint64_t u = g < 0 ? (uint64_t)0 - (uint64_t)g : (uint64_t)g;

	return fonts_fmt(
	    "%s%" PRIu64 ".%03" PRIu64, g < 0 ? "-" : "", u / 1000, u % 1000);
}

/*
 * "CNY 786.00": minor units in the currency's decimals, two for a code
 * ISO 4217 does not know.
 */
static char *
amount(const char *currency, int64_t minor)
{
	char num[MONEY_FORMAT_MAX];
	int e = given(currency) ? money_exponent(currency) : -1;

	money_format(minor, e >= 0 ? e : 2, num, sizeof num);
	return given(currency) ? fonts_fmt("%s %s", currency, num)
			       : fonts_fmt("%s", num);
}

/* The handling marks, upper case: "FRAGILE, NO-STACK". */
static char *
marks(unsigned bits)
{
	char buf[128], *c;

	sheet_handling(bits, buf, sizeof buf);
	for (c = buf; *c != '\0'; c++)
		*c = (char)toupper((unsigned char)*c);
	return fonts_clean(buf);
}

/*
 * Draw s in the font given, in lines no wider than w, the first line's
 * top at top (see draw_wrap()).  Returns the height it takes.
 */
static double
wrap(struct draw *d, const char *s, double x, double top, double w, int bold,
    double pt, enum draw_align a)
{
	draw_font(d, bold, pt);
	return draw_wrap(d, s, x, top, w, round(pt * 1.22), 0.88 * pt, a);
}

/* A rule from x0 to x1 at y. */
static void
rule(struct draw *d, double x0, double x1, double y, double width)
{
	if (!d->draw)
		return;
	cairo_set_line_width(d->cr, width);
	cairo_move_to(d->cr, x0, y);
	cairo_line_to(d->cr, x1, y);
	cairo_stroke(d->cr);
}

/*
 * The bars, centred in a box w wide at x, y, and the id under them.
 * Returns the height taken.
 */
static double
barcode(struct draw *d, const struct doc *doc, double x, double y, double w)
{
	double bw = doc->module * doc->zs->width;

	if (d->draw) {
		x += (w - bw) / 2;
		draw_bars(d->cr, doc->zs, x, y, doc->module, BARS_H);
	}
	draw_font(d, 1, 12);
	draw_show(d, x + bw / 2, y + BARS_H + 16, doc->code, DRAW_CENTRE);
	return BARS_H + 22;
}

/* Title, barcode and details; the parcels follow under a rule. */
static void
page_one(struct draw *d, const struct doc *doc)
{
	double left = DRAW_BODY_W, y, bottom = 0, h;
	int i;

	draw_font(d, 1, 18);
	draw_show(
	    d, DRAW_MARGIN, DRAW_MARGIN + 18, "HAND-OVER MANIFEST", DRAW_LEFT);
	y = DRAW_MARGIN + 32;
	if (doc->wide) {
		y += barcode(d, doc, DRAW_MARGIN, y, DRAW_BODY_W) + 8;
	} else {
		left = DRAW_BODY_W - BOX_W - 12;
		bottom = DRAW_MARGIN + barcode(d, doc,
					   DRAW_PAGE_W - DRAW_MARGIN - BOX_W,
					   DRAW_MARGIN, BOX_W);
	}
	for (i = 0; i < doc->nfields; i++) {
		wrap(d, doc->field[i].key, DRAW_MARGIN, y + 0.5, KEY_W, 1, 9,
		    DRAW_LEFT);
		h = wrap(d, doc->field[i].val, DRAW_MARGIN + KEY_W, y,
		    left - KEY_W, i == 0, 10, DRAW_LEFT);
		y += h + 2;
	}
	d->y = fmax(y, bottom) + 6;
	draw_grey(d, 0);
	rule(d, DRAW_MARGIN, DRAW_PAGE_W - DRAW_MARGIN, d->y, 1.2);
	d->y += 12;
}

static void
totals(struct draw *d, const struct doc *doc)
{
	if (d->y + 2 * DRAW_TITLE_H + DRAW_HEAD_H + 20 > DRAW_BOTTOM)
		draw_newpage(d);
	draw_title(d, "TOTALS");
	draw_font(d, 1, 12);
	draw_show(d, DRAW_MARGIN, d->y + 12, doc->pieces, DRAW_LEFT);
	d->y += 24;
	draw_table(d, &doc->svc);
	if (doc->cod.nrows > 0) {
		draw_table(d, &doc->cod);
	} else {
		draw_font(d, 0, 10);
		draw_show(
		    d, DRAW_MARGIN, d->y + 10, "No COD to collect.", DRAW_LEFT);
		d->y += 24;
	}
}

/* A line to write on, w wide, with what goes there under it. */
static void
blank(struct draw *d, double x, double y, double w, const char *what)
{
	draw_grey(d, 0);
	rule(d, x, x + w, y, 0.6);
	draw_font(d, 0, 7.5);
	draw_grey(d, 0.35);
	draw_show(d, x, y + 9, what, DRAW_LEFT);
	draw_grey(d, 0);
}

/*
 * What the driver counted and when, and the two signatures; on the
 * next page if they do not fit on this one.
 */
static void
signatures(struct draw *d, const struct manifest *m)
{
	double cw = (DRAW_BODY_W - 30) / 2, x2 = DRAW_MARGIN + cw + 30, y;
	char *of;

	if (d->y + SIGN_H > DRAW_BOTTOM)
		draw_newpage(d);
	y = d->y + 6;
	draw_grey(d, 0);
	rule(d, DRAW_MARGIN, DRAW_PAGE_W - DRAW_MARGIN, y, 1.2);
	y += 8;
	draw_font(d, 1, 11);
	draw_show(d, DRAW_MARGIN, y + 12, "HAND-OVER", DRAW_LEFT);
	y += 46;
	draw_font(d, 0, 10);
	draw_show(d, DRAW_MARGIN, y, "Pieces counted", DRAW_LEFT);
	blank(d, DRAW_MARGIN + 80, y + 2, 60, "");
	of = fonts_fmt("of %zu", m->n);
	draw_font(d, 0, 10);
	draw_show(d, DRAW_MARGIN + 146, y, of, DRAW_LEFT);
	free(of);
	draw_show(d, x2, y, "Time", DRAW_LEFT);
	blank(d, x2 + 36, y + 2, cw - 36, "date and time of hand-over");
	y += 42;
	draw_font(d, 1, 10);
	draw_show(d, DRAW_MARGIN, y, "Handed over by", DRAW_LEFT);
	draw_show(d, x2, y, "Received by (driver)", DRAW_LEFT);
	y += 36;
	blank(d, DRAW_MARGIN, y, cw, "name");
	blank(d, x2, y, cw, "name");
	y += 36;
	blank(d, DRAW_MARGIN, y, cw, "signature");
	blank(d, x2, y, cw, "signature");
	d->y = y + 16;
}

static void
layout(struct draw *d, void *arg)
{
	const struct doc *doc = arg;

	page_one(d, doc);
	draw_table(d, &doc->parcels);
	totals(d, doc);
	signatures(d, doc->m);
}

/*
 * The manifest id as Code 128, and the module that fits: in the box at
 * the top right if it fits there at a size scanners read, else across
 * the page.  Bytes outside printable ASCII are encoded and printed as
 * '?', as on the labels.
 */
static void
code_make(struct doc *doc)
{
	int q;

	doc->code = draw_ascii(str(doc->m->id));
	if (doc->code[0] == '\0')
		err_exit(EXIT_TROUBLE,
		    "cannot draw the hand-over sheet: the manifest has no id");
	doc->zs = draw_code128(doc->code, 0, doc->code);
	q = doc->zs->width + 2 * QUIET;
	doc->module = fmin(MODULE_MAX, BOX_W / q);
	if (doc->module < MODULE_MIN) {
		doc->wide = 1;
		doc->module = fmin(MODULE_MAX, DRAW_BODY_W / q);
	}
	if (doc->module < MODULE_MIN)
		err_exit(EXIT_TROUBLE,
		    "cannot draw barcode '%s': too long for the sheet",
		    doc->code);
}

static void
fields(struct doc *doc)
{
	const struct manifest *m = doc->m;
	struct field *f = doc->field;

	*f++ = (struct field){"Carrier",
	    given(m->carrier_name)
		? fonts_fmt("%s (%s)", m->carrier_name, str(m->carrier))
		: fonts_fmt("%s", str(m->carrier))};
	if (given(m->account))
		*f++ = (struct field){"Account", fonts_fmt("%s", m->account)};
	*f++ = (struct field){"Ship date", fonts_fmt("%s", str(m->ship_date))};
	*f++ = (struct field){"Closed at", fonts_fmt("%s", str(m->closed_at))};
	*f++ = (struct field){"Origin", fonts_fmt("%s", str(m->origin_name))};
	if (given(m->origin_address))
		*f++ = (struct field){"", fonts_fmt("%s", m->origin_address)};
	*f++ = (struct field){"Pieces", xstrdup(doc->pieces)};
	doc->nfields = (int)(f - doc->field);
}

static void
parcel_table(struct draw_table *t, const struct manifest *m)
{
	char **c = draw_table_new(t, "PARCELS", parcel_cols,
	    (int)(sizeof parcel_cols / sizeof parcel_cols[0]), m->n);
	size_t i;

	for (i = 0; i < m->n; i++) {
		const struct manifest_parcel *p = &m->p[i];

		*c++ = fonts_fmt("%zu", i + 1);
		*c++ = fonts_fmt("%s", str(p->tracking));
		*c++ = fonts_fmt("%s%s%s", str(p->source),
		    given(p->source) && given(p->order_id) ? " " : "",
		    str(p->order_id));
		*c++ = fonts_fmt("%s", str(p->service));
		*c++ = p->m > 0 ? fonts_fmt("%d/%d", p->n, p->m) : xstrdup("");
		*c++ = kg(p->weight_g);
		*c++ = p->cod > 0 ? amount(p->currency, p->cod) : xstrdup("");
		*c++ = marks(p->handling);
	}
}

static void
total_tables(struct draw_table *svc, struct draw_table *cod,
    const struct manifest_totals *t)
{
	size_t ns = t->nservices, nc = t->ncod, i;
	char **c;

	if (ns > sizeof t->by_service / sizeof t->by_service[0])
		ns = sizeof t->by_service / sizeof t->by_service[0];
	if (nc > sizeof t->cod / sizeof t->cod[0])
		nc = sizeof t->cod / sizeof t->cod[0];
	c = draw_table_new(svc, "By service", service_cols,
	    (int)(sizeof service_cols / sizeof service_cols[0]), ns);
	for (i = 0; i < ns; i++) {
		*c++ = fonts_fmt("%s", str(t->by_service[i].service));
		*c++ = fonts_fmt("%zu", t->by_service[i].pieces);
		*c++ = kg(t->by_service[i].weight_g);
	}
	c = draw_table_new(cod, "COD to collect", cod_cols,
	    (int)(sizeof cod_cols / sizeof cod_cols[0]), nc);
	for (i = 0; i < nc; i++) {
		*c++ = amount(t->cod[i].currency, t->cod[i].amount);
		*c++ = fonts_fmt("%zu", t->cod[i].pieces);
	}
}

/*
 * The creation date: cairo would take the clock's, and the same
 * manifest must make the same bytes.  NULL if the manifest has none.
 */
static const char *
created(const struct manifest *m, char *buf, size_t size)
{
	if (given(m->closed_at))
		return m->closed_at;
	if (!given(m->ship_date))
		return NULL;
	snprintf(buf, size, "%.10sT00:00:00", m->ship_date);
	return buf;
}

void
manifest_pdf(FILE *fp, const struct manifest *m)
{
	struct manifest_totals t;
	struct draw d = {0};
	struct doc doc = {0};
	char when[64], what[128], *title, *cont, *foot, *w;
	int i;

	doc.m = m;
	manifest_totals(m, &t);
	code_make(&doc);
	w = kg(t.weight_g);
	doc.pieces = fonts_fmt(
	    "%zu piece%s, %s kg", t.pieces, t.pieces == 1 ? "" : "s", w);
	free(w);
	fields(&doc);
	cont = fonts_fmt("HAND-OVER MANIFEST  %s (continued)", doc.code);
	foot = fonts_fmt("manifest %s    %s    ship date %s", doc.code,
	    given(m->carrier_name) ? m->carrier_name : str(m->carrier),
	    str(m->ship_date));
	parcel_table(&doc.parcels, m);
	total_tables(&doc.svc, &doc.cod, &t);
	title = fonts_fmt("hand-over manifest %s", str(m->id));
	snprintf(what, sizeof what, "the hand-over sheet of manifest '%s'",
	    str(m->id));

	d.title = title;
	d.created = created(m, when, sizeof when);
	d.what = what;
	d.cont = cont;
	d.foot = foot;
	d.foot_fit = 1;
	d.ascent = 0.88 * DRAW_TEXT_PT; /* as wrap() sets the details */
	draw_pdf(fp, &d, layout, &doc);

	draw_table_free(&doc.parcels);
	draw_table_free(&doc.svc);
	draw_table_free(&doc.cod);
	for (i = 0; i < doc.nfields; i++)
		free(doc.field[i].val);
	ZBarcode_Delete(doc.zs);
	free(doc.code);
	free(doc.pieces);
	free(cont);
	free(foot);
	free(title);
}
