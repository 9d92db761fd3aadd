#!/bin/sh
# One status model (lib/status): a stage asked to move an order the
# ledger has somewhere that move is wrong refuses it, in one line naming
# the order and both statuses, and sets the record aside; orders merely
# passing by (held, cancelled on their way to notify) still pass.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup

ingest-orders -q "$DATA/pick-orders.ndjson" | pick-list -q >picked.ndjson
label -q picked.ndjson >labelled.ndjson

# Cancelled after it was labelled: the stale labelled record is not
# dispatched.
ledger_sql fulfil.db "update orders set status = 'cancelled' where order_id = 'P-1'"
run dispatch --rejects rej.ndjson labelled.ndjson
is "dispatching a cancelled order: exit 1" "$rc" 1
check "dispatching a cancelled order: one line, the order, both statuses" \
    grep -qx "dispatch: labelled.ndjson:2: order P-1: cancelled: cannot be dispatched" err
is "set aside whole" "$(jq -r .order_id rej.ndjson 2>/dev/null || jq -r .record.order_id rej.ndjson)" P-1
is "the others go" "$(jq -r 'select(.status == "dispatched") | .order_id' out | sort | tr '\n' ' ')" \
    "P-2 P-3 P-5 P-6 P-7 "
is "the held order passes by" "$(jq -r 'select(.status == "held") | .order_id' out)" P-4
is "the audit trail says so" \
    "$(ledger_sql fulfil.db "select detail from events where what = 'dispatch.rejected' and order_id = 'P-1'")" \
    "cancelled: cannot be dispatched"

# Delivered: a stale picked record is not labelled again.
ledger_sql fulfil.db "update orders set status = 'delivered' where order_id = 'P-2'"
grep '"P-2"' picked.ndjson >p2.ndjson
run label p2.ndjson
is "labelling a delivered order: exit 1" "$rc" 1
check "labelling a delivered order: said" \
    grep -qx "label: p2.ndjson:1: order P-2: delivered: cannot be labelled" err

# Dispatched meanwhile by another run: not an error, passed on.
grep '"P-3"' picked.ndjson >p3.ndjson
run label p3.ndjson
is "labelling a dispatched order: passed on" "$rc $(jq -r .status out)" "0 dispatched"
done_testing
