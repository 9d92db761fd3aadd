#!/bin/sh
# WooCommerce's order export ("Default - One Row per Item" of Customer /
# Order CSV Export), told by its header or named: statuses, the cod
# gateway, a refunded unit, names joined.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup
WOO=$DATA/woocommerce-orders.csv

run ingest-orders "$WOO"
is "exit 0" "$rc" 0
is "summary: the unpaid order held, the completed one fulfilled" "$(cat err)" \
    "ingest-orders: $WOO:3: order 2002: on hold: awaiting_payment: payment.status is pending
ingest-orders: 6 read, 3 accepted, 0 updated, 0 duplicate, 1 cancelled, 0 rejected, 1 on hold (1 awaiting payment), 1 fulfilled (nothing left to ship)"
is "2001 field by field" "$(jq -c 'select(.order_id == "2001") | del(.promise)' out)" \
    '{"order_id":"2001","source":"woocommerce","placed_at":"2026-11-22T21:05:00+08:00","currency":"USD","customer":{"name":"Ann Lee","email":"ann.lee@example.com","phone":"+16175550120"},"ship_to":{"name":"Ann Lee","line1":"1 Main St","city":"Boston","region":"MA","postcode":"02108","country":"US","phone":"+16175550120"},"lines":[{"sku":"BOOK-1","name":"The book of tea","qty":2,"unit_price":2400}],"shipping":500,"tax":0,"discount":0,"total":5300,"payment":{"method":"prepaid","status":"paid","refunded":0},"service":"standard","shipping_method":"Flat rate","status":"accepted","revision":1}'
is "2002: on-hold is a payment awaited, held" \
    "$(ledger_sql fulfil.db "select status, rec(record) from orders where order_id = '2002'" | sed 's/|.*"payment":{[^}]*"status":"\([a-z_]*\)".*/ \1/')" \
    "on_hold pending"
is "2003: completed: nothing to ship, recorded fulfilled" \
    "$(ledger_sql fulfil.db "select status from orders where order_id = '2003'")" fulfilled
is "2004: cancelled" \
    "$(ledger_sql fulfil.db "select status from orders where order_id = '2004'")" cancelled
is "2005: one of three refunded: two to ship" \
    "$(jq -c 'select(.order_id == "2005") | [.lines[0].qty, .lines[0].ordered_qty, .not_shipped[0].reason, .payment.refunded]' out)" \
    '[2,3,"refunded",4500]'
is "2006: cod; the pickup method kept" \
    "$(jq -c 'select(.order_id == "2006") | [.payment.method, .payment.cod_amount, .shipping_method]' out)" \
    '["cod",12800,"Local pickup"]'

fresh_ledger
run ingest-orders -q -f woocommerce "$WOO"
is "-f woocommerce: the same" "$rc $(jq -r .order_id out | tr '\n' ' ')" "0 2001 2005 2006 "
done_testing
