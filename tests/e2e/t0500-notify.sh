#!/bin/sh
# notify against real servers: aiosmtpd on loopback takes the e-mail, a
# local HTTP receiver the webhooks and SMS.  What arrived is read back
# with Python's email package and hmac module; a second run sends nothing.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup
mkdir mail
start_smtp "$T/mail"
start_http "$T/hooks.log"
notify_config "$SMTP_PORT" "$HTTP_PORT"
export FULFIL_WEBHOOK_SECRET=hooksecret FULFIL_SMS_SECRET=smssecret
PY=/usr/bin/python3

# mailpart N FIELD: a field of message N as Python's email package reads
# it (subject, to, from, message-id, body, bcc, headers).
mailpart() {
	$PY - "$T/mail/$1.eml" "$2" <<'EOF'
import email, email.policy, sys
m = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default)
f = sys.argv[2]
if f == "body":
    print(m.get_content().rstrip("\n"))
elif f == "headers":
    print(" ".join(sorted(k.lower() for k in m.keys())))
else:
    print(m.get(f, ""))
EOF
}
nmail() { ls mail | grep -c '\.eml$' || :; }
# find_mail RCPT SUBJECT: the number of the message to RCPT with SUBJECT.
find_mail() {
	for f in mail/*.env; do
		n=${f%.env}
		n=${n##*/}
		sed -n 2p "$f" | grep -q "^$1" || continue
		[ "$(mailpart "$n" subject)" = "$2" ] && echo "$n"
	done
	:
}

# The orders, accepted: order_confirmed by e-mail only.
ingest-orders -q "$DATA/notify-orders.ndjson" >ingested.ndjson
is "five orders accepted" "$(wc -l <ingested.ndjson | tr -d ' ')" 5
# ingest-orders refuses control characters; another system might not.
jq -c 'if .order_id == "N-3" then .customer.name = "Eve\r\nBcc: evil@example.net" else . end' \
    ingested.ndjson >accepted.ndjson

run notify --channel email accepted.ndjson
is "bad address: exit 1" "$rc" 1
check "bad address: one line naming the order, not the address" \
    grep -qx "notify: .*accepted.ndjson:4: order N-4: bad e-mail address" err
check "the address itself is never printed" sh -c '! grep -q "not an address" err'
is "every record passes through" "$(wc -l <out | tr -d ' ')" 5
is "three e-mails arrived (N-5 has no e-mail)" "$(nmail)" 3
is "over one connection" "$(for f in mail/*.env; do sed -n 3p "$f"; done | sort -u | wc -l | tr -d ' ')" 1
is "notes" "$(jq -c '[.order_id, (.notified // [] | map(.status))]' out | tr '\n' ' ')" \
    '["N-1",["sent"]] ["N-2",["sent"]] ["N-3",["sent"]] ["N-4",["failed"]] ["N-5",["no_address"]] '

# Which file is whose: the envelope names the recipient.
for f in mail/*.env; do
	n=${f%.env}
	n=${n##*/}
	case $(sed -n 2p "$f") in
	wang@*) zh=$n ;;
	ann@*) en=$n ;;
	eve@*) eve=$n ;;
	esac
done
is "zh-CN: subject decodes to the template's text" "$(mailpart "$zh" subject)" "您的订单 N-1 已确认"
is "zh-CN: to, name encoded" "$(mailpart "$zh" to)" "王小明 <wang@example.com>"
is "from" "$(mailpart "$zh" from)" "Test Shop <shop@example.com>"
body=$(mailpart "$zh" body)
case $body in
*"王小明，您好"*"预计 2026年11月"*"前送达"*) ok "zh-CN: body greets and promises" ;;
*) not_ok "zh-CN: body greets and promises"; echo "$body" | sed 's/^/#   /' ;;
esac
is "en: subject" "$(mailpart "$en" subject)" "Your order N-2 is confirmed"
case $(mailpart "$en" body) in
*"Hello Ann Lee,"*"(CNY 100.00)"*"reach you by 25 Nov 2026."*) ok "en: body with money and dates" ;;
*) not_ok "en: body with money and dates"; mailpart "$en" body | sed 's/^/#   /' ;;
esac
is "headers" "$(mailpart "$en" headers)" \
    "content-transfer-encoding content-type date from message-id mime-version subject to"
is "CR/LF in a name never reaches a header" "$(mailpart "$eve" bcc)" ""
is "injection: the headers are still the eight" "$(mailpart "$eve" headers)" \
    "content-transfer-encoding content-type date from message-id mime-version subject to"
mid=$(mailpart "$en" message-id)
is "the Message-ID is the one noted" "<$(jq -r 'select(.order_id == "N-2") | .notified[0].message_id' out)>" "$mid"
is "the ledger keys each message" \
    "$(ledger_sql fulfil.db "select order_id || ':' || event || ':' || channel || ':' || status from messages order by order_id" | tr '\n' ' ')" \
    "N-1:order_confirmed:email:sent N-2:order_confirmed:email:sent N-3:order_confirmed:email:sent "

# Again: nothing more is sent, and the notes say so.
run notify --channel email accepted.ndjson
is "re-run: nothing new arrived" "$(nmail)" 3
is "re-run: already sent" "$(jq -r 'select(.order_id == "N-2") | .notified[0].status' out)" sent
check "re-run: summary" grep -q "0 sent, .* 3 already sent" err

# A crash after sending but before marking: the message is pending and
# the next run sends the same bytes, the same Message-ID.
# message_log keeps a status by its number (fulfil(7)): 0 is pending.
ledger_sql fulfil.db "update message_log set status = 0 where id in (select id from messages where order_id = 'N-2')"
run notify --channel email accepted.ndjson
is "after a crash: resent once" "$(nmail)" 4
last=$(ls mail/*.eml | tail -1)
last=${last%.eml}
is "after a crash: the same Message-ID" "$(mailpart "${last##*/}" message-id)" "$mid"
run notify --channel email accepted.ndjson
is "and then not again" "$(nmail)" 4

# The whole pipeline: shipped by e-mail, webhook and SMS.
pick-list -q accepted.ndjson | label -q | dispatch -q >dispatched.ndjson
run notify dispatched.ndjson
is "shipped: exit 1" "$rc" 1
is "shipped: N-4's address, once" "$(grep -c "bad e-mail address" err)" 1
n=$(find_mail ann@ "Order N-2 is on its way")
is "en: shipped e-mail arrived" "$(echo "$n" | wc -w | tr -d ' ')" 1
trk=$(jq -r 'select(.order_id == "N-2") | .shipment.tracking' dispatched.ndjson)
case $(mailpart "$n" body) in
*"Tracking number: $trk"*"Expected delivery: "*) ok "shipped e-mail: tracking number and expected delivery" ;;
*) not_ok "shipped e-mail: tracking number and expected delivery"; mailpart "$n" body | sed 's/^/#   /' ;;
esac
n=$(find_mail wang@ "您的订单 N-1 已发货")
case $(mailpart "$n" body) in
*"运单号："*) ok "zh-CN shipped e-mail names the 运单号" ;;
*) not_ok "zh-CN shipped e-mail names the 运单号" ;;
esac

# Webhooks: signed, keyed, one per order and event.
hooks=$(jq -c 'select(.body | fromjson | .channel == "webhook")' hooks.log | wc -l | tr -d ' ')
is "a webhook per order (5)" "$hooks" 5
check "every webhook signature verifies" $PY - "$T/hooks.log" <<'EOF'
import hashlib, hmac, json, sys
ok = True
for line in open(sys.argv[1]):
    r = json.loads(line)
    body = r["body"].encode()
    b = json.loads(body)
    key = b"hooksecret" if b["channel"] == "webhook" else b"smssecret"
    want = "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()
    ok &= hmac.compare_digest(r["headers"].get("X-Fulfil-Signature", ""), want)
    ok &= r["headers"].get("Idempotency-Key") == b["message_id"]
sys.exit(0 if ok else 1)
EOF
is "SMS: one per phone, in UCS-2 for Chinese" \
    "$(jq -r '.body | fromjson | select(.channel == "sms") | .order_id + ":" + .encoding' hooks.log | sort | tr '\n' ' ')" \
    "N-1:ucs2 N-2:gsm7 N-3:gsm7 N-4:gsm7 N-5:ucs2 "
check "SMS text has the tracking number" sh -c "jq -r '.body | fromjson | select(.channel == \"sms\" and .order_id == \"N-2\") | .text' hooks.log | grep -q '$trk'"
n=$(wc -l <hooks.log)
run notify dispatched.ndjson
is "re-run: no more webhooks or SMS" "$(wc -l <hooks.log)" "$n"

# A promise at risk is said, honestly, in the shipped message.
jq -c 'select(.order_id == "N-2") | .promise.at_risk = true' dispatched.ndjson >risk.ndjson
run notify --dry-run --channel email risk.ndjson
check "at risk: the shipped e-mail apologises" grep -q 'later than the 25 Nov 2026 we promised' out
jq -c 'select(.order_id == "N-2")' dispatched.ndjson >norisk.ndjson
run notify --dry-run --channel email norisk.ndjson
check "on time: no apology" sh -c '! grep -q "later than" out'

done_testing
