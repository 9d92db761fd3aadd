#!/bin/sh
# label: text is never cut without the warning saying which field.  A
# long carrier name ("China Post EMS International") is set smaller and
# fits, with no warning; a name too long even then, or an address too
# long, is cut with an ellipsis and named in the warning.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup
ingest-orders -q "$DATA/pick-orders.ndjson" | pick-list -q |
    jq -c 'select(.order_id == "P-1" or .order_id == "P-2")' >picked.ndjson

jq '.carriers[0].name = "China Post EMS International"' "$DATA/fulfil.json" >fulfil.json
run label --db ems.db -f zpl,pdf -o ems picked.ndjson
is "EMS: exit 0" "$rc" 0
is "EMS: no warning" "$(grep -c warning err || true)" 0
pdftotext ems/*.pdf ems.txt
check "EMS: the whole name on the label" grep -q "^China Post EMS International$" ems.txt
check "EMS: nothing cut" sh -c '! grep -q "…" ems.txt'

jq '.carriers[0].name = "China Post EMS International Express Mail Service, Guangzhou Exchange Office"' \
    "$DATA/fulfil.json" >fulfil.json
long=$(printf 'Long Building Name Road %.0s' $(seq 1 20))
jq -c --arg l "$long" 'if .order_id == "P-2" then .ship_to.line1 = $l else . end' picked.ndjson >long.ndjson
run label --db long.db -f zpl -o long long.ndjson
is "too long: labelled all the same" "$rc" 0
is "too long: each order's warning names its fields" "$(grep warning err)" \
    "label: long.ndjson:1: order P-1: warning: the carrier's name too long for the label, cut short with an ellipsis
label: long.ndjson:2: order P-2: warning: the carrier's name, the ship-to address too long for the label, cut short with an ellipsis"
check "too long: no word of the address in the warning" sh -c '! grep -q "Building" err'
done_testing
