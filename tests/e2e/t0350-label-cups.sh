#!/bin/sh
# label --print: each lot's ZPL raw to a thermal queue and its PDF to an
# office queue of a real cupsd, one job per lot named for a person,
# the bytes that arrive the lot file's; a re-run prints nothing again.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
. "$FULFIL_ROOT/tests/e2e/cups.sh"
setup
start_cupsd thermal office

jq '.label.print = {"pdf_queue": "office"}' fulfil.json >f.json && mv f.json fulfil.json
ingest-orders -q "$DATA/pick-orders.ndjson" | pick-list -q >picked.ndjson

run label -f zpl,pdf --print thermal -o labels picked.ndjson
is "exit 0" "$rc" 0
check "summary: two jobs sent" grep -q '; 2 print jobs sent' err
is "thermal: one job" "$(jobs_in thermal)" 1
is "office: one job" "$(jobs_in office)" 1
zpl=$(ls labels/*.zpl)
pdf=$(ls labels/*.pdf)
check "thermal: the lot's ZPL, byte for byte" cmp -s "$C"/thermal/job-1 "$zpl"
check "office: the lot's PDF, byte for byte" cmp -s "$C"/office/job-2 "$pdf"
is "the job's name" "$(cat "$C"/thermal/job-1.title)" "fulfil labels run 3 lot 1, 7 labels"
is "the ledger: both sent, with CUPS's ids" \
    "$(ledger_sql fulfil.db 'SELECT queue, format, job_id, labels FROM print_jobs ORDER BY job_id' | tr '\n' ' ')" \
    "thermal|zpl|1|7 office|pdf|2|7 "

# The same orders again: labelled before, not printed again.
run label -f zpl,pdf --print thermal -o labels picked.ndjson
is "again: exit 0" "$rc" 0
check "again: no job sent" grep -q '; 0 print jobs sent' err
is "again: thermal still one job" "$(jobs_in thermal)" 1
is "again: office still one job" "$(jobs_in office)" 1

# --reprint is asked for: a new lot, a new job.
run label -f zpl --reprint --print thermal -o labels picked.ndjson
is "reprint: exit 0" "$rc" 0
is "reprint: thermal has a second job" "$(jobs_in thermal)" 2
is "reprint: the office queue is not the ZPL's" "$(jobs_in office)" 1
is "reprint: its name" "$(cat "$C"/thermal/job-3.title)" "fulfil labels run 5 lot 1, 7 labels"

# label.print.queue alone: PDF-only labels go there.
jq '.label.print = {"queue": "office"}' fulfil.json >f.json && mv f.json fulfil.json
run label -f pdf --db other.db -o other picked.ndjson
is "config queue: exit 0" "$rc" 0
is "config queue: PDF to the office" "$(jobs_in office)" 2
check "config queue: the PDF's bytes" cmp -s "$C"/office/job-4 other/*.pdf

# Packing slips go where PDF goes, a job of their own; with ZPL to the
# thermal queue and no pdf_queue, nowhere.
jq '.label.print = {"zpl_queue": "thermal", "pdf_queue": "office"}' fulfil.json >f.json && mv f.json fulfil.json
run label -f zpl --slip --db slips.db -o slips picked.ndjson
is "slips: exit 0" "$rc" 0
is "slips: the labels to the thermal queue" "$(jobs_in thermal)" 3
is "slips: the slips to the office" "$(jobs_in office)" 3
check "slips: the slip file's bytes" cmp -s "$C"/office/job-6 slips/slip-*.pdf
is "slips: the job's name" "$(cat "$C"/office/job-6.title)" "fulfil packing slips run 1 lot 1, 6 slips"
jq '.label.print = {"queue": "thermal"}' fulfil.json >f.json && mv f.json fulfil.json
run label -f zpl --slip --db slips2.db -o slips2 picked.ndjson
is "slips, one thermal queue: exit 0" "$rc" 0
is "slips, one thermal queue: the labels only" "$(jobs_in thermal)|$(jobs_in office)" "4|3"
done_testing
