#!/bin/sh
# followup --report: the KPIs of a period from the ledger, as NDJSON and
# as one HTML page that headless Chromium renders (not blank) with the
# same numbers (tests/report-check.py).
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup
ingest-orders -q "$DATA/notify-orders.ndjson" | pick-list -q | label -q |
    FULFIL_NOW=2026-11-23T16:00:00+08:00 dispatch -q >dispatched.ndjson
trk() { jq -r "select(.order_id == \"$1\") | .shipment.tracking" dispatched.ndjson; }
# N-1 delivered in time, N-2 a day after its promise, N-3 damaged.
printf '%s\n' \
    "{\"tracking\":\"$(trk N-1)\",\"status\":\"delivered\",\"occurred_at\":\"2026-11-24T11:00:00+08:00\"}" \
    "{\"tracking\":\"$(trk N-2)\",\"status\":\"delivered\",\"occurred_at\":\"2026-11-26T15:00:00+08:00\"}" \
    "{\"tracking\":\"$(trk N-3)\",\"status\":\"exception\",\"substatus\":\"damaged\",\"occurred_at\":\"2026-11-24T06:00:00+08:00\"}" |
    FULFIL_NOW=2026-11-26T16:00:00+08:00 followup -q >/dev/null
# N-4 and N-5 are chased, at risk on the 25th (N-2 is home by then).
FULFIL_NOW=2026-11-25T12:00:00+08:00 followup -q --scan >/dev/null
printf '%s\n' \
    '{"order_id":"N-1","rating":2,"text":"slow","at":"2026-11-26T09:00:00+08:00"}' \
    '{"order_id":"N-2","rating":4,"at":"2026-11-26T19:00:00+08:00"}' |
    FULFIL_NOW=2026-11-26T20:00:00+08:00 followup -q --reviews /dev/stdin >/dev/null
call=$(ledger_sql fulfil.db "select task from reviews where order_id = 'N-1'")
FULFIL_NOW=2026-11-26T23:00:00+08:00 followup -q --done "$call"
printf '%s\n' '{"order_id":"N-1","kind":"exchange","reason":"wrong size","lines":[{"sku":"TEA-1","qty":1}]}' |
    FULFIL_NOW=2026-11-27T10:00:00+08:00 followup -q --returns /dev/stdin >/dev/null

export FULFIL_NOW=2026-11-30T18:00:00+08:00
run followup --report --from 2026-11-20 --to 2026-11-30 -o rep
is "report: exit 0" "$rc" 0
is "report: the files" "$(ls rep | tr '\n' ' ')" \
    "report-2026-11-20-2026-11-30.html report-2026-11-20-2026-11-30.ndjson "
same "report: stdout is the NDJSON line" out rep/report-2026-11-20-2026-11-30.ndjson
k() { jq -c "$1" out; }
is "orders (the replacement is not one)" "$(k .orders)" 5
# Placed from 09:01 to 09:05, all dispatched at 16:00.
is "order to ship" "$(k '.order_to_ship | [.n, .p50_s, .p95_s]')" "[5,25020,25140]"
is "shipped by ship_by" "$(k .shipped_on_time)" '{"n":5,"on_time":5,"pct":100}'
is "promise kept: N-1 yes, N-2 no" "$(k .promise_kept)" '{"n":2,"kept":1,"pct":50}'
is "delays caught before deliver_by" "$(k .caught)" '{"stalls":0,"at_risk":2,"before_deliver_by":2}'
is "exceptions by carrier" "$(k '.exceptions_by_carrier | map([.carrier, .parcels, .exceptions, .pct])')" '[["sf",5,1,20]]'
is "reviews" "$(k '.reviews | [.n, .average, .negative, .called_back, .called_back_pct, .median_hours_to_call]')" \
    "[2,3,1,1,100,3]"
is "returns" "$(k '.returns | [.orders, .returns, .exchanges, .rate_pct, .by_reason]')" \
    '[5,0,1,20,[{"reason":"wrong_item","label":"Wrong item","labels":{"en":"Wrong item","zh-CN":"发错商品"},"n":1,"pct":20}]]'
is "a line a day" "$(k '.daily | length') $(k '.daily[3]')" \
    '11 {"day":"2026-11-23","orders":5,"shipped":5,"on_time":5}'

# The page, rendered by Chromium: not blank, the same numbers, no
# scripts, nothing fetched.
report_check "Chromium: the page shows the NDJSON's numbers" \
    rep/report-2026-11-20-2026-11-30.html out

# An empty period is a page too, with no numbers to invent.
run followup --report --from 2025-01-01 --to 2025-01-31 -o empty
is "empty period: exit 0" "$rc" 0
is "empty period: nothing to divide" "$(k '[.orders, .promise_kept.pct, .reviews.average]')" "[0,null,null]"
report_check "Chromium: the empty page" \
    empty/report-2025-01-01-2025-01-31.html out

run followup --report
is "no -o: exit 2" "$rc" 2
run followup --report --from 2026-12-01 --to 2026-11-01 -o x
is "backwards: exit 2" "$rc" 2
run followup --report --from yesterday -o x
check "a bad date says so" grep -q "\-\-from: 'yesterday' is not a date, YYYY-MM-DD" err

done_testing
