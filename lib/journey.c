#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aftercare.h"
#include "csvin.h"
#include "err.h"
#include "feedback.h"
#include "journey.h"
#include "ledger.h"
#include "ledger_journey.h"
#include "ndjson.h"
#include "tasks.h"

/*
 * The carriers' tracking statuses, in the order a parcel normally goes
 * through them, with the notice a change to each is worth and the
 * status its order takes.
 */
static const struct kind {
	const char *name;
	const char *notice; /* NULL: none */
	enum status order;  /* ST_NONE: unchanged */
} kinds[] = {
    {"info_received", NULL, ST_NONE},
    {"in_transit", NULL, ST_IN_TRANSIT},
    {"out_for_delivery", "out_for_delivery", ST_OUT_FOR_DELIVERY},
    {"attempt_fail", "attempt_failed", ST_OUT_FOR_DELIVERY},
    {"available_for_pickup", "available_for_pickup", ST_OUT_FOR_DELIVERY},
    {"exception", "exception", ST_EXCEPTION},
    {"delivered", "delivered", ST_DELIVERED},
    {"returned", NULL, ST_RETURNED},
};

#define NKINDS (sizeof kinds / sizeof kinds[0])

/* Where a status stands in kinds[]; -1 if it is none of them. */
static int
rank(const char *status)
{
	size_t i;

	for (i = 0; status != NULL && i < NKINDS; i++)
		if (strcmp(kinds[i].name, status) == 0)
			return (int)i;
	return -1;
}

enum status
journey_order_status(const char *status)
{
	int r = rank(status);

	return r < 0 ? ST_NONE : kinds[r].order;
}

/* The order follows its parcel: status and "delivery". */
static void
move_order(struct aftercare *u, const char *source, const char *id,
    const char *tracking, const struct kind *k, int64_t at)
{
	enum status os = k->order;
	json_t *order, *d;
	char *text;
	size_t len;

	if (os == ST_NONE || (order = aftercare_order(u, source, id)) == NULL)
		return;
	/* Delivered when every parcel of it is. */
	if (os == ST_DELIVERED &&
	    ledger_parcels_undelivered(u->ledger, source, id) > 0)
		os = ST_IN_TRANSIT;
	d = json_pack("{s:s,s:s}", "status", k->name, "tracking", tracking);
	ndjson_set_time(d, "at", at, u->cfg->tz);
	json_object_set_new(order, "delivery", d);
	json_object_set_new(order, "status", json_string(status_name(os)));
	text = ndjson_dump(order, &len);
	ledger_order_put(
	    u->ledger, source, id, status_name(os), text, len, NULL, 0, 0);
	free(text);
	json_decref(order);
}

/*
 * Whether the order was cancelled after it left: its parcel is the
 * carrier_intercept task's business (lib/cancel).
 */
static int
cancelled(struct aftercare *u, const char *source, const char *id)
{
	struct ledger_order lo;
	int c = 0;

	if (ledger_order_get(u->ledger, source, id, &lo)) {
		c = status_parse(lo.status) == ST_CANCELLED;
		ledger_order_free(&lo);
	}
	return c;
}

/*
 * A shipment's state changed to k at t: tell, and act.  A cancelled
 * order stays cancelled, and its customer, told so, hears no more of
 * the parcel: its state is kept and the audit trail has the event.
 */
static void
changed(struct aftercare *u, const char *source, const char *id,
    const char *carrier, const char *tracking, const struct kind *k, int64_t t,
    json_t *ev)
{
	char key[300];
	json_t *n, *order;

	u->changed++;
	/* A return parcel's news is its RMA's, not an order's. */
	if (strcmp(source, "rma") == 0) {
		feedback_return_parcel(
		    u, id, carrier, tracking, k->name, t, ev);
		return;
	}
	if (cancelled(u, source, id)) {
		ledger_event(u->ledger, source, id, "tracking", k->name);
		return;
	}
	move_order(u, source, id, tracking, k, t);
	ledger_event(u->ledger, source, id, "tracking", k->name);
	if (k->notice != NULL) {
		snprintf(key, sizeof key, "%s:%s:%lld", k->notice, tracking,
		    (long long)t);
		n = aftercare_notice_new(k->notice, key, source, id, tracking);
		ndjson_set_time(n, "occurred_at", t, u->cfg->tz);
		if (ndjson_str(ev, "message") != NULL)
			json_object_set(
			    n, "message", json_object_get(ev, "message"));
		if (json_is_object(json_object_get(ev, "location")))
			json_object_set(
			    n, "location", json_object_get(ev, "location"));
		aftercare_notice(u, n);
	}
	if (k->order == ST_EXCEPTION &&
	    (order = aftercare_order(u, source, id)) != NULL) {
		char reason[300];

		snprintf(reason, sizeof reason, "carrier reports %s%s%s",
		    ndjson_str(ev, "substatus") ? ndjson_str(ev, "substatus")
						: "an exception",
		    ndjson_str(ev, "message") ? ": " : "",
		    ndjson_str(ev, "message") ? ndjson_str(ev, "message") : "");
		snprintf(key, sizeof key, "replace_or_refund:%s", tracking);
		tasks_open(u, "replace_or_refund", key, source, id, tracking, 1,
		    aftercare_detail(u, order, carrier, k->name, reason));
		json_decref(order);
	}
}

/* One tracking event, parsed. */
static void
event(struct aftercare *u, json_t *ev, const char *file, long line,
    const char *raw, size_t len)
{
	const char *tracking = ndjson_str(ev, "tracking");
	const char *status = ndjson_str(ev, "status");
	const char *carrier = ndjson_str(ev, "carrier");
	const char *at = ndjson_str(ev, "occurred_at");
	struct ledger_tracking_event e;
	struct ledger_shipment s;
	char *loc = NULL;
	struct when w;
	int known, newer, isnew;

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
	if ((known = ledger_shipment_find(u->ledger, tracking, &s)) == -1) {
		aftercare_reject(u, file, line, raw, len,
		    "tracking %s: not a parcel of ours (unknown tracking "
		    "number)",
		    tracking);
		return;
	}
	if (carrier != NULL && strcmp(carrier, s.carrier) != 0) {
		aftercare_reject(u, file, line, raw, len,
		    "tracking %s: carrier %s, but the parcel went with %s",
		    tracking, carrier, s.carrier);
		goto out;
	}
	if (json_is_object(json_object_get(ev, "location")))
		loc = json_dumps(json_object_get(ev, "location"),
		    JSON_COMPACT | JSON_SORT_KEYS);
	e.tracking = tracking;
	e.status = status;
	e.substatus =
	    ndjson_str(ev, "substatus") ? ndjson_str(ev, "substatus") : "";
	e.occurred_at = w.t;
	e.message = ndjson_str(ev, "message");
	e.location = loc;
	isnew = ledger_tracking_event_add(u->ledger, &e);
	free(loc);
	if (!isnew) {
		u->dup++; /* seen before */
		goto out;
	}
	/* The state follows event time; a tie goes to the later stage. */
	newer = !known || w.t > s.status_at ||
		(w.t == s.status_at && rank(status) > rank(s.status));
	if (!known)
		ledger_shipment_add(u->ledger, tracking, &s, status, w.t);
	else
		ledger_shipment_move(u->ledger, tracking,
		    newer ? status : s.status, newer ? w.t : s.status_at, w.t);
	if (newer && (!known || strcmp(status, s.status) != 0))
		changed(u, s.source, s.order_id, s.carrier, tracking,
		    &kinds[rank(status)], w.t, ev);
out:
	ledger_shipment_free(&s);
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
	int k;

	if ((c = csvin_open(in, delim && strcmp(delim, "\t") == 0 ? '\t' : ',',
		 why, sizeof why)) == NULL)
		err_exit(EXIT_TROUBLE, "%s: %s", input_name(in), why);
	json_object_foreach(cols, field, v)
	{
		if ((k = csvin_column(c, json_string_value(v))) == -1)
			aftercare_csv_stop(c, "%s: no column '%s' (for %s)",
			    input_name(in), json_string_value(v), field);
		if (k == CSVIN_TWICE)
			aftercare_csv_stop(c,
			    "%s: column '%s' appears twice in the header",
			    input_name(in), json_string_value(v));
	}
	while (aftercare_csv_row(u, in, c, &row)) {
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
		aftercare_next(u);
	}
	csvin_close(c);
}

void
journey_read(struct aftercare *u, struct input *in)
{
	if (u->map != NULL)
		events_csv(u, in);
	else
		aftercare_read(u, in, "tracking", event);
}

json_t *
journey_map_load(const char *path)
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
