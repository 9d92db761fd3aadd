#!/bin/sh
# followup --inspect: what came back, per SKU (resellable, damaged,
# missing), typed or as NDJSON; resellable goods go back on the shelf in
# the ledger and pick-list fills the order it held for them; a re-run
# makes nothing twice.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
. "$FULFIL_ROOT/tests/e2e/returns.sh"
setup
ship_returns
# R-1 and R-2 took the three SCARCE-1 there were: R-3 waits for one.
echo '{"order_id":"R-3","source":"web","placed_at":"2026-11-28T09:00:00+08:00","currency":"CNY","customer":{"name":"Ida Test","email":"ida@example.com","locale":"en"},"ship_to":{"name":"Ida Test","line1":"3 Test Lane","city":"Shanghai","postcode":"201203","country":"CN","phone":"+8613800138013"},"lines":[{"sku":"SCARCE-1","name":"Pu-erh cake 357 g","qty":1,"unit_price":12800}],"total":12800,"payment":{"method":"prepaid"},"service":"standard"}' |
    ingest-orders -q | pick-list -q >held.ndjson
is "R-3 is held for SCARCE-1" "$(jq -r '.status + " " + .pick.short[0].sku' held.ndjson)" "held SCARCE-1"

# Not received yet: no inspection.
run followup --inspect RMA-000001 SCARCE-1=resellable
is "not received: exit 1" "$rc" 1
check "not received: said" grep -q "^followup: --inspect:1: RMA-000001: not received yet (status labelled): --receive it first$" err
followup -q --receive RMA-000001 --receive RMA-000002 >/dev/null

# Bad inspections are set aside, whole.
run followup --inspect RMA-000001 SCARCE-1=resellable:1
check "every unit needs an outcome" grep -q "RMA-000001: SKU SCARCE-1: 2 came back, 1 inspected$" err
run followup --inspect RMA-000001 TEA-1=resellable
check "a SKU not in the return" grep -q "RMA-000001: SKU TEA-1 is not in the return$" err
run followup --inspect RMA-000001 SCARCE-1=lost
check "an outcome not in the list" grep -q "RMA-000001: line 1: needs a sku and an outcome: resellable, damaged or missing$" err
run followup --inspect RMA-000001 SCARCE-1
check "a word not SKU=OUTCOME" grep -q "^followup: --inspect:2: 'SCARCE-1' is not SKU=OUTCOME or SKU=OUTCOME:QTY$" err
run followup --inspect RMA-000009 SCARCE-1=resellable
check "an unknown RMA" grep -q "RMA-000009: no such RMA$" err
is "nothing recorded" "$(ledger_sql fulfil.db 'select count(*) from return_lines; select count(*) from stock_adjustments' | tr '\n' ' ')" "0 0 "

# Typed at the desk: one resellable, one damaged.
run followup --inspect RMA-000001 SCARCE-1=resellable:1 SCARCE-1=damaged:1
is "inspected: exit 0" "$rc" 0
is "the inspection record" \
    "$(jq -c 'select(.type == "inspection") | [.rma, .order_id, (.lines | map(.sku + "=" + .outcome + ":" + (.qty | tostring))), .restocked]' out)" \
    '["RMA-000001","R-1",["SCARCE-1=resellable:1","SCARCE-1=damaged:1"],[{"sku":"SCARCE-1","qty":1}]]'
is "the ledger: its lines, one back on the shelf" \
    "$(ledger_sql fulfil.db "select sku || ':' || outcome || ':' || qty || ':' || unit_price from return_lines order by outcome; select sku || ':' || qty || ':' || why || ':' || ref from stock_adjustments" | tr '\n' ' ')" \
    "SCARCE-1:damaged:1:12800 SCARCE-1:resellable:1:12800 SCARCE-1:1:return:RMA-000001 "
is "the RMA's record has it" \
    "$(ledger_sql fulfil.db "select json_extract(rec(record), '$.inspected_at') || ' ' || (select count(*) from json_each(rec(record), '$.inspection')) from orders where order_id = 'RMA-000001'")" \
    "2026-11-28T10:00:00+08:00 2"

# pick-list sees the stock: the held order is filled.
run pick-list --pending </dev/null
is "restocked: R-3 picked" "$(jq -r '.order_id + " " + .status' out)" "R-3 picked"

# As NDJSON on stdin; a line without qty is all of its SKU.
echo '{"type":"inspection","rma":"RMA-000002","lines":[{"sku":"TEA-2","outcome":"resellable"}]}' >insp.ndjson
run followup --inspect - <insp.ndjson
is "NDJSON: inspected" "$(jq -c 'select(.type == "inspection") | .restocked' out)" '[{"sku":"TEA-2","qty":2}]'

# Again: nothing twice; other outcomes for an inspected RMA are refused.
run followup --inspect RMA-000001 SCARCE-1=resellable:1 SCARCE-1=damaged:1
is "the same again: exit 0, nothing" "$rc $(wc -c <out | tr -d ' ')" "0 0"
run followup --inspect - <insp.ndjson
is "the same NDJSON again: nothing" "$rc $(wc -c <out | tr -d ' ')" "0 0"
run followup --inspect RMA-000001 SCARCE-1=resellable
is "other outcomes: exit 1" "$rc" 1
check "other outcomes: said" grep -q "RMA-000001: inspected before, with other outcomes$" err
is "stock given back once" "$(ledger_sql fulfil.db 'select sum(qty) from stock_adjustments')" 3
run pick-list --pending </dev/null
is "nothing more to pick" "$(wc -c <out | tr -d ' ')" 0
done_testing
