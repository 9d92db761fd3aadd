#!/bin/sh
# label --slip keeps labels' exactly once: a slip is printed with its
# order's labels and only then; durable before them, so a run that
# cannot write its slips prints no labels and records nothing; a run
# that died before its labels were on disk has slip and labels printed
# by the run that takes over; one whose labels are on disk, neither.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup

ingest-orders -q "$DATA/pick-orders.ndjson" | pick-list -q >picked.ndjson

# The slips cannot be written (a directory holds their name): exit 2,
# no label written, none recorded printed.
mkdir -p L/slip-000003-0001.pdf/x
run label --slip -o L picked.ndjson
is "slips not written: exit 2" "$rc" 2
check "slips not written: says which file" grep -q "slip-000003-0001.pdf" err
is "slips not written: no labels either" "$(ls L | tr '\n' ' ')" "slip-000003-0001.pdf "
is "slips not written: nothing recorded printed" \
    "$(ledger_sql fulfil.db "select count(*) from parcels where printed_at is not null")" 0
rm -r L/slip-000003-0001.pdf
run label --pending --slip -o L </dev/null
is "taken over: exit 0" "$rc" 0
is "taken over: labels and slips" "$(ls L | tr '\n' ' ')" "run-000004-0001.zpl slip-000004-0001.pdf "
is "taken over: a slip per order" "$(pdfinfo L/slip-000004-0001.pdf | sed -n 's/^Pages: *//p')" 6
is "taken over: the records say where" \
    "$(jq -r 'select(.shipment) | .shipment.slip' out | sort -u)" "slip-000004-0001.pdf"
cp out labelled.ndjson

# Again: passed on, nothing printed.
run label --slip -o L picked.ndjson
is "again: nothing new" "$(ls L | tr '\n' ' ')" "run-000004-0001.zpl slip-000004-0001.pdf "
run label --slip -o L labelled.ndjson
is "labelled again: nothing new" "$(ls L | tr '\n' ' ')" "run-000004-0001.zpl slip-000004-0001.pdf "

# --reprint --slip: both again, recorded as reprints.
run label --reprint --slip -o R labelled.ndjson
is "--reprint: labels and slips" "$(ls R | tr '\n' ' ')" "run-000007-0001.zpl slip-000007-0001.pdf "
is "--reprint: recorded with the slip" \
    "$(ledger_sql fulfil.db "select count(*), formats from prints where reprint <> 0 group by formats")" "7|zpl slip"
# --reprint alone: the labels, no slip.
run label --reprint -o R2 labelled.ndjson
is "--reprint without --slip: no slip" "$(ls R2 | tr '\n' ' ')" "run-000008-0001.zpl "

# A run that died after numbering, before its labels were on disk (its
# slip may be there): the run that takes over prints both for the
# orders it finishes, and only those.
ledger_sql fulfil.db "update parcels set printed_at = null where order_id in ('P-1', 'P-5')"
rm L/run-000004-0001.zpl
run label --pending --slip -o P </dev/null
is "died before its labels: slips for its two orders" \
    "$(pdfinfo P/slip-*.pdf | sed -n 's/^Pages: *//p')" 2
pdftoppm -r 150 -png P/slip-*.pdf p 2>/dev/null
is "died before its labels: their barcodes" \
    "$(for f in p-*.png; do zbarimg --raw -q $f 2>/dev/null; done | sort | tr '\n' ' ')" "web:P-1 web:P-5 "

# A run that died after its labels were on disk: nothing printed again.
fresh_ledger
ingest-orders -q "$DATA/pick-orders.ndjson" | pick-list -q >picked.ndjson
label -q --slip -o L2 picked.ndjson >/dev/null
ledger_sql fulfil.db "update parcels set printed_at = null"
run label --pending --slip -o L3 </dev/null
is "labels on disk already: no slip again" "$(ls L3 2>/dev/null | wc -l)" 0

done_testing
