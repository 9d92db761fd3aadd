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
 * rec(x) is x's JSON text: unpacked when packed (by any of lib/zrec's
 * dictionaries: 1, deflate, rows from before; 2, zstd, rows written
 * now), else x as it is; a corrupt blob is an SQL error.  A message's
 * body is stored without its message id and recipient (lib/zrec's cut,
 * schema 18):
 *
 *	SELECT rec(payload, message_id, recipient) FROM messages
 *
 * gives it whole.
 *
 * A time kept in seconds since the epoch with its row's off (minutes
 * from UTC; schema 21: parcels, messages) reads as the tools write it,
 * RFC 3339, through fulfil_at(), as in the tools' own SQL:
 *
 *	SELECT fulfil_at(created_at, off) FROM parcels
 *
 * A message's id that its row does not keep (schema 23: message_id
 * empty, the one notify derives from the row's key and domain) is
 * fulfil_message_id()'s, as the view message_ids gives every id:
 *
 *	SELECT rec(m.payload, i.message_id, m.recipient)
 *	    FROM messages AS m JOIN message_ids AS i USING (id)
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
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

	const char *vals[2];
	char *w;

	if (sqlite3_value_type(argv[0]) != SQLITE_BLOB) {
		sqlite3_result_value(cx, argv[0]);
		return;
	}
	if ((t = zrec_unpack(z, b, len, &n, &why)) == NULL) {
		sqlite3_result_error(cx, why, -1);
		return;
	}
	if (argc == 3 && zrec_is_cut(t, n)) {
		vals[0] = (const char *)sqlite3_value_text(argv[1]);
		vals[1] = (const char *)sqlite3_value_text(argv[2]);
		/* An id the row does not keep (schema 23) is none. */
		if (vals[0] != NULL && vals[0][0] == '\0')
			vals[0] = NULL;
		w = zrec_join(t, n, vals, 2, &n, &why);
		free(t);
		if ((t = w) == NULL) {
			if (vals[0] == NULL)
				why = "message id not kept: message_ids has it";
			sqlite3_result_error(cx, why, -1);
			return;
		}
	}
	sqlite3_result_text(cx, t, (int)n, free);
}

/*
 * fulfil_message_id(source, order_id, event, channel, domain): the id
 * notify gives the message so keyed (lib/message.c, lib/mime.c): the hex
 * of SHA-256 of "source/order_id/event/channel" cut to 16 bytes, "@",
 * the domain.  NULL for a NULL argument.
 */
static void
message_id(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	static const char hex[] = "0123456789abcdef";
	const char *v[5];
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;
	char *key, *id;
	size_t klen = 4, dlen;

	for (i = 0; i < 5; i++) {
		if ((v[i] = (const char *)sqlite3_value_text(argv[i])) ==
		    NULL) {
			sqlite3_result_null(cx);
			return;
		}
		klen += strlen(v[i]);
	}
	dlen = strlen(v[4]);
	if ((key = malloc(klen)) == NULL || (id = malloc(34 + dlen)) == NULL) {
		free(key);
		sqlite3_result_error_nomem(cx);
		return;
	}
	snprintf(key, klen, "%s/%s/%s/%s", v[0], v[1], v[2], v[3]);
	if (EVP_Digest(key, strlen(key), md, &mdlen, EVP_sha256(), NULL) != 1 ||
	    mdlen < 16) {
		free(key);
		free(id);
		sqlite3_result_error(cx, "SHA-256 failed", -1);
		return;
	}
	free(key);
	for (i = 0; i < 16; i++) {
		id[2 * i] = hex[md[i] >> 4];
		id[2 * i + 1] = hex[md[i] & 0xf];
	}
	id[32] = '@';
	memcpy(id + 33, v[4], dlen + 1);
	sqlite3_result_text(cx, id, -1, free);
}

/* fulfil_at(s, off): NULL for NULL, text as it is (lib/ledger.c's). */
static void
at(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	sqlite3_int64 s;
	int off;
	time_t t;
	struct tm tm;
	char buf[64];

	if (sqlite3_value_type(argv[0]) != SQLITE_INTEGER) {
		sqlite3_result_value(cx, argv[0]);
		return;
	}
	s = sqlite3_value_int64(argv[0]);
	off = sqlite3_value_int(argv[1]);
	t = (time_t)(s + (sqlite3_int64)off * 60);
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm) == 0) {
		sqlite3_result_null(cx);
		return;
	}
	snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%c%02d:%02d",
	    off < 0 ? '-' : '+', abs(off) / 60, abs(off) % 60);
	sqlite3_result_text(cx, buf, -1, SQLITE_TRANSIENT);
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
	int rc;

	if ((z = zrec_new()) == NULL)
		return SQLITE_NOMEM;
	rc = sqlite3_create_function_v2(db, "fulfil_at", 2,
	    SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL, at,
	    NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		zrec_free(z);
		return rc;
	}
	rc = sqlite3_create_function_v2(db, "fulfil_message_id", 5,
	    SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
	    message_id, NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		zrec_free(z);
		return rc;
	}
	rc = sqlite3_create_function_v2(db, "rec", 3,
	    SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, z, rec, NULL,
	    NULL, NULL);
	if (rc != SQLITE_OK) {
		zrec_free(z);
		return rc;
	}
	/* The one-argument form owns z: freed when the connection goes. */
	return sqlite3_create_function_v2(db, "rec", 1,
	    SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, z, rec, NULL,
	    NULL, release);
}
