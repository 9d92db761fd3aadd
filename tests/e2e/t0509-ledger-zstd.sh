#!/bin/sh
# Records and message bodies are packed with lib/zrec's dictionary 2
# (zstd over a trained dictionary): every row the pipe writes names it,
# reads back (the tools, and the sqlite3 shell's rec()) as what the pipe
# wrote, and is smaller than dictionary 1 (deflate) made it; rows of
# dictionary 1 in a ledger from before still read, beside new ones.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
N=300
pipe_setup
# Seed 3: neither the dictionary's training seeds (7, 8, 9) nor the bench's.
"$FULFIL_ROOT/scripts/gen-orders" -n $N -s 3 --catalog catalog.csv >orders.ndjson
ingest-orders -q orders.ndjson 2>err | pick-list -q 2>>err | label -q -f zpl -o labels 2>>err |
    dispatch -q 2>>err | notify -q >out 2>>err
is "every order through the pipe" "$(wc -l <out | tr -d ' ') $(wc -l <outbox.ndjson | tr -d ' ') $(cat err)" "$N $N "
# Packed rows are SQLite's: a PostgreSQL ledger keeps text (rec() is the
# identity there), which the checks of rec() below still read.
if on_pg; then
	skip "every row written with dictionary 2" "SQLite's packing, not on PostgreSQL"
else
	is "every row written with dictionary 2" \
	    "$(sqlite3 fulfil.db "select substr(hex(record), 1, 4), count(*) from orders group by 1; select substr(hex(payload), 1, 4), count(*) from messages group by 1" | tr '\n' ' ')" \
	    "FE02|$N FE02|$N "
fi
ledger_sql fulfil.db "select rec(record) from orders order by order_id" >records
# notify's output adds what was sent (the notified table's, not the record's).
jq -c 'del(.notified)' out | sort >want
is "the shell's rec(): the records the pipe wrote" "$(jq -c . records | sort | cmp - want && echo same)" same
ledger_sql fulfil.db "select rec(m.payload, i.message_id, m.recipient) from messages as m join message_ids as i using (id) order by id" >bodies
same "the shell's rec(): the bodies the outbox has" bodies outbox.ndjson
# Dictionary 1 packed these records to ~380 bytes and the bodies (cut)
# to ~225; dictionary 2 to ~215 and ~50.
if on_pg; then
	skip "smaller than dictionary 1 made them" "SQLite's packing, not on PostgreSQL"
else
	is "smaller than dictionary 1 made them" \
	    "$(sqlite3 fulfil.db "select avg(length(record)) < 300, avg(length(payload)) < 120, (select count(*) from messages) from orders, (select avg(length(payload)) payload from messages)")" \
	    "1|1|$N"
fi
# followup --report reads every record from the ledger.
FULFIL_NOW=2026-11-30T10:00:00+08:00 run followup --report --from 2026-11-01 --to 2026-11-30 -o rep
is "followup --report over dictionary 2's rows" "$rc $(jq -s 'map(.orders // empty) | length' out >/dev/null && echo ok)" "0 ok"

# A schema 17 ledger (tests/data/ledger-v17.sql): its records and bodies
# are dictionary 1's.  A tool that moves one order on writes it with
# dictionary 2; both read, by the tools and by the shell.
setup
sqlite3 v17.db <"$DATA/ledger-v17.sql"
is "the old ledger: dictionary 1's rows" \
    "$(sqlite3 v17.db "select distinct substr(hex(record), 1, 4) from orders")" FE01
ledger_sql v17.db "select order_id, rec(record) from orders order by order_id" >before
trk=$(ledger_sql v17.db "select json_extract(rec(record), '$.shipment.tracking') from orders where order_id = 'P-1'")
printf '%s\n' "{\"tracking\":\"$trk\",\"status\":\"delivered\",\"occurred_at\":\"2026-11-24T11:00:00+08:00\"}" |
    FULFIL_NOW=2026-11-24T12:00:00+08:00 run followup -q --db v17.db
is "followup: an old record moved on" "$rc $(cat err)" "0 "
is "written with dictionary 2, the others left as they were" \
    "$(sqlite3 v17.db "select substr(hex(record), 1, 4), count(*) from orders group by 1" | tr '\n' ' ')" \
    "FE01|$(($(wc -l <before) - 1)) FE02|1 "
is "the moved record reads" \
    "$(ledger_sql v17.db "select status, json_extract(rec(record), '$.delivery.at') from orders where order_id = 'P-1'")" \
    "delivered|2026-11-24T11:00:00+08:00"
ledger_sql v17.db "select order_id, rec(record) from orders where order_id <> 'P-1' order by order_id" >after
grep -v '^P-1|' before >before.rest
same "dictionary 1's rows read as they did" before.rest after
FULFIL_NOW=2026-11-30T10:00:00+08:00 run followup --db v17.db --report --from 2026-11-01 --to 2026-11-30 -o rep
is "followup --report over both dictionaries' rows" "$rc" 0
done_testing
