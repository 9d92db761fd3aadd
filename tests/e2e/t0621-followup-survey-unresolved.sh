#!/bin/sh
# followup --scan: no survey while the customer's matter is unresolved.
# A complaint's call (call_customer), a damaged return
# (replace_or_refund) and a damaged parcel (an exception) hold the
# survey back; a plain return does not.  Once staff close the task the
# survey goes, once.  (Before, a survey went to a customer with a
# damaged-goods return still open.)
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup
jq '.followup = {survey_url: "https://s.example/r?o={order_id}"}' \
    "$DATA/fulfil.json" >fulfil.json
ship_notify_orders
ev() { printf '{"type":"tracking","tracking":"%s","status":"%s","occurred_at":"%s"}\n' "$(trk "$1")" "$2" "$3"; }
{
	ev N-1 delivered 2026-11-24T11:00:00+08:00
	ev N-2 delivered 2026-11-24T11:00:00+08:00
	ev N-3 delivered 2026-11-24T11:00:00+08:00
	ev N-4 delivered 2026-11-24T11:00:00+08:00
	printf '{"type":"tracking","tracking":"%s","status":"exception","substatus":"damaged","occurred_at":"2026-11-24T10:00:00+08:00"}\n' "$(trk N-5)"
	ev N-5 delivered 2026-11-24T11:00:00+08:00
} | FULFIL_NOW=2026-11-24T12:00:00+08:00 followup -q >/dev/null
export FULFIL_NOW=2026-11-25T10:00:00+08:00
echo '{"order_id":"N-1","rating":1,"text":"Nobody answers my mails","at":"2026-11-25T09:00:00+08:00"}' |
    followup -q --reviews /dev/stdin >/dev/null
cat >returns.ndjson <<'EOT'
{"order_id":"N-2","kind":"return","reason":"arrived damaged","lines":[{"sku":"TEA-1","qty":1}]}
{"order_id":"N-3","kind":"return","reason":"changed my mind","lines":[{"sku":"TEA-1","qty":1}]}
EOT
followup -q --returns returns.ndjson >/dev/null
is "open matters" \
    "$(ledger_sql fulfil.db "select order_id || ':' || kind from tasks where status = 'open' order by order_id, kind" | tr '\n' ' ')" \
    "N-1:call_customer N-2:replace_or_refund N-5:replace_or_refund "

export FULFIL_NOW=2026-11-27T12:00:00+08:00
run followup --scan
is "surveys only where nothing is open" \
    "$(jq -r 'select(.event == "survey") | .order_id' out | tr '\n' ' ')" "N-3 N-4 "
run followup --scan
is "held ones stay held" "$(grep -c survey out || :)" 0

close() {
	for id in $(ledger_sql fulfil.db "select id from tasks where status = 'open' $1"); do
		followup -q --done "$id"
	done
}
close "and order_id = 'N-1'"
run followup --scan
is "the call made: N-1's survey" "$(jq -r 'select(.event == "survey") | .order_id' out | tr '\n' ' ')" "N-1 "
close ""
run followup --scan
is "the damage settled: the others'" "$(jq -r 'select(.event == "survey") | .order_id' out | tr '\n' ' ')" "N-2 N-5 "
run followup --scan
is "each once" "$(grep -c survey out || :)" 0

done_testing
