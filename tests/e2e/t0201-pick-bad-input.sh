#!/bin/sh
# pick-list: bad orders and bad catalog rows are each one clear line, set
# aside whole with --rejects; every good order is still picked; exit 1.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup

# order ID LINES: a canonical accepted order with these lines.
order() {
	jq -nc --arg id "$1" --argjson lines "$2" '{order_id: $id, source: "web",
	    placed_at: "2026-11-23T09:00:00+08:00", status: "accepted",
	    service: "standard", lines: $lines,
	    promise: {ship_by: "2026-11-23T18:30:00+08:00"}}'
}
{
	order B-1 '[{"sku": "TEA-1", "qty": 1}]'
	order B-2 '[{"sku": "NOPE-9", "qty": 1}]'
	order B-3 '[{"sku": "ANVIL-1", "qty": 1}]'
	order B-4 '[{"sku": "HEAVY-1", "qty": 7}]'
	order B-5 '[]'
	echo '{"order_id": "B-6", "lines": [ oops'
	order B-7 '[{"sku": "TEA-2", "qty": 0}]'
	order B-1 '[{"sku": "TEA-2", "qty": 1}]'
	echo '{"hello": "world"}'
	order B-8 '[{"sku": "TEA-2", "qty": 2}]'
} >in.ndjson

run pick-list --rejects rej.ndjson in.ndjson
is "exit 1" "$rc" 1
is "the good orders are picked" "$(jq -r '[.order_id, .status] | join(" ")' out | tr '\n' ',')" \
    "B-8 picked,B-1 picked,"
cat >want <<'W'
pick-list: in.ndjson:6: invalid JSON at byte 35: invalid token
pick-list: in.ndjson:8: order B-1: appears twice in the input
pick-list: in.ndjson:9: not an order record (no order_id or source)
pick-list: in.ndjson:2: order B-2: unknown SKU NOPE-9 (not in the catalog)
pick-list: in.ndjson:3: order B-3: one unit of SKU ANVIL-1 (40000 g, 16.0 l) does not fit in a tote (10000 g, 30.0 l)
pick-list: in.ndjson:4: order B-4: the order (42000 g, 87.5 l) does not fit on one cart (4 totes, 40000 g, 120.0 l)
pick-list: in.ndjson:5: order B-5: no lines to pick
pick-list: in.ndjson:7: order B-7: line 1: qty must be a whole number above 0
pick-list: 10 read, 2 picked (1 wave, 1 batch, 26.0 m walked), 0 held, 0 passed through, 8 rejected
W
same "one line per bad record" err want
is "rejects: one line each" "$(wc -l <rej.ndjson)" 8
is "rejects: reasons and lines" "$(jq -r '"\(.line) \(.order_id // "-")"' rej.ndjson | tr '\n' ',')" \
    "6 -,8 B-1,9 -,2 B-2,3 B-3,4 B-4,5 B-5,7 B-7,"
is "rejects: the record whole" "$(jq -c 'select(.order_id == "B-4") | .record.lines' rej.ndjson)" \
    '[{"sku":"HEAVY-1","qty":7}]'
is "rejects: unparsable kept as raw" "$(jq -r 'select(.line == 6) | .raw' rej.ndjson)" \
    '{"order_id": "B-6", "lines": [ oops'
is "audit trail" "$(ledger_sql fulfil.db "select order_id, what from events where what = 'pick.rejected' order by id" | tr '\n' ' ')" \
    "B-1|pick.rejected B-2|pick.rejected B-3|pick.rejected B-4|pick.rejected B-5|pick.rejected B-7|pick.rejected "
is "rejected orders are not in the ledger as picked" \
    "$(ledger_sql fulfil.db "select count(*) from orders where status = 'picked'")" 2

# Bad catalog rows: reported once each, with the file and line; orders
# needing them are rejected naming the row; the rest go on.
cat >bad.csv <<'C'
sku,name,location,weight_g,length_mm,width_mm,height_mm,handling,stock
TEA-1,Longjing,A01-03-1,300,120,80,60,keep-dry,100
TEA-2,Oolong,A02-08-2,,100,60,60,keep-dry,100
POT-1,Teapot,B09-05-1,650,180,140,120,fragile,100
BOOK-1,Book,C05-02-1,450,230,160,25,heavy,100
MUG-1,Mug,A3-2,450,230,160,25,,100
MUG-2,Mug,A01-01-1,450,230,160,25,,lots
C
touch -d 2026-11-23T00:00:00Z bad.csv
{
	order C-1 '[{"sku": "TEA-1", "qty": 1}]'
	order C-2 '[{"sku": "TEA-2", "qty": 1}]'
	order C-3 '[{"sku": "POT-1", "qty": 1}]'
} >c.ndjson
run pick-list --catalog bad.csv --db c.db c.ndjson
is "bad catalog: exit 1" "$rc" 1
cat >want <<'W'
pick-list: bad.csv:3: SKU TEA-2: missing weight_g
pick-list: bad.csv:4: SKU POT-1: location B09-05-1 is outside the layout (aisles 1-6, bays 1-10)
pick-list: bad.csv:5: SKU BOOK-1: handling 'heavy': use fragile, upright, no-stack, keep-dry
pick-list: bad.csv:6: SKU MUG-1: location 'A3-2' is not like A03-12-2
pick-list: bad.csv:7: SKU MUG-2: stock must be a whole number
pick-list: c.ndjson:2: order C-2: SKU TEA-2: catalog line 3: missing weight_g
pick-list: c.ndjson:3: order C-3: SKU POT-1: catalog line 4: location B09-05-1 is outside the layout (aisles 1-6, bays 1-10)
pick-list: 3 read, 1 picked (1 wave, 1 batch, 5.0 m walked), 0 held, 0 passed through, 2 rejected
W
same "catalog errors, then the orders they stop" err want
is "the good order is picked" "$(jq -r .order_id out)" C-1

# A catalog without a needed column is a configuration error.
printf 'sku,name,location\nX,Y,A01-01-1\n' >short.csv
run pick-list --catalog short.csv c.ndjson
is "catalog without weight_g: exit 2" "$rc" 2
is "catalog without weight_g: message" "$(cat err)" \
    "pick-list: catalog 'short.csv': no column 'weight_g'"
{ head -1 catalog.csv | sed 's/$/,Weight_g/'; tail -n +2 catalog.csv | sed 's/$/,1/'; } >twice.csv
run pick-list --catalog twice.csv c.ndjson
is "catalog with weight_g twice: exit 2" "$rc" 2
is "catalog with weight_g twice: message" "$(cat err)" \
    "pick-list: catalog 'twice.csv': column 'weight_g' appears twice in the header"
done_testing
