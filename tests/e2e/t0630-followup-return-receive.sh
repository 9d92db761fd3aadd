#!/bin/sh
# followup --receive: a return taken in at the returns desk, by its RMA,
# its return parcel's tracking number or the order's barcode, from the
# command line or a scanner on stdin; once, whether the carrier's
# "delivered" came first or the scan.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
. "$FULFIL_ROOT/tests/e2e/returns.sh"
setup
ship_returns

# By tracking, as before: the carrier says the parcel is home.
echo "{\"tracking\":\"$R1\",\"status\":\"delivered\",\"occurred_at\":\"2026-11-27T11:00:00+08:00\"}" >home.ndjson
run followup home.ndjson
is "by tracking: received, the customer told, staff to inspect" \
    "$rc $(jq -r '(.event // .kind) + ":" + .order_id' out | tr '\n' ' ')" \
    "0 return_received:R-1 inspect_return:R-1 "

# The same parcel scanned at the desk after: nothing twice.
run followup --receive RMA-000001
is "scanned after the carrier: exit 0, nothing made" "$rc $(wc -c <out | tr -d ' ')" "0 0"
is "scanned after the carrier: said" "$(cat err)" \
    "followup: 0 returns received, 0 inspected, 0 restocked, 0 refunds, 1 done before, 0 rejected; 0 notices, 0 tasks"

# By scan: the scanner reads lines on stdin (blanks and CRs around a
# code are the scanner's); the order's barcode names the order.
printf '  web:R-2\r\n\nNOPE-1\n' >scans.txt
run followup --receive - <scans.txt
is "by the order's barcode: exit 1 (one code unknown)" "$rc" 1
is "received: notice and task, said to be at the desk" \
    "$(jq -r '(.event // .kind) + ":" + .order_id + ":" + (.message // .detail.rma)' out | tr '\n' ' ')" \
    "return_received:R-2:Received at the returns desk inspect_return:R-2:RMA-000002 "
check "an unknown code: its line" grep -q "^followup: <stdin>:3: 'NOPE-1': no RMA, return parcel or order with a return$" err
is "the RMA is received" \
    "$(ledger_sql fulfil.db "select order_id || ':' || status || ':' || json_extract(rec(record), '$.received_at') from orders where source = 'rma' order by order_id" | tr '\n' ' ')" \
    "RMA-000001:return_received:2026-11-27T11:00:00+08:00 RMA-000002:return_received:2026-11-28T10:00:00+08:00 "
is "the audit trail: scanned at the desk" \
    "$(ledger_sql fulfil.db "select what || ':' || detail from events where order_id = 'RMA-000002' and what = 'return.scanned'")" \
    "return.scanned:desk"

# Scanned again, by its tracking number, and the carrier's word after:
# nothing twice.
run followup --receive "$R2"
is "by tracking number, again: nothing" "$rc $(wc -c <out | tr -d ' ')" "0 0"
echo "{\"tracking\":\"$R2\",\"status\":\"delivered\",\"occurred_at\":\"2026-11-28T11:00:00+08:00\"}" >late.ndjson
run followup late.ndjson
is "the carrier's delivered after the scan: nothing" "$(wc -c <out | tr -d ' ')" 0
is "one notice and one task per RMA in the ledger" \
    "$(ledger_sql fulfil.db "select count(*) from tasks where kind = 'inspect_return'; select count(*) from notices where event = 'return_received'" | tr '\n' ' ')" \
    "2 2 "

# An RMA without its return label cannot be taken in yet.
echo '{"order_id":"R-1","kind":"return","reason":"wrong item sent","lines":[{"sku":"TEA-1","qty":1}]}' >more.ndjson
followup -q --returns more.ndjson >/dev/null
run followup --receive RMA-000003
is "no label yet: exit 1" "$rc" 1
check "no label yet: said" grep -q "^followup: --receive:1: 'RMA-000003': no return label yet (status return_requested): label --return first$" err

# --receive goes alone.
run followup --receive RMA-000001 --scan
is "with --scan: exit 2" "$rc $(cat err)" "2 followup: --receive and --inspect go alone"
done_testing
