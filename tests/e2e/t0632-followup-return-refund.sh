#!/bin/sh
# A return inspected is refunded: what came back (not what is missing)
# at the order's line prices, by the order's payment method; cash on
# delivery by bank transfer, with a task to collect the bank details.
# The customer is told (refund_issued, en and zh-CN); an exchange gets
# no refund; nothing twice.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
. "$FULFIL_ROOT/tests/e2e/returns.sh"
setup
ship_returns
followup -q --receive "$R1" --receive "$R2" >/dev/null

# Prepaid: one back whole, one damaged; both refunded.
run followup --inspect RMA-000001 SCARCE-1=resellable:1 SCARCE-1=damaged:1
jq -c 'select(.type == "refund")' out >refund1.ndjson
is "the refund record" \
    "$(jq -r '[.rma, .order_id, .amount, .currency, .method, .status, (.lines | length)] | join(" ")' refund1.ndjson)" \
    "RMA-000001 R-1 25600 CNY prepaid issued 2"
is "the customer told" \
    "$(jq -r 'select(.event == "refund_issued") | [.key, .order_id, .rma, .amount, .bank_transfer] | join(" ")' out)" \
    "refund_issued:RMA-000001 R-1 RMA-000001 25600 false"
jq -c 'select(.event == "refund_issued")' out >notice1.ndjson

# Cash on delivery: one of two missing, so one refunded, by transfer.
run followup --inspect RMA-000002 TEA-2=resellable:1 TEA-2=missing:1
is "COD: refunded by bank transfer, what came back only" \
    "$(jq -r 'select(.type == "refund") | [.amount, .method, .status] | join(" ")' out)" \
    "4500 bank_transfer awaiting_bank_details"
is "COD: a task to collect the bank details" \
    "$(jq -r 'select(.type == "task") | [.kind, .order_id, .detail.rma, .detail.amount, .detail.phone] | join(" ")' out)" \
    "collect_bank_details R-2 RMA-000002 4500 +8613800138012"
jq -c 'select(.event == "refund_issued")' out >notice2.ndjson

# notify: in the customer's language.
run notify --dry-run --channel email notice1.ndjson notice2.ndjson
is "notify: exit 0" "$rc" 0
is "refund_issued in zh-CN and en" "$(jq -r '.to + " " + .subject' out | tr '\n' '|')" \
    "lin@example.com 订单 R-1 的退款|tom@example.com Your refund for order R-2|"
check "zh-CN: the amount, back to the payment" sh -c "jq -r 'select(.to == \"lin@example.com\") | .text' out | grep -q '我们已将 ¥256.00 原路退回'"
check "en: by bank transfer, the details asked for" sh -c "jq -r 'select(.to == \"tom@example.com\") | .text' out | grep -q 'we refund CNY 45.00 by bank transfer'"

# Nothing twice: the ledger has one refund per RMA, one task, one notice.
followup -q --inspect RMA-000002 TEA-2=resellable:1 TEA-2=missing:1 >again.ndjson
is "again: nothing out" "$(wc -c <again.ndjson | tr -d ' ')" 0
is "the ledger: one refund each, one task" \
    "$(ledger_sql fulfil.db "select rma || ':' || amount || ':' || method from refunds order by rma; select count(*) from tasks where kind = 'collect_bank_details'; select count(*) from notices where event = 'refund_issued'" | tr '\n' ' ')" \
    "RMA-000001:25600:prepaid RMA-000002:4500:bank_transfer 1 2 "
is "the audit trail" \
    "$(ledger_sql fulfil.db "select order_id || ':' || what || ':' || detail from events where what in ('return.inspected', 'refund') order by id" | tr '\n' ' ')" \
    "R-1:return.inspected:RMA-000001 R-1:refund:RMA-000001 R-2:return.inspected:RMA-000002 R-2:refund:RMA-000002 "

# An exchange: restocked, never refunded (the customer has a replacement).
echo '{"order_id":"R-1","kind":"exchange","reason":"wrong item","lines":[{"sku":"TEA-1","qty":1}]}' >ex.ndjson
followup -q --returns ex.ndjson | jq -c 'select(.type == "return")' >ex-rma.ndjson
label -q --return ex-rma.ndjson >/dev/null
followup -q --receive RMA-000003 >/dev/null
run followup --inspect RMA-000003 TEA-1=resellable
is "exchange: inspected and restocked, no refund" \
    "$(jq -r '.type + ":" + (.event // .kind)' out | tr '\n' ' ')" "inspection:exchange "
done_testing
