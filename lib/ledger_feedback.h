/*
 * ledger_feedback: what customers tell the shop after delivery, in the
 * ledger.  This family owns two tables and is the only one that writes
 * them: reviews (each once, with the call it opened) and rmas (return
 * and exchange requests, an RMA each).  Its queries also read the orders
 * and the tasks.  feedback.c is its user; kpi reads through ledger_kpi.
 *
 * The caller holds the transaction (ledger_begin()).  Strings passed in
 * are borrowed for the call; strings handed back are the caller's to
 * free.
 */
#ifndef FULFIL_LEDGER_FEEDBACK_H
#define FULFIL_LEDGER_FEEDBACK_H

#include <stddef.h>
#include <stdint.h>

struct ledger;

/*
 * How many sources have the order id: 0, 1, or 2 for more than one (the
 * RMAs' source aside; only source itself unless it is NULL).  *found
 * gets the first one found (to free), or NULL.
 */
int ledger_order_sources(
    struct ledger *, const char *order_id, const char *source, char **found);

/* A review of an order. */
struct ledger_review {
	const char *key, *source, *order_id;
	int rated;        /* 0: no rating, only a text */
	int64_t rating;   /* 1 to 5 */
	const char *text; /* NULL if none */
	int64_t at;
	int negative;
};

/*
 * Keep a review under its key, with this run's id and the ledger's
 * time: 1 if new, 0 if kept before.
 */
int ledger_review_add(struct ledger *, const struct ledger_review *);
/* Note on review key the task opened for it under task_key. */
void ledger_review_task(struct ledger *, const char *key, const char *task_key);

/* A return or exchange request, its RMA. */
struct ledger_rma {
	const char *id, *key, *source, *order_id;
	const char *kind; /* "return" or "exchange" */
	const char *reason;      /* the customer's words, "" if none */
	const char *reason_code; /* returns.reasons, returns_reason() */
	int damaged;
	const char *lines;       /* JSON array of {sku, name, qty} */
	const char *replacement; /* the exchange's new order id, or NULL */
	const char *record;      /* JSON text, len bytes */
	size_t len;
	int64_t at;
};

/* 1 if an RMA was made for the request keyed key. */
int ledger_rma_known(struct ledger *, const char *key);
/* The number the next RMA gets: one more than there are RMAs. */
int64_t ledger_rma_next(struct ledger *);
/* How many of sku the order's RMAs asked back so far. */
int64_t ledger_rma_asked(
    struct ledger *, const char *source, const char *order_id, const char *sku);
/* Keep an RMA, with this run's id and the ledger's time. */
void ledger_rma_add(struct ledger *, const struct ledger_rma *);

#endif
