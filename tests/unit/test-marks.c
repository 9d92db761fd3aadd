/*
 * marks: the ^GFA graphic of the handling marks decoded here by the
 * ZPL II manual's rules for ASCII compression (G..Y and g..z repeat
 * counts, ',' zeros to the row's end, '!' ones to its end, ':' the row
 * before) must be, dot for dot, the same vector drawing draw_marks()
 * puts on an image; the widths add up; no marks, no graphic.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>

#include "catalog.h"
#include "fonts.h"
#include "marks.h"
#include "tap.h"
#include "tools.h"

static int
hexval(int c)
{
	return c >= 'A' ? c - 'A' + 10 : c - '0';
}

/*
 * The bitmap of the first ^GFA in z, rows of bytes; NULL if it is not
 * well formed.  *w is the bytes a row, *h the rows.
 */
static unsigned char *
decode(const char *z, int *w, int *h)
{
	int total, total2, bpr, n = 0, row = 0, at = 0, k;
	unsigned char *bits, *cur;
	const char *s = strstr(z, "^GFA,");

	if (s == NULL ||
	    sscanf(s, "^GFA,%d,%d,%d,", &total, &total2, &bpr) != 3 ||
	    total != total2 || bpr <= 0 || total % bpr != 0)
		return NULL;
	*w = bpr;
	*h = total / bpr;
	for (k = 0; k < 4; s++)
		if (*s == ',')
			k++;
	bits = calloc((size_t)total, 1);
	cur = calloc((size_t)bpr * 2, 1); /* the row as hex digits */
	for (; *s != '^' && *s != '\0'; s++) {
		if (*s >= 'G' && *s <= 'Y') {
			n += *s - 'F';
		} else if (*s >= 'g' && *s <= 'z') {
			n += (*s - 'f') * 20;
		} else if (*s == ',' || *s == '!' || *s == ':') {
			if (*s == ':' && at == 0 && row > 0)
				memcpy(bits + row * bpr, bits + (row - 1) * bpr,
				    (size_t)bpr);
			else
				for (; at < 2 * bpr; at++)
					cur[at] = *s == '!' ? 15 : 0;
			if (*s != ':' || at != 0)
				for (k = 0; k < bpr; k++)
					bits[row * bpr + k] =
					    (unsigned char)(cur[2 * k] << 4 |
							    cur[2 * k + 1]);
			row++;
			at = 0;
			n = 0;
		} else {
			for (n = n == 0 ? 1 : n; n > 0 && at < 2 * bpr; n--)
				cur[at++] = (unsigned char)hexval(*s);
			n = 0;
			if (at == 2 * bpr) {
				for (k = 0; k < bpr; k++)
					bits[row * bpr + k] =
					    (unsigned char)(cur[2 * k] << 4 |
							    cur[2 * k + 1]);
				row++;
				at = 0;
			}
		}
	}
	free(cur);
	if (row != *h) {
		free(bits);
		return NULL;
	}
	return bits;
}

/* draw_marks() on an A8 image w x h, as 1-bit rows, by our own hand. */
static unsigned char *
drawn(unsigned handling, int w, int h, int bpr)
{
	cairo_surface_t *sf = cairo_image_surface_create(CAIRO_FORMAT_A8, w, h);
	cairo_t *cr = cairo_create(sf);
	unsigned char *bits = calloc((size_t)bpr * h, 1), *px;
	int r, c, st;

	draw_marks(cr, handling, 0, 0, h);
	cairo_destroy(cr);
	cairo_surface_flush(sf);
	px = cairo_image_surface_get_data(sf);
	st = cairo_image_surface_get_stride(sf);
	for (r = 0; r < h; r++)
		for (c = 0; c < w; c++)
			if (px[r * st + c] >= 128)
				bits[r * bpr + c / 8] |= 0x80 >> c % 8;
	cairo_surface_destroy(sf);
	return bits;
}

static void
graphic(unsigned handling, int dots, const char *what)
{
	char *z;
	size_t len;
	FILE *fp = memfile(&z, &len);
	int w = marks_zpl(fp, handling, 27, 1077, dots), bpr = 0, h = 0, n = 0;
	unsigned char *got, *want;
	size_t i;

	shut(fp, "open_memstream");
	ok(w == (int)ceil(marks_width(handling, dots)), "%s: %d dots wide",
	    what, w);
	ok(strncmp(z, "^FO27,1077^GFA,", 15) == 0 &&
		strcmp(z + len - 4, "^FS\n") == 0,
	    "%s: one ^GFA field where asked", what);
	got = decode(z, &bpr, &h);
	ok(got != NULL && bpr == (w + 7) / 8 && h == dots,
	    "%s: decodes to %d rows of %d bytes", what, h, bpr);
	fonts_begin();
	want = drawn(handling, w, dots, (w + 7) / 8);
	fonts_end();
	for (i = 0; got != NULL && i < (size_t)bpr * h; i++)
		n += __builtin_popcount(want[i]);
	ok(got != NULL && memcmp(got, want, (size_t)bpr * h) == 0 && n > 0,
	    "%s: dot for dot the drawing (%d dots inked)", what, n);
	ok(len < (size_t)bpr * h, "%s: compressed, %zu bytes for %d", what, len,
	    bpr * h);
	free(got);
	free(want);
	free(z);
}

int
main(void)
{
	char *z;
	size_t len;
	FILE *fp;
	cairo_surface_t *sf;
	cairo_t *cr;
	double r, g, b, a;

	ok(marks_width(0, 100) == 0, "no marks: no width");
	ok(fabs(marks_width(HANDLE_FRAGILE | HANDLE_KEEPDRY, 100) -
		(2 * 100 * MARKS_ASPECT + 100 * MARKS_GAP)) < 1e-9,
	    "two marks: two cells and a gap");
	fp = memfile(&z, &len);
	ok(marks_zpl(fp, 0, 0, 0, 120) == 0, "no marks: marks_zpl draws none");
	shut(fp, "open_memstream");
	ok(len == 0, "and writes nothing");
	free(z);

	graphic(HANDLE_FRAGILE, 120, "fragile");
	graphic((1u << HANDLE_N) - 1, 120, "all four");
	graphic(HANDLE_NOSTACK | HANDLE_UPRIGHT, 57, "two, small");

	fonts_begin();
	sf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 400, 100);
	cr = cairo_create(sf);
	cairo_set_source_rgb(cr, 1, 0, 0);
	cairo_set_line_width(cr, 3);
	ok(draw_marks(cr, HANDLE_KEEPDRY, 10, 10, 80) == 80 * MARKS_ASPECT,
	    "draw_marks: returns the width");
	ok(cairo_pattern_get_rgba(cairo_get_source(cr), &r, &g, &b, &a) ==
		    CAIRO_STATUS_SUCCESS &&
		r == 1 && g == 0 && cairo_get_line_width(cr) == 3,
	    "and leaves the context as it was");
	cairo_destroy(cr);
	cairo_surface_destroy(sf);
	fonts_end();
	return done_testing();
}
