#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "ledger.h"
#include "when.h"

/*
 * Schema migrations: entry n takes the ledger from version n to n + 1.
 * Never edit an entry once released; add one.
 */
static const char *const migrations[] = {
    /* 0 -> 1 */
    "CREATE TABLE orders ("
    "  source     TEXT NOT NULL,"
    "  order_id   TEXT NOT NULL,"
    "  status     TEXT NOT NULL,"
    "  revision   INTEGER NOT NULL DEFAULT 1,"
    "  hash       TEXT,"
    "  accepted   INTEGER NOT NULL DEFAULT 0,"
    "  run        INTEGER,"
    "  record     TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL,"
    "  PRIMARY KEY (source, order_id));"
    "CREATE INDEX orders_by_status ON orders (status);"
    "CREATE TABLE events ("
    "  id       INTEGER PRIMARY KEY,"
    "  at       TEXT NOT NULL,"
    "  tool     TEXT NOT NULL,"
    "  run      INTEGER,"
    "  source   TEXT,"
    "  order_id TEXT,"
    "  what     TEXT NOT NULL,"
    "  detail   TEXT);"
    "CREATE INDEX events_by_order ON events (source, order_id);"
    "CREATE TABLE runs ("
    "  id         INTEGER PRIMARY KEY,"
    "  tool       TEXT NOT NULL,"
    "  started_at TEXT NOT NULL,"
    "  pid        INTEGER NOT NULL);",
    /* 1 -> 2: pick-list's carts, and the stock each picked order took. */
    "CREATE TABLE batches ("
    "  id         INTEGER PRIMARY KEY,"
    "  run        INTEGER NOT NULL,"
    "  wave       TEXT NOT NULL,"
    "  orders     INTEGER NOT NULL,"
    "  route_m    REAL NOT NULL,"
    "  created_at TEXT NOT NULL);"
    "CREATE TABLE picks ("
    "  source   TEXT NOT NULL,"
    "  order_id TEXT NOT NULL,"
    "  sku      TEXT NOT NULL,"
    "  qty      INTEGER NOT NULL,"
    "  batch    INTEGER NOT NULL,"
    "  at       INTEGER NOT NULL,"
    "  PRIMARY KEY (source, order_id, sku));"
    "CREATE INDEX picks_by_time ON picks (at);",
    /* 2 -> 3: label's tracking numbers, each handed out once. */
    "CREATE TABLE serials ("
    "  carrier TEXT PRIMARY KEY,"
    "  next    INTEGER NOT NULL);"
    "CREATE TABLE parcels ("
    "  tracking   TEXT PRIMARY KEY,"
    "  carrier    TEXT NOT NULL,"
    "  service    TEXT NOT NULL,"
    "  source     TEXT NOT NULL,"
    "  order_id   TEXT NOT NULL,"
    "  n          INTEGER NOT NULL,"
    "  m          INTEGER NOT NULL,"
    "  weight_g   INTEGER NOT NULL,"
    "  serial     INTEGER NOT NULL,"
    "  run        INTEGER,"
    "  created_at TEXT NOT NULL,"
    "  voided_at  TEXT);"
    "CREATE INDEX parcels_by_order ON parcels (source, order_id);"
    "CREATE TABLE prints ("
    "  id       INTEGER PRIMARY KEY,"
    "  tracking TEXT NOT NULL,"
    "  run      INTEGER,"
    "  at       TEXT NOT NULL,"
    "  reprint  INTEGER NOT NULL,"
    "  formats  TEXT NOT NULL);",
    /* 3 -> 4: dispatch's manifests, one per carrier and pickup day. */
    "CREATE TABLE manifests ("
    "  id         TEXT PRIMARY KEY,"
    "  carrier    TEXT NOT NULL,"
    "  ship_date  TEXT NOT NULL,"
    "  status     TEXT NOT NULL,"
    "  opened_at  TEXT NOT NULL,"
    "  closed_at  TEXT,"
    "  UNIQUE (carrier, ship_date));"
    "CREATE TABLE manifest_parcels ("
    "  tracking      TEXT PRIMARY KEY,"
    "  manifest      TEXT NOT NULL REFERENCES manifests (id),"
    "  source        TEXT NOT NULL,"
    "  order_id      TEXT NOT NULL,"
    "  service       TEXT NOT NULL,"
    "  n             INTEGER NOT NULL,"
    "  m             INTEGER NOT NULL,"
    "  weight_g      INTEGER NOT NULL,"
    "  cod           INTEGER NOT NULL,"
    "  currency      TEXT,"
    "  handling      INTEGER NOT NULL,"
    "  dispatched_at TEXT NOT NULL,"
    "  run           INTEGER);"
    "CREATE INDEX manifest_parcels_by_manifest ON manifest_parcels (manifest);",
    /*
     * 4 -> 5: notify's messages, one per (order, event, channel), kept
     * as they go on the wire so a resend is the same message; and the
     * addresses that opted out.
     */
    "CREATE TABLE messages ("
    "  id          INTEGER PRIMARY KEY,"
    "  source      TEXT NOT NULL,"
    "  order_id    TEXT NOT NULL,"
    "  event       TEXT NOT NULL,"
    "  channel     TEXT NOT NULL,"
    "  recipient   TEXT NOT NULL,"
    "  locale      TEXT,"
    "  message_id  TEXT NOT NULL,"
    "  payload     BLOB NOT NULL,"
    "  status      TEXT NOT NULL,"
    "  attempts    INTEGER NOT NULL DEFAULT 0,"
    "  not_before  INTEGER NOT NULL,"
    "  last_error  TEXT,"
    "  created_at  TEXT NOT NULL,"
    "  sent_at     TEXT,"
    "  run         INTEGER,"
    "  UNIQUE (source, order_id, event, channel));"
    "CREATE INDEX messages_by_status ON messages (status, not_before);"
    "CREATE TABLE optouts ("
    "  address TEXT PRIMARY KEY,"
    "  at      TEXT NOT NULL);",
    /*
     * 5 -> 6: followup's parcels after dispatch: each shipment's state,
     * the carrier's tracking events, the notices and the staff tasks
     * made from them, each keyed so that nothing is made twice.
     */
    "CREATE TABLE shipments ("
    "  tracking      TEXT PRIMARY KEY,"
    "  source        TEXT NOT NULL,"
    "  order_id      TEXT NOT NULL,"
    "  carrier       TEXT NOT NULL,"
    "  status        TEXT NOT NULL,"
    "  status_at     INTEGER NOT NULL,"
    "  last_event_at INTEGER,"
    "  updated_at    TEXT NOT NULL);"
    "CREATE INDEX shipments_by_order ON shipments (source, order_id);"
    "CREATE TABLE tracking_events ("
    "  id          INTEGER PRIMARY KEY,"
    "  tracking    TEXT NOT NULL,"
    "  status      TEXT NOT NULL,"
    "  substatus   TEXT NOT NULL,"
    "  occurred_at INTEGER NOT NULL,"
    "  message     TEXT,"
    "  location    TEXT,"
    "  received_at TEXT NOT NULL,"
    "  run         INTEGER,"
    "  UNIQUE (tracking, status, substatus, occurred_at));"
    "CREATE TABLE notices ("
    "  key        TEXT PRIMARY KEY,"
    "  source     TEXT NOT NULL,"
    "  order_id   TEXT NOT NULL,"
    "  event      TEXT NOT NULL,"
    "  record     TEXT NOT NULL,"
    "  created_at TEXT NOT NULL,"
    "  run        INTEGER);"
    "CREATE TABLE tasks ("
    "  id         TEXT PRIMARY KEY,"
    "  key        TEXT NOT NULL UNIQUE,"
    "  kind       TEXT NOT NULL,"
    "  source     TEXT NOT NULL,"
    "  order_id   TEXT NOT NULL,"
    "  priority   TEXT NOT NULL,"
    "  due        TEXT NOT NULL,"
    "  status     TEXT NOT NULL,"
    "  record     TEXT NOT NULL,"
    "  created_at TEXT NOT NULL,"
    "  done_at    TEXT,"
    "  run        INTEGER);"
    "CREATE INDEX tasks_by_status ON tasks (status);",
    /*
     * 6 -> 7: reviews, each handled once, with the call it opened; and
     * return and exchange requests, an RMA each.
     */
    "CREATE TABLE reviews ("
    "  key        TEXT PRIMARY KEY,"
    "  source     TEXT NOT NULL,"
    "  order_id   TEXT NOT NULL,"
    "  rating     INTEGER,"
    "  text       TEXT,"
    "  at         INTEGER NOT NULL,"
    "  negative   INTEGER NOT NULL,"
    "  task       TEXT,"
    "  created_at TEXT NOT NULL,"
    "  run        INTEGER);"
    "CREATE TABLE rmas ("
    "  id          TEXT PRIMARY KEY,"
    "  key         TEXT NOT NULL UNIQUE,"
    "  source      TEXT NOT NULL,"
    "  order_id    TEXT NOT NULL,"
    "  kind        TEXT NOT NULL,"
    "  reason      TEXT NOT NULL,"
    "  damaged     INTEGER NOT NULL,"
    "  lines       TEXT NOT NULL,"
    "  replacement TEXT,"
    "  record      TEXT NOT NULL,"
    "  created_at  TEXT NOT NULL,"
    "  at          INTEGER NOT NULL,"
    "  run         INTEGER);"
    "CREATE INDEX rmas_by_order ON rmas (source, order_id);",
};

/* How long a run waits for another to let go of the ledger. */
#define BUSY_MS 30000

enum { ST_GET, ST_PUT, ST_EVENT, ST_MAX };

static const char *const stmt_sql[ST_MAX] = {
    "SELECT status, hash, revision, accepted, run FROM orders"
    " WHERE source = ?1 AND order_id = ?2",
    "INSERT INTO orders (source, order_id, status, revision, hash,"
    "  accepted, run, record, updated_at)"
    " VALUES (?1, ?2, ?3, coalesce(?4, 1), ?5, coalesce(?6, 0), ?7, ?8, ?9)"
    " ON CONFLICT (source, order_id) DO UPDATE SET"
    "  status = ?3, revision = coalesce(?4, revision),"
    "  hash = coalesce(?5, hash), accepted = coalesce(?6, accepted),"
    "  run = ?7, record = ?8, updated_at = ?9",
    "INSERT INTO events (at, tool, run, source, order_id, what, detail)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
};

struct ledger {
	sqlite3 *db;
	char *path;
	sqlite3_stmt *st[ST_MAX];
	int64_t run;
	int intx;
	int64_t nowt; /* when nows was made */
	char nows[WHEN_BUFSZ];
};

static void __attribute__((noreturn)) dberr(struct ledger *l, const char *what)
{
	errx(EXIT_TROUBLE, "ledger '%s': %s: %s", l->path, what,
	    sqlite3_errmsg(l->db));
}

static void
exec(struct ledger *l, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(l->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		errx(EXIT_TROUBLE, "ledger '%s': %s (%s)", l->path,
		    msg != NULL ? msg : sqlite3_errmsg(l->db), sql);
	}
}

/*
 * Switching to WAL needs the database to itself, and SQLite does not
 * wait for that through the busy handler: when another process is
 * opening the same new ledger, try again for as long as the busy timeout.
 */
static void
set_wal(struct ledger *l)
{
	int i, rc;

	for (i = 0; i < BUSY_MS / 10; i++) {
		rc = sqlite3_exec(
		    l->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
		if (rc == SQLITE_OK)
			return;
		if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
			break;
		usleep(10000);
	}
	dberr(l, "cannot switch to WAL");
}

static int
user_version(struct ledger *l)
{
	sqlite3_stmt *st;
	int v;

	if (sqlite3_prepare_v2(l->db, "PRAGMA user_version", -1, &st, NULL) !=
		SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW)
		dberr(l, "cannot read schema version");
	v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Bring the schema to LEDGER_VERSION, all steps in one transaction. */
static void
migrate(struct ledger *l)
{
	int v, n = (int)(sizeof migrations / sizeof migrations[0]);
	char sql[64];

	exec(l, "BEGIN IMMEDIATE");
	v = user_version(l);
	if (v > n)
		errx(EXIT_TROUBLE,
		    "ledger '%s': schema version %d is newer "
		    "than this program knows (%d)",
		    l->path, v, n);
	for (; v < n; v++)
		exec(l, migrations[v]);
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", n);
	exec(l, sql);
	exec(l, "COMMIT");
}

struct ledger *
ledger_open(const char *path)
{
	struct ledger *l;
	const char *e;
	int fd, i;

	if (path == NULL && (e = getenv("FULFIL_DB")) != NULL && *e != '\0')
		path = e;
	if (path == NULL)
		path = "fulfil.db";
	/* Create it 0600 ourselves: SQLite would follow the umask. */
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) == -1)
		err(EXIT_TROUBLE, "cannot open ledger '%s'", path);
	close(fd);
	l = xcalloc(1, sizeof *l);
	l->path = xstrdup(path);
	if (sqlite3_open_v2(path, &l->db, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK)
		dberr(l, "cannot open");
	sqlite3_busy_timeout(l->db, BUSY_MS);
	sqlite3_extended_result_codes(l->db, 1);
	set_wal(l);
	exec(l, "PRAGMA synchronous = FULL");
	/*
	 * 64 MiB of page cache: a big backlog's indexes stay in memory
	 * (SQLite's default of 2 MiB made a million inserts seek).
	 */
	exec(l, "PRAGMA cache_size = -65536");
	exec(l, "PRAGMA foreign_keys = ON");
	if (user_version(l) != (int)(sizeof migrations / sizeof migrations[0]))
		migrate(l);
	for (i = 0; i < ST_MAX; i++)
		if (sqlite3_prepare_v3(l->db, stmt_sql[i], -1,
			SQLITE_PREPARE_PERSISTENT, &l->st[i],
			NULL) != SQLITE_OK)
			dberr(l, "cannot prepare statement");
	return l;
}

void
ledger_close(struct ledger *l)
{
	int i;

	if (l == NULL)
		return;
	for (i = 0; i < ST_MAX; i++)
		sqlite3_finalize(l->st[i]);
	if (sqlite3_close(l->db) != SQLITE_OK)
		dberr(l, "cannot close");
	free(l->path);
	free(l);
}

const char *
ledger_path(const struct ledger *l)
{
	return l->path;
}

sqlite3 *
ledger_db(struct ledger *l)
{
	return l->db;
}

void
ledger_begin(struct ledger *l)
{
	exec(l, "BEGIN IMMEDIATE");
	l->intx = 1;
}

void
ledger_commit(struct ledger *l)
{
	exec(l, "COMMIT");
	l->intx = 0;
}

int
ledger_in_transaction(const struct ledger *l)
{
	return l->intx;
}

/* The time stamp of ledger rows: now, formatted once a second. */
static const char *
stamp(struct ledger *l)
{
	struct when now = when_now();

	if (l->nows[0] == '\0' || now.t != l->nowt) {
		when_format(&now, l->nows);
		l->nowt = now.t;
	}
	return l->nows;
}

/* Run a prepared statement that returns no rows, then reset it. */
static void
done(struct ledger *l, sqlite3_stmt *st)
{
	if (sqlite3_step(st) != SQLITE_DONE)
		dberr(l, "write failed");
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

int64_t
ledger_run(struct ledger *l)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(l->db,
		"INSERT INTO runs (tool, started_at,"
		" pid) VALUES (?, ?, ?)",
		-1, &st, NULL) != SQLITE_OK)
		dberr(l, "cannot prepare statement");
	sqlite3_bind_text(st, 1, progname, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, stamp(l), -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, (int64_t)getpid());
	done(l, st);
	sqlite3_finalize(st);
	l->run = sqlite3_last_insert_rowid(l->db);
	return l->run;
}

int64_t
ledger_run_id(const struct ledger *l)
{
	return l->run;
}

static char *
colstr(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s != NULL ? xstrdup((const char *)s) : NULL;
}

int
ledger_order_get(struct ledger *l, const char *source, const char *id,
    struct ledger_order *o)
{
	sqlite3_stmt *st = l->st[ST_GET];
	int rc, found = 0;

	sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		o->status = colstr(st, 0);
		o->hash = colstr(st, 1);
		o->revision = sqlite3_column_int(st, 2);
		o->accepted = sqlite3_column_int(st, 3);
		o->run = sqlite3_column_int64(st, 4);
		found = 1;
	} else if (rc != SQLITE_DONE)
		dberr(l, "read failed");
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return found;
}

void
ledger_order_free(struct ledger_order *o)
{
	free(o->status);
	free(o->hash);
	memset(o, 0, sizeof *o);
}

void
ledger_order_put(struct ledger *l, const char *source, const char *id,
    const char *status, const char *record, size_t len, const char *hash,
    int revision, int accepted)
{
	sqlite3_stmt *st = l->st[ST_PUT];

	sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, status, -1, SQLITE_STATIC);
	if (hash != NULL) {
		sqlite3_bind_int(st, 4, revision);
		sqlite3_bind_text(st, 5, hash, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 6, accepted);
	}
	sqlite3_bind_int64(st, 7, l->run);
	sqlite3_bind_text(st, 8, record, (int)len, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, stamp(l), -1, SQLITE_STATIC);
	done(l, st);
}

void
ledger_event(struct ledger *l, const char *source, const char *id,
    const char *what, const char *detail)
{
	sqlite3_stmt *st = l->st[ST_EVENT];

	sqlite3_bind_text(st, 1, stamp(l), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, progname, -1, SQLITE_STATIC);
	if (l->run != 0)
		sqlite3_bind_int64(st, 3, l->run);
	sqlite3_bind_text(st, 4, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, what, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, detail, -1, SQLITE_STATIC);
	done(l, st);
}

long
ledger_pending(struct ledger *l, const char *const *statuses,
    int (*fn)(void *, const char *, size_t), void *arg)
{
	sqlite3_stmt *st;
	char *sql, *p;
	size_t n, i;
	long count = 0;
	int rc;

	for (n = 0; statuses[n] != NULL; n++)
		;
	if (n == 0)
		return 0;
	/* "?," per status, the last comma dropped. */
	p = xmalloc(2 * n + 1);
	for (i = 0; i < n; i++)
		memcpy(p + 2 * i, "?,", 2);
	p[2 * n - 1] = '\0';
	xasprintf(&sql,
	    "SELECT record FROM orders WHERE status IN (%s)"
	    " AND run IS NOT ?%zu ORDER BY rowid",
	    p, n + 1);
	free(p);
	if (sqlite3_prepare_v2(l->db, sql, -1, &st, NULL) != SQLITE_OK)
		dberr(l, "cannot prepare statement");
	free(sql);
	for (i = 0; i < n; i++)
		sqlite3_bind_text(
		    st, (int)i + 1, statuses[i], -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, (int)n + 1, l->run);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		count++;
		if (fn(arg, (const char *)sqlite3_column_text(st, 0),
			(size_t)sqlite3_column_bytes(st, 0)) != 0)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		dberr(l, "read failed");
	sqlite3_finalize(st);
	return count;
}

const char *
ledger_stamp(struct ledger *l)
{
	return stamp(l);
}

char *
ledger_order_record(
    struct ledger *l, const char *source, const char *id, size_t *lenp)
{
	sqlite3_stmt *st;
	char *r = NULL;
	int rc;

	if (sqlite3_prepare_v2(l->db,
		"SELECT record FROM orders WHERE source = ?1 AND order_id = ?2",
		-1, &st, NULL) != SQLITE_OK)
		dberr(l, "cannot prepare statement");
	sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*lenp = (size_t)sqlite3_column_bytes(st, 0);
		r = xstrndup((const char *)sqlite3_column_text(st, 0), *lenp);
	} else if (rc != SQLITE_DONE)
		dberr(l, "read failed");
	sqlite3_finalize(st);
	return r;
}

sqlite3_stmt *
ledger_prepare(struct ledger *l, const char *sql)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(l->db, sql, -1, &st, NULL) != SQLITE_OK)
		dberr(l, "cannot prepare statement");
	return st;
}

void
ledger_step(struct ledger *l, sqlite3_stmt *st)
{
	if (sqlite3_step(st) != SQLITE_DONE)
		dberr(l, "write failed");
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}
