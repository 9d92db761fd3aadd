#!/bin/sh
# pick.partial: an order short of stock is held whole ("never", the
# default), or ships what is on the shelf and keeps the rest as a
# backorder ("allow", or "above" a share of its value), per source; a COD
# order is never split.  SCARCE-1: 3 on the shelf.  X-1 wants 5 (and a
# book: 4/6 of its value on hand), X-2 one (5/6 of its value, but X-1
# comes first), X-3 (COD) nine.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
. "$FULFIL_ROOT/tests/e2e/partial.sh"
setup
cp fulfil.json base.json

# policy JSON: fulfil.json with that pick section, a fresh ledger.
policy() {
	jq ".pick = $1" base.json >fulfil.json
	fresh_ledger
}
# try JSON [ORDERS]: pick-list run on ORDERS (the test's) under policy JSON.
try() {
	policy "$1"
	ingest-orders -q "${2:-$DATA/partial-orders.ndjson}" >in.ndjson
	run pick-list in.ndjson
}
# picked: each record out as "id status lines" (sku:qty,...).
picked() {
	jq -r '[.order_id, .status, (.lines | map("\(.sku):\(.qty)") | join(","))] | join(" ")' out |
	    tr '\n' ';'
}

# The default: held whole, as before pick.partial was.
fresh_ledger
ingest-orders -q "$DATA/partial-orders.ndjson" >in.ndjson
run pick-list in.ndjson
is "never (no pick section): exit 0" "$rc" 0
is "never: X-1 held whole, X-2 takes the stock, X-3 held" "$(picked)" \
    "X-2 picked SCARCE-1:1,POT-1:1;X-1 held SCARCE-1:5,BOOK-1:1;X-3 held SCARCE-1:9,BOOK-1:1;"
is "never: no backorder in the ledger" "$(led "select count(*) from orders where order_id like '%/%'")" "0 "
check "never: no split field" sh -c '! grep -q "\"split\"" out'
is "never: the summary as it was" "$(tail -n 1 err)" \
    "pick-list: 3 read, 1 picked (1 wave, 1 batch, 38.0 m walked), 2 held, 0 passed through, 0 rejected"

try '{"partial": {"policy": "never"}}'
is "never, said: the same" "$(picked)" \
    "X-2 picked SCARCE-1:1,POT-1:1;X-1 held SCARCE-1:5,BOOK-1:1;X-3 held SCARCE-1:9,BOOK-1:1;"

# allow: X-1 ships 3 + the book, X-2 its pot; the COD order is held.
try '{"partial": {"policy": "allow"}}'
is "allow: exit 0" "$rc" 0
is "allow: what ships now, the held, then the backorders" "$(picked)" \
    "X-1 picked SCARCE-1:3,BOOK-1:1;X-2 picked POT-1:1;X-3 held SCARCE-1:9,BOOK-1:1;X-1/2 held SCARCE-1:2;X-2/2 held SCARCE-1:1;"
is "allow: the summary counts the splits" "$(tail -n 1 err)" \
    "pick-list: 3 read, 2 picked (1 wave, 1 batch, 47.0 m walked), 1 held, 0 passed through, 0 rejected; 2 split (backorders made)"
is "allow: the part says what comes later, and as which order" \
    "$(jq -c 'select(.order_id == "X-1") | .split' out)" \
    '{"of":"X-1","part":1,"parts":2,"backorder":"X-1/2","now_text":"Pu-erh cake 357 g × 3, The book of tea × 1","later_text":"Pu-erh cake 357 g × 2","later":[{"sku":"SCARCE-1","name":"Pu-erh cake 357 g","qty":2}]}'
is "allow: the backorder: its part, held short" \
    "$(jq -c 'select(.order_id == "X-1/2") | [.split, .pick, .customer.name, .promise.ship_by]' out)" \
    "$(jq -c 'select(.order_id == "X-1") | [{"of":"X-1","part":2,"parts":2}, {"short":[{"sku":"SCARCE-1","qty_short":2}]}, .customer.name, .promise.ship_by]' out)"
is "allow: the ledger has both parts" \
    "$(led "select order_id || ':' || status from orders order by order_id")" \
    "X-1:picked X-1/2:held X-2:picked X-2/2:held X-3:held "
is "allow: stock taken only for what ships now" \
    "$(led "select order_id || ':' || sku || ':' || qty from picks order by order_id, sku")" \
    "X-1:BOOK-1:1 X-1:SCARCE-1:3 X-2:POT-1:1 "
is "allow: the audit trail" \
    "$(led "select order_id || ':' || what || ':' || detail from events where tool = 'pick-list' and order_id like 'X-1%' order by id")" \
    "X-1:split:backorder X-1/2, short of 1 SKU X-1/2:held:backorder of X-1 X-1:picked:batch 1 tote 1 "
is "allow: the pick weighs what is picked now" \
    "$(jq -r 'select(.order_id == "X-1") | .pick.weight_g' out)" 1650

# A re-run: the parts pass through, nothing made twice.
run pick-list --pending in.ndjson
is "re-run: exit 0" "$rc" 0
is "re-run: no new backorder, no new stock taken" \
    "$(led "select count(*) from orders; select sum(qty) from picks; select count(*) from events where what = 'split'")" "5 5 2 "
is "re-run: the backorders are retried, still short" \
    "$(jq -r 'select(.status == "held") | .order_id' out | sort | tr '\n' ' ')" "X-1/2 X-2/2 X-3 "

# above: X-1 has 4/6 of its value on the shelf, X-2 then 1/6.
try '{"partial": {"policy": "above", "min_share": 0.5}}'
is "above 0.5: X-1 split, X-2 held whole" "$(picked)" \
    "X-1 picked SCARCE-1:3,BOOK-1:1;X-2 held SCARCE-1:1,POT-1:1;X-3 held SCARCE-1:9,BOOK-1:1;X-1/2 held SCARCE-1:2;"
try '{"partial": {"policy": "above", "min_share": 0.7}}'
is "above 0.7: X-1 held, X-2 takes the stock whole" "$(picked)" \
    "X-2 picked SCARCE-1:1,POT-1:1;X-1 held SCARCE-1:5,BOOK-1:1;X-3 held SCARCE-1:9,BOOK-1:1;"
# Without prices, the share is of units: X-1 has 4 of its 6.
jq -c 'del(.lines[].unit_price)' "$DATA/partial-orders.ndjson" >noprice.ndjson
try '{"partial": {"policy": "above", "min_share": 0.6}}' noprice.ndjson
is "above, no prices: a share of units" "$(jq -r 'select(.order_id == "X-1") | .status' out)" picked

# By source: the shop's orders may be split, the web's not.
try '{"partial": {"policy": "allow"}, "partial_by_source": {"web": {"policy": "never"}}}'
is "by source: web held whole, the shop's filled" "$(picked)" \
    "X-2 picked SCARCE-1:1,POT-1:1;X-1 held SCARCE-1:5,BOOK-1:1;X-3 held SCARCE-1:9,BOOK-1:1;"
jq -c 'if .order_id == "X-2" then .lines[0].qty = 4 else . end' "$DATA/partial-orders.ndjson" >x2.ndjson
try '{"partial_by_source": {"shop": {"policy": "allow"}}}' x2.ndjson
is "by source: the default never, the shop allowed" "$(picked)" \
    "X-2 picked SCARCE-1:3,POT-1:1;X-1 held SCARCE-1:5,BOOK-1:1;X-3 held SCARCE-1:9,BOOK-1:1;X-2/2 held SCARCE-1:1;"

# A shop's own order X-1/2: X-1's backorder passes over its id.
{ jq -c 'select(.order_id == "X-2") | .order_id = "X-1/2" | .source = "web" | .lines = [{"sku": "TEA-2", "qty": 1}]' \
    "$DATA/partial-orders.ndjson"; cat "$DATA/partial-orders.ndjson"; } >clash.ndjson
try '{"partial": {"policy": "allow"}}' clash.ndjson
is "a taken id: the backorder is X-1/3" "$(jq -c 'select(.order_id == "X-1") | [.split.backorder, .split.parts]' out)" '["X-1/3",3]'
is "the shop's X-1/2 is its own" "$(jq -c 'select(.order_id == "X-1/2") | [.status, .lines[0].sku, .split]' out)" '["picked","TEA-2",null]'
is "X-1/3 is the rest of X-1" "$(jq -c 'select(.order_id == "X-1/3") | [.status, .split]' out)" '["held",{"of":"X-1","part":3,"parts":3}]'

# A bad policy: exit 2 before any order, naming the place.
policy '{"partial": {"policy": "sometimes"}}'
run pick-list in.ndjson
is "bad policy: exit 2" "$rc" 2
check "bad policy: the path named" grep -q 'fulfil.json: \$.pick.partial.policy: must be "never", "allow" or "above"' err
policy '{"partial": {"policy": "above", "min_share": 1.5}}'
run pick-list in.ndjson
is "bad share: exit 2" "$rc" 2
check "bad share: said" grep -q '\$.pick.partial.min_share: must be at most 1' err
policy '{"partial_by_source": {"shop": {"policy": "allow", "share": 1}}}'
run pick-list in.ndjson
check "unknown key: said" grep -q "\$.pick.partial_by_source.shop: unknown key 'share'" err

done_testing
