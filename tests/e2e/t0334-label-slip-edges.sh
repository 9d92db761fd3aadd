#!/bin/sh
# label --slip at the edges: no return address in the config, an order
# without handling marks or note, an order id outside ASCII,
# ZPL labels with PDF slips.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup

jq -c 'del(.warehouse.return_address)' fulfil.json >noreturn.json
jq -c 'select(.order_id == "P-1" or .order_id == "P-7") |
    if .order_id == "P-7" then .order_id = "订单7" |
	.preferences.note = "请先电话联系 call first" else . end' \
    "$DATA/pick-orders.ndjson" | ingest-orders -q | pick-list -q >picked.ndjson

run label --config noreturn.json --slip -f zpl -o L picked.ndjson
is "exit 0" "$rc" 0
is "ZPL labels, PDF slips" "$(ls L | tr '\n' ' ')" "run-000003-0001.zpl slip-000003-0001.pdf "
pdftotext L/slip-000003-0001.pdf all.txt
check "no return address: asks the customer to contact us" \
    grep -q "To return an item, contact us quoting order web P-1" all.txt
check "no return address: no address printed" sh -c '! grep -q "Test Warehouse Returns" all.txt'
check "the id outside ASCII printed as it is" grep -q "Order web 订单7" all.txt
check "its note" grep -q "请先电话联系 call first" all.txt
pdftoppm -r 150 -png L/slip-000003-0001.pdf p 2>/dev/null
is "zbarimg reads both barcodes, bytes outside ASCII percent-encoded" \
    "$(for f in p-*.png; do zbarimg --raw -q $f 2>/dev/null; done | sort | tr '\n' ' ')" \
    "web:%E8%AE%A2%E5%8D%957 web:P-1 "

# An order of a book alone: no handling marks on its slip.
jq -c 'select(.order_id == "P-2") | .order_id = "B-1" |
    .lines = [{sku: "BOOK-1", name: "The book of tea", qty: 1, unit_price: 1000}] | .total = 1000' \
    "$DATA/pick-orders.ndjson" | ingest-orders -q --db b.db | pick-list -q --db b.db >book.ndjson
run label --db b.db --slip -o B book.ndjson
pdftotext B/slip-*.pdf book.txt
check "no handling: no marks" sh -c '! grep -q "Handle with care" book.txt'
check "no note: no note heading" sh -c '! grep -q "note" book.txt'
check "the item" grep -q "The book of tea" book.txt

# The same slips on the same day are the same bytes.
run label --db b2.db --slip -o B2 book.ndjson
run label --db b3.db --slip -o B3 book.ndjson
check "the same bytes again" cmp -s B2/slip-000001-0001.pdf B3/slip-000001-0001.pdf

done_testing
