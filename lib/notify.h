/*
 * notify: the stage of notify(1).  For each record read it decides which
 * event the record announces (an order's new status, one of followup's
 * notices, a return label ready), and for each channel in use whom to
 * tell, in which language, and when: not in the customer's quiet hours,
 * not at all to an address that opted out.  It keys each message in the
 * ledger (lib/ledger_messages), builds it (lib/message, lib/template),
 * sends it (lib/send, or the outbox file) and records the outcome.  The
 * records go on unchanged but for a "notified" note.  --pending and
 * --retry then send again what the ledger holds due.
 *
 * Exactly once: each message is keyed in the ledger by (order, event,
 * channel) and kept there as it goes on the wire.  It is claimed by this
 * run (status sending, run) and committed before it is sent, and its
 * outcome is committed right after, one message at a time.  Another live
 * run never sends what this one claimed; a crash leaves at most the
 * message on the wire in doubt, and the run that takes over the dead
 * run's claims sends the same bytes again: the same Message-ID, the same
 * idempotency key.
 *
 * Use: fill in the caller's part of a zeroed struct notify, then
 * notify_channels(), notify_outputs(), rejects_open() on .rejects,
 * notify_open(), notify_run(), notify_close().
 *
 * Ownership: struct notify borrows the configuration, the ledger and
 * the inputs; it owns the templates, the sender and the outbox, which
 * notify_close() closes.
 */
#ifndef FULFIL_NOTIFY_H
#define FULFIL_NOTIFY_H

#include <stddef.h>
#include <stdio.h>

#include "message.h"
#include "rejects.h"
#include "stage.h"
#include "when.h"

struct config;
struct ledger;
struct input;
struct notify_msg;

struct notify {
	/* The caller's, set before notify_open(). */
	struct config *cfg;
	struct ledger *ledger;
	const char *outbox_path; /* -o, else notify.outbox; NULL: none */
	int dry_run;             /* write the messages out instead */
	int pending;             /* --pending: the orders never announced */
	int retry;               /* --retry: the messages to try again */
	struct when now;
	struct rejects rejects;
	/* What became of them, for the summary line. */
	long passed, sent, deferred, retrying, failed, already, opted_out,
	    errors, elsewhere;
	long foreign;    /* messages not in their customer's language */
	json_t *missing; /* language -> messages, each said once */
	/* The stage's own. */
	int use[MESSAGE_NCHANNELS]; /* the channels in use */
	struct stage stage;         /* .read and .rejected count records */
	struct tmpl_set *tmpl;
	struct sender *sender;
	FILE *outbox;
	struct notify_msg *msgs; /* claimed, to send */
	size_t nmsgs, msgscap;
	/* The outbox's message ids, sorted, once a dead run's claim needs them.
	 */
	char **boxids;
	size_t nboxids, boxidscap;
	int outbox_read;
	/*
	 * In this transaction: whether any address opted out (-1: not
	 * asked yet).  None: no address is looked up.
	 */
	int optouts;
};

/*
 * The channels to use: those of list ("email,sms"), else notify.channels,
 * else every one configured.  An unknown name exits 2.
 */
void notify_channels(struct notify *, const char *list);
/* Every address of addrs opts out (out set) or in again. */
void notify_optout(struct notify *, char *const *addrs, size_t n, int out);
/*
 * Check that every channel in use has somewhere to go, and open the
 * outbox (created 0600: it holds customers' messages).  Exits 2 if not.
 */
void notify_outputs(struct notify *);
/*
 * For the summary line: "; N not in their customer's language (de 2,
 * ja 1)", the languages templates are missing for, as they came.
 */
void notify_foreign_summary(const struct notify *, FILE *);
/* The templates and the sender, and the stage; exits 2 on a failure. */
void notify_open(struct notify *);
/*
 * Every record of the inputs, then with --pending the ledger's orders
 * never announced, and with --pending or --retry the messages due.
 */
void notify_run(struct notify *, struct input **, int nin);
void notify_close(struct notify *);

#endif
