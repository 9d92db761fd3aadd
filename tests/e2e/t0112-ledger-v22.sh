#!/bin/sh
# Schema 22 (issue 19): a ledger at version 21, filled through the whole
# pipe, comes up to 22 with nothing lost.  22 drops the index of picks
# by time and manifest_parcels' index by manifest, and keeps
# manifest_parcels without a rowid, keyed by tracking: a parcel's place
# on its manifest, which the rowid gave, is seq, counted by the
# manifest's last_seq.  The ledger at 21 is this build's, given back
# version 21's tables by hand (lib.sh's sql_to21), its parcels put on
# their manifests in the reverse of the order they came, so that the
# order the migration keeps is not the tracking numbers'.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
pipe_setup
pipe_fill 30
is "at 22: each manifest numbers its parcels from 1" \
    "$(ledger_sql fulfil.db "select count(*) = max(seq) and min(seq) = 1
	and count(distinct seq) = count(*) from manifest_parcels group by manifest" | sort -u)" \
    "$(on_pg && echo t || echo 1)"
is "at 22: a manifest's last_seq is its count" \
    "$(ledger_sql fulfil.db "select id, last_seq from manifests order by 1" | tr '\n' ' ')" \
    "$(ledger_sql fulfil.db "select manifest, count(*) from manifest_parcels group by 1 order by 1" | tr '\n' ' ')"

# Every column of the tables 22 changes but seq and last_seq, as it was.
dump() {
	ledger_sql fulfil.db "select tracking, manifest, source, order_id,
	    service, n, m, weight_g, cod, currency, handling,
	    fulfil_at(dispatched_at, off), run from manifest_parcels order by 1"
	ledger_sql fulfil.db "select id, carrier, ship_date, status, opened_at,
	    closed_at from manifests order by 1"
	ledger_sql fulfil.db "select source, order_id, sku, qty, batch, at,
	    released_at from picks order by 1, 2, 3"
}
dump >before.txt
# Version 21: each manifest's parcels came in the reverse order.
if on_pg; then
	version="update fulfil_meta set value = '21' where key = 'schema_version'"
else
	version="pragma user_version = 21"
fi
ledger_sql fulfil.db "update manifest_parcel_log set seq = (select last_seq
	from manifests as f where f.rowid = manifest) + 1 - seq;
    $(sql_to21)
    $version;"
ledger_sql fulfil.db "select manifest, tracking from manifest_parcels
    order by rowid" >order21.txt
is "at 21: the parcels in an order not their tracking numbers'" \
    "$(sort order21.txt | cmp -s - order21.txt && echo same || echo other)" other
is "at 21: the index by time and the index by manifest" \
    "$(ledger_sql fulfil.db "$(if on_pg; then
	echo "select indexname from pg_indexes where indexname like '%by_%'"
    else
	echo "select name from sqlite_master where name like '%by_%'"
    fi) order by 1" | grep -E 'picks|manifest' | tr '\n' ' ')" \
    "manifest_parcels_by_manifest picks_by_time "

# A new order, dispatched onto the open manifests: migrated first.
"$FULFIL_ROOT/scripts/gen-orders" -n 3 -s 4 --catalog catalog.csv |
    jq -c '.order_id = "N" + .order_id' >more.ndjson
ingest-orders -q more.ndjson | pick-list -q | label -q -f zpl -o labels >more.lab
run dispatch more.lab
is "dispatch on the ledger at 21: migrated" "$rc" 0
got=$(ledger_version fulfil.db)
is "at version 26 (through 22, 23, 24, 25)" "$got" 26
dump | grep -v '|N' >after.txt
same "every row reads as it did" after.txt before.txt
ledger_sql fulfil.db "select manifest, tracking from manifest_parcels
    where order_id not like 'N%' order by manifest, seq" >order22.txt
sort -s -t '|' -k 1,1 order21.txt >want.txt
same "seq: each manifest's parcels in the order they came" order22.txt want.txt
is "the new parcels after them, numbered on" \
    "$(ledger_sql fulfil.db "select count(*) from manifest_parcels p where
	order_id like 'N%' and seq > (select count(*) from manifest_parcels q
	where q.manifest = p.manifest and q.order_id not like 'N%')")" \
    "$(jq -s '[.[].shipment.parcels | length] | add' more.lab)"
is "last_seq: each manifest's count" \
    "$(ledger_sql fulfil.db "select id, last_seq from manifests order by 1" | tr '\n' ' ')" \
    "$(ledger_sql fulfil.db "select manifest, max(seq) from manifest_parcels group by 1 order by 1" | tr '\n' ' ')"
is "the two indexes gone" \
    "$(ledger_sql fulfil.db "$(if on_pg; then
	echo "select indexname from pg_indexes where indexname in"
    else
	echo "select name from sqlite_master where name in"
    fi) ('picks_by_time', 'manifest_parcels_by_manifest')")" ""
if on_pg; then
	skip "manifest_parcels without a rowid" "SQLite's"
else
	# From 26 the table is manifest_parcel_log (the view has the name).
	is "manifest_parcels without a rowid" \
	    "$(sqlite3 fulfil.db "select sql like '%WITHOUT ROWID' from sqlite_master where name = 'manifest_parcel_log'")" 1
	is "sound" "$(sqlite3 fulfil.db 'pragma integrity_check; pragma foreign_key_check')" ok
fi

# The manifests closed: each lists its parcels in the order they came.
run dispatch --close -o day
is "close: exit 0" "$rc" 0
for m in $(cut -d '|' -f 1 want.txt | sort -u); do
	grep "^$m|" want.txt | cut -d '|' -f 2 >"want-$m.txt"
	ledger_sql fulfil.db "select tracking from manifest_parcels p
	    where manifest = '$m' and order_id like 'N%' order by seq" >>"want-$m.txt"
	/usr/bin/python3 -c 'import csv, sys
for r in csv.DictReader(open(sys.argv[1])): print(r["tracking"])' \
	    "day/manifest-$m.csv" >"got-$m.txt"
	same "close: $m in its parcels' order" "got-$m.txt" "want-$m.txt"
done
done_testing
