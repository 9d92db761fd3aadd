#include "ledger_int.h"
#include "ledger_split.h"

void
ledger_backorders(struct ledger *l, const char *source, const char *id,
    void (*fn)(void *, const char *, const char *), void *arg)
{
	/*
	 * A backorder's id is "<id>/<n>": the primary key's range of ids
	 * after "<id>/" and before "<id>0" ('0' follows '/') finds them
	 * without reading every order; split.of says which really are.
	 */
	struct db_stmt *st = ledger_sql(l,
	    "SELECT order_id, status FROM orders WHERE source = ?1 AND "
	    "order_id > ?2 || '/' AND order_id < ?2 || '0' AND "
	    "json_extract(rec(record), '$.split.of') = ?2 ORDER BY order_id");

	db_bind_text(st, 1, source, -1);
	db_bind_text(st, 2, id, -1);
	while (ledger_row(l, st))
		fn(arg, ledger_col(st, 0), ledger_col(st, 1));
}
