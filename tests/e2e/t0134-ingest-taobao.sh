#!/bin/sh
# Taobao/Tmall's 订单报表 joined with its 宝贝报表 by 订单编号
# (examples/taobao-*.csv, made UTF-8): 收货地址 split into region, city,
# district, street and postcode; the order's and each item's status; a
# GBK export is refused with the command that converts it.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup
ORD=$FULFIL_ROOT/examples/taobao-orders.csv
ITEMS=$FULFIL_ROOT/examples/taobao-items.csv

run ingest-orders -f taobao --items "$ITEMS" "$ORD"
is "exit 0" "$rc" 0
is "summary" "$(cat err)" \
    "ingest-orders: 8 read, 6 accepted, 0 updated, 0 duplicate, 1 cancelled, 0 rejected, 1 fulfilled (nothing left to ship)"
is "3108811200001 field by field" \
    "$(jq -c 'select(.order_id == "3108811200001") | del(.promise) | del(.lines[] | select(.gift))' out)" \
    '{"order_id":"3108811200001","source":"taobao","placed_at":"2026-11-23T08:14:00+08:00","currency":"CNY","customer":{"name":"王芳","phone":"+8613800138000"},"ship_to":{"name":"王芳","line1":"张江路123号","line2":"浦东新区","city":"上海市","region":"上海","postcode":"201203","country":"CN","phone":"+8613800138000"},"lines":[{"sku":"TEA-1","name":"明前龙井 250g","variant":"净含量：250g","qty":2,"unit_price":12800},{"sku":"POT-1","name":"宜兴紫砂壶 300ml","variant":"容量：300ml","qty":1,"unit_price":39800}],"subtotal":65400,"shipping":0,"total":65400,"payment":{"method":"prepaid","status":"paid"},"service":"standard","shipping_method":"快递","preferences":{"note":"请周末送货"},"fulfillment_status":"unfulfilled","status":"accepted","revision":1}'
is "a 街道 stays with the street; a town is no district" \
    "$(jq -c 'select(.order_id == "3108811200002" or .order_id == "3108811200003") | [.ship_to.line1, .ship_to.line2]' out)" \
    '["文新街道 文一西路100号","西湖区"]
["长安镇 长青路1号",null]'
is "交易关闭: cancelled" \
    "$(ledger_sql fulfil.db "select status from orders where order_id = '3108811200004'")" cancelled
is "卖家已发货: nothing to ship" \
    "$(ledger_sql fulfil.db "select count(*) from orders where order_id = '3108811200005' and status = 'accepted'")" 0
is "卖家部分发货: the item sent stays back" \
    "$(jq -c 'select(.order_id == "3108811200006") | [[.lines[] | select(.gift | not) | .sku], [.not_shipped[] | [.sku, .reason]]]' out)" \
    '[["TEA-1"],[["POT-1","fulfilled"]]]'
is "修改后的收货地址 wins; no postcode" \
    "$(jq -c 'select(.order_id == "3108811200007") | [.ship_to.line1, .ship_to.line2, .ship_to.postcode]' out)" \
    '["春熙路2号","锦江区",null]'
is "Hong Kong" "$(jq -r 'select(.order_id == "3108811200008") | .ship_to.country' out)" HK

fresh_ledger
run ingest-orders -q --items "$ITEMS" "$ORD"
is "told by its header: the same orders" "$rc $(jq -r .order_id out | wc -l | tr -d ' ')" "0 6"

# As Taobao writes them: GBK.
iconv -f UTF-8 -t GBK "$ORD" >orders-gbk.csv
iconv -f UTF-8 -t GBK "$ITEMS" >items-gbk.csv
fresh_ledger
run ingest-orders -f taobao --items items-gbk.csv orders-gbk.csv
is "GBK: exit 2" "$rc" 2
is "GBK: says how to convert" "$(head -1 err)" \
    "ingest-orders: orders-gbk.csv: the header is not UTF-8 (convert the file first; a GBK export: iconv -f GBK -t UTF-8)"
iconv -f GBK -t UTF-8 items-gbk.csv >items.csv
run sh -c 'iconv -f GBK -t UTF-8 orders-gbk.csv | ingest-orders -q -f taobao --items items.csv'
is "converted: read" "$rc $(jq -r .order_id out | wc -l | tr -d ' ')" "0 6"
done_testing
