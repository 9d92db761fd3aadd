#!/bin/sh
# Privacy canary: a marker string goes into every field of every format
# ingest-orders reads (NDJSON, a CSV map, Shopify, Amazon), through every
# error and warning path it can reach (a bad country, phone, postcode,
# amount, date, service, payment status; a missing field, a mis-mapped
# column, an unknown SKU, a text too long, a control character, a hold),
# and stderr must never show it: messages name fields, not contents.
# The order id is the one field messages print, by design; it is left
# alone.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup
C=CANARY-7f3a
# Pickup and SKU lookups on, so that their paths are taken too.
jq '.pickup = {"methods": ["Collect from *"]}
    | .ingest.sku_from = ["sku", "barcode", "name"]' fulfil.json >f.json
mv f.json fulfil.json
sed '1s/$/,barcode/; 2,$s/$/,/' catalog.csv >c.csv && mv c.csv catalog.csv

# leaks NAME: stderr of the last run must not hold the canary.
leaks() {
	if grep -q "$C" err; then
		not_ok "$1"
		grep "$C" err | head -5 | sed 's/^/#   /'
	else
		ok "$1"
	fi
}

# NDJSON: every field, as the canary itself, and inside a value that is
# wrong for another reason (too long, a control character).
base='{"order_id":"N","source":"web","placed_at":"2026-11-23T09:00:00+08:00",
 "currency":"CNY","customer":{"name":"Zhao Lei","email":"z@example.com",
 "phone":"13800138000","locale":"zh-CN"},
 "ship_to":{"name":"Zhao Lei","company":"Acme","line1":"1 Road","line2":"B",
 "city":"Shanghai","region":"SH","postcode":"200000","country":"CN",
 "phone":"13800138000"},
 "lines":[{"sku":"TEA-1","barcode":"6901234567892","name":"Longjing",
 "variant":"250 g","qty":1,"ordered_qty":1,"unit_price":100,"gift":false,
 "fulfilment":"unfulfilled"}],
 "subtotal":100,"shipping":0,"tax":0,"discount":0,"total":100,
 "payment":{"method":"prepaid","status":"paid","outstanding":0},
 "service":"standard","shipping_method":"Standard",
 "delivery_window":{"from":"2026-11-27T10:00:00+08:00",
 "to":"2026-11-27T12:00:00+08:00"},
 "preferences":{"packaging":"box","note":"ring"},
 "fulfillment_status":"unfulfilled","cancelled_at":"2026-11-23T10:00:00+08:00"}'
paths='placed_at currency source customer customer.name customer.email
customer.phone customer.locale ship_to ship_to.name ship_to.company
ship_to.line1 ship_to.line2 ship_to.city ship_to.region ship_to.postcode
ship_to.country ship_to.phone lines lines.0 lines.0.sku lines.0.barcode
lines.0.name lines.0.variant lines.0.qty lines.0.ordered_qty
lines.0.unit_price lines.0.gift lines.0.fulfilment subtotal shipping tax
discount total payment payment.method payment.cod_amount payment.status
payment.outstanding service shipping_method pickup pickup.location
delivery_window delivery_window.from delivery_window.to preferences
preferences.packaging preferences.note status fulfillment_status
not_shipped cancelled_at'
long=$(printf "%s" "$C"; head -c 9000 /dev/zero | tr '\0' x)
# Each path with each value, as an order, a cancellation, and an order
# with nothing left to ship.
printf '%s' "$base" | jq -c --arg paths "$paths" --arg c "$C" --arg long "$long" '
    . as $o
    | [$paths | splits("[ \n]+") | select(. != "")
       | split(".") | map(tonumber? // .)] as $ps
    | [$c, $long, ($c + "\u0001"), ("x " + $c + " y"), {"x": $c}, [$c]] as $vs
    | range(0; $ps | length) as $i | range(0; $vs | length) as $j
    | ($i * ($vs | length) + $j) as $n
    | ($o | setpath($ps[$i]; $vs[$j])) as $x
    | ($x | .order_id = "N\($n)"),
      ($x | .order_id = "X\($n)" | .status = "cancelled"),
      ($x | .order_id = "F\($n)" | .lines = []
          | .not_shipped = [{"sku": "TEA-1", "qty": 1, "reason": "fulfilled"}])
' >canary.ndjson
# Lines without a SKU, found by a barcode or a name no product has; a
# partly fulfilled line held for a person; money not yet paid.
for v in sku barcode name; do
	printf '%s' "$base" | jq -c --arg k "$v" --arg c "$C" --arg id "L$v" \
	    '.order_id = $id | .lines[0] |= (del(.sku) | .[$k] = $c)'
done >>canary.ndjson
printf '%s' "$base" | jq -c --arg c "$C" '.order_id = "H1"
    | .lines[0].sku = $c | .lines[0].fulfilment = "partial"' >>canary.ndjson
printf '%s' "$base" | jq -c --arg c "$C" '.order_id = "H2"
    | .lines[0].sku = $c | .payment.status = "pending"' >>canary.ndjson
printf '%s' "$base" | jq -c --arg c "Collect from $C" '.order_id = "K1"
    | .shipping_method = $c' >>canary.ndjson
run ingest-orders --rejects rej.ndjson canary.ndjson
is "NDJSON: read them all" "$(tail -1 err | cut -d, -f1)" \
    "ingest-orders: $(wc -l <canary.ndjson | tr -d ' ') read"
check "NDJSON: some rejected, some held, some warned" \
    grep -q "rejected.*on hold.*warnings" err
leaks "NDJSON: no message shows a field's contents"
check "NDJSON: the canary is in the rejects file, which may hold it" \
    grep -q "$C" rej.ndjson

# Invalid JSON around the canary: the parser's messages too.
{
	printf '{"order_id":"J1","x":%s}\n' "$C"
	printf '{"order_id":"J2","x":"%s\n' "$C"
	printf '{"order_id":"J3","x":tru%s}\n' "$C"
	printf '{"%s":1,"order_id":"J4"\n' "$C"
	printf '{"order_id":"J5","x":"\\u%s"}\n' "$C"
	printf '%s\n' "$C"
} >json.ndjson
run ingest-orders json.ndjson
leaks "invalid JSON: no message shows the text"

# A CSV map, right and mis-mapped: the name column read as the country,
# the date, the quantity, the price, the service and the payment status.
cat >map.json <<'MAP'
{"columns": {"order_id": "Order", "placed_at": "Date", "ship_to.name": "Name",
 "ship_to.line1": "Street", "ship_to.city": "City", "ship_to.postcode": "Zip",
 "ship_to.country": "Country", "ship_to.phone": "Phone", "lines.sku": "Item",
 "lines.qty": "Qty", "lines.unit_price": "Price", "total": "Total",
 "service": "Via", "payment.method": "Pay"}}
MAP
{
	echo 'Order,Date,Name,Street,City,Zip,Country,Phone,Item,Qty,Price,Total,Via,Pay'
	echo "M1,2026-11-23 09:00,$C,$C,$C,$C,$C,$C,$C,$C,$C,$C,$C,$C"
	echo "M2,2026-11-23 09:00,A,B,C,200000,CN,$C,TEA-1,1,1.00,1.00,standard,prepaid"
	echo "M3,$C,A,B,C,200000,CN,138,TEA-1,1,1.00,1.00,standard,prepaid"
	echo "M4,2026-11-23 09:00,A,B,C,$C,CN,138,TEA-1,1,$C,1.00,standard,prepaid"
	echo "M5,2026-11-23 09:00,A,B,C,200000,CN,138,,1,1.00,1.00,standard,prepaid"
	echo "M6,2026-11-23 09:00,A,B,C,200000,CN,138,TEA-1,1,1.00,1.00,standard,\"$C"
} >shop.csv
run ingest-orders --map map.json shop.csv
check "CSV map: rejected" grep -q "rejected" err
leaks "CSV map: no message shows a cell"
for field in ship_to.country placed_at lines.qty lines.unit_price service \
    payment.method payment.status ship_to.postcode ship_to.phone total; do
	jq --arg f "$field" '.columns[$f] = "Name"' map.json >mis.json
	run ingest-orders --db mis.db --map mis.json shop.csv
	leaks "CSV map, $field mapped to the name column: no message shows it"
done

# A file without its header: the first row, customer data, is taken for
# one; what the formats say of a header must not show it.
printf '%s,Name,Name,%s\n#1,a,b,c\n' "$C" "$C" >headless.csv
for f in "" "-f shopify" "-f amazon" "--map map.json"; do
	# shellcheck disable=SC2086 # $f is the options, split on purpose
	run ingest-orders --db headless.db $f headless.csv
	leaks "no header${f:+ ($f)}: no message shows the first row"
done

# Shopify and Amazon: each column in turn holds the canary, in an order
# of its own (the order id column apart).
/usr/bin/python3 - "$FULFIL_ROOT/examples/shopify-orders.csv" shopify.csv \
    Name "$C" <<'PY'
import csv, sys
src, dst, idcol, c = sys.argv[1:]
rows = list(csv.reader(open(src, newline="", encoding="utf-8-sig")))
head, first = rows[0], rows[1]
out = [head]
for k, col in enumerate(head):
    if col == idcol:
        continue
    for v in (c, c + "\x01", "x" + c + ",y"):
        r = list(first)
        r[head.index(idcol)] = "#9%03d" % len(out)
        r[k] = v
        out.append(r)
csv.writer(open(dst, "w", newline="", encoding="utf-8"),
    lineterminator="\r\n").writerows(out)
PY
run ingest-orders shopify.csv
check "Shopify: read" grep -q "read" err
leaks "Shopify: no message shows a cell"

/usr/bin/python3 - "$FULFIL_ROOT/examples/amazon-unshipped.txt" amazon.txt \
    order-id "$C" <<'PY'
import sys
src, dst, idcol, c = sys.argv[1:]
rows = [l.rstrip("\n").split("\t") for l in open(src, encoding="utf-8")]
head, first = rows[0], rows[1]
out = [head]
for k, col in enumerate(head):
    if col == idcol:
        continue
    for v in (c, c + "\x01", "x" + c):
        r = list(first)
        r[head.index(idcol)] = "509-%07d-0000000" % len(out)
        r[k] = v
        out.append(r)
open(dst, "w", encoding="utf-8").write(
    "".join("\t".join(r) + "\n" for r in out))
PY
run ingest-orders amazon.txt
check "Amazon: read" grep -q "read" err
leaks "Amazon: no message shows a cell"
done_testing
