#!/bin/sh
# pick-list: a catalogue location in a zone the layout does not describe
# is a row error with file:line, like a location outside the layout; an
# order needing it is set aside, the others are picked.  And the zones'
# own configuration errors.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup
cp "$DATA/zones-catalog.csv" catalog.csv
echo 'C-1,Tea cups,C01-02-1,200,100,100,100,,100' >>catalog.csv
echo 'B-9,Far shelf,B04-01-1,200,100,100,100,,100' >>catalog.csv
touch -d 2026-11-23T00:00:00Z catalog.csv
jq --slurpfile l "$DATA/zones-layout.json" '.layout = $l[0]' fulfil.json >f &&
    mv f fulfil.json
{
	cat "$DATA/zones-orders.ndjson"
	jq -c '.order_id = "Z-4" | .lines[0].sku = "C-1"' "$DATA/zones-orders.ndjson" |
	    head -n 1
} >orders.ndjson
ingest-orders -q orders.ndjson >in.ndjson

run pick-list in.ndjson
is "exit 1: an order set aside" "$rc" 1
is "the row, by file and line" "$(grep catalog.csv err)" \
    "pick-list: ./catalog.csv:6: SKU C-1: location C01-02-1 is in zone C, which the layout does not describe
pick-list: ./catalog.csv:7: SKU B-9: location B04-01-1 is outside the layout (aisles 1-3, bays 1-20)"
is "the other orders picked" "$(jq -r 'select(.status == "picked") | .order_id' out | sort | tr '\n' ' ')" \
    "Z-1 Z-2 Z-3 "
check "the order needing it is not" sh -c '! grep -q "\"Z-4\"" out'

# Configuration: a zone is a capital letter with a block of its own.
for edit in '.layout.zones.a1 = .layout.zones.A' '.layout.zones.C = 3' \
    '.layout.zones = {}' '.layout.aisles = 4' '.layout.zones.A.bays = 0'; do
	jq "$edit" fulfil.json >bad.json
	run pick-list --config bad.json in.ndjson
	is "$edit: exit 2" "$rc" 2
done
jq '.layout.zones.a1 = .layout.zones.A' fulfil.json >bad.json
run pick-list --config bad.json in.ndjson
is "a zone's name" "$(cat err)" \
    "pick-list: bad.json: \$.layout.zones.a1: a zone is a capital letter, as in locations"
jq '.layout.aisles = 4' fulfil.json >bad.json
run pick-list --config bad.json in.ndjson
is "zones or one block, not both" "$(cat err)" \
    "pick-list: bad.json: \$.layout: unknown key 'aisles'"

done_testing
