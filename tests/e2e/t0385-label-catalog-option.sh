#!/bin/sh
# label --catalog FILE: the catalogue label goes by is FILE, not the
# config's (it once turned on --pack instead, its file lost: getopt's
# code for --catalog was --pack's).  And a run whose labels had text cut
# short counts them in its summary, beside each order's own warning.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
. "$FULFIL_ROOT/tests/e2e/customs.sh"
setup
customs_picked '.order_id == "C-MISS"'
# The config's catalogue lacks two HS codes and an origin; FILE has them.
awk -F, 'BEGIN{OFS=","} $1=="POT-1"{$10="691200"} $1=="HEAVY-1"{$10="732393"; $11="CN"} {print}' \
    catalog.csv >complete.csv
run label -q --catalog complete.csv -f zpl -o l picked.ndjson
is "--catalog: exit 0" "$rc" 0
is "--catalog: no warning, FILE has the customs data" "$(grep -c warning err || true)" 0
is "--catalog: the declaration's codes are FILE's" \
    "$(jq -c '[.shipment.customs.items[] | [.sku, .hs_code, .origin_country]]' out)" \
    '[["POT-1","691200","CN"],["HEAVY-1","732393","CN"]]'
run label -q --db other.db picked.ndjson
is "without --catalog: the config's, warned about" "$(grep -c 'no hs_code' err)" 2

# Cut short: each order warned, and counted in the summary (not with -q).
ingest-orders -q --db cut.db "$DATA/pick-orders.ndjson" | pick-list -q --db cut.db |
    jq -c 'select(.order_id == "P-1" or .order_id == "P-2")' >p.ndjson
long=$(printf 'Long Building Name Road %.0s' $(seq 1 20))
jq -c --arg l "$long" '.ship_to.line1 = $l' p.ndjson >long.ndjson
# A ledger of its own: cut.db has the orders with their short addresses.
run label --db long.db -f zpl -o cut long.ndjson
is "cut: exit 0" "$rc" 0
is "cut: a warning per order" "$(grep -c 'too long for the label' err)" 2
check "cut: the summary counts them" grep -q '; 2 with text cut short (warned above)' err
check "cut: no word of the address in the summary" sh -c '! grep -v warning err | grep -q Building'
done_testing
