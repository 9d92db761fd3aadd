#!/bin/sh
# label --slip: a packing slip per order beside the labels, one PDF per
# lot: the items with quantities, gifts, the customer's note, handling
# marks, return instructions; its order barcode read back by zbarimg
# from a pdftoppm render.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup

# P-2 has a note and a gift; P-1 picks up the promotion's gift cup.
jq -c 'if .order_id == "P-2" then
	.preferences = {note: "周四下午送达，请先电话联系"} | .lines[0].gift = true |
	.lines[0].name = "Blue glazed pot 青花盆"
    else . end' "$DATA/pick-orders.ndjson" | ingest-orders -q | pick-list -q >picked.ndjson
run label --slip -f pdf -o labels picked.ndjson
is "exit 0" "$rc" 0
is "files: the lot's labels and its slips" "$(ls labels | tr '\n' ' ')" \
    "run-000003-0001.pdf slip-000003-0001.pdf "
is "slips: 0600" "$(stat -c %a labels/slip-000003-0001.pdf)" 600
is "the record says where the slip is" \
    "$(jq -r 'select(.shipment) | [.order_id, .shipment.slip] | join(" ")' out | sort | tr '\n' ',')" \
    "P-1 slip-000003-0001.pdf,P-2 slip-000003-0001.pdf,P-3 slip-000003-0001.pdf,P-5 slip-000003-0001.pdf,P-6 slip-000003-0001.pdf,P-7 slip-000003-0001.pdf,"
is "the ledger records the slip with the label" \
    "$(ledger_sql fulfil.db "select distinct formats from prints")" "pdf slip"
is "one page per order (six labelled), 4x6 in like the labels" \
    "$(pdfinfo labels/slip-000003-0001.pdf | sed -n 's/^Pages: *//p; s/^Page size: *\([0-9.]* x [0-9.]* pts\).*/\1/p' | tr '\n' ' ')" \
    "6 288 x 432 pts "

# Each page's barcode is its order, in the order of the lot.
pdftoppm -r 150 -png labels/slip-000003-0001.pdf page 2>/dev/null
codes=
for p in page-*.png; do
	codes="$codes$(zbarimg --raw -q "$p" 2>/dev/null) "
done
want=$(jq -r 'select(.shipment) | "\(.source):\(.order_id)"' out | tr '\n' ' ')
is "zbarimg reads each order's barcode" "$codes" "$want"

# The words, page by page (pdftotext ends each page with a form feed).
pdftotext labels/slip-000003-0001.pdf slips.txt
awk -v RS='\f' '{ f = sprintf("slip-%d.txt", NR); printf "%s", $0 > f }' slips.txt
n=$(jq -r 'select(.shipment) | .order_id' out | grep -n '^P-2$' | cut -d: -f1)
p2=slip-$n.txt
check "P-2: the heading" grep -q "PACKING SLIP 装箱单" $p2
check "P-2: order and date" grep -q "Order web P-2, placed 2026-11-23" $p2
check "P-2: the item's name" grep -q "Blue glazed pot 青花盆" $p2
check "P-2: its quantity" grep -q "^1 ×" $p2
check "P-2: its SKU" grep -q "SKU POT-1" $p2
check "P-2: the gift marked" grep -q "GIFT 礼品" $p2
check "P-2: the customer's note" grep -q "周四下午送达，请先电话联系" $p2
check "P-2: handling in words" grep -q "易碎 FRAGILE" $p2
check "P-2: no prices" sh -c "! grep -q 'CNY\|10\.00' $p2"
check "P-2: return instructions with the window" \
    grep -q "To return an item within 30 days of delivery" $p2
check "P-2: the return address" grep -q "Test Warehouse Returns" $p2
is "P-2: the ship-to name" "$(grep -c '^Customer 2$' $p2)" 1
n=$(jq -r 'select(.shipment) | .order_id' out | grep -n '^P-5$' | cut -d: -f1)
check "P-5: no note, no gift" sh -c "! grep -q 'note\|GIFT' slip-$n.txt"
check "P-5: quantities" grep -q "^2 ×" slip-$n.txt
check "P-5: items counted" grep -q "Contents: 4 items" slip-$n.txt

# Without --slip, no slips (and the record has none).
run label --db plain.db -f pdf -o plain picked.ndjson
is "no --slip: no slip" "$(ls plain | tr '\n' ' ')" "run-000001-0001.pdf "
is "no --slip: no slip in the record" "$(jq -c 'select(.shipment.slip)' out)" ""

done_testing
