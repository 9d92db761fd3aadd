#!/bin/sh
# The example cron job: every file in the inbox is taken and moved to
# done/, rejects are kept per file, a second run finds nothing to do, and
# a file that is not orders at all goes to failed/.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup
CRON=$FULFIL_ROOT/scripts/cron-ingest

mkdir inbox
cp "$FULFIL_ROOT/examples/shopify-orders.csv" inbox/
printf '{"order_id":"X"}\n' >inbox/broken.ndjson
run "$CRON" inbox orders.ndjson
is "some rejects: exit 1" "$rc" 1
is "the orders are in the outbox" "$(wc -l <orders.ndjson | tr -d ' ')" 5
is "both files are done" "$(ls inbox/done | tr '\n' ' ')" \
    "broken.ndjson shopify-orders.csv "
is "the reject is kept, by day and file" "$(ls rejects)" \
    "2026-11-23-broken.ndjson"
is "outbox and rejects are the owner's alone" \
    "$(stat -c %a orders.ndjson rejects/2026-11-23-broken.ndjson | tr '\n' ' ')" "600 600 "

cp "$FULFIL_ROOT/examples/shopify-orders.csv" inbox/again.csv
run "$CRON" inbox orders.ndjson
is "the same export again: exit 0" "$rc" 0
is "nothing more in the outbox" "$(wc -l <orders.ndjson | tr -d ' ')" 5

printf 'what,is,this\n1,2,3\n' >inbox/mystery.csv
run "$CRON" inbox orders.ndjson
is "not orders: exit 2" "$rc" 2
check "not orders: kept in failed/" test -f inbox/failed/mystery.csv
done_testing
