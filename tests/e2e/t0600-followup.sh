#!/bin/sh
# followup: tracking events move each parcel (by event time, never
# backwards), a change is a notice once, an exception a task; --scan
# catches stalled and at-risk parcels before the customer does; replays
# and repeated scans make nothing twice; tasks are listed and closed.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup
ingest-orders -q "$DATA/notify-orders.ndjson" | pick-list -q | label -q |
    FULFIL_NOW=2026-11-23T16:00:00+08:00 dispatch -q >dispatched.ndjson
trk() { jq -r "select(.order_id == \"$1\") | .shipment.tracking" dispatched.ndjson; }
T1=$(trk N-1) T2=$(trk N-2) T3=$(trk N-3)
export FULFIL_NOW=2026-11-24T09:00:00+08:00

cat >events.ndjson <<EOF
{"type":"tracking","tracking":"$T1","carrier":"sf","status":"in_transit","occurred_at":"2026-11-23T20:00:00+08:00","location":{"city":"Hangzhou"}}
{"type":"tracking","tracking":"$T1","carrier":"sf","status":"delivered","occurred_at":"2026-11-24T08:30:00+08:00","message":"Signed by customer"}
{"type":"tracking","tracking":"$T1","carrier":"sf","status":"out_for_delivery","occurred_at":"2026-11-24T07:30:00+08:00"}
{"type":"tracking","tracking":"$T2","carrier":"sf","status":"in_transit","occurred_at":"2026-11-23T19:00:00+08:00"}
{"type":"tracking","tracking":"$T3","carrier":"sf","status":"exception","substatus":"damaged","message":"Parcel crushed","occurred_at":"2026-11-24T06:00:00+08:00"}
{"type":"tracking","tracking":"ZZ999","carrier":"sf","status":"in_transit","occurred_at":"2026-11-24T06:00:00+08:00"}
{"type":"tracking","tracking":"$T2","status":"teleported","occurred_at":"2026-11-24T06:00:00+08:00"}
{"type":"tracking","tracking":"$T2","status":"in_transit","occurred_at":"last tuesday"}
{"type":"tracking","tracking":"$T2","carrier":"ems","status":"in_transit","occurred_at":"2026-11-24T06:00:00+08:00"}
{"type":"tracking",
EOF

run followup --rejects rej.ndjson --events events.ndjson
is "bad events: exit 1" "$rc" 1
is "one line each" "$(sed 's/^followup: events.ndjson:\([0-9]*\): .*/\1/' err | head -5 | tr '\n' ' ')" "6 7 8 9 10 "
check "unknown tracking number" grep -q "events.ndjson:6: tracking ZZ999: not a parcel of ours (unknown tracking number)" err
check "unknown status" grep -q "events.ndjson:7: tracking $T2: unknown status 'teleported'" err
check "bad time" grep -q "events.ndjson:8: tracking $T2: occurred_at is not a time" err
check "wrong carrier" grep -q "events.ndjson:9: tracking $T2: carrier ems, but the parcel went with sf" err
is "rejects file: whole, with reasons" "$(jq -r .line rej.ndjson | tr '\n' ' ')" "6 7 8 9 10 "
is "rejects file: 0600" "$(stat -c %a rej.ndjson)" 600
is "notices and a task out" "$(jq -r '.type + ":" + (.event // .kind) + ":" + .order_id' out | tr '\n' ' ')" \
    "notice:delivered:N-1 notice:exception:N-3 task:replace_or_refund:N-3 "
is "out of order: delivered stays delivered" \
    "$(ledger_sql fulfil.db "select status from shipments where tracking = '$T1'")" delivered
is "no out_for_delivery notice after delivered" "$(grep -c out_for_delivery out || :)" 0
is "orders follow their parcels" \
    "$(ledger_sql fulfil.db "select order_id || ':' || status from orders order by order_id" | tr '\n' ' ')" \
    "N-1:delivered N-2:in_transit N-3:exception N-4:dispatched N-5:dispatched "
is "the ledger's record says when" \
    "$(ledger_sql fulfil.db "select json_extract(rec(record), '$.delivery.at') from orders where order_id = 'N-1'")" \
    "2026-11-24T08:30:00+08:00"
n1=$(jq -c 'select(.event == "delivered")' out)
is "a notice carries only what the customer needs" "$(echo "$n1" | jq -c 'keys')" \
    '["event","key","message","occurred_at","order_id","source","tracking","type"]'
t1=$(jq -c 'select(.type == "task")' out)
is "the task: staff get the full phone" "$(echo "$t1" | jq -r '.priority + " " + .detail.phone + " " + .due')" \
    "high +8613800138003 2026-11-24T11:00:00+08:00"
check "the task says why" sh -c "echo '$t1' | jq -e '.detail.reason == \"carrier reports damaged: Parcel crushed\"' >/dev/null"

run followup events.ndjson
is "replay: nothing new" "$(wc -c <out | tr -d ' ')" 0
check "replay: counted as duplicates" grep -qF "9 events, 0 reviews (0 negative), 0 return requests (0 exchanges) read, 5 duplicate, 5 rejected; 0 changes, 0 notices, 0 tasks" err

# A carrier's CSV export through a column map, status words mapped.
cat >sf-map.json <<'EOF'
{"carrier": "sf",
 "columns": {"tracking": "运单号", "status": "状态", "occurred_at": "时间",
             "message": "描述", "location.city": "城市"},
 "statuses": {"派送中": "out_for_delivery", "已签收": "delivered"}}
EOF
printf '运单号,状态,时间,描述,城市\n%s,派送中,2026-11-24 08:00,快递员李师傅,上海\n' "$T2" >sf.csv
run followup --map sf-map.json sf.csv
is "CSV: exit 0" "$rc" 0
is "CSV: out for delivery, a notice" "$(jq -r '.event + " " + .location.city + " " + .occurred_at' out)" \
    "out_for_delivery 上海 2026-11-24T08:00:00+08:00"

printf '运单号,状态,时间,描述,城市,状态\n%s,派送中,2026-11-24 08:00,,上海,已签收\n' "$T2" >twice.csv
run followup -q --map sf-map.json twice.csv
is "a mapped column twice: exit 2, nothing done" "$rc $(wc -c <out | tr -d ' ')" "2 0"
is "a mapped column twice: message" "$(cat err)" \
    "followup: twice.csv: column '状态' appears twice in the header"

# A failed attempt is a notice with what the courier said.
printf '{"type":"tracking","tracking":"%s","status":"attempt_fail","occurred_at":"2026-11-24T10:00:00+08:00","message":"Nobody home, card left"}\n' "$T2" >attempt.ndjson
run followup attempt.ndjson
is "attempt failed: a notice saying what to do" "$(jq -r '.event + ": " + .message' out)" \
    "attempt_failed: Nobody home, card left"

# A byte order mark before the first event, and before a column map
# (into a copy of the ledger, which the rest of the test goes on with).
ledger_save bom
bom=$(ledger_at bom)
{ printf '\357\273\277'; printf '{"type":"tracking","tracking":"%s","status":"delivered","occurred_at":"2026-11-24T10:30:00+08:00"}\n' "$T3"; } >bom.ndjson
run followup --db "$bom" --events bom.ndjson
is "a BOM before the first event: taken" "$rc $(jq -r .event out)" "0 delivered"
{ printf '\357\273\277'; cat sf-map.json; } >bom-map.json
printf '运单号,状态,时间,描述,城市\n%s,已签收,2026-11-24 10:40,,\n' "$T2" >sf2.csv
run followup --db "$bom" --map bom-map.json sf2.csv
is "a BOM before a column map: read" "$rc $(jq -r .event out)" "0 delivered"

# --scan: at noon on the 25th N-4 and N-5 (no scan since dispatch) are
# at risk of missing the end of the day: staff chase the carrier, but
# the customer hears nothing yet (the courier may still come this
# afternoon; an apology before the promise is broken is not true).
export FULFIL_NOW=2026-11-25T12:00:00+08:00
run followup --scan
is "scan: exit 0" "$rc" 0
is "scan: at risk, staff told before deliver_by passes, no apology" \
    "$(jq -r '.type + ":" + (.event // .kind) + ":" + .order_id' out | tr '\n' ' ')" \
    "task:carrier_chase:N-4 task:carrier_chase:N-5 "
run followup --scan
is "scan again: nothing twice" "$(wc -c <out | tr -d ' ')" 0

# A day later the promise is broken: N-4 and N-5 have stalled too (a
# new chase each), and now their customers get the apology, once.
# N-2, out for delivery since the 24th and a failed attempt at 10:00,
# has stalled past its deliver_by: a chase and its apology.
export FULFIL_NOW=2026-11-26T12:00:00+08:00
run followup --scan
is "stalled past deliver_by: a task and an apology each" \
    "$(jq -r '.type + ":" + (.event // .kind) + ":" + .order_id + ":" + (.detail.reason // "")' out | tr '\n' '|')" \
    "task:carrier_chase:N-2:no scan for 50 hours (stall after 48)|notice:delay_apology:N-2:|task:carrier_chase:N-4:no scan for 68 hours (stall after 48)|notice:delay_apology:N-4:|task:carrier_chase:N-5:no scan for 68 hours (stall after 48)|notice:delay_apology:N-5:|"
# The 26th is a holiday the carrier does not deliver on.
is "scan: an honest new estimate" "$(jq -r 'select(.event and .order_id != "N-2") | .new_estimate' out | sort -u)" "2026-11-28T23:59:59+08:00"
run followup --scan
is "scan again: no second apology" "$(wc -c <out | tr -d ' ')" 0

# Tasks: listed, closed, and closing twice says so.
run followup --tasks
is "open tasks" "$(jq -r '.id + ":" + .kind + ":" + .order_id' out | tr '\n' ' ')" \
    "T-000001:replace_or_refund:N-3 T-000002:carrier_chase:N-4 T-000003:carrier_chase:N-5 T-000004:carrier_chase:N-2 T-000005:carrier_chase:N-4 T-000006:carrier_chase:N-5 "
run followup --done T-000001
is "done: exit 0" "$rc" 0
check "done: said" grep -qx "followup: task T-000001 done" err
run followup --done T-000001
check "done twice: said" grep -q "task T-000001 was done already, at 2026-11-26T12:00:00+08:00" err
run followup --done T-999999
is "no such task: exit 1" "$rc" 1
is "five open" "$(followup -q --tasks | wc -l | tr -d ' ')" 5
run followup --tasks --scan
is "--tasks with --scan: exit 2" "$rc" 2

# The notices go straight into notify: the apology, with the new date.
ledger_sql fulfil.db "select record from notices where event = 'delay_apology' and order_id = 'N-2'" >apology.ndjson
run notify --dry-run --channel email --config "$DATA/fulfil.json" apology.ndjson
is "followup | notify: no config, no channel" "$rc" 2
jq --arg t "$FULFIL_ROOT/examples/templates" '.notify = {templates: $t, from: {address: "shop@example.com"}, smtp: {url: "smtp://127.0.0.1:9"}}' \
    fulfil.json >n.json
run notify --config n.json --dry-run --channel email apology.ndjson
is "followup | notify: the apology" "$(jq -r '.subject' out)" "Order N-2 is running late"

# A pipe that died between followup and notify loses no notice:
# --pending writes again those of the last week notify made nothing of.
jq --arg t "$FULFIL_ROOT/examples/templates" '.notify = {templates: $t, channels: ["outbox"], outbox: "box.ndjson", from: {address: "shop@example.com"}}' \
    fulfil.json >n2.json
followup --pending </dev/null >again.ndjson 2>/dev/null
is "--pending: the notices no message was made of" \
    "$(jq -r '.event + ":" + .order_id' again.ndjson | sort | tr '\n' ' ')" \
    "attempt_failed:N-2 delay_apology:N-2 delay_apology:N-4 delay_apology:N-5 delivered:N-1 exception:N-3 out_for_delivery:N-2 "
notify -q --config n2.json again.ndjson >/dev/null || :
is "--pending after notify: nothing left to write again" \
    "$(followup --pending </dev/null 2>/dev/null | wc -c | tr -d ' ')" 0

check "with the new date" sh -c "jq -r .text out | grep -q 'Our honest new estimate: 28 Nov 2026.'"

done_testing
