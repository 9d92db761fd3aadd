/*
 * ledger_returns: the returns back office in the ledger (lib/returns).
 * This family owns three tables and is the only one that writes them:
 * return_lines (an RMA's inspection, a row per SKU and outcome),
 * stock_adjustments (what goes back on the shelf, once per reason,
 * reference and SKU; pick-list counts it through ledger_picked_since())
 * and refunds (one per RMA, with the record put out).  It reads the
 * rmas of ledger_feedback.
 *
 * The caller holds the transaction (ledger_begin()).  Strings passed in
 * are borrowed for the call; fn callbacks get strings borrowed for the
 * call and must not use the ledger.
 */
#ifndef FULFIL_LEDGER_RETURNS_H
#define FULFIL_LEDGER_RETURNS_H

#include <stddef.h>
#include <stdint.h>

struct ledger;

/* fn(arg, rma) for each RMA of the order, oldest first. */
void ledger_order_rmas(struct ledger *, const char *source, const char *id,
    void (*fn)(void *arg, const char *rma), void *arg);

/* One outcome of an inspection: qty of sku came back so. */
struct ledger_return_line {
	const char *rma, *sku;
	const char *outcome; /* resellable, damaged or missing */
	int64_t qty;
	int64_t unit_price; /* the order's, minor units */
};

/*
 * fn(arg, line) for each row of the RMA's inspection, by SKU and
 * outcome; the count (0: not inspected).
 */
long ledger_return_lines(struct ledger *, const char *rma,
    void (*fn)(void *arg, const struct ledger_return_line *), void *arg);
/* Keep a row of an inspection, with this run's id and the ledger's time. */
void ledger_return_line_add(struct ledger *, const struct ledger_return_line *);

/*
 * qty of sku goes back on the shelf at time at (seconds since the
 * epoch), for a reason (why, "return") and its reference (an RMA): 1 if
 * new, 0 if that adjustment was made before.
 */
int ledger_stock_adjust(struct ledger *, const char *sku, int64_t qty,
    const char *why, const char *ref, int64_t at);

/* A refund, one per RMA. */
struct ledger_refund {
	const char *rma, *source, *order_id;
	int64_t amount; /* minor units of currency */
	const char *currency, *method;
	const char *record; /* JSON text, len bytes */
	size_t len;
};

/* Keep a refund: 1 if new, 0 if the RMA had one. */
int ledger_refund_add(struct ledger *, const struct ledger_refund *);

#endif
