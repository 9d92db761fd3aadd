#!/bin/sh
# KPIs and the report of split orders: an order counts once, each
# shipment on its own (X-1's first part on time, its backorder shipped
# the next day after its ship_by: late); the report lists the parts.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup
jq '.pick = {"partial": {"policy": "allow"}}' "$DATA/fulfil.json" >fulfil.json

ingest-orders -q "$DATA/partial-orders.ndjson" | pick-list -q | label -q |
    FULFIL_NOW=2026-11-23T16:00:00+08:00 dispatch -q >/dev/null
export FULFIL_NOW=2026-11-24T10:00:00+08:00
sed 's/^\(SCARCE-1,.*\),3$/\1,4/' "$DATA/catalog.csv" >catalog.csv
touch -d 2026-11-24T01:00:00Z catalog.csv
# 4 on the shelf now: X-1/2 (2, first by ship_by and placed_at) and
# X-2/2 (1) go; X-3 (COD, 9) still waits whole.
pick-list -q --pending </dev/null | label -q |
    FULFIL_NOW=2026-11-24T16:00:00+08:00 dispatch -q >day2.ndjson
is "day 2: both backorders shipped" "$(jq -r '[.order_id, .status] | join(":")' day2.ndjson | sort | tr '\n' ' ')" \
    "X-1/2:dispatched X-2/2:dispatched X-3:held "
trk() { ledger_sql fulfil.db "select json_extract(rec(record), '$.shipment.tracking') from orders where order_id = '$1'"; }
printf '%s\n' \
    "{\"tracking\":\"$(trk X-1)\",\"status\":\"delivered\",\"occurred_at\":\"2026-11-24T11:00:00+08:00\"}" \
    "{\"tracking\":\"$(trk X-1/2)\",\"status\":\"delivered\",\"occurred_at\":\"2026-11-27T11:00:00+08:00\"}" |
    FULFIL_NOW=2026-11-27T12:00:00+08:00 followup -q >/dev/null

export FULFIL_NOW=2026-11-30T18:00:00+08:00
run followup --report --from 2026-11-20 --to 2026-11-30 -o rep
is "report: exit 0" "$rc" 0
k() { jq -c "$1" out; }
is "orders: three placed, not five" "$(k .orders)" 3
is "shipped by ship_by: per shipment, the backorders late" "$(k .shipped_on_time)" \
    '{"n":4,"on_time":2,"pct":50}'
is "promise kept: per shipment delivered" "$(k .promise_kept)" '{"n":2,"kept":1,"pct":50}'
is "a line a day: orders on the day placed, shipments on the day shipped" \
    "$(k '[.daily[3], .daily[4]]')" \
    '[{"day":"2026-11-23","orders":3,"shipped":2,"on_time":2},{"day":"2026-11-24","orders":0,"shipped":2,"on_time":0}]'
is "split: the counts" "$(k '.split | [.orders, .backorders, .waiting]')" "[2,2,0]"
is "split: each order with its parts" \
    "$(k '.split.list | map([.order_id, (.parts | map("\(.order_id):\(.status):\(.late)") | join(","))])')" \
    '[["X-2","X-2:dispatched:false,X-2/2:dispatched:true"],["X-1","X-1:delivered:false,X-1/2:delivered:true"]]'

page=rep/report-2026-11-20-2026-11-30.html
check "the page: a split orders section" grep -q '<h2>Split orders</h2>' "$page"
check "the page: the figures" grep -q 'Orders shipped in parts: <span data-kpi="split.orders">2</span>' "$page"
is "the page: a row per shipment" "$(grep -c '<tr><td>X-[12]</td><td>X-' "$page")" 4
check "the page: the late one" grep -q '<tr><td>X-1</td><td>X-1/2</td><td>delivered</td><td>2026-11-24T16:00:00+08:00</td><td>late</td></tr>' "$page"
# tests/report-check.py: Chromium renders it with the record's figures.
report_check "report-check: the page's figures are the record's" "$page" out
# In Chinese: the same figures, and no English of the page's own.
run followup --report --locale zh-CN --from 2026-11-20 --to 2026-11-30 -o rep-zh
check "zh-CN: the section" grep -q '<h2>分批发货的订单</h2>' rep-zh/report-2026-11-20-2026-11-30.html
report_check "report-check: the zh-CN page, its figures those of the en page" \
    rep-zh/report-2026-11-20-2026-11-30.html out "$page"

# A period without a split order: no section, "split" all zero.
run followup --report --from 2026-12-01 --to 2026-12-02 -o rep2
is "no split orders: zeros" "$(k '.split | [.orders, .backorders, .waiting, (.list | length)]')" "[0,0,0,0]"
check "no split orders: no section" sh -c '! grep -q "Split orders" rep2/*.html'

done_testing
