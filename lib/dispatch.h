/*
 * dispatch: the stage logic of dispatch(1).
 *
 * For each labelled order: check its parcels against the ledger (a
 * voided label is bad input; a label never printed keeps the order
 * waiting), put them on their carrier's manifest for the pickup day (or
 * find them there already: "again"), and stamp the order with when it
 * left, how long it took from being placed, whether it was late and
 * when it should arrive.  Orders not yet labelled are set aside; others
 * pass through unchanged.  The stage's chunk loop (stage.h) commits the
 * ledger before any order is written out.
 *
 * dispatch_close() ends the day: each open manifest up to today's is
 * written as files (manifest.h) and marked closed in the ledger.
 *
 * Ownership: struct dispatch borrows the config and the ledger; its
 * rejects stream is the caller's to open and close.  dispatch_done()
 * frees what the run allocated.
 */
#ifndef FULFIL_DISPATCH_H
#define FULFIL_DISPATCH_H

#include <stddef.h>
#include <stdint.h>

#include "rejects.h"
#include "stage.h"

struct config;
struct ledger;
struct input;
struct dispatch_open;

struct dispatch {
	struct config *cfg;
	struct ledger *ledger;
	struct rejects rejects; /* --rejects */
	struct stage stage;
	const char *forced; /* --carrier: only its orders, or NULL */
	/* What the run counted, for the summary line. */
	long dispatched, again, passed, parcels, late, unprinted;
	/* The manifests this run's parcels joined or were found on, by id. */
	char **touched;
	size_t ntouched, touchedcap;
	/* The run's own: the manifests open in this chunk, order to ship. */
	struct dispatch_open *open;
	size_t nopen, opencap;
	int64_t *ots;
	size_t nots, otscap;
	/*
	 * A parcel went on a manifest since the group's foreseen orders
	 * were asked about together: what was found may be out of date.
	 */
	int stale;
};

void dispatch_init(struct dispatch *);
/*
 * Dispatch the orders of the inputs in turn, then, with pending set,
 * the labelled orders the ledger has waiting whose labels are all
 * printed.  Returns the exit status: 1 if an order was set aside or
 * waits for its label, else 0.
 */
int dispatch_run(struct dispatch *, struct input **in, int nin, int pending);
/*
 * The order-to-ship times of the orders dispatched, median and 95th
 * percentile, as "7h15m" or "1d02h" ("-" with none).
 */
void dispatch_order_to_ship(
    struct dispatch *, char *p50, char *p95, size_t len);
/*
 * --close: close every open manifest up to today's (of d->forced, or of
 * every carrier), writing its files to dir and its summary as JSON on
 * stdout.  Returns the exit status.
 */
int dispatch_close(struct dispatch *, const char *dir);
void dispatch_done(struct dispatch *);

#endif
