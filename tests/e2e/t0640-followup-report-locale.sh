#!/bin/sh
# followup --report in en and zh-CN: the same ledger, the same NDJSON
# line and the same figures (tests/report-check.py reads each page in
# Chromium by its language's rules), and no text of the en page's own
# left on the zh-CN page.  The language comes from --locale, else from
# followup.report_locale, else en.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
. "$FULFIL_ROOT/tests/e2e/cod.sh"
setup
# Five COD parcels delivered, one remittance short, a negative review and
# an exchange for a wrong size: every section of the page has figures.
ship_cod
printf 'statement,tracking,amount\nS-1,%s,100.00\nS-1,%s,90.00\n' "$T1" "$T2" >s1.csv
FULFIL_NOW=2026-12-01T10:00:00+08:00 followup -q --remittance s1.csv >/dev/null
printf '%s\n' '{"order_id":"N-1","rating":2,"text":"slow","at":"2026-11-26T09:00:00+08:00"}' |
    FULFIL_NOW=2026-11-26T20:00:00+08:00 followup -q --reviews /dev/stdin >/dev/null
printf '%s\n' '{"order_id":"N-2","kind":"exchange","reason":"wrong size","lines":[{"sku":"TEA-1","qty":1}]}' |
    FULFIL_NOW=2026-11-27T10:00:00+08:00 followup -q --returns /dev/stdin >/dev/null
export FULFIL_NOW=2026-12-02T10:00:00+08:00
P=report-2026-11-01-2026-11-30.html

run followup --report --from 2026-11-01 --to 2026-11-30 -o en
is "en: exit 0" "$rc" 0
mv out en.ndjson
run followup --report --from 2026-11-01 --to 2026-11-30 --locale zh-CN -o zh
is "zh-CN: exit 0" "$rc" 0
same "the NDJSON line is the same in both" out en.ndjson
same "and so is the file beside the page" zh/report-2026-11-01-2026-11-30.ndjson en.ndjson
run followup --report --from 2026-11-01 --to 2026-11-30 --locale en -o en2
same "--locale en is the default page" en2/$P en/$P

check "en: <html lang=\"en\">" grep -q '^<html lang="en">$' en/$P
check "zh-CN: <html lang=\"zh-CN\">" grep -q '^<html lang="zh-CN">$' zh/$P
check "zh-CN: the period's dates" grep -q \
    '<p class="period">2026年11月1日至2026年11月30日关键指标报告</p>' zh/$P
check "zh-CN: hours and minutes" grep -q \
    'data-kpi="order_to_ship.p50_s">6小时57分<' zh/$P
check "zh-CN: a reason by its zh-CN label" grep -q '>发错商品<' zh/$P
check "zh-CN: the cash on delivery section" grep -q '<h2>货到付款</h2>' zh/$P
check "zh-CN: its table's head" grep -q \
    '<th>承运商</th><th>币种</th><th>包裹</th><th>应收</th>' zh/$P
check "en: the same figures in en's units" grep -q \
    'data-kpi="order_to_ship.p50_s">6h57m<' en/$P

report_check "Chromium: the zh-CN page, the NDJSON's numbers, no English" \
    zh/$P en.ndjson en/$P
report_check "Chromium: the en page, the same figures, no zh-CN text" \
    en/$P en.ndjson zh/$P

# The configuration's language, and --locale over it.
jq '.followup.report_locale = "zh-CN"' "$DATA/fulfil.json" >fulfil.json
run followup --report --from 2026-11-01 --to 2026-11-30 -o cfg
is "report_locale zh-CN: exit 0" "$rc" 0
same "report_locale zh-CN: the zh-CN page" cfg/$P zh/$P
run followup --report --from 2026-11-01 --to 2026-11-30 --locale en -o cfg-en
same "--locale en over it: the en page" cfg-en/$P en/$P
done_testing
