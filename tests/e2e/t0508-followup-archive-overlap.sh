#!/bin/sh
# followup --archive, two runs at once: a run that meets another's batch
# half written waits for that run (the archive file's lock) instead of
# taking the batch for left and writing it again under it; a run aiming
# at another file waits too, and leaves no empty file behind.  A batch
# left by a run killed in one directory is finished, from another, into
# the file it began.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup
ship_orders "$DATA/notify-orders.ndjson"
printf '%s\n' \
    "{\"tracking\":\"$(trk N-1)\",\"status\":\"delivered\",\"occurred_at\":\"2026-11-24T11:00:00+08:00\"}" \
    "{\"tracking\":\"$(trk N-2)\",\"status\":\"delivered\",\"occurred_at\":\"2026-11-26T15:00:00+08:00\"}" \
    "{\"tracking\":\"$(trk N-3)\",\"status\":\"delivered\",\"occurred_at\":\"2026-11-26T16:00:00+08:00\"}" |
    FULFIL_NOW=2026-11-26T16:00:00+08:00 followup -q >/dev/null
is "three orders delivered" \
    "$(ledger_sql fulfil.db "select count(*) from orders where status = 'delivered'")" 3
FULFIL_NOW=2027-01-15T10:00:00+08:00
export FULFIL_NOW
ledger_save pristine

# until_ FILE TEXT: waits (up to a minute) for TEXT in FILE.
until_() {
	_i=0
	until grep -q "$2" "$1" 2>/dev/null; do
		_i=$((_i + 1))
		[ $_i -lt 600 ] || return 1
		sleep 0.1
	done
}
# each_once NAME FILE: the three orders each once in FILE, a good gzip
# file, and stubs in the ledger.
each_once() {
	is "$1: a good gzip file" "$(gzip -t "$2" && echo good)" good
	is "$1: each order once in the file" \
	    "$(zcat "$2" | jq -r .order_id | sort | uniq -c | awk '{print $1 $2}' | tr '\n' ' ')" \
	    "1N-1 1N-2 1N-3 "
	is "$1: stubs in the ledger" \
	    "$(ledger_sql fulfil.db "select count(*) from orders where json_extract(rec(record), '$.archived') is not null")" 3
	is "$1: one batch, done" \
	    "$(ledger_sql fulfil.db "select count(*), sum(orders), count(done_at) from archives")" "1|3|1"
}

# The pages are SQLite's: a PostgreSQL ledger's space is its vacuum's.
pages="; 0 pages given back"
! on_pg || pages=

# for FILE: run A stops with half its batch written; run B, to FILE,
# meets it.
for target in a.ndjson.gz b.ndjson.gz; do
	rm -f a.ndjson.gz b.ndjson.gz errA errB
	ledger_restore pristine
	FULFIL_ARCHIVE_STOP=writing followup --archive a.ndjson.gz 2>errA &
	a=$!
	check "to $target: run A stopped half way" stopped $a
	followup --archive $target 2>errB &
	b=$!
	check "to $target: run B waits for run A" \
	    until_ errB "^followup: waiting for the run archiving to '.*a.ndjson.gz'$"
	kill -CONT $a
	rca=0 rcb=0
	wait $a || rca=$?
	wait $b || rcb=$?
	is "to $target: both exit 0" "$rca $rcb" "0 0"
	is "to $target: A archived the three" "$(tail -n 1 errA | sed 's/ to .* in 1 batch//')" \
	    "followup: 3 orders archived$pages"
	is "to $target: B found nothing left" "$(grep -c 'finishing\|^followup: [1-9]' errB)" 0
	each_once "to $target" a.ndjson.gz
	is "to $target: no empty file left" "$(ls b.ndjson.gz 2>/dev/null | wc -l | tr -d ' ')" 0
done

# Killed in this directory, finished from another: into the file begun.
rm -f a.ndjson.gz
ledger_restore pristine
rc=0
FULFIL_ARCHIVE_KILL=writing followup -q --archive a.ndjson.gz 2>/dev/null || rc=$?
is "killed while writing" "$rc" 137
mkdir elsewhere
# The server's ledger is FULFIL_DB's, from any directory.
db="--db ../fulfil.db"
! on_pg || db=
(cd elsewhere && followup --config ../fulfil.json $db \
    --archive c.ndjson.gz >../out 2>../err) && rc=0 || rc=$?
is "from elsewhere: exit 0" "$rc" 0
is "from elsewhere: finished the batch in the file begun" "$(head -n 1 err)" \
    "followup: finishing the archive a run left in '$PWD/a.ndjson.gz'"
each_once "from elsewhere" a.ndjson.gz
is "from elsewhere: nothing in its own directory" "$(ls elsewhere | wc -l | tr -d ' ')" 0
done_testing
