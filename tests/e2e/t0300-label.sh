#!/bin/sh
# label: carrier by country, COD, weight and rate; tracking numbers from
# the ledger exactly once; reprints, voids, two runs at once; bad input.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup

ingest-orders -q "$DATA/pick-orders.ndjson" | pick-list -q >picked.ndjson
run label picked.ndjson
is "exit 0" "$rc" 0
is "summary" "$(tail -n 1 err)" \
    "label: 7 read, 6 labelled, 0 reprinted (7 parcels), 1 passed through, 0 rejected"
# Post is cheaper for heavy parcels, but takes six days: every order's
# promise (deliver by Wednesday) needs sf.
is "carrier, tracking and parcels, in pipeline order" \
    "$(jq -r '[.order_id, .status, .shipment.carrier // "-", .shipment.tracking // "-", (.shipment.parcels // [] | length)] | join(" ")' out | tr '\n' ',')" \
    "P-5 labelled sf SF000000000001 2,P-1 labelled sf SF000000000003 1,P-6 labelled sf SF000000000004 1,P-2 labelled sf SF000000000005 1,P-3 labelled sf SF000000000006 1,P-7 labelled sf SF000000000007 1,P-4 held - - 0,"
ship() { jq -c --arg id "$1" "select(.order_id == \$id) | $2" out; }
is "weight: catalog plus packaging" "$(ship P-1 .shipment.weight_g)" 670
is "tracking URL from the carrier's template" "$(ship P-1 .shipment.tracking_url)" \
    '"https://www.sf-express.com/track?no=SF000000000003"'
is "parcels" "$(ship P-3 .shipment.parcels)" \
    '[{"n":1,"tracking":"SF000000000006","weight_g":900}]'
is "ledger: every number once" \
    "$(ledger_sql fulfil.db 'select count(*), count(distinct tracking) from parcels')" "7|7"
is "ledger: next serials" "$(ledger_sql fulfil.db 'select carrier, next from serials order by carrier' | tr '\n' ' ')" \
    "sf|8 "
is "ledger: status" "$(ledger_sql fulfil.db "select status from orders where order_id = 'P-2'")" labelled

# A heavy COD order: only sf collects, and sf takes 10 kg a parcel.
jq -c 'select(.order_id == "P-5") | .order_id = "P-8" | .payment = {method: "cod", cod_amount: 12000}' \
    picked.ndjson >cod.ndjson
run label cod.ndjson
is "COD, 12.4 kg: sf in two parcels" "$(jq -c '[.shipment.carrier, [.shipment.parcels[] | [.tracking, .weight_g]]]' out)" \
    '["sf",[["SF000000000008",6400],["SF000000000009",6100]]]'

# Again: the same numbers, nothing new handed out, nothing printed twice.
run label picked.ndjson
is "re-run: passed on as labelled" "$(tail -n 1 err)" \
    "label: 7 read, 0 labelled, 0 reprinted (0 parcels), 7 passed through, 0 rejected"
is "re-run: same numbers" "$(jq -r '.shipment.tracking // "-"' out | tr '\n' ' ')" \
    "SF000000000001 SF000000000003 SF000000000004 SF000000000005 SF000000000006 SF000000000007 - "
is "re-run: no new parcels" "$(ledger_sql fulfil.db 'select count(*) from parcels')" 9

# Void: the number is never used again; --pending labels the order anew.
run label --void SF000000000003
is "void: exit 0" "$rc" 0
is "void: says so" "$(cat err)" "label: SF000000000003 voided (order P-1)"
is "void: back to picked" "$(ledger_sql fulfil.db "select status from orders where order_id = 'P-1'")" picked
run label --void SF000000000003
is "void twice: exit 1" "$rc" 1
is "void twice: says so" "$(cat err)" "label: SF000000000003: already voided"
run label --void XX123
is "void an unknown number: exit 1" "$rc" 1
run label --pending </dev/null
is "relabelled with a new number" "$(jq -r '[.order_id, .shipment.tracking] | join(" ")' out)" \
    "P-1 SF000000000010"
is "the voided number stays voided" \
    "$(ledger_sql fulfil.db "select count(voided_at) from parcels where tracking = 'SF000000000003'")" 1
is "audit trail" "$(ledger_sql fulfil.db "select what from events where order_id = 'P-1' and tool = 'label' order by id" | tr '\n' ' ')" \
    "labelled label.voided labelled "

# kill -9 in the middle of a run, then run again: every parcel one
# number, no number twice, no serial skipped or reused.
jq -c 'select(.order_id == "P-1") | . as $o | range(1; 3001) | $o + {order_id: "K-\(.)"}' \
    picked.ndjson >big.ndjson
label -q --db k.db -o k big.ndjson >/dev/null 2>&1 &
pid=$!
sleep 1
kill -9 $pid 2>/dev/null || true
wait $pid 2>/dev/null || true
run label -q --db k.db -o k2 big.ndjson
is "after kill -9: exit 0" "$rc" 0
is "after kill -9: every order labelled, numbers distinct" \
    "$(jq -r .shipment.tracking out | sort -u | wc -l | tr -d ' ')" 3000
is "after kill -9: the ledger agrees, serials 1 to 3000" \
    "$(sqlite3 k.db 'select count(*), count(distinct tracking), min(serial), max(serial) from parcels')" \
    "3000|3000|1|3000"

# Two runs at once on a new ledger: every parcel numbered once.
fresh_ledger
ingest-orders -q "$DATA/pick-orders.ndjson" | pick-list -q >picked.ndjson
label -q picked.ndjson >a &
pa=$!
label -q picked.ndjson >b &
wait $pa $! || :
is "concurrent: no number twice" \
    "$(ledger_sql fulfil.db 'select count(*), count(distinct tracking), count(distinct source || order_id || n) from parcels')" "7|7|7"
is "concurrent: both print the same numbers" "$(jq -r '.shipment.tracking // "-"' a | sort)" \
    "$(jq -r '.shipment.tracking // "-"' b | sort)"
done_testing
