#include "err.h"
#include "ledger_feedback.h"
#include "ledger_int.h"

int
ledger_order_sources(
    struct ledger *l, const char *order_id, const char *source, char **found)
{
	struct db_stmt *st = ledger_sql(l,
	    "SELECT source FROM orders WHERE order_id = ?1 AND (CAST(?2 AS TEXT) "
	    "IS NULL OR "
	    "source = ?2) AND source NOT IN ('rma') LIMIT 2");
	int n = 0;

	*found = NULL;
	db_bind_text(st, 1, order_id, -1);
	db_bind_text(st, 2, source, -1);
	while (ledger_row(l, st))
		if (n++ == 0)
			*found = ledger_coldup(st, 0);
	return n;
}

int
ledger_review_add(struct ledger *l, const struct ledger_review *r)
{
	struct db_stmt *st = ledger_sql(l,
	    "INSERT OR IGNORE INTO reviews (key, source, order_id, rating, "
	    "text, at, negative, created_at, run) VALUES (?1, ?2, ?3, ?4, ?5, "
	    "?6, ?7, ?8, ?9)");

	db_bind_text(st, 1, r->key, -1);
	db_bind_text(st, 2, r->source, -1);
	db_bind_text(st, 3, r->order_id, -1);
	if (r->rated)
		db_bind_int64(st, 4, r->rating);
	db_bind_text(st, 5, r->text, -1);
	db_bind_int64(st, 6, r->at);
	db_bind_int64(st, 7, r->negative);
	db_bind_text(st, 8, ledger_stamp(l), -1);
	db_bind_int64(st, 9, ledger_run_id(l));
	ledger_done(l, st);
	return db_changes(l->dbh) > 0;
}

void
ledger_review_task(struct ledger *l, const char *key, const char *task_key)
{
	struct db_stmt *st = ledger_sql(l,
	    "UPDATE reviews SET task = (SELECT id FROM tasks WHERE key "
	    "= ?2) WHERE key = ?1");

	db_bind_text(st, 1, key, -1);
	db_bind_text(st, 2, task_key, -1);
	ledger_done(l, st);
}

int
ledger_rma_known(struct ledger *l, const char *key)
{
	struct db_stmt *st =
	    ledger_sql(l, "SELECT id FROM rmas WHERE key = ?1");

	db_bind_text(st, 1, key, -1);
	if (!ledger_row(l, st))
		return 0;
	db_reset(st);
	return 1;
}

int64_t
ledger_rma_next(struct ledger *l)
{
	struct db_stmt *st = ledger_sql(l, "SELECT count(*) + 1 FROM rmas");
	int64_t n;

	if (!ledger_row(l, st))
		err_exit(EXIT_TROUBLE, "ledger: cannot count returns");
	n = db_column_int64(st, 0);
	db_reset(st);
	return n;
}

int64_t
ledger_rma_asked(
    struct ledger *l, const char *source, const char *order_id, const char *sku)
{
	struct db_stmt *st = ledger_sql(l,
	    "SELECT coalesce(sum(CAST(json_extract(l.value, '$.qty') AS INTEGER)), 0) FROM "
	    "rmas, json_each(rmas.lines) l WHERE rmas.source = ?1 AND "
	    "rmas.order_id = ?2 AND json_extract(l.value, '$.sku') = ?3");
	int64_t n = 0;

	db_bind_text(st, 1, source, -1);
	db_bind_text(st, 2, order_id, -1);
	db_bind_text(st, 3, sku, -1);
	if (ledger_row(l, st)) {
		n = db_column_int64(st, 0);
		db_reset(st);
	}
	return n;
}

void
ledger_rma_add(struct ledger *l, const struct ledger_rma *r)
{
	struct db_stmt *st = ledger_sql(l,
	    "INSERT INTO rmas (id, key, source, order_id, kind, reason, "
	    "damaged, lines, replacement, record, created_at, at, run, "
	    "reason_code) VALUES "
	    "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)");

	db_bind_text(st, 1, r->id, -1);
	db_bind_text(st, 2, r->key, -1);
	db_bind_text(st, 3, r->source, -1);
	db_bind_text(st, 4, r->order_id, -1);
	db_bind_text(st, 5, r->kind, -1);
	db_bind_text(st, 6, r->reason, -1);
	db_bind_int64(st, 7, r->damaged);
	db_bind_text(st, 8, r->lines, -1);
	db_bind_text(st, 9, r->replacement, -1);
	db_bind_text(st, 10, r->record, (int)r->len);
	db_bind_text(st, 11, ledger_stamp(l), -1);
	db_bind_int64(st, 12, r->at);
	db_bind_int64(st, 13, ledger_run_id(l));
	db_bind_text(st, 14, r->reason_code, -1);
	ledger_done(l, st);
}
