#!/bin/sh
# A replacement's messages name the order the customer knows.  The
# replacement of an exchange is an order of its own in the ledger (its
# id is its RMA's number); when its parcel runs late, arrives or is
# shipped, the customer is told about their order N-1, never about
# "RMA-000001" (before: "订单 RMA-000002 可能晚到").  Templates see it
# as order_ref.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup
jq --arg t "$FULFIL_ROOT/examples/templates" '.notify = {templates: $t,
    from: {name: "Test Shop", address: "shop@example.com"},
    smtp: {url: "smtp://127.0.0.1:9"}, sms: {url: "http://127.0.0.1:9/sms"}}' \
    "$DATA/fulfil.json" >fulfil.json
ship_notify_orders
printf '{"tracking":"%s","status":"delivered","occurred_at":"2026-11-24T11:00:00+08:00"}\n' "$(trk N-1)" |
    FULFIL_NOW=2026-11-24T12:00:00+08:00 followup -q >/dev/null
export FULFIL_NOW=2026-11-24T13:00:00+08:00
echo '{"order_id":"N-1","kind":"exchange","reason":"wrong size","lines":[{"sku":"TEA-1","qty":1}]}' |
    followup -q --returns /dev/stdin >/dev/null
pick-list -q --pending </dev/null | label -q | dispatch -q >replacement.ndjson
is "the replacement is its own order" "$(jq -r '.source + ":" + .order_id + ":" + .exchange_of.order_id' replacement.ndjson)" \
    "exchange:RMA-000001:N-1"
R=$(jq -r .shipment.tracking replacement.ndjson)

# Shipped: the replacement for order N-1.
run notify --dry-run --channel email replacement.ndjson
is "shipped names N-1" "$(jq -r .subject out)" "订单 N-1 的换货已发出"

# Late: its deliver_by passes with no scan.
FULFIL_NOW=2026-11-28T10:00:00+08:00 followup -q --scan >all.ndjson
jq -c 'select(.source == "exchange")' all.ndjson >scan.ndjson
is "a delay apology for the replacement" \
    "$(jq -r 'select(.event == "delay_apology") | .source + ":" + .order_id' scan.ndjson)" "exchange:RMA-000001"
run notify --dry-run --channel email scan.ndjson
is "the apology names the order the customer knows" "$(jq -r .subject out)" "订单 N-1 可能晚到，向您致歉"
check "and no RMA number in its text" sh -c "! jq -r '.subject + .text' out | grep -q RMA-"
run notify --dry-run --channel sms scan.ndjson
check "nor in the SMS" sh -c "! jq -r '.text' out | grep -q RMA-"

# Delivered.
printf '{"tracking":"%s","status":"delivered","occurred_at":"2026-11-28T11:00:00+08:00"}\n' "$R" |
    FULFIL_NOW=2026-11-28T12:00:00+08:00 followup -q >delivered.ndjson
run notify --dry-run --channel email delivered.ndjson
check "delivered names N-1" sh -c "jq -r .subject out | grep -q 'N-1' && ! jq -r '.subject + .text' out | grep -q RMA-"

done_testing
