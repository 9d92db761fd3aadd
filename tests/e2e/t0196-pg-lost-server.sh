#!/bin/sh
# The server lost in the middle of a run (PostgreSQL shut down under a
# label run): the run stops with a system error, exit 2, in one line;
# every order it wrote out has its parcel in the ledger (nothing let out
# that was not kept).  The server back, label --pending takes up the
# rest, and dispatch --pending ships every order once: nothing lost,
# nothing doubled.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
. "$FULFIL_ROOT/tests/e2e/pg.sh"
pg_ledger
N=700
pipe_setup
"$FULFIL_ROOT/scripts/gen-orders" -n $N -s 31 --catalog catalog.csv >orders.ndjson
ingest-orders -q orders.ndjson | pick-list -q >picked.ndjson
mkfifo feed
label -f zpl -o labels <feed >part.ndjson 2>label.err &
pid=$!
exec 3>feed
head -n 600 picked.ndjson >&3
# Down as soon as the ledger holds some of its parcels (its first
# batches committed), while it waits for the rest.
i=0
until [ "$($PSQL -c "select count(*) from parcels")" -ge 1 ] || [ $i -ge 600 ]; do
	sleep 0.05
	i=$((i + 1))
done
stop_pg
tail -n +601 picked.ndjson >&3 2>/dev/null || :
exec 3>&-
set +e
wait $pid
rc=$?
set -e
is "label: exit 2" "$rc" 2
is "label: one line" "$(wc -l <label.err | tr -d ' ')" 1
check "label: it names the ledger and the fault" \
    grep -q "^label: ledger 'postgresql:///fulfil?host=.*': .*" label.err
pg_server "$T/pg"
_pids="$_pids $PG_PID"
jq -r .order_id part.ndjson | sort >part.ids
is "every order written out has its parcel" \
    "$($PSQL -c "select order_id from parcels order by 1" | sort | comm -23 part.ids - | wc -l | tr -d ' ')" 0
run label -q --pending -f zpl -o labels
is "the server back: label --pending exits 0" "$rc" 0
is "no order labelled twice over both runs" \
    "$(cat part.ndjson out | jq -r .order_id | sort | uniq -d | wc -l | tr -d ' ')" 0
is "a parcel each, no tracking number twice" \
    "$($PSQL -c "select count(*), count(distinct tracking), count(distinct order_id) from parcels")" "$N|$N|$N"
run dispatch -q --pending
is "dispatch --pending ships every order once" \
    "$rc $(jq -r .order_id out | sort -u | wc -l | tr -d ' ') $(wc -l <out | tr -d ' ')" "0 $N $N"
stop_pg
done_testing
