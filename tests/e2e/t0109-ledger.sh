#!/bin/sh
# The ledger: a SQLite file, 0600, WAL, versioned; --db beats $FULFIL_DB
# beats ./fulfil.db; a newer schema is refused; two runs at once, or a
# run killed half way, neither lose nor double an order.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup
VERSION=26 # lib/ledger.h's LEDGER_VERSION
TABLES="archives batches event_extra event_log event_names helper_requests inbox label_files manifest_parcel_log manifests message_log notices notified_log optouts orders pack_scans parcels pick_log print_jobs print_log refunds remittances return_lines reviews rmas runs serials shipments stock_adjustments tasks tracking_events "
IN=$DATA/orders.ndjson

umask 022
run ingest-orders -q "$IN"
# The file, its journal, pragmas and storage classes are SQLite's own;
# PostgreSQL's side of the schema is t0191's.
if on_pg; then
	why="SQLite's own (the file, WAL, pragmas, typeof): the ledger is PostgreSQL's"
	skip "created 0600 whatever the umask" "$why"
	skip "WAL" "$why"
	is "schema version $VERSION" \
	    "$(ledger_sql fulfil.db "select value from fulfil_meta where key = 'schema_version'")" $VERSION
	is "tables" "$(ledger_sql fulfil.db "select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name <> 'fulfil_meta' order by 1" | tr '\n' ' ')" \
	    "$TABLES"
	skip "a new ledger gives back freed pages" "$why"
	skip "records stored packed" "$why"
else
	is "created 0600 whatever the umask" "$(stat -c %a fulfil.db)" 600
	is "WAL" "$(sqlite3 fulfil.db 'pragma journal_mode')" wal
	is "schema version $VERSION" "$(sqlite3 fulfil.db 'pragma user_version')" $VERSION
	is "tables" "$(sqlite3 fulfil.db "select name from sqlite_master where type = 'table' order by name" | tr '\n' ' ')" \
	    "$TABLES"
	is "a new ledger gives back freed pages" "$(sqlite3 fulfil.db 'pragma auto_vacuum')" 2
	is "records stored packed" "$(sqlite3 fulfil.db "select distinct typeof(record) from orders")" blob
fi
is "latest record and status" \
    "$(ledger_sql fulfil.db "select status, json_extract(rec(record), '$.promise.ship_by') from orders where order_id = 'A-1'")" \
    "accepted|2026-11-23T18:30:00+08:00"
is "a run is recorded" "$(ledger_sql fulfil.db 'select tool from runs')" ingest-orders
is "events say who, what and when" \
    "$(ledger_sql fulfil.db "select at, tool, what from events where order_id = 'A-1'")" \
    "2026-11-23T10:00:00+08:00|ingest-orders|accepted"

run env FULFIL_DB=env.db ingest-orders -q "$IN"
check "\$FULFIL_DB is used" test -s env.db
run env FULFIL_DB=env.db ingest-orders -q --db opt.db "$IN"
check "--db wins" test -s opt.db
is "--db: a new ledger, so all accepted" "$(wc -l <out | tr -d ' ')" 3

if on_pg; then
	ledger_sql fulfil.db "update fulfil_meta set value = '99' where key = 'schema_version'"
	where=$PG_URI
else
	sqlite3 fulfil.db 'pragma user_version = 99'
	where=fulfil.db
fi
run ingest-orders "$IN"
is "newer schema: exit 2" "$rc" 2
is "newer schema: message" "$(cat err)" \
    "ingest-orders: ledger '$where': schema version 99 is newer than this program knows ($VERSION)"
run ingest-orders --db /nonexistent/dir/x.db "$IN"
is "ledger cannot be created: exit 2" "$rc" 2
check "ledger cannot be created: message" grep -q "cannot open ledger '/nonexistent/dir/x.db'" err

# Two runs at once over the same export: each order accepted once.
"$FULFIL_ROOT/scripts/gen-orders" -n 3000 -s 7 >many.ndjson
ingest-orders -q --db two.db many.ndjson >a.out 2>a.err &
pa=$!
ingest-orders -q --db two.db many.ndjson >b.out 2>b.err
wait $pa || :
is "two at once: no errors" "$(cat a.err b.err)" ""
is "two at once: 3000 emitted in all" "$(cat a.out b.out | wc -l | tr -d ' ')" 3000
is "two at once: none twice" "$(cat a.out b.out | jq -r .order_id | sort | uniq -d | wc -l | tr -d ' ')" 0
is "two at once: 3000 in the ledger" "$(sqlite3 two.db 'select count(*) from orders')" 3000

# Killed half way: what was committed stays, the re-run does the rest,
# and nothing is accepted twice.  The producer pauses after 5000 orders,
# so the kill lands while ingest-orders waits for more.
"$FULFIL_ROOT/scripts/gen-orders" -n 8000 -s 8 >big.ndjson
head -5000 big.ndjson >part1
mkfifo pipe
(cat part1; exec sleep 30) >pipe 2>/dev/null &
producer=$!
ingest-orders -q --db kill.db <pipe >k1.out 2>/dev/null &
pid=$!
# Wait until the batch is committed and written: then it is waiting for
# input.  (Killed between the two, its lines would be lost from the pipe
# but not from the ledger, which is what --pending downstream is for.)
i=0
while { [ "$(sqlite3 kill.db 'select count(*) from orders' 2>/dev/null ||
    echo 0)" -lt 5000 ] || [ "$(wc -l <k1.out)" -lt 5000 ]; } &&
    [ $i -lt 1200 ]; do
	sleep 0.05
	i=$((i + 1))
done
kill -9 $pid
wait $pid 2>/dev/null || true
kill $producer 2>/dev/null || true
wait $producer 2>/dev/null || true
is "killed: the first part was committed" "$(sqlite3 kill.db 'select count(*) from orders')" 5000
is "killed: and written out, since the input paused" "$(wc -l <k1.out | tr -d ' ')" 5000
run ingest-orders -q --db kill.db big.ndjson
is "re-run: the ledger has every order once" "$(sqlite3 kill.db 'select count(*) from orders')" 8000
is "re-run: only the rest is emitted" "$(wc -l <out | tr -d ' ')" 3000
is "re-run: no order accepted twice" \
    "$(sqlite3 kill.db "select count(*) from events where what = 'accepted'")" 8000
is "killed output and re-run output never overlap" \
    "$(cat k1.out out | jq -R 'fromjson? | .order_id' | sort | uniq -d | wc -l | tr -d ' ')" 0
# A version 1 ledger (as the first release wrote it) is migrated in place.
rm -f v1.db
sqlite3 v1.db "CREATE TABLE orders (source TEXT NOT NULL, order_id TEXT NOT NULL,
  status TEXT NOT NULL, revision INTEGER NOT NULL DEFAULT 1, hash TEXT,
  accepted INTEGER NOT NULL DEFAULT 0, run INTEGER, record TEXT NOT NULL,
  updated_at TEXT NOT NULL, PRIMARY KEY (source, order_id));
CREATE INDEX orders_by_status ON orders (status);
CREATE TABLE events (id INTEGER PRIMARY KEY, at TEXT NOT NULL, tool TEXT NOT NULL,
  run INTEGER, source TEXT, order_id TEXT, what TEXT NOT NULL, detail TEXT);
CREATE INDEX events_by_order ON events (source, order_id);
CREATE TABLE runs (id INTEGER PRIMARY KEY, tool TEXT NOT NULL, started_at TEXT NOT NULL,
  pid INTEGER NOT NULL);
INSERT INTO orders VALUES ('old', 'X-1', 'accepted', 1, NULL, 1, 1, '{}', '2026-01-01T00:00:00Z');
PRAGMA user_version = 1;"
run ingest-orders --db v1.db "$IN"
is "v1 ledger: used" "$rc" 0
is "v1 ledger: migrated to $VERSION" "$(sqlite3 v1.db 'pragma user_version')" $VERSION
is "v1 ledger: rows kept" "$(sqlite3 v1.db "select status from orders where order_id = 'X-1'")" accepted
is "v1 ledger: its last change in seconds (21)" \
    "$(sqlite3 v1.db "select changed from orders where order_id = 'X-1'")" 1767225600
is "v1 ledger: picks table" "$(sqlite3 v1.db 'select count(*) from picks')" 0
is "v1 ledger: messages table" "$(sqlite3 v1.db 'select count(*) from messages')" 0

# A schema 17 ledger (tests/data/ledger-v17.sql, made by the build before
# 18) is migrated in place: every row it had reads the same afterwards,
# the audit trail through the events view, whatever its times were.
sqlite3 v17.db <"$DATA/ledger-v17.sql"
sqlite3 v17.db "INSERT INTO events (at, tool, run, source, order_id, what, detail) VALUES
  ('2026-11-23T10:00:00-00:30', 'label', 5, 'web', 'P-5', 'odd.offset', NULL),
  ('2026-11-23 10:00:00', 'label', 5, 'web', 'P-5', 'odd.space', 'kept as text'),
  ('not a time', 'label', NULL, NULL, NULL, 'odd.text', NULL)"
# The columns version 17 had: a later version may add some (20 did).
for t in events picks parcels manifest_parcels orders messages prints \
    notified batches manifests; do
	echo "$t $(sqlite3 v17.db "select group_concat(name, ', ') from pragma_table_info('$t')")"
done >cols17.txt
# 21 keeps an order's last change once, in seconds (changed, filled from
# updated_at where it was empty), a parcel's label file by id, and the
# times of parcels, messages and manifest_parcels in seconds with their
# row's offset.  26 keeps an order's content hash in 64 bits.
dump17() {
	if [ "$2" = before ]; then
		at="coalesce(changed, cast(strftime('%s', updated_at) as integer))"
		path=label_path
	else
		at=changed
		path="(select path from label_files where id = label_file)"
	fi
	while read -r t cols; do
		echo "== $t"
		cols=$(echo "$cols" | sed "s/updated_at/$at/; s|label_path|$path|")
		case $t@$2 in
		orders@*)
			# 26 keeps the first 16 of a hash's 32 digits.
			cols=$(echo "$cols" | sed 's/, hash,/, substr(hash, 1, 19),/')
			;;
		parcels@after | messages@after | manifest_parcels@after)
			cols=$(echo "$cols" | sed -E 's/(created_at|printed_at|sent_at|dispatched_at)/fulfil_at(\1, off)/g')
			;;
		esac
		ledger_sql "$1" "select $cols from $t order by 1, 2, 3"
	done <cols17.txt
}
dump17 v17.db before >before.txt
run ingest-orders -q --db v17.db /dev/null
is "v17 ledger: used" "$rc" 0
is "v17 ledger: migrated to $VERSION" "$(sqlite3 v17.db 'pragma user_version')" $VERSION
dump17 v17.db after >after.txt
check "v17 ledger: every row reads as it did" cmp -s before.txt after.txt
is "v17 ledger: the events it had" "$(sqlite3 v17.db 'select count(*) from events')" 29
is "v17 ledger: a time that its seconds cannot give back stays text" \
    "$(sqlite3 v17.db "select typeof(at) from event_log order by id" | sort | uniq -c | tr -s ' ' | tr '\n' ';')" \
    " 27 integer; 2 text;"
is "v17 ledger: keyed tables without rowids" \
    "$(sqlite3 v17.db "select name from sqlite_master where sql like '%WITHOUT ROWID' order by name" | tr '\n' ' ')" \
    "manifest_parcel_log notified_log parcels pick_log "
is "v17 ledger: sound" "$(sqlite3 v17.db 'pragma integrity_check; pragma foreign_key_check')" ok
FULFIL_NOW=2026-11-24T09:30:00-05:00 run ingest-orders -q --db v17.db "$IN"
is "v17 ledger: new events after it, in their clock's offset" \
    "$(sqlite3 v17.db "select at, tool, what from events where order_id = 'A-1'")" \
    "2026-11-24T09:30:00-05:00|ingest-orders|accepted"
done_testing
