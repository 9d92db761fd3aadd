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
 * Ownership: the input is changed; the result is the input with a new
 * reference.  On rejection NULL is returned, the input may be changed
 * half way, and why holds one line saying what is wrong, naming fields,
 * never their contents where they could be personal data.
 */
#ifndef FULFIL_ORDER_H
#define FULFIL_ORDER_H

#include <stddef.h>

#include <jansson.h>

struct config;

json_t *order_normalise(json_t *in, const struct config *,
    const char *default_source, json_t *warnings, char *why, size_t whylen);
/* Append {"field": field, "message": ...} to warnings. */
void order_warn(json_t *warnings, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int order_cancelled(const json_t *);
/* Borrowed strings; "" when missing. */
const char *order_id(const json_t *);
const char *order_source(const json_t *);
const char *order_status(const json_t *);

#endif
