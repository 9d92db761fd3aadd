#!/bin/sh
# pick-list: a layout of two zones (A, and B with a middle cross aisle);
# an order in both is picked in two batches, one per zone, its sheets and
# record saying so (pick.zones, pick.by_zone).
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup
cp "$DATA/zones-catalog.csv" catalog.csv
jq --slurpfile l "$DATA/zones-layout.json" '.layout = $l[0]' fulfil.json >f &&
    mv f fulfil.json

ingest-orders -q "$DATA/zones-orders.ndjson" >in.ndjson
run pick-list -o sheets in.ndjson
is "exit 0" "$rc" 0
is "summary: a batch per zone" "$(tail -n 1 err)" \
    "pick-list: 3 read, 3 picked (2 waves, 2 batches, 81.0 m walked), 0 held, 0 passed through, 0 rejected"

pick() { jq -c --arg id "$1" "select(.order_id == \$id) | $2" out; }
is "an order in two zones: two picks" "$(pick Z-1 .pick.zones)" '["A","B"]'
is "each zone's batch, tote and walk" "$(pick Z-1 '[.pick.by_zone[] | [.zone, .batch, .tote, .route_m, .seq]]')" \
    '[["A",1,2,36,2],["B",2,2,45,2]]'
is "pick.batch and pick.tote: the first zone's" "$(pick Z-1 '[.pick.batch, .pick.tote]')" '[1,2]'
is "weight and handling: the whole order's" "$(pick Z-1 '[.pick.weight_g, .pick.handling]')" \
    '[950,["fragile","keep-dry"]]'
is "an order in one zone: its zone" "$(pick Z-3 '[.pick.zones, .pick.batch]')" '[["B"],2]'
# Zone A by hand: depot in front of aisle 1; 3 m to aisle 2, 2.5 m up and
# back; 6 m on to aisle 4, 6.5 m up and back; 9 m back: 36 m.
is "zone A's walk by hand" "$(pick Z-2 .pick.route_m)" 36
# Zone B by hand: up aisle 1 to the middle cross aisle (11 m: bays 1-10
# and half its 2 m), across to aisle 3 (6 m), up to bay 15 (16.5 m) and
# back, and the same way home: 11 + 6 + 11 + 6 + 11 = 45 m.
is "zone B's walk by hand, by the middle cross aisle" "$(pick Z-3 .pick.route_m)" 45

is "sheet of zone A" "$(head -n 1 sheets/batch-000001.txt)" \
    "PICK SHEET  batch 1  zone A  wave 2026-11-23 18:30"
is "sheet of zone B" "$(head -n 1 sheets/batch-000002.txt)" \
    "PICK SHEET  batch 2  zone B  wave 2026-11-23 18:30"
check "zone A's sheet: only zone A's stops" sh -c '! grep -q B0 sheets/batch-000001.txt'
check "zone B's sheet: only zone B's stops" sh -c '! grep -q "  A0" sheets/batch-000002.txt'
is "the split order's totes say where the rest is" \
    "$(grep -h 'order Z-1' sheets/batch-00000[12].txt)" \
    "  T2  order Z-1  [keep-dry]  (pack with zones A+B)
  T2  order Z-1  [fragile]  (pack with zones A+B)"
is "an order of one zone: no note" "$(grep -c 'order Z-3.*pack' sheets/batch-000002.txt || true)" 0
pdftotext -layout sheets/batch-000002.pdf b2.txt
check "PDF sheet: the zone" grep -q "PICK SHEET  *batch 2  *zone B" b2.txt
check "PDF sheet: the note" grep -q "Z-1 (pack with zones A+B)" b2.txt

is "ledger: each zone's stock in its batch" \
    "$(ledger_sql fulfil.db "select sku, batch from picks where order_id = 'Z-1' order by sku" | tr '\n' ' ')" \
    "A-1|1 B-1|2 "
is "ledger batches" "$(ledger_sql fulfil.db "select id, orders, $(sql_1dp route_m) from batches order by id" | tr '\n' ' ')" \
    "1|2|36.0 2|2|45.0 "
is "ledger record = output" \
    "$(ledger_sql fulfil.db "select rec(record) from orders where order_id = 'Z-1'")" \
    "$(grep '"Z-1"' out)"

# Same input, same config: same bytes.
fresh_ledger
ingest-orders -q "$DATA/zones-orders.ndjson" >/dev/null
pick-list -q -o sheets2 in.ndjson >out2
check "deterministic: records" cmp -s out out2
check "deterministic: sheets" cmp -s sheets/batch-000002.txt sheets2/batch-000002.txt

# A cart works one zone: with carts of one tote each order is its own
# batch, and Z-1 still goes out in one batch per zone.
jq '.carts.totes = 1' fulfil.json >f && mv f fulfil.json
fresh_ledger
ingest-orders -q "$DATA/zones-orders.ndjson" >/dev/null
run pick-list in.ndjson
is "one tote a cart: four batches" "$(jq -s -c '[.[].pick.by_zone[] | [.zone, .batch]] | sort' out)" \
    '[["A",1],["A",2],["B",3],["B",4]]'

done_testing
