#!/bin/sh
# Moving to the server: followup --copy-to copies a SQLite ledger into an
# empty PostgreSQL one and checks the counts.  The copy then reads as the
# original (records, message bodies, the audit trail), knows what it
# did (the same export again does nothing), and goes on with new orders.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
. "$FULFIL_ROOT/tests/e2e/pg.sh"
start_pg
PSQL="psql -X -q -At -h $T/pg -U fulfil fulfil"
N=150
pipe_setup
"$FULFIL_ROOT/scripts/gen-orders" -n $N -s 5 --catalog catalog.csv >orders.ndjson
"$FULFIL_ROOT/scripts/gen-orders" -n 40 -s 6 --catalog catalog.csv |
    jq -c '.order_id = "N" + .order_id' >new.ndjson
# pipe DB FILE: the five stages on DB; the last stage's output on stdout.
pipe() {
	ingest-orders -q --db "$1" "$2" | pick-list -q --db "$1" |
	    label -q --db "$1" -f zpl -o labels | dispatch -q --db "$1" |
	    notify -q --db "$1"
}
pipe lite.db orders.ndjson >first.ndjson
is "the day on SQLite" "$(wc -l <first.ndjson | tr -d ' ')" $N

texted=$(sqlite3 lite.db "select min(tracking) from manifest_parcel_log")
sqlite3 lite.db "update manifest_parcel_log set
    dispatched_at = '2026-11-23T11:30:00+09:00' where tracking = '$texted'"
run followup --db lite.db --copy-to "$PG_URI"
is "copied: exit 0" "$rc" 0
is "said in one line" "$(grep -c 'tables copied into' err)" 1
is "a line a table, rows and copied the same" \
    "$(jq -r 'select(.rows != .copied) | .table' out)" ""
tables=$(sqlite3 lite.db "select name from sqlite_master where type = 'table' order by name")
is "every table" "$(jq -r .table out | sort | tr '\n' ' ')" "$(echo $tables | tr ' ' '\n' | sort | tr '\n' ' ')"
for t in orders messages parcels event_log manifest_parcels runs; do
	is "$t: the same count" "$($PSQL -c "select count(*) from $t")" "$(sqlite3 lite.db "select count(*) from $t")"
done
is "records: the same text" \
    "$($PSQL -c "select rec(record) from orders order by source, order_id" | md5sum)" \
    "$(ledger_sql lite.db "select rec(record) from orders order by source, order_id" | md5sum)"
is "message bodies: the same text" \
    "$($PSQL -c "select rec(m.payload, i.message_id, m.recipient) from messages as m join message_ids as i using (id) order by id" | md5sum)" \
    "$(ledger_sql lite.db "select rec(m.payload, i.message_id, m.recipient) from messages as m join message_ids as i using (id) order by id" | md5sum)"
is "message ids: the same (derived by each backend's fulfil_message_id())" \
    "$($PSQL -c "select id, message_id from message_ids order by id" | md5sum)" \
    "$(ledger_sql lite.db "select id, message_id from message_ids order by id" | md5sum)"
is "message ids: some not kept in the row" \
    "$(ledger_sql lite.db "select count(*) > 0 from messages where message_id = ''")" 1
is "the audit trail: the same" \
    "$($PSQL -c "select id, at, tool, what from events order by id" | md5sum)" \
    "$(sqlite3 lite.db "select id, at, tool, what from events order by id" | md5sum)"

# The manifests' parcels by the view (schema 26): their manifests and
# orders by row, their times from their runs' starts, and one time kept
# as text in SQLite (lite.db's, set before the copy) as seconds.
mp="select tracking, manifest, seq, source, order_id, service, n, m,
    weight_g, cod, currency, handling, run, fulfil_at(dispatched_at, off)
    from manifest_parcels order by tracking"
is "the manifests' parcels: the same" \
    "$($PSQL -c "$mp" | md5sum)" "$(ledger_sql lite.db "$mp" | md5sum)"
is "a parcel's time kept as text: the same" \
    "$($PSQL -c "select fulfil_at(dispatched_at, off) from manifest_parcels
	where tracking = '$texted'")" "2026-11-23T11:30:00+09:00"

pipe "$PG_URI" orders.ndjson >again.ndjson
is "the same export on the copy: nothing done twice" "$(wc -l <again.ndjson | tr -d ' ')" 0
pipe "$PG_URI" new.ndjson >new.out
is "new orders on the copy go through" "$(wc -l <new.out | tr -d ' ')" 40
is "no tracking number twice" \
    "$($PSQL -c "select count(*) = count(distinct tracking) from parcels")" t
is "one message an order, new ids after the copied ones" \
    "$($PSQL -c "select count(*), count(distinct order_id), min(id) > (select max(id) from messages where order_id not like 'N%') from messages where order_id like 'N%'")" \
    "40|40|t"

run followup --db lite.db --copy-to "$PG_URI"
is "into a ledger not empty: trouble" "$rc" 2
check "said so" grep -q "is not empty" err
is "and nothing added" "$($PSQL -c "select count(*) from orders")" $((N + 40))
stop_pg
done_testing
