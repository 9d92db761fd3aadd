#!/bin/sh
# Bad input: each bad record is one line "ingest-orders: file:line: why",
# goes whole to --rejects with its reason, and every good record still
# comes out; the exit status is 1.  No customer data in the messages.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup

good='{"order_id":"G-%s","placed_at":"2026-11-23T09:00:00+08:00","ship_to":{"name":"Secret Name","line1":"1 Road","city":"Shanghai","country":"CN"},"lines":[{"sku":"S","qty":%s,"unit_price":100}]%s}\n'
{
	printf "$good" 1 1 ''
	printf '{"order_id":"G-2","lines":[\n'
	printf '{"order_id":"G-3","ship_to":{"name":"\377"}}\n'
	printf '{"order_id":"G-4",\000"x":1}\n'
	printf "$good" 5 -1 ''
	printf "$good" 6 1.5 ''
	printf "$good" 7 1 ',"total":99999999999999999999999'
	printf '{"order_id":"G-8","placed_at":"2026-11-23T09:00:00+08:00","ship_to":{"name":"Secret Name","city":"Shanghai","country":"CN"},"lines":[{"sku":"S","qty":1}]}\n'
	printf "$good" 9 1 '' | sed 's/"CN"/"XX"/'
	printf "$good" 10 1 ''
	printf "$good" 11 1 ",\"blob\":\"$(head -c 1048576 /dev/zero | tr '\0' a)\""
	printf '[1,2,3]\n'
	printf "$good" 13 1 '' | sed 's/2026-11-23T09:00:00+08:00/yesterday/'
	printf "$good" 14 1 ',"currency":"XYZ"'
	printf "$good" 15 0 ''
	printf '\n'
	printf "$good" 17 1 ',"payment":{"method":"cod"},"total":100'
	printf "$good" 18 1 ',"payment":{"method":"cheque"}'
} >bad.ndjson

run ingest-orders --rejects rej.ndjson bad.ndjson
is "exit 1" "$rc" 1
is "good records come out" "$(jq -r .order_id out | tr '\n' ' ')" \
    "G-1 G-10 G-11 G-17 "
is "the 1 MB line is accepted whole" \
    "$(jq -r 'select(.order_id == "G-11") | .blob | length' out)" 1048576
grep -v '^ingest-orders: [0-9]* read' err >errors
cat >want <<'WANT'
ingest-orders: bad.ndjson:2: invalid JSON at byte 27: ']' expected
ingest-orders: bad.ndjson:3: invalid JSON at byte 37: unable to decode byte 0xff
ingest-orders: bad.ndjson:4: NUL byte in line
ingest-orders: bad.ndjson:5: order G-5: lines[0].qty must be a positive integer
ingest-orders: bad.ndjson:6: order G-6: lines[0].qty must be an integer
ingest-orders: bad.ndjson:7: invalid JSON at byte 219: too big integer
ingest-orders: bad.ndjson:8: order G-8: ship_to.line1 is missing
ingest-orders: bad.ndjson:9: order G-9: ship_to.country is not a country code or name
ingest-orders: bad.ndjson:12: not a JSON object
ingest-orders: bad.ndjson:13: order G-13: placed_at is not an RFC 3339 time
ingest-orders: bad.ndjson:14: order G-14: currency is not an ISO 4217 currency code
ingest-orders: bad.ndjson:15: order G-15: lines[0].qty must be a positive integer
ingest-orders: bad.ndjson:18: order G-18: payment.method must be prepaid or cod
WANT
same "one line per bad record, file:line: why" errors want
is "summary" "$(tail -1 err)" \
    "ingest-orders: 17 read, 4 accepted, 0 updated, 0 duplicate, 0 cancelled, 13 rejected"
check "no customer data in the messages" sh -c '! grep -q Secret err'
is "every reject is in the rejects file" "$(wc -l <rej.ndjson | tr -d ' ')" 13
# Whole customer records: the owner's alone, whatever the umask.
is "the rejects file is made 0600" "$(stat -c %a rej.ndjson)" 600
(umask 0 && ingest-orders -q --db umask.db --rejects rej0.ndjson bad.ndjson >/dev/null 2>&1) || :
is "0600 under umask 0 too" "$(stat -c %a rej0.ndjson)" 600
printf 'old\n' >rej1.ndjson
chmod 640 rej1.ndjson
ingest-orders -q --db again.db --rejects rej1.ndjson bad.ndjson >/dev/null 2>&1 || :
is "a file that exists keeps its mode, and is truncated" \
    "$(stat -c %a rej1.ndjson) $(grep -c old rej1.ndjson || :) $(wc -l <rej1.ndjson | tr -d ' ')" "640 0 13"
is "rejects carry line and reason" "$(jq -c 'select(.line == 5) | [.file, .order_id, .reason]' rej.ndjson)" \
    '["bad.ndjson","G-5","lines[0].qty must be a positive integer"]'
is "a parsed reject keeps the record whole" \
    "$(jq -c 'select(.line == 5) | .record.lines[0].qty' rej.ndjson)" -1
is "an unparsable reject keeps the text whole" \
    "$(jq -r 'select(.line == 2) | .raw' rej.ndjson)" '{"order_id":"G-2","lines":['
jq -r 'select(.line == 3) | .raw_base64' rej.ndjson | base64 -d >line3
sed -n 3p bad.ndjson | tr -d '\n' >want3
check "invalid UTF-8 is kept whole, as base64" cmp -s line3 want3
is "a NUL byte is kept" "$(jq -c 'select(.line == 4) | .raw' rej.ndjson)" \
    '"{\"order_id\":\"G-4\",\u0000\"x\":1}"'
is "rejects are in the audit trail" \
    "$(ledger_sql fulfil.db "select count(*) from events where what = 'rejected'")" 8

# \u0000 in a string: said in plain words, not jansson's flag names.
printf '{"order_id":"G-20","note":"a\\u0000b"}\n' >nul.ndjson
run ingest-orders -q nul.ndjson
is "\\u0000: plain words" "$(cat err)" \
    'ingest-orders: nul.ndjson:1: invalid JSON at byte 36: string contains a NUL character (\u0000)'

# A line longer than 16 MiB is skipped, not truncated; reading goes on.
{
	printf '{"x":"'
	head -c 17000000 /dev/zero | tr '\0' a
	printf '"}\n'
	printf "$good" 30 1 ''
} >long.ndjson
run ingest-orders long.ndjson
is "too long: exit 1" "$rc" 1
check "too long: message" grep -q "^ingest-orders: long.ndjson:1: line longer than 16777216 bytes$" err
is "too long: the next order is read" "$(jq -r .order_id out)" G-30

# Shopify export with an unbalanced quote, and a 3-decimal price in CNY.
# The quote breaks #1004 and the lines of its multi-line note; #1003
# before it is set aside too, since the broken row could be one of its
# own: shipping half an order is worse than holding a whole one.
SHOP=$FULFIL_ROOT/examples/shopify-orders.csv
sed -e 's/^#1004,chen.jing@example.com,paid/"#1004,chen.jing@example.com,paid/' \
    -e 's/,128\.00,/,128.005,/' "$SHOP" >broken.csv
run ingest-orders --rejects rej2.ndjson broken.csv
is "broken CSV: exit 1" "$rc" 1
grep -v '^ingest-orders: [0-9]* read' err >errors
cat >want <<'WANT'
ingest-orders: broken.csv:2: order 1001: lines[0].unit_price: more decimals than the currency allows
ingest-orders: broken.csv:7: order 1003: set aside: the malformed row after it (line 8) may be part of it
ingest-orders: broken.csv:8: malformed quoted field
ingest-orders: broken.csv:9: row has 1 fields, the header 79
ingest-orders: broken.csv:10: malformed quoted field
WANT
same "broken CSV: messages" errors want
is "broken CSV: the other orders come out" "$(jq -r .order_id out | tr '\n' ' ')" \
    "1002 1005 1006 "
is "broken CSV: rejects keep header and rows" \
    "$(jq -r 'select(.line == 2) | [.header[0:4], (.raw | split("\n") | length)] | @tsv' rej2.ndjson)" \
    "$(printf 'Name\t3')"
done_testing
