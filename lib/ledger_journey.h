/*
 * ledger_journey: the parcels after dispatch, in the ledger.  This family
 * owns four tables and is the only one that writes them: shipments (each
 * parcel's state, from the carrier's events), tracking_events (every
 * event once), notices (what followup(1) made for notify(1)) and tasks
 * (what it opened for staff).  Its queries also read the labels, the
 * manifests, the orders and notify's messages.
 *
 * Every add is keyed: it returns 1 when it made the row and 0 when the
 * key was there before, so that a replayed file or a repeated scan makes
 * nothing twice.  Writes go into the caller's transaction
 * (ledger_begin()).
 *
 * Ownership: strings passed in are borrowed for the call.  A struct
 * filled by ledger_shipment_find() holds copies, freed by
 * ledger_shipment_free().  The structs and strings a callback is given
 * are the ledger's, valid during the call only.  Callbacks are called
 * with the query's read open: they may write, as long as what they write
 * does not change the rows still to come, but may not begin or commit.
 */
#ifndef FULFIL_LEDGER_JOURNEY_H
#define FULFIL_LEDGER_JOURNEY_H

#include <stddef.h>
#include <stdint.h>

struct ledger;

/* A parcel's owner and its state, as the carrier last told it. */
struct ledger_shipment {
	char *source, *order_id, *carrier;
	char *status;      /* the carrier's word; NULL: no event yet */
	int64_t status_at; /* the event time of status */
};

/*
 * Whose parcel tracking is: 1 with s filled from its shipment; 0 with s
 * filled from its label (status NULL) when no event came for it yet; -1
 * (s untouched) when the ledger has no live label with that number.
 */
int ledger_shipment_find(
    struct ledger *, const char *tracking, struct ledger_shipment *s);
void ledger_shipment_free(struct ledger_shipment *);
/*
 * When tracking's label was made (RFC 3339, to free), or NULL if the
 * ledger has no live label with that number: no event of the parcel can
 * come before it.
 */
char *ledger_parcel_labelled_at(struct ledger *, const char *tracking);
/*
 * A parcel's first event: its shipment, of the order and carrier that
 * owner names, in state status at status_at.
 */
void ledger_shipment_add(struct ledger *, const char *tracking,
    const struct ledger_shipment *owner, const char *status, int64_t status_at);
/*
 * A shipment's state becomes status at status_at; its last event time
 * becomes event_at if that is later.
 */
void ledger_shipment_move(struct ledger *, const char *tracking,
    const char *status, int64_t status_at, int64_t event_at);
/*
 * How many of the order's dispatched parcels the carrier has not said
 * are delivered.  Its parcels are those its labels were given and
 * tracking[0..n), the numbers its record has (a parcel labelled
 * elsewhere has no label here).
 */
long ledger_parcels_undelivered(struct ledger *, const char *source,
    const char *order_id, const char *const *tracking, size_t n);

/* A carrier's tracking event. */
struct ledger_tracking_event {
	const char *tracking, *status;
	const char *substatus; /* "" if none */
	int64_t occurred_at;
	const char *message;  /* NULL if none */
	const char *location; /* JSON text; NULL if none */
};

/*
 * Keep an event: 1 if new, 0 if received before (the same tracking,
 * status, substatus and time), with this run's id and the ledger's time.
 */
int ledger_tracking_event_add(
    struct ledger *, const struct ledger_tracking_event *);
/*
 * fn with every tracking event of the order's parcels, oldest first
 * (tracking, status, occurred_at and message are set).
 */
void ledger_tracking_events(struct ledger *, const char *source,
    const char *order_id,
    void (*fn)(void *arg, const struct ledger_tracking_event *), void *arg);

/* A parcel dispatched and not home yet. */
struct ledger_afloat {
	const char *tracking, *source, *order_id, *carrier, *service;
	const char *dispatched_at; /* RFC 3339, as the manifest has it */
	const char *status; /* the carrier's; "dispatched" before any event */
	int has_event;      /* 0: no event yet, last_event_at is 0 */
	int64_t last_event_at;
};

/*
 * fn with every parcel dispatched and not delivered, returned or in an
 * exception, the earliest dispatched first.
 */
void ledger_parcels_afloat(struct ledger *,
    void (*fn)(void *arg, const struct ledger_afloat *), void *arg);

/*
 * Keep a notice under its key (unique) with its record (JSON text, len
 * bytes), this run's id and the ledger's time: 1 if new, 0 if made before.
 */
int ledger_notice_add(struct ledger *, const char *key, const char *source,
    const char *order_id, const char *event, const char *record, size_t len);
/*
 * fn with each order in status (its source, id and its record's
 * "delivery.at", NULL if none) for which no notice is keyed prefix,
 * source, ":", id; by source and id.
 */
void ledger_orders_without_notice(struct ledger *, const char *status,
    const char *prefix,
    void (*fn)(void *arg, const char *source, const char *order_id,
	const char *delivered_at),
    void *arg);
/*
 * fn with the record of each notice made in the week before now (RFC
 * 3339) by another run than this one, that notify made no message of;
 * the oldest first.
 */
void ledger_notices_unsent(struct ledger *, const char *now,
    void (*fn)(void *arg, const char *record, size_t len), void *arg);

/* A task for staff. */
struct ledger_task {
	const char *id, *key, *kind, *source, *order_id;
	const char *priority; /* "high" or "normal" */
	const char *due;      /* RFC 3339 */
	const char *record;   /* JSON text, len bytes */
	size_t len;
};

/* The number the next task gets: one more than there are tasks. */
int64_t ledger_task_next(struct ledger *);
/*
 * Open a task, with this run's id and the ledger's time: 1 if new, 0 if
 * a task had its key or id before.
 */
int ledger_task_add(struct ledger *, const struct ledger_task *);
/*
 * The number of open tasks about the order (source, id) whose kind is
 * one of kinds, a JSON array of strings (its text).
 */
int ledger_tasks_open_count(struct ledger *, const char *source,
    const char *order_id, const char *kinds);
/* fn with the record of each open task, the soonest due first. */
void ledger_tasks_open(struct ledger *,
    void (*fn)(void *arg, const char *record, size_t len), void *arg);
/*
 * Mark the open task id done at the ledger's time: 1 with its order
 * (*source and *order_id, to free), 0 if no open task has that id.
 */
int ledger_task_close(
    struct ledger *, const char *id, char **source, char **order_id);
/*
 * Whether a task id exists: 1 with *done_at (to free; NULL if it has
 * none) set to when it was done, else 0.
 */
int ledger_task_done_at(struct ledger *, const char *id, char **done_at);

#endif
