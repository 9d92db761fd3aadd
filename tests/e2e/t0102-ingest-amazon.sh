#!/bin/sh
# The Amazon unshipped-orders report: tab-separated, one row per item,
# several rows per order, item prices for all units, what is left to ship,
# COD, a scheduled delivery window; the format is told by the header.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup

run ingest-orders "$FULFIL_ROOT/examples/amazon-unshipped.txt"
is "exit 0" "$rc" 0
same "golden" out "$DATA/golden/ingest-amazon.out"
is "two rows make one order" \
    "$(jq -c 'select(.order_id == "503-1111111-1111111") | [.lines[] | [.sku, .qty, .unit_price]]' out)" \
    '[["TEA-1",2,12800],["POT-1",1,9990],["GIFT-CUP",2,0]]'
is "a quote in a tab-separated field is text" \
    "$(jq -r 'select(.order_id == "503-1111111-1111111") | .lines[1].name' out)" \
    '12" bamboo tray'
is "quantity still to ship" \
    "$(jq -c 'select(.order_id == "503-2222222-2222222") | [.lines[0].qty, .payment]' out)" \
    '[2,{"method":"cod","cod_amount":9000}]'
is "address line 3 joins line 2" \
    "$(jq -r 'select(.order_id == "503-1111111-1111111") | .ship_to.line2' out)" \
    '5楼, A座'
is "timed delivery: ship_by moves to meet the window" \
    "$(jq -c 'select(.order_id == "503-3333333-3333333") | .promise' out)" \
    '{"ship_by":"2026-11-25T18:30:00+08:00","deliver_by":"2026-11-27T12:00:00+08:00"}'
done_testing
