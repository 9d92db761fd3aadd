#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "ndjson.h"
#include "order.h"
#include "promise.h"
#include "when.h"

/* Looking further than this for a window is not a promise but a guess. */
#define WINDOW_DAYS 400

void
promise_window(json_t *order, struct promise_window *w)
{
	json_t *win = json_object_get(order, "delivery_window");
	struct when f, t;

	memset(w, 0, sizeof *w);
	if (ndjson_str(win, "from") == NULL ||
	    when_parse(ndjson_str(win, "from"), &f) == -1 ||
	    ndjson_str(win, "to") == NULL ||
	    when_parse(ndjson_str(win, "to"), &t) == -1)
		return;
	w->set = 1;
	w->from = f.t;
	w->to = t.t;
}

/* The window's last day, in the warehouse's zone. */
static int64_t
last_day(const struct config *c, const struct promise_window *w)
{
	struct when t = when_in_zone(w->to, c->tz);

	return when_day(&t);
}

int64_t
promise_arrival(const struct config *c, const struct carrier *k, int transit,
    int64_t ship_day, const struct promise_window *w)
{
	int64_t day = cal_add(&k->delivery, ship_day, transit), at;

	if (day == CAL_NONE)
		return CAL_NONE;
	at = when_day_end(c->tz, day);
	if (w == NULL || !w->set)
		return at;
	/* In the window's days, the carrier delivers in the window. */
	if (at < w->from)
		return w->from;
	return day <= last_day(c, w) && at > w->to ? w->to : at;
}

int64_t
promise_ship_day(const struct config *c, const struct carrier *k, int transit,
    int64_t earliest, const struct promise_window *w)
{
	int64_t ship = earliest, next, last;
	int i;

	if (w == NULL || !w->set || earliest == CAL_NONE)
		return earliest;
	last = last_day(c, w);
	if (cal_add(&k->delivery, ship, transit) > last)
		return earliest;
	/* Ship as late as still arrives inside the window. */
	for (i = 0; i < WINDOW_DAYS; i++) {
		next = cal_next(&c->cal, ship + 1);
		if (next == CAL_NONE ||
		    cal_add(&k->delivery, next, transit) > last)
			break;
		ship = next;
	}
	return ship;
}

int
promise_pick_now(const struct config *c, json_t *order, int64_t now)
{
	struct promise_window w;
	struct when by, today;
	const char *s;

	promise_window(order, &w);
	if (!w.set ||
	    (s = ndjson_str(json_object_get(order, "promise"), "ship_by")) ==
		NULL ||
	    when_parse(s, &by) == -1)
		return 1;
	by = when_in_zone(by.t, c->tz);
	today = when_in_zone(now, c->tz);
	return when_day(&by) <= when_day(&today);
}

/* The instant at path (an object, then a key) of the order, or dflt. */
static int64_t
order_time(json_t *order, const char *obj, const char *key, int64_t dflt)
{
	const char *s = ndjson_str(json_object_get(order, obj), key);
	struct when w;

	return s != NULL && when_parse(s, &w) == 0 ? w.t : dflt;
}

void
promise_parcel(const struct config *c, const struct carrier *k, int transit,
    json_t *order, int out, int64_t now, struct promise_parcel *p)
{
	struct when local = when_in_zone(now, c->tz);
	int64_t today = when_day(&local), said;
	struct promise_window win;

	memset(p, 0, sizeof *p);
	p->deliver_by = order_time(order, "promise", "deliver_by", INT64_MAX);
	said = order_time(order, "dispatch", "expected_delivery", CAL_NONE);
	promise_window(order, &win);
	p->earliest = promise_arrival(c, k, out ? 0 : 1, today, &win);
	if (said != CAL_NONE && said > p->earliest)
		p->earliest = said;
	p->estimate = promise_arrival(c, k, transit, today, &win);
	if (p->estimate == CAL_NONE || p->estimate < p->earliest)
		p->estimate = p->earliest;
	p->at_risk = p->earliest > p->deliver_by && !out;
	p->late =
	    now > p->deliver_by || (said != CAL_NONE && said > p->deliver_by);
}

/*
 * A pickup order's promise: ready_by, the pickup section's ready_time on
 * the day it would ship (the day placed, if a working day before the
 * cut-off of service pickup, else the next working day).  No carrier
 * takes it, so none is looked for.
 */
static int
promise_pickup(const struct config *c, json_t *order, char *why, size_t whylen)
{
	struct when placed, local;
	int64_t day, ready;
	json_t *p;

	when_parse(
	    json_string_value(json_object_get(order, "placed_at")), &placed);
	local = when_in_zone(placed.t, c->tz);
	day = when_day(&local);
	ready = cal_works(&c->cal, day) &&
			when_secs(&local) < config_cutoff(c, "pickup")
		    ? day
		    : cal_next(&c->cal, day + 1);
	if (ready == CAL_NONE) {
		snprintf(why, whylen, "no working day in the calendar");
		return -1;
	}
	p = json_object();
	ndjson_set_time(
	    p, "ready_by", when_local(c->tz, ready, c->pickup.ready), c->tz);
	json_object_set_new(order, "promise", p);
	return 0;
}

int
promise_make(const struct config *c, json_t *order, json_t *warnings, char *why,
    size_t whylen)
{
	const char *country = json_string_value(
	    json_object_get(json_object_get(order, "ship_to"), "country"));
	const char *svc = json_string_value(json_object_get(order, "service"));
	const char *method = json_string_value(
	    json_object_get(json_object_get(order, "payment"), "method"));
	int cod = method != NULL && strcmp(method, "cod") == 0;
	const struct carrier *k;
	const struct service *s;
	struct promise_window w;
	struct when placed, local;
	int64_t day, ship, first, deliver_by;
	char buf[16];
	json_t *p;
	int at_risk = 0;

	if (svc != NULL && strcmp(svc, "pickup") == 0)
		return promise_pickup(c, order, why, whylen);
	k = config_carrier_for(c, country, svc, cod);
	if (k == NULL) {
		snprintf(why, whylen,
		    "no carrier serves %s with service "
		    "'%.32s'%s",
		    country, svc, cod ? " and cash on delivery" : "");
		return -1;
	}
	s = carrier_service(k, svc);
	when_parse(
	    json_string_value(json_object_get(order, "placed_at")), &placed);
	local = when_in_zone(placed.t, c->tz);
	day = when_day(&local);
	ship =
	    cal_works(&c->cal, day) && when_secs(&local) < config_cutoff(c, svc)
		? day
		: cal_next(&c->cal, day + 1);
	if (ship == CAL_NONE || (first = promise_arrival(c, k, s->transit_days,
				     ship, NULL)) == CAL_NONE) {
		snprintf(why, whylen, "no working day in the calendar");
		return -1;
	}
	deliver_by = first;
	promise_window(order, &w);
	if (w.set &&
	    cal_add(&k->delivery, ship, s->transit_days) > last_day(c, &w)) {
		at_risk = 1;
		day_format(cal_add(&k->delivery, ship, s->transit_days), buf);
		order_warn(warnings, "delivery_window",
		    "cannot be met: the earliest delivery is %s", buf);
	} else if (w.set) {
		ship = promise_ship_day(c, k, s->transit_days, ship, &w);
		deliver_by = w.to;
	}
	p = json_object();
	ndjson_set_time(
	    p, "ship_by", when_local(c->tz, ship, k->pickup), c->tz);
	ndjson_set_time(p, "deliver_by", deliver_by, c->tz);
	if (at_risk)
		json_object_set_new(p, "at_risk", json_true());
	json_object_set_new(order, "promise", p);
	return 0;
}
