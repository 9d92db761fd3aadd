#!/bin/sh
# followup --map: rows skipped by value (informational, counted), a
# status chosen from two columns (status and a detail pattern); and a
# date without a time kept as a date.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup
ingest-orders -q "$DATA/notify-orders.ndjson" | pick-list -q | label -q |
    FULFIL_NOW=2026-11-23T16:00:00+08:00 dispatch -q >dispatched.ndjson
trk() { jq -r "select(.order_id == \"$1\") | .shipment.tracking" dispatched.ndjson; }
T1=$(trk N-1) T2=$(trk N-2) T3=$(trk N-3)
export FULFIL_NOW=2026-11-24T09:00:00+08:00

cat >ep-map.json <<'JSON'
{"carrier": "sf",
 "columns": {"tracking": "tracking_code", "status": "status",
             "substatus": "status_detail", "occurred_at": "datetime",
             "message": "message"},
 "skip": {"status": ["unknown"]},
 "statuses": {"in_transit": "in_transit",
              "failure": [{"when": {"substatus": "*attempt*"}, "status": "attempt_fail"},
                          {"status": "exception"}]}}
JSON
cat >ep.csv <<CSV
tracking_code,status,status_detail,datetime,message
$T1,in_transit,arrived_at_facility,2026-11-23T20:00:00+08:00,Arrived
$T1,unknown,status_update,2026-11-23T21:00:00+08:00,Shipment arriving early
$T2,failure,attempted_delivery,2026-11-24T07:00:00+08:00,Customer not available
$T3,failure,damaged,2026-11-24T07:30:00+08:00,Parcel crushed
CSV
run followup --map ep-map.json ep.csv
is "map: exit 0, no rejects" "$rc" 0
check "map: the informational row counted, skipped" \
    grep -qF "4 events (1 informational, skipped)" err
is "map: failure read with its detail" \
    "$(jq -r '.type + ":" + (.event // .kind) + ":" + .order_id' out | tr '\n' ' ')" \
    "notice:attempt_failed:N-2 notice:exception:N-3 task:replace_or_refund:N-3 "

# A date alone: its midnight for the order of events, a date in the
# notice, and before the label only when the whole day is.
cat >dated.ndjson <<JSON
{"type":"tracking","tracking":"$T1","status":"delivered","occurred_at":"2026-11-24","location":{"city":"Shanghai","country":"CN"}}
{"type":"tracking","tracking":"$T2","status":"in_transit","occurred_at":"2026-11-23"}
{"type":"tracking","tracking":"$T2","status":"in_transit","occurred_at":"2026-11-22"}
JSON
run followup dated.ndjson
is "date: kept as a date" "$(jq -r '.event + " " + .occurred_at' out)" "delivered 2026-11-24"
is "date: the label's own day is not before it" "$(grep -c "dated.ndjson:2" err || :)" 0
check "date: the day before the label is" \
    grep -qF "dated.ndjson:3: tracking $T2: event at 2026-11-22 is before the parcel's label" err

jq '.statuses.failure[0] |= del(.status)' ep-map.json >bad-map.json
run followup --map bad-map.json ep.csv
is "a rule without its status: exit 2" "$rc $(cat err)" \
    "2 followup: --map 'bad-map.json': statuses.failure: rule 1 has no status"
done_testing
