#!/bin/sh
# followup --listen: the providers' webhooks POSTed to a running
# receiver, each signature checked as the provider documents it (a
# missing or wrong one is 401 and nothing is kept), the payload stored
# and committed before the 200, then processed once, its notices on
# stdout as they happen.  Killed with -9 and restarted, it takes up what
# was stored; SIGTERM stops it cleanly.
#
# The providers' payloads (fixtures tests/data/listen-*.json, in their
# documented shapes) are about N-3's parcel; our own tracking record,
# which any path takes, about the others.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup
ship_orders "$DATA/notify-orders.ndjson"
T1=$(trk N-1) T2=$(trk N-2) T3=$(trk N-3) T4=$(trk N-4)
export FULFIL_NOW=2026-11-24T09:00:00+08:00
NOW_S=$(date -d "$FULFIL_NOW" +%s)

jq '.followup.webhooks = {"aftership": {"secret": "as-secret-1"},
    "easypost": {"secret": "ep-secret-2"}, "17track": {"secret": "17-secret-3"},
    "shippo": {"secret": "sh-secret-4"}}' fulfil.json >f.json && mv f.json fulfil.json

for p in aftership easypost 17track shippo; do
	sed "s/@TRACKING@/$T3/g" "$DATA/listen-$p.json" >"$p.json"
done

# sign PROVIDER FILE [SECRET]: the signature header, as PROVIDER makes it.
sign() {
	/usr/bin/python3 - "$@" "$NOW_S" <<'PY'
import base64, hashlib, hmac, sys
p, f = sys.argv[1], sys.argv[2]
secret = {"aftership": "as-secret-1", "easypost": "ep-secret-2",
          "17track": "17-secret-3", "shippo": "sh-secret-4"}[p]
if len(sys.argv) > 4:
    secret = sys.argv[3]
now = sys.argv[-1]
body = open(f, "rb").read()
def mac(m):
    return hmac.new(secret.encode(), m, hashlib.sha256)
if p == "aftership":
    print("aftership-hmac-sha256: " + base64.b64encode(mac(body).digest()).decode())
elif p == "easypost":
    print("X-Hmac-Signature: hmac-sha256-hex=" + mac(body).hexdigest())
elif p == "17track":
    print("sign: " + hashlib.sha256(body + b"/" + secret.encode()).hexdigest())
else:
    print("Shippo-Auth-Signature: t=%s,v1=%s" % (now, mac(now.encode() + b"." + body).hexdigest()))
PY
}

# post PATH FILE [HEADER]: the HTTP status of a POST of FILE.
post() {
	curl -s -o /dev/null -w '%{http_code}' -X POST --data-binary "@$2" \
	    -H 'Content-Type: application/json' ${3:+-H "$3"} \
	    "http://127.0.0.1:$PORT$1"
}

# start_listen N: a receiver, stdout appended to out.ndjson, stderr to
# listen.N.err; sets PORT and LPID once it listens.
start_listen() {
	followup --listen 127.0.0.1:0 --events spool >>out.ndjson 2>"listen.$1.err" &
	LPID=$!
	_pids="$_pids $LPID"
	_i=0
	until grep -q 'listening on' "listen.$1.err"; do
		_i=$((_i + 1))
		[ $_i -lt 100 ] || { echo "# no receiver" >&2; cat "listen.$1.err" >&2; return 1; }
		sleep 0.1
	done
	PORT=$(sed -n 's/.*listening on 127.0.0.1 port \([0-9]*\)$/\1/p' "listen.$1.err")
}

# settle: every stored payload processed (at most 10 s).
settle() {
	_i=0
	while [ "$(ledger_sql fulfil.db 'select count(*) from inbox where processed_at is null')" != 0 ]; do
		_i=$((_i + 1))
		[ $_i -lt 100 ] || return 1
		sleep 0.1
	done
}

inbox() { ledger_sql fulfil.db "select count(*) from inbox"; }

mkdir spool
start_listen 1
check "bound port on stderr" test -n "$PORT"
run followup --listen "127.0.0.1:$PORT"
is "the port in use: exit 2, one line" "$rc $(cat err)" \
    "2 followup: --listen '127.0.0.1:$PORT': Address already in use"

# Each provider's payload, good signature: 200, stored as it came.
for p in aftership easypost 17track shippo; do
	is "$p: good signature, 200" "$(post "/webhooks/$p" "$p.json" "$(sign "$p" "$p.json")")" 200
done
is "four stored" "$(inbox)" 4
# The body's bytes: the sqlite3 shell's writefile(), or psql's hex.
if on_pg; then
	ledger_sql fulfil.db "select encode(body, 'hex') from inbox where provider = 'easypost'" |
	    /usr/bin/python3 -c 'import sys; sys.stdout.buffer.write(bytes.fromhex(sys.stdin.read()))' >stored.json
else
	ledger_sql fulfil.db "select writefile('stored.json', body) from inbox where provider = 'easypost'" >/dev/null
fi
check "stored byte for byte" cmp -s stored.json easypost.json
is "stored by provider" "$(ledger_sql fulfil.db "select provider from inbox order by id" | paste -s -d ' ')" \
    "aftership easypost 17track shippo"

# Refused: nothing kept.
is "easypost: wrong secret, 401" \
    "$(post /webhooks/easypost easypost.json "$(sign easypost easypost.json wrong-secret)")" 401
is "easypost: no signature, 401" "$(post /webhooks/easypost easypost.json)" 401
is "aftership: another body's signature, 401" \
    "$(post /webhooks/aftership aftership.json "$(sign aftership easypost.json)")" 401
is "17track: wrong secret, 401" \
    "$(post /webhooks/17track 17track.json "$(sign 17track 17track.json nope)")" 401
now=$NOW_S
NOW_S=$((now - 600))
stale=$(sign shippo shippo.json)
NOW_S=$now
is "shippo: signed ten minutes ago, 401" "$(post /webhooks/shippo shippo.json "$stale")" 401
is "refused: nothing stored" "$(inbox)" 4
check "refused: a line each, no signature in it" sh -c \
    "[ \$(grep -c ': refused$' listen.1.err) = 5 ] && ! grep -q hmac-sha256-hex= listen.1.err"
check "refused: says why" grep -q "webhook from 127.0.0.1: easypost: no X-Hmac-Signature header: refused" listen.1.err

# One path for all: the provider recognised by the payload's shape.
sed 's/Departed from Facility/Departed from facility/' 17track.json >17b.json
is "/webhooks, a 17TRACK payload: 200" "$(post /webhooks 17b.json "$(sign 17track 17b.json)")" 200
is "/webhooks: stored as 17track's" "$(ledger_sql fulfil.db "select provider from inbox order by id desc limit 1")" 17track
echo '{"hello":"world"}' >odd.json
is "/webhooks, nobody's payload: 400" "$(post /webhooks odd.json)" 400
is "no such provider: 404" "$(post /webhooks/fedex easypost.json)" 404
is "no such path: 404" "$(post /orders easypost.json)" 404
is "GET: 405" "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/webhooks/easypost")" 405
check "all processed" settle
is "the providers' payloads read: N-3's attempt failed, in AfterShip's words" \
    "$(jq -r 'select(.type == "notice" and .order_id == "N-3") | [.event, .provider.name, .provider.substatus] | join(" ")' out.ndjson)" \
    "attempt_failed aftership AttemptFail_001"
is "... each provider's events kept, replays once" \
    "$(ledger_sql fulfil.db "select count(*) from tracking_events where tracking = '$T3'")" 5

# Our own record, signed as EasyPost's: processed, the notice out at once.
printf '{"type":"tracking","tracking":"%s","carrier":"sf","status":"delivered","occurred_at":"2026-11-24T08:30:00+08:00"}' "$T1" >ours.json
is "our record: 200" "$(post /webhooks/easypost ours.json "$(sign easypost ours.json)")" 200
check "processed" settle
is "the delivered notice on stdout, flushed" "$(jq -r 'select(.type == "notice" and .order_id != "N-3") | .event + " " + .order_id' out.ndjson)" \
    "delivered N-1"
is "the parcel moved" "$(ledger_sql fulfil.db "select status from shipments where tracking = '$T1'")" delivered
is "the same again: stored, nothing new" "$(post /webhooks/easypost ours.json "$(sign easypost ours.json)")" 200
check "processed" settle
is "one notice" "$(jq -c 'select(.type == "notice" and .order_id != "N-3")' out.ndjson | wc -l)" 1

# The spool: a file another server dropped is stored, then moved.
printf '{"type":"tracking","tracking":"%s","carrier":"sf","status":"attempt_fail","occurred_at":"2026-11-24T08:40:00+08:00","message":"Nobody home"}' "$T2" >spool/a1.json
_i=0
while [ ! -e spool/done/a1.json ] && [ $_i -lt 50 ]; do _i=$((_i + 1)); sleep 0.1; done
check "spool: moved to done/" test -e spool/done/a1.json
check "spool: processed" settle
is "spool: stored under its name" "$(ledger_sql fulfil.db "select origin from inbox where key like 'spool:a1.json:%'")" a1.json
is "spool: the notice" "$(jq -r 'select(.event == "attempt_failed" and .order_id != "N-3") | .order_id' out.ndjson)" N-2

# A run killed after it stored a file and before it moved it: the file
# is taken again, and not stored twice.
cp spool/done/a1.json spool/a1.json
_i=0
while [ -e spool/a1.json ] && [ $_i -lt 50 ]; do _i=$((_i + 1)); sleep 0.1; done
check "spool: the same file again, moved" test ! -e spool/a1.json
is "spool: stored once" "$(ledger_sql fulfil.db "select count(*) from inbox where key like 'spool:a1.json:%'")" 1

# kill -9 between the commit and the processing: simulated by a payload
# stored and not processed, as a run that died leaves it.
kill -9 "$LPID"
wait "$LPID" 2>/dev/null || :
printf '{"type":"tracking","tracking":"%s","carrier":"sf","status":"out_for_delivery","occurred_at":"2026-11-24T08:50:00+08:00"}' "$T2" >late.json
# The body a blob: the sqlite3 shell's readfile(), or PostgreSQL's bytes.
body="readfile('late.json')"
! on_pg || body="convert_to('$(cat late.json)', 'UTF8')"
ledger_sql fulfil.db "insert into inbox (provider, origin, received_at, body) values ('easypost', 'http', '2026-11-24T08:55:00+08:00', $body)"
start_listen 2
check "restart: takes up what was stored" settle
is "restart: its notice" "$(jq -r 'select(.event == "out_for_delivery") | .order_id' out.ndjson)" N-2
is "restart: nothing processed twice" "$(jq -c 'select(.type == "notice" and .order_id != "N-3")' out.ndjson | wc -l)" 3

# kill -9 mid-stream: every payload acknowledged is kept and processed
# once after the restart.
i=0
: >codes
while [ $i -lt 30 ]; do
	i=$((i + 1))
	printf '{"type":"tracking","tracking":"%s","carrier":"sf","status":"in_transit","occurred_at":"2026-11-23T%02d:%02d:00+08:00"}' "$T4" $((17 + i / 60)) $((i % 60)) >s$i.json
done
(
	i=0
	while [ $i -lt 30 ]; do
		i=$((i + 1))
		post /webhooks/easypost s$i.json "$(sign easypost s$i.json)" >>codes || :
		echo >>codes
	done
) &
spid=$!
_i=0
while [ "$(grep -c '^200$' codes || :)" -lt 5 ] && [ $_i -lt 100 ]; do
	_i=$((_i + 1))
	sleep 0.1
done
kill -9 "$LPID"
wait "$spid" || :
acked=$(grep -c '^200$' codes || :)
before=$(ledger_sql fulfil.db "select count(*) from inbox where origin = 'http' and rec(body) like '%$T4%in_transit%'")
check "kill -9: every acknowledged payload kept ($acked acknowledged, $before kept)" test "$before" -ge "$acked"
start_listen 3
i=0
while [ $i -lt 30 ]; do
	i=$((i + 1))
	post /webhooks/easypost s$i.json "$(sign easypost s$i.json)" >/dev/null
done
check "kill -9: all processed after the restart" settle
is "kill -9: each event once" \
    "$(ledger_sql fulfil.db "select count(*) from tracking_events where tracking = '$T4' and status = 'in_transit'")" 30
is "kill -9: nothing left unprocessed" \
    "$(ledger_sql fulfil.db "select count(*) from inbox where processed_at is null")" 0

# SIGTERM: a clean stop, with the summary.
kill -TERM "$LPID"
set +e
wait "$LPID"
rc=$?
set -e
is "SIGTERM: exit 0" "$rc" 0
check "SIGTERM: the summary" grep -q "payloads received, 0 refused" listen.3.err

# A provider with no secret configured is refused.
jq 'del(.followup.webhooks.shippo)' fulfil.json >noshippo.json
FULFIL_CONFIG=noshippo.json start_listen 4
is "no secret for shippo: 401" "$(post /webhooks/shippo shippo.json "$(sign shippo shippo.json)")" 401
check "no secret: says so" grep -q "webhook from 127.0.0.1: no secret for shippo in followup.webhooks: refused" listen.4.err
kill -INT "$LPID"
set +e
wait "$LPID"
rc=$?
set -e
is "SIGINT: exit 0" "$rc" 0

# The configuration checked before anything is heard.
jq '.followup.webhooks.fedex = {"secret": "x"}' fulfil.json >fedex.json
run followup --config fedex.json --listen 127.0.0.1:0
is "a provider we do not know: exit 2" "$rc $(cat err)" \
    "2 followup: fedex.json: \$.followup.webhooks.fedex: not a provider: aftership, easypost, 17track or shippo"
jq '.followup.webhooks.easypost = {"secret": ""}' fulfil.json >empty.json
run followup --config empty.json --listen 127.0.0.1:0
is "an empty secret: exit 2" "$rc $(cat err)" \
    "2 followup: empty.json: \$.followup.webhooks.easypost.secret: must be a non-empty string"

# Usage errors.
run followup --listen 127.0.0.1:99999
is "a bad port: exit 2" "$rc $(cat err)" "2 followup: --listen: '99999' is not a port"
run followup --listen 1 --tasks
is "--listen with --tasks: exit 2" "$rc" 2

done_testing
