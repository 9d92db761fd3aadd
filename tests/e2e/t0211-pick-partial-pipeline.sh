#!/bin/sh
# A split order through every stage: ingest -> pick-list (ships the 3
# on the shelf and the book, keeps 2 as backorder X-1/2) -> label ->
# dispatch -> notify (one message: what now, what later); then the stock
# arrives and pick-list --pending sends the backorder through every stage
# with its own parcel and tracking, and the customer hears that the rest
# is on its way, under the order they know.  Re-runs make nothing twice.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
. "$FULFIL_ROOT/tests/e2e/partial.sh"
setup
partial_config
jq -c 'select(.order_id == "X-1")' "$DATA/partial-orders.ndjson" >x1.ndjson

# Day 1: the first shipment.
ingest-orders -q x1.ndjson | pick-list -q >picked.ndjson
label -q -o labels picked.ndjson >labelled.ndjson
FULFIL_NOW=2026-11-23T16:00:00+08:00 dispatch -q labelled.ndjson >dispatched.ndjson
FULFIL_NOW=2026-11-23T16:05:00+08:00 run notify dispatched.ndjson
is "notify: exit 0" "$rc" 0
is "the first shipment: dispatched with its tracking, the backorder held" \
    "$(jq -r '[.order_id, .status, (.shipment.tracking // "-")] | join(" ")' dispatched.ndjson | tr '\n' ';')" \
    "X-1 dispatched SF000000000001;X-1/2 held -;"
is "label: one parcel, weighed as what ships now" \
    "$(jq -c 'select(.order_id == "X-1") | [(.shipment.parcels | length), .pick.weight_g]' dispatched.ndjson)" '[1,1650]'
is "one message, the partial shipment" "$(jq -r '[.order_id, .event] | join(" ")' outbox.ndjson)" \
    "X-1 partial_shipment"
jq -r .text outbox.ndjson >msg1.txt
check "it says what comes now" grep -q "^Part of your order X-1 left our warehouse today with SF Express: Pu-erh cake 357 g × 3, The book of tea × 1.$" msg1.txt
check "and what later" grep -q "^The rest is not in our warehouse yet: Pu-erh cake 357 g × 2.$" msg1.txt
check "and that the date is not known" grep -q "We do not know the date yet." msg1.txt
is "subject" "$(jq -r .subject outbox.ndjson)" "Order X-1: part of it is on its way"
is "the summary: the backorder passed, not told" "$(tail -n 1 err)" \
    "notify: 2 read, 1 sent, 0 deferred, 0 to retry, 0 failed, 0 already sent, 0 opted out, 0 rejected"

# Nothing twice: the same records again, and --pending (a held backorder
# is no stock_delay news: the partial shipment told it).
FULFIL_NOW=2026-11-23T16:10:00+08:00 notify -q --pending dispatched.ndjson >/dev/null
FULFIL_NOW=2026-11-23T16:10:00+08:00 pick-list -q --pending picked.ndjson >/dev/null
FULFIL_NOW=2026-11-23T16:10:00+08:00 label -q -o labels picked.ndjson >/dev/null
is "re-runs: one message, one parcel, one backorder" \
    "$(wc -l <outbox.ndjson | tr -d ' ') $(led "select count(*) from parcels; select count(*) from orders")" "1 1 2 "

# Day 2: the stock comes (the catalogue rewritten with 10 more).
export FULFIL_NOW=2026-11-24T10:00:00+08:00
sed 's/^\(SCARCE-1,.*\),3$/\1,10/' "$DATA/catalog.csv" >catalog.csv
touch -d 2026-11-24T01:00:00Z catalog.csv
pick-list -q --pending </dev/null >picked2.ndjson
is "pending: the backorder picked, nothing else" \
    "$(jq -r '[.order_id, .status, (.lines | map("\(.sku):\(.qty)") | join(","))] | join(" ")' picked2.ndjson)" \
    "X-1/2 picked SCARCE-1:2"
label -q -o labels picked2.ndjson >labelled2.ndjson
FULFIL_NOW=2026-11-24T16:00:00+08:00 dispatch -q labelled2.ndjson >dispatched2.ndjson
FULFIL_NOW=2026-11-24T16:05:00+08:00 notify -q dispatched2.ndjson >/dev/null
is "the second shipment: its own parcel and tracking" \
    "$(jq -r '[.order_id, .status, .shipment.tracking, (.shipment.parcels | length)] | join(" ")' dispatched2.ndjson)" \
    "X-1/2 dispatched SF000000000002 1"
check "a label file of its own" test "$(ls labels | wc -l)" -ge 2
is "stock: each part took its own" \
    "$(led "select order_id || ':' || sku || ':' || qty from picks order by order_id, sku")" \
    "X-1:BOOK-1:1 X-1:SCARCE-1:3 X-1/2:SCARCE-1:2 "
is "a second message: shipped, for the rest" "$(tail -n 1 outbox.ndjson | jq -r '[.order_id, .event] | join(" ")')" \
    "X-1/2 shipped"
tail -n 1 outbox.ndjson | jq -r .text >msg2.txt
is "it names the order the customer knows" "$(tail -n 1 outbox.ndjson | jq -r .subject)" "Order X-1 is on its way"
check "and says it is the rest" grep -q "^This parcel is the rest of your order, which we told you would follow.$" msg2.txt
check "no 1001/2-style id in the text" sh -c '! grep -q "X-1/2" msg2.txt'
is "the ledger: both shipped" "$(led "select order_id || ':' || status from orders order by order_id")" \
    "X-1:dispatched X-1/2:dispatched "

# Re-runs of the second day: nothing more.
pick-list -q --pending </dev/null >/dev/null
label -q --pending </dev/null >/dev/null
FULFIL_NOW=2026-11-24T17:00:00+08:00 notify -q --pending </dev/null >/dev/null
is "re-runs: two messages, two parcels" \
    "$(wc -l <outbox.ndjson | tr -d ' ') $(led "select count(*) from parcels")" "2 2 "

# followup: each part's tracking moves its own order.
printf '%s\n' "{\"tracking\":\"SF000000000002\",\"status\":\"delivered\",\"occurred_at\":\"2026-11-26T11:00:00+08:00\"}" |
    FULFIL_NOW=2026-11-26T12:00:00+08:00 followup -q >/dev/null
is "followup: the backorder delivered, the first part still dispatched" \
    "$(led "select order_id || ':' || status from orders order by order_id")" \
    "X-1:dispatched X-1/2:delivered "

done_testing
