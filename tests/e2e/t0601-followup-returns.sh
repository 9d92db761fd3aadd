#!/bin/sh
# followup part 2: negative reviews become phone calls; return and
# exchange requests become RMAs, return labels (label --return, numbered
# once) and replacement orders that ship at once; surveys after delivery.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup
jq --arg t "$FULFIL_ROOT/examples/templates" '.notify = {templates: $t,
    from: {name: "Test Shop", address: "shop@example.com"},
    smtp: {url: "smtp://127.0.0.1:9"}}
    | .followup = {survey_url: "https://s.example/r?o={order_id}&s={source}"}' \
    "$DATA/fulfil.json" >fulfil.json
ingest-orders -q "$DATA/notify-orders.ndjson" | pick-list -q | label -q |
    FULFIL_NOW=2026-11-23T16:00:00+08:00 dispatch -q >dispatched.ndjson
trk() { jq -r "select(.order_id == \"$1\") | .shipment.tracking" dispatched.ndjson; }
printf '%s\n' \
    "{\"tracking\":\"$(trk N-1)\",\"status\":\"delivered\",\"occurred_at\":\"2026-11-24T11:00:00+08:00\"}" \
    "{\"tracking\":\"$(trk N-3)\",\"status\":\"exception\",\"substatus\":\"damaged\",\"occurred_at\":\"2026-11-24T06:00:00+08:00\"}" \
    "{\"tracking\":\"$(trk N-2)\",\"status\":\"in_transit\",\"occurred_at\":\"2026-11-23T20:00:00+08:00\"}" |
    FULFIL_NOW=2026-11-24T12:00:00+08:00 followup -q >/dev/null
export FULFIL_NOW=2026-11-25T10:00:00+08:00

# Reviews: NDJSON and CSV alike.
cat >reviews.ndjson <<'EOF'
{"order_id":"N-1","rating":1,"text":"Box arrived crushed","at":"2026-11-25T09:00:00+08:00"}
{"order_id":"N-2","rating":5,"text":"Lovely tea","at":"2026-11-25T09:10:00+08:00"}
{"order_id":"N-9","rating":5,"at":"2026-11-25T09:10:00+08:00"}
{"order_id":"N-2","rating":9,"at":"2026-11-25T09:10:00+08:00"}
EOF
printf 'order_id,rating,text,at\nN-3,4,"包装破损了，茶叶撒了",2026-11-25 09:30\n' >reviews.csv
run followup --reviews reviews.ndjson --reviews reviews.csv
is "reviews: exit 1 (two bad)" "$rc" 1
check "unknown order" grep -q "reviews.ndjson:3: order N-9: not in the ledger" err
check "bad rating" grep -q "reviews.ndjson:4: a review needs a rating from 1 to 5 or a text" err
is "a call for each negative review, none for the good one" \
    "$(jq -r '.kind + ":" + .order_id + ":" + .priority' out | tr '\n' ' ')" \
    "call_customer:N-1:high call_customer:N-3:normal "
call=$(jq -c 'select(.order_id == "N-1")' out)
is "the call: the full phone, the review, the order, its history" \
    "$(echo "$call" | jq -r '[.detail.phone, .detail.rating, .detail.review, (.detail.order.lines | map(.sku) | join("+")), (.detail.history | map(.status) | join(">"))] | join(" | ")')" \
    "+8613800138001 | 1 | Box arrived crushed | TEA-2+TEA-1+GIFT-CUP | delivered"
check "a keyword makes a 4 negative (zh)" sh -c "jq -e 'select(.order_id == \"N-3\") | .detail.review == \"包装破损了，茶叶撒了\"' out >/dev/null"
run followup --reviews reviews.ndjson --reviews reviews.csv
is "reviews again: nothing twice" "$(wc -c <out | tr -d ' ')" 0
printf 'order_id,rating,text,at,Rating\nN-2,5,,2026-11-25 09:40,1\n' >twice.csv
run followup -q --reviews twice.csv
is "a column twice: exit 2, nothing done" "$rc $(wc -c <out | tr -d ' ')" "2 0"
is "a column twice: message" "$(cat err)" \
    "followup: twice.csv: column 'rating' appears twice in the header"
is "the ledger: each review once, the call with it" \
    "$(ledger_sql fulfil.db "select order_id || ':' || negative || ':' || coalesce(task, '-') from reviews order by order_id" | tr '\n' ' ')" \
    "N-1:1:T-000002 N-2:0:- N-3:1:T-000003 "

# Returns and exchanges.
cat >returns.ndjson <<'EOF'
{"order_id":"N-1","kind":"exchange","reason":"wrong size","lines":[{"sku":"TEA-1","qty":1}]}
{"order_id":"N-3","kind":"return","reason":"arrived damaged","lines":[{"sku":"TEA-1","qty":1}]}
{"order_id":"N-1","kind":"return","reason":"changed my mind","lines":[{"sku":"TEA-1","qty":1}]}
{"order_id":"N-2","kind":"return","reason":"changed my mind","lines":[{"sku":"TEA-1","qty":1}]}
{"order_id":"N-1","kind":"return","reason":"changed my mind","lines":[{"sku":"BOOK-9","qty":1}]}
{"order_id":"N-1","kind":"swap","reason":"x","lines":[{"sku":"TEA-2","qty":1}]}
EOF
run followup --returns returns.ndjson
is "returns: exit 1" "$rc" 1
check "more than was shipped" grep -q "returns.ndjson:3: order N-1: SKU TEA-1: 1 asked back, 0 left to return" err
check "not delivered" grep -q "returns.ndjson:4: order N-2: not delivered (status in_transit)" err
check "not in the order" grep -q "returns.ndjson:5: order N-1: SKU BOOK-9 was not in order N-1" err
check "bad kind" grep -q "returns.ndjson:6: kind must be return or exchange" err
is "out: the returns, the replacement, the damaged one's task" \
    "$(jq -r '(.type // "order") + ":" + (.rma // .kind // .source) + ":" + .order_id' out | tr '\n' ' ')" \
    "return:RMA-000001:N-1 order:exchange:RMA-000001 return:RMA-000002:N-3 task:replace_or_refund:N-3 "
ret=$(jq -c 'select(.rma == "RMA-000001")' out)
is "a return goes from the customer to the warehouse" \
    "$(echo "$ret" | jq -r '.ship_from.name + " -> " + .ship_to.name + " via " + .carrier')" \
    "王小明 -> Test Warehouse Returns via sf"
is "the replacement is accepted, promised, linked" \
    "$(ledger_sql fulfil.db "select status || ' ' || json_extract(rec(record), '$.exchange_of.order_id') || ' ' || case when json_extract(rec(record), '$.promise.ship_by') is not null then 1 else 0 end from orders where source = 'exchange'")" \
    "accepted N-1 1"
jq -c 'select(.source == "exchange")' out >replacement-accepted.ndjson
run notify --dry-run --channel email replacement-accepted.ndjson
is "no order_confirmed for a replacement the customer asked for" "$(wc -c <out | tr -d ' ')" 0
run followup --returns returns.ndjson
is "returns again: no new RMA" "$(ledger_sql fulfil.db 'select count(*) from rmas') $(grep -c '^{' out || :)" "2 0"
# One SKU on several lines counts as one: N-3 shipped one TEA-2.
cat >split.ndjson <<'EOF'
{"order_id":"N-3","kind":"exchange","reason":"wrong size","lines":[{"sku":"TEA-2","qty":1},{"sku":"TEA-2","qty":1},{"sku":"TEA-2","qty":1},{"sku":"TEA-2","qty":1},{"sku":"TEA-2","qty":1}]}
{"order_id":"N-3","kind":"return","reason":"changed my mind","lines":[{"sku":"TEA-1","qty":1},{"sku":"TEA-2","qty":1}]}
{"order_id":"N-1","kind":"return","reason":"changed my mind","lines":[{"sku":"TEA-2","qty":1},{"sku":"TEA-1","qty":1},{"sku":"TEA-2","qty":1}]}
EOF
run followup --returns split.ndjson
is "split lines: exit 1" "$rc" 1
check "five lines of one, one shipped" grep -q "split.ndjson:1: order N-3: SKU TEA-2: 5 asked back, 1 left to return" err
check "with what an earlier RMA asked back" grep -q "split.ndjson:2: order N-3: SKU TEA-1: 1 asked back, 0 left to return" err
check "the lines of a SKU add up wherever they stand" grep -q "split.ndjson:3: order N-1: SKU TEA-2: 2 asked back, 1 left to return" err
is "no RMA and no free replacement" \
    "$(ledger_sql fulfil.db "select count(*) from rmas; select count(*) from orders where source = 'exchange'" | tr '\n' ' ')$(grep -c '^{' out || :)" \
    "2 1 0"
FULFIL_NOW=2027-01-30T10:00:00+08:00 followup --returns returns.ndjson >/dev/null 2>late.err || :
check "after the window" grep -q "returns.ndjson:1: order N-1: the 30-day return window has closed" late.err

# label --return: the return labels, numbered once; nothing else is touched.
ledger_sql fulfil.db "select record from rmas order by id" >rmas.ndjson
run label --return -f pdf -o rl rmas.ndjson dispatched.ndjson
is "label --return: exit 0" "$rc" 0
is "return labels numbered from the carrier's range" \
    "$(jq -r 'select(.type == "return") | .rma + ":" + .status + ":" + .tracking' out | tr '\n' ' ')" \
    "RMA-000001:labelled:SF000000000006 RMA-000002:labelled:SF000000000007 "
is "the orders pass through untouched" "$(jq -c 'select(.type == null)' out | md5sum)" "$(jq -c . dispatched.ndjson | md5sum)"
pdftotext rl/*.pdf - >rl.txt
check "the label says RETURN and the RMA" grep -q "RETURN RMA-000001 (web N-1)" rl.txt
check "addressed to the warehouse" grep -q "Test Warehouse Returns" rl.txt
run label --return rmas.ndjson
is "again: the same numbers" "$(jq -r '.tracking' out | tr '\n' ' ')" "SF000000000006 SF000000000007 "
run label --return --pending </dev/null
is "--pending: none waiting any more" "$(wc -c <out | tr -d ' ')" 0

# notify: the return label is ready; the exchange ships at once.
label -q --return rmas.ndjson >returns-labelled.ndjson
run notify --dry-run --channel email returns-labelled.ndjson
is "return_label_ready, in the customer's language" "$(jq -r '.to + " " + .subject' out | tr '\n' '|')" \
    "wang@example.com 订单 N-1 的退货面单已生成|eve@example.com Your return label for order N-3|"
check "with the RMA and its tracking number" sh -c "jq -r .text out | grep -q 'Return tracking number: SF000000000007'"
pick-list -q --pending </dev/null | label -q | dispatch -q >replacement.ndjson
is "the replacement went out" "$(jq -r '.source + ":" + .order_id + ":" + .status' replacement.ndjson)" \
    "exchange:RMA-000001:dispatched"
run notify --dry-run --channel email replacement.ndjson
is "exchange_shipped" "$(jq -r .subject out)" "订单 N-1 的换货已发出"

# Surveys, three days after delivery, once, and never while the
# customer's complaint is open (N-1's review opened a call).
FULFIL_NOW=2026-11-27T10:00:00+08:00 followup --scan >s1.ndjson 2>/dev/null
is "not yet after 2 days" "$(grep -c survey s1.ndjson || :)" 0
FULFIL_NOW=2026-11-27T11:00:00+08:00 followup --scan >s2.ndjson 2>/dev/null
is "3 days, but a call is open: no survey" "$(grep -c survey s2.ndjson || :)" 0
for id in $(ledger_sql fulfil.db "select id from tasks where order_id = 'N-1' and status = 'open'"); do
	FULFIL_NOW=2026-11-27T11:30:00+08:00 followup -q --done "$id"
done
FULFIL_NOW=2026-11-27T12:00:00+08:00 followup --scan >s2.ndjson 2>/dev/null
is "a survey once the call is made" "$(jq -r 'select(.event == "survey") | .order_id + " " + .survey_url' s2.ndjson)" \
    "N-1 https://s.example/r?o=N-1&s=web"
FULFIL_NOW=2026-11-28T11:00:00+08:00 followup --scan >s3.ndjson 2>/dev/null
is "and once" "$(grep -c survey s3.ndjson || :)" 0

done_testing
