#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>

#include "catalog.h"
#include "err.h"
#include "fonts.h"
#include "marks.h"

/* The cell, in sizes: the frame, the pictogram's square, the words. */
#define FRAME 0.025
#define PICT_TOP 0.07
#define PICT 0.54
#define ZH_TOP 0.63
#define ZH_SIZE 0.16
#define EN_TOP 0.81
#define EN_SIZE 0.13
#define ASCENT 0.84 /* baseline below a line's top, in font sizes */

/* The words of each HANDLE_* bit, in bit order: ISO 780's, in two tongues. */
static const char *const words[HANDLE_N][2] = {
    {"易碎", "FRAGILE"},
    {"向上", "THIS WAY UP"},
    {"不能承压", "DO NOT STACK"},
    {"怕湿", "KEEP DRY"},
};

/* The pictograms are drawn in a unit square, black on the paper. */

static void
glass(cairo_t *cr)
{
	cairo_move_to(cr, 0.24, 0.04);
	cairo_line_to(cr, 0.76, 0.04);
	cairo_curve_to(cr, 0.78, 0.40, 0.64, 0.56, 0.5, 0.56);
	cairo_curve_to(cr, 0.36, 0.56, 0.22, 0.40, 0.24, 0.04);
	cairo_close_path(cr);
	cairo_fill(cr);
	cairo_rectangle(cr, 0.465, 0.54, 0.07, 0.34);
	cairo_fill(cr);
	cairo_move_to(cr, 0.5, 0.84);
	cairo_curve_to(cr, 0.62, 0.88, 0.72, 0.90, 0.74, 0.96);
	cairo_line_to(cr, 0.26, 0.96);
	cairo_curve_to(cr, 0.28, 0.90, 0.38, 0.88, 0.5, 0.84);
	cairo_close_path(cr);
	cairo_fill(cr);
}

static void
arrows(cairo_t *cr)
{
	double x[2] = {0.3, 0.7};
	int i;

	for (i = 0; i < 2; i++) {
		cairo_move_to(cr, x[i], 0.04);
		cairo_line_to(cr, x[i] + 0.17, 0.36);
		cairo_line_to(cr, x[i] + 0.05, 0.36);
		cairo_line_to(cr, x[i] + 0.05, 0.84);
		cairo_line_to(cr, x[i] - 0.05, 0.84);
		cairo_line_to(cr, x[i] - 0.05, 0.36);
		cairo_line_to(cr, x[i] - 0.17, 0.36);
		cairo_close_path(cr);
		cairo_fill(cr);
	}
	cairo_rectangle(cr, 0.08, 0.89, 0.84, 0.07);
	cairo_fill(cr);
}

static void
nostack(cairo_t *cr)
{
	cairo_rectangle(cr, 0.18, 0.56, 0.64, 0.40);
	cairo_fill(cr);
	cairo_set_line_width(cr, 0.06);
	cairo_rectangle(cr, 0.32, 0.12, 0.36, 0.30);
	cairo_stroke(cr);
	cairo_set_line_width(cr, 0.08);
	cairo_move_to(cr, 0.14, 0.03);
	cairo_line_to(cr, 0.86, 0.50);
	cairo_move_to(cr, 0.86, 0.03);
	cairo_line_to(cr, 0.14, 0.50);
	cairo_stroke(cr);
}

static void
drop(cairo_t *cr, double x, double y)
{
	cairo_move_to(cr, x, y);
	cairo_curve_to(
	    cr, x + 0.02, y + 0.05, x + 0.06, y + 0.08, x + 0.06, y + 0.12);
	cairo_arc(cr, x, y + 0.12, 0.06, 0, M_PI);
	cairo_curve_to(cr, x - 0.06, y + 0.08, x - 0.02, y + 0.05, x, y);
	cairo_close_path(cr);
	cairo_fill(cr);
}

static void
umbrella(cairo_t *cr)
{
	drop(cr, 0.14, 0.0);
	drop(cr, 0.5, 0.0);
	drop(cr, 0.86, 0.0);
	cairo_arc(cr, 0.5, 0.64, 0.40, M_PI, 2 * M_PI);
	cairo_close_path(cr);
	cairo_fill(cr);
	cairo_set_line_width(cr, 0.07);
	cairo_move_to(cr, 0.5, 0.62);
	cairo_line_to(cr, 0.5, 0.86);
	cairo_arc(cr, 0.42, 0.86, 0.08, 0, M_PI);
	cairo_stroke(cr);
}

static void (*const pictogram[HANDLE_N])(cairo_t *) = {
    glass, arrows, nostack, umbrella};

/* s centred in w from x, its top at top, at size or smaller to fit. */
static void
word(cairo_t *cr, const char *s, double x, double top, double w, double size)
{
	double tw;

	fonts_use(cr, 1, size);
	tw = fonts_cairo_width(cr, s, strlen(s));
	if (tw > w) {
		/* Set smaller, never cut: the words are ours and short. */
		size *= w / tw;
		fonts_use(cr, 1, size);
		tw = w;
	}
	cairo_move_to(cr, x + (w - tw) / 2, top + ASCENT * size);
	cairo_show_text(cr, s);
}

static int
count(unsigned handling)
{
	int i, n = 0;

	for (i = 0; i < HANDLE_N; i++)
		if (handling & 1u << i)
			n++;
	return n;
}

double
marks_width(unsigned handling, double size)
{
	int n = count(handling);

	return n == 0 ? 0 : size * (n * MARKS_ASPECT + (n - 1) * MARKS_GAP);
}

double
draw_marks(cairo_t *cr, unsigned handling, double x, double y, double size)
{
	double w = size * MARKS_ASPECT, t = fmax(1, FRAME * size), px;
	int i;

	cairo_save(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	for (i = 0; i < HANDLE_N; i++) {
		if (!(handling & 1u << i))
			continue;
		cairo_set_line_width(cr, t);
		cairo_rectangle(cr, x + t / 2, y + t / 2, w - t, size - t);
		cairo_stroke(cr);
		px = PICT * size;
		cairo_save(cr);
		cairo_translate(cr, x + (w - px) / 2, y + PICT_TOP * size);
		cairo_scale(cr, px, px);
		pictogram[i](cr);
		cairo_restore(cr);
		word(cr, words[i][0], x + 2 * t, y + ZH_TOP * size, w - 4 * t,
		    ZH_SIZE * size);
		word(cr, words[i][1], x + 2 * t, y + EN_TOP * size, w - 4 * t,
		    EN_SIZE * size);
		x += w + MARKS_GAP * size;
	}
	cairo_restore(cr);
	return marks_width(handling, size);
}

/*
 * n hex digits c in the printer's ASCII compression: G..Y count 1 to 19,
 * g..z 20 to 400, added up before the digit they repeat.
 */
static void
zpl_run(FILE *fp, int c, int n)
{
	while (n >= 400) {
		putc('z', fp);
		n -= 400;
	}
	if (n >= 20)
		putc('f' + n / 20, fp);
	if (n % 20 > 0)
		putc('F' + n % 20, fp);
	putc(c, fp);
}

/* The kth hex digit of a row of bytes. */
static int
digit(const unsigned char *row, int k)
{
	return "0123456789ABCDEF"[k % 2 == 0 ? row[k / 2] >> 4
					     : row[k / 2] & 15];
}

/*
 * One row of a ^GFA graphic, bytes as hex digits compressed: a row like
 * the one before is ':', the zeros that end a row are ','.
 */
static void
zpl_row(
    FILE *fp, const unsigned char *row, const unsigned char *prev, int bytes)
{
	int n = 2 * bytes, end = n, i, j, c;

	if (prev != NULL && memcmp(row, prev, (size_t)bytes) == 0) {
		putc(':', fp);
		return;
	}
	while (end > 0 && digit(row, end - 1) == '0')
		end--;
	for (i = 0; i < end; i = j) {
		c = digit(row, i);
		for (j = i + 1; j < end && digit(row, j) == c; j++)
			;
		if (j - i == 1)
			putc(c, fp);
		else
			zpl_run(fp, c, j - i);
	}
	if (end < n)
		putc(',', fp);
}

/*
 * The ^GFA graphic of handling at dots, drawn and compressed into a
 * buffer: *len bytes, the width in *w; NULL if cairo failed (said on
 * fp as fonts_check says).
 */
static char *
zpl_graphic(FILE *fp, unsigned handling, int dots, int *w, size_t *len)
{
	int bytes, r, c;
	unsigned char *bits, *row;
	const unsigned char *px;
	cairo_surface_t *sf;
	cairo_status_t st;
	cairo_t *cr;
	char *buf = NULL;
	FILE *mp;
	int stride;

	*w = (int)ceil(marks_width(handling, dots));
	fonts_begin();
	sf = cairo_image_surface_create(CAIRO_FORMAT_A8, *w, dots);
	cr = cairo_create(sf);
	draw_marks(cr, handling, 0, 0, dots);
	st = cairo_status(cr);
	cairo_destroy(cr);
	if (st != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(sf);
		fonts_end();
		fonts_check(st, fp, "the handling marks");
		return NULL;
	}
	cairo_surface_flush(sf);
	/* A dot is printed where the drawing covers half of it or more. */
	bytes = (*w + 7) / 8;
	bits = xcalloc((size_t)dots, (size_t)bytes);
	px = cairo_image_surface_get_data(sf);
	stride = cairo_image_surface_get_stride(sf);
	for (r = 0; r < dots; r++)
		for (c = 0; c < *w; c++)
			if (px[r * stride + c] >= 128)
				bits[r * bytes + c / 8] |= 0x80 >> c % 8;
	cairo_surface_destroy(sf);
	fonts_end();
	if ((mp = open_memstream(&buf, len)) == NULL)
		err_exit_sys(EXIT_TROUBLE, "open_memstream");
	fprintf(mp, "^GFA,%d,%d,%d,", bytes * dots, bytes * dots, bytes);
	for (r = 0, row = bits; r < dots; r++, row += bytes)
		zpl_row(mp, row, r > 0 ? row - bytes : NULL, bytes);
	fputs("^FS\n", mp);
	if (fclose(mp) == EOF)
		err_exit_sys(EXIT_TROUBLE, "open_memstream");
	free(bits);
	return buf;
}

/*
 * The graphics made so far, by handling and size: a label printer's run
 * meets a handful of them, and drawing one took two fifths of label's
 * time (a cairo surface, its fonts and a fresh zeroed buffer each).
 * Kept for the process; a mutex, as slips and labels may draw at once.
 */
static struct graphic {
	unsigned handling;
	int dots, w;
	char *zpl;
	size_t len;
} *graphics;
static size_t ngraphics, graphicscap;
static pthread_mutex_t graphics_lock = PTHREAD_MUTEX_INITIALIZER;

int
marks_zpl(FILE *fp, unsigned handling, int x, int y, int dots)
{
	struct graphic *g = NULL;
	size_t i;

	if (ceil(marks_width(handling, dots)) == 0 || dots <= 0)
		return 0;
	pthread_mutex_lock(&graphics_lock);
	for (i = 0; i < ngraphics && g == NULL; i++)
		if (graphics[i].handling == handling &&
		    graphics[i].dots == dots)
			g = &graphics[i];
	if (g == NULL) {
		struct graphic n = {handling, dots, 0, NULL, 0};

		if ((n.zpl = zpl_graphic(fp, handling, dots, &n.w, &n.len)) ==
		    NULL) {
			pthread_mutex_unlock(&graphics_lock);
			return 0;
		}
		xgrow(&graphics, &graphicscap, ngraphics + 1, sizeof *graphics);
		g = &graphics[ngraphics++];
		*g = n;
	}
	fprintf(fp, "^FO%d,%d", x, y);
	fwrite(g->zpl, 1, g->len, fp);
	i = (size_t)g->w;
	pthread_mutex_unlock(&graphics_lock);
	return (int)i;
}
