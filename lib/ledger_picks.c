#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "ledger_int.h"
#include "ledger_picks.h"

int64_t
ledger_batch_add(struct ledger *l, const char *wave, int orders, double route_m)
{
	struct db_stmt *st = ledger_sql(l,
	    "INSERT INTO batches (run, wave, orders, route_m, created_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5)");

	db_bind_int64(st, 1, ledger_run_id(l));
	db_bind_text(st, 2, wave, -1);
	db_bind_int64(st, 3, orders);
	db_bind_double(st, 4, route_m);
	db_bind_text(st, 5, ledger_stamp(l), -1);
	ledger_done(l, st);
	return db_last_insert_id(l->dbh);
}

/*
 * The row in orders of an order whose picks are written: pick-list
 * writes the order first, in the same transaction.
 */
static int64_t
picked_order(struct ledger *l, const char *source, const char *id)
{
	int64_t ord = ledger_order_rowid(l, source, id);

	if (ord == 0)
		err_exit(EXIT_TROUBLE,
		    "ledger '%s': picks of %s/%s, an order it does not have",
		    ledger_path(l), source, id);
	return ord;
}

void
ledger_pick_add(struct ledger *l, const char *source, const char *id,
    const char *sku, int64_t qty, int64_t batch, int64_t at)
{
	struct ledger_pick_row row = {sku, qty, batch};

	ledger_picks_add(l, source, id, &row, 1, at);
}

/*
 * The rows of ledger_picks_add(), k = 0, 1, ...: the order's row (?1)
 * and time (?2) shared, each row's sku (its id in event_names, schema
 * 26), qty and batch its own three.
 * Written out, not made with a format, so that every statement is a
 * literal (tests/sql-of prepares them all on PostgreSQL).
 */
#define PICK_ROW(s, q, b) "(?1, ?" #s ", ?" #q ", ?" #b ", ?2)"
#define PICK_R1 PICK_ROW(3, 4, 5)
#define PICK_R2 PICK_R1 ", " PICK_ROW(6, 7, 8)
#define PICK_R4 PICK_R2 ", " PICK_ROW(9, 10, 11) ", " PICK_ROW(12, 13, 14)
#define PICK_R8                                                          \
	PICK_R4 ", " PICK_ROW(15, 16, 17) ", " PICK_ROW(18, 19, 20) ", "    \
	    PICK_ROW(21, 22, 23) ", " PICK_ROW(24, 25, 26)
#define PICK_INS(rows)                                                   \
	"INSERT INTO pick_log (ord, sku, qty, batch, at) VALUES "            \
	rows " ON CONFLICT (ord, sku) DO UPDATE"                             \
	     " SET qty = excluded.qty, batch = excluded.batch,"              \
	     " at = excluded.at, released_at = NULL"

void
ledger_picks_add(struct ledger *l, const char *source, const char *id,
    const struct ledger_pick_row *rows, int n, int64_t at)
{
	struct db_stmt *st;
	int64_t ord = picked_order(l, source, id);
	int k, m;

	while (n > 0) {
		/* The biggest statement that fits: 8, 4, 2 or 1 rows. */
		if (n >= 8) {
			m = 8;
			st = ledger_sql(l, PICK_INS(PICK_R8));
		} else if (n >= 4) {
			m = 4;
			st = ledger_sql(l, PICK_INS(PICK_R4));
		} else if (n >= 2) {
			m = 2;
			st = ledger_sql(l, PICK_INS(PICK_R2));
		} else {
			m = 1;
			st = ledger_sql(l, PICK_INS(PICK_R1));
		}
		db_bind_int64(st, 1, ord);
		db_bind_int64(st, 2, at);
		for (k = 0; k < m; k++) {
			db_bind_int64(
			    st, 3 + 3 * k, ledger_sku_id(l, rows[k].sku));
			db_bind_int64(st, 4 + 3 * k, rows[k].qty);
			db_bind_int64(st, 5 + 3 * k, rows[k].batch);
		}
		ledger_done(l, st);
		rows += m;
		n -= m;
	}
}

void
ledger_picked_since(struct ledger *l, int64_t since,
    void (*fn)(void *arg, const char *sku, int64_t qty), void *arg)
{
	/* By the SKU's text: stock_adjustments names it so. */
	struct db_stmt *st = ledger_sql(l,
	    "SELECT sku, sum(q) FROM (SELECT n.name AS sku, p.qty AS q"
	    " FROM pick_log AS p JOIN event_names AS n ON n.id = p.sku"
	    " WHERE p.at >= ?1 UNION ALL SELECT n.name, -p.qty"
	    " FROM pick_log AS p JOIN event_names AS n ON n.id = p.sku"
	    " WHERE p.released_at >= ?1 UNION ALL SELECT sku, -qty"
	    " FROM stock_adjustments WHERE at >= ?1) AS m GROUP BY sku");

	db_bind_int64(st, 1, since);
	while (ledger_row(l, st))
		fn(arg, ledger_col(st, 0), db_column_int64(st, 1));
}

struct ledger_stock_mark
ledger_stock_mark(struct ledger *l, int64_t since)
{
	struct db_stmt *st = ledger_sql(l,
	    "SELECT (SELECT coalesce(max(id), 0) FROM batches),"
	    " (SELECT count(*) FROM pick_log WHERE released_at >= ?1),"
	    " (SELECT coalesce(sum(qty), 0) FROM pick_log"
	    " WHERE released_at >= ?1),"
	    " (SELECT count(*) FROM stock_adjustments WHERE at >= ?1),"
	    " (SELECT coalesce(sum(qty), 0) FROM stock_adjustments"
	    " WHERE at >= ?1)");
	struct ledger_stock_mark m = {0};

	db_bind_int64(st, 1, since);
	while (ledger_row(l, st)) {
		m.batch = db_column_int64(st, 0);
		m.released = db_column_int64(st, 1);
		m.released_qty = db_column_int64(st, 2);
		m.adjusted = db_column_int64(st, 3);
		m.adjusted_qty = db_column_int64(st, 4);
	}
	return m;
}

long
ledger_picks_between(struct ledger *l, int64_t from, int64_t to,
    void (*fn)(void *, int64_t, const char *, int64_t), void *arg)
{
	struct db_stmt *st = ledger_sql(l,
	    "SELECT p.batch, n.name, p.qty FROM pick_log AS p"
	    " JOIN event_names AS n ON n.id = p.sku"
	    " WHERE p.at >= ?1 AND p.at <= ?2 ORDER BY p.batch, n.name, p.ord");
	long n = 0;

	db_bind_int64(st, 1, from);
	db_bind_int64(st, 2, to);
	while (ledger_row(l, st)) {
		fn(arg, db_column_int64(st, 0), ledger_col(st, 1),
		    db_column_int64(st, 2));
		n++;
	}
	return n;
}

/* A pick given back, for ledger_picks_release()'s order. */
struct released {
	char *sku;
	int64_t qty, batch;
};

static int
by_sku(const void *a, const void *b)
{
	return strcmp(((const struct released *)a)->sku,
	    ((const struct released *)b)->sku);
}

/*
 * The picks are handed to fn in the order of their SKUs' text (bytes),
 * as pick_log's key gave them before it named a SKU by its id.
 */
long
ledger_picks_release(struct ledger *l, const char *source, const char *id,
    int64_t at, void (*fn)(void *, const char *, int64_t, int64_t), void *arg)
{
	struct db_stmt *st = ledger_sql(l,
	    "UPDATE pick_log SET released_at = ?2 WHERE ord = ?1 AND "
	    "released_at IS NULL RETURNING (SELECT n.name FROM event_names AS n"
	    " WHERE n.id = pick_log.sku), qty, batch");
	struct released *r = NULL;
	size_t n = 0, cap = 0, i;

	db_bind_int64(st, 1, ledger_order_rowid(l, source, id));
	db_bind_int64(st, 2, at);
	/* The update is made by the first step; the rows come after. */
	while (ledger_row(l, st)) {
		xgrow(&r, &cap, n + 1, sizeof *r);
		r[n].sku = xstrdup(ledger_col(st, 0));
		r[n].qty = db_column_int64(st, 1);
		r[n++].batch = db_column_int64(st, 2);
	}
	if (n > 1)
		qsort(r, n, sizeof *r, by_sku);
	for (i = 0; i < n; i++) {
		fn(arg, r[i].sku, r[i].qty, r[i].batch);
		free(r[i].sku);
	}
	free(r);
	return (long)n;
}
