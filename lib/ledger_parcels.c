#include <stdio.h>
#include <stdlib.h>

#include "err.h"
#include "ledger_int.h"
#include "ledger_parcels.h"

int64_t
ledger_serial_next(struct ledger *l, const char *carrier)
{
	struct db_stmt *st =
	    ledger_sql(l, "SELECT next FROM serials WHERE carrier = ?1");
	int64_t next = 0;

	db_bind_text(st, 1, carrier, -1);
	if (ledger_row(l, st)) {
		next = db_column_int64(st, 0);
		db_reset(st);
	}
	return next;
}

void
ledger_serial_set(struct ledger *l, const char *carrier, int64_t next)
{
	struct db_stmt *st =
	    ledger_sql(l, "INSERT INTO serials (carrier, next) VALUES (?1, ?2)"
			  " ON CONFLICT (carrier) DO UPDATE SET next = ?2");

	db_bind_text(st, 1, carrier, -1);
	db_bind_int64(st, 2, next);
	ledger_done(l, st);
}

/*
 * A label file's path, kept once in label_files for all the parcels of
 * its lot (version 21): its row made if it is new, and its id, which
 * the lot's parcels name (label_file).
 */
static int64_t
label_file(struct ledger *l, const char *path)
{
	struct db_stmt *st;
	int64_t id = 0;

	st = ledger_sql(l, "INSERT INTO label_files (path) VALUES (?1)"
			   " ON CONFLICT (path) DO NOTHING");
	db_bind_text(st, 1, path, -1);
	ledger_done(l, st);
	st = ledger_sql(l, "SELECT id FROM label_files WHERE path = ?1");
	db_bind_text(st, 1, path, -1);
	if (ledger_row(l, st)) {
		id = db_column_int64(st, 0);
		db_reset(st);
	}
	if (id == 0)
		ledger_fail(l, "a label file's row lost");
	return id;
}

int64_t
ledger_parcel_add(struct ledger *l, const struct ledger_parcel *p)
{
	struct db_stmt *st;
	int64_t file = 0;

	/* Its lot's row, by id: a lookup by path for each parcel cost more. */
	if (p->due)
		file = p->path_made ? p->path_id : label_file(l, p->path);
	st = ledger_sql(l,
	    "INSERT INTO parcels (tracking, carrier, service, source, "
	    "order_id, n, m, weight_g, serial, run, created_at, sort_code, "
	    "label_due, label_file, off)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
	    " ?14, ?15)");

	db_bind_text(st, 1, p->tracking, -1);
	db_bind_text(st, 2, p->carrier, -1);
	db_bind_text(st, 3, p->service, -1);
	db_bind_text(st, 4, p->source, -1);
	db_bind_text(st, 5, p->order_id, -1);
	db_bind_int64(st, 6, p->n);
	db_bind_int64(st, 7, p->m);
	db_bind_int64(st, 8, p->weight_g);
	db_bind_int64(st, 9, p->serial);
	db_bind_int64(st, 10, ledger_run_id(l));
	db_bind_int64(st, 11, ledger_now_t(l));
	db_bind_text(st, 12, p->sort_code, -1);
	/* Claimed as it is numbered: one row written, not written twice. */
	db_bind_int64(st, 13, p->due);
	if (file != 0)
		db_bind_int64(st, 14, file);
	db_bind_int64(st, 15, ledger_now_off(l));
	ledger_done(l, st);
	return file;
}

void
ledger_parcels_of(struct ledger *l, const char *source, const char *id,
    void (*fn)(void *, const struct ledger_parcel *), void *arg)
{
	struct db_stmt *st = ledger_sql(l,
	    "SELECT tracking, carrier, n, m, weight_g, run, label_due, "
	    "printed_at IS NOT NULL, (SELECT path FROM label_files WHERE "
	    "id = label_file), sort_code FROM parcels WHERE source = ?1 "
	    "AND order_id = ?2 AND voided_at IS NULL ORDER BY n");
	struct ledger_parcel p = {0};

	db_bind_text(st, 1, source, -1);
	db_bind_text(st, 2, id, -1);
	p.source = source;
	p.order_id = id;
	while (ledger_row(l, st)) {
		p.tracking = ledger_col(st, 0);
		p.carrier = ledger_col(st, 1);
		p.n = db_column_int(st, 2);
		p.m = db_column_int(st, 3);
		p.weight_g = db_column_int64(st, 4);
		p.run = db_column_int64(st, 5);
		p.due = db_column_int(st, 6);
		p.printed = db_column_int(st, 7);
		p.path = ledger_col(st, 8);
		p.sort_code = ledger_col(st, 9);
		fn(arg, &p);
	}
}

void
ledger_parcel_claim_print(
    struct ledger *l, const char *tracking, const char *path)
{
	struct db_stmt *st;

	label_file(l, path);
	st = ledger_sql(l,
	    "UPDATE parcels SET label_due = 1, run = ?2, label_file = (SELECT "
	    "id FROM label_files WHERE path = ?3) WHERE tracking = ?1");

	db_bind_text(st, 1, tracking, -1);
	db_bind_int64(st, 2, ledger_run_id(l));
	db_bind_text(st, 3, path, -1);
	ledger_done(l, st);
}

void
ledger_parcel_printed(struct ledger *l, const char *tracking)
{
	struct db_stmt *st = ledger_sql(l,
	    "UPDATE parcels SET printed_at = coalesce(printed_at, ?2) "
	    "WHERE tracking = ?1");

	db_bind_text(st, 1, tracking, -1);
	db_bind_int64(st, 2, ledger_now_t(l));
	ledger_done(l, st);
}

void
ledger_print_add(
    struct ledger *l, const char *tracking, int reprint, const char *formats)
{
	struct db_stmt *st = ledger_sql(l,
	    "INSERT INTO print_log (tracking, run, at, off, reprint, formats)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");

	db_bind_text(st, 1, tracking, -1);
	db_bind_int64(st, 2, ledger_run_id(l));
	ledger_bind_now(l, st, 3);
	db_bind_int64(st, 5, reprint);
	db_bind_text(st, 6, formats, -1);
	ledger_done(l, st);
}

/* Labels a statement of ledger_prints_add() takes. */
#define PRINTS 16

/* PRINTS rows of print_log's six values. */
static const char prints_sql[] =
    "INSERT INTO print_log (tracking, run, at, off, reprint, formats) "
    "VALUES "
    "(?1, ?2, ?3, ?4, ?5, ?6), (?7, ?8, ?9, ?10, ?11, ?12), "
    "(?13, ?14, ?15, ?16, ?17, ?18), (?19, ?20, ?21, ?22, ?23, ?24), "
    "(?25, ?26, ?27, ?28, ?29, ?30), (?31, ?32, ?33, ?34, ?35, ?36), "
    "(?37, ?38, ?39, ?40, ?41, ?42), (?43, ?44, ?45, ?46, ?47, ?48), "
    "(?49, ?50, ?51, ?52, ?53, ?54), (?55, ?56, ?57, ?58, ?59, ?60), "
    "(?61, ?62, ?63, ?64, ?65, ?66), (?67, ?68, ?69, ?70, ?71, ?72), "
    "(?73, ?74, ?75, ?76, ?77, ?78), (?79, ?80, ?81, ?82, ?83, ?84), "
    "(?85, ?86, ?87, ?88, ?89, ?90), (?91, ?92, ?93, ?94, ?95, ?96)";

/* ?1 the time, ?2 to ?17 the numbers. */
static const char printed_sql[] =
    "UPDATE parcels SET printed_at = coalesce(printed_at, ?1) WHERE "
    "tracking IN (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
    "?14, ?15, ?16, ?17)";

void
ledger_prints_add(struct ledger *l, const struct ledger_print *p, size_t n,
    const char *formats)
{
	struct db_stmt *st;
	size_t i, k;

	/* PRINTS at a time; the rest one by one. */
	for (i = 0; i + PRINTS <= n; i += PRINTS) {
		st = ledger_sql(l, prints_sql);
		for (k = 0; k < PRINTS; k++) {
			db_bind_text(
			    st, (int)(6 * k + 1), p[i + k].tracking, -1);
			db_bind_int64(st, (int)(6 * k + 2), ledger_run_id(l));
			ledger_bind_now(l, st, (int)(6 * k + 3));
			db_bind_int64(st, (int)(6 * k + 5), p[i + k].reprint);
			db_bind_text(st, (int)(6 * k + 6), formats, -1);
		}
		ledger_done(l, st);
	}
	for (k = i; k < n; k++)
		ledger_print_add(l, p[k].tracking, p[k].reprint, formats);
	for (i = 0; i + PRINTS <= n; i += PRINTS) {
		st = ledger_sql(l, printed_sql);
		db_bind_int64(st, 1, ledger_now_t(l));
		for (k = 0; k < PRINTS; k++)
			db_bind_text(st, (int)(k + 2), p[i + k].tracking, -1);
		ledger_done(l, st);
	}
	for (k = i; k < n; k++)
		ledger_parcel_printed(l, p[k].tracking);
}

int
ledger_parcel_find(struct ledger *l, const char *tracking, char **source,
    char **id, int *voided)
{
	struct db_stmt *st = ledger_sql(l, "SELECT source, order_id, voided_at "
					   "FROM parcels WHERE tracking = ?1");

	db_bind_text(st, 1, tracking, -1);
	if (!ledger_row(l, st))
		return 0;
	*source = ledger_coldup(st, 0);
	*id = ledger_coldup(st, 1);
	*voided = db_column_type(st, 2) != DB_NULL;
	db_reset(st);
	return 1;
}

void
ledger_parcels_void(struct ledger *l, const char *source, const char *id)
{
	/* First the helpers' numbers among them, to tell their helpers. */
	struct db_stmt *st = ledger_sql(l,
	    "INSERT INTO helper_requests (key, op, carrier, source, "
	    "order_id, n, m, requested_at, tracking) SELECT 'void/' || h.key, "
	    "'void', h.carrier, h.source, h.order_id, h.n, h.m, ?3, "
	    "p.tracking FROM parcels p JOIN helper_requests h ON "
	    "h.op = 'allocate' AND h.tracking = p.tracking AND h.source = "
	    "p.source AND h.order_id = p.order_id WHERE p.source = ?1 AND "
	    "p.order_id = ?2 AND p.voided_at IS NULL "
	    "ON CONFLICT (key) DO NOTHING");

	db_bind_text(st, 1, source, -1);
	db_bind_text(st, 2, id, -1);
	db_bind_text(st, 3, ledger_stamp(l), -1);
	ledger_done(l, st);
	st = ledger_sql(l,
	    "UPDATE parcels SET voided_at = ?3 WHERE source = ?1 AND "
	    "order_id = ?2 AND voided_at IS NULL");
	db_bind_text(st, 1, source, -1);
	db_bind_text(st, 2, id, -1);
	db_bind_text(st, 3, ledger_stamp(l), -1);
	ledger_done(l, st);
}

int64_t
ledger_unprinted_count(struct ledger *l)
{
	struct db_stmt *st = ledger_sql(l,
	    "SELECT count(DISTINCT source || ' ' || order_id) FROM parcels "
	    "WHERE label_due <> 0 AND printed_at IS NULL AND "
	    "voided_at IS NULL AND NOT fulfil_alive(run)");
	int64_t n = 0;

	if (ledger_row(l, st)) {
		n = db_column_int64(st, 0);
		db_reset(st);
	}
	return n;
}

char *
ledger_parcels_pending_where(int rma, const char *status, int unprinted)
{
	char *where;

	xasprintf(&where,
	    "source %s 'rma' AND (status = '%s' OR (%d = 1 AND EXISTS "
	    "(SELECT 1 FROM parcels p WHERE p.source = orders.source AND "
	    "p.order_id = orders.order_id AND p.label_due <> 0 AND "
	    "p.printed_at IS NULL AND p.voided_at IS NULL AND "
	    "NOT fulfil_alive(p.run))))",
	    rma ? "=" : "!=", status, unprinted != 0);
	return where;
}

int64_t
ledger_voided_count(struct ledger *l, const char *source, const char *id)
{
	struct db_stmt *st = ledger_sql(l,
	    "SELECT count(*) FROM parcels WHERE source = ?1 AND order_id = ?2 "
	    "AND voided_at IS NOT NULL");
	int64_t n = 0;

	db_bind_text(st, 1, source, -1);
	db_bind_text(st, 2, id, -1);
	if (ledger_row(l, st)) {
		n = db_column_int64(st, 0);
		db_reset(st);
	}
	return n;
}

int
ledger_helper_get(
    struct ledger *l, const char *key, struct ledger_helper_req *r)
{
	struct db_stmt *st = ledger_sql(l,
	    "SELECT run, attempts, tracking, sort_code, answer IS NULL AND "
	    "error IS NULL FROM helper_requests WHERE key = ?1");

	db_bind_text(st, 1, key, -1);
	if (!ledger_row(l, st))
		return 0;
	r->run = db_column_int64(st, 0);
	r->attempts = db_column_int(st, 1);
	r->tracking = ledger_coldup(st, 2);
	r->sort_code = ledger_coldup(st, 3);
	r->inflight = db_column_int(st, 4);
	db_reset(st);
	return 1;
}

void
ledger_helper_free(struct ledger_helper_req *r)
{
	free(r->tracking);
	free(r->sort_code);
	r->tracking = r->sort_code = NULL;
}

void
ledger_helper_request(struct ledger *l, const struct ledger_helper_req *r)
{
	struct db_stmt *st = ledger_sql(l,
	    "INSERT INTO helper_requests (key, carrier, source, order_id, n, "
	    "m, run, attempts, requested_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
	    "?7, 1, ?8) ON CONFLICT (key) DO UPDATE SET run = ?7, "
	    "attempts = helper_requests.attempts + 1, requested_at = ?8, "
	    "answer = NULL, error = NULL");

	db_bind_text(st, 1, r->key, -1);
	db_bind_text(st, 2, r->carrier, -1);
	db_bind_text(st, 3, r->source, -1);
	db_bind_text(st, 4, r->order_id, -1);
	db_bind_int64(st, 5, r->n);
	db_bind_int64(st, 6, r->m);
	db_bind_int64(st, 7, ledger_run_id(l));
	db_bind_text(st, 8, ledger_stamp(l), -1);
	ledger_done(l, st);
}

void
ledger_helper_answer(struct ledger *l, const char *key, const char *answer,
    const char *tracking, const char *sort_code)
{
	struct db_stmt *st = ledger_sql(l,
	    "UPDATE helper_requests SET answer = ?2, answered_at = ?3, "
	    "tracking = coalesce(tracking, ?4), "
	    "sort_code = coalesce(sort_code, ?5) WHERE key = ?1");

	db_bind_text(st, 1, key, -1);
	db_bind_text(st, 2, answer, -1);
	db_bind_text(st, 3, ledger_stamp(l), -1);
	db_bind_text(st, 4, tracking, -1);
	db_bind_text(st, 5, sort_code, -1);
	ledger_done(l, st);
}

void
ledger_helper_failed(struct ledger *l, const char *key, const char *why)
{
	struct db_stmt *st = ledger_sql(
	    l, "UPDATE helper_requests SET error = ?2 WHERE key = ?1");

	db_bind_text(st, 1, key, -1);
	db_bind_text(st, 2, why, -1);
	ledger_done(l, st);
}

size_t
ledger_helper_voids_due(struct ledger *l, struct ledger_helper_void **out)
{
	struct db_stmt *st = ledger_sql(l,
	    "SELECT key, carrier, source, order_id, n, m, tracking, run, "
	    "error IS NULL AND attempts > 0 FROM helper_requests "
	    "WHERE op = 'void' AND answered_at IS NULL ORDER BY key");
	struct ledger_helper_void *v = NULL, *w;
	size_t n = 0;

	while (ledger_row(l, st)) {
		v = xrealloc(v, (n + 1) * sizeof *v);
		w = &v[n++];
		w->key = ledger_coldup(st, 0);
		w->carrier = ledger_coldup(st, 1);
		w->source = ledger_coldup(st, 2);
		w->order_id = ledger_coldup(st, 3);
		w->n = db_column_int(st, 4);
		w->m = db_column_int(st, 5);
		w->tracking = ledger_coldup(st, 6);
		w->run = db_column_int64(st, 7);
		w->inflight = db_column_int(st, 8);
	}
	*out = v;
	return n;
}

void
ledger_helper_voids_free(struct ledger_helper_void *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].key);
		free(v[i].carrier);
		free(v[i].source);
		free(v[i].order_id);
		free(v[i].tracking);
	}
	free(v);
}
