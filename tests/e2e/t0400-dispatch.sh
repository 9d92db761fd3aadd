#!/bin/sh
# dispatch: parcels onto their carrier's manifest for the pickup day,
# order-to-ship times, lateness and an honest new delivery date, re-runs,
# bad orders, and --close with its CSV, text, JSON and PDF.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup

# P-2 is cash on delivery; P-5 goes by post, the rest by sf.
jq -c 'if .order_id == "P-2" then .payment = {method: "cod", cod_amount: 78600} else . end' \
    "$DATA/pick-orders.ndjson" | ingest-orders -q | pick-list -q >picked.ndjson
grep '"P-5"' picked.ndjson | label -q --carrier post >labelled.ndjson
grep -v '"P-5"' picked.ndjson | label -q >>labelled.ndjson
# Dispatched at 16:45, before both pickups.
export FULFIL_NOW=2026-11-23T16:45:00+08:00
run dispatch labelled.ndjson
is "exit 0" "$rc" 0
is "summary" "$(cat err)" \
    "dispatch: 7 read, 6 dispatched (6 parcels, 0 again), 0 late, 1 passed through, 0 rejected; order to ship p50 7h15m, p95 7h45m; manifests: POST-20261123 SF-20261123"
d() { jq -c --arg id "$1" "select(.order_id == \$id) | $2" out; }
is "dispatch of P-1" "$(d P-1 .dispatch)" \
    '{"manifest":"SF-20261123","dispatched_at":"2026-11-23T16:45:00+08:00","order_to_ship_s":27900,"late":false,"expected_delivery":"2026-11-25T23:59:59+08:00"}'
is "status" "$(d P-1 .status)" '"dispatched"'
is "post's manifest" "$(d P-5 .dispatch.manifest)" '"POST-20261123"'
is "held orders pass through" "$(d P-4 .status)" '"held"'
cp out first.ndjson
is "ledger: parcels on manifests" \
    "$(ledger_sql fulfil.db 'select manifest, count(*) from manifest_parcels group by manifest order by manifest' | tr '\n' ' ')" \
    "POST-20261123|1 SF-20261123|5 "

# Again: the same manifest, nothing added.
run dispatch labelled.ndjson
is "re-run: the same records, the same manifests" "$(sort out | md5sum)" "$(sort first.ndjson | md5sum)"
is "re-run: no parcel twice" "$(ledger_sql fulfil.db 'select count(*) from manifest_parcels')" 6

# End of day.
run dispatch --close -o day
is "close: exit 0" "$rc" 0
is "close: says what" "$(cat err)" \
    "dispatch: POST-20261123 closed: 1 parcel, written to day
dispatch: SF-20261123 closed: 5 parcels, written to day"
is "close: files" "$(ls day | tr '\n' ' ')" \
    "manifest-POST-20261123.csv manifest-POST-20261123.json manifest-POST-20261123.pdf manifest-POST-20261123.txt manifest-SF-20261123.csv manifest-SF-20261123.json manifest-SF-20261123.pdf manifest-SF-20261123.txt "
is "close: JSON summary on stdout" "$(jq -c 'select(.manifest == "SF-20261123") | [.pieces, .weight_g, .cod.CNY.amount]' out)" \
    "[5,3870,78600]"
is "CSV header" "$(head -n 1 day/manifest-SF-20261123.csv)" \
    '"manifest","carrier","account","ship_date","origin","tracking","order_id","service","parcel","weight_kg","cod_amount","cod_currency","handling"'
is "CSV: a row per parcel" "$(($(wc -l <day/manifest-SF-20261123.csv) - 1))" 5
check "CSV: the COD parcel" grep -q '"P-2","standard","1/1","1.200","786.00","CNY","fragile, upright"' day/manifest-SF-20261123.csv
check "text: COD to collect" grep -q "cash on delivery: CNY 786.00 on 1 pieces" day/manifest-SF-20261123.txt
pdftoppm -r 200 -png -f 1 -l 1 day/manifest-SF-20261123.pdf hand
is "PDF: the driver scans the manifest id" "$(zbarimg --raw -q hand-1.png 2>/dev/null)" SF-20261123
is "ledger: closed" "$(ledger_sql fulfil.db "select status from manifests order by id" | tr '\n' ' ')" "closed closed "

run dispatch -o day labelled.ndjson
is "-o without --close: exit 2" "$rc" 2
is "-o without --close: says why" "$(cat err)" \
    "dispatch: -o is where --close writes the manifests; dispatch writes orders on stdout"

run dispatch --close -o day
is "close again: exit 0" "$rc" 0
is "close again: nothing changes, and it says so" "$(tail -n 1 err)" \
    "dispatch: no open manifest to close; nothing changed"

# After the close, a parcel goes onto the next pickup's manifest; late,
# it is flagged and its delivery date recomputed.
jq -c 'select(.order_id == "P-3") | .order_id = "P-9" | .shipment.tracking = "SF000000000099" |
    .shipment.parcels[0].tracking = "SF000000000099"' labelled.ndjson >late.ndjson
FULFIL_NOW=2026-11-24T19:00:00+08:00 run dispatch late.ndjson
is "late: next pickup's manifest" "$(jq -r .dispatch.manifest out)" SF-20261125
is "late: flagged" "$(jq -c '[.dispatch.late, .dispatch.expected_delivery, .promise.at_risk]' out)" \
    '[true,"2026-11-28T23:59:59+08:00",true]'

# Bad orders.
{
	jq -c 'select(.order_id == "P-1") | .order_id = "D-1" | .status = "picked" | del(.shipment)' labelled.ndjson
	jq -c 'select(.order_id == "P-1") | .order_id = "D-2" | del(.shipment.tracking)' labelled.ndjson
	jq -c 'select(.order_id == "P-1") | .order_id = "D-3" | .shipment.carrier = "dhl"' labelled.ndjson
	jq -c 'select(.order_id == "P-5") | .order_id = "D-4" | .payment = {method: "cod", cod_amount: 100}' labelled.ndjson
	jq -c 'select(.order_id == "P-1") | .order_id = "D-5" | .shipment.carrier = "post"' labelled.ndjson
} >bad.ndjson
run dispatch --rejects rej.ndjson bad.ndjson
is "bad: exit 1" "$rc" 1
cat >want <<'W'
dispatch: bad.ndjson:1: order D-1: not labelled (status picked)
dispatch: bad.ndjson:2: order D-2: no tracking number
dispatch: bad.ndjson:3: order D-3: carrier 'dhl' is not in fulfil.json
dispatch: bad.ndjson:4: order D-4: cash on delivery, but carrier post does not collect it
dispatch: bad.ndjson:5: order D-5: parcel SF000000000001 is already on closed manifest SF-20261123 of carrier sf
W
head -n 5 err >got
same "bad: one line each" got want
is "bad: set aside whole" "$(jq -r .order_id rej.ndjson | tr '\n' ' ')" "D-1 D-2 D-3 D-4 D-5 "

# kill -9 mid-run, and two runs at once: each parcel on one manifest.
jq -c 'select(.order_id == "P-1") | . as $o | range(1; 3001) |
    $o + {order_id: "K-\(.)"} | .shipment.tracking = "KK\(.)" |
    .shipment.parcels[0].tracking = "KK\(.)"' labelled.ndjson >big.ndjson
dispatch -q --db k.db big.ndjson >/dev/null 2>&1 &
pid=$!
sleep 1
kill -9 $pid 2>/dev/null || true
wait $pid 2>/dev/null || true
dispatch -q --db k.db big.ndjson >k1 &
pa=$!
dispatch -q --db k.db big.ndjson >k2 &
wait $pa $! || :
is "after kill -9 and two runs at once: every parcel once" \
    "$(sqlite3 k.db 'select count(*), count(distinct tracking) from manifest_parcels')" "3000|3000"
is "both runs say the same manifest" "$(jq -r .dispatch.manifest k1 | sort -u)" "$(jq -r .dispatch.manifest k2 | sort -u)"

# A line too long to be a record: said, counted, the rest dispatched.
{
	head -n 1 labelled.ndjson | jq -c '.order_id = "T-1" | .shipment.tracking = "TT1" |
	    .shipment.parcels[0].tracking = "TT1"'
	head -c 17000000 /dev/zero | tr '\0' x
	echo
	head -n 1 labelled.ndjson | jq -c '.order_id = "T-2" | .shipment.tracking = "TT2" |
	    .shipment.parcels[0].tracking = "TT2"'
} >long.ndjson
run dispatch --db t.db long.ndjson
is "too long: exit 1" "$rc" 1
is "too long: said" "$(head -n 1 err)" "dispatch: long.ndjson:2: line too long, skipped"
is "too long: the others dispatched" "$(jq -r .order_id out | tr '\n' ' ')" "T-1 T-2 "

# A voided label cannot leave the building: a stale copy of an order
# labelled again is refused.
ingest-orders -q --db v.db "$DATA/pick-orders.ndjson" | pick-list -q --db v.db |
    label -q --db v.db >v.ndjson
label -q --db v.db --void SF000000000001
label -q --db v.db --pending </dev/null >/dev/null
run dispatch --db v.db v.ndjson
is "voided: exit 1" "$rc" 1
check "voided: refused" grep -q "order P-5: label SF000000000001 was voided" err
done_testing
