#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "ledger_int.h"
#include "ledger_pack.h"

void
ledger_pack_scan_add(struct ledger *l, const struct ledger_pack_scan *s)
{
	struct db_stmt *st = ledger_sql(l,
	    "INSERT INTO pack_scans (run, station, source, order_id, code, sku,"
	    "  verdict, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");

	db_bind_int64(st, 1, ledger_run_id(l));
	db_bind_text(st, 2, s->station, -1);
	db_bind_text(st, 3, s->source, -1);
	db_bind_text(st, 4, s->order_id, -1);
	db_bind_text(st, 5, s->code, -1);
	db_bind_text(st, 6, s->sku, -1);
	db_bind_text(st, 7, s->verdict, -1);
	db_bind_text(st, 8, ledger_stamp(l), -1);
	ledger_done(l, st);
}

void
ledger_pack_boxed(struct ledger *l, const char *source, const char *id,
    void (*fn)(void *arg, const char *sku, int64_t qty), void *arg)
{
	struct db_stmt *st = ledger_sql(l,
	    "SELECT sku, count(*) FROM pack_scans WHERE source = ?1"
	    "  AND order_id = ?2 AND verdict = 'item' AND id > coalesce("
	    "  (SELECT max(id) FROM pack_scans WHERE source = ?1"
	    "   AND order_id = ?2 AND verdict = 'cancel'), 0)"
	    " GROUP BY sku ORDER BY sku");

	db_bind_text(st, 1, source, -1);
	db_bind_text(st, 2, id, -1);
	while (ledger_row(l, st))
		fn(arg, ledger_col(st, 0), db_column_int64(st, 1));
}

int
ledger_pack_tote(struct ledger *l, const char *status, int64_t n, char **source,
    char **id, int64_t *batches)
{
	struct db_stmt *st = ledger_sql(l,
	    "SELECT source, order_id, json_extract(rec(record), "
	    "'$.pick.batch') AS b"
	    " FROM orders WHERE status = ?2 AND (json_extract(rec(record),"
	    "  '$.pick.tote') = ?1 OR EXISTS (SELECT 1 FROM"
	    "  json_each(rec(record), '$.pick.totes') WHERE value = ?1))"
	    " ORDER BY b DESC");
	int found = 0;

	*source = *id = NULL;
	*batches = 0;
	db_bind_int64(st, 1, n);
	db_bind_text(st, 2, status, -1);
	while (ledger_row(l, st)) {
		if (!found) {
			*source = ledger_coldup(st, 0);
			*id = ledger_coldup(st, 1);
			found = 1;
		}
		++*batches;
	}
	return found;
}

/* s as an SQL string literal, quotes doubled: both databases read it. */
static char *
quoted(const char *s)
{
	char *q = xmalloc(2 * strlen(s) + 3), *p = q;

	*p++ = '\'';
	for (; *s != '\0'; s++) {
		if (*s == '\'')
			*p++ = '\'';
		*p++ = *s;
	}
	*p++ = '\'';
	*p = '\0';
	return q;
}

char *
ledger_pack_where(const char *source, const char *id)
{
	char *s = quoted(source), *i = quoted(id), *where;

	xasprintf(&where, "source = %s AND order_id = %s", s, i);
	free(s);
	free(i);
	return where;
}
