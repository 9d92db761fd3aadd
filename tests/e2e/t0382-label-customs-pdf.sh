#!/bin/sh
# label: the customs declaration in the PDF is a page after the parcel's
# label, the same size, read back by pdftotext: form, contents with
# quantity, weight, value, HS code and origin, totals, category, sender,
# addressee, the certificate and the signature and date line.  PNG: a
# file of its own beside the label's.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
. "$FULFIL_ROOT/tests/e2e/customs.sh"
setup
customs_picked '.order_id == "C-DE" or .order_id == "C-US"'
run label -f pdf,png -o l picked.ndjson
is "exit 0" "$rc" 0
is "no warning" "$(grep -c warning err || true)" 0
pdf=$(ls l/*.pdf)
is "four pages: label, form, label, form" \
    "$(pdfinfo "$pdf" | awk '/^Pages/{print $2}')" 4
is "each page a label's size" \
    "$(pdfinfo -f 1 -l 4 "$pdf" | awk '/^Page.*size:/{print $4 "x" $6}' | sort -u)" \
    "288x432"
de=$(jq -r 'select(.order_id == "C-DE") | .shipment.tracking' out)
us=$(jq -r 'select(.order_id == "C-US") | .shipment.tracking' out)
# The pages in the order the labels went out; find C-DE's form.
for p in 2 4; do
	pdftotext -layout -f $p -l $p "$pdf" page$p.txt
	grep -q "$de" page$p.txt && cp page$p.txt de.txt
	grep -q "$us" page$p.txt && cp page$p.txt us.txt
done
pdftotext -layout -f 1 -l 1 "$pdf" label1.txt
check "the label page has no form on it" sh -c "! grep -q 'CUSTOMS' label1.txt"
check "C-DE: CN22" grep -q "CN22" de.txt
check "C-US: CN23 (USD 500.00 is above the limit)" grep -q "CN23" us.txt
check "title" grep -q "CUSTOMS DECLARATION" de.txt
line() { grep -E "$1" de.txt | tr -s ' ' | sed 's/^ //'; }
is "the tea: description, qty, weight, value, HS code, origin" \
    "$(line '^ *packings|^ *Green tea' | head -1)" \
    "Green tea (not fermented) 2 600 30.00 090210 CN"
is "the book: the line's name, GB origin" \
    "$(line 'The book of tea')" "The book of tea 1 450 20.00 490199 GB"
is "the gift with purchase marked, value 0.00" \
    "$(line 'Porcelain')" "Porcelain tea cup (gift) 2 240 0.00 691200 CN"
is "totals: weight and value" "$(line '^ *Total ')" "Total 1290 50.00"
check "the currency" grep -q "Value (EUR)" de.txt
check "category: sale of goods ticked" grep -q "\[X\] Sale of goods" de.txt
check "sender: the warehouse" grep -q "From (sender): Test Warehouse Returns, 1 Test Road" de.txt
check "addressee" grep -q "To (addressee): Erika Beispiel" de.txt
check "certificate" grep -q "I certify that the particulars" de.txt
check "date and signature line" grep -q "Date: 2026-11-23 *Sender's signature: ___" de.txt
check "order and tracking" grep -q "Order web C-DE *Tracking $de" de.txt
check "nothing cut" sh -c "! grep -q '…' de.txt us.txt"
check "PNG: the form beside the label" test -s "l/$de-customs.png"
is "PNG: a label's size" "$(/usr/bin/python3 -c 'import sys
from PIL import Image
print("%dx%d" % Image.open(sys.argv[1]).size)' "l/$de-customs.png")" "812x1218"
done_testing
