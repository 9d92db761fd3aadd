#!/bin/sh
# followup --remittance: a carrier's statement of the COD it remits,
# matched line by line against the COD parcels: paid, short, over,
# unknown (a parcel we never shipped COD, or never shipped), a line
# twice; bad lines set aside with one line each; a task per discrepancy.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
. "$FULFIL_ROOT/tests/e2e/cod.sh"
setup
ship_cod
export FULFIL_NOW=2026-12-01T10:00:00+08:00

cat >s1.csv <<EOF2
statement,tracking,amount,currency,remitted_at,carrier
S-1,$T1,100.00,CNY,2026-11-30,sf
S-1,$T2,90.00,CNY,2026-11-30,sf
S-1,$T3,110.50,CNY,2026-11-30,sf
S-1,$T5,12.00,CNY,2026-11-30,sf
S-1,ZZ999,5.00,CNY,2026-11-30,sf
S-1,$T1,100.00,CNY,2026-11-30,sf
S-1,$T4,lots,CNY,2026-11-30,sf
S-1,$T4,100.00,USD,2026-11-30,sf
S-1,$T4,100.00,CNY,2026-11-30,ems
S-1,,100.00,CNY,2026-11-30,sf
EOF2
run followup --rejects rej.ndjson --remittance s1.csv
is "bad lines: exit 1" "$rc" 1
is "the summary" "$(tail -1 err)" \
    "followup: 10 remittance lines read, 1 duplicate, 4 rejected; 1 paid, 1 short, 1 over, 2 unknown; 0 missing; 4 tasks"
is "bad lines, one each" "$(grep -v 'remittance lines' err)" \
"followup: s1.csv:8: tracking $T4: amount 'lots': not a decimal number
followup: s1.csv:9: tracking $T4: remitted in USD, but its COD amount is in CNY
followup: s1.csv:10: tracking $T4: carrier ems, but the parcel went with sf
followup: s1.csv:11: no tracking number"
is "rejects file: whole lines" "$(jq -r .line rej.ndjson | tr '\n' ' ')" "8 9 10 11 "
is "a task per discrepancy" \
    "$(jq -r '[.kind, .order_id, .tracking] | join(":")' out | tr '\n' ' ')" \
    "cod_short:N-2:$T2 cod_over:N-3:$T3 cod_unknown:N-5:$T5 cod_unknown:S-1:ZZ999 "
is "the short one says how short" "$(jq -r 'select(.kind == "cod_short") | .detail.reason' out)" \
    "COD CNY 100.00 to collect, CNY 90.00 remitted in all (statement S-1): CNY 10.00 short"
is "its figures, in fen" \
    "$(jq -c 'select(.kind == "cod_over") | .detail | [.statement, .amount, .expected, .remitted, .currency, .carrier, .remitted_at]' out)" \
    '["S-1",11050,10000,11050,"CNY","sf","2026-11-30T00:00:00+08:00"]'
is "no customer in a carrier's discrepancy" \
    "$(jq -r 'select(.type == "task") | .detail | has("customer") or has("phone") or has("email")' out | sort -u)" false
is "the statement unknown to us names its statement" \
    "$(jq -r 'select(.tracking == "ZZ999") | .source + " " + .detail.reason' out)" \
    "remittance statement S-1 remits CNY 5.00 for a parcel we did not ship COD"
is "the ledger: each line once, with its outcome" \
    "$(ledger_sql fulfil.db "select tracking || ':' || amount || ':' || outcome || ':' || coalesce(order_id, '-') from remittances order by rowid" | tr '\n' ' ')" \
    "$T1:10000:paid:N-1 $T2:9000:short:N-2 $T3:11050:over:N-3 $T5:1200:unknown:N-5 ZZ999:500:unknown:- "
is "the order's audit trail" \
    "$(ledger_sql fulfil.db "select detail from events where order_id = 'N-1' and what = 'cod.remitted'")" \
    "statement S-1: paid"

# Through a map: the carrier's own headers, a tab between them, amounts
# with thousands grouped, the currency and carrier given by the map.
cat >sf-cod-map.json <<'EOF2'
{"carrier": "sf", "currency": "CNY", "money": "en", "delimiter": "\t",
 "columns": {"statement": "结算单号", "tracking": "运单号",
             "amount": "代收货款", "remitted_at": "回款日期"}}
EOF2
printf '结算单号\t运单号\t代收货款\t回款日期\nS-2\t%s\t10.00\t2026-12-01 09:00\nS-2\t%s\t1,000.00\t2026-12-01\n' \
    "$T2" "$T4" >s2.tsv
run followup --remittance s2.tsv --map sf-cod-map.json
is "map: exit 0" "$rc" 0
is "map: the rest of the short one makes it paid; a big one over" \
    "$(ledger_sql fulfil.db "select tracking || ':' || amount || ':' || outcome || ':' || at from remittances where statement = 'S-2' order by rowid" | tr '\n' ' ')" \
    "$T2:1000:paid:2026-12-01T09:00:00+08:00 $T4:100000:over:2026-12-01T00:00:00+08:00 "

printf 'statement,tracking\nS-3,%s\n' "$T4" >s3.csv
run followup --remittance s3.csv
is "no amount column: exit 2" "$rc" 2
is "no amount column: says so" "$(cat err)" "followup: s3.csv: no column 'amount' (for amount)"
echo '{"columns": {"tracking": "a"}}' >bad-map.json
run followup --remittance s1.csv --map bad-map.json
is "a map without the amount: exit 2" "$rc $(cat err)" \
    "2 followup: --map 'bad-map.json': columns must name tracking, amount and statement"
run followup --remittance s1.csv --events delivered.ndjson
is "no events with a remittance" "$rc $(cat err)" \
    "2 followup: --remittance goes with --map and --scan only"
done_testing
