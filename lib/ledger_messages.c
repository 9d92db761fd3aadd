#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "ledger_int.h"
#include "ledger_messages.h"
#include "mime.h"
#include "zrec.h"

static const char *const status_names[] = {
    [LEDGER_MSG_PENDING] = "pending",
    [LEDGER_MSG_SENDING] = "sending",
    [LEDGER_MSG_SENT] = "sent",
    [LEDGER_MSG_RETRY] = "retry",
    [LEDGER_MSG_FAILED] = "failed",
    [LEDGER_MSG_SKIPPED] = "skipped",
};

#define NSTATUS (sizeof status_names / sizeof status_names[0])

/*
 * message_log keeps a status by its number (schema 25), and the SQL
 * below and message_log_due's index (ledger.c) name some by number.
 */
_Static_assert(LEDGER_MSG_PENDING == 0 && LEDGER_MSG_SENDING == 1 &&
		   LEDGER_MSG_SENT == 2 && LEDGER_MSG_RETRY == 3 &&
		   LEDGER_MSG_FAILED == 4 && LEDGER_MSG_SKIPPED == 5,
    "message_log's status numbers");

/*
 * The columns read into a struct ledger_message, in order, from
 * message_log (schema 25) as m: its event and channel by name, its
 * message id in full (as the view message_ids has it, from the row).
 */
#define MESSAGE_COLUMNS                                                        \
	"m.id, m.status, m.attempts, m.not_before, m.run, c.name, e.name, "    \
	"m.recipient, " LEDGER_MESSAGE_ID_OF("m.message_id",                   \
	    "coalesce(m.source, o.source)",                                    \
	    "coalesce(m.order_id, o.order_id)", "e.name", "c.name",            \
	    "m.domain") ", m.payload"
#define MESSAGE_FROM                                                           \
	" FROM message_log AS m JOIN event_names AS e ON e.id = m.event"       \
	" JOIN event_names AS c ON c.id = m.channel"                           \
	" LEFT JOIN orders AS o ON o.rowid = m.ord"

/* message_log's row says its times from its run's start (schema 26). */
#define RELATIVE LEDGER_MSG_RELATIVE("message_log")

const char *
ledger_message_status_name(enum ledger_msg_status s)
{
	return status_names[s];
}

/* Only this family writes the table: any other status is a bad ledger. */
static enum ledger_msg_status
status_of(struct ledger *l, int64_t n)
{
	if (n < 0 || (size_t)n >= NSTATUS)
		err_exit(EXIT_TROUBLE,
		    "ledger '%s': a message in unknown status %" PRId64,
		    l->path, n);
	return (enum ledger_msg_status)n;
}

/* The row st is on, MESSAGE_COLUMNS, copied into m. */
static void
message_read(struct ledger *l, struct db_stmt *st, struct ledger_message *m)
{
	m->id = db_column_int64(st, 0);
	m->status = status_of(l, db_column_int64(st, 1));
	m->attempts = db_column_int(st, 2);
	m->not_before = db_column_int64(st, 3);
	m->run = db_column_int64(st, 4);
	m->channel = ledger_coldup(st, 5);
	m->event = ledger_coldup(st, 6);
	m->recipient = ledger_coldup(st, 7);
	m->message_id = ledger_coldup(st, 8);
	m->payload = ledger_colrec(l, st, 9, &m->len);
	if (zrec_is_cut(m->payload, m->len))
		m->payload = ledger_join(
		    l, m->payload, &m->len, m->message_id, m->recipient);
}

/*
 * Whether any message names its order by source and order_id: asked
 * once a transaction (none, in a pipe whose orders are all in the
 * ledger), and at every find outside one.
 */
static int
named_msgs(struct ledger *l)
{
	struct db_stmt *st;

	if (l->named_msgs != -1 && l->intx)
		return l->named_msgs;
	st = ledger_sql(
	    l, "SELECT 1 FROM message_log WHERE ord IS NULL LIMIT 1");
	l->named_msgs = ledger_row(l, st);
	if (l->named_msgs)
		db_reset(st);
	return l->named_msgs;
}

/*
 * The message keyed (source, order_id, event, channel).  One whose order
 * the ledger has names it by its row; one written while the ledger did
 * not have it names it by source and order_id, so both are asked.
 */
int
ledger_message_find(struct ledger *l, const char *source, const char *order_id,
    const char *event, const char *channel, struct ledger_message *m)
{
	struct db_stmt *st;
	int64_t ev, ch, ord;

	if ((ev = ledger_name_find(l, event)) == 0 ||
	    (ch = ledger_name_find(l, channel)) == 0)
		return 0;
	if ((ord = ledger_order_rowid(l, source, order_id)) != 0) {
		st = ledger_sql(l, "SELECT " MESSAGE_COLUMNS MESSAGE_FROM
				   " WHERE m.ord = ?1 AND m.event = ?2 AND "
				   "m.channel = ?3");
		db_bind_int64(st, 1, ord);
		db_bind_int64(st, 2, ev);
		db_bind_int64(st, 3, ch);
		if (ledger_row(l, st))
			goto found;
	}
	if (!named_msgs(l))
		return 0;
	st = ledger_sql(l,
	    "SELECT " MESSAGE_COLUMNS MESSAGE_FROM
	    " WHERE m.ord IS NULL AND m.source = ?1 AND "
	    "m.order_id = ?2 AND m.event = ?3 AND m.channel = ?4");
	db_bind_text(st, 1, source, -1);
	db_bind_text(st, 2, order_id, -1);
	db_bind_int64(st, 3, ev);
	db_bind_int64(st, 4, ch);
	if (!ledger_row(l, st))
		return 0;
found:
	message_read(l, st, m);
	db_reset(st);
	return 1;
}

char *
ledger_message_derive(const char *source, const char *order_id,
    const char *event, const char *channel, const char *domain)
{
	char *key, *id;
	size_t n = strlen(domain) + 64;

	xasprintf(&key, "%s/%s/%s/%s", source, order_id, event, channel);
	id = xmalloc(n);
	if (mime_message_id(key, domain, id, n) == NULL) {
		free(id);
		id = NULL;
	}
	free(key);
	return id;
}

/*
 * The domain of m's message id when the id is the one derived from its
 * key, which the row then need not keep (schema 23); else NULL.
 */
const char *
ledger_message_domain(const struct ledger_message_new *m)
{
	const char *at = m->message_id ? strchr(m->message_id, '@') : NULL;
	char *id;
	int same;

	if (at == NULL)
		return NULL;
	id = ledger_message_derive(
	    m->source, m->order_id, m->event, m->channel, at + 1);
	same = id != NULL && strcmp(id, m->message_id) == 0;
	free(id);
	return same ? at + 1 : NULL;
}

unsigned char *
ledger_message_pack(struct ledger *l, const char *text, size_t len,
    const char *message_id, const char *recipient, size_t *np)
{
	const char *vals[2] = {message_id, recipient};
	unsigned char *p;
	size_t n;
	char *cut;

	if (l->db == NULL)
		return NULL;
	cut = zrec_cut(text, len, vals, 2, &n);
	p = cut != NULL ? ledger_zpack(l, cut, n, np)
			: ledger_zpack(l, text, len, np);
	free(cut);
	return p;
}

/* The body as column i: packed, or the text where it is kept so. */
static void
bindbody(struct ledger *l, struct db_stmt *st, int i,
    const struct ledger_message_new *m)
{
	const char *text = m->payload != NULL ? m->payload : "";
	unsigned char *p;
	size_t n;

	if (m->packed != NULL) {
		db_bind_blob(st, i, m->packed, (int)m->plen);
		return;
	}
	if ((p = ledger_message_pack(
		 l, text, m->len, m->message_id, m->recipient, &n)) == NULL) {
		ledger_bindrec(l, st, i, text, m->len);
		return;
	}
	db_bind_blob(st, i, p, (int)n);
	free(p);
}

int64_t
ledger_message_add(struct ledger *l, const struct ledger_message_new *m)
{
	struct db_stmt *st = ledger_sql(l,
	    "INSERT INTO message_log (ord, source, order_id, event, channel, "
	    "recipient, locale, message_id, payload, status, not_before, "
	    "last_error, created_at, off, run, domain) VALUES (?16, ?1, ?2, "
	    "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)");
	const char *domain;
	int64_t ord, now;

	if ((ord = ledger_order_rowid(l, m->source, m->order_id)) != 0)
		db_bind_int64(st, 16, ord);
	else {
		db_bind_text(st, 1, m->source, -1);
		db_bind_text(st, 2, m->order_id, -1);
		l->named_msgs = 1;
	}
	db_bind_int64(st, 3, ledger_name_id(l, m->event));
	db_bind_int64(st, 4, ledger_name_id(l, m->channel));
	db_bind_text(st, 5, m->recipient, -1);
	db_bind_text(st, 6, m->locale, -1);
	domain = m->domain_known ? m->domain : ledger_message_domain(m);
	if (domain != NULL) {
		db_bind_text(st, 7, "", 0);
		db_bind_int64(st, 15, ledger_name_id(l, domain));
	} else
		db_bind_text(st, 7, m->message_id, -1);
	bindbody(l, st, 8, m);
	db_bind_int64(st, 9, m->status);
	db_bind_int64(st, 10, m->not_before);
	db_bind_text(st, 11, m->error, -1);
	/* From the run's start, in its offset (schema 26), else its own. */
	now = ledger_now_t(l);
	if (l->run != 0 && l->run_t0 && ledger_now_off(l) == l->t0off)
		db_bind_int64(st, 12, now - l->t0);
	else {
		db_bind_int64(st, 12, now);
		db_bind_int64(st, 13, ledger_now_off(l));
	}
	db_bind_int64(st, 14, l->run);
	ledger_done(l, st);
	return db_last_insert_id(l->dbh);
}

/*
 * Message id, claimed by this run from run (schema 26): its times, if
 * they count from run's start (LEDGER_MSG_RELATIVE), made to count from
 * this run's, or, when this run has no start to count from or another
 * offset, said in seconds since the epoch with run's offset.
 */
static void
rebase(struct ledger *l, int64_t id, int64_t run)
{
	struct db_stmt *st = ledger_sql(
	    l, "SELECT t0, off FROM runs WHERE id = ?1 AND t0 IS NOT NULL");
	int64_t t0, off;

	db_bind_int64(st, 1, run);
	if (!ledger_row(l, st))
		return; /* none of its messages counts from its start */
	t0 = db_column_int64(st, 0);
	off = db_column_int64(st, 1);
	db_reset(st);
	st = ledger_sql(l, "UPDATE message_log SET created_at = created_at"
			   " + ?2, sent_at = sent_at + ?2, off = ?3 WHERE"
			   " id = ?1 AND " RELATIVE);
	db_bind_int64(st, 1, id);
	if (l->run_t0 && off == l->t0off)
		db_bind_int64(st, 2, t0 - l->t0);
	else {
		db_bind_int64(st, 2, t0);
		db_bind_int64(st, 3, off);
	}
	ledger_done(l, st);
}

int
ledger_message_claim(
    struct ledger *l, int64_t id, enum ledger_msg_status status, int64_t run)
{
	struct db_stmt *st = ledger_sql(l,
	    "UPDATE message_log SET status = 1, run = ?2 WHERE id = ?1 "
	    "AND status = ?3 AND run IS ?4");

	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, l->run);
	db_bind_int64(st, 3, status);
	if (run != 0)
		db_bind_int64(st, 4, run);
	ledger_done(l, st);
	if (db_changes(l->dbh) != 1)
		return 0;
	if (run != 0 && run != l->run)
		rebase(l, id, run);
	return 1;
}

void
ledger_message_outcome(struct ledger *l, int64_t id,
    enum ledger_msg_status status, int attempts, int64_t not_before,
    const char *error)
{
	/*
	 * sent_at from the start of the message's run when its times count
	 * from there (schema 26): this run's, which added or claimed it
	 * (ledger_message_claim() made a claimed message's count from this
	 * run's start, or whole when this run has none).  The 0 a bigint,
	 * so that PostgreSQL takes ?5 and ?7 for bigints too.
	 */
	struct db_stmt *st = ledger_sql(l,
	    "UPDATE message_log SET status = ?1, attempts = ?2, "
	    "not_before = ?3, last_error = ?4, sent_at = coalesce(?5 - CASE "
	    "WHEN " RELATIVE " THEN ?7 ELSE CAST(0 AS INTEGER) END, sent_at) "
	    "WHERE id = ?6");

	db_bind_int64(st, 1, status);
	db_bind_int64(st, 2, attempts);
	db_bind_int64(st, 3, not_before);
	db_bind_text(st, 4, error, -1);
	if (status == LEDGER_MSG_SENT)
		db_bind_int64(st, 5, ledger_now_t(l));
	db_bind_int64(st, 6, id);
	db_bind_int64(st, 7, l->run_t0 ? l->t0 : 0);
	ledger_done(l, st);
}

size_t
ledger_messages_due(struct ledger *l, int64_t after, int64_t now, int retry,
    struct ledger_message *page, size_t max)
{
	struct db_stmt *st = ledger_sql(l,
	    "SELECT " MESSAGE_COLUMNS MESSAGE_FROM " WHERE m.id > ?1 AND "
	    "((m.status = 0 AND m.not_before <= ?2) OR (?3 AND m.status = 3 "
	    "AND m.not_before <= ?2) OR (m.status = 1 AND m.run IS NOT ?4 "
	    "AND NOT fulfil_alive(m.run))) ORDER BY m.id LIMIT ?5");
	size_t n = 0;

	db_bind_int64(st, 1, after);
	db_bind_int64(st, 2, now);
	db_bind_int64(st, 3, retry);
	db_bind_int64(st, 4, l->run);
	db_bind_int64(st, 5, (int64_t)max);
	while (n < max && ledger_row(l, st))
		message_read(l, st, &page[n++]);
	db_reset(st);
	return n;
}

void
ledger_message_free(struct ledger_message *m)
{
	free(m->channel);
	free(m->event);
	free(m->recipient);
	free(m->message_id);
	free(m->payload);
	memset(m, 0, sizeof *m);
}

void
ledger_optout_add(struct ledger *l, const char *address)
{
	struct db_stmt *st = ledger_sql(
	    l, "INSERT OR IGNORE INTO optouts (address, at) VALUES (?1, ?2)");

	db_bind_text(st, 1, address, -1);
	db_bind_text(st, 2, ledger_stamp(l), -1);
	ledger_done(l, st);
}

void
ledger_optout_remove(struct ledger *l, const char *address)
{
	struct db_stmt *st =
	    ledger_sql(l, "DELETE FROM optouts WHERE address = ?1");

	db_bind_text(st, 1, address, -1);
	ledger_done(l, st);
}

int
ledger_optout_has(struct ledger *l, const char *address)
{
	struct db_stmt *st =
	    ledger_sql(l, "SELECT 1 FROM optouts WHERE address = ?1");
	int r;

	db_bind_text(st, 1, address, -1);
	r = ledger_row(l, st);
	db_reset(st);
	return r;
}

int
ledger_optout_any(struct ledger *l)
{
	struct db_stmt *st = ledger_sql(l, "SELECT 1 FROM optouts LIMIT 1");
	int r;

	r = ledger_row(l, st);
	db_reset(st);
	return r;
}

/*
 * notify --pending looks only at orders in the ledger: an order it does
 * not have needs no note (schema 25).
 */
void
ledger_notified_add(struct ledger *l, const char *source, const char *order_id,
    const char *status, int64_t at)
{
	struct db_stmt *st;
	int64_t ord;

	if ((ord = ledger_order_rowid(l, source, order_id)) == 0 ||
	    status == NULL)
		return;
	st = ledger_sql(l, "INSERT OR IGNORE INTO notified_log (ord, status, "
			   "run, at) VALUES (?1, ?2, ?3, ?4)");
	db_bind_int64(st, 1, ord);
	db_bind_int64(st, 2, ledger_name_id(l, status));
	db_bind_int64(st, 3, l->run);
	db_bind_int64(st, 4, at);
	ledger_done(l, st);
}

char *
ledger_notified_pending_where(int64_t since)
{
	char *where;

	xasprintf(&where,
	    "changed >= %" PRId64 " AND NOT EXISTS (SELECT 1 FROM "
	    "notified_log AS n JOIN event_names AS s ON s.id = n.status "
	    "WHERE n.ord = orders.rowid AND s.name = orders.status)",
	    since);
	return where;
}
