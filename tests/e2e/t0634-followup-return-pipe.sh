#!/bin/sh
# The returns desk in a pipe to notify: a scanning session and an
# inspection, the customers told once; a notice lost with a broken pipe
# comes back with --pending; the whole session given again makes
# nothing twice, in the ledger or in the mail.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
. "$FULFIL_ROOT/tests/e2e/returns.sh"
setup
ship_returns
jq '.notify.outbox = "outbox.ndjson"' fulfil.json >f.tmp && mv f.tmp fulfil.json

# A scanning session: both parcels, one twice, one code mistyped.
printf '%s\n' "$R1" RMA-000002 "$R1" RMA-00002 >session.txt
followup --receive - <session.txt 2>desk.err | notify --channel outbox -q >/dev/null || :
is "the session: said" "$(cat desk.err)" \
    "followup: <stdin>:4: 'RMA-00002': no RMA, return parcel or order with a return
followup: 2 returns received, 0 inspected, 0 restocked, 0 refunds, 1 done before, 1 rejected; 2 notices, 2 tasks"
is "told once each" "$(jq -r '.to + " " + .subject' outbox.ndjson | tr '\n' '|')" \
    "lin@example.com 订单 R-1 的退货已收到|tom@example.com We received your return for order R-2|"

# An inspection whose output dies in the pipe: the refund is in the
# ledger, and --pending gives its notice again.
followup -q --inspect RMA-000001 SCARCE-1=resellable:2 >/dev/null
is "the refund is kept" "$(ledger_sql fulfil.db "select rma || ':' || amount from refunds")" "RMA-000001:25600"
followup -q --pending </dev/null | notify --channel outbox -q >/dev/null
is "--pending: the customer told of the refund" \
    "$(jq -r 'select(.event == "refund_issued") | .to + " " + .subject' outbox.ndjson)" \
    "lin@example.com 订单 R-1 的退款"

# Everything again: nothing new anywhere.
before=$(ledger_sql fulfil.db 'select count(*) from notices; select count(*) from tasks; select count(*) from refunds; select sum(qty) from stock_adjustments; select count(*) from return_lines' | tr '\n' ' ')
followup --receive - <session.txt 2>/dev/null | notify --channel outbox -q >/dev/null || :
followup -q --inspect RMA-000001 SCARCE-1=resellable:2 | notify --channel outbox -q >/dev/null
followup -q --pending </dev/null | notify --channel outbox -q >/dev/null
is "again: the ledger unchanged" \
    "$(ledger_sql fulfil.db 'select count(*) from notices; select count(*) from tasks; select count(*) from refunds; select sum(qty) from stock_adjustments; select count(*) from return_lines' | tr '\n' ' ')" \
    "$before"
is "again: no mail twice" "$(jq -r '.event + " " + .to' outbox.ndjson | sort | uniq -d | wc -l | tr -d ' ')" 0
# The deliveries' notices were never sent before: --pending sent them.
is "five mails in all" "$(jq -r .event outbox.ndjson | sort | uniq -c | tr -s ' ' | tr '\n' ',')" \
    " 2 delivered, 1 refund_issued, 2 return_received,"
done_testing
