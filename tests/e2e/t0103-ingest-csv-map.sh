#!/bin/sh
# Generic CSV through a column map, as JSON or as CSV: our field <- their
# column, their delimiter, their number format.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup
sed '0,/"currency": "CNY"/s//"currency": "EUR"/' fulfil.json >f && mv f fulfil.json

run ingest-orders --map "$FULFIL_ROOT/examples/erp-map.json" "$FULFIL_ROOT/examples/erp.csv"
is "JSON map: exit 0" "$rc" 0
is "JSON map: amounts with decimal commas" \
    "$(jq -c '[.order_id, .source, .currency, [.lines[] | [.sku, .qty, .unit_price]], .total]' out)" \
    '["DE-1","erp","EUR",[["TEA-1",2,123450],["GIFT-CUP",2,0]],246900]
["DE-2","erp","EUR",[["TEA-2",1,1200],["POT-1",2,1200]],3600]'
cp out json-map.out

fresh_ledger
run ingest-orders -f csv --map "$DATA/erp-map.csv" "$FULFIL_ROOT/examples/erp.csv"
is "CSV map: exit 0" "$rc" 0
same "CSV map gives the same orders" out json-map.out

# Without the map's number format, "1.234,50" is not a number.
fresh_ledger
grep -v number_format "$FULFIL_ROOT/examples/erp-map.json" >plain-map.json
run ingest-orders --map plain-map.json "$FULFIL_ROOT/examples/erp.csv"
is "grouped amount without a locale: exit 1" "$rc" 1
check "reason names the file, line and field" grep -q \
    "erp.csv:2: order DE-1: total: digit grouping not allowed" err
check "the second order's first line" grep -q "erp.csv:3: order DE-2: total:" err
is "nothing comes out" "$(cat out)" ""

# CSV without a map is a usage error, before anything is read.
run ingest-orders -f csv "$FULFIL_ROOT/examples/erp.csv"
is "-f csv without --map: exit 2" "$rc" 2
run ingest-orders "$FULFIL_ROOT/examples/erp.csv"
is "unknown CSV: exit 2" "$rc" 2
check "unknown CSV: says how to fix it" grep -q "name it with -f" err

# Map errors name the map.
printf '{"columns": {"order_id": "A", "lines.sku": "B", "lines.qty": "C", "colour": "D"}}\n' >bad-map.json
run ingest-orders --map bad-map.json "$FULFIL_ROOT/examples/erp.csv"
is "bad map: exit 2" "$rc" 2
is "bad map: message" "$(cat err)" \
    "ingest-orders: map 'bad-map.json': columns.colour: unknown field"
printf '{"columns": {"order_id": "Nope", "lines.sku": "Artikel", "lines.qty": "Menge"}, "delimiter": ";"}\n' >miss-map.json
run ingest-orders --map miss-map.json "$FULFIL_ROOT/examples/erp.csv"
is "mapped column missing: exit 2" "$rc" 2
check "mapped column missing: message" grep -q "no column 'Nope' (mapped to order_id)" err

# A mapped column twice (as the map compares names) cannot be told
# apart: the file is not read.  One the map does not name may be there
# twice.
sed '1s/;Menge;/; menge ;/; 1s/;Zahlart;/;MENGE;/' "$FULFIL_ROOT/examples/erp.csv" >twice.csv
run ingest-orders -q --map "$FULFIL_ROOT/examples/erp-map.json" twice.csv
is "mapped column twice: exit 2" "$rc" 2
is "mapped column twice: message" "$(cat err)" \
    "ingest-orders: twice.csv: column 'Menge' appears twice in the header"
is "mapped column twice: nothing out" "$(wc -c <out | tr -d ' ')" 0
fresh_ledger
sed '1s/;Zahlart;/;Notiz;/; 1s/^Auftrag;/Notiz;Auftrag;/; 2,$s/^/x;/' "$FULFIL_ROOT/examples/erp.csv" >unmapped.csv
run ingest-orders --map "$FULFIL_ROOT/examples/erp-map.json" unmapped.csv
is "a column the map does not name, twice: read" "$rc $(jq -r .order_id out | tr '\n' ' ')" "0 DE-1 DE-2 "
done_testing
