#!/bin/sh
# Chunks read and waiting go under one lock: label, dispatch and notify
# decide up to four chunks of 500 in one transaction when more input is
# already there (a file, a backlog, --pending).  Each chunk stays a lot
# of its own: label's lot files hold 500 labels, each record names the
# lot its label is in, PDF pages count from 1 in each lot.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
N=1300
pipe_setup
"$FULFIL_ROOT/scripts/gen-orders" -n $N -s 43 --max-lines 2 \
    --catalog catalog.csv >orders.ndjson
ingest-orders -q orders.ndjson | pick-list -q >picked.ndjson

# transactions STAGE: the write transactions the run's stats line says.
transactions() {
	sed -n "s/^$1: ledger: \\([0-9]*\\) write transactions\\{0,1\\},.*/\\1/p" "$1.err"
}

# at_most STAGE N WHAT: STAGE's run took at most N write transactions.
# Under memcheck the reader thread can take longer than a second to read
# a chunk, and a chunk waits no longer than that for the next: skipped.
at_most() {
	echo "# $1: $(transactions "$1") write transactions"
	if [ "${FULFIL_VALGRIND:-}" = 1 ]; then
		skip "$1: $3" "under memcheck a chunk may take more than a second to read"
	else
		check "$1: $3" [ "$(transactions "$1")" -le "$2" ]
	fi
}

FULFIL_LEDGER_STATS=1 label -q -f zpl,pdf -o labels <picked.ndjson \
    >labelled.ndjson 2>label.err
is "label: every order labelled" "$(jq -r .status labelled.ndjson | sort | uniq -c | tr -s ' ')" " $N labelled"
is "label: three lots, each its own ZPL and PDF" \
    "$(ls labels | sed 's/.*-\([0-9]*\)\.\(.*\)/\1 \2/' | sort | tr '\n' ' ')" \
    "0001 pdf 0001 zpl 0002 pdf 0002 zpl 0003 pdf 0003 zpl "
is "label: 500, 500 and 300 labels in them" \
    "$(jq -r '.shipment.parcels[].label.zpl' labelled.ndjson | sort | uniq -c | tr -s ' ' | cut -d' ' -f2 | tr '\n' ' ')" \
    "500 500 300 "
# The lot a record names holds its label: its tracking number is there.
bad=0
jq -r '.shipment.parcels[] | "\(.tracking) \(.label.zpl) \(.label.page)"' \
    labelled.ndjson >named
while read -r t f p; do
	grep -q "$t" "labels/$f" || bad=$((bad + 1))
done <named
is "label: each label in the lot its record names" "$bad" 0
is "label: PDF pages 1 to 500 in each lot" \
    "$(awk '{print $2, $3}' named | sort | awk '{n[$1]++; if ($2 > m[$1]) m[$1] = $2} END {for (f in n) print f, n[f], m[f]}' | sort | tr '\n' ' ')" \
    "run-000003-0001.zpl 500 500 run-000003-0002.zpl 500 500 run-000003-0003.zpl 300 300 "
is "label: each label's print recorded once, the parcel printed" \
    "$(ledger_sql fulfil.db "select count(*), count(distinct tracking) from prints") $(ledger_sql fulfil.db "select count(*) from parcels where printed_at is not null")" \
    "$(ledger_sql fulfil.db "select count(*), count(*) from parcels") $(ledger_sql fulfil.db "select count(*) from parcels")"
# One transaction decides all three lots; each lot's print is one more.
at_most label 3 "one transaction for the lots, one for their prints"

FULFIL_LEDGER_STATS=1 dispatch -q <labelled.ndjson >dispatched.ndjson 2>dispatch.err
is "dispatch: every order dispatched, once" \
    "$(jq -r .status dispatched.ndjson | sort | uniq -c | tr -s ' ') $(jq -r .order_id dispatched.ndjson | sort -u | wc -l | tr -d ' ')" \
    " $N dispatched $N"
is "dispatch: each manifest numbers its parcels 1 to n" \
    "$(ledger_sql fulfil.db "select case when count(*) = max(seq) and min(seq) = 1 then 1 else 0 end from manifest_parcels group by manifest" | sort -u)" 1
at_most dispatch 1 "one transaction for the three chunks"
FULFIL_LEDGER_STATS=1 notify -q <dispatched.ndjson >notified.ndjson 2>notify.err
is "notify: every customer told once" \
    "$(jq -r '"\(.source) \(.order_id)"' outbox.ndjson | sort -u | wc -l | tr -d ' ') $(wc -l <outbox.ndjson | tr -d ' ')" "$N $N"
at_most notify 4 "one transaction plans the three chunks' messages"
is "notify: every order out" "$(wc -l <notified.ndjson | tr -d ' ')" $N

# A full chunk with more input there waits for the next, but not for a
# writer stopped mid-line: within about a second the chunk goes on.
rm -f feed
mkfifo feed
dispatch -q <feed >slow.ndjson 2>slow.err &
pid=$!
exec 3>feed
head -n 500 labelled.ndjson >&3
sed -n 501p labelled.ndjson | head -c 100 >&3
is "dispatch: a chunk read, the next line half written: the chunk goes on" \
    "$(until_lines slow.ndjson 500)" 500
check "dispatch: still waiting for the rest" kill -0 $pid
sed -n 501p labelled.ndjson | tail -c +101 >&3
exec 3>&-
set +e
wait $pid
rc=$?
set -e
is "dispatch: then the line, exit 0" "$rc $(wc -l <slow.ndjson | tr -d ' ')" "0 501"
done_testing
