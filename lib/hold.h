/*
 * hold: whether ingest-orders lets an order go on to be picked, or puts
 * it on hold (status on_hold), from what the shop's export says about its
 * money and its fulfilment (fulfil-order(5): payment.status,
 * payment.outstanding, lines[].fulfilment).
 *
 *   partial_fulfilment  a line is partly fulfilled and the export cannot
 *                       say how much is left: a person decides, since
 *                       shipping it in full could ship twice;
 *   refunded            the money was refunded, yet lines are left to
 *                       ship: a person decides;
 *   awaiting_payment    a prepaid order not paid yet: payment.status
 *                       pending, partially_paid or voided, authorized
 *                       when ingest.ship_authorized is false, or
 *                       payment.outstanding above 0.  A later export
 *                       that says paid releases it.
 *
 * Cash-on-delivery orders are paid at the door: their payment holds
 * nothing.  The first reason in the order above is the one given.
 *
 * Pure: nothing here touches the ledger or prints.
 */
#ifndef FULFIL_HOLD_H
#define FULFIL_HOLD_H

#include <stddef.h>

#include <jansson.h>

struct config;

enum hold_reason {
	HOLD_NONE = -1,
	HOLD_PARTIAL,
	HOLD_REFUNDED,
	HOLD_PAYMENT,
	HOLD_N
};

/* "partial_fulfilment": the record's hold.reason (static). */
const char *hold_name(enum hold_reason);
/* "partial": the reason in the summary line (static). */
const char *hold_label(enum hold_reason);

/*
 * Why a normalised order that has lines to ship is held, or HOLD_NONE.
 * detail gets the record's hold.detail, which may name SKUs; say the
 * same for stderr, naming fields and lines only, so that whatever a
 * mis-mapped column put in a SKU stays out of logs.
 */
enum hold_reason hold_check(const json_t *order, const struct config *,
    char *detail, size_t dlen, char *say, size_t slen);

#endif
