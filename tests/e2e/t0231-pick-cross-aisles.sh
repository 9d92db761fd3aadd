#!/bin/sh
# pick-list: a middle cross aisle shortens the walk of orders at both
# ends of long aisles, and the walk is the optimal one through it.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup
# Zone A's test warehouse with 20 bays; the SKUs near bay 10 of aisles 1
# and 6, either side of where the cross aisle goes.
jq '.layout.bays = 20 | .carts.totes = 8' fulfil.json >f && mv f fulfil.json
cat >catalog.csv <<'CSV'
sku,name,location,weight_g,length_mm,width_mm,height_mm,handling,stock
L-1,Left front,A01-09-1,100,50,50,50,,100
L-2,Left back,A01-12-1,100,50,50,50,,100
R-1,Right front,A06-09-1,100,50,50,50,,100
R-2,Right back,A06-12-1,100,50,50,50,,100
CSV
touch -d 2026-11-23T00:00:00Z catalog.csv
jq -c '.lines = [{"sku": "L-1", "qty": 1}, {"sku": "L-2", "qty": 1},
    {"sku": "R-1", "qty": 1}, {"sku": "R-2", "qty": 1}] | .order_id = "X-1"' \
    "$DATA/zones-orders.ndjson" | head -n 1 >orders.ndjson
ingest-orders -q orders.ndjson >in.ndjson

cp fulfil.json plain.json
run pick-list --config plain.json in.ndjson
is "one block: exit 0" "$rc" 0
# Aisle 1 up and through (20 m), 15 m along the back, aisle 6 down (20 m),
# 15 m home: 70 m; or each aisle a return trip to bay 12 (2 x 11.5 m
# twice) and 30 m along the front: 76 m.
is "one block: through both aisles" "$(jq .pick.route_m out)" 70

jq '.layout.cross_aisles = [10] | .layout.cross_aisle_width_m = 2' \
    plain.json >fulfil.json
fresh_ledger
ingest-orders -q orders.ndjson >/dev/null
run pick-list -o sheets in.ndjson
is "cross aisle: exit 0" "$rc" 0
# Bays 1-10, the cross aisle (2 m, its middle at 11 m), bays 11-20 behind
# it (bay 12's point at 13.5 m): up aisle 1 to bay 12 and back to the
# cross aisle (11 + 2.5 + 2.5), 15 m across, aisle 6 the same, 15 m
# back, down to the depot (11): 16 + 15 + 5 + 15 + 11 = 62 m.  As
# short: 15 m along the front to aisle 6 and that loop the other way.
is "cross aisle: across the middle" "$(jq .pick.route_m out)" 62
check "cross aisle: shorter than one block" test 62 -lt 70
is "the stops in walking order" \
    "$(sed -n '/^STOP/,/^$/p' sheets/batch-000001.txt | awk 'NR > 1 && NF { print $2 }' | tr '\n' ' ')" \
    "A06-09-1 A06-12-1 A01-12-1 A01-09-1 "
is "no zones: no zone on the sheet" "$(head -n 1 sheets/batch-000001.txt)" \
    "PICK SHEET  batch 1  wave 2026-11-23 18:30"
is "no zones: no zones in the record" "$(jq -c '[.pick.zones, .pick.by_zone]' out)" '[null,null]'

# --stats compares against the same carts walked S-shape, also through
# the cross aisle's width.
fresh_ledger
ingest-orders -q orders.ndjson >/dev/null
run pick-list --stats in.ndjson
head -n 1 err >stats.json
is "stats: S-shape no shorter" "$(jq '.first_come_sshape_m >= .route_m' stats.json)" true

# Bad cross aisles: at the last bay, out of order, too many.
for bad in '[20]' '[12, 8]' '[2, 4, 6, 8]' '"10"'; do
	jq ".layout.cross_aisles = $bad" plain.json >bad.json
	run pick-list --config bad.json in.ndjson
	is "cross_aisles $bad: exit 2" "$rc" 2
done
is "the message names the key" "$(cat err)" \
    "pick-list: bad.json: \$.layout.cross_aisles: must be an array"
jq '.layout.cross_aisles = [20]' plain.json >bad.json
run pick-list --config bad.json in.ndjson
is "the message says which bays" "$(cat err)" \
    "pick-list: bad.json: \$.layout.cross_aisles[0]: must be a bay from 1 to 19"

done_testing
