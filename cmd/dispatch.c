/*
 * dispatch: hand labelled parcels to their carriers' manifests, stamp
 * each order with when it left and whether the promise still holds;
 * --close ends the day's manifests.  See dispatch(1).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "config.h"
#include "err.h"
#include "ledger.h"
#include "ledger_manifests.h"
#include "manifest.h"
#include "ndjson.h"
#include "opts.h"
#include "outfile.h"
#include "rejects.h"
#include "stage.h"
#include "when.h"

/* Orders decided per transaction; their output follows its commit. */
#define CHUNK 500

/* An order of the chunk: the stage's record, then what was decided. */
struct job {
	struct stage_rec r;
	char manifest[64];
	int dispatched;
};

/* The manifest a carrier's parcels join in this run. */
struct open {
	const struct carrier *k;
	int64_t day;
	char id[64];
};

struct run {
	struct config *cfg;
	struct ledger *ledger;
	struct rejects rejects;
	struct stage stage;
	const char *forced; /* --carrier */
	struct open *open;
	size_t nopen, opencap;
	int64_t *ots; /* order-to-ship seconds of the orders dispatched */
	size_t nots, otscap;
	char **touched; /* manifest ids */
	size_t ntouched, touchedcap;
	long dispatched, again, passed, parcels, late, unprinted;
};

static void __attribute__((noreturn)) usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: %s [-hq] [--pending] [--carrier code] [--config file] "
	    "[--db file]\n"
	    "       [--rejects file] [--version] [file ...]\n"
	    "       %s --close [--carrier code] -o dir [--config file] "
	    "[--db file]\n",
	    progname, progname);
	exit(status ? status : close_stdout(EXIT_OK));
}

/*
 * The manifest k's parcels join now: today's, before the carrier's
 * pickup on a working day and while it is open; else the next pickup's.
 */
static const struct open *
manifest_for(struct run *u, const struct carrier *k)
{
	struct when now = when_in_zone(when_now().t, u->cfg->tz);
	struct open *o;
	char date[16], *up;
	size_t i;
	int64_t day = when_day(&now);

	for (i = 0; i < u->nopen; i++)
		if (u->open[i].k == k)
			return &u->open[i];
	if (!cal_works(&u->cfg->cal, day) || when_secs(&now) >= k->pickup)
		day = cal_next(&u->cfg->cal, day + 1);
	while (
	    ledger_manifest_closed(u->ledger, k->code, day_format(day, date)))
		day = cal_next(&u->cfg->cal, day + 1);
	xgrow(&u->open, &u->opencap, u->nopen + 1, sizeof *u->open);
	o = &u->open[u->nopen++];
	o->k = k;
	o->day = day;
	day_format(day, date);
	snprintf(o->id, sizeof o->id, "%s-%.4s%.2s%.2s", k->code, date,
	    date + 5, date + 8);
	for (up = o->id; *up != '\0'; up++)
		if (*up >= 'a' && *up <= 'z')
			*up = (char)(*up - 'a' + 'A');
	ledger_manifest_open(u->ledger, o->id, k->code, date);
	return o;
}

static void
touch(struct run *u, const char *id)
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
parcel_check(struct run *u, const char *tracking, const struct carrier *k,
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

/* Decide one order inside the transaction. */
static void
decide(struct run *u, struct job *jb)
{
	struct stage_rec *r = &jb->r;
	const char *id, *source, *status, *placed, *tz = u->cfg->tz;
	json_t *ship, *parcels, *p, *promise, *pay, *d;
	const struct carrier *k;
	const struct open *o = NULL;
	const struct service *svc;
	struct when now = when_now(), w;
	char why[512], on[64];
	size_t i;
	int64_t ship_by = INT64_MAX, deliver_by = INT64_MAX, expected, cod = 0;
	int cod_order, late, again = 0;

	if (stage_parse(&u->stage, r, 1) == -1)
		return;
	id = ndjson_str(r->j, "order_id");
	source = ndjson_str(r->j, "source");
	status = ndjson_str(r->j, "status");
	if (status == NULL || strcmp(status, "labelled") != 0) {
		if (status != NULL && (strcmp(status, "accepted") == 0 ||
					  strcmp(status, "picked") == 0)) {
			stage_reject(
			    &u->stage, r, "not labelled (status %s)", status);
			return;
		}
		u->passed++;
		return;
	}
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
	json_array_foreach(parcels, i, p)
	{
		const char *t = ndjson_str(p, "tracking");

		if (t == NULL) {
			stage_reject(&u->stage, r,
			    "parcel %zu has no tracking number", i + 1);
			return;
		}
		switch (parcel_check(u, t, k, on, sizeof on, why, sizeof why)) {
		case -1:
			stage_reject(&u->stage, r, "%s", why);
			return;
		case -2:
			/* Not bad, not ready: it stays labelled, pending. */
			err_line(r->file, r->line, "order %s: %s", id, why);
			json_decref(r->j);
			r->j = NULL;
			u->unprinted++;
			return;
		}
		again = on[0] != '\0';
	}
	if (!again)
		o = manifest_for(u, k);
	promise = json_object_get(r->j, "promise");
	if (ndjson_str(promise, "ship_by") != NULL &&
	    when_parse(ndjson_str(promise, "ship_by"), &w) == 0)
		ship_by = w.t;
	if (ndjson_str(promise, "deliver_by") != NULL &&
	    when_parse(ndjson_str(promise, "deliver_by"), &w) == 0)
		deliver_by = w.t;
	d = json_object();
	json_object_set_new(d, "manifest", json_string(again ? on : o->id));
	ndjson_set_time(d, "dispatched_at", now.t, tz);
	if ((placed = ndjson_str(r->j, "placed_at")) != NULL &&
	    when_parse(placed, &w) == 0) {
		json_object_set_new(
		    d, "order_to_ship_s", json_integer(now.t - w.t));
		xgrow(&u->ots, &u->otscap, u->nots + 1, sizeof *u->ots);
		u->ots[u->nots++] = now.t - w.t;
	}
	late = now.t > ship_by;
	json_object_set_new(d, "late", json_boolean(late));
	/* When it will arrive, from the pickup day: honest, late or not. */
	svc = carrier_service(k, ndjson_str(r->j, "service")
				     ? ndjson_str(r->j, "service")
				     : "standard");
	if (svc != NULL && !again) {
		expected = cal_add(&k->delivery, o->day, svc->transit_days);
		if (expected != CAL_NONE) {
			expected = when_day_end(tz, expected);
			ndjson_set_time(d, "expected_delivery", expected, tz);
			if (expected > deliver_by && promise != NULL)
				json_object_set_new(
				    promise, "at_risk", json_true());
		}
	}
	json_object_set_new(r->j, "dispatch", d);
	json_object_set_new(r->j, "status", json_string("dispatched"));
	u->late += late;
	if (!again) {
		json_array_foreach(parcels, i, p)
		{
			struct manifest_parcel mp;

			memset(&mp, 0, sizeof mp);
			mp.tracking = ndjson_str(p, "tracking");
			mp.source = source;
			mp.order_id = id;
			mp.service = ndjson_str(ship, "service")
					 ? ndjson_str(ship, "service")
					 : "standard";
			mp.n = (int)i + 1;
			mp.m = (int)json_array_size(parcels);
			mp.weight_g =
			    json_integer_value(json_object_get(p, "weight_g"));
			/* The amount is collected once, with parcel 1. */
			mp.cod = i == 0 ? cod : 0;
			mp.currency = ndjson_str(r->j, "currency");
			mp.handling = handling_bits(json_object_get(
			    json_object_get(r->j, "pick"), "handling"));
			mp.dispatched_at = ndjson_str(
			    json_object_get(r->j, "dispatch"), "dispatched_at");
			ledger_manifest_add_parcel(u->ledger, o->id, &mp);
			u->parcels++;
		}
		touch(u, o->id);
	} else
		touch(u, on);
	snprintf(jb->manifest, sizeof jb->manifest, "%s", again ? on : o->id);
	jb->dispatched = 1;
	u->dispatched++;
	u->again += again;
}

/* The text kept is the text written: one dump, not two. */
static void
dump(void *arg, size_t i)
{
	struct job *jb = (struct job *)arg + i;

	if (!jb->dispatched)
		return;
	free(jb->r.raw);
	jb->r.raw = ndjson_dump(jb->r.j, &jb->r.len);
}

static void
decide_one(void *arg, void *rec)
{
	decide(arg, rec);
}

/* Inside the chunk's transaction: the orders dispatched, as written. */
static void
settle(void *arg, void *recs, size_t n)
{
	struct run *u = arg;
	struct job *jobs = recs;
	size_t i;

	stage_share(&u->stage, dump, jobs, n);
	for (i = 0; i < n; i++) {
		struct job *jb = &jobs[i];
		const char *source, *id;

		if (!jb->dispatched)
			continue;
		source = ndjson_str(jb->r.j, "source");
		id = ndjson_str(jb->r.j, "order_id");
		ledger_order_put(u->ledger, source, id, "dispatched", jb->r.raw,
		    jb->r.len, NULL, 0, 0);
		ledger_event(u->ledger, source, id, "dispatched", jb->manifest);
	}
}

/* A later chunk may find a manifest closed meanwhile. */
static void
forget_manifests(void *arg, void *recs, size_t n)
{
	((struct run *)arg)->nopen = 0;
}

/* raw is what the record now is: as read, or as decided. */
static void
write_one(void *arg, void *rec)
{
	struct job *jb = rec;

	if (jb->r.j != NULL)
		ndjson_put(jb->r.raw, jb->r.len);
}

static const struct stage_ops dispatch_ops = {
    .decide = decide_one,
    .settle = settle,
    .effects = forget_manifests,
    .write = write_one,
};

static int
by_time(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* "1h02m" for seconds. */
static const char *
span(int64_t s, char *buf, size_t len)
{
	if (s >= 86400)
		snprintf(buf, len, "%" PRId64 "d%02" PRId64 "h", s / 86400,
		    s % 86400 / 3600);
	else
		snprintf(buf, len, "%" PRId64 "h%02" PRId64 "m", s / 3600,
		    s % 3600 / 60);
	return buf;
}

static void
summary(struct run *u)
{
	char p50[32] = "-", p95[32] = "-", unprinted[64];
	size_t i;

	snprintf(unprinted, sizeof unprinted, ", %ld waiting for a label",
	    u->unprinted);
	if (u->nots > 0) {
		qsort(u->ots, u->nots, sizeof *u->ots, by_time);
		/* Nearest rank. */
		span(u->ots[(u->nots * 50 + 99) / 100 - 1], p50, sizeof p50);
		span(u->ots[(u->nots * 95 + 99) / 100 - 1], p95, sizeof p95);
	}
	fprintf(stderr,
	    "%s: %ld read, %ld dispatched (%ld parcel%s, %ld again), %ld late, "
	    "%ld passed through, %ld rejected%s; order to ship p50 %s, "
	    "p95 %s; manifests:",
	    progname, u->stage.read, u->dispatched, u->parcels,
	    u->parcels == 1 ? "" : "s", u->again, u->late, u->passed,
	    u->stage.rejected, u->unprinted ? unprinted : "", p50, p95);
	for (i = 0; i < u->ntouched; i++)
		fprintf(stderr, " %s", u->touched[i]);
	fprintf(stderr, "%s\n", u->ntouched ? "" : " none");
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
close_one(struct run *u, const char *dir, const struct ledger_manifest *v)
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

/* --close: every open manifest up to today's, of one carrier or all. */
static int
close_day(struct run *u, const char *dir)
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

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {OPTS_LONG,
	    {"carrier", required_argument, NULL, 'c'},
	    {"close", no_argument, NULL, 'X'}, {NULL, 0, NULL, 0}};
	static const char *const waiting[] = {"labelled", NULL};
	struct opts o = {0};
	int ch, close = 0, status;
	struct input **in;
	int nin;
	struct run u;
	size_t i;

	err_init(argv[0]);
	memset(&u, 0, sizeof u);
	while ((ch = getopt_long(
		    argc, argv, "c:" OPTS_SHORT, longopts, NULL)) != -1) {
		if (ch == 'c')
			u.forced = optarg;
		else if (ch == 'X')
			close = 1;
		else if (ch == 'K' || !opts_common(ch, optarg, &o, usage))
			usage(EXIT_TROUBLE);
	}
	argc -= optind;
	argv += optind;
	u.cfg = config_load(o.config);
	if (u.forced != NULL && config_carrier(u.cfg, u.forced) == NULL)
		err_exit(EXIT_TROUBLE, "--carrier: no carrier '%s' in %s",
		    u.forced, u.cfg->file);
	if (!close && o.outdir != NULL)
		err_exit(EXIT_TROUBLE,
		    "-o is where --close writes the manifests; "
		    "dispatch writes orders on stdout");
	if (close) {
		if (argc > 0 || o.pending)
			err_exit(EXIT_TROUBLE, "--close takes no input");
		if (o.outdir == NULL)
			err_exit(EXIT_TROUBLE, "--close needs -o dir for the "
					       "manifests");
		u.ledger = ledger_open(o.db);
		ledger_run(u.ledger);
		status = close_day(&u, o.outdir);
		ledger_close(u.ledger);
		config_free(u.cfg);
		return close_stdout(status);
	}
	in = input_open_args(argc, argv, &nin);
	rejects_open(&u.rejects, o.rejects);
	u.ledger = ledger_open(o.db);
	ledger_run(u.ledger);
	u.stage.ledger = u.ledger;
	u.stage.rejects = &u.rejects;
	u.stage.rejected_what = "dispatch.rejected";
	/* --pending: not while a label is still to be printed. */
	u.stage.pending_where = ledger_manifest_pending_where();
	stage_init_ops(&u.stage, sizeof(struct job), CHUNK, &dispatch_ops, &u);
	stage_run(&u.stage, in, nin, o.pending ? waiting : NULL);
	if (!quiet)
		summary(&u);
	status =
	    u.stage.rejected > 0 || u.unprinted > 0 ? EXIT_REJECTS : EXIT_OK;
	input_close_all(in, nin);
	for (i = 0; i < u.ntouched; i++)
		free(u.touched[i]);
	free(u.touched);
	free(u.open);
	free(u.ots);
	rejects_close(&u.rejects);
	ledger_close(u.ledger);
	config_free(u.cfg);
	return close_stdout(status);
}
