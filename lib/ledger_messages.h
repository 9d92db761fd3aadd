/*
 * ledger_messages: the ledger's tables of notify(1), and their one way
 * in.  messages holds every customer message, one per (order, event,
 * channel), kept as it goes on the wire so that a resend is the same
 * message; optouts the addresses that want no more; notified each
 * status of an order that was announced, so that --pending finds those
 * whose announcement died in a pipe.  Only this family writes them.
 *
 * A message's life: added pending (its time not come: quiet hours),
 * sending (claimed by the run that added it) or skipped (opted out);
 * claimed (sending, with the run) by a run about to send it; then sent,
 * retry (another try when not_before comes) or failed for good.
 *
 * Ownership: a struct ledger_message filled here holds copies that are
 * the caller's, freed with ledger_message_free().  Every string passed
 * in is the caller's and only read.  Any database failure exits 2.
 */
#ifndef FULFIL_LEDGER_MESSAGES_H
#define FULFIL_LEDGER_MESSAGES_H

#include <stddef.h>
#include <stdint.h>

struct ledger;

enum ledger_msg_status {
	LEDGER_MSG_PENDING,
	LEDGER_MSG_SENDING,
	LEDGER_MSG_SENT,
	LEDGER_MSG_RETRY,
	LEDGER_MSG_FAILED,
	LEDGER_MSG_SKIPPED
};

/* A message as the ledger has it. */
struct ledger_message {
	int64_t id;
	enum ledger_msg_status status;
	int attempts;
	int64_t not_before; /* not to be sent before, epoch seconds */
	int64_t run;        /* the run that added or claimed it; 0: none */
	char *channel;      /* "email", "sms", "webhook", "outbox" */
	char *event;        /* the event, or the notice's key */
	char *recipient;
	char *message_id;
	char *payload; /* what goes on the wire, NUL-terminated */
	size_t len;    /* bytes of payload */
};

/* A new message, for ledger_message_add(). */
struct ledger_message_new {
	const char *source, *order_id, *event, *channel;
	const char *recipient, *locale, *message_id;
	const char *payload; /* len bytes; NULL: none (skipped) */
	size_t len;
	/* payload as ledger_message_pack() gave it, or NULL: packed here */
	const unsigned char *packed;
	size_t plen;
	enum ledger_msg_status status;
	int64_t not_before;
	const char *error; /* why it is not sent, or NULL */
	/*
	 * domain_known set: domain is ledger_message_domain()'s of this
	 * very message, found before (not under the lock); else it is
	 * found here.
	 */
	const char *domain;
	int domain_known;
};

/* "pending" for LEDGER_MSG_PENDING: the name the table and notes use. */
const char *ledger_message_status_name(enum ledger_msg_status);

/*
 * The message keyed (source, order_id, event, channel): 1 with *m
 * filled, or 0 when there is none.
 */
int ledger_message_find(struct ledger *, const char *source,
    const char *order_id, const char *event, const char *channel,
    struct ledger_message *m);
/*
 * A message's payload packed as ledger_message_add() stores it, for a
 * message of that id to that recipient: work done before the write
 * lock.  With the ledger's own codec: on the thread that opened it.
 * NULL where the ledger keeps the text (PostgreSQL).
 */
unsigned char *ledger_message_pack(struct ledger *, const char *text,
    size_t len, const char *message_id, const char *recipient, size_t *n);
/* Key a new message, by this run and now; returns its id. */
int64_t ledger_message_add(struct ledger *, const struct ledger_message_new *);
/*
 * The domain of m's message id (after its '@') when the id is the one
 * derived from its key (source, order_id, event, channel), which the
 * row then need not keep; else NULL.  Asks nothing of the ledger.
 */
const char *ledger_message_domain(const struct ledger_message_new *m);
/*
 * Claim message id for this run (status sending), when it is still as
 * seen: in status, held by run (0: by none).  1 if it is ours now, 0 if
 * another run got there first.
 */
int ledger_message_claim(
    struct ledger *, int64_t id, enum ledger_msg_status status, int64_t run);
/*
 * What became of message id once tried: status (sent, retry or failed),
 * the attempts made, when it may go again and why it did not go (NULL:
 * it did).  A message sent is stamped with the time.
 */
void ledger_message_outcome(struct ledger *, int64_t id,
    enum ledger_msg_status status, int attempts, int64_t not_before,
    const char *error);
/*
 * A page of the messages due for a resend, by id after after: pending
 * ones whose time has come at now, those to retry (with retry set), and
 * those claimed by a run that is dead.  Fills up to max of page; returns
 * how many.  The read is over when it returns, so that the caller may
 * write.
 */
size_t ledger_messages_due(struct ledger *, int64_t after, int64_t now,
    int retry, struct ledger_message *page, size_t max);
void ledger_message_free(struct ledger_message *);

/* An address opts out of messages, or in again; whether it is out. */
void ledger_optout_add(struct ledger *, const char *address);
void ledger_optout_remove(struct ledger *, const char *address);
int ledger_optout_has(struct ledger *, const char *address);
/* Whether any address opted out: 1, else 0. */
int ledger_optout_any(struct ledger *);

/*
 * The order's status was announced (its messages keyed, or none to
 * send), at time at, by this run.
 */
void ledger_notified_add(struct ledger *, const char *source,
    const char *order_id, const char *status, int64_t at);
/*
 * For ledger_pending(): the condition on orders that changed at or
 * after since and whose present status was never announced.  The
 * caller frees it.
 */
char *ledger_notified_pending_where(int64_t since);

#endif
