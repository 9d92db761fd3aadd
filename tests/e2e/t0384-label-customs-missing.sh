#!/bin/sh
# label: a line of an international parcel without customs data is
# warned about, naming the order, the SKU and the field; the parcel is
# labelled all the same, and its declaration says what is missing (null
# in the record, MISSING on the form) - never an HS code made up.  A
# wrong value in the catalogue is a warning naming its line, and left
# out.  A return from abroad is declared as returned goods.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
. "$FULFIL_ROOT/tests/e2e/customs.sh"
setup
customs_picked '.order_id == "C-MISS"'
run label -f zpl,pdf -o l picked.ndjson
is "exit 0: labelled all the same" "$rc" 0
is "one warning per SKU and field" "$(grep warning err)" \
"label: picked.ndjson:1: order C-MISS: warning: SKU POT-1: no hs_code for the customs declaration
label: picked.ndjson:1: order C-MISS: warning: SKU HEAVY-1: no hs_code for the customs declaration
label: picked.ndjson:1: order C-MISS: warning: SKU HEAVY-1: no origin_country for the customs declaration"
check "no customer data in the messages" sh -c "! grep -q 'Erika\|Musterstrasse\|+49' err"
is "the record: null and what is missing" \
    "$(jq -c '[.shipment.customs.items[] | [.sku, .hs_code, .origin_country, .missing]]' out)" \
    '[["POT-1",null,"CN",["hs_code"]],["HEAVY-1",null,null,["hs_code","origin_country"]]]'
is "the totals count every line" \
    "$(jq -c '.shipment.customs | [.form, .total_value, .total_weight_g]' out)" \
    '["CN22",10000,6650]'
pdftotext -layout l/*.pdf text
check "the form: MISSING in the HS code column" \
    sh -c "grep 'Clay teapot' text | grep -q 'MISSING *CN'"
check "the form: the kettle (no customs description: the line's name)" \
    sh -c "grep 'Kettle' text | grep -q 'MISSING *MISSING'"
check "the form says what is missing" \
    sh -c "tr '\n' ' ' <text | tr -s ' ' | grep -q 'Incomplete, missing: POT-1 hs_code, HEAVY-1 hs_code, HEAVY-1 origin_country'"
check "ZPL: the same" grep -q 'FDIncomplete, missing: POT-1 hs_code' l/*.zpl

# Wrong values in the catalogue: warned about with the line, left out,
# the row still usable.
awk -F, 'BEGIN{OFS=","} $1=="TEA-2"{$10="09.02"; $11="XX"} {print}' \
    "$DATA/customs-catalog.csv" >catalog.csv
ingest-orders -q --db bad.db "$DATA/customs-orders.ndjson" |
    pick-list -q --db bad.db 2>/dev/null | jq -c 'select(.order_id == "C-JP")' >jp.ndjson
run label --db bad.db jp.ndjson
is "bad catalogue values: exit 0" "$rc" 0
is "bad catalogue values: warned with the line" "$(grep catalog.csv err)" \
    "label: ./catalog.csv:3: SKU TEA-2: warning: hs_code '09.02' is not 6 to 10 digits (dots allowed), left out; origin_country 'XX' is not an ISO 3166-1 alpha-2 code, left out"
is "bad catalogue values: left out, not guessed" \
    "$(jq -c '.shipment.customs.items[0] | [.hs_code, .origin_country, .missing]' out)" \
    '[null,null,["hs_code","origin_country"]]'

# A return from Germany to the warehouse in China: returned goods.
cp "$DATA/customs-catalog.csv" catalog.csv
export FULFIL_NOW=2026-11-25T10:00:00+08:00
jq -nc '{type: "return", rma: "RMA-000009", kind: "return", source: "web",
    order_id: "C-DE", reason: "changed mind", currency: "EUR",
    lines: [{sku: "TEA-1", qty: 1, unit_price: 1500}],
    carrier: "post", service: "standard",
    ship_from: {name: "Erika Beispiel", line1: "Musterstrasse 1",
	city: "Berlin", postcode: "10115", country: "DE"},
    ship_to: {name: "Test Warehouse Returns", line1: "1 Test Road",
	city: "Shanghai", postcode: "201203", country: "CN"},
    status: "requested", created_at: "2026-11-25T10:00:00+08:00"}' >rma.ndjson
run label --db ret.db --return -f pdf -o r rma.ndjson
is "return: exit 0" "$rc" 0
is "return: returned goods, from DE to CN" \
    "$(jq -c '.shipment.customs | [.form, .category, .from_country, .to_country, .total_value]' out)" \
    '["CN22","returned_goods","DE","CN",1500]'
check "return: the form ticks returned goods" \
    sh -c "pdftotext r/*.pdf - | grep -q '\[X\] Returned goods'"
done_testing
