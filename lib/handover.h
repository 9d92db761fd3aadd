/*
 * handover: the hand-over sheet of a manifest (manifest_pdf(), the
 * writer beside manifest.h's CSV, text and JSON ones), A4 portrait,
 * drawn with cairo for the carrier's driver to count the parcels against
 * and sign.
 *
 * Page 1 has the title, the manifest id as a Code 128 barcode (libzint)
 * with the id under it, and the carrier, account, ship date, closing
 * time, origin and piece count.  Then come the parcels in a table that
 * runs on over as many pages as it needs, its column heads repeated;
 * the totals (pieces, weight, by service, COD to collect by currency,
 * from manifest_totals()); and the signatures, kept on one page.  Every
 * page has "page i of n" in its footer.
 *
 * For a given manifest the output is the same bytes every time: the
 * PDF's creation date is m->closed_at (else the ship date).  Write
 * errors are left on the FILE; any other cairo or zint failure exits 2.
 *
 * Ownership: the manifest is borrowed; nothing is kept.
 */
#ifndef FULFIL_HANDOVER_H
#define FULFIL_HANDOVER_H

#include <stdio.h>

struct manifest;

/* The hand-over sheet of a manifest, A4 PDF, to fp. */
void manifest_pdf(FILE *fp, const struct manifest *);

#endif
