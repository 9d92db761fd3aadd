#!/bin/sh
# label --pack and the packing slip: the slip's order barcode, as
# zbarimg reads it from a rendered slip, opens its order, for ids outside
# ASCII and with the code's own ':' and '%' in them; --pack --slip prints
# the slip with the label.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup

jq -c 'if .order_id == "P-2" then .order_id = "订单:2%" elif .order_id == "P-7" then .order_id = "Q 7" else . end' \
    "$DATA/pick-orders.ndjson" | ingest-orders -q | pick-list -q >picked.ndjson
is "picked" "$(jq -r 'select(.status == "picked") | .order_id' picked.ndjson | sort | tr '\n' ' ')" \
    "P-1 P-3 P-5 P-6 Q 7 订单:2% "

# The slips, printed through another ledger so that this one's orders
# stay picked for the pack station.
label -q --db slips.db --slip -f pdf -o slips picked.ndjson >/dev/null
pdftoppm -r 150 -png slips/slip-*.pdf page 2>/dev/null
for p in page-*.png; do
	zbarimg --raw -q "$p" 2>/dev/null
done | sort >codes
is "zbarimg reads the codes" "$(tr '\n' ' ' <codes)" \
    "web:%E8%AE%A2%E5%8D%95%3A2%25 web:P-1 web:P-3 web:P-5 web:P-6 web:Q%207 "

# Each code scanned opens its order.
run label --pack -o labels <codes
is "every code opens its order" "$(grep -c ': open; ' err)" 6
check "the odd ids among them" grep -q "^label: order 订单:2%: open; 0 of 2 in the box" err
check "and the space" grep -q "^label: order Q 7: open; 0 of 1 in the box" err
is "each scan kept under its order's key" \
    "$(ledger_sql fulfil.db "select order_id from pack_scans where verdict = 'order' and code like '%\%%' escape '\\' order by id" | tr '\n' ' ')" \
    "订单:2% Q 7 "

# Packed with --slip: its slip beside its label, the barcode the order's.
printf '%s\n' 'web:%E8%AE%A2%E5%8D%95%3A2%25' POT-1 BOOK-1 >scans
run label --pack --slip -f pdf -o labels <scans
is "packed: exit 0" "$rc" 0
is "its label and slip" "$(ls labels | tr '\n' ' ')" "run-000004-0001.pdf slip-000004-0001.pdf "
is "the record says so" "$(jq -r '[.order_id, .shipment.slip] | join(" ")' out)" \
    "订单:2% slip-000004-0001.pdf"
pdftoppm -r 150 -png labels/slip-000004-0001.pdf packed 2>/dev/null
is "the slip's barcode is the order's" "$(zbarimg --raw -q packed-1.png 2>/dev/null)" \
    "web:%E8%AE%A2%E5%8D%95%3A2%25"

done_testing
