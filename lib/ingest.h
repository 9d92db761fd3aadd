/*
 * ingest: the stage logic of ingest-orders(1).
 *
 * For each record a reader yields: normalise it, key it in the ledger by
 * (source, order_id) with a content hash, and decide: new (accepted),
 * changed before picking (an update, "revision": n), changed after
 * picking (rejected: already in fulfilment), the same again (duplicate,
 * nothing emitted), cancelled (recorded; emitted only if it had been
 * accepted).  Accepted orders get their gifts and their promise.
 *
 * Effects are committed to the ledger in batches, and a batch's orders
 * are written to stdout only after its commit: a crash loses output
 * lines, never ledger truth, and --pending downstream heals the pipe.
 *
 * Ownership: struct ingest borrows the config, ledger, map and rejects
 * stream; ingest_done() releases what it allocated.
 */
#ifndef FULFIL_INGEST_H
#define FULFIL_INGEST_H

#include <stdio.h>

#include "reader.h"

struct config;
struct ledger;
struct colmap;
struct input;

struct ingest {
	const struct config	*cfg;
	struct ledger		*ledger;
	const struct colmap	*map;
	enum format		 format;
	const char		*source;	/* --source, or NULL */
	FILE			*rejects;	/* --rejects, or NULL */
	const char		*rejects_path;
	long			 read, accepted, updated, duplicate,
				 cancelled, rejected, skipped;
	int			 progress;	/* stderr is a terminal */
	/* The batch: ledger changes not yet committed, and their output. */
	char		       **outq;
	size_t			*outlen;
	size_t			 nout, capout, caplen;
};

void	ingest_init(struct ingest *);
/*
 * Ingest one input.  Returns 0 when every record was handled, 1 when some
 * were rejected or the input failed part way, 2 when the input could not
 * be read as orders at all.
 */
int	ingest_input(struct ingest *, struct input *);
/* Commit the batch and write its orders. */
void	ingest_flush(struct ingest *);
/* The summary line for stderr. */
void	ingest_summary(const struct ingest *);
void	ingest_done(struct ingest *);

#endif
