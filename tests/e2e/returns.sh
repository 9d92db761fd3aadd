# returns.sh: sourced by the returns back office's tests after lib.sh.
# ship_returns ships tests/data/returns-orders.ndjson (R-1 prepaid, R-2
# cash on delivery; together they take all three SCARCE-1), delivers
# both, and makes an RMA of each, labelled: R-1 sends back both
# SCARCE-1 ($R1 its return parcel), R-2 its two TEA-2 ($R2).  The clock
# is then 2026-11-28 10:00.
ship_returns() {
	jq --arg t "$FULFIL_ROOT/examples/templates" '.notify = {templates: $t,
	    from: {name: "Test Shop", address: "shop@example.com"},
	    smtp: {url: "smtp://127.0.0.1:9"}}' "$DATA/fulfil.json" >fulfil.json
	ship_orders "$DATA/returns-orders.ndjson"
	printf '%s\n' \
	    "{\"tracking\":\"$(trk R-1)\",\"status\":\"delivered\",\"occurred_at\":\"2026-11-24T11:00:00+08:00\"}" \
	    "{\"tracking\":\"$(trk R-2)\",\"status\":\"delivered\",\"occurred_at\":\"2026-11-24T12:00:00+08:00\"}" |
	    FULFIL_NOW=2026-11-24T12:00:00+08:00 followup -q >/dev/null
	cat >requests.ndjson <<-'REQ'
	{"order_id":"R-1","kind":"return","reason":"包装破损了","lines":[{"sku":"SCARCE-1","qty":2}]}
	{"order_id":"R-2","kind":"return","reason_code":"changed_mind","lines":[{"sku":"TEA-2","qty":2}]}
	REQ
	FULFIL_NOW=2026-11-25T10:00:00+08:00 followup -q --returns requests.ndjson |
	    jq -c 'select(.type == "return")' >rmas.ndjson
	FULFIL_NOW=2026-11-25T11:00:00+08:00 label -q --return rmas.ndjson >labelled.ndjson
	R1=$(jq -r 'select(.rma == "RMA-000001") | .tracking' labelled.ndjson)
	R2=$(jq -r 'select(.rma == "RMA-000002") | .tracking' labelled.ndjson)
	FULFIL_NOW=2026-11-28T10:00:00+08:00
	export FULFIL_NOW
}
