#include <stdint.h>

#include "ledger_int.h"
#include "ledger_returns.h"

void
ledger_order_rmas(struct ledger *l, const char *source, const char *id,
    void (*fn)(void *, const char *), void *arg)
{
	struct db_stmt *st = ledger_sql(l,
	    "SELECT id FROM rmas WHERE source = ?1 AND order_id = ?2"
	    " ORDER BY at, id");

	db_bind_text(st, 1, source, -1);
	db_bind_text(st, 2, id, -1);
	while (ledger_row(l, st))
		fn(arg, ledger_col(st, 0));
}

long
ledger_return_lines(struct ledger *l, const char *rma,
    void (*fn)(void *, const struct ledger_return_line *), void *arg)
{
	struct db_stmt *st = ledger_sql(l,
	    "SELECT sku, outcome, qty, unit_price FROM return_lines"
	    " WHERE rma = ?1 ORDER BY sku, outcome");
	struct ledger_return_line r;
	long n = 0;

	db_bind_text(st, 1, rma, -1);
	while (ledger_row(l, st)) {
		r.rma = rma;
		r.sku = ledger_col(st, 0);
		r.outcome = ledger_col(st, 1);
		r.qty = db_column_int64(st, 2);
		r.unit_price = db_column_int64(st, 3);
		if (fn != NULL)
			fn(arg, &r);
		n++;
	}
	return n;
}

void
ledger_return_line_add(struct ledger *l, const struct ledger_return_line *r)
{
	struct db_stmt *st = ledger_sql(l,
	    "INSERT INTO return_lines (rma, sku, outcome, qty, unit_price,"
	    " inspected_at, run) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");

	db_bind_text(st, 1, r->rma, -1);
	db_bind_text(st, 2, r->sku, -1);
	db_bind_text(st, 3, r->outcome, -1);
	db_bind_int64(st, 4, r->qty);
	db_bind_int64(st, 5, r->unit_price);
	db_bind_text(st, 6, ledger_stamp(l), -1);
	db_bind_int64(st, 7, ledger_run_id(l));
	ledger_done(l, st);
}

int
ledger_stock_adjust(struct ledger *l, const char *sku, int64_t qty,
    const char *why, const char *ref, int64_t at)
{
	struct db_stmt *st = ledger_sql(l,
	    "INSERT OR IGNORE INTO stock_adjustments (sku, qty, why, ref, at,"
	    " run) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");

	db_bind_text(st, 1, sku, -1);
	db_bind_int64(st, 2, qty);
	db_bind_text(st, 3, why, -1);
	db_bind_text(st, 4, ref, -1);
	db_bind_int64(st, 5, at);
	db_bind_int64(st, 6, ledger_run_id(l));
	ledger_done(l, st);
	return db_changes(l->dbh) > 0;
}

int
ledger_refund_add(struct ledger *l, const struct ledger_refund *r)
{
	struct db_stmt *st = ledger_sql(l,
	    "INSERT OR IGNORE INTO refunds (rma, source, order_id, amount,"
	    " currency, method, record, created_at, run)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");

	db_bind_text(st, 1, r->rma, -1);
	db_bind_text(st, 2, r->source, -1);
	db_bind_text(st, 3, r->order_id, -1);
	db_bind_int64(st, 4, r->amount);
	db_bind_text(st, 5, r->currency, -1);
	db_bind_text(st, 6, r->method, -1);
	db_bind_text(st, 7, r->record, (int)r->len);
	db_bind_text(st, 8, ledger_stamp(l), -1);
	db_bind_int64(st, 9, ledger_run_id(l));
	ledger_done(l, st);
	return db_changes(l->dbh) > 0;
}
