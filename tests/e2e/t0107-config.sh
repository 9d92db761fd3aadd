#!/bin/sh
# Configuration errors name the file, the JSON path and what is wrong, and
# the tool exits 2 before reading any order (no ledger is even created).
# --config beats $FULFIL_CONFIG beats ./fulfil.json.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
IN=$DATA/orders.ndjson

run ingest-orders "$IN"
is "no configuration: exit 2" "$rc" 2
is "no configuration: message" "$(cat err)" \
    "ingest-orders: cannot read configuration 'fulfil.json': unable to open fulfil.json: No such file or directory"

# edit 'jq filter': a broken copy of the test configuration.
edit() {
	jq "$1" "$DATA/fulfil.json" >fulfil.json
}
bad() {	# name, expected message
	run ingest-orders "$IN"
	is "$1: exit 2" "$rc" 2
	is "$1: message" "$(cat err)" "ingest-orders: fulfil.json: $2"
	is "$1: nothing out" "$(wc -c <out | tr -d ' ')" 0
	check "$1: no ledger" no_ledger
}

edit '.warehouse.timezone = "Asia/Shanghia"'
bad "time zone" "\$.warehouse.timezone: unknown time zone 'Asia/Shanghia'"
edit '.carriers[1].services.express.transit_days = "3"'
bad "transit days" "\$.carriers[1].services.express.transit_days: must be an integer"
edit '.carriers[0].pikcup = "18:00"'
bad "typo in a key" "\$.carriers[0]: unknown key 'pikcup'"
edit '.cutoffs.express = "4pm"'
bad "cut-off" "\$.cutoffs.express: must be a time of day, HH:MM"
edit 'del(.promotions[0].gift.sku)'
bad "promotion" "\$.promotions[0].gift.sku: missing"
edit '.warehouse.holidays[0] = "2026-02-30"'
bad "holiday" "\$.warehouse.holidays[0]: must be a date, YYYY-MM-DD"
edit '.carriers[1].code = "sf"'
bad "carrier twice" "\$.carriers[1]: carrier code 'sf' used twice"
edit '.carriers[0].countries = ["cn"]'
bad "country" "\$.carriers[0].countries[0]: must be an ISO 3166-1 alpha-2 code in upper case"
edit '.ingest.service_map.next = "overnight"'
bad "service map" "\$.ingest.service_map.next: must name a service some carrier offers"
edit '.carriers = {"sf": {}}'
bad "carriers not a list" "\$.carriers: must be an array"
edit '.carriers[0].rates[1].up_to_g = 500'
bad "rate bands" "\$.carriers[0].rates[1]: bands must rise in up_to_g"
edit '.carriers[0].rates[0] = 1200'
bad "rate band" "\$.carriers[0].rates[0]: must be an object"
edit '.carriers[1].tracking.format = "fedex"'
bad "tracking format" "\$.carriers[1].tracking.format: must be s10, sscc, ups1z or plain"
edit '.carriers[1].tracking.last = 100000000'
bad "tracking range" "\$.carriers[1].tracking: the serial range must run from 0 up to 99999999"
edit 'del(.layout.bays)'
bad "layout" "\$.layout: needs aisles and bays"
edit '.carts.tote.max_volume_l = 0'
bad "tote volume" "\$.carts.tote.max_volume_l: must be more than 0"
edit '.label = {size: "A6"}'
bad "label size" "\$.label.size: must be 4x6 or 100x150"
edit '.privacy.mask_phone = "no"'
bad "privacy" "\$.privacy.mask_phone: must be true or false"
edit 'del(.warehouse)'
bad "no warehouse" "\$.warehouse: missing"

printf '{\n  "warehouse": {\n    "id": "x",,\n' >fulfil.json
run ingest-orders "$IN"
is "syntax error: exit 2" "$rc" 2
is "syntax error: line and column" "$(cat err)" \
    "ingest-orders: fulfil.json:3:15: string or '}' expected near ','"

printf '{\n  "warehouse": {"id": "a\\u0000"}}\n' >fulfil.json
run ingest-orders "$IN"
is "\\u0000: plain words" "$(cat err)" \
    'ingest-orders: fulfil.json:2:31: string contains a NUL character (\u0000)'

# A byte order mark, as Windows editors write, is no part of the JSON.
{ printf '\357\273\277'; cat "$DATA/fulfil.json"; } >fulfil.json
run ingest-orders -q "$IN"
is "a BOM before the JSON: read" "$rc $(wc -l <out | tr -d ' ')" "0 3"
fresh_ledger
printf '\357\273\277{\n  "warehouse": {\n    "id": "x",,\n' >fulfil.json
run ingest-orders "$IN"
is "a BOM: the same line and column" "$(cat err)" \
    "ingest-orders: fulfil.json:3:15: string or '}' expected near ','"

# Where the configuration comes from.
mkdir elsewhere
cp "$DATA/fulfil.json" elsewhere/a.json
jq '.warehouse.id = "B"' "$DATA/fulfil.json" >elsewhere/b.json
echo '{}' >fulfil.json
run env FULFIL_CONFIG=elsewhere/a.json ingest-orders -q "$IN"
is "\$FULFIL_CONFIG is read" "$rc" 0
fresh_ledger
run env FULFIL_CONFIG=elsewhere/nope.json ingest-orders -q --config elsewhere/b.json "$IN"
is "--config wins over \$FULFIL_CONFIG" "$rc" 0
done_testing
