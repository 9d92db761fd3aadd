#include <stdint.h>

#include "ledger_int.h"
#include "ledger_picks.h"

int64_t
ledger_batch_add(struct ledger *l, const char *wave, int orders, double route_m)
{
	sqlite3_stmt *st = ledger_sql(l,
	    "INSERT INTO batches (run, wave, orders, route_m, created_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5)");

	sqlite3_bind_int64(st, 1, ledger_run_id(l));
	sqlite3_bind_text(st, 2, wave, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, orders);
	sqlite3_bind_double(st, 4, route_m);
	sqlite3_bind_text(st, 5, ledger_stamp(l), -1, SQLITE_STATIC);
	ledger_done(l, st);
	return sqlite3_last_insert_rowid(l->db);
}

void
ledger_pick_add(struct ledger *l, const char *source, const char *id,
    const char *sku, int64_t qty, int64_t batch, int64_t at)
{
	sqlite3_stmt *st =
	    ledger_sql(l, "INSERT OR REPLACE INTO picks"
			  " (source, order_id, sku, qty, batch, at)"
			  " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");

	sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, sku, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, qty);
	sqlite3_bind_int64(st, 5, batch);
	sqlite3_bind_int64(st, 6, at);
	ledger_done(l, st);
}

void
ledger_picked_since(struct ledger *l, int64_t since,
    void (*fn)(void *arg, const char *sku, int64_t qty), void *arg)
{
	sqlite3_stmt *st = ledger_sql(
	    l, "SELECT sku, sum(qty) FROM picks WHERE at >= ?1 GROUP BY sku");

	sqlite3_bind_int64(st, 1, since);
	while (ledger_row(l, st))
		fn(arg, ledger_col(st, 0), sqlite3_column_int64(st, 1));
}
