#!/bin/sh
# A return parcel's journey as a carrier aggregator sends it: an EasyPost
# tracker.updated Event (pretty-printed, recognised by its shape) of a
# return label moves the RMA and tells the customer the return arrived.
# Needs followup's provider readers (issue 16, lib/provider.c): until
# they are in, the test skips itself.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
if ! followup --help 2>/dev/null | grep -q -- --provider; then
	echo "1..0 # SKIP followup reads no provider payloads yet"
	exit 0
fi
setup
ship_notify_orders
N1=$(trk N-1)
echo "{\"tracking\":\"$N1\",\"status\":\"delivered\",\"occurred_at\":\"2026-11-24T11:00:00+08:00\"}" |
    FULFIL_NOW=2026-11-24T12:00:00+08:00 followup -q >/dev/null
export FULFIL_NOW=2026-11-25T10:00:00+08:00
echo '{"order_id":"N-1","kind":"return","reason":"changed my mind","lines":[{"sku":"TEA-1","qty":1}]}' >returns.ndjson
followup -q --returns returns.ndjson | label -q --return >labelled.ndjson
R1=$(jq -r .tracking labelled.ndjson)

export FULFIL_NOW=2026-11-28T10:00:00+08:00
sed "s/@R1@/$R1/g" "$DATA/return-parcel-easypost.json" >easypost.json
run followup easypost.json
is "exit 0" "$rc" 0
is "the return arrived: a notice about the order, a task" \
    "$(jq -r '(.event // .kind) + ":" + .order_id + ":" + (.rma // .detail.rma)' out | tr '\n' ' ')" \
    "return_received:N-1:RMA-000001 inspect_return:N-1:RMA-000001 "
is "at the event's time, in the carrier's words" \
    "$(jq -r 'select(.event) | .occurred_at + " " + .message' out)" \
    "2026-11-27T11:00:00+08:00 Delivered to the warehouse"
is "the provider's words kept for the notice" \
    "$(jq -r 'select(.event) | .provider.name + " " + .provider.status' out)" \
    "easypost delivered"
is "the RMA is received" \
    "$(ledger_sql fulfil.db "select status from orders where source = 'rma'")" \
    "return_received"
run followup easypost.json
is "the payload again: nothing twice" "$rc $(wc -c <out | tr -d ' ')" "0 0"

done_testing
