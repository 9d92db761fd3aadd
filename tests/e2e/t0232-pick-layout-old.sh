#!/bin/sh
# pick-list: a layout of one block, as before zones and cross aisles,
# gives the same records, sheets and ledger rows as before them (the
# golden file was made by pick-list before zones), every location letter
# in the one block.  "cross_aisles": [] is no cross aisle.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup

ingest-orders -q "$DATA/pick-orders.ndjson" >in.ndjson
cp "$DATA/pick-orders.ndjson" orders.ndjson

# everything: the records, every sheet as text and CSV, the batches.
everything() {
	cat out
	for f in sheets/*.txt sheets/*.csv; do
		echo "== $f"
		cat "$f"
	done
	ledger_sql fulfil.db "select id, wave, orders, $(sql_1dp route_m) from batches order by id"
	ledger_sql fulfil.db "select order_id, sku, qty, batch from picks order by 1, 2"
}

run pick-list --stats -o sheets in.ndjson
is "exit 0" "$rc" 0
everything >all.txt
same "records, sheets and ledger as before zones" all.txt \
    "$DATA/golden/pick-old-layout.txt"
is "stats as before zones" "$(head -n 1 err)" \
    "$(cat "$DATA/golden/pick-old-layout-stats.json")"

jq '.layout.cross_aisles = [] | .layout.cross_aisle_width_m = 5' \
    fulfil.json >f && mv f fulfil.json
fresh_ledger
rm -rf sheets
ingest-orders -q orders.ndjson >/dev/null
run pick-list --stats -o sheets in.ndjson
everything >all.txt
same "no cross aisles: the same bytes" all.txt \
    "$DATA/golden/pick-old-layout.txt"

done_testing
