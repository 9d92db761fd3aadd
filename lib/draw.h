/*
 * draw: what the cairo drawings of the tools share beyond their fonts
 * (fonts.h).
 *
 * The A4 documents (pick sheets, hand-over sheets) are drawn by
 * draw_pdf(): it runs the caller's layout twice, first only measuring
 * (d->draw 0) to count the pages for the footers, then drawing, one
 * flow, so that the two runs cannot disagree about where a page breaks.
 * A struct draw is that flow: where the next thing goes, on which page.
 * Tables run on over as many pages as they need, their column heads
 * repeated, under the heading d->cont; every page has "page i of n" in
 * its footer.  The output is the same bytes for the same input: the
 * PDF's creation date is d->created, never the clock's.
 *
 * Every drawing with a barcode (shipping labels, hand-over sheets) has
 * it as Code 128 by libzint, drawn as cairo rectangles.
 *
 * Ownership: the strings of a struct draw, and a struct draw_table's
 * title and columns, are borrowed.  A table owns its cells: the strings
 * the caller puts in the array draw_table_new() returns, freed with it
 * by draw_table_free().  draw_code128() returns a symbol the caller
 * frees with ZBarcode_Delete(), draw_ascii() a string the caller frees.
 * Write errors are left on the FILE for the caller's checked close; any
 * other cairo or zint failure exits 2.
 */
#ifndef FULFIL_DRAW_H
#define FULFIL_DRAW_H

#include <stddef.h>
#include <stdio.h>

#include <cairo.h>

struct zint_symbol;

/* A4 portrait, in PostScript points. */
#define DRAW_PAGE_W 595.276
#define DRAW_PAGE_H 841.890
#define DRAW_MARGIN 36.0
#define DRAW_BODY_W (DRAW_PAGE_W - 2 * DRAW_MARGIN)
/* The body stops at DRAW_BOTTOM; the footer is below. */
#define DRAW_BOTTOM (DRAW_PAGE_H - 48.0)

/* Tables: 9 pt text, a title 20 pt high over column heads 15 pt high. */
#define DRAW_TEXT_PT 9.0
#define DRAW_TITLE_H 20.0
#define DRAW_HEAD_H 15.0

enum draw_align { DRAW_LEFT, DRAW_CENTRE, DRAW_RIGHT };

struct draw {
	/* Set by the caller before draw_pdf(). */
	const char *title;   /* the PDF's */
	const char *created; /* the PDF's creation date, or NULL */
	const char *what;    /* "the pick sheet of batch 3", for errors */
	const char *cont;    /* the heading of the pages after the first */
	const char *foot;    /* on the left of every footer */
	int foot_fit;        /* foot cut short of the page number */
	double ascent;       /* table text's baseline below its line's top */
	/* The flow, set by draw_pdf() and the functions below. */
	cairo_t *cr;
	int draw; /* 0: only measuring */
	int page, npages;
	int rows; /* table rows on this page */
	double y; /* where the next thing goes, from the top */
};

struct draw_col {
	const char *head;
	double w;
	int right; /* aligned right */
	int bold;
};

/* Cells are clean UTF-8 (fonts_clean()), row by row. */
struct draw_table {
	const char *title;
	const struct draw_col *cols;
	int ncols;
	int box;  /* column 0 is an empty tick box */
	double w; /* shaded behind the head and every other row; 0: cols' */
	char **cell;
	int nrows;
};

/*
 * Write the PDF of layout to fp: the pages it draws on d, from page 1
 * with d->y at the top margin, and the footers.
 */
void draw_pdf(
    FILE *, struct draw *d, void (*layout)(struct draw *, void *), void *arg);
/* A PDF surface w by h points writing to fp, with its metadata set. */
cairo_surface_t *draw_pdf_surface(
    FILE *, double w, double h, const char *title, const char *created);
/*
 * Finish and free a PDF surface of draw_pdf_surface() and end the
 * fonts' use; a write error on fp ends the program, naming what.
 */
void draw_pdf_finish(cairo_surface_t *, FILE *, const char *what);

void draw_font(struct draw *, int bold, double pt);
void draw_grey(struct draw *, double g);
/* Text on baseline y, starting, centred or ending at x. */
void draw_show(
    struct draw *, double x, double y, const char *s, enum draw_align);
/*
 * Draw s in the current font in lines no wider than w, lh apart, the
 * first line's top at top and its baseline ascent below (see
 * fonts_break()).  Returns the height it takes, at least a line; only
 * measures when not drawing.
 */
double draw_wrap(struct draw *, const char *s, double x, double top, double w,
    double lh, double ascent, enum draw_align);
/* A heading at d->y, as a table's title. */
void draw_title(struct draw *, const char *s);
/* The footer; the next page, its heading d->cont. */
void draw_newpage(struct draw *);
/* A table at d->y, its heading repeated on each page it runs on to. */
void draw_table(struct draw *, const struct draw_table *);
/* Set up t for nrows rows; returns its cells to fill, row by row. */
char **draw_table_new(struct draw_table *t, const char *title,
    const struct draw_col *cols, int ncols, size_t nrows);
void draw_table_free(struct draw_table *);

/*
 * A copy of s as Code 128 holds it: the bytes outside printable ASCII
 * as '?'.
 */
char *draw_ascii(const char *s);
/*
 * s encoded by libzint as Code 128, or with gs1 set as GS1-128 (s has
 * the AIs in brackets: "[00]..."), for draw_bars(); name is the code in
 * error messages.
 */
struct zint_symbol *draw_code128(const char *s, int gs1, const char *name);
/* The bars of zs in black, module wide a module, h high, from x, y. */
void draw_bars(cairo_t *, const struct zint_symbol *, double x, double y,
    double module, double h);

#endif
