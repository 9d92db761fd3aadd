#!/bin/sh
# label: a helper numbers return parcels too (label --return, keyed by
# RMA), given the customer as ship_from; and its numbers are held to the
# carrier's tracking format when the carrier has one.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup

use_helper
sku=$(sed -n 2p catalog.csv | cut -d, -f1)
cat >returns.ndjson <<RET
{"type":"return","rma":"RMA-000009","source":"web","order_id":"N-1","carrier":"sf","ship_from":{"name":"Wang","line1":"1 Road","city":"Shanghai","postcode":"200000","country":"CN"},"ship_to":{"name":"Returns","line1":"2 Road","city":"Hangzhou","postcode":"310000","country":"CN"},"lines":[{"sku":"$sku","qty":1}]}
RET
run label --return -o R returns.ndjson
is "return: exit 0" "$rc" 0
is "return: the helper's number" "$(jq -r .tracking out)" SF500000000001
is "return: keyed by its RMA" "$(jq -r .idempotency_key helper.log)" "rma/RMA-000009/sf/1-of-1/0"
is "return: the customer as ship_from" "$(jq -r .parcel.ship_from.city helper.log)" Shanghai
run label --return -o R returns.ndjson
is "return again: not asked again" "$(wc -l <helper.log | tr -d ' ')" 1

# A carrier with a format: an S10 number must be one, check digit and all.
jq '.carriers[1].helper = "helper"' "$DATA/fulfil.json" >post.json
ingest-orders -q --db post.db --config post.json "$DATA/pick-orders.ndjson" |
    pick-list -q --db post.db --config post.json |
    jq -c 'select(.order_id == "P-1")' >p1.ndjson
run label --db post.db --config post.json --carrier post p1.ndjson
is "s10 carrier, plain answer: exit 1" "$rc" 1
is "s10 carrier, plain answer: refused" "$(head -n 1 err)" \
    "label: p1.ndjson:1: order P-1: carrier post: helper answered no valid tracking number of the carrier's format (key web/P-1/post/1-of-1/0)"
HELPER_TRACKING=EE123456784CN run label --db post.db --config post.json --carrier post p1.ndjson
is "a wrong check digit: refused" "$rc" 1
HELPER_TRACKING=EE123456785CN run label --db post.db --config post.json --carrier post p1.ndjson
is "a right S10: exit 0" "$rc" 0
is "a right S10: numbered, no sort code" "$(jq -c '[.shipment.tracking, .shipment.parcels[0].sort_code]' out)" \
    '["EE123456785CN",null]'
done_testing
