#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "err.h"
#include "kpi.h"
#include "ledger_cod.h"
#include "ledger_kpi.h"
#include "money.h"
#include "ndjson.h"
#include "returns.h"
#include "status.h"
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

/* What the period's rows add up to, as they are read. */
struct acc {
	const struct config *cfg;
	int64_t from, to;
	struct day *days;
	long orders, dispatched, on_time, delivered, kept;
	struct nums ots;
	long stalls, risk, before;
	long reviews, rated, rating_sum, negative, called;
	struct nums hours;
	long returns, exchanges;
	json_t *by_reason;
	long pickups, ready, collected, waiting;
	struct nums to_ready;
	json_t *splits; /* source \x1f order -> its parts (lib/split) */
	long backorders, bo_waiting;
};

/*
 * A pickup order (lib/pickup): ready at the counter, collected, or
 * still waiting there; how long from placed to ready.
 */
static void
pickup(struct acc *a, const struct ledger_kpi_order *o)
{
	int64_t placed, ready;

	a->pickups++;
	if (o->ready_at != NULL) {
		a->ready++;
		if (local_day(o->placed_at, a->cfg->tz, &placed) >= 0 &&
		    local_day(o->ready_at, a->cfg->tz, &ready) >= 0)
			push(&a->to_ready, ready - placed);
	}
	a->collected += status_parse(o->status) == ST_COLLECTED;
	a->waiting += status_parse(o->status) == ST_READY_FOR_PICKUP;
}

/*
 * A part of an order shipped in parts (lib/split), listed under its
 * order; a backorder not dispatched nor cancelled is still waiting.
 */
static void
split_part(struct acc *a, const struct ledger_kpi_order *o)
{
	json_t *parts;
	char *key;
	enum status st = status_parse(o->status);

	xasprintf(&key, "%s\037%s", o->source, o->split_of);
	if ((parts = json_object_get(a->splits, key)) == NULL) {
		parts = json_array();
		json_object_set_new(a->splits, key,
		    json_pack("{s:s,s:s,s:o}", "order_id", o->split_of,
			"source", o->source, "parts", parts));
	} else
		parts = json_object_get(parts, "parts");
	free(key);
	json_array_append_new(parts,
	    json_pack("{s:s,s:i,s:s,s:s?,s:b}", "order_id", o->order_id, "part",
		o->part, "status", o->status, "dispatched_at", o->dispatched_at,
		"late", o->dispatched_at != NULL && o->late));
	if (o->part > 1) {
		a->backorders++;
		a->bo_waiting += o->dispatched_at == NULL && st != ST_CANCELLED;
	}
}

/* The split orders: counts, and each with its parts. */
static json_t *
splits(struct acc *a)
{
	json_t *list = json_array(), *v;
	const char *key;

	json_object_foreach(a->splits, key, v) json_array_append(list, v);
	return json_pack("{s:I,s:I,s:I,s:o}", "orders",
	    (json_int_t)json_object_size(a->splits), "backorders",
	    (json_int_t)a->backorders, "waiting", (json_int_t)a->bo_waiting,
	    "list", list);
}

/*
 * An order counts once, on the day it was placed; each of its shipments
 * (a split order's parts, lib/split) counts as dispatched, on time or
 * not, and delivered in time or not, on its own.
 */
static void
order(void *arg, const struct ledger_kpi_order *o)
{
	struct acc *a = arg;
	const char *tz = a->cfg->tz;
	int64_t day, d2, at, by;

	day = local_day(o->placed_at, tz, NULL);
	if (day < a->from || day > a->to)
		return;
	if (o->part <= 1) {
		a->orders++;
		a->days[day - a->from].orders++;
	}
	if (o->split_of != NULL)
		split_part(a, o);
	if (o->dispatched_at != NULL) {
		a->dispatched++;
		a->on_time += !o->late;
		d2 = local_day(o->dispatched_at, tz, NULL);
		if (d2 >= a->from && d2 <= a->to) {
			a->days[d2 - a->from].shipped++;
			a->days[d2 - a->from].on_time += !o->late;
		}
	}
	if (o->has_order_to_ship)
		push(&a->ots, o->order_to_ship_s);
	if (o->service != NULL && strcmp(o->service, "pickup") == 0)
		pickup(a, o);
	if (status_parse(o->status) == ST_DELIVERED &&
	    local_day(o->delivered_at, tz, &at) >= 0) {
		a->delivered++;
		if (local_day(o->deliver_by, tz, &by) >= 0 && at <= by)
			a->kept++;
	}
}

static void
chase(void *arg, const struct ledger_kpi_chase *c)
{
	struct acc *a = arg;
	int64_t made, by, day;

	day = local_day(c->placed_at, a->cfg->tz, NULL);
	if (day < a->from || day > a->to)
		return;
	if (strncmp(c->key, "stall:", 6) == 0)
		a->stalls++;
	else
		a->risk++;
	if (local_day(c->created_at, a->cfg->tz, &made) >= 0 &&
	    local_day(c->deliver_by, a->cfg->tz, &by) >= 0 && made <= by)
		a->before++;
}

/*
 * Delays caught: chases opened for the period's orders, by why, and
 * those opened before the order's deliver_by.
 */
static json_t *
caught(struct ledger *l, struct acc *a)
{
	ledger_kpi_chases(l, chase, a);
	return json_pack("{s:i,s:i,s:i}", "stalls", (int)a->stalls, "at_risk",
	    (int)a->risk, "before_deliver_by", (int)a->before);
}

struct carriers {
	const struct config *cfg;
	json_t *a;
};

static void
carrier(void *arg, const struct ledger_kpi_carrier *c)
{
	struct carriers *cs = arg;
	const struct carrier *k = config_carrier(cs->cfg, c->carrier);

	json_array_append_new(cs->a,
	    json_pack("{s:s,s:s,s:i,s:i,s:o}", "carrier", c->carrier, "name",
		k != NULL && k->name != NULL ? k->name : c->carrier, "parcels",
		(int)c->parcels, "exceptions", (int)c->exceptions, "pct",
		percent(c->exceptions, c->parcels)));
}

static json_t *
exceptions(struct ledger *l, const struct config *cfg, const char *from,
    const char *to)
{
	struct carriers cs = {cfg, json_array()};

	ledger_kpi_exceptions(l, from, to, carrier, &cs);
	return cs.a;
}

static void
review(void *arg, const struct ledger_kpi_review *r)
{
	struct acc *a = arg;
	struct when w = when_in_zone(r->at, a->cfg->tz);
	int64_t day, made, done;

	day = when_day(&w);
	if (day < a->from || day > a->to)
		return;
	a->reviews++;
	if (r->rated) {
		a->rated++;
		a->rating_sum += r->rating;
	}
	if (!r->negative)
		return;
	a->negative++;
	if (r->called) {
		a->called++;
		if (local_day(r->task_created_at, a->cfg->tz, &made) >= 0 &&
		    local_day(r->task_done_at, a->cfg->tz, &done) >= 0)
			push(&a->hours, done - made);
	}
}

static json_t *
reviews(struct ledger *l, struct acc *a)
{
	json_t *o;

	ledger_kpi_reviews(l, review, a);
	o = json_pack("{s:i,s:i,s:i}", "n", (int)a->reviews, "negative",
	    (int)a->negative, "called_back", (int)a->called);
	json_object_set_new(o, "average",
	    a->rated > 0 ? json_real((double)(long)((double)a->rating_sum /
							(double)a->rated * 10 +
						    0.5) /
				     10)
			 : json_null());
	json_object_set_new(
	    o, "called_back_pct", percent(a->called, a->negative));
	if (a->hours.n > 0) {
		qsort(a->hours.v, a->hours.n, sizeof *a->hours.v, cmp64);
		json_object_set_new(o, "median_hours_to_call",
		    json_real(
			(double)(long)((double)pct(&a->hours, 50) / 360.0 +
				       0.5) /
			10));
	} else
		json_object_set_new(o, "median_hours_to_call", json_null());
	return o;
}

/*
 * A request, counted under its reason's code; an RMA made before codes
 * were kept gets the one its words find now.
 */
static void
request(void *arg, const struct ledger_kpi_return *r)
{
	struct acc *a = arg;
	int64_t day = local_day(r->placed_at, a->cfg->tz, NULL);
	const char *code = r->reason_code;

	if (day < a->from || day > a->to)
		return;
	if (strcmp(r->kind, "exchange") == 0)
		a->exchanges++;
	else
		a->returns++;
	if (code == NULL)
		code = returns_reason(a->cfg, NULL, r->reason)->code;
	json_object_set_new(a->by_reason, code,
	    json_integer(
		json_integer_value(json_object_get(a->by_reason, code)) + 1));
}

/*
 * The period's returns and exchanges; by reason in the order of
 * returns.reasons, each with its labels (a code no longer configured
 * is its own label).
 */
static json_t *
returns(struct ledger *l, struct acc *a)
{
	const struct returns_cfg *rc = &a->cfg->returns;
	json_t *by = json_array(), *n;
	const struct return_reason *r;
	const char *code;
	size_t i;

	a->by_reason = json_object();
	ledger_kpi_returns(l, request, a);
	for (i = 0; i < rc->nreasons; i++) {
		r = &rc->reasons[i];
		if ((n = json_object_get(a->by_reason, r->code)) == NULL)
			continue;
		json_array_append_new(
		    by, json_pack("{s:s,s:s,s:{s:s,s:s},s:O,s:o}", "reason",
			    r->code, "label", r->en, "labels", "en", r->en,
			    "zh-CN", r->zh_cn, "n", n, "pct",
			    percent((long)json_integer_value(n), a->orders)));
		json_object_del(a->by_reason, r->code);
	}
	json_object_foreach(a->by_reason, code, n) json_array_append_new(by,
	    json_pack("{s:s,s:s,s:O,s:o}", "reason", code, "label", code, "n",
		n, "pct", percent((long)json_integer_value(n), a->orders)));
	json_decref(a->by_reason);
	return json_pack("{s:i,s:i,s:i,s:o,s:o}", "orders", (int)a->orders,
	    "returns", (int)a->returns, "exchanges", (int)a->exchanges,
	    "rate_pct", percent(a->returns + a->exchanges, a->orders),
	    "by_reason", by);
}

struct cod {
	const struct config *cfg;
	json_t *rows;
	long open;
};

static void
cod_row(void *arg, const struct ledger_cod_carrier *c)
{
	struct cod *cs = arg;
	const struct carrier *k =
	    c->carrier != NULL ? config_carrier(cs->cfg, c->carrier) : NULL;
	json_t *r = json_object();

	json_object_set_new(r, "carrier",
	    c->carrier != NULL ? json_string(c->carrier) : json_null());
	json_object_set_new(r, "name",
	    k != NULL && k->name != NULL ? json_string(k->name)
	    : c->carrier != NULL         ? json_string(c->carrier)
					 : json_null());
	json_object_set_new(r, "currency",
	    c->currency != NULL ? json_string(c->currency) : json_null());
	json_object_set_new(r, "exponent",
	    json_integer(
		c->currency != NULL ? money_exponent(c->currency) : 0));
	json_object_set_new(r, "parcels", json_integer(c->parcels));
	json_object_set_new(r, "due", json_integer(c->due));
	json_object_set_new(r, "collected", json_integer(c->collected));
	json_object_set_new(r, "remitted", json_integer(c->remitted));
	json_object_set_new(
	    r, "outstanding", json_integer(c->collected - c->remitted));
	json_object_set_new(r, "discrepancies", json_integer(c->discrepancies));
	json_array_append_new(cs->rows, r);
	cs->open += c->discrepancies;
}

/*
 * Cash on delivery, per carrier and currency: of the COD parcels shipped
 * in the period, the amounts due, collected (delivered) and remitted,
 * and what the carrier still owes; the discrepancies open now.
 */
static json_t *
cod(struct ledger *l, const struct config *cfg, const char *from,
    const char *to)
{
	struct cod cs = {cfg, json_array(), 0};

	ledger_cod_carriers(l, from, to, cod_row, &cs);
	return json_pack("{s:o,s:I}", "by_carrier", cs.rows, "discrepancies",
	    (json_int_t)cs.open);
}

/* Percentiles 50 and 95 of a, seconds, with their count. */
static json_t *
durations(struct nums *a)
{
	if (a->n == 0)
		return json_pack("{s:i,s:n,s:n}", "n", 0, "p50_s", "p95_s");
	qsort(a->v, a->n, sizeof *a->v, cmp64);
	return json_pack("{s:i,s:I,s:I}", "n", (int)a->n, "p50_s",
	    (json_int_t)pct(a, 50), "p95_s", (json_int_t)pct(a, 95));
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
	a.splits = json_object();
	ledger_kpi_orders(l, order, &a);
	k = json_pack("{s:s,s:s,s:s,s:s,s:s,s:i}", "type", "kpi", "warehouse",
	    cfg->wh_name ? cfg->wh_name : (cfg->wh_id ? cfg->wh_id : ""),
	    "from", from, "to", to, "currency",
	    cfg->currency ? cfg->currency : "", "orders", (int)a.orders);
	ndjson_set_time(k, "generated_at", when_now().t, cfg->tz);
	json_object_set_new(k, "order_to_ship", durations(&a.ots));
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
	json_object_set_new(k, "pickup",
	    json_pack("{s:i,s:i,s:i,s:i,s:o}", "orders", (int)a.pickups,
		"ready", (int)a.ready, "collected", (int)a.collected, "waiting",
		(int)a.waiting, "placed_to_ready", durations(&a.to_ready)));
	json_object_set_new(k, "cod", cod(l, cfg, from, to));
	json_object_set_new(k, "split", splits(&a));
	json_decref(a.splits);
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
	free(a.hours.v);
	free(a.to_ready.v);
	return k;
}

/* The KPIs of the orders warehouse id claimed, "warehouse" its id. */
static json_t *
site(struct ledger *l, const struct config *cfg, int64_t from_day,
    int64_t to_day, const char *id)
{
	json_t *k;

	ledger_kpi_scope(l, id);
	k = kpi_compute(l, cfg, from_day, to_day);
	ledger_kpi_scope(l, NULL);
	json_object_set_new(k, "warehouse", json_string(id));
	return k;
}

json_t *
kpi_report(struct ledger *l, const struct config *cfg, int64_t from_day,
    int64_t to_day, const char *only)
{
	static const char *const whole[] = {
	    "type", "from", "to", "currency", "generated_at"};
	json_t *k, *sites, *s;
	char **wh;
	size_t n, i, j;

	if (only != NULL)
		return site(l, cfg, from_day, to_day, only);
	k = kpi_compute(l, cfg, from_day, to_day);
	wh = ledger_kpi_warehouses(l, &n);
	if (n > 1) {
		sites = json_array();
		for (i = 0; i < n; i++) {
			s = site(l, cfg, from_day, to_day, wh[i]);
			/* Said once, by the whole. */
			for (j = 0; j < sizeof whole / sizeof whole[0]; j++)
				json_object_del(s, whole[j]);
			json_array_append_new(sites, s);
		}
		json_object_set_new(k, "warehouses", sites);
	}
	for (i = 0; i < n; i++)
		free(wh[i]);
	free(wh);
	return k;
}
