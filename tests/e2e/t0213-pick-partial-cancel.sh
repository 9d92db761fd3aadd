#!/bin/sh
# A split order cancelled is cancelled whole: the part on its way is
# undone as its status allows (lib/cancel), and its backorder too, held
# (nothing to undo) or already picked (its stock back on the shelf); the
# customer hears of it once.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
. "$FULFIL_ROOT/tests/e2e/partial.sh"
setup
partial_config
cancel() { jq -c "select(.order_id == \"$1\") | .status = \"cancelled\"" "$DATA/partial-orders.ndjson"; }

# X-1 and X-2 split, their first parts labelled.  The next day one unit
# comes: X-1/2 (first by placed_at) ships it and is split again, X-1/3
# held; X-2/2 still held.
ingest-orders -q "$DATA/partial-orders.ndjson" | pick-list -q | label -q >labelled.ndjson
export FULFIL_NOW=2026-11-24T10:00:00+08:00
sed 's/^\(SCARCE-1,.*\),3$/\1,1/' "$DATA/catalog.csv" >catalog.csv
touch -d 2026-11-24T01:00:00Z catalog.csv
pick-list -q --pending </dev/null >day2.ndjson
is "before: the parts" "$(led "select order_id || ':' || status from orders order by order_id")" \
    "X-1:labelled X-1/2:picked X-1/3:held X-2:labelled X-2/2:held X-3:held "

export FULFIL_NOW=2026-11-24T11:00:00+08:00
cancel X-1 >c1.ndjson
run sh -c 'ingest-orders c1.ndjson | pick-list -q | label -q | dispatch -q | notify -q'
is "cancel X-1: exit 0" "$rc" 0
is "one record out: the order's" "$(jq -r '[.order_id, .status] | join(":")' out)" "X-1:cancelled"
is "its cancellation lists the backorders" "$(jq -c '.cancellation | [.was, .voided != null, .backorders]' out)" \
    '["labelled",true,["X-1/2","X-1/3"]]'
is "every part cancelled in the ledger" \
    "$(led "select order_id || ':' || status from orders where order_id like 'X-1%' order by order_id")" \
    "X-1:cancelled X-1/2:cancelled X-1/3:cancelled "
is "the picked backorder: its stock released" \
    "$(led "select order_id || ':' || sku || ':' || (case when released_at is null then 0 else 1 end) from picks where order_id like 'X-1/%'")" \
    "X-1/2:SCARCE-1:1 "
is "tasks: pull the parcel, put the backorder's goods back" \
    "$(led "select order_id || ':' || kind from tasks where order_id like 'X-1%' order by order_id, kind")" \
    "X-1:pull_parcel X-1/2:return_to_shelf "
is "the audit trail of the backorders" \
    "$(led "select order_id || ':' || detail from events where order_id like 'X-1/%' and what = 'cancelled' order by order_id")" \
    "X-1/2:was picked, with its order X-1/3:was held, with its order "
is "one message, for the order" "$(jq -r '[.order_id, .event] | join(" ")' outbox.ndjson)" "X-1 order_cancelled"
FULFIL_NOW=2026-11-24T12:00:00+08:00 notify -q --pending </dev/null >/dev/null
is "notify --pending: nothing for the backorders" "$(grep -c '"X-1' outbox.ndjson)" 1

# X-2: its backorder held, nothing to undo but the status.
cancel X-2 | ingest-orders -q >c2.out
is "cancel X-2: both parts" \
    "$(led "select order_id || ':' || status from orders where order_id like 'X-2%' order by order_id")" \
    "X-2:cancelled X-2/2:cancelled "
is "the record lists it" "$(jq -c '.cancellation.backorders' c2.out)" '["X-2/2"]'

# A re-run of the cancellations: nothing more.
ingest-orders -q c1.ndjson >/dev/null
cancel X-2 | ingest-orders -q >/dev/null
is "re-run: no new task, no new event" \
    "$(led "select count(*) from tasks; select count(*) from events where what = 'cancelled'")" "3 5 "

# The stock comes: nothing cancelled is picked.
export FULFIL_NOW=2026-11-25T10:00:00+08:00
sed 's/^\(SCARCE-1,.*\),3$/\1,50/' "$DATA/catalog.csv" >catalog.csv
touch -d 2026-11-25T01:00:00Z catalog.csv
pick-list -q --pending </dev/null >day3.ndjson
is "day 3: only X-3 is picked" "$(jq -r '[.order_id, .status] | join(":")' day3.ndjson)" "X-3:picked"

done_testing
