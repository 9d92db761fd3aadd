/*
 * provider: the readers of AfterShip, EasyPost, 17TRACK and Shippo
 * tracking payloads (see provider.h).  Each provider has one table
 * mapping its status and sub-status onto journey.h's statuses; the
 * tables are followup(1)'s, and the man page prints them.
 */
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ndjson.h"
#include "provider.h"

static const char *const names[] = {
    "", "aftership", "easypost", "17track", "shippo"};

int
provider_parse(const char *name, enum provider *p)
{
	size_t i;

	for (i = 1; name != NULL && i < sizeof names / sizeof names[0]; i++)
		if (strcasecmp(name, names[i]) == 0) {
			*p = (enum provider)i;
			return 0;
		}
	return -1;
}

const char *
provider_name(enum provider p)
{
	return (size_t)p < sizeof names / sizeof names[0] ? names[p] : "";
}

/*
 * One row of a provider's table: its status and sub-status (an
 * fnmatch(3) pattern; NULL: any) and ours, NULL for an informational
 * event, which moves nothing.  The first row that matches wins, so a
 * sub-status row comes before its status's catch-all.
 */
struct row {
	const char *status, *sub, *ours;
};

/* AfterShip: tag and subtag of each checkpoint. */
static const struct row aftership[] = {{"InfoReceived", NULL, "info_received"},
    {"InTransit", NULL, "in_transit"},
    {"OutForDelivery", NULL, "out_for_delivery"},
    {"AttemptFail", NULL, "attempt_fail"},
    {"AvailableForPickup", NULL, "available_for_pickup"},
    {"Delivered", NULL, "delivered"},
    {"Exception", "Exception_011", "returned"},
    {"Exception", NULL, "exception"}, {"Pending", NULL, NULL},
    {"Expired", NULL, NULL}, {NULL, NULL, NULL}};

/* EasyPost: status and status_detail of each tracking detail. */
static const struct row easypost[] = {{"pre_transit", NULL, "info_received"},
    {"in_transit", NULL, "in_transit"},
    {"out_for_delivery", NULL, "out_for_delivery"},
    {"available_for_pickup", NULL, "available_for_pickup"},
    {"delivered", NULL, "delivered"}, {"return_to_sender", NULL, "returned"},
    {"failure", "*attempt*", "attempt_fail"}, {"failure", "return", "returned"},
    {"failure", NULL, "exception"}, {"error", NULL, "exception"},
    {"unknown", NULL, NULL}, {"cancelled", NULL, NULL}, {NULL, NULL, NULL}};

/* 17TRACK: the stage (or sub-status's prefix) and sub_status. */
static const struct row seventeen[] = {{"InfoReceived", NULL, "info_received"},
    {"InTransit", NULL, "in_transit"},
    {"OutForDelivery", NULL, "out_for_delivery"},
    {"AvailableForPickup", NULL, "available_for_pickup"},
    {"DeliveryFailure", NULL, "attempt_fail"}, {"Delivered", NULL, "delivered"},
    {"Exception", "Exception_Returned", "returned"},
    {"Exception", NULL, "exception"}, {"Returned", NULL, "returned"},
    {"Returning", NULL, "exception"}, {"NotFound", NULL, NULL},
    {"Expired", NULL, NULL}, {NULL, NULL, NULL}};

/* Shippo: status and substatus.code of each tracking_history entry. */
static const struct row shippo[] = {{"PRE_TRANSIT", NULL, "info_received"},
    {"TRANSIT", "out_for_delivery", "out_for_delivery"},
    {"TRANSIT", "pickup_available", "available_for_pickup"},
    {"TRANSIT", "delivery_attempted", "attempt_fail"},
    {"TRANSIT", NULL, "in_transit"}, {"DELIVERED", NULL, "delivered"},
    {"RETURNED", NULL, "returned"},
    {"FAILURE", "delivery_attempted", "attempt_fail"},
    {"FAILURE", "return_to_sender", "exception"},
    {"FAILURE", NULL, "exception"}, {"UNKNOWN", NULL, NULL},
    {NULL, NULL, NULL}};

/* A sub-status pattern of a row (fnmatch(3)); NULL matches anything. */
static int
matches(const char *pat, const char *s)
{
	if (pat == NULL)
		return 1;
	return s != NULL && fnmatch(pat, s, 0) == 0;
}

/*
 * The row of table t for status and sub; NULL when the table does not
 * know the status.
 */
static const struct row *
lookup(const struct row *t, const char *status, const char *sub)
{
	for (; t->status != NULL; t++)
		if (status != NULL && strcmp(t->status, status) == 0 &&
		    matches(t->sub, sub))
			return t;
	return NULL;
}

/* A string member, or NULL when it is missing, null or empty. */
static const char *
str(const json_t *o, const char *key)
{
	const char *s = ndjson_str(o, key);

	return s != NULL && *s != '\0' ? s : NULL;
}

static void
set_str(json_t *o, const char *key, const char *s)
{
	if (s != NULL)
		json_object_set_new(o, key, json_string(s));
}

/*
 * One event of a payload as journey.h reads it.  An event the table
 * does not know, or knows as informational, is kept as "informational":
 * journey counts and skips it, never an error (a provider adds words).
 */
static json_t *
record(enum provider p, const struct row *t, const char *tracking,
    const char *carrier, const char *status, const char *sub, const char *at,
    const char *message, json_t *location)
{
	const struct row *r = lookup(t, status, sub);
	json_t *ev = json_pack("{s:s}", "type", "tracking");
	json_t *pv = json_pack("{s:s}", "name", provider_name(p));

	set_str(ev, "tracking", tracking);
	if (r != NULL && r->ours != NULL)
		set_str(ev, "status", r->ours);
	else
		json_object_set_new(ev, "informational", json_true());
	set_str(ev, "occurred_at", at);
	set_str(ev, "message", message);
	if (location != NULL && json_object_size(location) > 0)
		json_object_set(ev, "location", location);
	set_str(pv, "carrier", carrier);
	set_str(pv, "status", status);
	set_str(pv, "substatus", sub);
	set_str(pv, "message", message);
	json_object_set_new(ev, "provider", pv);
	json_decref(location);
	return ev;
}

/* A location of ours: city, state, country, postcode, where given. */
static json_t *
place(const char *city, const char *state, const char *country,
    const char *postcode)
{
	json_t *l = json_object();

	set_str(l, "city", city);
	set_str(l, "state", state);
	set_str(l, "country", country);
	set_str(l, "postcode", postcode);
	return l;
}

/* Why a payload is not one of p's: the part missing. */
static int
notp(enum provider p, const char *what, char *why, size_t whylen)
{
	snprintf(
	    why, whylen, "not a payload of %s: %s", provider_name(p), what);
	return -1;
}

/*
 * AfterShip: {"event": "tracking_update", "msg": {"tracking_number",
 * "slug", "checkpoints": [{"checkpoint_time", "tag", "subtag",
 * "message", "city", "state", "country_iso3" or "country_region"}]}}.
 */
static int
read_aftership(const json_t *doc, json_t *events, char *why, size_t whylen)
{
	json_t *msg = json_object_get(doc, "msg"), *cps, *c;
	const char *tn, *country;
	size_t i;

	if (!json_is_object(msg))
		return notp(PROVIDER_AFTERSHIP, "no msg", why, whylen);
	if ((tn = str(msg, "tracking_number")) == NULL)
		return notp(
		    PROVIDER_AFTERSHIP, "no msg.tracking_number", why, whylen);
	cps = json_object_get(msg, "checkpoints");
	json_array_foreach(cps, i, c)
	{
		country = str(c, "country_region") ? str(c, "country_region")
						   : str(c, "country_iso3");
		json_array_append_new(events,
		    record(PROVIDER_AFTERSHIP, aftership, tn, str(msg, "slug"),
			str(c, "tag"), str(c, "subtag"),
			str(c, "checkpoint_time"), str(c, "message"),
			place(str(c, "city"), str(c, "state"), country,
			    str(c, "zip"))));
	}
	return (int)json_array_size(cps);
}

/*
 * EasyPost: {"object": "Event", "description": "tracker.updated",
 * "result": {"object": "Tracker", "tracking_code", "carrier",
 * "tracking_details": [{"status", "status_detail", "message",
 * "datetime", "tracking_location": {"city", "state", "country",
 * "zip"}}]}}.
 */
static int
read_easypost(const json_t *doc, json_t *events, char *why, size_t whylen)
{
	json_t *res = json_object_get(doc, "result"), *ds, *d, *l;
	const char *tn;
	size_t i;

	if (!json_is_object(res) || ndjson_str(res, "object") == NULL ||
	    strcmp(ndjson_str(res, "object"), "Tracker") != 0)
		return notp(
		    PROVIDER_EASYPOST, "its result is no Tracker", why, whylen);
	if ((tn = str(res, "tracking_code")) == NULL)
		return notp(
		    PROVIDER_EASYPOST, "no result.tracking_code", why, whylen);
	ds = json_object_get(res, "tracking_details");
	json_array_foreach(ds, i, d)
	{
		l = json_object_get(d, "tracking_location");
		json_array_append_new(events,
		    record(PROVIDER_EASYPOST, easypost, tn, str(res, "carrier"),
			str(d, "status"), str(d, "status_detail"),
			str(d, "datetime"), str(d, "message"),
			place(str(l, "city"), str(l, "state"),
			    str(l, "country"), str(l, "zip"))));
	}
	return (int)json_array_size(ds);
}

/*
 * 17TRACK v2: {"event": "TRACKING_UPDATED", "data": {"number",
 * "track_info": {"tracking": {"providers": [{"provider": {"name"},
 * "events": [{"time_iso" (or "time_utc"), "description", "stage", "sub_status",
 * "address": {"city", "state", "country"}}]}]}}}}.  An event without a
 * stage takes its sub-status's first word ("InTransit_PickedUp").
 */
static int
read_17track(const json_t *doc, json_t *events, char *why, size_t whylen)
{
	json_t *data = json_object_get(doc, "data"), *ps, *pr, *es, *e, *a;
	const char *tn, *sub, *stage, *carrier, *us;
	char word[64];
	size_t i, j;
	int n = 0;

	if (!json_is_object(data) || (tn = str(data, "number")) == NULL)
		return notp(PROVIDER_17TRACK, "no data.number", why, whylen);
	ps = json_object_get(
	    json_object_get(json_object_get(data, "track_info"), "tracking"),
	    "providers");
	json_array_foreach(ps, i, pr)
	{
		carrier = str(json_object_get(pr, "provider"), "name");
		es = json_object_get(pr, "events");
		json_array_foreach(es, j, e)
		{
			sub = str(e, "sub_status");
			if ((stage = str(e, "stage")) == NULL && sub != NULL) {
				us = strchr(sub, '_');
				snprintf(word, sizeof word, "%.*s",
				    us ? (int)(us - sub) : (int)strlen(sub),
				    sub);
				stage = word;
			}
			a = json_object_get(e, "address");
			json_array_append_new(events,
			    record(PROVIDER_17TRACK, seventeen, tn, carrier,
				stage, sub,
				str(e, "time_iso") ? str(e, "time_iso")
						   : str(e, "time_utc"),
				str(e, "description"),
				place(str(a, "city"), str(a, "state"),
				    str(a, "country"), str(a, "postal_code"))));
			n++;
		}
	}
	return n;
}

/*
 * Shippo: {"event": "track_updated", "data": {"tracking_number",
 * "carrier", "tracking_status": {...}, "tracking_history": [{"status",
 * "status_details", "status_date", "substatus": {"code"}, "location":
 * {"city", "state", "zip", "country"}}]}}; the history holds every
 * event, tracking_status the latest (read when there is no history).
 */
static int
read_shippo(const json_t *doc, json_t *events, char *why, size_t whylen)
{
	json_t *data = json_object_get(doc, "data"), *hs, *h, *l, *one;
	const char *tn;
	size_t i;

	if (!json_is_object(data) ||
	    (tn = str(data, "tracking_number")) == NULL)
		return notp(
		    PROVIDER_SHIPPO, "no data.tracking_number", why, whylen);
	hs = json_object_get(data, "tracking_history");
	one = json_array();
	if (json_array_size(hs) == 0 &&
	    json_is_object(json_object_get(data, "tracking_status")))
		json_array_append(
		    one, json_object_get(data, "tracking_status"));
	else if (json_is_array(hs))
		json_array_extend(one, hs);
	json_array_foreach(one, i, h)
	{
		l = json_object_get(h, "location");
		json_array_append_new(
		    events, record(PROVIDER_SHIPPO, shippo, tn,
				str(data, "carrier"), str(h, "status"),
				str(json_object_get(h, "substatus"), "code"),
				str(h, "status_date"), str(h, "status_details"),
				place(str(l, "city"), str(l, "state"),
				    str(l, "country"), str(l, "zip"))));
	}
	i = json_array_size(one);
	json_decref(one);
	return (int)i;
}

enum provider
provider_sniff(const json_t *doc)
{
	const char *ev = ndjson_str(doc, "event");
	const char *obj = ndjson_str(doc, "object");

	if (ev != NULL && strcmp(ev, "TRACKING_UPDATED") == 0)
		return PROVIDER_17TRACK;
	if (ev != NULL && strcmp(ev, "track_updated") == 0)
		return PROVIDER_SHIPPO;
	if (ev != NULL && json_is_object(json_object_get(doc, "msg")))
		return PROVIDER_AFTERSHIP;
	if (obj != NULL && strcmp(obj, "Event") == 0 &&
	    json_is_object(json_object_get(doc, "result")))
		return PROVIDER_EASYPOST;
	return PROVIDER_NONE;
}

int
provider_events(enum provider p, const json_t *doc, json_t *events, char *why,
    size_t whylen)
{
	const char *ev = ndjson_str(doc, "event");
	const char *desc = ndjson_str(doc, "description");

	if (!json_is_object(doc)) {
		snprintf(why, whylen, "a payload is a JSON object");
		return -1;
	}
	switch (p) {
	case PROVIDER_AFTERSHIP:
		/* Estimated-delivery and pending-time events carry no scan. */
		if (ev != NULL && strcmp(ev, "tracking_update") != 0 &&
		    json_is_object(json_object_get(doc, "msg")))
			return 0;
		return read_aftership(doc, events, why, whylen);
	case PROVIDER_EASYPOST:
		/* tracker.created is sent with no details yet, as a ping. */
		if (desc != NULL && strncmp(desc, "tracker.", 8) != 0)
			return notp(p, "not a tracker event", why, whylen);
		return read_easypost(doc, events, why, whylen);
	case PROVIDER_17TRACK:
		/* TRACKING_STOPPED: 17TRACK stopped watching; nothing new. */
		if (ev != NULL && strcmp(ev, "TRACKING_STOPPED") == 0)
			return 0;
		return read_17track(doc, events, why, whylen);
	case PROVIDER_SHIPPO:
		return read_shippo(doc, events, why, whylen);
	default:
		snprintf(why, whylen,
		    "not a tracking payload of AfterShip, EasyPost, 17TRACK "
		    "or Shippo");
		return -1;
	}
}
