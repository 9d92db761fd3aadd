#!/bin/sh
# Phones, postcodes and countries as shops write them: numbers from 23
# countries in their local forms read by libphonenumber into E.164,
# postcodes checked and written in each post's form, countries by code or
# by name in English and Chinese (iso-codes); a spreadsheet's apostrophe
# before a phone; warnings that never repeat the field; iso-codes missing.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup

# order_id, country, ship-to phone, customer phone, postcode, warnings.
table() {
	jq -r '[.order_id, .ship_to.country, .ship_to.phone,
	    (.customer.phone // "-"), (.ship_to.postcode // "-"),
	    ([.warnings[]? | .field + ": " + .message] | join(" | "))] | @tsv' "$@"
}

run ingest-orders "$DATA/phones.ndjson"
is "exit 0" "$rc" 0
table out >got.tsv
same "phones in E.164, postcodes in form, countries as codes" got.tsv \
    "$DATA/golden/ingest-phones.tsv"
is "every order accepted: warnings reject nothing" "$(tail -1 err)" \
    "ingest-orders: 23 read, 23 accepted, 0 updated, 0 duplicate, 0 cancelled, 0 rejected, 7 warnings"
is "each warning said on its own line" "$(grep -c ': warning: ' err)" 7
# The bad phone "12", the phone and postcode "ABCDE": none of them in
# what is said about them.
jq -r '.warnings[]?.message' out >messages
check "no warning repeats a phone or a postcode" \
    sh -c '! grep -e ABCDE -e 12 -e 555 -e 8000 messages'

# A Shopify export, columns as Shopify writes them: the spreadsheet's
# apostrophe before the phone and before the zip goes.
/usr/bin/python3 - "$DATA/shopify-75.csv" >shop.csv <<'PY'
import csv, sys
head = next(csv.reader(open(sys.argv[1], newline="", encoding="utf-8-sig")))
rows = []
for n, country, zip_, phone in (("#3001", "ZA", "8001", "'+27 21 123 4567"),
                                ("#3002", "US", "'2134", "'(617) 555-0147"),
                                ("#3003", "GB", "ec1a1bb", "'12")):
    r = dict.fromkeys(head, "")
    r.update({"Name": n, "Email": "buyer@example.com",
              "Financial Status": "paid", "Currency": "CNY",
              "Subtotal": "10.00", "Total": "10.00",
              "Created at": "2026-11-23 09:00:00 +0800",
              "Lineitem quantity": "1", "Lineitem name": "Tea",
              "Lineitem price": "10.00", "Lineitem sku": "TEA-1",
              "Lineitem requires shipping": "true",
              "Lineitem fulfillment status": "pending",
              "Shipping Name": "Test Buyer", "Shipping Address1": "1 Test Road",
              "Shipping City": "Testville", "Shipping Zip": zip_,
              "Shipping Country": country, "Shipping Phone": phone})
    rows.append([r[h] for h in head])
w = csv.writer(sys.stdout, lineterminator="\r\n")
w.writerow(head)
w.writerows(rows)
PY
run ingest-orders -f shopify shop.csv
is "Shopify: exit 0" "$rc" 0
is "Shopify: phones" "$(jq -r '.ship_to.phone' out | tr '\n' ' ')" \
    "+27211234567 +16175550147 12 "
is "Shopify: postcodes" "$(jq -r '.ship_to.postcode' out | tr '\n' ' ')" \
    "8001 02134 EC1A 1BB "
is "Shopify: '12 is warned, kept without its apostrophe" \
    "$(jq -c 'select(.order_id == "3003") | .warnings' out)" \
    '[{"field":"ship_to.phone","message":"too short for a number of its country; kept as given"}]'

# Without iso-codes no country can be checked: exit 2 before any order,
# naming the file and the package.
fresh_ledger
FULFIL_ISO_CODES=$T/nowhere run ingest-orders "$DATA/phones.ndjson"
is "no iso-codes: exit 2" "$rc" 2
is "no iso-codes: nothing out" "$(wc -c <out | tr -d ' ')" 0
is "no iso-codes: says which file and which package" "$(cat err)" \
    "ingest-orders: cannot read '$T/nowhere/iso-codes/json/iso_3166-1.json': No such file or directory (it comes with Debian's iso-codes package)"

# The catalogues are optional: without them, English names still work
# and names in Chinese, Japanese or German are not countries.
mkdir -p iso/iso-codes/json
cp /usr/share/iso-codes/json/iso_3166-1.json iso/iso-codes/json/
FULFIL_ISO_CODES=$T/iso run ingest-orders "$DATA/phones.ndjson"
is "no catalogues: the Chinese names are rejected" "$rc" 1
is "no catalogues: the rest accepted" "$(wc -l <out | tr -d ' ')" 17
check "no catalogues: the rejection does not repeat the name" \
    sh -c '! grep -e 中 -e 香港 -e 日本 -e Deutschland err'
done_testing
