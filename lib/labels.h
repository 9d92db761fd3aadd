/*
 * labels: the stage logic of label(1).
 *
 * For each picked order: the carrier its goods, destination, payment and
 * promise allow (ship.h), one tracking number per parcel handed out from
 * the carrier's range exactly once and kept in the ledger
 * (ledger_parcels.h), the shipment added to the record, and with an
 * output directory the labels printed as ZPL, PDF or PNG (render.h).  An
 * order the ledger has numbered before keeps its numbers: its labels are
 * printed again only with reprint set; labels a live run is printing are
 * left to it; those a run that died never printed are taken over.  With
 * returns set the records are return requests from followup(1), keyed by
 * their RMA, labelled from the customer to the warehouse.
 *
 * A chunk of orders goes in three steps (stage_ops): decided and
 * numbered, the labels this run prints claimed, and committed; then the
 * labels written, made durable, and recorded as printed; only then are
 * the orders written out.  With slip set, the chunk's packing slips
 * (slip.h) are written and made durable first, before its labels, so
 * that a label on disk means its slip is too.  A crash in between
 * leaves claims of a dead run, which label --pending takes over.
 *
 * Ownership: struct labels borrows the config, catalog and ledger; its
 * rejects stream is opened and closed by the caller; labels_done()
 * frees what the stage allocated.
 */
#ifndef FULFIL_LABELS_H
#define FULFIL_LABELS_H

#include <stdint.h>

#include "rejects.h"
#include "helper.h"
#include "outfile.h"
#include "print.h"
#include "render.h"
#include "slip.h"
#include "stage.h"

struct config;
struct catalog;
struct ledger;
struct input;

/* The formats a label is printed in, by labels_formats(). */
enum { LABELS_ZPL = 1, LABELS_PDF = 2, LABELS_PNG = 4 };

/* A carrier's next serial as the transaction has it (lib/labels.c). */
struct labels_serial {
	int64_t next;
	int known; /* read from the ledger */
	int dirty; /* to be written back */
};

struct labels {
	/* Set by the caller, after labels_init(). */
	const struct config *cfg;
	const struct catalog *cat;
	struct ledger *ledger;
	struct rejects rejects; /* --rejects */
	const char *forced;     /* --carrier, or NULL */
	int returns;            /* --return */
	int reprint;            /* --reprint */
	unsigned formats;       /* LABELS_* bits, zpl by default */
	enum label_size size;
	enum slip_size slip; /* --slip: a packing slip per order; SLIP_NONE */
	/* Set by labels_outdir(): no labels are printed without one. */
	const char *outdir;
	char *absdir; /* the same, absolute: where the ledger says labels are */
	/* Set by the caller: lot files go to CUPS queues (print.h). */
	int print;
	struct printer printer;

	/* The stage's own. */
	struct stage stage;
	char *warned; /* carriers warned of a low range, as " sf ems " */
	char *where;  /* --pending's condition */
	/* The chunk's ZPL and PDF files, open while it prints. */
	struct outfile zpl, pdf;
	char *zplbuf; /* zpl's stdio buffer, the run's */
	struct render_pdf *pdfdoc;
	char zplname[64], pdfname[64], slipname[64]; /* lot's, named */
	int chunks, lot, pages; /* lots begun; the lot named; its pages */
	long slips;             /* in the chunk's slip file */
	long labelled, reprinted, passed, parcels, busy, recovered, unprinted,
	    printed;
	long cut;                  /* orders whose labels have text cut short */
	struct helper_voids voids; /* told to carriers' helpers */
	/* Each carrier's next serial in the transaction, by config index. */
	struct labels_serial *serials;
	size_t *used, nused; /* those set, in the order they were first */
	/*
	 * The orders kept in the transaction (lib/labels.c's jobs), their
	 * records dumped, packed and put into the ledger at its settle, in
	 * this order; and their keys' hashes (nkeys slots, 0: none), for an
	 * order read again before then.
	 */
	void **kept;
	size_t nkept, keptcap;
	uint64_t *keys;
	size_t nkeys;
	/*
	 * The label file whose row the transaction made last, or NULL, and
	 * its id in label_files.
	 */
	char *filed;
	int64_t filed_id;
};

void labels_init(struct labels *);
/* "zpl,pdf,png" (one or more): LABELS_* bits, or 0 if it is not that. */
unsigned labels_formats(const char *);
/* Labels go into dir, created if need be; exits 2 if it cannot be. */
void labels_outdir(struct labels *, const char *dir);
/*
 * Label the orders of the inputs in turn, then with pending set those
 * the ledger has waiting for a label (with an output directory, those
 * too whose labels a run that died never printed).  Returns 0 when every
 * order was handled, 1 when some were rejected.
 */
int labels_run(struct labels *, struct input **, int nin, int pending);
/*
 * The one order (source, id) labelled as labels_run() with pending
 * would, from its ledger record (label --pack, when its box is full):
 * exactly once, its record written out.  Returns 1 when it was labelled
 * (or its labels printed) now, 0 when it was labelled before or another
 * run has it, -1 when it was set aside (said on stderr) or the ledger
 * has no such order waiting.
 */
int labels_order(struct labels *, const char *source, const char *id);
/*
 * --void: the shipment of each tracking number is cancelled, its order
 * back to picked, its numbers never handed out again.  Returns 0, or 1
 * when a number was unknown, voided before, or its order gone on.
 */
int labels_void(struct labels *, char **tracking, int n);
/* The summary line for stderr. */
void labels_summary(const struct labels *);
void labels_done(struct labels *);

#endif
