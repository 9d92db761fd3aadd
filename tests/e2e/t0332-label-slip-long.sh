#!/bin/sh
# label --slip: an order too long for one page runs on, each page saying
# whose slip it continues; the next order starts on a new page; a long
# note is wrapped, never cut.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup

note=$(printf '请放在门卫处。%.0s' $(seq 1 40))
jq -c --arg note "$note" 'if .order_id == "P-1" then
	.lines = [range(1; 41) as $i | {sku: "TEA-1", name: "Tea sample \($i)", qty: 1, unit_price: 100}] |
	.total = 4000 | .preferences.note = ($note + " END")
    else . end | select(.order_id == "P-1" or .order_id == "P-2")' \
    "$DATA/pick-orders.ndjson" | ingest-orders -q | pick-list -q >picked.ndjson
run label --slip-size a6 -f pdf -o L picked.ndjson
is "exit 0" "$rc" 0
pages=$(pdfinfo L/slip-*.pdf | sed -n 's/^Pages: *//p')
check "P-1 runs on over pages (got $pages)" test "$pages" -ge 4
pdftotext L/slip-*.pdf all.txt
awk -v RS='\f' '{ f = sprintf("page-%d.txt", NR); printf "%s", $0 > f }' all.txt
# Where P-1's slip starts: page n.
n=$(grep -l 'Order web P-1' page-*.txt | sed 's/page-\([0-9]*\).txt/\1/')
check "P-1's first page says it goes on" grep -q "web P-1 continues on the next page" page-$n.txt
check "the next says whose it is" grep -q "PACKING SLIP web P-1 (continued)" page-$((n + 1)).txt
is "every line on the slip, once" "$(grep -c 'Tea sample [0-9]*$' all.txt)" 40
is "the last line too" "$(grep -c 'Tea sample 40$' all.txt)" 1
check "the note whole, to its end" grep -q "END" all.txt
is "P-2 starts on a page of its own" "$(grep -l 'Order web P-2' page-*.txt | xargs grep -c 'PACKING SLIP 装箱单')" 1
check "P-2's page is not P-1's" sh -c "! grep -q 'web P-1' \$(grep -l 'Order web P-2' page-*.txt)"
pdftoppm -r 150 -f $n -l $n -png L/slip-*.pdf p1 2>/dev/null
is "P-1's first page: zbarimg reads its barcode" "$(zbarimg --raw -q p1-*.png 2>/dev/null)" "web:P-1"

done_testing
