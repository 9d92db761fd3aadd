/*
 * slip: packing slips, the sheet that goes into the box with the goods,
 * one per order, as PDF pages A6, 4x6 in or A4 (cairo, the barcode by
 * libzint).
 *
 * A slip says what the box holds (each line of the order with its
 * quantity and a tick box for the packer, gifts marked as gifts), the
 * customer's note (preferences.note), the handling marks, an order
 * barcode the pack station scans, and how to send goods back (the
 * warehouse's return_address, the return window of followup).  An order
 * whose lines do not fit one page runs on over as many as it needs,
 * each saying whose slip it continues; every order starts a new page.
 *
 * The barcode is Code 128 of slip_code(): "SOURCE:ORDER_ID", the key the
 * ledger keeps the order by, each half percent-encoded: a byte outside
 * printable ASCII, the space, '%' and ':' as %XX (upper-case hex), so
 * that every key has one code and slip_code_parse() gives it back
 * (label --pack reads it from the scanner).  The encoder and decoder
 * live here together and nowhere else.
 *
 * Unlike render.h, slip reads the order record itself: a slip prints
 * what the record holds, nothing label(1) decides.  Prices are never
 * printed: a gift's recipient reads the slip.
 *
 * Ownership: the FILE, the config and the order are the caller's and
 * are only borrowed; a struct slip_pdf is freed by slip_pdf_close(),
 * which must be called before exit (fonts.h).  Write errors are left
 * on the FILE for the caller's checked close (outfile_commit); any other
 * cairo or zint failure exits 2.
 */
#ifndef FULFIL_SLIP_H
#define FULFIL_SLIP_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

struct config;

enum slip_size {
	SLIP_NONE, /* no slips */
	SLIP_A6,   /* 105 x 148 mm */
	SLIP_4X6,  /* 4 x 6 in */
	SLIP_A4    /* 210 x 297 mm */
};

/* "a6", "4x6" or "a4": its size, or SLIP_NONE if it is none of them. */
enum slip_size slip_size_parse(const char *);

/*
 * The order barcode's data for (source, id) into buf: "web:P-1",
 * "web:%E8%AE%A2-1".  -1 if it does not fit in len (nothing usable).
 */
int slip_code_make(const char *source, const char *id, char *buf, size_t len);
/* The same for order j; a key too long for buf exits 2. */
void slip_code(json_t *j, char *buf, size_t len);
/*
 * A scanned order code back to its key: 0 with *source and *id set
 * (the caller frees both), -1 (both NULL) when code is not one.
 */
int slip_code_parse(const char *code, char **source, char **id);

struct slip_pdf;
/* A PDF of slips of size onto fp; cfg gives the return address. */
struct slip_pdf *slip_pdf_open(
    FILE *, enum slip_size, const struct config *cfg);
/* Order j's slip, from a new page. */
void slip_pdf_add(struct slip_pdf *, json_t *j);
/* Finish the PDF (the caller closes the FILE) and free. */
void slip_pdf_close(struct slip_pdf *);

#endif
