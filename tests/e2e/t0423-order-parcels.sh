#!/bin/sh
# An order's parcels on the manifests, as followup and a cancellation
# after dispatch find them (by tracking number: lib/ledger_journey.c,
# lib/ledger_manifests.c): an order is delivered when every parcel of it
# on a manifest is, a voided label on no manifest is none of them, a
# parcel labelled elsewhere (no label in this ledger) is one; a
# cancellation takes the order's parcels off a manifest still open,
# those labelled elsewhere too, and leaves those on a closed one.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup
q() { ledger_sql fulfil.db "$1" | tr '\n' ' '; }
status() { q "select order_id || ':' || status from orders where order_id in ($1) order by order_id"; }
on_manifests() {
	q "select order_id || ':' || manifest from manifest_parcels
	    where order_id in ($1) order by order_id, n"
}

# P-5 goes in two parcels; P-4 is held; P-7 comes from another
# warehouse's ledger, labelled.
grep -v '"P-7"' "$DATA/pick-orders.ndjson" | ingest-orders -q |
    pick-list -q >picked.ndjson
label -q picked.ndjson >labelled.ndjson
trk() { jq -r "select(.order_id == \"$1\") | .shipment.parcels[$2].tracking" "$3"; }
is "P-5 in two parcels" "$(jq -r 'select(.order_id == "P-5") | .shipment.parcels | length' labelled.ndjson)" 2

# P-1's label voided, and labelled again.
label -q --void "$(trk P-1 0 labelled.ndjson)"
grep '"P-1"' picked.ndjson | label -q >relabelled.ndjson
v1=$(trk P-1 0 labelled.ndjson)
is "P-1 labelled again, a new number" "$(trk P-1 0 relabelled.ndjson | grep -cv "^$v1\$")" 1

# P-7 labelled by another ledger (numbers this one never gave); P-2 with
# a second parcel labelled so.
grep '"P-7"' "$DATA/pick-orders.ndjson" | ingest-orders -q --db other.db |
    pick-list -q --db other.db | label -q --db other.db | jq -c '.shipment.tracking = "SF990000000007"
    | .shipment.parcels[0].tracking = "SF990000000007"' >elsewhere.ndjson
jq -c 'select(.order_id == "P-2") | .shipment.parcels += [{"n": 2,
    "tracking": "SF990000000002", "weight_g": 100}]' labelled.ndjson >p2.ndjson
is "P-7: labelled, and not here" "$(jq -r .status elsewhere.ndjson) $(q "select count(*) from orders where order_id = 'P-7'")" "labelled 0 "

# P-6 on today's manifest, closed; the rest on tomorrow's, open.
export FULFIL_NOW=2026-11-23T16:00:00+08:00
grep '"P-6"' labelled.ndjson | dispatch -q >/dev/null
dispatch -q --close -o manifests >/dev/null
{
	grep -E '"P-(3|5)"' labelled.ndjson
	cat relabelled.ndjson p2.ndjson elsewhere.ndjson
} >todispatch.ndjson
run dispatch todispatch.ndjson
is "dispatch: exit 0" "$rc" 0
is "on the manifests, each parcel" "$(on_manifests "'P-1','P-2','P-3','P-5','P-6','P-7'")" \
    "P-1:SF-20261124 P-2:SF-20261124 P-2:SF-20261124 P-3:SF-20261124 P-5:SF-20261124 P-5:SF-20261124 P-6:SF-20261123 P-7:SF-20261124 "
is "P-1's voided label is on no manifest" \
    "$(q "select count(*) from manifest_parcels where tracking = '$v1'")" "0 "

# followup: delivered when every parcel is.
export FULFIL_NOW=2026-11-25T12:00:00+08:00
ev() {
	printf '{"type":"tracking","tracking":"%s","carrier":"sf","status":"%s","occurred_at":"2026-11-25T%s:00+08:00"}\n' "$@"
}
ev "$(trk P-5 0 labelled.ndjson)" delivered 09:00 >e1.ndjson
ev "$(trk P-1 0 relabelled.ndjson)" delivered 09:05 >>e1.ndjson
ev "$(trk P-2 0 labelled.ndjson)" delivered 09:10 >>e1.ndjson
run followup -q e1.ndjson
is "followup: exit 0" "$rc" 0
is "P-5 one of two delivered: in transit; P-1 delivered, its voided label no parcel; P-2's parcel labelled elsewhere not delivered" \
    "$(status "'P-1','P-2','P-5'")" "P-1:delivered P-2:in_transit P-5:in_transit "
is "the record says which parcel" \
    "$(ledger_sql fulfil.db "select rec(record) from orders where order_id = 'P-5'" | jq -c '[.status, .delivery.status, .delivery.tracking]')" \
    "[\"in_transit\",\"delivered\",\"$(trk P-5 0 labelled.ndjson)\"]"
ev "$(trk P-5 1 labelled.ndjson)" delivered 10:00 >e2.ndjson
run followup -q e2.ndjson
is "P-5's second parcel delivered: delivered" "$(status "'P-5'")" "P-5:delivered "
ev SF990000000002 delivered 10:05 >e3.ndjson
run followup -q e3.ndjson
is "a parcel labelled elsewhere: no event of ours" "$rc $(grep -c 'not a parcel of ours' err)" "1 1"
is "P-2 stays in transit" "$(status "'P-2'")" "P-2:in_transit "

# Cancelled: P-3 and P-7 come off tomorrow's manifest, open; P-6 left
# on the closed one, for the carrier to intercept.
jq -c 'select(.order_id == "P-3" or .order_id == "P-6" or .order_id == "P-7")
    | .status = "cancelled"' "$DATA/pick-orders.ndjson" >cancel.ndjson
run ingest-orders -q cancel.ndjson
is "cancel: exit 0" "$rc" 0
# (P-7 was never accepted here: its cancellation is the ledger's only.)
is "what each was, and where it came off" \
    "$(ledger_sql fulfil.db "select rec(record) from orders where order_id in ('P-3', 'P-6', 'P-7') order by order_id" |
	jq -r '[.order_id, .cancellation.was, .cancellation.off_manifest // "-", (.cancellation.intercept.manifest // "-")] | join(" ")' | tr '\n' ',')" \
    "P-3 dispatched SF-20261124 -,P-6 dispatched - SF-20261123,P-7 dispatched SF-20261124 -,"
is "left on the manifests" "$(on_manifests "'P-1','P-2','P-3','P-5','P-6','P-7'")" \
    "P-1:SF-20261124 P-2:SF-20261124 P-2:SF-20261124 P-5:SF-20261124 P-5:SF-20261124 P-6:SF-20261123 "
is "the audit trail" \
    "$(q "select order_id || ' ' || detail from events where what = 'manifest.taken_off' order by order_id")" \
    "P-3 SF-20261124 P-7 SF-20261124 "
done_testing
