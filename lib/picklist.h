/*
 * picklist: the stage logic of pick-list(1).
 *
 * The input is worked a window at a time (struct picklist's window,
 * from --window or pick.window; 0: the whole input is one window).
 * Each record is resolved as it is read, and its text kept in a
 * temporary file (spill, in $TMPDIR), not in memory, until it is
 * settled and written out.  Every window records read (and at the end
 * of the input) the window is one ledger transaction: each order the
 * input names is taken as the ledger has it now; with --pending the
 * ledger's accepted and held orders join, after the input's, in windows
 * too; each order to pick is resolved against the catalog; stock is
 * given out (the catalog's count, less what picks took since the
 * catalog file was written: read again for each window unless the
 * ledger shows nobody else changed it since the last, ledger_stock_mark());
 * the filled orders are planned into waves and cart batches by
 * lib/pick.c; the batches are numbered; each order is settled (status
 * picked, or ready_for_pickup for an order the customer collects
 * (lib/pickup), or held; its record, the stock it took; an order
 * pick.partial let ship in part, its backorder (lib/split)); the pick
 * sheets are written (with an output directory).  Only after the
 * commit do the window's records go to stdout (flushed): those passed
 * through in input order, then the picked cart by cart, then the held,
 * then the backorders made.  Then the window's records, plan and zones
 * are freed and the spill emptied.  The run keeps only the source and
 * id of every order taken (to reject one given twice, however far
 * apart) and the figures --stats and the summary add up.
 *
 * Each record is parsed once, as it is read (of a canonical one, only
 * the keys pick-list reads: picklist_take_parse()).  One whose text is just
 * what would be dumped of it (picklist_canonical()), with no pick yet,
 * is written as that text with the new status spliced in and the pick
 * appended, the same bytes as a parse and a dump; any other (a pickup,
 * a split order, a record with a pick or loosely written) is parsed
 * again and dumped when settled, as before.
 *
 * Orders accepted or held are picked; an order in any other status (or
 * none) passes through as it is, or as the ledger has it.  A record
 * that cannot be picked is set aside: a line on stderr, the audit trail
 * ("pick.rejected"), the --rejects file.
 *
 * Ownership: struct picklist borrows the config, catalog and ledger; the
 * caller opens and closes the rejects stream (rejects_open(),
 * rejects_close()).  picklist_done() frees what the run allocated.
 */
#ifndef FULFIL_PICKLIST_H
#define FULFIL_PICKLIST_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <jansson.h>

#include "ledger_picks.h"
#include "pick.h"
#include "rejects.h"
#include "zones.h"

struct config;
struct catalog;
struct ledger;
struct input;
struct picklist_rec;

/* --stats's figures and the summary's, over every window of the run. */
struct pick_total {
	int nwaves, nbatches; /* each window's waves and batches, summed */
	double route_m, first_come_m, first_come_opt_m, one_by_one_m;
};

struct picklist {
	const struct config *cfg;
	const struct catalog *cat;
	struct ledger *ledger;
	struct rejects rejects; /* --rejects */
	const char *outdir;     /* -o: where the sheets go, or NULL */
	int pending;            /* --pending */
	int stats;              /* --stats: the comparison walks wanted */
	long window;            /* --window, pick.window: orders; 0 all */
	/* The window's. */
	struct picklist_rec *r; /* every record taken, in input order */
	struct pick_order *o;   /* parallel to r */
	size_t n, cap, ocap;
	int stale; /* --pending's pages read before the last commit */
	/* The run's. */
	uint64_t *seen; /* every order taken, by source and id */
	size_t nseen, seencap;
	char *seenids; /* their source and id, "source\0id\0" each */
	size_t seenidslen, seenidscap;
	int64_t *avail; /* the stock left, by catalog row, as last read */
	int64_t stock_since;
	struct ledger_stock_mark stock_mark; /* ... and the ledger then */
	/*
	 * The window planned before its lock (window_ahead()): the stock
	 * it was given as available() read it (the catalog's time and the
	 * ledger's mark then), and p->avail before the plan took from it.
	 */
	int ahead;
	int64_t ahead_since;
	struct ledger_stock_mark ahead_mark;
	int64_t *ahead_avail;
	long replans; /* windows planned ahead, and again under the lock */
	struct pick_total total;
	FILE *spill;  /* records' text, read and written (picklist.c) */
	off_t spill_end, spill_flushed;
	char *spillbuf; /* its stdio buffer */
	char *win;      /* the spill read ahead: win_len bytes at win_at */
	off_t win_at;
	size_t win_len;
	struct pick_plan plan; /* the window's */
	struct zones *zr;      /* lib/zones: the picks by zone, or NULL */
	long read, picked, held, passed, rejected;
	long split;   /* orders shipped in part, a backorder made for each */
	long waiting; /* timed deliveries not due today: not written */
};

void picklist_init(struct picklist *);
/*
 * The whole run: read every input, deciding, recording and writing out
 * each window as above.  Records that cannot be picked are counted in
 * rejected, lines too long among them.
 */
void picklist_run(struct picklist *, struct input **, int nin);
/*
 * --stats: the plans' figures and the walks they saved, summed over the
 * windows (total), a line on stderr.
 */
void picklist_stats(const struct picklist *);
/*
 * --slotting: the picks of the days from_day to to_day (day numbers, in
 * the warehouse's zone) read from the ledger, up to moves swaps proposed
 * by lib/slotting as JSON lines on stdout, a summary line on stderr.
 * Reads no records.  Returns the exit status.
 */
int picklist_slotting(
    struct picklist *, int64_t from_day, int64_t to_day, int moves);
void picklist_done(struct picklist *);
/*
 * Whether text (a record that parsed) is byte for byte what
 * ndjson_dump() writes of it; where its top level's "status" string is
 * (*soff, *slen quotes included; *slen 0 if none).  Errs on the side
 * of no (a \u escape, a real number).  pick-list writes such a record
 * with its status and pick spliced in, not parsed and dumped again.
 */
int picklist_canonical(
    const char *text, size_t len, size_t *soff, size_t *slen);
/*
 * A canonical record (above) parsed for what pick-list reads as it
 * takes it: an object of only those top-level keys (picklist.c's
 * take_keys), each parsed as the whole parse would; the rest is
 * stepped over, not built.  NULL when text is not canonical, or the
 * whole parse would not take it (not UTF-8, a NUL, not an object):
 * then the caller parses it whole.  text[len] must be a NUL.  *soff,
 * *slen: as picklist_canonical() gives them.  The caller owns the
 * object.
 */
json_t *picklist_take_parse(
    const char *text, size_t len, size_t *soff, size_t *slen);

#endif
