#!/bin/sh
# The Amazon all-orders report (32 columns, no names or streets) and a US
# unshipped-orders report without prices: statuses, fulfilment by Amazon,
# one warning for a file without prices (and one for a phone's extension).
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup

run ingest-orders "$DATA/amazon-all-orders.txt"
is "all orders: some set aside, exit 1" "$rc" 1
for id in 111-0000004-0000004 111-0000005-0000005 111-0000006-0000006; do
	check "$id: still to ship, no one to ship to: says where to take it from" \
	    grep -q "order $id: the report has no recipient or street: take the order from the unshipped-orders report" err
done
is "shipped, fulfilled by Amazon, cancelled: none taken to ship" \
    "$(ledger_sql fulfil.db "select count(*) from orders where status = 'accepted'")" 0
is "nothing written to ship" "$(cat out)" ""
check "no warning about prices: the report has them" \
    sh -c '! grep -q "no prices" err'

fresh_ledger
run ingest-orders "$DATA/amazon-unshipped-us.txt"
is "unshipped, no prices: exit 0" "$rc" 0
is "one warning for the file, then the summary" "$(cat err)" \
    "ingest-orders: $DATA/amazon-unshipped-us.txt: the report has no prices: its orders are taken in CNY, the warehouse's currency, without prices
ingest-orders: $DATA/amazon-unshipped-us.txt:2: order 112-0000011-0000011: warning: customer.phone: extension left out: E.164 has none
ingest-orders: 2 read, 2 accepted, 0 updated, 0 duplicate, 0 cancelled, 0 rejected, 1 warning"
is "the warehouse's currency, no prices" \
    "$(jq -c '[.order_id, .currency, [.lines[].unit_price]]' out)" \
    '["112-0000011-0000011","CNY",[null]]
["112-0000012-0000012","CNY",[null,null]]'
is "2 of 3 left to ship, the one sent kept" \
    "$(jq -c 'select(.order_id == "112-0000012-0000012") | [.lines[0].qty, .lines[0].ordered_qty, .not_shipped]' out)" \
    '[2,3,[{"sku":"TEA-2","name":"Tieguanyin oolong 100 g","qty":1,"reason":"fulfilled"}]]'
is "the address; Expedited is express, kept as the shipping method" \
    "$(jq -c 'select(.order_id == "112-0000012-0000012") | [.ship_to, .service, .shipping_method]' out)" \
    '[{"name":"Bo Chen","line1":"20 W 34th St","line2":"Apt 5","city":"NEW YORK","region":"NY","postcode":"10001","country":"US"},"express","Expedited"]'
fresh_ledger
run ingest-orders -q "$DATA/amazon-unshipped-us.txt"
is "-q: no warning either" "$(cat err)" ""
done_testing
