#!/bin/sh
# label: a helper's number is checked against the ledger.  A number
# another parcel has is refused (never two parcels one number), and so
# is a second number for a key it answered before; either way the order
# stays unnumbered and the next run asks again with the same key.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup

HELPER_LOG=$T/helper.log HELPER_STATE=$T/helper.state
export HELPER_LOG HELPER_STATE
cp "$FULFIL_ROOT/tests/helpers/carrier-helper.py" helper
jq '.carriers[0].helper = "helper"' fulfil.json >f && mv f fulfil.json
ingest-orders -q "$DATA/pick-orders.ndjson" | pick-list -q >picked.ndjson
for o in P-1 P-2 P-5; do
	jq -c "select(.order_id == \"$o\")" picked.ndjson >$o.ndjson
done

# One number for every key: the first order has it, the second not.
HELPER_MODE=same run label P-1.ndjson
is "same: the first numbered" "$(jq -r .shipment.tracking out)" SF500000000001
HELPER_MODE=same run label P-2.ndjson
is "same: exit 1" "$rc" 1
is "same: refused" "$(head -n 1 err)" \
    "label: P-2.ndjson:1: order P-2: carrier sf: helper gave parcel 1 the number SF500000000001, already order P-1's (key web/P-2/sf/1-of-1/0)"
is "same: one parcel has the number" \
    "$(ledger_sql fulfil.db "select order_id from parcels where tracking = 'SF500000000001'")" P-1
is "same: the lie kept, with why" \
    "$(ledger_sql fulfil.db "select tracking, case when error like '%already order P-1%' then 1 else 0 end from helper_requests where order_id = 'P-2'")" \
    "SF500000000001|1"

# Two parcels: the first answered, the helper dies on the second; the
# next run's helper gives the first a new number for the same key.
printf '{"next": 500000000100, "keys": {}}' >helper.state
HELPER_MODE=crash2 run label P-5.ndjson
is "crash2: exit 1" "$rc" 1
is "crash2: no parcel kept" "$(ledger_sql fulfil.db "select count(*) from parcels where order_id = 'P-5'")" 0
is "crash2: the first answer kept" \
    "$(ledger_sql fulfil.db "select n, tracking from helper_requests where order_id = 'P-5' order by n" | tr '\n' ' ')" \
    "1|SF500000000100 2| "
HELPER_MODE=fickle run label P-5.ndjson
is "fickle: exit 1" "$rc" 1
is "fickle: refused" "$(head -n 1 err)" \
    "label: P-5.ndjson:1: order P-5: carrier sf: helper gave parcel 1 the number SF500000000101, and SF500000000100 before for the same key (key web/P-5/sf/1-of-2/0)"
is "fickle: no parcel kept" "$(ledger_sql fulfil.db "select count(*) from parcels where order_id = 'P-5'")" 0
# Mended: the first number again for the same key, a new one for the second.
printf '{"next": 500000000102, "keys": {"web/P-5/sf/1-of-2/0": "SF500000000100"}}' >helper.state
HELPER_MODE=good run label P-5.ndjson
is "mended: exit 0" "$rc" 0
is "mended: numbered" "$(jq -r '[.shipment.parcels[].tracking] | join(" ")' out)" \
    "SF500000000100 SF500000000102"
is "mended: the same keys" \
    "$(ledger_sql fulfil.db "select key, attempts from helper_requests where order_id = 'P-5' order by n" | tr '\n' ' ')" \
    "web/P-5/sf/1-of-2/0|3 web/P-5/sf/2-of-2/0|3 "
is "never two parcels one number" \
    "$(ledger_sql fulfil.db "select count(*) from (select tracking from parcels group by tracking having count(*) > 1) t")" 0
done_testing
