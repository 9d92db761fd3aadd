#!/bin/sh
# label --return: a return label carries the handling marks of the goods
# going back, by the catalog (a return has no pick): the cracked cup
# goes back marked fragile, the book with no marks.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup
export FULFIL_NOW=2026-11-25T10:00:00+08:00
rma() {
	jq -nc --arg rma "$1" --arg id "$2" --arg sku "$3" '{type: "return",
	    rma: $rma, kind: "return", source: "web", order_id: $id,
	    reason: "arrived cracked", damaged: true,
	    lines: [{sku: $sku, qty: 1}], carrier: "sf", service: "standard",
	    ship_from: {name: "Customer", line1: "1 Zhangjiang Road",
		city: "Shanghai", postcode: "201203", country: "CN"},
	    ship_to: {name: "Test Warehouse Returns", line1: "1 Test Road",
		city: "Shanghai", postcode: "201203", country: "CN"},
	    status: "requested", created_at: "2026-11-25T10:00:00+08:00"}'
}
{ rma RMA-000001 N-1 GIFT-CUP; rma RMA-000002 N-2 BOOK-1; } >rmas.ndjson
run label --return -f zpl,pdf -o rl rmas.ndjson
is "exit 0" "$rc" 0
awk '/\^XA/{n++} {print > ("zpl-" n ".zpl")}' rl/*.zpl
is "ZPL: the cup's label has the marks' graphic, the book's none" \
    "$(grep -c '\^GFA' zpl-1.zpl) $(grep -c '\^GFA' zpl-2.zpl || true)" "1 0"
pdftotext rl/*.pdf - | awk '/RETURN/{n++} /FRAGILE|易碎|THIS WAY UP/{print n ":" $0}' >marks.txt
is "PDF: FRAGILE 易碎 on the first return label only" "$(tr '\n' ' ' <marks.txt)" "1:易碎 1:FRAGILE "
node "$FULFIL_ROOT/tests/zpl-render.js" zpl-1.zpl z1.png
t=$(jq -r 'select(.rma == "RMA-000001") | .tracking' out)
is "ZPL: the barcode reads with the marks drawn" "$(zbarimg --raw -q z1.png 2>/dev/null)" "$t"
done_testing
