#!/bin/sh
# label --pack: a packer who stops (end of input, a kill) finds the box
# as it was when the order is scanned again; CANCEL empties it; leaving
# an order for another keeps what is in its box.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup

ingest-orders -q "$DATA/pick-orders.ndjson" | pick-list -q >picked.ndjson
# P-5: 2 x HEAVY-1 and 2 x TEA-2.
printf '%s\n' web:P-5 HEAVY-1 TEA-2 | label --pack -o labels >out 2>err && rc=0 || rc=$?
is "end of input mid-order: exit 0" "$rc" 0
is "said left unfinished" "$(tail -3 err | head -1)" \
    "label: order P-5: left unfinished, scan it again to go on; 2 of 4 in the box; left: 1 x HEAVY-1, 1 x TEA-2"
is "nothing labelled" "$(ls labels)" ""

echo web:P-5 | label --pack -o labels >out 2>err && rc=0 || rc=$?
is "the next run finds the box" "$(head -1 err)" \
    "label: order P-5: open; 2 of 4 in the box; left: 1 x HEAVY-1, 1 x TEA-2"

# Killed between scans: what was scanned is kept.
mkfifo scanner
label --pack -o labels <scanner >killed.out 2>killed.err &
pid=$!
exec 3>scanner
printf 'web:P-5\nHEAVY-1\n' >&3
i=0
while [ "$(ledger_sql fulfil.db "select count(*) from pack_scans where code = 'HEAVY-1'")" -lt 2 ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
kill -9 $pid
wait $pid 2>/dev/null || :
exec 3>&-
is "killed: its scans kept" \
    "$(ledger_sql fulfil.db "select count(*) from pack_scans where order_id = 'P-5' and verdict = 'item'")" 3

# Another order scanned first leaves P-5 as it is.
printf '%s\n' web:P-5 web:P-7 web:P-5 | label --pack -o labels >out 2>err && rc=0 || rc=$?
is "leaving an order for another says so" "$(sed -n 2p err)" \
    "label: order P-5: left unfinished, scan it again to go on; 3 of 4 in the box; left: 1 x TEA-2"

# CANCEL: the box empty, the next scan of the order starts again.
printf '%s\n' web:P-5 CANCEL web:P-5 | label --pack -o labels >out 2>err && rc=0 || rc=$?
is "cancelled" "$(sed -n 2p err)" \
    "label: order P-5: cancelled: take the 3 items out of the box"
is "then empty" "$(sed -n 3p err)" \
    "label: order P-5: open; 0 of 4 in the box; left: 2 x HEAVY-1, 2 x TEA-2"

# Two orders in a row, each labelled when its box is full.
printf '%s\n' web:P-5 HEAVY-1 TEA-2 HEAVY-1 TEA-2 web:P-7 BOOK-1 >scans
run label --pack -o labels <scans
is "two orders: exit 0" "$rc" 0
is "both labelled, in the order packed" "$(jq -r .order_id out | tr '\n' ' ')" "P-5 P-7 "
is "a lot file each" "$(ls labels | wc -l)" 2
is "the summary" "$(tail -2 err | head -1)" \
    "label: 7 scans, 2 orders packed, 0 left unfinished, 0 refused"

# The same scans again: nothing printed twice.
run label --pack -o labels <scans
is "again: exit 1 (both labelled)" "$rc" 1
is "again: no label" "$(ls labels | wc -l)" 2
is "one print per parcel in the ledger (P-5 has two)" \
    "$(ledger_sql fulfil.db "select count(*) from prints join parcels using (tracking) where order_id in ('P-5', 'P-7')")" 3
run label --pending -o labels
is "label --pending finds nothing of them" "$(jq -r 'select(.order_id == "P-5" or .order_id == "P-7") | .order_id' out)" ""
is "one print each still" "$(ledger_sql fulfil.db "select count(*) from prints join parcels using (tracking) where order_id in ('P-5', 'P-7')")" 3

done_testing
