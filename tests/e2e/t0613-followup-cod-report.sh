#!/bin/sh
# followup --report's "Cash on delivery": per carrier and currency, of
# the COD parcels shipped in the period, what was due, collected (the
# delivered ones), remitted and is still outstanding, and the
# discrepancies open now; the page shows the same figures.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
. "$FULFIL_ROOT/tests/e2e/cod.sh"
setup
ship_cod
# N-4's parcel is on its way back: its money was never collected.
ledger_sql fulfil.db "update shipments set status = 'returned' where tracking = '$T4'"
printf 'statement,tracking,amount\nS-1,%s,100.00\nS-1,%s,90.00\nS-1,%s,110.50\nS-1,ZZ999,5.00\n' \
    "$T1" "$T2" "$T3" >s1.csv
FULFIL_NOW=2026-12-01T10:00:00+08:00 followup -q --remittance s1.csv >/dev/null
export FULFIL_NOW=2026-12-02T10:00:00+08:00

run followup --report --from 2026-11-01 --to 2026-11-30 -o rep
is "exit 0" "$rc" 0
is "by carrier" "$(jq -c '.cod.by_carrier' out)" \
    '[{"carrier":"sf","name":"SF Express","currency":"CNY","exponent":2,"parcels":4,"due":40000,"collected":30000,"remitted":30050,"outstanding":-50,"discrepancies":2},{"carrier":null,"name":null,"currency":"CNY","exponent":2,"parcels":0,"due":0,"collected":0,"remitted":0,"outstanding":0,"discrepancies":1}]'
is "open discrepancies" "$(jq -c '.cod.discrepancies' out)" 3
cp out kpi.ndjson
cp rep/report-2026-11-01-2026-11-30.html page.html
page=page.html
fig() { sed -n "s|.*data-kpi=\"$1\">\([^<]*\)<.*|\1|p" "$page"; }
is "the page: the amounts in yuan" \
    "$(fig cod.by_carrier.0.due) $(fig cod.by_carrier.0.collected) $(fig cod.by_carrier.0.remitted) $(fig cod.by_carrier.0.outstanding)" \
    "400.00 300.00 300.50 -0.50"
check "the page: the section" grep -q '<h2>Cash on delivery</h2>' "$page"

# A discrepancy settled is no longer open.
id=$(followup --tasks 2>/dev/null | jq -r 'select(.kind == "cod_short") | .id')
followup -q --done "$id"
run followup --report --from 2026-11-01 --to 2026-11-30 -o rep
is "one done: two open" "$(jq -c '[.cod.discrepancies, .cod.by_carrier[0].discrepancies]' out)" "[2,1]"

# Another period: no parcels, the open ones still said.
run followup --report --from 2026-10-01 --to 2026-10-31 -o rep
is "an empty period: only what is open" "$(jq -c '[.cod.by_carrier[] | [.carrier, .parcels, .discrepancies]]' out)" \
    '[["sf",0,1],[null,0,1]]'

# The page, rendered by Chromium, has the NDJSON's numbers (report.h).
report_check "Chromium: the page shows the NDJSON's numbers" "$page" kpi.ndjson
done_testing
