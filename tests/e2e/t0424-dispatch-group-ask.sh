#!/bin/sh
# dispatch asks the ledger about the parcels of a group's orders at once,
# before any of them goes on a manifest (lib/dispatch.c's ask()).  An
# order twice in one group, or one whose stale line takes the ledger's
# record and goes on a manifest first, is found there the second time:
# dispatched again, its parcels on the manifest once.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup
grep -v '"P-7"' "$DATA/pick-orders.ndjson" | ingest-orders -q |
    pick-list -q >picked.ndjson
label -q picked.ndjson >labelled.ndjson
ledger_save labelled
line() { grep "\"$1\"" "$2"; }
on_manifest() {
	ledger_sql fulfil.db "select count(*) from manifest_parcels
	    where order_id = '$1'"
}
# The manifests the lines out name for order $1, one a line.
manifests() { jq -r "select(.order_id == \"$1\") | .dispatch.manifest" out; }

# P-1, P-3, P-1 again: one group, P-1's parcel asked about twice.
{
	line P-1 labelled.ndjson
	line P-3 labelled.ndjson
	line P-1 labelled.ndjson
} >twice.ndjson
run dispatch twice.ndjson
is "twice in a group: exit 0" "$rc" 0
is "twice in a group: all three out, dispatched" \
    "$(jq -r '"\(.order_id) \(.status)"' out | tr '\n' ' ')" \
    "P-1 dispatched P-3 dispatched P-1 dispatched "
is "twice in a group: on one manifest, found there again" \
    "$(manifests P-1 | sort -u | wc -l | tr -d ' ') $(grep -c '1 again' err)" "1 1"
is "twice in a group: P-1's parcel on it once" "$(on_manifest P-1)" 1

# P-3 (asked about with the group), P-1 as picked (stale: the ledger's
# record is taken, and its parcel goes on the manifest), then P-1 as
# labelled, which the group's answer had clear.
ledger_restore labelled
{
	line P-3 labelled.ndjson
	line P-1 picked.ndjson
	line P-1 labelled.ndjson
} >stale.ndjson
run dispatch stale.ndjson
is "after a stale line: exit 0" "$rc" 0
is "after a stale line: all three out, dispatched" \
    "$(jq -r '"\(.order_id) \(.status)"' out | tr '\n' ' ')" \
    "P-3 dispatched P-1 dispatched P-1 dispatched "
is "after a stale line: P-1 found on its manifest again" \
    "$(manifests P-1 | sort -u | wc -l | tr -d ' ') $(grep -c '1 again' err)" "1 1"
is "after a stale line: P-1's parcel on it once" "$(on_manifest P-1)" 1

# P-2's label voided and P-2 labelled again: its old line, among the
# group's, is set aside; the rest go.
ledger_restore labelled
label -q --void "$(line P-2 labelled.ndjson | jq -r .shipment.tracking)"
line P-2 picked.ndjson | label -q >/dev/null
run dispatch labelled.ndjson
is "a voided label in the group: exit 1" "$rc" 1
is "a voided label in the group: P-2 set aside, said" \
    "$(grep -c 'order P-2: label .* was voided' err)" 1
is "a voided label in the group: the others dispatched" \
    "$(jq -r .order_id out | tr '\n' ' ')" \
    "$(grep -v '"P-2"' labelled.ndjson | jq -r .order_id | tr '\n' ' ')"
done_testing
