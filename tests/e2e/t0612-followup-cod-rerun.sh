#!/bin/sh
# followup --remittance, again: a statement read twice, or sent again
# under another file name or with a line changed, makes nothing twice;
# a scan after it neither; several statements in one run.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
. "$FULFIL_ROOT/tests/e2e/cod.sh"
setup
ship_cod
export FULFIL_NOW=2026-12-10T10:00:00+08:00

printf 'statement,tracking,amount\nS-1,%s,100.00\nS-1,%s,50.00\nS-1,ZZ1,1.00\n' "$T1" "$T2" >s1.csv
printf 'statement,tracking,amount\nS-2,%s,120.00\n' "$T3" >s2.csv
run followup --remittance s1.csv --remittance s2.csv --scan
is "first run: exit 0" "$rc" 0
is "first run: the tasks" "$(jq -r '.kind + ":" + .order_id' out | tr '\n' ' ')" \
    "cod_short:N-2 cod_unknown:S-1 cod_over:N-3 cod_missing:N-4 "
is "first run: the summary" "$(cat err)" \
    "followup: 4 remittance lines read, 0 duplicate, 0 rejected; 1 paid, 1 short, 1 over, 1 unknown; 1 missing; 4 tasks"
snap() { ledger_sql fulfil.db "select count(*) from remittances; select count(*) from tasks; select count(*) from events where what = 'cod.remitted'" | tr '\n' ' '; }
before=$(snap)

run followup --remittance s1.csv --remittance s2.csv --scan
is "again: nothing out" "$rc $(wc -c <out | tr -d ' ')" "0 0"
is "again: all duplicate" "$(cat err)" \
    "followup: 4 remittance lines read, 4 duplicate, 0 rejected; 0 paid, 0 short, 0 over, 0 unknown; 0 missing; 0 tasks"
is "again: the ledger as it was" "$(snap)" "$before"

# The carrier sends S-1 again, renamed, N-2's line corrected: the
# statement's lines are known by statement and tracking number.
sed 's/50.00/100.00/' s1.csv >s1-again.csv
run followup --remittance s1-again.csv
is "resent, changed: still duplicates" "$(wc -c <out | tr -d ' ') $(snap)" "0 $before"
is "resent, changed: the first amount stands" \
    "$(ledger_sql fulfil.db "select amount || ':' || outcome from remittances where tracking = '$T2'")" "5000:short"

# One line in a big file: the rest goes on.
printf 'statement,tracking,amount\nS-3,%s,50.00\nS-3,%s,x\n' "$T2" "$T4" >s3.csv
run followup -q --remittance s3.csv
is "S-3: N-2 paid up, N-4's bad line set aside" \
    "$rc $(ledger_sql fulfil.db "select tracking || ':' || outcome from remittances where statement = 'S-3'")" \
    "1 $T2:paid"
done_testing
