#!/bin/sh
# Warnings: each one normalising adds to a record (a phone that is not
# E.164, an e-mail that is no address, a total that does not add up, a
# window that cannot be met) is said on stderr as
#   ingest-orders: file:line: order ID: warning: field: message
# never with the field's contents, and counted in the summary; -q
# silences them; an order read again unchanged says nothing again.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup

cat >in.ndjson <<'EOF'
{"order_id":"W1","placed_at":"2026-11-23T09:00:00+08:00","customer":{"name":"Gao Min","email":"gao.min at example","phone":"12"},"ship_to":{"name":"Gao Min","line1":"8 Fake Lane","city":"Shanghai","country":"CN","phone":"call me"},"lines":[{"sku":"TEA-2","qty":1,"unit_price":1000}],"total":999}
{"order_id":"W2","placed_at":"2026-11-23T09:00:00+08:00","ship_to":{"name":"Gao Min","line1":"8 Fake Lane","city":"Shanghai","country":"CN"},"lines":[{"sku":"TEA-2","qty":1}]}
{"order_id":"W3","placed_at":"2026-11-23T09:00:00+08:00","ship_to":{"name":"Gao Min","line1":"8 Fake Lane","city":"Shanghai","country":"CN"},"lines":[{"sku":"TEA-2","qty":1}],"delivery_window":{"from":"2026-11-23T10:00:00+08:00","to":"2026-11-23T12:00:00+08:00"},"customer":{"locale":"!!"}}
EOF
run ingest-orders in.ndjson
is "exit 0: warnings reject nothing" "$rc" 0
is "every order comes out" "$(jq -r .order_id out | tr '\n' ' ')" "W1 W2 W3 "
cat >want <<'WANT'
ingest-orders: in.ndjson:1: order W1: warning: ship_to.phone: not a phone number; kept as given
ingest-orders: in.ndjson:1: order W1: warning: customer.email: not an email address
ingest-orders: in.ndjson:1: order W1: warning: customer.phone: too short for a number of its country; kept as given
ingest-orders: in.ndjson:1: order W1: warning: total: does not match the lines less discount plus shipping and tax
ingest-orders: in.ndjson:3: order W3: warning: customer.locale: not a language tag; left out
ingest-orders: in.ndjson:3: order W3: warning: delivery_window: cannot be met: the earliest delivery is 2026-11-25
ingest-orders: 3 read, 3 accepted, 0 updated, 0 duplicate, 0 cancelled, 0 rejected, 6 warnings
WANT
same "one line per warning, and the count" err want
check "never the contents" sh -c '! grep -q -e "call me" -e "gao.min" -e "!!" err'
is "the record keeps them" "$(jq -c 'select(.order_id == "W1") | .warnings | length' out)" 4

run ingest-orders in.ndjson
is "read again unchanged: nothing said" "$(cat err)" \
    "ingest-orders: 3 read, 0 accepted, 0 updated, 3 duplicate, 0 cancelled, 0 rejected"

fresh_ledger
run ingest-orders -q in.ndjson
is "-q: no warnings" "$rc/$(cat err)" "0/"

# A rejected order's warnings are said before its reason.
sed -n 1p in.ndjson | jq -c '.order_id = "W4" | .lines[0].qty = 0' >bad.ndjson
run ingest-orders bad.ndjson
is "warnings, then the reason" "$(sed -n 4p err)/$(grep -c ': warning: ' err)" \
    "ingest-orders: bad.ndjson:1: order W4: lines[0].qty must be a positive integer/3"
done_testing
