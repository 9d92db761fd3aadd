#!/bin/sh
# Store pickup: the configuration's pickup section names the shipping
# methods that mean the customer collects (globs, case and blanks aside)
# and the locations; such an order gets service pickup and
# pickup.location, needs no address and no carrier, and is promised
# ready_by (the pickup section's ready_time on the day it would ship)
# instead of ship_by and deliver_by (placed on a holiday: ready the next
# working day).
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup

order() {
	printf '{"order_id":"%s","placed_at":"%s","customer":{"name":"Gao Min","phone":"021 5555 0123"},"lines":[{"sku":"TEA-2","qty":1}]%s}\n' "$@"
}
{
	order store-a 2026-11-23T09:00:00+08:00 ',"shipping_method":"Collect from  Store A (Mon-Fri)"'
	order store-b 2026-11-23T16:00:00+08:00 ',"shipping_method":"collect from store b"'
	order zh 2026-11-23T09:00:00+08:00 ',"shipping_method":"门店自提","ship_to":{"name":"高敏","phone":"13800138001"}'
	order said 2026-11-26T09:00:00+08:00 ',"service":"pickup","pickup":{"location":"Store C"}'
	order parcel 2026-11-23T09:00:00+08:00 ',"shipping_method":"Standard Shipping"'
} >in.ndjson

# Without a pickup section: no pickup, and service pickup is refused.
run ingest-orders in.ndjson
is "no pickup section: exit 1" "$rc" 1
check "service pickup needs the section" grep -q \
    "order said: service pickup needs a pickup section in the configuration" err
check "a collect method is a parcel then, and needs its address" \
    grep -q "order store-a: ship_to is missing" err

jq '.pickup = {"methods": ["Collect from *", "*自提*"],
    "locations": {"Store A, 1 Test Road": "collect from store a*"},
    "ready_time": "16:00"}' fulfil.json >f.json && mv f.json fulfil.json
fresh_ledger
run ingest-orders in.ndjson
is "exit 1: the parcel has no address" "$rc" 1
is "pickups: service, location, ready_by" \
    "$(jq -c 'select(.service == "pickup") | [.order_id, .pickup.location, .promise]' out)" \
    '["store-a","Store A, 1 Test Road",{"ready_by":"2026-11-23T16:00:00+08:00"}]
["store-b","Test Warehouse",{"ready_by":"2026-11-24T16:00:00+08:00"}]
["zh","Test Warehouse",{"ready_by":"2026-11-23T16:00:00+08:00"}]
["said","Store C",{"ready_by":"2026-11-27T16:00:00+08:00"}]'
is "phones of a pickup without an address: the warehouse's country" \
    "$(jq -r 'select(.order_id == "store-a") | .customer.phone' out)" "+862155550123"
is "the shipping method is kept for the record" \
    "$(jq -r 'select(.order_id == "zh") | .shipping_method' out)" "门店自提"
is "any other method is a parcel" "$(head -1 err)" \
    "ingest-orders: in.ndjson:5: order parcel: ship_to is missing"

# A pickup cut-off of its own, through cutoffs.
jq '.cutoffs.pickup = "17:00"' fulfil.json >f.json && mv f.json fulfil.json
fresh_ledger
run ingest-orders in.ndjson
is "cutoffs.pickup: placed at 16:00, ready that day" \
    "$(jq -r 'select(.order_id == "store-b") | .promise.ready_by' out)" \
    2026-11-23T16:00:00+08:00
done_testing
