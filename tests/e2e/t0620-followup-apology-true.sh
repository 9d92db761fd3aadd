#!/bin/sh
# followup --scan: a delay apology only when it is true.  On its promised
# day a parcel in transit may still come that afternoon: staff chase the
# carrier (at risk), the customer hears nothing.  Once deliver_by has
# passed by the clock the apology goes, once.  Before the date, only the
# carrier's word says it: a parcel handed over too late to keep the
# promise (dispatch's expected_delivery after deliver_by) is apologised
# for at once.  A "now" given in UTC is read in the warehouse's days.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup
ingest-orders -q "$DATA/notify-orders.ndjson" | pick-list -q | label -q >labelled.ndjson
# N-1 to N-4 leave on time (deliver_by the 25th); N-5 is handed over a
# day late, on the 24th: it can only come on the 27th (the 26th is a
# holiday).
jq -c 'select(.order_id != "N-5")' labelled.ndjson |
    FULFIL_NOW=2026-11-23T16:00:00+08:00 dispatch -q >d1.ndjson
jq -c 'select(.order_id == "N-5")' labelled.ndjson |
    FULFIL_NOW=2026-11-24T16:00:00+08:00 dispatch -q >d2.ndjson
is "N-5's carrier says the 27th" "$(jq -r '.dispatch.expected_delivery' d2.ndjson)" \
    "2026-11-27T23:59:59+08:00"
trk() { jq -r "select(.order_id == \"$1\") | .shipment.tracking" d1.ndjson; }
T1=$(trk N-1)
T2=$(trk N-2)
T3=$(trk N-3)
T4=$(trk N-4)
cat >events.ndjson <<EOT
{"type":"tracking","tracking":"$T1","carrier":"sf","status":"in_transit","occurred_at":"2026-11-25T07:00:00+08:00"}
{"type":"tracking","tracking":"$T2","carrier":"sf","status":"in_transit","occurred_at":"2026-11-25T07:00:00+08:00"}
{"type":"tracking","tracking":"$T3","carrier":"sf","status":"in_transit","occurred_at":"2026-11-25T07:00:00+08:00"}
{"type":"tracking","tracking":"$T4","carrier":"sf","status":"in_transit","occurred_at":"2026-11-25T07:00:00+08:00"}
EOT
FULFIL_NOW=2026-11-25T08:00:00+08:00 followup -q events.ndjson >/dev/null

# The 24th, evening: N-5's handover already says it will be late.
export FULFIL_NOW=2026-11-24T20:00:00+08:00
run followup --scan
is "before the date: only the parcel the carrier says is late" \
    "$(jq -r 'select(.type == "notice") | .event + ":" + .order_id + ":" + .reason + ":" + .new_estimate' out)" \
    "delay_apology:N-5:at_risk:2026-11-27T23:59:59+08:00"

# Noon on the promised day: the others are in transit, not out yet.
# Staff are told; no customer is told a parcel is late that is not.
export FULFIL_NOW=2026-11-25T12:00:00+08:00
run followup --scan
is "promised day, in transit: tasks for staff" \
    "$(jq -r 'select(.type == "task") | .kind + ":" + .order_id' out | tr '\n' ' ')" \
    "carrier_chase:N-1 carrier_chase:N-2 carrier_chase:N-3 carrier_chase:N-4 "
is "promised day, in transit: no apology" "$(grep -c delay_apology out || :)" 0

# N-1 is delivered that afternoon: it never gets an apology.
printf '{"type":"tracking","tracking":"%s","carrier":"sf","status":"delivered","occurred_at":"2026-11-25T15:00:00+08:00"}\n' "$T1" |
    FULFIL_NOW=2026-11-25T15:05:00+08:00 followup -q >/dev/null

# One second after deliver_by, given in UTC (16:00Z is midnight in
# Shanghai): the promise is broken, the others get their apology with
# a date counted from the warehouse's today (the 26th, a holiday).
export FULFIL_NOW=2026-11-25T16:00:00Z
run followup --scan
is "after deliver_by: the apology, by the clock" \
    "$(jq -r 'select(.type == "notice") | .event + ":" + .order_id + ":" + .new_estimate' out | tr '\n' ' ')" \
    "delay_apology:N-2:2026-11-27T23:59:59+08:00 delay_apology:N-3:2026-11-27T23:59:59+08:00 delay_apology:N-4:2026-11-27T23:59:59+08:00 "
run followup --scan
is "once" "$(grep -c delay_apology out || :)" 0
is "the delivered one was never told it was late" \
    "$(ledger_sql fulfil.db "select count(*) from notices where event = 'delay_apology' and order_id = 'N-1'")" 0

done_testing
