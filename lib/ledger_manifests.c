#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "ledger_int.h"
#include "ledger_manifests.h"
#include "when.h"

void
ledger_manifest_open(
    struct ledger *l, const char *id, const char *carrier, const char *day)
{
	struct db_stmt *st = ledger_sql(l,
	    "INSERT OR IGNORE INTO manifests (id, carrier, ship_date, status, "
	    "opened_at) VALUES (?1, ?2, ?3, 'open', ?4)");

	db_bind_text(st, 1, id, -1);
	db_bind_text(st, 2, carrier, -1);
	db_bind_text(st, 3, day, -1);
	db_bind_text(st, 4, ledger_stamp(l), -1);
	ledger_done(l, st);
}

int
ledger_manifest_closed(struct ledger *l, const char *carrier, const char *day)
{
	struct db_stmt *st = ledger_sql(l,
	    "SELECT 1 FROM manifests WHERE carrier = ?1 AND ship_date = ?2 "
	    "AND status = 'closed'");
	int r;

	db_bind_text(st, 1, carrier, -1);
	db_bind_text(st, 2, day, -1);
	r = ledger_row(l, st);
	db_reset(st);
	return r;
}

/*
 * The manifest's parcel count in this transaction: read once, counted
 * here, written back before the commit (ledger_manifests_settle()).  A
 * dispatch chunk adds hundreds of parcels to a few manifests; an UPDATE
 * each was its second costliest statement.  Writers go one at a time,
 * so nobody else counts meanwhile.
 */
static struct seqcount *
count_of(struct ledger *l, const char *manifest)
{
	struct db_stmt *st;
	int64_t last = -1, rowid = 0;
	size_t i;

	for (i = 0; i < l->nseqs; i++)
		if (strcmp(l->seqs[i].manifest, manifest) == 0)
			return &l->seqs[i];
	st = ledger_sql(
	    l, "SELECT last_seq, rowid FROM manifests WHERE id = ?1");
	db_bind_text(st, 1, manifest, -1);
	if (ledger_row(l, st)) {
		last = db_column_int64(st, 0);
		rowid = db_column_int64(st, 1);
		db_reset(st);
	}
	if (last < 0)
		ledger_fail(l, "a parcel for a manifest not opened");
	xgrow(&l->seqs, &l->seqscap, l->nseqs + 1, sizeof *l->seqs);
	l->seqs[l->nseqs].manifest = xstrdup(manifest);
	l->seqs[l->nseqs].last = l->seqs[l->nseqs].read = last;
	l->seqs[l->nseqs].rowid = rowid;
	return &l->seqs[l->nseqs++];
}

void
ledger_manifests_settle(struct ledger *l)
{
	struct db_stmt *st;
	size_t i;

	for (i = 0; i < l->nseqs; i++) {
		if (l->seqs[i].last == l->seqs[i].read)
			continue;
		st = ledger_sql(
		    l, "UPDATE manifests SET last_seq = ?2 WHERE id = ?1");
		db_bind_text(st, 1, l->seqs[i].manifest, -1);
		db_bind_int64(st, 2, l->seqs[i].last);
		ledger_done(l, st);
		l->seqs[i].read = l->seqs[i].last;
	}
}

void
ledger_manifests_forget(struct ledger *l)
{
	size_t i;

	for (i = 0; i < l->nseqs; i++)
		free(l->seqs[i].manifest);
	l->nseqs = 0;
}

void
ledger_manifest_add_parcel(
    struct ledger *l, const char *manifest, const struct manifest_parcel *p)
{
	struct db_stmt *st;
	struct when w;
	char buf[WHEN_BUFSZ];
	/* Its place on the manifest: the manifest counts its parcels. */
	struct seqcount *c = count_of(l, manifest);
	int64_t seq = ++c->last, ord;

	/* The columns manifest_parcel_log keeps (schema 26). */
	st = ledger_sql(l,
	    "INSERT INTO manifest_parcel_log (tracking, manifest, seq, ord, "
	    "service, n, m, weight_g, cod, currency, handling, run, "
	    "dispatched_at, off, source, order_id) VALUES (?1, ?2, ?3, ?4, "
	    "?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)");
	db_bind_text(st, 1, p->tracking, -1);
	db_bind_int64(st, 2, c->rowid);
	db_bind_int64(st, 3, seq);
	/* An order the ledger does not have is named by its key. */
	if ((ord = ledger_order_rowid(l, p->source, p->order_id)) != 0)
		db_bind_int64(st, 4, ord);
	else {
		db_bind_text(st, 15, p->source, -1);
		db_bind_text(st, 16, p->order_id, -1);
	}
	db_bind_int64(st, 5, ledger_name_id(l, p->service));
	db_bind_int64(st, 6, p->n);
	db_bind_int64(st, 7, p->m);
	db_bind_int64(st, 8, p->weight_g);
	db_bind_int64(st, 9, p->cod);
	if (p->currency != NULL)
		db_bind_int64(st, 10, ledger_name_id(l, p->currency));
	db_bind_int64(st, 11, (int)p->handling);
	db_bind_int64(st, 12, ledger_run_id(l));
	/*
	 * In seconds with its offset (21) when they give the text back,
	 * as dispatch writes it: from the run's start, the offset empty
	 * when it is the run's (26), as the audit trail's; else the text
	 * as it came (SQLite keeps it, fulfil_at() gives it back as it is).
	 */
	if (p->dispatched_at != NULL && when_parse(p->dispatched_at, &w) == 0 &&
	    strcmp(when_format(&w, buf), p->dispatched_at) == 0) {
		if (l->run != 0 && l->run_t0) {
			db_bind_int64(st, 13, w.t - l->t0);
			if (w.off != l->t0off)
				db_bind_int64(st, 14, w.off);
		} else {
			db_bind_int64(st, 13, w.t);
			db_bind_int64(st, 14, w.off);
		}
	} else {
		db_bind_text(st, 13, p->dispatched_at, -1);
		db_bind_int64(st, 14, 0);
	}
	ledger_done(l, st);
}

/* A parcel's row whose manifest is open, looked up by the manifest's row. */
#define OPEN                                                                   \
	"EXISTS (SELECT 1 FROM manifests m WHERE m.rowid = "                   \
	"manifest_parcel_log.manifest AND m.status = 'open')"
/* The order's row: by its row in orders (?3), else by its key (26). */
#define MINE "(ord = ?3 OR (ord IS NULL AND source = ?1 AND order_id = ?2))"
/* What a row taken off gives back: its number and its manifest's id. */
#define TAKEN                                                                  \
	" RETURNING tracking, (SELECT m.id FROM manifests m WHERE m.rowid = "  \
	"manifest_parcel_log.manifest)"

/*
 * The order's rows are found by their key, as in
 * ledger_parcels_undelivered(): its labels' numbers, then its record's.
 */
long
ledger_manifest_take_off(struct ledger *l, const char *source, const char *id,
    const char *const *tracking, size_t nt,
    void (*fn)(void *, const char *, const char *), void *arg)
{
	struct db_stmt *st;
	int64_t ord = ledger_order_rowid(l, source, id);
	long n = 0;
	size_t i;

	st = ledger_sql(l,
	    "DELETE FROM manifest_parcel_log WHERE tracking IN (SELECT "
	    "tracking FROM parcels WHERE source = ?1 AND order_id = ?2) "
	    "AND " MINE " AND " OPEN TAKEN);
	db_bind_text(st, 1, source, -1);
	db_bind_text(st, 2, id, -1);
	db_bind_int64(st, 3, ord);
	/* The rows are gone at the first step; they come back after. */
	while (ledger_row(l, st)) {
		fn(arg, ledger_col(st, 0), ledger_col(st, 1));
		n++;
	}
	/* A number the first took off is not there to take again. */
	for (i = 0; i < nt; i++) {
		st =
		    ledger_sql(l, "DELETE FROM manifest_parcel_log WHERE "
				  "tracking = ?4 AND " MINE " AND " OPEN TAKEN);
		db_bind_text(st, 1, source, -1);
		db_bind_text(st, 2, id, -1);
		db_bind_int64(st, 3, ord);
		db_bind_text(st, 4, tracking[i], -1);
		while (ledger_row(l, st)) {
			fn(arg, ledger_col(st, 0), ledger_col(st, 1));
			n++;
		}
	}
	return n;
}

void
ledger_parcel_state(
    struct ledger *l, const char *tracking, struct ledger_parcel_state *s)
{
	/*
	 * One row: voided or not, and on which manifest if any.  The label's
	 * row is read once for both (tracking is its key).
	 */
	struct db_stmt *st = ledger_sql(l,
	    "SELECT l.voided_at, m.id, m.carrier, m.status, "
	    "l.label_due <> 0 AND l.printed_at IS NULL FROM (SELECT 1) AS one "
	    "LEFT JOIN parcels l ON l.tracking = ?1 "
	    "LEFT JOIN manifest_parcel_log p ON p.tracking = ?1 "
	    "LEFT JOIN manifests m ON m.rowid = p.manifest");

	memset(s, 0, sizeof *s);
	db_bind_text(st, 1, tracking, -1);
	if (ledger_row(l, st)) {
		s->voided = db_column_type(st, 0) != DB_NULL;
		s->manifest = ledger_coldup(st, 1);
		s->carrier = ledger_coldup(st, 2);
		s->status = ledger_coldup(st, 3);
		s->unprinted = db_column_int(st, 4);
		db_reset(st);
	}
}

void
ledger_parcel_state_free(struct ledger_parcel_state *s)
{
	free(s->manifest);
	free(s->carrier);
	free(s->status);
}

/*
 * Tracking numbers asked about in one statement (ledger_parcels_held()):
 * a list of them as VALUES, each with its place in it, which comes back
 * with what is found; a place not bound is NULL and finds nothing.
 */
#define HELD_ROWS 64
#define ROWS4(r) r ", " r ", " r ", " r
#define ROWS64(r) ROWS4(ROWS4(ROWS4(r)))

void
ledger_parcels_held(
    struct ledger *l, const char *const *tracking, size_t n, int *held)
{
	/* What ledger_parcel_state() reads, as yes or no. */
	/* SQL text: laid out by hand. */
	/* clang-format off */
	static const char sql[] =
	    "SELECT v.column1 FROM (VALUES "
	    ROWS64("(CAST(? AS INTEGER), CAST(? AS TEXT))") ") AS v"
	    " WHERE EXISTS (SELECT 1 FROM parcels AS l"
	    "   WHERE l.tracking = v.column2 AND (l.voided_at IS NOT NULL"
	    "   OR (l.label_due <> 0 AND l.printed_at IS NULL)))"
	    " OR EXISTS (SELECT 1 FROM manifest_parcel_log AS p"
	    "   WHERE p.tracking = v.column2)";
	/* clang-format on */
	struct db_stmt *st;
	size_t at, k;

	memset(held, 0, n * sizeof *held);
	for (at = 0; at < n; at += HELD_ROWS) {
		st = ledger_sql(l, sql);
		for (k = 0; k < HELD_ROWS && at + k < n; k++) {
			db_bind_int64(st, 2 * (int)k + 1, (int64_t)k);
			db_bind_text(st, 2 * (int)k + 2, tracking[at + k], -1);
		}
		while (ledger_row(l, st)) {
			k = (size_t)db_column_int64(st, 0);
			if (k >= HELD_ROWS || at + k >= n)
				ledger_fail(
				    l, "a parcel found that was not asked");
			held[at + k] = 1;
		}
	}
}

/* The manifests a query of id, carrier, ship_date, closed_at yields. */
static size_t
manifests(struct ledger *l, struct db_stmt *st, const char *day,
    const char *carrier, struct ledger_manifest **v)
{
	size_t n = 0, cap = 0;

	*v = NULL;
	db_bind_text(st, 1, day, -1);
	if (carrier != NULL)
		db_bind_text(st, 2, carrier, -1);
	while (ledger_row(l, st)) {
		xgrow(v, &cap, n + 1, sizeof **v);
		(*v)[n].id = ledger_coldup(st, 0);
		(*v)[n].carrier = ledger_coldup(st, 1);
		(*v)[n].ship_date = ledger_coldup(st, 2);
		(*v)[n++].closed_at = ledger_coldup(st, 3);
	}
	return n;
}

size_t
ledger_manifests_due(struct ledger *l, const char *day, const char *carrier,
    struct ledger_manifest **v)
{
	return manifests(l,
	    ledger_sql(l,
		"SELECT id, carrier, ship_date, closed_at FROM manifests "
		"WHERE status = 'open' AND ship_date <= ?1 AND "
		"(CAST(?2 AS TEXT) IS NULL OR carrier = ?2) "
		"ORDER BY ship_date, id"),
	    day, carrier, v);
}

size_t
ledger_manifests_closed_on(struct ledger *l, const char *day,
    const char *carrier, struct ledger_manifest **v)
{
	return manifests(l,
	    ledger_sql(l,
		"SELECT id, carrier, ship_date, closed_at FROM manifests "
		"WHERE status = 'closed' AND ship_date = ?1 AND "
		"(CAST(?2 AS TEXT) IS NULL OR carrier = ?2) ORDER BY id"),
	    day, carrier, v);
}

void
ledger_manifests_free(struct ledger_manifest *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].id);
		free(v[i].carrier);
		free(v[i].ship_date);
		free(v[i].closed_at);
	}
	free(v);
}

size_t
ledger_manifest_parcels(
    struct ledger *l, const char *id, struct manifest_parcel **pp)
{
	struct db_stmt *st = ledger_sql(l,
	    "SELECT tracking, source, order_id, service, n, m, weight_g, cod, "
	    "currency, handling, fulfil_at(dispatched_at, off) FROM "
	    "manifest_parcels WHERE "
	    "manifest = ?1 ORDER BY seq");
	struct manifest_parcel *p = NULL;
	size_t n = 0, cap = 0;

	db_bind_text(st, 1, id, -1);
	while (ledger_row(l, st)) {
		xgrow(&p, &cap, n + 1, sizeof *p);
		memset(&p[n], 0, sizeof p[n]);
		p[n].tracking = ledger_coldup(st, 0);
		p[n].source = ledger_coldup(st, 1);
		p[n].order_id = ledger_coldup(st, 2);
		p[n].service = ledger_coldup(st, 3);
		p[n].n = db_column_int(st, 4);
		p[n].m = db_column_int(st, 5);
		p[n].weight_g = db_column_int64(st, 6);
		p[n].cod = db_column_int64(st, 7);
		p[n].currency = ledger_coldup(st, 8);
		p[n].handling = (unsigned)db_column_int(st, 9);
		p[n].dispatched_at = ledger_coldup(st, 10);
		n++;
	}
	*pp = p;
	return n;
}

void
ledger_manifest_parcels_free(struct manifest_parcel *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free((char *)p[i].tracking);
		free((char *)p[i].source);
		free((char *)p[i].order_id);
		free((char *)p[i].service);
		free((char *)p[i].currency);
		free((char *)p[i].dispatched_at);
	}
	free(p);
}

void
ledger_manifest_close(struct ledger *l, const char *id, const char *closed_at)
{
	struct db_stmt *st = ledger_sql(l,
	    "UPDATE manifests SET status = 'closed', closed_at = ?2 WHERE "
	    "id = ?1");

	db_bind_text(st, 1, id, -1);
	db_bind_text(st, 2, closed_at, -1);
	ledger_done(l, st);
}

const char *
ledger_manifest_pending_where(void)
{
	/* --pending: not while a label is still to be printed. */
	return "NOT EXISTS (SELECT 1 FROM parcels p WHERE p.source = "
	       "orders.source AND p.order_id = orders.order_id AND p.label_due "
	       "<> 0 AND p.printed_at IS NULL AND p.voided_at IS NULL)";
}
