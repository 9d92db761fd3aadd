#include <stdlib.h>

#include "err.h"
#include "ledger_int.h"
#include "ledger_kpi.h"

void
ledger_kpi_orders(struct ledger *l,
    void (*fn)(void *, const struct ledger_kpi_order *), void *arg)
{
	struct db_stmt *st = ledger_sql(l,
	    "SELECT json_extract(rec(record), '$.placed_at'), "
	    "json_extract(rec(record), '$.dispatch.dispatched_at'), "
	    "CASE json_type(rec(record), '$.dispatch.order_to_ship_s') WHEN "
	    "'integer' THEN json_extract(rec(record), "
	    "'$.dispatch.order_to_ship_s') END, "
	    "json_extract(rec(record), '$.dispatch.late'), "
	    "json_extract(rec(record), '$.promise.deliver_by'), "
	    "json_extract(rec(record), '$.delivery.at'), status, "
	    "json_extract(rec(record), '$.service'), "
	    "json_extract(rec(record), '$.pickup.ready_at'), "
	    "json_extract(rec(record), '$.pickup.collected_at'), source, "
	    "order_id, "
	    "json_extract(rec(record), '$.split.of'), "
	    "json_extract(rec(record), '$.split.part') FROM orders WHERE "
	    "source NOT IN ('rma', 'exchange') AND "
	    KPI_WH("warehouse", "1") " "
	    "ORDER BY source, order_id");
	struct ledger_kpi_order o;

	ledger_bind_kpi_of(l, st, 1);
	while (ledger_row(l, st)) {
		o.placed_at = ledger_col(st, 0);
		o.dispatched_at = ledger_col(st, 1);
		o.has_order_to_ship = db_column_type(st, 2) != DB_NULL;
		o.order_to_ship_s = db_column_int64(st, 2);
		o.late = db_column_int(st, 3);
		o.deliver_by = ledger_col(st, 4);
		o.delivered_at = ledger_col(st, 5);
		o.status = ledger_col(st, 6);
		o.service = ledger_col(st, 7);
		o.ready_at = ledger_col(st, 8);
		o.collected_at = ledger_col(st, 9);
		o.source = ledger_col(st, 10);
		o.order_id = ledger_col(st, 11);
		o.split_of = ledger_col(st, 12);
		o.part = db_column_int(st, 13);
		fn(arg, &o);
	}
}

void
ledger_kpi_chases(struct ledger *l,
    void (*fn)(void *, const struct ledger_kpi_chase *), void *arg)
{
	struct db_stmt *st = ledger_sql(l,
	    "SELECT t.key, t.created_at, json_extract(rec(o.record), "
	    "'$.promise.deliver_by'), json_extract(rec(o.record), "
	    "'$.placed_at') "
	    "FROM tasks t JOIN orders o ON o.source = t.source AND o.order_id "
	    "= t.order_id WHERE t.kind = 'carrier_chase' AND "
	    KPI_WH("o.warehouse", "1"));
	struct ledger_kpi_chase c;

	ledger_bind_kpi_of(l, st, 1);
	while (ledger_row(l, st)) {
		c.key = ledger_col(st, 0);
		c.created_at = ledger_col(st, 1);
		c.deliver_by = ledger_col(st, 2);
		c.placed_at = ledger_col(st, 3);
		fn(arg, &c);
	}
}

void
ledger_kpi_exceptions(struct ledger *l, const char *from, const char *to,
    void (*fn)(void *, const struct ledger_kpi_carrier *), void *arg)
{
	/* clang-format off */
	struct db_stmt *st = ledger_sql(l,
	    "SELECT m.carrier, count(*), sum(CASE WHEN EXISTS (SELECT 1 FROM "
	    "tracking_events e WHERE e.tracking = mp.tracking AND e.status = "
	    "'exception') THEN 1 ELSE 0 END) FROM manifest_parcels mp JOIN manifests m ON m.id "
	    "= mp.manifest WHERE m.ship_date BETWEEN ?1 AND ?2 AND "
	    KPI_OF("mp.source", "mp.order_id", "3") " GROUP BY "
	    "m.carrier ORDER BY m.carrier");
	/* clang-format on */
	struct ledger_kpi_carrier c;

	db_bind_text(st, 1, from, -1);
	db_bind_text(st, 2, to, -1);
	ledger_bind_kpi_of(l, st, 3);
	while (ledger_row(l, st)) {
		c.carrier = ledger_col(st, 0);
		c.parcels = db_column_int64(st, 1);
		c.exceptions = db_column_int64(st, 2);
		fn(arg, &c);
	}
}

void
ledger_kpi_reviews(struct ledger *l,
    void (*fn)(void *, const struct ledger_kpi_review *), void *arg)
{
	struct db_stmt *st = ledger_sql(l,
	    "SELECT r.rating, r.negative, r.at, t.status IS 'done', "
	    "t.created_at, t.done_at FROM reviews r LEFT JOIN tasks t ON t.id "
	    "= r.task WHERE " KPI_OF("r.source", "r.order_id", "1"));
	struct ledger_kpi_review r;

	ledger_bind_kpi_of(l, st, 1);
	while (ledger_row(l, st)) {
		r.rated = db_column_type(st, 0) != DB_NULL;
		r.rating = db_column_int(st, 0);
		r.negative = db_column_int(st, 1);
		r.at = db_column_int64(st, 2);
		r.called = db_column_int(st, 3);
		r.task_created_at = ledger_col(st, 4);
		r.task_done_at = ledger_col(st, 5);
		fn(arg, &r);
	}
}

void
ledger_kpi_returns(struct ledger *l,
    void (*fn)(void *, const struct ledger_kpi_return *), void *arg)
{
	struct db_stmt *st = ledger_sql(l,
	    "SELECT r.kind, r.reason, json_extract(rec(o.record), "
	    "'$.placed_at'), "
	    "r.reason_code FROM rmas r JOIN orders o ON o.source = r.source "
	    "AND o.order_id = r.order_id WHERE "
	    KPI_WH("o.warehouse", "1") " "
	    "ORDER BY r.reason_code, r.reason");
	struct ledger_kpi_return r;

	ledger_bind_kpi_of(l, st, 1);
	while (ledger_row(l, st)) {
		r.kind = ledger_col(st, 0);
		r.reason = ledger_col(st, 1);
		r.placed_at = ledger_col(st, 2);
		r.reason_code = ledger_col(st, 3);
		fn(arg, &r);
	}
}

void
ledger_kpi_scope(struct ledger *l, const char *warehouse)
{
	free(l->kpi_of);
	l->kpi_of = warehouse != NULL ? xstrdup(warehouse) : NULL;
}

void
ledger_bind_kpi_of(struct ledger *l, struct db_stmt *st, int n)
{
	if (l->kpi_of != NULL)
		db_bind_text(st, n, l->kpi_of, -1);
}

char **
ledger_kpi_warehouses(struct ledger *l, size_t *n)
{
	struct db_stmt *st = ledger_sql(l,
	    "SELECT DISTINCT warehouse FROM orders WHERE warehouse IS NOT NULL "
	    "ORDER BY warehouse");
	char **v = xcalloc(1, sizeof *v);
	size_t cap = 1;

	*n = 0;
	while (ledger_row(l, st)) {
		xgrow(&v, &cap, *n + 2, sizeof *v);
		v[(*n)++] = xstrdup(ledger_col(st, 0));
		v[*n] = NULL;
	}
	return v;
}
