#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <zint.h>

#include "draw.h"
#include "err.h"
#include "fonts.h"

#ifndef FULFIL_VERSION
#define FULFIL_VERSION "?"
#endif

/* Table text on 11 pt lines, rows padded by PAD, cells by CPAD. */
#define LINE_H 11.0
#define PAD 3.0
#define CPAD 3.0
#define GAP 14.0 /* after a table */

cairo_surface_t *
draw_pdf_surface(
    FILE *fp, double w, double h, const char *title, const char *created)
{
	cairo_surface_t *sf =
	    cairo_pdf_surface_create_for_stream(fonts_write_fp, fp, w, h);

	cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_TITLE, title);
	cairo_pdf_surface_set_metadata(
	    sf, CAIRO_PDF_METADATA_CREATOR, "fulfil " FULFIL_VERSION);
	if (created != NULL)
		cairo_pdf_surface_set_metadata(
		    sf, CAIRO_PDF_METADATA_CREATE_DATE, created);
	return sf;
}

void
draw_pdf_finish(cairo_surface_t *sf, FILE *fp, const char *what)
{
	cairo_status_t st;

	cairo_surface_finish(sf);
	st = cairo_surface_status(sf);
	cairo_surface_destroy(sf);
	fonts_end();
	fonts_check(st, fp, what);
}

void
draw_font(struct draw *d, int bold, double pt)
{
	fonts_use(d->cr, bold, pt);
}

void
draw_grey(struct draw *d, double g)
{
	cairo_set_source_rgb(d->cr, g, g, g);
}

void
draw_show(struct draw *d, double x, double y, const char *s, enum draw_align a)
{
	if (!d->draw)
		return;
	if (a != DRAW_LEFT)
		x -= fonts_cairo_width(d->cr, s, strlen(s)) /
		     (a == DRAW_CENTRE ? 2 : 1);
	cairo_move_to(d->cr, x, y);
	cairo_show_text(d->cr, s);
}

double
draw_wrap(struct draw *d, const char *s, double x, double top, double w,
    double lh, double ascent, enum draw_align a)
{
	double y = top;
	size_t end, next;
	char *line;

	if (a == DRAW_CENTRE)
		x += w / 2;
	else if (a == DRAW_RIGHT)
		x += w;
	while (*s == ' ')
		s++;
	do {
		end = fonts_break(s, w, fonts_cairo_width, d->cr, &next);
		if (d->draw) {
			line = xstrndup(s, end);
			draw_show(d, x, y + ascent, line, a);
			free(line);
		}
		y += lh;
		s += next;
	} while (*s != '\0');
	return y - top;
}

static double
table_w(const struct draw_table *t)
{
	double w = 0;
	int c;

	if (t->w > 0)
		return t->w;
	for (c = 0; c < t->ncols; c++)
		w += t->cols[c].w;
	return w;
}

/* The text of cell r, c, in its column x from the left, less the padding. */
static double
cell(struct draw *d, const struct draw_table *t, int r, int c, double x,
    double top)
{
	const struct draw_col *col = &t->cols[c];

	draw_font(d, col->bold, DRAW_TEXT_PT);
	return draw_wrap(d, t->cell[r * t->ncols + c], x + CPAD, top,
	    col->w - 2 * CPAD, LINE_H, d->ascent,
	    col->right ? DRAW_RIGHT : DRAW_LEFT);
}

static double
row_height(struct draw *d, const struct draw_table *t, int r)
{
	double h, most = 0;
	int c, draw = d->draw;

	d->draw = 0;
	for (c = t->box ? 1 : 0; c < t->ncols; c++) {
		h = cell(d, t, r, c, 0, 0);
		if (h > most)
			most = h;
	}
	d->draw = draw;
	return most + 2 * PAD;
}

static void
table_head(struct draw *d, const struct draw_table *t)
{
	double x = DRAW_MARGIN;
	int c;

	if (d->draw) {
		draw_grey(d, 0.85);
		cairo_rectangle(
		    d->cr, DRAW_MARGIN, d->y, table_w(t), DRAW_HEAD_H);
		cairo_fill(d->cr);
		draw_grey(d, 0);
	}
	draw_font(d, 1, DRAW_TEXT_PT - 0.5);
	for (c = 0; c < t->ncols; c++) {
		if (t->cols[c].right)
			draw_show(d, x + t->cols[c].w - CPAD, d->y + 11,
			    t->cols[c].head, DRAW_RIGHT);
		else
			draw_show(
			    d, x + CPAD, d->y + 11, t->cols[c].head, DRAW_LEFT);
		x += t->cols[c].w;
	}
	d->y += DRAW_HEAD_H;
}

static void
table_row(struct draw *d, const struct draw_table *t, int r, double h)
{
	double x = DRAW_MARGIN;
	int c;

	if (d->draw && d->rows % 2 == 1) {
		draw_grey(d, 0.94);
		cairo_rectangle(d->cr, DRAW_MARGIN, d->y, table_w(t), h);
		cairo_fill(d->cr);
		draw_grey(d, 0);
	}
	for (c = 0; c < t->ncols; c++) {
		if (c == 0 && t->box) {
			if (d->draw) {
				cairo_set_line_width(d->cr, 0.8);
				cairo_rectangle(
				    d->cr, x + CPAD, d->y + PAD + 1, 8, 8);
				cairo_stroke(d->cr);
			}
		} else {
			cell(d, t, r, c, x, d->y + PAD);
		}
		x += t->cols[c].w;
	}
	d->y += h;
	d->rows++;
}

static void
footer(struct draw *d)
{
	char num[64], *left;
	size_t n;

	if (!d->draw)
		return;
	snprintf(num, sizeof num, "page %d of %d", d->page, d->npages);
	draw_font(d, 0, 8);
	draw_grey(d, 0.35);
	/* Cut short rather than run into the page number. */
	n = d->foot_fit
		? fonts_fit(d->foot, DRAW_BODY_W - 72, fonts_cairo_width, d->cr)
		: strlen(d->foot);
	left = xstrndup(d->foot, n);
	draw_show(d, DRAW_MARGIN, DRAW_PAGE_H - 24, left, DRAW_LEFT);
	free(left);
	draw_show(
	    d, DRAW_PAGE_W - DRAW_MARGIN, DRAW_PAGE_H - 24, num, DRAW_RIGHT);
	draw_grey(d, 0);
}

void
draw_newpage(struct draw *d)
{
	footer(d);
	if (d->draw)
		cairo_show_page(d->cr);
	d->page++;
	d->rows = 0;
	d->y = DRAW_MARGIN;
	draw_font(d, 1, 11);
	draw_show(d, DRAW_MARGIN, d->y + 11, d->cont, DRAW_LEFT);
	d->y += 22;
}

void
draw_title(struct draw *d, const char *s)
{
	draw_font(d, 1, 11);
	draw_show(d, DRAW_MARGIN, d->y + 12, s, DRAW_LEFT);
	d->y += DRAW_TITLE_H;
}

void
draw_table(struct draw *d, const struct draw_table *t)
{
	double h = t->nrows > 0 ? row_height(d, t, 0) : 0;
	int r;

	if (d->y + DRAW_TITLE_H + DRAW_HEAD_H + h > DRAW_BOTTOM)
		draw_newpage(d);
	draw_title(d, t->title);
	d->rows = 0;
	table_head(d, t);
	for (r = 0; r < t->nrows; r++) {
		h = row_height(d, t, r);
		/* A row taller than a page goes on one anyway, cut short. */
		if (d->y + h > DRAW_BOTTOM && d->rows > 0) {
			draw_newpage(d);
			table_head(d, t);
		}
		table_row(d, t, r, h);
	}
	d->y += GAP;
}

char **
draw_table_new(struct draw_table *t, const char *title,
    const struct draw_col *cols, int ncols, size_t nrows)
{
	*t = (struct draw_table){
	    .title = title, .cols = cols, .ncols = ncols, .nrows = (int)nrows};
	t->cell = xcalloc(nrows * (size_t)ncols + 1, sizeof *t->cell);
	return t->cell;
}

void
draw_table_free(struct draw_table *t)
{
	int i;

	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cell[i]);
	free(t->cell);
}

/* One run of the layout, from the top of page 1. */
static void
run(struct draw *d, void (*layout)(struct draw *, void *), void *arg)
{
	d->page = 1;
	d->rows = 0;
	d->y = DRAW_MARGIN;
	layout(d, arg);
	footer(d);
}

void
draw_pdf(
    FILE *fp, struct draw *d, void (*layout)(struct draw *, void *), void *arg)
{
	cairo_surface_t *sf;

	fonts_begin();
	sf = draw_pdf_surface(
	    fp, DRAW_PAGE_W, DRAW_PAGE_H, d->title, d->created);
	d->cr = cairo_create(sf);

	d->draw = 0;
	run(d, layout, arg);
	d->npages = d->page;
	d->draw = 1;
	run(d, layout, arg);
	cairo_show_page(d->cr);

	fonts_check(cairo_status(d->cr), fp, d->what);
	cairo_destroy(d->cr);
	d->cr = NULL;
	draw_pdf_finish(sf, fp, d->what);
}

char *
draw_ascii(const char *s)
{
	char *t = xstrdup(s), *c;

	for (c = t; *c != '\0'; c++)
		if ((unsigned char)*c < 0x20 || (unsigned char)*c > 0x7e)
			*c = '?';
	return t;
}

struct zint_symbol *
draw_code128(const char *s, int gs1, const char *name)
{
	struct zint_symbol *zs = ZBarcode_Create();
	int r;

	if (zs == NULL)
		err_exit(EXIT_TROUBLE,
		    "cannot draw barcode '%s': out of memory", name);
	zs->symbology = gs1 ? BARCODE_GS1_128 : BARCODE_CODE128;
	zs->input_mode = gs1 ? GS1_MODE : DATA_MODE;
	zs->show_hrt = 0;
	zs->warn_level = WARN_FAIL_ALL;
	r = ZBarcode_Encode(zs, (const unsigned char *)s, (int)strlen(s));
	if (r == 0)
		r = ZBarcode_Buffer_Vector(zs, 0);
	if (r != 0 || zs->vector == NULL || zs->width < 1)
		err_exit(EXIT_TROUBLE, "cannot draw barcode '%s': %s", name,
		    zs->errtxt);
	return zs;
}

/* zint's vector output is in a fixed fraction of a module. */
void
draw_bars(cairo_t *cr, const struct zint_symbol *zs, double x, double y,
    double module, double h)
{
	const struct zint_vector_rect *r;
	double k = module * zs->width / zs->vector->width;

	cairo_set_source_rgb(cr, 0, 0, 0);
	for (r = zs->vector->rectangles; r != NULL; r = r->next)
		if (r->colour == -1)
			cairo_rectangle(cr, x + r->x * k, y, r->width * k, h);
	cairo_fill(cr);
}
