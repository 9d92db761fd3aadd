#include <ctype.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aftercare.h"
#include "csvin.h"
#include "err.h"
#include "feedback.h"
#include "journey.h"
#include "ledger.h"
#include "ledger_journey.h"
#include "ndjson.h"
#include "order.h"
#include "progress.h"
#include "provider.h"
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

/*
 * The zone of an event's location, for a time written without an
 * offset (AfterShip's checkpoint_time may be one).  Kept simple: a
 * country with one zone is that zone; in the United States, Canada and
 * Australia the state or province says (a state split between two zones
 * takes its most populous one); elsewhere there is no answer, and such a
 * time is refused rather than guessed.  Countries are ISO 3166 alpha-2
 * or alpha-3 codes, or English names.
 */
static const struct zone {
	const char *country; /* "US|USA|United States" */
	const char *state;   /* NULL: the whole country */
	const char *tz;
} zones[] = {
    {"CN|CHN|China", NULL, "Asia/Shanghai"},
    {"HK|HKG|Hong Kong", NULL, "Asia/Hong_Kong"},
    {"TW|TWN|Taiwan", NULL, "Asia/Taipei"},
    {"JP|JPN|Japan", NULL, "Asia/Tokyo"},
    {"KR|KOR|South Korea|Korea", NULL, "Asia/Seoul"},
    {"SG|SGP|Singapore", NULL, "Asia/Singapore"},
    {"MY|MYS|Malaysia", NULL, "Asia/Kuala_Lumpur"},
    {"TH|THA|Thailand", NULL, "Asia/Bangkok"},
    {"VN|VNM|Vietnam|Viet Nam", NULL, "Asia/Ho_Chi_Minh"},
    {"PH|PHL|Philippines", NULL, "Asia/Manila"},
    {"IN|IND|India", NULL, "Asia/Kolkata"},
    {"AE|ARE|United Arab Emirates", NULL, "Asia/Dubai"},
    {"GB|GBR|United Kingdom|UK", NULL, "Europe/London"},
    {"IE|IRL|Ireland", NULL, "Europe/Dublin"},
    {"DE|DEU|Germany", NULL, "Europe/Berlin"},
    {"FR|FRA|France", NULL, "Europe/Paris"},
    {"NL|NLD|Netherlands", NULL, "Europe/Amsterdam"},
    {"BE|BEL|Belgium", NULL, "Europe/Brussels"},
    {"IT|ITA|Italy", NULL, "Europe/Rome"},
    {"ES|ESP|Spain", NULL, "Europe/Madrid"},
    {"PL|POL|Poland", NULL, "Europe/Warsaw"},
    {"CH|CHE|Switzerland", NULL, "Europe/Zurich"},
    {"AT|AUT|Austria", NULL, "Europe/Vienna"},
    {"SE|SWE|Sweden", NULL, "Europe/Stockholm"},
    {"US|USA|United States",
	"CT|DC|DE|FL|GA|IN|KY|MA|MD|ME|MI|NC|NH|NJ|NY"
	"|OH|PA|RI|SC|VA|VT|WV|Florida|New York|Georgia"
	"|Kentucky|Ohio|Pennsylvania",
	"America/New_York"},
    {"US|USA|United States",
	"AL|AR|IA|IL|KS|LA|MN|MO|MS|ND|NE|OK|SD|TN|TX"
	"|WI|Illinois|Tennessee|Texas",
	"America/Chicago"},
    {"US|USA|United States", "CO|ID|MT|NM|UT|WY|Colorado", "America/Denver"},
    {"US|USA|United States", "AZ|Arizona", "America/Phoenix"},
    {"US|USA|United States", "CA|NV|OR|WA|California|Washington",
	"America/Los_Angeles"},
    {"US|USA|United States", "AK|Alaska", "America/Anchorage"},
    {"US|USA|United States", "HI|Hawaii", "Pacific/Honolulu"},
    {"CA|CAN|Canada", "ON|QC|Ontario|Quebec", "America/Toronto"},
    {"CA|CAN|Canada", "BC|British Columbia", "America/Vancouver"},
    {"CA|CAN|Canada", "AB|Alberta", "America/Edmonton"},
    {"AU|AUS|Australia", "NSW|VIC|ACT|New South Wales|Victoria",
	"Australia/Sydney"},
    {"AU|AUS|Australia", "QLD|Queensland", "Australia/Brisbane"},
    {"AU|AUS|Australia", "WA|Western Australia", "Australia/Perth"},
};

/* Whether s is one of the '|'-separated words of list, case aside. */
static int
among(const char *list, const char *s)
{
	size_t n = strlen(s);
	const char *bar;

	for (; list != NULL; list = bar ? bar + 1 : NULL) {
		bar = strchr(list, '|');
		if ((size_t)(bar ? bar - list : (long)strlen(list)) == n &&
		    strncasecmp(list, s, n) == 0)
			return 1;
	}
	return 0;
}

/* The zone of location loc (see zones[]); NULL if it does not say. */
static const char *
location_zone(const json_t *loc)
{
	const char *country = ndjson_str(loc, "country");
	const char *state = ndjson_str(loc, "state");
	size_t i;

	for (i = 0; country != NULL && i < sizeof zones / sizeof zones[0]; i++)
		if (among(zones[i].country, country) &&
		    (zones[i].state == NULL ||
			(state != NULL && among(zones[i].state, state))))
			return zones[i].tz;
	return NULL;
}

/* A bare date, "YYYY-MM-DD": kept as a date (see event()). */
static int
date_only(const char *at)
{
	int64_t d;

	return at != NULL && strlen(at) == 10 && parse_date(at, &d) == 0;
}

/* Whether a time says its offset: Z, +hh:mm, -hhmm, " UTC" after the date. */
static int
has_offset(const char *at)
{
	return strlen(at) > 10 &&
	       (strpbrk(at + 10, "Zz+-") != NULL || strstr(at, "UTC") != NULL);
}

/* The order follows its parcel: status and "delivery". */
static void
move_order(struct aftercare *u, const char *source, const char *id,
    const char *tracking, const struct kind *k, int64_t at)
{
	enum status os = k->order;
	json_t *order, *d;
	const char **v;
	char *text;
	size_t len, n;

	if (os == ST_NONE || (order = aftercare_order(u, source, id)) == NULL)
		return;
	/* Delivered when every parcel of it is. */
	if (os == ST_DELIVERED) {
		n = order_tracking(order, &v);
		if (ledger_parcels_undelivered(u->ledger, source, id, v, n) > 0)
			os = ST_IN_TRANSIT;
		free(v);
	}
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
		if (date_only(ndjson_str(ev, "occurred_at")))
			json_object_set(n, "occurred_at",
			    json_object_get(ev, "occurred_at"));
		if (ndjson_str(ev, "message") != NULL)
			json_object_set(
			    n, "message", json_object_get(ev, "message"));
		if (json_is_object(json_object_get(ev, "location")))
			json_object_set(
			    n, "location", json_object_get(ev, "location"));
		/* The provider's own words, for a message that quotes them. */
		if (json_is_object(json_object_get(ev, "provider")))
			json_object_set(
			    n, "provider", json_object_get(ev, "provider"));
		aftercare_notice(u, n);
	}
	if (k->order == ST_EXCEPTION &&
	    (order = aftercare_order(u, source, id)) != NULL) {
		const char *sub = ndjson_str(ev, "substatus");
		char reason[300];

		/* A provider's record keeps its sub-status in its own words. */
		if (sub == NULL)
			sub = ndjson_str(
			    json_object_get(ev, "provider"), "substatus");
		snprintf(reason, sizeof reason, "carrier reports %s%s%s",
		    sub ? sub : "an exception",
		    ndjson_str(ev, "message") ? ": " : "",
		    ndjson_str(ev, "message") ? ndjson_str(ev, "message") : "");
		snprintf(key, sizeof key, "replace_or_refund:%s", tracking);
		tasks_open(u, "replace_or_refund", key, source, id, tracking, 1,
		    aftercare_detail(u, order, carrier, k->name, reason));
		json_decref(order);
	}
}

/*
 * When event ev happened, into *w; a reason when it cannot be told.  A
 * time without an offset is read in the zone of the event's location;
 * failing that, a provider's event is refused (its warehouse is not the
 * scan's) and our own records keep the warehouse's zone, as they always
 * have.  A bare date is its midnight there.
 */
static const char *
event_time(struct aftercare *u, json_t *ev, struct when *w)
{
	const char *at = ndjson_str(ev, "occurred_at");
	const char *tz;

	if (at == NULL)
		return "occurred_at is not a time";
	tz = location_zone(json_object_get(ev, "location"));
	if (tz == NULL && !date_only(at) && !has_offset(at) &&
	    json_object_get(ev, "provider") != NULL)
		return "occurred_at has no UTC offset, and its location no "
		       "zone we know";
	if (when_parse_loose(at, tz ? tz : u->cfg->tz, w) == -1)
		return "occurred_at is not a time";
	if (w->t > u->now.t + 86400)
		return "occurred_at is in the future";
	return NULL;
}

/*
 * Whether an event at w (a whole day when it is a bare date) comes
 * before the parcel's label was made: a mistyped or recycled tracking
 * number, whose events are not this parcel's.  Says so when it does.
 */
static int
before_label(struct aftercare *u, const char *tracking, const json_t *ev,
    const struct when *w, const char *file, long line, const char *raw,
    size_t len)
{
	char *lab = ledger_parcel_labelled_at(u->ledger, tracking);
	const char *at = ndjson_str(ev, "occurred_at");
	int dated = date_only(at), before = 0;
	char buf[WHEN_BUFSZ];
	struct when lw;

	if (lab != NULL && when_parse(lab, &lw) == 0 &&
	    (dated ? w->t + 86400 <= lw.t : w->t < lw.t)) {
		aftercare_reject(u, file, line, raw, len,
		    "tracking %s: event at %s is before the parcel's label, "
		    "made %s",
		    tracking, dated ? at : when_format(w, buf), lab);
		before = 1;
	}
	free(lab);
	return before;
}

/*
 * One tracking event, parsed.  A provider's informational event (see
 * provider.c) is counted and goes no further.
 */
static void
event(struct aftercare *u, json_t *ev, const char *file, long line,
    const char *raw, size_t len)
{
	const char *tracking = ndjson_str(ev, "tracking");
	const char *status = ndjson_str(ev, "status");
	const char *carrier = ndjson_str(ev, "carrier");
	const char *why;
	struct ledger_tracking_event e;
	struct ledger_shipment s;
	char *loc = NULL;
	struct when w;
	int known, newer, isnew;

	u->events++;
	if (json_is_true(json_object_get(ev, "informational"))) {
		u->skipped++;
		return;
	}
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
	if ((why = event_time(u, ev, &w)) != NULL) {
		aftercare_reject(
		    u, file, line, raw, len, "tracking %s: %s", tracking, why);
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
	if (before_label(u, tracking, ev, &w, file, line, raw, len))
		goto out;
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

/*
 * --map "skip": {"field": ["value", ...]}: a row whose field has one of
 * the values is informational ("Shipment arriving early"), counted and
 * skipped.
 */
static int
skipped(const json_t *map, const json_t *ev)
{
	json_t *vals, *v;
	const char *field, *s;
	size_t i;

	json_object_foreach((json_t *)json_object_get(map, "skip"), field, vals)
	{
		if ((s = ndjson_str(ev, field)) == NULL)
			continue;
		json_array_foreach(vals, i,
		    v) if (json_is_string(v) &&
			   strcmp(json_string_value(v), s) == 0) return 1;
	}
	return 0;
}

/*
 * Whether every field named in a rule's "when" matches its pattern
 * (fnmatch(3), case aside): "failure" with a detail "*attempt*" is a
 * failed attempt, without one an exception.
 */
static int
rule_holds(const json_t *when, const json_t *ev)
{
	const char *field, *s;
	json_t *pat;

	json_object_foreach((json_t *)when, field, pat)
	{
		s = ndjson_str(ev, field);
		if (s == NULL || !json_is_string(pat) ||
		    fnmatch(json_string_value(pat), s, FNM_CASEFOLD) != 0)
			return 0;
	}
	return 1;
}

/*
 * --map "statuses": the carrier's word for a status is ours, or a list
 * of rules {"when": {"substatus": "pattern"}, "status": ours} of which
 * the first that holds says (a rule without "when" always does).  An
 * unmapped word stays as it is, and is refused as unknown.
 */
static void
map_status(const json_t *names, json_t *ev)
{
	const char *word = ndjson_str(ev, "status");
	json_t *m, *r;
	size_t i;

	if (word == NULL || (m = json_object_get(names, word)) == NULL)
		return;
	if (json_is_string(m)) {
		json_object_set(ev, "status", m);
		return;
	}
	json_array_foreach(
	    m, i, r) if (ndjson_str(r, "status") != NULL &&
			 rule_holds(json_object_get(r, "when"), ev))
	{
		json_object_set(ev, "status", json_object_get(r, "status"));
		return;
	}
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
			set_path(ev, field, col);
		}
		if (skipped(u->map, ev))
			json_object_set_new(ev, "informational", json_true());
		else
			map_status(names, ev);
		event(u, ev, input_name(in), row->line, row->raw, row->rawlen);
		json_decref(ev);
		aftercare_next(u);
	}
	csvin_close(c);
}

/*
 * Whether a document is our own tracking record (type "tracking"): read
 * as it is, whichever path or spool it came by, since a shop's own
 * tracker may forward its events so, signed with a provider's secret.
 */
static int
own_record(const json_t *doc)
{
	const char *type = ndjson_str(doc, "type");

	return type != NULL && strcmp(type, "tracking") == 0;
}

int
journey_payload(struct aftercare *u, enum provider p, const json_t *doc,
    const char *origin, long line, const char *raw, size_t len)
{
	json_t *evs = json_array(), *ev;
	char why[256];
	size_t i;
	int n;

	if (own_record(doc)) {
		json_array_append_new(evs, json_deep_copy(doc));
		n = 1;
	} else if ((n = provider_events(p != PROVIDER_NONE ? p
							    : provider_sniff(doc),
			doc, evs, why, sizeof why)) == -1)
		aftercare_reject(u, origin, line, raw, len, "%s", why);
	json_array_foreach(evs, i, ev) event(u, ev, origin, line, raw, len);
	json_decref(evs);
	return n;
}

/*
 * One JSON document read: our own tracking record, or a provider's
 * payload (named by --provider, or recognised by its shape).
 */
static void
document(struct aftercare *u, json_t *j, const char *file, long line,
    const char *raw, size_t len)
{
	const char *type = ndjson_str(j, "type");
	enum provider p = (enum provider)u->provider;

	progress_count(++u->documents);
	if (p == PROVIDER_NONE && !own_record(j))
		p = provider_sniff(j);
	if (p != PROVIDER_NONE)
		journey_payload(u, p, j, file, line, raw, len);
	else if (type != NULL && strcmp(type, "tracking") != 0)
		aftercare_reject(u, file, line, raw, len,
		    "a %s record, not a tracking event", type);
	else if (type == NULL && json_object_get(j, "tracking") == NULL)
		aftercare_reject(u, file, line, raw, len,
		    "not a tracking event, nor a payload of AfterShip, "
		    "EasyPost, 17TRACK or Shippo");
	else
		event(u, j, file, line, raw, len);
	aftercare_next(u);
}

/* A line of NDJSON: one document. */
static void
each_line(void *arg, const char *file, long line, const char *text, size_t len)
{
	struct aftercare *u = arg;
	char why[256];
	json_t *j = ndjson_parse(text, len, why, sizeof why);

	if (j == NULL) {
		aftercare_reject(u, file, line, text, len, "%s", why);
		return;
	}
	document(u, j, file, line, text, len);
	json_decref(j);
}

/*
 * An input of pretty-printed documents, one after another, as a
 * provider's payload saved to a file is: read whole, each document
 * taken from where the last ended.  A document that is not JSON ends
 * the input, which cannot be resynchronised.
 */
static void
documents(struct aftercare *u, struct input *in)
{
	size_t cap = 4096, n = 0, off = 0, k, consumed;
	char *buf = xmalloc(cap), *line;
	long lineno = 1, first = 0;
	json_error_t e;
	ssize_t len;
	json_t *j;

	while ((len = input_getline(in, &line)) != INPUT_EOF) {
		if (len == INPUT_ERROR)
			input_fail(in);
		if (first == 0)
			first = input_lineno(in);
		if (len == INPUT_TOOLONG) {
			err_line(input_name(in), input_lineno(in),
			    "line too long, skipped");
			u->rejected++;
			len = 0;
		}
		while (n + (size_t)len + 1 > cap)
			buf = xrealloc(buf, cap *= 2);
		memcpy(buf + n, line, (size_t)len);
		n += (size_t)len;
		buf[n++] = '\n';
	}
	lineno = first;
	while (off < n) {
		for (; off < n && isspace((unsigned char)buf[off]); off++)
			if (buf[off] == '\n')
				lineno++;
		if (off == n)
			break;
		j = json_loadb(buf + off, n - off,
		    JSON_DISABLE_EOF_CHECK | JSON_REJECT_DUPLICATES, &e);
		if (j == NULL || !json_is_object(j)) {
			aftercare_reject(u, input_name(in), lineno, buf + off,
			    n - off, "%s",
			    j ? "not a JSON object" : "not JSON");
			json_decref(j);
			break;
		}
		consumed = (size_t)e.position;
		document(u, j, input_name(in), lineno, buf + off, consumed);
		json_decref(j);
		for (k = off; k < off + consumed; k++)
			if (buf[k] == '\n')
				lineno++;
		off += consumed;
	}
	free(buf);
}

/*
 * Whether an input is pretty-printed documents rather than NDJSON: its
 * first line opens an object it does not close.
 */
static int
pretty(struct input *in)
{
	char *line;
	ssize_t len = input_getline(in, &line);
	json_error_t e;
	json_t *j;
	int multi;

	while (len == 0)
		len = input_getline(in, &line);
	if (len <= 0)
		return 0;
	j = json_loadb(line, (size_t)len, 0, &e);
	multi = j == NULL &&
		json_error_code(&e) == json_error_premature_end_of_input;
	json_decref(j);
	input_unget(in);
	return multi;
}

void
journey_read(struct aftercare *u, struct input *in)
{
	if (u->map != NULL)
		events_csv(u, in);
	else if (pretty(in))
		documents(u, in);
	else
		u->rejected += input_each(in, each_line, u);
}

/*
 * --map's "skip" lists values, and "statuses" gives for each word ours,
 * or rules each with its "status": said wrong, the run stops before it
 * reads a row.
 */
static void
map_check(const json_t *m, const char *path)
{
	json_t *skip = json_object_get(m, "skip"), *v, *r;
	const char *k;
	size_t i;

	if (skip != NULL && !json_is_object(skip))
		err_exit(EXIT_TROUBLE, "--map '%s': skip is an object", path);
	json_object_foreach(skip, k, v) if (!json_is_array(v)) err_exit(
	    EXIT_TROUBLE, "--map '%s': skip.%s is a list of values", path, k);
	json_object_foreach(json_object_get(m, "statuses"), k, v)
	{
		if (json_is_string(v))
			continue;
		if (!json_is_array(v))
			err_exit(EXIT_TROUBLE,
			    "--map '%s': statuses.%s is a status or a list "
			    "of rules",
			    path, k);
		json_array_foreach(v, i, r) if (ndjson_str(r, "status") == NULL)
		    err_exit(EXIT_TROUBLE,
			"--map '%s': statuses.%s: rule %zu has no status", path,
			k, i + 1);
	}
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
	map_check(m, path);
	return m;
}
