/*
 * pack: scan to pack, label --pack (label(1), SCAN TO PACK).
 *
 * A barcode scanner types one code per line.  The packer scans an
 * order (its packing slip's barcode, slip_code_parse()) or a tote
 * ("T3", as the pick sheet names it: the picked order in that tote of
 * the newest batch), then each item, by SKU or by the catalogue's
 * barcode (GTIN/EAN, catalog_by_barcode()).  After each scan one line on
 * stderr says what went in and what is left; a wrong item, one too many
 * or a code nothing knows is refused with one line and, on a terminal,
 * a bell.  When the box holds every line of the order, the order is
 * labelled as label(1) labels it (labels_order(): claimed, printed,
 * recorded, exactly once) and its record goes to stdout.  The code
 * PACK_CANCEL empties the open order's box.
 *
 * The orders come from the ledger (status picked), not from stdin: the
 * scanner has stdin.  Every scan, good or refused, is kept in the ledger
 * (ledger_pack.h) before its line is shown, so that a packer who stops
 * (end of input, Ctrl-D, a kill) finds the box as it was when the order
 * is scanned again, in this run or another.
 *
 * Ownership: struct pack borrows the labels stage (and through it the
 * config, catalogue and ledger); pack_done() frees what pack allocated.
 */
#ifndef FULFIL_PACK_H
#define FULFIL_PACK_H

#include <stdint.h>

struct labels;
struct catalog;
struct input;

/* The code that empties the open order's box. */
#define PACK_CANCEL "CANCEL"

/* A line of the open order: a SKU, how many it needs, how many are in. */
struct pack_line {
	char *sku;
	const char *name; /* the catalogue's, or the SKU */
	int64_t qty, boxed;
};

struct pack {
	/* Set by pack_init(). */
	struct labels *u;
	const struct catalog *cat;
	const char *station; /* --station, or NULL */
	int bell;            /* stderr is a terminal: refusals ring */

	/* The open order, if source is not NULL. */
	char *source, *id;
	struct pack_line *lines;
	size_t nlines;

	long scans, refused, packed, unfinished, failed;
};

/*
 * Ready to pack with the labels stage u (its ledger open and run
 * started, its output directory set); cat gets indexed by barcode.
 */
void pack_init(
    struct pack *, struct labels *u, struct catalog *cat, const char *station);
/*
 * Every scan of in, in turn, till its end.  Returns 0, or 1 when a scan
 * was refused or an order set aside.
 */
int pack_run(struct pack *, struct input *in);
/* The summary line for stderr. */
void pack_summary(const struct pack *);
void pack_done(struct pack *);

#endif
