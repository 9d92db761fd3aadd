/*
 * pick-list: allocate stock to orders, group them into waves and cart
 * batches, walk each cart by the shortest route, print pick sheets.
 * See pick-list(1).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "catalog.h"
#include "config.h"
#include "err.h"
#include "ledger.h"
#include "ledger_picks.h"
#include "ndjson.h"
#include "opts.h"
#include "outfile.h"
#include "pick.h"
#include "rejects.h"
#include "sheet.h"
#include "sheetpdf.h"
#include "when.h"

/* What becomes of a record read. */
enum fate {
	F_PICK, /* to allocate and plan */
	F_PASS, /* passed through as it is (or as the ledger has it) */
	F_GONE  /* rejected */
};

struct rec {
	char *raw; /* the record as read, or the ledger's */
	size_t len;
	const char *file;
	long line;
	char *source, *id;
	enum fate fate;
	char *out; /* the record written, once decided */
	size_t outlen;
};

struct run {
	struct config *cfg;
	struct catalog *cat;
	struct ledger *ledger;
	struct rejects rejects;
	const char *outdir;
	struct rec *r;
	struct pick_order *o; /* parallel to r */
	size_t n, cap;
	json_t *seen; /* source \x1f id of every record taken */
	long read, rejected, passed;
};

static void __attribute__((noreturn)) usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: %s [-hq] [--pending] [--stats] [--catalog file] "
	    "[--config file]\n"
	    "       [--db file] [-o dir] [--rejects file] [--version] "
	    "[file ...]\n",
	    progname);
	exit(status ? status : close_stdout(EXIT_OK));
}

static void __attribute__((format(printf, 3, 4)))
reject(struct run *u, struct rec *r, const char *fmt, ...)
{
	char why[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	if (r->id != NULL)
		err_line(r->file, r->line, "order %s: %s", r->id, why);
	else
		err_line(r->file, r->line, "%s", why);
	if (r->id != NULL)
		ledger_event(u->ledger, r->source, r->id, "pick.rejected", why);
	rejects_put(
	    &u->rejects, r->file, r->line, r->id, why, r->raw, r->len, NULL);
	r->fate = F_GONE;
	u->rejected++;
}

static int
pickable(const char *status)
{
	return status != NULL &&
	       (strcmp(status, "accepted") == 0 || strcmp(status, "held") == 0);
}

/* Lines, priority and promise of a record; -1 and a reject if bad. */
static int
resolve(struct run *u, struct rec *r, json_t *j, struct pick_order *o)
{
	json_t *lines = json_object_get(j, "lines"), *l, *p;
	struct when w;
	const char *sku, *s;
	size_t i;
	char why[256];

	memset(o, 0, sizeof *o);
	o->ship_by = INT64_MAX;
	if ((p = json_object_get(j, "promise")) != NULL &&
	    (s = ndjson_str(p, "ship_by")) != NULL) {
		if (when_parse(s, &w) == -1) {
			reject(u, r,
			    "promise.ship_by '%s' is not an RFC 3339 time", s);
			return -1;
		}
		o->ship_by = w.t;
	}
	o->placed = INT64_MAX;
	if ((s = ndjson_str(j, "placed_at")) != NULL && when_parse(s, &w) == 0)
		o->placed = w.t;
	o->express =
	    (s = ndjson_str(j, "service")) != NULL && strcmp(s, "express") == 0;
	if (!json_is_array(lines) || json_array_size(lines) == 0) {
		reject(u, r, "no lines to pick");
		return -1;
	}
	o->lines = xcalloc(json_array_size(lines), sizeof *o->lines);
	json_array_foreach(lines, i, l)
	{
		struct pick_line *pl = &o->lines[o->nlines];
		json_t *q = json_object_get(l, "qty");

		if ((sku = ndjson_str(l, "sku")) == NULL) {
			reject(u, r, "line %zu: no sku", i + 1);
			return -1;
		}
		if ((pl->item = catalog_find(u->cat, sku)) == NULL) {
			reject(
			    u, r, "unknown SKU %s (not in the catalog)", sku);
			return -1;
		}
		if (pl->item->bad != NULL) {
			reject(u, r, "SKU %s: catalog line %ld: %s", sku,
			    pl->item->line, pl->item->bad);
			return -1;
		}
		if (!json_is_integer(q) || json_integer_value(q) < 1) {
			reject(u, r,
			    "line %zu: qty must be a whole number "
			    "above 0",
			    i + 1);
			return -1;
		}
		pl->qty = json_integer_value(q);
		pl->gift = json_is_true(json_object_get(l, "gift"));
		o->nlines++;
	}
	if (pick_pack(o, &u->cfg->carts, why, sizeof why) == -1) {
		reject(u, r, "%s", why);
		return -1;
	}
	return 0;
}

/* Take one record, from a file or the ledger. */
static void
take(struct run *u, const char *file, long line, const char *text, size_t len,
    int pending)
{
	struct rec *r;
	json_t *j, *key;
	char why[256], *k;

	xgrow(&u->r, &u->cap, u->n + 1, sizeof *u->r);
	r = &u->r[u->n];
	memset(r, 0, sizeof *r);
	r->raw = xstrndup(text, len);
	r->len = len;
	r->file = file;
	r->line = line;
	r->fate = F_PICK;
	u->n++;
	u->read++;
	if ((j = ndjson_parse(text, len, why, sizeof why)) == NULL) {
		reject(u, r, "%s", why);
		return;
	}
	if (ndjson_str(j, "order_id") == NULL ||
	    ndjson_str(j, "source") == NULL) {
		reject(u, r, "not an order record (no order_id or source)");
		json_decref(j);
		return;
	}
	r->id = xstrdup(ndjson_str(j, "order_id"));
	r->source = xstrdup(ndjson_str(j, "source"));
	xasprintf(&k, "%s\037%s", r->source, r->id);
	key = json_object_get(u->seen, k);
	if (key != NULL) {
		if (pending) {
			/* In the input already: the input's copy is used. */
			free(r->raw);
			free(r->id);
			free(r->source);
			u->n--;
			u->read--;
		} else
			reject(u, r, "appears twice in the input");
		free(k);
		json_decref(j);
		return;
	}
	json_object_set_new(u->seen, k, json_true());
	free(k);
	json_decref(j);
	if ((j = ndjson_parse(r->raw, r->len, why, sizeof why)) == NULL) {
		reject(u, r, "%s", why);
		return;
	}
	if (!pickable(ndjson_str(j, "status"))) {
		r->fate = F_PASS;
		u->passed++;
	}
	json_decref(j);
}

static void
take_line(void *arg, const char *file, long line, const char *text, size_t len)
{
	take(arg, file, line, text, len, 0);
}

struct pend {
	struct run *u;
	long n;
};

static int
pending_one(void *arg, const char *rec, size_t len)
{
	struct pend *p = arg;

	take(p->u, ledger_path(p->u->ledger), ++p->n, rec, len, 1);
	return 0;
}

struct stock {
	const struct catalog *cat;
	int64_t *avail;
};

static void
taken(void *arg, const char *sku, int64_t qty)
{
	struct stock *s = arg;
	const struct item *it;

	if ((it = catalog_find(s->cat, sku)) != NULL)
		s->avail[it - s->cat->items] -= qty;
}

/*
 * Stock left on the shelf: the catalog's count, less what this ledger
 * sent pickers for since the catalog file was written.
 */
static int64_t *
available(struct run *u)
{
	struct stock s = {u->cat, xcalloc(u->cat->n + 1, sizeof *s.avail)};
	struct stat sb;
	size_t i;

	for (i = 0; i < u->cat->n; i++)
		s.avail[i] = u->cat->items[i].stock;
	if (stat(u->cat->file, &sb) == -1)
		err_exit_sys(
		    EXIT_TROUBLE, "cannot stat catalog '%s'", u->cat->file);
	ledger_picked_since(u->ledger, (int64_t)sb.st_mtime, taken, &s);
	return s.avail;
}

/* The wave's name: its ship_by in the warehouse's time, or "unscheduled". */
static void
wave_name(const struct run *u, int64_t ship_by, char *buf, size_t len)
{
	char s[WHEN_BUFSZ];
	struct when w;

	if (ship_by == INT64_MAX) {
		snprintf(buf, len, "unscheduled");
		return;
	}
	w = when_in_zone(ship_by, u->cfg->tz);
	when_format(&w, s);
	/* 2026-11-23T18:30:00+08:00 -> 2026-11-23 18:30 */
	snprintf(buf, len, "%.10s %.5s", s, s + 11);
}

/* Number the batches in the ledger. */
static void
record_batches(struct run *u, struct pick_plan *pl)
{
	char wave[64];
	int b;

	for (b = 0; b < pl->nbatches; b++) {
		struct pick_batch *pb = &pl->batches[b];

		wave_name(u, pl->waves[pb->wave].ship_by, wave, sizeof wave);
		pb->id =
		    ledger_batch_add(u->ledger, wave, pb->norders, pb->route_m);
	}
}

static const char *
str_status(const struct pick_order *o)
{
	return o->state == PICK_HELD ? "held" : "picked";
}

static double
tenth(double m)
{
	return (double)(int64_t)(m * 10 + 0.5) / 10;
}

/* The record as it leaves: status and pick set, ledger updated. */
static void
settle(struct run *u, struct pick_plan *pl, size_t i)
{
	struct rec *r = &u->r[i];
	struct pick_order *o = &u->o[i];
	json_t *j = ndjson_parse(r->raw, r->len, NULL, 0), *pick, *a;
	char wave[64], detail[128];
	int k, again;

	pick = json_object();
	if (o->state == PICK_HELD) {
		a = json_array();
		for (k = 0; k < o->nshort; k++)
			json_array_append_new(
			    a, json_pack("{s:s,s:I}", "sku",
				   o->shorts[k].item->sku, "qty_short",
				   (json_int_t)o->shorts[k].qty));
		json_object_set_new(pick, "short", a);
		json_object_set_new(j, "status", json_string("held"));
		snprintf(detail, sizeof detail, "short of %d SKU%s", o->nshort,
		    o->nshort == 1 ? "" : "s");
	} else {
		const struct pick_batch *b = &pl->batches[o->batch];

		wave_name(u, pl->waves[o->wave].ship_by, wave, sizeof wave);
		json_object_set_new(pick, "wave", json_string(wave));
		json_object_set_new(pick, "batch", json_integer(b->id));
		json_object_set_new(pick, "tote", json_integer(o->tote));
		if (o->ntotes > 1) {
			a = json_array();
			for (k = 0; k < o->ntotes; k++)
				json_array_append_new(
				    a, json_integer(o->tote + k));
			json_object_set_new(pick, "totes", a);
		}
		json_object_set_new(
		    pick, "route_m", json_real(tenth(b->route_m)));
		json_object_set_new(pick, "seq", json_integer(o->seq));
		a = json_array();
		for (k = 0; k < HANDLE_N; k++)
			if (o->handling & (1u << k))
				json_array_append_new(
				    a, json_string(handling_names[k]));
		json_object_set_new(pick, "handling", a);
		json_object_set_new(
		    pick, "weight_g", json_integer(o->weight_g));
		json_object_set_new(j, "status", json_string("picked"));
		snprintf(detail, sizeof detail, "batch %" PRId64 " tote %d",
		    b->id, o->tote);
		for (k = 0; k < o->nlines; k++) {
			int64_t qty = 0;
			int m;

			/* One row per SKU, however many lines name it. */
			for (m = 0; m < o->nlines; m++)
				if (o->lines[m].item == o->lines[k].item) {
					if (m < k)
						break;
					qty += o->lines[m].qty;
				}
			if (m < k)
				continue;
			ledger_pick_add(u->ledger, r->source, r->id,
			    o->lines[k].item->sku, qty, b->id, when_now().t);
		}
	}
	/* Held again for the same shortage: nothing new to record. */
	again = o->state == PICK_HELD &&
		json_equal(json_object_get(j, "pick"), pick);
	json_object_set_new(j, "pick", pick);
	r->out = ndjson_dump(j, &r->outlen);
	json_decref(j);
	if (again)
		return;
	ledger_order_put(u->ledger, r->source, r->id, str_status(o), r->out,
	    r->outlen, NULL, 0, 0);
	ledger_event(u->ledger, r->source, r->id, str_status(o), detail);
}

static void
write_sheets(struct run *u, struct pick_plan *pl)
{
	const char **ids = xcalloc(u->n + 1, sizeof *ids);
	struct outfile f;
	struct sheet sh;
	struct when now = when_in_zone(when_now().t, u->cfg->tz);
	char name[64], wave[64], printed[WHEN_BUFSZ];
	size_t i;
	int b;

	for (i = 0; i < u->n; i++)
		ids[i] = u->r[i].id;
	sh.orders = u->o;
	sh.ids = ids;
	sh.warehouse = u->cfg->wh_id;
	sh.printed = when_format(&now, printed);
	sh.wave = wave;
	for (b = 0; b < pl->nbatches; b++) {
		sh.batch = &pl->batches[b];
		wave_name(
		    u, pl->waves[sh.batch->wave].ship_by, wave, sizeof wave);
		snprintf(
		    name, sizeof name, "batch-%06" PRId64 ".txt", sh.batch->id);
		sheet_text(outfile_open(&f, u->outdir, name), &sh);
		outfile_commit(&f);
		snprintf(
		    name, sizeof name, "batch-%06" PRId64 ".csv", sh.batch->id);
		sheet_csv(outfile_open(&f, u->outdir, name), &sh);
		outfile_commit(&f);
		snprintf(
		    name, sizeof name, "batch-%06" PRId64 ".pdf", sh.batch->id);
		sheet_pdf(
		    outfile_open(&f, u->outdir, name), &sh, &u->cfg->layout);
		outfile_commit(&f);
	}
	free(ids);
}

static int
by_cart(const void *a, const void *b, void *arg)
{
	const struct pick_order *v = arg;
	const struct pick_order *p = &v[*(const size_t *)a],
				*q = &v[*(const size_t *)b];

	/* Batches are numbered wave by wave, so batch then tote. */
	if (p->batch != q->batch)
		return p->batch - q->batch;
	return p->tote - q->tote;
}

static void
put(const struct rec *r)
{
	ndjson_put(r->out != NULL ? r->out : r->raw,
	    r->out != NULL ? r->outlen : r->len);
}

static void
stats(const struct run *u, const struct pick_plan *pl, long held)
{
	json_t *s = json_pack("{s:I,s:I,s:I,s:I,s:i,s:i,s:f,s:f,s:f,s:f}",
	    "orders", (json_int_t)u->read, "picked",
	    (json_int_t)(u->read - u->rejected - u->passed - held), "held",
	    (json_int_t)held, "rejected", (json_int_t)u->rejected, "waves",
	    pl->nwaves, "batches", pl->nbatches, "route_m", tenth(pl->route_m),
	    "first_come_sshape_m", tenth(pl->first_come_m),
	    "first_come_optimal_m", tenth(pl->first_come_opt_m),
	    "one_order_at_a_time_m", tenth(pl->one_by_one_m));

	if (pl->first_come_m > 0)
		json_object_set_new(s, "saving_vs_first_come",
		    json_real(
			(double)(int64_t)((1 - pl->route_m / pl->first_come_m) *
					      1000 +
					  0.5) /
			1000));
	json_dumpf(s, stderr, JSON_COMPACT | JSON_REAL_PRECISION(15));
	fputc('\n', stderr);
	json_decref(s);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
	    OPTS_LONG, {"stats", no_argument, NULL, 'S'}, {NULL, 0, NULL, 0}};
	static const char *const waiting[] = {"accepted", "held", NULL};
	struct opts o = {0};
	struct run u;
	struct pick_plan plan;
	struct input **in;
	int nin;
	struct pend pend;
	int64_t *avail;
	size_t i, *ix, nix = 0;
	long held = 0;
	int ch, k, want_stats = 0;
	json_t *j;

	err_init(argv[0]);
	memset(&u, 0, sizeof u);
	while (
	    (ch = getopt_long(argc, argv, OPTS_SHORT, longopts, NULL)) != -1) {
		if (ch == 'S')
			want_stats = 1;
		else if (!opts_common(ch, optarg, &o, usage))
			usage(EXIT_TROUBLE);
	}
	u.outdir = o.outdir;
	argc -= optind;
	argv += optind;

	/* Everything that can fail before an order is read fails here. */
	u.cfg = config_load(o.config);
	if (u.cfg->layout.aisles == 0)
		err_exit(EXIT_TROUBLE,
		    "%s: no layout section: pick-list needs the "
		    "aisles and bays (fulfil.json(5))",
		    u.cfg->file);
	u.cat = catalog_open(u.cfg, o.catalog);
	in = input_open_args(argc, argv, &nin);
	rejects_open(&u.rejects, o.rejects);
	u.ledger = ledger_open(o.db);
	ledger_run(u.ledger);
	u.seen = json_object();

	/*
	 * The whole run is one transaction: what the ledger says about
	 * each order, the stock left and the batches are read and written
	 * under one write lock, so two runs at once cannot pick one order
	 * twice or give away the same stock.
	 */
	for (k = 0; k < nin; k++)
		u.rejected += input_each(in[k], take_line, &u);
	ledger_begin(u.ledger);
	for (i = 0; i < u.n; i++) {
		/*
		 * The input was read before the lock: what the ledger has
		 * now is the order's latest record (an update ingested
		 * since, or a run that picked it meanwhile).
		 */
		struct rec *r = &u.r[i];
		struct ledger_order lo;
		char *led;
		size_t len;

		if (r->fate != F_PICK ||
		    !ledger_order_get(u.ledger, r->source, r->id, &lo))
			continue;
		if ((led = ledger_order_record(
			 u.ledger, r->source, r->id, &len)) != NULL) {
			free(r->raw);
			r->raw = led;
			r->len = len;
		}
		if (!pickable(lo.status)) {
			r->fate = F_PASS;
			u.passed++;
		}
		ledger_order_free(&lo);
	}
	if (o.pending) {
		pend.u = &u;
		pend.n = 0;
		ledger_pending(u.ledger, waiting, NULL, pending_one, &pend);
	}
	u.o = xcalloc(u.n + 1, sizeof *u.o);
	for (i = 0; i < u.n; i++) {
		if (u.r[i].fate != F_PICK)
			continue;
		j = ndjson_parse(u.r[i].raw, u.r[i].len, NULL, 0);
		(void)resolve(&u, &u.r[i], j, &u.o[i]);
		json_decref(j);
	}
	/* Only what is to be picked takes part. */
	for (i = 0; i < u.n; i++)
		if (u.r[i].fate != F_PICK)
			u.o[i].state = PICK_SKIP;
	avail = available(&u);
	pick_allocate(u.o, u.n, u.cat, avail);
	pick_plan(&plan, u.o, u.n, &u.cfg->layout, &u.cfg->carts);
	record_batches(&u, &plan);
	for (i = 0; i < u.n; i++)
		if (u.r[i].fate == F_PICK) {
			settle(&u, &plan, i);
			held += u.o[i].state == PICK_HELD;
		}
	if (u.outdir != NULL)
		write_sheets(&u, &plan);
	ledger_commit(u.ledger);

	/* Passed through in input order, then cart by cart, then held. */
	ix = xcalloc(u.n + 1, sizeof *ix);
	for (i = 0; i < u.n; i++)
		if (u.r[i].fate == F_PASS)
			put(&u.r[i]);
		else if (u.r[i].fate == F_PICK && u.o[i].state == PICK_OK)
			ix[nix++] = i;
	qsort_r(ix, nix, sizeof *ix, by_cart, u.o);
	for (i = 0; i < nix; i++)
		put(&u.r[ix[i]]);
	for (i = 0; i < u.n; i++)
		if (u.r[i].fate == F_PICK && u.o[i].state == PICK_HELD)
			put(&u.r[i]);
	free(ix);

	if (want_stats)
		stats(&u, &plan, held);
	if (!quiet)
		fprintf(stderr,
		    "%s: %ld read, %ld picked (%d wave%s, %d batch%s, "
		    "%.1f m walked), %ld held, %ld passed through, %ld "
		    "rejected\n",
		    progname, u.read, u.read - u.rejected - u.passed - held,
		    plan.nwaves, plan.nwaves == 1 ? "" : "s", plan.nbatches,
		    plan.nbatches == 1 ? "" : "es", plan.route_m, held,
		    u.passed, u.rejected);

	for (i = 0; i < u.n; i++) {
		free(u.r[i].raw);
		free(u.r[i].out);
		free(u.r[i].id);
		free(u.r[i].source);
		pick_order_free(&u.o[i]);
	}
	free(u.r);
	free(u.o);
	free(avail);
	pick_plan_free(&plan);
	input_close_all(in, nin);
	json_decref(u.seen);
	rejects_close(&u.rejects);
	ledger_close(u.ledger);
	k = u.rejected > 0 || u.cat->nbad > 0 ? EXIT_REJECTS : EXIT_OK;
	catalog_free(u.cat);
	config_free(u.cfg);
	return close_stdout(k);
}
