/*
 * ledger_manifests: dispatch's tables in the ledger.  manifests holds a
 * carrier's manifest for each pickup day, open until --close; its parcels
 * are rows of manifest_parcel_log (the view manifest_parcels from schema
 * 26), one per parcel handed over (and taken off again when its order is
 * cancelled while the manifest is open).
 * These functions are the only ones that write either table; they read
 * the label's parcels table to know whether a label may go out.
 *
 * They run inside the caller's transaction (ledger_begin()).  Any
 * failure of the database exits 2.  Strings passed in are borrowed for
 * the call only; what comes back in an array is the caller's, to free
 * with the matching _free function.
 */
#ifndef FULFIL_LEDGER_MANIFESTS_H
#define FULFIL_LEDGER_MANIFESTS_H

#include <stddef.h>

#include "manifest.h"

struct ledger;

/*
 * A manifest as the ledger has it: dates YYYY-MM-DD, closed_at RFC 3339
 * (NULL while it is open).
 */
struct ledger_manifest {
	char *id, *carrier, *ship_date, *closed_at;
};

/* What the ledger knows of a parcel, by its tracking number. */
struct ledger_parcel_state {
	int voided;             /* its label was voided */
	int unprinted;          /* its label is due and was never printed */
	char *manifest;         /* the manifest it is on, or NULL */
	char *carrier, *status; /* that manifest's carrier and status */
};

/*
 * Open the manifest id of carrier for day (YYYY-MM-DD), stamped with
 * the ledger's time; nothing changes if it exists already.
 */
void ledger_manifest_open(
    struct ledger *, const char *id, const char *carrier, const char *day);
/* 1 if carrier's manifest for day (YYYY-MM-DD) is closed, else 0. */
int ledger_manifest_closed(
    struct ledger *, const char *carrier, const char *day);
/*
 * Put parcel p on manifest (p->tracking once on any manifest: a second
 * time is a failure), marked with this run.
 */
void ledger_manifest_add_parcel(
    struct ledger *, const char *manifest, const struct manifest_parcel *p);
/* Fill *s for the parcel tracking; free it with the function below. */
void ledger_parcel_state(
    struct ledger *, const char *tracking, struct ledger_parcel_state *s);
void ledger_parcel_state_free(struct ledger_parcel_state *);
/*
 * For each tracking[i] (n of them): held[i] 1 when the ledger has
 * something against handing its parcel over (its label voided or never
 * printed, or the parcel on a manifest: ledger_parcel_state() says
 * which), else 0.  A few statements for them all, where
 * ledger_parcel_state() is one each.
 */
void ledger_parcels_held(
    struct ledger *, const char *const *tracking, size_t n, int *held);

/*
 * The open manifests of day (YYYY-MM-DD) and before, of carrier (NULL:
 * every carrier), by ship date and id, into *v: their count.
 */
size_t ledger_manifests_due(struct ledger *, const char *day,
    const char *carrier, struct ledger_manifest **v);
/* The same for the manifests of day that are closed, by id. */
size_t ledger_manifests_closed_on(struct ledger *, const char *day,
    const char *carrier, struct ledger_manifest **v);
void ledger_manifests_free(struct ledger_manifest *, size_t n);

/* A manifest's parcels in the order they joined it, into *p: the count. */
size_t ledger_manifest_parcels(
    struct ledger *, const char *id, struct manifest_parcel **p);
void ledger_manifest_parcels_free(struct manifest_parcel *, size_t n);
/* Mark the manifest id closed at closed_at (RFC 3339). */
void ledger_manifest_close(
    struct ledger *, const char *id, const char *closed_at);

/*
 * The order (source, id) is cancelled before its carrier took it: its
 * parcels come off every manifest still open.  Its parcels are those
 * its labels were given and tracking[0..n), the numbers its record has
 * (a parcel labelled elsewhere has no label here).  fn(arg, tracking,
 * manifest) with each (fn must not use the ledger); the count.  Those
 * on a closed manifest stay: they left with the carrier.
 */
long ledger_manifest_take_off(struct ledger *, const char *source,
    const char *id, const char *const *tracking, size_t n,
    void (*fn)(void *arg, const char *tracking, const char *manifest),
    void *arg);

/*
 * For ledger_pending(): the condition that none of an order's parcels
 * still waits for its label to be printed.
 */
const char *ledger_manifest_pending_where(void);

#endif
