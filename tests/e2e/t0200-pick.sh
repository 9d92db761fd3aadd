#!/bin/sh
# pick-list: stock first, waves, batches, routes, totes, handling, gifts,
# pick sheets and --stats, on the test warehouse (6 aisles x 10 bays).
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup

ingest-orders -q "$DATA/pick-orders.ndjson" >in.ndjson
run pick-list --stats -o sheets in.ndjson
is "exit 0" "$rc" 0
is "summary" "$(tail -n 1 err)" \
    "pick-list: 7 read, 6 picked (2 waves, 3 batches, 130.0 m walked), 1 held, 0 passed through, 0 rejected"

pick() { jq -r --arg id "$1" "select(.order_id == \$id) | $2" out; }
is "picked orders come cart by cart, tote by tote, then held ones" \
    "$(jq -r '[.order_id, .status, .pick.batch // "-", .pick.tote // "-"] | join(" ")' out | tr '\n' ',')" \
    "P-5 picked 1 1,P-1 picked 1 3,P-6 picked 1 4,P-2 picked 2 1,P-3 picked 2 2,P-7 picked 3 1,P-4 held - -,"
is "wave: the ship_by in the warehouse's time" "$(pick P-7 .pick.wave)" "2026-11-24 18:30"
is "route_m: the batch's tour" "$(pick P-2 .pick.route_m)" 47
is "an order over one tote's weight takes two" "$(pick P-5 '.pick.totes | join(",")')" "1,2"
is "handling from the catalog" "$(pick P-2 '.pick.handling | join(",")')" "fragile,upright"
is "no handling: an empty list" "$(pick P-7 '.pick.handling | length')" 0
is "weight from the catalog" "$(pick P-5 .pick.weight_g)" 12300
is "seq: the order's first stop" "$(pick P-3 .pick.seq)" 2
is "short stock: held, with what is missing" "$(pick P-4 '.pick.short | tostring')" \
    '[{"sku":"SCARCE-1","qty_short":1}]'
is "the rest of the record is kept" "$(pick P-2 .ship_to.city)" Shanghai
is "same orders in, same orders out" "$(jq -r .order_id out | sort | tr '\n' ' ')" \
    "P-1 P-2 P-3 P-4 P-5 P-6 P-7 "

# A single pick is easy to check by hand: depot in front of aisle 1, the
# pick at aisle 5 bay 2 (y = 1.5): 12 m along the front, up 1.5 and back,
# 12 m back.
is "one stop: route by hand" "$(pick P-7 .pick.route_m)" 27

# Gifts with purchase are picked like any line, and marked on the sheet.
check "gift on the sheet" grep -q 'GIFT-CUP  Celadon tea cup  GIFT' sheets/batch-000001.txt

# The sheets: one text and one CSV per batch, stops in walking order.
is "sheet files" "$(ls sheets | tr '\n' ' ')" \
    "batch-000001.csv batch-000001.pdf batch-000001.txt batch-000002.csv batch-000002.pdf batch-000002.txt batch-000003.csv batch-000003.pdf batch-000003.txt "
check "no temporary files left" test -z "$(ls -A sheets | grep '^\.' || true)"
same "sheet of batch 1" sheets/batch-000001.txt "$DATA/golden/pick-batch-1.txt"
is "CSV header" "$(head -n 1 sheets/batch-000001.csv)" \
    '"batch","wave","stop","location","sku","name","qty","tote","order_id","gift","handling"'
is "CSV: one row per tote put" "$(($(wc -l <sheets/batch-000001.csv) - 1))" 7
is "CSV: the split line" "$(grep HEAVY-1 sheets/batch-000001.csv | cut -d, -f7,8,9 | tr '\n' ' ')" \
    '"1","1","P-5" "1","2","P-5" '

# The PDF sheet: a map and the same stops, read back by poppler.
pdftotext -layout sheets/batch-000001.pdf sheet1.txt
check "PDF sheet: the batch" grep -q "PICK SHEET  *batch 1" sheet1.txt
check "PDF sheet: the split stop" grep -q "C04-01-1 .*2 .*T1x1 T2x1 .*HEAVY-1" sheet1.txt
check "PDF sheet: the depot on the map" grep -q DEPOT sheet1.txt

# --stats: one JSON line, with the comparison walks.
head -n 1 err >stats.json
check "stats is JSON" jq -e . stats.json
is "stats counts" "$(jq -c '[.orders, .picked, .held, .rejected, .waves, .batches]' stats.json)" \
    "[7,6,1,0,2,3]"
is "stats: route total" "$(jq .route_m stats.json)" 130
check "stats: first-come S-shape walks further" \
    jq -e '.first_come_sshape_m > .route_m and .one_order_at_a_time_m > .route_m' stats.json

# Ledger: status, batches and the stock each order took.
is "ledger status" "$(ledger_sql fulfil.db "select order_id, status from orders order by order_id" | tr '\n' ' ')" \
    "P-1|picked P-2|picked P-3|picked P-4|held P-5|picked P-6|picked P-7|picked "
is "ledger batches" "$(ledger_sql fulfil.db "select id, wave, orders, $(sql_1dp route_m) from batches order by id" | tr '\n' ' ')" \
    "1|2026-11-23 18:30|3|56.0 2|2026-11-23 18:30|2|47.0 3|2026-11-24 18:30|1|27.0 "
is "ledger picks" "$(ledger_sql fulfil.db "select sum(qty) from picks where sku = 'SCARCE-1'")" 2
is "ledger events" "$(ledger_sql fulfil.db "select what, detail from events where order_id = 'P-4' and tool = 'pick-list'")" \
    "held|short of 1 SKU"

# The record stored is the record written.
is "ledger record = output" \
    "$(ledger_sql fulfil.db "select rec(record) from orders where order_id = 'P-5'")" \
    "$(grep '"P-5"' out)"

# No layout, no catalog: nothing is read.
jq 'del(.layout)' fulfil.json >nolayout.json
run pick-list --config nolayout.json in.ndjson
is "no layout: exit 2" "$rc" 2
check "no layout: says so" grep -q "no layout section" err
run pick-list --catalog missing.csv in.ndjson
is "no catalog file: exit 2" "$rc" 2
check "no catalog file: says so" grep -q "cannot open catalog 'missing.csv'" err
done_testing
