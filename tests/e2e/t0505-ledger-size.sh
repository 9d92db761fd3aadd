#!/bin/sh
# The ledger's bytes per order: 2,000 synthetic orders through the whole
# pipe (ingest-orders | pick-list | label -f zpl | dispatch | notify to
# the outbox), the file's size after a checkpoint.  Records and message
# bodies stored as text made 4.1 KB an order; packed (lib/zrec), 2.3 KB
# (with 2,000 orders the empty tables and indexes are 0.13 KB of it).
. "$FULFIL_ROOT/tests/e2e/lib.sh"
N=2000
BOUND=2560
pipe_setup
"$FULFIL_ROOT/scripts/gen-orders" -n $N -s 1 --catalog catalog.csv >orders.ndjson
ingest-orders -q orders.ndjson 2>err | pick-list -q 2>>err | label -q -f zpl -o labels 2>>err |
    dispatch -q 2>>err | notify -q >out 2>>err
is "every order through the pipe" "$(wc -l <out | tr -d ' ') $(wc -l <outbox.ndjson | tr -d ' ')" "$N $N"
# The file's size and its packed rows are SQLite's; a PostgreSQL ledger
# keeps text, which the server compresses (TOAST).
if on_pg; then
	skip "ledger: bytes an order" "the SQLite file's size, not on PostgreSQL"
	skip "records and message bodies packed" "SQLite's packing, not on PostgreSQL"
else
	sqlite3 fulfil.db 'pragma wal_checkpoint(TRUNCATE)' >/dev/null
	bytes=$(( $(sqlite3 fulfil.db 'pragma page_count') * $(sqlite3 fulfil.db 'pragma page_size') ))
	per=$((bytes / N))
	check "ledger: $per bytes an order (bound $BOUND)" [ "$per" -le $BOUND ]
	is "records and message bodies packed" \
	    "$(sqlite3 fulfil.db "select count(*) from orders where typeof(record) = 'blob' and substr(hex(record), 1, 2) = 'FE'") $(sqlite3 fulfil.db "select count(*) from messages where substr(hex(payload), 1, 2) = 'FE'")" \
	    "$N $N"
fi
is "the outbox's bodies as the ledger keeps them" \
    "$(ledger_sql fulfil.db "select rec(m.payload, i.message_id, m.recipient) from messages as m join message_ids as i using (id) order by id limit 1")" \
    "$(head -n 1 outbox.ndjson)"
if on_pg; then
	skip "bodies kept without the message id and recipient of their columns" \
	    "SQLite's packing cuts them, not on PostgreSQL (bodies whole)"
else
	is "bodies kept without the message id and recipient of their columns" \
	    "$(ledger_sql fulfil.db "select count(*) from messages as m join message_ids as i using (id) where instr(rec(m.payload), i.message_id) = 0 and instr(rec(m.payload), m.recipient) = 0")" \
	    "$N"
fi
done_testing
