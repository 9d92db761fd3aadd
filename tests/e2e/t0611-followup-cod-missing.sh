#!/bin/sh
# followup --scan: a COD parcel delivered with nothing remitted for it
# followup.cod.overdue_days (default 14) later is missing: a cod_missing
# task, once.  One remitted for, however little, or not delivered, is not.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
. "$FULFIL_ROOT/tests/e2e/cod.sh"
setup
ship_cod
# N-3's parcel comes back undelivered: no money collected, none missing.
ledger_sql fulfil.db "update shipments set status = 'returned' where tracking = '$T3'"
printf 'statement,tracking,amount\nS-1,%s,1.00\n' "$T2" >s1.csv
FULFIL_NOW=2026-11-30T10:00:00+08:00 followup -q --remittance s1.csv >/dev/null

# N-1 was delivered at 11:00, N-4 at 14:00 on 2026-11-24.
FULFIL_NOW=2026-12-08T10:59:00+08:00 run followup --scan
is "13 days 23 hours: nothing yet" "$(wc -c <out | tr -d ' ')" 0
FULFIL_NOW=2026-12-08T12:00:00+08:00 run followup --scan
is "14 days after: N-1's is missing" \
    "$(jq -r '[.kind, .order_id, .tracking, .priority] | join(":")' out)" "cod_missing:N-1:$T1:normal"
is "what staff need" "$(jq -c '.detail | [.reason, .expected, .currency, .carrier, .delivered_at]' out)" \
    "[\"COD CNY 100.00 collected on delivery 2026-11-24, nothing remitted in 14 days\",10000,\"CNY\",\"sf\",\"2026-11-24T11:00:00+08:00\"]"
FULFIL_NOW=2026-12-20T12:00:00+08:00 run followup --scan
is "later: N-4's too, N-1's not again; not N-2 (remitted short) nor N-3 (returned)" \
    "$(jq -r '.order_id' out | tr '\n' ' ')" "N-4 "
FULFIL_NOW=2026-12-20T12:00:00+08:00 run followup --scan
is "scanned again: nothing" "$(wc -c <out | tr -d ' ')" 0
is "open: one task each" "$(tasks cod_missing)" "N-1:$T1 N-4:$T4 "

# The money arrives after all: the line is paid; the task stays for staff.
printf 'statement,tracking,amount\nS-2,%s,100.00\n' "$T1" >s2.csv
FULFIL_NOW=2026-12-21T10:00:00+08:00 run followup --remittance s2.csv
is "late money: paid, no task" "$rc $(wc -c <out | tr -d ' ') $(ledger_sql fulfil.db "select outcome from remittances where statement = 'S-2'")" "0 0 paid"

# The days are configurable.
jq '.followup.cod = {overdue_days: 3}' fulfil.json >f3.json
fresh_ledger
ship_cod
FULFIL_NOW=2026-11-27T15:00:00+08:00 run followup --config f3.json --scan
is "overdue_days 3" "$(jq -r '.order_id' out | tr '\n' ' ')" "N-1 N-2 N-3 N-4 "
jq '.followup.cod = {overdue_days: 0}' fulfil.json >f0.json
run followup --config f0.json --scan
is "overdue_days 0: exit 2" "$rc" 2
check "overdue_days 0: says where" grep -q "followup.cod.overdue_days" err
done_testing
