#!/bin/sh
# notify's manners: quiet hours in the customer's time zone, retries with
# back-off against a server that is down, permanent refusals, opt-outs,
# notices, a missing field, the outbox, --dry-run, and its errors.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup
mkdir mail
start_smtp "$T/mail"
start_http "$T/hooks.log"
notify_config "$SMTP_PORT" "$HTTP_PORT"
cp fulfil.json good.json
export FULFIL_WEBHOOK_SECRET=hooksecret
nmail() { ls mail | grep -c '\.eml$' || :; }
nhooks() { [ -f hooks.log ] && wc -l <hooks.log | tr -d ' ' || echo 0; }
status_of() { # ORDER CHANNEL: the ledger's status of that message
	ledger_sql fulfil.db "select status from messages where order_id = '$1' and channel = '$2'"
}

# N-1 (Shanghai), N-2 (London), both with e-mail and phone.
jq -c 'select(.order_id == "N-1" or .order_id == "N-2")' "$DATA/notify-orders.ndjson" |
    ingest-orders -q |
    jq -c 'if .order_id == "N-2" then .customer.timezone = "Europe/London" else . end' >two.ndjson

# Quiet hours, 21:00-08:00 in the customer's zone: at 23:00 in Shanghai
# (15:00 in London) N-1's SMS and webhook wait, N-2's go; e-mail goes.
run env FULFIL_NOW=2026-11-23T23:00:00+08:00 notify two.ndjson
is "quiet hours: exit 0" "$rc" 0
is "quiet hours: notes" "$(jq -c '[.order_id, (.notified | map(.channel + ":" + .status))]' out | tr '\n' ' ')" \
    '["N-1",["email:sent","sms:deferred","webhook:deferred"]] ["N-2",["email:sent","sms:sent","webhook:sent"]] '
is "quiet hours: until 08:00 local" "$(jq -r 'select(.order_id == "N-1") | .notified[1].not_before' out)" \
    "2026-11-24T08:00:00+08:00"
is "quiet hours: two e-mails, N-2's SMS and webhook" "$(nmail) $(nhooks)" "2 2"
FULFIL_NOW=2026-11-24T07:59:00+08:00 notify -q --pending </dev/null >/dev/null
is "07:59: still waiting" "$(nhooks)" 2
run env FULFIL_NOW=2026-11-24T08:00:00+08:00 notify --pending </dev/null
is "08:00: --pending sends them" "$(nhooks) $(status_of N-1 sms)" "4 sent"
check "08:00: summary" grep -q "2 sent" err
FULFIL_NOW=2026-11-24T09:00:00+08:00 notify -q --pending </dev/null >/dev/null
is "and only once" "$(nhooks)" 4

# A server that is down: tried again after the back-off, which doubles;
# after max_attempts (3) given up.  The message resent is the same one.
fresh_ledger
dead=$(free_port)
jq --arg u "smtp://127.0.0.1:$dead" '.notify.smtp.url = $u' good.json >fulfil.json
run notify --channel email two.ndjson
is "server down: exit 1" "$rc" 1
check "server down: will retry" grep -q "(email): SMTP: .*, will retry" err
is "server down: noted" "$(jq -r '.notified[0].status' out | tr '\n' ' ')" "retry retry "
is "server down: first wait 60 s" \
    "$(ledger_sql fulfil.db "select attempts, not_before - cast(strftime('%s', '2026-11-23T02:00:00') as integer) from messages where order_id = 'N-1'")" "1|60"
run env FULFIL_NOW=2026-11-23T10:00:59+08:00 notify --channel email --retry </dev/null
is "before the back-off: not tried" "$(ledger_sql fulfil.db "select attempts from messages where order_id = 'N-1'")" 1
run env FULFIL_NOW=2026-11-23T10:01:00+08:00 notify --channel email --retry </dev/null
is "second failure: wait doubles to 120 s" \
    "$(ledger_sql fulfil.db "select attempts, not_before - cast(strftime('%s', '2026-11-23T02:01:00') as integer) from messages where order_id = 'N-1'")" "2|120"
cp good.json fulfil.json
run env FULFIL_NOW=2026-11-23T10:03:00+08:00 notify --channel email --retry </dev/null
is "server back: delivered on --retry" "$(nmail) $(status_of N-1 email)" "4 sent"
mid=$(ledger_sql fulfil.db "select i.message_id from messages as m join message_ids as i using (id) where m.order_id = 'N-1'")
check "the message delivered has the Message-ID first keyed" grep -lq "^Message-ID: <$mid>" mail/*.eml
jq --arg u "smtp://127.0.0.1:$dead" '.notify.smtp.url = $u' good.json >fulfil.json
ledger_sql fulfil.db "update message_log set status = 3, attempts = 2, not_before = 0 where id in (select id from messages where order_id = 'N-2')"
run notify --channel email --retry </dev/null
is "third failure: given up" "$(status_of N-2 email)" failed
check "given up: said" grep -q ", given up" err
cp good.json fulfil.json

# A refusal is final: 550 fails at once and --retry leaves it.
fresh_ledger
jq -c '.customer.email = "refuse@example.com"' two.ndjson | head -1 >refused.ndjson
run notify --channel email refused.ndjson
is "550: exit 1, failed" "$rc $(status_of N-1 email)" "1 failed"
check "550: the reason, no address" grep -q "SMTP server refused it (550)" err
n=$(nmail)
run env FULFIL_NOW=2026-12-01T10:00:00+08:00 notify --channel email --retry </dev/null
is "550: not tried again" "$(nmail) $(ledger_sql fulfil.db "select attempts from messages")" "$n 1"

# Webhooks: 4xx is final, 5xx is tried again.
jq --arg u "http://127.0.0.1:$HTTP_PORT/refuse" '.notify.webhook.url = $u' good.json >fulfil.json
fresh_ledger
run notify --channel webhook refused.ndjson
is "webhook 400: failed" "$rc $(status_of N-1 webhook)" "1 failed"
jq --arg u "http://127.0.0.1:$HTTP_PORT/busy" '.notify.webhook.url = $u' good.json >fulfil.json
fresh_ledger
run notify --channel webhook refused.ndjson
is "webhook 503: retry" "$rc $(status_of N-1 webhook)" "1 retry"
fresh_ledger
run env -u FULFIL_WEBHOOK_SECRET notify --channel webhook refused.ndjson
check "no secret: said once" grep -qx "notify: FULFIL_WEBHOOK_SECRET is not set: webhooks go unsigned" err
cp good.json fulfil.json

# Notices: the order comes from the ledger; the notice is "notice".
fresh_ledger
ingest-orders -q "$DATA/notify-orders.ndjson" >/dev/null
notify -q --channel email two.ndjson >/dev/null
printf '%s\n' \
    '{"type":"notice","event":"survey","source":"web","order_id":"N-2"}' \
    '{"type":"notice","event":"survey","source":"web","order_id":"N-9","survey_url":"https://s.example/9"}' \
    '{"type":"notice","source":"web","order_id":"N-2"}' >notices.ndjson
n=$(nmail)
run notify --channel email --rejects rej.ndjson notices.ndjson
is "notices: exit 1" "$rc" 1
check "missing field: names the template and the field" \
    grep -qx "notify: notices.ndjson:1: order N-2: template en/survey.email: no field 'notice.survey_url'" err
check "unknown order: rejected" \
    grep -qx "notify: notices.ndjson:2: order N-9: notice for an order the ledger does not have" err
check "no event: rejected" grep -q "notices.ndjson:3: order N-2: notice without a valid event" err
is "rejects file: the two rejected" "$(jq -r .line rej.ndjson | tr '\n' ' ')" "2 3 "
is "nothing sent with a blank in it" "$(nmail)" "$n"
is "every notice passes through" "$(wc -l <out | tr -d ' ')" 1

# Opt-out: surveys stop, transactional messages go on.
notify -q --opt-out ann@example.com </dev/null
is "opt-out: stored" "$(ledger_sql fulfil.db 'select address from optouts')" ann@example.com
printf '%s\n' \
    '{"type":"notice","event":"survey","source":"web","order_id":"N-2","survey_url":"https://s.example/2"}' \
    '{"type":"notice","event":"survey","source":"web","order_id":"N-1","survey_url":"https://s.example/1"}' \
    '{"type":"notice","event":"stock_delay","source":"web","order_id":"N-2"}' >n2.ndjson
run notify --channel email n2.ndjson
is "opt-out: survey not sent, the others are" \
    "$(jq -r '.order_id + ":" + .event + ":" + .notified[0].status' out | tr '\n' ' ')" \
    "N-2:survey:opted_out N-1:survey:sent N-2:stock_delay:sent "
is "opt-out: two more e-mails" "$(nmail)" "$((n + 2))"
check "the zh-CN survey e-mail has its link" /usr/bin/python3 -c '
import email, email.policy, glob, sys
for f in glob.glob("mail/*.eml"):
    m = email.message_from_bytes(open(f, "rb").read(), policy=email.policy.default)
    if m["subject"] == "订单 N-1 的购物体验如何？" and "https://s.example/1" in m.get_content():
        sys.exit(0)
sys.exit(1)'

# The outbox and --dry-run.
fresh_ledger
run notify --channel outbox -o box.ndjson two.ndjson
is "outbox: a line per message" "$(jq -r '.to + " " + .subject' box.ndjson | tr '\n' '|')" \
    "wang@example.com 您的订单 N-1 已确认|ann@example.com Your order N-2 is confirmed|"
notify -q --channel outbox -o box.ndjson two.ndjson >/dev/null
is "outbox: not twice" "$(wc -l <box.ndjson | tr -d ' ')" 2
fresh_ledger
n=$(nmail)
run notify --dry-run --channel email,sms two.ndjson
is "dry run: the messages, not the records" "$(jq -r '.order_id + ":" + .channel' out | tr '\n' ' ')" \
    "N-1:email N-1:sms N-2:email N-2:sms "
is "dry run: nothing sent, nothing keyed" "$(nmail) $(ledger_sql fulfil.db 'select count(*) from messages')" "$n 0"

# Locale: zh-TW and fr fall back (no zh, no fr templates) to the default.
fresh_ledger
jq -c '.customer.locale = "fr" | .order_id = "N-7"' refused.ndjson |
    jq -c '.customer.email = "fr@example.com"' >fr.ndjson
notify -q --channel outbox -o fr-box.ndjson fr.ndjson >/dev/null
is "fr falls back to en" "$(jq -r .subject fr-box.ndjson)" "Your order N-7 is confirmed"

# An SMS too long for the configured segments is an error for that order.
mkdir -p tpl/en
printf 'Subject: x\n\nx\n' >tpl/en/order_confirmed.email
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17; do printf '%s' 'ten chars ' ; done >tpl/en/order_confirmed.sms
jq '.notify.sms.max_segments = 1' good.json >fulfil.json
fresh_ledger
run notify --channel sms --templates tpl fr.ndjson
is "long SMS: exit 1" "$rc" 1
check "long SMS: why" grep -q "order N-7: text needs 2 SMS segments, more than the 1 allowed" err
cp good.json fulfil.json

# Errors of use and configuration: exit 2, before anything is read.
run notify --channel pigeon two.ndjson
is "unknown channel: exit 2" "$rc" 2
check "unknown channel: says so" grep -q "no channel 'pigeon'" err
jq '.notify.smtp.url = "ftp://x"' good.json >bad.json
run notify --config bad.json two.ndjson
is "bad URL: exit 2" "$rc" 2
check "bad URL: the JSON path" grep -q 'notify.smtp.url: must be an smtp' err
jq 'del(.notify.from)' good.json >bad.json
run notify --config bad.json --channel email two.ndjson
is "e-mail without a sender: exit 2" "$rc $(wc -c <out | tr -d ' ')" "2 0"
run notify --channel outbox two.ndjson
is "outbox without a file: exit 2" "$rc" 2

done_testing
