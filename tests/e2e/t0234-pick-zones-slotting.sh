#!/bin/sh
# pick-list --slotting with zones: the walks are replayed zone by zone
# (each batch in its zone's aisles, with its cross aisles), and a SKU is
# only offered places in its own zone, whose carts are the ones that
# fetch it.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup
# The slotting test's SKUs, SLOW-2 and SLOW-3 moved to zone B; zone A
# with a middle cross aisle.
sed -e 's/A02-01-1/B02-01-1/' -e 's/A01-02-1/B01-02-1/' \
    "$DATA/slotting-catalog.csv" >catalog.csv
touch -d 2026-11-01T00:00:00Z catalog.csv
jq '.layout = {zones: {
	A: (.layout + {cross_aisles: [5], cross_aisle_width_m: 2}),
	B: .layout}}' fulfil.json >f && mv f fulfil.json
# An order of SLOW-2 and FAST-1 on the first day: picked in both zones.
{
	cat "$DATA/slotting-orders.ndjson"
	jq -c 'select(.order_id == "SL-1") | .order_id = "SL-19" |
	    .lines += [{sku: "SLOW-2", name: "SLOW-2", qty: 1, unit_price: 1000}]' \
	    "$DATA/slotting-orders.ndjson"
} >orders.ndjson
for day in 16 17 18; do
	jq -c "select(.placed_at | startswith(\"2026-11-$day\"))" \
	    orders.ndjson >day.ndjson
	FULFIL_NOW=2026-11-${day}T10:00:00+08:00
	export FULFIL_NOW
	ingest-orders -q day.ndjson | pick-list -q >/dev/null
done
FULFIL_NOW=2026-11-20T10:00:00+08:00
walked=$(ledger_sql fulfil.db 'select cast(round(sum(route_m)) as int) from batches')
is "a batch in zone B" \
    "$(ledger_sql fulfil.db "select count(distinct batch) from picks where sku = 'SLOW-2'")" 1

run pick-list --slotting --from 2026-11-01 --to 2026-11-30
is "exit 0" "$rc" 0
is "today's walk replayed, zone by zone, is the walk the carts made" \
    "$(sed 's/.* of \([0-9,]*\) m .*/\1/' err)" "$walked"
check "some move proposed" test -s out
is "every move within its zone" \
    "$(jq -r 'select((.from | .[0:1]) != (.to | .[0:1])) | .sku' out)" ""
is "FAST-1 takes a place in zone A" "$(jq -r 'select(.sku == "FAST-1") | .to | .[0:1]' out)" A

done_testing
