#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aftercare.h"
#include "digest.h"
#include "err.h"
#include "ndjson.h"
#include "promise.h"

/*
 * The order a review or a request names, from the ledger: by source and
 * id, or by id alone when only one source has it.  NULL with why.
 */
static json_t *
find_order(struct aftercare *u, json_t *req, char *why, size_t whylen)
{
	const char *id = ndjson_str(req, "order_id");
	const char *source = ndjson_str(req, "source");
	sqlite3_stmt *st;
	char *found = NULL;
	json_t *order;
	int n = 0;

	if (id == NULL) {
		snprintf(why, whylen, "no order_id");
		return NULL;
	}
	st = ledger_prepare(u->ledger,
	    "SELECT source FROM orders WHERE order_id = ?1 AND (?2 IS NULL OR "
	    "source = ?2) AND source NOT IN ('rma') LIMIT 2");
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, source, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW)
		if (n++ == 0)
			found =
			    xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
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

/* Every tracking event of the order's parcels, oldest first. */
static json_t *
history(struct aftercare *u, const char *source, const char *id)
{
	sqlite3_stmt *st = ledger_prepare(u->ledger,
	    "SELECT e.tracking, e.status, e.occurred_at, e.message FROM "
	    "tracking_events e JOIN shipments s ON s.tracking = e.tracking "
	    "WHERE s.source = ?1 AND s.order_id = ?2 ORDER BY e.occurred_at, "
	    "e.id");
	json_t *h = json_array(), *e;

	sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		e = json_pack("{s:s,s:s}", "tracking",
		    (const char *)sqlite3_column_text(st, 0), "status",
		    (const char *)sqlite3_column_text(st, 1));
		ndjson_set_time(
		    e, "at", sqlite3_column_int64(st, 2), u->cfg->tz);
		if (sqlite3_column_type(st, 3) != SQLITE_NULL)
			json_object_set_new(e, "message",
			    json_string(
				(const char *)sqlite3_column_text(st, 3)));
		json_array_append_new(h, e);
	}
	sqlite3_finalize(st);
	return h;
}

/* A review: kept once; a negative one is a phone call for staff. */
void
aftercare_review(struct aftercare *u, json_t *rv, const char *file, long line,
    const char *raw, size_t len)
{
	const struct followup_cfg *f = &u->cfg->followup;
	json_t *r = json_object_get(rv, "rating"), *order, *d;
	const char *text = ndjson_str(rv, "text"), *at = ndjson_str(rv, "at");
	const char *source, *id, *carrier;
	char why[512], key[600], reason[700];
	json_int_t rating = 0;
	sqlite3_stmt *st;
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
	st = ledger_prepare(u->ledger,
	    "INSERT OR IGNORE INTO reviews (key, source, order_id, rating, "
	    "text, at, negative, created_at, run) VALUES (?1, ?2, ?3, ?4, ?5, "
	    "?6, ?7, ?8, ?9)");
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, id, -1, SQLITE_STATIC);
	if (r != NULL)
		sqlite3_bind_int64(st, 4, rating);
	sqlite3_bind_text(st, 5, text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, w.t);
	sqlite3_bind_int(st, 7, negative);
	sqlite3_bind_text(st, 8, ledger_stamp(u->ledger), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 9, ledger_run_id(u->ledger));
	ledger_step(u->ledger, st);
	sqlite3_finalize(st);
	if (sqlite3_changes(ledger_db(u->ledger)) == 0) {
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
		aftercare_task(u, "call_customer", reason, source, id,
		    ndjson_str(json_object_get(order, "shipment"), "tracking")
			? ndjson_str(
			      json_object_get(order, "shipment"), "tracking")
			: "",
		    high, d);
		st = ledger_prepare(u->ledger,
		    "UPDATE reviews SET task = (SELECT id FROM tasks WHERE key "
		    "= ?2) WHERE key = ?1");
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, reason, -1, SQLITE_STATIC);
		ledger_step(u->ledger, st);
		sqlite3_finalize(st);
	}
	json_decref(order);
}

/* How many of sku the order's earlier requests asked back already. */
static json_int_t
asked_before(
    struct aftercare *u, const char *source, const char *id, const char *sku)
{
	sqlite3_stmt *st = ledger_prepare(u->ledger,
	    "SELECT coalesce(sum(json_extract(l.value, '$.qty')), 0) FROM "
	    "rmas, json_each(rmas.lines) l WHERE rmas.source = ?1 AND "
	    "rmas.order_id = ?2 AND json_extract(l.value, '$.sku') = ?3");
	json_int_t n = 0;

	sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, sku, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
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
		had -= asked_before(u, source, id, sku);
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
	    json_object_get(order, "service"), "status", "accepted");
	ndjson_set_time(o, "placed_at", u->now.t, u->cfg->tz);
	if (promise_make(u->cfg, o, NULL, why, sizeof why) == -1)
		err_warn("exchange %s: no promise: %s", rma, why);
	text = ndjson_dump(o, &len);
	ledger_order_put(
	    u->ledger, "exchange", rma, "accepted", text, len, NULL, 1, 1);
	free(text);
	ledger_event(u->ledger, "exchange", rma, "accepted",
	    ndjson_str(order, "order_id"));
	json_array_append_new(u->out, o);
}

/* A return or exchange request: checked, an RMA, and what follows. */
void
aftercare_return(struct aftercare *u, json_t *rq, const char *file, long line,
    const char *raw, size_t len)
{
	const struct followup_cfg *f = &u->cfg->followup;
	const char *kind = ndjson_str(rq, "kind"),
		   *reason = ndjson_str(rq, "reason");
	const char *source, *id, *status, *carrier;
	const struct carrier *k;
	char why[512], key[DIGEST_HEX_LEN], rma[32], *text, *ltext;
	json_t *order, *lines, *ret;
	sqlite3_stmt *st;
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
	if (reason == NULL || *reason == '\0') {
		aftercare_reject(
		    u, file, line, raw, len, "a request needs a reason");
		return;
	}
	if ((order = find_order(u, rq, why, sizeof why)) == NULL) {
		aftercare_reject(u, file, line, raw, len, "%s", why);
		return;
	}
	source = ndjson_str(order, "source");
	id = ndjson_str(order, "order_id");
	status = ndjson_str(order, "status");
	if (status == NULL || (strcmp(status, "delivered") != 0 &&
				  strcmp(status, "exception") != 0)) {
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
	st = ledger_prepare(u->ledger, "SELECT id FROM rmas WHERE key = ?1");
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		u->dup++;
		sqlite3_finalize(st);
		goto out;
	}
	sqlite3_finalize(st);
	if ((lines = return_lines(u, order, json_object_get(rq, "lines"), why,
		 sizeof why)) == NULL) {
		aftercare_reject(
		    u, file, line, raw, len, "order %s: %s", id, why);
		goto out;
	}
	st = ledger_prepare(u->ledger, "SELECT count(*) + 1 FROM rmas");
	if (sqlite3_step(st) != SQLITE_ROW)
		err_exit(EXIT_TROUBLE, "ledger: cannot count returns");
	snprintf(rma, sizeof rma, "RMA-%06lld",
	    (long long)sqlite3_column_int64(st, 0));
	sqlite3_finalize(st);
	damaged = has_word(reason, f->damaged, f->ndamaged);
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
	json_object_set_new(ret, "status", json_string("requested"));
	ndjson_set_time(ret, "created_at", u->now.t, u->cfg->tz);
	text = ndjson_dump(ret, &tlen);
	ltext = json_dumps(lines, JSON_COMPACT);
	st = ledger_prepare(u->ledger,
	    "INSERT INTO rmas (id, key, source, order_id, kind, reason, "
	    "damaged, lines, replacement, record, created_at, at, run) VALUES "
	    "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
	sqlite3_bind_text(st, 1, rma, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, reason, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 7, damaged);
	sqlite3_bind_text(st, 8, ltext, -1, SQLITE_STATIC);
	if (strcmp(kind, "exchange") == 0)
		sqlite3_bind_text(st, 9, rma, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, text, (int)tlen, SQLITE_STATIC);
	sqlite3_bind_text(st, 11, ledger_stamp(u->ledger), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 12, u->now.t);
	sqlite3_bind_int64(st, 13, ledger_run_id(u->ledger));
	ledger_step(u->ledger, st);
	sqlite3_finalize(st);
	/* label --return --pending finds it here. */
	ledger_order_put(
	    u->ledger, "rma", rma, "return_requested", text, tlen, NULL, 0, 0);
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
		aftercare_task(
		    u, "replace_or_refund", tkey, source, id, rma, 1, d);
	}
	json_decref(lines);
	json_decref(ret);
out:
	json_decref(order);
}
