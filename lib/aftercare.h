/*
 * aftercare: what followup(1)'s parts share.  The run's state (struct
 * aftercare); records set aside; the order's latest record; notices for
 * notify(1), each kept in the ledger under a unique key and queued for
 * output; the chunk: records decided per transaction, whose output is
 * written only after the transaction commits; and --pending, the notices
 * a dead pipe lost.  The parts: journey.h (tracking events), scan.h
 * (stalled and late parcels, surveys), tasks.h (staff tasks),
 * feedback.h (reviews and returns); kpi.h and report.h make --report.
 *
 * Ownership: the struct aftercare is followup's; it borrows cfg, ledger
 * and map.  out holds the records to write after the commit.
 * aftercare_notice() takes its notice.  aftercare_order() and
 * aftercare_notice_new() return new references; aftercare_detail() a new
 * object.
 */
#ifndef FULFIL_AFTERCARE_H
#define FULFIL_AFTERCARE_H

#include <stddef.h>

#include <jansson.h>

#include "config.h"
#include "rejects.h"
#include "when.h"

struct csvin;
struct csvrow;
struct input;
struct ledger;

struct aftercare {
	struct config *cfg;
	struct ledger *ledger;
	struct rejects rejects;
	struct when now;
	json_t *out; /* notices and tasks, written after the commit */
	long events, dup, rejected, changed, notices, tasks, inchunk;
	long reviews, negative, returns, exchanges;
	long skipped; /* informational events, read and not acted on */
	long documents; /* tracking documents read, for progress.h */
	json_t *map;  /* --map: a carrier's CSV export */
	int provider; /* --provider: an enum provider; 0: by their shape */
};

/* What is done with one record read: rec is borrowed. */
typedef void aftercare_fn(struct aftercare *, json_t *rec, const char *file,
    long line, const char *raw, size_t len);

/*
 * Read NDJSON records of a type (tracking, review, return) and hand each
 * to fn; lines that are not JSON, and records of another type, are set
 * aside.
 */
void aftercare_read(
    struct aftercare *, struct input *, const char *type, aftercare_fn *fn);
/*
 * The next well-formed row of CSV input c (read from in) into *row; the
 * malformed ones are set aside, a failure of the input exits 2.  0 at
 * the end.
 */
int aftercare_csv_row(
    struct aftercare *, struct input *, struct csvin *c, struct csvrow **row);
/*
 * Stop the run on CSV input c, which cannot be read as it is: the
 * message said (as err_exit() says it; the arguments may be c's), c
 * closed, exit 2.
 */
void aftercare_csv_stop(struct csvin *c, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 2, 3)));
/* One more record decided: at the end of a chunk, a checkpoint. */
void aftercare_next(struct aftercare *);
/*
 * Commit what is decided, then write it; a new transaction follows if
 * again is not 0.
 */
void aftercare_checkpoint(struct aftercare *, int again);

/* A record set aside: a line on stderr and in --rejects. */
void aftercare_reject(struct aftercare *, const char *file, long line,
    const char *raw, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* The order's latest record from the ledger; NULL if it has none. */
json_t *aftercare_order(struct aftercare *, const char *source, const char *id);
/* A notice about a parcel, with only what the customer needs. */
json_t *aftercare_notice_new(const char *event, const char *key,
    const char *source, const char *id, const char *tracking);
/* Keep a notice (its key unique) and queue it: 1 if new. */
int aftercare_notice(struct aftercare *, json_t *n);
/* --pending: queue again the notices of the last week not yet sent. */
void aftercare_pending(struct aftercare *);
/*
 * 1 while the customer has something unresolved about the order: a
 * complaint or a call to make (call_customer), a damaged or lost parcel
 * to replace or refund (replace_or_refund, which a damaged return also
 * opens), a return not yet inspected (inspect_return), open for staff.
 * Nothing asks the customer how we did while it is.
 */
int aftercare_unresolved(
    struct aftercare *, const char *source, const char *id);
/* What staff need to act: the full phone is for them. */
json_t *aftercare_detail(struct aftercare *, json_t *order, const char *carrier,
    const char *status, const char *reason);

#endif
