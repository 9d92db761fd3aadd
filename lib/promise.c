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

static int64_t
arrives(const struct carrier *k, int64_t ship, int transit)
{
	return cal_add(&k->delivery, ship, transit);
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
	json_t *win = json_object_get(order, "delivery_window"), *p;
	int cod = method != NULL && strcmp(method, "cod") == 0;
	const struct carrier *k;
	const struct service *s;
	struct when placed, local, wto;
	int64_t day, ship, next, last, deliver_by;
	char buf[16];
	int i, at_risk = 0;

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
	if (ship == CAL_NONE || arrives(k, ship, s->transit_days) == CAL_NONE) {
		snprintf(why, whylen, "no working day in the calendar");
		return -1;
	}
	last = arrives(k, ship, s->transit_days);
	deliver_by = when_day_end(c->tz, last);
	if (win != NULL) {
		when_parse(json_string_value(json_object_get(win, "to")), &wto);
		wto = when_in_zone(wto.t, c->tz);
		if (last > when_day(&wto)) {
			at_risk = 1;
			day_format(last, buf);
			order_warn(warnings, "delivery_window",
			    "cannot be "
			    "met: the earliest delivery is %s",
			    buf);
		} else {
			/* Ship as late as still arrives inside the window. */
			for (i = 0; i < WINDOW_DAYS; i++) {
				next = cal_next(&c->cal, ship + 1);
				if (next == CAL_NONE ||
				    arrives(k, next, s->transit_days) >
					when_day(&wto))
					break;
				ship = next;
			}
			deliver_by = wto.t;
		}
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
