#!/bin/sh
# The Shopify orders export, both the 79- and the 75-column versions:
# multi-item orders, COD, a cancelled order, multi-line notes, apostrophe
# zips, a gift card line, a line fulfilled already, a BOM, CRLF.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup
SHOP=$FULFIL_ROOT/examples/shopify-orders.csv

run ingest-orders "$SHOP"
is "79 columns: exit 0" "$rc" 0
same "79 columns: golden" out "$DATA/golden/ingest-shopify-79.out"
is "79 columns: summary" "$(cat err)" \
    "ingest-orders: 6 read, 5 accepted, 0 updated, 0 duplicate, 1 cancelled, 0 rejected"
is "cancelled before acceptance is not emitted" \
    "$(jq -r 'select(.order_id == "1003") | .order_id' out)" ""
is "multi-item order keeps every line" \
    "$(jq -c 'select(.order_id == "1001") | [.lines[] | .sku]' out)" \
    '["TEA-LJ-250","CUP-CEL-6","FLT-SS-1"]'
is "cash on delivery" \
    "$(jq -c 'select(.order_id == "1002") | .payment' out)" \
    '{"method":"cod","cod_amount":78600,"status":"pending"}'
is "multi-line note" \
    "$(jq -r 'select(.order_id == "1004") | .preferences.note' out | wc -l | tr -d ' ')" 3
is "apostrophe zip" \
    "$(jq -r 'select(.order_id == "1005") | .ship_to.postcode' out)" 02134
is "gift card kept aside, not picked" \
    "$(jq -c 'select(.order_id == "1006") | [.lines[].sku, .not_shipped[].reason]' out)" \
    '["TEA-TGY-100","needs no shipping"]'
check "cancellation is in the ledger" \
    test "$(ledger_sql fulfil.db "select status from orders where order_id = '1003'")" = cancelled

run ingest-orders -f shopify "$DATA/shopify-75.csv"
is "75 columns with BOM: exit 0" "$rc" 0
same "75 columns: golden" out "$DATA/golden/ingest-shopify-75.out"

# Looked up by name, not position: shuffle the columns, same result.
fresh_ledger
/usr/bin/python3 -c '
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
csv.writer(sys.stdout, lineterminator="\r\n").writerows(r[::-1] for r in rows)
' "$SHOP" >reversed.csv
run ingest-orders reversed.csv
same "columns in any order" out "$DATA/golden/ingest-shopify-79.out"

# A second shop: --source keys its orders apart from the first's.
run ingest-orders --source shop-two "$SHOP"
is "--source: the same ids from another shop are new" "$(wc -l <out | tr -d ' ')" 5
is "--source: named so" "$(jq -r .source out | sort -u)" shop-two
done_testing
