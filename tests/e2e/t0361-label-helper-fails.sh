#!/bin/sh
# label: a helper that crashes, hangs, answers garbage, twice, a
# malformed number or a refusal: the order stays picked and unnumbered
# with one clear line naming the carrier and key, nothing of the
# customer's; the next run asks again with the same key.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup

HELPER_LOG=$T/helper.log HELPER_STATE=$T/helper.state
export HELPER_LOG HELPER_STATE
cp "$FULFIL_ROOT/tests/helpers/carrier-helper.py" helper
# helper_timeout T: the helper's, in seconds.  1 s only for the helper that
# hangs: a loaded machine may take longer to start a good one's python.
helper_timeout() {
	jq --argjson t "$1" '.carriers[0].helper = "helper" |
	    .carriers[0].helper_timeout_s = $t' fulfil.json >f && mv f fulfil.json
}
helper_timeout 30
ingest-orders -q "$DATA/pick-orders.ndjson" | pick-list -q >picked.ndjson
jq -c 'select(.order_id == "P-1")' picked.ndjson >p1.ndjson
key=web/P-1/sf/1-of-1/0

# try MODE WHY: P-1 through a helper misbehaving so.
try() {
	HELPER_MODE=$1 run label -o L p1.ndjson
	is "$1: exit 1" "$rc" 1
	is "$1: says why" "$(head -n 1 err)" \
	    "label: p1.ndjson:1: order P-1: carrier sf: helper $2 (key $key)"
	is "$1: not passed on" "$(wc -c <out | tr -d ' ')" 0
	is "$1: still picked, no parcel" \
	    "$(ledger_sql fulfil.db "select status, (select count(*) from parcels where order_id = 'P-1') from orders where order_id = 'P-1'")" \
	    "picked|0"
	is "$1: the request kept with why" \
	    "$(ledger_sql fulfil.db "select count(error) from helper_requests where key = '$key'")" 1
}
try crash "died by signal 9"
try garbage "answered no JSON object (garbage)"
try twice "answered more than once"
try refuse "refused: account suspended"
try bad "answered no valid tracking number of the carrier's format"
helper_timeout 1
start=$(date +%s)
try slow "no answer in 1 s: killed"
is "slow: killed on time" "$(($(date +%s) - start < 10))" 1
is "the same key every time" "$(jq -r .idempotency_key helper.log | sort -u)" "$key"

# The next run, the helper mended: the same key, numbered at last.
helper_timeout 30
HELPER_MODE=good run label --pending -o L
is "mended: exit 0" "$rc" 0
is "mended: labelled" \
    "$(jq -r 'select(.order_id == "P-1") | .shipment.tracking' out)" SF500000000001 
is "mended: the same key, asked 7 times" \
    "$(ledger_sql fulfil.db "select key, attempts, case when error is null then 1 else 0 end from helper_requests where order_id = 'P-1'")" \
    "$key|7|1"

# A helper that is not there, or cannot be run.
jq '.carriers[0].helper = "nowhere"' fulfil.json >none.json
jq -c 'select(.order_id == "P-2")' picked.ndjson >p2.ndjson
run label --config none.json --db none.db p2.ndjson
is "missing: exit 1" "$rc" 1
is "missing: says so" "$(head -n 1 err)" \
    "label: p2.ndjson:1: order P-2: carrier sf: helper './nowhere': No such file or directory (key web/P-2/sf/1-of-1/0)"
done_testing
