#!/bin/sh
# What a Shopify export says about money and fulfilment, through the real
# executable (tests/data/shopify-states.csv, the 79-column layout): the
# financial status and outstanding balance, the order's and each line's
# fulfillment status, refunds matched to lines, the shipping method and
# phones behind a spreadsheet's apostrophe.  Records are read back from
# the ledger, which keeps every order taken, whatever its status.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup
# Order 3013 is a cancellation with no address: ingest's business.
grep -v '^#3013,' "$DATA/shopify-states.csv" >states.csv

rec() {
	ledger_sql fulfil.db "select rec(record) from orders where order_id = '$1'"
}

run ingest-orders states.csv
is "exit 0" "$rc" 0
is "3001: pending, 24.00 outstanding" "$(rec 3001 | jq -c .payment)" \
    '{"method":"prepaid","status":"pending","outstanding":2400}'
is "3002: partially paid, 50.00 outstanding" \
    "$(rec 3002 | jq -c '[.payment.status, .payment.outstanding]')" \
    '["partially_paid",5000]'
is "3003: authorized" "$(rec 3003 | jq -r .payment.status)" authorized
is "3004: fulfilled order, 3006: refund covers the pending line, 3010: a return: none taken to ship" \
    "$(ledger_sql fulfil.db "select count(*) from orders where order_id in ('3004', '3006', '3010') and status = 'accepted'")" 0
is "... nor written" \
    "$(jq -r 'select(.order_id == "3004" or .order_id == "3006" or .order_id == "3010") | .order_id' out)" ""
is "3005: the partial line keeps its quantity, marked; the fulfilled one is not shipped" \
    "$(rec 3005 | jq -c '[[.lines[] | [.sku, .qty, .fulfilment]], [.not_shipped[] | [.sku, .reason]], .fulfillment_status]')" \
    '[[["TEA-2",3,"partial"],["ANVIL-1",1,null]],[["TEA-1","fulfilled"]],"partial"]'
is "3007: a refund that could be either line: both marked partial" \
    "$(rec 3007 | jq -c '[.lines[] | select(.gift | not) | .fulfilment]')" '["partial"]'
is "3008: the shipping refunded: the line ships" \
    "$(rec 3008 | jq -c '[[.lines[] | .fulfilment], .payment.refunded]')" '[[null],1000]'
is "3009: refunded before it was sent: cancelled" \
    "$(ledger_sql fulfil.db "select status from orders where order_id = '3009'")" cancelled
is "3011: the shipping method as the export says it" \
    "$(rec 3011 | jq -r .shipping_method)" "Collect from Store A"
is "3012: phones behind an apostrophe are read" \
    "$(rec 3012 | jq -c '[.ship_to.phone, .customer.phone]')" \
    '["+442079460321","+442079460321"]'
done_testing
