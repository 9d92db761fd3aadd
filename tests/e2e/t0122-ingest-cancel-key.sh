#!/bin/sh
# A cancellation is checked for its key alone (order_id, source): a bare
# {"order_id", "status": "cancelled"}, one with a blank SKU or without an
# address, from NDJSON, a CSV map or a Shopify export, is recorded
# cancelled, never rejected.  One that is a good order keeps its normal
# form; cancelled_at is normalised when it can be read.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup

cat >in.ndjson <<'EOF'
{"order_id":"bare","status":"cancelled"}
{"order_id":"when","status":"cancelled","cancelled_at":"2026-11-23 11:00"}
{"order_id":"blank-sku","status":"cancelled","placed_at":"2026-11-23T09:00:00+08:00","lines":[{"sku":"","qty":1}]}
{"order_id":"no-address","status":"cancelled","placed_at":"yesterday","lines":[{"sku":"TEA-1","qty":1}],"ship_to":{"name":"Gao Min"}}
{"order_id":"odd-time","status":"cancelled","cancelled_at":"soon"}
{"order_id":"","status":"cancelled"}
EOF
run ingest-orders in.ndjson
is "exit 1: only the one without an id" "$rc" 1
cat >want <<'WANT'
ingest-orders: in.ndjson:5: order odd-time: warning: cancelled_at: not an RFC 3339 time; kept as given
ingest-orders: in.ndjson:6: order_id is missing
ingest-orders: 6 read, 0 accepted, 0 updated, 0 duplicate, 5 cancelled, 1 rejected, 1 warning
WANT
same "cancelled, not rejected" err want
is "nothing written: none had been accepted" "$(cat out)" ""
is "recorded cancelled" \
    "$(ledger_sql fulfil.db "select order_id from orders where status = 'cancelled' order by order_id" | tr '\n' ' ')" \
    "bare blank-sku no-address odd-time when "
is "a bare one: its key" \
    "$(ledger_sql fulfil.db "select rec(record) from orders where order_id = 'bare'")" \
    '{"order_id":"bare","source":"default","status":"cancelled","cancellation":{"at":"2026-11-23T10:00:00+08:00"},"revision":1}'
is "its time, normalised" \
    "$(ledger_sql fulfil.db "select rec(record) from orders where order_id = 'when'" | jq -r .cancelled_at)" \
    2026-11-23T11:00:00+08:00
is "the rest kept as it came" \
    "$(ledger_sql fulfil.db "select rec(record) from orders where order_id = 'no-address'" | jq -c '[.placed_at, .ship_to]')" \
    '["yesterday",{"name":"Gao Min"}]'

# Accepted, then a bare cancellation: written so the stages after stop it.
cat >a.ndjson <<'EOF'
{"order_id":"A-9","placed_at":"2026-11-23T09:00:00+08:00","ship_to":{"name":"Gao Min","line1":"8 Fake Lane","city":"Shanghai","country":"CN"},"lines":[{"sku":"TEA-2","qty":1}]}
EOF
ingest-orders -q a.ndjson >/dev/null
printf '{"order_id":"A-9","status":"cancelled","cancelled_at":"2026-11-23T11:00:00+08:00"}\n' >c.ndjson
run ingest-orders c.ndjson
is "a bare cancellation of an accepted order: written" \
    "$(jq -c '[.order_id, .status, .revision, .cancelled_at]' out)" \
    '["A-9","cancelled",2,"2026-11-23T11:00:00+08:00"]'
is "the audit trail says what it was" \
    "$(ledger_sql fulfil.db "select detail from events where what = 'cancelled' and order_id = 'A-9'")" \
    "was accepted"
run ingest-orders c.ndjson
is "again: a duplicate" "$(tail -1 err)" \
    "ingest-orders: 1 read, 0 accepted, 0 updated, 1 duplicate, 0 cancelled, 0 rejected"

# A CSV export through a map: a status column and nothing else.
printf '{"columns": {"order_id": "No", "status": "State", "lines.sku": "Item", "lines.qty": "Qty"}}\n' >map.json
printf 'No,State,Item,Qty\nC-1,cancelled,,\nC-2,cancelled,TEA-1,\n' >erp.csv
run ingest-orders --map map.json erp.csv
is "CSV map: cancelled without lines" "$rc/$(tail -1 err)" \
    "0/ingest-orders: 2 read, 0 accepted, 0 updated, 0 duplicate, 2 cancelled, 0 rejected"

# A Shopify export, in its own columns: a voided order with no SKU and
# no shipping address, and a cancelled one with a blank quantity.
/usr/bin/python3 - "$FULFIL_ROOT/examples/shopify-orders.csv" shop.csv <<'PY'
import csv, sys
head = next(csv.reader(open(sys.argv[1], newline="", encoding="utf-8-sig")))
rows = [
    {"Name": "#2001", "Email": "buyer@example.com", "Financial Status": "voided",
     "Fulfillment Status": "unfulfilled", "Currency": "CNY", "Total": "0.00",
     "Created at": "2026-11-22 20:00:00 +0800", "Lineitem quantity": "1",
     "Lineitem name": "Custom engraving", "Lineitem price": "0.00",
     "Lineitem sku": "", "Lineitem requires shipping": "true",
     "Cancelled at": "2026-11-22 21:00:00 +0800"},
    {"Name": "#2002", "Financial Status": "refunded", "Currency": "CNY",
     "Created at": "2026-11-22 20:00:00 +0800", "Lineitem quantity": "",
     "Lineitem name": "Longjing green tea 250 g", "Lineitem sku": "TEA-LJ-250",
     "Lineitem requires shipping": "true",
     "Cancelled at": "2026-11-22 21:00:00 +0800"},
]
w = csv.writer(open(sys.argv[2], "w", newline="", encoding="utf-8"),
    lineterminator="\r\n")
w.writerow(head)
for r in rows:
    w.writerow([r.get(c, "") for c in head])
PY
run ingest-orders shop.csv
is "Shopify: cancelled, not rejected" "$rc/$(cat err)" \
    "0/ingest-orders: 2 read, 0 accepted, 0 updated, 0 duplicate, 2 cancelled, 0 rejected"
is "Shopify: in the ledger" \
    "$(ledger_sql fulfil.db "select order_id || ' ' || status from orders where source = 'shopify' order by 1" | tr '\n' ',')" \
    "2001 cancelled,2002 cancelled,"
done_testing
