/*
 * marks: the handling marks of a parcel (the HANDLE_* bits of catalog.h)
 * as ISO 780 pictograms with their words in Chinese and English - a wine
 * glass (易碎 FRAGILE), two arrows up (向上 THIS WAY UP), a box under a
 * crossed-out load (不能承压 DO NOT STACK), an umbrella in the rain (怕湿
 * KEEP DRY) - for every drawing that shows them: shipping labels, return
 * labels, packing slips.
 *
 * One vector drawing serves every output.  draw_marks() draws it on a
 * cairo context (PDF, PNG); marks_zpl() draws the same onto a cairo A8
 * image at the printer's dots, one dot a pixel, and sends it as a ZPL
 * ^GFA graphic in the printer's ASCII compression, so that a thermal
 * printer prints the pictograms and the Chinese words without a font of
 * its own.
 *
 * The marks set are drawn left to right in bit order, each in a framed
 * cell size high and MARKS_ASPECT times size wide, MARKS_GAP times size
 * apart.  Nothing is drawn for no bits.
 *
 * draw_marks() draws in the fonts of fonts.h: call it between
 * fonts_begin() and fonts_end(), as every cairo drawing is.  It leaves
 * the context's state as it found it.  marks_zpl() draws each set of
 * marks once per size and keeps the graphic for the process.  Write errors are left on
 * the FILE for the caller's checked close; a cairo failure exits 2.
 */
#ifndef FULFIL_MARKS_H
#define FULFIL_MARKS_H

#include <stdio.h>

#include <cairo.h>

#define MARKS_ASPECT 1.4
#define MARKS_GAP 0.06

/* How wide draw_marks() draws the marks of handling at size. */
double marks_width(unsigned handling, double size);

/* The marks of handling, their cells' top left at x, y; returns the width. */
double draw_marks(
    cairo_t *, unsigned handling, double x, double y, double size);

/*
 * The same as a ZPL ^FO x,y ^GFA graphic, dots high, in dots at the
 * printer's resolution.  Returns the width in dots.
 */
int marks_zpl(FILE *, unsigned handling, int x, int y, int dots);

#endif
