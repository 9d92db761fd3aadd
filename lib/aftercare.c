#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aftercare.h"
#include "err.h"
#include "ndjson.h"

void
aftercare_reject(struct aftercare *u, const char *file, long line,
    const char *raw, size_t len, const char *fmt, ...)
{
	char why[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	err_line(file, line, "%s", why);
	rejects_put(&u->rejects, file, line, NULL, why, raw, len, NULL);
	u->rejected++;
}

/* The order's latest record from the ledger; NULL if it has none. */
json_t *
aftercare_order(struct aftercare *u, const char *source, const char *id)
{
	size_t len;
	char *text = ledger_order_record(u->ledger, source, id, &len);
	json_t *j;

	if (text == NULL)
		return NULL;
	j = ndjson_parse(text, len, NULL, 0);
	free(text);
	return j;
}

/*
 * Run st, an INSERT OR IGNORE of j's row: when it made one, j goes out
 * after the commit and 1 is returned; 0 when the row was there before.
 */
int
aftercare_queue(struct aftercare *u, sqlite3_stmt *st, json_t *j)
{
	ledger_step(u->ledger, st);
	if (sqlite3_changes(ledger_db(u->ledger)) == 0)
		return 0;
	json_array_append(u->out, j);
	return 1;
}

/*
 * Keep a notice (key unique) and queue it for output: 1 if new, 0 if
 * made before.
 */
int
aftercare_notice(struct aftercare *u, json_t *n)
{
	sqlite3_stmt *st = u->st_notice;
	char *text;
	size_t len;
	int isnew;

	text = ndjson_dump(n, &len);
	sqlite3_bind_text(st, 1, ndjson_str(n, "key"), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, ndjson_str(n, "source"), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, ndjson_str(n, "order_id"), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, ndjson_str(n, "event"), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, text, (int)len, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, ledger_stamp(u->ledger), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, ledger_run_id(u->ledger));
	if ((isnew = aftercare_queue(u, st, n)) != 0)
		u->notices++;
	free(text);
	json_decref(n);
	return isnew;
}

/* A new notice about a parcel; the customer gets only what they need. */
json_t *
aftercare_notice_new(const char *event, const char *key, const char *source,
    const char *id, const char *tracking)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "type", "notice", "event",
	    event, "key", key, "source", source, "order_id", id, "tracking",
	    tracking);
}

/* Open a task (key unique) for staff: 1 if new, 0 if opened before. */
int
aftercare_task(struct aftercare *u, const char *kind, const char *key,
    const char *source, const char *id, const char *tracking, int high,
    json_t *detail)
{
	sqlite3_stmt *st = u->st_task;
	sqlite3_stmt *n =
	    ledger_prepare(u->ledger, "SELECT count(*) + 1 FROM tasks");
	int hours = high ? u->cfg->followup.urgent_due_hours
			 : u->cfg->followup.chase_due_hours;
	char tid[32], *text;
	json_t *t;
	size_t len;
	int isnew;

	if (sqlite3_step(n) != SQLITE_ROW)
		err_exit(EXIT_TROUBLE, "ledger: cannot count tasks");
	snprintf(
	    tid, sizeof tid, "T-%06lld", (long long)sqlite3_column_int64(n, 0));
	sqlite3_finalize(n);
	t = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "type", "task", "id",
	    tid, "kind", kind, "source", source, "order_id", id, "tracking",
	    tracking, "priority", high ? "high" : "normal");
	ndjson_set_time(t, "due", u->now.t + (int64_t)hours * 3600, u->cfg->tz);
	ndjson_set_time(t, "created_at", u->now.t, u->cfg->tz);
	json_object_set_new(t, "detail", detail);
	text = ndjson_dump(t, &len);
	sqlite3_bind_text(st, 1, tid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, high ? "high" : "normal", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, ndjson_str(t, "due"), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, text, (int)len, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, ledger_stamp(u->ledger), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 10, ledger_run_id(u->ledger));
	if ((isnew = aftercare_queue(u, st, t)) != 0) {
		ledger_event(u->ledger, source, id, "task.opened", tid);
		u->tasks++;
	}
	free(text);
	json_decref(t);
	return isnew;
}

/* What staff need to act on a parcel: the full phone is for them. */
json_t *
aftercare_detail(struct aftercare *u, json_t *order, const char *carrier,
    const char *status, const char *reason)
{
	json_t *c = json_object_get(order, "customer");
	json_t *to = json_object_get(order, "ship_to");
	const struct carrier *k = config_carrier(u->cfg, carrier);
	const char *phone = ndjson_str(c, "phone");
	json_t *d = json_pack("{s:s,s:s,s:s}", "reason", reason, "carrier",
	    carrier, "status", status);

	if (k != NULL && k->name != NULL)
		json_object_set_new(d, "carrier_name", json_string(k->name));
	if (phone == NULL)
		phone = ndjson_str(to, "phone");
	if (ndjson_str(c, "name") != NULL || ndjson_str(to, "name") != NULL)
		json_object_set_new(d, "customer",
		    json_string(ndjson_str(c, "name")
				    ? ndjson_str(c, "name")
				    : ndjson_str(to, "name")));
	if (phone != NULL)
		json_object_set_new(d, "phone", json_string(phone));
	if (ndjson_str(c, "email") != NULL)
		json_object_set(d, "email", json_object_get(c, "email"));
	if (ndjson_str(json_object_get(order, "promise"), "deliver_by"))
		json_object_set(d, "deliver_by",
		    json_object_get(
			json_object_get(order, "promise"), "deliver_by"));
	return d;
}
