# cod.sh: sourced by followup --remittance's tests after lib.sh.
# ship_cod: the five orders of notify-orders.ndjson shipped by sf on
# 2026-11-23 (ship_orders), N-1 to N-4 cash on delivery of CNY 100.00
# each, N-5 prepaid; then all five delivered on 2026-11-24 at 11:00 to
# 15:00.  T1 to T5 are their tracking numbers.
ship_cod() {
	jq -c 'if .order_id == "N-5" then . else
	    .payment = {method: "cod", cod_amount: 10000} end' \
	    "$DATA/notify-orders.ndjson" >cod-orders.ndjson
	ship_orders cod-orders.ndjson
	T1=$(trk N-1) T2=$(trk N-2) T3=$(trk N-3) T4=$(trk N-4) T5=$(trk N-5)
	for _i in 1 2 3 4 5; do
		eval "_t=\$T$_i"
		printf '{"type":"tracking","tracking":"%s","status":"delivered","occurred_at":"2026-11-24T1%s:00:00+08:00"}\n' \
		    "$_t" "$_i"
	done >delivered.ndjson
	FULFIL_NOW=2026-11-25T09:00:00+08:00 followup -q delivered.ndjson >/dev/null
}

# tasks KIND: the open tasks of a kind, "order_id:tracking" each.
tasks() {
	followup --tasks 2>/dev/null |
	    jq -r "select(.kind == \"$1\") | .order_id + \":\" + .tracking" |
	    tr '\n' ' '
}
