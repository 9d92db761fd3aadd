#!/bin/sh
# Two warehouses on one ledger: each takes the orders its
# warehouse.claim gives it, or those whose own "warehouse" field names it;
# an order is claimed once, by the first to take it, and no other
# warehouse's pick-list, label or dispatch works on it, nor its --pending
# reads it.  followup --report gives the whole and each warehouse.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup
jq '.warehouse.id = "EAST"
    | .warehouse.claim = [{"country": ["CN"], "postcode": ["0", "1", "2", "3"]},
        {"country": ["US", "JP"]}]' fulfil.json >east.json
jq '.warehouse.id = "WEST"
    | .warehouse.claim = [{"country": ["CN"], "postcode": ["4", "5", "6", "7", "8", "9"]},
        {"source": ["wholesale"]}]' fulfil.json >west.json
o() { # o ID COUNTRY POSTCODE [EXTRA]
	printf '{"order_id":"%s","source":"web","placed_at":"2026-11-23T09:00:00+08:00","ship_to":{"name":"Test Person","line1":"1 Test Road","city":"Testville","postcode":"%s","country":"%s","phone":"+8613800138000"},"lines":[{"sku":"TEA-1","qty":1}],"total":12800,"payment":{"method":"prepaid"}%s}\n' "$1" "$3" "$2" "${4:-}"
}
{
	o E-1 CN 201203
	o E-2 US 10001
	o W-1 CN 510000
	o W-2 CN 610000
	o W-3 CN 200001 ',"warehouse":"WEST"'
	o N-1 DE 10115
} >in.ndjson

run ingest-orders --config east.json in.ndjson
is "EAST: exit 0" "$rc" 0
is "EAST takes its own" "$(jq -r .order_id out | tr '\n' ' ')" "E-1 E-2 "
is "EAST: the others counted" "$(cat err)" \
    "ingest-orders: 6 read, 2 accepted, 0 updated, 0 duplicate, 0 cancelled, 0 rejected, 4 for other warehouses"
cp out east.ndjson
run ingest-orders --config west.json in.ndjson
is "WEST takes its own, and the order that names it" \
    "$(jq -r .order_id out | tr '\n' ' ')" "W-1 W-2 W-3 "
cp out west.ndjson
is "the claims in the ledger; the order no warehouse claims is not there" \
    "$(ledger_sql fulfil.db "select order_id || '=' || warehouse from orders order by order_id" | tr '\n' ' ')" \
    "E-1=EAST E-2=EAST W-1=WEST W-2=WEST W-3=WEST "
is "every run says its warehouse" \
    "$(ledger_sql fulfil.db "select tool || '=' || warehouse from runs order by id" | tr '\n' ' ')" \
    "ingest-orders=EAST ingest-orders=WEST "

# A claim is for good: a warehouse whose rule would take the order now,
# or an update of it, does not.
jq -c 'select(.order_id == "W-1") | .total = 12900' in.ndjson >upd.ndjson
run ingest-orders --config east.json --db fulfil.db upd.ndjson
is "an update of WEST's order: not EAST's" "$(wc -c <out | tr -d ' ') $rc" "0 0"
run ingest-orders --config west.json upd.ndjson
is "WEST takes its update" "$(jq -r '.order_id + " " + (.revision | tostring)' out)" "W-1 2"

# The stages after: another warehouse's order is set aside, one line.
run pick-list --config east.json west.ndjson
is "pick-list: exit 1" "$rc" 1
is "pick-list: each set aside, saying whose" "$(cat err)" \
    "pick-list: west.ndjson:1: order W-1: claimed by warehouse 'WEST'
pick-list: west.ndjson:2: order W-2: claimed by warehouse 'WEST'
pick-list: west.ndjson:3: order W-3: claimed by warehouse 'WEST'
pick-list: 3 read, 0 picked (0 waves, 0 batches, 0.0 m walked), 0 held, 0 passed through, 3 rejected"
pick-list -q --config west.json west.ndjson >wpicked.ndjson
run label --config east.json wpicked.ndjson
is "label: another warehouse's order set aside" \
    "$rc $(grep -c "claimed by warehouse 'WEST'" err)" "1 3"
label -q --config west.json wpicked.ndjson >wlabelled.ndjson
run dispatch --config east.json wlabelled.ndjson
is "dispatch: another warehouse's order set aside" \
    "$rc $(grep -c "claimed by warehouse 'WEST'" err)" "1 3"
is "nothing of WEST's labelled or dispatched by EAST" \
    "$(ledger_sql fulfil.db "select count(*) from parcels p join runs r on r.id = p.run where r.warehouse = 'EAST'")" 0

# --pending: a warehouse's own orders.
run pick-list --config east.json --pending </dev/null
is "EAST's pick-list --pending: its own" "$(jq -r .order_id out | sort | tr '\n' ' ')" "E-1 E-2 "
FULFIL_NOW=2026-11-23T16:00:00+08:00 dispatch -q --config west.json wlabelled.ndjson >wsent.ndjson
label -q --config east.json --pending </dev/null 2>/dev/null |
    FULFIL_NOW=2026-11-23T16:00:00+08:00 dispatch -q --config east.json >esent.ndjson
is "each shipped its own" \
    "$(jq -r .order_id esent.ndjson wsent.ndjson | sort | tr '\n' ' ')" "E-1 E-2 W-1 W-2 W-3 "

# The report: the whole, and each warehouse.
FULFIL_NOW=2026-11-24T10:00:00+08:00 run followup --config east.json --report -o rep
is "report: exit 0" "$rc" 0
is "the whole and each warehouse" \
    "$(jq -c '[.warehouse, .orders, .shipped_on_time.n, [.warehouses[] | [.warehouse, .orders, .shipped_on_time.n, has("from")]]]' out)" \
    '["Test Warehouse",5,5,[["EAST",2,2,false],["WEST",3,3,false]]]'
check "the page has a row for each" grep -q '<td>EAST</td><td>2</td>.*<td>WEST</td><td>3</td>' \
    "$(cat rep/report-*.html | tr -d '\n' >page.html && echo page.html)"
FULFIL_NOW=2026-11-24T10:00:00+08:00 run followup --config east.json --report --warehouse WEST -o rep
is "--warehouse: that one's alone" \
    "$(jq -c '[.warehouse, .orders, has("warehouses")]' out)" '["WEST",3,false]'
run followup --warehouse WEST
is "--warehouse goes with --report" "$rc $(cat err)" \
    "2 followup: -o, --from, --to, --locale and --warehouse go with --report"

# An RMA and an exchange's replacement are the shipping warehouse's,
# whichever site's followup took the request: the goods go back to WEST,
# and the replacement leaves from there.
jq -c 'select(.order_id == "W-1") | {tracking: .shipment.tracking,
    status: "delivered", occurred_at: "2026-11-24T11:00:00+08:00"}' wsent.ndjson |
    FULFIL_NOW=2026-11-24T12:00:00+08:00 followup -q --config east.json >/dev/null
echo '{"order_id":"W-1","kind":"exchange","reason_code":"changed_mind","lines":[{"sku":"TEA-1","qty":1}]}' >req.ndjson
FULFIL_NOW=2026-11-25T10:00:00+08:00 followup -q --config east.json --returns req.ndjson >made.ndjson
is "EAST's followup made them, claimed by WEST" \
    "$(ledger_sql fulfil.db "select source || '=' || warehouse from orders where source in ('rma', 'exchange') order by source" | tr '\n' ' ')" \
    "exchange=WEST rma=WEST "
jq -c 'select(.type == "return")' made.ndjson >rma.ndjson
FULFIL_NOW=2026-11-25T11:00:00+08:00 run label --config east.json --return rma.ndjson
is "EAST: the return label is not its to make" \
    "$rc $(grep -c "claimed by warehouse 'WEST'" err)" "1 1"
FULFIL_NOW=2026-11-25T11:00:00+08:00 run label --config west.json --return rma.ndjson
is "WEST makes it" "$rc $(jq -r .rma out)" "0 RMA-000001"
run pick-list --config west.json --pending </dev/null
is "the replacement is WEST's to pick" "$rc $(jq -r .source out | tr '\n' ' ')" "0 exchange "

# One warehouse's ledger (a file of its own, on either backend's pass):
# the report as it always was.
ingest-orders -q --config east.json --db one.db in.ndjson >/dev/null
FULFIL_NOW=2026-11-24T10:00:00+08:00 followup -q --config east.json --db one.db --report -o one >out
is "one warehouse: no per-warehouse list" "$(jq -c '[.orders, has("warehouses")]' out)" "[2,false]"

# warehouse.claim's mistakes, each said.
for c in '[]' '[{}]' '[{"country": ["China"]}]' '[{"city": ["X"]}]'; do
	jq --argjson c "$c" '.warehouse.claim = $c' fulfil.json >bad.json
	run ingest-orders --config bad.json /dev/null
	echo "$rc $(cat err)"
done >bad.txt
is "mistakes in warehouse.claim" "$(cat bad.txt)" \
    "2 ingest-orders: bad.json: $.warehouse.claim: claims no order: leave it out to claim every order
2 ingest-orders: bad.json: $.warehouse.claim[0]: must be an object with country, region, postcode or source
2 ingest-orders: bad.json: $.warehouse.claim[0].country[0]: must be a country code (ISO 3166-1 alpha-2)
2 ingest-orders: bad.json: $.warehouse.claim[0]: unknown key 'city'"
done_testing
