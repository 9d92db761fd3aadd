/*
 * ingest: the stage logic of ingest-orders(1).
 *
 * For each record a reader yields: normalise it, key it in the ledger by
 * (source, order_id) with a content hash, and decide: new (accepted),
 * changed before picking (an update, "revision": n), changed after
 * picking (rejected: already in fulfilment), the same again (duplicate,
 * nothing emitted), cancelled (recorded; emitted only if it had been
 * accepted), on hold (lib/hold: payment or a partial fulfilment;
 * recorded and said on stderr, emitted only if it had been accepted;
 * released as accepted by a later export that settles it), fulfilled
 * (nothing left to ship; recorded, emitted only if it had been
 * accepted).  Accepted orders get their gifts and their promise.
 * Every warning normalising adds is said on stderr too, unless -q.
 *
 * Two threads share the work, so that a big backlog goes at the speed of
 * the slower half: a worker reads, parses, normalises, hashes, adds
 * gifts and stamps the promise; the calling thread decides against the
 * ledger, writes the records, commits and prints.  Records come out in
 * input order.
 *
 * Effects are committed to the ledger in batches, and a batch's orders
 * are written to stdout only after its commit: a crash loses output
 * lines, never ledger truth, and --pending downstream heals the pipe.
 * A batch is also committed whenever the input pauses, so that orders
 * trickling down a pipe are not held back.
 *
 * Ownership: struct ingest borrows the config, ledger, map and rejects
 * stream; ingest_done() releases what it allocated.
 */
#ifndef FULFIL_INGEST_H
#define FULFIL_INGEST_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>

#include "hold.h"
#include "reader.h"
#include "rejects.h"

struct catalog;
struct config;
struct ledger;
struct colmap;
struct input;

struct ingest {
	const struct config *cfg;
	struct ledger *ledger;
	const struct colmap *map;
	enum format format;
	const char *source;        /* --source, or NULL */
	struct rejects rejects;    /* --rejects */
	const struct catalog *cat; /* for ingest.sku_from, or NULL */
	long read, accepted, updated, duplicate, cancelled, rejected;
	long elsewhere; /* another warehouse's orders (warehouse.claim) */
	long released, fulfilled, warnings, held[HOLD_N];
	/* The batch: ledger changes not yet committed, and their output. */
	char **outq;
	size_t *outlen;
	size_t nout, capout, caplen;
	/*
	 * How many of the texts the worker made ahead were of use lately,
	 * out of AHEAD_FULL (lib/ingest.c's ahead()): the main thread's to
	 * change, the worker's to read.
	 */
	atomic_int ahead;
};

void ingest_init(struct ingest *);
/*
 * Ingest the inputs in order.  Returns 0 when every record was handled,
 * 1 when some were rejected or an input failed part way, 2 when an input
 * could not be read as orders at all (nothing more is read after it).
 */
int ingest_run(struct ingest *, struct input **, size_t);
/* The summary line for stderr. */
void ingest_summary(const struct ingest *);
void ingest_done(struct ingest *);

#endif
