#!/bin/sh
# followup --archive takes every finished status, not only the first
# ones of its list: an order returned to the shop by the carrier goes
# with the delivered one, and an RMA received back with them (the
# claim's statuses were once bound to the wrong parameters, and such
# orders stayed in the ledger for good).
. "$FULFIL_ROOT/tests/e2e/lib.sh"
. "$FULFIL_ROOT/tests/e2e/returns.sh"
setup
ship_orders "$DATA/notify-orders.ndjson"
printf '%s\n' \
    "{\"tracking\":\"$(trk N-1)\",\"status\":\"delivered\",\"occurred_at\":\"2026-11-24T11:00:00+08:00\"}" \
    "{\"tracking\":\"$(trk N-4)\",\"status\":\"returned\",\"occurred_at\":\"2026-11-25T11:00:00+08:00\"}" |
    FULFIL_NOW=2026-11-26T16:00:00+08:00 followup -q >/dev/null
is "one delivered, one returned" \
    "$(ledger_sql fulfil.db "select order_id || ':' || status from orders where status in ('delivered', 'returned') order by order_id" | tr '\n' ' ')" \
    "N-1:delivered N-4:returned "
run env FULFIL_NOW=2027-01-15T10:00:00+08:00 followup --archive a.ndjson.gz
is "archived: exit 0" "$rc" 0
is "both in the file" "$(zcat a.ndjson.gz | jq -r .order_id | tr '\n' ' ')" "N-1 N-4 "
is "both stubs in the ledger" \
    "$(ledger_sql fulfil.db "select order_id from orders where archive is not null order by order_id" | tr '\n' ' ')" \
    "N-1 N-4 "

# An RMA received back (return_received), the last of the list.
ship_returns
followup -q --receive RMA-000001 >/dev/null
run env FULFIL_NOW=2027-02-15T10:00:00+08:00 followup --archive b.ndjson.gz
is "again: exit 0" "$rc" 0
is "the RMA received back is archived, the one on its way is not" \
    "$(zcat b.ndjson.gz | jq -r 'select(.rma != null) | .rma + ":" + .status' | tr '\n' ' ')" \
    "RMA-000001:return_received "
done_testing
