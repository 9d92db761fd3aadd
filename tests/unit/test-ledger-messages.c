/*
 * The ledger's tables of notify: messages keyed once, claimed by one run
 * only, their outcomes, the page of messages due, opt-outs, and the
 * statuses announced that --pending leaves alone.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "ledger.h"
#include "ledger_messages.h"
#include "mime.h"
#include "tap.h"

#include <sqlite3.h>

static char dir[] = "/tmp/test-ledger-messages.XXXXXX";
static char path[256];

static void
cleanup(void)
{
	static const char *const names[] = {"m.db", "m.db-wal", "m.db-shm"};
	char p[300];
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(p, sizeof p, "%s/%s", dir, names[i]);
		unlink(p);
	}
	rmdir(dir);
}

/* Key a message for order id on channel ch, in status, due at nb. */
static int64_t
add(struct ledger *l, const char *id, const char *ch,
    enum ledger_msg_status status, int64_t nb)
{
	struct ledger_message_new m;
	char mid[64];

	snprintf(mid, sizeof mid, "%s.%s@example.com", id, ch);
	memset(&m, 0, sizeof m);
	m.source = "t";
	m.order_id = id;
	m.event = "shipped";
	m.channel = ch;
	m.recipient = "a@example.com";
	m.locale = "en";
	m.message_id = mid;
	m.payload = "{\"text\":\"hi\"}";
	m.len = strlen(m.payload);
	m.status = status;
	m.not_before = nb;
	return ledger_message_add(l, &m);
}

/* The ids of the messages due, after 0, as "1 3 " */
static void
due(struct ledger *l, int64_t now, int retry, char *buf, size_t n)
{
	struct ledger_message page[8];
	size_t got, i;

	buf[0] = '\0';
	got = ledger_messages_due(l, 0, now, retry, page, 8);
	for (i = 0; i < got; i++) {
		snprintf(buf + strlen(buf), n - strlen(buf), "%lld ",
		    (long long)page[i].id);
		ledger_message_free(&page[i]);
	}
}

static int
count(void *arg, const char *record, size_t len)
{
	(void)record;
	(void)len;
	(*(long *)arg)++;
	return 0;
}

int
main(void)
{
	static const char *const announcing[] = {"accepted", NULL};
	struct ledger *l, *dead;
	struct ledger_message m, page[2];
	int64_t a, b, c, d, e;
	char buf[128], want[128], *where, fid[64];
	struct ledger_message_new fm;
	sqlite3 *lite;
	sqlite3_stmt *st = NULL;
	long n = 0;

	err_init("test-ledger-messages");
	setenv("FULFIL_NOW", "2026-11-23T10:00:00+08:00", 1);
	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof path, "%s/m.db", dir);

	/* A run that added a message as sending, and ended. */
	dead = ledger_open(path);
	ledger_run(dead, NULL);
	ledger_begin(dead);
	e = add(dead, "E", "sms", LEDGER_MSG_SENDING, 100);
	ledger_commit(dead);
	ledger_close(dead);

	l = ledger_open(path);
	ledger_run(l, NULL);
	ledger_begin(l);
	a = add(l, "A", "email", LEDGER_MSG_SENDING, 100);
	b = add(l, "B", "sms", LEDGER_MSG_PENDING, 500);
	c = add(l, "C", "sms", LEDGER_MSG_PENDING, 100);
	d = add(l, "D", "webhook", LEDGER_MSG_SKIPPED, 100);
	ledger_commit(l);
	ok(a > 0 && b > a && c > b && d > c, "messages have ids in order");

	ok(ledger_message_find(l, "t", "A", "shipped", "email", &m) == 1,
	    "a message is found by its key");
	is_int(m.id, a, "its id");
	is_int(m.status, LEDGER_MSG_SENDING, "its status");
	is_int(m.run, ledger_run_id(l), "the run that added it");
	is_str(m.message_id, "A.email@example.com", "its Message-ID");
	is_str(m.payload, "{\"text\":\"hi\"}", "its payload");
	is_int(m.len, 13, "its length");
	is_str(m.channel, "email", "its channel");
	ledger_message_free(&m);
	ok(ledger_message_find(l, "t", "A", "shipped", "sms", &m) == 0,
	    "another channel is another message");

	/* Claims: compare and set on status and run. */
	ledger_begin(l);
	ok(!ledger_message_claim(l, c, LEDGER_MSG_PENDING, 0),
	    "a message held by a run is not claimed as held by none");
	ok(ledger_message_claim(l, c, LEDGER_MSG_PENDING, ledger_run_id(l)),
	    "a pending message is claimed as seen");
	ok(!ledger_message_claim(l, c, LEDGER_MSG_PENDING, ledger_run_id(l)),
	    "a claimed one is not claimed again as pending");
	ok(!ledger_message_claim(l, e, LEDGER_MSG_SENDING, 0),
	    "nor one held by another run than seen");
	ledger_commit(l);
	ledger_message_find(l, "t", "C", "shipped", "sms", &m);
	ok(m.status == LEDGER_MSG_SENDING && m.run == ledger_run_id(l),
	    "a claim makes it sending, by this run");
	ledger_message_free(&m);

	/*
	 * Due, by id: pending ones whose time has come (C's had, but it is
	 * claimed), the dead run's sending ones; not this run's (A); not B
	 * before 500.
	 */
	due(l, 200, 0, buf, sizeof buf);
	snprintf(want, sizeof want, "%lld ", (long long)e);
	is_str(buf, want, "due: the dead run's claim");
	due(l, 600, 0, buf, sizeof buf);
	snprintf(want, sizeof want, "%lld %lld ", (long long)e, (long long)b);
	is_str(buf, want, "due: and a pending one, once its time came");

	/* Outcomes, and retries only when asked for. */
	ledger_begin(l);
	ledger_message_outcome(l, a, LEDGER_MSG_RETRY, 1, 300, "busy");
	ledger_message_outcome(l, c, LEDGER_MSG_SENT, 1, 200, NULL);
	ledger_commit(l);
	due(l, 400, 0, buf, sizeof buf);
	snprintf(want, sizeof want, "%lld ", (long long)e);
	is_str(buf, want, "due: no retries without --retry");
	due(l, 400, 1, buf, sizeof buf);
	snprintf(want, sizeof want, "%lld %lld ", (long long)e, (long long)a);
	is_str(buf, want, "due: retries with it");
	ledger_message_find(l, "t", "A", "shipped", "email", &m);
	ok(m.status == LEDGER_MSG_RETRY && m.attempts == 1 &&
		m.not_before == 300,
	    "an outcome: status, attempts and when to try again");
	ledger_message_free(&m);
	is_int(ledger_messages_due(l, a, 400, 1, page, 2), 0,
	    "due: a page starts after the id given");
	is_str(ledger_message_status_name(LEDGER_MSG_SKIPPED), "skipped",
	    "status names");

	/* Opt-outs. */
	ledger_begin(l);
	ledger_optout_add(l, "x@example.com");
	ledger_optout_add(l, "x@example.com");
	ledger_commit(l);
	ok(ledger_optout_has(l, "x@example.com"), "an address opted out");
	ok(!ledger_optout_has(l, "y@example.com"), "another did not");
	ledger_begin(l);
	ledger_optout_remove(l, "x@example.com");
	ledger_commit(l);
	ok(!ledger_optout_has(l, "x@example.com"), "and opted in again");

	/*
	 * A Message-ID that is the one notify derives from the key (schema
	 * 23): the row keeps none, its domain by id, and reads it whole.
	 */
	mime_message_id("t/F/shipped/email", "shop.example", fid, sizeof fid);
	memset(&fm, 0, sizeof fm);
	fm.source = "t";
	fm.order_id = "F";
	fm.event = "shipped";
	fm.channel = "email";
	fm.recipient = "f@example.com";
	fm.message_id = fid;
	fm.payload = "{\"message_id\":\"x\"}";
	fm.len = strlen(fm.payload);
	fm.status = LEDGER_MSG_SENT;
	ledger_begin(l);
	ledger_message_add(l, &fm);
	fm.order_id = "G"; /* an id another key derives: kept */
	ledger_message_add(l, &fm);
	ledger_commit(l);
	ledger_message_find(l, "t", "F", "shipped", "email", &m);
	is_str(m.message_id, fid, "a derived Message-ID reads whole");
	ledger_message_free(&m);
	ledger_message_find(l, "t", "G", "shipped", "email", &m);
	is_str(m.message_id, fid, "so does one kept");
	ledger_message_free(&m);
	if (sqlite3_open(path, &lite) == SQLITE_OK &&
	    sqlite3_prepare_v2(lite,
		"SELECT group_concat(order_id || ':' || message_id || ':' || "
		"coalesce((SELECT name FROM event_names WHERE id = domain), "
		"'-'), ' ') FROM messages WHERE order_id IN ('F', 'G')",
		-1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		snprintf(want, sizeof want, "F::shop.example G:%s:-", fid);
		is_str((const char *)sqlite3_column_text(st, 0), want,
		    "the row keeps the id only when it is not the derived one");
	} else
		ok(0, "the rows read");
	sqlite3_finalize(st);
	sqlite3_close(lite);

	/* Announced statuses: --pending leaves those orders alone. */
	ledger_begin(l);
	ledger_order_put(l, "t", "P", "accepted", "{}", 2, NULL, 0, 0);
	ledger_order_put(l, "t", "Q", "accepted", "{}", 2, NULL, 0, 0);
	ledger_notified_add(l, "t", "P", "accepted", 100);
	ledger_notified_add(l, "t", "P", "accepted", 100);
	ledger_commit(l);
	ledger_close(l);
	l = ledger_open(path);
	ledger_run(l, NULL);
	where = ledger_notified_pending_where(0);
	ledger_pending(l, announcing, where, count, &n);
	is_int(n, 1, "pending: only the order never announced");
	free(where);
	where = ledger_notified_pending_where(4102444800LL);
	n = 0;
	ledger_pending(l, announcing, where, count, &n);
	is_int(n, 0, "pending: only orders changed since the time given");
	free(where);
	ledger_close(l);
	cleanup();
	return done_testing();
}
