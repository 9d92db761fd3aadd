#!/bin/sh
# followup --archive: finished orders past the returns window go whole
# to a gzip NDJSON file, synced before the ledger keeps only stubs;
# exactly once across kill -9 at each point of a run and re-runs;
# ingest-orders still refuses an archived order as a duplicate; the
# KPI report is the same before and after.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup
jq '.notify = {"templates": "'"$FULFIL_ROOT"'/examples/templates",
    "default_locale": "en", "channels": ["outbox"], "outbox": "outbox.ndjson",
    "from": {"name": "Test Shop", "address": "shop@example.com"}}' \
    fulfil.json >f && mv f fulfil.json
ingest-orders -q "$DATA/notify-orders.ndjson" | pick-list -q | label -q |
    FULFIL_NOW=2026-11-23T16:00:00+08:00 dispatch -q |
    FULFIL_NOW=2026-11-23T16:00:00+08:00 notify -q >/dev/null
trk() { ledger_sql fulfil.db "select json_extract(rec(record), '$.shipment.tracking') from orders where order_id = '$1'"; }
# N-1 and N-2 delivered, N-3 damaged (not finished).
printf '%s\n' \
    "{\"tracking\":\"$(trk N-1)\",\"status\":\"delivered\",\"occurred_at\":\"2026-11-24T11:00:00+08:00\"}" \
    "{\"tracking\":\"$(trk N-2)\",\"status\":\"delivered\",\"occurred_at\":\"2026-11-26T15:00:00+08:00\"}" \
    "{\"tracking\":\"$(trk N-3)\",\"status\":\"exception\",\"substatus\":\"damaged\",\"occurred_at\":\"2026-11-24T06:00:00+08:00\"}" |
    FULFIL_NOW=2026-11-26T16:00:00+08:00 followup -q >/dev/null
# N-5 cancelled by the shop (an export that says so).
jq -c 'select(.order_id == "N-5") | .status = "cancelled" | .cancelled_at = "2026-11-27T09:00:00+08:00"' \
    "$DATA/notify-orders.ndjson" >cancel.ndjson
FULFIL_NOW=2026-11-27T09:00:00+08:00 ingest-orders -q cancel.ndjson >/dev/null || :
finals=$(ledger_sql fulfil.db "select count(*) from orders where status in ('delivered', 'cancelled')")
is "three orders finished" "$finals" 3

report() {	# FILE: the KPIs of November, as followup --report says them
	followup -q --report --from 2026-11-01 --to 2026-11-30 -o rep >"$1"
}
FULFIL_NOW=2027-01-15T10:00:00+08:00
report rep-before.ndjson
full=$(ledger_sql fulfil.db "select rec(record) from orders where order_id = 'N-1'")

# Inside the returns window (30 days): nothing is due yet.
run env FULFIL_NOW=2026-12-10T10:00:00+08:00 followup --archive a.ndjson.gz
is "in the window: exit 0" "$rc" 0
# The pages are SQLite's: a PostgreSQL ledger's space is its vacuum's.
pages="; 0 pages given back"
! on_pg || pages=
is "in the window: said" "$(cat err)" \
    "followup: 0 orders archived to 'a.ndjson.gz' in 0 batches$pages"
is "in the window: no file" "$(ls a.ndjson.gz 2>&1 | grep -c 'No such')" 1

# Killed at each point of a run: no finished order lost, each whole in
# the file or in the ledger (or both, until the batch is done).  Run
# again: each once, in the file or the ledger, never both.
split() {
	zcat a.ndjson.gz 2>/dev/null | jq -R -r 'fromjson? | .order_id' | sort >inzip || :
	ledger_sql fulfil.db "select order_id from orders where status in ('delivered', 'cancelled') and json_extract(rec(record), '$.archived') is null order by order_id" >inledger
}
lost() {	# NAME
	split
	is "$1: no finished order lost" "$(sort -u inzip inledger | wc -l | tr -d ' ')" "$finals"
}
invariants() {	# NAME
	split
	is "$1: each finished order once, in the file or the ledger" \
	    "$(sort inzip inledger | uniq -c | awk '$1 != 1' | wc -l | tr -d ' ') $(sort -u inzip inledger | wc -l | tr -d ' ')" "0 $finals"
}
for point in claimed writing synced; do
	rm -f a.ndjson.gz
	ledger_save pristine
	rc=0
	FULFIL_ARCHIVE_KILL=$point followup -q --archive a.ndjson.gz 2>err || rc=$?
	is "killed when $point: by SIGKILL" "$rc" 137
	lost "killed when $point"
	run followup --archive a.ndjson.gz
	is "killed when $point, again: exit 0" "$rc" 0
	is "killed when $point, again: finished" "$(tail -n 1 err | sed 's/;.*//')" \
	    "followup: 3 orders archived to 'a.ndjson.gz' in 1 batch"
	is "killed when $point, again: a good gzip file" "$(gzip -t a.ndjson.gz && echo good)" good
	invariants "killed when $point, again"
	is "killed when $point, again: all in the file" "$(wc -l <inzip | tr -d ' ') $(wc -l <inledger | tr -d ' ')" "3 0"
	is "killed when $point, again: the batch done" \
	    "$(ledger_sql fulfil.db "select orders, count(done_at) from archives group by orders")" "3|1"
	# Back to before the archive, for the next point.
	rm -f a.ndjson.gz
	ledger_restore pristine
done

ledger_sql fulfil.db "select * from events order by id" >trail.before
ledger_sql fulfil.db "select rowid, order_id from orders order by 1" >rows.before
run followup --archive a.ndjson.gz --before 2026-11-25
is "--before: only what changed before the day" "$(tail -n 1 err | sed 's/;.*//')" \
    "followup: 0 orders archived to 'a.ndjson.gz' in 0 batches"
run followup --archive a.ndjson.gz
is "archived: exit 0" "$rc" 0
is "the file: whole records, one a line" \
    "$(zcat a.ndjson.gz | jq -r .order_id | tr '\n' ' ')" "N-1 N-2 N-5 "
is "the file: the record as the ledger had it" \
    "$(zcat a.ndjson.gz | head -n 1)" "$full"
is "the ledger: a stub" \
    "$(ledger_sql fulfil.db "select rec(record) from orders where order_id = 'N-1'" | jq -c 'keys')" \
    '["archived","delivery","dispatch","order_id","placed_at","promise","revision","service","source","status"]'
is "the ledger: the messages' bodies gone" \
    "$(ledger_sql fulfil.db "select count(*), sum(length(payload)) from messages where order_id = 'N-1'")" "1|0"
is "the ledger: the others as they were" \
    "$(ledger_sql fulfil.db "select count(*) from orders where archive is null")" \
    "$(ledger_sql fulfil.db "select count(*) - 3 from orders")"
ledger_sql fulfil.db "select rowid, order_id from orders order by 1" >rows.after
same "the orders keep their rowids (the trail names them so)" rows.after rows.before
ledger_sql fulfil.db "select * from events order by id" | head -n "$(wc -l <trail.before)" >trail.after
same "the audit trail: as it was" trail.after trail.before
run followup --archive a.ndjson.gz
is "again: nothing twice" "$(tail -n 1 err | sed 's/;.*//') $(zcat a.ndjson.gz | wc -l | tr -d ' ')" \
    "followup: 0 orders archived to 'a.ndjson.gz' in 0 batches 3"
report rep-after.ndjson
same "the KPI report: the same figures after" rep-before.ndjson rep-after.ndjson
jq -c 'select(.order_id == "N-1" or .order_id == "N-2")' "$DATA/notify-orders.ndjson" >again.ndjson
run ingest-orders again.ndjson cancel.ndjson
is "archived orders ingested again: duplicates" "$rc $(tail -n 1 err)" \
    "0 ingest-orders: 3 read, 0 accepted, 0 updated, 3 duplicate, 0 cancelled, 0 rejected"
run followup --archive a.ndjson.gz --before 2026-13-01
is "--before: a date" "$rc $(cat err)" \
    "2 followup: --before: '2026-13-01' is not a date, YYYY-MM-DD"
run followup --before 2026-11-01 --report -o rep
is "--before: with --archive only" "$rc $(cat err)" "2 followup: --before goes with --archive"
done_testing
