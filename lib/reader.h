/*
 * reader: orders out of the files shops export, and what the exports
 * say about money and fulfilment.
 *
 * Formats: NDJSON in the canonical schema; CSV through a column map (the
 * --map file); the Shopify orders export; the Amazon unshipped-orders
 * and all-orders reports; WooCommerce's order export; Etsy's sold orders
 * and Taobao's 订单报表, each joined with its items file (--items).
 * FORMAT_AUTO looks at the first line: a JSON object or a shop's header
 * tells itself; anything else needs a map.  CSV exports with one row per
 * line item are grouped by order: consecutive rows with the same order
 * id make one order.
 *
 * The reader produces orders in canonical shape but unchecked: money is
 * already in minor units, everything else is as found.  order_normalise()
 * does the checking.  What the export says is kept in the fields of
 * fulfil-order(5) (payment.status, payment.outstanding,
 * payment.refunded, fulfillment_status, shipping_method, cancelled_at,
 * lines[].fulfilment, lines[].ordered_qty, lines[].variant): lines
 * fulfilled, refunded or cancelled go to not_shipped with that reason,
 * a line partly fulfilled without saying how much stays with fulfilment
 * "partial".  Holding and releasing orders is ingest's business.
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
	FORMAT_AMAZON,
	FORMAT_WOOCOMMERCE,
	FORMAT_ETSY,
	FORMAT_TAOBAO
};

struct record {
	json_t *order;
	long line;       /* where the record starts */
	const char *raw; /* its text, for --rejects */
	size_t rawlen;
	const char *header; /* the CSV header, or NULL */
	char why[256];      /* READ_BAD, READ_SKIP, READ_ERROR */
	/*
	 * A warning about the whole file (an Amazon report without
	 * prices), given once, with the first record read; "" if none.
	 */
	char warning[256];
};

enum {
	READ_ORDER = 1,
	READ_EOF = 0,
	READ_BAD = -1, /* a record that cannot be read; rec->order if known */
	/*
	 * An order with nothing left to ship: every line fulfilled,
	 * refunded or needing no parcel, all in its not_shipped list and
	 * none in lines.  rec->order holds it: ingest-orders records it
	 * as fulfilled (order_kind() says ORDER_NOTHING).
	 */
	READ_SKIP = -2,
	READ_ERROR = -3 /* the input itself failed */
};

int format_parse(const char *, enum format *);

/* Load a --map file (JSON or CSV, fulfil-order(5)); NULL and why on error. */
struct colmap *colmap_load(const char *path, char *why, size_t whylen);
/*
 * Name the items file of a joined export (--items) on the map; with a
 * NULL map, a map of no columns is made for it.  Returns the map.
 */
struct colmap *colmap_set_items(struct colmap *, const char *path);
void colmap_free(struct colmap *);

/*
 * source, when not NULL, names the source of orders that carry none
 * (--source); else CSV orders are from the format's name ("shopify",
 * "amazon", "woocommerce", "etsy", "taobao"), the map's source or "csv".
 * A joined format reads the items file the map names (colmap_set_items)
 * whole when it opens.
 */
struct reader *reader_open(struct input *, enum format, const struct colmap *,
    const struct config *, const char *source, char *why, size_t whylen);
int reader_next(struct reader *, struct record *);
void reader_close(struct reader *);

#endif
