/*
 * ledger: the SQLite file that makes re-runs and crashes safe.
 *
 * Path: --db, else $FULFIL_DB, else fulfil.db here.  Created mode 0600,
 * WAL, a busy timeout so that concurrent runs wait for each other, and a
 * schema versioned by PRAGMA user_version and migrated forward on open.
 * The tables are described in fulfil(7); the sqlite3 shell reads them.
 *
 * Every stage keys an effect here before it lets it out: it changes the
 * ledger inside a transaction, commits, and only then writes its output.
 * The orders table keeps each order's latest record and status, so that
 * a stage given --pending can take up what a crashed pipe lost.
 *
 * Any SQLite failure is a system error: the process says so and exits 2.
 * Strings returned in struct ledger_order are the caller's to free with
 * ledger_order_free().
 */
#ifndef FULFIL_LEDGER_H
#define FULFIL_LEDGER_H

#include <stddef.h>
#include <stdint.h>

#define LEDGER_VERSION 26 /* schema version this build writes */

struct ledger;

struct ledger_order {
	char *status;
	char *hash; /* content hash as last ingested */
	int revision;
	int accepted;    /* ever accepted */
	int64_t run;     /* the run that last changed it */
	char *warehouse; /* the warehouse that claimed it, or NULL */
};

/* Open (and create or migrate) the ledger; exits 2 on failure. */
struct ledger *ledger_open(const char *path);
void ledger_close(struct ledger *);
const char *ledger_path(const struct ledger *);

/*
 * BEGIN IMMEDIATE: takes the write lock now, waiting for another run's
 * for as long as the busy timeout; exits 2 after that.  No statement may
 * be reading when it is called.
 */
void ledger_begin(struct ledger *);
void ledger_commit(struct ledger *);
int ledger_in_transaction(const struct ledger *);
/*
 * From now on a commit survives the process being killed, but not the
 * machine losing power (WAL with synchronous NORMAL: no sync at each
 * commit).  For effects that are safe to repeat the same way, such as
 * notify's outcomes, where a sync per message would halve the rate.
 */
void ledger_crash_safe_only(struct ledger *);

/*
 * Start a run of this tool for the warehouse of that id (warehouse.id):
 * returns its id, used to mark what it did.  Orders the run writes first
 * are claimed by that warehouse; ledger_pending() reads only its orders.
 */
int64_t ledger_run(struct ledger *, const char *warehouse);
/* The id of the run started, or 0. */
int64_t ledger_run_id(const struct ledger *);
/*
 * Whether a run is alive: another run never takes what a live one has
 * claimed; a dead one's claims are taken over by --pending.  On this
 * machine the run's process answers (its pid, running, not a zombie,
 * started when the run did); a run on another machine is alive while its
 * lease lasts (renewed at each commit, LEASE_S seconds of the real
 * clock).  A run that ended is dead.  SQL run on the ledger can ask the
 * same with fulfil_alive(run).
 */
int ledger_run_alive(struct ledger *, int64_t run);

/* 1 and *o filled if the order is known, else 0. */
int ledger_order_get(struct ledger *, const char *source, const char *id,
    struct ledger_order *o);
/*
 * ledger_order_get(), and *rec the order's record as
 * ledger_order_record() gives it, in the same lookup; left NULL when the
 * order is not known or its status is same (NULL: always read).
 */
int ledger_order_get_record(struct ledger *, const char *source, const char *id,
    struct ledger_order *o, const char *same, char **rec, size_t *lenp);
void ledger_order_free(struct ledger_order *);
/*
 * The warehouse that claimed the order, when that is another than the
 * run's; NULL when the run may work on it.  Every tool asks before it
 * takes an order from its input, so that an order claimed by one site is
 * never picked, labelled or sent by another.
 */
const char *ledger_elsewhere(
    const struct ledger *, const struct ledger_order *);
/*
 * An order made from another (an RMA, an exchange's replacement) is
 * claimed by that order's warehouse, not by the run's: the goods go
 * back to, and the replacement leaves from, the warehouse that shipped
 * it.  Right after the new order's first ledger_order_put(), in its
 * transaction.
 */
void ledger_order_claim_like(struct ledger *, const char *source,
    const char *id, const char *of_source, const char *of_id);
/* The order's latest record (NUL-terminated, *lenp bytes), or NULL. */
char *ledger_order_record(
    struct ledger *, const char *source, const char *id, size_t *lenp);
/*
 * Insert or replace an order's row: status, latest record (JSON text)
 * and, when hash is not NULL, the ingest fields.
 */
void ledger_order_put(struct ledger *, const char *source, const char *id,
    const char *status, const char *record, size_t len, const char *hash,
    int revision, int accepted);
/*
 * A record packed for the orders table before the write lock, by any
 * thread: ledger_order_put_packed() stores it as ledger_order_put()
 * would its text.  p is NULL where the ledger keeps the text
 * (PostgreSQL), or when out of memory: then it is packed there.
 */
struct ledger_rec_packed {
	unsigned char *p;
	size_t n;
};
void ledger_rec_pack(const struct ledger *, const char *text, size_t len,
    struct ledger_rec_packed *);
void ledger_rec_packed_free(struct ledger_rec_packed *);
/* ledger_order_put() with the record packed already (pk may be NULL). */
void ledger_order_put_packed(struct ledger *, const char *source,
    const char *id, const char *status, const char *record, size_t len,
    const struct ledger_rec_packed *pk, const char *hash, int revision,
    int accepted);
/* The time stamp the ledger writes now (FULFIL_NOW or the clock). */
const char *ledger_stamp(struct ledger *);
/* Append to the audit trail: what happened to the order, and detail. */
void ledger_event(struct ledger *, const char *source, const char *id,
    const char *what, const char *detail);

/*
 * --pending: call fn with the latest record of every order whose status
 * is one of statuses (NULL-terminated), for which the SQL condition
 * where (on the orders table; NULL: none) holds, and that this run has
 * not already changed, oldest first.  The orders are read a page at a
 * time and fn is called with no read open, so that it may write.  fn
 * returns 0 to go on.  Returns the count.
 */
long ledger_pending(struct ledger *, const char *const *statuses,
    const char *where, int (*fn)(void *arg, const char *record, size_t len),
    void *arg);

#endif
