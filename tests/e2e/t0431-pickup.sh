#!/bin/sh
# Pickup orders (lib/pickup) end to end: picked like any order, then
# ready_for_pickup at the counter instead of labelled; label and dispatch
# pass them on; notify says ready_to_collect (en, zh-CN, through
# aiosmtpd), --pending too; followup --collected hands one over; a
# cancellation at the counter puts the goods back; --report counts them.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup
mkdir mail
start_smtp "$T/mail"
notify_config "$SMTP_PORT" 9
# The orders say service pickup and where themselves; the section lets
# ingest-orders take them.
jq '.pickup = {"methods": "Collect from *", "ready_time": "16:00"}' fulfil.json >f.json
mv f.json fulfil.json
q() { ledger_sql fulfil.db "$1" | tr '\n' ' '; }

# Confirmed: a pickup order is told it will hear when it is ready.
grep -v '"K-4"' "$DATA/pickup-orders.ndjson" | ingest-orders -q >accepted.ndjson
notify -q --channel email accepted.ndjson >/dev/null
case $(mail_to fay@ body) in
*"We will write again as soon as it is ready to collect at Store A, 1 Century Avenue."*) ok "confirmed: for collection" ;;
*) not_ok "confirmed: for collection"; mail_to fay@ body | sed 's/^/#   /' ;;
esac
case $(mail_to gus@ body) in
*"We will ship it by"*) ok "confirmed: a parcel as before" ;;
*) not_ok "confirmed: a parcel as before"; mail_to gus@ body | sed 's/^/#   /' ;;
esac
rm mail/*

# Picked two hours later: the pickup orders wait at the counter, with
# their cart and tote; label and dispatch pass them on untouched.
export FULFIL_NOW=2026-11-23T11:00:00+08:00
pick-list -q accepted.ndjson >picked.ndjson
is "pick-list: ready for pickup, the parcel picked" \
    "$(jq -r '.order_id + ":" + .status' picked.ndjson | sort | tr '\n' ' ')" \
    "K-1:ready_for_pickup K-2:ready_for_pickup K-3:picked "
is "picked like any order: a cart and a tote" \
    "$(jq -c 'select(.order_id == "K-1") | [(.pick.batch | type), (.pick.tote | type)]' picked.ndjson)" \
    '["number","number"]'
is "ready since now" "$(jq -r 'select(.order_id == "K-1") | .pickup.ready_at' picked.ndjson)" \
    2026-11-23T11:00:00+08:00
is "the stock is taken" "$(q "select count(*) from picks where order_id in ('K-1', 'K-2')")" "2 "
is "the audit trail: picked, then ready" \
    "$(q "select what from events where order_id = 'K-1' and tool = 'pick-list' order by id")" \
    "picked ready_for_pickup "
label -q -o labels picked.ndjson >labelled.ndjson
dispatch -q labelled.ndjson >dispatched.ndjson
is "label and dispatch pass them on" \
    "$(jq -r '.order_id + ":" + .status' dispatched.ndjson | sort | tr '\n' ' ')" \
    "K-1:ready_for_pickup K-2:ready_for_pickup K-3:dispatched "
is "never labelled" "$(q "select count(*) from parcels where order_id in ('K-1', 'K-2')")" "0 "
is "passed on unchanged" "$(jq -c 'select(.order_id == "K-1")' dispatched.ndjson)" \
    "$(jq -c 'select(.order_id == "K-1")' picked.ndjson)"
is "--pending: label takes none" "$(label -q --pending </dev/null | wc -l | tr -d ' ')" 0
is "--pending: dispatch takes none" "$(dispatch -q --pending </dev/null | wc -l | tr -d ' ')" 0

# The customers are told where to collect, in their language.
notify -q --channel email dispatched.ndjson >/dev/null
is "en: ready to collect" "$(mail_to fay@ subject)" "Order K-1 is ready to collect"
case $(mail_to fay@ body) in
*"Your order K-1 is ready to collect at Store A, 1 Century Avenue."*) ok "en: the counter named" ;;
*) not_ok "en: the counter named"; mail_to fay@ body | sed 's/^/#   /' ;;
esac
is "zh-CN: ready to collect" "$(mail_to lihua@ subject)" "订单 K-2 可以自提了"
case $(mail_to lihua@ body) in
*"请到 世纪大道1号 A 店 自提"*) ok "zh-CN: the counter named" ;;
*) not_ok "zh-CN: the counter named"; mail_to lihua@ body | sed 's/^/#   /' ;;
esac
is "the parcel is shipped" "$(mail_to gus@ subject)" "Order K-3 is on its way"

# Ready while the pipe to notify died: --pending announces it.
grep '"K-4"' "$DATA/pickup-orders.ndjson" | ingest-orders -q | pick-list -q >/dev/null
notify -q --pending --channel email </dev/null >/dev/null
is "--pending: the lost one announced" "$(mail_to hal@ subject | tail -1)" "Order K-4 is ready to collect"

# Staff hand one over.
export FULFIL_NOW=2026-11-23T16:30:00+08:00
run followup --collected K-1
is "collected: exit 0" "$rc" 0
is "collected: the record out" "$(jq -c '[.order_id, .status, .pickup.collected_at]' out)" \
    '["K-1","collected","2026-11-23T16:30:00+08:00"]'
is "collected: said" "$(cat err)" "followup: order K-1 collected"
is "collected: in the ledger" "$(q "select status from orders where order_id = 'K-1'")" "collected "
run followup --collected K-1
is "again: a warning only" "$rc:$(cat err)" \
    "0:followup: order K-1 was collected already, at 2026-11-23T16:30:00+08:00"
run followup --collected K-3 --collected K-9
is "not waiting, unknown: exit 1" "$rc" 1
is "not waiting, unknown: said" "$(cat err)" "followup: order K-3 is dispatched: not waiting to be collected
followup: no order K-9"
run followup --collected K-1 --source shop
is "another source: none" "$rc:$(cat err)" "1:followup: no order K-1"
run followup --source web
is "--source alone: usage" "$rc" 2

# Cancelled at the counter: the goods go back to the shelf.
jq -c 'select(.order_id == "K-2") | .status = "cancelled"' "$DATA/pickup-orders.ndjson" |
    ingest-orders -q >cancelled.ndjson
is "at the counter: stock back" "$(q "select count(*) from picks where order_id = 'K-2' and released_at is not null")" "1 "
is "at the counter: a task to fetch it" \
    "$(followup -q --tasks | jq -c 'select(.order_id == "K-2") | [.kind, .detail.where.pickup_location]')" \
    '["return_to_shelf","世纪大道1号 A 店"]'
run followup --collected K-2
is "a cancelled order is not collected" "$rc:$(cat err)" \
    "1:followup: order K-2 is cancelled: not waiting to be collected"

# The month's figures count them: three pickups, all ready two hours
# after they were placed, one collected, one waiting.
followup -q --report --from 2026-11-23 --to 2026-11-23 -o rep >kpi.ndjson
is "report: pickups" "$(jq -c .pickup kpi.ndjson)" \
    '{"orders":3,"ready":3,"collected":1,"waiting":1,"placed_to_ready":{"n":3,"p50_s":7200,"p95_s":7200}}'
check "report: on the page" grep -q 'data-kpi="pickup.collected">1<' rep/report-2026-11-23-2026-11-23.html
done_testing
