#!/bin/sh
# label --slip-size: A6, 4x6 in and A4 slips, each with a barcode
# zbarimg reads; the slip follows --size; bad uses of --slip refused
# before any order is read.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup

ingest-orders -q "$DATA/pick-orders.ndjson" | pick-list -q >picked.ndjson
jq -c 'select(.order_id == "P-1")' picked.ndjson >one.ndjson

pagesize() { pdfinfo "$1" | sed -n 's/^Page size: *\([0-9.]* x [0-9.]* pts\).*/\1/p'; }
for s in a6:297.638 4x6:288 a4:595.276; do
	size=${s%%:*}
	run label --db $size.db --slip-size $size -o $size one.ndjson
	is "$size: exit 0" "$rc" 0
	case $size in
	a6) want="297.638 x 419.528 pts" ;;
	4x6) want="288 x 432 pts" ;;
	a4) want="595.276 x 841.89 pts" ;;
	esac
	is "$size: page size" "$(pagesize $size/slip-*.pdf)" "$want"
	pdftoppm -r 150 -png $size/slip-*.pdf $size-page 2>/dev/null
	is "$size: zbarimg reads the order barcode" "$(zbarimg --raw -q $size-page-1.png 2>/dev/null)" "web:P-1"
	pdftotext $size/slip-*.pdf $size.txt
	check "$size: the return address" grep -q "Test Warehouse Returns" $size.txt
done

run label --db mm.db --size 100x150 --slip -o mm one.ndjson
is "--size 100x150: A6 slips" "$(pagesize mm/slip-*.pdf)" "297.638 x 419.528 pts"

run label --slip-size a5 -o x one.ndjson
is "--slip-size a5: exit 2" "$rc" 2
is "--slip-size a5: says what it takes" "$(head -n 1 err)" "label: --slip-size: a6, 4x6 or a4"
run label --slip one.ndjson
is "--slip without -o: exit 2" "$rc" 2
is "--slip without -o: says so" "$(cat err)" "label: --slip needs -o dir for the slips"
run label --return --slip -o x one.ndjson
is "--return --slip: exit 2" "$rc" 2
is "--return --slip: says so" "$(cat err)" "label: --slip: return labels have no packing slip"
is "nothing was labelled" "$(ledger_sql fulfil.db 'select count(*) from parcels' 2>/dev/null || echo 0)" 0
check "usage names --slip" sh -c 'label --help | grep -q -- "--slip-size a6|4x6|a4"'

done_testing
