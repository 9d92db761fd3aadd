#!/bin/sh
# label --print exactly once: a lot CUPS could not take is sent by the
# next run that prints; a job CUPS took before the run could say so is
# found in the queue by its name, not sent twice; errors in one line.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
. "$FULFIL_ROOT/tests/e2e/cups.sh"
setup
start_cupsd thermal
ingest-orders -q "$DATA/pick-orders.ndjson" | pick-list -q >picked.ndjson

run label --print thermal picked.ndjson
is "--print without -o: exit 2" "$rc" 2
is "--print without -o: why" "$(cat err)" "label: --print needs -o dir for the labels"

jq '.label.print = {"queue": 5}' fulfil.json >bad.json
run label --config bad.json -o labels picked.ndjson
is "label.print.queue not a string: exit 2" "$rc" 2
check "label.print.queue not a string: where" grep -q '^label: bad.json: \$.label.print.queue: must be a non-empty string' err

# No such queue: said in one line, the orders still labelled and
# written, exit 1.
run label --db nosuch.db --print nosuch -o nosuch picked.ndjson
is "no such queue: exit 1" "$rc" 1
check "no such queue: one line" grep -q "^label: print to 'nosuch': '.*/run-000001-0001.zpl': .*; the next label --print sends it$" err
is "no such queue: every order written" "$(jq -r .order_id out | wc -l)" 7
is "no such queue: those picked labelled" "$(jq -r 'select(.status == "labelled") | .order_id' out | wc -l)" 6

# cupsd down: nothing sent, the lot left for the next run.
stop_cupsd
run label --print thermal -o labels picked.ndjson
is "cupsd down: exit 1" "$rc" 1
check "cupsd down: said" grep -q "^label: print to 'thermal': .*the next label --print sends it$" err
is "cupsd down: the ledger has it unsent" "$(ledger_sql fulfil.db 'SELECT count(*) FROM print_jobs WHERE job_id IS NULL')" 1
restart_cupsd
run label --pending --print thermal -o labels
is "cupsd back: exit 0" "$rc" 0
check "cupsd back: one job sent" grep -q '; 1 print job sent' err
is "cupsd back: the lot arrived" "$(jobs_in thermal)" 1
check "cupsd back: its bytes" cmp -s "$C"/thermal/job-1 "$(ledger_sql fulfil.db 'SELECT file FROM print_jobs')"
run label --pending --print thermal -o labels
is "and again: nothing more" "$(jobs_in thermal)" 1

# A run that died after CUPS took the job and before the ledger said so
# (the job id taken back out of the ledger plays it).
ledger_sql fulfil.db 'UPDATE print_jobs SET job_id = NULL, sent_at = NULL'
run label --pending --print thermal -o labels
is "died after sending: exit 0" "$rc" 0
check "died after sending: found, not sent" grep -q '; 1 found in the queue, not sent again' err
is "died after sending: still one job" "$(jobs_in thermal)" 1
is "died after sending: the ledger has its id again" "$(ledger_sql fulfil.db 'SELECT job_id FROM print_jobs')" 1
done_testing
