/*
 * order: the canonical order record of fulfil-order(5), checked and put
 * into its one normal form.
 *
 * order_normalise() takes any object that claims to be an order (from
 * NDJSON, or built from a CSV export) and puts it in normal form in
 * place: the known fields validated, trimmed, converted, in canonical
 * order, followed by any unknown fields untouched.  Most inputs are
 * clean, so most of the object is kept as it is; an object is rebuilt
 * only when its keys are out of order.  Fields owned by ingest-orders
 * (status, promise, revision, warnings) are dropped, except that
 * "status": "cancelled" is kept.  Problems that must not stop an order
 * (a total that does not add up, a phone that is not parsable) are
 * appended to warnings as {"field", "message"}.
 *
 * A record that asks for nothing to be shipped (order_kind(): a
 * cancellation, an order with nothing left to ship) is never rejected
 * for anything but its key (order_id, source): when the rest of it is
 * not a good order, it is kept as it came, without ingest-orders' own
 * fields.
 *
 * Ownership: the input is changed; the result is the input with a new
 * reference.  On rejection NULL is returned, the input may be changed
 * half way, and why holds one line saying what is wrong, naming fields,
 * never their contents where they could be personal data.
 */
#ifndef FULFIL_ORDER_H
#define FULFIL_ORDER_H

#include <stddef.h>

#include <jansson.h>

struct catalog;
struct config;

/* What a record asks for. */
enum order_kind {
	ORDER_SHIP,   /* lines to ship */
	ORDER_CANCEL, /* status cancelled */
	ORDER_NOTHING /* everything fulfilled or refunded already */
};

json_t *order_normalise(json_t *in, const struct config *,
    const char *default_source, json_t *warnings, char *why, size_t whylen);
/* Append {"field": field, "message": ...} to warnings. */
void order_warn(json_t *warnings, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int order_cancelled(const json_t *);
/*
 * A cancellation; else nothing to ship when the export's
 * fulfillment_status is "fulfilled", or when there are no lines and
 * not_shipped lists some; else an order to ship.  Reads raw records too.
 */
enum order_kind order_kind(const json_t *);
/*
 * Lines of a raw record without a SKU get one from the catalogue, by
 * ingest.sku_from (by barcode, by name and variant), before
 * order_normalise(); a line found so has "sku_from": "barcode" or
 * "name".  Nothing to do (0) unless the configuration looks up and cat
 * is not NULL; -1 with why naming the line when a line finds no SKU or
 * two.
 */
int order_resolve_skus(json_t *in, const struct catalog *cat,
    const struct config *, char *why, size_t whylen);
/* Borrowed strings; "" when missing. */
const char *order_id(const json_t *);
const char *order_source(const json_t *);
const char *order_status(const json_t *);
/*
 * The tracking numbers of the record's parcels (shipment.parcels[]):
 * the count, with *v an array of the caller's to free, of borrowed
 * strings; NULL when there are none.
 */
size_t order_tracking(const json_t *, const char ***v);

#endif
