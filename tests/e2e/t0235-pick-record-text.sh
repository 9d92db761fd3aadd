#!/bin/sh
# pick-list writes a record whose text is exactly what it would dump of
# it (compact, no \u escape, no real number) with its status and pick
# spliced into that text, not parsed and dumped again: the records
# written, and the ledger's, are the same bytes either way.  The same
# orders with their text loosened (spaces, a \u escape, an escaped
# slash) go the old way, parsed and dumped; the two runs must agree.
# Pickup orders (their status changes again) and a split order (its
# backorder is made from the record) are among them.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup

jq '.pickup = {"methods": "Collect from *", "ready_time": "16:00"}
    | .pick = {"partial": {"policy": "allow"}}' fulfil.json >f.json
mv f.json fulfil.json
cat "$DATA/pick-orders.ndjson" "$DATA/pickup-orders.ndjson" \
    "$DATA/partial-orders.ndjson" | ingest-orders -q >tight.ndjson
fresh_ledger
# Picked later, when the pickup orders are ready at the counter.
export FULFIL_NOW=2026-11-23T17:00:00+08:00
# Loosened: a space after the first key's colon is enough to make a
# record not canonical; one gets a \u escape (of the C of a name) too.
sed 's/^{"order_id":/{"order_id": /;
    1s/"name":"C/"name":"\\u0043/' tight.ndjson >loose.ndjson
check "the loosened text is another text" \
    sh -c '! cmp -s tight.ndjson loose.ndjson'
check "... of the same orders" \
    sh -c 'jq -cS . tight.ndjson >a; jq -cS . loose.ndjson >b; cmp -s a b'

run pick-list --db tight.db tight.ndjson
is "tight: exit 0" "$rc" 0
mv out tight.out
run pick-list --db loose.db loose.ndjson
is "loose: exit 0" "$rc" 0
mv out loose.out
check "some picked" grep -q '"status":"picked"' tight.out
check "some held" grep -q '"status":"held"' tight.out
check "some ready for pickup" grep -q '"status":"ready_for_pickup"' tight.out
check "one split" grep -q '"split":' tight.out
same "the records written: the same bytes" tight.out loose.out
for db in tight loose; do
	ledger_sql $db.db "select source, order_id, status, rec(record)
	    from orders order by 1, 2" >$db.ledger
done
same "the ledger's records: the same bytes" tight.ledger loose.ledger
# (A pickup order's "pickup" may come after it, its ready_at; a
# backorder, X-1/2, is made whole, not settled.)
is "the pick is the last field of a record picked or held" \
    "$(jq -r 'select((.status == "picked" or .status == "held") and
	(.order_id | test("/") | not)) | keys_unsorted[-1]' tight.out |
	sort -u)" pick

done_testing
