#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "config.h"
#include "err.h"
#include "kpi.h"
#include "ledger_int.h"
#include "ndjson.h"
#include "when.h"

/* A growing array of numbers, for percentiles and medians. */
struct nums {
	int64_t *v;
	size_t n, cap;
};

static void
push(struct nums *a, int64_t x)
{
	xgrow(&a->v, &a->cap, a->n + 1, sizeof *a->v);
	a->v[a->n++] = x;
}

static int
cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* The nearest-rank percentile p of a; a is sorted.  n > 0. */
static int64_t
pct(struct nums *a, int p)
{
	size_t k = (a->n * (size_t)p + 99) / 100;

	return a->v[k > 0 ? k - 1 : 0];
}

static double
ratio(long part, long whole)
{
	return whole > 0 ? 100.0 * (double)part / (double)whole : 0.0;
}

/* A percentage rounded to one decimal, as the report shows it. */
static json_t *
percent(long part, long whole)
{
	return whole > 0
		   ? json_real(
			 (double)(long)(ratio(part, whole) * 10 + 0.5) / 10)
		   : json_null();
}

/* An RFC 3339 time's day in the warehouse's zone; -1 if not a time. */
static int64_t
local_day(const char *s, const char *tz, int64_t *t)
{
	struct when w;

	if (s == NULL || when_parse(s, &w) == -1)
		return -1;
	if (t != NULL)
		*t = w.t;
	w = when_in_zone(w.t, tz);
	return when_day(&w);
}

struct day {
	long orders, shipped, on_time;
};

struct acc {
	const struct config *cfg;
	int64_t from, to;
	struct day *days;
	long orders, dispatched, on_time, delivered, kept;
	struct nums ots;
};

static void
orders(struct ledger *l, struct acc *a)
{
	sqlite3_stmt *st = ledger_prepare(l,
	    "SELECT json_extract(record, '$.placed_at'), "
	    "json_extract(record, '$.dispatch.dispatched_at'), "
	    "json_extract(record, '$.dispatch.order_to_ship_s'), "
	    "json_extract(record, '$.dispatch.late'), "
	    "json_extract(record, '$.promise.deliver_by'), "
	    "json_extract(record, '$.delivery.at'), status FROM orders WHERE "
	    "source NOT IN ('rma', 'exchange')");
	const char *tz = a->cfg->tz;
	int64_t day, d2, at, by;

	while (sqlite3_step(st) == SQLITE_ROW) {
		day = local_day(
		    (const char *)sqlite3_column_text(st, 0), tz, NULL);
		if (day < a->from || day > a->to)
			continue;
		a->orders++;
		a->days[day - a->from].orders++;
		if (sqlite3_column_type(st, 1) != SQLITE_NULL) {
			int late = sqlite3_column_int(st, 3);

			a->dispatched++;
			a->on_time += !late;
			d2 = local_day(
			    (const char *)sqlite3_column_text(st, 1), tz, NULL);
			if (d2 >= a->from && d2 <= a->to) {
				a->days[d2 - a->from].shipped++;
				a->days[d2 - a->from].on_time += !late;
			}
		}
		if (sqlite3_column_type(st, 2) == SQLITE_INTEGER)
			push(&a->ots, sqlite3_column_int64(st, 2));
		if (strcmp((const char *)sqlite3_column_text(st, 6),
			"delivered") == 0 &&
		    local_day((const char *)sqlite3_column_text(st, 5), tz,
			&at) >= 0) {
			a->delivered++;
			if (local_day((const char *)sqlite3_column_text(st, 4),
				tz, &by) >= 0 &&
			    at <= by)
				a->kept++;
		}
	}
	sqlite3_finalize(st);
}

/*
 * Delays caught: chases opened for the period's orders, by why, and
 * those opened before the order's deliver_by.
 */
static json_t *
caught(struct ledger *l, struct acc *a)
{
	sqlite3_stmt *st = ledger_prepare(l,
	    "SELECT t.key, t.created_at, json_extract(o.record, "
	    "'$.promise.deliver_by'), json_extract(o.record, '$.placed_at') "
	    "FROM tasks t JOIN orders o ON o.source = t.source AND o.order_id "
	    "= t.order_id WHERE t.kind = 'carrier_chase'");
	long stalls = 0, risk = 0, before = 0;
	int64_t made, by, day;

	while (sqlite3_step(st) == SQLITE_ROW) {
		day = local_day(
		    (const char *)sqlite3_column_text(st, 3), a->cfg->tz, NULL);
		if (day < a->from || day > a->to)
			continue;
		if (strncmp((const char *)sqlite3_column_text(st, 0),
			"stall:", 6) == 0)
			stalls++;
		else
			risk++;
		if (local_day((const char *)sqlite3_column_text(st, 1),
			a->cfg->tz, &made) >= 0 &&
		    local_day((const char *)sqlite3_column_text(st, 2),
			a->cfg->tz, &by) >= 0 &&
		    made <= by)
			before++;
	}
	sqlite3_finalize(st);
	return json_pack("{s:i,s:i,s:i}", "stalls", (int)stalls, "at_risk",
	    (int)risk, "before_deliver_by", (int)before);
}

static json_t *
exceptions(struct ledger *l, const struct config *cfg, const char *from,
    const char *to)
{
	sqlite3_stmt *st = ledger_prepare(l,
	    "SELECT m.carrier, count(*), sum(EXISTS (SELECT 1 FROM "
	    "tracking_events e WHERE e.tracking = mp.tracking AND e.status = "
	    "'exception')) FROM manifest_parcels mp JOIN manifests m ON m.id "
	    "= mp.manifest WHERE m.ship_date BETWEEN ?1 AND ?2 GROUP BY "
	    "m.carrier ORDER BY m.carrier");
	json_t *a = json_array();

	sqlite3_bind_text(st, 1, from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, to, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *code = (const char *)sqlite3_column_text(st, 0);
		const struct carrier *k = config_carrier(cfg, code);
		long n = sqlite3_column_int64(st, 1);
		long x = sqlite3_column_int64(st, 2);

		json_array_append_new(a,
		    json_pack("{s:s,s:s,s:i,s:i,s:o}", "carrier", code, "name",
			k != NULL && k->name != NULL ? k->name : code,
			"parcels", (int)n, "exceptions", (int)x, "pct",
			percent(x, n)));
	}
	sqlite3_finalize(st);
	return a;
}

static json_t *
reviews(struct ledger *l, struct acc *a)
{
	sqlite3_stmt *st = ledger_prepare(l,
	    "SELECT r.rating, r.negative, r.at, t.status, t.created_at, "
	    "t.done_at FROM reviews r LEFT JOIN tasks t ON t.id = r.task");
	long n = 0, rated = 0, sum = 0, neg = 0, called = 0;
	struct nums hours = {NULL, 0, 0};
	int64_t day, made, done;
	json_t *o;

	while (sqlite3_step(st) == SQLITE_ROW) {
		struct when w =
		    when_in_zone(sqlite3_column_int64(st, 2), a->cfg->tz);

		day = when_day(&w);
		if (day < a->from || day > a->to)
			continue;
		n++;
		if (sqlite3_column_type(st, 0) != SQLITE_NULL) {
			rated++;
			sum += sqlite3_column_int(st, 0);
		}
		if (!sqlite3_column_int(st, 1))
			continue;
		neg++;
		if (sqlite3_column_type(st, 3) != SQLITE_NULL &&
		    strcmp((const char *)sqlite3_column_text(st, 3), "done") ==
			0) {
			called++;
			if (local_day((const char *)sqlite3_column_text(st, 4),
				a->cfg->tz, &made) >= 0 &&
			    local_day((const char *)sqlite3_column_text(st, 5),
				a->cfg->tz, &done) >= 0)
				push(&hours, done - made);
		}
	}
	sqlite3_finalize(st);
	o = json_pack("{s:i,s:i,s:i}", "n", (int)n, "negative", (int)neg,
	    "called_back", (int)called);
	json_object_set_new(o, "average",
	    rated > 0
		? json_real(
		      (double)(long)((double)sum / (double)rated * 10 + 0.5) /
		      10)
		: json_null());
	json_object_set_new(o, "called_back_pct", percent(called, neg));
	if (hours.n > 0) {
		qsort(hours.v, hours.n, sizeof *hours.v, cmp64);
		json_object_set_new(o, "median_hours_to_call",
		    json_real(
			(double)(long)((double)pct(&hours, 50) / 360.0 + 0.5) /
			10));
	} else
		json_object_set_new(o, "median_hours_to_call", json_null());
	free(hours.v);
	return o;
}

static json_t *
returns(struct ledger *l, struct acc *a)
{
	sqlite3_stmt *st = ledger_prepare(l,
	    "SELECT r.kind, r.reason, json_extract(o.record, '$.placed_at') "
	    "FROM rmas r JOIN orders o ON o.source = r.source AND o.order_id "
	    "= r.order_id ORDER BY r.reason");
	json_t *by = json_array(), *last = NULL;
	long ret = 0, exch = 0;
	int64_t day;
	size_t i;

	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *reason = (const char *)sqlite3_column_text(st, 1);

		day = local_day(
		    (const char *)sqlite3_column_text(st, 2), a->cfg->tz, NULL);
		if (day < a->from || day > a->to)
			continue;
		if (strcmp((const char *)sqlite3_column_text(st, 0),
			"exchange") == 0)
			exch++;
		else
			ret++;
		if (last != NULL &&
		    strcmp(ndjson_str(last, "reason"), reason) == 0)
			json_object_set_new(last, "n",
			    json_integer(
				json_integer_value(json_object_get(last, "n")) +
				1));
		else {
			last = json_pack("{s:s,s:i}", "reason", reason, "n", 1);
			json_array_append_new(by, last);
		}
	}
	sqlite3_finalize(st);
	/* Each reason's rate, of the period's orders. */
	json_array_foreach(by, i, last) json_object_set_new(last, "pct",
	    percent((long)json_integer_value(json_object_get(last, "n")),
		a->orders));
	return json_pack("{s:i,s:i,s:i,s:o,s:o}", "orders", (int)a->orders,
	    "returns", (int)ret, "exchanges", (int)exch, "rate_pct",
	    percent(ret + exch, a->orders), "by_reason", by);
}

json_t *
kpi_compute(struct ledger *l, const struct config *cfg, int64_t from_day,
    int64_t to_day)
{
	struct acc a;
	char from[16], to[16], buf[16];
	json_t *k, *daily;
	int64_t d;

	memset(&a, 0, sizeof a);
	a.cfg = cfg;
	a.from = from_day;
	a.to = to_day;
	a.days = xcalloc((size_t)(to_day - from_day + 1), sizeof *a.days);
	day_format(from_day, from);
	day_format(to_day, to);
	orders(l, &a);
	k = json_pack("{s:s,s:s,s:s,s:s,s:s,s:i}", "type", "kpi", "warehouse",
	    cfg->wh_name ? cfg->wh_name : (cfg->wh_id ? cfg->wh_id : ""),
	    "from", from, "to", to, "currency",
	    cfg->currency ? cfg->currency : "", "orders", (int)a.orders);
	ndjson_set_time(k, "generated_at", when_now().t, cfg->tz);
	if (a.ots.n > 0) {
		qsort(a.ots.v, a.ots.n, sizeof *a.ots.v, cmp64);
		json_object_set_new(k, "order_to_ship",
		    json_pack("{s:i,s:I,s:I}", "n", (int)a.ots.n, "p50_s",
			(json_int_t)pct(&a.ots, 50), "p95_s",
			(json_int_t)pct(&a.ots, 95)));
	} else
		json_object_set_new(k, "order_to_ship",
		    json_pack("{s:i,s:n,s:n}", "n", 0, "p50_s", "p95_s"));
	json_object_set_new(k, "shipped_on_time",
	    json_pack("{s:i,s:i,s:o}", "n", (int)a.dispatched, "on_time",
		(int)a.on_time, "pct", percent(a.on_time, a.dispatched)));
	json_object_set_new(k, "promise_kept",
	    json_pack("{s:i,s:i,s:o}", "n", (int)a.delivered, "kept",
		(int)a.kept, "pct", percent(a.kept, a.delivered)));
	json_object_set_new(k, "caught", caught(l, &a));
	json_object_set_new(
	    k, "exceptions_by_carrier", exceptions(l, cfg, from, to));
	json_object_set_new(k, "reviews", reviews(l, &a));
	json_object_set_new(k, "returns", returns(l, &a));
	daily = json_array();
	for (d = from_day; d <= to_day; d++)
		json_array_append_new(daily,
		    json_pack("{s:s,s:i,s:i,s:i}", "day", day_format(d, buf),
			"orders", (int)a.days[d - from_day].orders, "shipped",
			(int)a.days[d - from_day].shipped, "on_time",
			(int)a.days[d - from_day].on_time));
	json_object_set_new(k, "daily", daily);
	free(a.days);
	free(a.ots.v);
	return k;
}
