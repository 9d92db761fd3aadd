#!/bin/sh
# Nothing left to ship: every line fulfilled elsewhere or refunded (all in
# not_shipped), or the export's order-level fulfillment_status fulfilled.
# Recorded with status fulfilled, not written for picking, not held,
# counted in the summary; taken on its key alone when the rest is not a
# good order.  Fulfilled is for good.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup

addr='"ship_to":{"name":"Gao Min","line1":"8 Fake Lane","city":"Shanghai","country":"CN"}'
cat >in.ndjson <<EOF
{"order_id":"elsewhere","placed_at":"2026-11-23T09:00:00+08:00",$addr,"lines":[],"not_shipped":[{"sku":"TEA-1","qty":2,"reason":"fulfilled"},{"sku":"POT-1","qty":1,"reason":"refunded"}],"total":0,"payment":{"method":"prepaid","status":"partially_refunded"},"fulfillment_status":"partial"}
{"order_id":"said-so","placed_at":"2026-11-23T09:00:00+08:00",$addr,"lines":[{"sku":"TEA-1","qty":1}],"payment":{"status":"paid"},"fulfillment_status":"fulfilled"}
{"order_id":"refunded","lines":[],"not_shipped":[{"sku":"","qty":1,"reason":"refunded"}],"payment":{"status":"refunded"}}
{"order_id":"ships","placed_at":"2026-11-23T09:00:00+08:00",$addr,"lines":[{"sku":"TEA-2","qty":1}],"not_shipped":[{"sku":"TEA-1","qty":1,"reason":"fulfilled"}],"fulfillment_status":"partial"}
{"order_id":"empty","placed_at":"2026-11-23T09:00:00+08:00",$addr,"lines":[]}
EOF
run ingest-orders in.ndjson
is "exit 1: only the order with no lines at all is wrong" "$rc" 1
is "only what is left to ship is written" "$(jq -r .order_id out)" ships
is "messages" "$(cat err)" \
    "ingest-orders: in.ndjson:5: order empty: lines is empty
ingest-orders: 5 read, 1 accepted, 0 updated, 0 duplicate, 0 cancelled, 1 rejected, 3 fulfilled (nothing left to ship)"
is "recorded fulfilled" \
    "$(ledger_sql fulfil.db "select order_id || ' ' || status from orders order by order_id" | tr '\n' ',')" \
    "elsewhere fulfilled,refunded fulfilled,said-so fulfilled,ships accepted,"
is "the record: normalised, not_shipped kept, no promise, no hold" \
    "$(ledger_sql fulfil.db "select rec(record) from orders where order_id = 'elsewhere'" | jq -c '[.status, .revision, .currency, (.not_shipped | length), has("promise"), has("hold")]')" \
    '["fulfilled",1,"CNY",2,false,false]'
is "with no address: taken on its key, kept as it came" \
    "$(ledger_sql fulfil.db "select rec(record) from orders where order_id = 'refunded'" | jq -c .)" \
    '{"order_id":"refunded","source":"default","lines":[],"payment":{"status":"refunded"},"not_shipped":[{"sku":"","qty":1,"reason":"refunded"}],"status":"fulfilled","revision":1}'
is "the audit trail" \
    "$(ledger_sql fulfil.db "select detail from events where order_id = 'elsewhere'")" \
    "nothing left to ship"

# Accepted first, fulfilled elsewhere before it was picked: recorded,
# and written out so that the stages after see it; pick-list passes it.
cat >a.ndjson <<EOF
{"order_id":"late","placed_at":"2026-11-23T09:00:00+08:00",$addr,"lines":[{"sku":"TEA-2","qty":1}]}
EOF
jq -c '.not_shipped = .lines | .not_shipped[0].reason = "fulfilled" | .lines = []' a.ndjson >b.ndjson
ingest-orders -q a.ndjson >/dev/null
run ingest-orders b.ndjson
is "fulfilled after acceptance: written" "$(jq -c '[.order_id, .status, .revision]' out)" \
    '["late","fulfilled",2]'
cp out late.ndjson
run pick-list <late.ndjson
is "pick-list passes it on unpicked" "$(jq -c '[.status, has("pick")]' out)" \
    '["fulfilled",false]'

# Fulfilled is for good: lines to ship later are refused; nothing to
# ship again is nothing new.
run ingest-orders a.ndjson
is "an order to ship after fulfilled: rejected" "$rc/$(head -1 err)" \
    "1/ingest-orders: a.ndjson:1: order late: the shop said nothing was left to ship; the order cannot be taken again"
jq -c '.not_shipped[0].qty = 1 | .total = 0' b.ndjson >b2.ndjson
run ingest-orders b2.ndjson
is "nothing to ship again, changed: a duplicate" "$rc/$(tail -1 err)" \
    "0/ingest-orders: 1 read, 0 accepted, 0 updated, 1 duplicate, 0 cancelled, 0 rejected"
done_testing
