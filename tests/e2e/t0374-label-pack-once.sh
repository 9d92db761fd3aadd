#!/bin/sh
# label --pack prints an order's label exactly once: two stations
# scanning the same order at once (the second sees the first's box and
# label), and a run that died with the box full but before its label
# (the next scan of the order labels it).
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup

ingest-orders -q "$DATA/pick-orders.ndjson" | pick-list -q >picked.ndjson

# wait_scans N: till the ledger holds N scans.
wait_scans() {
	i=0
	while [ "$(ledger_sql fulfil.db 'select count(*) from pack_scans')" -lt "$1" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

# Two stations, one order (P-2: POT-1, BOOK-1), scans interleaved.
mkfifo a b
label --pack --station a -o labels <a >a.out 2>a.err &
pa=$!
label --pack --station b -o labels <b >b.out 2>b.err &
pb=$!
exec 3>a 4>b
echo web:P-2 >&3; wait_scans 1
echo web:P-2 >&4; wait_scans 2
echo POT-1 >&3; wait_scans 3
echo POT-1 >&4; wait_scans 4
echo BOOK-1 >&4; wait_scans 6
# Station a scans again once b's label is in (under valgrind labelling
# takes seconds; a scan in the meantime is an extra item, no label).
i=0
while [ "$(ledger_sql fulfil.db "select status from orders where order_id = 'P-2'")" != labelled ] && [ $i -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
echo BOOK-1 >&3
exec 3>&- 4>&-
wait $pa && ra=0 || ra=$?
wait $pb && rb=0 || rb=$?
is "station b: its POT-1 was a's" "$(grep '<stdin>:2' b.err)" \
    "label: <stdin>:2: extra item: order P-2 has all 1 of POT-1 in the box: take this one out"
is "station b filled the box and labelled it" "$(jq -r .order_id b.out)" P-2
is "station a: the order is labelled when it scans again" "$(grep '<stdin>:3' a.err)" \
    "label: <stdin>:3: order P-2 is labelled: nothing to pack"
is "station a wrote no record" "$(cat a.out)" ""
is "exit: a 1, b 1" "$ra $rb" "1 1"
is "one label" "$(ledger_sql fulfil.db "select count(*) from prints join parcels using (tracking) where order_id = 'P-2'")" 1
is "the scans by station" \
    "$(ledger_sql fulfil.db "select station, code, verdict from pack_scans order by id" | tr '\n' ' ')" \
    "a|web:P-2|order b|web:P-2|order a|POT-1|item b|POT-1|extra b|BOOK-1|item b|BOOK-1|complete a|BOOK-1|refused "

# A run that died after the box was full and before the label: its
# scans are in the ledger, the order still picked.
ledger_sql fulfil.db "insert into pack_scans (run, source, order_id, code, sku, verdict, at) values
    (99, 'web', 'P-7', 'web:P-7', null, 'order', '2026-11-23T10:00:00+08:00'),
    (99, 'web', 'P-7', 'BOOK-1', 'BOOK-1', 'item', '2026-11-23T10:00:00+08:00'),
    (99, 'web', 'P-7', 'BOOK-1', null, 'complete', '2026-11-23T10:00:00+08:00')"
echo web:P-7 | label --pack -o labels >out 2>err && rc=0 || rc=$?
is "the full box found: labelled" "$(sed -n 1,2p err)" \
"label: order P-7: open; 1 of 1 in the box; complete
label: order P-7: packed: label printed"
is "its record" "$(jq -r '[.order_id, .status] | join(" ")' out)" "P-7 labelled"
echo web:P-7 | label --pack -o labels >out 2>err && rc=0 || rc=$?
is "once" "$(ledger_sql fulfil.db "select count(*) from prints join parcels using (tracking) where order_id = 'P-7'")" 1

done_testing
