#!/bin/sh
# A map that converts (tests/data/shop-cn-map.json): defaults, value
# tables for payment, delivery and status words, US dates in New York
# time, countries by name in English and Chinese, decimal commas.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup

run ingest-orders --map "$DATA/shop-cn-map.json" "$DATA/shop-cn.csv"
is "exit 1: one date matches no pattern" "$rc" 1
is "... named, not shown" "$(grep A9 err)" \
    "ingest-orders: $DATA/shop-cn.csv:12: order A9: placed_at: matches no date_format pattern"
is "dates in the map's zone; countries by name; phones without apostrophes" \
    "$(jq -c '[.order_id, .placed_at, .ship_to.country, .ship_to.phone]' out)" \
    '["A1","2026-11-22T20:05:00-05:00","US","+16175550131"]
["A2","2026-11-22T21:00:00-05:00","US","+12125550132"]
["A4","2026-11-22T22:00:00-05:00","CN","+8613800138000"]
["A5","2026-11-22T22:30:00-05:00","HK","+8613800138007"]
["A6","2026-11-22T00:00:00-05:00","CN","+8613800138001"]
["A8","2026-11-22T23:10:00-05:00","CN","+8613800138004"]'
is "货到付款 is cod; 加急 is express" \
    "$(jq -c 'select(.order_id == "A2" or .order_id == "A4") | [.order_id, .payment.method, .payment.status, .service]' out)" \
    '["A2","prepaid","paid","express"]
["A4","cod","paid","standard"]'
is "待付款 is pending: held, its date and phone converted all the same" \
    "$(ledger_sql fulfil.db "select status, rec(record) from orders where order_id = 'A3'" | jq -Rc 'split("|") | [.[0], (.[1:] | join("|") | fromjson | .payment.status, .placed_at, .ship_to.phone)]')" \
    '["on_hold","pending","2026-11-22T21:30:00-05:00","+12065550133"]'
is "decimal commas, 1.024,00 and 12,80" \
    "$(jq -c 'select(.order_id == "A1") | [[.lines[] | select(.gift | not) | .unit_price], .total]' out)" \
    '[[1280,102400],104960]'
is "已取消 is cancelled" \
    "$(ledger_sql fulfil.db "select status from orders where order_id = 'A7'")" cancelled
is "a line 已发货 is not shipped again" \
    "$(jq -c 'select(.order_id == "A8") | [[.lines[].sku], .not_shipped[0].reason]' out)" \
    '[["TEA-2"],"fulfilled"]'
is "a source from the map" "$(jq -r .source out | sort -u)" shop-cn
done_testing
