#!/bin/sh
# pick-list --slotting: three days of carts picked through ingest-orders |
# pick-list, then the advice: which fast movers to swap nearer the depot,
# and the walk those days would have saved, replayed on the same carts.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup
cp "$DATA/slotting-catalog.csv" catalog.csv
touch -d 2026-11-01T00:00:00Z catalog.csv

for day in 16 17 18; do
	jq -c "select(.placed_at | startswith(\"2026-11-$day\"))" \
	    "$DATA/slotting-orders.ndjson" >day.ndjson
	FULFIL_NOW=2026-11-${day}T10:00:00+08:00
	export FULFIL_NOW
	ingest-orders -q day.ndjson | pick-list -q >/dev/null
done
FULFIL_NOW=2026-11-20T10:00:00+08:00
walked=$(ledger_sql fulfil.db 'select cast(round(sum(route_m)) as int) from batches')

run pick-list --slotting --from 2026-11-01 --to 2026-11-30
is "exit 0" "$rc" 0
is "summary: the period, the picks, the saving of the replayed walk" "$(cat err)" \
    "pick-list: slotting 2026-11-01..2026-11-30: 30 picks in 6 batches; 2 moves proposed would have saved 201 m of $walked m (66%)"
is "today's walk replayed is the walk the carts made" \
    "$(sed 's/.* of \([0-9,]*\) m .*/\1/' err)" "$walked"
is "proposals: fastest first, each a swap with a slower SKU nearer the depot" \
    "$(jq -r '[.sku, .from, .to, .picks, .with, .with_picks] | join(" ")' out)" \
"FAST-1 A06-10-1 A02-01-1 12 SLOW-2 0
FAST-2 A05-09-1 A01-02-1 9 SLOW-3 0"
is "every field, and a saving for each" "$(jq -c 'keys' out | sort -u)" \
    '["from","picks","saved_m","sku","to","with","with_picks"]'
check "each swap saves something" test "$(jq 'select(.saved_m <= 0)' out)" = ""
is "the savings add up to the summary's" "$(jq -s 'map(.saved_m) | add | round' out)" 201
check "one SKU per place: no place given twice" \
    test "$(jq -r '.from, .to' out | sort | uniq -d)" = ""
cp out first.ndjson

run pick-list --slotting --from 2026-11-01 --to 2026-11-30
is "again: the same proposals" "$(cat out)" "$(cat first.ndjson)"
is "again: the ledger unchanged by advice" \
    "$(ledger_sql fulfil.db 'select count(*) from batches')" 6

# The moves made in the catalogue: the same carts replayed walk what the
# advice said they would.  One pass moves each SKU once at most, so a
# second round may find a little more (FAST-1 on to SLOW-1's place,
# now that SLOW-1 would only go one aisle out).
# apply PROPOSALS CATALOG: the catalogue with the proposed swaps made.
apply() {
	jq -r '"\(.sku) \(.to)", "\(.with) \(.from)"' "$1" >moves.txt
	awk -F, -v OFS=, 'NR == FNR { to[$1] = $2; next }
	    $1 in to { $3 = to[$1] } { print }' FS=' ' moves.txt FS=, "$2"
}
apply first.ndjson catalog.csv >moved.csv
run pick-list --slotting --from 2026-11-01 --to 2026-11-30 --catalog moved.csv
is "moved: the walk the advice promised" "$(sed 's/.* of \([0-9,]*\) m .*/\1/' err)" \
    "$((walked - 201))"
is "moved: a second round" "$(jq -r '[.sku, .from, .to, .with] | join(" ")' out)" \
    "FAST-1 A02-01-1 A01-01-1 SLOW-1"
run pick-list --slotting --from 2026-11-01 --to 2026-11-30 --moves 1 \
    --catalog moved.csv
apply out moved.csv >moved2.csv
run pick-list --slotting --from 2026-11-01 --to 2026-11-30 --catalog moved2.csv
is "nothing left to move: said so" "$(cat err)" \
    "pick-list: slotting 2026-11-01..2026-11-30: 30 picks in 6 batches; no move would have saved any of $((walked - 204)) m"
is "nothing left to move: no proposals" "$(cat out)" ""

run pick-list --slotting --from 2026-11-01 --to 2026-11-30 --moves 1
is "--moves 1: one proposal, the best" "$(jq -r .sku out)" FAST-1

# The default period is the 30 days to today.
run pick-list --slotting
is "default period" "$(sed 's/: [0-9].*//' err)" \
    "pick-list: slotting 2026-10-22..2026-11-20"

run pick-list --slotting --from 2026-11-17 --to 2026-11-17
is "one day: its carts only" "$(sed 's/; .*//' err)" \
    "pick-list: slotting 2026-11-17..2026-11-17: 10 picks in 2 batches"

run pick-list --slotting --from 2026-10-01 --to 2026-10-31
is "no picks in the period: exit 0" "$rc" 0
is "no picks: said so" "$(cat err)" \
    "pick-list: slotting 2026-10-01..2026-10-31: no picks in the period"
is "no picks: no proposals" "$(cat out)" ""

run pick-list --slotting --from 2026-11-31
is "bad date: exit 2" "$rc" 2
is "bad date: one line" "$(cat err)" \
    "pick-list: --from: '2026-11-31' is not a date (YYYY-MM-DD)"
run pick-list --slotting --to 30/11/2026
is "bad --to: exit 2" "$rc" 2
run pick-list --slotting --from 2026-11-30 --to 2026-11-01
is "from after to: exit 2" "$rc" 2
is "from after to: said" "$(cat err)" \
    "pick-list: --from 2026-11-30 is after --to 2026-11-01"
run pick-list --slotting --moves none
is "bad --moves: exit 2" "$rc" 2
run pick-list --from 2026-11-01
is "--from without --slotting: usage, exit 2" "$rc" 2
run pick-list --moves 10
is "--moves without --slotting, even its default: usage, exit 2" "$rc" 2
run pick-list --slotting day.ndjson
is "--slotting reads no records: a file is a usage error" "$rc" 2
set +e
pick-list --slotting >/dev/full 2>err
rc=$?
set -e
is "write error: exit 2" "$rc" 2
is "write error: said" "$(tail -n 1 err)" \
    "pick-list: write error on standard output: No space left on device"

done_testing
