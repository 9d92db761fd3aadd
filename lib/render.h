/*
 * render: shipping labels, 4x6 in (203 dpi) or 100x150 mm, as ZPL for
 * thermal printers, PDF pages and PNG images (cairo, barcodes by libzint).
 *
 * The caller decides every word on the label (render never looks at an
 * order or the configuration): struct label holds the text as it is to
 * print, the phone already masked.  Text that does not fit its box is
 * wrapped, then cut with a visible "..." - never drawn over the edge -
 * and the renderer says which fields it cut, so that the warning can
 * name them.  The handling marks are ISO 780 pictograms (marks.h).
 * Data never breaks the ZPL: field data goes through ^FH with ^, ~ and
 * \ escaped.
 *
 * Ownership: the struct label and its strings are the caller's; a
 * struct render_pdf is freed by render_pdf_close().  Write errors are
 * left on the FILE for the caller (outfile_commit) to report; any other
 * cairo or zint failure exits 2.
 *
 * Barcodes are Code 128; with gs1 set the tracking number must be an
 * SSCC-18 with its check digit right (else exit 2), drawn as GS1-128
 * with AI (00), "(00)" and the 18 digits under it.  Bytes of a tracking
 * number outside printable ASCII are encoded and printed as '?'.  PDF
 * and PNG text is drawn in the fonts of fonts.h; a struct render_pdf
 * holds cairo objects from render_pdf_open() to render_pdf_close(), so
 * close it before exit (fonts.h).  A PDF's creation date is the first
 * label's date, so that the same labels make the same bytes.  ZPL text
 * is placed by a guess at the printer font's widths, on the high side.
 */
#ifndef FULFIL_RENDER_H
#define FULFIL_RENDER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct label_addr {
	const char *name;
	const char *line1, *line2;            /* line2 may be NULL */
	const char *city, *region, *postcode; /* region, postcode may be NULL */
	const char *country;                  /* alpha-2 */
	const char *phone;                    /* as printed, may be NULL */
	/* The country as printed, "Germany", or NULL: the code. */
	const char *country_name;
	const char *country_local; /* "Deutschland" when it fits, or NULL */
};

struct label {
	const char *carrier; /* the carrier's name, "SF Express" */
	const char *service; /* "express" */
	const char *tracking;
	const char *sort_code;  /* the carrier helper's, or NULL */
	int gs1;                /* tracking is an SSCC: GS1-128, AI (00) */
	struct label_addr to;   /* ship-to */
	struct label_addr from; /* return address */
	const char *order_ref;  /* "shopify 1001" */
	int parcel, parcels;    /* n of m */
	int64_t weight_g;
	const char *date;  /* ship date, YYYY-MM-DD */
	const char *cod;   /* amount to collect, "CNY 786.00", or NULL */
	unsigned handling; /* HANDLE_* bits of catalog.h */
	const char
	    *window; /* timed delivery, "2026-11-24 09:00-12:00", or NULL */
};

enum label_size {
	LABEL_4X6,    /* 4 x 6 in: 812 x 1218 dots at 203 dpi */
	LABEL_100X150 /* 100 x 150 mm: 799 x 1199 dots at 203 dpi */
};

/* The parts of a label whose text may be cut short, as bits. */
enum render_field {
	RENDER_CARRIER = 1 << 0,
	RENDER_SERVICE = 1 << 1,
	RENDER_PARCEL = 1 << 2, /* n/m and the weight */
	RENDER_FROM = 1 << 3,
	RENDER_SHIP_TO = 1 << 4,
	RENDER_ORDER = 1 << 5, /* the order reference and the date */
	RENDER_WINDOW = 1 << 6,
	RENDER_TRACKING = 1 << 7, /* the number under the bars */
	RENDER_COD = 1 << 8,
	RENDER_SORT = 1 << 9, /* a carrier helper's sort code */
	RENDER_FORM = 1 << 10 /* a form printed with the label (customs) */
};

/*
 * A form that goes with a label (the customs declaration, customs.h):
 * rows top down, each of cells side by side, each cell a share of the
 * width, its text wrapped to at most max lines.  A row with rule set
 * has a line drawn above it.  Rows that do not fit are left out and the
 * form counts as cut.
 */
#define FORM_CELLS 6

struct form_cell {
	const char *text; /* may be NULL */
	double share;     /* of the width; the row's shares add up to 1 */
	double size;      /* dots */
	int bold, max;
	int right; /* aligned right */
};

struct form_row {
	struct form_cell cell[FORM_CELLS];
	int n;
	int rule;
};

struct form {
	struct form_row *rows;
	size_t n;
};

/*
 * Each renderer returns the render_field bits of the fields it had to
 * cut short (with the ellipsis), so that the caller can say which.
 */

/* One label in ZPL II (^XA .. ^XZ), UTF-8 (^CI28), printer font font. */
unsigned render_zpl(
    FILE *, const struct label *, enum label_size, const char *font);
/* A form as a label of its own, the same size, in ZPL II. */
unsigned render_zpl_form(
    FILE *, const struct form *, enum label_size, const char *font);

/* A PDF with one label per page, each page the label's physical size. */
struct render_pdf;
struct render_pdf *render_pdf_open(FILE *, enum label_size);
unsigned render_pdf_add(struct render_pdf *, const struct label *);
/* A form on a page of its own after the last label. */
unsigned render_pdf_add_form(struct render_pdf *, const struct form *);
void render_pdf_close(struct render_pdf *);

/* One label as a PNG image at 203 dpi. */
unsigned render_png(FILE *, const struct label *, enum label_size);
/* A form as a PNG image of a label's size. */
unsigned render_png_form(FILE *, const struct form *, enum label_size);

/*
 * The fields of the render_field bits cut, in words for a message
 * ("the carrier's name, the ship-to address"), in buf of len bytes.
 */
const char *render_cut_names(unsigned cut, char *buf, size_t len);

#endif
