#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "ledger_int.h"
#include "ledger_journey.h"

/* A key's row was made, rather than found there (INSERT OR IGNORE). */
static int
made(struct ledger *l)
{
	return db_changes(l->dbh) > 0;
}

int
ledger_shipment_find(
    struct ledger *l, const char *tracking, struct ledger_shipment *s)
{
	struct db_stmt *st = ledger_sql(l,
	    "SELECT source, order_id, carrier, status, status_at FROM "
	    "shipments WHERE tracking = ?1");
	int r = -1;

	db_bind_text(st, 1, tracking, -1);
	if (ledger_row(l, st)) {
		s->status = ledger_coldup(st, 3);
		s->status_at = db_column_int64(st, 4);
		r = 1;
	} else {
		st = ledger_sql(l,
		    "SELECT source, order_id, carrier FROM parcels WHERE "
		    "tracking = ?1 AND voided_at IS NULL");
		db_bind_text(st, 1, tracking, -1);
		if (!ledger_row(l, st))
			return -1;
		s->status = NULL;
		s->status_at = 0;
		r = 0;
	}
	s->source = ledger_coldup(st, 0);
	s->order_id = ledger_coldup(st, 1);
	s->carrier = ledger_coldup(st, 2);
	db_reset(st);
	return r;
}

char *
ledger_parcel_labelled_at(struct ledger *l, const char *tracking)
{
	struct db_stmt *st = ledger_sql(l,
	    "SELECT fulfil_at(created_at, off) FROM parcels WHERE "
	    "tracking = ?1 AND voided_at IS NULL");
	char *at = NULL;

	db_bind_text(st, 1, tracking, -1);
	if (ledger_row(l, st))
		at = ledger_coldup(st, 0);
	db_reset(st);
	return at;
}

void
ledger_shipment_free(struct ledger_shipment *s)
{
	free(s->source);
	free(s->order_id);
	free(s->carrier);
	free(s->status);
}

void
ledger_shipment_add(struct ledger *l, const char *tracking,
    const struct ledger_shipment *s, const char *status, int64_t status_at)
{
	struct db_stmt *st = ledger_sql(l,
	    "INSERT INTO shipments (tracking, source, order_id, carrier, "
	    "status, status_at, last_event_at, updated_at) VALUES (?1, ?2, "
	    "?3, ?4, ?5, ?6, ?6, ?7)");

	db_bind_text(st, 1, tracking, -1);
	db_bind_text(st, 2, s->source, -1);
	db_bind_text(st, 3, s->order_id, -1);
	db_bind_text(st, 4, s->carrier, -1);
	db_bind_text(st, 5, status, -1);
	db_bind_int64(st, 6, status_at);
	db_bind_text(st, 7, ledger_stamp(l), -1);
	ledger_done(l, st);
}

void
ledger_shipment_move(struct ledger *l, const char *tracking, const char *status,
    int64_t status_at, int64_t event_at)
{
	struct db_stmt *st = ledger_sql(l,
	    "UPDATE shipments SET status = ?1, status_at = ?2, last_event_at "
	    "= CASE WHEN last_event_at > ?3 THEN last_event_at ELSE ?3 END, "
	    "updated_at = ?4 WHERE "
	    "tracking = ?5");

	db_bind_text(st, 1, status, -1);
	db_bind_int64(st, 2, status_at);
	db_bind_int64(st, 3, event_at);
	db_bind_text(st, 4, ledger_stamp(l), -1);
	db_bind_text(st, 5, tracking, -1);
	ledger_done(l, st);
}

/* Whether v[i] is among v[0..i). */
static int
earlier(const char *const *v, size_t i)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (strcmp(v[j], v[i]) == 0)
			return 1;
	return 0;
}

/*
 * An order's parcels on manifests are found by their tracking numbers,
 * the key of manifest_parcels: those its labels were given (parcels, by
 * order, voided or not), and the numbers its record has, for a parcel
 * labelled elsewhere, which has no row in parcels.  Never by scanning
 * manifest_parcels for the order: followup asks once a delivered
 * parcel, cancel once an order.
 */
long
ledger_parcels_undelivered(struct ledger *l, const char *source,
    const char *order_id, const char *const *tracking, size_t n)
{
	struct db_stmt *st = ledger_sql(l,
	    "SELECT count(*) FROM parcels p JOIN manifest_parcels mp ON "
	    "mp.tracking = p.tracking LEFT JOIN shipments s ON s.tracking = "
	    "p.tracking WHERE p.source = ?1 AND p.order_id = ?2 AND "
	    "mp.source = ?1 AND mp.order_id = ?2 AND coalesce(s.status, '') "
	    "!= 'delivered'");
	long left = 0;
	size_t i;

	db_bind_text(st, 1, source, -1);
	db_bind_text(st, 2, order_id, -1);
	if (ledger_row(l, st)) {
		left = db_column_int(st, 0);
		db_reset(st);
	}
	/* The record's numbers not counted above, each once. */
	for (i = 0; i < n; i++) {
		if (earlier(tracking, i))
			continue;
		st = ledger_sql(l,
		    "SELECT count(*) FROM manifest_parcels mp LEFT JOIN "
		    "shipments s ON s.tracking = mp.tracking WHERE "
		    "mp.tracking = ?3 AND mp.source = ?1 AND mp.order_id = ?2 "
		    "AND coalesce(s.status, '') != 'delivered' AND NOT EXISTS "
		    "(SELECT 1 FROM parcels p WHERE p.tracking = ?3 AND "
		    "p.source = ?1 AND p.order_id = ?2)");
		db_bind_text(st, 1, source, -1);
		db_bind_text(st, 2, order_id, -1);
		db_bind_text(st, 3, tracking[i], -1);
		if (ledger_row(l, st)) {
			left += db_column_int(st, 0);
			db_reset(st);
		}
	}
	return left;
}

int
ledger_tracking_event_add(
    struct ledger *l, const struct ledger_tracking_event *e)
{
	struct db_stmt *st = ledger_sql(l,
	    "INSERT OR IGNORE INTO tracking_events (tracking, status, "
	    "substatus, occurred_at, message, location, received_at, run) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");

	db_bind_text(st, 1, e->tracking, -1);
	db_bind_text(st, 2, e->status, -1);
	db_bind_text(st, 3, e->substatus, -1);
	db_bind_int64(st, 4, e->occurred_at);
	db_bind_text(st, 5, e->message, -1);
	db_bind_text(st, 6, e->location, -1);
	db_bind_text(st, 7, ledger_stamp(l), -1);
	db_bind_int64(st, 8, ledger_run_id(l));
	ledger_done(l, st);
	return made(l);
}

void
ledger_tracking_events(struct ledger *l, const char *source,
    const char *order_id,
    void (*fn)(void *, const struct ledger_tracking_event *), void *arg)
{
	struct db_stmt *st = ledger_sql(l,
	    "SELECT e.tracking, e.status, e.occurred_at, e.message FROM "
	    "tracking_events e JOIN shipments s ON s.tracking = e.tracking "
	    "WHERE s.source = ?1 AND s.order_id = ?2 ORDER BY e.occurred_at, "
	    "e.id");
	struct ledger_tracking_event e;

	memset(&e, 0, sizeof e);
	db_bind_text(st, 1, source, -1);
	db_bind_text(st, 2, order_id, -1);
	while (ledger_row(l, st)) {
		e.tracking = ledger_col(st, 0);
		e.status = ledger_col(st, 1);
		e.occurred_at = db_column_int64(st, 2);
		e.message = ledger_col(st, 3);
		fn(arg, &e);
	}
}

void
ledger_parcels_afloat(struct ledger *l,
    void (*fn)(void *, const struct ledger_afloat *), void *arg)
{
	struct db_stmt *st = ledger_sql(l,
	    "SELECT mp.tracking, mp.source, mp.order_id, m.carrier, "
	    "mp.service, fulfil_at(mp.dispatched_at, mp.off), "
	    "coalesce(s.status, 'dispatched'), "
	    "s.last_event_at FROM manifest_parcels mp JOIN manifests m ON "
	    "m.id = mp.manifest LEFT JOIN shipments s ON s.tracking = "
	    "mp.tracking WHERE coalesce(s.status, '') NOT IN ('delivered', "
	    "'returned', 'exception') ORDER BY mp.dispatched_at, mp.tracking");
	struct ledger_afloat p;

	while (ledger_row(l, st)) {
		p.tracking = ledger_col(st, 0);
		p.source = ledger_col(st, 1);
		p.order_id = ledger_col(st, 2);
		p.carrier = ledger_col(st, 3);
		p.service = ledger_col(st, 4);
		p.dispatched_at = ledger_col(st, 5);
		p.status = ledger_col(st, 6);
		p.has_event = db_column_type(st, 7) != DB_NULL;
		p.last_event_at = db_column_int64(st, 7);
		fn(arg, &p);
	}
}

int
ledger_notice_add(struct ledger *l, const char *key, const char *source,
    const char *order_id, const char *event, const char *record, size_t len)
{
	struct db_stmt *st = ledger_sql(l,
	    "INSERT OR IGNORE INTO notices (key, source, order_id, event, "
	    "record, created_at, run) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");

	db_bind_text(st, 1, key, -1);
	db_bind_text(st, 2, source, -1);
	db_bind_text(st, 3, order_id, -1);
	db_bind_text(st, 4, event, -1);
	db_bind_text(st, 5, record, (int)len);
	db_bind_text(st, 6, ledger_stamp(l), -1);
	db_bind_int64(st, 7, ledger_run_id(l));
	ledger_done(l, st);
	return made(l);
}

void
ledger_orders_without_notice(struct ledger *l, const char *status,
    const char *prefix,
    void (*fn)(void *, const char *, const char *, const char *), void *arg)
{
	struct db_stmt *st = ledger_sql(l,
	    "SELECT source, order_id, json_extract(rec(record), "
	    "'$.delivery.at') "
	    "FROM orders WHERE status = ?2 AND NOT EXISTS (SELECT 1 FROM "
	    "notices WHERE key = ?1 || orders.source || ':' || "
	    "orders.order_id) ORDER BY source, order_id");

	db_bind_text(st, 1, prefix, -1);
	db_bind_text(st, 2, status, -1);
	while (ledger_row(l, st))
		fn(arg, ledger_col(st, 0), ledger_col(st, 1),
		    ledger_col(st, 2));
}

void
ledger_notices_unsent(struct ledger *l, const char *now,
    void (*fn)(void *, const char *, size_t), void *arg)
{
	struct db_stmt *st = ledger_sql(l,
	    "SELECT n.record FROM notices n WHERE n.run IS NOT ?1 AND "
	    "julianday(n.created_at) >= julianday(?2) - 7 AND NOT EXISTS "
	    "(SELECT 1 FROM message_log AS m JOIN event_names AS e ON "
	    "e.id = m.event WHERE e.name = json_extract(n.record, '$.key') "
	    "AND (m.ord = (SELECT o.rowid FROM orders AS o WHERE "
	    "o.source = n.source AND o.order_id = n.order_id) OR "
	    "(m.ord IS NULL AND m.source = n.source AND "
	    "m.order_id = n.order_id))) ORDER BY n.created_at, n.key");

	db_bind_int64(st, 1, ledger_run_id(l));
	db_bind_text(st, 2, now, -1);
	while (ledger_row(l, st))
		fn(arg, ledger_col(st, 0), (size_t)db_column_bytes(st, 0));
}

int64_t
ledger_task_next(struct ledger *l)
{
	struct db_stmt *st = ledger_sql(l, "SELECT count(*) + 1 FROM tasks");
	int64_t n;

	if (!ledger_row(l, st))
		err_exit(EXIT_TROUBLE, "ledger: cannot count tasks");
	n = db_column_int64(st, 0);
	db_reset(st);
	return n;
}

int
ledger_task_add(struct ledger *l, const struct ledger_task *t)
{
	struct db_stmt *st = ledger_sql(l,
	    "INSERT OR IGNORE INTO tasks (id, key, kind, source, order_id, "
	    "priority, due, status, record, created_at, run) VALUES (?1, ?2, "
	    "?3, ?4, ?5, ?6, ?7, 'open', ?8, ?9, ?10)");

	db_bind_text(st, 1, t->id, -1);
	db_bind_text(st, 2, t->key, -1);
	db_bind_text(st, 3, t->kind, -1);
	db_bind_text(st, 4, t->source, -1);
	db_bind_text(st, 5, t->order_id, -1);
	db_bind_text(st, 6, t->priority, -1);
	db_bind_text(st, 7, t->due, -1);
	db_bind_text(st, 8, t->record, (int)t->len);
	db_bind_text(st, 9, ledger_stamp(l), -1);
	db_bind_int64(st, 10, ledger_run_id(l));
	ledger_done(l, st);
	return made(l);
}

int
ledger_tasks_open_count(struct ledger *l, const char *source,
    const char *order_id, const char *kinds)
{
	struct db_stmt *st = ledger_sql(l,
	    "SELECT count(*) FROM tasks WHERE source = ?1 AND order_id = ?2 "
	    "AND status = 'open' AND kind IN (SELECT value FROM "
	    "json_each(?3))");
	int n = 0;

	db_bind_text(st, 1, source, -1);
	db_bind_text(st, 2, order_id, -1);
	db_bind_text(st, 3, kinds, -1);
	if (ledger_row(l, st))
		n = db_column_int(st, 0);
	db_reset(st);
	return n;
}

void
ledger_tasks_open(
    struct ledger *l, void (*fn)(void *, const char *, size_t), void *arg)
{
	struct db_stmt *st = ledger_sql(l,
	    "SELECT record FROM tasks WHERE status = 'open' ORDER BY due, id");

	while (ledger_row(l, st))
		fn(arg, ledger_col(st, 0), (size_t)db_column_bytes(st, 0));
}

int
ledger_task_close(
    struct ledger *l, const char *id, char **source, char **order_id)
{
	struct db_stmt *st = ledger_sql(l,
	    "UPDATE tasks SET status = 'done', done_at = ?2 WHERE id = ?1 AND "
	    "status = 'open' RETURNING source, order_id");

	db_bind_text(st, 1, id, -1);
	db_bind_text(st, 2, ledger_stamp(l), -1);
	if (!ledger_row(l, st))
		return 0;
	*source = ledger_coldup(st, 0);
	*order_id = ledger_coldup(st, 1);
	/* The update is made by the first step; this one ends it. */
	ledger_row(l, st);
	return 1;
}

int
ledger_task_done_at(struct ledger *l, const char *id, char **done_at)
{
	struct db_stmt *st =
	    ledger_sql(l, "SELECT done_at FROM tasks WHERE id = ?1");

	db_bind_text(st, 1, id, -1);
	if (!ledger_row(l, st))
		return 0;
	*done_at = ledger_coldup(st, 0);
	db_reset(st);
	return 1;
}
