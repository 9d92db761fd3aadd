#!/bin/sh
# notify and SMTP credentials: with a user and password, mail goes over
# TLS or not at all.  A server that offers AUTH but no STARTTLS gets
# nothing, not even the password, unless notify.smtp.insecure says so;
# only a server on this machine may be configured so.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup
mkdir mail
start_auth_smtp "$T/mail" shop s3cret
ingest-orders -q "$DATA/notify-orders.ndjson" |
    jq -c 'select(.order_id == "N-1")' >accepted.ndjson

# smtp_config JSON: notify by e-mail, notify.smtp being JSON.
smtp_config() {
	jq --argjson smtp "$1" '.notify = {
	    "templates": "'"$FULFIL_ROOT"'/examples/templates",
	    "from": {"name": "Test Shop", "address": "shop@example.com"},
	    "smtp": $smtp, "timeout_s": 5}' "$DATA/fulfil.json" >fulfil.json
}
nmail() { ls mail | grep -c '\.eml$' || :; }
url=smtp://127.0.0.1:$AUTH_PORT

smtp_config "{\"url\": \"$url\"}"
FULFIL_SMTP_USER=shop FULFIL_SMTP_PASSWORD=s3cret run notify --db env.db accepted.ndjson
is "credentials, no STARTTLS: exit 1" "$rc" 1
check "a clear reason, tried again later" grep -q \
    "^notify: message .* (email): SMTP: no TLS with the server (it offers no STARTTLS), and the credentials are not sent without it, will retry$" err
is "nothing sent" "$(nmail)" 0
check "the password never reached the server" test ! -e mail/auth.log
is "the message waits in the ledger" \
    "$(sqlite3 env.db "select status || ' ' || attempts from messages")" "retry 1"
is "the record says so" "$(jq -r '.notified[0].status' out)" retry

smtp_config "{\"url\": \"smtp://shop:s3cret@127.0.0.1:$AUTH_PORT\"}"
run notify --db url.db accepted.ndjson
is "credentials in the URL: the same" "$rc $(nmail)" "1 0"
check "the URL's password never reached the server" test ! -e mail/auth.log

# Allowed for this loopback server: the waiting message goes out.
smtp_config "{\"url\": \"$url\", \"insecure\": true}"
FULFIL_SMTP_USER=shop FULFIL_SMTP_PASSWORD=s3cret FULFIL_NOW=2026-11-23T11:00:00+08:00 \
    run notify --db env.db --pending --retry </dev/null
is "insecure on 127.0.0.1: exit 0" "$rc" 0
is "insecure on 127.0.0.1: sent" "$(nmail)" 1
is "after a login" "$(cut -d' ' -f2,3 mail/auth.log)" "shop ok"
is "the ledger: sent" "$(sqlite3 env.db "select status || ' ' || attempts from messages")" "sent 2"

# insecure is for loopback only, and said before any order is read.
for u in smtp://localhost:25 smtp://127.9.9.9 'smtp://[::1]:25' \
    smtps://u:p@LOCALHOST/; do
	smtp_config "{\"url\": \"$u\", \"insecure\": true}"
	run notify --dry-run --channel email </dev/null
	is "insecure allowed for $u" "$rc" 0
done
for u in smtp://mail.example.com:25 smtp://10.0.0.1 \
    smtp://localhost.example.com smtp://127.0.0.1.example.com \
    'smtp://[::2]:25' smtp://127.0.0.1@mail.example.com; do
	smtp_config "{\"url\": \"$u\", \"insecure\": true}"
	run notify --db cfg.db accepted.ndjson
	is "insecure refused for $u: exit 2" "$rc" 2
done
is "a configuration error naming the key" "$(cat err)" \
    "notify: fulfil.json: \$.notify.smtp.insecure: only for a url on this machine (127.0.0.0/8, ::1, localhost): elsewhere credentials would cross the network in clear text"
check "nothing read, nothing kept" test ! -e cfg.db
smtp_config '{"insecure": true}'
run notify --dry-run --channel email </dev/null
is "insecure without a url: exit 2" "$rc" 2
done_testing
