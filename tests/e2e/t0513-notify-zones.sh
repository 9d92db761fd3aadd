#!/bin/sh
# notify over customers in eight zones (half-hour, three-quarter-hour
# and DST-changing ones) in one input of several chunks: each message's
# times rendered in its own customer's zone, and the records and
# messages in the order they came, a bad line among them said where it
# was.  The deciding thread switches $TZ per customer (lib/when); with a
# reader thread (lib/notify.c says why it has none) it would parse the
# lines ahead of it.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup
notify_config 9 9

# 1300 orders (three chunks of STAGE_CHUNK), zone i % 8, the delivery
# window every 48 minutes from 2027-02-21 to 2027-04-05: across the
# changes to and from summer time in New York, London, Auckland and
# Lord Howe.
"$FULFIL_ROOT/scripts/gen-orders" -n 1300 -s 33 | jq -c --argjson z '["Asia/Shanghai",
    "Europe/London", "America/New_York", "Asia/Kolkata", "Pacific/Auckland",
    "America/St_Johns", "Australia/Lord_Howe", "Asia/Kathmandu"]' '
    (.order_id | ltrimstr("G") | tonumber - 100001) as $i |
    (1803173400 + $i * 2880) as $t |
    .customer.email = "c\(.order_id)@example.com" | .customer.locale = "en" |
    .customer.timezone = $z[$i % ($z | length)] |
    .delivery_window = {from: ($t | todate), to: ($t + 5400 | todate)}' |
    ingest-orders -q >acc.ndjson
is "1300 orders accepted" "$(wc -l <acc.ndjson | tr -d ' ')" 1300
{ head -n 700 acc.ndjson; echo '{"order_id": '; tail -n +701 acc.ndjson; } >in.ndjson

run notify --channel outbox -o outbox.ndjson in.ndjson
is "a bad line: exit 1" "$rc" 1
is "the bad line said where it is" "$(grep -c '^notify: in.ndjson:701: ' err)" 1
is "the records out in the order they came" "$(jq -r .order_id out | md5sum)" \
    "$(jq -r .order_id acc.ndjson | md5sum)"
is "every one sent" "$(jq -r '.notified[].status' out | sort | uniq -c |
    awk '{print $1, $2}')" "1300 sent"

# What each message should say, by Python's zoneinfo: the promise's days
# and the window in the customer's zone.  Out: messages, those in the
# order of the orders, those saying what they should.
cat >zones.py <<'EOF'
import json, sys
from datetime import datetime
from zoneinfo import ZoneInfo

def show(s, tz, clock):
    t = datetime.fromisoformat(s).astimezone(ZoneInfo(tz))
    d = "%d %s %d" % (t.day, t.strftime("%b"), t.year)
    return d + (", %02d:%02d" % (t.hour, t.minute) if clock else "")

want = []
for line in open(sys.argv[1]):
    o = json.loads(line)
    tz, w, p = o["customer"]["timezone"], o["delivery_window"], o["promise"]
    want.append((o["order_id"],
        "We will ship it by %s and it should reach you by %s.\n"
        "Delivery window: %s to %s.\n" % (show(p["ship_by"], tz, 0),
            show(p["deliver_by"], tz, 0), show(w["from"], tz, 1),
            show(w["to"], tz, 1))))
got = [json.loads(line) for line in open(sys.argv[2])]
inorder = sum(1 for (i, _), m in zip(want, got) if m["order_id"] == i)
right = sum(1 for (i, x), m in zip(want, got)
    if m["order_id"] == i and x in m["text"])
print(len(got), inorder, right)
EOF
is "each message in its customer's zone, in order" \
    "$(/usr/bin/python3 zones.py acc.ndjson outbox.ndjson)" "1300 1300 1300"
is "London's first window in summer time: +01:00" \
    "$(jq -r 'select(.order_id == "G101058") | .text' outbox.ndjson | grep '^Delivery')" \
    "Delivery window: 28 Mar 2027, 08:06 to 28 Mar 2027, 09:36."
done_testing
