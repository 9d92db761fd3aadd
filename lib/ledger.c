#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "digest.h"
#include "err.h"
#include "ledger_int.h"
#include "when.h"
#include "zrec.h"

/*
 * SQL for a time of the audit trail as it was written, RFC 3339 with
 * the offset, from seconds since the epoch s and the offset o in minutes
 * (both SQL expressions).  Text in, so that the view and the migration
 * that fills event_log say it the same way.
 */
#define AT_TEXT(s, o)                                                          \
	"(strftime('%Y-%m-%dT%H:%M:%S', " s " + " o " * 60, 'unixepoch')"      \
	" || CASE WHEN " o " < 0 THEN '-' ELSE '+' END"                        \
	" || printf('%02d:%02d', abs(" o ") / 60, abs(" o ") % 60))"

/*
 * A time stamp column c of a version before 18 as seconds s and offset
 * o (AT_SPLIT, in a subquery), and then (AT_KEPT) as the two columns at
 * and off: the seconds when they give the text back, else the text.
 */
#define AT_SPLIT(c)                                                            \
	"CAST(strftime('%s', " c ") AS INTEGER) AS s, "                        \
	"CAST(round((julianday(substr(" c ", 1, 19)) - julianday(" c           \
	")) * 1440) AS INTEGER) AS o"
/* The offset in minutes of a time stamp column c (RFC 3339 text). */
#define AT_OFF(c)                                                              \
	"CAST(round((julianday(substr(" c ", 1, 19)) - julianday(" c           \
	")) * 1440) AS INTEGER)"
/* clang-format off */
#define AT_KEPT(c)                                                             \
	"CASE WHEN " AT_TEXT("s", "o") " IS " c " THEN s ELSE " c " END, "     \
	"CASE WHEN " AT_TEXT("s", "o") " IS " c " THEN o ELSE 0 END"
/* clang-format on */

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
    /*
     * 7 -> 8: exactly once across crashes and overlapping runs.  A run
     * says where it runs (host, boot, its process's start time) and
     * holds a lease, so that another run can tell whether it is alive;
     * it says when it ended.  An order's row says when it last changed.
     * A parcel says whether its label is due, where it goes, and when it
     * was printed, so that a label a dead run never wrote is printed by
     * label --pending and never dispatched unprinted.  notify notes each
     * status it announced, so that --pending finds the orders whose
     * announcement died in a pipe.
     */
    "ALTER TABLE runs ADD COLUMN host TEXT;"
    "ALTER TABLE runs ADD COLUMN boot TEXT;"
    "ALTER TABLE runs ADD COLUMN proc_start INTEGER;"
    "ALTER TABLE runs ADD COLUMN lease_until INTEGER;"
    "ALTER TABLE runs ADD COLUMN ended_at TEXT;"
    "ALTER TABLE orders ADD COLUMN changed INTEGER;"
    "ALTER TABLE parcels ADD COLUMN label_due INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE parcels ADD COLUMN label_path TEXT;"
    "ALTER TABLE parcels ADD COLUMN printed_at TEXT;"
    "CREATE INDEX parcels_unprinted ON parcels (source, order_id)"
    "  WHERE label_due AND printed_at IS NULL;"
    "CREATE TABLE notified ("
    "  source   TEXT NOT NULL,"
    "  order_id TEXT NOT NULL,"
    "  status   TEXT NOT NULL,"
    "  run      INTEGER,"
    "  at       INTEGER NOT NULL,"
    "  PRIMARY KEY (source, order_id, status)) WITHOUT ROWID;"
    "INSERT OR IGNORE INTO notified (source, order_id, status, run, at)"
    "  SELECT source, order_id, CASE event"
    "    WHEN 'order_confirmed' THEN 'accepted'"
    "    WHEN 'stock_delay' THEN 'held'"
    "    ELSE 'dispatched' END, run, 0 FROM messages"
    "  WHERE event IN ('order_confirmed', 'stock_delay', 'shipped',"
    "    'exchange_shipped');",
    /*
     * 8 -> 9: a cancelled order's stock goes back to the shelf.  Its
     * picks stay, for the record, saying when they were released:
     * pick-list counts a pick as taken from its time, and as given back
     * from its release (lib/ledger_picks).
     */
    "ALTER TABLE picks ADD COLUMN released_at INTEGER;"
    "CREATE INDEX picks_released ON picks (released_at)"
    "  WHERE released_at IS NOT NULL;",
    /*
     * 9 -> 10: followup --listen and --events keep each tracking payload
     * as it came, committed before it is acknowledged, and mark it
     * processed in the transaction that processes it (lib/ledger_inbox).
     * A spool file's key keeps a file taken twice (a crash between the
     * commit and its move to done/) from being stored twice.
     */
    "CREATE TABLE inbox ("
    "  id           INTEGER PRIMARY KEY,"
    "  provider     TEXT,"
    "  origin       TEXT NOT NULL,"
    "  key          TEXT UNIQUE,"
    "  received_at  TEXT NOT NULL,"
    "  body         BLOB NOT NULL,"
    "  processed_at TEXT,"
    "  events       INTEGER,"
    "  run          INTEGER);"
    "CREATE INDEX inbox_unprocessed ON inbox (id)"
    "  WHERE processed_at IS NULL;",
    /*
     * 10 -> 11: label --print sends each lot file to a CUPS queue once
     * (lib/ledger_print).  The row is written with the lot's prints,
     * before the job is sent, and gets CUPS's job id when it is; a row
     * without one whose run died is sent by the next run that prints.
     */
    "CREATE TABLE print_jobs ("
    "  file      TEXT NOT NULL,"
    "  queue     TEXT NOT NULL,"
    "  format    TEXT NOT NULL,"
    "  title     TEXT NOT NULL,"
    "  labels    INTEGER NOT NULL,"
    "  run       INTEGER NOT NULL,"
    "  queued_at TEXT NOT NULL,"
    "  job_id    INTEGER,"
    "  sent_at   TEXT,"
    "  PRIMARY KEY (file, queue));"
    "CREATE INDEX print_jobs_unsent ON print_jobs (run)"
    "  WHERE job_id IS NULL;",
    /*
     * 11 -> 12: carrier helpers (lib/helper).  Each request is kept,
     * under the idempotency key the helper is given, and committed
     * before the helper runs, so that a run that dies or a helper that
     * fails leaves the key for the next run to ask again; the answer is
     * kept as it came, so that a helper giving one key two numbers is
     * caught.  A parcel keeps the sort code its helper gave.
     */
    "CREATE TABLE helper_requests ("
    "  key         TEXT PRIMARY KEY,"
    "  carrier     TEXT NOT NULL,"
    "  source      TEXT NOT NULL,"
    "  order_id    TEXT NOT NULL,"
    "  n           INTEGER NOT NULL,"
    "  m           INTEGER NOT NULL,"
    "  run         INTEGER,"
    "  attempts    INTEGER NOT NULL DEFAULT 0,"
    "  requested_at TEXT NOT NULL,"
    "  answered_at TEXT,"
    "  tracking    TEXT,"
    "  sort_code   TEXT,"
    "  answer      TEXT,"
    "  error       TEXT);"
    "CREATE INDEX helper_requests_by_order ON helper_requests"
    "  (source, order_id);"
    "ALTER TABLE parcels ADD COLUMN sort_code TEXT;",
    /*
     * 12 -> 13: a number a helper gave and the ledger voided is told to
     * the helper ("void"), under its own key in helper_requests, queued
     * by the transaction that voids it, so that neither a run that dies
     * nor a cancellation in ingest-orders leaves the carrier untold.
     */
    "ALTER TABLE helper_requests ADD COLUMN op TEXT NOT NULL "
    "  DEFAULT 'allocate';"
    "CREATE INDEX helper_voids_due ON helper_requests (key)"
    "  WHERE op = 'void' AND answered_at IS NULL;",
    /*
     * 13 -> 14: carriers' COD remittance statements
     * (lib/ledger_cod).  Each line is kept once per statement and
     * tracking number, with what followup --remittance made of it, so
     * that a statement read twice makes nothing twice.
     */
    "CREATE TABLE remittances ("
    "  statement  TEXT NOT NULL,"
    "  tracking   TEXT NOT NULL,"
    "  carrier    TEXT,"
    "  amount     INTEGER NOT NULL,"
    "  currency   TEXT NOT NULL,"
    "  at         TEXT NOT NULL,"
    "  outcome    TEXT NOT NULL,"
    "  expected   INTEGER,"
    "  source     TEXT,"
    "  order_id   TEXT,"
    "  created_at TEXT NOT NULL,"
    "  run        INTEGER,"
    "  PRIMARY KEY (statement, tracking));"
    "CREATE INDEX remittances_by_tracking ON remittances (tracking);",
    /*
     * 14 -> 15: label --pack (lib/pack).  Every scan at a pack station,
     * good or refused, in the order it came: what is in an order's box
     * is the sum of its accepted items since it was last abandoned, so
     * that a packer who stops can go on where the box is.
     */
    "CREATE TABLE pack_scans ("
    "  id        INTEGER PRIMARY KEY,"
    "  run       INTEGER,"
    "  station   TEXT,"
    "  source    TEXT,"
    "  order_id  TEXT,"
    "  code      TEXT NOT NULL,"
    "  sku       TEXT,"
    "  verdict   TEXT NOT NULL,"
    "  at        TEXT NOT NULL);"
    "CREATE INDEX pack_scans_by_order ON pack_scans (source, order_id);",
    /*
     * 15 -> 16: the returns back office
     * (lib/ledger_returns).  An RMA keeps its reason's code beside the
     * customer's words; its inspection is a row per SKU and outcome;
     * what goes back on the shelf is a stock adjustment, counted by
     * pick-list from its time as picks are; a refund is one per RMA.
     */
    "ALTER TABLE rmas ADD COLUMN reason_code TEXT;"
    "CREATE TABLE return_lines ("
    "  rma          TEXT NOT NULL,"
    "  sku          TEXT NOT NULL,"
    "  outcome      TEXT NOT NULL,"
    "  qty          INTEGER NOT NULL,"
    "  unit_price   INTEGER NOT NULL,"
    "  inspected_at TEXT NOT NULL,"
    "  run          INTEGER,"
    "  PRIMARY KEY (rma, sku, outcome));"
    "CREATE TABLE stock_adjustments ("
    "  sku      TEXT NOT NULL,"
    "  qty      INTEGER NOT NULL,"
    "  why      TEXT NOT NULL,"
    "  ref      TEXT NOT NULL,"
    "  at       INTEGER NOT NULL,"
    "  run      INTEGER,"
    "  PRIMARY KEY (why, ref, sku));"
    "CREATE INDEX stock_adjustments_at ON stock_adjustments (at);"
    "CREATE TABLE refunds ("
    "  rma        TEXT PRIMARY KEY,"
    "  source     TEXT NOT NULL,"
    "  order_id   TEXT NOT NULL,"
    "  amount     INTEGER NOT NULL,"
    "  currency   TEXT,"
    "  method     TEXT NOT NULL,"
    "  record     TEXT NOT NULL,"
    "  created_at TEXT NOT NULL,"
    "  run        INTEGER);",
    /*
     * 16 -> 17: retention (lib/archive, lib/ledger_archive).  A batch
     * of finished orders is claimed under an archive row, with the
     * archive file's size before it, and done when the file is synced
     * and the orders' records are stubs: a batch not done is cut from
     * the file and written again.  (Records and message bodies are
     * stored packed from this version on, lib/zrec; the column types do
     * not change, and rows from before stay as they are.)
     */
    "CREATE TABLE archives ("
    "  id         INTEGER PRIMARY KEY,"
    "  file       TEXT NOT NULL,"
    "  size       INTEGER NOT NULL,"
    "  orders     INTEGER NOT NULL DEFAULT 0,"
    "  run        INTEGER,"
    "  started_at TEXT NOT NULL,"
    "  done_at    TEXT);"
    "ALTER TABLE orders ADD COLUMN archive INTEGER;"
    "CREATE INDEX orders_by_archive ON orders (archive)"
    "  WHERE archive IS NOT NULL;",
    /* SQL text with the time macros in it: laid out by hand. */
    /* clang-format off */
    /*
     * 17 -> 18: a smaller ledger (issue 19), every fact kept.
     *
     * picks and parcels are looked up by their key: stored WITHOUT
     * ROWID, the key is kept once, not in the table and again in its
     * index.  (manifest_parcels keeps its rowid: a manifest lists its
     * parcels in the order they came.)
     *
     * The audit trail was four rows an order of 25-character times and
     * repeated names; prints a row a label with such a time.  The
     * trail is now event_log: at in seconds since the epoch with off,
     * the clock's offset from UTC in minutes, so that the time as
     * written can be given back; tool and what as ids in event_names.
     * A time that does not come back the same from its seconds stays
     * text in at.  The view events gives the columns as they were, for
     * operators and sqlite3; prints is print_log, its at and off the
     * same way, behind the view prints.  The index by order goes: no
     * query of the tools reads the trail.
     *
     * notify looks for messages pending, to retry or being sent: the
     * index by status keeps only those, not the sent millions.
     * (Message bodies are stored without their message id and
     * recipient from this version on, lib/zrec's cut; rows from before
     * stay as they are.)
     */
    "ALTER TABLE picks RENAME TO picks_17;"
    "CREATE TABLE picks ("
    "  source      TEXT NOT NULL,"
    "  order_id    TEXT NOT NULL,"
    "  sku         TEXT NOT NULL,"
    "  qty         INTEGER NOT NULL,"
    "  batch       INTEGER NOT NULL,"
    "  at          INTEGER NOT NULL,"
    "  released_at INTEGER,"
    "  PRIMARY KEY (source, order_id, sku)) WITHOUT ROWID;"
    "INSERT INTO picks SELECT source, order_id, sku, qty, batch, at,"
    "  released_at FROM picks_17;"
    "DROP TABLE picks_17;"
    "CREATE INDEX picks_by_time ON picks (at);"
    "CREATE INDEX picks_released ON picks (released_at)"
    "  WHERE released_at IS NOT NULL;"
    "ALTER TABLE parcels RENAME TO parcels_17;"
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
    "  voided_at  TEXT,"
    "  label_due  INTEGER NOT NULL DEFAULT 0,"
    "  label_path TEXT,"
    "  printed_at TEXT,"
    "  sort_code  TEXT) WITHOUT ROWID;"
    "INSERT INTO parcels SELECT tracking, carrier, service, source,"
    "  order_id, n, m, weight_g, serial, run, created_at, voided_at,"
    "  label_due, label_path, printed_at, sort_code FROM parcels_17;"
    "DROP TABLE parcels_17;"
    "CREATE INDEX parcels_by_order ON parcels (source, order_id);"
    "CREATE INDEX parcels_unprinted ON parcels (source, order_id)"
    "  WHERE label_due AND printed_at IS NULL;"
    "CREATE TABLE event_names ("
    "  id   INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE);"
    "CREATE TABLE event_log ("
    "  id       INTEGER PRIMARY KEY,"
    "  at       INTEGER NOT NULL,"
    "  off      INTEGER NOT NULL,"
    "  tool     INTEGER NOT NULL,"
    "  run      INTEGER,"
    "  source   TEXT,"
    "  order_id TEXT,"
    "  what     INTEGER NOT NULL,"
    "  detail   TEXT);"
    "INSERT OR IGNORE INTO event_names (name)"
    "  SELECT tool FROM events UNION SELECT what FROM events;"
    /* The seconds and offset of each time, kept if they give it back. */
    "INSERT INTO event_log (id, at, off, tool, run, source, order_id, what,"
    "  detail)"
    "  SELECT id, " AT_KEPT("e.at") ", t, run, source, order_id, w, detail"
    "  FROM (SELECT e.*, " AT_SPLIT("e.at") ","
    "    (SELECT id FROM event_names WHERE name = e.tool) AS t,"
    "    (SELECT id FROM event_names WHERE name = e.what) AS w"
    "    FROM events AS e) AS e;"
    "DROP TABLE events;"
    "CREATE VIEW events (id, at, tool, run, source, order_id, what,"
    "  detail) AS"
    "  SELECT e.id, CASE typeof(e.at) WHEN 'integer' THEN "
    AT_TEXT("e.at", "e.off") " ELSE e.at END, t.name, e.run,"
    "  e.source, e.order_id, w.name, e.detail"
    "  FROM event_log AS e JOIN event_names AS t ON t.id = e.tool"
    "  JOIN event_names AS w ON w.id = e.what;"
    "CREATE TABLE print_log ("
    "  id       INTEGER PRIMARY KEY,"
    "  tracking TEXT NOT NULL,"
    "  run      INTEGER,"
    "  at       INTEGER NOT NULL,"
    "  off      INTEGER NOT NULL,"
    "  reprint  INTEGER NOT NULL,"
    "  formats  TEXT NOT NULL);"
    "INSERT INTO print_log (id, tracking, run, at, off, reprint, formats)"
    "  SELECT id, tracking, run, " AT_KEPT("p.at") ", reprint, formats"
    "  FROM (SELECT p.*, " AT_SPLIT("p.at") " FROM prints AS p) AS p;"
    "DROP TABLE prints;"
    "CREATE VIEW prints (id, tracking, run, at, reprint, formats) AS"
    "  SELECT id, tracking, run, CASE typeof(at) WHEN 'integer' THEN "
    AT_TEXT("at", "off") " ELSE at END, reprint, formats FROM print_log;"
    "DROP INDEX messages_by_status;"
    "CREATE INDEX messages_by_status ON messages (status, not_before)"
    "  WHERE status = 'pending' OR status = 'retry' OR status = 'sending';",
    /* clang-format on */
    /*
     * 18 -> 19: labels due but not printed said as a comparison,
     * label_due <> 0, which PostgreSQL takes too (an integer is no
     * boolean there); the queries say the same, so that SQLite still
     * sees the index fits them.
     */
    "DROP INDEX parcels_unprinted;"
    "CREATE INDEX parcels_unprinted ON parcels (source, order_id)"
    "  WHERE label_due <> 0 AND printed_at IS NULL;",
    /*
     * 19 -> 20: several warehouses on one ledger.  A run says which
     * warehouse (warehouse.id) it works for, and every row a run writes
     * names its run: so the run is where a row's warehouse is kept,
     * once, not in every row.  An order is claimed by the first
     * warehouse to take it, for good: orders.warehouse.  NULL is an
     * order of the ledger before, which any warehouse may take.
     */
    "ALTER TABLE runs ADD COLUMN warehouse TEXT;"
    "ALTER TABLE orders ADD COLUMN warehouse TEXT;",
    /* SQL text with the time macros in it: laid out by hand. */
    /* clang-format off */
    /*
     * 20 -> 21: a smaller ledger again (issue 19).  An order's row said
     * when it last changed twice, as text (updated_at) and in seconds
     * (changed): changed stays, filled from the text where a ledger
     * from before 8 left it empty; the time as the clock wrote it, with
     * its offset, is the audit trail's (event_log).  A parcel's label
     * file is the same for every parcel of a lot: its path is kept once
     * in label_files, the parcel has its id (label_file).
     */
    "CREATE TABLE label_files ("
    "  id   INTEGER PRIMARY KEY,"
    "  path TEXT NOT NULL UNIQUE);"
    "UPDATE orders SET changed = CAST(strftime('%s', updated_at) AS"
    "  INTEGER) WHERE changed IS NULL;"
    "ALTER TABLE orders DROP COLUMN updated_at;"
    "INSERT INTO label_files (path) SELECT DISTINCT label_path FROM parcels"
    "  WHERE label_path IS NOT NULL;"
    "ALTER TABLE parcels ADD COLUMN label_file INTEGER;"
    "UPDATE parcels SET label_file = (SELECT id FROM label_files"
    "  WHERE path = parcels.label_path) WHERE label_path IS NOT NULL;"
    "ALTER TABLE parcels DROP COLUMN label_path;"
    /*
     * A message's and a parcel's times (created_at and sent_at,
     * created_at and printed_at) in seconds since the epoch, with off,
     * the offset from UTC in minutes of the clock that made the row, as
     * the event_log keeps its times: the SQL function fulfil_at(s, off)
     * writes one as RFC 3339 again.  A parcel on a manifest the same
     * (dispatched_at, the order's, in its offset).
     */
    "ALTER TABLE messages ADD COLUMN created INTEGER;"
    "ALTER TABLE messages ADD COLUMN sent INTEGER;"
    "ALTER TABLE messages ADD COLUMN off INTEGER;"
    "UPDATE messages SET"
    "  created = CAST(strftime('%s', created_at) AS INTEGER),"
    "  sent = CAST(strftime('%s', sent_at) AS INTEGER),"
    "  off = " AT_OFF("created_at") ";"
    "ALTER TABLE messages DROP COLUMN created_at;"
    "ALTER TABLE messages DROP COLUMN sent_at;"
    "ALTER TABLE messages RENAME COLUMN created TO created_at;"
    "ALTER TABLE messages RENAME COLUMN sent TO sent_at;"
    "ALTER TABLE parcels ADD COLUMN created INTEGER;"
    "ALTER TABLE parcels ADD COLUMN printed INTEGER;"
    "ALTER TABLE parcels ADD COLUMN off INTEGER;"
    "UPDATE parcels SET"
    "  created = CAST(strftime('%s', created_at) AS INTEGER),"
    "  printed = CAST(strftime('%s', printed_at) AS INTEGER),"
    "  off = " AT_OFF("created_at") ";"
    "DROP INDEX parcels_unprinted;"
    "ALTER TABLE parcels DROP COLUMN created_at;"
    "ALTER TABLE parcels DROP COLUMN printed_at;"
    "ALTER TABLE parcels RENAME COLUMN created TO created_at;"
    "ALTER TABLE parcels RENAME COLUMN printed TO printed_at;"
    "CREATE INDEX parcels_unprinted ON parcels (source, order_id)"
    "  WHERE label_due <> 0 AND printed_at IS NULL;"
    "ALTER TABLE manifest_parcels ADD COLUMN dispatched INTEGER;"
    "ALTER TABLE manifest_parcels ADD COLUMN off INTEGER;"
    "UPDATE manifest_parcels SET"
    "  dispatched = CAST(strftime('%s', dispatched_at) AS INTEGER),"
    "  off = " AT_OFF("dispatched_at") ";"
    "ALTER TABLE manifest_parcels DROP COLUMN dispatched_at;"
    "ALTER TABLE manifest_parcels RENAME COLUMN dispatched TO"
    "  dispatched_at;",
    /* clang-format on */
    /*
     * 21 -> 22: a smaller ledger again (issue 19): two indexes that
     * cost more than the reads they serve.
     *
     * picks by time: read once when pick-list starts (the stock taken
     * since the catalog was written) and by --slotting, both over a
     * day or more of picks, so a scan of the table; the index cost
     * nearly as much as the table.
     *
     * A parcel on a manifest is looked up by its tracking number: the
     * table is stored WITHOUT ROWID, keyed by it, and its place on the
     * manifest, which the rowid gave, is seq, counted by its manifest's
     * last_seq.  The index by manifest goes: a manifest's parcels are
     * read once, when it closes, by a scan.
     */
    "DROP INDEX picks_by_time;"
    "ALTER TABLE manifests ADD COLUMN last_seq INTEGER NOT NULL DEFAULT 0;"
    "UPDATE manifests SET last_seq = (SELECT count(*) FROM manifest_parcels"
    "  WHERE manifest = manifests.id);"
    "DROP INDEX manifest_parcels_by_manifest;"
    "ALTER TABLE manifest_parcels RENAME TO manifest_parcels_21;"
    "CREATE TABLE manifest_parcels ("
    "  tracking      TEXT PRIMARY KEY,"
    "  manifest      TEXT NOT NULL REFERENCES manifests (id),"
    "  seq           INTEGER NOT NULL,"
    "  source        TEXT NOT NULL,"
    "  order_id      TEXT NOT NULL,"
    "  service       TEXT NOT NULL,"
    "  n             INTEGER NOT NULL,"
    "  m             INTEGER NOT NULL,"
    "  weight_g      INTEGER NOT NULL,"
    "  cod           INTEGER NOT NULL,"
    "  currency      TEXT,"
    "  handling      INTEGER NOT NULL,"
    "  run           INTEGER,"
    "  dispatched_at INTEGER,"
    "  off           INTEGER) WITHOUT ROWID;"
    "INSERT INTO manifest_parcels (tracking, manifest, seq, source,"
    "  order_id, service, n, m, weight_g, cod, currency, handling, run,"
    "  dispatched_at, off)"
    "  SELECT tracking, manifest, row_number() OVER (PARTITION BY manifest"
    "  ORDER BY rowid), source, order_id, service, n, m, weight_g, cod,"
    "  currency, handling, run, dispatched_at, off"
    "  FROM manifest_parcels_21;"
    "DROP TABLE manifest_parcels_21;",
    /*
     * 22 -> 23: a smaller ledger again (issue 19).  A message's id is
     * the one notify(1) derives from its key (lib/message.c: the hex of
     * SHA-256 of source/order_id/event/channel, cut to 16 bytes, "@",
     * the domain): a row whose id is that keeps message_id empty and
     * its domain's id in event_names (domain), 45 bytes a message less.
     * Any other id (another key, a row from before) stays as it was.
     * The view message_ids gives every message's id in full, through
     * the SQL function fulfil_message_id() (the tools', lib/sqlite's
     * fulfilrec, PostgreSQL's in lib/ledger_pg).
     */
    "ALTER TABLE messages ADD COLUMN domain INTEGER;"
    "CREATE VIEW message_ids (id, message_id) AS"
    "  SELECT id, " LEDGER_MESSAGE_ID " FROM messages;",
    /* SQL text with the time macros in it: laid out by hand. */
    /* clang-format off */
    /*
     * 23 -> 24: a smaller ledger again (issue 19).  The audit trail
     * and the picks name an order by its row in orders (ord) instead of
     * by its source and order_id again, six times an order; the trail
     * says a time, its offset and its tool once a run.  A row whose
     * order is not in the ledger (a record set aside before it got
     * there) still names it by source and order_id; rows from before
     * keep theirs.  The views events and picks give the names as
     * before.
     *
     * An order's rowid must then stay its own: SQLite may renumber a
     * rowid that is not declared (VACUUM), so orders is made again with
     * it declared, under the same name, rowid, which stays the column
     * that queries (and PostgreSQL's table, lib/ledger_pg) name.  Only
     * SQLite's orders is made again (LEDGER_LITE): PostgreSQL's rowid
     * is an identity column of its own already.
     */
    "DROP VIEW events;"
    LEDGER_LITE "ALTER TABLE orders RENAME TO orders_23;"
    LEDGER_LITE "CREATE TABLE orders ("
    "  source     TEXT NOT NULL,"
    "  order_id   TEXT NOT NULL,"
    "  status     TEXT NOT NULL,"
    "  revision   INTEGER NOT NULL DEFAULT 1,"
    "  hash       TEXT,"
    "  accepted   INTEGER NOT NULL DEFAULT 0,"
    "  run        INTEGER,"
    "  record     TEXT NOT NULL,"
    "  changed    INTEGER,"
    "  archive    INTEGER,"
    "  warehouse  TEXT,"
    "  rowid      INTEGER PRIMARY KEY,"
    "  UNIQUE (source, order_id));"
    LEDGER_LITE "INSERT INTO orders (source, order_id, status, revision,"
    "  hash, accepted, run, record, changed, archive, warehouse, rowid)"
    "  SELECT source, order_id, status, revision, hash, accepted, run,"
    "  record, changed, archive, warehouse, rowid FROM orders_23;"
    LEDGER_LITE "DROP TABLE orders_23;"
    LEDGER_LITE "CREATE INDEX orders_by_status ON orders (status);"
    LEDGER_LITE "CREATE INDEX orders_by_archive ON orders (archive)"
    "  WHERE archive IS NOT NULL;"
    /*
     * A row of the trail names its order by its row (ord), and a row
     * written by a run says its time from the run's start: at is the
     * seconds since runs.t0, off is empty when it is the run's
     * (runs.off), and tool is empty, the run's (tool IS NULL marks such
     * a row).  Rows from before stay as they were.  off and tool may be
     * empty, so SQLite's table is made again (PostgreSQL's is altered:
     * lib/ledger_pg's pg_steps[]).
     */
    "ALTER TABLE runs ADD COLUMN t0 INTEGER;"
    "ALTER TABLE runs ADD COLUMN off INTEGER;"
    LEDGER_LITE "CREATE TABLE event_log_24 ("
    "  id       INTEGER PRIMARY KEY,"
    "  at       INTEGER NOT NULL,"
    "  off      INTEGER,"
    "  tool     INTEGER,"
    "  run      INTEGER,"
    "  source   TEXT,"
    "  order_id TEXT,"
    "  what     INTEGER NOT NULL,"
    "  detail   TEXT,"
    "  ord      INTEGER);"
    LEDGER_LITE "INSERT INTO event_log_24 (id, at, off, tool, run, source,"
    "  order_id, what, detail) SELECT id, at, off, tool, run, source,"
    "  order_id, what, detail FROM event_log;"
    LEDGER_LITE "DROP TABLE event_log;"
    LEDGER_LITE "ALTER TABLE event_log_24 RENAME TO event_log;"
    /*
     * The stock an order took: pick_log, keyed by its order's row and
     * the SKU; the view picks gives the columns as they were.  Every
     * pick's order is in orders (pick-list writes the order with its
     * picks); one that is not stops the migration (ord NOT NULL),
     * nothing dropped.
     */
    "CREATE TABLE pick_log ("
    "  ord         INTEGER NOT NULL,"
    "  sku         TEXT NOT NULL,"
    "  qty         INTEGER NOT NULL,"
    "  batch       INTEGER NOT NULL,"
    "  at          INTEGER NOT NULL,"
    "  released_at INTEGER,"
    "  PRIMARY KEY (ord, sku)) WITHOUT ROWID;"
    "INSERT INTO pick_log (ord, sku, qty, batch, at, released_at)"
    "  SELECT (SELECT o.rowid FROM orders AS o WHERE o.source = p.source"
    "  AND o.order_id = p.order_id), sku, qty, batch, at, released_at"
    "  FROM picks AS p;"
    "DROP TABLE picks;"
    "CREATE INDEX pick_log_released ON pick_log (released_at)"
    "  WHERE released_at IS NOT NULL;"
    LEDGER_PICKS_VIEW_24 ";"
    LEDGER_LITE "CREATE VIEW events (id, at, tool, run, source, order_id,"
    "  what, detail) AS"
    "  SELECT e.id, CASE WHEN e.tool IS NULL THEN "
    AT_TEXT("(e.at + r.t0)", "coalesce(e.off, r.off)")
    "  WHEN typeof(e.at) = 'integer' THEN " AT_TEXT("e.at", "e.off")
    "  ELSE e.at END, coalesce(t.name, r.tool), e.run,"
    "  coalesce(e.source, o.source), coalesce(e.order_id, o.order_id),"
    "  w.name, e.detail"
    "  FROM event_log AS e JOIN event_names AS w ON w.id = e.what"
    "  LEFT JOIN event_names AS t ON t.id = e.tool"
    "  LEFT JOIN runs AS r ON r.id = e.run"
    "  LEFT JOIN orders AS o ON o.rowid = e.ord;",
    /*
     * 24 -> 25: a smaller ledger again (issue 19).  A message names its
     * order by its row (ord), and its event, channel and status by
     * number: the event and the channel by their ids in event_names,
     * the status by enum ledger_msg_status's number (0 pending, 1
     * sending, 2 sent, 3 retry, 4 failed, 5 skipped).  A message whose
     * order is not in the ledger keeps source and order_id, unique
     * among such rows; ledger_message_find() looks both ways.  notified
     * names its order and status so too, for orders in the ledger only
     * (notify --pending looks at no other).  The views messages and
     * notified give the columns as they were; message ids keep their
     * numbers.
     */
    "DROP VIEW message_ids;"
    "CREATE TABLE message_log ("
    "  id          INTEGER PRIMARY KEY,"
    "  ord         INTEGER,"
    "  source      TEXT,"
    "  order_id    TEXT,"
    "  event       INTEGER NOT NULL,"
    "  channel     INTEGER NOT NULL,"
    "  recipient   TEXT NOT NULL,"
    "  locale      TEXT,"
    "  message_id  TEXT NOT NULL,"
    "  payload     BLOB NOT NULL,"
    "  status      INTEGER NOT NULL,"
    "  attempts    INTEGER NOT NULL DEFAULT 0,"
    "  not_before  INTEGER NOT NULL,"
    "  last_error  TEXT,"
    "  run         INTEGER,"
    "  created_at  INTEGER,"
    "  sent_at     INTEGER,"
    "  off         INTEGER,"
    "  domain      INTEGER,"
    "  UNIQUE (ord, event, channel));"
    "INSERT OR IGNORE INTO event_names (name)"
    "  SELECT event FROM messages UNION SELECT channel FROM messages;"
    "INSERT INTO message_log (id, ord, source, order_id, event, channel,"
    "  recipient, locale, message_id, payload, status, attempts,"
    "  not_before, last_error, run, created_at, sent_at, off, domain)"
    "  SELECT m.id, o.rowid, CASE WHEN o.rowid IS NULL THEN m.source END,"
    "  CASE WHEN o.rowid IS NULL THEN m.order_id END,"
    "  (SELECT n.id FROM event_names AS n WHERE n.name = m.event),"
    "  (SELECT n.id FROM event_names AS n WHERE n.name = m.channel),"
    "  m.recipient, m.locale, m.message_id, m.payload, CASE m.status"
    "  WHEN 'pending' THEN 0 WHEN 'sending' THEN 1 WHEN 'sent' THEN 2"
    "  WHEN 'retry' THEN 3 WHEN 'failed' THEN 4 WHEN 'skipped' THEN 5 END,"
    "  m.attempts, m.not_before, m.last_error, m.run, m.created_at,"
    "  m.sent_at, m.off, m.domain"
    "  FROM messages AS m LEFT JOIN orders AS o"
    "  ON o.source = m.source AND o.order_id = m.order_id;"
    "DROP TABLE messages;"
    "CREATE UNIQUE INDEX message_log_by_name ON message_log"
    "  (source, order_id, event, channel) WHERE ord IS NULL;"
    "CREATE INDEX message_log_due ON message_log (status, not_before)"
    "  WHERE status = 0 OR status = 3 OR status = 1;"
    "CREATE TABLE notified_log ("
    "  ord    INTEGER NOT NULL,"
    "  status INTEGER NOT NULL,"
    "  run    INTEGER,"
    "  at     INTEGER NOT NULL,"
    "  PRIMARY KEY (ord, status)) WITHOUT ROWID;"
    "INSERT OR IGNORE INTO event_names (name)"
    "  SELECT DISTINCT status FROM notified;"
    "INSERT INTO notified_log (ord, status, run, at)"
    "  SELECT o.rowid, (SELECT s.id FROM event_names AS s"
    "  WHERE s.name = n.status), n.run, n.at"
    "  FROM notified AS n JOIN orders AS o"
    "  ON o.source = n.source AND o.order_id = n.order_id;"
    "DROP TABLE notified;"
    LEDGER_MESSAGES_VIEW_25 ";"
    LEDGER_NOTIFIED_VIEW ";"
    "CREATE VIEW message_ids (id, message_id) AS"
    "  SELECT id, " LEDGER_MESSAGE_ID " FROM messages;",
    /*
     * 25 -> 26: a smaller ledger again (issue 19), in four parts, each
     * its own statements below: orders' content hash, the picks' SKUs,
     * the messages' times, the manifests' parcels.
     */
    /*
     * 26, orders' content hash: 64 bits (digest_json64(): the first 16
     * of the 32 digits kept before), 8 bytes an order less.  Every
     * hash of the x3 kind is cut to them, so that an order sent again
     * the same is still known as the same.
     */
    LEDGER_LITE "UPDATE orders SET hash = substr(hash, 1, 8)"
    "  WHERE typeof(hash) = 'blob' AND length(hash) = 16;"
    "UPDATE orders SET hash = substr(hash, 1, 19)"
    "  WHERE hash LIKE 'x3:%' AND length(hash) = 35;"
    /* 26, the picks' SKUs. */
    /*
     * A pick names its SKU by its id in event_names (a number of a byte
     * or two, not the SKU's 9 to 20 bytes of text), the view picks
     * giving it as text.  A SKU's id is below 0 (ledger_sku_id()), so
     * that the names made after many SKUs keep ids of a byte.
     * pick_log is made again, every row kept.
     */
    "DROP VIEW picks;"
    "INSERT INTO event_names (id, name)"
    "  SELECT -row_number() OVER (ORDER BY s.sku), s.sku"
    "  FROM (SELECT DISTINCT p.sku FROM pick_log AS p WHERE NOT EXISTS"
    "  (SELECT 1 FROM event_names AS n WHERE n.name = p.sku)) AS s;"
    "CREATE TABLE pick_log_26 ("
    "  ord         INTEGER NOT NULL,"
    "  sku         INTEGER NOT NULL,"
    "  qty         INTEGER NOT NULL,"
    "  batch       INTEGER NOT NULL,"
    "  at          INTEGER NOT NULL,"
    "  released_at INTEGER,"
    "  PRIMARY KEY (ord, sku)) WITHOUT ROWID;"
    "INSERT INTO pick_log_26 (ord, sku, qty, batch, at, released_at)"
    "  SELECT p.ord, n.id, p.qty, p.batch, p.at, p.released_at"
    "  FROM pick_log AS p JOIN event_names AS n ON n.name = p.sku;"
    "DROP TABLE pick_log;"
    "ALTER TABLE pick_log_26 RENAME TO pick_log;"
    "CREATE INDEX pick_log_released ON pick_log (released_at)"
    "  WHERE released_at IS NOT NULL;"
    LEDGER_PICKS_VIEW ";"
    /* 26, the messages' times. */
    /*
     * A message's created_at and sent_at count from its run's start,
     * as the audit trail's times do (24): the seconds since runs.t0 of
     * its run, off empty when it is the run's (runs.off); the marker is
     * LEDGER_MSG_RELATIVE (ledger_int.h), an empty off with a
     * created_at.  A row whose run has no t0 (none, a run from before
     * 24, a clock whose time could not be given back) or whose offset
     * is not its run's keeps its times as they were.  Every row stays,
     * under its id; the view messages gives each time as before.
     */
    "DROP VIEW message_ids;"
    "DROP VIEW messages;"
    "UPDATE message_log SET"
    "  created_at = created_at - (SELECT r.t0 FROM runs AS r"
    "  WHERE r.id = message_log.run),"
    "  sent_at = sent_at - (SELECT r.t0 FROM runs AS r"
    "  WHERE r.id = message_log.run), off = NULL"
    "  WHERE created_at IS NOT NULL AND EXISTS (SELECT 1 FROM runs AS r"
    "  WHERE r.id = message_log.run AND r.t0 IS NOT NULL"
    "  AND r.off = message_log.off);"
    LEDGER_MESSAGES_VIEW ";"
    "CREATE VIEW message_ids (id, message_id) AS"
    "  SELECT id, " LEDGER_MESSAGE_ID " FROM messages;"
    /* 26, the manifests' parcels. */
    /*
     * A parcel on a manifest (manifest_parcel_log) names its manifest
     * by its row in manifests and its order by its row in orders (ord):
     * a parcel whose order the ledger does not have (dispatch given an
     * order it never saw) keeps source and order_id, as a message does.
     * Its service and currency are ids in event_names; its time is the
     * seconds since its run's start (runs.t0) when the run has one, its
     * offset empty when it is the run's, as the audit trail's.  The
     * view manifest_parcels gives the columns as they were.  A
     * manifest's rowid must then stay its own (VACUUM), so SQLite's
     * manifests is made again with it declared; PostgreSQL's has its
     * own column already (lib/ledger_pg).
     */
    "CREATE TABLE manifest_parcel_log ("
    "  tracking      TEXT PRIMARY KEY,"
    "  manifest      INTEGER NOT NULL,"
    "  seq           INTEGER NOT NULL,"
    "  ord           INTEGER,"
    "  service       INTEGER NOT NULL,"
    "  n             INTEGER NOT NULL,"
    "  m             INTEGER NOT NULL,"
    "  weight_g      INTEGER NOT NULL,"
    "  cod           INTEGER NOT NULL,"
    "  currency      INTEGER,"
    "  handling      INTEGER NOT NULL,"
    "  run           INTEGER,"
    "  dispatched_at INTEGER,"
    "  off           INTEGER,"
    "  source        TEXT,"
    "  order_id      TEXT) WITHOUT ROWID;"
    "INSERT OR IGNORE INTO event_names (name)"
    "  SELECT service FROM manifest_parcels UNION SELECT currency"
    "  FROM manifest_parcels WHERE currency IS NOT NULL;"
    "INSERT INTO manifest_parcel_log (tracking, manifest, seq, ord,"
    "  service, n, m, weight_g, cod, currency, handling, run,"
    "  dispatched_at, off, source, order_id)"
    "  SELECT p.tracking, f.rowid, p.seq, o.rowid,"
    "  (SELECT s.id FROM event_names AS s WHERE s.name = p.service),"
    "  p.n, p.m, p.weight_g, p.cod,"
    "  (SELECT c.id FROM event_names AS c WHERE c.name = p.currency),"
    "  p.handling, p.run, CASE WHEN r.t0 IS NOT NULL AND "
    LEDGER_SECONDS("p.dispatched_at") " THEN p.dispatched_at - r.t0"
    "  ELSE p.dispatched_at END, CASE WHEN r.t0 IS NOT NULL AND "
    LEDGER_SECONDS("p.dispatched_at") " AND p.off = r.off THEN NULL"
    "  ELSE p.off END,"
    "  CASE WHEN o.rowid IS NULL THEN p.source END,"
    "  CASE WHEN o.rowid IS NULL THEN p.order_id END"
    "  FROM manifest_parcels AS p JOIN manifests AS f ON f.id = p.manifest"
    "  LEFT JOIN orders AS o"
    "  ON o.source = p.source AND o.order_id = p.order_id"
    "  LEFT JOIN runs AS r ON r.id = p.run;"
    "DROP TABLE manifest_parcels;"
    LEDGER_LITE "ALTER TABLE manifests RENAME TO manifests_25;"
    LEDGER_LITE "CREATE TABLE manifests ("
    "  id         TEXT NOT NULL UNIQUE,"
    "  carrier    TEXT NOT NULL,"
    "  ship_date  TEXT NOT NULL,"
    "  status     TEXT NOT NULL,"
    "  opened_at  TEXT NOT NULL,"
    "  closed_at  TEXT,"
    "  last_seq   INTEGER NOT NULL DEFAULT 0,"
    "  rowid      INTEGER PRIMARY KEY,"
    "  UNIQUE (carrier, ship_date));"
    LEDGER_LITE "INSERT INTO manifests (id, carrier, ship_date, status,"
    "  opened_at, closed_at, last_seq, rowid) SELECT id, carrier,"
    "  ship_date, status, opened_at, closed_at, last_seq, rowid"
    "  FROM manifests_25;"
    LEDGER_LITE "DROP TABLE manifests_25;"
    LEDGER_MANIFEST_PARCELS_VIEW ";"
    /*
     * 26, the audit trail: event_log keeps a row's id, time, run, what,
     * detail and order's row; what few rows say beyond them (a time in
     * an offset not the run's, a tool when no run, an order the ledger
     * does not have, by its name) is event_extra's, under the row's id.
     * Four columns fewer in every row of the pipe's: four bytes each.
     * The view events gives the columns as they were.
     */
    "CREATE TABLE event_extra ("
    "  id       INTEGER PRIMARY KEY,"
    "  off      INTEGER,"
    "  tool     INTEGER,"
    "  source   TEXT,"
    "  order_id TEXT);"
    "INSERT INTO event_extra (id, off, tool, source, order_id)"
    "  SELECT id, off, tool, source, order_id FROM event_log"
    "  WHERE off IS NOT NULL OR tool IS NOT NULL OR source IS NOT NULL"
    "  OR order_id IS NOT NULL;"
    "DROP VIEW events;"
    "CREATE TABLE event_log_26 ("
    "  id     INTEGER PRIMARY KEY,"
    "  at     INTEGER NOT NULL,"
    "  run    INTEGER,"
    "  what   INTEGER NOT NULL,"
    "  detail TEXT,"
    "  ord    INTEGER);"
    "INSERT INTO event_log_26 (id, at, run, what, detail, ord)"
    "  SELECT id, at, run, what, detail, ord FROM event_log;"
    "DROP TABLE event_log;"
    "ALTER TABLE event_log_26 RENAME TO event_log;"
    LEDGER_LITE "CREATE VIEW events (id, at, tool, run, source, order_id,"
    "  what, detail) AS"
    "  SELECT e.id, CASE WHEN x.tool IS NULL THEN "
    AT_TEXT("(e.at + r.t0)", "coalesce(x.off, r.off)")
    "  WHEN typeof(e.at) = 'integer' THEN " AT_TEXT("e.at", "x.off")
    "  ELSE e.at END, coalesce(t.name, r.tool), e.run,"
    "  coalesce(x.source, o.source), coalesce(x.order_id, o.order_id),"
    "  w.name, e.detail"
    "  FROM event_log AS e JOIN event_names AS w ON w.id = e.what"
    "  LEFT JOIN event_extra AS x ON x.id = e.id"
    "  LEFT JOIN event_names AS t ON t.id = x.tool"
    "  LEFT JOIN runs AS r ON r.id = e.run"
    "  LEFT JOIN orders AS o ON o.rowid = e.ord;",
    /* clang-format on */
};

/* How long a run waits for another to let go of the ledger. */
#define BUSY_MS 30000
/*
 * A run's lease, in seconds of the real clock: renewed at commits, it
 * tells runs on other machines that this one is alive.
 */
#define LEASE_S 120
/* Orders whose rowids a run keeps (known()). */
#define KNOWN 65536
/* Orders read from the ledger at a time by ledger_pending(). */
#define PAGE 256

/*
 * An order written.  PostgreSQL's says the order's rowid (RETURNING);
 * SQLite's does not, for RETURNING costs it a temporary table a row
 * (about 40% more time for the statement): its last insert rowid says
 * a new order's, and an order updated was read before (known()).
 */
#define PUT_SQL                                                                \
	"INSERT INTO orders (source, order_id, status, revision, hash,"        \
	"  accepted, run, record, changed, warehouse)"                         \
	" VALUES (?1, ?2, ?3, coalesce(?4, 1), ?5, coalesce(?6, 0), ?7, ?8,"   \
	"  ?9, ?10)"                                                           \
	" ON CONFLICT (source, order_id) DO UPDATE SET"                        \
	"  status = ?3, revision = coalesce(?4, orders.revision),"             \
	"  hash = coalesce(?5, orders.hash),"                                  \
	"  accepted = coalesce(?6, orders.accepted),"                          \
	"  run = ?7, record = ?8, changed = ?9,"                               \
	"  warehouse = coalesce(orders.warehouse, ?10)"

/*
 * A row of the audit trail (schema 26): its time, run, what, detail and
 * order's row; what a row says beyond them goes to event_extra
 * (ledger_event()).
 */
#define EVENT_SQL                                                              \
	"INSERT INTO event_log (at, run, what, detail, ord)"                   \
	" VALUES (?1, ?2, ?3, ?4, ?5)"

static const char *const stmt_sql[ST_MAX] = {
    "SELECT rowid, status, hash, revision, accepted, run, warehouse"
    " FROM orders"
    " WHERE source = ?1 AND order_id = ?2",
    PUT_SQL,
    EVENT_SQL,
    "SELECT pid, host, boot, proc_start, lease_until, ended_at FROM runs"
    " WHERE id = ?1",
    "UPDATE runs SET lease_until = ?2 WHERE id = ?1",
};

static const char *stamp(struct ledger *);
static void forget_names(void *);
static void done(struct ledger *, struct db_stmt *);
static void __attribute__((noreturn)) dberr(struct ledger *, const char *);

void
ledger_fail(struct ledger *l, const char *what)
{
	dberr(l, what);
}

static void __attribute__((noreturn)) dberr(struct ledger *l, const char *what)
{
	err_exit(EXIT_TROUBLE, "ledger '%s': %s: %s", l->path, what,
	    db_errmsg(l->dbh));
}

static void
exec(struct ledger *l, const char *sql)
{
	char *msg = NULL;

	if (l->db == NULL) {
		if (db_exec(l->dbh, sql) != DB_OK)
			err_exit(EXIT_TROUBLE, "ledger '%s': %s (%s)", l->path,
			    db_errmsg(l->dbh), sql);
		return;
	}
	if (sqlite3_exec(l->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		err_exit(EXIT_TROUBLE, "ledger '%s': %s (%s)", l->path,
		    msg != NULL ? msg : sqlite3_errmsg(l->db), sql);
	}
}

/*
 * SQLite's own busy timeout sleeps longer the longer it has waited, up
 * to 100 ms a try: in a pipe, four stages waiting on the fifth's write
 * lock slept through most of its handovers.  Ask again soon instead,
 * after 50 us, then longer up to 0.8 ms a try, for as long as BUSY_MS.
 */
static int
busy(void *arg, int count)
{
	struct ledger *l = arg;
	int64_t now = when_mono_us();
	unsigned us = 50u << (count < 4 ? count : 4);

	/* ledger_begin()'s wait counts from when it asked (l->asked). */
	if (count == 0)
		l->busy_since = l->asked != 0 ? l->asked : now;
	else if (now - l->busy_since >= (int64_t)BUSY_MS * 1000)
		return 0;
	usleep(us);
	return 1;
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
	struct db_stmt *st;
	int v;

	if ((st = db_prepare(l->dbh, "PRAGMA user_version")) == NULL ||
	    db_step(st) != DB_ROW)
		dberr(l, "cannot read schema version");
	v = db_column_int(st, 0);
	db_finalize(st);
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
	ledger_newer(l, v);
	for (; v < n; v++)
		exec(l, migrations[v]);
	/*
	 * Tables rebuilt (18) leave their old pages free: a ledger that
	 * gives pages back (auto_vacuum incremental) does so now.
	 */
	exec(l, "PRAGMA incremental_vacuum");
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", n);
	exec(l, sql);
	exec(l, "COMMIT");
}

/*
 * A process's state letter and start time (clock ticks after boot) from
 * /proc/PID/stat; -1 when it cannot be read.  The start time tells a
 * run's process from a later one that was given the same pid.
 */
static long long
proc_stat(pid_t pid, char *state)
{
	char path[64], buf[1024], *p, *tok, *save = NULL;
	ssize_t n;
	int fd, i;

	*state = '?';
	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	/* The command name may hold anything but ends at the last ')'. */
	if ((p = strrchr(buf, ')')) == NULL)
		return -1;
	/* Field 3 is the state, field 22 the start time. */
	for (i = 3, tok = strtok_r(p + 1, " ", &save); tok != NULL;
	     i++, tok = strtok_r(NULL, " ", &save)) {
		if (i == 3)
			*state = *tok;
		else if (i == 22)
			return strtoll(tok, NULL, 10);
	}
	return -1;
}

/* The host name and this boot's id: where a run's pid means something. */
static void
whereabouts(struct ledger *l)
{
	ssize_t n;
	int fd;

	if (gethostname(l->host, sizeof l->host) == -1)
		snprintf(l->host, sizeof l->host, "localhost");
	l->host[sizeof l->host - 1] = '\0';
	l->boot[0] = '\0';
	if ((fd = open("/proc/sys/kernel/random/boot_id",
		 O_RDONLY | O_CLOEXEC)) != -1) {
		n = read(fd, l->boot, sizeof l->boot - 1);
		close(fd);
		l->boot[n > 0 ? n : 0] = '\0';
		l->boot[strcspn(l->boot, "\n")] = '\0';
	}
}

static const char *
col(struct db_stmt *st, int i)
{
	const char *s = db_column_text(st, i);

	return s != NULL ? s : "";
}

/*
 * Whether run is alive, asking the runs table.  On this machine and
 * boot the process itself answers: alive while its pid runs, is no
 * zombie, and started when the run says it did.  A run elsewhere is
 * alive while its lease lasts.  A run that ended, or that the ledger
 * does not know, is dead.
 */
static int
run_alive(struct ledger *l, int64_t run)
{
	struct db_stmt *st = l->st[ST_RUN];
	int alive = 0;
	char state;

	db_bind_int64(st, 1, run);
	if (db_step(st) == DB_ROW && db_column_type(st, 5) == DB_NULL) {
		pid_t pid = (pid_t)db_column_int64(st, 0);

		if (db_column_type(st, 1) == DB_NULL ||
		    (strcmp(col(st, 1), l->host) == 0 &&
			strcmp(col(st, 2), l->boot) == 0)) {
			long long start = proc_stat(pid, &state);

			alive =
			    (kill(pid, 0) == 0 || errno == EPERM) &&
			    state != 'Z' && state != 'X' &&
			    (db_column_type(st, 3) == DB_NULL || start == -1 ||
				start == db_column_int64(st, 3));
		} else if (strcmp(col(st, 1), l->host) != 0)
			alive = db_column_int64(st, 4) > (int64_t)time(NULL);
		/* Same host, another boot: it died with the machine. */
	}
	db_reset(st);
	db_clear_bindings(st);
	return alive;
}

int
ledger_run_alive(struct ledger *l, int64_t run)
{
	time_t now = time(NULL);
	struct life *f;
	size_t i;

	if (run == l->run && run != 0)
		return 1;
	/* The dead stay dead; the living are asked again after a second. */
	for (i = 0; i < l->nlives; i++) {
		f = &l->lives[i];
		if (f->run == run && (!f->alive || f->at == now))
			return f->alive;
		if (f->run == run)
			break;
	}
	if (i == l->nlives) {
		xgrow(&l->lives, &l->livescap, l->nlives + 1, sizeof *l->lives);
		l->nlives++;
	}
	f = &l->lives[i];
	f->run = run;
	f->alive = run_alive(l, run);
	f->at = now;
	return f->alive;
}

/* SQL's fulfil_alive(run): ledger_run_alive() inside a query. */
static void
sql_alive(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	struct ledger *l = sqlite3_user_data(cx);

	if (sqlite3_value_type(argv[0]) == DB_NULL) {
		sqlite3_result_int(cx, 0);
		return;
	}
	sqlite3_result_int(
	    cx, ledger_run_alive(l, sqlite3_value_int64(argv[0])));
}

/*
 * SQL's fulfil_at(s, off): seconds since the epoch s as RFC 3339 in the
 * offset off (minutes), as PostgreSQL's (lib/ledger_pg); NULL for NULL,
 * and a time kept as text as it is.
 */
static void
sql_at(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	struct when w;
	char buf[WHEN_BUFSZ];

	switch (sqlite3_value_type(argv[0])) {
	case SQLITE_NULL:
		sqlite3_result_null(cx);
		return;
	case SQLITE_INTEGER:
		w.t = sqlite3_value_int64(argv[0]);
		w.off = sqlite3_value_int(argv[1]);
		sqlite3_result_text(
		    cx, when_format(&w, buf), -1, SQLITE_TRANSIENT);
		return;
	default:
		sqlite3_result_value(cx, argv[0]);
	}
}

/*
 * SQL's fulfil_message_id(source, order_id, event, channel, domain): the
 * id notify gives the message so keyed (ledger_message_derive()); NULL
 * when an argument is NULL or the domain makes no id.
 */
static void
sql_message_id(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	const char *v[5];
	char *id;
	int i;

	for (i = 0; i < 5; i++)
		if ((v[i] = (const char *)sqlite3_value_text(argv[i])) ==
		    NULL) {
			sqlite3_result_null(cx);
			return;
		}
	if ((id = ledger_message_derive(v[0], v[1], v[2], v[3], v[4])) == NULL)
		sqlite3_result_null(cx);
	else
		sqlite3_result_text(cx, id, -1, free);
}

/*
 * rec()'s answer, text of len bytes: as it is, or, for a message body
 * cut by lib/zrec and rec(payload, message_id, recipient), put back
 * together.
 */
static void
result_body(sqlite3_context *cx, int argc, sqlite3_value **argv,
    const char *text, size_t len)
{
	const char *vals[2], *why = "";
	char *t;
	size_t n;

	if (argc != 3 || !zrec_is_cut(text, len)) {
		sqlite3_result_text(cx, text, (int)len, SQLITE_TRANSIENT);
		return;
	}
	vals[0] = (const char *)sqlite3_value_text(argv[1]);
	vals[1] = (const char *)sqlite3_value_text(argv[2]);
	/*
	 * An id the row does not keep (23, message_id empty) is none: the
	 * body's is message_ids'.
	 */
	if (vals[0] != NULL && vals[0][0] == '\0')
		vals[0] = NULL;
	if ((t = zrec_join(text, len, vals, 2, &n, &why)) == NULL) {
		if (vals[0] == NULL)
			why = "message id not kept: message_ids has it";
		sqlite3_result_error(cx, why, -1);
		return;
	}
	sqlite3_result_text(cx, t, (int)n, free);
}

/*
 * SQL's rec(x): a stored record's JSON text, packed or not; a message's
 * body is rec(payload, message_id, recipient).  A query
 * asks for several fields of a row, each through rec(): the last blob
 * is remembered with its text, so that a row is unpacked once.
 */
static void
sql_rec(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	struct ledger *l = sqlite3_user_data(cx);
	const void *b;
	const char *why = "";
	size_t len, n;
	char *t;

	if (sqlite3_value_type(argv[0]) != DB_BLOB) {
		sqlite3_result_value(cx, argv[0]);
		return;
	}
	b = sqlite3_value_blob(argv[0]);
	len = (size_t)sqlite3_value_bytes(argv[0]);
	if (!zrec_packed(b, len)) {
		result_body(cx, argc, argv, b, len);
		return;
	}
	if (l->memotext == NULL || l->memolen != len ||
	    memcmp(l->memo, b, len) != 0) {
		if ((t = zrec_unpack(l->z, b, len, &n, &why)) == NULL) {
			sqlite3_result_error(cx, why, -1);
			return;
		}
		free(l->memotext);
		l->memotext = t;
		l->memotextlen = n;
		xgrow(&l->memo, &l->memocap, len, 1);
		memcpy(l->memo, b, len);
		l->memolen = len;
	}
	result_body(cx, argc, argv, l->memotext, l->memotextlen);
}

unsigned char *
ledger_zpack(struct ledger *l, const char *text, size_t len, size_t *np)
{
	unsigned char *p;

	if ((p = zrec_pack(l->z, text, len, np)) == NULL)
		err_exit(EXIT_TROUBLE,
		    "ledger '%s': cannot pack a record: out "
		    "of memory",
		    l->path);
	return p;
}

void
ledger_bindrec(
    struct ledger *l, struct db_stmt *st, int i, const char *text, size_t len)
{
	size_t n;
	unsigned char *p;

	/* PostgreSQL keeps the text: its SQL has no rec() to unpack. */
	if (l->db == NULL) {
		db_bind_blob(st, i, text, (int)len);
		return;
	}
	p = ledger_zpack(l, text, len, &n);
	db_bind_blob(st, i, p, (int)n);
	free(p);
}

char *
ledger_join(struct ledger *l, char *cut, size_t *lenp, const char *message_id,
    const char *recipient)
{
	const char *vals[2] = {message_id, recipient}, *why = "";
	char *t = zrec_join(cut, *lenp, vals, 2, lenp, &why);

	if (t == NULL)
		err_exit(EXIT_TROUBLE, "ledger '%s': %s", l->path, why);
	free(cut);
	return t;
}

char *
ledger_colrec(struct ledger *l, struct db_stmt *st, int i, size_t *lenp)
{
	const void *b = db_column_blob(st, i);
	const char *why = "";
	char *t;

	t = zrec_unpack(l->z, b, (size_t)db_column_bytes(st, i), lenp, &why);
	if (t == NULL)
		err_exit(EXIT_TROUBLE, "ledger '%s': %s", l->path, why);
	return t;
}

void
ledger_newer(struct ledger *l, int v)
{
	int n = (int)(sizeof migrations / sizeof migrations[0]);

	if (v > n)
		err_exit(EXIT_TROUBLE,
		    "ledger '%s': schema version %d is newer "
		    "than this program knows (%d)",
		    l->path, v, n);
}

int
ledger_migrations(const char *const **mig)
{
	*mig = migrations;
	return (int)(sizeof migrations / sizeof migrations[0]);
}

/* rec() where only the schema is wanted: no row is ever read. */
static void
sql_same(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	sqlite3_result_value(cx, argv[0]);
}

sqlite3 *
ledger_schema_memory(int n)
{
	sqlite3 *lite;
	char *msg = NULL;
	int i;

	if (sqlite3_open(":memory:", &lite) != SQLITE_OK)
		err_exit(EXIT_TROUBLE, "out of memory");
	for (i = 1; i <= 3; i += 2)
		sqlite3_create_function_v2(lite, "rec", i, SQLITE_UTF8, NULL,
		    sql_same, NULL, NULL, NULL);
	for (i = 0; i < n; i++)
		if (sqlite3_exec(lite, migrations[i], NULL, NULL, &msg) !=
		    SQLITE_OK)
			err_exit(EXIT_TROUBLE, "schema %d: %s", i + 1,
			    msg != NULL ? msg : sqlite3_errmsg(lite));
	return lite;
}

/* A ledger in PostgreSQL: lib/ledger_pg. */
/* The end of an open, either backend's: the schema is there. */
/*
 * FULFIL_LEDGER_STATS: how long SQLite ran each statement (the commit's
 * too) while the write lock was held.
 */
static int
sql_time(unsigned type, void *arg, void *stmt, void *ns)
{
	struct ledger *l = arg;

	sqlite3_int64 t = *(sqlite3_int64 *)ns;
	const char *sql;
	size_t i;

	if (!l->intx)
		return 0;
	l->sql_ns += t;
	if (!l->stats_sql)
		return 0;
	sql = sqlite3_sql(stmt);
	for (i = 0; i < l->nsqls && strcmp(l->sqls[i].sql, sql) != 0; i++)
		;
	if (i == l->nsqls) {
		xgrow(&l->sqls, &l->sqlscap, l->nsqls + 1, sizeof *l->sqls);
		l->sqls[l->nsqls].sql = xstrdup(sql);
		l->sqls[l->nsqls].ns = l->sqls[l->nsqls].n = 0;
		l->nsqls++;
	}
	l->sqls[i].ns += t;
	l->sqls[i].n++;
	return 0;
}

static int
by_time(const void *a, const void *b)
{
	const struct sqlstat *x = a, *y = b;

	return (x->ns < y->ns) - (x->ns > y->ns);
}

/*
 * FULFIL_LEDGER_STATS=sql: the statements that took the most of SQLite's
 * time under the lock, one line each, its start only (the statements are
 * the tools' own: no data in them).
 */
static void
sql_times(struct ledger *l)
{
	size_t i;

	if (l->nsqls == 0)
		return;
	qsort(l->sqls, l->nsqls, sizeof *l->sqls, by_time);
	for (i = 0; i < l->nsqls; i++) {
		if (i < 15)
			fprintf(stderr,
			    "%s: ledger: %.3f s, %" PRId64 " run%s: %.60s\n",
			    progname, (double)l->sqls[i].ns / 1e9, l->sqls[i].n,
			    l->sqls[i].n == 1 ? "" : "s", l->sqls[i].sql);
		free(l->sqls[i].sql);
	}
	free(l->sqls);
}

static void
ready(struct ledger *l)
{
	const char *stats = getenv("FULFIL_LEDGER_STATS");
	int i;

	for (i = 0; i < ST_MAX; i++)
		if ((l->st[i] = db_prepare_kept(l->dbh,
			 i == ST_PUT && l->db == NULL
			     ? PUT_SQL " RETURNING rowid"
			     : stmt_sql[i])) == NULL)
			dberr(l, "cannot prepare statement");
	l->opener = pthread_self();
	if ((l->z = zrec_new()) == NULL)
		err_exit(EXIT_TROUBLE, "out of memory");
	l->stats = stats != NULL;
	l->stats_sql = stats != NULL && strcmp(stats, "sql") == 0;
	if (l->stats && l->db != NULL)
		sqlite3_trace_v2(l->db, SQLITE_TRACE_PROFILE, sql_time, l);
	whereabouts(l);
}

static struct ledger *
open_pg(const char *uri)
{
	struct ledger *l = xcalloc(1, sizeof *l);
	char err[512];

	l->path = ledger_pg_name(uri);
	if ((l->dbh = db_open(uri, err, sizeof err)) == NULL)
		err_exit(
		    EXIT_TROUBLE, "cannot open ledger '%s': %s", l->path, err);
	ledger_pg_prepare(l);
	ready(l);
	ledger_pg_reap(l);
	return l;
}

struct ledger *
ledger_open(const char *path)
{
	struct ledger *l;
	struct stat sb;
	const char *e;
	int fd, i, fresh, rc;

	if (path == NULL && (e = getenv("FULFIL_DB")) != NULL && *e != '\0')
		path = e;
	if (path == NULL)
		path = "fulfil.db";
	if (db_is_uri(path))
		return open_pg(path);
	/* Create it 0600 ourselves: SQLite would follow the umask. */
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) == -1)
		err_exit_sys(EXIT_TROUBLE, "cannot open ledger '%s'", path);
	fresh = fstat(fd, &sb) == 0 && sb.st_size == 0;
	close(fd);
	l = xcalloc(1, sizeof *l);
	l->path = xstrdup(path);
	/*
	 * NOMUTEX: a ledger is used by one thread at a time (a stage's
	 * reader thread and its helpers never touch it, stage.h), so
	 * SQLite's lock on every call is only cost (2% of dispatch).
	 */
	/*
	 * SQLite counts its memory under a lock at every allocation, some
	 * three hundred an order in pick-list; nothing reads the count (3%
	 * of its instructions).  Only before SQLite starts: a second ledger
	 * in one process is told no, and that is fine.
	 */
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	rc = sqlite3_open_v2(
	    path, &l->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	l->dbh = db_from_sqlite(l->db);
	if (rc != SQLITE_OK)
		dberr(l, "cannot open");
	sqlite3_busy_handler(l->db, busy, l);
	sqlite3_extended_result_codes(l->db, 1);
	/*
	 * A new ledger gives back the pages retention frees (followup
	 * --archive); this can only be set while the file is empty.
	 */
	if (fresh)
		exec(l, "PRAGMA auto_vacuum = INCREMENTAL");
	set_wal(l);
	exec(l, "PRAGMA synchronous = FULL");
	/*
	 * 64 MiB of page cache: a big backlog's indexes stay in memory
	 * (SQLite's default of 2 MiB made a million inserts seek).
	 */
	exec(l, "PRAGMA cache_size = -65536");
	exec(l, "PRAGMA foreign_keys = ON");
	/*
	 * The WAL is cut back to 64 MiB after a checkpoint: a big run's
	 * would otherwise keep its largest size on disk for good.
	 */
	exec(l, "PRAGMA journal_size_limit = 67108864");
	if (user_version(l) != (int)(sizeof migrations / sizeof migrations[0]))
		migrate(l);
	if (sqlite3_create_function_v2(l->db, "fulfil_alive", 1, SQLITE_UTF8, l,
		sql_alive, NULL, NULL, NULL) != SQLITE_OK)
		dberr(l, "cannot add fulfil_alive()");
	if (sqlite3_create_function_v2(l->db, "fulfil_at", 2,
		SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
		sql_at, NULL, NULL, NULL) != SQLITE_OK)
		dberr(l, "cannot add fulfil_at()");
	if (sqlite3_create_function_v2(l->db, "fulfil_message_id", 5,
		SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
		sql_message_id, NULL, NULL, NULL) != SQLITE_OK)
		dberr(l, "cannot add fulfil_message_id()");
	for (i = 1; i <= 3; i += 2)
		if (sqlite3_create_function_v2(l->db, "rec", i,
			SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
			l, sql_rec, NULL, NULL, NULL) != SQLITE_OK)
			dberr(l, "cannot add rec()");
	sqlite3_rollback_hook(l->db, forget_names, l);
	ready(l);
	return l;
}

void
ledger_close(struct ledger *l)
{
	int i;

	if (l == NULL)
		return;
	if (l->stats) {
		fprintf(stderr,
		    "%s: ledger: %" PRId64 " write transaction%s, %.2f s "
		    "waiting for the write lock, %.2f s holding it",
		    progname, l->ntx, l->ntx == 1 ? "" : "s",
		    (double)l->waited_us / 1e6, (double)l->held_us / 1e6);
		if (l->db != NULL)
			fprintf(stderr, " (%.2f s of it in SQLite)",
			    (double)l->sql_ns / 1e9);
		fputc('\n', stderr);
		sql_times(l);
	}
	/* Ended: its claims are anybody's now, even on another machine. */
	if (l->run != 0 && !l->intx) {
		struct db_stmt *st = ledger_prepare(
		    l, "UPDATE runs SET ended_at = ?2 WHERE id = ?1");

		db_bind_int64(st, 1, l->run);
		db_bind_text(st, 2, stamp(l), -1);
		ledger_step(l, st);
		db_finalize(st);
	}
	for (i = 0; i < ST_MAX; i++)
		db_finalize(l->st[i]);
	for (i = 0; i < (int)l->ncache; i++)
		db_finalize(l->cache[i].st);
	free(l->cache);
	free(l->warehouse);
	free(l->kpi_of);
	db_close(l->dbh);
	if (l->db != NULL && sqlite3_close(l->db) != SQLITE_OK)
		err_exit(EXIT_TROUBLE, "ledger '%s': cannot close: %s", l->path,
		    sqlite3_errmsg(l->db));
	free(l->path);
	free(l->lives);
	zrec_free(l->z);
	free(l->memo);
	free(l->memotext);
	forget_names(l);
	free(l->names);
	for (i = 0; l->known != NULL && i < KNOWN; i++) {
		free(l->known[i].source);
		free(l->known[i].id);
	}
	free(l->known);
	ledger_manifests_forget(l);
	free(l->seqs);
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

/* The lock is ours: the wait ends, the hold begins. */
static void
locked(struct ledger *l, int64_t asked)
{
	l->intx = 1;
	l->named_msgs = -1;
	ledger_manifests_forget(l);
	l->since_us = when_mono_us();
	l->waited_us += l->since_us - asked;
	l->ntx++;
}

/*
 * BEGIN IMMEDIATE, waiting for another run's write lock for as long as
 * the busy timeout.  A statement still reading would hold a snapshot
 * that SQLite cannot turn into a write without failing at once: that is
 * a bug here, said as one.
 */
void
ledger_begin(struct ledger *l)
{
	sqlite3_stmt *st = NULL;
	int64_t asked = when_mono_us();
	int rc;

	/* PostgreSQL waits for the advisory lock itself (lib/db). */
	if (l->db == NULL) {
		if (db_exec(l->dbh, "BEGIN IMMEDIATE") != DB_OK)
			dberr(l, "cannot begin a write");
		locked(l, asked);
		return;
	}
	while ((st = sqlite3_next_stmt(l->db, st)) != NULL)
		if (sqlite3_stmt_busy(st))
			err_exit(EXIT_TROUBLE,
			    "internal error: ledger write begun inside a "
			    "read (%s)",
			    sqlite3_sql(st));
	l->asked = asked;
	while ((rc = sqlite3_exec(
		    l->db, "BEGIN IMMEDIATE", NULL, NULL, NULL)) != SQLITE_OK) {
		/* The busy handler's wait counts: BUSY_MS in all, not each. */
		if ((rc & 0xff) != SQLITE_BUSY ||
		    when_mono_us() - asked >= (int64_t)BUSY_MS * 1000)
			dberr(l, "cannot begin a write");
		usleep(10000);
	}
	l->asked = 0;
	locked(l, asked);
}

void
ledger_commit(struct ledger *l)
{
	time_t now = time(NULL);

	/* Renewed when half gone, inside a write we make anyway. */
	if (l->run != 0 && now + LEASE_S / 2 >= l->lease_until) {
		l->lease_until = now + LEASE_S;
		db_bind_int64(l->st[ST_LEASE], 1, l->run);
		db_bind_int64(l->st[ST_LEASE], 2, (int64_t)l->lease_until);
		done(l, l->st[ST_LEASE]);
	}
	ledger_manifests_settle(l);
	exec(l, "COMMIT");
	l->intx = 0;
	l->held_us += when_mono_us() - l->since_us;
}

void
ledger_crash_safe_only(struct ledger *l)
{
	/* A commit not waited for: the server's crash may lose the last. */
	exec(l, l->db != NULL ? "PRAGMA synchronous = NORMAL"
			      : "SET synchronous_commit = off");
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

	if (l->nows[0] == '\0' || now.t != l->nowt || now.off != l->nowoff) {
		when_format(&now, l->nows);
		l->nowt = now.t;
		l->nowoff = now.off;
	}
	return l->nows;
}

/* Run a prepared statement that returns no rows, then reset it. */
static void
done(struct ledger *l, struct db_stmt *st)
{
	if (db_step(st) != DB_DONE)
		dberr(l, "write failed");
	db_reset(st);
	db_clear_bindings(st);
}

int64_t
ledger_run(struct ledger *l, const char *warehouse)
{
	struct db_stmt *st;

	char state;

	if ((st = db_prepare(l->dbh,
		 "INSERT INTO runs (tool, started_at, pid, host, boot,"
		 " proc_start, lease_until, warehouse, t0, off)"
		 " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) == NULL)
		dberr(l, "cannot prepare statement");
	l->lease_until = time(NULL) + LEASE_S;
	db_bind_text(st, 1, progname, -1);
	db_bind_text(st, 2, stamp(l), -1);
	/* The trail's times are from here (a stamp its seconds give back). */
	l->run_t0 = strlen(stamp(l)) == 25;
	if (l->run_t0) {
		l->t0 = l->nowt;
		l->t0off = l->nowoff;
		db_bind_int64(st, 9, l->t0);
		db_bind_int64(st, 10, l->t0off);
	}
	db_bind_int64(st, 3, (int64_t)getpid());
	db_bind_text(st, 4, l->host, -1);
	db_bind_text(st, 5, l->boot, -1);
	db_bind_int64(st, 6, proc_stat(getpid(), &state));
	db_bind_int64(st, 7, (int64_t)l->lease_until);
	if (warehouse != NULL) {
		free(l->warehouse);
		l->warehouse = xstrdup(warehouse);
		db_bind_text(st, 8, warehouse, -1);
	}
	done(l, st);
	db_finalize(st);
	l->run = db_last_insert_id(l->dbh);
	return l->run;
}

int64_t
ledger_run_id(const struct ledger *l)
{
	return l->run;
}

static char *
colstr(struct db_stmt *st, int i)
{
	const char *s = db_column_text(st, i);

	return s != NULL ? xstrdup(s) : NULL;
}

/*
 * An order's content hash (lib/digest) as SQLite keeps it: from 21 one
 * of the x3 kind as its bytes (a blob), any other as its text (rows
 * from before, a hash of another kind); from 26 "x3:" and 16 hex
 * digits (digest_json64()), 8 bytes, to which migration 26 cut the 16
 * kept before.  PostgreSQL's column is text and keeps the text.
 * hash_bytes() gives the 8 bytes in b, or 0 for a text to keep;
 * hash_text() the text of a stored one.
 */
#define HASH_BYTES 8

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1; /* digest writes lower case: upper stays text */
}

static int
hash_bytes(const char *h, unsigned char b[HASH_BYTES])
{
	int i, hi, lo;

	if (strncmp(h, "x3:", 3) != 0 || strlen(h) != 3 + 2 * HASH_BYTES)
		return 0;
	for (i = 0; i < HASH_BYTES; i++) {
		hi = hexval(h[3 + 2 * i]);
		lo = hexval(h[4 + 2 * i]);
		if (hi < 0 || lo < 0)
			return 0;
		b[i] = (unsigned char)(hi << 4 | lo);
	}
	return 1;
}

static char *
hash_text(struct db_stmt *st, int i)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *b;
	char *t;
	int k;

	if (db_column_type(st, i) != DB_BLOB ||
	    db_column_bytes(st, i) != HASH_BYTES)
		return colstr(st, i);
	b = db_column_blob(st, i);
	t = xmalloc(3 + 2 * HASH_BYTES + 1);
	memcpy(t, "x3:", 3);
	for (k = 0; k < HASH_BYTES; k++) {
		t[3 + 2 * k] = hex[b[k] >> 4];
		t[4 + 2 * k] = hex[b[k] & 15];
	}
	t[3 + 2 * HASH_BYTES] = '\0';
	return t;
}

/*
 * The order's row read by st (ST_GET's columns first) into *o, and when
 * rec is not NULL its record into *rec unless its status is same.
 */
/*
 * Orders read or written lately and their rowids, which their events
 * and picks name them by (ledger_order_rowid()): a table of KNOWN
 * slots, each order in the one its key hashes to (FNV-1a), the latest
 * taking it.  A rowid never changes once committed; a rollback forgets
 * them all (forget_names()).
 */
static struct ledger_known *
known_slot(struct ledger *l, const char *source, const char *id)
{
	uint32_t h = digest_fnv1a(
	    digest_fnv1a(digest_fnv1a(DIGEST_FNV1A, source), "/"), id);

	if (l->known == NULL)
		l->known = xcalloc(KNOWN, sizeof *l->known);
	return &l->known[h & (KNOWN - 1)];
}

static void
known(struct ledger *l, const char *source, const char *id, int64_t rowid)
{
	struct ledger_known *k = known_slot(l, source, id);

	if (k->source == NULL || strcmp(k->source, source) != 0 ||
	    strcmp(k->id, id) != 0) {
		free(k->source);
		free(k->id);
		k->source = xstrdup(source);
		k->id = xstrdup(id);
	}
	k->rowid = rowid;
}

static int
order_row(struct ledger *l, struct db_stmt *st, const char *source,
    const char *id, struct ledger_order *o, const char *same, char **rec,
    size_t *lenp)
{
	int rc, found = 0;

	db_bind_text(st, 1, source, -1);
	db_bind_text(st, 2, id, -1);
	rc = db_step(st);
	if (rc == DB_ROW) {
		known(l, source, id, db_column_int64(st, 0));
		o->status = colstr(st, 1);
		o->hash = hash_text(st, 2);
		o->revision = db_column_int(st, 3);
		o->accepted = db_column_int(st, 4);
		o->run = db_column_int64(st, 5);
		o->warehouse = colstr(st, 6);
		if (rec != NULL && (same == NULL || o->status == NULL ||
				       strcmp(same, o->status) != 0))
			*rec = ledger_colrec(l, st, 7, lenp);
		found = 1;
	} else if (rc != DB_DONE)
		dberr(l, "read failed");
	db_reset(st);
	db_clear_bindings(st);
	return found;
}

int
ledger_order_get(struct ledger *l, const char *source, const char *id,
    struct ledger_order *o)
{
	return order_row(l, l->st[ST_GET], source, id, o, NULL, NULL, NULL);
}

int
ledger_order_get_record(struct ledger *l, const char *source, const char *id,
    struct ledger_order *o, const char *same, char **rec, size_t *lenp)
{
	/* One lookup where label and pick-list made two. */
	static const char sql[] =
	    "SELECT rowid, status, hash, revision, accepted, run, warehouse,"
	    " record FROM orders WHERE source = ?1 AND order_id = ?2";

	*rec = NULL;
	return order_row(l, ledger_sql(l, sql), source, id, o, same, rec, lenp);
}

void
ledger_order_free(struct ledger_order *o)
{
	free(o->status);
	free(o->hash);
	free(o->warehouse);
	memset(o, 0, sizeof *o);
}

void
ledger_rec_pack(const struct ledger *l, const char *text, size_t len,
    struct ledger_rec_packed *pk)
{
	struct zrec *z;

	pk->p = NULL;
	pk->n = 0;
	if (l->db == NULL)
		return; /* PostgreSQL keeps the text */
	/* The ledger's codec on its own thread, else the thread's own. */
	z = pthread_equal(pthread_self(), l->opener) ? l->z : zrec_thread();
	/* Out of memory: packed under the lock after all. */
	if (z != NULL)
		pk->p = zrec_pack(z, text, len, &pk->n);
}

void
ledger_rec_packed_free(struct ledger_rec_packed *pk)
{
	free(pk->p);
	pk->p = NULL;
	pk->n = 0;
}

void
ledger_order_put(struct ledger *l, const char *source, const char *id,
    const char *status, const char *record, size_t len, const char *hash,
    int revision, int accepted)
{
	ledger_order_put_packed(
	    l, source, id, status, record, len, NULL, hash, revision, accepted);
}

void
ledger_order_put_packed(struct ledger *l, const char *source, const char *id,
    const char *status, const char *record, size_t len,
    const struct ledger_rec_packed *pk, const char *hash, int revision,
    int accepted)
{
	struct db_stmt *st = l->st[ST_PUT];
	unsigned char b[HASH_BYTES];
	int64_t before, rowid;

	db_bind_text(st, 1, source, -1);
	db_bind_text(st, 2, id, -1);
	db_bind_text(st, 3, status, -1);
	if (hash != NULL) {
		db_bind_int64(st, 4, revision);
		if (l->db != NULL && hash_bytes(hash, b))
			db_bind_blob(st, 5, b, sizeof b);
		else
			db_bind_text(st, 5, hash, -1);
		db_bind_int64(st, 6, accepted);
	}
	db_bind_int64(st, 7, l->run);
	if (pk != NULL && pk->p != NULL)
		db_bind_blob(st, 8, pk->p, (int)pk->n);
	else
		ledger_bindrec(l, st, 8, record, len);
	db_bind_int64(st, 9, when_now().t);
	if (l->warehouse != NULL)
		db_bind_text(st, 10, l->warehouse, -1);
	if (l->db != NULL) {
		before = sqlite3_last_insert_rowid(l->db);
		done(l, st);
		if ((rowid = sqlite3_last_insert_rowid(l->db)) != before)
			known(l, source, id, rowid);
		return;
	}
	if (db_step(st) != DB_ROW)
		dberr(l, "write failed");
	known(l, source, id, db_column_int64(st, 0));
	db_reset(st);
	db_clear_bindings(st);
}

void
ledger_order_claim_like(struct ledger *l, const char *source, const char *id,
    const char *of_source, const char *of_id)
{
	struct db_stmt *st = ledger_sql(l,
	    "UPDATE orders SET warehouse = (SELECT o.warehouse FROM orders AS o"
	    " WHERE o.source = ?3 AND o.order_id = ?4)"
	    " WHERE source = ?1 AND order_id = ?2");

	db_bind_text(st, 1, source, -1);
	db_bind_text(st, 2, id, -1);
	db_bind_text(st, 3, of_source, -1);
	db_bind_text(st, 4, of_id, -1);
	ledger_done(l, st);
}

const char *
ledger_elsewhere(const struct ledger *l, const struct ledger_order *o)
{
	if (o->warehouse == NULL || l->warehouse == NULL ||
	    strcmp(o->warehouse, l->warehouse) == 0)
		return NULL;
	return o->warehouse;
}

/* A rollback takes the names it made with it: ask again after one. */
static void
forget_names(void *arg)
{
	struct ledger *l = arg;
	size_t i;

	for (i = 0; i < l->namescap; i++)
		free(l->names[i].name);
	if (l->names != NULL)
		memset(l->names, 0, l->namescap * sizeof *l->names);
	l->nnames = 0;
	for (i = 0; l->known != NULL && i < KNOWN; i++)
		l->known[i].rowid = 0;
}

/* The slot of name in l->names: its own, or the free one it would take. */
static struct evname *
name_slot(struct evname *t, size_t cap, const char *name, uint32_t h)
{
	size_t i = h & (cap - 1);

	while (t[i].name != NULL &&
	       (t[i].hash != h || strcmp(t[i].name, name) != 0))
		i = (i + 1) & (cap - 1);
	return &t[i];
}

/* Keeps name's id, the table grown to stay at most half full. */
static void
name_keep(struct ledger *l, const char *name, uint32_t h, int64_t id)
{
	struct evname *t, *s;
	size_t cap, i;

	if (2 * (l->nnames + 1) > l->namescap) {
		cap = l->namescap == 0 ? 64 : 2 * l->namescap;
		t = xcalloc(cap, sizeof *t);
		for (i = 0; i < l->namescap; i++)
			if (l->names[i].name != NULL)
				*name_slot(t, cap, l->names[i].name,
				    l->names[i].hash) = l->names[i];
		free(l->names);
		l->names = t;
		l->namescap = cap;
	}
	s = name_slot(l->names, l->namescap, name, h);
	s->name = xstrdup(name);
	s->hash = h;
	s->id = id;
	l->nnames++;
}

/*
 * The id of a name in event_names (a tool's, an event's, a channel's, a
 * message id's domain, a SKU), 0 if it is not there.  Asked for at
 * every event and every pick: the run keeps those it has seen, and one
 * seen costs a hash and no SQL.
 */
int64_t
ledger_name_find(struct ledger *l, const char *name)
{
	struct db_stmt *st;
	struct evname *s;
	uint32_t h = digest_fnv1a(DIGEST_FNV1A, name);
	int64_t id;

	if (l->namescap > 0 &&
	    (s = name_slot(l->names, l->namescap, name, h))->name != NULL)
		return s->id;
	st = ledger_sql(l, "SELECT id FROM event_names WHERE name = ?1");
	db_bind_text(st, 1, name, -1);
	if (!ledger_row(l, st))
		return 0;
	id = db_column_int64(st, 0);
	db_reset(st);
	name_keep(l, name, h, id);
	return id;
}

/*
 * The id of a name in event_names, made if new by insert (the name its
 * ?1): what of it went wrong, lost, says so.
 */
static int64_t
name_made(
    struct ledger *l, const char *name, const char *insert, const char *lost)
{
	struct db_stmt *st;
	int64_t id;

	if ((id = ledger_name_find(l, name)) != 0)
		return id;
	st = ledger_sql(l, insert);
	db_bind_text(st, 1, name, -1);
	done(l, st);
	if ((id = ledger_name_find(l, name)) == 0)
		dberr(l, lost);
	return id;
}

/*
 * SQLite gives a new row the largest id and one, which is 0 when the
 * only ids are SKUs' (below 0, ledger_sku_id()): one above 0 is asked
 * for.  PostgreSQL's identity gives one.
 */
int64_t
ledger_name_id(struct ledger *l, const char *name)
{
	return name_made(l, name,
	    l->db != NULL ? "INSERT INTO event_names (id, name)"
			    " SELECT CASE WHEN max(id) > 0 THEN max(id) + 1"
			    " ELSE 1 END, CAST(?1 AS TEXT) FROM event_names"
			    " WHERE true ON CONFLICT (name) DO NOTHING"
			  : "INSERT OR IGNORE INTO event_names (name)"
			    " VALUES (?1)",
	    "event name lost");
}

int64_t
ledger_sku_id(struct ledger *l, const char *sku)
{
	return name_made(l, sku,
	    "INSERT INTO event_names (id, name)"
	    " SELECT CASE WHEN min(id) < 0 THEN min(id) - 1"
	    " ELSE -1 END, CAST(?1 AS TEXT) FROM event_names"
	    " WHERE true ON CONFLICT (name) DO NOTHING",
	    "SKU name lost");
}

void
ledger_bind_now(struct ledger *l, struct db_stmt *st, int i)
{
	const char *at = stamp(l);

	/* A stamp its seconds cannot give back (a year past 9999): text. */
	if (strlen(at) == 25) {
		db_bind_int64(st, i, l->nowt);
		db_bind_int64(st, i + 1, l->nowoff);
	} else {
		db_bind_text(st, i, at, -1);
		db_bind_int64(st, i + 1, 0);
	}
}

/*
 * An order's rowid in orders (schema 24), 0 if it is not there: one
 * read or written lately is known without asking.
 */
int64_t
ledger_order_rowid(struct ledger *l, const char *source, const char *id)
{
	struct ledger_known *k;
	struct db_stmt *st;
	int64_t rowid = 0;

	if (source == NULL || id == NULL)
		return 0;
	k = known_slot(l, source, id);
	if (k->rowid != 0 && strcmp(k->source, source) == 0 &&
	    strcmp(k->id, id) == 0)
		return k->rowid;
	st = ledger_sql(
	    l, "SELECT rowid FROM orders WHERE source = ?1 AND order_id = ?2");
	db_bind_text(st, 1, source, -1);
	db_bind_text(st, 2, id, -1);
	if (ledger_row(l, st)) {
		rowid = db_column_int64(st, 0);
		db_reset(st);
		known(l, source, id, rowid);
	}
	return rowid;
}

void
ledger_event(struct ledger *l, const char *source, const char *id,
    const char *what, const char *detail)
{
	struct db_stmt *st, *x;
	int64_t w = ledger_name_id(l, what), ord, tool = 0;
	const char *at = stamp(l);
	/* A stamp its seconds cannot give back (a year past 9999): text. */
	int secs = strlen(at) == 25, ours = l->run != 0 && l->run_t0 && secs;

	ord = ledger_order_rowid(l, source, id);
	if (!ours)
		tool = ledger_name_id(l, progname);
	/*
	 * A row of the run for an order in the ledger, in the run's clock's
	 * offset, is all in event_log; any other says the rest in
	 * event_extra under its id (schema 26).
	 */
	if (ours && l->nowoff == l->t0off && ord != 0)
		st = l->st[ST_EVENT];
	else
		st = ledger_sql(l, EVENT_SQL " RETURNING id");
	/* The run's own rows (schema 24): time, offset, tool by the run. */
	if (ours)
		db_bind_int64(st, 1, l->nowt - l->t0);
	else if (secs)
		db_bind_int64(st, 1, l->nowt);
	else
		db_bind_text(st, 1, at, -1);
	if (l->run != 0)
		db_bind_int64(st, 2, l->run);
	db_bind_int64(st, 3, w);
	db_bind_text(st, 4, detail, -1);
	if (ord != 0)
		db_bind_int64(st, 5, ord);
	if (st == l->st[ST_EVENT]) {
		done(l, st);
		return;
	}
	if (!ledger_row(l, st))
		dberr(l, "audit trail row lost");
	x = ledger_sql(l, "INSERT INTO event_extra (id, off, tool, source,"
			  " order_id) VALUES (?1, ?2, ?3, ?4, ?5)");
	db_bind_int64(x, 1, db_column_int64(st, 0));
	db_reset(st);
	if (!ours || l->nowoff != l->t0off)
		db_bind_int64(x, 2, secs ? l->nowoff : 0);
	if (tool != 0)
		db_bind_int64(x, 3, tool);
	if (ord == 0) {
		db_bind_text(x, 4, source, -1);
		db_bind_text(x, 5, id, -1);
	}
	done(l, x);
}

/* One page of a pending scan, copied out so that the read can end. */
struct page {
	int64_t rowid;
	char *record;
	size_t len;
};

long
ledger_pending(struct ledger *l, const char *const *statuses, const char *where,
    int (*fn)(void *, const char *, size_t), void *arg)
{
	struct page pg[PAGE];
	struct db_stmt *st;
	char *sql, *p;
	size_t n, i, got, k;
	int64_t last = 0;
	long count = 0;
	int rc = DB_DONE, stop = 0;

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
	    "SELECT rowid, record FROM orders WHERE status IN (%s)"
	    " AND run IS NOT ?%zu AND rowid > ?%zu AND (%s)"
	    " AND (warehouse IS NULL OR warehouse = CAST(?%zu AS TEXT))"
	    " ORDER BY rowid LIMIT %d",
	    p, n + 1, n + 2, where != NULL ? where : "1 = 1", n + 3, PAGE);
	free(p);
	st = ledger_prepare(l, sql);
	free(sql);
	for (i = 0; i < n; i++)
		db_bind_text(st, (int)i + 1, statuses[i], -1);
	db_bind_int64(st, (int)n + 1, l->run);
	/* Only this warehouse's orders, and those no warehouse claimed. */
	if (l->warehouse != NULL)
		db_bind_text(st, (int)n + 3, l->warehouse, -1);
	/*
	 * A page at a time, the read ended before fn sees it: fn writes,
	 * and a write begun inside a read fails at once when another run
	 * has committed since the read began.
	 */
	while (!stop) {
		db_bind_int64(st, (int)n + 2, last);
		for (got = 0; got < PAGE && (rc = db_step(st)) == DB_ROW;
		     got++) {
			pg[got].rowid = db_column_int64(st, 0);
			pg[got].record = ledger_colrec(l, st, 1, &pg[got].len);
		}
		if (got < PAGE && rc != DB_DONE)
			dberr(l, "read failed");
		db_reset(st);
		if (got == 0)
			break;
		last = pg[got - 1].rowid;
		for (k = 0; k < got; k++) {
			if (!stop) {
				count++;
				stop = fn(arg, pg[k].record, pg[k].len) != 0;
			}
			free(pg[k].record);
		}
	}
	db_finalize(st);
	return count;
}

const char *
ledger_stamp(struct ledger *l)
{
	return stamp(l);
}

int64_t
ledger_now_t(struct ledger *l)
{
	stamp(l);
	return l->nowt;
}

int
ledger_now_off(struct ledger *l)
{
	stamp(l);
	return l->nowoff;
}

char *
ledger_order_record(
    struct ledger *l, const char *source, const char *id, size_t *lenp)
{
	/* Prepared once: label and notify ask for every order they see. */
	static const char sql[] =
	    "SELECT record FROM orders WHERE source = ?1 AND order_id = ?2";
	struct db_stmt *st = ledger_sql(l, sql);
	char *r = NULL;
	int rc;

	db_bind_text(st, 1, source, -1);
	db_bind_text(st, 2, id, -1);
	if ((rc = db_step(st)) == DB_ROW)
		r = ledger_colrec(l, st, 0, lenp);
	else if (rc != DB_DONE)
		dberr(l, "read failed");
	db_reset(st);
	db_clear_bindings(st);
	return r;
}

struct db_stmt *
ledger_sql(struct ledger *l, const char *sql)
{
	struct cached *c;
	size_t i;

	/* Few statements, looked up often: the last one found first. */
	for (i = l->ncache; i-- > 0;)
		if (l->cache[i].sql == sql) {
			db_reset(l->cache[i].st);
			db_clear_bindings(l->cache[i].st);
			return l->cache[i].st;
		}
	xgrow(&l->cache, &l->cachecap, l->ncache + 1, sizeof *l->cache);
	c = &l->cache[l->ncache];
	if ((c->st = db_prepare_kept(l->dbh, sql)) == NULL)
		dberr(l, "cannot prepare statement");
	c->sql = sql;
	l->ncache++;
	return c->st;
}

void
ledger_done(struct ledger *l, struct db_stmt *st)
{
	done(l, st);
}

int
ledger_row(struct ledger *l, struct db_stmt *st)
{
	int rc = db_step(st);

	if (rc == DB_ROW)
		return 1;
	if (rc != DB_DONE)
		dberr(l, "read failed");
	db_reset(st);
	return 0;
}

const char *
ledger_col(struct db_stmt *st, int i)
{
	return (const char *)db_column_text(st, i);
}

char *
ledger_coldup(struct db_stmt *st, int i)
{
	const char *s = ledger_col(st, i);

	return s != NULL ? xstrdup(s) : NULL;
}

char *
ledger_colblob(struct db_stmt *st, int i, size_t *lenp)
{
	const void *b = db_column_blob(st, i);
	size_t len = (size_t)db_column_bytes(st, i);
	char *p = xmalloc(len + 1);

	if (len > 0)
		memcpy(p, b, len);
	p[len] = '\0';
	*lenp = len;
	return p;
}

struct db_stmt *
ledger_prepare(struct ledger *l, const char *sql)
{
	struct db_stmt *st;

	if ((st = db_prepare(l->dbh, sql)) == NULL)
		dberr(l, "cannot prepare statement");
	return st;
}

void
ledger_step(struct ledger *l, struct db_stmt *st)
{
	if (db_step(st) != DB_DONE)
		dberr(l, "write failed");
	db_reset(st);
	db_clear_bindings(st);
}
