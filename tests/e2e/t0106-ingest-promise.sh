#!/bin/sh
# The promise: cut-offs per service in the warehouse's time zone, working
# days and holidays, carrier transit and delivery days, timed delivery.
# The test warehouse works Monday to Friday with a holiday on Thursday
# 2026-11-26; SF delivers Monday to Saturday.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup

o() {	# id placed_at service country [extra JSON]
	printf '{"order_id":"%s","placed_at":"%s","service":"%s","ship_to":{"name":"N","line1":"L","city":"C","country":"%s"},"lines":[{"sku":"S","qty":1,"unit_price":100}],"total":100%s}\n' \
	    "$1" "$2" "$3" "$4" "${5:-}"
}
{
	o before-cutoff 2026-11-23T14:59:00+08:00 standard CN
	o at-cutoff 2026-11-23T15:00:00+08:00 standard CN
	o express-later-cutoff 2026-11-23T15:30:00+08:00 express CN
	o over-holiday 2026-11-25T16:00:00+08:00 express CN
	o saturday 2026-11-28T10:00:00+08:00 standard CN
	o utc-offset 2026-11-23T07:30:00Z standard CN
	o window-met 2026-11-23T10:00:00+08:00 scheduled CN \
	    ',"delivery_window":{"from":"2026-11-27T10:00:00+08:00","to":"2026-11-27T12:00:00+08:00"}'
	o window-missed 2026-11-23T10:00:00+08:00 scheduled CN \
	    ',"delivery_window":{"from":"2026-11-23T18:00:00+08:00","to":"2026-11-23T20:00:00+08:00"}'
	o abroad 2026-11-23T10:00:00+08:00 standard DE
	o no-carrier 2026-11-23T10:00:00+08:00 scheduled US
	o no-cod-abroad 2026-11-23T10:00:00+08:00 standard US ',"payment":{"method":"cod"}'
	o unknown-service 2026-11-23T10:00:00+08:00 overnight CN
	o window-backwards 2026-11-23T10:00:00+08:00 scheduled CN \
	    ',"delivery_window":{"from":"2026-11-27T12:00:00+08:00","to":"2026-11-27T10:00:00+08:00"}'
} >in.ndjson

run ingest-orders in.ndjson
is "exit 1 (three rejected)" "$rc" 1
jq -r '[.order_id, .promise.ship_by, .promise.deliver_by, (.promise.at_risk // false)] | @tsv' out >got
cat >want <<'WANT'
before-cutoff	2026-11-23T18:30:00+08:00	2026-11-25T23:59:59+08:00	false
at-cutoff	2026-11-24T18:30:00+08:00	2026-11-27T23:59:59+08:00	false
express-later-cutoff	2026-11-23T18:30:00+08:00	2026-11-24T23:59:59+08:00	false
over-holiday	2026-11-27T18:30:00+08:00	2026-11-28T23:59:59+08:00	false
saturday	2026-11-30T18:30:00+08:00	2026-12-02T23:59:59+08:00	false
utc-offset	2026-11-24T18:30:00+08:00	2026-11-27T23:59:59+08:00	false
window-met	2026-11-25T18:30:00+08:00	2026-11-27T12:00:00+08:00	false
window-missed	2026-11-23T18:30:00+08:00	2026-11-24T23:59:59+08:00	true
abroad	2026-11-23T17:00:00+08:00	2026-12-02T23:59:59+08:00	false
WANT
same "ship_by and deliver_by" got want
is "a missed window is a warning, not a silence" \
    "$(jq -c 'select(.order_id == "window-missed") | .warnings' out)" \
    '[{"field":"delivery_window","message":"cannot be met: the earliest delivery is 2026-11-24"}]'
grep -v 'read,' err >errors
cat >want <<'WANT'
ingest-orders: in.ndjson:8: order window-missed: warning: delivery_window: cannot be met: the earliest delivery is 2026-11-24
ingest-orders: in.ndjson:10: order no-carrier: no carrier serves US with service 'scheduled'
ingest-orders: in.ndjson:11: order no-cod-abroad: no carrier serves US with service 'standard' and cash on delivery
ingest-orders: in.ndjson:12: order unknown-service: service is not one any carrier offers
ingest-orders: in.ndjson:13: order window-backwards: delivery_window: to is not after from
WANT
same "orders no carrier can take are rejected with the reason" errors want
done_testing
