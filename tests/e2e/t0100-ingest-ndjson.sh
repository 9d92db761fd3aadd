#!/bin/sh
# ingest-orders on canonical NDJSON: normalisation, lenient types, unknown
# fields kept, gifts, the promise, warnings; golden output.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup

run ingest-orders "$DATA/orders.ndjson"
is "exit 0" "$rc" 0
same "normalised output" out "$DATA/golden/ingest-ndjson.out"
is "summary" "$(cat err)" \
    "ingest-orders: $DATA/orders.ndjson:3: order A-3: warning: total: does not match the lines less discount plus shipping and tax
ingest-orders: 3 read, 3 accepted, 0 updated, 0 duplicate, 0 cancelled, 0 rejected, 1 warning"

# The same from stdin, into a fresh ledger.
fresh_ledger
run sh -c "ingest-orders <'$DATA/orders.ndjson'"
same "stdin gives the same" out "$DATA/golden/ingest-ndjson.out"

# A byte order mark before the first order is dropped, gzip or not.
{ printf '\357\273\277'; cat "$DATA/orders.ndjson"; } >bom.ndjson
gzip -c bom.ndjson >bom.ndjson.gz
fresh_ledger
run ingest-orders bom.ndjson
same "a BOM: the same orders" out "$DATA/golden/ingest-ndjson.out"
fresh_ledger
run ingest-orders bom.ndjson.gz
same "a BOM inside gzip: the same orders" out "$DATA/golden/ingest-ndjson.out"

# -q silences the summary and the warnings, and output is one compact object per line.
fresh_ledger
run ingest-orders -q "$DATA/orders.ndjson"
is "-q: no summary" "$(cat err)" ""
is "three lines" "$(wc -l <out | tr -d ' ')" 3
check "every line is an object" jq -e 'type == "object"' out

# --source names orders that carry none.
fresh_ledger
run ingest-orders -q --source erp "$DATA/orders.ndjson"
is "--source fills in" "$(jq -r .source out | tr '\n' ' ')" "web erp web "
done_testing
