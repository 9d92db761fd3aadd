/*
 * ledger_parcels: the ledger's tables of tracking numbers, owned here and
 * written by label(1), and by a cancellation (cancel.h) that voids an
 * order's numbers: serials (the next serial of each carrier's range),
 * parcels (each number handed out, its order, its label's state),
 * prints (every time a label was printed) and helper_requests (each
 * request to a carrier helper, by its idempotency key: lib/helper).  Other
 * tools may read the parcels table in their own queries; none writes it.
 *
 * A parcel's label is "due" once a run has claimed the printing of it
 * (the parcel's run and path say which run, and where the label goes),
 * and printed once that run has the label on disk.  A claim of a run that
 * died, due and never printed, is taken over by label --pending.
 *
 * Every function writes with this run's id (ledger_run()) and time stamp
 * (ledger_stamp()), inside the caller's transaction.  Strings passed in
 * are the caller's; those handed to a callback are borrowed for the call;
 * those returned are the caller's to free.
 */
#ifndef FULFIL_LEDGER_PARCELS_H
#define FULFIL_LEDGER_PARCELS_H

#include <stdint.h>

struct ledger;

/* One parcel: a tracking number and its order. */
struct ledger_parcel {
	const char *tracking;
	const char *carrier;  /* the carrier's code */
	const char *service;  /* ledger_parcel_add() only */
	const char *source;   /* ledger_parcel_add() only */
	const char *order_id; /* ledger_parcel_add() only */
	int n, m;             /* parcel n of the order's m */
	int64_t weight_g;
	int64_t serial;        /* ledger_parcel_add() only */
	const char *sort_code; /* a helper's, or NULL */
	/*
	 * The label, as ledger_parcels_of() finds it; ledger_parcel_add()
	 * takes due and path too: due set, the label is claimed at path
	 * for this run as ledger_parcel_claim_print() would.
	 */
	int64_t run;      /* the run that numbered it, or claimed its label */
	int due;          /* a label was claimed */
	int printed;      /* and is on disk */
	const char *path; /* where the label is, or was to be; or NULL */
	/*
	 * ledger_parcel_add(): set, path's row in label_files was made
	 * already in this transaction (an earlier parcel of its lot's add):
	 * it is not made again, and path_id is its id (what that add
	 * returned).
	 */
	int path_made;
	int64_t path_id;
};

/*
 * The carrier's next serial, as ledger_serial_set() left it; 0 if none
 * was handed out yet.
 */
int64_t ledger_serial_next(struct ledger *, const char *carrier);
/* Serials below next are handed out. */
void ledger_serial_set(struct ledger *, const char *carrier, int64_t next);

/*
 * A new number, numbered by this run, its label claimed when due is
 * set: the id of its label file's row in label_files, or 0 (not due).
 */
int64_t ledger_parcel_add(struct ledger *, const struct ledger_parcel *);
/*
 * fn with each parcel of the order (source, id) not voided, by n; fn may
 * not write to the ledger.
 */
void ledger_parcels_of(struct ledger *, const char *source, const char *id,
    void (*fn)(void *arg, const struct ledger_parcel *), void *arg);
/* This run prints the parcel's label, to path: it is due. */
void ledger_parcel_claim_print(
    struct ledger *, const char *tracking, const char *path);
/* The parcel's label is on disk (the first time it was stays). */
void ledger_parcel_printed(struct ledger *, const char *tracking);
/*
 * This run printed the parcel's label: again (reprint set) or not, in
 * formats ("zpl pdf ").
 */
void ledger_print_add(
    struct ledger *, const char *tracking, int reprint, const char *formats);
/* A label printed by this run, for ledger_prints_add(). */
struct ledger_print {
	const char *tracking;
	int reprint;
};
/*
 * ledger_print_add() and then ledger_parcel_printed() for each of the
 * n, in fewer statements: the print_log rows in the order given.
 */
void ledger_prints_add(struct ledger *, const struct ledger_print *, size_t n,
    const char *formats);
/*
 * The parcel with this number: 1 with its order in *source and *id (to
 * free) and *voided set if its shipment was cancelled; 0 if there is none.
 */
int ledger_parcel_find(struct ledger *, const char *tracking, char **source,
    char **id, int *voided);
/*
 * Every parcel of the order not voided yet is voided now; a number a
 * carrier helper gave is queued to be told to it (helper_tell_voids()).
 */
void ledger_parcels_void(struct ledger *, const char *source, const char *id);
/* How many orders have labels due that a run that died never printed. */
int64_t ledger_unprinted_count(struct ledger *);
/*
 * The condition on the orders table (for ledger_pending(), through
 * stage.pending_where) that label --pending takes up: returns (rma set)
 * or orders (rma clear) in status, and with unprinted set those too whose
 * labels a run that died never printed.  The text is the caller's to free.
 */
char *ledger_parcels_pending_where(int rma, const char *status, int unprinted);

/* A request to a carrier helper, as the ledger keeps it. */
struct ledger_helper_req {
	const char *key; /* the idempotency key */
	const char *carrier, *source, *order_id;
	int n, m;
	/* As ledger_helper_get() finds it (to free with ledger_helper_free): */
	int64_t run;  /* the run that last asked */
	int inflight; /* and has neither an answer nor an error yet */
	int attempts;
	char *tracking; /* the number answered, or NULL */
	char *sort_code;
};

/* How many parcels of the order were voided: a new key after a void. */
int64_t ledger_voided_count(
    struct ledger *, const char *source, const char *id);
/* 1 and *r filled if the key was asked before; 0 if not. */
int ledger_helper_get(
    struct ledger *, const char *key, struct ledger_helper_req *);
void ledger_helper_free(struct ledger_helper_req *);
/* This run asks (again): kept before the helper runs, with the caller's commit.
 */
void ledger_helper_request(struct ledger *, const struct ledger_helper_req *);
/* The helper's answer to key, as it came, and its number and sort code. */
void ledger_helper_answer(struct ledger *, const char *key, const char *answer,
    const char *tracking, const char *sort_code);
/* The request failed: why, for whoever looks; the next run asks again. */
void ledger_helper_failed(struct ledger *, const char *key, const char *why);

/*
 * A voided number a helper gave, to tell it (ledger_parcels_void()
 * queues one per number; answered, it is done).
 */
struct ledger_helper_void {
	char *key; /* "void/" and the allocation's key */
	char *carrier, *source, *order_id, *tracking;
	int n, m;
	int64_t run;  /* the run that last told it, 0 if none */
	int inflight; /* that run has no answer or error yet */
};

/* The voids not yet told, into *out (free with ledger_helper_voids_free). */
size_t ledger_helper_voids_due(struct ledger *, struct ledger_helper_void **);
void ledger_helper_voids_free(struct ledger_helper_void *, size_t n);

#endif
