#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "ledger_inbox.h"
#include "ledger_int.h"

int64_t
ledger_inbox_add(struct ledger *l, const char *provider, const char *origin,
    const char *key, const char *body, size_t len)
{
	struct db_stmt *st = ledger_sql(l,
	    "INSERT OR IGNORE INTO inbox (provider, origin, key, received_at, "
	    "body, run) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");

	db_bind_text(st, 1, provider, -1);
	db_bind_text(st, 2, origin, -1);
	db_bind_text(st, 3, key, -1);
	db_bind_text(st, 4, ledger_stamp(l), -1);
	db_bind_blob(st, 5, body, len);
	db_bind_int64(st, 6, ledger_run_id(l));
	ledger_done(l, st);
	if (db_changes(l->dbh) == 0)
		return 0;
	return db_last_insert_id(l->dbh);
}

int
ledger_inbox_next(struct ledger *l, struct ledger_inbox *e)
{
	struct db_stmt *st = ledger_sql(l,
	    "SELECT id, provider, origin, body FROM inbox WHERE processed_at "
	    "IS NULL ORDER BY id LIMIT 1");

	if (!ledger_row(l, st))
		return 0;
	e->id = db_column_int64(st, 0);
	e->provider = ledger_coldup(st, 1);
	e->origin = ledger_coldup(st, 2);
	e->body = ledger_colblob(st, 3, &e->len);
	db_reset(st);
	return 1;
}

void
ledger_inbox_done(struct ledger *l, int64_t id, long events)
{
	struct db_stmt *st = ledger_sql(
	    l, "UPDATE inbox SET processed_at = ?2, events = ?3 WHERE id = ?1");

	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, ledger_stamp(l), -1);
	db_bind_int64(st, 3, events);
	ledger_done(l, st);
}

void
ledger_inbox_free(struct ledger_inbox *e)
{
	free(e->provider);
	free(e->origin);
	free(e->body);
	memset(e, 0, sizeof *e);
}
