#!/bin/sh
# Reason codes: a request gives a reason_code, or only its words, which
# find a code by keyword (else "other"); the words are kept beside the
# code.  The list is the configuration's (returns.reasons, labels in en
# and zh-CN) or the default one.  The report groups returns by code,
# with its label.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup
ship_orders "$DATA/notify-orders.ndjson"
for o in N-1 N-2 N-3 N-4 N-5; do
	echo "{\"tracking\":\"$(trk $o)\",\"status\":\"delivered\",\"occurred_at\":\"2026-11-24T11:00:00+08:00\"}"
done | FULFIL_NOW=2026-11-24T12:00:00+08:00 followup -q >/dev/null
export FULFIL_NOW=2026-11-25T10:00:00+08:00
cat >requests.ndjson <<'EOF2'
{"order_id":"N-1","kind":"return","reason":"The cup arrived broken","lines":[{"sku":"TEA-1","qty":1}]}
{"order_id":"N-2","kind":"return","reason":"发错商品了，我订的是绿茶","lines":[{"sku":"TEA-1","qty":1}]}
{"order_id":"N-3","kind":"exchange","reason_code":"not_as_described","lines":[{"sku":"TEA-1","qty":1}]}
{"order_id":"N-5","kind":"return","reason_code":"changed_mind","reason":"Found it cheaper","lines":[{"sku":"TEA-1","qty":1}]}
{"order_id":"N-4","kind":"return","reason":"Just because","lines":[{"sku":"TEA-1","qty":1}]}
{"order_id":"N-4","kind":"return","reason_code":"bored","lines":[{"sku":"TEA-2","qty":1}]}
{"order_id":"N-4","kind":"return","lines":[{"sku":"TEA-2","qty":1}]}
EOF2
run followup --returns requests.ndjson
is "two set aside: exit 1" "$rc" 1
check "an unknown code" grep -q "^followup: requests.ndjson:6: reason_code 'bored' is not one of returns.reasons$" err
check "neither code nor words" grep -q "^followup: requests.ndjson:7: a request needs a reason or a reason_code$" err
is "each RMA's code, its words kept beside it" \
    "$(jq -r 'select(.type == "return") | [.order_id, .reason_code, .reason] | join("|")' out)" \
    "N-1|damaged|The cup arrived broken
N-2|wrong_item|发错商品了，我订的是绿茶
N-3|not_as_described|
N-5|changed_mind|Found it cheaper
N-4|other|Just because"
is "the ledger keeps both" \
    "$(ledger_sql fulfil.db "select reason_code || ':' || damaged from rmas order by id" | tr '\n' ' ')" \
    "damaged:1 wrong_item:0 not_as_described:0 changed_mind:0 other:0 "

# The report: by code in the list's order, labelled; an RMA made before
# codes were kept is counted under the code its words find.
ledger_sql fulfil.db "update rmas set reason_code = null where order_id = 'N-4'"
run followup --report --from 2026-11-20 --to 2026-11-30 -o rep
is "report: by reason code" \
    "$(jq -r '.returns.by_reason[] | [.reason, .label, .labels["zh-CN"], .n] | join(":")' out)" \
    "damaged:Damaged:破损:1
wrong_item:Wrong item:发错商品:1
not_as_described:Not as described:与描述不符:1
changed_mind:Changed mind:不想要了:1
other:Other:其他:1"
check "the page shows the labels" grep -q ">Not as described<" rep/*.html

# A configured list: its codes, labels and words; "other" is added.
# Codes it no longer lists come after it, by code.
jq '.returns = {reasons: {
      too_big: {en: "Too big", "zh-CN": "太大", keywords: ["too big", "太大"]},
      damaged: {en: "Damaged in transit", "zh-CN": "运输破损"}}}' \
    "$DATA/fulfil.json" >fulfil.json
echo '{"order_id":"N-2","kind":"return","reason":"Far too big for me","lines":[{"sku":"TEA-2","qty":1}]}' >big.ndjson
run followup --returns big.ndjson
is "configured: matched by its words" "$(jq -r 'select(.type == "return") | .reason_code' out)" too_big
run followup --report --from 2026-11-20 --to 2026-11-30 -o rep2
is "configured: the report in its order; codes no longer listed as they are" \
    "$(jq -r '.returns.by_reason[] | [.reason, .label, .n] | join(":")' out | tr '\n' ' ')" \
    "too_big:Too big:1 damaged:Damaged in transit:1 other:Other:1 changed_mind:changed_mind:1 not_as_described:not_as_described:1 wrong_item:wrong_item:1 "

# Configuration errors name the path.
jq '.returns = {reasons: {"Bad Code": {en: "x", "zh-CN": "y"}}}' "$DATA/fulfil.json" >fulfil.json
run followup --report -o r3
is "a bad code: exit 2" "$rc $(cat err)" \
    "2 followup: fulfil.json: \$.returns.reasons.Bad Code: a reason code is lower case letters, digits and '_'"
jq '.returns = {reasons: {late: {en: "Late"}}}' "$DATA/fulfil.json" >fulfil.json
run followup --report -o r3
is "a label missing" "$(cat err)" "followup: fulfil.json: \$.returns.reasons.late.zh-CN: missing"
done_testing
