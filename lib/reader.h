/*
 * reader: orders out of the files shops export.
 *
 * Formats: NDJSON in the canonical schema; CSV through a column map (the
 * --map file); the Shopify orders export; the Amazon unshipped-orders
 * report.  FORMAT_AUTO looks at the first line: a JSON object, a Shopify
 * header or an Amazon header tell themselves apart; anything else needs
 * a map.  CSV exports with one row per line item are grouped by order:
 * consecutive rows with the same order id make one order.
 *
 * The reader produces orders in canonical shape but unchecked: money is
 * already in minor units, everything else is as found.  order_normalise()
 * does the checking.
 *
 * Ownership: reader_open() borrows the input, the map and the config.
 * reader_next() hands over rec->order (a new reference, the caller's to
 * release); rec->raw and rec->header belong to the reader until the next
 * call.
 */
#ifndef FULFIL_READER_H
#define FULFIL_READER_H

#include <stddef.h>

#include <jansson.h>

struct config;
struct input;
struct reader;
struct colmap;

enum format {
	FORMAT_AUTO,
	FORMAT_NDJSON,
	FORMAT_CSV,
	FORMAT_SHOPIFY,
	FORMAT_AMAZON
};

struct record {
	json_t *order;
	long line;       /* where the record starts */
	const char *raw; /* its text, for --rejects */
	size_t rawlen;
	const char *header; /* the CSV header, or NULL */
	char why[256];      /* READ_BAD, READ_SKIP, READ_ERROR */
};

enum {
	READ_ORDER = 1,
	READ_EOF = 0,
	READ_BAD = -1,  /* a record that cannot be read */
	READ_SKIP = -2, /* an order with nothing to ship */
	READ_ERROR = -3 /* the input itself failed */
};

int format_parse(const char *, enum format *);

/* Load a --map file (JSON or CSV, fulfil-order(5)); NULL and why on error. */
struct colmap *colmap_load(const char *path, char *why, size_t whylen);
void colmap_free(struct colmap *);

/*
 * source, when not NULL, names the source of orders that carry none
 * (--source); else CSV orders are from "shopify", "amazon", the map's
 * source or "csv".
 */
struct reader *reader_open(struct input *, enum format, const struct colmap *,
    const struct config *, const char *source, char *why, size_t whylen);
int reader_next(struct reader *, struct record *);
void reader_close(struct reader *);

#endif
