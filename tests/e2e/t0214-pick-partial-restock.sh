#!/bin/sh
# The stock a backorder waits for comes back through the returns desk
# (followup --inspect puts resellable goods back in the ledger): pick-list
# --pending sends what there is, and splits the backorder again for the
# rest (X-9/3), which the next restock sends.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
. "$FULFIL_ROOT/tests/e2e/returns.sh"
. "$FULFIL_ROOT/tests/e2e/partial.sh"
setup
ship_returns
jq '.pick = {"partial": {"policy": "allow"}}' fulfil.json >f.json && mv f.json fulfil.json
# R-1 and R-2 took the three SCARCE-1 there were.
echo '{"order_id":"X-9","source":"web","placed_at":"2026-11-28T09:00:00+08:00","currency":"CNY","customer":{"name":"Ida Test","email":"ida@example.com","locale":"en"},"ship_to":{"name":"Ida Test","line1":"3 Test Lane","city":"Shanghai","postcode":"201203","country":"CN","phone":"+8613800138013"},"lines":[{"sku":"SCARCE-1","name":"Pu-erh cake 357 g","qty":2,"unit_price":12800},{"sku":"BOOK-1","name":"The book of tea","qty":1,"unit_price":3000}],"total":28600,"payment":{"method":"prepaid"},"service":"standard"}' |
    ingest-orders -q | pick-list -q >day1.ndjson
is "the book ships, the cakes wait" \
    "$(jq -r '[.order_id, .status, (.lines | map("\(.sku):\(.qty)") | join(","))] | join(" ")' day1.ndjson | tr '\n' ';')" \
    "X-9 picked BOOK-1:1;X-9/2 held SCARCE-1:2;"

# One of R-1's two cakes comes back resellable.
followup -q --receive RMA-000001 >/dev/null
followup -q --inspect RMA-000001 SCARCE-1=resellable:1 SCARCE-1=damaged:1 >/dev/null
run pick-list --pending </dev/null
is "restocked: the backorder ships the one, split again" \
    "$(jq -r '[.order_id, .status, (.lines | map("\(.sku):\(.qty)") | join(","))] | join(" ")' out | tr '\n' ';')" \
    "X-9/2 picked SCARCE-1:1;X-9/3 held SCARCE-1:1;"
is "the second part: its place in the order" "$(jq -c 'select(.order_id == "X-9/2") | .split | [.of, .part, .parts, .backorder, .later_text]' out)" \
    '["X-9",2,3,"X-9/3","Pu-erh cake 357 g × 1"]'
is "the third: of the same order" "$(jq -c 'select(.order_id == "X-9/3") | .split' out)" '{"of":"X-9","part":3,"parts":3}'
is "stock: one unit to the second part, none twice" \
    "$(led "select order_id || ':' || sku || ':' || qty from picks where order_id like 'X-9%' order by order_id")" \
    "X-9:BOOK-1:1 X-9/2:SCARCE-1:1 "

# Nothing more on the shelf: the third waits, a re-run changes nothing.
run pick-list --pending </dev/null
is "re-run: the third still held, nothing new" \
    "$(jq -r '.order_id + " " + .status' out) $(led "select count(*) from orders where order_id like 'X-9%'")" \
    "X-9/3 held 3 "

# R-2's return brings no cake; a catalogue count of 5 does.
sed 's/^\(SCARCE-1,.*\),3$/\1,5/' "$DATA/catalog.csv" >catalog.csv
touch -d 2026-11-28T03:00:00Z catalog.csv
run pick-list --pending </dev/null
is "the last part goes" "$(jq -r '.order_id + " " + .status' out)" "X-9/3 picked"
check "and is not split" sh -c "! jq -e '.split.backorder' out >/dev/null"

done_testing
