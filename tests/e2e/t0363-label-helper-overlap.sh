#!/bin/sh
# label: two runs at once, one waiting on a slow helper: the request is
# committed before the helper runs, so the other run leaves the order to
# it, the ledger free all the while; the helper is asked once.  A run
# killed while its helper runs leaves the request to the next run, which
# asks again with the same key.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup

use_helper
ingest-orders -q "$DATA/pick-orders.ndjson" | pick-list -q >picked.ndjson
jq -c 'select(.order_id == "P-1")' picked.ndjson >p1.ndjson
jq -c 'select(.order_id == "P-2")' picked.ndjson >p2.ndjson

HELPER_SLEEP=3 label -o A p1.ndjson >a.out 2>a.err &
first=$!
_pids="$first"
# Wait until the slow run has its request kept.
i=0
until [ "$(ledger_sql fulfil.db "select count(*) from helper_requests" 2>/dev/null || echo 0)" = 1 ] ||
    [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
run label -o B p1.ndjson p2.ndjson
is "meanwhile: exit 0" "$rc" 0
is "meanwhile: P-1 left to the first run" "$(tail -n 1 err)" \
    "label: 2 read, 1 labelled, 0 reprinted (1 parcel), 0 passed through, 0 rejected; 1 left to runs labelling them"
is "meanwhile: P-2 numbered, the ledger free" "$(jq -r .order_id out)" P-2
wait $first
is "the first run: numbered" "$(jq -r .shipment.tracking a.out)" SF500000000002
is "P-1 asked once" "$(jq -r 'select(.parcel.order_id == "P-1") | .idempotency_key' helper.log | wc -l | tr -d ' ')" 1

# Killed while its helper runs: the request stays, the next run asks again.
jq -c 'select(.order_id == "P-3")' picked.ndjson >p3.ndjson
HELPER_SLEEP=30 HELPER_PIDS=$T/pids label -o A p3.ndjson >/dev/null 2>&1 &
slow=$!
_pids="$slow"
i=0
until [ -s pids ] || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
is "killed mid-call: the request was kept before" \
    "$(ledger_sql fulfil.db "select count(*) from helper_requests where order_id = 'P-3'")" 1
kill -9 $slow
wait $slow 2>/dev/null || :
# Its helper, in a process group of its own, is left running: end it.
kill $(cat pids)
run label --pending -o A
is "after kill -9: exit 0" "$rc" 0
is "after kill -9: numbered" "$(jq -r 'select(.order_id == "P-3") | .shipment.tracking' out)" SF500000000003
is "after kill -9: the same key, asked twice" \
    "$(ledger_sql fulfil.db "select key, attempts from helper_requests where order_id = 'P-3'")" \
    "web/P-3/sf/1-of-1/0|2"
done_testing
