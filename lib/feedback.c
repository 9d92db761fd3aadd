#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aftercare.h"
#include "csvin.h"
#include "digest.h"
#include "err.h"
#include "feedback.h"
#include "ledger.h"
#include "ledger_feedback.h"
#include "ledger_journey.h"
#include "ndjson.h"
#include "promise.h"
#include "returns.h"
#include "status.h"
#include "tasks.h"

/*
 * The order a review or a request names, from the ledger: by source and
 * id, or by id alone when only one source has it.  NULL with why.
 */
static json_t *
find_order(struct aftercare *u, json_t *req, char *why, size_t whylen)
{
	const char *id = ndjson_str(req, "order_id");
	const char *source = ndjson_str(req, "source");
	char *found;
	json_t *order;
	int n;

	if (id == NULL) {
		snprintf(why, whylen, "no order_id");
		return NULL;
	}
	n = ledger_order_sources(u->ledger, id, source, &found);
	if (n != 1) {
		snprintf(why, whylen,
		    n == 0 ? "order %s: not in the ledger"
			   : "order %s: in more than one source; give its "
			     "source",
		    id);
		free(found);
		return NULL;
	}
	order = aftercare_order(u, found, id);
	free(found);
	if (order == NULL)
		snprintf(
		    why, whylen, "order %s: its record cannot be read", id);
	return order;
}

/* 1 if text holds one of the words (ASCII letters in any case). */
static int
has_word(const char *text, char *const *words, size_t n)
{
	size_t i;

	for (i = 0; text != NULL && i < n; i++)
		if (strcasestr(text, words[i]) != NULL)
			return 1;
	return 0;
}

/* The order as staff need it: what was in it, and what it cost. */
static json_t *
order_summary(json_t *order)
{
	json_t *lines = json_array(), *l;
	size_t i;

	json_array_foreach(json_object_get(order, "lines"), i, l)
	    json_array_append_new(lines,
		json_pack("{s:O?,s:O?,s:O?}", "sku", json_object_get(l, "sku"),
		    "name", json_object_get(l, "name"), "qty",
		    json_object_get(l, "qty")));
	return json_pack("{s:O?,s:O?,s:O?,s:o}", "total",
	    json_object_get(order, "total"), "currency",
	    json_object_get(order, "currency"), "status",
	    json_object_get(order, "status"), "lines", lines);
}

/* The history of an order's parcels, as it is read. */
struct history {
	json_t *h;
	const char *tz;
};

static void
history_event(void *arg, const struct ledger_tracking_event *ev)
{
	struct history *hi = arg;
	json_t *e = json_pack(
	    "{s:s,s:s}", "tracking", ev->tracking, "status", ev->status);

	ndjson_set_time(e, "at", ev->occurred_at, hi->tz);
	if (ev->message != NULL)
		json_object_set_new(e, "message", json_string(ev->message));
	json_array_append_new(hi->h, e);
}

/* Every tracking event of the order's parcels, oldest first. */
static json_t *
history(struct aftercare *u, const char *source, const char *id)
{
	struct history hi = {json_array(), u->cfg->tz};

	ledger_tracking_events(u->ledger, source, id, history_event, &hi);
	return hi.h;
}

/* A review: kept once; a negative one is a phone call for staff. */
static void
review(struct aftercare *u, json_t *rv, const char *file, long line,
    const char *raw, size_t len)
{
	const struct followup_cfg *f = &u->cfg->followup;
	json_t *r = json_object_get(rv, "rating"), *order, *d;
	const char *text = ndjson_str(rv, "text"), *at = ndjson_str(rv, "at");
	const char *source, *id, *carrier;
	char why[512], key[600], reason[700];
	json_int_t rating = 0;
	struct ledger_review row;
	struct when w;
	int negative, high;

	u->reviews++;
	if (r != NULL && json_is_string(r))
		rating = strtoll(json_string_value(r), NULL, 10);
	else if (r != NULL)
		rating = json_integer_value(r);
	if ((r != NULL && (rating < 1 || rating > 5)) ||
	    (r == NULL && text == NULL)) {
		aftercare_reject(u, file, line, raw, len,
		    "a review needs a rating from 1 to 5 or a text");
		return;
	}
	if (at == NULL || when_parse_loose(at, u->cfg->tz, &w) == -1) {
		aftercare_reject(
		    u, file, line, raw, len, "review: 'at' is not a time");
		return;
	}
	if ((order = find_order(u, rv, why, sizeof why)) == NULL) {
		aftercare_reject(u, file, line, raw, len, "%s", why);
		return;
	}
	source = ndjson_str(order, "source");
	id = ndjson_str(order, "order_id");
	negative = (r != NULL && rating <= f->review_threshold) ||
		   has_word(text, f->negative, f->nnegative);
	snprintf(key, sizeof key, "%s/%s/%lld/%lld", source, id, (long long)w.t,
	    (long long)rating);
	row.key = key;
	row.source = source;
	row.order_id = id;
	row.rated = r != NULL;
	row.rating = rating;
	row.text = text;
	row.at = w.t;
	row.negative = negative;
	if (!ledger_review_add(u->ledger, &row)) {
		u->dup++;
		json_decref(order);
		return;
	}
	ledger_event(u->ledger, source, id, "review",
	    negative ? "negative" : "positive");
	if (negative) {
		u->negative++;
		high = (r != NULL && rating <= 1) ||
		       json_integer_value(json_object_get(order, "total")) >=
			   f->high_value;
		if (r != NULL)
			snprintf(reason, sizeof reason,
			    "negative review, %lld of 5: call the customer",
			    (long long)rating);
		else
			snprintf(reason, sizeof reason,
			    "negative review: call the customer");
		carrier =
		    ndjson_str(json_object_get(order, "shipment"), "carrier");
		d = aftercare_detail(u, order, carrier ? carrier : "",
		    ndjson_str(order, "status") ? ndjson_str(order, "status")
						: "",
		    reason);
		if (r != NULL)
			json_object_set_new(d, "rating", json_integer(rating));
		if (text != NULL)
			json_object_set_new(d, "review", json_string(text));
		json_object_set_new(d, "order", order_summary(order));
		json_object_set_new(d, "history", history(u, source, id));
		snprintf(reason, sizeof reason, "call_customer:%s", key);
		tasks_open(u, "call_customer", reason, source, id,
		    ndjson_str(json_object_get(order, "shipment"), "tracking")
			? ndjson_str(
			      json_object_get(order, "shipment"), "tracking")
			: "",
		    high, d);
		ledger_review_task(u->ledger, key, reason);
	}
	json_decref(order);
}

/*
 * How many of the SKU of asked[from] the request asks back on that line
 * and the ones after it: a request may list one SKU on several lines.
 * The sum stops at LLONG_MAX rather than overflow.
 */
static json_int_t
asked_now(json_t *asked, size_t from)
{
	const char *sku = ndjson_str(json_array_get(asked, from), "sku");
	json_int_t n = 0, q;
	size_t i;
	json_t *a;

	for (i = from; i < json_array_size(asked); i++) {
		a = json_array_get(asked, i);
		if (strcmp(ndjson_str(a, "sku"), sku) != 0)
			continue;
		q = json_integer_value(json_object_get(a, "qty"));
		n = q > LLONG_MAX - n ? LLONG_MAX : n + q;
	}
	return n;
}

/* 1 if a line before asked[i] has its SKU: it was counted there. */
static int
counted(json_t *asked, size_t i)
{
	const char *sku = ndjson_str(json_array_get(asked, i), "sku");
	size_t j;

	for (j = 0; j < i; j++)
		if (strcmp(ndjson_str(json_array_get(asked, j), "sku"), sku) ==
		    0)
			return 1;
	return 0;
}

/*
 * The lines asked back, checked against what the order shipped and
 * what was asked back before, each SKU's lines together: a new array
 * with names, or NULL and why.
 */
static json_t *
return_lines(
    struct aftercare *u, json_t *order, json_t *asked, char *why, size_t whylen)
{
	const char *source = ndjson_str(order, "source");
	const char *id = ndjson_str(order, "order_id");
	json_t *out = json_array(), *a, *l, *match;
	json_int_t qty, had;
	size_t i, j;

	if (json_array_size(asked) == 0) {
		snprintf(why, whylen, "no lines to return");
		goto bad;
	}
	json_array_foreach(asked, i, a)
	{
		if (ndjson_str(a, "sku") == NULL ||
		    json_integer_value(json_object_get(a, "qty")) < 1) {
			snprintf(why, whylen,
			    "line %zu: needs a sku and a qty of 1 or more",
			    i + 1);
			goto bad;
		}
	}
	json_array_foreach(asked, i, a)
	{
		const char *sku = ndjson_str(a, "sku");

		had = 0;
		match = NULL;
		json_array_foreach(json_object_get(order, "lines"), j, l)
		{
			if (ndjson_str(l, "sku") != NULL &&
			    strcmp(ndjson_str(l, "sku"), sku) == 0) {
				had += json_integer_value(
				    json_object_get(l, "qty"));
				match = l;
			}
		}
		if (match == NULL) {
			snprintf(
			    why, whylen, "SKU %s was not in order %s", sku, id);
			goto bad;
		}
		had -= ledger_rma_asked(u->ledger, source, id, sku);
		if (had < 0)
			had = 0;
		if (!counted(asked, i) && (qty = asked_now(asked, i)) > had) {
			snprintf(why, whylen,
			    "SKU %s: %lld asked back, %lld left to return", sku,
			    (long long)qty, (long long)had);
			goto bad;
		}
		json_array_append_new(
		    out, json_pack("{s:s,s:O?,s:O}", "sku", sku, "name",
			     json_object_get(match, "name"), "qty",
			     json_object_get(a, "qty")));
	}
	return out;
bad:
	json_decref(out);
	return NULL;
}

/* When the order was delivered (or, failing that, left); -1: never. */
static int64_t
delivered_at(json_t *order)
{
	struct when w;
	const char *t = ndjson_str(json_object_get(order, "delivery"), "at");

	if (t == NULL)
		t = ndjson_str(
		    json_object_get(order, "dispatch"), "dispatched_at");
	return t != NULL && when_parse(t, &w) == 0 ? w.t : -1;
}

/*
 * The replacement of an exchange: a new order from source "exchange",
 * accepted into the ledger with its promise, so that pick-list takes
 * it at once, without waiting for the return.
 */
static void
replacement(struct aftercare *u, json_t *order, json_t *ret, const char *rma)
{
	json_t *o, *lines = json_array(), *l;
	char why[512], *text;
	size_t i, len;

	json_array_foreach(
	    json_object_get(ret, "lines"), i, l) json_array_append_new(lines,
	    json_pack("{s:O,s:O?,s:O,s:i}", "sku", json_object_get(l, "sku"),
		"name", json_object_get(l, "name"), "qty",
		json_object_get(l, "qty"), "unit_price", 0));
	o = json_pack("{s:s,s:s,s:{s:O,s:O,s:s},s:O?,s:O?,s:O?,s:o,s:i,"
		      "s:{s:s},s:O?,s:s}",
	    "order_id", rma, "source", "exchange", "exchange_of", "source",
	    json_object_get(order, "source"), "order_id",
	    json_object_get(order, "order_id"), "rma", rma, "currency",
	    json_object_get(order, "currency"), "customer",
	    json_object_get(order, "customer"), "ship_to",
	    json_object_get(order, "ship_to"), "lines", lines, "total", 0,
	    "payment", "method", "prepaid", "service",
	    json_object_get(order, "service"), "status",
	    status_name(ST_ACCEPTED));
	ndjson_set_time(o, "placed_at", u->now.t, u->cfg->tz);
	if (promise_make(u->cfg, o, NULL, why, sizeof why) == -1)
		err_warn("exchange %s: no promise: %s", rma, why);
	text = ndjson_dump(o, &len);
	ledger_order_put(u->ledger, "exchange", rma, status_name(ST_ACCEPTED),
	    text, len, NULL, 1, 1);
	ledger_order_claim_like(u->ledger, "exchange", rma,
	    ndjson_str(order, "source"), ndjson_str(order, "order_id"));
	free(text);
	ledger_event(u->ledger, "exchange", rma, "accepted",
	    ndjson_str(order, "order_id"));
	json_array_append_new(u->out, o);
}

/* A return or exchange request: checked, an RMA, and what follows. */
static void
request(struct aftercare *u, json_t *rq, const char *file, long line,
    const char *raw, size_t len)
{
	const struct followup_cfg *f = &u->cfg->followup;
	const char *kind = ndjson_str(rq, "kind"),
		   *reason = ndjson_str(rq, "reason"),
		   *code = ndjson_str(rq, "reason_code");
	const struct return_reason *why_code;
	const char *source, *id, *status, *carrier;
	const struct carrier *k;
	char why[512], key[DIGEST_HEX_LEN], rma[32], *text, *ltext;
	json_t *order, *lines, *ret;
	struct ledger_rma row;
	int64_t when;
	int damaged;
	size_t tlen;

	u->returns++;
	if (kind == NULL ||
	    (strcmp(kind, "return") != 0 && strcmp(kind, "exchange") != 0)) {
		aftercare_reject(
		    u, file, line, raw, len, "kind must be return or exchange");
		return;
	}
	if ((reason == NULL || *reason == '\0') && code == NULL) {
		aftercare_reject(u, file, line, raw, len,
		    "a request needs a reason or a reason_code");
		return;
	}
	if ((why_code = returns_reason(u->cfg, code, reason)) == NULL) {
		aftercare_reject(u, file, line, raw, len,
		    "reason_code '%s' is not one of returns.reasons", code);
		return;
	}
	if (reason == NULL)
		reason = "";
	if ((order = find_order(u, rq, why, sizeof why)) == NULL) {
		aftercare_reject(u, file, line, raw, len, "%s", why);
		return;
	}
	source = ndjson_str(order, "source");
	id = ndjson_str(order, "order_id");
	status = ndjson_str(order, "status");
	if (status_parse(status) != ST_DELIVERED &&
	    status_parse(status) != ST_EXCEPTION) {
		aftercare_reject(u, file, line, raw, len,
		    "order %s: not delivered (status %s)", id,
		    status ? status : "none");
		goto out;
	}
	when = delivered_at(order);
	if (when >= 0 &&
	    u->now.t > when + (int64_t)f->return_window_days * 86400) {
		aftercare_reject(u, file, line, raw, len,
		    "order %s: the %d-day return window has closed", id,
		    f->return_window_days);
		goto out;
	}
	digest_json(rq, key);
	if (ledger_rma_known(u->ledger, key)) {
		u->dup++;
		goto out;
	}
	if ((lines = return_lines(u, order, json_object_get(rq, "lines"), why,
		 sizeof why)) == NULL) {
		aftercare_reject(
		    u, file, line, raw, len, "order %s: %s", id, why);
		goto out;
	}
	snprintf(rma, sizeof rma, "RMA-%06lld",
	    (long long)ledger_rma_next(u->ledger));
	damaged = has_word(reason, f->damaged, f->ndamaged) ||
		  strcmp(why_code->code, "damaged") == 0;
	carrier = ndjson_str(json_object_get(order, "shipment"), "carrier");
	k = config_carrier(u->cfg, carrier);
	ret = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:O}", "type", "return",
	    "rma", rma, "kind", kind, "source", source, "order_id", id,
	    "reason", reason, "damaged", damaged, "lines", lines);
	if (carrier != NULL)
		json_object_set_new(ret, "carrier", json_string(carrier));
	json_object_set_new(ret, "service",
	    json_string(k != NULL && ndjson_str(k->json, "return_service")
			    ? ndjson_str(k->json, "return_service")
			    : "standard"));
	json_object_set(ret, "ship_from", json_object_get(order, "ship_to"));
	if (u->cfg->return_address != NULL)
		json_object_set(ret, "ship_to", u->cfg->return_address);
	json_object_set_new(ret, "reason_code", json_string(why_code->code));
	json_object_set_new(ret, "status", json_string("requested"));
	ndjson_set_time(ret, "created_at", u->now.t, u->cfg->tz);
	text = ndjson_dump(ret, &tlen);
	ltext = json_dumps(lines, JSON_COMPACT);
	row.id = rma;
	row.key = key;
	row.source = source;
	row.order_id = id;
	row.kind = kind;
	row.reason = reason;
	row.reason_code = why_code->code;
	row.damaged = damaged;
	row.lines = ltext;
	row.replacement = strcmp(kind, "exchange") == 0 ? rma : NULL;
	row.record = text;
	row.len = tlen;
	row.at = u->now.t;
	ledger_rma_add(u->ledger, &row);
	/* label --return --pending finds it here. */
	ledger_order_put(u->ledger, "rma", rma,
	    status_name(ST_RETURN_REQUESTED), text, tlen, NULL, 0, 0);
	ledger_order_claim_like(u->ledger, "rma", rma, source, id);
	ledger_event(u->ledger, source, id, kind, rma);
	free(text);
	free(ltext);
	json_array_append(u->out, ret);
	if (strcmp(kind, "exchange") == 0) {
		replacement(u, order, ret, rma);
		u->exchanges++;
	}
	if (damaged) {
		char tkey[64], r2[600];
		json_t *d;

		snprintf(r2, sizeof r2, "%s %s: %s", kind, rma, reason);
		d = aftercare_detail(
		    u, order, carrier ? carrier : "", status, r2);
		json_object_set_new(d, "order", order_summary(order));
		json_object_set(d, "lines", lines);
		snprintf(tkey, sizeof tkey, "replace_or_refund:%s", rma);
		tasks_open(u, "replace_or_refund", tkey, source, id, rma, 1, d);
	}
	json_decref(lines);
	json_decref(ret);
out:
	json_decref(order);
}

/*
 * The RMA's status a return parcel's tracking status makes: on its way
 * back until the warehouse has it; ST_NONE for a word that does not
 * move it (information received; exceptions, which staff chase).
 */
static enum status
return_status(const char *status)
{
	static const char *const back[] = {"in_transit", "out_for_delivery",
	    "attempt_fail", "available_for_pickup"};
	size_t i;

	if (strcmp(status, "delivered") == 0)
		return ST_RETURN_RECEIVED;
	for (i = 0; i < sizeof back / sizeof back[0]; i++)
		if (strcmp(status, back[i]) == 0)
			return ST_RETURN_IN_TRANSIT;
	return ST_NONE;
}

/*
 * Received: the customer is told about the order the return is of (the
 * RMA's record has no customer to write to), and staff inspect what
 * came back; a damaged one first.
 */
static void
return_received(struct aftercare *u, json_t *ret, const char *carrier,
    const char *tracking, int64_t t, json_t *ev)
{
	const char *rma = ndjson_str(ret, "rma");
	const char *source = ndjson_str(ret, "source");
	const char *id = ndjson_str(ret, "order_id");
	int damaged = json_is_true(json_object_get(ret, "damaged"));
	char key[300], reason[600];
	json_t *n, *order, *d;

	ledger_event(u->ledger, source, id, "return.received", rma);
	snprintf(key, sizeof key, "return_received:%s", rma);
	n = aftercare_notice_new("return_received", key, source, id, tracking);
	json_object_set_new(n, "rma", json_string(rma));
	ndjson_set_time(n, "occurred_at", t, u->cfg->tz);
	if (ndjson_str(ev, "message") != NULL)
		json_object_set(n, "message", json_object_get(ev, "message"));
	/* A provider's own words (lib/provider), as other notices keep them. */
	if (json_is_object(json_object_get(ev, "provider")))
		json_object_set(n, "provider", json_object_get(ev, "provider"));
	aftercare_notice(u, n);
	if ((order = aftercare_order(u, source, id)) == NULL)
		return;
	snprintf(reason, sizeof reason, "%s %s received: %s",
	    ndjson_str(ret, "kind") ? ndjson_str(ret, "kind") : "return", rma,
	    ndjson_str(ret, "reason") ? ndjson_str(ret, "reason") : "");
	d = aftercare_detail(u, order, carrier,
	    ndjson_str(order, "status") ? ndjson_str(order, "status") : "",
	    reason);
	json_object_set_new(d, "rma", json_string(rma));
	json_object_set(d, "kind", json_object_get(ret, "kind"));
	json_object_set_new(d, "damaged", json_boolean(damaged));
	json_object_set(d, "lines", json_object_get(ret, "lines"));
	json_object_set_new(d, "order", order_summary(order));
	snprintf(key, sizeof key, "inspect_return:%s", rma);
	tasks_open(u, "inspect_return", key, source, id, tracking, damaged, d);
	json_decref(order);
}

/*
 * Trouble on the way back (an exception, or the parcel sent back to the
 * customer): staff chase the carrier, once per parcel and word; the
 * customer, who sent it, hears nothing from us yet.
 */
static void
return_trouble(struct aftercare *u, json_t *ret, const char *carrier,
    const char *tracking, const char *status, json_t *ev)
{
	const char *rma = ndjson_str(ret, "rma");
	const char *sub = ndjson_str(ev, "substatus");
	const char *msg = ndjson_str(ev, "message");
	char key[300], reason[600];
	json_t *order, *d;

	if ((order = aftercare_order(u, ndjson_str(ret, "source"),
		 ndjson_str(ret, "order_id"))) == NULL)
		return;
	snprintf(reason, sizeof reason,
	    "return %s on its way back: carrier reports %s%s%s", rma,
	    sub != NULL ? sub : status, msg != NULL ? ": " : "",
	    msg != NULL ? msg : "");
	d = aftercare_detail(u, order, carrier, status, reason);
	json_object_set_new(d, "rma", json_string(rma));
	json_object_set(d, "lines", json_object_get(ret, "lines"));
	snprintf(key, sizeof key, "return_%s:%s", status, tracking);
	tasks_open(u, "carrier_chase", key, ndjson_str(ret, "source"),
	    ndjson_str(ret, "order_id"), tracking, 0, d);
	json_decref(order);
}

void
feedback_return_parcel(struct aftercare *u, const char *rma,
    const char *carrier, const char *tracking, const char *status, int64_t t,
    json_t *ev)
{
	enum status to = return_status(status), from;
	json_t *ret = aftercare_order(u, "rma", rma);
	char *text;
	size_t len;

	ledger_event(u->ledger, "rma", rma, "tracking", status);
	if (ret == NULL)
		return;
	/*
	 * Never back, and received once: a parcel delivered again after an
	 * exception is not a second return.
	 */
	from = status_parse(ndjson_str(ret, "status"));
	if (from != ST_RETURN_RECEIVED && (strcmp(status, "exception") == 0 ||
					      strcmp(status, "returned") == 0))
		return_trouble(u, ret, carrier, tracking, status, ev);
	if (to == ST_NONE || from == to || !status_may(from, to)) {
		json_decref(ret);
		return;
	}
	json_object_set_new(ret, "status", json_string(status_name(to)));
	if (to == ST_RETURN_RECEIVED)
		ndjson_set_time(ret, "received_at", t, u->cfg->tz);
	text = ndjson_dump(ret, &len);
	ledger_order_put(
	    u->ledger, "rma", rma, status_name(to), text, len, NULL, 0, 0);
	free(text);
	if (to == ST_RETURN_RECEIVED)
		return_received(u, ret, carrier, tracking, t, ev);
	json_decref(ret);
}

/* A CSV of reviews or requests: each header names a field. */
static void
records_csv(struct aftercare *u, struct input *in, aftercare_fn *fn)
{
	struct csvrow *row;
	struct csvin *c;
	char why[256];
	json_t *rec;
	size_t i, n;

	if ((c = csvin_open(in, ',', why, sizeof why)) == NULL)
		err_exit(EXIT_TROUBLE, "%s: %s", input_name(in), why);
	n = csvin_ncolumns(c);
	/* Every column is a field of the record: none may come twice. */
	for (i = 0; i < n; i++)
		if (csvin_column(c, csvin_column_name(c, i)) == CSVIN_TWICE &&
		    *csvin_column_name(c, i) != '\0')
			aftercare_csv_stop(c,
			    "%s: column '%s' appears twice in the header",
			    input_name(in), csvin_column_name(c, i));
	while (aftercare_csv_row(u, in, c, &row)) {
		rec = json_object();
		for (i = 0; i < n && i < row->nf; i++)
			if (*row->f[i] != '\0')
				json_object_set_new(rec,
				    csvin_column_name(c, i),
				    json_string(row->f[i]));
		fn(u, rec, input_name(in), row->line, row->raw, row->rawlen);
		json_decref(rec);
		aftercare_next(u);
	}
	csvin_close(c);
}

/* --reviews and --returns: NDJSON, or CSV when the name ends in .csv. */
static void
read_all(struct aftercare *u, const char *type, aftercare_fn *fn, char **paths,
    size_t n)
{
	struct input *in;
	size_t i, len;

	for (i = 0; i < n; i++) {
		if ((in = input_open(paths[i])) == NULL)
			err_exit_sys(
			    EXIT_TROUBLE, "cannot open '%s'", paths[i]);
		len = strlen(paths[i]);
		if (len > 4 && strcasecmp(paths[i] + len - 4, ".csv") == 0)
			records_csv(u, in, fn);
		else
			aftercare_read(u, in, type, fn);
		input_close(in);
	}
}

void
feedback_reviews(struct aftercare *u, char **paths, size_t n)
{
	read_all(u, "review", review, paths, n);
}

void
feedback_returns(struct aftercare *u, char **paths, size_t n)
{
	read_all(u, "return", request, paths, n);
}
