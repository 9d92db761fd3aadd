/*
 * ledger_int: the ledger's inside, for its own files only (ledger*.c).
 * The tables are SQLite's here and nowhere else: every other module
 * goes through the ledger's functions, whose headers name no SQLite
 * type, so that another database can stand behind them.
 *
 * Statements: ledger_sql() prepares a statement once per ledger, keyed
 * by the address of its text (a string literal), and hands it back reset
 * with no bindings; the ledger finalizes it.  ledger_done() and
 * ledger_row() step it, and any failure is a system error (exit 2).
 */
#ifndef FULFIL_LEDGER_INT_H
#define FULFIL_LEDGER_INT_H

#include <pthread.h>
#include <stdint.h>
#include <time.h>

#include <sqlite3.h>

#include "db.h"

#include "ledger.h"
#include "when.h"

enum { ST_GET, ST_PUT, ST_EVENT, ST_RUN, ST_LEASE, ST_MAX };

/*
 * SQL for a row of messages' message id in full (schema 23): the text
 * kept, or, when it is empty, the id notify derives from the row's key
 * and its domain (an id in event_names).  The view message_ids says it
 * so; the tools read it so; fulfil_message_id() is SQL's in both
 * backends (ledger.c, ledger_pg.c) and lib/sqlite/fulfilrec's.
 */
#define LEDGER_MESSAGE_ID                                                      \
	LEDGER_MESSAGE_ID_OF("messages.message_id", "messages.source",         \
	    "messages.order_id", "messages.event", "messages.channel",         \
	    "messages.domain")
/*
 * The same of the columns given (SQL expressions): the id kept, its key
 * (source, order_id, event and channel by name) and its domain's id.
 */
#define LEDGER_MESSAGE_ID_OF(id, source, order_id, event, channel, domain)     \
	"coalesce(nullif(" id ", ''), fulfil_message_id(" source ", " order_id \
	", " event ", " channel ", (SELECT name FROM event_names WHERE "       \
	"event_names.id = " domain ")))"

/*
 * A statement of a migration (ledger.c) that SQLite runs and PostgreSQL
 * does not: it begins with this comment.  What PostgreSQL does instead,
 * if anything, is ledger_pg.c's (pg_steps[]).
 */
#define LEDGER_LITE "/* SQLite */ "

/*
 * The view picks, in words both backends take: as schema 24 made it
 * (pick_log.sku the SKU's text), and as it is from schema 26, when
 * pick_log.sku is the SKU's id in event_names.
 */
#define LEDGER_PICKS_VIEW_24                                                   \
	"CREATE VIEW picks (source, order_id, sku, qty, batch, at,"            \
	"  released_at) AS"                                                    \
	"  SELECT o.source, o.order_id, p.sku, p.qty, p.batch, p.at,"          \
	"  p.released_at FROM pick_log AS p JOIN orders AS o"                  \
	"  ON o.rowid = p.ord"
#define LEDGER_PICKS_VIEW                                                      \
	"CREATE VIEW picks (source, order_id, sku, qty, batch, at,"            \
	"  released_at) AS"                                                    \
	"  SELECT o.source, o.order_id, s.name, p.qty, p.batch, p.at,"         \
	"  p.released_at FROM pick_log AS p JOIN orders AS o"                  \
	"  ON o.rowid = p.ord JOIN event_names AS s ON s.id = p.sku"

/*
 * A message's status as message_log keeps it (schema 25): enum
 * ledger_msg_status's number.  Never renumber: rows were written so.
 */
#define LEDGER_MSG_STATUS_TEXT(c)                                              \
	"CASE " c " WHEN 0 THEN 'pending' WHEN 1 THEN 'sending'"               \
	" WHEN 2 THEN 'sent' WHEN 3 THEN 'retry' WHEN 4 THEN 'failed'"         \
	" WHEN 5 THEN 'skipped' END"

/*
 * The views messages and notified (schema 25), in words both backends
 * take: the columns as they were, from message_log and notified_log,
 * which name an order by its row and an event, a channel and a status
 * by number.  SQL text: laid out by hand.
 *
 * From schema 26 a message's times count from its run's start, as the
 * audit trail's do (LEDGER_MSG_RELATIVE): the view messages gives them
 * back in seconds since the epoch and the run's offset as off.
 * LEDGER_MESSAGES_VIEW_25 is the view as migration 25 made it; the two
 * begin the same (MESSAGES_VIEW_HEAD).
 */
/* clang-format off */
#define MESSAGES_VIEW_HEAD                                                     \
	"CREATE VIEW messages (id, source, order_id, event, channel,"          \
	"  recipient, locale, message_id, payload, status, attempts,"          \
	"  not_before, last_error, run, created_at, sent_at, off, domain) AS"  \
	"  SELECT m.id, coalesce(m.source, o.source),"                         \
	"  coalesce(m.order_id, o.order_id), e.name, c.name, m.recipient,"     \
	"  m.locale, m.message_id, m.payload, "                                \
	LEDGER_MSG_STATUS_TEXT("m.status") ", m.attempts, m.not_before,"

#define LEDGER_MESSAGES_VIEW_25                                                \
	MESSAGES_VIEW_HEAD                                                     \
	"  m.last_error, m.run, m.created_at, m.sent_at, m.off, m.domain"      \
	"  FROM message_log AS m JOIN event_names AS e ON e.id = m.event"      \
	"  JOIN event_names AS c ON c.id = m.channel"                          \
	"  LEFT JOIN orders AS o ON o.rowid = m.ord"

/*
 * Whether message_log's row m says its times from its run's start
 * (schema 26): created_at and sent_at are then the seconds since
 * runs.t0 of its run (m.run), and off, empty, is the run's (runs.off).
 * A row with its own off says them in seconds since the epoch, as one
 * whose created_at is empty does (a row of schema 20 whose time could
 * not be read, and off with it).
 */
#define LEDGER_MSG_RELATIVE(m)                                                 \
	"(" m ".off IS NULL AND " m ".created_at IS NOT NULL)"

#define LEDGER_MESSAGES_VIEW                                                   \
	MESSAGES_VIEW_HEAD                                                     \
	"  m.last_error, m.run,"                                               \
	"  CASE WHEN " LEDGER_MSG_RELATIVE("m") " THEN m.created_at + r.t0"    \
	"  ELSE m.created_at END,"                                             \
	"  CASE WHEN " LEDGER_MSG_RELATIVE("m") " THEN m.sent_at + r.t0"       \
	"  ELSE m.sent_at END,"                                                \
	"  CASE WHEN " LEDGER_MSG_RELATIVE("m") " THEN r.off ELSE m.off END,"  \
	"  m.domain"                                                           \
	"  FROM message_log AS m JOIN event_names AS e ON e.id = m.event"      \
	"  JOIN event_names AS c ON c.id = m.channel"                          \
	"  LEFT JOIN orders AS o ON o.rowid = m.ord"                           \
	"  LEFT JOIN runs AS r ON r.id = m.run"

#define LEDGER_NOTIFIED_VIEW                                                   \
	"CREATE VIEW notified (source, order_id, status, run, at) AS"          \
	"  SELECT o.source, o.order_id, s.name, n.run, n.at"                   \
	"  FROM notified_log AS n JOIN orders AS o ON o.rowid = n.ord"         \
	"  JOIN event_names AS s ON s.id = n.status"
/* clang-format on */

/*
 * SQL: the time column c holds seconds (an integer), not text kept as
 * it came (schema 21): in words both backends take (PostgreSQL's
 * column is an integer always, SQLite's may hold either).
 */
#define LEDGER_SECONDS(c)                                                      \
	"CAST(CAST(" c " AS INTEGER) AS TEXT) = CAST(" c " AS TEXT)"

/*
 * The view manifest_parcels (schema 26), in words both backends take:
 * the columns as they were, from manifest_parcel_log, which names its
 * manifest and its order by their rows, its service and currency by
 * their ids in event_names and its time from its run's start (runs.t0;
 * off empty: the run's).  SQL text: laid out by hand.
 */
/* clang-format off */
#define LEDGER_MANIFEST_PARCELS_VIEW                                           \
	"CREATE VIEW manifest_parcels (tracking, manifest, seq, source,"       \
	"  order_id, service, n, m, weight_g, cod, currency, handling, run,"   \
	"  dispatched_at, off) AS"                                             \
	"  SELECT p.tracking, f.id, p.seq, coalesce(p.source, o.source),"      \
	"  coalesce(p.order_id, o.order_id), s.name, p.n, p.m, p.weight_g,"    \
	"  p.cod, c.name, p.handling, p.run,"                                  \
	"  CASE WHEN r.t0 IS NOT NULL AND " LEDGER_SECONDS("p.dispatched_at")  \
	"  THEN p.dispatched_at + r.t0 ELSE p.dispatched_at END,"              \
	"  coalesce(p.off, r.off)"                                             \
	"  FROM manifest_parcel_log AS p"                                      \
	"  JOIN manifests AS f ON f.rowid = p.manifest"                        \
	"  JOIN event_names AS s ON s.id = p.service"                          \
	"  LEFT JOIN event_names AS c ON c.id = p.currency"                    \
	"  LEFT JOIN orders AS o ON o.rowid = p.ord"                           \
	"  LEFT JOIN runs AS r ON r.id = p.run"
/* clang-format on */

/* What a run found out about another run's life. */
struct life {
	int64_t run;
	int alive;
	time_t at; /* real time it was found */
};

/*
 * In the KPIs' SQL: the order whose key columns are SRC and ID is one of
 * the warehouse ledger_kpi_scope() chose (the one that claimed it),
 * parameter N binding that warehouse, NULL for every order.
 */
#define KPI_OF(src, id, n)                                                     \
	"(CAST(?" n " AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM orders wo "    \
	"WHERE wo.source = " src " AND wo.order_id = " id                      \
	" AND wo.warehouse = ?" n "))"
/*
 * The same for a query that has the order's warehouse column itself,
 * COL (orders.warehouse, or o.warehouse of a join).
 */
#define KPI_WH(col, n) "(CAST(?" n " AS TEXT) IS NULL OR " col " = ?" n ")"
/* Binds the KPIs' warehouse, for KPI_OF and KPI_WH. */
void ledger_bind_kpi_of(struct ledger *, struct db_stmt *, int n);

struct ledger {
	sqlite3 *db;
	struct db *dbh; /* db over it: the statements go through lib/db */
	char *path;
	struct db_stmt *st[ST_MAX];
	int64_t run;
	char *warehouse; /* warehouse.id of this run, or NULL */
	char *kpi_of;    /* ledger_kpi_scope(): the KPIs' warehouse, or NULL */
	int intx;
	int64_t nowt; /* when nows was made */
	int nowoff;   /* its offset from UTC, minutes */
	/*
	 * The run's start (runs.t0, runs.off) that its rows of the audit
	 * trail count from; run_t0 unset: they say their own (schema 24).
	 */
	int64_t t0;
	int t0off, run_t0;
	/*
	 * Whether message_log has rows that name their order by source and
	 * order_id (schema 25): -1, not asked in this transaction.
	 */
	int named_msgs;
	char nows[WHEN_BUFSZ];
	char host[256], boot[40];
	time_t lease_until;
	struct life *lives;
	size_t nlives, livescap;
	/* ledger_sql()'s statements, by the address of their text */
	struct cached {
		const char *sql;
		struct db_stmt *st;
	} * cache;
	size_t ncache, cachecap;
	struct zrec *z; /* orders' records and message bodies (lib/zrec) */
	/* rec()'s last blob and its text: a query asks for a row's often */
	unsigned char *memo;
	size_t memolen, memocap;
	char *memotext;
	size_t memotextlen;
	/*
	 * event_names' ids of the names this run has looked up (tools,
	 * whats, channels, SKUs: ledger_name_find()), forgotten at a
	 * rollback (an id made in it is gone with it): a hash table of
	 * namescap slots (0 or a power of two, open addressing, FNV-1a),
	 * nnames of them taken.
	 */
	struct evname {
		char *name;
		int64_t id;
		uint32_t hash;
	} * names;
	size_t nnames, namescap;
	/*
	 * Orders read or written lately (ledger_order_get(), _put()) and
	 * their rowids, which their events and picks name (ledger.c's
	 * known()); rowid 0: none, or a rollback may have taken it.
	 */
	struct ledger_known {
		char *source, *id;
		int64_t rowid;
	} * known;
	/*
	 * The manifests' parcel counts (last_seq) as this transaction has
	 * them: read at a manifest's first parcel in it, written back before
	 * its commit, forgotten when the next begins (lib/ledger_manifests).
	 */
	struct seqcount {
		char *manifest;
		int64_t last, read;
		int64_t rowid; /* its row in manifests (schema 26) */
	} * seqs;
	size_t nseqs, seqscap;
	/*
	 * Write transactions, and the microseconds spent waiting for the
	 * write lock and holding it, and of those held the nanoseconds
	 * SQLite ran statements (FULFIL_LEDGER_STATS).
	 */
	int64_t ntx, waited_us, held_us, since_us, sql_ns;
	int64_t busy_since; /* when the busy handler began to wait */
	int64_t asked;      /* when ledger_begin() asked, while it waits */
	pthread_t opener;   /* the thread that opened it: z is its */
	int stats;
	/* FULFIL_LEDGER_STATS=sql: that SQLite time, by statement */
	struct sqlstat {
		char *sql;
		int64_t ns, n;
	} * sqls;
	size_t nsqls, sqlscap;
	int stats_sql;
};

/* A failure of the database: said, with SQLite's words, and exit 2. */
void ledger_fail(struct ledger *, const char *what) __attribute__((noreturn));
/* The statement for sql (a literal: it is kept by address), ready. */
struct db_stmt *ledger_sql(struct ledger *, const char *sql);
/* Run a statement that returns no rows, then reset it. */
void ledger_done(struct ledger *, struct db_stmt *);
/* Step a query: 1 with a row, 0 at its end (then reset). */
int ledger_row(struct ledger *, struct db_stmt *);
/* Column i as text, NULL if NULL; as a copy to free. */
const char *ledger_col(struct db_stmt *, int i);
char *ledger_coldup(struct db_stmt *, int i);
/* Column i's bytes as a NUL-terminated copy to free, *lenp of them. */
char *ledger_colblob(struct db_stmt *, int i, size_t *lenp);

/*
 * Records stored packed (lib/zrec): bind text packed as column i, and
 * read column i back as text, a NUL-terminated copy to free (a row
 * written before, as text, is read as it is).  A corrupt blob is said
 * and exit 2.  SQL reads a stored record as rec(column), the JSON text.
 */
void ledger_bindrec(
    struct ledger *, struct db_stmt *, int i, const char *text, size_t len);
char *ledger_colrec(struct ledger *, struct db_stmt *, int i, size_t *lenp);
/*
 * text packed with the ledger's own codec (the thread that opened it),
 * a buffer to free; out of memory is said and exit 2.
 */
unsigned char *ledger_zpack(
    struct ledger *, const char *text, size_t len, size_t *np);
/*
 * A message body is stored packed without its message id and recipient
 * (kept in their own columns: lib/zrec's cut, ledger_message_pack()),
 * and put back together: ledger_join() takes the cut text and gives the
 * whole, freeing it.
 */
/*
 * The manifests' parcel counts this transaction changed, written back
 * (ledger_commit() calls it before COMMIT); and all forgotten.
 */
void ledger_manifests_settle(struct ledger *);
void ledger_manifests_forget(struct ledger *);
char *ledger_join(struct ledger *, char *cut, size_t *lenp,
    const char *message_id, const char *recipient);

/*
 * Now as the audit trail and prints keep it (schema 18): seconds since
 * the epoch as column i, the clock's offset from UTC in minutes as
 * column i + 1.  A view gives it back as RFC 3339 text.
 */
void ledger_bind_now(struct ledger *, struct db_stmt *, int i);
/*
 * The time of ledger_stamp() in seconds since the epoch, and its offset
 * from UTC in minutes: a time column of schema 21 and its row's off.
 */
int64_t ledger_now_t(struct ledger *);
/*
 * An order's rowid in orders, which the audit trail and the picks name
 * it by (schema 24); 0 if the ledger does not have it (ledger.c).
 */
int64_t ledger_order_rowid(struct ledger *, const char *source, const char *id);

/*
 * The id of name in event_names: made if new (ledger_name_id), or 0 if
 * it is not there (ledger_name_find) (ledger.c).
 */
int64_t ledger_name_id(struct ledger *, const char *name);
int64_t ledger_name_find(struct ledger *, const char *name);
/*
 * The same for a SKU (pick_log.sku, schema 26), made if new with an id
 * below 0, below every other: the names of tools, events and channels
 * keep the small ids that take a byte in the rows that name them, with
 * however many SKUs come first (ledger.c).
 */
int64_t ledger_sku_id(struct ledger *, const char *sku);
/*
 * The id notify(1) gives the message keyed (source, order_id, event,
 * channel) with domain (lib/message.c), allocated; NULL when the domain
 * makes none (ledger_messages.c).
 */
char *ledger_message_derive(const char *source, const char *order_id,
    const char *event, const char *channel, const char *domain);
int ledger_now_off(struct ledger *);

/*
 * For the modules that still hold SQL of their own, while it moves
 * into the ledger: the database handle, a statement to finalize, and
 * one run of a statement that returns no rows.
 */
sqlite3 *ledger_db(struct ledger *);

/*
 * The schema's one home, migrations[] (ledger.c): how many there are,
 * and a SQLite database in memory brought to version n, to read the
 * schema from; for lib/ledger_pg.
 */
int ledger_migrations(const char *const **);
/* Said, and exit 2, when version v is newer than this build knows. */
void ledger_newer(struct ledger *, int v);
sqlite3 *ledger_schema_memory(int n);
/* lib/ledger_pg: a PostgreSQL ledger's schema, runs and name. */
void ledger_pg_prepare(struct ledger *);
void ledger_pg_reap(struct ledger *);
char *ledger_pg_name(const char *uri);
struct db_stmt *ledger_prepare(struct ledger *, const char *sql);
void ledger_step(struct ledger *, struct db_stmt *);

#endif
