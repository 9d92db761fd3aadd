#!/bin/sh
# notify: the shop's name in texts is shop.name; notify.from.name stays
# the From name of e-mails (and, without shop.name, the shop's name in
# texts, as before); with neither, the warehouse's name.  (Before, only
# notify.from.name named the shop, and no page said so.)
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup
ship_notify_orders
jq -c 'select(.order_id == "N-2")' dispatched.ndjson >one.ndjson
# cfg FROM EXTRA: the notify config with from FROM, then jq EXTRA.
cfg() {
	jq --arg t "$FULFIL_ROOT/examples/templates" ".notify = {templates: \$t,
	    from: ({address: \"shop@example.com\"} + $1),
	    smtp: {url: \"smtp://127.0.0.1:${SMTP_PORT:-9}\"}} $2" "$DATA/fulfil.json" >fulfil.json
}
# sig: the last line of the dry run's text, its signature.
sig() { jq -r .text out | sed '/^$/d' | tail -1; }

cfg '{name: "Fulfil Mailer"}' '| .shop = {name: "Teahouse Lin"}'
run notify --dry-run --channel email one.ndjson
is "shop.name signs the text" "$(sig)" "Teahouse Lin"
cfg '{name: "Fulfil Mailer"}' ''
run notify --dry-run --channel email one.ndjson
is "no shop.name: notify.from.name, as before" "$(sig)" "Fulfil Mailer"
cfg '{}' ''
run notify --dry-run --channel email one.ndjson
is "neither: the warehouse" "$(sig)" "Test Warehouse"
cfg '{}' '| .shop = {name: "Teahouse Lin", motto: "x"}'
run notify --dry-run --channel email one.ndjson
is "an unknown key under shop: exit 2" "$rc" 2
check "said with its path" grep -q "shop.*unknown key 'motto'" err

# On the wire: From is notify.from.name; without it, the shop's name.
mkdir mail
start_smtp "$T/mail"
cfg '{name: "Fulfil Mailer"}' '| .shop = {name: "Teahouse Lin"}'
notify -q --channel email one.ndjson >/dev/null
is "From: notify.from.name" "$(mail_to ann@ from)" "Fulfil Mailer <shop@example.com>"
# The same message again, to a fresh ledger, under the other config.
rm -f mail/*
fresh_ledger
cfg '{}' '| .shop = {name: "Teahouse Lin"}'
notify -q --channel email one.ndjson >/dev/null
is "From without notify.from.name: the shop" "$(mail_to ann@ from)" "Teahouse Lin <shop@example.com>"

done_testing
