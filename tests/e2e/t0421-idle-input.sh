#!/bin/sh
# A stage fed slowly does not sit on what it has read: label, dispatch
# and notify take orders 500 at a time, and when their input has had
# nothing more for a second they decide what they hold, commit it and
# write it out (stdout flushed), then wait on.  Each is fed part of its
# input through a FIFO held open; what it was given must be done, in
# the ledger and on stdout, while it still runs; then the rest, and
# nothing is done twice.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
N=620
pipe_setup
"$FULFIL_ROOT/scripts/gen-orders" -n $N -s 41 --catalog catalog.csv >orders.ndjson
ingest-orders -q orders.ndjson | pick-list -q >picked.ndjson

# slowly STAGE K IN OUT CHECK ARGS...: STAGE (with ARGS) fed IN's first K
# lines through a FIFO held open; checks that it writes them out while it
# waits for more, runs the shell command CHECK, then gives it the rest
# and checks it ends well.
slowly() {
	_st=$1 _k=$2 _in=$3 _out=$4 _check=$5
	shift 5
	rm -f feed
	mkfifo feed
	"$_st" -q "$@" <feed >"$_out" 2>"$_st.err" &
	_pid=$!
	exec 3>feed
	head -n "$_k" "$_in" >&3
	is "$_st: the $_k given are written out while it waits" \
	    "$(until_lines "$_out" "$_k")" "$_k"
	check "$_st: still running, waiting for more" kill -0 $_pid
	eval "$_check"
	tail -n +"$((_k + 1))" "$_in" >&3
	exec 3>&-
	set +e
	wait $_pid
	_rc=$?
	set -e
	is "$_st: the rest, exit 0" "$_rc $(wc -l <"$_out" | tr -d ' ')" "0 $(wc -l <"$_in" | tr -d ' ')"
	is "$_st: each order once" "$(jq -r .order_id "$_out" | sort | uniq -d | wc -l | tr -d ' ')" 0
}

# 530: a whole chunk of 500, then 30 that only the idle input sends on.
slowly label 530 picked.ndjson labelled.ndjson \
    'is "label: their parcels are committed" "$(ledger_sql fulfil.db "select count(distinct order_id) from parcels")" 530' \
    -f zpl -o labels
is "label: a parcel each, no tracking number twice" \
    "$(ledger_sql fulfil.db "select count(*), count(distinct tracking) from parcels")" "$N|$N"
slowly dispatch 7 labelled.ndjson dispatched.ndjson \
    'is "dispatch: their parcels are on a manifest" "$(ledger_sql fulfil.db "select count(*) from manifest_parcels")" 7'
# notify reads on one thread (its templates switch TZ): the same for it.
slowly notify 11 dispatched.ndjson notified.ndjson \
    'is "notify: the customers are told" "$(until_lines outbox.ndjson 11)" 11'
is "notify: every customer told once" \
    "$(jq -r '"\(.source) \(.order_id)"' outbox.ndjson | sort | uniq -d | wc -l | tr -d ' ') $(wc -l <outbox.ndjson | tr -d ' ')" "0 $N"

# FULFIL_LEDGER_STATS: a run says, as it ends, how it used the ledger's
# write lock (bench-pipe reads it), and on SQLite how much of the hold
# SQLite ran statements.
FULFIL_LEDGER_STATS=1 run dispatch --pending </dev/null
sql=' \([0-9]+\.[0-9]{2} s of it in SQLite\)'
on_pg && sql=
check "FULFIL_LEDGER_STATS: the line" grep -Eq \
    "^dispatch: ledger: [0-9]+ write transactions?, [0-9]+\\.[0-9]{2} s waiting for the write lock, [0-9]+\\.[0-9]{2} s holding it$sql\$" err
# =sql: the statements that took SQLite's time, each with its count (a
# run that writes: the orders again, each a duplicate event).
FULFIL_LEDGER_STATS=sql run ingest-orders orders.ndjson
if on_pg; then
	is "FULFIL_LEDGER_STATS=sql on PostgreSQL: the one line" \
	    "$(grep -c '^ingest-orders: ledger: ' err)" 1
else
	check "FULFIL_LEDGER_STATS=sql: the statements, COMMIT among them" grep -Eq \
	    '^ingest-orders: ledger: [0-9]+\.[0-9]{3} s, [0-9]+ runs?: COMMIT$' err
	is "... every line after the first a statement's time and count" \
	    "$(grep '^ingest-orders: ledger: ' err | sed 1d | grep -Ecv '^ingest-orders: ledger: [0-9]+\.[0-9]{3} s, [0-9]+ runs?: [A-Z]' || :)" 0
fi
run dispatch --pending </dev/null
is "without it, no line" "$(grep -c 'write lock' err || :)" 0
done_testing
