#!/bin/sh
# label: handling marks as ISO 780 pictograms with their words in Chinese
# and English, in every format: vector in the PDF and PNG, a ^GFA graphic
# in the ZPL.  Read back by programs we did not write: the ZPL drawn by
# zpl-renderer-js, the PDF by pdftoppm; the pictograms' squares are
# counted for dark dots against the same label without marks.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup

# P-2 carries all four marks; P-2X is the same order without any.
ingest-orders -q "$DATA/pick-orders.ndjson" | pick-list -q |
    jq -c 'select(.order_id == "P-2") |
	.pick.handling = ["fragile", "upright", "no-stack", "keep-dry"],
	(.order_id = "P-2X" | .pick.handling = [])' >picked.ndjson
# A ledger of its own: the orders are labelled as changed here.
run label --db marks.db -f zpl,pdf,png -o labels picked.ndjson
is "exit 0" "$rc" 0
is "no warning" "$(grep -c warning err || true)" 0
zpl=$(ls labels/*.zpl)
awk '/\^XA/{n++} {print > ("zpl-" n ".zpl")}' "$zpl"
is "ZPL: one ^GFA graphic, on the label with marks" \
    "$(grep -c '\^GFA,' zpl-1.zpl) $(grep -c '\^GF' zpl-2.zpl || true)" "1 0"
check "ZPL: no text box left for the marks" sh -c "! grep -q 'FRAGILE\|THIS SIDE UP' $zpl"
pdftotext "$(ls labels/*.pdf)" text
check "PDF: the words in English" grep -q "THIS WAY UP" text
check "PDF: and in Chinese" grep -q "承压" text
check "PDF: FRAGILE 易碎" sh -c 'grep -q 易碎 text && grep -q FRAGILE text'

# The pictograms' squares: the four cells from the left, 120 dots high,
# 168 wide, 7 apart, from x 27 and y 1077 (no COD).
dark() {
	/usr/bin/python3 - "$@" <<'PY'
import sys
from PIL import Image
im = Image.open(sys.argv[1]).convert("L")
out = []
for i in range(4):
    x = 27 + i * (168 + 7.2) + (168 - 64.8) / 2
    y = 1077 + 8.4
    n = sum(1 for dx in range(65) for dy in range(65)
            if im.getpixel((int(x) + dx, int(y) + dy)) < 128)
    out.append(str(n * 100 // (65 * 65)))
print(" ".join(out))
PY
}
# Each pictogram fills between a fifth and two thirds of its square.
inked() {
	for p in $1; do [ "$p" -ge 20 ] && [ "$p" -le 67 ] || return 1; done
}
# And each is 10 points darker than the same square without marks, where
# the order and date or the barcode's number come down into it.
darker() {
	set -- $1 $2
	for i in 1 2 3 4; do
		eval "a=\${$i} b=\${$((i + 4))}"
		[ "$a" -ge $((b + 10)) ] || return 1
	done
}
t=$(jq -r 'select(.order_id == "P-2") | .shipment.tracking' out)
tx=$(jq -r 'select(.order_id == "P-2X") | .shipment.tracking' out)
for f in 1 2; do
	node "$FULFIL_ROOT/tests/zpl-render.js" zpl-$f.zpl zpl-$f.png
done
pdftoppm -r 203 -png "$(ls labels/*.pdf)" page
for pair in "PNG labels/$t.png labels/$tx.png" "ZPL zpl-1.png zpl-2.png" \
    "PDF page-1.png page-2.png"; do
	set -- $pair
	d=$(dark "$2")
	check "$1: four pictograms drawn ($d)" inked "$d"
	e=$(dark "$3")
	check "$1: darker than without marks ($e)" darker "$d" "$e"
done
is "the barcodes still read" \
    "$(zbarimg --raw -q zpl-1.png page-1.png labels/$t.png | sort -u)" "$t"

# A ZPL graphic compressed: a 4-mark row is a few kB, not 2 x 43 x 120.
check "ZPL: the graphic compressed" test "$(wc -c <zpl-1.zpl)" -lt 12000
done_testing
