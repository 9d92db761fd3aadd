/*
 * aftercare: what followup(1) makes of the world after dispatch, shared
 * by its parts: notices for notify(1) and tasks for staff, each kept in
 * the ledger under a unique key and queued for output after the
 * transaction commits (aftercare.c); reviews, and return and exchange
 * requests (feedback.c).  Tracking events and scans are cmd/followup.c's.
 *
 * Ownership: the struct aftercare is followup's; out holds the records
 * to write after the commit.  aftercare_notice() takes its notice;
 * aftercare_task() takes its detail.  aftercare_order() and
 * aftercare_notice_new() return new references.
 */
#ifndef FULFIL_AFTERCARE_H
#define FULFIL_AFTERCARE_H

#include <stddef.h>

#include <jansson.h>
#include <sqlite3.h>

#include "config.h"
#include "ledger_int.h"
#include "rejects.h"
#include "when.h"

struct aftercare {
	struct config *cfg;
	struct ledger *ledger;
	struct rejects rejects;
	struct when now;
	json_t *out; /* notices and tasks, written after the commit */
	long events, dup, rejected, changed, notices, tasks, inchunk;
	long reviews, negative, returns, exchanges;
	const char *what; /* what input lines are: tracking, review, return */
	sqlite3_stmt *st_ship, *st_parcel, *st_event, *st_newship, *st_move,
	    *st_notice, *st_task;
	json_t *map; /* --map: a carrier's CSV export */
};

/* A record set aside: a line on stderr and in --rejects. */
void aftercare_reject(struct aftercare *, const char *file, long line,
    const char *raw, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* The order's latest record from the ledger; NULL if it has none. */
json_t *aftercare_order(struct aftercare *, const char *source, const char *id);
/* Run st, an INSERT OR IGNORE of j's row; 1 and j queued if it made one. */
int aftercare_queue(struct aftercare *, sqlite3_stmt *st, json_t *j);
/* A notice about a parcel, with only what the customer needs. */
json_t *aftercare_notice_new(const char *event, const char *key,
    const char *source, const char *id, const char *tracking);
/* Keep a notice (its key unique) and queue it: 1 if new. */
int aftercare_notice(struct aftercare *, json_t *n);
/* Open a task for staff (key unique) and queue it: 1 if new. */
int aftercare_task(struct aftercare *, const char *kind, const char *key,
    const char *source, const char *id, const char *tracking, int high,
    json_t *detail);
/* What staff need to act: the full phone is for them. */
json_t *aftercare_detail(struct aftercare *, json_t *order, const char *carrier,
    const char *status, const char *reason);

/* A review: kept once; a negative one is a call_customer task. */
void aftercare_review(struct aftercare *, json_t *rv, const char *file,
    long line, const char *raw, size_t len);
/* A return or exchange request: checked, an RMA, and what follows. */
void aftercare_return(struct aftercare *, json_t *rq, const char *file,
    long line, const char *raw, size_t len);

#endif
