#!/bin/sh
# label -o: ZPL, PDF and PNG labels whose barcodes readers we did not
# write (zbarimg, after zpl-renderer-js or pdftoppm) read back as the
# tracking number; Chinese, COD and handling marks on the label.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup

# P-2 becomes a cash-on-delivery order to a Chinese address.
jq -c 'if .order_id == "P-2" then
	.ship_to.name = "王芳" | .ship_to.line1 = "浦东新区张江路100号3号楼1202室" |
	.ship_to.city = "上海市" | .payment = {method: "cod", cod_amount: 78600}
    else . end' "$DATA/pick-orders.ndjson" | ingest-orders -q | pick-list -q >picked.ndjson
run label -f zpl,pdf,png -o labels picked.ndjson
is "exit 0" "$rc" 0
is "files: one ZPL and one PDF for the run's chunk, a PNG per parcel" "$(ls labels | tr '\n' ' ')" \
    "SF000000000001.png SF000000000002.png SF000000000003.png SF000000000004.png SF000000000005.png SF000000000006.png SF000000000007.png run-000003-0001.pdf run-000003-0001.zpl "
is "label files in the record" "$(jq -c 'select(.order_id == "P-1") | .shipment.parcels[0].label' out)" \
    '{"zpl":"run-000003-0001.zpl","pdf":"run-000003-0001.pdf","page":3,"png":"SF000000000003.png"}'
check "no temporary files left" test -z "$(ls -A labels | grep '^\.' || true)"

read_png() { zbarimg --raw -q "$1" 2>/dev/null; }
for t in $(jq -r '.shipment.parcels[]?.tracking' out); do
	is "PNG $t: zbarimg reads it" "$(read_png "labels/$t.png")" "$t"
done
is "PDF: one page per label, 4x6 in" \
    "$(pdfinfo labels/run-000003-0001.pdf | sed -n 's/^Pages: *//p; s/^Page size: *\([0-9.]* x [0-9.]* pts\).*/\1/p' | tr '\n' ' ')" \
    "7 288 x 432 pts "
pdftoppm -r 200 -png labels/run-000003-0001.pdf page
n=0
for t in $(jq -r '.shipment.parcels[]?.tracking' out); do
	n=$((n + 1))
	is "PDF page $n: zbarimg reads $t" "$(read_png page-$n.png)" "$t"
done
pdftotext labels/run-000003-0001.pdf text
check "PDF: the Chinese name" grep -q "王芳" text
check "PDF: COD and the amount" grep -q "CNY 786.00" text
check "PDF: the phone masked" grep -q "138\*\*\*\*8002" text
check "PDF: handling marks" grep -q "FRAGILE" text
check "PDF: THIS WAY UP" grep -q "THIS WAY UP" text

# ZPL: one ^XA..^XZ per label, UTF-8, rendered by zpl-renderer-js.
is "ZPL: seven labels" "$(grep -c '\^XA' labels/run-000003-0001.zpl)" 7
check "ZPL: UTF-8" grep -q '\^CI28' labels/run-000003-0001.zpl
awk '/\^XA/{n++} {print > ("zpl-" n ".zpl")}' labels/run-000003-0001.zpl
n=0
for t in $(jq -r '.shipment.parcels[]?.tracking' out); do
	n=$((n + 1))
	if node "$FULFIL_ROOT/tests/zpl-render.js" zpl-$n.zpl zpl-$n.png 2>zpl.err; then
		is "ZPL label $n: zbarimg reads $t" "$(read_png zpl-$n.png)" "$t"
	else
		not_ok "ZPL label $n: rendered"
		sed 's/^/#   /' zpl.err
	fi
done

# S10 numbers (post), read back from PNG and ZPL.
run label --carrier post --db post.db -f png,zpl -o post picked.ndjson
t=$(jq -r 'select(.order_id == "P-1") | .shipment.tracking' out)
is "S10 number" "$t" EE000000028CN
is "S10: zbarimg reads the PNG" "$(read_png post/$t.png)" "$t"
awk '/\^XA/{n++} n == 2' post/run-*.zpl >s10.zpl
node "$FULFIL_ROOT/tests/zpl-render.js" s10.zpl s10.png
is "S10: zbarimg reads the ZPL" "$(read_png s10.png)" "$t"

# SSCC numbers are GS1-128 with AI (00).
run label --carrier gs1 --db gs1.db -f png,pdf -o gs1 picked.ndjson
t=$(jq -r 'select(.order_id == "P-1") | .shipment.tracking' out)
is "SSCC number" "$t" 106141411234567903
is "SSCC: zbarimg reads GS1-128 with AI 00" "$(read_png gs1/$t.png)" "00$t"

# An address too long for the label: printed, cut visibly, and said.
long=$(printf '长%.0s' $(seq 1 300))
jq -c --arg l "$long" 'select(.order_id == "P-7") | .order_id = "P-10" | .ship_to.line1 = $l' \
    picked.ndjson >long.ndjson
run label --db long.db -f pdf -o long long.ndjson
is "long address: labelled all the same" "$rc" 0
check "long address: a warning naming the order" \
    grep -q "long.ndjson:1: order P-10: warning: the ship-to address too long for the label" err
pdftotext long/*.pdf long.txt
check "long address: cut with an ellipsis" grep -q "…" long.txt

# 100x150 mm.
run label --size 100x150 --db mm.db -f pdf -o mm picked.ndjson
is "100x150 mm pages" "$(pdfinfo mm/*.pdf | sed -n 's/^Page size: *\([0-9.]* x [0-9.]* pts\).*/\1/p')" \
    "283.465 x 425.197 pts"
done_testing
