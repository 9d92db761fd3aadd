/*
 * ledger_pg: what a ledger in PostgreSQL needs beyond lib/db's
 * translation of each statement: its schema, the few SQLite functions
 * the ledger's SQL calls, and the runs of this machine that died.
 *
 * The schema has one home, lib/ledger.c's migrations[].  A new
 * PostgreSQL ledger is made by running those migrations in a SQLite
 * database in memory and giving PostgreSQL the tables and indexes that
 * result, each through db_pg_sql(); so the two backends have the same
 * tables by construction.  The version is kept in fulfil_meta (there is
 * no user_version).  A ledger made at version PG_FIRST or later takes
 * later migrations as they come, statement by statement; the views,
 * whose SQL is SQLite's own (typeof(), strftime(), printf()), are
 * written here in PostgreSQL's.
 *
 * Records and message bodies are stored as their text: the SQL reads
 * them through rec(), which is the identity here, and PostgreSQL
 * compresses long values itself (TOAST).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "err.h"
#include "ledger_int.h"

/* The first version a PostgreSQL ledger can be made at. */
#define PG_FIRST 18

/*
 * SQLite's functions that the ledger's queries call, given to
 * PostgreSQL under the same names, for the forms the ledger uses; and
 * fulfil_alive(), which in SQLite asks the process (ledger.c).  Here a
 * run is alive while it has not ended and its lease lasts: runs of
 * this machine that died are found at open (ledger_pg_reap()), the
 * others' leases run out.
 */
static const char *const functions[] = {
    "CREATE OR REPLACE FUNCTION rec(x text) RETURNS text"
    " LANGUAGE sql IMMUTABLE AS 'SELECT x'",
    "CREATE OR REPLACE FUNCTION rec(x bytea) RETURNS text"
    " LANGUAGE sql IMMUTABLE AS $$SELECT convert_from(x, 'UTF8')$$",
    "CREATE OR REPLACE FUNCTION rec(x bytea, m text, r text) RETURNS text"
    " LANGUAGE sql IMMUTABLE AS $$SELECT convert_from(x, 'UTF8')$$",
    "CREATE OR REPLACE FUNCTION rec(x text, m text, r text) RETURNS text"
    " LANGUAGE sql IMMUTABLE AS 'SELECT x'",
    /* A JSON value as SQLite gives it: strings bare, true as 1. */
    "CREATE OR REPLACE FUNCTION fulfil_sqlval(v jsonb) RETURNS text"
    " LANGUAGE sql IMMUTABLE AS $$SELECT CASE jsonb_typeof(v)"
    " WHEN 'string' THEN v #>> '{}' WHEN 'null' THEN NULL"
    " WHEN 'boolean' THEN CASE WHEN v = 'true' THEN '1' ELSE '0' END"
    " ELSE v::text END$$",
    /* A path that is not there is NULL, as in SQLite: strict, silent. */
    "CREATE OR REPLACE FUNCTION fulfil_path(j text, p text) RETURNS jsonb"
    " LANGUAGE sql IMMUTABLE AS $$SELECT jsonb_path_query_first(j::jsonb,"
    " ('strict ' || p)::jsonpath, '{}', true)$$",
    "CREATE OR REPLACE FUNCTION json_extract(j text, p text) RETURNS text"
    " LANGUAGE sql IMMUTABLE AS"
    " $$SELECT fulfil_sqlval(fulfil_path(j, p))$$",
    "CREATE OR REPLACE FUNCTION json_type(j text, p text) RETURNS text"
    " LANGUAGE sql IMMUTABLE AS $$SELECT CASE jsonb_typeof(v)"
    " WHEN 'number' THEN CASE WHEN v::text ~ '^-?[0-9]+$' THEN 'integer'"
    " ELSE 'real' END WHEN 'string' THEN 'text' WHEN 'boolean' THEN v::text"
    " ELSE jsonb_typeof(v) END FROM (SELECT fulfil_path(j, p) AS v) s$$",
    "CREATE OR REPLACE FUNCTION json_each(j text, p text DEFAULT '$')"
    " RETURNS TABLE (key text, value text) LANGUAGE sql IMMUTABLE AS"
    " $$SELECT k, fulfil_sqlval(v) FROM (SELECT fulfil_path(j, p) AS d) s,"
    " LATERAL (SELECT (o - 1)::text, e FROM jsonb_array_elements("
    "   CASE jsonb_typeof(d) WHEN 'array' THEN d ELSE '[]' END)"
    "   WITH ORDINALITY AS a (e, o)"
    "  UNION ALL SELECT k2, e2 FROM jsonb_each("
    "   CASE jsonb_typeof(d) WHEN 'object' THEN d ELSE '{}' END)"
    "   AS b (k2, e2)) AS x (k, v)$$",
    "CREATE OR REPLACE FUNCTION julianday(t text) RETURNS double precision"
    " LANGUAGE sql STABLE AS"
    " $$SELECT extract(epoch FROM t::timestamptz) / 86400.0 + 2440587.5$$",
    "CREATE OR REPLACE FUNCTION strftime(f text, t text) RETURNS text"
    " LANGUAGE plpgsql STABLE AS $$BEGIN"
    " IF f <> '%s' THEN RAISE EXCEPTION 'strftime(%): not in PostgreSQL',"
    " f; END IF;"
    " RETURN extract(epoch FROM t::timestamptz)::bigint::text; END$$",
    /* RFC 3339 of seconds s and offset o (minutes), as written. */
    "CREATE OR REPLACE FUNCTION fulfil_at(s bigint, o bigint) RETURNS text"
    " LANGUAGE sql IMMUTABLE AS $$SELECT to_char(to_timestamp(s + o * 60)"
    " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS')"
    " || CASE WHEN o < 0 THEN '-' ELSE '+' END"
    " || lpad((abs(o) / 60)::text, 2, '0') || ':'"
    " || lpad((abs(o) % 60)::text, 2, '0')$$",
    /* The message id notify derives (lib/message.c), as SQLite's. */
    "CREATE OR REPLACE FUNCTION fulfil_message_id(s text, o text, e text,"
    " c text, d text) RETURNS text LANGUAGE sql IMMUTABLE AS"
    " $$SELECT encode(substr(sha256(convert_to(s || '/' || o || '/' || e"
    " || '/' || c, 'UTF8')), 1, 16), 'hex') || '@' || d$$",
    "CREATE OR REPLACE FUNCTION fulfil_alive(r bigint) RETURNS boolean"
    " LANGUAGE sql STABLE AS $$SELECT coalesce((SELECT ended_at IS NULL AND"
    " lease_until > extract(epoch FROM now()) FROM runs WHERE id = r),"
    " false)$$",
};

/*
 * The views, in PostgreSQL's words: version PG_FIRST's, and those made
 * since whose SQL both take (made by migrations[] in a ledger made
 * before them).
 */
#define EVENTS_VIEW                                                            \
	"CREATE VIEW events (id, at, tool, run, source, order_id, what,"       \
	"  detail) AS"                                                         \
	"  SELECT e.id, CASE WHEN e.tool IS NULL"                              \
	"  THEN fulfil_at(e.at + r.t0, coalesce(e.off, r.off))"                \
	"  ELSE fulfil_at(e.at, e.off) END, coalesce(t.name, r.tool), e.run,"  \
	"  coalesce(e.source, o.source), coalesce(e.order_id, o.order_id),"    \
	"  w.name, e.detail"                                                   \
	"  FROM event_log AS e JOIN event_names AS w ON w.id = e.what"         \
	"  LEFT JOIN event_names AS t ON t.id = e.tool"                        \
	"  LEFT JOIN runs AS r ON r.id = e.run"                                \
	"  LEFT JOIN orders AS o ON o.rowid = e.ord"

/* 26's: what few rows say beyond their run and order is event_extra's. */
#define EVENTS_VIEW_26                                                         \
	"CREATE VIEW events (id, at, tool, run, source, order_id, what,"       \
	"  detail) AS"                                                         \
	"  SELECT e.id, CASE WHEN x.tool IS NULL"                              \
	"  THEN fulfil_at(e.at + r.t0, coalesce(x.off, r.off))"                \
	"  ELSE fulfil_at(e.at, x.off) END, coalesce(t.name, r.tool), e.run,"  \
	"  coalesce(x.source, o.source), coalesce(x.order_id, o.order_id),"    \
	"  w.name, e.detail"                                                   \
	"  FROM event_log AS e JOIN event_names AS w ON w.id = e.what"         \
	"  LEFT JOIN event_extra AS x ON x.id = e.id"                          \
	"  LEFT JOIN event_names AS t ON t.id = x.tool"                        \
	"  LEFT JOIN runs AS r ON r.id = e.run"                                \
	"  LEFT JOIN orders AS o ON o.rowid = e.ord"

static const char *const views[] = {
    EVENTS_VIEW_26,
    "CREATE VIEW prints (id, tracking, run, at, reprint, formats) AS"
    "  SELECT id, tracking, run, fulfil_at(at, off), reprint, formats"
    "  FROM print_log",
    LEDGER_MESSAGES_VIEW,
    LEDGER_NOTIFIED_VIEW,
    "CREATE VIEW message_ids (id, message_id) AS"
    "  SELECT id, " LEDGER_MESSAGE_ID " FROM messages",
    LEDGER_PICKS_VIEW,
    LEDGER_MANIFEST_PARCELS_VIEW,
};

/*
 * What PostgreSQL does after a migration's statements (those not
 * LEDGER_LITE) have taken it to version to, in its own words: what
 * SQLite made a table again for, and a view made again.
 */
static const struct {
	int to;
	const char *sql;
} pg_steps[] = {
    {24, "ALTER TABLE event_log ADD COLUMN ord BIGINT"},
    {24, "ALTER TABLE event_log ALTER COLUMN off DROP NOT NULL"},
    {24, "ALTER TABLE event_log ALTER COLUMN tool DROP NOT NULL"},
    {24, EVENTS_VIEW},
    /* message_log's ids were copied: its identity goes on past them. */
    {25, "SELECT setval(pg_get_serial_sequence('message_log', 'id'),"
	 " coalesce(max(id), 0) + 1, false) FROM message_log"},
    /* The audit trail made again (26): its ids go on past those copied. */
    {26, EVENTS_VIEW_26},
    {26, "SELECT setval(pg_get_serial_sequence('event_log', 'id'),"
	 " coalesce(max(id), 0) + 1, false) FROM event_log"},
};

/* sql in PostgreSQL's own words. */
static void
run(struct ledger *l, const char *sql)
{
	if (db_exec_native(l->dbh, sql) != DB_OK)
		err_exit(EXIT_TROUBLE, "ledger '%s': %s (%.60s)", l->path,
		    db_errmsg(l->dbh), sql);
}

/* The version in fulfil_meta; 0 for a database with no ledger yet. */
static int
version(struct ledger *l)
{
	struct db_stmt *st;
	int v = 0;

	run(l, "CREATE TABLE IF NOT EXISTS fulfil_meta ("
	       "  key   TEXT PRIMARY KEY,"
	       "  value TEXT NOT NULL)");
	if ((st = db_prepare(l->dbh, "SELECT value FROM fulfil_meta"
				     " WHERE key = 'schema_version'")) == NULL)
		ledger_fail(l, "cannot read schema version");
	if (db_step(st) == DB_ROW)
		v = db_column_int(st, 0);
	db_finalize(st);
	return v;
}

static void
set_version(struct ledger *l, int v)
{
	struct db_stmt *st = db_prepare(l->dbh,
	    "INSERT INTO fulfil_meta (key, value) VALUES ('schema_version', ?1)"
	    " ON CONFLICT (key) DO UPDATE SET value = ?1");

	if (st == NULL)
		ledger_fail(l, "cannot write schema version");
	db_bind_int64(st, 1, v);
	if (db_step(st) != DB_DONE)
		ledger_fail(l, "cannot write schema version");
	db_finalize(st);
}

/* One statement of SQLite's dialect, given to PostgreSQL. */
static void
run_sqlite(struct ledger *l, const char *sql)
{
	struct db_stmt *st = db_prepare(l->dbh, sql);

	if (st == NULL || db_step(st) == DB_ERROR)
		err_exit(EXIT_TROUBLE, "ledger '%s': %s (%.60s)", l->path,
		    db_errmsg(l->dbh), sql);
	db_finalize(st);
}

/*
 * A table as PostgreSQL's: its SQLite text translated, with the rowid
 * SQLite gives a table that has no INTEGER PRIMARY KEY (queries page
 * and order by it) as an identity column of its own.  (No query names
 * the rowid of a table with an INTEGER PRIMARY KEY, whose rowid is that
 * key: t0191 prepares every one.)
 */
static void
make_table(struct ledger *l, const char *sql, int rowid)
{
	char err[256], *t, *close, *all;

	if ((t = db_pg_sql(sql, NULL, err, sizeof err)) == NULL)
		err_exit(
		    EXIT_TROUBLE, "ledger '%s': %s (%.60s)", l->path, err, sql);
	if ((close = strrchr(t, ')')) == NULL)
		err_exit(EXIT_TROUBLE, "schema: %.60s", sql);
	*close = '\0';
	xasprintf(&all, "%s%s)", t,
	    rowid ? ", rowid BIGINT GENERATED BY DEFAULT AS IDENTITY UNIQUE"
		  : "");
	run(l, all);
	free(all);
	free(t);
}

/* The tables and indexes of the schema at version n, made in PostgreSQL. */
static void
make_schema(struct ledger *l, int n)
{
	sqlite3 *lite = ledger_schema_memory(n);
	sqlite3_stmt *st;
	const char *sql, *ipk;
	size_t i;

	/* Tables, with their INTEGER PRIMARY KEY if any, then indexes. */
	if (sqlite3_prepare_v2(lite,
		"SELECT m.type, m.sql, m.sql LIKE '%WITHOUT ROWID',"
		" (SELECT name FROM pragma_table_info(m.name) WHERE pk = 1"
		"   AND upper(type) = 'INTEGER' AND (SELECT count(*)"
		"   FROM pragma_table_info(m.name) WHERE pk > 0) = 1)"
		" FROM sqlite_master AS m WHERE m.type IN ('table', 'index')"
		" AND m.sql IS NOT NULL AND m.name NOT LIKE 'sqlite%'"
		" ORDER BY m.type = 'index', m.rowid",
		-1, &st, NULL) != SQLITE_OK)
		err_exit(EXIT_TROUBLE, "schema: %s", sqlite3_errmsg(lite));
	while (sqlite3_step(st) == SQLITE_ROW) {
		sql = (const char *)sqlite3_column_text(st, 1);
		ipk = (const char *)sqlite3_column_text(st, 3);
		if (strcmp((const char *)sqlite3_column_text(st, 0), "table") ==
		    0)
			make_table(
			    l, sql, !sqlite3_column_int(st, 2) && ipk == NULL);
		else
			run_sqlite(l, sql);
	}
	sqlite3_finalize(st);
	sqlite3_close(lite);
	for (i = 0; i < sizeof views / sizeof views[0]; i++)
		run(l, views[i]);
}

/* One statement of a migration, unless it is blank or SQLite's only. */
static void
migrate_one(struct ledger *l, const char *sql)
{
	if (sql[strspn(sql, " \t\n")] != '\0' &&
	    strncmp(sql, LEDGER_LITE, strlen(LEDGER_LITE)) != 0)
		run_sqlite(l, sql);
}

/*
 * Migration text of ledger.c (several statements) run one statement at
 * a time: db_prepare() takes one.  A ';' ends a statement outside
 * quotes and outside a function body.
 */
static void
migrate_text(struct ledger *l, const char *sql)
{
	const char *p = sql, *start = sql;
	char q = 0, *one;

	for (; *p != '\0'; p++) {
		if (q != 0) {
			if (*p == q)
				q = 0;
		} else if (*p == '\'' || *p == '"')
			q = *p;
		else if (*p == ';') {
			one = xstrndup(start, (size_t)(p - start));
			migrate_one(l, one);
			free(one);
			start = p + 1;
		}
	}
	migrate_one(l, start);
}

void
ledger_pg_prepare(struct ledger *l)
{
	const char *const *mig;
	int v, n = ledger_migrations(&mig);
	size_t i;

	/*
	 * Times are UTC as SQLite's are; a statement waiting for a lock
	 * waits as long as a SQLite run would before it gives up.
	 */
	run(l, "SET TIME ZONE 'UTC'");
	run(l, "SET lock_timeout = '30s'");
	if (db_exec(l->dbh, "BEGIN IMMEDIATE") != DB_OK)
		ledger_fail(l, "cannot begin a write");
	v = version(l);
	ledger_newer(l, v);
	if (v < n) {
		/* fulfil_alive() reads runs, which may not be there yet. */
		run(l, "SET LOCAL check_function_bodies = off");
		for (i = 0; i < sizeof functions / sizeof functions[0]; i++)
			run(l, functions[i]);
		if (v == 0)
			make_schema(l, n);
		else if (v < PG_FIRST)
			err_exit(EXIT_TROUBLE,
			    "ledger '%s': schema version %d: a PostgreSQL "
			    "ledger begins at %d",
			    l->path, v, PG_FIRST);
		else
			for (; v < n; v++) {
				migrate_text(l, mig[v]);
				for (i = 0; i < sizeof pg_steps / sizeof *pg_steps;
				     i++)
					if (pg_steps[i].to == v + 1)
						run(l, pg_steps[i].sql);
			}
		set_version(l, n);
	}
	run(l, "COMMIT");
}

/*
 * Runs of this machine and boot that have not ended, asked of the
 * process itself (ledger_run_alive()): the dead ones' leases are ended
 * now, so that their claims are taken up at once, as in SQLite, not
 * when the lease would have run out.
 */
void
ledger_pg_reap(struct ledger *l)
{
	struct db_stmt *st =
	    db_prepare(l->dbh, "SELECT id FROM runs WHERE ended_at IS NULL AND"
			       " lease_until > ?3 AND (host IS NULL OR (host = "
			       "?1 AND boot = ?2))");
	int64_t *ids = NULL;
	size_t n = 0, cap = 0, i;

	if (st == NULL)
		ledger_fail(l, "cannot list runs");
	db_bind_text(st, 1, l->host, -1);
	db_bind_text(st, 2, l->boot, -1);
	db_bind_int64(st, 3, (int64_t)time(NULL));
	while (db_step(st) == DB_ROW) {
		xgrow(&ids, &cap, n + 1, sizeof *ids);
		ids[n++] = db_column_int64(st, 0);
	}
	db_finalize(st);
	if ((st = db_prepare(l->dbh,
		 "UPDATE runs SET lease_until = 0 WHERE id = ?1")) == NULL)
		ledger_fail(l, "cannot end a run's lease");
	for (i = 0; i < n; i++) {
		if (ledger_run_alive(l, ids[i]))
			continue;
		db_bind_int64(st, 1, ids[i]);
		if (db_step(st) != DB_DONE)
			ledger_fail(l, "cannot end a run's lease");
		db_reset(st);
	}
	db_finalize(st);
	free(ids);
}

/*
 * The URI without its password, to name the ledger in messages: a
 * password after the user (postgresql://user:secret@host) or as a
 * parameter (?password=secret) becomes "***".
 */
char *
ledger_pg_name(const char *uri)
{
	char *s = xstrdup(uri), *p, *at, *colon, *end;
	char *t;

	p = strstr(s, "://");
	p = p != NULL ? p + 3 : s;
	at = strchr(p, '@');
	colon = strchr(p, ':');
	if (at != NULL && colon != NULL && colon < at &&
	    strcspn(p, "/?") > (size_t)(at - p)) {
		xasprintf(&t, "%.*s***%s", (int)(colon + 1 - s), s, at);
		free(s);
		s = t;
	}
	if ((p = strstr(s, "password=")) != NULL) {
		end = p + strcspn(p, "&");
		xasprintf(&t, "%.*s***%s", (int)(p + 9 - s), s, end);
		free(s);
		s = t;
	}
	return s;
}
