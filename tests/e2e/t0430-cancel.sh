#!/bin/sh
# Cancellation at every stage (lib/cancel, fulfil(7) "Cancellation"):
# accepted, held, picked, labelled (-o), dispatched on a manifest still
# open and on one closed.  Each time the ledger, the tasks staff get,
# the numbers voided and never handed out again, the stock back on the
# shelf, stale records refused, and the customer's e-mail through
# aiosmtpd; a cancellation whose line died is announced by --pending.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup
mkdir mail
start_smtp "$T/mail"
notify_config "$SMTP_PORT" 9
q() { ledger_sql fulfil.db "$1" | tr '\n' ' '; }

nmail() { ls mail | grep -c '\.eml$' || :; }
# cancel ID...: the orders' cancellation records (status cancelled).
cancel() {
	for id; do
		jq -c "select(.order_id == \"$id\") | .status = \"cancelled\"" \
		    "$DATA/cancel-orders.ndjson"
	done
}

# C-1 accepted, C-2 picked (all of SCARCE-1), C-6 held for it; C-3
# labelled; C-5 dispatched and its manifest closed; C-4 dispatched after,
# onto the next day's manifest, still open.
ingest-orders -q "$DATA/cancel-orders.ndjson" >accepted.ndjson
grep -v '"C-1"' accepted.ndjson | pick-list -q >picked.ndjson
is "picked and held" "$(jq -r '.order_id + ":" + .status' picked.ndjson | sort | tr '\n' ' ')" \
    "C-2:picked C-3:picked C-4:picked C-5:picked C-6:held "
grep -E '"C-(3|4|5)"' picked.ndjson | label -q -o labels >labelled.ndjson
grep '"C-5"' labelled.ndjson | dispatch -q >/dev/null
dispatch -q --close -o manifests >/dev/null
grep '"C-4"' labelled.ndjson | dispatch -q >dispatched.ndjson
is "C-4 on the next day's manifest" "$(jq -r .dispatch.manifest dispatched.ndjson)" SF-20261124
trk() { jq -r "select(.order_id == \"$1\") | .shipment.tracking" labelled.ndjson; }
t3=$(trk C-3) t4=$(trk C-4) t5=$(trk C-5)

# Every cancellation at once, down the whole pipe: each stage passes
# them on, notify tells each customer once.
cancel C-1 C-2 C-3 C-4 C-5 >cancel.ndjson
run sh -c 'ingest-orders cancel.ndjson | pick-list -q | label -q | dispatch -q | notify --channel email'
is "the pipe: exit 0" "$rc" 0
check "ingest counts the cancellations" grep -q "5 read, 0 accepted, 0 updated, 0 duplicate, 5 cancelled, 0 rejected" err
is "every stage passed them on" "$(jq -r '.order_id + ":" + .status' out | tr '\n' ' ')" \
    "C-1:cancelled C-2:cancelled C-3:cancelled C-4:cancelled C-5:cancelled "
is "the ledger: cancelled" "$(q "select status from orders where order_id like 'C-%' order by order_id")" \
    "cancelled cancelled cancelled cancelled cancelled held "
is "what each was" "$(jq -r '.cancellation.was' out | tr '\n' ' ')" \
    "accepted picked labelled dispatched dispatched "

# Accepted: nothing to undo, no task.
is "after accept: nothing undone" "$(jq -c 'select(.order_id == "C-1") | .cancellation | del(.at)' out)" \
    '{"was":"accepted"}'

# Picked: the stock back on the shelf, a task saying which cart and tote.
is "after pick: its picks released" "$(q "select sku || ' ' || qty from picks where order_id = 'C-2' and released_at is not null")" \
    "SCARCE-1 3 "
tasks() { followup -q --tasks | jq -c "select(.order_id == \"$1\") | $2"; }
is "after pick: a return_to_shelf task" "$(tasks C-2 '[.kind, .priority]')" '["return_to_shelf","normal"]'
is "after pick: the cart and tote" "$(tasks C-2 '.detail.where | [.batch, .tote]')" \
    "$(jq -c 'select(.order_id == "C-2") | .pick | [.batch, .tote]' picked.ndjson)"
is "after pick: the goods" "$(tasks C-2 .detail.lines)" '[{"sku":"SCARCE-1","qty":3}]'
is "after pick: the record lets go of its pick" "$(jq -c 'select(.order_id == "C-2") | .pick' out)" null

# Labelled: the number voided, the parcel to pull, its label file named.
is "after label: voided" "$(q "select order_id from parcels where voided_at is not null order by order_id")" "C-3 C-4 "
is "after label: said in the record" "$(jq -c 'select(.order_id == "C-3") | .cancellation.voided' out)" "[\"$t3\"]"
is "after label: a high pull_parcel task on the number" "$(tasks C-3 '[.kind, .priority, .tracking]')" \
    "[\"pull_parcel\",\"high\",\"$t3\"]"
is "after label: printed, and where its label is" \
    "$(tasks C-3 '.detail.parcels[0] | [.label_printed, (.label_file | test("/labels/run-.*\\.zpl$"))]')" \
    '[true,true]'
check "after label: the label file is there" test -s "$(tasks C-3 '.detail.parcels[0].label_file' | tr -d '"')"
is "after label: stock back" "$(q "select count(*) from picks where order_id = 'C-3' and released_at is null")" "0 "
is "after label: the shipment leaves the record" "$(jq -c 'select(.order_id == "C-3") | .shipment' out)" null

# Dispatched, its manifest still open: off the manifest, voided, pulled.
is "open manifest: taken off it" "$(q "select count(*) from manifest_parcels where order_id = 'C-4'")" "0 "
is "open manifest: said" "$(jq -r 'select(.order_id == "C-4") | .cancellation.off_manifest' out)" SF-20261124
is "open manifest: a pull_parcel task naming it" "$(tasks C-4 '[.kind, .tracking, .detail.manifest]')" \
    "[\"pull_parcel\",\"$t4\",\"SF-20261124\"]"
is "open manifest: the audit trail" \
    "$(q "select what || '=' || detail from events where order_id = 'C-4' and tool = 'ingest-orders' and what != 'accepted' order by id")" \
    "manifest.taken_off=SF-20261124 label.voided=[\"$t4\"] stock.released=2 SKUs task.opened=T-000003 cancelled=was dispatched "

# Dispatched, its manifest closed: the carrier has it; intercept.
is "closed manifest: still on it" "$(q "select manifest from manifest_parcels where order_id = 'C-5'")" "SF-20261123 "
is "closed manifest: the number stays live" "$(q "select count(*) from parcels where order_id = 'C-5' and voided_at is null")" "1 "
is "closed manifest: stock not back (it left)" "$(q "select count(*) from picks where order_id = 'C-5' and released_at is not null")" "0 "
is "closed manifest: a high carrier_intercept task" \
    "$(tasks C-5 '[.kind, .priority, .detail.carrier, .detail.manifest, .detail.tracking]')" \
    "[\"carrier_intercept\",\"high\",\"sf\",\"SF-20261123\",[\"$t5\"]]"
is "closed manifest: in the record" "$(jq -c 'select(.order_id == "C-5") | .cancellation.intercept' out)" \
    "{\"tracking\":[\"$t5\"],\"manifest\":\"SF-20261123\",\"carrier\":\"sf\"}"
is "four tasks in all" "$(followup -q --tasks | jq -r .kind | sort | tr '\n' ' ')" \
    "carrier_intercept pull_parcel pull_parcel return_to_shelf "

# The customers are told, each once, in their language.
is "five e-mails" "$(nmail)" 5
is "en: subject" "$(mail_to ann@ subject)" "Order C-1 is cancelled"
case $(mail_to ann@ body) in
*"Hello Ann Lee,"*"your order C-1 at "*"has been cancelled."*"Nothing will be sent to you."*) ok "en: body" ;;
*) not_ok "en: body"; mail_to ann@ body | sed 's/^/#   /' ;;
esac
is "zh-CN: subject" "$(mail_to wang@ subject)" "您的订单 C-2 已取消"
case $(mail_to wang@ body) in
*"王小明，您好"*"订单 C-2 已经取消"*"我们不会再为您发货"*) ok "zh-CN: body" ;;
*) not_ok "zh-CN: body"; mail_to wang@ body | sed 's/^/#   /' ;;
esac
case $(mail_to dora@ body) in
*"with SF Express: we have asked the carrier to stop parcel $t5"*"please refuse it"*) ok "intercepted: the e-mail says so" ;;
*) not_ok "intercepted: the e-mail says so"; mail_to dora@ body | sed 's/^/#   /' ;;
esac
is "the ledger keys each message" "$(q "select count(*) from messages where event = 'order_cancelled' and status = 'sent'")" "5 "
notify -q --channel email out >/dev/null
is "again: nothing more sent" "$(nmail)" 5

# The same cancellation again: a duplicate, nothing undone twice.
run ingest-orders cancel.ndjson
is "again: nothing emitted" "$(wc -c <out | tr -d ' ')" 0
check "again: duplicates" grep -q "5 duplicate" err
is "again: no new task" "$(q "select count(*) from tasks")" "4 "

# Stale records of cancelled orders are refused, named, set aside.
run label picked.ndjson
is "a stale picked record: exit 1" "$rc" 1
check "a stale picked record: refused" grep -qx "label: picked.ndjson:[0-9]*: order C-2: cancelled: cannot be labelled" err
run dispatch labelled.ndjson
check "a stale labelled record: refused" grep -qx "dispatch: labelled.ndjson:[0-9]*: order C-3: cancelled: cannot be dispatched" err
grep '"C-1"' accepted.ndjson >c1.ndjson
run pick-list c1.ndjson
is "pick-list passes a cancelled order on, never picks it" \
    "$(jq -r 'select(.order_id == "C-1") | .status' out)" cancelled

# The stock came back: C-6, held for SCARCE-1, is picked now; a new order
# takes what is left, and a later label run never hands out a voided
# number again.
jq -c 'select(.order_id == "C-2") | .order_id = "C-7" |
    .placed_at = "2026-11-23T09:30:00+08:00"' "$DATA/cancel-orders.ndjson" >c7.ndjson
ingest-orders -q c7.ndjson >/dev/null
pick-list -q --pending </dev/null >repicked.ndjson
is "stock back: both take SCARCE-1 again" "$(jq -r '.order_id + ":" + .status' repicked.ndjson | sort | tr '\n' ' ')" \
    "C-6:picked C-7:held "
jq -c 'select(.order_id == "C-6")' repicked.ndjson | label -q -o labels >c6.ndjson
t6=$(jq -r .shipment.tracking c6.ndjson)
case " $t3 $t4 $t5 " in
*" $t6 "*) not_ok "a voided number is never handed out again ($t6)" ;;
*) ok "a voided number is never handed out again" ;;
esac
is "numbers are handed out once" "$(q "select count(*) - count(distinct tracking) from parcels")" "0 "

# A cancellation whose line died in a pipe is still announced.
cancel C-6 | ingest-orders -q >/dev/null
is "C-6 was labelled: pulled" "$(tasks C-6 .kind)" '"pull_parcel"'
# One the shop cancelled before the warehouse ever had it: the shop's
# to tell.
jq -c 'select(.order_id == "C-1") | .order_id = "C-8" | .status = "cancelled" |
    .customer.email = "never@example.com"' "$DATA/cancel-orders.ndjson" |
    ingest-orders -q >never.ndjson
is "never had: not emitted" "$(wc -c <never.ndjson | tr -d ' ')" 0
run notify --pending --channel email </dev/null
is "--pending: the lost cancellation announced" "$(mail_to eli@ subject)" "Order C-6 is cancelled"
is "--pending: not one the warehouse never had" "$(mail_to never@ subject)" ""

# The intercepted parcel's carrier events: the order stays cancelled, the
# customer hears no more of it, and the scan leaves it to the task.
printf '%s\n' "{\"type\":\"tracking\",\"tracking\":\"$t5\",\"status\":\"in_transit\",\"occurred_at\":\"2026-11-23T20:00:00+08:00\"}" \
    "{\"type\":\"tracking\",\"tracking\":\"$t5\",\"status\":\"returned\",\"occurred_at\":\"2026-11-24T09:00:00+08:00\"}" >ev.ndjson
FULFIL_NOW=2026-11-24T10:00:00+08:00 run followup ev.ndjson
is "carrier events: taken" "$rc" 0
is "carrier events: no notice for the customer" "$(wc -c <out | tr -d ' ')" 0
is "carrier events: the order stays cancelled" "$(q "select status from orders where order_id = 'C-5'")" "cancelled "
is "carrier events: the parcel's state kept" "$(q "select status from shipments where tracking = '$t5'")" "returned "
FULFIL_NOW=2026-11-30T10:00:00+08:00 run followup --scan
is "the scan chases no cancelled parcel" "$(jq -r 'select(.order_id == "C-5") | .kind' out)" ""
done_testing
