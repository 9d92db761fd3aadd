#!/bin/sh
# pick-list and the ledger: re-runs repeat themselves, --pending takes up
# what a broken pipe left and retries held orders when stock arrives,
# two runs at once pick each order once and never give away stock twice.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup

ingest-orders -q "$DATA/pick-orders.ndjson" >in.ndjson
pick-list -q in.ndjson >first
run pick-list in.ndjson
is "re-run: exit 0" "$rc" 0
is "re-run: picked orders pass through, the held one is retried" "$(tail -n 1 err)" \
    "pick-list: 7 read, 0 picked (0 waves, 0 batches, 0.0 m walked), 1 held, 6 passed through, 0 rejected"
is "re-run: the same records" "$(sort out | md5sum)" "$(sort first | md5sum)"
is "re-run: no new batches" "$(ledger_sql fulfil.db 'select count(*) from batches')" 3

# The held order waits in the ledger; --pending alone retries it.  Stock
# picked since the catalog was written still counts against it.
run pick-list --pending </dev/null
is "pending: the held order, still short" "$(jq -r '[.order_id, .status, .pick.short[0].qty_short] | join(" ")' out)" \
    "P-4 held 1"
is "held again for the same reason: one event, not one per run" \
    "$(ledger_sql fulfil.db "select count(*) from events where order_id = 'P-4' and what = 'held'")" 1

# An update ingested after the pipe was read wins over the pipe's copy.
ledger_save before

jq -c 'select(.order_id == "P-4") | .lines[0].qty = 1' "$DATA/pick-orders.ndjson" |
    ingest-orders -q >/dev/null
run pick-list in.ndjson
is "the ledger's newer revision is picked" \
    "$(jq -r 'select(.order_id == "P-4") | [.status, .revision, .lines[0].qty] | join(" ")' out)" \
    "picked 2 1"
ledger_restore before

# New stock arrives: a catalog written at 11:00 counts from there.
sed 's/^SCARCE-1,\(.*\),3$/SCARCE-1,\1,10/' catalog.csv >c.tmp && mv c.tmp catalog.csv
touch -d 2026-11-23T03:00:00Z catalog.csv
FULFIL_NOW=2026-11-23T11:30:00+08:00 run pick-list --pending </dev/null
is "restocked: the held order is picked" "$(jq -r '[.order_id, .status, .pick.batch] | join(" ")' out)" \
    "P-4 picked 4"
is "restocked: ledger" "$(ledger_sql fulfil.db "select status from orders where order_id = 'P-4'")" picked
run pick-list --pending </dev/null
is "nothing left pending" "$(wc -c <out)" 0

# A pipe that broke after ingest: --pending picks what was accepted.
fresh_ledger
setup
ingest-orders -q "$DATA/pick-orders.ndjson" >/dev/null
run pick-list --pending </dev/null
is "pending after ingest: all taken up" "$(jq -r .status out | sort | uniq -c | tr -s ' ' | tr '\n' ',')" \
    " 1 held, 6 picked,"

# Orders further along, or cancelled, pass through as the ledger has them.
fresh_ledger
ingest-orders -q "$DATA/pick-orders.ndjson" >/dev/null
ledger_record P-2 '.status = "cancelled"'
jq -c 'select(.order_id == "P-7") | .status = "labelled"' in.ndjson >labelled.ndjson
grep -v '"P-7"' in.ndjson >>labelled.ndjson
run pick-list labelled.ndjson
is "cancelled in the ledger: passed through as cancelled" \
    "$(jq -r 'select(.order_id == "P-2") | .status' out)" cancelled
is "labelled in the input: passed through unchanged" \
    "$(jq -c 'select(.order_id == "P-7")' out)" "$(head -n 1 labelled.ndjson)"
is "neither was picked" "$(ledger_sql fulfil.db "select count(*) from picks where order_id in ('P-2', 'P-7')")" 0

# Two runs at once on one ledger: one picks, the other passes through.
fresh_ledger
ingest-orders -q "$DATA/pick-orders.ndjson" >/dev/null
pick-list -q in.ndjson >a &
pa=$!
pick-list -q in.ndjson >b &
# Those two only (their status, as a bare wait, not judged): a bare wait
# would wait for a server this file started too (FULFIL_TEST_BACKEND=pg
# alone starts its own cluster).
wait $pa $! || :
is "concurrent: each order's SKUs picked once" \
    "$(ledger_sql fulfil.db 'select count(*) from (select 1 from picks group by source, order_id, sku having count(*) > 1) t')" 0
is "concurrent: stock given once" "$(ledger_sql fulfil.db "select sum(qty) from picks where sku = 'SCARCE-1'")" 2
is "concurrent: one set of batches" "$(ledger_sql fulfil.db 'select count(*) from batches')" 3
is "concurrent: both say the same" "$(jq -c 'select(.status == "picked") | [.order_id, .pick.batch, .pick.tote]' a | sort)" \
    "$(jq -c 'select(.status == "picked") | [.order_id, .pick.batch, .pick.tote]' b | sort)"
done_testing
