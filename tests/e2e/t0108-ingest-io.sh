#!/bin/sh
# Input and output: gzip files and streams (told by their magic, not by
# their name), several files in one run, "-" for stdin, a missing file,
# a full disk, and a reader that goes away (EPIPE).
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup

gzip -c "$DATA/orders.ndjson" >orders.gz
run ingest-orders orders.gz
same ".gz file" out "$DATA/golden/ingest-ndjson.out"
fresh_ledger
cp orders.gz compressed-but-named.txt
run sh -c "ingest-orders - <compressed-but-named.txt"
same "gzip on stdin, whatever the name" out "$DATA/golden/ingest-ndjson.out"
fresh_ledger
gzip -c "$FULFIL_ROOT/examples/shopify-orders.csv" >shop.csv.gz
run ingest-orders shop.csv.gz
same "a gzipped Shopify export" out "$DATA/golden/ingest-shopify-79.out"
fresh_ledger
# Two gzip members one after the other are one stream.
head -1 "$DATA/orders.ndjson" | gzip -c >two.gz
tail -n +2 "$DATA/orders.ndjson" | gzip -c >>two.gz
run ingest-orders two.gz
same "concatenated gzip members" out "$DATA/golden/ingest-ndjson.out"
fresh_ledger
head -c 300 orders.gz >cut.gz
run ingest-orders cut.gz
is "truncated gzip: exit 1" "$rc" 1
check "truncated gzip: says so" grep -q "cut.gz:[0-9]*: gzip data truncated; the rest of the file is not read" err
# The line being read when the data ends; no line, no number.
fresh_ledger
"$FULFIL_ROOT/scripts/gen-orders" -n 400 | gzip -c | head -c 20000 >cut2.gz
n=$(($(gzip -cd cut2.gz 2>/dev/null | wc -l) + 1))
run ingest-orders -q cut2.gz
is "truncated gzip: the line reached" "$(cat err)" \
    "ingest-orders: cut2.gz:$n: gzip data truncated; the rest of the file is not read"
run pick-list -q cut2.gz
is "pick-list too" "$rc $(cat err)" "2 pick-list: cut2.gz:$n: gzip data truncated"
printf '\037\213garbage' >bad.gz
run ingest-orders -q bad.gz
is "corrupt from the start: the file alone" "$(cat err)" \
    "ingest-orders: bad.gz: gzip data corrupt; the rest of the file is not read"

# Several inputs, stdin among them, in order.
fresh_ledger
head -1 "$DATA/orders.ndjson" >one.ndjson
tail -n +2 "$DATA/orders.ndjson" >rest.ndjson
run sh -c "ingest-orders one.ndjson - <rest.ndjson"
same "files and stdin in order" out "$DATA/golden/ingest-ndjson.out"

# A missing input stops everything before it starts.
fresh_ledger
run ingest-orders one.ndjson missing.ndjson
is "missing file: exit 2" "$rc" 2
is "missing file: message" "$(cat err)" \
    "ingest-orders: cannot open 'missing.ndjson': No such file or directory"
is "missing file: nothing done" "$(wc -c <out | tr -d ' ')" 0

# A full disk is exit 2 with a message.
fresh_ledger
run sh -c "ingest-orders '$DATA/orders.ndjson' >/dev/full"
is "write error: exit 2" "$rc" 2
check "write error: message" grep -q "^ingest-orders: write error on standard output: No space left on device" err

# A reader that goes away: ended quietly, as by SIGPIPE, even when the
# shell ignores SIGPIPE and write() reports EPIPE instead.
"$FULFIL_ROOT/scripts/gen-orders" -n 3000 >many.ndjson
fresh_ledger
run sh -c "ingest-orders -q many.ndjson | head -1 >/dev/null"
is "EPIPE: no message" "$(cat err)" ""
fresh_ledger
run sh -c "trap '' PIPE; ingest-orders -q many.ndjson | head -1 >/dev/null"
is "EPIPE with SIGPIPE ignored: no message" "$(cat err)" ""
done_testing
