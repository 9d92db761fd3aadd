#include <stdlib.h>

#include "ledger_cod.h"
#include "ledger_int.h"

/*
 * The columns of a COD parcel, in ledger_cod_parcel's order, for the
 * queries that fill one: its amount is on the manifest, its state (when
 * the carrier said anything) in shipments.
 */
#define PARCEL_COLS                                                            \
	"mp.tracking, mp.source, mp.order_id, m.carrier, mp.currency, "        \
	"mp.cod, s.status IS 'delivered', s.status_at "
#define PARCEL_FROM                                                            \
	"FROM manifest_parcels mp JOIN manifests m ON m.id = mp.manifest "     \
	"LEFT JOIN shipments s ON s.tracking = mp.tracking "

static void
parcel_fill(struct db_stmt *st, struct ledger_cod_parcel *p)
{
	p->cod = db_column_int64(st, 5);
	p->delivered = db_column_int(st, 6);
	p->delivered_at = p->delivered ? db_column_int64(st, 7) : 0;
}

int
ledger_cod_parcel(
    struct ledger *l, const char *tracking, struct ledger_cod_parcel *p)
{
	struct db_stmt *st =
	    ledger_sql(l, "SELECT " PARCEL_COLS PARCEL_FROM
			  "WHERE mp.tracking = ?1 AND mp.cod > 0");

	db_bind_text(st, 1, tracking, -1);
	if (!ledger_row(l, st))
		return 0;
	p->tracking = ledger_coldup(st, 0);
	p->source = ledger_coldup(st, 1);
	p->order_id = ledger_coldup(st, 2);
	p->carrier = ledger_coldup(st, 3);
	p->currency = ledger_coldup(st, 4);
	parcel_fill(st, p);
	db_reset(st);
	return 1;
}

void
ledger_cod_parcel_free(struct ledger_cod_parcel *p)
{
	free(p->tracking);
	free(p->source);
	free(p->order_id);
	free(p->carrier);
	free(p->currency);
}

int64_t
ledger_cod_remitted(
    struct ledger *l, const char *tracking, const char *currency)
{
	struct db_stmt *st = ledger_sql(l,
	    "SELECT coalesce(sum(amount), 0) FROM remittances WHERE "
	    "tracking = ?1 AND currency = ?2");
	int64_t n = 0;

	db_bind_text(st, 1, tracking, -1);
	db_bind_text(st, 2, currency, -1);
	if (ledger_row(l, st))
		n = db_column_int64(st, 0);
	db_reset(st);
	return n;
}

int
ledger_remittance_add(struct ledger *l, const struct ledger_remittance *r)
{
	struct db_stmt *st = ledger_sql(l,
	    "INSERT OR IGNORE INTO remittances (statement, tracking, carrier, "
	    "amount, currency, at, outcome, expected, source, order_id, "
	    "created_at, run) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
	    "?10, ?11, ?12)");

	db_bind_text(st, 1, r->statement, -1);
	db_bind_text(st, 2, r->tracking, -1);
	db_bind_text(st, 3, r->carrier, -1);
	db_bind_int64(st, 4, r->amount);
	db_bind_text(st, 5, r->currency, -1);
	db_bind_text(st, 6, r->at, -1);
	db_bind_text(st, 7, r->outcome, -1);
	if (r->has_expected)
		db_bind_int64(st, 8, r->expected);
	db_bind_text(st, 9, r->source, -1);
	db_bind_text(st, 10, r->order_id, -1);
	db_bind_text(st, 11, ledger_stamp(l), -1);
	db_bind_int64(st, 12, ledger_run_id(l));
	ledger_done(l, st);
	return db_changes(l->dbh) > 0;
}

void
ledger_cod_unremitted(struct ledger *l, int64_t before,
    void (*fn)(void *, const struct ledger_cod_parcel *), void *arg)
{
	struct db_stmt *st = ledger_sql(l,
	    "SELECT " PARCEL_COLS PARCEL_FROM
	    "WHERE mp.cod > 0 AND s.status = 'delivered' AND s.status_at <= "
	    "?1 AND NOT EXISTS (SELECT 1 FROM remittances r WHERE r.tracking "
	    "= mp.tracking) ORDER BY s.status_at, mp.tracking");
	struct ledger_cod_parcel p;

	db_bind_int64(st, 1, before);
	while (ledger_row(l, st)) {
		p.tracking = (char *)ledger_col(st, 0);
		p.source = (char *)ledger_col(st, 1);
		p.order_id = (char *)ledger_col(st, 2);
		p.carrier = (char *)ledger_col(st, 3);
		p.currency = (char *)ledger_col(st, 4);
		parcel_fill(st, &p);
		fn(arg, &p);
	}
}

void
ledger_cod_carriers(struct ledger *l, const char *from, const char *to,
    void (*fn)(void *, const struct ledger_cod_carrier *), void *arg)
{
	/* clang-format off */
	struct db_stmt *st = ledger_sql(l,
	    "WITH p AS (SELECT m.carrier, mp.currency, mp.tracking, mp.cod, "
	    "s.status IS 'delivered' AS delivered " PARCEL_FROM
	    "WHERE mp.cod > 0 AND m.ship_date BETWEEN ?1 AND ?2 AND "
	    KPI_OF("mp.source", "mp.order_id", "3") "), "
	    "r AS (SELECT tracking, currency, sum(amount) AS amount FROM "
	    "remittances GROUP BY tracking, currency), "
	    "d AS (SELECT json_extract(record, '$.detail.carrier') AS carrier, "
	    "json_extract(record, '$.detail.currency') AS currency, count(*) "
	    "AS n FROM tasks WHERE status = 'open' AND kind IN ('cod_short', "
	    "'cod_over', 'cod_missing', 'cod_unknown') AND "
	    KPI_OF("tasks.source", "tasks.order_id", "3") " GROUP BY 1, 2), "
	    "k AS (SELECT carrier, currency FROM p UNION SELECT carrier, "
	    "currency FROM d) "
	    "SELECT k.carrier, k.currency, "
	    "(SELECT count(*) FROM p WHERE p.carrier IS k.carrier AND "
	    "p.currency IS k.currency), "
	    "(SELECT coalesce(sum(cod), 0) FROM p WHERE p.carrier IS k.carrier "
	    "AND p.currency IS k.currency), "
	    "(SELECT coalesce(sum(cod), 0) FROM p WHERE p.carrier IS k.carrier "
	    "AND p.currency IS k.currency AND p.delivered), "
	    "(SELECT coalesce(sum(r.amount), 0) FROM p JOIN r ON r.tracking = "
	    "p.tracking AND r.currency = p.currency WHERE p.carrier IS "
	    "k.carrier AND p.currency IS k.currency), "
	    "coalesce((SELECT n FROM d WHERE d.carrier IS k.carrier AND "
	    "d.currency IS k.currency), 0) "
	    "FROM k ORDER BY k.carrier IS NULL, 1, 2");
	/* clang-format on */
	struct ledger_cod_carrier c;

	db_bind_text(st, 1, from, -1);
	db_bind_text(st, 2, to, -1);
	ledger_bind_kpi_of(l, st, 3);
	while (ledger_row(l, st)) {
		c.carrier = ledger_col(st, 0);
		c.currency = ledger_col(st, 1);
		c.parcels = db_column_int64(st, 2);
		c.due = db_column_int64(st, 3);
		c.collected = db_column_int64(st, 4);
		c.remitted = db_column_int64(st, 5);
		c.discrepancies = db_column_int64(st, 6);
		fn(arg, &c);
	}
}
