#!/bin/sh
# Shops without SKUs: with ingest.sku_from naming barcode or name,
# ingest-orders reads the catalogue (--catalog, else the configuration's)
# and gives a line without a SKU the one whose barcode or name (and
# variant) it has, names compared without regard to case or runs of
# blanks.  A line that finds no SKU, or two, sets its order aside with
# the line named, never the name.  Without the key nothing is looked up.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
cp "$FULFIL_ROOT/examples/fulfil.json" "$FULFIL_ROOT/examples/catalog.csv" .
sed 's|"templates": *"[^"]*"|"templates": "'"$FULFIL_ROOT"'/examples/templates"|' \
    fulfil.json >f.json && mv f.json fulfil.json

# A Shopify export in its own columns, its SKUs left blank as small shops
# leave them; a variant line written "Product - Variant" as Shopify does;
# one product the catalogue does not have.
/usr/bin/python3 - "$FULFIL_ROOT/examples/shopify-orders.csv" shop.csv <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8-sig")))
head = rows[0]
sku, name, oid = (head.index(c) for c in ("Lineitem sku", "Lineitem name", "Name"))
for r in rows[1:]:
    r[sku] = ""
    if r[oid] == "#1005" and r[name] == "The book of tea":
        r[name] = "THE  Book of Tea"
    if r[oid] == "#1004":
        r[name] = "Jasmine pearls - 200 g"
    if r[oid] == "#1002" and r[name] == "Da Hong Pao 100 g":
        r[name] = "Da Hong Pao 50 g"
csv.writer(open(sys.argv[2], "w", newline="", encoding="utf-8"),
    lineterminator="\r\n").writerows(rows)
PY
sed -i 's/^TEA-JSM-200,Jasmine pearls 200 g,/TEA-JSM-200,Jasmine pearls - 200 g,/' catalog.csv

# Without ingest.sku_from, as before: every line needs its SKU.
run ingest-orders shop.csv
is "no lookup: rejected for the SKU" "$(grep -c 'lines\[0\].sku is missing' err)" 5

jq '.ingest.sku_from = ["sku", "name"]' fulfil.json >f.json && mv f.json fulfil.json
fresh_ledger
run ingest-orders --rejects rej.ndjson shop.csv
is "exit 1: one order has a product the catalogue lacks" "$rc" 1
is "the other orders come out" "$(jq -r .order_id out | tr '\n' ' ')" \
    "1001 1004 1005 1006 "
is "their lines have the catalogue's SKUs, found by name" \
    "$(jq -c 'select(.order_id == "1001" or .order_id == "1005") | [.lines[] | select(.gift != true) | [.sku, .sku_from]]' out)" \
    '[["TEA-LJ-250","name"],["CUP-CEL-6","name"],["FLT-SS-1","name"]]
[["BOOK-TEA-1","name"],["KTL-EL-1","name"]]'
is "a variant's line, Product - Variant" \
    "$(jq -r 'select(.order_id == "1004") | .lines[0].sku' out)" TEA-JSM-200
is "the line it cannot find: named by its place, not its name" "$(head -1 err)" \
    "ingest-orders: shop.csv:5: order 1002: lines[1]: no product in the catalogue has its name"
is "the reject keeps the record" "$(jq -r .order_id rej.ndjson)" 1002

# Two SKUs under one name: which to ship cannot be guessed.
printf 'TEA-DHP-50,Da Hong Pao 50 g,A02-07-1,60,80,50,50,keep-dry,10,,,\n' >>catalog.csv
printf 'TEA-DHP-50B,da hong pao  50 g,A02-07-2,60,80,50,50,keep-dry,10,,,\n' >>catalog.csv
fresh_ledger
run ingest-orders shop.csv
is "two SKUs: rejected, both named" "$(head -1 err)" \
    "ingest-orders: shop.csv:5: order 1002: lines[1].name matches 2 SKUs in the catalogue (TEA-DHP-50, TEA-DHP-50B)"

# Barcodes: an optional column of the catalogue; NDJSON lines carry them.
{
	head -1 catalog.csv | sed 's/$/,barcode/'
	sed -n '2,$p' catalog.csv | sed 's/$/,/' |
	    sed 's/^\(TEA-1,.*\),$/\1,6901234567892/; s/^\(POT-1,.*\),$/\1,012345678905/'
} >bc.csv
jq '.ingest.sku_from = ["barcode", "name"]' fulfil.json >f.json && mv f.json fulfil.json
cat >in.ndjson <<'EOF'
{"order_id":"B1","placed_at":"2026-11-23T09:00:00+08:00","ship_to":{"name":"Gao Min","line1":"8 Fake Lane","city":"Shanghai","country":"CN"},"lines":[{"barcode":"'6901234567892","qty":1},{"barcode":"0012345678905","qty":1},{"sku":"junk","name":"Tea caddy tin","qty":1}]}
{"order_id":"B2","placed_at":"2026-11-23T09:00:00+08:00","ship_to":{"name":"Gao Min","line1":"8 Fake Lane","city":"Shanghai","country":"CN"},"lines":[{"barcode":"4006381333931","name":"Nothing like it","qty":1}]}
{"order_id":"B3","placed_at":"2026-11-23T09:00:00+08:00","ship_to":{"name":"Gao Min","line1":"8 Fake Lane","city":"Shanghai","country":"CN"},"lines":[{"qty":1}]}
EOF
fresh_ledger
run ingest-orders --catalog bc.csv in.ndjson
is "--catalog: barcodes and names" \
    "$(jq -c '[.lines[] | select(.gift != true) | [.sku, .sku_from]]' out)" \
    '[["TEA-1","barcode"],["POT-1","barcode"],["CAN-TIN-1","name"]]'
cat >want <<'WANT'
ingest-orders: in.ndjson:2: order B2: lines[0]: no product in the catalogue has its barcode or name
ingest-orders: in.ndjson:3: order B3: lines[0] has nothing to find its SKU by (ingest.sku_from)
ingest-orders: 3 read, 1 accepted, 0 updated, 0 duplicate, 0 cancelled, 2 rejected
WANT
same "what could not be found, and why" err want

# Lookups need a catalogue: none is a configuration error, before reading.
jq 'del(.catalog)' fulfil.json >f.json && mv f.json fulfil.json
run ingest-orders in.ndjson
is "no catalogue: exit 2" "$rc/$(cat out)" "2/"
check "no catalogue: says how to give one" grep -q 'no catalog: give --catalog' err
done_testing
