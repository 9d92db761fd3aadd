#!/bin/sh
# Four whole pipes at once on one PostgreSQL ledger, as two sites with
# two pack lines each would run them from cron on the same export: every
# order is shipped once, by one of them; no tracking number is handed out
# twice; every customer is told once.  Then a label run killed (-9) in
# the middle: the re-run with --pending takes up the rest, and still
# nothing is doubled.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
. "$FULFIL_ROOT/tests/e2e/pg.sh"
start_pg
PSQL="psql -X -q -At -h $T/pg -U fulfil fulfil"
FULFIL_DB=$PG_URI
export FULFIL_DB
N=200
pipe_setup ../catalog.csv
"$FULFIL_ROOT/scripts/gen-orders" -n $N -s 11 --catalog catalog.csv >orders.ndjson

for d in site1-a site1-b site2-a site2-b; do
	mkdir $d
	cp fulfil.json $d
	(cd $d && ingest-orders -q ../orders.ndjson | pick-list -q |
	    label -q -f zpl -o labels | dispatch -q | notify -q >out.ndjson
	    echo $? >rc) 2>$d.err &
	pipes="${pipes:-} $!"
done
wait $pipes
is "all four pipes exit 0" "$(cat site*/rc | tr '\n' ' ')" "0 0 0 0 "
is "nothing said" "$(cat site*.err)" ""
cat site*/out.ndjson >shipped.ndjson
is "every order shipped once, by one pipe" \
    "$(jq -r .order_id shipped.ndjson | sort | uniq | wc -l | tr -d ' ') $(wc -l <shipped.ndjson | tr -d ' ')" "$N $N"
jq -r '.shipment.tracking' shipped.ndjson | sort >trk
is "no tracking number twice" "$(sort -u trk | wc -l | tr -d ' ')" "$(wc -l <trk | tr -d ' ')"
is "the ledger's parcels are those" "$($PSQL -c "select tracking from parcels order by 1" | sort)" "$(cat trk)"
cat site*/outbox.ndjson >told.ndjson
is "every customer told once" \
    "$(jq -r .order_id told.ndjson | sort -u | wc -l | tr -d ' ') $(wc -l <told.ndjson | tr -d ' ')" "$N $N"
is "one manifest line a parcel" \
    "$($PSQL -c "select count(*), count(distinct tracking) from manifest_parcels")" "$N|$N"

# A label run killed in the middle: it is fed 600 orders, and killed
# (-9) as soon as the ledger holds some of its parcels (its first batches
# committed), while it labels or waits for the rest.
"$FULFIL_ROOT/scripts/gen-orders" -n 800 -s 12 --catalog catalog.csv |
    jq -c '.order_id = "K" + .order_id' >more.ndjson
mkdir kill
cp fulfil.json kill
cd kill
ingest-orders -q ../more.ndjson | pick-list -q >picked.ndjson
{ head -n 600 picked.ndjson; sleep 10; tail -n +601 picked.ndjson; } 2>/dev/null |
    label -f zpl -o labels >part.ndjson 2>label.err &
pid=$!
i=0
until [ "$($PSQL -c "select count(*) from parcels where order_id like 'K%'")" -ge 1 ] ||
    [ $i -ge 600 ]; do sleep 0.05; i=$((i + 1)); done
kill -9 $pid 2>/dev/null || :
wait $pid 2>/dev/null || :
made=$($PSQL -c "select count(*) from parcels where order_id like 'K%'")
check "killed with some labelled, not all ($made)" [ "$made" -ge 1 -a "$made" -lt 800 ]
run label -q --pending -f zpl -o labels
[ "$rc" = 0 ] || sed "s/^/# /" err
is "the re-run with --pending exits 0" "$rc" 0
cat part.ndjson out >labelled.ndjson
# A killed run loses the lines it had not written out (its stdout is
# buffered); the ledger knows them: no order twice, every one a parcel.
is "no order labelled twice over both runs" \
    "$(jq -r .order_id labelled.ndjson | sort | uniq -d | wc -l | tr -d ' ')" 0
is "a parcel each, no tracking number twice" \
    "$($PSQL -c "select count(*), count(distinct tracking), count(distinct order_id) from parcels where order_id like 'K%'")" "800|800|800"
cd ..
stop_pg
done_testing
