/*
 * promise: the dates, in the test warehouse (Shanghai, Monday to Friday,
 * a holiday on Thursday 2026-11-26; sf picks up at 18:30 and delivers
 * Monday to Saturday, standard in 2 days, scheduled in 1).
 */
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "err.h"
#include "ndjson.h"
#include "promise.h"
#include "tap.h"
#include "when.h"

static struct config *c;

/* An instant as the warehouse writes it. */
static const char *
fmt(int64_t t)
{
	static char buf[WHEN_BUFSZ];
	struct when w = when_in_zone(t, c->tz);

	return t == CAL_NONE ? "none" : when_format(&w, buf);
}

static int64_t
at(const char *s)
{
	struct when w;

	return when_parse(s, &w) == 0 ? w.t : CAL_NONE;
}

static int64_t
day(int y, int m, int d)
{
	return days_from_civil(y, m, d);
}

static json_t *
order(const char *placed, const char *service, const char *from, const char *to)
{
	json_t *o = json_pack("{s:s,s:s,s:{s:s},s:{s:s}}", "placed_at", placed,
	    "service", service, "ship_to", "country", "CN", "payment", "method",
	    "prepaid");

	if (from != NULL)
		json_object_set_new(o, "delivery_window",
		    json_pack("{s:s,s:s}", "from", from, "to", to));
	return o;
}

static const char *
promised(json_t *o, const char *key)
{
	return ndjson_str(json_object_get(o, "promise"), key);
}

int
main(void)
{
	const struct carrier *sf;
	struct promise_window w, none = {0, 0, 0};
	struct promise_parcel pp;
	json_t *o, *warn = json_array();
	char why[256];

	err_init("test-promise");
	setenv("FULFIL_NOW", "2026-11-23T10:00:00+08:00", 1);
	c = config_load("tests/data/fulfil.json");
	sf = config_carrier(c, "sf");

	/* Arrival: transit on the carrier's delivery days, day's end. */
	is_str(fmt(promise_arrival(c, sf, 2, day(2026, 11, 23), NULL)),
	    "2026-11-25T23:59:59+08:00", "Monday + 2: Wednesday night");
	is_str(fmt(promise_arrival(c, sf, 2, day(2026, 11, 25), &none)),
	    "2026-11-28T23:59:59+08:00",
	    "Wednesday + 2: Saturday, the holiday skipped");

	/* A window: never before its start, the slot is waited for. */
	w.set = 1;
	w.from = at("2026-11-27T14:00:00+08:00");
	w.to = at("2026-11-27T18:00:00+08:00");
	is_str(fmt(promise_arrival(c, sf, 1, day(2026, 11, 23), &w)),
	    "2026-11-27T14:00:00+08:00", "early for a window: its start");
	is_str(fmt(promise_arrival(c, sf, 1, day(2026, 11, 25), &w)),
	    "2026-11-27T18:00:00+08:00", "on the window's day: by its end");
	is_str(fmt(promise_arrival(c, sf, 1, day(2026, 11, 27), &w)),
	    "2026-11-28T23:59:59+08:00", "after the window: the honest day");

	/* Ship day: the latest that still arrives in the window. */
	is_str(day_format(promise_ship_day(c, sf, 1, day(2026, 11, 23), &w),
		   (char[16]){0}),
	    "2026-11-25", "ships Wednesday for Friday (Thursday is off)");
	is_int(promise_ship_day(c, sf, 1, day(2026, 11, 23), NULL),
	    day(2026, 11, 23), "without a window: the earliest");
	w.to = at("2026-11-24T18:00:00+08:00");
	is_int(promise_ship_day(c, sf, 1, day(2026, 11, 23), &w),
	    day(2026, 11, 23), "a window that cannot be met: the earliest");

	/* The promise, as ingest-orders stamps it. */
	o = order("2026-11-23T09:00:00+08:00", "standard", NULL, NULL);
	ok(promise_make(c, o, warn, why, sizeof why) == 0, "promise made");
	is_str(promised(o, "ship_by"), "2026-11-23T18:30:00+08:00",
	    "before the cut-off: ships today at pickup");
	is_str(promised(o, "deliver_by"), "2026-11-25T23:59:59+08:00",
	    "delivered by Wednesday night");
	ok(promise_pick_now(c, o, at("2026-11-23T10:00:00+08:00")),
	    "no window: picked at once");
	json_decref(o);

	o = order("2026-11-23T16:00:00+08:00", "standard", NULL, NULL);
	promise_make(c, o, warn, why, sizeof why);
	is_str(promised(o, "ship_by"), "2026-11-24T18:30:00+08:00",
	    "after the cut-off: tomorrow");
	json_decref(o);

	o = order("2026-11-23T09:00:00+08:00", "scheduled",
	    "2026-11-27T14:00:00+08:00", "2026-11-27T18:00:00+08:00");
	promise_make(c, o, warn, why, sizeof why);
	is_str(promised(o, "ship_by"), "2026-11-25T18:30:00+08:00",
	    "a window: ships as late as still arrives in it");
	is_str(promised(o, "deliver_by"), "2026-11-27T18:00:00+08:00",
	    "delivered by the window's end");
	ok(!promise_pick_now(c, o, at("2026-11-23T10:00:00+08:00")),
	    "a window: not picked before its day");
	ok(promise_pick_now(c, o, at("2026-11-25T08:00:00+08:00")),
	    "a window: picked on its day");
	is_int(json_array_size(warn), 0, "no warning");
	json_decref(o);

	o = order("2026-11-23T09:00:00+08:00", "scheduled",
	    "2026-11-23T14:00:00+08:00", "2026-11-23T18:00:00+08:00");
	promise_make(c, o, warn, why, sizeof why);
	ok(json_is_true(
	       json_object_get(json_object_get(o, "promise"), "at_risk")),
	    "a window that cannot be met: at risk");
	is_int(json_array_size(warn), 1, "and said");
	json_decref(o);

	/*
	 * A parcel on its way, promised for Wednesday night: late for the
	 * customer only when the date has passed, or the carrier said so.
	 */
	o = order("2026-11-23T09:00:00+08:00", "standard", NULL, NULL);
	promise_make(c, o, warn, why, sizeof why);
	promise_parcel(c, sf, 2, o, 0, at("2026-11-25T12:00:00+08:00"), &pp);
	ok(pp.at_risk, "promised day, in transit: at risk, for staff");
	ok(!pp.late, "but not late: it may come this afternoon");
	promise_parcel(c, sf, 2, o, 1, at("2026-11-25T12:00:00+08:00"), &pp);
	ok(!pp.at_risk && !pp.late, "out for delivery: neither");
	promise_parcel(c, sf, 2, o, 0, at("2026-11-25T16:00:00Z"), &pp);
	ok(pp.late, "a second after deliver_by (given in UTC): late");
	is_str(fmt(pp.estimate), "2026-11-28T23:59:59+08:00",
	    "a whole transit again from the warehouse's today, the 26th");
	is_str(fmt(pp.earliest), "2026-11-27T23:59:59+08:00",
	    "soonest: the next delivery day (the 26th is off)");
	promise_parcel(c, sf, 2, o, 0, at("2026-11-24T23:30:00Z"), &pp);
	ok(pp.at_risk,
	    "07:30 on the 25th in Shanghai: the 25th (UTC says the 24th)");
	json_object_set_new(o, "dispatch",
	    json_pack(
		"{s:s}", "expected_delivery", "2026-11-27T23:59:59+08:00"));
	promise_parcel(c, sf, 2, o, 0, at("2026-11-24T20:00:00+08:00"), &pp);
	ok(pp.late, "the carrier's expected date after deliver_by: late now");
	json_decref(o);

	json_decref(warn);
	config_free(c);
	return done_testing();
}
