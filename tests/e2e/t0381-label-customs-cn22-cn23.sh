#!/bin/sh
# label: CN22 below the UPU limit in the order's currency, CN23 from it
# up (and for a currency without a limit); label.customs.cn22_limit moves
# it.  The declaration is in the record as shipment.customs, the same on
# a re-run.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
. "$FULFIL_ROOT/tests/e2e/customs.sh"
setup
customs_picked '.order_id != "C-MISS"'
forms() {
	jq -r 'select(.shipment.customs) | [.order_id, .shipment.customs.form,
	    .shipment.customs.total_value, .shipment.customs.currency] |
	    join(" ")' "$1" | sort | tr '\n' ','
}

run label picked.ndjson
is "exit 0" "$rc" 0
# EUR 50.00, JPY 3000 below; USD 500.00 above USD 400.00; CHF has no limit.
is "CN22 below the limit, CN23 above it or without one" "$(forms out)" \
    "C-CH CN23 1000 CHF,C-DE CN22 5000 EUR,C-JP CN22 3000 JPY,C-US CN23 50000 USD,"
is "the record of a declaration" \
    "$(jq -c 'select(.order_id == "C-DE") | .shipment.customs' out)" \
    '{"form":"CN22","category":"sale_of_goods","from_country":"CN","to_country":"DE","items":[{"sku":"TEA-1","description":"Green tea (not fermented) in packings of 3 kg or less","qty":2,"value":3000,"currency":"EUR","weight_g":600,"hs_code":"090210","origin_country":"CN"},{"sku":"BOOK-1","description":"The book of tea","qty":1,"value":2000,"currency":"EUR","weight_g":450,"hs_code":"490199","origin_country":"GB"},{"sku":"GIFT-CUP","description":"Porcelain tea cup","qty":2,"value":0,"currency":"EUR","weight_g":240,"hs_code":"691200","origin_country":"CN","gift":true}],"total_value":5000,"currency":"EUR","total_weight_g":1290}'
is "the gift with purchase is marked a gift, the rest a sale" \
    "$(jq -r 'select(.order_id == "C-DE") | .shipment.customs |
	.category + " " + ([.items[] | .gift // false] | map(tostring) | join(","))' out)" \
    "sale_of_goods false,false,true"
cp out first.ndjson

# Every line a gift: the parcel is a gift.
jq -c 'select(.order_id == "C-JP") | .order_id = "C-JPG" |
    .lines[].gift = true' picked.ndjson >gift.ndjson
run label --db gift.db gift.ndjson
is "all gifts: category gift" \
    "$(jq -r .shipment.customs.category out)" gift

run label picked.ndjson
is "re-run: exit 0" "$rc" 0
is "re-run: the same declarations" \
    "$(jq -c .shipment.customs out | sort)" "$(jq -c .shipment.customs first.ndjson | sort)"

# A limit of its own: EUR 40.00 makes the EUR 50.00 parcel a CN23; CHF
# now has one.
jq '.label = {"customs": {"cn22_limit": {"EUR": 4000, "CHF": 30000}}}' \
    fulfil.json >limit.json
run label --config limit.json --db limit.db picked.ndjson
is "configured limit: exit 0" "$rc" 0
is "configured limit: only the currencies it names get a CN22" \
    "$(forms out)" \
    "C-CH CN22 1000 CHF,C-DE CN23 5000 EUR,C-JP CN23 3000 JPY,C-US CN23 50000 USD,"

jq '.label = {"customs": {"cn22_limit": {"XYZ": 1}}}' fulfil.json >bad.json
run label --config bad.json --db bad.db picked.ndjson
is "a currency that is none: exit 2" "$rc" 2
is "the message names the key" "$(cat err)" \
    "label: bad.json: \$.label.customs.cn22_limit: not an ISO 4217 currency code: 'XYZ'"
done_testing
