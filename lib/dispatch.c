#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "config.h"
#include "dispatch.h"
#include "err.h"
#include "ledger.h"
#include "ledger_manifests.h"
#include "manifest.h"
#include "ndjson.h"
#include "outfile.h"
#include "promise.h"
#include "recsplice.h"
#include "status.h"
#include "when.h"

/*
 * An order of the chunk: the stage's record, then what was decided.
 *
 * Before the lock (begin()), an order that will be dispatched unless the
 * ledger says otherwise is decided as if it did not (foresee()): its
 * record stamped, written and packed there, on two threads.  Under the
 * lock, decide() asks the ledger only what could say otherwise (the
 * order's row, its parcels, the manifest of its day); when nothing does,
 * it keeps what was made, else it starts over from the text read.
 * Its parcels are asked about for the group's foreseen orders at once,
 * at the first one (ask()).
 */
struct job {
	struct stage_rec r;
	char manifest[64];
	int dispatched;
	struct ledger_rec_packed packed; /* r's text as decided, packed */
	struct when now;                 /* when it is dispatched */
	/* foresee()'s: set, r->j is stamped and out is its text. */
	int foreseen;
	const struct carrier *k;
	int64_t day; /* the pickup day, its manifest taken to be open */
	int64_t cod;
	int late, timed; /* timed: ots is its order to ship */
	int64_t ots;
	char *out;
	size_t outlen;
	/* Its parcels as the manifest takes them (manifest_parcels()). */
	struct manifest_parcel *mp;
	size_t nmp;
	/*
	 * ask()'s: asked, its parcels were asked about with the group's;
	 * clear, nothing was found against them.
	 */
	int asked, clear;
};

/* The manifest a carrier's parcels join in this run. */
struct dispatch_open {
	const struct carrier *k;
	int64_t asked; /* the pickup day wanted */
	int64_t day;   /* the one it got: the manifest of asked was closed */
	char id[64];
};

void
dispatch_init(struct dispatch *u)
{
	memset(u, 0, sizeof *u);
}

/*
 * The manifest k's parcels join now: today's, before the carrier's
 * pickup on a working day and while it is open; else the next pickup's.
 */
/*
 * The first pickup k's parcels can make now: today's, before the
 * carrier's pickup on a working day; else the next working day's.
 */
static int64_t
next_pickup(struct dispatch *u, const struct carrier *k, struct when at)
{
	struct when now = when_in_zone(at.t, u->cfg->tz);
	int64_t day = when_day(&now);

	if (!cal_works(&u->cfg->cal, day) || when_secs(&now) >= k->pickup)
		day = cal_next(&u->cfg->cal, day + 1);
	return day;
}

/* The id of k's manifest for the pickup on day: "DHL-20261123". */
static void
manifest_id(const struct carrier *k, int64_t day, char *id, size_t len)
{
	char date[16], *up;

	day_format(day, date);
	snprintf(id, len, "%s-%.4s%.2s%.2s", k->code, date, date + 5, date + 8);
	for (up = id; *up != '\0'; up++)
		if (*up >= 'a' && *up <= 'z')
			*up = (char)(*up - 'a' + 'A');
}

/*
 * The manifest a parcel of k joins for the pickup on day, or the next
 * pickup's if that manifest is closed already.
 */
static const struct dispatch_open *
manifest_for(struct dispatch *u, const struct carrier *k, int64_t day)
{
	struct dispatch_open *o;
	char date[16];
	size_t i;

	for (i = 0; i < u->nopen; i++)
		if (u->open[i].k == k && u->open[i].asked == day)
			return &u->open[i];
	xgrow(&u->open, &u->opencap, u->nopen + 1, sizeof *u->open);
	o = &u->open[u->nopen++];
	o->k = k;
	o->asked = day;
	while (
	    ledger_manifest_closed(u->ledger, k->code, day_format(day, date)))
		day = cal_next(&u->cfg->cal, day + 1);
	o->day = day;
	manifest_id(k, day, o->id, sizeof o->id);
	ledger_manifest_open(u->ledger, o->id, k->code, day_format(day, date));
	return o;
}

/*
 * The pickup an order's parcels go with, dispatched at now: the next
 * one, but a timed delivery's is the day it should leave to arrive in
 * its window (lib/promise), so that it waits here rather than at the
 * customer's door before the window.  Its manifest is manifest_for()'s.
 */
static int64_t
pickup_day(
    struct dispatch *u, const struct carrier *k, json_t *rec, struct when now)
{
	const struct service *svc = carrier_service(
	    k, ndjson_str(rec, "service") ? ndjson_str(rec, "service")
					  : "standard");
	struct promise_window w;
	int64_t day = next_pickup(u, k, now);

	promise_window(rec, &w);
	if (svc != NULL && w.set)
		day = promise_ship_day(u->cfg, k, svc->transit_days, day, &w);
	return day;
}

static void
touch(struct dispatch *u, const char *id)
{
	size_t i;

	for (i = 0; i < u->ntouched; i++)
		if (strcmp(u->touched[i], id) == 0)
			return;
	xgrow(&u->touched, &u->touchedcap, u->ntouched + 1, sizeof *u->touched);
	u->touched[u->ntouched++] = xstrdup(id);
}

/*
 * What the ledger has on a parcel: voided, its label never printed (-2),
 * or on which manifest.
 */
static int
parcel_check(struct dispatch *u, const char *tracking, const struct carrier *k,
    char *on, size_t onlen, char *why, size_t whylen)
{
	struct ledger_parcel_state s;
	int r = 0;

	on[0] = '\0';
	ledger_parcel_state(u->ledger, tracking, &s);
	if (s.voided) {
		snprintf(why, whylen, "label %s was voided", tracking);
		r = -1;
	} else if (s.unprinted) {
		snprintf(why, whylen,
		    "label %s was never printed: label --pending -o "
		    "dir prints it",
		    tracking);
		r = -2;
	} else if (s.manifest == NULL)
		; /* on no manifest yet */
	else if (strcmp(s.carrier, k->code) != 0) {
		snprintf(why, whylen,
		    "parcel %s is already on %s manifest %s of "
		    "carrier %s",
		    tracking, s.status, s.manifest, s.carrier);
		r = -1;
	} else
		snprintf(on, onlen, "%s", s.manifest);
	ledger_parcel_state_free(&s);
	return r;
}

/*
 * Whether dispatch acts on an order in this status: a labelled one, yes.
 * One not labelled yet is set aside; any other passes through unchanged,
 * a held order on its way to notify among them.  One that came labelled
 * but that the ledger has cancelled, returned or on the road was set
 * aside already (stage_parse_move()).
 */
static int
labelled(struct dispatch *u, struct stage_rec *r)
{
	enum status from = status_parse(ndjson_str(r->j, "status"));
	char why[128];

	switch (status_step(from, ST_DISPATCHED)) {
	case STEP_ACT:
		return 1;
	case STEP_EARLY:
		if (from == ST_ACCEPTED || from == ST_PICKED) {
			stage_reject(&u->stage, r, "%s",
			    status_why(why, sizeof why, from, ST_DISPATCHED));
			return 0;
		}
		break;
	default:
		break;
	}
	u->passed++;
	return 0;
}

/*
 * Each parcel of the order as the ledger has it: 1 if they are on a
 * manifest of k already, a run again (the last one's id in on), 0 if
 * not, -1 if the order was set aside or waits for its label.
 */
static int
parcels_on(struct dispatch *u, struct stage_rec *r, json_t *parcels,
    const struct carrier *k, char *on, size_t onlen)
{
	const char *id = ndjson_str(r->j, "order_id");
	json_t *p;
	char why[512];
	size_t i;
	int again = 0;

	json_array_foreach(parcels, i, p)
	{
		const char *t = ndjson_str(p, "tracking");

		if (t == NULL) {
			stage_reject(&u->stage, r,
			    "parcel %zu has no tracking number", i + 1);
			return -1;
		}
		switch (parcel_check(u, t, k, on, onlen, why, sizeof why)) {
		case -1:
			stage_reject(&u->stage, r, "%s", why);
			return -1;
		case -2:
			/* Not bad, not ready: it stays labelled, pending. */
			err_line(r->file, r->line, "order %s: %s", id, why);
			json_decref(r->j);
			r->j = NULL;
			u->unprinted++;
			return -1;
		}
		again = on[0] != '\0';
	}
	return again;
}

/*
 * Whether the order leaves late, into d, and when it will arrive: 1 if
 * late.
 */
/*
 * Late and early, against the promise (lib/promise): late when it
 * leaves after ship_by; when it will arrive, from its pickup day, honest
 * whether late or not, and at risk when that is after deliver_by; early
 * when a timed delivery reaches the door before its window (it is told
 * the window's start, and the carrier must hold it).
 */
static int
promised(const struct config *c, json_t *rec, const struct carrier *k,
    int64_t day, int again, struct when now, json_t *d)
{
	json_t *promise = json_object_get(rec, "promise");
	const struct service *svc;
	struct promise_window win;
	struct when w;
	int64_t ship_by = INT64_MAX, deliver_by = INT64_MAX, expected;
	int late;

	if (ndjson_str(promise, "ship_by") != NULL &&
	    when_parse(ndjson_str(promise, "ship_by"), &w) == 0)
		ship_by = w.t;
	if (ndjson_str(promise, "deliver_by") != NULL &&
	    when_parse(ndjson_str(promise, "deliver_by"), &w) == 0)
		deliver_by = w.t;
	late = now.t > ship_by;
	json_object_set_new(d, "late", json_boolean(late));
	svc = carrier_service(k, ndjson_str(rec, "service")
				     ? ndjson_str(rec, "service")
				     : "standard");
	if (svc == NULL || again)
		return late;
	promise_window(rec, &win);
	if (win.set)
		json_object_set_new(d, "early",
		    json_boolean(promise_arrival(c, k, svc->transit_days, day,
				     NULL) < win.from));
	expected = promise_arrival(c, k, svc->transit_days, day, &win);
	if (expected != CAL_NONE) {
		ndjson_set_time(d, "expected_delivery", expected, c->tz);
		if (expected > deliver_by && promise != NULL)
			json_object_set_new(promise, "at_risk", json_true());
	}
	return late;
}

/*
 * The order's parcels as manifest o takes them, into mp (as many as
 * parcels): strings borrowed from rec, which must be stamped already.
 */
static void
manifest_parcels(json_t *rec, json_t *ship, json_t *parcels, int64_t cod,
    struct manifest_parcel *mp)
{
	const char *service = ndjson_str(ship, "service");
	unsigned handling = handling_bits(
	    json_object_get(json_object_get(rec, "pick"), "handling"));
	json_t *p;
	size_t i;

	json_array_foreach(parcels, i, p)
	{
		memset(&mp[i], 0, sizeof mp[i]);
		mp[i].tracking = ndjson_str(p, "tracking");
		mp[i].source = ndjson_str(rec, "source");
		mp[i].order_id = ndjson_str(rec, "order_id");
		mp[i].service = service ? service : "standard";
		mp[i].n = (int)i + 1;
		mp[i].m = (int)json_array_size(parcels);
		mp[i].weight_g =
		    json_integer_value(json_object_get(p, "weight_g"));
		/* The amount is collected once, with parcel 1. */
		mp[i].cod = i == 0 ? cod : 0;
		mp[i].currency = ndjson_str(rec, "currency");
		mp[i].handling = handling;
		mp[i].dispatched_at = ndjson_str(
		    json_object_get(rec, "dispatch"), "dispatched_at");
	}
}

/* The order's parcels mp (n of them) onto manifest o, in the ledger. */
static void
add_parcels(struct dispatch *u, const struct manifest_parcel *mp, size_t n,
    const struct dispatch_open *o)
{
	size_t i;

	for (i = 0; i < n; i++) {
		ledger_manifest_add_parcel(u->ledger, o->id, &mp[i]);
		u->parcels++;
	}
}

/*
 * What dispatching stamps on the order rec leaving on manifest id for
 * the pickup on day (again: found on it already) at now: its dispatch,
 * its status, its promise at risk.  Late or not is returned; *timed set
 * when it says when it was placed, *ots its order to ship.
 */
static int
stamp(const struct config *c, json_t *rec, const struct carrier *k,
    const char *id, int64_t day, int again, struct when now, int *timed,
    int64_t *ots)
{
	json_t *d = json_object();
	const char *placed;
	struct when w;
	int late;

	*timed = 0;
	json_object_set_new(d, "manifest", json_string(id));
	ndjson_set_time(d, "dispatched_at", now.t, c->tz);
	if ((placed = ndjson_str(rec, "placed_at")) != NULL &&
	    when_parse(placed, &w) == 0) {
		json_object_set_new(
		    d, "order_to_ship_s", json_integer(now.t - w.t));
		*timed = 1;
		*ots = now.t - w.t;
	}
	late = promised(c, rec, k, day, again, now, d);
	json_object_set_new(rec, "dispatch", d);
	json_object_set_new(
	    rec, "status", json_string(status_name(ST_DISPATCHED)));
	return late;
}

/* The summary's counts of an order dispatched. */
static void
count(struct dispatch *u, int late, int timed, int64_t ots)
{
	if (timed) {
		xgrow(&u->ots, &u->otscap, u->nots + 1, sizeof *u->ots);
		u->ots[u->nots++] = ots;
	}
	u->late += late;
	u->dispatched++;
}

/*
 * The carrier that takes rec's parcels, when nothing in the record
 * itself stops them: each parcel numbered, its carrier known (the one
 * of --carrier), and cash on delivery only where it is collected.
 * NULL: decide() says why, or passes it through.
 */
static const struct carrier *
ready(struct dispatch *u, json_t *rec, int64_t *cod)
{
	json_t *ship = json_object_get(rec, "shipment");
	json_t *parcels = json_object_get(ship, "parcels");
	json_t *pay = json_object_get(rec, "payment"), *p;
	const struct carrier *k;
	size_t i;
	int cod_order;

	if (ndjson_str(ship, "tracking") == NULL ||
	    json_array_size(parcels) == 0)
		return NULL;
	json_array_foreach(parcels, i, p)
	{
		if (ndjson_str(p, "tracking") == NULL)
			return NULL;
	}
	if ((k = config_carrier(u->cfg, ndjson_str(ship, "carrier"))) == NULL ||
	    (u->forced != NULL && strcmp(u->forced, k->code) != 0))
		return NULL;
	cod_order = ndjson_str(pay, "method") != NULL &&
		    strcmp(ndjson_str(pay, "method"), "cod") == 0;
	if (cod_order && !k->cod)
		return NULL;
	*cod = cod_order
		   ? json_integer_value(json_object_get(pay, "cod_amount"))
		   : 0;
	return k;
}

/*
 * Before the lock: the order decided as if the ledger had it labelled
 * as the record says, its parcels on no manifest, and the manifest of
 * its pickup day open (the run's usual case).  1 when it was: r->j is
 * stamped, its text written and packed after (foretell()).  Nothing is
 * said or set aside here; decide() does that.
 */
static int
foresee(struct dispatch *u, struct job *jb)
{
	struct stage_rec *r = &jb->r;
	json_t *ship, *parcels;
	const char *status;
	char id[64];

	stage_parse_early(r);
	if (r->j == NULL || ndjson_str(r->j, "source") == NULL ||
	    ndjson_str(r->j, "order_id") == NULL ||
	    (status = ndjson_str(r->j, "status")) == NULL ||
	    strcmp(status, status_name(ST_LABELLED)) != 0 ||
	    status_step(ST_LABELLED, ST_DISPATCHED) != STEP_ACT ||
	    (jb->k = ready(u, r->j, &jb->cod)) == NULL)
		return 0;
	jb->day = pickup_day(u, jb->k, r->j, jb->now);
	manifest_id(jb->k, jb->day, id, sizeof id);
	jb->late = stamp(
	    u->cfg, r->j, jb->k, id, jb->day, 0, jb->now, &jb->timed, &jb->ots);
	ship = json_object_get(r->j, "shipment");
	parcels = json_object_get(ship, "parcels");
	jb->nmp = json_array_size(parcels);
	jb->mp = xcalloc(jb->nmp, sizeof *jb->mp);
	manifest_parcels(r->j, ship, parcels, jb->cod, jb->mp);
	jb->foreseen = 1;
	return 1;
}

/* What decide() sets in the record, spliced into the text read. */
static const char *const changed[] = {"status", "dispatch", "promise", NULL};

/* stage_share()'s argument: the chunk's jobs, and whose ledger. */
struct dumping {
	struct dispatch *u;
	struct job *jobs;
};

/* A foreseen order's text, and packed: on two threads, before the lock. */
static void
foretell(void *arg, size_t i)
{
	struct dumping *d = arg;
	struct job *jb = d->jobs + i;

	if (!jb->foreseen)
		return;
	jb->out = stage_splice(&jb->r, changed, &jb->outlen);
	ledger_rec_pack(d->u->ledger, jb->out, jb->outlen, &jb->packed);
}

/* Before the chunk's transaction: its time, and what can be foreseen. */
static void
begin(void *arg, void *recs, size_t n)
{
	struct dispatch *u = arg;
	struct job *jobs = recs;
	struct dumping d = {u, jobs};
	struct when now = when_now();
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		jobs[i].now = now;
		k += foresee(u, &jobs[i]);
	}
	if (k > 0)
		stage_share(&u->stage, foretell, &d, n);
}

/* A foreseen order the ledger has otherwise: back to the record read. */
static void
unforesee(struct job *jb)
{
	json_decref(jb->r.j);
	jb->r.j = NULL;
	stage_parse_early(&jb->r);
	free(jb->out);
	jb->out = NULL;
	ledger_rec_packed_free(&jb->packed);
	free(jb->mp);
	jb->mp = NULL;
	jb->foreseen = 0;
}

/*
 * Whether the ledger has nothing against a foreseen order: as read
 * (labelled) and not another warehouse's (stage_parse_move()), and,
 * unless ask() found them clear, none of its parcels voided, waiting
 * for its label or on a manifest (parcels_on()).
 */
static int
nothing_against(struct dispatch *u, struct job *jb)
{
	json_t *rec = jb->r.j, *p;
	struct ledger_parcel_state s;
	struct ledger_order lo;
	size_t i, len;
	char *led;
	int ok = 1;

	if (ledger_order_get_record(u->ledger, ndjson_str(rec, "source"),
		ndjson_str(rec, "order_id"), &lo, status_name(ST_LABELLED),
		&led, &len)) {
		ok = led == NULL && ledger_elsewhere(u->ledger, &lo) == NULL &&
		     status_step(status_parse(lo.status), ST_DISPATCHED) !=
			 STEP_REFUSE;
		free(led);
		ledger_order_free(&lo);
	}
	if (!ok)
		return 0;
	if (jb->clear && !u->stale)
		return 1;
	json_array_foreach(
	    json_object_get(json_object_get(rec, "shipment"), "parcels"), i, p)
	{
		ledger_parcel_state(u->ledger, ndjson_str(p, "tracking"), &s);
		ok = !s.voided && !s.unprinted && s.manifest == NULL;
		ledger_parcel_state_free(&s);
		if (!ok)
			return 0;
	}
	return 1;
}

/* A parcel of the group: its tracking number, and whose. */
struct tracked {
	const char *tracking;
	size_t job;
};

static int
by_tracking(const void *a, const void *b)
{
	return strcmp(((const struct tracked *)a)->tracking,
	    ((const struct tracked *)b)->tracking);
}

/*
 * Under the lock, at the group's first foreseen order: the parcels of
 * its foreseen orders from jb on asked about in a few statements, not
 * one each.  What is found holds while the group is decided but for
 * what decide() puts on manifests: a parcel two of them share leaves
 * both to ask alone, and so does every order after a parcel went on a
 * manifest the long way (u->stale).  An order's own row is still read
 * alone: that read is also what names it in the audit trail (its
 * rowid, ledger_event()).
 */
static void
ask(struct dispatch *u, struct job *jb)
{
	/* The group being decided: the stage's slots, as its loop has them. */
	struct job *jobs = (struct job *)u->stage.recs;
	size_t n = u->stage.n, i, k, t = 0, cap = 0;
	struct tracked *tr = NULL;
	const char **tracking;
	json_t *p;
	int *held;

	for (i = (size_t)(jb - jobs); i < n; i++) {
		if (!jobs[i].foreseen)
			continue;
		jobs[i].asked = jobs[i].clear = 1;
		json_array_foreach(
		    json_object_get(
			json_object_get(jobs[i].r.j, "shipment"), "parcels"),
		    k, p)
		{
			xgrow(&tr, &cap, t + 1, sizeof *tr);
			tr[t].tracking = ndjson_str(p, "tracking");
			tr[t++].job = i;
		}
	}
	tracking = xcalloc(t + 1, sizeof *tracking);
	held = xcalloc(t + 1, sizeof *held);
	for (k = 0; k < t; k++)
		tracking[k] = tr[k].tracking;
	ledger_parcels_held(u->ledger, tracking, t, held);
	for (k = 0; k < t; k++)
		if (held[k])
			jobs[tr[k].job].clear = 0;
	qsort(tr, t, sizeof *tr, by_tracking);
	for (k = 1; k < t; k++)
		if (strcmp(tr[k - 1].tracking, tr[k].tracking) == 0)
			jobs[tr[k - 1].job].clear = jobs[tr[k].job].clear = 0;
	u->stale = 0;
	free(tr);
	free(tracking);
	free(held);
}

/*
 * A foreseen order, under the lock: 1 and dispatched as foreseen when
 * the ledger has nothing against it and the manifest of its day is
 * open, else 0 with nothing changed.
 */
static int
foreseen(struct dispatch *u, struct job *jb)
{
	const struct dispatch_open *o;

	if (!jb->asked)
		ask(u, jb);
	if (!nothing_against(u, jb))
		return 0;
	o = manifest_for(u, jb->k, jb->day);
	if (o->day != jb->day)
		return 0;
	add_parcels(u, jb->mp, jb->nmp, o);
	touch(u, o->id);
	snprintf(jb->manifest, sizeof jb->manifest, "%s", o->id);
	jb->dispatched = 1;
	count(u, jb->late, jb->timed, jb->ots);
	return 1;
}

/* Decide one order inside the transaction. */
static void
decide(void *arg, void *rec)
{
	struct dispatch *u = arg;
	struct job *jb = rec;
	struct stage_rec *r = &jb->r;
	json_t *ship, *parcels, *pay;
	const struct carrier *k;
	const struct dispatch_open *o = NULL;
	char on[64];
	int64_t cod = 0, ots = 0;
	int cod_order, again, late, timed;

	if (jb->foreseen) {
		if (foreseen(u, jb))
			return;
		unforesee(jb);
	}
	if (stage_parse_move(&u->stage, r, 1, ST_DISPATCHED) == -1 ||
	    !labelled(u, r))
		return;
	ship = json_object_get(r->j, "shipment");
	parcels = json_object_get(ship, "parcels");
	if (ndjson_str(ship, "tracking") == NULL ||
	    json_array_size(parcels) == 0) {
		stage_reject(&u->stage, r, "no tracking number");
		return;
	}
	if ((k = config_carrier(u->cfg, ndjson_str(ship, "carrier"))) == NULL) {
		stage_reject(&u->stage, r, "carrier '%s' is not in %s",
		    ndjson_str(ship, "carrier") ? ndjson_str(ship, "carrier")
						: "",
		    u->cfg->file);
		return;
	}
	if (u->forced != NULL && strcmp(u->forced, k->code) != 0) {
		u->passed++;
		return;
	}
	pay = json_object_get(r->j, "payment");
	cod_order = ndjson_str(pay, "method") != NULL &&
		    strcmp(ndjson_str(pay, "method"), "cod") == 0;
	if (cod_order && !k->cod) {
		stage_reject(&u->stage, r,
		    "cash on delivery, but carrier %s does not collect it",
		    k->code);
		return;
	}
	if (cod_order)
		cod = json_integer_value(json_object_get(pay, "cod_amount"));
	if ((again = parcels_on(u, r, parcels, k, on, sizeof on)) == -1)
		return;
	if (!again)
		o = manifest_for(u, k, pickup_day(u, k, r->j, jb->now));
	late = stamp(u->cfg, r->j, k, again ? on : o->id, again ? 0 : o->day,
	    again, jb->now, &timed, &ots);
	if (!again) {
		jb->nmp = json_array_size(parcels);
		jb->mp = xcalloc(jb->nmp, sizeof *jb->mp);
		manifest_parcels(r->j, ship, parcels, cod, jb->mp);
		add_parcels(u, jb->mp, jb->nmp, o);
		u->stale = 1;
		touch(u, o->id);
	} else
		touch(u, on);
	snprintf(jb->manifest, sizeof jb->manifest, "%s", again ? on : o->id);
	jb->dispatched = 1;
	count(u, late, timed, ots);
	u->again += again;
}

/*
 * The text kept is the text written: one dump, not two.  decide() sets
 * status and dispatch and may mark the promise at risk; the rest of the
 * record goes on as the text it was parsed from (recsplice).  A
 * foreseen order's was made before the lock.
 */
static void
dump(void *arg, size_t i)
{
	struct dumping *d = arg;
	struct job *jb = d->jobs + i;
	size_t olen;
	char *out;

	if (!jb->dispatched)
		return;
	if (jb->foreseen) {
		out = jb->out;
		olen = jb->outlen;
		jb->out = NULL;
	} else
		out = stage_splice(&jb->r, changed, &olen);
	stage_rescan(&jb->r);
	jb->r.len = olen;
	free(jb->r.raw);
	jb->r.raw = out;
	/* Packed here too: on two threads, not one after the other. */
	if (!jb->foreseen)
		ledger_rec_pack(d->u->ledger, out, olen, &jb->packed);
}

/* Inside the chunk's transaction: the orders dispatched, as written. */
static void
settle(void *arg, void *recs, size_t n)
{
	struct dispatch *u = arg;
	struct job *jobs = recs;
	struct dumping d = {u, jobs};
	size_t i, k = 0;

	/* Two threads only for what was not foreseen: the rest is made. */
	for (i = 0; i < n; i++)
		k += jobs[i].dispatched && !jobs[i].foreseen;
	if (k > 0)
		stage_share(&u->stage, dump, &d, n);
	else
		for (i = 0; i < n; i++)
			dump(&d, i);
	for (i = 0; i < n; i++) {
		struct job *jb = &jobs[i];
		const char *source, *id;

		if (!jb->dispatched)
			continue;
		source = ndjson_str(jb->r.j, "source");
		id = ndjson_str(jb->r.j, "order_id");
		ledger_order_put_packed(u->ledger, source, id,
		    status_name(ST_DISPATCHED), jb->r.raw, jb->r.len,
		    &jb->packed, NULL, 0, 0);
		ledger_rec_packed_free(&jb->packed);
		ledger_event(u->ledger, source, id, "dispatched", jb->manifest);
	}
}

/* A later chunk may find a manifest closed meanwhile. */
static void
forget_manifests(void *arg, void *recs, size_t n)
{
	((struct dispatch *)arg)->nopen = 0;
}

/* raw is what the record now is: as read, or as decided. */
static void
write_one(void *arg, void *rec)
{
	struct job *jb = rec;

	if (jb->r.j != NULL)
		ndjson_put(jb->r.raw, jb->r.len);
}

/* What foresee() made and nothing took. */
static void
clear_one(void *arg, void *rec)
{
	struct job *jb = rec;

	free(jb->out);
	free(jb->mp);
	ledger_rec_packed_free(&jb->packed);
}

static const struct stage_ops dispatch_ops = {
    .begin = begin,
    .decide = decide,
    .settle = settle,
    .effects = forget_manifests,
    .write = write_one,
    .clear = clear_one,
    .group = STAGE_GROUP,
};

int
dispatch_run(struct dispatch *u, struct input **in, int nin, int pending)
{
	const char *const waiting[] = {status_name(ST_LABELLED), NULL};

	u->stage.ledger = u->ledger;
	u->stage.rejects = &u->rejects;
	u->stage.rejected_what = "dispatch.rejected";
	/* --pending: not while a label is still to be printed. */
	u->stage.pending_where = ledger_manifest_pending_where();
	stage_init_ops(
	    &u->stage, sizeof(struct job), STAGE_CHUNK, &dispatch_ops, u);
	u->stage.own_only = 1;
	stage_run(&u->stage, in, nin, pending ? waiting : NULL);
	return u->stage.rejected > 0 || u->unprinted > 0 ? EXIT_REJECTS
							 : EXIT_OK;
}

static int
by_time(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* "1h02m" for seconds. */
static void
span(int64_t s, char *buf, size_t len)
{
	if (s >= 86400)
		snprintf(buf, len, "%" PRId64 "d%02" PRId64 "h", s / 86400,
		    s % 86400 / 3600);
	else
		snprintf(buf, len, "%" PRId64 "h%02" PRId64 "m", s / 3600,
		    s % 3600 / 60);
}

void
dispatch_order_to_ship(struct dispatch *u, char *p50, char *p95, size_t len)
{
	snprintf(p50, len, "-");
	snprintf(p95, len, "-");
	if (u->nots > 0) {
		qsort(u->ots, u->nots, sizeof *u->ots, by_time);
		/* Nearest rank. */
		span(u->ots[(u->nots * 50 + 99) / 100 - 1], p50, len);
		span(u->ots[(u->nots * 95 + 99) / 100 - 1], p95, len);
	}
}

/* "line1, line2, city postcode, country" of an address object. */
static char *
one_line(json_t *a)
{
	static const char *const keys[] = {
	    "line1", "line2", "city", "region", "postcode", "country", NULL};
	char *s = xstrdup(""), *t;
	int i;

	for (i = 0; keys[i] != NULL; i++)
		if (ndjson_str(a, keys[i]) != NULL) {
			xasprintf(&t, "%s%s%s", s, *s ? ", " : "",
			    ndjson_str(a, keys[i]));
			free(s);
			s = t;
		}
	return s;
}

static void
write_manifest(const char *dir, const struct manifest *m)
{
	static const struct {
		const char *ext;
		void (*fn)(FILE *, const struct manifest *);
	} kinds[] = {{"csv", manifest_csv}, {"txt", manifest_text},
	    {"json", manifest_json}, {"pdf", manifest_pdf}};
	struct outfile f;
	char name[96];
	size_t i;

	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		snprintf(
		    name, sizeof name, "manifest-%s.%s", m->id, kinds[i].ext);
		kinds[i].fn(outfile_open(&f, dir, name), m);
		outfile_commit(&f);
	}
}

/* Write manifest v's files to dir and close it in the ledger. */
static void
close_one(struct dispatch *u, const char *dir, const struct ledger_manifest *v)
{
	const struct carrier *k = config_carrier(u->cfg, v->carrier);
	json_t *wh = json_object_get(u->cfg->root, "warehouse");
	json_t *addr = json_object_get(wh, "address");
	struct manifest_parcel *p;
	struct manifest m;
	struct when now = when_in_zone(when_now().t, u->cfg->tz);
	char stamp[WHEN_BUFSZ];
	size_t n;

	n = ledger_manifest_parcels(u->ledger, v->id, &p);
	memset(&m, 0, sizeof m);
	m.id = v->id;
	m.carrier = v->carrier;
	m.carrier_name = k != NULL && k->name ? k->name : v->carrier;
	m.account = k != NULL ? k->account : NULL;
	m.ship_date = v->ship_date;
	m.closed_at = when_format(&now, stamp);
	m.origin_name = u->cfg->wh_name ? u->cfg->wh_name : u->cfg->wh_id;
	m.origin_address =
	    one_line(addr != NULL ? addr : u->cfg->return_address);
	m.p = p;
	m.n = n;
	write_manifest(dir, &m);
	manifest_json(stdout, &m);
	ledger_manifest_close(u->ledger, v->id, stamp);
	ledger_event(u->ledger, NULL, NULL, "manifest.closed", v->id);
	if (!quiet)
		fprintf(stderr, "%s: %s closed: %zu parcel%s, written to %s\n",
		    progname, v->id, n, n == 1 ? "" : "s", dir);
	ledger_manifest_parcels_free(p, n);
	free((char *)m.origin_address);
}

int
dispatch_close(struct dispatch *u, const char *dir)
{
	struct when now = when_in_zone(when_now().t, u->cfg->tz);
	struct ledger_manifest *v;
	char today[16];
	size_t n, i;

	day_format(when_day(&now), today);
	ledger_begin(u->ledger);
	n = ledger_manifests_due(u->ledger, today, u->forced, &v);
	for (i = 0; i < n; i++)
		close_one(u, dir, &v[i]);
	ledger_manifests_free(v, n);
	if (n == 0 && !quiet) {
		/* Closing again changes nothing, and says so. */
		n = ledger_manifests_closed_on(u->ledger, today, u->forced, &v);
		for (i = 0; i < n; i++)
			fprintf(stderr, "%s: %s was closed at %s\n", progname,
			    v[i].id, v[i].closed_at);
		ledger_manifests_free(v, n);
		fprintf(stderr,
		    "%s: no open manifest to close; nothing "
		    "changed\n",
		    progname);
	}
	ledger_commit(u->ledger);
	return EXIT_OK;
}

void
dispatch_done(struct dispatch *u)
{
	size_t i;

	for (i = 0; i < u->ntouched; i++)
		free(u->touched[i]);
	free(u->touched);
	free(u->open);
	free(u->ots);
}
