/*
 * stage: what the streaming stages (label, dispatch, ...) share.  Records
 * are gathered in chunks; for each chunk the stage decides every record
 * inside one ledger transaction, commits, and only then writes them out
 * (flush).  stage_reject() is the one way a record is set aside: a line
 * on stderr, the audit trail, the --rejects file.
 *
 * A stage's own record type starts with a struct stage_rec; the stage
 * holds chunk of them, slot bytes each.
 *
 * Ownership: the struct stage is the caller's; stage_init() allocates
 * the slots and stage_finish() frees them.  Between flushes the stage
 * owns each record's raw text and parsed JSON; flush hands them back
 * by stage_clear().
 */
#ifndef FULFIL_STAGE_H
#define FULFIL_STAGE_H

#include <stddef.h>

#include <jansson.h>

#include "ledger.h"
#include "ndjson.h"
#include "recsplice.h"
#include "rejects.h"
#include "status.h"

struct stage_rec {
	char *raw; /* as read, then as the ledger has it */
	size_t len;
	const char *file;
	long line;
	json_t *j; /* the record going out; NULL once rejected */
	/*
	 * raw's top-level values as recsplice_scan() finds them, made while
	 * raw was parsed (recparse_scan()); NULL: not made, stage_splice()
	 * scans.  Whoever changes raw frees it (stage_rescan()).
	 */
	struct recsplice *rs;
	char *why; /* read or parsed badly: why (the reader thread's) */
	int toolong;
	int reloaded; /* stage_load() put the ledger's text in place of raw */
};

struct reader;

/*
 * Records a chunk holds in label, dispatch and notify: one transaction
 * decides them all, and they are written out after its commit.
 */
#define STAGE_CHUNK 500

/*
 * Chunks a transaction of label, dispatch and notify takes when they are
 * read and waiting (a backlog, a file, --pending): fewer commits, and
 * fewer pages written again, for a lock held longer at a time.
 */
#define STAGE_GROUP 4

/*
 * A chunk is decided, committed and written out when it is full, when
 * the input ends, and when the input has had nothing more for this
 * long: a stage fed slowly does not sit on work it has read.
 */
#define STAGE_IDLE_MS 1000

/*
 * The one chunk loop every streaming stage runs, and its part in it:
 *
 *   begin      before the chunk's transaction (naming its files);
 *   prepare    each record, before the transaction: work that needs
 *              nothing of the ledger (parsing, rendering), done while
 *              other runs hold the write lock.  It neither reads nor
 *              writes the ledger and sets nothing aside: decide does,
 *              and uses what prepare made only where the record is
 *              the same under the lock;
 *   decide     each record, inside the transaction;
 *   settle     the chunk, still inside it, after every decide;
 *   (commit)
 *   effects    what leaves the process (labels, messages), in
 *              transactions of its own, after the commit;
 *   write      each record out: default, its JSON unless set aside;
 *   clear      what the stage hung on a record, before it is let go.
 *
 * Only decide is needed.  With notx set nothing is written to the
 * ledger and there is no transaction (a dry run).
 */
struct stage_ops {
	void (*begin)(void *arg, void *recs, size_t n);
	void (*prepare)(void *arg, void *rec);
	void (*decide)(void *arg, void *rec);
	void (*settle)(void *arg, void *recs, size_t n);
	void (*effects)(void *arg, void *recs, size_t n);
	void (*write)(void *arg, void *rec);
	void (*clear)(void *arg, void *rec);
	/*
	 * Chunks one transaction may decide (0 or 1: one): when more are
	 * read and waiting, up to this many go under one lock and one
	 * commit.  begin and prepare still see a chunk at a time (a label
	 * lot stays STAGE_CHUNK); settle and effects see them all.
	 */
	size_t group;
};

struct stage {
	struct ledger *ledger;
	struct rejects *rejects;
	/* --pending: a further SQL condition on the orders waiting, or NULL */
	const char *pending_where;
	const char *rejected_what; /* audit trail event, "label.rejected" */
	void (*flush)(void *arg, void *recs, size_t n);
	void *arg;
	char *recs; /* chunk x group slots */
	size_t slot, chunk, group, n;
	struct input *in; /* read here (serial), while it is */
	long read, rejected, pending_line;
	/*
	 * What stage_clear() let go of while a reader thread runs: that
	 * thread frees it, so the deciding thread does not.
	 */
	struct stage_rec *trash;
	size_t ntrash, trashcap;
	struct reader *rd; /* the reader thread, while one runs */
	int serial;        /* set: no reader thread, lines are read here */
	int notx;          /* set: the chunk loop opens no transaction */
	/*
	 * set: an order another warehouse claimed is set aside (label,
	 * dispatch: the parcels of an order leave from its one warehouse)
	 */
	int own_only;
	const struct stage_ops *ops;
	void *oparg;
};

void stage_init(struct stage *, size_t slot, size_t chunk,
    void (*flush)(void *, void *, size_t), void *arg);
/* The same, with the one chunk loop and the stage's part in it. */
void stage_init_ops(struct stage *, size_t slot, size_t chunk,
    const struct stage_ops *, void *arg);
/*
 * The whole run: every input in turn, then (statuses not NULL) the
 * ledger's orders waiting in one of them; then stage_finish().
 */
void stage_run(
    struct stage *, struct input **in, int nin, const char *const *statuses);
/*
 * Every line of in; a line too long counts as rejected.  A second
 * thread reads and parses the lines while this one decides.
 */
void stage_input(struct stage *, struct input *);
/* The ledger's orders in one of statuses (NULL-terminated). */
void stage_pending(struct stage *, const char *const *statuses);
/*
 * fn(arg, i) for every i below n, shared with the reader thread when
 * one runs; back when all are done.  fn must touch nothing the reader
 * thread does: a record's own JSON is fine, the ledger is not.
 */
void stage_share(
    struct stage *, void (*fn)(void *arg, size_t i), void *arg, size_t n);
/*
 * stage_share(), and then(arg, i) here for every i in turn, each as
 * soon as fn(arg, i) is done: the reader thread works ahead while this
 * one uses what it made, and this one takes fn(arg, i) itself only when
 * the reader has not.
 */
void stage_share_then(struct stage *, void (*fn)(void *arg, size_t i),
    void (*then)(void *arg, size_t i), void *arg, size_t n);
/* Flush what is left and free the slots. */
void stage_finish(struct stage *);
/*
 * Let go of a record's text and JSON and zero its slot.  They are freed
 * now, or by the reader thread when one runs.
 */
void stage_clear(struct stage *, void *rec);

/*
 * Parse r's text as the reader thread does, unless it is parsed or
 * found bad already: r->j, or r->why for stage_parse_only() to say.
 * Nothing is said or set aside here.
 */
void stage_parse_early(struct stage_rec *r);
/*
 * Parse r: 0 with r->j set, or -1 after rejecting it (not JSON, or no
 * order_id and source).  The ledger is not asked.
 */
int stage_parse_only(struct stage *, struct stage_rec *r);
/*
 * 0, or -1 after rejecting r: the order (source, id) is another
 * warehouse's and the stage works on its own only (own_only).
 */
int stage_own(
    struct stage *, struct stage_rec *r, const char *source, const char *id);
/*
 * Parse r: 0 with r->j set, or -1 after rejecting it (not JSON, or no
 * order_id and source).  Then the ledger's record of the order replaces
 * r's when the ledger has one and, with changed set, only when its
 * status differs from r's.
 */
int stage_parse(struct stage *, struct stage_rec *r, int changed);
/*
 * The ledger's record of the order (source, id) replaces r's, when the
 * ledger has one: 1, else 0.  r's JSON, when set, must be r's text as
 * parsed (not changed since): when the ledger's text is the same, it is
 * kept, not parsed again.
 */
int stage_load(
    struct stage *, struct stage_rec *r, const char *source, const char *id);
/*
 * stage_parse(), then the move the record asks for: when it came in a
 * status the stage moves to `to` from (picked for label, labelled for
 * dispatch), and the ledger has the order where that move is wrong
 * (cancelled, returned, on the road: STEP_REFUSE), it is set aside with
 * both statuses said, "cancelled: cannot be dispatched": -1.
 */
int stage_parse_move(
    struct stage *, struct stage_rec *r, int changed, enum status to);
/*
 * r's JSON written as recsplice_text(r->raw, r->len, r->j, changed)
 * writes it, with the scan made when raw was parsed.
 */
char *stage_splice(
    struct stage_rec *r, const char *const *changed, size_t *lenp);
/* raw changed (or is to): the scan of the old one let go. */
void stage_rescan(struct stage_rec *r);
void stage_reject(struct stage *, struct stage_rec *, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
