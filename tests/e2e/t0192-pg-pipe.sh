#!/bin/sh
# The whole pipe (ingest-orders | pick-list | label -f zpl | dispatch |
# notify to the outbox) on a PostgreSQL ledger gives what it gives on
# SQLite, byte for byte: every stage's output, the labels and the
# outbox.  Run again on the same input, nothing is done twice.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
. "$FULFIL_ROOT/tests/e2e/pg.sh"
start_pg
PSQL="psql -X -q -At -h $T/pg -U fulfil fulfil"
N=300
pipe_setup ../catalog.csv
"$FULFIL_ROOT/scripts/gen-orders" -n $N -s 7 --catalog catalog.csv >orders.ndjson

# pipe DIR DB: the five stages in DIR on the ledger DB, each stage's
# output kept; exit statuses in DIR/rc.
pipe() {
	mkdir -p "$1"
	cp fulfil.json "$1"
	(cd "$1" &&
	    { ingest-orders -q --db "$2" ../orders.ndjson >a.ndjson; echo $?; } >rc &&
	    { pick-list -q --db "$2" <a.ndjson >b.ndjson; echo $?; } >>rc &&
	    { label -q --db "$2" -f zpl -o labels <b.ndjson >c.ndjson; echo $?; } >>rc &&
	    { dispatch -q --db "$2" <c.ndjson >d.ndjson; echo $?; } >>rc &&
	    { notify -q --db "$2" <d.ndjson >e.ndjson; echo $?; } >>rc) 2>"$1.err"
}
pipe lite "$T/lite.db"
pipe pg "$PG_URI"
is "SQLite: every stage exits 0" "$(tr '\n' ' ' <lite/rc)" "0 0 0 0 0 "
is "PostgreSQL: every stage exits 0" "$(tr '\n' ' ' <pg/rc)" "0 0 0 0 0 "
is "PostgreSQL: nothing said" "$(cat pg.err)" ""
is "every order through" "$(wc -l <pg/e.ndjson | tr -d ' ') $(wc -l <pg/outbox.ndjson | tr -d ' ')" "$N $N"
for f in a b c d e outbox; do
	check "$f: the same bytes on both" cmp -s lite/$f.ndjson pg/$f.ndjson
done
check "the labels: the same files, the same bytes" diff -r lite/labels pg/labels

is "the ledger: one parcel a tracking number, all there" \
    "$($PSQL -c "select count(*), count(distinct tracking) from parcels")" \
    "$(sqlite3 lite.db "select count(*), count(distinct tracking) from parcels")"
is "the ledger: a message an order" \
    "$($PSQL -c "select count(*), count(distinct order_id) from messages")" "$N|$N"
is "the audit trail reads as on SQLite" \
    "$($PSQL -c "select tool, what, count(*) from events group by 1, 2 order by 1, 2")" \
    "$(sqlite3 lite.db "select tool, what, count(*) from events group by 1, 2 order by 1, 2")"
is "its times as written" \
    "$($PSQL -c "select at from events order by id limit 1")" "$FULFIL_NOW"
is "records readable in SQL (rec())" \
    "$($PSQL -c "select json_extract(rec(record), '\$.shipment.tracking') from orders order by order_id limit 3")" \
    "$(ledger_sql lite.db "select json_extract(rec(record), '\$.shipment.tracking') from orders order by order_id limit 3")"

# The reports (KPIs, in SQL over the records) say the same on both.
(cd lite && followup -q --db "$T/lite.db" --report -o rep) 2>rep.err
(cd pg && followup -q --db "$PG_URI" --report -o rep) 2>>rep.err
is "followup --report: nothing said" "$(cat rep.err)" ""
check "followup --report: the same report" diff -r lite/rep pg/rep
check "followup --report: not empty" [ -n "$(ls pg/rep)" ]

# The same input again: dropped as seen; the stages have nothing to do.
pipe again "$PG_URI"
is "again: every stage exits 0" "$(tr '\n' ' ' <again/rc)" "0 0 0 0 0 "
is "again: nothing through, nothing sent" "$(cat again/e.ndjson again/outbox.ndjson 2>/dev/null | wc -l | tr -d ' ')" 0
is "again: no parcel, message or event added" \
    "$($PSQL -c "select (select count(*) from parcels), (select count(*) from messages), (select count(*) from manifest_parcels)")" \
    "$(sqlite3 lite.db "select (select count(*) from parcels), (select count(*) from messages), (select count(*) from manifest_parcels)")"
stop_pg
done_testing
