#!/bin/sh
# label: in ZPL the customs declaration is a second label (^XA .. ^XZ)
# after the parcel's, its text in the field data, drawn by
# zpl-renderer-js (a renderer we did not write): the form's parts are
# inked where they belong, and the parcel's own label still scans.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
. "$FULFIL_ROOT/tests/e2e/customs.sh"
setup
customs_picked '.order_id == "C-DE"'
run label -f zpl -o l picked.ndjson
is "exit 0" "$rc" 0
is "no warning" "$(grep -c warning err || true)" 0
zpl=$(ls l/*.zpl)
is "two labels: the parcel's, then the form" \
    "$(grep -c '\^XA' "$zpl") $(grep -c '\^XZ' "$zpl")" "2 2"
awk '/\^XA/{n++} {print > ("zpl-" n ".zpl")}' "$zpl"
check "the parcel's label has no form on it" sh -c "! grep -q CUSTOMS zpl-1.zpl"
t=$(jq -r .shipment.tracking out)
for want in 'FDCN22^FS' 'FDCUSTOMS DECLARATION^FS' '(EUR)^FS' \
    'FD090210^FS' 'FD490199^FS' 'FD691200^FS' 'FD1290^FS' 'FD50.00^FS' \
    'FDPorcelain tea cup' '(gift)^FS' "Tracking $t" '[X] Sale of goods' \
    'Erika Beispiel, Musterstrasse 1, 10115 Berlin,' "Sender's signature"; do
	check "ZPL form: $want" grep -qF "$want" zpl-2.zpl
done
is "the same size as the label" "$(grep '^\^PW\|^\^LL' zpl-2.zpl | tr '\n' ' ')" \
    "$(grep '^\^PW\|^\^LL' zpl-1.zpl | tr '\n' ' ')"

node "$FULFIL_ROOT/tests/zpl-render.js" zpl-1.zpl z1.png
node "$FULFIL_ROOT/tests/zpl-render.js" zpl-2.zpl z2.png
is "the parcel's barcode still reads" "$(zbarimg --raw -q z1.png 2>/dev/null)" "$t"
# Dark dots in bands of the rendered form: the title, the contents, the
# signature line; and the bottom, left empty, blank.
ink() {
	/usr/bin/python3 - "$@" <<'PY'
import sys
from PIL import Image
im = Image.open(sys.argv[1]).convert("L")
w, h = im.size
def dark(y0, y1):
    n = sum(1 for y in range(y0, y1) for x in range(30, w - 30)
            if im.getpixel((x, y)) < 128)
    return n * 1000 // ((y1 - y0) * (w - 60))
print(" ".join("1" if dark(a, b) >= 5 else "0"
               for a, b in ((20, 80), (380, 560), (780, 830), (1000, 1180))))
PY
}
is "rendered: title, contents, signature inked; the foot blank" "$(ink z2.png)" "1 1 1 0"
done_testing
