/*
 * The ledger: creation, schema, orders' latest records, the audit trail,
 * and the --pending reader every later stage uses.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "err.h"
#include "ledger_int.h"
#include "ledger_messages.h"
#include "tap.h"

static char dir[] = "/tmp/test-ledger.XXXXXX";
static char path[256];

struct seen {
	char text[512];
	long n;
};

/* Remove the ledgers made here: the files are known by name. */
static void
cleanup(void)
{
	static const char *const names[] = {"l.db", "l.db-wal", "l.db-shm",
	    "env.db", "env.db-wal", "env.db-shm"};
	char p[300];
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(p, sizeof p, "%s/%s", dir, names[i]);
		unlink(p);
	}
	rmdir(dir);
}

static int
collect(void *arg, const char *record, size_t len)
{
	struct seen *s = arg;

	strncat(s->text, record, len);
	strcat(s->text, " ");
	s->n++;
	return 0;
}

/*
 * A pending callback that writes, as stages do, while another
 * connection commits between pages: neither may fail.
 */
struct writer {
	struct ledger *l, *other;
	long n;
};

static int
write_each(void *arg, const char *record, size_t len)
{
	struct writer *w = arg;
	char id[32];

	(void)record;
	(void)len;
	snprintf(id, sizeof id, "W%ld", w->n++);
	ledger_begin(w->other);
	ledger_order_put(w->other, "o", id, "accepted", "{}", 2, NULL, 0, 0);
	ledger_commit(w->other);
	ledger_begin(w->l);
	ledger_event(w->l, "t", id, "seen", NULL);
	ledger_commit(w->l);
	return 0;
}

/* A run of a child process that waits to be killed; its id in *run. */
static pid_t
child_run(int64_t *run)
{
	int fd[2];
	pid_t pid;

	if (pipe(fd) == -1)
		return -1;
	fflush(stdout);
	if ((pid = fork()) == 0) {
		struct ledger *c = ledger_open(path);
		int64_t id = ledger_run(c, NULL);

		if (write(fd[1], &id, sizeof id) != sizeof id)
			_exit(3);
		for (;;)
			pause();
	}
	close(fd[1]);
	if (read(fd[0], run, sizeof *run) != sizeof *run)
		*run = -1;
	close(fd[0]);
	return pid;
}

/* Whether run is alive, as a new ledger handle sees it after set. */
static int
alive_after(struct ledger *l, int64_t run, const char *set)
{
	struct ledger *l2;
	char *sql;
	int alive;

	xasprintf(
	    &sql, "UPDATE runs SET %s WHERE id = %lld", set, (long long)run);
	sqlite3_exec(ledger_db(l), sql, NULL, NULL, NULL);
	free(sql);
	l2 = ledger_open(path);
	alive = ledger_run_alive(l2, run);
	ledger_close(l2);
	return alive;
}

static int
stop_at_first(void *arg, const char *record, size_t len)
{
	(void)record;
	(void)len;
	(*(int *)arg)++;
	return 1;
}

static long
count(struct ledger *l, const char *sql)
{
	sqlite3_stmt *st;
	long n = -1;

	if (sqlite3_prepare_v2(ledger_db(l), sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void
put(struct ledger *l, const char *id, const char *status)
{
	char rec[64];

	snprintf(rec, sizeof rec, "{\"order_id\":\"%s\"}", id);
	ledger_order_put(l, "t", id, status, rec, strlen(rec), NULL, 0, 0);
}

/* The stored bytes of column col of the order (source t, id), as hex. */
static char *
stored(struct ledger *l, const char *table, const char *col, const char *id)
{
	char sql[256];
	sqlite3_stmt *st;
	char *hex = NULL;

	snprintf(sql, sizeof sql,
	    "SELECT hex(%s) FROM %s WHERE order_id = '%s'", col, table, id);
	if (sqlite3_prepare_v2(l->db, sql, -1, &st, NULL) != SQLITE_OK)
		return NULL;
	if (sqlite3_step(st) == SQLITE_ROW)
		hex = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return hex;
}

static char *
tohex(const unsigned char *p, size_t n)
{
	char *h = malloc(2 * n + 1);
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(h + 2 * i, "%02X", p[i]);
	h[2 * n] = '\0';
	return h;
}

struct packing {
	struct ledger *l;
	const char *text;
	struct ledger_rec_packed pk;
};

static void *
pack_elsewhere(void *arg)
{
	struct packing *k = arg;

	ledger_rec_pack(k->l, k->text, strlen(k->text), &k->pk);
	return NULL;
}

/*
 * Work taken out of the write lock: the order's row and record in one
 * lookup, and records and message bodies packed before, on any thread,
 * stored as the same bytes as packed under the lock.
 */
static void
before_the_lock(struct ledger *l)
{
	static const char rec[] = "{\"order_id\":\"P\",\"source\":\"t\","
				  "\"status\":\"picked\",\"lines\":[]}";
	static const char body[] = "{\"to\":\"p1@example.com\",\"id\":"
				   "\"m1@example.com\",\"text\":\"Hello\"}";
	struct ledger_message_new m;
	struct ledger_order o;
	struct packing k = {l, rec, {NULL, 0}};
	unsigned char *mp;
	pthread_t th;
	size_t len, n;
	char *r, *a, *b, *h;

	ledger_begin(l);
	ledger_order_put(l, "t", "P", "picked", rec, strlen(rec), NULL, 0, 0);
	ledger_commit(l);
	ok(ledger_order_get_record(l, "t", "P", &o, NULL, &r, &len) == 1 &&
		r != NULL && len == strlen(rec) && strcmp(r, rec) == 0 &&
		strcmp(o.status, "picked") == 0,
	    "one lookup: the row and its record");
	free(r);
	ledger_order_free(&o);
	ok(ledger_order_get_record(l, "t", "P", &o, "picked", &r, &len) == 1 &&
		r == NULL && strcmp(o.status, "picked") == 0,
	    "one lookup: no record when its status is the one given");
	ledger_order_free(&o);
	ok(ledger_order_get_record(l, "t", "P", &o, "labelled", &r, &len) ==
		    1 &&
		r != NULL && strcmp(r, rec) == 0,
	    "one lookup: the record when its status is another");
	free(r);
	ledger_order_free(&o);
	r = (char *)"x";
	ok(ledger_order_get_record(l, "t", "nope", &o, NULL, &r, &len) == 0 &&
		r == NULL,
	    "one lookup: an unknown order, no record");

	a = stored(l, "orders", "record", "P");
	ledger_rec_pack(l, rec, strlen(rec), &k.pk);
	h = tohex(k.pk.p, k.pk.n);
	is_str(h, a, "a record packed before: the bytes put packs");
	free(h);
	ledger_rec_packed_free(&k.pk);
	pthread_create(&th, NULL, pack_elsewhere, &k);
	pthread_join(th, NULL);
	h = tohex(k.pk.p, k.pk.n);
	is_str(h, a, "packed on another thread: the same bytes");
	free(h);
	ledger_begin(l);
	ledger_order_put_packed(
	    l, "t", "P", "labelled", rec, strlen(rec), &k.pk, NULL, 0, 0);
	ledger_commit(l);
	ledger_rec_packed_free(&k.pk);
	b = stored(l, "orders", "record", "P");
	is_str(b, a, "put packed: the same row");
	ledger_order_get_record(l, "t", "P", &o, NULL, &r, &len);
	ok(r != NULL && strcmp(r, rec) == 0 && strcmp(o.status, "labelled") == 0,
	    "put packed: read back whole, its status the new one");
	free(r);
	ledger_order_free(&o);
	free(a);
	free(b);

	memset(&m, 0, sizeof m);
	m.source = "t";
	m.channel = "email";
	m.locale = "en";
	m.recipient = "p1@example.com";
	m.message_id = "m1@example.com";
	m.payload = body;
	m.len = strlen(body);
	m.status = LEDGER_MSG_SENDING;
	ledger_begin(l);
	m.order_id = "P";
	m.event = "shipped";
	ledger_message_add(l, &m);
	mp = ledger_message_pack(l, body, strlen(body), m.message_id,
	    m.recipient, &n);
	m.order_id = "Q";
	m.packed = mp;
	m.plen = n;
	ledger_message_add(l, &m);
	ledger_commit(l);
	a = stored(l, "messages", "payload", "P");
	b = stored(l, "messages", "payload", "Q");
	ok(a != NULL && b != NULL && strcmp(a, b) == 0,
	    "a message body packed before: the bytes the add packs");
	free(a);
	free(b);
	free(mp);
}

int
main(void)
{
	static const char *const waiting[] = {"accepted", "held", NULL};
	static const char *const none[] = {NULL};
	struct ledger *l;
	struct ledger_order o;
	struct seen s;
	struct stat st;
	pid_t pid;
	int status, first = 0;

	err_init("test-ledger");
	setenv("FULFIL_NOW", "2026-11-23T10:00:00+08:00", 1);
	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof path, "%s/l.db", dir);
	umask(022);

	l = ledger_open(path);
	ok(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600,
	    "created 0600 whatever the umask");
	is_int(
	    count(l, "PRAGMA user_version"), LEDGER_VERSION, "schema version");
	is_int(count(l, "SELECT count(*) FROM pragma_journal_mode "
			"WHERE journal_mode = 'wal'"),
	    1, "WAL");
	is_int(count(l, "SELECT count(*) FROM sqlite_master WHERE type = "
			"'table' AND name IN ('orders', 'event_log', 'runs')"),
	    3, "tables");

	/* A first run puts orders in several statuses. */
	ok(ledger_run(l, NULL) > 0, "a run has an id");
	ledger_begin(l);
	ok(ledger_in_transaction(l), "in a transaction");
	put(l, "A", "accepted");
	put(l, "B", "picked");
	put(l, "C", "held");
	ledger_order_put(l, "t", "D", "accepted", "{}", 2, "x3:abc", 3, 1);
	ledger_event(l, "t", "A", "accepted", NULL);
	ledger_event(l, "t", "B", "picked", "wave 1");
	ledger_commit(l);
	ok(!ledger_in_transaction(l), "committed");

	ok(ledger_order_get(l, "t", "D", &o) == 1, "an order is found");
	is_str(o.status, "accepted", "its status");
	is_str(o.hash, "x3:abc", "its hash");
	is_int(o.revision, 3, "its revision");
	is_int(o.accepted, 1, "accepted ever");
	ledger_order_free(&o);
	ok(ledger_order_get(l, "t", "nope", &o) == 0, "an unknown order");
	ok(ledger_order_get(l, "other", "A", &o) == 0,
	    "orders are keyed by source too");

	/* Later stages change status without touching the ingest fields. */
	ledger_begin(l);
	ledger_order_put(l, "t", "D", "held", "{\"x\":1}", 7, NULL, 0, 0);
	ledger_commit(l);
	ledger_order_get(l, "t", "D", &o);
	ok(strcmp(o.status, "held") == 0 && strcmp(o.hash, "x3:abc") == 0 &&
		o.revision == 3 && o.accepted == 1,
	    "a status change keeps hash, revision and accepted");
	ledger_order_free(&o);

	before_the_lock(l);

	/* This run changed everything, so --pending now has nothing. */
	memset(&s, 0, sizeof s);
	is_int(ledger_pending(l, waiting, NULL, collect, &s), 0,
	    "pending leaves out what this run did itself");
	ledger_close(l);

	/* The next run sees the orders waiting, oldest first. */
	l = ledger_open(path);
	ledger_run(l, NULL);
	memset(&s, 0, sizeof s);
	is_int(ledger_pending(l, waiting, NULL, collect, &s), 3,
	    "pending: accepted and held");
	is_str(s.text, "{\"order_id\":\"A\"} {\"order_id\":\"C\"} {\"x\":1} ",
	    "pending: their latest records, in order");
	is_int(ledger_pending(l, none, NULL, collect, &s), 0,
	    "pending for no status");
	ledger_pending(l, waiting, NULL, stop_at_first, &first);
	is_int(first, 1, "pending stops when asked");

	/* The audit trail. */
	is_int(count(l, "SELECT count(*) FROM events"), 2, "two events");
	is_int(count(l, "SELECT count(*) FROM events WHERE order_id = 'B' "
			"AND what = 'picked' AND detail = 'wave 1' AND tool = "
			"'test-ledger' AND at = '2026-11-23T10:00:00+08:00'"),
	    1, "an event says when, who, what and why");
	is_int(count(l, "SELECT count(*) FROM runs"), 2, "two runs");
	is_int(count(l, "SELECT count(*) FROM event_log AS e JOIN runs AS r "
			"ON r.id = e.run WHERE r.t0 = 1795399200 AND r.off = "
			"480 AND e.at = 0 AND NOT EXISTS (SELECT 1 FROM "
			"event_extra AS x WHERE x.id = e.id)"),
	    2, "an event's time is kept as seconds since its run's start, "
	       "its offset and tool the run's (nothing beside it)");
	/* The clock's offset changes during the run: kept in the row. */
	setenv("FULFIL_NOW", "2026-11-23T10:00:30-05:00", 1);
	ledger_begin(l);
	ledger_event(l, "t", "E", "moved", NULL);
	ledger_commit(l);
	setenv("FULFIL_NOW", "2026-11-23T10:00:00+08:00", 1);
	is_int(count(l, "SELECT count(*) FROM events WHERE order_id = 'E' AND "
			"at = '2026-11-23T10:00:30-05:00' AND tool = "
			"'test-ledger'"),
	    1, "an event in another offset than its run's says it");
	is_int(count(l, "SELECT count(*) FROM event_log AS e JOIN event_extra "
			"AS x ON x.id = e.id WHERE x.order_id = 'E' AND x.off "
			"= -300 AND x.tool IS NULL AND e.at = 13 * 3600 + 30"),
	    1, "kept as the seconds since the run's start, the offset "
	       "beside it (event_extra)");
	/* A name first written in a transaction rolled back is made again. */
	ledger_begin(l);
	ledger_event(l, "t", "D", "undone", NULL);
	sqlite3_exec(ledger_db(l), "ROLLBACK", NULL, NULL, NULL);
	ledger_event(l, "t", "D", "undone", NULL);
	is_int(count(l, "SELECT count(*) FROM events WHERE order_id = 'D' AND "
			"what = 'undone'"),
	    1, "an event after a rollback keeps its name");
	ledger_close(l);

	/* Pages of pending orders, each handled with no read open. */
	{
		struct writer w;
		char id[16];
		int i;

		l = ledger_open(path);
		ledger_begin(l);
		for (i = 0; i < 600; i++) {
			snprintf(id, sizeof id, "P%03d", i);
			put(l, id, "held");
		}
		ledger_commit(l);
		ledger_close(l);
		w.l = ledger_open(path);
		w.other = ledger_open(path);
		ledger_run(w.l, NULL);
		w.n = 0;
		is_int(ledger_pending(
			   w.l, waiting, "order_id LIKE 'P%'", write_each, &w),
		    600, "pending over pages, writing as it goes");
		is_int(w.n, 600, "every order seen once");
		ledger_close(w.other);
		ledger_close(w.l);
	}

	/* Whether a run is alive. */
	{
		struct ledger *l2;
		int64_t run, ended;

		l = ledger_open(path);
		ok(ledger_run_alive(l, ledger_run(l, NULL)),
		    "this run is alive");
		pid = child_run(&run);
		ok(ledger_run_alive(l, run), "a running run is alive");
		kill(pid, SIGKILL);
		/* Killed, not yet reaped: a zombie is dead. */
		usleep(100000);
		l2 = ledger_open(path);
		ok(!ledger_run_alive(l2, run), "a killed run is dead");
		ok(count(l2,
		       "SELECT count(*) FROM runs WHERE id = (SELECT "
		       "max(id) FROM runs) AND NOT fulfil_alive(id)") == 1,
		    "fulfil_alive() in SQL");
		waitpid(pid, &status, 0);
		ok(!ledger_run_alive(l2, run), "a reaped run is dead");
		ok(!ledger_run_alive(l2, 999999), "an unknown run is dead");
		ledger_close(l2);
		l2 = ledger_open(path);
		ended = ledger_run(l2, NULL);
		ledger_close(l2);
		ok(!ledger_run_alive(l, ended), "a run that ended is dead");
		ok(alive_after(l, ended,
		       "host = 'elsewhere', pid = 1, ended_at = NULL, "
		       "lease_until = 4102444800"),
		    "elsewhere: alive while its lease lasts");
		ok(!alive_after(l, ended, "lease_until = 1"),
		    "elsewhere: dead when its lease is out");
		ok(!alive_after(l, ended,
		       "host = NULL, pid = 999999999, lease_until = NULL"),
		    "a run of an older version: its pid answers");
		ledger_close(l);
	}

	/* A newer schema is refused, with status 2. */
	l = ledger_open(path);
	sqlite3_exec(
	    ledger_db(l), "PRAGMA user_version = 99", NULL, NULL, NULL);
	ledger_close(l);
	fflush(stdout);
	if ((pid = fork()) == 0) {
		if (freopen("/dev/null", "w", stderr) == NULL)
			_exit(3);
		ledger_open(path);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 2,
	    "a newer schema: exit 2");

	/* $FULFIL_DB names the ledger when no path is given. */
	snprintf(path, sizeof path, "%s/env.db", dir);
	setenv("FULFIL_DB", path, 1);
	l = ledger_open(NULL);
	is_str(ledger_path(l), path, "$FULFIL_DB");
	ledger_close(l);

	cleanup();
	return done_testing();
}
