#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog.h"
#include "config.h"
#include "country.h"
#include "customs.h"
#include "err.h"
#include "helper.h"
#include "labels.h"
#include "ledger.h"
#include "ledger_pack.h"
#include "ledger_parcels.h"
#include "money.h"
#include "ndjson.h"
#include "phone.h"
#include "recparse.h"
#include "recsplice.h"
#include "ship.h"
#include "status.h"
#include "when.h"

/* label's ZPL file buffer: a chunk's labels are ~1.5 MB. */
#define ZPL_BUF (64 * 1024)

struct parcel {
	char tracking[TRACK_MAX];
	int64_t weight_g;
	int64_t run;           /* the run that numbered it, or took it over */
	int due;               /* a label was asked for */
	int printed;           /* and is on disk */
	int print;             /* this run prints it */
	char *path;            /* where its label is, or was to be */
	char *sort_code;       /* its carrier helper's, or NULL */
	json_t *carrier_label; /* its carrier helper's label data, or NULL */
};

/*
 * What the ledger knows of an order's parcels: nothing yet; labels
 * printed (or none asked for); labels a live run is printing; labels
 * this run is printing; labels a run that died never printed.
 */
enum known { K_NONE, K_DONE, K_BUSY, K_MINE, K_ORPHAN };

/* One order of the chunk being decided. */
struct job {
	struct stage_rec r; /* first: the stage holds jobs */
	int label;          /* labels to print */
	int reprint;        /* its numbers were handed out before */
	int skip;           /* another live run has it: not written */
	const struct carrier *carrier;
	struct parcel *p;
	int np;
	const char *ksource, *kid; /* its key in the ledger */
	/* kid and service, when resume() reloads */
	char *kidcopy, *servicecopy;
	char *out; /* the record as kept, to write: one dump */
	size_t outlen;
	struct ledger_rec_packed packed; /* out, packed for the ledger */
	/*
	 * prepare()'s carrier, service and parcels, chosen before the lock
	 * for the record as read, or chosen.carrier NULL.
	 */
	struct ship_choice chosen;
	json_t *customs;  /* prepare()'s declaration (NULL: none) */
	int customs_made; /* and customs is it */
	/*
	 * prepare()'s shipment for chosen, its tracking numbers blank
	 * (draft()), or NULL; prepared: decide() took chosen, and shipment()
	 * the draft.
	 */
	json_t *draft;
	int prepared;
	int lot; /* the chunk it prints in (chunk_files()) */
};

/* What known_parcels() gathers of the ledger's rows. */
struct known_rows {
	struct labels *u;
	struct job *jb;
	const struct carrier *k;
	int64_t claimant; /* a run that claimed a label not printed */
	int m;
};

static void
known_row(void *arg, const struct ledger_parcel *lp)
{
	struct known_rows *kr = arg;
	struct job *jb = kr->jb;
	struct parcel *p;

	kr->m = lp->m;
	if (jb->p == NULL)
		jb->p = xcalloc((size_t)lp->m, sizeof *jb->p);
	if (lp->n >= 1 && lp->n <= lp->m) {
		p = &jb->p[lp->n - 1];
		snprintf(p->tracking, TRACK_MAX, "%s", lp->tracking);
		p->weight_g = lp->weight_g;
		p->run = lp->run;
		p->due = lp->due;
		p->printed = lp->printed;
		if (lp->path != NULL)
			p->path = xstrdup(lp->path);
		if (lp->sort_code != NULL)
			p->sort_code = xstrdup(lp->sort_code);
		if (p->due && !p->printed)
			kr->claimant = p->run;
		jb->np++;
	}
	if (kr->k == NULL)
		kr->k = config_carrier(kr->u->cfg, lp->carrier);
}

/*
 * The order's parcels already numbered and not voided, by n, and what
 * became of their labels.
 */
static enum known
known_parcels(
    struct labels *u, const char *source, const char *id, struct job *jb)
{
	struct known_rows kr = {u, jb, NULL, 0, 0};

	ledger_parcels_of(u->ledger, source, id, known_row, &kr);
	jb->carrier = kr.k;
	if (jb->np == 0 || jb->np != kr.m || kr.k == NULL)
		return K_NONE;
	if (kr.claimant == 0)
		return K_DONE;
	if (kr.claimant == ledger_run_id(u->ledger))
		return K_MINE;
	return ledger_run_alive(u->ledger, kr.claimant) ? K_BUSY : K_ORPHAN;
}

/* A key's hash for u->keys: never 0, which is an empty slot. */
static uint64_t
key_hash(const char *source, const char *id)
{
	uint64_t h = 14695981039346656037ULL;
	const char *s;

	for (s = source; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	h = (h ^ 0xff) * 1099511628211ULL;
	for (s = id; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h != 0 ? h : 1;
}

/* The slot of h in u->keys: where it is, or the empty one it would go. */
static uint64_t *
key_slot(struct labels *u, uint64_t h)
{
	size_t i = (size_t)h & (u->nkeys - 1);

	while (u->keys[i] != 0 && u->keys[i] != h)
		i = (i + 1) & (u->nkeys - 1);
	return &u->keys[i];
}

/* stage_share()'s part: a kept order's record dumped and packed. */
static void
dump_kept(void *arg, size_t i)
{
	/*
	 * What shipment(), label_files() and a return's tracking set; the
	 * rest goes on as the text the record was parsed from (recsplice).
	 */
	static const char *const changed[] = {
	    "status", "shipment", "tracking", NULL};
	struct labels *u = arg;
	struct job *jb = u->kept[i];

	free(jb->out);
	jb->out = stage_splice(&jb->r, changed, &jb->outlen);
	ledger_rec_pack(u->ledger, jb->out, jb->outlen, &jb->packed);
}

/* A kept order's row written, once dump_kept() has made it. */
static void
put_one(void *arg, size_t i)
{
	struct labels *u = arg;
	struct job *jb = u->kept[i];

	ledger_order_put_packed(u->ledger, jb->ksource, jb->kid,
	    status_name(ST_LABELLED), jb->out, jb->outlen, &jb->packed, NULL, 0,
	    0);
	ledger_rec_packed_free(&jb->packed);
}

/*
 * The orders kept so far in the transaction, into the ledger in the
 * order they were kept: dumped and packed by the reader thread ahead of
 * this one, which writes the rows (stage_share_then).  At the
 * transaction's settle; and before an order kept is read again, and
 * before a carrier's helper commits the transaction so far.
 */
static void
put_kept(struct labels *u)
{
	if (u->nkept == 0)
		return;
	stage_share_then(&u->stage, dump_kept, put_one, u, u->nkept);
	u->nkept = 0;
	memset(u->keys, 0, u->nkeys * sizeof *u->keys);
}

/*
 * The order (source, id) is about to be read from the ledger: when it
 * was kept in this transaction and is not put yet, the orders kept are
 * put first, so that it is read as kept (an order twice in a group).
 */
static void
reading_order(struct labels *u, const char *source, const char *id)
{
	if (u->nkept > 0 && source != NULL && id != NULL &&
	    *key_slot(u, key_hash(source, id)) != 0)
		put_kept(u);
}

/*
 * The files of lot (a chunk): named when its orders are decided and
 * when it prints.  A transaction may decide several lots (stage_ops'
 * group), each in its own files.
 */
static void
name_lot(struct labels *u, int lot)
{
	if (u->lot == lot)
		return;
	u->lot = lot;
	u->pages = 0;
	snprintf(u->zplname, sizeof u->zplname, "run-%06" PRId64 "-%04d.zpl",
	    ledger_run_id(u->ledger), lot);
	snprintf(u->pdfname, sizeof u->pdfname, "run-%06" PRId64 "-%04d.pdf",
	    ledger_run_id(u->ledger), lot);
	snprintf(u->slipname, sizeof u->slipname, "slip-%06" PRId64 "-%04d.pdf",
	    ledger_run_id(u->ledger), lot);
}

/*
 * Where parcel i's label goes in this run, as the ledger keeps it: the
 * chunk's ZPL, else its PDF, else the parcel's PNG.  That file is the
 * last written, so when it exists every format of the label does.
 */
static void
label_path(struct labels *u, struct job *jb, int i, char *buf, size_t len)
{
	if (u->formats & LABELS_ZPL)
		snprintf(buf, len, "%s/%s", u->absdir, u->zplname);
	else if (u->formats & LABELS_PDF)
		snprintf(buf, len, "%s/%s", u->absdir, u->pdfname);
	else
		snprintf(buf, len, "%s/%s.png", u->absdir, jb->p[i].tracking);
}

/*
 * Parcel i, numbered now, into the ledger: with -o claimed for this
 * run to print where label_path() says, in the same row.
 */
static void
add_parcel(struct labels *u, struct job *jb, int i, struct ledger_parcel *lp)
{
	char path[PATH_MAX + 64];
	int64_t file;

	lp->due = u->outdir != NULL;
	if (lp->due) {
		label_path(u, jb, i, path, sizeof path);
		lp->path = path;
		/* A lot's file: its row made once a transaction. */
		lp->path_made = u->filed != NULL && strcmp(u->filed, path) == 0;
		lp->path_id = u->filed_id;
		jb->p[i].print = 1;
	}
	file = ledger_parcel_add(u->ledger, lp);
	if (lp->due && !lp->path_made) {
		free(u->filed);
		u->filed = xstrdup(path);
		u->filed_id = file;
	}
	lp->path = NULL;
	lp->path_made = 0;
	jb->p[i].run = ledger_run_id(u->ledger);
}

/* Parcel i is this run's to print, where label_path() says. */
static void
claim_print(struct labels *u, struct job *jb, int i)
{
	char path[PATH_MAX + 64];

	label_path(u, jb, i, path, sizeof path);
	ledger_parcel_claim_print(u->ledger, jb->p[i].tracking, path);
	jb->p[i].print = 1;
}

/*
 * The numbers from k's helper (lib/helper), which commits the chunk so
 * far and keeps its requests before it runs: 0; 1 if another live run
 * is asking for them (the order is left to it); -1 with why.
 */
static int
allocate_helper(struct labels *u, const struct carrier *k, const char *service,
    struct ship_choice *c, struct job *jb, char *why, size_t whylen)
{
	json_t *j = jb->r.j;
	struct helper_order o = {jb->ksource, jb->kid, service,
	    json_object_get(j, "ship_to"), json_object_get(j, "ship_from"),
	    json_object_get(j, "payment"), ndjson_str(j, "currency"),
	    c->nparcels, c->weight_g};
	struct helper_number *num = xcalloc((size_t)c->nparcels, sizeof *num);
	struct ledger_parcel lp = {.carrier = k->code,
	    .service = service,
	    .source = jb->ksource,
	    .order_id = jb->kid};
	int i, rc;

	if (o.ship_from == NULL)
		o.ship_from = u->cfg->return_address;
	if ((rc = helper_allocate(u->ledger, k, &o, num, why, whylen)) != 0) {
		free(num);
		if (rc == 1) {
			jb->skip = 1;
			u->busy++;
		}
		return rc;
	}
	jb->p = xcalloc((size_t)c->nparcels, sizeof *jb->p);
	jb->np = c->nparcels;
	jb->carrier = k;
	for (i = 0; i < c->nparcels; i++) {
		snprintf(jb->p[i].tracking, TRACK_MAX, "%s", num[i].tracking);
		jb->p[i].weight_g = c->weight_g[i];
		jb->p[i].sort_code = num[i].sort_code;
		jb->p[i].carrier_label = num[i].label;
		lp.tracking = jb->p[i].tracking;
		lp.n = i + 1;
		lp.m = c->nparcels;
		lp.weight_g = c->weight_g[i];
		lp.sort_code = num[i].sort_code;
		add_parcel(u, jb, i, &lp);
	}
	free(num);
	return 0;
}

/*
 * The serials allocate() handed out in the transaction, written into
 * the ledger before it commits (stage_ops.settle), and before a
 * carrier's helper commits it: then read again, as another run may
 * have numbered parcels meanwhile.  One read and one write a carrier
 * a chunk, not one of each an order.
 */
static void
serials_settle(struct labels *u)
{
	struct labels_serial *sr;
	size_t i;

	/* In the order first used: a new carrier's row where it was. */
	for (i = 0; i < u->nused; i++) {
		sr = &u->serials[u->used[i]];
		ledger_serial_set(
		    u->ledger, u->cfg->carriers[u->used[i]].code, sr->next);
		sr->dirty = 0;
	}
	u->nused = 0;
	for (i = 0; u->serials != NULL && i < u->cfg->ncarriers; i++)
		u->serials[i].known = 0;
}

/* The next serial of k's range, as this transaction has it. */
static int64_t
serial_next(struct labels *u, const struct carrier *k)
{
	struct labels_serial *sr;

	if (u->serials == NULL) {
		u->serials = xcalloc(u->cfg->ncarriers, sizeof *u->serials);
		u->used = xcalloc(u->cfg->ncarriers, sizeof *u->used);
	}
	sr = &u->serials[k - u->cfg->carriers];
	if (!sr->known) {
		sr->next = ledger_serial_next(u->ledger, k->code);
		sr->known = 1;
	}
	return sr->next;
}

static void
serial_set(struct labels *u, const struct carrier *k, int64_t next)
{
	struct labels_serial *sr = &u->serials[k - u->cfg->carriers];

	if (!sr->dirty)
		u->used[u->nused++] = (size_t)(k - u->cfg->carriers);
	sr->next = next;
	sr->dirty = 1;
}

/* Hand out m numbers of k's range; -1 with why if it is used up. */
static int
allocate(struct labels *u, const struct carrier *k, const char *source,
    const char *id, const char *service, struct ship_choice *c, struct job *jb,
    char *why, size_t whylen)
{
	const struct track_format *f = &k->tracking;
	struct ledger_parcel lp = {.carrier = k->code,
	    .service = service,
	    .source = source,
	    .order_id = id};
	int64_t next, left;
	int i;

	if (k->helper != NULL) {
		put_kept(u);
		serials_settle(u);
		/* Committed there: the label file's row is asked for again. */
		free(u->filed);
		u->filed = NULL;
		return allocate_helper(u, k, service, c, jb, why, whylen);
	}
	next = serial_next(u, k);
	if (next < f->first)
		next = f->first;
	if (next > f->last || f->last - next + 1 < c->nparcels) {
		snprintf(why, whylen,
		    "carrier %s: tracking range used up (%" PRId64
		    " of %" PRId64 " to %" PRId64 " left, %d needed)",
		    k->code, next > f->last ? 0 : f->last - next + 1, f->first,
		    f->last, c->nparcels);
		return -1;
	}
	jb->p = xcalloc((size_t)c->nparcels, sizeof *jb->p);
	jb->np = c->nparcels;
	jb->carrier = k;
	for (i = 0; i < c->nparcels; i++) {
		if (track_make(f, next + i, jb->p[i].tracking) == -1)
			err_exit(EXIT_TROUBLE,
			    "internal error: serial %" PRId64
			    " outside carrier %s's range",
			    next + i, k->code);
		jb->p[i].weight_g = c->weight_g[i];
		lp.tracking = jb->p[i].tracking;
		lp.n = i + 1;
		lp.m = c->nparcels;
		lp.weight_g = c->weight_g[i];
		lp.serial = next + i;
		add_parcel(u, jb, i, &lp);
	}
	serial_set(u, k, next + c->nparcels);
	left = f->last - (next + c->nparcels) + 1;
	if (left < k->low_warning && strstr(u->warned, k->code) == NULL) {
		char *w;

		err_warn("carrier %s: only %" PRId64
			 " tracking number%s left in "
			 "its range (last %" PRId64 ")",
		    k->code, left, left == 1 ? "" : "s", f->last);
		xasprintf(&w, "%s %s ", u->warned, k->code);
		free(u->warned);
		u->warned = w;
	}
	return 0;
}

/* The goods of an order, by the catalog; -1 with why. */
static int
goods(struct labels *u, json_t *j, struct ship_goods **g, size_t *n, char *why,
    size_t whylen)
{
	json_t *lines = json_object_get(j, "lines"), *l;
	const struct item *it;
	const char *sku;
	size_t i;

	*n = 0;
	*g = xcalloc(json_array_size(lines) + 1, sizeof **g);
	json_array_foreach(lines, i, l)
	{
		if ((sku = ndjson_str(l, "sku")) == NULL ||
		    (it = catalog_find(u->cat, sku)) == NULL) {
			snprintf(why, whylen, "SKU %s not in the catalog",
			    sku ? sku : "(none)");
			return -1;
		}
		if (it->bad != NULL) {
			snprintf(why, whylen, "SKU %s: catalog line %ld: %s",
			    sku, it->line, it->bad);
			return -1;
		}
		(*g)[*n].unit_g = it->weight_g;
		(*g)[(*n)++].qty =
		    json_integer_value(json_object_get(l, "qty"));
	}
	if (*n == 0) {
		snprintf(why, whylen, "no lines");
		return -1;
	}
	return 0;
}

/*
 * Before the lock: the shipment prepare()'s choice makes, as shipment()
 * would, its tracking numbers blank for shipment() to fill in: a
 * carrier's helper (its sort codes and label data) makes none.  The
 * declaration prepare() made goes into it, and stays the job's for a
 * shipment() made without the draft.
 */
static void
draft(struct job *jb, const char *service)
{
	const struct ship_choice *c = &jb->chosen;
	json_t *s, *ps;
	int64_t total = 0;
	int i;

	if (c->carrier->helper != NULL)
		return;
	s = json_object();
	ps = json_array();
	json_object_set_new(s, "carrier", json_string(c->carrier->code));
	json_object_set_new(s, "service", json_string(service));
	json_object_set_new(s, "tracking", json_string(""));
	for (i = 0; i < c->nparcels; i++) {
		json_array_append_new(
		    ps, json_pack("{s:i,s:s,s:I}", "n", i + 1, "tracking", "",
			    "weight_g", (json_int_t)c->weight_g[i]));
		total += c->weight_g[i];
	}
	json_object_set_new(s, "parcels", ps);
	json_object_set_new(s, "weight_g", json_integer(total));
	if (jb->customs != NULL)
		json_object_set(s, "customs", jb->customs);
	jb->draft = s;
}

/* The draft with the numbers handed out: what shipment() makes. */
static json_t *
drafted(struct job *jb)
{
	json_t *s = jb->draft, *ps = json_object_get(s, "parcels");
	int i;

	jb->draft = NULL;
	json_decref(jb->customs);
	jb->customs = NULL;
	/* Tracking numbers are ASCII (track_make()): not checked again. */
	json_string_set_nocheck(
	    json_object_get(s, "tracking"), jb->p[0].tracking);
	for (i = 0; i < jb->np; i++)
		json_string_set_nocheck(
		    json_object_get(json_array_get(ps, (size_t)i), "tracking"),
		    jb->p[i].tracking);
	customs_warn(
	    json_object_get(s, "customs"), jb->r.j, jb->r.file, jb->r.line);
	return s;
}

/* The shipment made here, for the parcels numbered. */
static json_t *
fresh(struct labels *u, struct job *jb, const char *service)
{
	json_t *s = json_object(), *ps = json_array(), *d;
	int64_t total = 0;
	int i;

	json_object_set_new(s, "carrier", json_string(jb->carrier->code));
	json_object_set_new(s, "service", json_string(service));
	json_object_set_new(s, "tracking", json_string(jb->p[0].tracking));
	for (i = 0; i < jb->np; i++) {
		json_t *p = json_pack("{s:i,s:s,s:I}", "n", i + 1, "tracking",
		    jb->p[i].tracking, "weight_g",
		    (json_int_t)jb->p[i].weight_g);

		if (jb->p[i].sort_code != NULL)
			json_object_set_new(
			    p, "sort_code", json_string(jb->p[i].sort_code));
		if (jb->p[i].carrier_label != NULL)
			json_object_set(
			    p, "carrier_label", jb->p[i].carrier_label);
		json_array_append_new(ps, p);
		total += jb->p[i].weight_g;
	}
	json_object_set_new(s, "parcels", ps);
	json_object_set_new(s, "weight_g", json_integer(total));
	/* Made before the lock, for the record the ledger still has. */
	if (jb->customs_made && !jb->r.reloaded) {
		d = jb->customs;
		jb->customs = NULL;
	} else
		d = customs_build(u->cfg, u->cat, jb->r.j);
	customs_warn(d, jb->r.j, jb->r.file, jb->r.line);
	if (d != NULL)
		json_object_set_new(s, "customs", d);
	return s;
}

static void
shipment(struct labels *u, struct job *jb, const char *service)
{
	const char *tmpl = jb->carrier->tracking_url, *at;
	char *url;
	json_t *s;

	/* Drafted before the lock when decide() took prepare()'s choice. */
	if (jb->prepared && jb->draft != NULL)
		s = drafted(jb);
	else
		s = fresh(u, jb, service);
	if (tmpl != NULL && (at = strstr(tmpl, "{tracking}")) != NULL) {
		xasprintf(&url, "%.*s%s%s", (int)(at - tmpl), tmpl,
		    jb->p[0].tracking, at + strlen("{tracking}"));
		json_object_set_new(s, "tracking_url", json_string(url));
		free(url);
	}
	json_object_set_new(jb->r.j, "shipment", s);
	json_object_set_new(
	    jb->r.j, "status", json_string(status_name(ST_LABELLED)));
}

/*
 * The order's promise, for the carrier to keep (ship_choose() asks
 * lib/promise when each carrier would arrive); NULL if it has none.
 */
static const struct ship_promise *
promised(struct labels *u, json_t *j, struct ship_promise *pr)
{
	json_t *p = json_object_get(j, "promise");
	struct when s, d;

	if (ndjson_str(p, "ship_by") == NULL ||
	    when_parse(ndjson_str(p, "ship_by"), &s) == -1 ||
	    ndjson_str(p, "deliver_by") == NULL ||
	    when_parse(ndjson_str(p, "deliver_by"), &d) == -1)
		return NULL;
	s = when_in_zone(s.t, u->cfg->tz);
	pr->ship_day = when_day(&s);
	pr->deliver_by = d.t;
	return pr;
}

/* 1 if this run prints a label of jb's: then its slip too. */
static int
printing(const struct job *jb)
{
	int i;

	for (i = 0; i < jb->np; i++)
		if (jb->p[i].print)
			return 1;
	return 0;
}

/*
 * Where each parcel this run prints will have its label, set before the
 * commit; the others keep what the ledger's record says.
 */
static void
label_files(struct labels *u, struct job *jb)
{
	json_t *parcels =
	    json_object_get(json_object_get(jb->r.j, "shipment"), "parcels");
	char name[TRACK_MAX + 8];
	json_t *files;
	int i;

	for (i = 0; i < jb->np; i++) {
		if (!jb->p[i].print)
			continue;
		files = json_object();
		if (u->formats & LABELS_ZPL)
			json_object_set_new(
			    files, "zpl", json_string(u->zplname));
		if (u->formats & LABELS_PDF) {
			json_object_set_new(
			    files, "pdf", json_string(u->pdfname));
			json_object_set_new(
			    files, "page", json_integer(++u->pages));
		}
		if (u->formats & LABELS_PNG) {
			snprintf(
			    name, sizeof name, "%s.png", jb->p[i].tracking);
			json_object_set_new(files, "png", json_string(name));
		}
		json_object_set_new(
		    json_array_get(parcels, (size_t)i), "label", files);
	}
	if (u->slip != SLIP_NONE && printing(jb))
		json_object_set_new(json_object_get(jb->r.j, "shipment"),
		    "slip", json_string(u->slipname));
}

/*
 * The record as it now is, kept to go into the ledger (put_kept()) and
 * to be written out: nothing changes it after this (label_files()
 * comes before).
 */
static void
keep(struct labels *u, struct job *jb, const char *what, const char *detail)
{
	size_t want = 2 * u->stage.chunk * u->stage.group;
	uint64_t h;

	/* At most half the slots taken (a transaction keeps fewer). */
	if (2 * (u->nkept + 1) > u->nkeys) {
		put_kept(u);
		if (u->nkeys < want) {
			for (u->nkeys = 64; u->nkeys < want; u->nkeys *= 2)
				;
			free(u->keys);
			u->keys = xcalloc(u->nkeys, sizeof *u->keys);
		}
	}
	xgrow(&u->kept, &u->keptcap, u->nkept + 1, sizeof *u->kept);
	u->kept[u->nkept++] = jb;
	h = key_hash(jb->ksource, jb->kid);
	*key_slot(u, h) = h;
	ledger_event(u->ledger, jb->ksource, jb->kid, what, detail);
}

/*
 * An order whose parcels the ledger knows: 1 when that settles it, 0
 * when it has none yet.  Labels printed: printed again only when asked
 * (--reprint, with -o); otherwise the ledger's record goes on as it is.
 * Asking is the one way: a labelled order on input may be the ledger's
 * record handed on by another stage while a second run labelled it.  Labels a
 * live run is printing are its own: the order is not written here.  Labels a
 * run that died never printed are taken over: those already on disk (the run
 * died between writing and saying so) are marked printed, the rest printed
 * here.
 */
static int
resume(struct labels *u, struct job *jb, const char *service)
{
	const char *what = "label.reprinted";
	char why[128];
	int i, n = 0;

	enum known k = known_parcels(u, jb->ksource, jb->kid, jb);

	/*
	 * A return request goes on as the ledger has it, numbered.  Its key
	 * and service are strings of the JSON that may be replaced: copies
	 * of them, the job's, go on.
	 */
	if (k != K_NONE && u->returns) {
		jb->kid = jb->kidcopy = xstrdup(jb->kid);
		service = jb->servicecopy = xstrdup(service);
		stage_load(&u->stage, &jb->r, jb->ksource, jb->kid);
	}
	switch (k) {
	case K_NONE:
		free(jb->p);
		jb->p = NULL;
		jb->np = 0;
		return 0;
	case K_BUSY:
		jb->skip = 1;
		u->busy++;
		return 1;
	case K_MINE:
		u->passed++;
		return 1;
	case K_DONE:
		if (u->outdir == NULL || !u->reprint) {
			u->passed++;
			u->printed += u->outdir != NULL;
			return 1;
		}
		for (i = 0; i < jb->np; i++)
			jb->p[i].print = 1;
		jb->reprint = 1;
		u->reprinted++;
		break;
	case K_ORPHAN:
		for (i = 0; i < jb->np; i++) {
			struct parcel *p = &jb->p[i];

			if (!p->due || p->printed)
				continue;
			if (p->path != NULL && access(p->path, F_OK) == 0) {
				ledger_parcel_printed(u->ledger, p->tracking);
				p->printed = 1;
			} else if (u->outdir != NULL) {
				claim_print(u, jb, i);
				n++;
			} else {
				stage_reject(&u->stage, &jb->r,
				    "its labels were never printed (run "
				    "%" PRId64 " died): label --pending -o dir "
				    "prints them",
				    p->run);
				u->unprinted++;
				return 1;
			}
		}
		snprintf(why, sizeof why,
		    "run %" PRId64 " died: %d label%s"
		    " printed again",
		    jb->p[0].run, n, n == 1 ? "" : "s");
		what = why;
		u->recovered++;
		break;
	}
	jb->label = 1;
	if (json_object_get(jb->r.j, "shipment") == NULL)
		shipment(u, jb, service);
	if (u->returns && ndjson_str(jb->r.j, "tracking") == NULL)
		json_object_set_new(
		    jb->r.j, "tracking", json_string(jb->p[0].tracking));
	label_files(u, jb);
	keep(u, jb, what == why ? "label.recovered" : what,
	    what == why ? why : jb->p[0].tracking);
	u->parcels += jb->np;
	return 1;
}

/*
 * --return: a return shipment from followup(1), keyed by its RMA: from
 * the customer (ship_from) to the warehouse (ship_to), on the carrier's
 * return service, numbered from its range once like any parcel.
 * Everything else passes through.
 */
static void
decide_return(struct labels *u, struct job *jb)
{
	struct ship_choice c = {NULL, 0, NULL, 0, 0};
	struct ship_goods *g = NULL;
	const char *type, *rma, *service, *country;
	char why[1024];
	json_t *j;
	size_t ng;
	int rc = -1;

	if (stage_parse_only(&u->stage, &jb->r) == -1)
		return;
	j = jb->r.j;
	type = ndjson_str(j, "type");
	if (type == NULL || strcmp(type, "return") != 0) {
		u->passed++;
		return;
	}
	if ((rma = ndjson_str(j, "rma")) == NULL) {
		stage_reject(&u->stage, &jb->r, "a return without an rma");
		return;
	}
	if (!json_is_object(json_object_get(j, "ship_from")) ||
	    !json_is_object(json_object_get(j, "ship_to"))) {
		stage_reject(&u->stage, &jb->r,
		    "return %s: needs ship_from and ship_to (the "
		    "warehouse's return_address)",
		    rma);
		return;
	}
	reading_order(u, "rma", rma);
	if (stage_own(&u->stage, &jb->r, "rma", rma) == -1)
		return;
	jb->ksource = "rma";
	jb->kid = rma;
	service =
	    ndjson_str(j, "service") ? ndjson_str(j, "service") : "standard";
	if (resume(u, jb, service))
		return;
	country = ndjson_str(json_object_get(j, "ship_from"), "country");
	if (goods(u, j, &g, &ng, why, sizeof why) == -1 ||
	    ship_choose(u->cfg,
		u->forced ? u->forced : ndjson_str(j, "carrier"),
		country ? country : "", service, 0, NULL, g, ng, &c, why,
		sizeof why) == -1 ||
	    (rc = allocate(u, c.carrier, "rma", rma, service, &c, jb, why,
		 sizeof why)) != 0) {
		free(g);
		ship_free(&c);
		/* 1: another live run is asking its helper for them. */
		if (rc != 1)
			stage_reject(
			    &u->stage, &jb->r, "return %s: %s", rma, why);
		return;
	}
	free(g);
	ship_free(&c);
	shipment(u, jb, service);
	json_object_set_new(j, "tracking", json_string(jb->p[0].tracking));
	label_files(u, jb);
	snprintf(why, sizeof why, "return %s %s", jb->carrier->code,
	    jb->p[0].tracking);
	keep(u, jb, "labelled", why);
	u->labelled++;
	jb->label = 1;
	u->parcels += jb->np;
}

/*
 * The carrier and service for the order j, and its parcels: 0, or -1
 * with why.  Needs nothing of the ledger.
 */
static int
choose(struct labels *u, json_t *j, const char *service, struct ship_choice *c,
    char *why, size_t whylen)
{
	const char *country =
	    ndjson_str(json_object_get(j, "ship_to"), "country");
	const char *method =
	    ndjson_str(json_object_get(j, "payment"), "method");
	struct ship_promise pr;
	struct ship_goods *g = NULL;
	size_t ng;
	int rc;

	rc = goods(u, j, &g, &ng, why, whylen) == -1 ||
		     ship_choose(u->cfg, u->forced, country ? country : "",
			 service, method != NULL && strcmp(method, "cod") == 0,
			 promised(u, j, &pr), g, ng, c, why, whylen) == -1
		 ? -1
		 : 0;
	free(g);
	return rc;
}

static const char *
service_of(json_t *j)
{
	return ndjson_str(j, "service") ? ndjson_str(j, "service") : "standard";
}

/*
 * What label does with an order in status st: 1 numbers it (picked, or
 * labelled before: then the same numbers again), -1 sets it aside (not
 * picked yet), 0 passes it on as it is: held, cancelled, returned, on
 * its way, no status (a held order goes on through dispatch to notify).
 * One that came picked but that the ledger has cancelled, returned or on
 * the road was set aside already (stage_parse_move()).  A return
 * request is label --return's.
 */
static int
labelling(enum status st)
{
	enum step k = status_step(st, ST_LABELLED);

	if (st == ST_RETURN_REQUESTED)
		return 0;
	if (k == STEP_ACT || k == STEP_AGAIN)
		return 1;
	return k == STEP_EARLY && st == ST_ACCEPTED ? -1 : 0;
}

/*
 * Before the lock (stage_ops.prepare): an order to number, as read,
 * given its carrier, service and parcels.  decide() uses them when the
 * ledger has the order as read (stage_load() kept r.j), and chooses
 * again otherwise.
 */
static void
prepare(void *arg, void *rec)
{
	struct labels *u = arg;
	struct job *jb = rec;
	char why[1024];

	if (u->returns)
		return;
	stage_parse_early(&jb->r);
	if (jb->r.j == NULL ||
	    labelling(status_parse(ndjson_str(jb->r.j, "status"))) != 1 ||
	    json_object_get(jb->r.j, "pick") == NULL)
		return;
	if (choose(u, jb->r.j, service_of(jb->r.j), &jb->chosen, why,
		sizeof why) == -1) {
		ship_free(&jb->chosen);
		jb->chosen.carrier = NULL;
		return;
	}
	jb->customs = customs_build(u->cfg, u->cat, jb->r.j);
	jb->customs_made = 1;
	draft(jb, service_of(jb->r.j));
}

/* Decide one order inside the transaction. */
static void
decide(void *arg, void *rec)
{
	struct labels *u = arg;
	struct job *jb = rec;
	struct ship_choice c = {NULL, 0, NULL, 0, 0};
	const char *id, *source, *service;
	char why[1024];
	enum status st;
	int rc = -1;

	name_lot(u, jb->lot);
	if (u->returns) {
		decide_return(u, jb);
		return;
	}
	stage_parse_early(&jb->r);
	if (jb->r.j != NULL)
		reading_order(u, ndjson_str(jb->r.j, "source"),
		    ndjson_str(jb->r.j, "order_id"));
	if (stage_parse_move(&u->stage, &jb->r, 0, ST_LABELLED) == -1)
		return;
	id = jb->kid = ndjson_str(jb->r.j, "order_id");
	source = jb->ksource = ndjson_str(jb->r.j, "source");
	st = status_parse(ndjson_str(jb->r.j, "status"));
	switch (labelling(st)) {
	case -1:
		stage_reject(&u->stage, &jb->r, "%s",
		    status_why(why, sizeof why, st, ST_LABELLED));
		return;
	case 0:
		u->passed++;
		return;
	}
	service = service_of(jb->r.j);
	/* Numbered before: the same numbers. */
	if (resume(u, jb, service))
		return;
	if (json_object_get(jb->r.j, "pick") == NULL) {
		stage_reject(&u->stage, &jb->r,
		    "no pick data: the order did not come "
		    "through pick-list");
		return;
	}
	/* Chosen before the lock, for the record the ledger still has. */
	if (jb->chosen.carrier != NULL && !jb->r.reloaded) {
		c = jb->chosen;
		memset(&jb->chosen, 0, sizeof jb->chosen);
		jb->prepared = 1;
	} else if (choose(u, jb->r.j, service, &c, why, sizeof why) == -1) {
		ship_free(&c);
		stage_reject(&u->stage, &jb->r, "%s", why);
		return;
	}
	if ((rc = allocate(u, c.carrier, source, id, service, &c, jb, why,
		 sizeof why)) != 0) {
		ship_free(&c);
		/* 1: another live run is asking its helper for them. */
		if (rc != 1)
			stage_reject(&u->stage, &jb->r, "%s", why);
		return;
	}
	ship_free(&c);
	shipment(u, jb, service);
	label_files(u, jb);
	snprintf(why, sizeof why, "%s %s, %d parcel%s", jb->carrier->code,
	    jb->p[0].tracking, jb->np, jb->np == 1 ? "" : "s");
	keep(u, jb, "labelled", why);
	jb->label = 1;
	u->labelled++;
	u->parcels += jb->np;
}

/* "+8613800138000" -> "138****8000": enough for a courier to match. */
static void
mask(const char *phone, const char *country, char *buf, size_t len)
{
	int code = country ? phone_calling_code(country) : 0;
	const char *d = phone;
	char cc[8];
	size_t n, i, at = 0;

	snprintf(cc, sizeof cc, "%d", code);
	if (*d == '+') {
		d++;
		if (code > 0 && strncmp(d, cc, strlen(cc)) == 0)
			d += strlen(cc);
	}
	n = strlen(d);
	for (i = 0; i < n && at + 1 < len; i++)
		buf[at++] =
		    (n >= 8 ? i < 3 || i >= n - 4 : i >= n - 2) ? d[i] : '*';
	buf[at] = '\0';
}

static void
address(json_t *a, struct label_addr *la)
{
	la->name = ndjson_str(a, "name");
	la->line1 = ndjson_str(a, "line1");
	la->line2 = ndjson_str(a, "line2");
	la->city = ndjson_str(a, "city");
	la->region = ndjson_str(a, "region");
	la->postcode = ndjson_str(a, "postcode");
	la->country = ndjson_str(a, "country");
	la->country_name = country_name(la->country);
	la->country_local = country_local(la->country);
	la->phone = ndjson_str(a, "phone");
}

/*
 * The handling marks of a parcel: the pick's, else (a return, which has
 * no pick) those of the goods in it by the catalog, so that a cracked
 * vase goes back marked fragile.
 */
static unsigned
handling(struct labels *u, json_t *j)
{
	json_t *pick = json_object_get(j, "pick"), *l;
	const struct item *it;
	unsigned bits = 0;
	size_t i;

	if (json_is_array(json_object_get(pick, "handling")) || u->cat == NULL)
		return handling_bits(json_object_get(pick, "handling"));
	json_array_foreach(json_object_get(j, "lines"), i, l)
	{
		it = ndjson_str(l, "sku") != NULL
			 ? catalog_find(u->cat, ndjson_str(l, "sku"))
			 : NULL;
		if (it != NULL && it->bad == NULL)
			bits |= it->handling;
	}
	return bits;
}

/*
 * The customs declaration, one per order, after its first parcel's label
 * in each format: a page of the PDF, a label of the ZPL, a PNG of its
 * own (TRACKING-customs.png).
 */
static unsigned
print_customs(struct labels *u, struct job *jb, struct label *lb)
{
	json_t *d =
	    json_object_get(json_object_get(jb->r.j, "shipment"), "customs");
	char name[TRACK_MAX + 16];
	struct outfile f;
	struct form *form;
	unsigned cut = 0;

	if (d == NULL)
		return 0;
	lb->tracking = jb->p[0].tracking;
	form = customs_form(d, lb);
	if (u->formats & LABELS_ZPL)
		cut |= render_zpl_form(u->zpl.fp, form, u->size,
		    u->cfg->printer_font ? u->cfg->printer_font : "0");
	if (u->formats & LABELS_PDF)
		cut |= render_pdf_add_form(u->pdfdoc, form);
	if (u->formats & LABELS_PNG) {
		snprintf(name, sizeof name, "%s-customs.png", lb->tracking);
		cut |= render_png_form(
		    outfile_open(&f, u->outdir, name), form, u->size);
		outfile_commit(&f);
	}
	customs_form_free(form);
	return cut;
}

/* Print the labels of one order, parcel by parcel. */
static void
print_labels(struct labels *u, struct job *jb)
{
	json_t *ship_to = json_object_get(jb->r.j, "ship_to");
	json_t *pay = json_object_get(jb->r.j, "payment");
	json_t *win = json_object_get(jb->r.j, "delivery_window");
	struct label lb;
	struct when now = when_in_zone(when_now().t, u->cfg->tz);
	char phone[64], fphone[64], ref[256], date[WHEN_BUFSZ], cod[64],
	    amount[48];
	char window[64], name[TRACK_MAX + 8], cuts[256];
	const char *from, *to;
	struct outfile f;
	unsigned cut = 0;
	int i;

	memset(&lb, 0, sizeof lb);
	lb.carrier = jb->carrier->name ? jb->carrier->name : jb->carrier->code;
	lb.service = ndjson_str(jb->r.j, "service")
			 ? ndjson_str(jb->r.j, "service")
			 : "standard";
	lb.gs1 = jb->carrier->tracking.kind == TRACK_SSCC;
	address(ship_to, &lb.to);
	if (u->cfg->mask_phone && lb.to.phone != NULL) {
		mask(lb.to.phone, lb.to.country, phone, sizeof phone);
		lb.to.phone = phone;
	}
	if (json_is_object(json_object_get(jb->r.j, "ship_from"))) {
		/* A return: from the customer, whose phone is masked too. */
		address(json_object_get(jb->r.j, "ship_from"), &lb.from);
		if (u->cfg->mask_phone && lb.from.phone != NULL) {
			mask(lb.from.phone, lb.from.country, fphone,
			    sizeof fphone);
			lb.from.phone = fphone;
		}
		snprintf(ref, sizeof ref, "RETURN %s (%s %s)",
		    ndjson_str(jb->r.j, "rma"), ndjson_str(jb->r.j, "source"),
		    ndjson_str(jb->r.j, "order_id"));
	} else {
		if (u->cfg->return_address != NULL)
			address(u->cfg->return_address, &lb.from);
		snprintf(ref, sizeof ref, "%s %s",
		    ndjson_str(jb->r.j, "source"),
		    ndjson_str(jb->r.j, "order_id"));
	}
	lb.order_ref = ref;
	when_format(&now, date);
	date[10] = '\0';
	lb.date = date;
	if (ndjson_str(pay, "method") != NULL &&
	    strcmp(ndjson_str(pay, "method"), "cod") == 0 &&
	    json_is_integer(json_object_get(pay, "cod_amount"))) {
		const char *cur = ndjson_str(jb->r.j, "currency");

		money_format(
		    json_integer_value(json_object_get(pay, "cod_amount")),
		    cur ? money_exponent(cur) : 2, amount, sizeof amount);
		snprintf(cod, sizeof cod, "%s %s", cur ? cur : "", amount);
		lb.cod = cod;
	}
	if ((from = ndjson_str(win, "from")) != NULL &&
	    (to = ndjson_str(win, "to")) != NULL && strlen(from) >= 16 &&
	    strlen(to) >= 16) {
		snprintf(window, sizeof window, "%.10s %.5s-%.5s", from,
		    from + 11, to + 11);
		lb.window = window;
	}
	lb.handling = handling(u, jb->r.j);
	lb.parcels = jb->np;
	for (i = 0; i < jb->np; i++) {
		if (!jb->p[i].print)
			continue;
		lb.parcel = i + 1;
		lb.tracking = jb->p[i].tracking;
		lb.sort_code = jb->p[i].sort_code;
		lb.weight_g = jb->p[i].weight_g;
		/*
		 * A chunk's ZPL is ~1.5 MB: written 64 KiB at a time, from
		 * a buffer of the run's (glibc takes a size only with one).
		 */
		if ((u->formats & LABELS_ZPL) && u->zpl.fp == NULL) {
			if (u->zplbuf == NULL)
				u->zplbuf = xmalloc(ZPL_BUF);
			setvbuf(outfile_open(&u->zpl, u->outdir, u->zplname),
			    u->zplbuf, _IOFBF, ZPL_BUF);
		}
		if ((u->formats & LABELS_PDF) && u->pdfdoc == NULL)
			u->pdfdoc = render_pdf_open(
			    outfile_open(&u->pdf, u->outdir, u->pdfname),
			    u->size);
		if (u->formats & LABELS_ZPL)
			cut |= render_zpl(u->zpl.fp, &lb, u->size,
			    u->cfg->printer_font ? u->cfg->printer_font : "0");
		if (u->formats & LABELS_PDF)
			cut |= render_pdf_add(u->pdfdoc, &lb);
		if (u->formats & LABELS_PNG) {
			snprintf(name, sizeof name, "%s.png", lb.tracking);
			cut |= render_png(
			    outfile_open(&f, u->outdir, name), &lb, u->size);
			outfile_commit(&f);
		}
	}
	if (jb->p[0].print)
		cut |= print_customs(u, jb, &lb);
	/*
	 * Printed all the same, the cut marked; the packer should look at
	 * this parcel, so the warning names it (and the summary counts).
	 */
	if (cut != 0) {
		u->cut++;
		err_line(jb->r.file, jb->r.line,
		    "order %s: warning: %s too long for the label, cut "
		    "short with an ellipsis",
		    ndjson_str(jb->r.j, "order_id"),
		    render_cut_names(cut, cuts, sizeof cuts));
	}
}

/*
 * The labels printed for the n jobs, on disk now: the ledger says so,
 * a statement for several labels.
 */
static void
record_prints(struct labels *u, struct job *jobs, size_t n)
{
	struct ledger_print *p = NULL;
	size_t i, np = 0, cap = 0, len;
	char fmts[24];
	int k;

	snprintf(fmts, sizeof fmts, "%s%s%s%s",
	    u->formats & LABELS_ZPL ? "zpl " : "",
	    u->formats & LABELS_PDF ? "pdf " : "",
	    u->formats & LABELS_PNG ? "png " : "",
	    u->slip != SLIP_NONE ? "slip" : "");
	if ((len = strlen(fmts)) > 0 && fmts[len - 1] == ' ')
		fmts[len - 1] = '\0';
	for (i = 0; i < n; i++) {
		struct job *jb = &jobs[i];

		if (jb->r.j == NULL || !jb->label)
			continue;
		for (k = 0; k < jb->np; k++) {
			if (!jb->p[k].print)
				continue;
			xgrow(&p, &cap, np + 1, sizeof *p);
			p[np].tracking = jb->p[k].tracking;
			p[np++].reprint = jb->reprint;
		}
	}
	ledger_prints_add(u->ledger, p, np, fmts);
	free(p);
}

/*
 * The chunk's packing slips, one per order whose labels this run prints,
 * into one PDF made durable before the labels are written: a label on
 * disk (what a run taking over a dead one's claims looks for) means its
 * slip is there too.
 */
static void
print_slips(struct labels *u, struct job *jobs, size_t n)
{
	struct slip_pdf *sp = NULL;
	struct outfile f;
	size_t i;

	u->slips = 0;
	for (i = 0; i < n; i++) {
		if (jobs[i].r.j == NULL || !jobs[i].label ||
		    !printing(&jobs[i]))
			continue;
		if (sp == NULL)
			sp = slip_pdf_open(
			    outfile_open(&f, u->outdir, u->slipname), u->slip,
			    u->cfg);
		slip_pdf_add(sp, jobs[i].r.j);
		u->slips++;
	}
	if (sp != NULL) {
		slip_pdf_close(sp);
		outfile_commit(&f);
	}
}

/*
 * The chunk's labels onto disk: rendered into temporary files, then
 * synced and renamed, the file the ledger points at last (see
 * label_path()).  Returns how many orders had labels.
 */
static size_t
print_chunk(struct labels *u, struct job *jobs, size_t n)
{
	size_t i, k = 0;

	if (u->slip != SLIP_NONE)
		print_slips(u, jobs, n);
	for (i = 0; i < n; i++)
		if (jobs[i].r.j != NULL && jobs[i].label) {
			print_labels(u, &jobs[i]);
			k++;
		}
	if (u->pdfdoc != NULL) {
		render_pdf_close(u->pdfdoc);
		u->pdfdoc = NULL;
		outfile_commit(&u->pdf);
	}
	if (u->zpl.fp != NULL)
		outfile_commit(&u->zpl);
	return k;
}

/*
 * A chunk in three steps (stage_ops).  Its orders are decided and their
 * numbers handed out under one lock, each label this run is to print
 * claimed (its parcel's run and path), and committed.  Then the labels
 * are written and made durable, and the ledger says they are printed.
 * Only then do the orders go on.  A crash before the last commit leaves
 * claims of a dead run, which label --pending takes over.
 */
static void
chunk_files(void *arg, void *recs, size_t n)
{
	struct labels *u = arg;
	struct job *jobs = recs;
	size_t i;

	u->chunks++;
	/* A new transaction: no label file's row made in it yet. */
	free(u->filed);
	u->filed = NULL;
	for (i = 0; i < n; i++)
		jobs[i].lot = u->chunks;
}

/*
 * The chunk's lot files, durable now, to be sent to the printers once
 * (slips: in its slip file): written down in the transaction that
 * records the labels printed, sent after its commit.  The job's name
 * says what a person picks up.
 */
static void
print_lots(struct labels *u, struct job *jobs, size_t n, long slips)
{
	char path[PATH_MAX + 64], title[160];
	long labels = 0;
	size_t i;
	int k;

	for (i = 0; i < n; i++)
		for (k = 0;
		     jobs[i].r.j != NULL && jobs[i].label && k < jobs[i].np;
		     k++)
			labels += jobs[i].p[k].print;
	snprintf(title, sizeof title,
	    "fulfil %slabels run %" PRId64 " lot %d, %ld label%s",
	    u->returns ? "return " : "", ledger_run_id(u->ledger), u->lot,
	    labels, labels == 1 ? "" : "s");
	if (u->formats & LABELS_ZPL) {
		snprintf(path, sizeof path, "%s/%s", u->absdir, u->zplname);
		print_lot(&u->printer, u->ledger, path, "zpl", title, labels);
	}
	if (u->formats & LABELS_PDF) {
		snprintf(path, sizeof path, "%s/%s", u->absdir, u->pdfname);
		print_lot(&u->printer, u->ledger, path, "pdf", title, labels);
	}
	/* The slips are a PDF: where PDF goes. */
	if (slips > 0) {
		snprintf(title, sizeof title,
		    "fulfil packing slips run %" PRId64 " lot %d, %ld slip%s",
		    ledger_run_id(u->ledger), u->lot, slips,
		    slips == 1 ? "" : "s");
		snprintf(path, sizeof path, "%s/%s", u->absdir, u->slipname);
		print_lot(&u->printer, u->ledger, path, "pdf", title, slips);
	}
}

/* Where the lot that starts at jobs[a] ends (stage_ops' group). */
static size_t
lot_end(const struct job *jobs, size_t a, size_t n)
{
	size_t b = a + 1;

	while (b < n && jobs[b].lot == jobs[a].lot)
		b++;
	return b;
}

/* What print_chunk() did with a lot. */
struct lot_printed {
	size_t got; /* orders with labels */
	long slips;
};

/*
 * Each lot the transaction decided onto disk, in its files; then one
 * transaction says them all printed and queues them to be sent.
 */
static void
print_all(void *arg, void *recs, size_t n)
{
	struct labels *u = arg;
	struct job *jobs = recs;
	struct lot_printed *lot;
	size_t a, b, k, got = 0;

	if (u->outdir == NULL || n == 0)
		return;
	lot = xcalloc(n, sizeof *lot);
	for (a = k = 0; a < n; a = b, k++) {
		b = lot_end(jobs, a, n);
		name_lot(u, jobs[a].lot);
		got += lot[k].got = print_chunk(u, jobs + a, b - a);
		lot[k].slips = u->slips;
	}
	if (got > 0) {
		ledger_begin(u->ledger);
		record_prints(u, jobs, n);
		for (a = k = 0; u->print && a < n; a = b, k++) {
			b = lot_end(jobs, a, n);
			if (lot[k].got == 0)
				continue;
			name_lot(u, jobs[a].lot);
			print_lots(u, jobs + a, b - a, lot[k].slips);
		}
		ledger_commit(u->ledger);
		if (u->print)
			print_send(&u->printer, u->ledger);
	}
	free(lot);
}

/* Not written when a live run has it: that run writes it. */
static void
write_one(void *arg, void *rec)
{
	struct job *jb = rec;

	if (jb->r.j != NULL && !jb->skip && jb->out != NULL)
		ndjson_put(jb->out, jb->outlen);
	else if (jb->r.j != NULL && !jb->skip)
		ndjson_write(jb->r.j);
}

static void
clear_one(void *arg, void *rec)
{
	struct job *jb = rec;
	int k;

	for (k = 0; jb->p != NULL && k < jb->np; k++) {
		free(jb->p[k].path);
		free(jb->p[k].sort_code);
		json_decref(jb->p[k].carrier_label);
	}
	free(jb->p);
	free(jb->out);
	ledger_rec_packed_free(&jb->packed);
	free(jb->kidcopy);
	free(jb->servicecopy);
	jb->out = NULL;
	ship_free(&jb->chosen);
	json_decref(jb->customs);
	jb->customs = NULL;
	jb->customs_made = 0;
	json_decref(jb->draft);
	jb->draft = NULL;
	jb->prepared = 0;
}

static void
settle(void *arg, void *recs, size_t n)
{
	put_kept(arg);
	serials_settle(arg);
}

static const struct stage_ops label_ops = {
    .begin = chunk_files,
    .prepare = prepare,
    .decide = decide,
    .settle = settle,
    .effects = print_all,
    .write = write_one,
    .clear = clear_one,
    .group = STAGE_GROUP,
};

/* Without -o, --pending cannot print what dead runs left: it says so. */
static void
unprinted_warning(struct labels *u)
{
	int64_t n = ledger_unprinted_count(u->ledger);

	if (n > 0)
		err_warn("%" PRId64 " order%s ha%s labels that a run that died "
			 "never printed: label --pending -o dir prints them",
		    n, n == 1 ? "" : "s", n == 1 ? "s" : "ve");
}

/* Back to picked, its shipment gone: label --pending labels it anew. */
static void
unlabel(struct ledger *l, const char *source, const char *id)
{
	const char *picked = status_name(ST_PICKED);
	char *rec, *out;
	size_t len;
	json_t *j;

	if ((rec = ledger_order_record(l, source, id, &len)) != NULL &&
	    (j = recparse_line(rec, len, NULL, 0)) != NULL) {
		json_object_del(j, "shipment");
		json_object_set_new(j, "status", json_string(picked));
		out = ndjson_dump(j, &len);
		ledger_order_put(l, source, id, picked, out, len, NULL, 0, 0);
		free(out);
		json_decref(j);
	}
	free(rec);
}

/*
 * Whether the order of a parcel may still have its label voided: it has
 * not gone on from labelled (or picked, voided before and not labelled
 * again).  An order the ledger does not know may.
 */
static int
voidable(struct ledger *l, const char *source, const char *id, char **status)
{
	struct ledger_order lo = {0};
	enum status st;

	if (!ledger_order_get(l, source, id, &lo))
		return 1;
	st = status_parse(lo.status);
	if (st == ST_LABELLED || st == ST_PICKED) {
		ledger_order_free(&lo);
		return 1;
	}
	*status = lo.status;
	lo.status = NULL;
	ledger_order_free(&lo);
	return 0;
}

int
labels_void(struct labels *u, char **tracking, int n)
{
	char *source, *id, *status;
	int i, voided, rc = EXIT_OK;

	ledger_begin(u->ledger);
	for (i = 0; i < n; i++) {
		if (!ledger_parcel_find(
			u->ledger, tracking[i], &source, &id, &voided)) {
			err_warn("%s: no such tracking number", tracking[i]);
			rc = EXIT_REJECTS;
			continue;
		}
		if (voided) {
			err_warn("%s: already voided", tracking[i]);
			rc = EXIT_REJECTS;
		} else if (!voidable(u->ledger, source, id, &status)) {
			err_warn("%s: order %s is %s: too late to void",
			    tracking[i], id, status);
			rc = EXIT_REJECTS;
			free(status);
		} else {
			ledger_parcels_void(u->ledger, source, id);
			unlabel(u->ledger, source, id);
			ledger_event(
			    u->ledger, source, id, "label.voided", tracking[i]);
			if (!quiet)
				fprintf(stderr, "%s: %s voided (order %s)\n",
				    progname, tracking[i], id);
		}
		free(source);
		free(id);
	}
	ledger_commit(u->ledger);
	/* Committed first: a helper told of a void the ledger lost is worse. */
	helper_tell_voids(u->ledger, u->cfg, &u->voids);
	return rc != EXIT_OK || u->voids.failed > 0 ? EXIT_REJECTS : EXIT_OK;
}

void
labels_summary(const struct labels *u)
{
	fprintf(stderr,
	    "%s: %ld read, %ld labelled, %ld reprinted (%ld parcel%s), "
	    "%ld passed through, %ld rejected",
	    progname, u->stage.read, u->labelled, u->reprinted, u->parcels,
	    u->parcels == 1 ? "" : "s", u->passed, u->stage.rejected);
	if (u->recovered > 0)
		fprintf(stderr, "; %ld taken over from runs that died",
		    u->recovered);
	if (u->busy > 0)
		fprintf(stderr, "; %ld left to runs labelling them", u->busy);
	if (u->print)
		fprintf(stderr, "; %ld print job%s sent", u->printer.sent,
		    u->printer.sent == 1 ? "" : "s");
	if (u->printer.found > 0)
		fprintf(stderr, "; %ld found in the queue, not sent again",
		    u->printer.found);
	if (u->printer.failed > 0)
		fprintf(stderr, "; %ld not sent", u->printer.failed);
	if (u->cut > 0)
		fprintf(
		    stderr, "; %ld with text cut short (warned above)", u->cut);
	if (u->printed > 0)
		fprintf(stderr,
		    "; %ld printed before, not again (--reprint prints them)",
		    u->printed);
	if (u->voids.told > 0)
		fprintf(stderr, "; %ld void%s told to carriers' helpers",
		    u->voids.told, u->voids.told == 1 ? "" : "s");
	if (u->voids.failed + u->voids.untellable > 0)
		fprintf(stderr, "; %ld void%s not told",
		    u->voids.failed + u->voids.untellable,
		    u->voids.failed + u->voids.untellable == 1 ? "" : "s");
	fputc('\n', stderr);
}

unsigned
labels_formats(const char *s)
{
	char buf[64], *tok, *save = NULL;
	unsigned f = 0;

	if (strlen(s) >= sizeof buf)
		return 0;
	strcpy(buf, s);
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		if (strcmp(tok, "zpl") == 0)
			f |= LABELS_ZPL;
		else if (strcmp(tok, "pdf") == 0)
			f |= LABELS_PDF;
		else if (strcmp(tok, "png") == 0)
			f |= LABELS_PNG;
		else
			return 0;
	}
	return f;
}

void
labels_init(struct labels *u)
{
	memset(u, 0, sizeof *u);
	u->formats = LABELS_ZPL;
	u->size = LABEL_4X6;
	u->warned = xstrdup(" ");
}

void
labels_outdir(struct labels *u, const char *dir)
{
	if (mkdir(dir, 0777) == -1 && errno != EEXIST)
		err_exit_sys(EXIT_TROUBLE, "cannot create directory '%s'", dir);
	if ((u->absdir = realpath(dir, NULL)) == NULL)
		err_exit_sys(EXIT_TROUBLE, "'%s'", dir);
	u->outdir = dir;
}

/* The stage set up for a run; the statuses label takes orders in. */
static const char *const *
labels_stage(struct labels *u, const char *where)
{
	static const char *waiting[3], *returns[3];

	waiting[0] = status_name(ST_PICKED);
	returns[0] = status_name(ST_RETURN_REQUESTED);
	waiting[1] = returns[1] = status_name(ST_LABELLED);
	u->stage.ledger = u->ledger;
	u->stage.rejects = &u->rejects;
	u->stage.rejected_what = "label.rejected";
	u->stage.pending_where = where;
	stage_init_ops(
	    &u->stage, sizeof(struct job), STAGE_CHUNK, &label_ops, u);
	u->stage.own_only = 1;
	return u->returns ? returns : waiting;
}

int
labels_run(struct labels *u, struct input **in, int nin, int pending)
{
	const char *const *statuses;

	/*
	 * --pending: orders waiting for their numbers, and with -o those
	 * whose labels a run that died never printed.
	 */
	u->where = ledger_parcels_pending_where(u->returns,
	    status_name(u->returns ? ST_RETURN_REQUESTED : ST_PICKED),
	    u->outdir != NULL);
	if (pending && u->outdir == NULL)
		unprinted_warning(u);
	/* Numbers voided since the last run (a cancellation too). */
	helper_tell_voids(u->ledger, u->cfg, &u->voids);
	statuses = labels_stage(u, u->where);
	stage_run(&u->stage, in, nin, pending ? statuses : NULL);
	/* Lots that runs which died left unsent, when this run sent none. */
	if (u->print)
		print_send(&u->printer, u->ledger);
	return u->stage.rejected > 0 || u->printer.failed > 0 ||
		       u->voids.failed > 0
		   ? EXIT_REJECTS
		   : EXIT_OK;
}

int
labels_order(struct labels *u, const char *source, const char *id)
{
	char *where = ledger_pack_where(source, id);
	long labelled = u->labelled + u->reprinted + u->recovered;
	long passed = u->passed + u->busy;

	stage_run(&u->stage, NULL, 0, labels_stage(u, where));
	if (u->print)
		print_send(&u->printer, u->ledger);
	free(where);
	if (u->labelled + u->reprinted + u->recovered > labelled)
		return 1;
	return u->passed + u->busy > passed ? 0 : -1;
}

void
labels_done(struct labels *u)
{
	free(u->where);
	free(u->absdir);
	free(u->warned);
	free(u->zplbuf);
	free(u->serials);
	free(u->used);
	free(u->kept);
	free(u->keys);
	free(u->filed);
}
