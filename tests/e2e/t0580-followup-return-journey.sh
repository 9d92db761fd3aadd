#!/bin/sh
# followup: a return parcel (label --return) has a journey of its own.
# Its carrier's events move the RMA (return_in_transit, then
# return_received), the customer is told the return arrived
# (return_received), staff get an inspect_return task; notify never
# fails on a return parcel's notice (issue 16: it failed with "no field
# 'customer.name'" on the RMA's record).
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup
jq --arg t "$FULFIL_ROOT/examples/templates" '.notify = {templates: $t,
    from: {name: "Test Shop", address: "shop@example.com"},
    smtp: {url: "smtp://127.0.0.1:9"}, sms: {url: "http://127.0.0.1:9/sms"},
    webhook: {url: "http://127.0.0.1:9/hook"}}
    | .followup = {survey_url: "https://s.example/r?o={order_id}"}' \
    "$DATA/fulfil.json" >fulfil.json
ship_notify_orders
printf '%s\n' \
    "{\"tracking\":\"$(trk N-1)\",\"status\":\"delivered\",\"occurred_at\":\"2026-11-24T11:00:00+08:00\"}" \
    "{\"tracking\":\"$(trk N-3)\",\"status\":\"delivered\",\"occurred_at\":\"2026-11-24T12:00:00+08:00\"}" |
    FULFIL_NOW=2026-11-24T12:00:00+08:00 followup -q >/dev/null
export FULFIL_NOW=2026-11-25T10:00:00+08:00
cat >returns.ndjson <<'EOF'
{"order_id":"N-1","kind":"return","reason":"changed my mind","lines":[{"sku":"TEA-1","qty":1}]}
{"order_id":"N-3","kind":"exchange","reason":"arrived damaged","lines":[{"sku":"TEA-1","qty":1}]}
EOF
followup -q --returns returns.ndjson >requested.ndjson
jq -c 'select(.type == "return")' requested.ndjson >rmas.ndjson
label -q --return rmas.ndjson >labelled.ndjson
rt() { jq -r "select(.rma == \"$1\") | .tracking" labelled.ndjson; }
R1=$(rt RMA-000001)
R2=$(rt RMA-000002)
is "two return labels" "$R1 $R2" "SF000000000006 SF000000000007"

# The return parcels travel back to the warehouse.
export FULFIL_NOW=2026-11-28T10:00:00+08:00
cat >back.ndjson <<EOF
{"type":"tracking","tracking":"$R1","status":"info_received","occurred_at":"2026-11-26T09:00:00+08:00"}
{"type":"tracking","tracking":"$R1","status":"in_transit","occurred_at":"2026-11-26T15:00:00+08:00","message":"Picked up"}
{"type":"tracking","tracking":"$R2","status":"in_transit","occurred_at":"2026-11-26T16:00:00+08:00"}
{"type":"tracking","tracking":"$R2","status":"out_for_delivery","occurred_at":"2026-11-27T08:00:00+08:00"}
EOF
run followup back.ndjson
is "in transit back: exit 0" "$rc" 0
is "no notice and no task on the way back" "$(wc -c <out | tr -d ' ')" 0
is "the RMAs are in transit back" \
    "$(ledger_sql fulfil.db "select order_id || ':' || status from orders where source = 'rma' order by order_id" | tr '\n' ' ')" \
    "RMA-000001:return_in_transit RMA-000002:return_in_transit "
is "the orders stay delivered" \
    "$(ledger_sql fulfil.db "select order_id || ':' || status from orders where source = 'web' and order_id in ('N-1', 'N-3') order by order_id" | tr '\n' ' ')" \
    "N-1:delivered N-3:delivered "

# Trouble on the way back: staff chase the carrier; the customer hears
# nothing yet; the RMA stays in transit.
echo "{\"type\":\"tracking\",\"tracking\":\"$R2\",\"status\":\"exception\",\"substatus\":\"address_issue\",\"occurred_at\":\"2026-11-27T09:00:00+08:00\",\"message\":\"Dock closed\"}" >trouble.ndjson
run followup trouble.ndjson
is "an exception on the way back: a carrier_chase task, no notice" \
    "$rc $(jq -r '(.event // .kind) + ":" + .order_id + ":" + .tracking + ":" + .priority' out)" \
    "0 carrier_chase:N-3:$R2:normal"
is "the task says which return and why" \
    "$(jq -r '.detail.rma + " | " + .detail.reason' out)" \
    "RMA-000002 | return RMA-000002 on its way back: carrier reports address_issue: Dock closed"
is "the RMA stays in transit back" \
    "$(ledger_sql fulfil.db "select status from orders where source = 'rma' and order_id = 'RMA-000002'")" \
    "return_in_transit"

# Received at the warehouse: the customer is told, staff inspect.
cat >home.ndjson <<EOF
{"type":"tracking","tracking":"$R1","status":"delivered","occurred_at":"2026-11-27T11:00:00+08:00","message":"Delivered to the warehouse"}
{"type":"tracking","tracking":"$R2","status":"delivered","occurred_at":"2026-11-27T12:30:00+08:00"}
EOF
run followup home.ndjson
is "received: exit 0" "$rc" 0
cp out home-out.ndjson
is "a return_received notice and an inspect_return task for each" \
    "$(jq -r '(.event // .kind) + ":" + .source + ":" + .order_id + ":" + (.rma // .detail.rma) + ":" + (.priority // "-")' out | tr '\n' ' ')" \
    "return_received:web:N-1:RMA-000001:- inspect_return:web:N-1:RMA-000001:normal return_received:web:N-3:RMA-000002:- inspect_return:web:N-3:RMA-000002:high "
is "the notice names the return parcel and when it arrived" \
    "$(jq -r 'select(.event == "return_received") | .tracking + " " + .occurred_at' out | tr '\n' ' ')" \
    "$R1 2026-11-27T11:00:00+08:00 $R2 2026-11-27T12:30:00+08:00 "
is "the task: what came back, why, and the return parcel" \
    "$(jq -r 'select(.kind == "inspect_return" and .order_id == "N-3") | [.tracking, .detail.kind, .detail.reason, (.detail.damaged | tostring), (.detail.lines | map(.sku + "x" + (.qty | tostring)) | join(","))] | join(" | ")' out)" \
    "$R2 | exchange | exchange RMA-000002 received: arrived damaged | true | TEA-1x1"
is "the RMAs are received" \
    "$(ledger_sql fulfil.db "select order_id || ':' || status || ':' || json_extract(rec(record), '$.received_at') from orders where source = 'rma' order by order_id" | tr '\n' ' ')" \
    "RMA-000001:return_received:2026-11-27T11:00:00+08:00 RMA-000002:return_received:2026-11-27T12:30:00+08:00 "
is "the audit trail: the order hears of its return" \
    "$(ledger_sql fulfil.db "select order_id || ':' || what || ':' || detail from events where what like 'return.%' order by id" | tr '\n' ' ')" \
    "N-1:return.received:RMA-000001 N-3:return.received:RMA-000002 "
run followup home.ndjson
is "replayed: nothing twice" "$rc $(wc -c <out | tr -d ' ')" "0 0"
cat >late.ndjson <<EOF
{"type":"tracking","tracking":"$R1","status":"exception","substatus":"damaged","occurred_at":"2026-11-27T18:00:00+08:00"}
{"type":"tracking","tracking":"$R2","status":"in_transit","occurred_at":"2026-11-27T10:00:00+08:00"}
{"type":"tracking","tracking":"$R1","status":"delivered","occurred_at":"2026-11-27T19:00:00+08:00"}
EOF
run followup late.ndjson
is "later news of a received return: exit 0, nothing told" "$rc $(wc -c <out | tr -d ' ')" "0 0"
is "received stays received" \
    "$(ledger_sql fulfil.db "select status from orders where source = 'rma' order by order_id" | tr '\n' ' ')" \
    "return_received return_received "
is "the RMA's audit trail has its parcel's events" \
    "$(ledger_sql fulfil.db "select detail from events where source = 'rma' and order_id = 'RMA-000001' and what = 'tracking' order by id" | tr '\n' ' ')" \
    "info_received in_transit delivered exception delivered "
is "received once: when it first arrived" \
    "$(ledger_sql fulfil.db "select json_extract(rec(record), '$.received_at') from orders where source = 'rma' and order_id = 'RMA-000001'") $(ledger_sql fulfil.db "select count(*) from events where what = 'return.received'")" \
    "2026-11-27T11:00:00+08:00 2"
FULFIL_NOW=2026-12-01T10:00:00+08:00 followup --scan >scan.ndjson 2>/dev/null
# The returns wait for inspection (and N-3's damage to be settled): no
# survey asks how we did meanwhile (t0621 has the surveys that follow).
is "no survey while a return is open, none for a return received" \
    "$(jq -r 'select(.event == "survey") | .source + ":" + .order_id' scan.ndjson | tr '\n' ' ')" \
    ""
run label --return rmas.ndjson
is "label --return again: the same numbers, the RMAs as they are" \
    "$rc $(jq -r '.rma + ":" + .status + ":" + .tracking' out | tr '\n' ' ')" \
    "0 RMA-000001:return_received:$R1 RMA-000002:return_received:$R2 "

# notify: the return arrived, in the customer's language, on every channel.
run notify --dry-run --channel email,sms,webhook home-out.ndjson
is "notify: exit 0" "$rc" 0
is "return_received e-mails" \
    "$(jq -r 'select(.channel == "email") | .to + " " + .subject' out | tr '\n' '|')" \
    "wang@example.com 订单 N-1 的退货已收到|eve@example.com We received your return for order N-3|"
check "the e-mail names the RMA and its tracking number" \
    sh -c "jq -r 'select(.channel == \"email\" and .order_id == \"N-3\") | .text' out | grep -q 'return RMA-000002 (tracking $R2)'"
is "an SMS and a webhook each" \
    "$(jq -r 'select(.channel != "email") | .channel + ":" + .order_id' out | tr '\n' ' ')" \
    "sms:N-1 webhook:N-1 sms:N-3 webhook:N-3 "

# A notice an older followup made of a return parcel (the RMA's own id,
# the parcel's event): notify tells the return arrived, or passes it on.
cat >old.ndjson <<EOF
{"type":"notice","event":"delivered","key":"delivered:$R1:1764212400","source":"rma","order_id":"RMA-000001","tracking":"$R1"}
{"type":"notice","event":"out_for_delivery","key":"out_for_delivery:$R2:1764201600","source":"rma","order_id":"RMA-000002","tracking":"$R2"}
EOF
run notify -q --dry-run --channel outbox -o outbox.ndjson old.ndjson
is "an old return-parcel notice: exit 0" "$rc" 0
is "no error (was: template zh-CN/delivered.email: no field 'customer.name')" "$(cat err)" ""
is "delivered back is return_received, to the order's customer" \
    "$(jq -r '.event + " " + .order_id + " " + .to' out | tr '\n' '|')" \
    "return_received N-1 wang@example.com|"
run notify -q --channel outbox -o outbox.ndjson old.ndjson home-out.ndjson
is "sent: exit 0" "$rc" 0
is "sent once, under the key followup gives it" \
    "$(jq -r '.event + ":" + .order_id' outbox.ndjson | sort | tr '\n' ' ')" \
    "return_received:N-1 return_received:N-3 "

done_testing
