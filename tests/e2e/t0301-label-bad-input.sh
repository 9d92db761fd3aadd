#!/bin/sh
# label: orders it cannot label are each one line and set aside whole;
# a used-up range rejects, never wraps; the rest are labelled; exit 1.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup

ingest-orders -q "$DATA/pick-orders.ndjson" | pick-list -q >picked.ndjson
{
	jq -c 'select(.order_id == "P-1") | .order_id = "L-1" | .status = "accepted" | del(.pick)' picked.ndjson
	jq -c 'select(.order_id == "P-1") | .order_id = "L-2" | .lines[0].sku = "NOPE-1"' picked.ndjson
	jq -c 'select(.order_id == "P-1") | .order_id = "L-3" | del(.pick)' picked.ndjson
	jq -c 'select(.order_id == "P-1") | .order_id = "L-4" | .ship_to.country = "US" | .payment = {method: "cod", cod_amount: 100}' picked.ndjson
	echo '{"order_id": "L-5",'
	jq -c 'select(.order_id == "P-7")' picked.ndjson
} >in.ndjson
run label --rejects rej.ndjson in.ndjson
is "exit 1" "$rc" 1
cat >want <<'W'
label: in.ndjson:1: order L-1: not picked yet (status accepted)
label: in.ndjson:2: order L-2: SKU NOPE-1 not in the catalog
label: in.ndjson:3: order L-3: no pick data: the order did not come through pick-list
label: in.ndjson:4: order L-4: sf: does not deliver to US; post: does not collect cash on delivery; gs1: does not collect cash on delivery
label: in.ndjson:5: invalid JSON at byte 19: string or '}' expected
label: 6 read, 1 labelled, 0 reprinted (1 parcel), 0 passed through, 5 rejected
W
same "one line per order set aside" err want
is "the good one is labelled" "$(jq -r '[.order_id, .shipment.tracking] | join(" ")' out)" "P-7 SF000000000001"
is "rejects: whole records" "$(jq -r '.order_id // "-"' rej.ndjson | tr '\n' ' ')" "L-1 L-2 L-3 L-4 - "

# --carrier that cannot take the order; --carrier that does not exist.
jq -c 'select(.order_id == "P-2") | .order_id = "P-9" | .payment = {method: "cod", cod_amount: 100}' picked.ndjson >cod.ndjson
run label --carrier post cod.ndjson
is "COD on a carrier without COD: rejected" "$(head -n 1 err)" \
    "label: cod.ndjson:1: order P-9: post: does not collect cash on delivery"
run label --carrier ups cod.ndjson
is "unknown carrier: exit 2" "$rc" 2
is "unknown carrier: says so" "$(cat err)" "label: --carrier: no carrier 'ups' in fulfil.json"

# A range of three numbers: the fourth order is rejected, nothing wraps.
jq '.carriers[2].tracking.last = 123456791 | .carriers[2].tracking.low_warning = 2' fulfil.json >small.json
run label --config small.json --carrier gs1 --db small.db picked.ndjson
is "range used up: exit 1" "$rc" 1
is "range running low: warned once" "$(grep 'left in its range' err)" \
    "label: carrier gs1: only 1 tracking number left in its range (last 123456791)"
check "range used up: the reason" grep -q "order P-3: carrier gs1: tracking range used up (0 of 123456789 to 123456791 left, 1 needed)" err
is "range used up: the first three labelled" "$(jq -r '.shipment.tracking // "-"' out | tr '\n' ' ')" \
    "106141411234567897 106141411234567903 106141411234567910 - "
done_testing
