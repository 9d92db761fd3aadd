/*
 * fulfilrec: SQLite's shell reads the ledger's packed records.  The
 * ledger stores orders' records and message bodies compressed
 * (lib/zrec); the tools read them as rec(column), and this loadable
 * extension gives the sqlite3 shell (or any program that loads it) the
 * same function:
 *
 *	sqlite3 -cmd '.load fulfilrec' fulfil.db \
 *	    "SELECT rec(record) FROM orders WHERE order_id = 'A-1'"
 *
 * rec(x) is x's JSON text: unpacked when packed, else x as it is; a
 * corrupt blob is an SQL error.
 */
#include <stdlib.h>
#include <string.h>

#include <sqlite3ext.h>

#include "zrec.h"

SQLITE_EXTENSION_INIT1

int sqlite3_fulfilrec_init(sqlite3 *, char **, const sqlite3_api_routines *);

static void
rec(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	struct zrec *z = sqlite3_user_data(cx);
	const void *b = sqlite3_value_blob(argv[0]);
	size_t len = (size_t)sqlite3_value_bytes(argv[0]), n;
	const char *why = "";
	char *t;

	if (sqlite3_value_type(argv[0]) != SQLITE_BLOB) {
		sqlite3_result_value(cx, argv[0]);
		return;
	}
	if ((t = zrec_unpack(z, b, len, &n, &why)) == NULL) {
		sqlite3_result_error(cx, why, -1);
		return;
	}
	sqlite3_result_text(cx, t, (int)n, free);
}

static void
release(void *z)
{
	zrec_free(z);
}

int
sqlite3_fulfilrec_init(sqlite3 *db, char **msg, const sqlite3_api_routines *api)
{
	struct zrec *z;

	SQLITE_EXTENSION_INIT2(api);
	if ((z = zrec_new()) == NULL)
		return SQLITE_NOMEM;
	return sqlite3_create_function_v2(db, "rec", 1,
	    SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, z, rec, NULL,
	    NULL, release);
}
