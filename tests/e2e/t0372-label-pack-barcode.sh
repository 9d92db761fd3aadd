#!/bin/sh
# label --pack: items scanned by the catalogue's barcode (GTIN/EAN, as
# ingest folds them: hyphens, blanks, leading zeros), a barcode two SKUs
# share refused, and orders opened by their tote (T3, as the pick sheet
# names it).
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup

# Invented EAN-13s; BOOK-1 and GIFT-BAG share one, by mistake.
awk -F, 'BEGIN { OFS = "," }
	NR == 1 { print $0, "barcode"; next }
	$1 == "TEA-1" { print $0, "6901234567892"; next }
	$1 == "TEA-2" { print $0, "690-1234-56790-2"; next }
	$1 == "BOOK-1" || $1 == "GIFT-BAG" { print $0, "9780000000002"; next }
	{ print $0, "" }' "$DATA/catalog.csv" >catalog.csv
touch -d 2026-11-23T00:00:00Z catalog.csv
ingest-orders -q "$DATA/pick-orders.ndjson" | pick-list -q >picked.ndjson
is "P-1 is in tote 3" "$(jq -r 'select(.order_id == "P-1") | .pick.tote' picked.ndjson)" 3

# P-1 by its tote; TEA-1 by its EAN with a leading zero (a UPC scanner's
# 14 digits), TEA-2 by its EAN without the hyphens the catalogue has.
printf '%s\n' T3 06901234567892 6901234567902 GIFT-CUP >scans
run label --pack -o labels <scans
is "exit 0" "$rc" 0
is "by tote and barcode" "$(sed 's/^label: //' err | head -5)" \
"order P-1: open; 0 of 3 in the box; left: 1 x TEA-2, 1 x TEA-1, 1 x GIFT-CUP
order P-1: + TEA-1 Longjing green tea 250 g; 1 of 3 in the box; left: 1 x TEA-2, 1 x GIFT-CUP
order P-1: + TEA-2 Tieguanyin oolong 100 g; 2 of 3 in the box; left: 1 x GIFT-CUP
order P-1: + GIFT-CUP Celadon tea cup; 3 of 3 in the box; complete
order P-1: packed: label printed"
is "the ledger says which SKU each barcode was" \
    "$(ledger_sql fulfil.db "select code, sku from pack_scans where verdict = 'item' order by id" | tr '\n' ' ')" \
    "06901234567892|TEA-1 6901234567902|TEA-2 GIFT-CUP|GIFT-CUP "
is "P-1 labelled" "$(jq -r .order_id out)" P-1

# P-2 (POT-1, BOOK-1): BOOK-1's barcode names two SKUs, so it is refused;
# its SKU does.
printf '%s\n' web:P-2 POT-1 9780000000002 BOOK-1 >scans
run label --pack -o labels <scans
is "a shared barcode: exit 1" "$rc" 1
is "refused, naming the barcode" "$(grep '<stdin>' err)" \
    "label: <stdin>:3: barcode '9780000000002' is 2 SKUs' in the catalog: scan the SKU"
is "P-2 labelled by SKU" "$(jq -r .order_id out)" P-2

# Tote 1 held P-5 in batch 1 and P-7 in batch 3: the newest is taken, and
# the packer told.
echo T1 >scans
run label --pack -o labels <scans
is "a tote of two batches" "$(head -2 err)" \
"label: tote T1: 2 picked orders were put in it, the newest taken: scan the slip if it is not order P-7
label: order P-7: open; 0 of 1 in the box; left: 1 x BOOK-1"
echo T99 >scans
run label --pack -o labels <scans
is "an empty tote is unknown" "$(head -1 err)" \
    "label: <stdin>:1: unknown code 'T99': scan an order or a tote first"

done_testing
