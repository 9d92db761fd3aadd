/*
 * ledger_kpi: the ledger's facts behind followup --report's KPIs (kpi.h),
 * read only: the orders, the carrier chases, the parcels with an
 * exception by carrier, the reviews and the returns.  It writes nothing.
 *
 * Each query hands its rows to fn one at a time, as a plain struct whose
 * strings are the ledger's and valid during the call only; fn must not
 * write to the ledger.  Times are as the records have them (RFC 3339
 * text), or seconds since the epoch where the tables keep them so.
 */
#ifndef FULFIL_LEDGER_KPI_H
#define FULFIL_LEDGER_KPI_H

#include <stdint.h>

struct ledger;

/*
 * An order, or a backorder of one (a shipment of its own), returns and
 * exchanges aside.
 */
struct ledger_kpi_order {
	const char *placed_at;
	const char *dispatched_at; /* NULL: not dispatched */
	int has_order_to_ship;     /* 0: order_to_ship_s is not known */
	int64_t order_to_ship_s;
	int late; /* dispatched after its ship_by */
	const char *deliver_by, *delivered_at;
	const char *status;
	/* A pickup order's (lib/pickup), else NULL: */
	const char *service;                 /* "pickup" */
	const char *ready_at, *collected_at; /* pickup.ready_at, ... */
	/* An order shipped in parts (lib/split): */
	const char *source, *order_id;
	const char *split_of; /* split.of, else NULL */
	int part;             /* split.part: 2 on is a backorder; 0 none */
};

/*
 * The KPIs below of one warehouse's orders (those it claimed), or of
 * every order (NULL), until said again.
 */
void ledger_kpi_scope(struct ledger *, const char *warehouse);
/*
 * The warehouses that claimed orders in the ledger, sorted, in a
 * NULL-terminated array of *n the caller frees (each and all).
 */
char **ledger_kpi_warehouses(struct ledger *, size_t *n);

void ledger_kpi_orders(struct ledger *,
    void (*fn)(void *arg, const struct ledger_kpi_order *), void *arg);

/* A carrier chase opened for an order. */
struct ledger_kpi_chase {
	const char *key;                    /* the task's: "stall:..." */
	const char *created_at;             /* the task's */
	const char *deliver_by, *placed_at; /* the order's */
};

void ledger_kpi_chases(struct ledger *,
    void (*fn)(void *arg, const struct ledger_kpi_chase *), void *arg);

/* A carrier's parcels shipped in a period, and those with an exception. */
struct ledger_kpi_carrier {
	const char *carrier;
	long parcels, exceptions;
};

/* By carrier code, for the ship dates from to to (YYYY-MM-DD). */
void ledger_kpi_exceptions(struct ledger *, const char *from, const char *to,
    void (*fn)(void *arg, const struct ledger_kpi_carrier *), void *arg);

/* A review, and the call it opened if it was negative. */
struct ledger_kpi_review {
	int rated; /* 0: no rating, only a text */
	int rating;
	int negative;
	int64_t at;
	int called; /* its call_customer task is done */
	const char *task_created_at, *task_done_at;
};

void ledger_kpi_reviews(struct ledger *,
    void (*fn)(void *arg, const struct ledger_kpi_review *), void *arg);

/* A return or exchange request, with when its order was placed. */
struct ledger_kpi_return {
	const char *kind, *reason, *placed_at;
	const char *reason_code; /* NULL for an RMA made before codes */
};

/* By reason. */
void ledger_kpi_returns(struct ledger *,
    void (*fn)(void *arg, const struct ledger_kpi_return *), void *arg);

#endif
