#!/bin/sh
# Schema 26, the manifests' parcels (issue 19): a ledger at version 25,
# filled through the whole pipe, comes up to 26 with nothing lost.  26's
# manifest_parcel_log names a parcel's manifest by its row in manifests
# and its order by its row in orders (ord), its service and currency by
# their ids in event_names, and its time in seconds since its run's t0
# (off empty when it is the run's).  The view manifest_parcels says the
# columns as before.  A parcel whose order the ledger does not have
# names it by source and order_id.  The ledger at 25 is this build's,
# given version 25's tables back by hand (lib.sh's sql_to25).
. "$FULFIL_ROOT/tests/e2e/lib.sh"
pipe_setup
pipe_fill 30
n=$(ledger_sql fulfil.db "select count(*) from manifest_parcels")
is "at 26: every parcel names its order by its row, its manifest by its" \
    "$(ledger_sql fulfil.db "select count(*), count(ord), count(source),
	count(order_id), count(distinct manifest) from manifest_parcel_log")" \
    "$n|$n|0|0|$(ledger_sql fulfil.db "select count(*) from manifests")"
is "at 26: the times from the run's start, in the run's offset" \
    "$(ledger_sql fulfil.db "select count(*) from manifest_parcel_log
	where dispatched_at = 0 and off is null")" "$n"

# Each parcel as the view says it, against what dispatch wrote on the
# order: its manifest, service, currency and time.
view() {	# the view's rows, parcel by parcel, in the record's words
	ledger_sql fulfil.db "select source, order_id, manifest, service,
	    coalesce(currency, '-'), fulfil_at(dispatched_at, off)
	    from manifest_parcels order by 1, 2, tracking"
}
view >view.txt
jq -r '. as $o | .shipment.parcels[] | [$o.source, $o.order_id,
    $o.dispatch.manifest, ($o.shipment.service // "standard"),
    ($o.currency // "-"), $o.dispatch.dispatched_at, .tracking] | join("|")' \
    out.ndjson | sort -t '|' -k 1,2 -k 7,7 | cut -d '|' -f 1-6 >records.txt
same "at 26: the view says what dispatch wrote on each order" view.txt records.txt

dump() {	# every column of the view, parcel by parcel
	ledger_sql fulfil.db "select tracking, manifest, seq, source, order_id,
	    service, n, m, weight_g, cod, currency, handling, run,
	    dispatched_at, off from manifest_parcels order by 1"
}
dump >before.txt
ledger_sql fulfil.db "$(sql_to25)
    $(sql_version 25)"
if on_pg; then
	kind="select table_type from information_schema.tables
	    where table_name = 'manifest_parcels'"
else
	kind="select type from sqlite_master where name = 'manifest_parcels'"
fi
is "at 25: manifest_parcels a table" \
    "$(ledger_sql fulfil.db "$kind")" "$(on_pg && echo 'BASE TABLE' || echo table)"
dump >at25.txt
same "at 25: the same parcels" at25.txt before.txt

# Rows as 25 may have them: a time in another offset than its run's,
# and (SQLite's) a time kept as the text it came as.
first=$(head -n 1 before.txt | cut -d '|' -f 1)
second=$(sed -n 2p before.txt | cut -d '|' -f 1)
ledger_sql fulfil.db "update manifest_parcels set dispatched_at =
    dispatched_at + 3600, off = -300 where tracking = '$first'"
on_pg || ledger_sql fulfil.db "update manifest_parcels
    set dispatched_at = '2026-11-23 10:00' where tracking = '$second'"
dump >before.txt

# New orders through the pipe on the ledger at 25: migrated first.
pipe_more
is "notify on the ledger at 25: migrated" "$rc" 0
is "at version 26" "$(ledger_version fulfil.db)" 26
dump | grep -v '|N' >after.txt
same "the parcels from before, as they were" after.txt before.txt
is "every parcel names its order by its row" \
    "$(ledger_sql fulfil.db "select count(*) - count(ord) from manifest_parcel_log")" 0
is "the other offset kept, the seconds from the run's start" \
    "$(ledger_sql fulfil.db "select p.off, p.dispatched_at + r.t0
	from manifest_parcel_log as p join runs as r on r.id = p.run
	where p.tracking = '$first'")" \
    "$(grep "^$first|" before.txt | cut -d '|' -f 15,14 |
	awk -F '|' '{ print $2 "|" $1 }')"
if on_pg; then
	skip "a time kept as text stays text" "SQLite's"
else
	is "a time kept as text stays text" \
	    "$(sqlite3 fulfil.db "select typeof(dispatched_at), dispatched_at
		from manifest_parcel_log where tracking = '$second'")" \
	    "text|2026-11-23 10:00"
fi
is "the new orders' parcels, by the view" \
    "$(ledger_sql fulfil.db "select count(*) from manifest_parcels
	where order_id like 'N%' and seq > 0")" \
    "$(jq '.shipment.parcels | length' more.dis | paste -sd+ | bc)"

# An order the ledger does not have: its parcels name it by source and
# order_id, the view too, and dispatch given it again finds them there.
y=$(head -n 1 more.dis | jq -c '.order_id = "Y1" | .status = "labelled"
    | del(.dispatch) | .shipment.parcels |= map(.tracking = "Y1-" + .tracking)
    | .shipment.tracking = "Y1-" + .shipment.tracking')
printf '%s\n' "$y" >y1.ndjson
run dispatch y1.ndjson
is "an order not in the ledger: dispatched" "$rc $(jq -r .status out)" "0 dispatched"
is "its parcels name it by source and order_id" \
    "$(ledger_sql fulfil.db "select count(*), count(ord) from manifest_parcel_log
	where order_id = 'Y1'")" "$(jq '.shipment.parcels | length' y1.ndjson)|0"
is "the view too" \
    "$(ledger_sql fulfil.db "select count(*) from manifest_parcels
	where order_id = 'Y1' and source = '$(jq -r .source y1.ndjson)'")" \
    "$(jq '.shipment.parcels | length' y1.ndjson)"
run dispatch y1.ndjson
is "again: on its manifest once" "$rc $(ledger_sql fulfil.db "select count(*)
    from manifest_parcels where order_id = 'Y1'")" \
    "0 $(jq '.shipment.parcels | length' y1.ndjson)"

# Closed: each manifest lists its parcels, the old and the new.
run dispatch --close -o day
is "close: exit 0" "$rc" 0
for f in day/manifest-*.csv; do
	/usr/bin/python3 -c 'import csv, sys
for r in csv.DictReader(open(sys.argv[1])): print(r["tracking"])' "$f"
done | sort >listed.txt
ledger_sql fulfil.db "select tracking from manifest_parcels" | sort >all.txt
same "close: every parcel on its manifest's list" listed.txt all.txt

if on_pg; then
	skip "sound" "SQLite's integrity_check"
else
	is "sound" "$(sqlite3 fulfil.db 'pragma integrity_check')" ok
fi
done_testing
