#!/bin/sh
# A timed delivery, end to end, with the dates from one place
# (lib/promise): placed on Monday for Friday 14:00-18:00, it is not
# picked before Wednesday, the day it ships; labelled or dispatched
# early it still joins Wednesday's pickup, so that it does not reach the
# customer before the window; the customer is told a date inside the
# window; and followup's estimates keep to it.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup
mkdir mail
start_smtp "$T/mail"
notify_config "$SMTP_PORT" 9
MON=2026-11-23T10:00:00+08:00
WED=2026-11-25T10:00:00+08:00

jq -c 'select(.order_id == "P-1") | .order_id = "W-1" | .service = "scheduled"
    | .delivery_window = {from: "2026-11-27T14:00:00+08:00", to: "2026-11-27T18:00:00+08:00"}' \
    "$DATA/pick-orders.ndjson" >w.ndjson
grep '"P-2"' "$DATA/pick-orders.ndjson" >>w.ndjson
FULFIL_NOW=$MON ingest-orders -q w.ndjson >in.ndjson
is "promise: ships Wednesday, delivered by the window's end" \
    "$(jq -r 'select(.order_id == "W-1") | .promise | .ship_by + " " + .deliver_by' in.ndjson)" \
    "2026-11-25T18:30:00+08:00 2026-11-27T18:00:00+08:00"

# Monday: P-2 is picked; W-1 waits for its day, still accepted.
run env FULFIL_NOW=$MON pick-list in.ndjson
is "Monday: exit 0" "$rc" 0
is "Monday: W-1 not picked, not written on" "$(jq -r '[.order_id, .status] | join(" ")' out | sort | tr '\n' ',')" \
    "P-2 picked,"
check "Monday: said" grep -q "1 waiting for its day" err
is "Monday: the ledger keeps it accepted" \
    "$(ledger_sql fulfil.db "select status from orders where order_id = 'W-1'")" accepted
run env FULFIL_NOW=$MON pick-list --pending </dev/null
is "Monday, --pending: still waiting" "$(jq -r .order_id out)" ""

# Wednesday: picked, labelled, dispatched on Wednesday's pickup.
FULFIL_NOW=$WED pick-list -q --pending </dev/null >picked.ndjson
is "Wednesday: picked" "$(jq -r 'select(.order_id == "W-1") | .status' picked.ndjson)" picked
FULFIL_NOW=$WED label -q picked.ndjson >labelled.ndjson
FULFIL_NOW=$WED dispatch -q labelled.ndjson >dispatched.ndjson
d() { jq -r --arg id "$1" "select(.order_id == \$id) | $2" dispatched.ndjson; }
is "Wednesday: on Wednesday's manifest" "$(d W-1 .dispatch.manifest)" SF-20261125
is "expected inside the window" "$(d W-1 .dispatch.expected_delivery)" \
    "2026-11-27T18:00:00+08:00"
is "neither late nor early" "$(d W-1 '[.dispatch.late, .dispatch.early] | map(tostring) | join(" ")')" \
    "false false"
FULFIL_NOW=$WED notify -q --channel email dispatched.ndjson >/dev/null
/usr/bin/python3 - mail >bodies.txt <<'PY'
import email, email.policy, glob, sys
for f in sorted(glob.glob(sys.argv[1] + "/*.eml")):
    m = email.message_from_bytes(open(f, "rb").read(), policy=email.policy.default)
    print(m["subject"], "|", m.get_content().replace("\n", " "))
PY
is "the customer is told a date in the window" \
    "$(grep 'W-1 is on its way' bodies.txt | grep -o 'Expected delivery: [^.]*')" \
    "Expected delivery: 27 Nov 2026"

# No scan for a day (stall after 24 h here): followup chases the
# carrier, with the window's end for staff to keep to; the customer is
# not told of a delay while the window can still be met (an apology
# only once the promise is broken, followup(1)).
jq '.carriers[0].stall_hours = 24' fulfil.json >stall.json
run env FULFIL_NOW=2026-11-26T11:00:00+08:00 followup --config stall.json --scan
is "stalled: staff chase the carrier, to the window's end" \
    "$(jq -r 'select(.kind == "carrier_chase" and .order_id == "W-1") | .detail.deliver_by' out)" \
    "2026-11-27T18:00:00+08:00"
is "stalled: no apology while the window can be met" \
    "$(jq -r 'select(.event == "delay_apology") | .order_id' out)" ""

# Labelled and dispatched on Monday, by hand: it still waits for
# Wednesday's pickup, not to arrive before the window.
fresh_ledger
sed 's/"W-1"/"W-2"/' w.ndjson | FULFIL_NOW=$MON ingest-orders -q |
    jq -c 'select(.order_id == "W-2") | .status = "picked" | .pick = {wave: "manual"}' >early.ndjson
by_hand() {	# ORDER: picked, by hand, in the ledger as in the file
	ledger_record "$1" '.status = "picked" | .pick = {wave: "manual"}'
}
by_hand W-2
FULFIL_NOW=$MON label -q early.ndjson >labelled.ndjson
FULFIL_NOW=$MON dispatch -q labelled.ndjson >dispatched.ndjson
is "Monday by hand: Wednesday's manifest" "$(d W-2 .dispatch.manifest)" SF-20261125
is "Monday by hand: expected in the window" "$(d W-2 .dispatch.expected_delivery)" \
    "2026-11-27T18:00:00+08:00"

# A carrier faster than the window allows, forced: flagged early, as
# late ones are flagged late; the customer is told the window's start.
fresh_ledger
jq -c '.delivery_window = {from: "2026-11-30T14:00:00+08:00", to: "2026-11-30T18:00:00+08:00"}' \
    early.ndjson | sed 's/"W-2"/"W-3"/' >w3.ndjson
FULFIL_NOW=$MON ingest-orders -q w3.ndjson >/dev/null
by_hand W-3
jq -c '.status = "picked" | .pick = {wave: "manual"} | .promise.ship_by = "2026-11-23T18:30:00+08:00"' w3.ndjson |
    FULFIL_NOW=$MON label -q | FULFIL_NOW=2026-11-27T10:00:00+08:00 dispatch -q >dispatched.ndjson
is "too early a pickup: flagged early" "$(d W-3 .dispatch.early)" true
is "too early a pickup: told the window's start" "$(d W-3 .dispatch.expected_delivery)" \
    "2026-11-30T14:00:00+08:00"
done_testing
