#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <zint.h>

#include "catalog.h"
#include "draw.h"
#include "err.h"
#include "fonts.h"
#include "marks.h"
#include "render.h"
#include "tracking.h"

/*
 * One layout, in printer dots at 203 dpi, for every output: ZPL places
 * fields at those dots, PNG draws them one pixel each, PDF scales them
 * to points.  Sizes are a font's height in dots.
 */
#define DPI 203.0
#define MARGIN 10 /* from the label's edge to the frame */
#define RULE 3    /* the frame and the rules between the parts */
#define PAD 14    /* inside a part */
#define LEADING 1.18
#define ASCENT 0.84 /* cairo: baseline below a line's top, in sizes */
#define ELLIPSIS "\xe2\x80\xa6"

#define HEAD_H 132
#define FROM_H 138
#define INFO_H 62 /* one row; the delivery window adds WINDOW_H */
#define WINDOW_H 40
#define MARKS_H 136 /* the pictograms' cells, 8 dots of air above and below */
#define COD_H 104
#define COD_SIZE 60
#define SORT_H 96 /* a carrier's sort code, when it gave one */
#define SORT_SIZE 64
#define BARS_H 210   /* the bars */
#define HRT_SIZE 32  /* the number under them */
#define HRT_GAP 6    /* between the two */
#define QUIET 10     /* modules of quiet zone either side */
#define MAX_MODULE 4 /* dots: 0.5 mm, the most GS1 logistic labels ask */

enum align { LEFT, CENTRE, RIGHT };

/* The fields of enum render_field, in bit order, for messages. */
static const char *const field_names[] = {"the carrier's name", "the service",
    "the parcel count or weight", "the return address", "the ship-to address",
    "the order reference or date", "the delivery window", "the tracking number",
    "the COD amount", "the sort code", "the customs declaration"};
_Static_assert(
    1u << sizeof field_names / sizeof field_names[0] == RENDER_FORM << 1,
    "a name for each render_field");

/*
 * Where a label is drawn: a cairo context whose unit is the dot, or a
 * FILE taking ZPL.  The one layout is drawn by both; only the measure of
 * text differs, cairo's exact, the printer's a guess (zpl_width()).
 */
struct pen {
	cairo_t *cr; /* NULL: ZPL to fp */
	FILE *fp;
	const char *font; /* ZPL printer font */
	int font_file;    /* the font is a file on the printer: ^A@ */
	double size;      /* of the text being set */
	double w, h;      /* the label, dots */
	unsigned part;    /* the render_field being drawn */
	unsigned cut;     /* the render_fields cut short with an ellipsis */
};

/* A part of the label being filled from the top. */
struct box {
	double x, y, w, bottom;
};

/* A piece of text to flow into a box. */
struct field {
	char *s; /* clean, or NULL */
	int bold;
	double size;
	int max; /* lines */
};

/* The tracking number as the barcode holds it. */
struct code {
	char *data;             /* ^BC field data, or zint's input */
	char *hrt;              /* printed under the bars */
	int modules;            /* of the symbol, quiet zones not counted */
	struct zint_symbol *zs; /* cairo */
};

static void
size_dots(enum label_size size, double *w, double *h)
{
	if (size == LABEL_100X150) {
		*w = 799;
		*h = 1199;
	} else {
		*w = 812;
		*h = 1218;
	}
}

static void
size_points(enum label_size size, double *w, double *h)
{
	if (size == LABEL_100X150) {
		*w = 100 / 25.4 * 72;
		*h = 150 / 25.4 * 72;
	} else {
		*w = 4 * 72;
		*h = 6 * 72;
	}
}

static double
line_h(double size)
{
	return round(size * LEADING);
}

/* 1 if s is there to print. */
static int
given(const char *s)
{
	return s != NULL && s[0] != '\0';
}

/* The code point of the clean UTF-8 character at s, n bytes. */
static uint32_t
decode(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t c = n == 1   ? u[0]
		     : n == 2 ? u[0] & 0x1f
		     : n == 3 ? u[0] & 0x0f
			      : u[0] & 0x07;
	size_t i;

	for (i = 1; i < n; i++)
		c = c << 6 | (u[i] & 0x3f);
	return c;
}

/* 1 for the characters East Asian fonts draw a full em wide. */
static int
wide(uint32_t c)
{
	return (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) ||
	       (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) ||
	       (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) ||
	       (c >= 0xffe0 && c <= 0xffe6) || c >= 0x20000;
}

/*
 * ASCII by width: 1 wide ("MWmw@%&"), 2 narrow (" .,:;'!|iljI"), 0 the
 * rest; a table, as every character of every line is measured.  NUL is
 * wide as strchr() found it in the wide ones (it never comes here).
 */
static const unsigned char glyph_class[128] = {[0] = 1, ['M'] = 1,
    ['W'] = 1, ['m'] = 1, ['w'] = 1, ['@'] = 1, ['%'] = 1, ['&'] = 1,
    [' '] = 2, ['.'] = 2, [','] = 2, [':'] = 2, [';'] = 2, ['\''] = 2,
    ['!'] = 2, ['|'] = 2, ['i'] = 2, ['l'] = 2, ['j'] = 2, ['I'] = 2};

/*
 * How wide the printer will draw the character c, in sizes.  It cannot
 * be asked, so guess high: font 0 (a condensed sans) draws most Latin
 * letters in about half its height, a Chinese font its whole height.  A
 * font file may be anything, monospaced too, so its Latin letters count
 * as wide as a monospaced font's.
 */
static inline double
glyph_w(const struct pen *p, uint32_t c)
{
	if (c >= 0x80)
		return wide(c) || c == 0x2026 || c == 0xfffd ? 1.0 : 0.75;
	if (glyph_class[c] == 1)
		return p->font_file ? 1.0 : 0.85;
	if (p->font_file)
		return 0.7;
	return glyph_class[c] == 2 ? 0.35 : 0.6;
}

/*
 * How wide the printer will draw n bytes of text, in dots.  fonts_break()
 * asks a character at a time, and most are ASCII: those are not decoded
 * (the same sum as the loop's).
 */
static double
zpl_width(void *arg, const char *s, size_t n)
{
	const struct pen *p = arg;
	double w = 0;
	size_t k;

	if (n == 1 && (unsigned char)*s < 0x80)
		return glyph_w(p, (unsigned char)*s) * p->size;
	for (; n > 0; s += k, n -= k) {
		k = fonts_u8len(s);
		if (k > n)
			k = n;
		w += glyph_w(p, decode(s, k));
	}
	return w * p->size;
}

static fonts_measure *
measure(const struct pen *p)
{
	return p->cr != NULL ? fonts_cairo_width : zpl_width;
}

static void *
measure_arg(struct pen *p)
{
	return p->cr != NULL ? (void *)p->cr : (void *)p;
}

static double
width(struct pen *p, const char *s)
{
	return measure(p)(measure_arg(p), s, strlen(s));
}

static void
use(struct pen *p, int bold, double size)
{
	p->size = size;
	if (p->cr != NULL)
		fonts_use(p->cr, bold, size);
}

/*
 * fprintf() for ZPL's commands, which want only %d, %s and %c: a label
 * has dozens, and glibc's vfprintf (and a lock a call, label being
 * threaded) was a tenth of label's CPU.  The same bytes.
 */
static void zpl_printf(FILE *fp, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
zpl_printf(FILE *fp, const char *fmt, ...)
{
	/*
	 * A command at a time, into buf: one fwrite, not one a piece.  The
	 * format is copied a byte at a time: its runs are a few bytes long,
	 * too short for strcspn() and memcpy() to pay.
	 */
	char buf[256], num[16];
	const char *s;
	va_list ap;
	size_t n, at = 0;
	int k, neg;
	unsigned u;

	va_start(ap, fmt);
	for (; *fmt != '\0'; fmt++) {
		if (*fmt != '%' || fmt[1] == '%') {
			if (at == sizeof buf) {
				fwrite_unlocked(buf, 1, at, fp);
				at = 0;
			}
			buf[at++] = *fmt;
			fmt += *fmt == '%';
			continue;
		}
		switch (*++fmt) {
		case 'd':
			k = va_arg(ap, int);
			neg = k < 0;
			u = neg ? 0u - (unsigned)k : (unsigned)k;
			s = num + sizeof num;
			do
				*(char *)--s = (char)('0' + u % 10);
			while ((u /= 10) != 0);
			if (neg)
				*(char *)--s = '-';
			n = (size_t)(num + sizeof num - s);
			break;
		case 's':
			s = va_arg(ap, const char *);
			n = strlen(s);
			break;
		default: /* 'c' */
			num[0] = (char)va_arg(ap, int);
			s = num;
			n = 1;
			break;
		}
		if (at + n > sizeof buf) {
			fwrite_unlocked(buf, 1, at, fp);
			at = 0;
			if (n > sizeof buf) {
				fwrite_unlocked(s, 1, n, fp);
				n = 0;
			}
		}
		memcpy(buf + at, s, n);
		at += n;
	}
	va_end(ap);
	fwrite_unlocked(buf, 1, at, fp);
}

/*
 * A text field's command is built in a buffer by these, and written
 * with one fwrite: a label has dozens, and zpl_printf()'s reading of
 * its format was the most of a ZPL label's work.  Each returns where
 * the next goes.
 */
#define ZPL_PUT(o, lit)                                                        \
	(memcpy((o), (lit), sizeof(lit) - 1), (o) + sizeof(lit) - 1)

static char *
zpl_put_str(char *o, const char *s)
{
	size_t n = strlen(s);

	memcpy(o, s, n);
	return o + n;
}

static char *
zpl_put_int(char *o, double v)
{
	int k = (int)lround(v);
	unsigned u = k < 0 ? 0u - (unsigned)k : (unsigned)k;
	char num[16], *d = num + sizeof num;
	size_t n;

	do
		*--d = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (k < 0)
		*--d = '-';
	n = (size_t)(num + sizeof num - d);
	memcpy(o, d, n);
	return o + n;
}

/*
 * Field data for ^FH\: the bytes that would end or turn the field
 * escaped, three bytes for one at most.
 */
static char *
zpl_put_data(char *o, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s != '^' && *s != '~' && *s != '\\') {
			*o++ = *s;
			continue;
		}
		*o++ = '\\';
		*o++ = "0123456789ABCDEF"[(unsigned char)*s >> 4];
		*o++ = "0123456789ABCDEF"[(unsigned char)*s & 15];
	}
	return o;
}

/* The text field s, in a one-line field block w wide at x, y. */
static void
zpl_text(struct pen *p, double x, double y, double w, const char *s,
    enum align a, int white)
{
	char buf[512], *out, *o;
	size_t need = 96 + 2 * strlen(p->font) + 3 * strlen(s);

	out = o = need <= sizeof buf ? buf : xmalloc(need);
	o = ZPL_PUT(o, "^FO");
	o = zpl_put_int(o, x);
	*o++ = ',';
	o = zpl_put_int(o, y);
	if (p->font_file) {
		o = ZPL_PUT(o, "^A@N,");
		o = zpl_put_int(o, p->size);
		o = ZPL_PUT(o, ",,");
		o = zpl_put_str(o, p->font);
	} else {
		o = ZPL_PUT(o, "^A");
		o = zpl_put_str(o, p->font);
		o = ZPL_PUT(o, "N,");
		o = zpl_put_int(o, p->size);
		*o++ = ',';
		o = zpl_put_int(o, p->size);
	}
	o = ZPL_PUT(o, "^FB");
	o = zpl_put_int(o, w);
	o = ZPL_PUT(o, ",1,0,");
	*o++ = "LCR"[a];
	if (white)
		o = ZPL_PUT(o, "^FR");
	o = ZPL_PUT(o, "^FH\\^FD");
	o = zpl_put_data(o, s);
	o = ZPL_PUT(o, "^FS\n");
	fwrite_unlocked(out, 1, (size_t)(o - out), p->fp);
	if (out != buf)
		free(out);
}

/*
 * One line of text, its top at y, in a box w wide.  Text is measured
 * before it gets here, but ZPL puts each line in a one-line field block
 * all the same, to hold it to the box should the printer's font be
 * wider than guessed.
 */
static void
text(struct pen *p, double x, double y, double w, const char *s, enum align a,
    int white)
{
	double tw;

	if (p->cr == NULL) {
		zpl_text(p, x, y, w, s, a, white);
		return;
	}
	tw = a == LEFT ? 0 : width(p, s);
	if (a == CENTRE)
		x += (w - tw) / 2;
	else if (a == RIGHT)
		x += w - tw;
	cairo_set_source_rgb(p->cr, white, white, white);
	cairo_move_to(p->cr, x, y + ASCENT * p->size);
	cairo_show_text(p->cr, s);
}

/* A rectangle's outline t dots thick, inside x, y, w, h. */
static void
frame(struct pen *p, double x, double y, double w, double h, double t)
{
	if (p->cr == NULL) {
		zpl_printf(p->fp, "^FO%d,%d^GB%d,%d,%d^FS\n", (int)lround(x),
		    (int)lround(y), (int)lround(w), (int)lround(h),
		    (int)lround(t));
		return;
	}
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	cairo_set_line_width(p->cr, t);
	cairo_rectangle(p->cr, x + t / 2, y + t / 2, w - t, h - t);
	cairo_stroke(p->cr);
}

static void
fill(struct pen *p, double x, double y, double w, double h)
{
	if (p->cr == NULL) {
		zpl_printf(p->fp, "^FO%d,%d^GB%d,%d,%d^FS\n", (int)lround(x),
		    (int)lround(y), (int)lround(w), (int)lround(h),
		    (int)lround(fmin(w, h)));
		return;
	}
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	cairo_rectangle(p->cr, x, y, w, h);
	cairo_fill(p->cr);
}

/*
 * s in lines at most b->w wide in the font and size of f, from b->y
 * down: at most f->max lines, and none that would leave less than
 * reserve above b->bottom.  Text left over ends the last line with an
 * ellipsis.
 */
static void
flow(struct pen *p, struct box *b, const char *s, const struct field *f,
    double reserve, enum align a, int white)
{
	double lh = line_h(f->size);
	int room = (int)floor((b->bottom - reserve - b->y) / lh), max, k;
	size_t end, next, cut;
	char buf[256], *line; /* a line is short: on the stack, as a rule */

	if (s == NULL)
		return;
	while (*s == ' ')
		s++;
	if (*s == '\0')
		return;
	max = room < f->max ? room : f->max;
	use(p, f->bold, f->size);
	for (k = 0; k < max && *s != '\0'; k++) {
		end =
		    p->cr == NULL
			? fonts_break_inline(s, b->w, zpl_width, p, &next)
			: fonts_break(s, b->w, fonts_cairo_width, p->cr, &next);
		if (k == max - 1 && s[next] != '\0') {
			cut = fonts_fit(s, b->w - width(p, ELLIPSIS),
			    measure(p), measure_arg(p));
			while (cut > 0 && s[cut - 1] == ' ')
				cut--;
			line = cut + sizeof ELLIPSIS <= sizeof buf
				   ? buf
				   : xmalloc(cut + sizeof ELLIPSIS);
			p->cut |= p->part;
			memcpy(line, s, cut);
			memcpy(line + cut, ELLIPSIS, sizeof ELLIPSIS);
		} else {
			line = end < sizeof buf ? buf : xmalloc(end + 1);
			memcpy(line, s, end);
			line[end] = '\0';
		}
		text(p, b->x, b->y, b->w, line, a, white);
		if (line != buf)
			free(line);
		b->y += lh;
		s += next;
	}
}

/*
 * Fields one under the other, each keeping room for one line of each
 * field after it, so that a long one cannot push the rest off.
 */
static void
flow_fields(struct pen *p, struct box *b, const struct field *f, int n)
{
	double reserve;
	int i, j;

	for (i = 0; i < n; i++) {
		reserve = 0;
		for (j = i + 1; j < n; j++)
			if (given(f[j].s))
				reserve += line_h(f[j].size);
		flow(p, b, f[i].s, &f[i], reserve, LEFT, 0);
	}
}

/* One line: s, or as much of it as fits and an ellipsis. */
static void
line(struct pen *p, double x, double y, double w, const char *s, int bold,
    double size, enum align a)
{
	struct box b = {x, y, w, y + line_h(size)};
	struct field f = {NULL, bold, size, 1};

	flow(p, &b, s, &f, 0, a, 0);
}

/* The words joined by sep, those NULL or empty left out; clean. */
static char *
join(const char *sep, const char *const *w, int n)
{
	size_t len = 1;
	char *raw, *out;
	int i;

	for (i = 0; i < n; i++)
		if (w[i] != NULL)
			len += strlen(w[i]) + strlen(sep);
	raw = xmalloc(len);
	raw[0] = '\0';
	for (i = 0; i < n; i++)
		if (given(w[i])) {
			if (raw[0] != '\0')
				strcat(raw, sep);
			strcat(raw, w[i]);
		}
	out = fonts_clean(raw);
	free(raw);
	return out;
}

static char *
clean_or_null(const char *s)
{
	return given(s) ? fonts_clean(s) : NULL;
}

static char *
with_prefix(const char *prefix, const char *s)
{
	return given(s) ? fonts_fmt("%s%s", prefix, s) : NULL;
}

/*
 * Code 128 as ^BC field data in mode N, and the symbol's width in
 * modules: an even number of digits in subset C, anything else in
 * subset B, with ^, ~ and > as their invocation codes and \ as a ^FH
 * escape.  No changes of subset inside the symbol: mode A would choose
 * them, but then the width is the printer's to know, and zebrash, the
 * renderer the tests read ZPL with, takes >5 for FNC 4.
 */
static int
zpl_code128(const char *s, char **out)
{
	size_t n = strlen(s);
	char *o;

	if (n % 2 == 0 && strspn(s, "0123456789") == n) {
		xasprintf(out, ">;%s", s);
		return (int)(n / 2 + 2) * 11 + 13;
	}
	o = *out = xmalloc(3 * n + 3);
	o += sprintf(o, ">:");
	for (; *s != '\0'; s++)
		if (*s == '^')
			o += sprintf(o, "><");
		else if (*s == '~')
			o += sprintf(o, ">=");
		else if (*s == '>')
			o += sprintf(o, ">0");
		else if (*s == '\\')
			o += sprintf(o, "\\5C");
		else
			*o++ = *s;
	*o = '\0';
	/* Start, the characters, the check symbol; the stop is 13 modules. */
	return (int)(n + 2) * 11 + 13;
}

/*
 * The number to encode: an SSCC must be one (its check digit right);
 * anything else is printable ASCII, as Code 128 holds it, other bytes
 * shown as '?'.
 */
static char *
tracking_ascii(const struct label *l)
{
	char *t = draw_ascii(l->tracking != NULL ? l->tracking : "");

	if (l->gs1 && !track_valid(TRACK_SSCC, t))
		err_exit(EXIT_TROUBLE,
		    "cannot draw '%s' as GS1-128: not an SSCC-18", t);
	return t;
}

/* The barcode of the label's tracking number; data NULL if it has none. */
static void
code_make(struct code *c, const struct pen *p, const struct label *l)
{
	char *t = tracking_ascii(l);

	memset(c, 0, sizeof *c);
	if (t[0] == '\0') {
		free(t);
		return;
	}
	c->hrt = l->gs1 ? fonts_fmt("(00)%s", t) : xstrdup(t);
	if (p->cr == NULL) {
		if (l->gs1) {
			xasprintf(&c->data, ">;>800%s", t);
			c->modules = (1 + 1 + 10 + 1) * 11 + 13;
		} else {
			c->modules = zpl_code128(t, &c->data);
		}
		free(t);
		return;
	}
	c->data = l->gs1 ? fonts_fmt("[00]%s", t) : xstrdup(t);
	c->zs = draw_code128(c->data, l->gs1, t);
	c->modules = c->zs->width;
	free(t);
}

static void
code_free(struct code *c)
{
	if (c->zs != NULL)
		ZBarcode_Delete(c->zs);
	free(c->data);
	free(c->hrt);
}

/*
 * The bars, m dots a module, h high, their left edge at x: by the
 * printer's Code 128, or zint's symbol drawn by draw_bars().
 */
static void
bars(struct pen *p, const struct code *c, double x, double y, int m, double h)
{
	if (p->cr == NULL)
		zpl_printf(p->fp, "^FO%d,%d^BY%d^BCN,%d,N,N,N,N^FH\\^FD%s^FS\n",
		    (int)lround(x), (int)lround(y), m, (int)lround(h), c->data);
	else
		draw_bars(p->cr, c->zs, x, y, m, h);
}

/* A horizontal rule across the frame, under a part ending at y. */
static void
rule(struct pen *p, double y)
{
	fill(p, MARGIN, y, p->w - 2 * MARGIN, RULE);
}

/* The largest size from size down to min, in steps, at which s fits w. */
static double
fit(struct pen *p, const char *s, int bold, double w, double size, double min)
{
	for (; s != NULL && size > min; size -= 6) {
		use(p, bold, size);
		if (width(p, s) <= w)
			break;
	}
	return size;
}

static void
header(struct pen *p, const struct label *l, double y)
{
	double x = MARGIN + RULE + PAD, w = p->w - 2 * x, rw = 0, cw;
	char *carrier = clean_or_null(l->carrier), *service, *n, *kg;

	service = clean_or_null(l->service);
	n = l->parcels > 0 ? fonts_fmt("%d/%d", l->parcel, l->parcels) : NULL;
	kg = l->weight_g > 0
		 ? fonts_fmt("%" PRId64 ".%02" PRId64 " kg",
		       (l->weight_g + 5) / 1000, (l->weight_g + 5) % 1000 / 10)
		 : NULL;
	/*
	 * The count and weight on the right take what they need, at most
	 * 230 dots, and the carrier's name has the rest: "China Post EMS
	 * International" fits, set smaller, before anything is cut.
	 */
	if (n != NULL) {
		use(p, 1, 60);
		rw = width(p, n);
	}
	if (kg != NULL) {
		use(p, 0, 36);
		rw = fmax(rw, width(p, kg));
	}
	rw = fmin(ceil(rw) + 1, 230);
	cw = w - rw - PAD;
	p->part = RENDER_CARRIER;
	line(p, x, y + PAD, cw, carrier, 1, fit(p, carrier, 1, cw, 60, 24),
	    LEFT);
	p->part = RENDER_SERVICE;
	line(p, x, y + PAD + 72, cw, service, 0, 36, LEFT);
	p->part = RENDER_PARCEL;
	line(p, x + w - rw, y + PAD, rw, n, 1, 60, RIGHT);
	line(p, x + w - rw, y + PAD + 72, rw, kg, 0, 36, RIGHT);
	free(carrier);
	free(service);
	free(n);
	free(kg);
}

/*
 * 1 if the printer can draw s: in PDF and PNG anything; in ZPL with a
 * built-in font, Latin letters only (a font file may have the rest).
 */
static int
printable(const struct pen *p, const char *s)
{
	size_t k;

	if (p->cr != NULL || p->font_file)
		return 1;
	for (; *s != '\0'; s += k) {
		k = fonts_u8len(s);
		if (decode(s, k) >= 0x250)
			return 0;
	}
	return 1;
}

/*
 * The country as a courier abroad reads it: its English name in capitals
 * (the code without one), and its own name beside it when both fit on
 * the line and the printer has its letters ("GERMANY / Deutschland").
 */
static char *
country(struct pen *p, const struct label_addr *a, double w, double size)
{
	char *en, *both;
	size_t i;

	if (!given(a->country_name))
		return clean_or_null(a->country);
	en = fonts_clean(a->country_name);
	for (i = 0; en[i] != '\0'; i++)
		en[i] = (char)toupper((unsigned char)en[i]);
	if (!given(a->country_local))
		return en;
	/* fonts_fmt() cleans: printable() walks whole characters. */
	both = fonts_fmt("%s / %s", en, a->country_local);
	use(p, 1, size);
	if (printable(p, both) && width(p, both) <= w) {
		free(en);
		return both;
	}
	free(both);
	return en;
}

static void
address(struct pen *p, struct box *b, const char *tag,
    const struct label_addr *a, int big)
{
	const char *place[] = {a->city, a->region, a->postcode};
	const char *all[] = {a->line1, a->line2, NULL,
	    given(a->country_name) ? a->country_name : a->country, NULL};
	char *where = join(" ", place, 3), *tel = with_prefix("Tel ", a->phone);
	struct field f[7];
	int n = 0, i;

	f[n++] = (struct field){fonts_clean(tag), 1, big ? 24 : 20, 1};
	if (big) {
		f[n++] = (struct field){clean_or_null(a->name), 1, 46, 2};
		f[n++] = (struct field){clean_or_null(a->line1), 0, 36, 3};
		f[n++] = (struct field){clean_or_null(a->line2), 0, 36, 2};
		f[n++] = (struct field){where, 0, 36, 2};
		f[n++] = (struct field){country(p, a, b->w, 36), 1, 36, 1};
		f[n++] = (struct field){tel, 0, 32, 1};
	} else {
		all[2] = where;
		all[4] = tel;
		f[n++] = (struct field){clean_or_null(a->name), 1, 24, 1};
		f[n++] = (struct field){join(", ", all, 5), 0, 24, 3};
		free(where);
		free(tel);
	}
	flow_fields(p, b, f, n);
	for (i = 0; i < n; i++)
		free(f[i].s);
}

/*
 * The barcode centred in its part, with its number under it, as wide as
 * whole dots a module allow with the quiet zones beside it.
 */
static void
barcode(struct pen *p, const struct label *l, double y, double h)
{
	double x = MARGIN + RULE + PAD, w = p->w - 2 * x, bw;
	struct code c;
	int m;

	code_make(&c, p, l);
	if (c.data == NULL)
		return;
	m = (int)floor(w / (c.modules + 2 * QUIET));
	if (m > MAX_MODULE)
		m = MAX_MODULE;
	if (m < 1)
		err_exit(EXIT_TROUBLE,
		    "cannot draw barcode '%s': too long for "
		    "the label",
		    c.hrt);
	bw = (double)m * c.modules;
	p->part = RENDER_TRACKING;
	bars(p, &c, floor(x + (w - bw) / 2), y + PAD, m,
	    h - 2 * PAD - line_h(HRT_SIZE) - HRT_GAP);
	line(p, x, y + h - PAD - line_h(HRT_SIZE), w, c.hrt, 0, HRT_SIZE,
	    CENTRE);
	code_free(&c);
}

static void
info(struct pen *p, const struct label *l, double y)
{
	double x = MARGIN + RULE + PAD, w = p->w - 2 * x, dw;
	char *ref = with_prefix("Order ", l->order_ref), *date;
	char *win = with_prefix("Deliver ", l->window);

	date = clean_or_null(l->date);
	p->part = RENDER_ORDER;
	use(p, 0, 30);
	dw = date != NULL ? fmin(width(p, date) + 1, w / 2) : 0;
	line(p, x, y + 12, w - dw - PAD, ref, 0,
	    fit(p, ref, 0, w - dw - PAD, 30, 18), LEFT);
	line(p, x + w - dw, y + 12, dw, date, 0, 30, RIGHT);
	p->part = RENDER_WINDOW;
	line(p, x, y + INFO_H - 6, w, win, 1, fit(p, win, 1, w, 32, 20), LEFT);
	free(ref);
	free(date);
	free(win);
}

/*
 * The marks set as ISO 780 pictograms with their words (marks.h), left
 * to right: drawn by cairo, or a ^GF graphic of the same drawing.
 */
static void
handling(struct pen *p, unsigned bits, double y)
{
	double x = MARGIN + RULE + PAD, size = MARKS_H - 16;

	if (p->cr != NULL)
		draw_marks(p->cr, bits, x, y + 8, size);
	else
		marks_zpl(p->fp, bits, (int)x, (int)y + 8, (int)size);
}

/* A band of large white text on black, in a part part_h high at y. */
static void
band(struct pen *p, const char *s, double size, double y, double part_h)
{
	double x = MARGIN + RULE + PAD, w = p->w - 2 * x, h = part_h - 20;
	struct field f = {NULL, 1, size, 1};
	struct box b = {
	    x + PAD, y + 10 + (h - line_h(size)) / 2, w - 2 * PAD, 0};

	b.bottom = b.y + line_h(size);
	fill(p, x, y + 10, w, h);
	flow(p, &b, s, &f, 0, CENTRE, 1);
}

/* Cash on delivery: white on black, large. */
static void
cod(struct pen *p, const char *amount, double y)
{
	char *s = fonts_fmt("COD  %s", amount);

	p->part = RENDER_COD;
	band(p, s, COD_SIZE, y, COD_H);
	free(s);
}

/*
 * The carrier's sort (routing) code, which its depot sorts by: as large
 * as the COD amount, under the return address where a sorter looks.
 */
static void
sort_code(struct pen *p, const char *code, double y)
{
	char *s = fonts_fmt("SORT  %s", code);

	p->part = RENDER_SORT;
	band(p, s, SORT_SIZE, y, SORT_H);
	free(s);
}

/*
 * The return address comes out the same on every label of a run, and
 * drawing it was a tenth of a ZPL label's work: its ZPL is kept from the
 * last label that drew it, with the text it was drawn from (key), and
 * written again while that text, the font and the page are the same.
 * As marks_zpl() keeps its graphics, for the run, under a lock.
 */
static struct {
	pthread_mutex_t lock;
	char *key, *zpl;
	size_t keylen, len;
	unsigned cut; /* the render_fields it cut short */
	double size;  /* the pen's after it */
} from_zpl = {PTHREAD_MUTEX_INITIALIZER, NULL, NULL, 0, 0, 0, 0};

/*
 * The key of an address drawn by p: each string NUL-ended after a byte
 * saying whether it is there, then the font and the page.  Its length,
 * or 0 if it does not fit buf.
 */
static size_t
from_key(const struct pen *p, const struct label_addr *a, char *buf, size_t len)
{
	const char *const f[] = {a->name, a->line1, a->line2, a->city,
	    a->region, a->postcode, a->country, a->phone, a->country_name,
	    a->country_local, p->font};
	size_t i, at = 0, n;
	int r;

	for (i = 0; i < sizeof f / sizeof f[0]; i++) {
		n = f[i] != NULL ? strlen(f[i]) + 1 : 0;
		if (at + 1 + n > len)
			return 0;
		buf[at++] = f[i] != NULL;
		if (n > 0)
			memcpy(buf + at, f[i], n);
		at += n;
	}
	r = snprintf(buf + at, len - at, "%.0fx%.0f", p->w, p->h);
	return r < 0 || (size_t)r >= len - at ? 0 : at + (size_t)r;
}

/* The return address in box b, in ZPL kept from the last label if it can. */
static void
from_part(struct pen *p, struct box *b, const struct label_addr *a)
{
	char key[2048], *zpl = NULL;
	size_t keylen = p->cr == NULL ? from_key(p, a, key, sizeof key) : 0;
	size_t len = 0;
	unsigned cut = p->cut;
	FILE *fp = p->fp, *ms;

	if (keylen == 0) {
		address(p, b, "FROM", a, 0);
		return;
	}
	pthread_mutex_lock(&from_zpl.lock);
	if (from_zpl.key != NULL && from_zpl.keylen == keylen &&
	    memcmp(from_zpl.key, key, keylen) == 0) {
		fwrite_unlocked(from_zpl.zpl, 1, from_zpl.len, fp);
		p->cut |= from_zpl.cut;
		p->size = from_zpl.size;
		pthread_mutex_unlock(&from_zpl.lock);
		return;
	}
	pthread_mutex_unlock(&from_zpl.lock);
	if ((ms = open_memstream(&zpl, &len)) == NULL) {
		address(p, b, "FROM", a, 0);
		return;
	}
	p->fp = ms;
	address(p, b, "FROM", a, 0);
	p->fp = fp;
	if (fclose(ms) != 0)
		err_exit_sys(EXIT_TROUBLE, "cannot draw the return address");
	fwrite_unlocked(zpl, 1, len, fp);
	pthread_mutex_lock(&from_zpl.lock);
	free(from_zpl.key);
	free(from_zpl.zpl);
	from_zpl.key = xmalloc(keylen);
	memcpy(from_zpl.key, key, keylen);
	from_zpl.keylen = keylen;
	from_zpl.zpl = zpl;
	from_zpl.len = len;
	from_zpl.cut = p->cut & ~cut;
	from_zpl.size = p->size;
	pthread_mutex_unlock(&from_zpl.lock);
}

/*
 * The label, top down: carrier and parcel, return address, the sort
 * code when the carrier's helper gave one, ship-to,
 * barcode, order and date (and delivery window), handling marks, COD.
 * The parts under the ship-to are placed from the bottom up, those a
 * label does not need left out, and the ship-to has what is left.
 */
static void
draw(struct pen *p, const struct label *l)
{
	double in = MARGIN + RULE, code_h, top, bottom, y;
	unsigned hand = l->handling & ((1u << HANDLE_N) - 1);
	int cash = given(l->cod);
	struct box b;

	frame(p, MARGIN, MARGIN, p->w - 2 * MARGIN, p->h - 2 * MARGIN, RULE);
	y = in;
	header(p, l, y);
	y += HEAD_H;
	rule(p, y);
	y += RULE;
	b = (struct box){
	    in + PAD, y + 8, p->w - 2 * (in + PAD), y + FROM_H - 6};
	p->part = RENDER_FROM;
	if (given(l->from.name) || given(l->from.line1))
		from_part(p, &b, &l->from);
	y += FROM_H;
	rule(p, y);
	if (given(l->sort_code)) {
		sort_code(p, l->sort_code, y + RULE);
		y += RULE + SORT_H;
		rule(p, y);
	}
	top = y + RULE;

	bottom = p->h - in;
	if (cash) {
		bottom -= COD_H;
		cod(p, l->cod, bottom);
	}
	if (hand != 0) {
		bottom -= MARKS_H;
		handling(p, hand, bottom);
	}
	if (cash || hand != 0) {
		bottom -= RULE;
		rule(p, bottom);
	}
	bottom -= INFO_H + (given(l->window) ? WINDOW_H : 0);
	info(p, l, bottom);
	bottom -= RULE;
	rule(p, bottom);
	code_h = BARS_H + 2 * PAD + line_h(HRT_SIZE) + HRT_GAP;
	bottom -= code_h;
	barcode(p, l, bottom, code_h);
	bottom -= RULE;
	rule(p, bottom);

	b = (struct box){in + PAD, top + 10, p->w - 2 * (in + PAD), bottom - 6};
	p->part = RENDER_SHIP_TO;
	address(p, &b, "SHIP TO", &l->to, 1);
}

/* A printer font: one letter or digit, else a file name for ^A@. */
static void
zpl_font(struct pen *p, const char *font)
{
	const char *c;

	if (font == NULL || font[0] == '\0')
		font = "0";
	for (c = font; *c != '\0'; c++)
		if (!isalnum((unsigned char)*c) && strchr(":._-/", *c) == NULL)
			err_exit(EXIT_TROUBLE,
			    "printer font '%s': not a ZPL font name or file",
			    font);
	p->font = font;
	p->font_file = strlen(font) > 1;
}

const char *
render_cut_names(unsigned cut, char *buf, size_t len)
{
	size_t i, at = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof field_names / sizeof field_names[0]; i++)
		if (cut & 1u << i && at < len)
			at += (size_t)snprintf(buf + at, len - at, "%s%s",
			    at > 0 ? ", " : "", field_names[i]);
	return buf;
}

/* What goes on one page: a label, or a form. */
typedef void body_fn(struct pen *, const void *);

static void
draw_label(struct pen *p, const void *arg)
{
	draw(p, arg);
}

/*
 * A form's rows top down in the frame; each cell's text flows in its
 * share of the width.  A row that would pass the bottom is left out,
 * with the rest, and the form counts as cut.
 */
static void
draw_form(struct pen *p, const void *arg)
{
	const struct form *f = arg;
	const struct form_row *r;
	const struct form_cell *c;
	double in = MARGIN + RULE, x, y = in + PAD / 2, w, low, need;
	struct field fl;
	struct box b;
	size_t i;
	int k;

	frame(p, MARGIN, MARGIN, p->w - 2 * MARGIN, p->h - 2 * MARGIN, RULE);
	p->part = RENDER_FORM;
	for (i = 0; i < f->n; i++) {
		r = &f->rows[i];
		need = (r->rule ? RULE + PAD / 2 : 0) + 2;
		for (k = 0; k < r->n; k++)
			need = fmax(need, line_h(r->cell[k].size));
		if (y + need > p->h - in) {
			p->cut |= RENDER_FORM;
			break;
		}
		if (r->rule) {
			rule(p, y);
			y += RULE + PAD / 2;
		}
		x = in + PAD;
		low = y;
		for (k = 0; k < r->n; k++) {
			c = &r->cell[k];
			w = c->share * (p->w - 2 * (in + PAD));
			b = (struct box){x, y, w - PAD / 2, p->h - in};
			fl = (struct field){
			    clean_or_null(c->text), c->bold, c->size, c->max};
			flow(p, &b, fl.s, &fl, 0, c->right ? RIGHT : LEFT, 0);
			free(fl.s);
			/* A row is a line high at least, empty or not. */
			low = fmax(low, fmax(b.y, y + line_h(c->size)));
			x += w;
		}
		y = low + 2;
	}
}

static unsigned
zpl_page(FILE *fp, body_fn *body, const void *arg, enum label_size size,
    const char *font)
{
	struct pen p = {0};

	p.fp = fp;
	zpl_font(&p, font);
	size_dots(size, &p.w, &p.h);
	zpl_printf(fp, "^XA\n^CI28\n^PW%d\n^LL%d\n^LH0,0\n", (int)p.w, (int)p.h);
	body(&p, arg);
	fputs("^PQ1\n^XZ\n", fp);
	return p.cut;
}

unsigned
render_zpl(
    FILE *fp, const struct label *l, enum label_size size, const char *font)
{
	return zpl_page(fp, draw_label, l, size, font);
}

unsigned
render_zpl_form(
    FILE *fp, const struct form *f, enum label_size size, const char *font)
{
	return zpl_page(fp, draw_form, f, size, font);
}

/* A page on a cairo surface, its unit the dot. */
static unsigned
draw_cairo(cairo_t *cr, body_fn *body, const void *arg, enum label_size size,
    double scale)
{
	struct pen p = {0};

	p.cr = cr;
	size_dots(size, &p.w, &p.h);
	cairo_scale(cr, scale, scale);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	body(&p, arg);
	return p.cut;
}

struct render_pdf {
	FILE *fp;
	cairo_surface_t *sf;
	enum label_size size;
	int pages;
};

struct render_pdf *
render_pdf_open(FILE *fp, enum label_size size)
{
	struct render_pdf *r = xcalloc(1, sizeof *r);
	double w, h;

	fonts_begin();
	size_points(size, &w, &h);
	r->fp = fp;
	r->size = size;
	r->sf = draw_pdf_surface(fp, w, h, "shipping labels", NULL);
	return r;
}

/* 1 if s is a date YYYY-MM-DD. */
static int
is_date(const char *s)
{
	int i;

	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-'
				     : !isdigit((unsigned char)s[i]))
			return 0;
	return s[10] == '\0';
}

static unsigned
pdf_page(struct render_pdf *r, body_fn *body, const void *arg)
{
	cairo_t *cr = cairo_create(r->sf);
	unsigned cut;

	cut = draw_cairo(cr, body, arg, r->size, 72 / DPI);
	cairo_show_page(cr);
	fonts_check(cairo_status(cr), r->fp, "a shipping label");
	cairo_destroy(cr);
	return cut;
}

unsigned
render_pdf_add(struct render_pdf *r, const struct label *l)
{
	char when[32];

	/* The same labels make the same bytes: no clock in the file. */
	if (r->pages++ == 0 && l->date != NULL && is_date(l->date)) {
		snprintf(when, sizeof when, "%sT00:00:00", l->date);
		cairo_pdf_surface_set_metadata(
		    r->sf, CAIRO_PDF_METADATA_CREATE_DATE, when);
	}
	return pdf_page(r, draw_label, l);
}

unsigned
render_pdf_add_form(struct render_pdf *r, const struct form *f)
{
	r->pages++;
	return pdf_page(r, draw_form, f);
}

void
render_pdf_close(struct render_pdf *r)
{
	draw_pdf_finish(r->sf, r->fp, "shipping labels");
	free(r);
}

static unsigned
png_page(FILE *fp, body_fn *body, const void *arg, enum label_size size)
{
	cairo_surface_t *sf;
	cairo_status_t st;
	double w, h;
	cairo_t *cr;
	unsigned cut;

	size_dots(size, &w, &h);
	fonts_begin();
	sf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)w, (int)h);
	cr = cairo_create(sf);
	cut = draw_cairo(cr, body, arg, size, 1);
	st = cairo_status(cr);
	cairo_destroy(cr);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_write_to_png_stream(sf, fonts_write_fp, fp);
	cairo_surface_destroy(sf);
	fonts_end();
	fonts_check(st, fp, "a shipping label");
	return cut;
}

unsigned
render_png(FILE *fp, const struct label *l, enum label_size size)
{
	return png_page(fp, draw_label, l, size);
}

unsigned
render_png_form(FILE *fp, const struct form *f, enum label_size size)
{
	return png_page(fp, draw_form, f, size);
}
