/*
 * sheetpdf: a batch's pick sheet as a PDF (A4 portrait), drawn with
 * cairo, for printing on an ordinary office printer.
 *
 * Page 1 has the header (batch, wave, warehouse, route length, stops,
 * orders, totes) and a map of the pick area: the shelving between the
 * aisles, the depot, each stop as a numbered dot at its pick point and
 * the picker's walk from the depot through the stops in order and back,
 * along aisles and cross aisles only.  Then come the stops in walking
 * order (the same as sheet_text()'s) and the totes, on as many pages as
 * they need.  Without a layout (aisles 0) there is no map.
 *
 * Text is drawn in the fonts of fonts.h; bytes that are not UTF-8 are
 * drawn as U+FFFD.  For a given sheet the output is the same bytes
 * every time: the PDF's creation date is s->printed.
 *
 * Ownership: everything is borrowed; sheet_pdf() only writes to fp.  A
 * write error is left in fp's error indicator for the caller's checked
 * close (outfile_commit()); any other cairo failure exits 2.
 *
 * The fonts stay loaded until exit (fonts.h), when no other cairo
 * object may be alive in the process.
 */
#ifndef FULFIL_SHEETPDF_H
#define FULFIL_SHEETPDF_H

#include <stdio.h>

#include "config.h"
#include "sheet.h"

void sheet_pdf(FILE *, const struct sheet *, const struct layout *);

#endif
