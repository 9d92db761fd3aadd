#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <fontconfig/fontconfig.h>

#include "err.h"
#include "fonts.h"
#include "utf8.h"

/*
 * Families that cover Chinese, best first; the last is fontconfig's own.
 * TrueType first: cairo 1.16 cannot subset the subroutines of some CFF
 * glyphs, and then embeds all of them, so that a sheet in Noto Sans CJK
 * can take 900 kB where one in WenQuanYi Micro Hei takes 20 kB.
 */
static const char *const families[] = {"WenQuanYi Micro Hei",
    "Droid Sans Fallback", "WenQuanYi Zen Hei", "Noto Sans CJK SC",
    "Source Han Sans SC", "sans-serif"};
#define NFAMILIES (sizeof families / sizeof families[0])
#define CJK_PROBE "\xe4\xb8\xad\xe6\x96\x87" /* U+4E2D U+6587, Chinese */
#define PROBE_PT 9.0

/*
 * The fonts are loaded once and kept: they are the same for every
 * drawing.  At exit they are released, and so is what cairo and
 * fontconfig keep: fontconfig holds the parts of a pattern by offset, not
 * by pointer, so valgrind and LeakSanitizer would take its live data for
 * lost memory and the tools' memory checks would fail.  Not while
 * something is being drawn (an error exit from inside a drawing): cairo
 * must have no objects alive when its static data is reset.
 */
static struct {
	pthread_once_t once;
	cairo_font_face_t *tried[NFAMILIES]; /* regular faces, in order */
	cairo_font_face_t *regular, *bold;
	atomic_int busy; /* drawings under way */
} fonts = {PTHREAD_ONCE_INIT};

/*
 * The length of the UTF-8 sequence at s that cairo accepts as text, or
 * 0.  Cairo refuses overlong forms, surrogates and the noncharacters
 * (and then puts the whole drawing in an error state), so they count as
 * invalid here.
 */
static size_t
u8valid(const unsigned char *s, uint32_t *cp)
{
	size_t n = utf8_decode((const char *)s, cp);

	if (n == 0 || (*cp >= 0xfdd0 && *cp <= 0xfdef) ||
	    (*cp & 0xfffe) == 0xfffe)
		return 0;
	return n;
}

char *
fonts_clean(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	char *out = xmalloc(3 * strlen(s) + 1), *o = out;
	uint32_t cp;
	size_t n;

	while (*u != '\0') {
		/* Most text is printable ASCII: as it is, a byte at a time. */
		if (*u >= 0x20 && *u < 0x7f) {
			*o++ = (char)*u++;
			continue;
		}
		if ((n = u8valid(u, &cp)) == 0) {
			memcpy(o, "\xef\xbf\xbd", 3);
			o += 3;
			u++;
		} else if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) {
			*o++ = ' ';
			u += n;
		} else {
			memcpy(o, u, n);
			o += n;
			u += n;
		}
	}
	*o = '\0';
	return out;
}

char *
fonts_fmt(const char *f, ...)
{
	va_list ap;
	char buf[256], *raw = buf, *out;
	int n;

	/* Formatted once when it is short, as label text is. */
	va_start(ap, f);
	n = vsnprintf(buf, sizeof buf, f, ap);
	va_end(ap);
	if (n < 0)
		err_exit(EXIT_TROUBLE, "cannot format text to draw");
	if ((size_t)n >= sizeof buf) {
		raw = xmalloc((size_t)n + 1);
		va_start(ap, f);
		vsnprintf(raw, (size_t)n + 1, f, ap);
		va_end(ap);
	}
	out = fonts_clean(raw);
	if (raw != buf)
		free(raw);
	return out;
}

/* 1 if f has a glyph for every character of probe. */
static int
covers(cairo_font_face_t *f, const char *probe)
{
	cairo_font_options_t *opt = cairo_font_options_create();
	cairo_scaled_font_t *sf;
	cairo_matrix_t size, ctm;
	cairo_glyph_t *g = NULL;
	int n = 0, i, ok;

	cairo_matrix_init_scale(&size, PROBE_PT, PROBE_PT);
	cairo_matrix_init_identity(&ctm);
	sf = cairo_scaled_font_create(f, &size, &ctm, opt);
	ok = cairo_scaled_font_text_to_glyphs(sf, 0, 0, probe, -1, &g, &n, NULL,
		 NULL, NULL) == CAIRO_STATUS_SUCCESS;
	for (i = 0; ok && i < n; i++)
		ok = g[i].index != 0;
	cairo_glyph_free(g);
	cairo_scaled_font_destroy(sf);
	cairo_font_options_destroy(opt);
	return ok && n > 0;
}

static cairo_font_face_t *
face(const char *family, cairo_font_weight_t weight)
{
	cairo_font_face_t *f =
	    cairo_toy_font_face_create(family, CAIRO_FONT_SLANT_NORMAL, weight);

	if (cairo_font_face_status(f) != CAIRO_STATUS_SUCCESS)
		err_exit(EXIT_TROUBLE, "cannot load font '%s': %s", family,
		    cairo_status_to_string(cairo_font_face_status(f)));
	return f;
}

static void
unload(void)
{
	size_t i;

	if (atomic_load(&fonts.busy) > 0)
		return;
	for (i = 0; i < NFAMILIES; i++)
		if (fonts.tried[i] != NULL)
			cairo_font_face_destroy(fonts.tried[i]);
	cairo_font_face_destroy(fonts.bold);
	cairo_debug_reset_static_data();
	FcFini();
}

/*
 * The toy font API draws each string in one font, so take the first
 * family fontconfig can match with a font that has Chinese: a face for
 * a family not installed matches the default sans, without it.
 */
static void
load(void)
{
	size_t i;

	for (i = 0; i + 1 < NFAMILIES; i++) {
		fonts.tried[i] = face(families[i], CAIRO_FONT_WEIGHT_NORMAL);
		if (covers(fonts.tried[i], CJK_PROBE))
			break;
	}
	if (i + 1 == NFAMILIES)
		fonts.tried[i] = face(families[i], CAIRO_FONT_WEIGHT_NORMAL);
	fonts.regular = fonts.tried[i];
	fonts.bold = face(families[i], CAIRO_FONT_WEIGHT_BOLD);
	if (atexit(unload) != 0)
		err_exit(EXIT_TROUBLE, "cannot register the fonts' clean-up");
}

void
fonts_begin(void)
{
	pthread_once(&fonts.once, load);
	atomic_fetch_add(&fonts.busy, 1);
}

void
fonts_end(void)
{
	atomic_fetch_sub(&fonts.busy, 1);
}

void
fonts_use(cairo_t *cr, int bold, double size)
{
	cairo_set_font_face(cr, bold ? fonts.bold : fonts.regular);
	cairo_set_font_size(cr, size);
}

/* The toy API does not kern: a string is as wide as its characters. */
double
fonts_cairo_width(void *cr, const char *s, size_t n)
{
	cairo_text_extents_t e;
	char buf[64], *t = n < sizeof buf ? buf : xmalloc(n + 1);

	memcpy(t, s, n);
	t[n] = '\0';
	cairo_text_extents(cr, t, &e);
	if (t != buf)
		free(t);
	return e.x_advance;
}

size_t
fonts_break(
    const char *s, double w, fonts_measure *width, void *arg, size_t *next)
{
	return fonts_break_inline(s, w, width, arg, next);
}

size_t
fonts_fit(const char *s, double w, fonts_measure *width, void *arg)
{
	size_t i = 0, n;
	double at = 0;

	while (s[i] != '\0') {
		n = fonts_u8len(s + i);
		at += width(arg, s + i, n);
		if (at > w)
			break;
		i += n;
	}
	return i;
}

cairo_status_t
fonts_write_fp(void *closure, const unsigned char *data, unsigned int len)
{
	FILE *fp = closure;

	if (fwrite(data, 1, len, fp) != len)
		return CAIRO_STATUS_WRITE_ERROR;
	return CAIRO_STATUS_SUCCESS;
}

void
fonts_check(cairo_status_t st, FILE *fp, const char *what)
{
	if (st == CAIRO_STATUS_SUCCESS ||
	    (st == CAIRO_STATUS_WRITE_ERROR && ferror(fp)))
		return;
	err_exit(EXIT_TROUBLE, "cannot draw %s: %s", what,
	    cairo_status_to_string(st));
}
