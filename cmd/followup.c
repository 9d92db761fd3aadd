/*
 * followup: the parcels after the truck leaves.  Carriers' tracking
 * events move each shipment's state (by event time, never backwards);
 * each change of state is a notice for notify(1); --scan finds the
 * parcels that stalled or can no longer keep their promise and opens
 * tasks for staff, with an apology to the customer, before they ask.
 * See followup(1).
 *
 * Everything made is keyed in the ledger (tracking_events, shipments,
 * notices, tasks) inside the transaction that decides it, and written
 * out after its commit: a replayed file or a repeated scan makes
 * nothing twice.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sqlite3.h>

#include "aftercare.h"
#include "config.h"
#include "csvin.h"
#include "err.h"
#include "kpi.h"
#include "ledger_int.h"
#include "ndjson.h"
#include "opts.h"
#include "outfile.h"
#include "rejects.h"
#include "report.h"
#include "when.h"

/* Events decided per transaction. */
#define CHUNK 1000

/* Tracking statuses, in the order a parcel normally goes through them. */
static const char *const statuses[] = {"info_received", "in_transit",
    "out_for_delivery", "attempt_fail", "available_for_pickup", "exception",
    "delivered", "returned", NULL};

static void __attribute__((noreturn)) usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: %s [-hq] [--events file] [--map file] [--scan] "
	    "[--pending]\n"
	    "       [--reviews file] [--returns file] [--config file] "
	    "[--db file]\n"
	    "       [--rejects file] [--version] [file ...]\n"
	    "       %s --report [--from date] [--to date] -o dir\n"
	    "       %s --tasks | --done id ... [--config file] [--db file]\n",
	    progname, progname, progname);
	exit(status ? status : close_stdout(EXIT_OK));
}

static int
rank(const char *status)
{
	int i;

	for (i = 0; statuses[i] != NULL; i++)
		if (strcmp(statuses[i], status) == 0)
			return i;
	return -1;
}

/* The notice a new state is worth; NULL: none. */
static const char *
notice_event(const char *status)
{
	static const char *const map[][2] = {
	    {"out_for_delivery", "out_for_delivery"},
	    {"attempt_fail", "attempt_failed"},
	    {"available_for_pickup", "available_for_pickup"},
	    {"exception", "exception"}, {"delivered", "delivered"}};
	size_t i;

	for (i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(map[i][0], status) == 0)
			return map[i][1];
	return NULL;
}

/* What the order's status becomes; NULL: unchanged. */
static const char *
order_status(const char *status)
{
	if (strcmp(status, "info_received") == 0)
		return NULL;
	if (strcmp(status, "attempt_fail") == 0 ||
	    strcmp(status, "available_for_pickup") == 0)
		return "out_for_delivery";
	return status;
}

/* The order follows its parcel: status and "delivery". */
static void
move_order(struct aftercare *u, const char *source, const char *id,
    const char *tracking, const char *status, int64_t at)
{
	const char *os = order_status(status);
	json_t *order, *d;
	char *text;
	size_t len;

	if (os == NULL || (order = aftercare_order(u, source, id)) == NULL)
		return;
	/* Delivered when every parcel of it is. */
	if (strcmp(os, "delivered") == 0) {
		sqlite3_stmt *st = ledger_prepare(u->ledger,
		    "SELECT count(*) FROM manifest_parcels mp LEFT JOIN "
		    "shipments s ON s.tracking = mp.tracking WHERE "
		    "mp.source = ?1 AND mp.order_id = ?2 AND "
		    "coalesce(s.status, '') != 'delivered'");
		int left;

		sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
		left = sqlite3_step(st) == SQLITE_ROW
			   ? sqlite3_column_int(st, 0)
			   : 0;
		sqlite3_finalize(st);
		if (left > 0)
			os = "in_transit";
	}
	d = json_pack("{s:s,s:s}", "status", status, "tracking", tracking);
	ndjson_set_time(d, "at", at, u->cfg->tz);
	json_object_set_new(order, "delivery", d);
	json_object_set_new(order, "status", json_string(os));
	text = ndjson_dump(order, &len);
	ledger_order_put(u->ledger, source, id, os, text, len, NULL, 0, 0);
	free(text);
	json_decref(order);
}

/* A shipment's state changed to status at t: tell, and act. */
static void
changed(struct aftercare *u, const char *source, const char *id,
    const char *carrier, const char *tracking, const char *status, int64_t t,
    json_t *ev)
{
	const char *event = notice_event(status);
	char key[300];
	json_t *n, *order;

	u->changed++;
	move_order(u, source, id, tracking, status, t);
	ledger_event(u->ledger, source, id, "tracking", status);
	if (event != NULL) {
		snprintf(key, sizeof key, "%s:%s:%lld", event, tracking,
		    (long long)t);
		n = aftercare_notice_new(event, key, source, id, tracking);
		ndjson_set_time(n, "occurred_at", t, u->cfg->tz);
		if (ndjson_str(ev, "message") != NULL)
			json_object_set(
			    n, "message", json_object_get(ev, "message"));
		if (json_is_object(json_object_get(ev, "location")))
			json_object_set(
			    n, "location", json_object_get(ev, "location"));
		aftercare_notice(u, n);
	}
	if (strcmp(status, "exception") == 0 &&
	    (order = aftercare_order(u, source, id)) != NULL) {
		char reason[300];

		snprintf(reason, sizeof reason, "carrier reports %s%s%s",
		    ndjson_str(ev, "substatus") ? ndjson_str(ev, "substatus")
						: "an exception",
		    ndjson_str(ev, "message") ? ": " : "",
		    ndjson_str(ev, "message") ? ndjson_str(ev, "message") : "");
		snprintf(key, sizeof key, "replace_or_refund:%s", tracking);
		aftercare_task(u, "replace_or_refund", key, source, id,
		    tracking, 1,
		    aftercare_detail(u, order, carrier, status, reason));
		json_decref(order);
	}
}

/* Whose parcel is this: 0, or -1 if the ledger never labelled it. */
static int
whose(struct aftercare *u, const char *tracking, char **source, char **id,
    char **carrier, char **status, int64_t *status_at, int *known)
{
	sqlite3_stmt *st = u->st_ship;
	int r = -1;

	*known = 0;
	sqlite3_bind_text(st, 1, tracking, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		*source = xstrdup((const char *)sqlite3_column_text(st, 0));
		*id = xstrdup((const char *)sqlite3_column_text(st, 1));
		*carrier = xstrdup((const char *)sqlite3_column_text(st, 2));
		*status = xstrdup((const char *)sqlite3_column_text(st, 3));
		*status_at = sqlite3_column_int64(st, 4);
		*known = 1;
		r = 0;
	}
	sqlite3_reset(st);
	if (r == 0)
		return 0;
	st = u->st_parcel;
	sqlite3_bind_text(st, 1, tracking, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		*source = xstrdup((const char *)sqlite3_column_text(st, 0));
		*id = xstrdup((const char *)sqlite3_column_text(st, 1));
		*carrier = xstrdup((const char *)sqlite3_column_text(st, 2));
		*status = NULL;
		r = 0;
	}
	sqlite3_reset(st);
	return r;
}

/* One tracking event, parsed. */
static void
event(struct aftercare *u, json_t *ev, const char *file, long line,
    const char *raw, size_t len)
{
	const char *tracking = ndjson_str(ev, "tracking");
	const char *status = ndjson_str(ev, "status");
	const char *sub = ndjson_str(ev, "substatus");
	const char *at = ndjson_str(ev, "occurred_at");
	const char *carrier = ndjson_str(ev, "carrier");
	char *source = NULL, *id = NULL, *kc = NULL, *cur = NULL, *loc = NULL;
	int64_t cur_at = 0;
	struct when w;
	int known, newer;

	u->events++;
	if (tracking == NULL || *tracking == '\0') {
		aftercare_reject(u, file, line, raw, len, "no tracking number");
		return;
	}
	if (status == NULL || rank(status) < 0) {
		aftercare_reject(u, file, line, raw, len,
		    "tracking %s: unknown status '%s'", tracking,
		    status ? status : "");
		return;
	}
	if (at == NULL || when_parse_loose(at, u->cfg->tz, &w) == -1) {
		aftercare_reject(u, file, line, raw, len,
		    "tracking %s: occurred_at is not a time", tracking);
		return;
	}
	if (w.t > u->now.t + 86400) {
		aftercare_reject(u, file, line, raw, len,
		    "tracking %s: occurred_at is in the future", tracking);
		return;
	}
	if (whose(u, tracking, &source, &id, &kc, &cur, &cur_at, &known) ==
	    -1) {
		aftercare_reject(u, file, line, raw, len,
		    "tracking %s: not a parcel of ours (unknown tracking "
		    "number)",
		    tracking);
		return;
	}
	if (carrier != NULL && strcmp(carrier, kc) != 0) {
		aftercare_reject(u, file, line, raw, len,
		    "tracking %s: carrier %s, but the parcel went with %s",
		    tracking, carrier, kc);
		goto out;
	}
	if (json_is_object(json_object_get(ev, "location")))
		loc = json_dumps(json_object_get(ev, "location"),
		    JSON_COMPACT | JSON_SORT_KEYS);
	sqlite3_bind_text(u->st_event, 1, tracking, -1, SQLITE_STATIC);
	sqlite3_bind_text(u->st_event, 2, status, -1, SQLITE_STATIC);
	sqlite3_bind_text(u->st_event, 3, sub ? sub : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(u->st_event, 4, w.t);
	sqlite3_bind_text(
	    u->st_event, 5, ndjson_str(ev, "message"), -1, SQLITE_STATIC);
	sqlite3_bind_text(u->st_event, 6, loc, -1, SQLITE_STATIC);
	sqlite3_bind_text(
	    u->st_event, 7, ledger_stamp(u->ledger), -1, SQLITE_STATIC);
	sqlite3_bind_int64(u->st_event, 8, ledger_run_id(u->ledger));
	ledger_step(u->ledger, u->st_event);
	free(loc);
	if (sqlite3_changes(ledger_db(u->ledger)) == 0) {
		u->dup++; /* seen before */
		goto out;
	}
	/* The state follows event time; a tie goes to the later stage. */
	newer = !known || w.t > cur_at ||
		(w.t == cur_at && rank(status) > rank(cur));
	if (!known) {
		sqlite3_stmt *st = u->st_newship;

		sqlite3_bind_text(st, 1, tracking, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, source, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, kc, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, status, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 6, w.t);
		sqlite3_bind_text(
		    st, 7, ledger_stamp(u->ledger), -1, SQLITE_STATIC);
		ledger_step(u->ledger, st);
	} else {
		sqlite3_stmt *st = u->st_move;

		sqlite3_bind_text(
		    st, 1, newer ? status : cur, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, newer ? w.t : cur_at);
		sqlite3_bind_int64(st, 3, w.t);
		sqlite3_bind_text(
		    st, 4, ledger_stamp(u->ledger), -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, tracking, -1, SQLITE_STATIC);
		ledger_step(u->ledger, st);
	}
	if (newer && (!known || strcmp(status, cur) != 0))
		changed(u, source, id, kc, tracking, status, w.t, ev);
out:
	free(source);
	free(id);
	free(kc);
	free(cur);
}

static void
flush_out(struct aftercare *u)
{
	size_t i;
	json_t *v;

	json_array_foreach(u->out, i, v) ndjson_write(v);
	json_array_clear(u->out);
}

/* Commit what is decided, then write it; a new transaction follows. */
static void
checkpoint(struct aftercare *u, int again)
{
	ledger_commit(u->ledger);
	flush_out(u);
	u->inchunk = 0;
	if (again)
		ledger_begin(u->ledger);
}

static void
event_line(void *arg, const char *file, long line, const char *text, size_t len)
{
	struct aftercare *u = arg;
	char why[256];
	json_t *j = ndjson_parse(text, len, why, sizeof why);
	const char *type;

	if (j == NULL) {
		aftercare_reject(u, file, line, text, len, "%s", why);
		return;
	}
	type = ndjson_str(j, "type");
	if (type != NULL && strcmp(type, u->what) != 0)
		aftercare_reject(u, file, line, text, len,
		    "a %s record, not a %s%s", type, u->what,
		    strcmp(u->what, "tracking") == 0 ? " event" : "");
	else if (strcmp(u->what, "review") == 0)
		aftercare_review(u, j, file, line, text, len);
	else if (strcmp(u->what, "return") == 0)
		aftercare_return(u, j, file, line, text, len);
	else
		event(u, j, file, line, text, len);
	json_decref(j);
	if (++u->inchunk == CHUNK)
		checkpoint(u, 1);
}

/* --map: set ev's field at a dotted path ("location.city") to s. */
static void
set_path(json_t *ev, const char *path, const char *s)
{
	const char *dot = strchr(path, '.');
	json_t *o;
	char *head;

	if (dot == NULL) {
		json_object_set_new(ev, path, json_string(s));
		return;
	}
	head = xstrndup(path, (size_t)(dot - path));
	if (!json_is_object(o = json_object_get(ev, head))) {
		o = json_object();
		json_object_set_new(ev, head, o);
	}
	free(head);
	set_path(o, dot + 1, s);
}

/* A carrier's CSV export, read through --map. */
static void
events_csv(struct aftercare *u, struct input *in)
{
	json_t *cols = json_object_get(u->map, "columns");
	json_t *names = json_object_get(u->map, "statuses");
	const char *delim = ndjson_str(u->map, "delimiter");
	const char *carrier = ndjson_str(u->map, "carrier");
	struct csvrow *row;
	struct csvin *c;
	const char *field, *col;
	json_t *v, *ev;
	char why[256];
	int r, k;

	if ((c = csvin_open(in, delim && strcmp(delim, "\t") == 0 ? '\t' : ',',
		 why, sizeof why)) == NULL)
		err_exit(EXIT_TROUBLE, "%s: %s", input_name(in), why);
	json_object_foreach(cols, field, v)
	{
		if ((k = csvin_column(c, json_string_value(v))) == -1)
			err_exit(EXIT_TROUBLE, "%s: no column '%s' (for %s)",
			    input_name(in), json_string_value(v), field);
		if (k == CSVIN_TWICE)
			err_exit(EXIT_TROUBLE,
			    "%s: column '%s' appears twice in the header",
			    input_name(in), json_string_value(v));
	}
	while ((r = csvin_next(c, &row, why, sizeof why)) != CSVIN_EOF) {
		if (r == CSVIN_ERROR)
			err_exit(EXIT_TROUBLE, "%s: %s", input_name(in), why);
		if (r == CSVIN_BAD) {
			aftercare_reject(u, input_name(in), row->line, row->raw,
			    row->rawlen, "%s", why);
			continue;
		}
		ev = json_pack("{s:s}", "type", "tracking");
		if (carrier != NULL)
			json_object_set_new(
			    ev, "carrier", json_string(carrier));
		json_object_foreach(cols, field, v)
		{
			k = csvin_column(c, json_string_value(v));
			col = (size_t)k < row->nf ? row->f[k] : "";
			if (*col == '\0')
				continue;
			if (strcmp(field, "status") == 0 &&
			    ndjson_str(names, col) != NULL)
				col = ndjson_str(names, col);
			set_path(ev, field, col);
		}
		event(u, ev, input_name(in), row->line, row->raw, row->rawlen);
		json_decref(ev);
		if (++u->inchunk == CHUNK)
			checkpoint(u, 1);
	}
	csvin_close(c);
}

/*
 * Say sorry for a parcel, with an honest new date: once for all that
 * went wrong since its last scan, at risk and then stalled alike.
 */
static void
apology(struct aftercare *u, const char *source, const char *id,
    const char *tracking, int64_t last, const char *reason, int64_t estimate)
{
	char key[300];
	json_t *n;

	snprintf(key, sizeof key, "delay_apology:%s:%lld", tracking,
	    (long long)last);
	n = aftercare_notice_new("delay_apology", key, source, id, tracking);
	json_object_set_new(n, "reason", json_string(reason));
	ndjson_set_time(n, "new_estimate", estimate, u->cfg->tz);
	aftercare_notice(u, n);
}

/* --scan: every parcel out there that is not home yet. */
static void
scan(struct aftercare *u)
{
	sqlite3_stmt *st = ledger_prepare(u->ledger,
	    "SELECT mp.tracking, mp.source, mp.order_id, m.carrier, "
	    "mp.service, mp.dispatched_at, coalesce(s.status, 'dispatched'), "
	    "s.last_event_at FROM manifest_parcels mp JOIN manifests m ON "
	    "m.id = mp.manifest LEFT JOIN shipments s ON s.tracking = "
	    "mp.tracking WHERE coalesce(s.status, '') NOT IN ('delivered', "
	    "'returned', 'exception') ORDER BY mp.dispatched_at, mp.tracking");
	int64_t today = when_day(&u->now);

	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *tracking = (const char *)sqlite3_column_text(st, 0);
		const char *source = (const char *)sqlite3_column_text(st, 1);
		const char *id = (const char *)sqlite3_column_text(st, 2);
		const char *carrier = (const char *)sqlite3_column_text(st, 3);
		const char *service = (const char *)sqlite3_column_text(st, 4);
		const char *left = (const char *)sqlite3_column_text(st, 5);
		const char *status = (const char *)sqlite3_column_text(st, 6);
		const struct carrier *k = config_carrier(u->cfg, carrier);
		const struct service *svc;
		int64_t last, earliest, deliver_by = INT64_MAX, estimate;
		char key[300], reason[300];
		struct when w;
		json_t *order;
		int transit, out;

		if (k == NULL ||
		    (order = aftercare_order(u, source, id)) == NULL)
			continue;
		if (sqlite3_column_type(st, 7) != SQLITE_NULL)
			last = sqlite3_column_int64(st, 7);
		else if (when_parse(left, &w) == 0)
			last = w.t;
		else
			last = u->now.t;
		if (ndjson_str(
			json_object_get(order, "promise"), "deliver_by") &&
		    when_parse(ndjson_str(json_object_get(order, "promise"),
				   "deliver_by"),
			&w) == 0)
			deliver_by = w.t;
		svc = carrier_service(k, service);
		transit = svc != NULL ? svc->transit_days : 1;
		out = strcmp(status, "out_for_delivery") == 0 ||
		      strcmp(status, "available_for_pickup") == 0 ||
		      strcmp(status, "attempt_fail") == 0;
		/* Soonest it can arrive now: today if out, else the next
		 * delivery day, and not before the carrier said. */
		earliest = when_day_end(u->cfg->tz,
		    out ? today : cal_next(&k->delivery, today + 1));
		if (ndjson_str(json_object_get(order, "dispatch"),
			"expected_delivery") &&
		    when_parse(ndjson_str(json_object_get(order, "dispatch"),
				   "expected_delivery"),
			&w) == 0 &&
		    w.t > earliest)
			earliest = w.t;
		/* Honest: a whole transit again, from today. */
		estimate = cal_add(&k->delivery, today, transit);
		estimate = estimate == CAL_NONE
			       ? earliest
			       : when_day_end(u->cfg->tz, estimate);
		if (estimate < earliest)
			estimate = earliest;
		if (u->now.t - last > (int64_t)k->stall_hours * 3600) {
			snprintf(reason, sizeof reason,
			    "no scan for %lld hours (stall after %d)",
			    (long long)((u->now.t - last) / 3600),
			    k->stall_hours);
			snprintf(key, sizeof key, "stall:%s:%lld", tracking,
			    (long long)last);
			if (aftercare_task(u, "carrier_chase", key, source, id,
				tracking, earliest > deliver_by,
				aftercare_detail(
				    u, order, carrier, status, reason)))
				apology(u, source, id, tracking, last,
				    "stalled", estimate);
		} else if (earliest > deliver_by && !out) {
			snprintf(reason, sizeof reason,
			    "cannot arrive by deliver_by any more");
			snprintf(key, sizeof key, "at_risk:%s", tracking);
			if (aftercare_task(u, "carrier_chase", key, source, id,
				tracking, 1,
				aftercare_detail(
				    u, order, carrier, status, reason)))
				apology(u, source, id, tracking, last,
				    "at_risk", earliest);
		}
		json_decref(order);
	}
	sqlite3_finalize(st);
}

/* url with {order_id} and {source} put in, percent-encoded. */
static char *
survey_url(const char *url, const char *source, const char *id)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(url) * 3 + strlen(source) * 3 + strlen(id) * 3 + 1;
	char *out = xmalloc(n), *o = out;
	const char *p, *v;

	for (p = url; *p;) {
		v = strncmp(p, "{order_id}", 10) == 0 ? id
		    : strncmp(p, "{source}", 8) == 0  ? source
						      : NULL;
		if (v == NULL) {
			*o++ = *p++;
			continue;
		}
		p += v == id ? 10 : 8;
		for (; *v; v++)
			if ((*v >= 'A' && *v <= 'Z') ||
			    (*v >= 'a' && *v <= 'z') ||
			    (*v >= '0' && *v <= '9') || strchr("-._~", *v)) {
				*o++ = *v;
			} else {
				*o++ = '%';
				*o++ = hex[(unsigned char)*v >> 4];
				*o++ = hex[(unsigned char)*v & 15];
			}
	}
	*o = '\0';
	return out;
}

/* Surveys: once per order, survey_after_days after it was delivered. */
static void
surveys(struct aftercare *u)
{
	const struct followup_cfg *f = &u->cfg->followup;
	sqlite3_stmt *st;
	char key[300], *url;
	struct when w;
	json_t *n;

	if (f->survey_url == NULL)
		return;
	st = ledger_prepare(u->ledger,
	    "SELECT source, order_id, json_extract(record, '$.delivery.at') "
	    "FROM orders WHERE status = 'delivered' AND NOT EXISTS (SELECT 1 "
	    "FROM notices WHERE key = 'survey:' || orders.source || ':' || "
	    "orders.order_id) ORDER BY source, order_id");
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *source = (const char *)sqlite3_column_text(st, 0);
		const char *id = (const char *)sqlite3_column_text(st, 1);
		const char *at = (const char *)sqlite3_column_text(st, 2);

		if (at == NULL || when_parse(at, &w) == -1 ||
		    w.t + (int64_t)f->survey_after_days * 86400 > u->now.t)
			continue;
		snprintf(key, sizeof key, "survey:%s:%s", source, id);
		n = json_pack("{s:s,s:s,s:s,s:s,s:s}", "type", "notice",
		    "event", "survey", "key", key, "source", source, "order_id",
		    id);
		url = survey_url(f->survey_url, source, id);
		json_object_set_new(n, "survey_url", json_string(url));
		free(url);
		aftercare_notice(u, n);
	}
	sqlite3_finalize(st);
}

/*
 * --pending: the notices of the last week that no message was made of,
 * written again: a pipe that died between followup and notify loses
 * nothing.  notify sends each once whatever it is given.
 */
static void
unsent(struct aftercare *u)
{
	sqlite3_stmt *st = ledger_prepare(u->ledger,
	    "SELECT n.record FROM notices n WHERE n.run IS NOT ?1 AND "
	    "julianday(n.created_at) >= julianday(?2) - 7 AND NOT EXISTS "
	    "(SELECT 1 FROM messages m WHERE m.source = n.source AND "
	    "m.order_id = n.order_id AND m.event = json_extract(n.record, "
	    "'$.key')) ORDER BY n.created_at, n.key");
	char now[WHEN_BUFSZ];
	json_t *j;

	sqlite3_bind_int64(st, 1, ledger_run_id(u->ledger));
	sqlite3_bind_text(st, 2, when_format(&u->now, now), -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		j = ndjson_parse((const char *)sqlite3_column_text(st, 0),
		    (size_t)sqlite3_column_bytes(st, 0), NULL, 0);
		if (j != NULL) {
			json_array_append_new(u->out, j);
			u->notices++;
		}
	}
	sqlite3_finalize(st);
}

static int
list_tasks(struct aftercare *u)
{
	sqlite3_stmt *st = ledger_prepare(u->ledger,
	    "SELECT record FROM tasks WHERE status = 'open' ORDER BY due, id");
	long n = 0;

	while (sqlite3_step(st) == SQLITE_ROW) {
		ndjson_put((const char *)sqlite3_column_text(st, 0),
		    (size_t)sqlite3_column_bytes(st, 0));
		n++;
	}
	sqlite3_finalize(st);
	if (!quiet)
		fprintf(stderr, "%s: %ld open task%s\n", progname, n,
		    n == 1 ? "" : "s");
	return EXIT_OK;
}

static int
done_tasks(struct aftercare *u, char **ids, size_t n)
{
	sqlite3_stmt *st = ledger_prepare(u->ledger,
	    "UPDATE tasks SET status = 'done', done_at = ?2 WHERE id = ?1 AND "
	    "status = 'open' RETURNING source, order_id");
	sqlite3_stmt *was = ledger_prepare(
	    u->ledger, "SELECT done_at FROM tasks WHERE id = ?1");
	int status = EXIT_OK;
	size_t i;

	ledger_begin(u->ledger);
	for (i = 0; i < n; i++) {
		sqlite3_bind_text(st, 1, ids[i], -1, SQLITE_STATIC);
		sqlite3_bind_text(
		    st, 2, ledger_stamp(u->ledger), -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			ledger_event(u->ledger,
			    (const char *)sqlite3_column_text(st, 0),
			    (const char *)sqlite3_column_text(st, 1),
			    "task.done", ids[i]);
			if (!quiet)
				fprintf(stderr, "%s: task %s done\n", progname,
				    ids[i]);
			sqlite3_step(st);
		} else {
			sqlite3_bind_text(was, 1, ids[i], -1, SQLITE_STATIC);
			if (sqlite3_step(was) == SQLITE_ROW)
				err_warn("task %s was done already, at %s",
				    ids[i],
				    (const char *)sqlite3_column_text(was, 0));
			else {
				err_warn("no task %s", ids[i]);
				status = EXIT_REJECTS;
			}
			sqlite3_reset(was);
		}
		sqlite3_reset(st);
	}
	ledger_commit(u->ledger);
	sqlite3_finalize(st);
	sqlite3_finalize(was);
	return status;
}

/* A CSV of reviews or requests: each header names a field. */
static void
records_csv(struct aftercare *u, struct input *in)
{
	struct csvrow *row;
	struct csvin *c;
	char why[256];
	json_t *rec;
	size_t i, n;
	int r;

	if ((c = csvin_open(in, ',', why, sizeof why)) == NULL)
		err_exit(EXIT_TROUBLE, "%s: %s", input_name(in), why);
	n = csvin_ncolumns(c);
	/* Every column is a field of the record: none may come twice. */
	for (i = 0; i < n; i++)
		if (csvin_column(c, csvin_column_name(c, i)) == CSVIN_TWICE &&
		    *csvin_column_name(c, i) != '\0')
			err_exit(EXIT_TROUBLE,
			    "%s: column '%s' appears twice in the header",
			    input_name(in), csvin_column_name(c, i));
	while ((r = csvin_next(c, &row, why, sizeof why)) != CSVIN_EOF) {
		if (r == CSVIN_ERROR)
			err_exit(EXIT_TROUBLE, "%s: %s", input_name(in), why);
		if (r == CSVIN_BAD) {
			aftercare_reject(u, input_name(in), row->line, row->raw,
			    row->rawlen, "%s", why);
			continue;
		}
		rec = json_object();
		for (i = 0; i < n && i < row->nf; i++)
			if (*row->f[i] != '\0')
				json_object_set_new(rec,
				    csvin_column_name(c, i),
				    json_string(row->f[i]));
		if (strcmp(u->what, "review") == 0)
			aftercare_review(u, rec, input_name(in), row->line,
			    row->raw, row->rawlen);
		else
			aftercare_return(u, rec, input_name(in), row->line,
			    row->raw, row->rawlen);
		json_decref(rec);
		if (++u->inchunk == CHUNK)
			checkpoint(u, 1);
	}
	csvin_close(c);
}

/* --reviews and --returns: NDJSON, or CSV when the name ends in .csv. */
static void
read_all(struct aftercare *u, const char *what, char **paths, size_t n)
{
	struct input *in;
	size_t i, len;

	u->what = what;
	for (i = 0; i < n; i++) {
		if ((in = input_open(paths[i])) == NULL)
			err_exit_sys(
			    EXIT_TROUBLE, "cannot open '%s'", paths[i]);
		len = strlen(paths[i]);
		if (len > 4 && strcasecmp(paths[i] + len - 4, ".csv") == 0)
			records_csv(u, in);
		else
			u->rejected += input_each(in, event_line, u);
		input_close(in);
	}
}

/*
 * --report: the KPIs of a period (default: the 30 days to today), as an
 * NDJSON line on stdout and in dir, and as one HTML page.
 */
static int
report(struct aftercare *u, const char *from, const char *to, const char *dir)
{
	int64_t today = when_day(&u->now), f, t;
	struct outfile of;
	char name[96], why[512], a[16], b[16], *text;
	json_t *k;
	size_t len;

	t = today;
	if (to != NULL && parse_date(to, &t) == -1)
		err_exit(
		    EXIT_TROUBLE, "--to: '%s' is not a date, YYYY-MM-DD", to);
	f = t - 29;
	if (from != NULL && parse_date(from, &f) == -1)
		err_exit(EXIT_TROUBLE, "--from: '%s' is not a date, YYYY-MM-DD",
		    from);
	if (f > t)
		err_exit(EXIT_TROUBLE, "--from is after --to");
	if (t - f > 3660)
		err_exit(EXIT_TROUBLE, "a report covers ten years at most");
	k = kpi_compute(u->ledger, u->cfg, f, t);
	text = ndjson_dump(k, &len);
	snprintf(name, sizeof name, "report-%s-%s.ndjson", day_format(f, a),
	    day_format(t, b));
	fprintf(outfile_open(&of, dir, name), "%s\n", text);
	outfile_commit(&of);
	snprintf(name, sizeof name, "%s/report-%s-%s.html", dir, a, b);
	if (report_html(k, name, why, sizeof why) == -1)
		err_exit(EXIT_TROUBLE, "%s", why);
	ndjson_put(text, len);
	if (!quiet)
		fprintf(stderr, "%s: report for %s to %s: %s\n", progname, a, b,
		    name);
	free(text);
	json_decref(k);
	return EXIT_OK;
}

static json_t *
load_map(const char *path)
{
	json_error_t e;
	json_t *m = ndjson_load_file(path, JSON_REJECT_DUPLICATES, &e);

	if (m == NULL)
		err_exit(EXIT_TROUBLE, "--map '%s': %s", path, e.text);
	if (!json_is_object(json_object_get(m, "columns")) ||
	    ndjson_str(json_object_get(m, "columns"), "tracking") == NULL ||
	    ndjson_str(json_object_get(m, "columns"), "status") == NULL ||
	    ndjson_str(json_object_get(m, "columns"), "occurred_at") == NULL)
		err_exit(EXIT_TROUBLE,
		    "--map '%s': columns must name tracking, status and "
		    "occurred_at",
		    path);
	return m;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {OPTS_LONG,
	    {"events", required_argument, NULL, 'e'},
	    {"map", required_argument, NULL, 'm'},
	    {"scan", no_argument, NULL, 's'}, {"tasks", no_argument, NULL, 't'},
	    {"done", required_argument, NULL, 'd'},
	    {"reviews", required_argument, NULL, 'w'},
	    {"report", no_argument, NULL, 'k'},
	    {"from", required_argument, NULL, 'F'},
	    {"to", required_argument, NULL, 'U'},
	    {"returns", required_argument, NULL, 'r'}, {NULL, 0, NULL, 0}};
	struct opts o = {0};
	struct optlist files = {0}, done = {0}, revs = {0}, rets = {0};
	size_t i;
	int ch, do_scan = 0, do_tasks = 0, status, nin = 0;
	struct input **in = NULL;
	const char *map = NULL, *from = NULL, *to = NULL;
	int do_report = 0;
	struct aftercare u;

	err_init(argv[0]);
	memset(&u, 0, sizeof u);
	while (
	    (ch = getopt_long(argc, argv, OPTS_SHORT, longopts, NULL)) != -1) {
		switch (ch) {
		case 'e':
			opts_add(&files, optarg);
			break;
		case 'm':
			map = optarg;
			break;
		case 's':
			do_scan = 1;
			break;
		case 't':
			do_tasks = 1;
			break;
		case 'd':
			opts_add(&done, optarg);
			break;
		case 'k':
			do_report = 1;
			break;
		case 'F':
			from = optarg;
			break;
		case 'U':
			to = optarg;
			break;
		case 'w':
			opts_add(&revs, optarg);
			break;
		case 'r':
			opts_add(&rets, optarg);
			break;
		default:
			if (ch == 'K' || !opts_common(ch, optarg, &o, usage))
				usage(EXIT_TROUBLE);
		}
	}
	argc -= optind;
	argv += optind;
	for (i = 0; i < (size_t)argc; i++)
		opts_add(&files, argv[i]);
	if ((do_tasks || done.n > 0 || do_report) &&
	    (files.n > 0 || do_scan || revs.n > 0 || rets.n > 0))
		err_exit(EXIT_TROUBLE,
		    "--tasks, --done and --report read no events");
	if (do_report && o.outdir == NULL)
		err_exit(EXIT_TROUBLE, "--report needs -o dir for the report");
	if (!do_report && (o.outdir != NULL || from != NULL || to != NULL))
		err_exit(EXIT_TROUBLE, "-o, --from and --to go with --report");
	u.cfg = config_load(o.config);
	if (map != NULL)
		u.map = load_map(map);
	u.now = when_now();
	u.ledger = ledger_open(o.db);
	ledger_run(u.ledger);
	if (do_report) {
		status = report(&u, from, to, o.outdir);
		goto out;
	}
	if (do_tasks || done.n > 0) {
		status = done.n > 0 ? done_tasks(&u, done.v, done.n) : EXIT_OK;
		if (do_tasks)
			list_tasks(&u);
		goto out;
	}
	if (files.n > 0 ||
	    (!do_scan && !o.pending && revs.n == 0 && rets.n == 0))
		in = input_open_args((int)files.n, files.v, &nin);
	rejects_open(&u.rejects, o.rejects);
	u.out = json_array();
	u.st_ship = ledger_prepare(u.ledger,
	    "SELECT source, order_id, carrier, status, status_at FROM "
	    "shipments WHERE tracking = ?1");
	u.st_parcel = ledger_prepare(u.ledger,
	    "SELECT source, order_id, carrier FROM parcels WHERE tracking = "
	    "?1 AND voided_at IS NULL");
	u.st_event = ledger_prepare(u.ledger,
	    "INSERT OR IGNORE INTO tracking_events (tracking, status, "
	    "substatus, occurred_at, message, location, received_at, run) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
	u.st_newship = ledger_prepare(u.ledger,
	    "INSERT INTO shipments (tracking, source, order_id, carrier, "
	    "status, status_at, last_event_at, updated_at) VALUES (?1, ?2, "
	    "?3, ?4, ?5, ?6, ?6, ?7)");
	u.st_move = ledger_prepare(u.ledger,
	    "UPDATE shipments SET status = ?1, status_at = ?2, last_event_at "
	    "= max(coalesce(last_event_at, ?3), ?3), updated_at = ?4 WHERE "
	    "tracking = ?5");
	u.st_notice = ledger_prepare(u.ledger,
	    "INSERT OR IGNORE INTO notices (key, source, order_id, event, "
	    "record, created_at, run) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	u.st_task = ledger_prepare(u.ledger,
	    "INSERT OR IGNORE INTO tasks (id, key, kind, source, order_id, "
	    "priority, due, status, record, created_at, run) VALUES (?1, ?2, "
	    "?3, ?4, ?5, ?6, ?7, 'open', ?8, ?9, ?10)");
	ledger_begin(u.ledger);
	u.what = "tracking";
	for (i = 0; i < (size_t)nin; i++) {
		if (u.map != NULL)
			events_csv(&u, in[i]);
		else
			u.rejected += input_each(in[i], event_line, &u);
	}
	read_all(&u, "review", revs.v, revs.n);
	read_all(&u, "return", rets.v, rets.n);
	if (do_scan) {
		scan(&u);
		surveys(&u);
	}
	if (o.pending)
		unsent(&u);
	checkpoint(&u, 0);
	if (!quiet)
		fprintf(stderr,
		    "%s: %ld events, %ld reviews (%ld negative), %ld return "
		    "requests (%ld exchanges) read, %ld duplicate, %ld "
		    "rejected; %ld changes, %ld notices, %ld tasks\n",
		    progname, u.events, u.reviews, u.negative, u.returns,
		    u.exchanges, u.dup, u.rejected, u.changed, u.notices,
		    u.tasks);
	status = u.rejected > 0 ? EXIT_REJECTS : EXIT_OK;
	sqlite3_finalize(u.st_ship);
	sqlite3_finalize(u.st_parcel);
	sqlite3_finalize(u.st_event);
	sqlite3_finalize(u.st_newship);
	sqlite3_finalize(u.st_move);
	sqlite3_finalize(u.st_notice);
	sqlite3_finalize(u.st_task);
	json_decref(u.out);
	input_close_all(in, nin);
	rejects_close(&u.rejects);
out:
	json_decref(u.map);
	free(files.v);
	free(done.v);
	free(revs.v);
	free(rets.v);
	ledger_close(u.ledger);
	config_free(u.cfg);
	return close_stdout(status);
}
