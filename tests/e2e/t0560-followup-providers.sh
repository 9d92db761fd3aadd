#!/bin/sh
# followup reads the carriers' aggregators as they send: AfterShip,
# EasyPost, 17TRACK and Shippo payloads, pretty-printed or one a line,
# recognised by their shape or named with --provider; each provider's
# words mapped through its table and kept; informational events counted
# and skipped; times without an offset read in their location's zone.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup
mkdir mail
start_smtp "$T/mail"
notify_config "$SMTP_PORT" 9
ingest-orders -q "$DATA/notify-orders.ndjson" | pick-list -q | label -q |
    FULFIL_NOW=2026-11-23T16:00:00+08:00 dispatch -q >dispatched.ndjson
trk() { jq -r "select(.order_id == \"$1\") | .shipment.tracking" dispatched.ndjson; }
T1=$(trk N-1) T2=$(trk N-2) T3=$(trk N-3) T4=$(trk N-4)
export FULFIL_NOW=2026-11-24T09:00:00+08:00
fixture() {
	sed -e "s/@T1@/$T1/g" -e "s/@T2@/$T2/g" -e "s/@T3@/$T3/g" \
	    -e "s/@T4@/$T4/g" "$DATA/provider-$1.json"
}
for p in aftership easypost 17track shippo; do fixture $p >$p.json; done

# AfterShip, pretty-printed: the Miami scans carry no offset, and are
# Miami's (13 hours behind Shanghai), not the warehouse's.
run followup aftership.json
is "aftership: exit 0" "$rc" 0
is "aftership: delivered, at Miami's time" \
    "$(jq -r '.event + " " + .occurred_at + " " + .message' out)" \
    "delivered 2026-11-24T08:40:00+08:00 Delivered, left at front door"
is "aftership: the provider's words kept for the notice" \
    "$(jq -c .provider out)" \
    '{"name":"aftership","carrier":"fedex","status":"Delivered","substatus":"Delivered_001","message":"Delivered, left at front door"}'
check "aftership: the pending checkpoint counted, skipped" \
    grep -qF "4 events (1 informational, skipped), 0 reviews" err
cp out aftership-notices.ndjson
run notify --channel email <aftership-notices.ndjson
is "notify takes a provider's notice: the customer is told" \
    "$rc $(ls mail | grep -c '\.eml$')" "0 1"
is "aftership: each scan at its instant" \
    "$(ledger_sql fulfil.db "select status || '|' || occurred_at from tracking_events where tracking = '$T1' order by occurred_at" | tr '\n' ' ')" \
    "info_received|1795402800 in_transit|1795439700 delivered|1795480800 "

# EasyPost, one line: "unknown" is informational, "failure" with an
# attempted delivery a failed attempt, not an exception.
run followup --provider easypost easypost.json
is "easypost: exit 0" "$rc" 0
is "easypost: a failed attempt" "$(jq -r '.event + " " + .message' out)" \
    "attempt_failed Customer not available or business closed"
check "easypost: arriving early is skipped" \
    grep -qF "4 events (1 informational, skipped)" err

# 17TRACK: damage is an exception, a task for staff with the words.
run followup 17track.json
is "17track: exit 0" "$rc" 0
is "17track: an exception and its task" \
    "$(jq -r '.type + ":" + (.event // .kind) + ":" + (.detail.reason // .occurred_at)' out | tr '\n' '|')" \
    "notice:exception:2026-11-24T02:30:00+08:00|task:replace_or_refund:carrier reports Exception_Damage: Damage reported; package crushed in transit|"

# Shippo: out for delivery; the history and the latest status are one.
run followup shippo.json
is "shippo: out for delivery" "$rc $(jq -r .event out)" "0 out_for_delivery"

# Replayed, all four at once: nothing twice.
run followup aftership.json easypost.json 17track.json shippo.json
is "replay: nothing new" "$rc $(wc -c <out | tr -d ' ')" "0 0"

# The same scan from another provider counts once: AfterShip's Miami
# delivery as EasyPost tells it, in UTC.
jq -c '.result.tracking_code = "'"$T1"'" | .result.tracking_details = [.result.tracking_details[0] | .status = "delivered" | .status_detail = "arrived_at_destination" | .datetime = "2026-11-24T00:40:00Z"]' easypost.json >cross.json
run followup cross.json
is "across providers: a duplicate" "$rc $(wc -c <out | tr -d ' ')" "0 0"
check "across providers: counted as such" grep -qF "1 duplicate" err

# Pretty-printed documents one after another, and NDJSON of payloads.
{ jq . shippo.json; jq . shippo.json; } >two.json
run followup two.json
check "two pretty documents: both read" grep -qF "4 events" err
{ jq -c . aftership.json; jq -c . 17track.json; } >mixed.ndjson
run followup mixed.ndjson
check "one a line, by their shape" grep -qF "6 events (1 informational, skipped)" err

# Refused: an event before the label (a recycled number), a time with no
# offset and no zone to read it in, a payload of nobody we know.
jq '.msg.checkpoints = [.msg.checkpoints[1] | .checkpoint_time = "2026-11-20T08:15:00"]' aftership.json >old.json
jq '.msg.checkpoints = [.msg.checkpoints[1] | .country_iso3 = null | .state = null]' aftership.json >nozone.json
echo '{"event": "something_else", "data": {}}' >nobody.json
run followup --rejects rej.ndjson old.json nozone.json nobody.json
is "refused: exit 1" "$rc" 1
is "refused: one line each" "$(cat err | grep -v events)" \
"followup: old.json:1: tracking $T1: event at 2026-11-20T08:15:00-05:00 is before the parcel's label, made 2026-11-23T10:00:00+08:00
followup: nozone.json:1: tracking $T1: occurred_at has no UTC offset, and its location no zone we know
followup: nobody.json:1: not a tracking event, nor a payload of AfterShip, EasyPost, 17TRACK or Shippo"
run followup --provider shippo aftership.json
is "the wrong provider named" "$rc $(cat err | head -1)" "1 followup: aftership.json:1: not a payload of shippo: no data.tracking_number"
run followup --provider ups aftership.json
is "an unknown provider: exit 2" "$rc $(cat err)" "2 followup: --provider: 'ups' is none of aftership, easypost, 17track, shippo"
done_testing
