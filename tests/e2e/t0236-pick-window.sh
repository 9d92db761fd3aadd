#!/bin/sh
# pick-list --window / pick.window: the input planned, committed and
# written out a window of orders at a time.  Every order once, batches
# of one window each, each window's records after its commit (cart by
# cart, then the held), stock given out across windows never more than
# the shelf has, the input's duplicates found across windows, --stats
# summed, --pending in windows, and a window written while the input is
# still open.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup
led() { ledger_sql fulfil.db "$1" | tr '\n' ' '; }

# Ten of LIMIT-1 on the shelf, ordered by 14 of the 60 orders (every 4th
# but the last).
echo 'LIMIT-1,Limited tin,A03-04-1,200,100,100,100,,10' >>catalog.csv
touch -d 2026-11-23T00:00:00Z catalog.csv
awk 'BEGIN {
	split("TEA-1 TEA-2 BOOK-1 POT-1 GIFT-CUP", sku, " ")
	for (i = 1; i <= 60; i++) {
		l = sprintf("{\"sku\":\"%s\",\"name\":\"x\",\"qty\":1,\"unit_price\":1000}", sku[i % 5 + 1])
		if (i % 4 == 0 && i < 60)
			l = l ",{\"sku\":\"LIMIT-1\",\"name\":\"tin\",\"qty\":1,\"unit_price\":500}"
		printf "{\"order_id\":\"W-%02d\",\"source\":\"web\",\"placed_at\":\"2026-11-23T09:%02d:00+08:00\",\"currency\":\"CNY\",\"customer\":{\"name\":\"C %d\",\"email\":\"c%d@example.com\"},\"ship_to\":{\"name\":\"C %d\",\"line1\":\"1 Road\",\"city\":\"Shanghai\",\"postcode\":\"201203\",\"country\":\"CN\",\"phone\":\"+8613800138001\"},\"lines\":[%s],\"total\":1000,\"payment\":{\"method\":\"prepaid\"},\"service\":\"%s\"}\n", i, i % 60, i, i, i, l, i % 3 == 0 ? "express" : "standard"
	}
}' >orders.ndjson
ingest-orders -q orders.ndjson >in.ndjson

# The window a record's order is in (7 orders a window, W-01 first).
win_of() { jq -r '.order_id | ltrimstr("W-") | tonumber | (. - 1) / 7 | floor'; }

run pick-list --stats --window 7 in.ndjson
is "--window 7: exit 0" "$rc" 0
is "every order written once" \
    "$(jq -r .order_id out | sort | uniq | wc -l) $(wc -l <out)" "60 60"
is "10 tins picked, 4 orders held for them" \
    "$(jq -r .status out | sort | uniq -c | tr -s ' ' | tr '\n' ';')" \
    " 4 held; 56 picked;"
is "the tins given out: the ten there were" \
    "$(led "select sum(qty) from picks where sku = 'LIMIT-1'")" "10 "
is "the held are short of a tin each" \
    "$(jq -r 'select(.status == "held") | .pick.short[] | "\(.sku):\(.qty_short)"' out | sort | uniq -c | tr -s ' ')" \
    " 4 LIMIT-1:1"
is "the records come out window by window" \
    "$(win_of <out | uniq | tr '\n' ' ')" "0 1 2 3 4 5 6 7 8 "
# Within a window: cart by cart (batch, then tote), then the held.
jq -r '[(.order_id | ltrimstr("W-") | tonumber | (. - 1) / 7 | floor),
    (if .status == "held" then 1 else 0 end), (.pick.batch // 0),
    (.pick.tote // 0)] | @tsv' out >keys
check "within a window: cart by cart, then the held" \
    sh -c 'sort -n -k1,1 -k2,2 -k3,3 -k4,4 keys | cmp -s - keys'
is "a batch is one window's" \
    "$(jq -r 'select(.status == "picked") | "\(.pick.batch) \(.order_id | ltrimstr("W-") | tonumber | (. - 1) / 7 | floor)"' out | sort -u | awk '{print $1}' | uniq -d | wc -l)" 0
jq -r 'select(.status == "picked") | "\(.order_id | ltrimstr("W-") | tonumber | (. - 1) / 7 | floor) \(.pick.batch)"' out |
    sort -k1,1n -k2,2n | awk '{print $2}' | uniq >batches
check "later windows, later batches" sh -c 'sort -n batches | cmp -s - batches'
nb=$(jq -r 'select(.status == "picked") | .pick.batch' out | sort -u | wc -l)
is "the batches written are the ledger's, each once" \
    "$(led "select count(*), count(distinct id) from batches")" "$nb|$nb "
# --stats: each window's waves and batches, summed.
waves=$(jq -r 'select(.status == "picked") | "\(.order_id | ltrimstr("W-") | tonumber | (. - 1) / 7 | floor) \(.pick.wave)"' out | sort -u | wc -l)
is "--stats sums the windows" \
    "$(grep '^{' err | jq -r '"\(.orders) \(.picked) \(.held) \(.waves) \(.batches)"')" \
    "60 56 4 $waves $nb"
is "--stats: the walk is the batches'" \
    "$(awk -v a="$(grep '^{' err | jq -r .route_m)" \
	-v b="$(led "select sum(route_m) from batches")" \
	'BEGIN { d = a - b; print (a > 0 && d < 0.05 && d > -0.05) }')" 1
is "one summary line for the run" \
    "$(grep -c '^pick-list: 60 read, 56 picked' err)" 1
cp out window7.ndjson

# A re-run: every order passed through as the ledger has it, nothing new.
run pick-list --window 7 in.ndjson
is "re-run: exit 0, nothing more picked" \
    "$rc $(jq -r .status out | sort | uniq -c | tr -s ' ' | tr '\n' ';') $(led "select count(*) from batches")" \
    "0  4 held; 56 picked; $nb "

# The same from pick.window in the config; --window wins over it.
fresh_ledger
ingest-orders -q orders.ndjson >/dev/null
jq '.pick = {"window": 7}' fulfil.json >w.json
run pick-list --config w.json in.ndjson
same "pick.window 7: as --window 7" out window7.ndjson
fresh_ledger
ingest-orders -q orders.ndjson >/dev/null
run pick-list --config w.json --window 0 in.ndjson
cp out whole.ndjson
is "--window 0 over pick.window: one window (the held last)" \
    "$(jq -r .status out | uniq | tr '\n' ' ')" "picked held "
check "... not the windows' order" sh -c '! cmp -s out window7.ndjson'
fresh_ledger
ingest-orders -q orders.ndjson >/dev/null
run pick-list in.ndjson
same "the default window holds the 60: as --window 0" out whole.ndjson

# Twice in the input, the copies in different windows.
fresh_ledger
ingest-orders -q orders.ndjson >/dev/null
{ head -n 9 in.ndjson; sed -n 3p in.ndjson; } >dup.ndjson
run pick-list --window 7 dup.ndjson
is "a duplicate across windows: exit 1" "$rc" 1
is "... said, with its line" \
    "$(grep -c '^pick-list: dup.ndjson:10: order W-03: appears twice in the input$' err)" 1
is "... the first copy picked, once" \
    "$(jq -r .order_id out | sort | uniq -c | tr -s ' ' | grep -c ' 1 W-')" 9

# --pending in windows: the input's first, then the ledger's.
fresh_ledger
ingest-orders -q orders.ndjson >/dev/null
sed -n '50,55p' in.ndjson >some.ndjson
run pick-list --pending --window 7 some.ndjson
is "--pending, windows of 7: exit 0, every order once" \
    "$rc $(jq -r .order_id out | sort -u | wc -l) $(wc -l <out)" "0 60 60"
is "... the input's six first" "$(head -n 6 out | jq -r .order_id | sort | tr '\n' ' ')" \
    "W-50 W-51 W-52 W-53 W-54 W-55 "
is "... the tins: ten, no more" \
    "$(led "select sum(qty) from picks where sku = 'LIMIT-1'") $(jq -r .status out | sort | uniq -c | tr -s ' ' | tr '\n' ';')" \
    "10   4 held; 56 picked;"
is "... batches of one window each" \
    "$(jq -r 'select(.status == "picked") | "\(.pick.batch) \(input_line_number)"' out | awk '{w = int(($2 - 1) / 7); print $1, w}' | sort -u | awk '{print $1}' | uniq -d | wc -l)" 0

# Bad windows: a usage error in one line, nothing read.
for v in -1 x 7x '' 1.5; do
	run pick-list --window "$v" in.ndjson
	is "--window '$v': exit 2, one line" "$rc $(wc -l <err) $(wc -c <out)" "2 1 0"
done
is "... saying what is wrong" "$(cat err)" \
    "pick-list: --window: '1.5' is not a count of orders (0: the whole input)"
jq '.pick = {"window": "7"}' fulfil.json >bad.json
run pick-list --config bad.json in.ndjson
is "pick.window a string: a config error, exit 2, one line" \
    "$rc $(wc -l <err) $(wc -c <out)" "2 1 0"
check "... naming the key" grep -q 'pick.window: must be an integer' err
jq '.pick = {"window": -3}' fulfil.json >bad.json
run pick-list --config bad.json in.ndjson
is "pick.window negative: a config error" "$rc $(wc -l <err)" "2 1"

# A window is committed and written while the input is still open.
fresh_ledger
ingest-orders -q orders.ndjson >/dev/null
mkfifo fifo
pick-list -q --window 7 <fifo >live.ndjson 2>live.err &
pid=$!
exec 3>fifo
head -n 7 in.ndjson >&3
i=0
while [ $i -lt 100 ]; do
	[ "$(wc -l <live.ndjson)" -lt 7 ] || break
	sleep 0.1
	i=$((i + 1))
done
is "7 orders in, the input open: 7 records out" "$(wc -l <live.ndjson | tr -d ' ')" 7
is "... picked in the ledger" \
    "$(led "select count(*) from orders where status = 'picked'")" "7 "
check "... pick-list still reading" kill -0 $pid
# Another run picks meanwhile, tins among them: the next window's stock
# is read again, not kept from the last.
sed -n '50,59p' in.ndjson >other.ndjson
run pick-list --window 0 other.ndjson
is "another run between two windows: 2 tins more" \
    "$rc $(led "select sum(qty) from picks where sku = 'LIMIT-1'")" "0 3 "
sed -n '8,49p;60p' in.ndjson >&3
exec 3>&-
set +e
wait $pid
rc=$?
set -e
is "input closed: exit 0, the rest written" "$rc $(wc -l <live.ndjson | tr -d ' ')" "0 50"
is "the tins: ten in all, no more" \
    "$(led "select sum(qty) from picks where sku = 'LIMIT-1'") $(cat live.ndjson out | jq -r .status | sort | uniq -c | tr -s ' ' | tr '\n' ';')" \
    "10   4 held; 56 picked;"

done_testing
