#!/bin/sh
# Two warehouses on one PostgreSQL ledger, two pack lines each: four
# whole pipes at once, from cron, on the same export.  Every order is
# shipped once, by the warehouse whose warehouse.claim takes it (or that
# its own "warehouse" field names); no tracking number twice; every
# customer told once; every row the runs wrote is their warehouse's; and
# followup --report gives each warehouse and the whole.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
. "$FULFIL_ROOT/tests/e2e/pg.sh"
pg_ledger
N=240
pipe_setup ../catalog.csv
# gen-orders ships to CN (postcodes 0-8), DE, FR, GB, JP and US.
jq '.warehouse.id = "EAST" | .warehouse.claim = [
      {"country": ["CN"], "postcode": ["0", "1", "2", "3"]},
      {"country": ["JP", "US"]}]' fulfil.json >east.json
jq '.warehouse.id = "WEST" | .warehouse.claim = [
      {"country": ["CN"], "postcode": ["4", "5", "6", "7", "8", "9"]},
      {"country": ["DE", "FR", "GB"]}]' fulfil.json >west.json
# Every seventh order names its warehouse itself: WEST, whatever its
# address.
"$FULFIL_ROOT/scripts/gen-orders" -n $N -s 21 --catalog catalog.csv |
    jq -c 'if (.order_id | ltrimstr("G") | tonumber) % 7 == 0
        then .warehouse = "WEST" else . end' >orders.ndjson
jq -r 'if .warehouse == "WEST" then "WEST"
    elif .ship_to.country == "CN" then
        (if (.ship_to.postcode | test("^[0-3]")) then "EAST" else "WEST" end)
    elif (.ship_to.country | IN("JP", "US")) then "EAST" else "WEST" end
    + " " + .order_id' orders.ndjson | sort -k2 >want.txt
check "both warehouses have orders" [ "$(cut -d' ' -f1 want.txt | sort -u | tr '\n' ' ')" = "EAST WEST " ]

for d in east-a east-b west-a west-b; do
	mkdir $d
	cp ${d%-?}.json $d/fulfil.json
done
pipes_at_once ../orders.ndjson east-a east-b west-a west-b
is "all four pipes exit 0" "$(cat east-?/rc west-?/rc | tr '\n' ' ')" "0 0 0 0 "
is "nothing said" "$(cat ./*.err)" ""
for w in east west; do
	W=$(echo $w | tr a-z A-Z)
	jq -r --arg w $W '$w + " " + .order_id' $w-?/out.ndjson
done | sort -k2 >got.txt
is "every order shipped once" \
    "$(cut -d' ' -f2 got.txt | sort -u | wc -l | tr -d ' ') $(wc -l <got.txt | tr -d ' ')" "$N $N"
check "each by the warehouse that claims it" cmp -s got.txt want.txt
is "the ledger's claims are those" \
    "$($PSQL -c "select warehouse || ' ' || order_id from orders order by order_id")" \
    "$(sort -k2 want.txt)"
cat ./*/out.ndjson | jq -r '.shipment.tracking' | sort >trk
is "no tracking number twice" "$(sort -u trk | wc -l | tr -d ' ')" "$N"
cat ./*/outbox.ndjson >told.ndjson
is "every customer told once" \
    "$(jq -r .order_id told.ndjson | sort -u | wc -l | tr -d ' ') $(wc -l <told.ndjson | tr -d ' ')" "$N $N"
is "one manifest line a parcel" \
    "$($PSQL -c "select count(*), count(distinct tracking) from manifest_parcels")" "$N|$N"
is "every run says its warehouse" \
    "$($PSQL -c "select count(*) from runs where warehouse is null")" 0
# Each row's run is of the order's warehouse: picks (through their
# cart), parcels, manifest lines, messages.
for t in "picks x join batches b on b.id = x.batch join runs r on r.id = b.run" \
    "parcels x join runs r on r.id = x.run" \
    "manifest_parcels x join runs r on r.id = x.run" \
    "messages x join runs r on r.id = x.run"; do
	echo "${t%% *} $($PSQL -c "select count(*) from $t
	    join orders o on o.source = x.source and o.order_id = x.order_id
	    where r.warehouse <> o.warehouse")"
done >cross.txt
is "no warehouse wrote a row of another's order" "$(cat cross.txt | tr '\n' ' ')" \
    "picks 0 parcels 0 manifest_parcels 0 messages 0 "

# The report: the whole, and each warehouse's share of it.
cd east-a
run followup --report -o rep
is "report: exit 0" "$rc" 0
is "the whole and each warehouse's orders" \
    "$(jq -c '[.orders, [.warehouses[] | [.warehouse, .orders, .shipped_on_time.n]]]' out)" \
    "[$N,[[\"EAST\",$(grep -c EAST ../want.txt),$(grep -c EAST ../want.txt)],[\"WEST\",$(grep -c WEST ../want.txt),$(grep -c WEST ../want.txt)]]]"
cd ..
stop_pg
done_testing
