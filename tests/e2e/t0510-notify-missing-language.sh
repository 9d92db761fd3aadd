#!/bin/sh
# notify: a customer whose language has no template gets the message in
# the documented fallback (their locale, its base language: de-AT -> de,
# then notify.default_locale, then en), and the run says so: once per
# missing language on stderr, and counted in the summary line.  (Before:
# the German and Japanese customers got Chinese mails while notify said
# "32 sent", no word that their language was missing.)
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup
cp -R "$FULFIL_ROOT/examples/templates" tpl
mkdir tpl/de
printf 'Subject: Bestellung {{order_ref}} ist unterwegs\n\nHallo {{customer.name}}, Ihr Paket ist unterwegs.\n' >tpl/de/shipped.email
jq '.notify = {templates: "tpl", default_locale: "zh-CN",
    from: {address: "shop@example.com"}, smtp: {url: "smtp://127.0.0.1:9"}}' \
    "$DATA/fulfil.json" >fulfil.json
ship_notify_orders
# N-1 de-AT (de has it), N-2 ja, N-3 ja-JP, N-4 fr (no e-mail address
# that works: it fails, and is no message in any language), N-5 zh-CN.
jq -c '.customer.locale = ({"N-1": "de-AT", "N-2": "ja", "N-3": "ja-JP", "N-4": "fr", "N-5": "zh-CN"}[.order_id])
    | if .order_id == "N-5" then .customer.email = "cai@example.com" else . end' dispatched.ndjson >orders.ndjson

run notify --dry-run --channel email orders.ndjson
is "each in its fallback" "$(jq -r '.order_id + ":" + .locale' out | tr '\n' ' ')" \
    "N-1:de N-2:zh-CN N-3:zh-CN N-5:zh-CN "
is "de-AT -> de" "$(jq -r 'select(.order_id == "N-1") | .subject' out)" "Bestellung N-1 ist unterwegs"
is "said once per missing language" "$(grep -c "no template in" err)" 1
check "saying which, for what, and what was sent" \
    grep -qx "notify: no template in 'ja' for shipped.email: sent in zh-CN instead" err
check "counted in the summary" grep -q "; 2 not in their customer's language (ja 2)$" err
check "no customer data in the message" sh -c "! grep -q '@' err"

# Without a zh-CN template for the event, English is the last resort.
rm tpl/zh-CN/shipped.email
run notify --dry-run --channel email orders.ndjson
is "then en" "$(jq -r '.order_id + ":" + .locale' out | tr '\n' ' ')" \
    "N-1:de N-2:en N-3:en N-5:en "
check "ja and zh said, each once" sh -c \
    "grep -qx \"notify: no template in 'ja' for shipped.email: sent in en instead\" err &&
     grep -qx \"notify: no template in 'zh' for shipped.email: sent in en instead\" err &&
     [ \$(grep -c 'no template in' err) = 2 ]"
check "counted" grep -q "; 3 not in their customer's language (ja 2, zh 1)$" err

# Every language there: nothing said, the summary as before.
jq -c '.customer.locale = "en"' orders.ndjson >en.ndjson
run notify --dry-run --channel email en.ndjson
check "all in their language: no word" sh -c "! grep -q 'language' err"

done_testing
