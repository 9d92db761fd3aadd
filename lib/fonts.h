/*
 * fonts: what every cairo drawing of the tools shares (pick sheets,
 * shipping labels): the fonts, text that cairo will take, lines broken
 * to a width, and the clean-up of cairo's and fontconfig's static data at
 * exit.
 *
 * Text is drawn in the first font fontconfig has that covers Chinese
 * ("WenQuanYi Micro Hei", from fonts-wqy-microhei, else a few other CJK
 * families), else in its default sans-serif.
 *
 * fonts_begin() loads the fonts, once for the life of the process, and
 * sets up with atexit(3) their release at exit together with cairo's and
 * fontconfig's static data, so that valgrind and LeakSanitizer report no
 * lost memory.  That reset must find no other cairo object alive, so a
 * drawing runs between fonts_begin() and fonts_end() and destroys all
 * its cairo objects before fonts_end(); an exit while a drawing is under
 * way (an error exit) skips the reset.  The functions are thread-safe.
 *
 * Ownership: fonts_clean() and fonts_fmt() return strings the caller
 * frees.  The font faces are the module's; fonts_use() only sets them.
 */
#ifndef FULFIL_FONTS_H
#define FULFIL_FONTS_H

#include <stddef.h>
#include <stdio.h>

#include <cairo.h>

/* A drawing starts: loads the fonts the first time. */
void fonts_begin(void);
/* A drawing has ended and destroyed its cairo objects. */
void fonts_end(void);

/* Draw with the regular or the bold face at size (user units). */
void fonts_use(cairo_t *, int bold, double size);

/*
 * A copy of s that cairo will draw: what is not UTF-8 (and what cairo
 * refuses: overlong forms, surrogates, noncharacters) becomes U+FFFD,
 * control characters become spaces.
 */
char *fonts_clean(const char *s);
/* printf into a clean string. */
char *fonts_fmt(const char *, ...) __attribute__((format(printf, 1, 2)));
/* Bytes in the character at s of a clean string. */
static inline size_t
fonts_u8len(const char *s)
{
	unsigned char c = (unsigned char)*s;

	return c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

/*
 * How wide the n bytes at s are (whole characters of a clean string), in
 * whatever unit the caller breaks lines in.
 */
typedef double fonts_measure(void *arg, const char *s, size_t n);
/* The measure of cairo_t arg's current font, in user units. */
double fonts_cairo_width(void *cr, const char *s, size_t n);

/*
 * The first line of s no wider than w: broken after a space where one
 * fits, else between characters, as Chinese has no spaces; at least one
 * character.  Returns its length in bytes and sets *next to where the
 * next line starts (the spaces after the break skipped).
 */
size_t fonts_break(
    const char *s, double w, fonts_measure *width, void *arg, size_t *next);

/*
 * fonts_break() where the caller names width itself: every character of
 * every line is measured, and a call of a known function can be inlined
 * where one through a pointer cannot (render.c's ZPL widths).
 */
static inline size_t
fonts_break_inline(
    const char *s, double w, fonts_measure *width, void *arg, size_t *next)
{
	size_t i = 0, n, sp = 0, end;
	double at = 0, adv;

	while (s[i] != '\0') {
		n = fonts_u8len(s + i);
		adv = width(arg, s + i, n);
		if (i > 0 && at + adv > w)
			break;
		if (s[i] == ' ')
			sp = i;
		at += adv;
		i += n;
	}
	end = s[i] != '\0' && s[i] != ' ' && sp > 0 ? sp : i;
	for (*next = end; s[*next] == ' ';)
		(*next)++;
	return end;
}
/* The length of the longest start of s, in whole characters, within w. */
size_t fonts_fit(const char *s, double w, fonts_measure *width, void *arg);

/* A write function for cairo's _for_stream() surfaces: closure is a FILE. */
cairo_status_t fonts_write_fp(
    void *closure, const unsigned char *data, unsigned int len);
/*
 * A cairo status that is not success exits 2 saying what could not be
 * drawn, unless it is a write error left in fp's error indicator for
 * the caller's checked close.
 */
void fonts_check(cairo_status_t, FILE *fp, const char *what);

#endif
