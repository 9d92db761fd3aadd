#!/bin/sh
# label: a number a carrier helper gave and the ledger voided is told to
# the helper ("helper void", fulfil-carrier-helper(5)) once, under its own
# key: by label --void, or by the next label run after a cancellation, a
# refusal, a crash or a run that died; a helper that knows no void (exit
# 2) is not asked again and the operator is told to tell the carrier.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup

use_helper
# voids KEY: how often the helper was told to void under KEY
voids() {
	if [ -f helper.log.void ]; then
		jq -r --arg k "$1" 'select(.idempotency_key == $k) | .op' helper.log.void | wc -l | tr -d ' '
	else echo 0; fi
}
number() { jq -r "select(.order_id == \"$1\") | .shipment.tracking" labelled.ndjson; }
told() { ledger_sql fulfil.db "select count(answered_at) from helper_requests where key = 'void/$1'"; }

ingest-orders -q "$DATA/pick-orders.ndjson" | pick-list -q >picked.ndjson
label -q -o L picked.ndjson >labelled.ndjson
p1=$(number P-1) p2=$(number P-2) p3=$(number P-3) p6=$(number P-6)

run label --void "$p1"
is "void: exit 0" "$rc" 0
is "void: the helper told once" "$(voids void/web/P-1/sf/1-of-1/0)" 1
is "void: the request" \
    "$(jq -c 'select(.parcel.order_id == "P-1") | [.op, .tracking, .carrier, .parcel.n, .parcel.of]' helper.log.void)" \
    "[\"void\",\"$p1\",\"sf\",1,1]"
is "void: its answer kept" "$(told web/P-1/sf/1-of-1/0)" 1
run label -o L --pending
is "relabelled: exit 0" "$rc" 0
is "relabelled: a void is told once" "$(voids void/web/P-1/sf/1-of-1/0)" 1

# A helper that refuses: the void stands, the next run tells it again.
HELPER_VOID=refuse run label --void "$p2"
is "refused: exit 1" "$rc" 1
is "refused: one line says so" "$(grep -c "^label: $p2: carrier sf: refused: too late to cancel the waybill (key void/web/P-2/sf/1-of-1/0); the next label run tells it again\$" err)" 1
is "refused: voided all the same" "$(ledger_sql fulfil.db "select count(voided_at) from parcels where tracking = '$p2'")" 1
HELPER_VOID=crash run label -o L --pending
is "crashed: exit 1" "$rc" 1
is "crashed: says so" "$(grep -c "^label: $p2: carrier sf: died by signal 9 " err)" 1
run label -o L --pending
is "told at last: exit 0" "$rc" 0
is "told at last: the summary says so" "$(grep -c "1 void told to carriers' helpers" err)" 1
is "told at last: asked three times in all" "$(voids void/web/P-2/sf/1-of-1/0)" 3
run label -o L --pending
is "then never again" "$(voids void/web/P-2/sf/1-of-1/0)" 3

# A helper of the old protocol: exit 2 to "void", asked once.
HELPER_VOID=old run label --void "$p3"
is "old helper: exit 0" "$rc" 0
is "old helper: tell the carrier yourself" "$(grep -c "^label: $p3: carrier sf: helper does not void numbers (exit 2 to 'void') (key void/web/P-3/sf/1-of-1/0): tell the carrier yourself\$" err)" 1
is "old helper: not asked again" "$(told web/P-3/sf/1-of-1/0)" 1
run label -o L --pending
is "old helper: no line again" "$(grep -c "$p3" err)" 0

# A cancellation in ingest-orders voids the number: the next label run
# tells the helper.
jq -c 'select(.order_id == "P-7") | .status = "cancelled"' "$DATA/pick-orders.ndjson" >cancel.ndjson
ingest-orders -q cancel.ndjson >/dev/null
is "cancelled: voided, not told yet" "$(told web/P-7/sf/1-of-1/0)|$(voids void/web/P-7/sf/1-of-1/0)" "0|0"
run label -o L --pending
is "cancelled: told by the next run" "$(told web/P-7/sf/1-of-1/0)|$(voids void/web/P-7/sf/1-of-1/0)" "1|1"

# A run killed while its helper voids: the next run tells it.
HELPER_VOID=slow label --void "$p6" >/dev/null 2>&1 &
pid=$!
i=0
while [ "$(voids void/web/P-6/sf/1-of-1/0)" = 0 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
kill -9 $pid
wait $pid 2>/dev/null || true
i=0
while pgrep -f "helper void" >/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
is "killed: its helper went with it" "$(pgrep -f "helper void" | wc -l | tr -d " ")" 0
is "killed: the void stands, untold" "$(ledger_sql fulfil.db "select count(voided_at) from parcels where tracking = '$p6'")|$(told web/P-6/sf/1-of-1/0)" "1|0"
run label -o L --pending
is "killed: told by the next run" "$(told web/P-6/sf/1-of-1/0)|$(voids void/web/P-6/sf/1-of-1/0)" "1|2"
done_testing
