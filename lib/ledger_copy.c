/*
 * ledger_copy: a SQLite ledger copied into an empty PostgreSQL one
 * (followup --copy-to), every table, every row, in one transaction, and
 * the counts compared before it commits.
 *
 * Rows go as they are, but for what the two keep differently: records
 * and message bodies, packed in SQLite (lib/zrec), go as their text
 * (rec()); a time of the audit trail, of prints or of a manifest's
 * parcel that SQLite kept as text (ledger.c, schema 18, 21) goes as
 * seconds and offset (a parcel's from its run's start, 26); a content
 * hash kept as bytes (21) as its text; the rowid of a rowid table
 * (declared in orders, schema 24, and manifests, 26) goes into
 * PostgreSQL's rowid column, so that pages and orders keep their order
 * and the audit trail's rows their orders.  Identity columns are then
 * set past the largest id copied.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "ledger_copy.h"
#include "ledger_int.h"

/*
 * What SQLite keeps in another form: the expression that reads it.  The
 * first two are text that goes as bytes (PostgreSQL's payload is bytea).
 */
#define NTEXTS 2
static const struct {
	const char *table, *column, *expr;
} special[] = {
    {"orders", "record", "rec(record)"},
    {"message_log", "payload",
	"rec(payload, (SELECT i.message_id FROM message_ids AS i"
	" WHERE i.id = message_log.id), recipient)"},
    {"event_log", "at",
	"CASE typeof(at) WHEN 'integer' THEN at ELSE "
	"CAST(strftime('%s', at) AS INTEGER) END"},
    /* The offset of a row of the trail is event_extra's (26). */
    {"event_extra", "off",
	"coalesce((SELECT CAST(round((julianday(substr(e.at, 1, 19)) - "
	"julianday(e.at)) * 1440) AS INTEGER) FROM event_log AS e "
	"WHERE e.id = event_extra.id AND typeof(e.at) <> 'integer'), off)"},
    {"print_log", "at",
	"CASE typeof(at) WHEN 'integer' THEN at ELSE "
	"CAST(strftime('%s', at) AS INTEGER) END"},
    {"print_log", "off",
	"CASE typeof(at) WHEN 'integer' THEN off ELSE "
	"CAST(round((julianday(substr(at, 1, 19)) - julianday(at)) * 1440) "
	"AS INTEGER) END"},
    /*
     * A manifest's parcel (26): a time kept as text goes as seconds
     * from its run's start when the run has one, as the view reads it.
     */
    {"manifest_parcel_log", "dispatched_at",
	"CASE typeof(dispatched_at) WHEN 'text' THEN "
	"CAST(strftime('%s', dispatched_at) AS INTEGER) - coalesce((SELECT "
	"r.t0 FROM runs AS r WHERE r.id = manifest_parcel_log.run), 0) "
	"ELSE dispatched_at END"},
    {"manifest_parcel_log", "off",
	"CASE typeof(dispatched_at) WHEN 'text' THEN "
	"CAST(round((julianday(substr(dispatched_at, 1, 19)) - "
	"julianday(dispatched_at)) * 1440) AS INTEGER) ELSE off END"},
    /* A content hash kept as its bytes (21; 8 from 26) goes as its text. */
    {"orders", "hash",
	"CASE typeof(hash) WHEN 'blob' THEN 'x3:' || lower(hex(hash)) "
	"ELSE hash END"},
};

static struct db_stmt *
prep(struct ledger *l, const char *sql)
{
	struct db_stmt *st = db_prepare(l->dbh, sql);

	if (st == NULL)
		ledger_fail(l, "cannot prepare statement");
	return st;
}

static int64_t
count(struct ledger *l, const char *table)
{
	struct db_stmt *st;
	char *sql;
	int64_t n = 0;

	xasprintf(&sql, "SELECT count(*) FROM \"%s\"", table);
	st = prep(l, sql);
	if (db_step(st) == DB_ROW)
		n = db_column_int64(st, 0);
	else
		ledger_fail(l, "cannot count rows");
	db_finalize(st);
	free(sql);
	return n;
}

/* Whether PostgreSQL's table has the rowid column (lib/ledger_pg). */
static int
has_rowid(struct ledger *to, const char *table)
{
	struct db_stmt *st =
	    prep(to, "SELECT count(*) FROM information_schema.columns WHERE"
		     " table_schema = current_schema() AND table_name = ?1 AND"
		     " column_name = 'rowid'");
	int yes;

	db_bind_text(st, 1, table, -1);
	yes = db_step(st) == DB_ROW && db_column_int(st, 0) > 0;
	db_finalize(st);
	return yes;
}

/* One table's rows, from to to; the number copied. */
static int64_t
copy_table(struct ledger *from, struct ledger *to, const char *table)
{
	struct db_stmt *cols, *rd, *wr;
	char *sel = NULL, *ins = NULL, *vals = NULL, *t;
	const char *c, *expr;
	int n = 0, i, type, rowid = has_rowid(to, table), bytes = -1;
	int64_t rows = 0;
	size_t k;

	if (rowid) {
		sel = xstrdup("rowid");
		ins = xstrdup("rowid");
		vals = xstrdup("?1");
		n = 1;
	}
	cols =
	    prep(from, "SELECT name FROM pragma_table_info(?1) ORDER BY cid");
	db_bind_text(cols, 1, table, -1);
	while (db_step(cols) == DB_ROW) {
		c = db_column_text(cols, 0);
		/* orders declares it (24): copied above already. */
		if (rowid && strcmp(c, "rowid") == 0)
			continue;
		expr = NULL;
		for (k = 0; k < sizeof special / sizeof special[0]; k++)
			if (strcmp(special[k].table, table) == 0 &&
			    strcmp(special[k].column, c) == 0) {
				expr = special[k].expr;
				if (k < NTEXTS)
					bytes = n;
			}
		n++;
		xasprintf(&t, "%s%s%s", sel ? sel : "", sel ? ", " : "",
		    expr ? expr : c);
		free(sel);
		sel = t;
		xasprintf(&t, "%s%s\"%s\"", ins ? ins : "", ins ? ", " : "", c);
		free(ins);
		ins = t;
		xasprintf(&t, "%s%s?%d", vals ? vals : "", vals ? ", " : "", n);
		free(vals);
		vals = t;
	}
	db_finalize(cols);
	xasprintf(&t, "SELECT %s FROM \"%s\"", sel, table);
	rd = prep(from, t);
	free(t);
	xasprintf(&t, "INSERT INTO \"%s\" (%s) VALUES (%s)", table, ins, vals);
	wr = prep(to, t);
	free(t);
	free(sel);
	free(ins);
	free(vals);
	while (db_step(rd) == DB_ROW) {
		for (i = 0; i < n; i++) {
			type = db_column_type(rd, i);
			if (i == bytes && type == DB_TEXT)
				type = DB_BLOB;
			switch (type) {
			case DB_NULL:
				db_bind_null(wr, i + 1);
				break;
			case DB_INTEGER:
				db_bind_int64(
				    wr, i + 1, db_column_int64(rd, i));
				break;
			case DB_FLOAT:
				db_bind_double(
				    wr, i + 1, db_column_double(rd, i));
				break;
			case DB_BLOB:
				db_bind_blob(wr, i + 1, db_column_blob(rd, i),
				    db_column_bytes(rd, i));
				break;
			default:
				db_bind_text(wr, i + 1,
				    (const char *)db_column_text(rd, i),
				    db_column_bytes(rd, i));
			}
		}
		if (db_step(wr) != DB_DONE)
			err_exit(EXIT_TROUBLE, "ledger '%s': %s: %s",
			    ledger_path(to), table, db_errmsg(to->dbh));
		db_reset(wr);
		db_clear_bindings(wr);
		rows++;
	}
	db_finalize(rd);
	db_finalize(wr);
	return rows;
}

/* Each identity column of to set past the largest value copied. */
static void
identities(struct ledger *to)
{
	struct db_stmt *st = prep(to,
	    "SELECT table_name, column_name FROM information_schema.columns"
	    " WHERE table_schema = current_schema() AND is_identity = 'YES'");
	char *sql;

	while (db_step(st) == DB_ROW) {
		xasprintf(&sql,
		    "SELECT setval(pg_get_serial_sequence('\"%s\"', '%s'),"
		    " coalesce(max(\"%s\"), 0) + 1, false) FROM \"%s\"",
		    db_column_text(st, 0), db_column_text(st, 1),
		    db_column_text(st, 1), db_column_text(st, 0));
		if (db_exec_native(to->dbh, sql) != DB_OK)
			ledger_fail(to, "cannot set an identity");
		free(sql);
	}
	db_finalize(st);
}

int
ledger_copy(struct ledger *from, struct ledger *to, FILE *out)
{
	struct db_stmt *tables;
	const char *name;
	int64_t n, rows, there;
	long ntables = 0;
	int status = EXIT_OK;

	if (db_kind(from->dbh) != DB_SQLITE || db_kind(to->dbh) != DB_PG)
		err_exit(EXIT_TROUBLE,
		    "--copy-to copies a SQLite ledger (--db) into a PostgreSQL "
		    "one (a postgresql:// URI)");
	tables = prep(from, "SELECT name FROM sqlite_master WHERE"
			    " type = 'table' AND name NOT LIKE 'sqlite%'"
			    " ORDER BY rowid");
	ledger_begin(to);
	while (db_step(tables) == DB_ROW) {
		name = db_column_text(tables, 0);
		if ((there = count(to, name)) != 0)
			err_exit(EXIT_TROUBLE,
			    "ledger '%s' is not empty: %s holds %lld rows",
			    ledger_path(to), name, (long long)there);
		n = copy_table(from, to, name);
		rows = count(from, name);
		there = count(to, name);
		fprintf(out,
		    "{\"table\":\"%s\",\"rows\":%lld,\"copied\":%lld}\n", name,
		    (long long)rows, (long long)there);
		if (there != n || there != rows) {
			err_warn("%s: %lld rows, %lld copied", name,
			    (long long)rows, (long long)there);
			status = EXIT_TROUBLE;
		}
		ntables++;
	}
	db_finalize(tables);
	if (status != EXIT_OK)
		err_exit(EXIT_TROUBLE,
		    "ledger '%s': counts differ; nothing kept",
		    ledger_path(to));
	identities(to);
	ledger_commit(to);
	return ntables;
}
