#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cancel.h"
#include "config.h"
#include "err.h"
#include "ledger.h"
#include "ledger_manifests.h"
#include "ledger_parcels.h"
#include "ledger_picks.h"
#include "ledger_split.h"
#include "ndjson.h"
#include "order.h"
#include "status.h"
#include "tasks.h"
#include "when.h"

/* One cancellation under way. */
struct undo {
	struct ledger *l;
	const struct config *cfg;
	json_t *order; /* the record going out */
	char *source, *id;
	enum status was;
	json_t *c; /* its "cancellation" */
	int64_t now;
};

/* The order as the ledger has it; NULL if it has none. */
static json_t *
previous(struct undo *u)
{
	size_t len;
	char *text = ledger_order_record(u->l, u->source, u->id, &len);
	json_t *j = text != NULL ? ndjson_parse(text, len, NULL, 0) : NULL;

	free(text);
	return j;
}

/*
 * A cancellation may be bare (the key and a status): it takes what it
 * lacks from the order as the ledger had it, the customer to tell and
 * the parcels to find among it, down into the objects both have (the
 * shop's "pickup" and the warehouse's pickup.ready_at).  A hold is over
 * once cancelled.
 */
static void
fill_in(json_t *order, json_t *prev)
{
	const char *k;
	json_t *v, *mine;

	json_object_foreach(prev, k, v)
	{
		mine = json_object_get(order, k);
		if (mine == NULL && strcmp(k, "hold") != 0)
			json_object_set(order, k, v);
		else if (json_is_object(mine) && json_is_object(v))
			fill_in(mine, v);
	}
}

static void
released_row(void *arg, const char *sku, int64_t qty, int64_t batch)
{
	json_array_append_new(
	    arg, json_pack("{s:s,s:I}", "sku", sku, "qty", (json_int_t)qty));
}

/*
 * The stock the order's picks took goes back to the shelf: the lines
 * given back (a new array), said in the record and the audit trail.
 */
static json_t *
release(struct undo *u)
{
	json_t *a = json_array();
	char detail[64];
	size_t n;

	if (ledger_picks_release(
		u->l, u->source, u->id, u->now, released_row, a) > 0) {
		n = json_array_size(a);
		json_object_set(u->c, "released", a);
		snprintf(
		    detail, sizeof detail, "%zu SKU%s", n, n == 1 ? "" : "s");
		ledger_event(u->l, u->source, u->id, "stock.released", detail);
	}
	json_object_del(u->order, "pick");
	return a;
}

/*
 * Where the picked goods are: the cart (wave, batch) and the tote or
 * totes the pick sheet named, and a pickup order's counter.  Taken
 * before the record lets go of its pick.
 */
static json_t *
where(const struct undo *u)
{
	static const char *const keys[] = {"wave", "batch", "tote", "totes"};
	json_t *pick = json_object_get(u->order, "pick"), *w = json_object();
	json_t *loc;
	size_t i;

	for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (json_object_get(pick, keys[i]) != NULL)
			json_object_set(
			    w, keys[i], json_object_get(pick, keys[i]));
	loc = json_object_get(json_object_get(u->order, "pickup"), "location");
	if (u->was == ST_READY_FOR_PICKUP && loc != NULL)
		json_object_set(w, "pickup_location", loc);
	return w;
}

/*
 * The one task a cancellation leaves staff, keyed by the order: its
 * detail is tasks_detail()'s and extra's (taken).
 */
static void
task(struct undo *u, const char *kind, int high, const char *tracking,
    const char *carrier, const char *reason, json_t *extra)
{
	json_t *d = tasks_detail(
		   u->cfg, u->order, carrier, status_name(u->was), reason),
	       *t;
	char *key;

	json_object_update(d, extra);
	json_decref(extra);
	xasprintf(&key, "cancel:%s:%s", u->source, u->id);
	t = tasks_add(u->l, u->cfg, u->now, kind, key, u->source, u->id,
	    tracking, high, d);
	free(key);
	if (t != NULL)
		json_object_set(u->c, "task", json_object_get(t, "id"));
	json_decref(t);
}

static void
parcel_row(void *arg, const struct ledger_parcel *p)
{
	json_t *o = json_pack("{s:i,s:i,s:s,s:s,s:b}", "n", p->n, "m", p->m,
	    "tracking", p->tracking, "carrier", p->carrier, "label_printed",
	    p->printed);

	if (p->path != NULL)
		json_object_set_new(o, "label_file", json_string(p->path));
	json_array_append_new(arg, o);
}

/* The order's live parcels, by n: {n, m, tracking, carrier, label...}. */
static json_t *
parcels(struct undo *u)
{
	json_t *a = json_array();

	ledger_parcels_of(u->l, u->source, u->id, parcel_row, a);
	return a;
}

/* Member key of the first element of a, or NULL. */
static const char *
first(json_t *a, const char *key)
{
	return ndjson_str(json_array_get(a, 0), key);
}

/* The tracking numbers of parcels, as an array of strings. */
static json_t *
numbers(json_t *ps)
{
	json_t *a = json_array(), *p;
	size_t i;

	json_array_foreach(ps, i, p)
	    json_array_append(a, json_object_get(p, "tracking"));
	return a;
}

/* Picked, or waiting at the counter: the goods go back to the shelf. */
static void
unpick(struct undo *u)
{
	json_t *w = where(u), *lines = release(u);

	task(u, "return_to_shelf", 0, NULL, NULL,
	    u->was == ST_READY_FOR_PICKUP
		? "cancelled while waiting to be collected: take the "
		  "goods from the pickup counter back to the shelf"
		: "cancelled after picking: take the goods from the cart "
		  "back to the shelf",
	    json_pack("{s:o,s:o}", "where", w, "lines", lines));
}

/*
 * Labelled, or on a manifest still open (named): the numbers are
 * voided, never handed out again; the parcel is pulled from the stack
 * and its goods go back to the shelf.
 */
static void
pull(struct undo *u, const char *manifest)
{
	json_t *ps = parcels(u), *w = where(u), *lines, *x;
	char *carrier =
	    first(ps, "carrier") != NULL ? xstrdup(first(ps, "carrier")) : NULL;
	char *tracking = first(ps, "tracking") != NULL
			     ? xstrdup(first(ps, "tracking"))
			     : NULL;

	if (json_array_size(ps) > 0) {
		json_t *v = numbers(ps);
		char *text = json_dumps(v, JSON_COMPACT);

		ledger_parcels_void(u->l, u->source, u->id);
		json_object_set_new(u->c, "voided", v);
		ledger_event(u->l, u->source, u->id, "label.voided", text);
		free(text);
	}
	json_object_del(u->order, "shipment");
	lines = release(u);
	x = json_pack(
	    "{s:o,s:o,s:o}", "parcels", ps, "pick", w, "lines", lines);
	if (manifest != NULL)
		json_object_set_new(x, "manifest", json_string(manifest));
	task(u, "pull_parcel", 1, tracking, carrier,
	    manifest != NULL
		? "cancelled after dispatch, before the carrier came: take "
		  "the parcel off the outgoing stack, unpack it and put the "
		  "goods back on the shelf"
		: "cancelled after labelling: pull the parcel before it "
		  "goes, unpack it and put the goods back on the shelf",
	    x);
	free(carrier);
	free(tracking);
}

static void
off_row(void *arg, const char *tracking, const char *manifest)
{
	char **m = arg;

	if (*m == NULL)
		*m = xstrdup(manifest);
}

/* Whether any of the parcels is on a manifest that is closed. */
static int
gone(struct undo *u, json_t *ps)
{
	struct ledger_parcel_state s;
	json_t *p;
	size_t i;
	int closed = 0;

	json_array_foreach(ps, i, p)
	{
		ledger_parcel_state(u->l, ndjson_str(p, "tracking"), &s);
		closed |= s.manifest != NULL && s.status != NULL &&
			  strcmp(s.status, "open") != 0;
		ledger_parcel_state_free(&s);
	}
	return closed;
}

/*
 * On its way: the carrier has it, under its numbers, which stay live.
 * Delivered already: it is the customer's to send back.
 */
static void
intercept(struct undo *u)
{
	json_t *ps = parcels(u), *ship = json_object_get(u->order, "shipment");
	json_t *d = json_object_get(u->order, "dispatch"), *v = numbers(ps);
	const char *carrier = first(ps, "carrier");
	json_t *i, *x;

	if (carrier == NULL)
		carrier = ndjson_str(ship, "carrier");
	if (json_array_size(v) == 0 && ndjson_str(ship, "tracking") != NULL)
		json_array_append(v, json_object_get(ship, "tracking"));
	x = json_pack("{s:O}", "tracking", v);
	if (ndjson_str(d, "manifest") != NULL)
		json_object_set(x, "manifest", json_object_get(d, "manifest"));
	if (ndjson_str(d, "dispatched_at") != NULL)
		json_object_set(
		    x, "dispatched_at", json_object_get(d, "dispatched_at"));
	if (u->was == ST_DELIVERED) {
		task(u, "cancelled_after_delivery", 0, first(ps, "tracking"),
		    carrier,
		    "cancelled after it was delivered: arrange a return with "
		    "the customer, or write it off",
		    x);
	} else {
		i = json_copy(x);
		if (carrier != NULL)
			json_object_set_new(i, "carrier", json_string(carrier));
		json_object_del(i, "dispatched_at");
		json_object_set_new(u->c, "intercept", i);
		task(u, "carrier_intercept", 1, first(ps, "tracking"), carrier,
		    "cancelled after the carrier took it: ask the carrier to "
		    "stop the parcel and send it back",
		    x);
	}
	json_decref(v);
	json_decref(ps);
}

/* Dispatched: pulled if its manifest is still open, else intercepted. */
static void
undispatch(struct undo *u)
{
	json_t *ps = parcels(u);
	char *manifest = NULL;
	int closed = gone(u, ps);
	const char **v;
	size_t n;
	long off;

	json_decref(ps);
	if (closed) {
		intercept(u);
		return;
	}
	n = order_tracking(u->order, &v);
	off = ledger_manifest_take_off(
	    u->l, u->source, u->id, v, n, off_row, &manifest);
	free(v);
	if (off > 0) {
		json_object_set_new(
		    u->c, "off_manifest", json_string(manifest));
		ledger_event(
		    u->l, u->source, u->id, "manifest.taken_off", manifest);
	}
	json_object_del(u->order, "dispatch");
	pull(u, manifest);
	free(manifest);
}

static void
backorder_row(void *arg, const char *id, const char *status)
{
	if (status_parse(status) != ST_CANCELLED)
		json_array_append_new(arg, json_string(id));
}

/*
 * An order shipped in parts (lib/split) is cancelled whole: each of its
 * backorders not cancelled yet is undone as its own status allows and
 * recorded cancelled, and the order's cancellation lists them
 * ("backorders").  Their records are not written out: the customer
 * hears of the cancellation once, from the order's.
 */
static void
backorders(struct undo *u)
{
	json_t *ids = json_array(), *v, *bo;
	struct ledger_order lo;
	char *text, detail[128];
	size_t i, len;

	ledger_backorders(u->l, u->source, u->id, backorder_row, ids);
	json_array_foreach(ids, i, v)
	{
		const char *id = json_string_value(v);

		if (!ledger_order_get(u->l, u->source, id, &lo))
			continue;
		bo = json_pack("{s:s,s:s,s:s}", "order_id", id, "source",
		    u->source, "status", status_name(ST_CANCELLED));
		cancel_apply(u->l, u->cfg, bo, lo.status);
		json_object_set_new(
		    bo, "revision", json_integer(lo.revision + 1));
		text = ndjson_dump(bo, &len);
		ledger_order_put(u->l, u->source, id, status_name(ST_CANCELLED),
		    text, len, NULL, lo.revision + 1, lo.accepted);
		snprintf(
		    detail, sizeof detail, "was %s, with its order", lo.status);
		ledger_event(u->l, u->source, id, "cancelled", detail);
		free(text);
		json_decref(bo);
		ledger_order_free(&lo);
	}
	if (json_array_size(ids) > 0)
		json_object_set(u->c, "backorders", ids);
	json_decref(ids);
}

void
cancel_apply(struct ledger *l, const struct config *cfg, json_t *order,
    const char *prev_status)
{
	struct undo u;
	json_t *prev;

	memset(&u, 0, sizeof u);
	u.l = l;
	u.cfg = cfg;
	u.order = order;
	u.source = xstrdup(order_source(order));
	u.id = xstrdup(order_id(order));
	u.was = status_parse(prev_status);
	u.now = when_now().t;
	if (prev_status != NULL && (prev = previous(&u)) != NULL) {
		fill_in(order, prev);
		json_decref(prev);
	}
	u.c = json_object();
	ndjson_set_time(u.c, "at", u.now, cfg->tz);
	if (prev_status != NULL)
		json_object_set_new(u.c, "was", json_string(prev_status));
	if (prev_status != NULL && !status_may(u.was, ST_CANCELLED)) {
		/* Gone past what a cancellation can change. */
		json_object_set_new(u.c, "too_late", json_true());
		ledger_event(l, u.source, u.id, "cancel.too_late", prev_status);
	} else
		switch (u.was) {
		case ST_PICKED:
		case ST_READY_FOR_PICKUP:
			unpick(&u);
			break;
		case ST_LABELLED:
			pull(&u, NULL);
			break;
		case ST_DISPATCHED:
			undispatch(&u);
			break;
		case ST_IN_TRANSIT:
		case ST_OUT_FOR_DELIVERY:
		case ST_EXCEPTION:
		case ST_DELIVERED:
			intercept(&u);
			break;
		default:
			/* Accepted, held or never seen: no stock was taken. */
			break;
		}
	backorders(&u);
	json_object_set_new(order, "cancellation", u.c);
	free(u.source);
	free(u.id);
}
