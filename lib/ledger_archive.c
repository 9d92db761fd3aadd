#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "ledger_archive.h"
#include "ledger_int.h"

int64_t
ledger_archive_unfinished(struct ledger *l, char **file, int64_t *size)
{
	struct db_stmt *st = ledger_sql(l,
	    "SELECT id, file, size FROM archives WHERE done_at IS NULL "
	    "ORDER BY id LIMIT 1");
	int64_t id = 0;

	if (ledger_row(l, st)) {
		id = db_column_int64(st, 0);
		*file = ledger_coldup(st, 1);
		*size = db_column_int64(st, 2);
		db_reset(st);
	}
	return id;
}

int64_t
ledger_archive_claim(struct ledger *l, const char *file, int64_t size,
    const char *const *statuses, int64_t before, long max, long *n)
{
	struct db_stmt *st;
	int64_t id;
	char *list, *sql, one[24];
	size_t k, m;

	/*
	 * The statuses are ?4, ?5, ...: numbered, for a bare ? before ?2
	 * would be ?2 (one past the largest number so far), and the list
	 * would take the cutoff and the limit for statuses.
	 */
	for (m = 0; statuses[m] != NULL; m++)
		;
	list = xmalloc(24 * m + 1);
	list[0] = '\0';
	for (k = 0; k < m; k++) {
		snprintf(one, sizeof one, "%s?%zu", k > 0 ? "," : "", k + 4);
		strcat(list, one);
	}
	ledger_begin(l);
	st = ledger_sql(l, "INSERT INTO archives (file, size, run, started_at) "
			   "VALUES (?1, ?2, ?3, ?4)");
	db_bind_text(st, 1, file, -1);
	db_bind_int64(st, 2, size);
	db_bind_int64(st, 3, ledger_run_id(l));
	db_bind_text(st, 4, ledger_stamp(l), -1);
	ledger_done(l, st);
	id = db_last_insert_id(l->dbh);
	/*
	 * An order's last change: changed (filled by version 21 for a row
	 * from before version 8 from its time stamp).
	 */
	xasprintf(&sql,
	    "UPDATE orders SET archive = ?1 WHERE rowid IN (SELECT rowid "
	    "FROM orders WHERE status IN (%s) AND archive IS NULL AND "
	    "changed < ?2 ORDER BY rowid LIMIT ?3)",
	    list);
	free(list);
	st = ledger_prepare(l, sql);
	free(sql);
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, before);
	db_bind_int64(st, 3, max);
	for (k = 0; k < m; k++)
		db_bind_text(st, (int)k + 4, statuses[k], -1);
	ledger_step(l, st);
	db_finalize(st);
	*n = (long)db_changes(l->dbh);
	if (*n == 0) {
		st = ledger_sql(l, "DELETE FROM archives WHERE id = ?1");
		db_bind_int64(st, 1, id);
		ledger_done(l, st);
		id = 0;
	}
	ledger_commit(l);
	return id;
}

void
ledger_archive_each(struct ledger *l, int64_t batch,
    void (*fn)(
	void *, int64_t, const char *, const char *, const char *, size_t),
    void *arg)
{
	struct db_stmt *st = ledger_sql(l,
	    "SELECT rowid, source, order_id, record FROM orders WHERE "
	    "archive = ?1 ORDER BY rowid");
	size_t len;
	char *r;

	db_bind_int64(st, 1, batch);
	while (ledger_row(l, st)) {
		r = ledger_colrec(l, st, 3, &len);
		fn(arg, db_column_int64(st, 0), ledger_col(st, 1),
		    ledger_col(st, 2), r, len);
		free(r);
	}
}

void
ledger_archive_stub(
    struct ledger *l, int64_t rowid, const char *stub, size_t len)
{
	struct db_stmt *st =
	    ledger_sql(l, "UPDATE orders SET record = ?2 WHERE rowid = ?1");

	db_bind_int64(st, 1, rowid);
	ledger_bindrec(l, st, 2, stub, len);
	ledger_done(l, st);
	/* Sent long ago: a message's body is kept for a resend only. */
	st = ledger_sql(l,
	    "UPDATE message_log SET payload = ?2 WHERE (ord = ?1 OR (ord IS "
	    "NULL AND (source, order_id) = (SELECT source, order_id FROM "
	    "orders WHERE rowid = ?1))) AND status IN (2, 4, 5)");
	db_bind_int64(st, 1, rowid);
	db_bind_blob(st, 2, "", 0);
	ledger_done(l, st);
}

/*
 * SQLite leaves a page whose rows were made smaller as big as it was (an
 * update merges no pages; a delete does): the batch's rows, made small,
 * are taken out and put back, so that their pages are merged and freed.
 * Messages keep their ids, and orders their rowids (declared since
 * schema 24: the audit trail names an order by it).
 * PostgreSQL needs none of it: an update there writes a new row version
 * anyway, and (auto)vacuum makes the old one's space free for the
 * table's new rows; taking the rows out and back would only make more
 * dead versions for it to clear.
 */
static void
compact(struct ledger *l, int64_t batch)
{
	static const char *const sql[] = {
	    "CREATE TEMP TABLE IF NOT EXISTS archived_orders AS "
	    "SELECT * FROM orders WHERE 1 = 0",
	    "CREATE TEMP TABLE IF NOT EXISTS archived_messages AS "
	    "SELECT * FROM message_log WHERE 1 = 0",
	    "INSERT INTO archived_messages SELECT * FROM message_log WHERE "
	    "ord IN (SELECT rowid FROM orders WHERE archive = ?1)",
	    "DELETE FROM message_log WHERE id IN (SELECT id FROM "
	    "archived_messages)",
	    "INSERT INTO message_log SELECT * FROM archived_messages",
	    "DELETE FROM archived_messages",
	    "INSERT INTO archived_orders SELECT * FROM orders WHERE "
	    "archive = ?1",
	    "DELETE FROM orders WHERE archive = ?1",
	    "INSERT INTO orders SELECT * FROM archived_orders",
	    "DELETE FROM archived_orders",
	};
	struct db_stmt *st;
	size_t i;

	if (db_kind(l->dbh) != DB_SQLITE)
		return;
	for (i = 0; i < sizeof sql / sizeof sql[0]; i++) {
		st = ledger_prepare(l, sql[i]);
		if (db_bind_parameter_count(st) > 0)
			db_bind_int64(st, 1, batch);
		ledger_step(l, st);
		db_finalize(st);
	}
}

void
ledger_archive_done(struct ledger *l, int64_t batch, long n)
{
	struct db_stmt *st;

	compact(l, batch);
	st = ledger_sql(
	    l, "UPDATE archives SET done_at = ?2, orders = ?3 WHERE id = ?1");

	db_bind_int64(st, 1, batch);
	db_bind_text(st, 2, ledger_stamp(l), -1);
	db_bind_int64(st, 3, n);
	ledger_done(l, st);
}

long
ledger_free_pages(struct ledger *l, int *incremental)
{
	struct db_stmt *st;
	long n = 0;

	*incremental = 0;
	/* A server's storage is its own: vacuum's, not the ledger's. */
	if (db_kind(l->dbh) != DB_SQLITE)
		return -1;
	st = ledger_sql(l, "PRAGMA freelist_count");
	if (ledger_row(l, st)) {
		n = db_column_int(st, 0);
		db_reset(st);
	}
	st = ledger_sql(l, "PRAGMA auto_vacuum");
	if (ledger_row(l, st)) {
		*incremental = db_column_int(st, 0) == 2;
		db_reset(st);
	}
	return n;
}

void
ledger_release_pages(struct ledger *l)
{
	struct db_stmt *st = ledger_sql(l, "PRAGMA incremental_vacuum");

	while (ledger_row(l, st))
		;
}
