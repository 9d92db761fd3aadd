#!/bin/sh
# Holds: what the export says about money and fulfilment.  A line partly
# fulfilled (the export cannot say how much is left) and a prepaid order
# not paid yet (pending, partially paid, voided, an amount outstanding)
# are put on hold: recorded with status on_hold and hold {reason,
# detail}, said on stderr one line each, counted in the summary, never
# written out for picking.  Authorized ships unless ingest.ship_authorized
# is false; cash on delivery is paid at the door.  A later export that
# says paid releases the order: accepted, a new revision, written out.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup

# order ID PAYMENT [LINE-EXTRA]: an order as the readers give it.
order() {
	printf '{"order_id":"%s","placed_at":"2026-11-23T09:00:00+08:00",' "$1"
	printf '"ship_to":{"name":"Gao Min","line1":"8 Fake Lane","city":"Shanghai",'
	printf '"country":"CN","phone":"13800138001"},"lines":[{"sku":"TEA-2","qty":1,'
	printf '"unit_price":1000}%s],"total":1000,"payment":%s}\n' "${3:-}" "$2"
}
{
	order paid '{"method":"prepaid","status":"paid"}'
	order pending '{"method":"prepaid","status":"pending"}'
	order part-paid '{"method":"prepaid","status":"partially_paid","outstanding":400}'
	order owed '{"method":"prepaid","status":"paid","outstanding":400}'
	order authorized '{"method":"prepaid","status":"authorized"}'
	order voided '{"method":"prepaid","status":"voided"}'
	order refunded '{"method":"prepaid","status":"refunded"}'
	order cod '{"method":"cod","status":"pending"}'
	order partial '{"method":"prepaid","status":"paid"}' \
	    ',{"sku":"POT-1","qty":2,"unit_price":0,"fulfilment":"partial"}'
	order no-status '{"method":"prepaid"}'
} >in.ndjson

run ingest-orders in.ndjson
is "exit 0: held orders are handled, not rejected" "$rc" 0
is "only what may ship is written" "$(jq -r .order_id out | tr '\n' ' ')" \
    "paid authorized cod no-status "
cat >want <<'WANT'
ingest-orders: in.ndjson:2: order pending: on hold: awaiting_payment: payment.status is pending
ingest-orders: in.ndjson:3: order part-paid: on hold: awaiting_payment: payment.status is partially_paid
ingest-orders: in.ndjson:4: order owed: on hold: awaiting_payment: payment.outstanding is more than 0
ingest-orders: in.ndjson:6: order voided: on hold: awaiting_payment: payment.status is voided
ingest-orders: in.ndjson:7: order refunded: on hold: refunded: payment.status is refunded, yet lines are left to ship
ingest-orders: in.ndjson:9: order partial: on hold: partial_fulfilment: partly fulfilled, how much is left is not known: lines[1]
ingest-orders: 10 read, 4 accepted, 0 updated, 0 duplicate, 0 cancelled, 0 rejected, 6 on hold (4 awaiting payment, 1 partial, 1 refunded)
WANT
same "one line per held order, and the summary counts them by reason" err want
is "the ledger has them on hold" \
    "$(ledger_sql fulfil.db "select order_id from orders where status = 'on_hold' order by order_id" | tr '\n' ' ')" \
    "owed part-paid partial pending refunded voided "
is "the record says why, naming the SKU" \
    "$(ledger_sql fulfil.db "select rec(record) from orders where order_id = 'partial'" | jq -c '[.status, .revision, .hold, .promise]')" \
    '["on_hold",1,{"reason":"partial_fulfilment","detail":"partly fulfilled, how much is left is not known: SKU POT-1 (lines[1])"},null]'
is "a payment hold's record" \
    "$(ledger_sql fulfil.db "select rec(record) from orders where order_id = 'pending'" | jq -c .hold)" \
    '{"reason":"awaiting_payment","detail":"payment.status is pending"}'
is "the audit trail has each hold" \
    "$(ledger_sql fulfil.db "select detail from events where what = 'on_hold' and order_id in ('owed', 'partial') order by id" | tr '\n' ' ')" \
    "awaiting_payment partial_fulfilment "

# Not picked: pick-list --pending takes the accepted orders only.
run pick-list --pending </dev/null
is "pick-list does not take held orders" \
    "$(jq -r .order_id out | sort | tr '\n' ' ')" "authorized cod no-status paid "

# The same export again: nothing new, nothing said.
run ingest-orders in.ndjson
is "read again: duplicates, no hold lines" "$(cat err)" \
    "ingest-orders: 10 read, 0 accepted, 0 updated, 10 duplicate, 0 cancelled, 0 rejected"

# A later export says paid: released, a new revision, written out.
{
	order pending '{"method":"prepaid","status":"paid"}'
	order owed '{"method":"prepaid","status":"paid","outstanding":0}'
	order part-paid '{"method":"prepaid","status":"partially_paid","outstanding":100}'
	order partial '{"method":"prepaid","status":"paid"}' \
	    ',{"sku":"POT-1","qty":1,"unit_price":0,"ordered_qty":2}'
} >later.ndjson
run ingest-orders later.ndjson
is "released: exit 0" "$rc" 0
is "released orders are written, accepted, revision 2" \
    "$(jq -c '[.order_id, .status, .revision, has("hold"), (.promise | has("ship_by"))]' out)" \
    '["pending","accepted",2,false,true]
["owed","accepted",2,false,true]
["partial","accepted",2,false,true]'
is "still owing: held again, said again" \
    "$(grep ': on hold:' err)" \
    "ingest-orders: later.ndjson:3: order part-paid: on hold: awaiting_payment: payment.status is partially_paid"
is "summary: released and on hold" "$(tail -1 err)" \
    "ingest-orders: 4 read, 0 accepted, 0 updated, 0 duplicate, 0 cancelled, 0 rejected, 3 released, 1 on hold (1 awaiting payment)"
is "the audit trail says released" \
    "$(ledger_sql fulfil.db "select detail from events where what = 'released' and order_id = 'pending'")" \
    "was on_hold"
is "a held order changed is a new revision, still held" \
    "$(ledger_sql fulfil.db "select status || ' ' || revision from orders where order_id = 'part-paid'")" \
    "on_hold 2"

# An order accepted, then said to be unpaid before it was picked: held,
# and written out so that the stages after see it; pick-list passes it.
order late-hold '{"method":"prepaid","status":"paid"}' >a.ndjson
order late-hold '{"method":"prepaid","status":"pending"}' >b.ndjson
ingest-orders -q a.ndjson >/dev/null
run ingest-orders b.ndjson
is "held after acceptance: written, on_hold" \
    "$(jq -c '[.order_id, .status, .revision, .hold.reason]' out)" \
    '["late-hold","on_hold",2,"awaiting_payment"]'
cp out held.ndjson
run pick-list <held.ndjson
is "pick-list passes it on unpicked" "$(jq -c '[.status, has("pick")]' out)" \
    '["on_hold",false]'

# Held after picking: too late, the order is in fulfilment.
order picked '{"method":"prepaid","status":"paid"}' >c.ndjson
ingest-orders -q c.ndjson | pick-list -q >/dev/null
order picked '{"method":"prepaid","status":"pending"}' >d.ndjson
run ingest-orders d.ndjson
is "after picking: rejected, not held" "$rc/$(head -1 err)" \
    "1/ingest-orders: d.ndjson:1: order picked: changed, but already in fulfilment (status picked)"

# ingest.ship_authorized false: authorized waits for the capture.
jq '.ingest.ship_authorized = false' fulfil.json >f.json && mv f.json fulfil.json
order auth2 '{"method":"prepaid","status":"Authorized"}' >e.ndjson
run ingest-orders e.ndjson
is "ship_authorized false: authorized is held" "$(head -1 err)" \
    "ingest-orders: e.ndjson:1: order auth2: on hold: awaiting_payment: payment.status is authorized and ingest.ship_authorized is false"

# -q: no hold lines either.
order quiet '{"method":"prepaid","status":"pending"}' >q.ndjson
run ingest-orders -q q.ndjson
is "-q: nothing said" "$rc/$(cat err)" "0/"
done_testing
