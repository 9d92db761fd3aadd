#!/bin/sh
# Etsy's Sold Orders joined with its Sold Order Items by Order ID
# (--items): dates in M/D/YY, countries by name, the recipient of a gift,
# items shipped already.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup
ORD=$DATA/etsy-sold-orders.csv
ITEMS=$DATA/etsy-sold-order-items.csv

run ingest-orders --items "$ITEMS" "$ORD"
is "exit 0" "$rc" 0
is "summary" "$(cat err)" \
    "ingest-orders: 5 read, 3 accepted, 0 updated, 0 duplicate, 1 cancelled, 0 rejected, 1 fulfilled (nothing left to ship)"
is "3100000001 field by field" "$(jq -c 'select(.order_id == "3100000001") | del(.promise)' out)" \
    '{"order_id":"3100000001","source":"etsy","placed_at":"2026-11-20T00:00:00+08:00","currency":"USD","customer":{"name":"Ann Lee"},"ship_to":{"name":"Ann Lee","line1":"1 Main St","city":"Boston","region":"MA","postcode":"02108","country":"US"},"lines":[{"sku":"POT-1","name":"Hand-thrown tea bowl","variant":"Glaze:Celadon","qty":1,"unit_price":3400},{"sku":"BOOK-1","name":"The book of tea","qty":2,"unit_price":1200}],"subtotal":5800,"shipping":500,"tax":213,"discount":0,"total":6513,"payment":{"method":"prepaid"},"service":"standard","status":"accepted","revision":1}'
is "a gift: the items file's Ship Name; Canada is CA" \
    "$(jq -c 'select(.order_id == "3100000002") | [.customer.name, .ship_to.name, .ship_to.country, .currency]' out)" \
    '["Bo Chen","Cy Wu","CA","CAD"]'
is "an item shipped ahead is not shipped again" \
    "$(jq -c 'select(.order_id == "3100000004") | [[.lines[].sku], [.not_shipped[] | [.sku, .reason]]]' out)" \
    '[["POT-1"],[["TEA-1","fulfilled"]]]'
is "Canceled is cancelled" \
    "$(ledger_sql fulfil.db "select status from orders where order_id = '3100000005'")" cancelled

run ingest-orders "$ORD"
is "without --items: exit 2" "$rc" 2
is "... says what is missing" "$(head -1 err)" \
    "ingest-orders: $ORD: a etsy export is two files: name the Sold Order Items file with --items"
run ingest-orders --items "$ORD" "$ITEMS"
is "the files the wrong way round: exit 2" "$rc" 2
is "... says so" "$(head -1 err)" \
    "ingest-orders: $ITEMS: this is the Sold Order Items file: name it with --items, and read the orders file"
run ingest-orders --items nonesuch.csv "$ORD"
is "an items file that cannot be opened: exit 2" "$rc" 2
check "... names it" grep -q "items file 'nonesuch.csv': No such file or directory" err
done_testing
