#!/bin/sh
# label: each label printed once, and durable before the ledger says so.
# A run that died between numbering and printing leaves its claims to
# label --pending; a live run's claims are nobody else's; dispatch never
# takes a parcel whose label was not printed; reprints only when asked.
# (The kill -9 trials themselves are in t0700-crash.)
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup

ingest-orders -q "$DATA/pick-orders.ndjson" | pick-list -q >picked.ndjson
run label -o L picked.ndjson
cp out labelled.ndjson
is "labelled: exit 0" "$rc" 0
is "labels on disk, 0600" "$(stat -c '%n %a' L/* | tr '\n' ' ')" "L/run-000003-0001.zpl 600 "
is "every parcel printed, in the run's file" \
    "$(ledger_sql fulfil.db "select count(*), count(printed_at), count(distinct label_file) from parcels join label_files on label_files.id = label_file where label_due <> 0 and path like '%/L/run-000003-0001.zpl'")" \
    "7|7|1"

# Given the same orders again, picked or labelled: nothing printed twice.
run label -o L picked.ndjson
is "again: passed on, not printed" "$(tail -n 1 err)" \
    "label: 7 read, 0 labelled, 0 reprinted (0 parcels), 7 passed through, 0 rejected; 6 printed before, not again (--reprint prints them)"
is "again: no new file" "$(ls L | tr '\n' ' ')" "run-000003-0001.zpl "
is "again: the same records" "$(jq -c 'del(.shipment)' out | sort | md5sum)" \
    "$(jq -c 'del(.shipment)' labelled.ndjson | sort | md5sum)"
run label -o L labelled.ndjson
is "labelled again: not printed either" "$(ls L | tr '\n' ' ')" "run-000003-0001.zpl "
# Reprints are asked for.
run label --reprint labelled.ndjson
is "--reprint without -o: exit 2" "$rc" 2
is "--reprint without -o: says so" "$(cat err)" "label: --reprint needs -o dir for the labels"
run label --reprint -o R labelled.ndjson
is "--reprint" "$(tail -n 1 err)" \
    "label: 7 read, 0 labelled, 6 reprinted (7 parcels), 1 passed through, 0 rejected"
is "--reprint: recorded" "$(ledger_sql fulfil.db 'select count(*) from prints where reprint <> 0')" 7
is "--reprint: the labels" "$(grep -c '\^XA' R/*.zpl)" 7

# A run that died after numbering, before its labels were on disk: the
# ledger says the labels are due and not printed; the run has ended.
ledger_sql fulfil.db "update parcels set printed_at = null where order_id in ('P-1', 'P-5')"
rm L/run-000003-0001.zpl
run dispatch labelled.ndjson
is "dispatch: exit 1" "$rc" 1
check "dispatch: says the label was never printed" \
    grep -q "order P-1: label SF000000000003 was never printed: label --pending -o dir prints it" err
is "dispatch: the others go" "$(jq -r .order_id out | sort | tr '\n' ' ')" "P-2 P-3 P-4 P-6 P-7 "
is "dispatch: the unprinted stay labelled" \
    "$(ledger_sql fulfil.db "select status from orders where order_id in ('P-1', 'P-5') order by order_id" | tr '\n' ' ')" \
    "labelled labelled "
run dispatch --pending </dev/null
is "dispatch --pending leaves them too" "$(cat out)" ""
run label --pending </dev/null
is "label --pending without -o: says what waits" "$(cat err | head -n 1)" \
    "label: 2 orders have labels that a run that died never printed: label --pending -o dir prints them"
run label --pending -o P </dev/null
is "label --pending -o: exit 0" "$rc" 0
is "label --pending -o: taken over" "$(tail -n 1 err)" \
    "label: 2 read, 0 labelled, 0 reprinted (3 parcels), 0 passed through, 0 rejected; 2 taken over from runs that died"
is "label --pending -o: three labels printed" "$(grep -c '\^XA' P/*.zpl)" 3
is "label --pending -o: the records say where" \
    "$(jq -r '[.order_id, .shipment.parcels[].label.zpl] | join(" ")' out | tr '\n' ',')" \
    "P-1 run-000010-0001.zpl,P-5 run-000010-0001.zpl run-000010-0001.zpl,"
is "label --pending -o: the ledger agrees" \
    "$(ledger_sql fulfil.db "select count(*) from parcels where printed_at is null")" 0
is "audit trail" "$(ledger_sql fulfil.db "select detail from events where what = 'label.recovered' and order_id = 'P-1'")" \
    "run 3 died: 1 label printed again"
run dispatch --pending </dev/null
is "now dispatch takes them" "$(jq -r .order_id out | sort | tr '\n' ' ')" "P-1 P-5 "

# A run that died after its file was on disk, before the ledger said
# so: the labels are there, so they are marked printed, not printed again.
fresh_ledger
ingest-orders -q "$DATA/pick-orders.ndjson" | pick-list -q >picked.ndjson
label -q -o L2 picked.ndjson >/dev/null
ledger_sql fulfil.db "update parcels set printed_at = null"
run label --pending -o L3 </dev/null
is "on disk already: nothing printed again" "$(ls L3 2>/dev/null | wc -l)" 0
is "on disk already: marked printed" \
    "$(ledger_sql fulfil.db "select count(*) from parcels where printed_at is null")" 0

# A live run's claims: neither --pending nor the same order on input
# takes them.  (The test shell stands in for a run still printing; its
# lease, which PostgreSQL's ledger goes by, lasts to 2100.)
ledger_sql fulfil.db "insert into runs (tool, started_at, pid, lease_until) values ('label', 'now', $$, 4102444800);
    update parcels set printed_at = null, run = (select max(id) from runs) where order_id = 'P-3'"
run label --pending -o L4 </dev/null
is "live claim: --pending leaves it" "$(cat out)" ""
grep '"P-3"' picked.ndjson >p3.ndjson
run label -o L4 p3.ndjson
is "live claim: not written here" "$(cat out)" ""
is "live claim: said" "$(tail -n 1 err)" \
    "label: 1 read, 0 labelled, 0 reprinted (0 parcels), 0 passed through, 0 rejected; 1 left to runs labelling them"
is "live claim: exit 0" "$rc" 0

# The same order on two lines of one transaction's input: numbered and
# printed once; the second line finds it labelled, as the first left it,
# and goes on as the ledger has it.
fresh_ledger
ingest-orders -q "$DATA/pick-orders.ndjson" | pick-list -q >picked.ndjson
{ grep '"P-5"' picked.ndjson; cat picked.ndjson; } >twice.ndjson
run label -o L5 twice.ndjson
is "twice: numbered once, then passed on" "$(tail -n 1 err)" \
    "label: 8 read, 6 labelled, 0 reprinted (7 parcels), 2 passed through, 0 rejected"
is "twice: its parcels once, each label once" \
    "$(ledger_sql fulfil.db "select count(*) from parcels where order_id = 'P-5'") $(grep -c '\^XA' L5/*.zpl)" \
    "2 7"
is "twice: both lines as the ledger keeps it" \
    "$(grep '"P-5"' out | jq -c . | sort -u | wc -l) $(grep '"P-5"' out | jq -r .shipment.tracking | sort -u | wc -l)" \
    "1 1"
is "twice: the ledger's record, the first line" \
    "$(ledger_sql fulfil.db "select rec(record) from orders where order_id = 'P-5'")" \
    "$(grep '"P-5"' out | head -n 1)"
is "twice: one label.labelled event" \
    "$(ledger_sql fulfil.db "select count(*) from events where what = 'labelled' and order_id = 'P-5'")" 1
done_testing
