#!/bin/sh
# label: a carrier that names a helper gets its numbers from it
# (fulfil-carrier-helper(5)), one request per parcel under an idempotency
# key kept in the ledger before the call; a re-run asks nothing again;
# a voided label gets a new key and a new number.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup

use_helper
calls() { if [ -f helper.log ]; then wc -l <helper.log | tr -d ' '; else echo 0; fi; }

ingest-orders -q "$DATA/pick-orders.ndjson" | pick-list -q >picked.ndjson
run label -o L picked.ndjson
is "labelled: exit 0" "$rc" 0
is "labelled: summary" "$(tail -n 1 err)" \
    "label: 7 read, 6 labelled, 0 reprinted (7 parcels), 1 passed through, 0 rejected"
is "one call per parcel" "$(calls)" 7
is "the helper's numbers" \
    "$(jq -r 'select(.order_id == "P-5") | [.shipment.parcels[].tracking] | join(" ")' out)" \
    "SF500000000001 SF500000000002"
is "its sort codes and label data in the record" \
    "$(jq -c 'select(.order_id == "P-5") | [.shipment.parcels[] | [.sort_code, .carrier_label.route]]' out)" \
    '[["755-01","W1"],["755-02","W2"]]'
is "the request" \
    "$(jq -c 'select(.parcel.order_id == "P-5" and .parcel.n == 2) | [.op, .idempotency_key, .carrier, .service, .parcel.of, .parcel.weight_g > 0, .parcel.ship_to.country]' helper.log)" \
    '["allocate","web/P-5/sf/2-of-2/0","sf","standard",2,true,"CN"]'
is "each request kept and answered" \
    "$(ledger_sql fulfil.db "select count(*), count(answered_at), sum(attempts), count(error) from helper_requests")" \
    "7|7|7|0"
is "the ledger has the sort code" \
    "$(ledger_sql fulfil.db "select sort_code from parcels where tracking = 'SF500000000002'")" "755-02"
is "labels printed with the helper's numbers" \
    "$(grep -o 'SF50000000000[0-9]' L/*.zpl | sort -u | wc -l)" 7
is "each label shows its sort code" "$(grep -o 'SORT  755-0[0-9]' L/*.zpl | sort -u | wc -l)" 7
node "$FULFIL_ROOT/tests/zpl-render.js" "$(ls L/*.zpl | head -n 1)" first.png
is "with the sort code the rendered label still scans" \
    "$(zbarimg -q --raw first.png | grep -c '^SF5')" 1
run env HELPER_LOG=$T/pdf.log HELPER_STATE=$T/pdf.state label -f pdf -o P --db pdf.db picked.ndjson
is "the PDF label shows it too" \
    "$(pdftotext P/*.pdf - | grep -c '^SORT 755-0[0-9]$')" 7

# Again: the same numbers from the ledger, the helper not asked.
run label -o L picked.ndjson
is "again: exit 0" "$rc" 0
is "again: the helper not called" "$(calls)" 7
is "again: the same numbers" "$(jq -r '.shipment.tracking // empty' out | sort | tr '\n' ' ')" \
    "SF500000000001 SF500000000003 SF500000000004 SF500000000005 SF500000000006 SF500000000007 "

# Voided: a new key, a new number.
run label --void SF500000000003
is "void: exit 0" "$rc" 0
run label --pending -o L
is "after a void: labelled anew" "$(jq -r 'select(.order_id == "P-1") | .shipment.tracking' out)" \
    "SF500000000008"
is "after a void: a new key" "$(tail -n 1 helper.log | jq -r .idempotency_key)" "web/P-1/sf/1-of-1/1"

# The built-in range stays the default for carriers without a helper.
run label --carrier post -o M --db other.db picked.ndjson
is "no helper: the range" "$(jq -r '.shipment.tracking // empty' out | head -n 1 | cut -c1-2)" EE
is "no helper: not called" "$(calls)" 8

# A helper that is the empty string is a configuration error.
jq '.carriers[0].helper = ""' fulfil.json >bad.json
run label --config bad.json picked.ndjson
is "empty helper: exit 2" "$rc" 2
is "empty helper: says where" "$(cat err)" \
    \
    "label: bad.json: \$.carriers[0].helper: must be a non-empty string"
done_testing
