/*
 * handover: the hand-over sheet of a manifest (manifest_pdf() of
 * manifest.h), A4 portrait, drawn with cairo for the carrier's driver to
 * count the parcels against and sign.
 *
 * Page 1 has the title, the manifest id as a Code 128 barcode (libzint)
 * with the id under it, and the carrier, account, ship date, closing
 * time, origin and piece count.  Then come the parcels in a table that
 * runs on over as many pages as it needs, its column heads repeated;
 * the totals (pieces, weight, by service, COD to collect by currency,
 * from manifest_totals()); and the signatures, kept on one page.  Every
 * page has "page i of n" in its footer.
 *
 * For a given manifest the output is the same bytes every time: the
 * PDF's creation date is m->closed_at (else the ship date).  Write
 * errors are left on the FILE; any other cairo or zint failure exits 2.
 */
#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <zint.h>

#include "err.h"
#include "fonts.h"
#include "manifest.h"
#include "money.h"
#include "sheet.h"

#ifndef FULFIL_VERSION
#define FULFIL_VERSION "?"
#endif

/* A4 portrait, in PostScript points. */
#define PAGE_W 595.276
#define PAGE_H 841.890
#define MARGIN 36.0
#define BODY_W (PAGE_W - 2 * MARGIN)
#define BOTTOM (PAGE_H - 48.0) /* the body stops here; the footer is below */

/* Tables: 9 pt text on 11 pt lines, rows padded by PAD, cells by CPAD. */
#define TEXT_PT 9.0
#define PAD 3.0
#define CPAD 3.0
#define HEAD_H 15.0
#define TITLE_H 20.0
#define GAP 14.0 /* after a table */

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

enum align { LEFT, CENTRE, RIGHT };

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
	char **cell;
	int nrows;
};

static const struct col parcel_cols[] = {{"#", 22, 1, 0},
    {"Tracking", 104, 0, 1}, {"Order", 96, 0, 0}, {"Service", 60, 0, 0},
    {"n/m", 28, 1, 0}, {"kg", 40, 1, 0}, {"COD", 64, 1, 1},
    {"Handling", 109, 0, 1}};
static const struct col service_cols[] = {
    {"Service", 160, 0, 0}, {"Pieces", 60, 1, 1}, {"kg", 80, 1, 0}};
static const struct col cod_cols[] = {
    {"To collect", 160, 0, 1}, {"Parcels", 60, 1, 0}};

/* Page 1's details: key and clean value. */
#define NFIELDS 8
struct field {
	const char *key;
	char *val;
};

/*
 * The drawing.  The layout runs twice, first only measuring (draw 0) to
 * count the pages for the footers, then drawing: one flow, so the two
 * runs cannot disagree about where a page breaks.
 */
struct doc {
	cairo_t *cr;
	const struct manifest *m;
	struct zint_symbol *zs;
	char *code;    /* the id as the barcode holds it */
	double module; /* points */
	int wide;      /* the barcode on a row of its own */
	struct field field[NFIELDS];
	int nfields;
	char *pieces; /* "3 pieces, 7.350 kg" */
	char *cont;   /* the heading of the pages after the first */
	char *foot;
	int draw;
	int page, npages;
	int rows; /* table rows on this page */
	double y; /* where the next thing goes, from the top */
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

static void
font(struct doc *d, int bold, double pt)
{
	fonts_use(d->cr, bold, pt);
}

static void
grey(struct doc *d, double g)
{
	cairo_set_source_rgb(d->cr, g, g, g);
}

/* Text on baseline y, starting, centred or ending at x. */
static void
show(struct doc *d, double x, double y, const char *s, enum align a)
{
	if (!d->draw)
		return;
	if (a != LEFT)
		x -= fonts_cairo_width(d->cr, s, strlen(s)) /
		     (a == CENTRE ? 2 : 1);
	cairo_move_to(d->cr, x, y);
	cairo_show_text(d->cr, s);
}

/* A rule from x0 to x1 at y. */
static void
rule(struct doc *d, double x0, double x1, double y, double width)
{
	if (!d->draw)
		return;
	cairo_set_line_width(d->cr, width);
	cairo_move_to(d->cr, x0, y);
	cairo_line_to(d->cr, x1, y);
	cairo_stroke(d->cr);
}

/*
 * Draw s in the font given, in lines no wider than w, the first line's
 * top at top (see fonts_break()).  Returns the height it takes, at
 * least a line; only measures when not drawing.
 */
static double
wrap(struct doc *d, const char *s, double x, double top, double w, int bold,
    double pt, enum align a)
{
	double lh = round(pt * 1.22), y = top;
	size_t end, next;
	char *line;

	font(d, bold, pt);
	while (*s == ' ')
		s++;
	do {
		end = fonts_break(s, w, fonts_cairo_width, d->cr, &next);
		if (d->draw) {
			line = xstrndup(s, end);
			show(d, a == RIGHT ? x + w : x, y + 0.88 * pt, line, a);
			free(line);
		}
		y += lh;
		s += next;
	} while (*s != '\0');
	return y - top;
}

static double
table_w(const struct table *t)
{
	double w = 0;
	int c;

	for (c = 0; c < t->ncols; c++)
		w += t->cols[c].w;
	return w;
}

static double
row_height(struct doc *d, const struct table *t, int r)
{
	double h, most = 0;
	int c, draw = d->draw;

	d->draw = 0;
	for (c = 0; c < t->ncols; c++) {
		h = wrap(d, t->cell[r * t->ncols + c], 0, 0,
		    t->cols[c].w - 2 * CPAD, t->cols[c].bold, TEXT_PT, LEFT);
		if (h > most)
			most = h;
	}
	d->draw = draw;
	return most + 2 * PAD;
}

static void
table_head(struct doc *d, const struct table *t)
{
	double x = MARGIN;
	int c;

	if (d->draw) {
		grey(d, 0.85);
		cairo_rectangle(d->cr, MARGIN, d->y, table_w(t), HEAD_H);
		cairo_fill(d->cr);
		grey(d, 0);
	}
	font(d, 1, TEXT_PT - 0.5);
	for (c = 0; c < t->ncols; c++) {
		if (t->cols[c].right)
			show(d, x + t->cols[c].w - CPAD, d->y + 11,
			    t->cols[c].head, RIGHT);
		else
			show(d, x + CPAD, d->y + 11, t->cols[c].head, LEFT);
		x += t->cols[c].w;
	}
	d->y += HEAD_H;
}

static void
table_row(struct doc *d, const struct table *t, int r, double h)
{
	double x = MARGIN;
	int c;

	if (d->draw && d->rows % 2 == 1) {
		grey(d, 0.94);
		cairo_rectangle(d->cr, MARGIN, d->y, table_w(t), h);
		cairo_fill(d->cr);
		grey(d, 0);
	}
	for (c = 0; c < t->ncols; c++) {
		wrap(d, t->cell[r * t->ncols + c], x + CPAD, d->y + PAD,
		    t->cols[c].w - 2 * CPAD, t->cols[c].bold, TEXT_PT,
		    t->cols[c].right ? RIGHT : LEFT);
		x += t->cols[c].w;
	}
	d->y += h;
	d->rows++;
}

static void
footer(struct doc *d)
{
	char num[64], *left;

	if (!d->draw)
		return;
	snprintf(num, sizeof num, "page %d of %d", d->page, d->npages);
	font(d, 0, 8);
	grey(d, 0.35);
	/* Cut short rather than run into the page number. */
	left = xstrndup(
	    d->foot, fonts_fit(d->foot, BODY_W - 72, fonts_cairo_width, d->cr));
	show(d, MARGIN, PAGE_H - 24, left, LEFT);
	free(left);
	show(d, PAGE_W - MARGIN, PAGE_H - 24, num, RIGHT);
	grey(d, 0);
}

static void
newpage(struct doc *d)
{
	footer(d);
	if (d->draw)
		cairo_show_page(d->cr);
	d->page++;
	d->rows = 0;
	d->y = MARGIN;
	font(d, 1, 11);
	show(d, MARGIN, d->y + 11, d->cont, LEFT);
	d->y += 22;
}

/* A table, its heading repeated on each page it runs on to. */
static void
table(struct doc *d, const struct table *t)
{
	double h = t->nrows > 0 ? row_height(d, t, 0) : 0;
	int r;

	if (d->y + TITLE_H + HEAD_H + h > BOTTOM)
		newpage(d);
	font(d, 1, 11);
	show(d, MARGIN, d->y + 12, t->title, LEFT);
	d->y += TITLE_H;
	d->rows = 0;
	table_head(d, t);
	for (r = 0; r < t->nrows; r++) {
		h = row_height(d, t, r);
		/* A row taller than a page goes on one anyway, cut short. */
		if (d->y + h > BOTTOM && d->rows > 0) {
			newpage(d);
			table_head(d, t);
		}
		table_row(d, t, r, h);
	}
	d->y += GAP;
}

/*
 * The bars, centred in a box w wide at x, y, and the id under them.
 * zint's vector output is in a fixed fraction of a module.  Returns the
 * height taken.
 */
static double
barcode(struct doc *d, double x, double y, double w)
{
	const struct zint_vector_rect *r;
	double bw = d->module * d->zs->width, k;

	if (d->draw) {
		k = bw / d->zs->vector->width;
		x += (w - bw) / 2;
		grey(d, 0);
		for (r = d->zs->vector->rectangles; r != NULL; r = r->next)
			if (r->colour == -1)
				cairo_rectangle(d->cr, x + r->x * k, y,
				    r->width * k, BARS_H);
		cairo_fill(d->cr);
	}
	font(d, 1, 12);
	show(d, x + bw / 2, y + BARS_H + 16, d->code, CENTRE);
	return BARS_H + 22;
}

/* Title, barcode and details; the parcels follow under a rule. */
static void
page_one(struct doc *d)
{
	double left = BODY_W, y, bottom = 0, h;
	int i;

	d->page = 1;
	d->rows = 0;
	font(d, 1, 18);
	show(d, MARGIN, MARGIN + 18, "HAND-OVER MANIFEST", LEFT);
	y = MARGIN + 32;
	if (d->wide) {
		y += barcode(d, MARGIN, y, BODY_W) + 8;
	} else {
		left = BODY_W - BOX_W - 12;
		bottom =
		    MARGIN + barcode(d, PAGE_W - MARGIN - BOX_W, MARGIN, BOX_W);
	}
	for (i = 0; i < d->nfields; i++) {
		wrap(d, d->field[i].key, MARGIN, y + 0.5, KEY_W, 1, 9, LEFT);
		h = wrap(d, d->field[i].val, MARGIN + KEY_W, y, left - KEY_W,
		    i == 0, 10, LEFT);
		y += h + 2;
	}
	d->y = fmax(y, bottom) + 6;
	grey(d, 0);
	rule(d, MARGIN, PAGE_W - MARGIN, d->y, 1.2);
	d->y += 12;
}

static void
totals(struct doc *d, const struct table *svc, const struct table *cod)
{
	if (d->y + 2 * TITLE_H + HEAD_H + 20 > BOTTOM)
		newpage(d);
	font(d, 1, 11);
	show(d, MARGIN, d->y + 12, "TOTALS", LEFT);
	d->y += TITLE_H;
	font(d, 1, 12);
	show(d, MARGIN, d->y + 12, d->pieces, LEFT);
	d->y += 24;
	table(d, svc);
	if (cod->nrows > 0) {
		table(d, cod);
	} else {
		font(d, 0, 10);
		show(d, MARGIN, d->y + 10, "No COD to collect.", LEFT);
		d->y += 24;
	}
}

/* A line to write on, w wide, with what goes there under it. */
static void
blank(struct doc *d, double x, double y, double w, const char *what)
{
	grey(d, 0);
	rule(d, x, x + w, y, 0.6);
	font(d, 0, 7.5);
	grey(d, 0.35);
	show(d, x, y + 9, what, LEFT);
	grey(d, 0);
}

/*
 * What the driver counted and when, and the two signatures; on the
 * next page if they do not fit on this one.
 */
static void
signatures(struct doc *d)
{
	double cw = (BODY_W - 30) / 2, x2 = MARGIN + cw + 30, y;
	char *of;

	if (d->y + SIGN_H > BOTTOM)
		newpage(d);
	y = d->y + 6;
	grey(d, 0);
	rule(d, MARGIN, PAGE_W - MARGIN, y, 1.2);
	y += 8;
	font(d, 1, 11);
	show(d, MARGIN, y + 12, "HAND-OVER", LEFT);
	y += 46;
	font(d, 0, 10);
	show(d, MARGIN, y, "Pieces counted", LEFT);
	blank(d, MARGIN + 80, y + 2, 60, "");
	of = fonts_fmt("of %zu", d->m->n);
	font(d, 0, 10);
	show(d, MARGIN + 146, y, of, LEFT);
	free(of);
	show(d, x2, y, "Time", LEFT);
	blank(d, x2 + 36, y + 2, cw - 36, "date and time of hand-over");
	y += 42;
	font(d, 1, 10);
	show(d, MARGIN, y, "Handed over by", LEFT);
	show(d, x2, y, "Received by (driver)", LEFT);
	y += 36;
	blank(d, MARGIN, y, cw, "name");
	blank(d, x2, y, cw, "name");
	y += 36;
	blank(d, MARGIN, y, cw, "signature");
	blank(d, x2, y, cw, "signature");
	d->y = y + 16;
}

static void
layout(struct doc *d, const struct table *parcels, const struct table *svc,
    const struct table *cod)
{
	page_one(d);
	table(d, parcels);
	totals(d, svc, cod);
	signatures(d);
	footer(d);
}

/*
 * The manifest id as Code 128, and the module that fits: in the box at
 * the top right if it fits there at a size scanners read, else across
 * the page.  Bytes outside printable ASCII are encoded and printed as
 * '?', as on the labels.
 */
static void
code_make(struct doc *d)
{
	int r, q;
	char *c;

	d->code = xstrdup(str(d->m->id));
	for (c = d->code; *c != '\0'; c++)
		if ((unsigned char)*c < 0x20 || (unsigned char)*c > 0x7e)
			*c = '?';
	if (d->code[0] == '\0')
		errx(EXIT_TROUBLE,
		    "cannot draw the hand-over sheet: the manifest has no id");
	if ((d->zs = ZBarcode_Create()) == NULL)
		errx(EXIT_TROUBLE, "cannot draw barcode '%s': out of memory",
		    d->code);
	d->zs->symbology = BARCODE_CODE128;
	d->zs->input_mode = DATA_MODE;
	d->zs->show_hrt = 0;
	d->zs->warn_level = WARN_FAIL_ALL;
	r = ZBarcode_Encode(
	    d->zs, (const unsigned char *)d->code, (int)strlen(d->code));
	if (r == 0)
		r = ZBarcode_Buffer_Vector(d->zs, 0);
	if (r != 0 || d->zs->vector == NULL || d->zs->width < 1)
		errx(EXIT_TROUBLE, "cannot draw barcode '%s': %s", d->code,
		    d->zs->errtxt);
	q = d->zs->width + 2 * QUIET;
	d->module = fmin(MODULE_MAX, BOX_W / q);
	if (d->module < MODULE_MIN) {
		d->wide = 1;
		d->module = fmin(MODULE_MAX, BODY_W / q);
	}
	if (d->module < MODULE_MIN)
		errx(EXIT_TROUBLE,
		    "cannot draw barcode '%s': too long for the sheet",
		    d->code);
}

static void
fields(struct doc *d)
{
	const struct manifest *m = d->m;
	struct field *f = d->field;

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
	*f++ = (struct field){"Pieces", xstrdup(d->pieces)};
	d->nfields = (int)(f - d->field);
}

static char **
cells(struct table *t, const char *title, const struct col *cols, int ncols,
    size_t nrows)
{
	*t = (struct table){title, cols, ncols, NULL, (int)nrows};
	t->cell = xcalloc(nrows * (size_t)ncols + 1, sizeof *t->cell);
	return t->cell;
}

static void
parcel_table(struct table *t, const struct manifest *m)
{
	char **c = cells(t, "PARCELS", parcel_cols,
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
total_tables(
    struct table *svc, struct table *cod, const struct manifest_totals *t)
{
	size_t ns = t->nservices, nc = t->ncod, i;
	char **c;

	if (ns > sizeof t->by_service / sizeof t->by_service[0])
		ns = sizeof t->by_service / sizeof t->by_service[0];
	if (nc > sizeof t->cod / sizeof t->cod[0])
		nc = sizeof t->cod / sizeof t->cod[0];
	c = cells(svc, "By service", service_cols,
	    (int)(sizeof service_cols / sizeof service_cols[0]), ns);
	for (i = 0; i < ns; i++) {
		*c++ = fonts_fmt("%s", str(t->by_service[i].service));
		*c++ = fonts_fmt("%zu", t->by_service[i].pieces);
		*c++ = kg(t->by_service[i].weight_g);
	}
	c = cells(cod, "COD to collect", cod_cols,
	    (int)(sizeof cod_cols / sizeof cod_cols[0]), nc);
	for (i = 0; i < nc; i++) {
		*c++ = amount(t->cod[i].currency, t->cod[i].amount);
		*c++ = fonts_fmt("%zu", t->cod[i].pieces);
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
check(cairo_status_t st, FILE *fp, const struct manifest *m)
{
	char what[128];

	snprintf(what, sizeof what, "the hand-over sheet of manifest '%s'",
	    str(m->id));
	fonts_check(st, fp, what);
}

/*
 * The creation date: cairo would take the clock's, and the same
 * manifest must make the same bytes.
 */
static void
dates(cairo_surface_t *sf, const struct manifest *m)
{
	char when[64];

	if (given(m->closed_at)) {
		cairo_pdf_surface_set_metadata(
		    sf, CAIRO_PDF_METADATA_CREATE_DATE, m->closed_at);
	} else if (given(m->ship_date)) {
		snprintf(when, sizeof when, "%.10sT00:00:00", m->ship_date);
		cairo_pdf_surface_set_metadata(
		    sf, CAIRO_PDF_METADATA_CREATE_DATE, when);
	}
}

void
manifest_pdf(FILE *fp, const struct manifest *m)
{
	struct table parcels, svc, cod;
	struct manifest_totals t;
	cairo_surface_t *sf;
	cairo_status_t st;
	struct doc d;
	char *title, *w;
	int i;

	memset(&d, 0, sizeof d);
	d.m = m;
	manifest_totals(m, &t);
	code_make(&d);
	w = kg(t.weight_g);
	d.pieces = fonts_fmt(
	    "%zu piece%s, %s kg", t.pieces, t.pieces == 1 ? "" : "s", w);
	free(w);
	fields(&d);
	d.cont = fonts_fmt("HAND-OVER MANIFEST  %s (continued)", d.code);
	d.foot = fonts_fmt("manifest %s    %s    ship date %s", d.code,
	    given(m->carrier_name) ? m->carrier_name : str(m->carrier),
	    str(m->ship_date));
	parcel_table(&parcels, m);
	total_tables(&svc, &cod, &t);

	fonts_begin();
	sf = cairo_pdf_surface_create_for_stream(
	    fonts_write_fp, fp, PAGE_W, PAGE_H);
	title = fonts_fmt("hand-over manifest %s", str(m->id));
	cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_TITLE, title);
	cairo_pdf_surface_set_metadata(
	    sf, CAIRO_PDF_METADATA_CREATOR, "fulfil " FULFIL_VERSION);
	dates(sf, m);
	d.cr = cairo_create(sf);

	layout(&d, &parcels, &svc, &cod);
	d.npages = d.page;
	d.draw = 1;
	layout(&d, &parcels, &svc, &cod);
	cairo_show_page(d.cr);

	check(cairo_status(d.cr), fp, m);
	cairo_destroy(d.cr);
	cairo_surface_finish(sf);
	st = cairo_surface_status(sf);
	cairo_surface_destroy(sf);
	fonts_end();
	check(st, fp, m);

	table_free(&parcels);
	table_free(&svc);
	table_free(&cod);
	for (i = 0; i < d.nfields; i++)
		free(d.field[i].val);
	ZBarcode_Delete(d.zs);
	free(d.code);
	free(d.pieces);
	free(d.cont);
	free(d.foot);
	free(title);
}
