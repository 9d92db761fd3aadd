#!/bin/sh
# followup --report's page of one day in en and in zh-CN, byte for byte
# (golden files: the en page is the one followup made before it had a
# second language); a language the page has no texts for is refused,
# from the command line and from fulfil.json.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup
ship_orders "$DATA/notify-orders.ndjson"
export FULFIL_NOW=2026-11-24T10:00:00+08:00
P=report-2026-11-23-2026-11-23.html

run followup --report --from 2026-11-23 --to 2026-11-23 -o en
is "en: exit 0" "$rc" 0
same "en: the page" en/$P "$DATA/golden/report-day-en.html"
run followup --report --from 2026-11-23 --to 2026-11-23 --locale zh-CN -o zh
is "zh-CN: exit 0" "$rc" 0
same "zh-CN: the page" zh/$P "$DATA/golden/report-day-zh-CN.html"

run followup --report --from 2026-11-23 --to 2026-11-23 --locale fr -o fr
is "--locale fr: exit 2" "$rc" 2
is "--locale fr: says so" "$(cat err)" \
    "followup: --locale: 'fr' is neither en nor zh-CN"
check "--locale fr: no page" test ! -e fr
run followup --report --from 2026-11-23 --to 2026-11-23 --locale zh -o zh2
is "--locale zh (no region): exit 2" "$rc" 2
run followup --locale zh-CN --scan
is "--locale without --report: exit 2" "$rc" 2
is "--locale without --report: says so" "$(cat err)" \
    "followup: -o, --from, --to, --locale and --warehouse go with --report"

jq '.followup.report_locale = "de"' "$DATA/fulfil.json" >fulfil.json
run followup --report --from 2026-11-23 --to 2026-11-23 -o de
is "report_locale de: exit 2" "$rc" 2
is "report_locale de: says where" "$(cat err)" \
    "followup: fulfil.json: \$.followup.report_locale: must be en or zh-CN"
jq '.followup.report_locale = 1' "$DATA/fulfil.json" >fulfil.json
run followup --report --from 2026-11-23 --to 2026-11-23 -o de
is "report_locale 1: exit 2" "$rc" 2
done_testing
