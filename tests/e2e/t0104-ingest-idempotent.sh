#!/bin/sh
# Re-runs: the same export again emits nothing; a change before picking
# is an update with a new revision; a change after picking is rejected;
# cancellations are emitted only for orders that were accepted; the same
# id twice in one input with other content is rejected.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup
SHOP=$FULFIL_ROOT/examples/shopify-orders.csv

run ingest-orders "$SHOP"
is "first run: five orders" "$(wc -l <out | tr -d ' ')" 5
run ingest-orders "$SHOP"
is "second run: exit 0" "$rc" 0
is "second run: nothing emitted" "$(wc -c <out | tr -d ' ')" 0
is "second run: the summary says why" "$(cat err)" \
    "ingest-orders: 6 read, 0 accepted, 0 updated, 6 duplicate, 0 cancelled, 0 rejected"

# An update before picking: one line changed.
jq -c 'select(.order_id == "A-1")' "$DATA/orders.ndjson" >a1.ndjson
run ingest-orders a1.ndjson
jq -c '.lines[0].qty = 1' a1.ndjson >a1-changed.ndjson
run ingest-orders a1-changed.ndjson
is "update: exit 0" "$rc" 0
is "update: emitted with revision 2" "$(jq -c '[.order_id, .revision, .status, .lines[0].qty]' out)" \
    '["A-1",2,"accepted",1]'
check "update: summary" grep -q "1 updated" err
is "update: the ledger has revision 2" \
    "$(ledger_sql fulfil.db "select revision from orders where order_id = 'A-1'")" 2

# Once picked, a change is refused.
ledger_sql fulfil.db "update orders set status = 'picked' where order_id = 'A-1'"
jq -c '.lines[0].qty = 2' a1.ndjson >a1-again.ndjson
run ingest-orders a1-again.ndjson
is "change after picking: exit 1" "$rc" 1
is "change after picking: message" "$(grep -v ': warning: ' err | head -1)" \
    "ingest-orders: a1-again.ndjson:1: order A-1: changed, but already in fulfilment (status picked)"
is "change after picking: nothing emitted" "$(wc -c <out | tr -d ' ')" 0

# Cancelled after acceptance: emitted, status cancelled.
jq -c 'select(.order_id == "A-3")' "$DATA/orders.ndjson" >a3.ndjson
run ingest-orders a3.ndjson
jq -c '.status = "cancelled"' a3.ndjson >a3-cancel.ndjson
run ingest-orders a3-cancel.ndjson
is "cancel after accept: emitted" "$(jq -c '[.order_id, .status, .revision]' out)" \
    '["A-3","cancelled",2]'
run ingest-orders a3-cancel.ndjson
is "cancel again: nothing" "$(wc -c <out | tr -d ' ')" 0
check "cancel again: a duplicate" grep -q "1 duplicate" err
run ingest-orders a3.ndjson
is "a cancelled order cannot come back: exit 1" "$rc" 1
check "a cancelled order cannot come back: message" \
    grep -q "order A-3: the order was cancelled and cannot be taken again" err

# The same id twice in one input, different content.
jq -c 'select(.order_id == 1002)' "$DATA/orders.ndjson" >two.ndjson
jq -c 'select(.order_id == 1002) | .lines[0].qty = 5' "$DATA/orders.ndjson" >>two.ndjson
run ingest-orders --rejects rej.ndjson two.ndjson
is "same id twice: exit 1" "$rc" 1
is "same id twice: the first is taken" "$(jq -c '[.order_id, .lines[0].qty]' out)" '["1002",2]'
check "same id twice: the second is rejected" \
    grep -q "two.ndjson:2: order 1002: order_id appears again in this input with different content" err
is "same id twice: the reject keeps the record" \
    "$(jq -c '[.line, .record.lines[0].qty]' rej.ndjson)" '[2,5]'
# The same id twice with the same content is just a duplicate.
jq -c 'select(.order_id == "A-1") | .order_id = "A-9"' "$DATA/orders.ndjson" >dup.ndjson
cat dup.ndjson dup.ndjson >dup2.ndjson
run ingest-orders dup2.ndjson
is "same id, same content: one out" "$(wc -l <out | tr -d ' ')" 1
check "same id, same content: a duplicate" grep -q "1 accepted, 0 updated, 1 duplicate" err

# Every transition is in the audit trail.
is "events for A-1" \
    "$(ledger_sql fulfil.db "select what from events where order_id = 'A-1' order by id" | tr '\n' ' ')" \
    "accepted updated rejected "
done_testing
