/*
 * sheet: a batch's pick sheet, the stops in walking order with what goes
 * into which tote; as plain text (for lp) and as CSV (for handheld
 * scanners, one row per tote put).
 *
 * In a layout of zones the sheet names its zone, and an order picked in
 * more zones than this one says so at its totes, for packing to bring
 * its totes together (zones_note()).
 *
 * Ownership: everything is borrowed; the writers only write to fp.
 */
#ifndef FULFIL_SHEET_H
#define FULFIL_SHEET_H

#include <stdio.h>

#include "pick.h"
#include "zones.h"

struct sheet {
	const struct pick_batch *batch;
	const struct pick_order *orders; /* as the batch indexes them */
	const char *const *ids;          /* order id, same indexes */
	const char *warehouse;
	const char *wave;
	const char *printed;       /* time stamp */
	const struct layout *zone; /* the batch's; zone letter 0: no zones */
	const struct zones *zr;    /* zones_note(), or NULL */
};

void sheet_text(FILE *, const struct sheet *);
void sheet_csv(FILE *, const struct sheet *);
/* "T1x2 T3x1": what of a stop goes into which tote; caller frees. */
char *sheet_puts(const struct pick_stop *);
/* "fragile, upright" for handling bits, into buf. */
char *sheet_handling(unsigned bits, char *buf, size_t len);

#endif
