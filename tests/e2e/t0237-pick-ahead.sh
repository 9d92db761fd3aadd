#!/bin/sh
# pick-list plans a window of its input before it takes the ledger's
# lock, and under the lock keeps the plan only if the ledger is still as
# the plan read it.  A run stopped between the two (FULFIL_PICK_STOP=ahead)
# while another run takes stock, or an order's update is ingested, plans
# the window again under the lock: no unit of stock given twice, the
# update picked.  Nothing changed: the plan is kept, the output the same
# as a run never stopped.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup
led() { ledger_sql fulfil.db "$1" | tr '\n' ' '; }

# Ten of LIMIT-1 on the shelf; the orders W-04, W-08, ... W-56 want one
# each (14 of them).
echo 'LIMIT-1,Limited tin,A03-04-1,200,100,100,100,,10' >>catalog.csv
touch -d 2026-11-23T00:00:00Z catalog.csv
order() { # order N QTY: order W-N, QTY of its first line
	awk -v i="$1" -v q="$2" 'BEGIN {
	split("TEA-1 TEA-2 BOOK-1 POT-1 GIFT-CUP", sku, " ")
	l = sprintf("{\"sku\":\"%s\",\"name\":\"x\",\"qty\":%d,\"unit_price\":1000}", sku[i % 5 + 1], q)
	if (i % 4 == 0)
		l = l ",{\"sku\":\"LIMIT-1\",\"name\":\"tin\",\"qty\":1,\"unit_price\":500}"
	printf "{\"order_id\":\"W-%02d\",\"source\":\"web\",\"placed_at\":\"2026-11-23T09:%02d:00+08:00\",\"currency\":\"CNY\",\"customer\":{\"name\":\"C %d\",\"email\":\"c%d@example.com\"},\"ship_to\":{\"name\":\"C %d\",\"line1\":\"1 Road\",\"city\":\"Shanghai\",\"postcode\":\"201203\",\"country\":\"CN\",\"phone\":\"+8613800138001\"},\"lines\":[%s],\"total\":1000,\"payment\":{\"method\":\"prepaid\"},\"service\":\"%s\"}\n", i, i % 60, i, i, i, l, i % 3 == 0 ? "express" : "standard"
	}'
}
i=1
while [ $i -le 59 ]; do
	order $i 1
	i=$((i + 1))
done >orders.ndjson
# A's input: W-01 to W-49 (12 of them want a tin); B's: W-50 to W-59 (2).
ingest() {
	fresh_ledger
	ingest-orders -q orders.ndjson >in.ndjson
	head -n 49 in.ndjson >a.ndjson
	tail -n 10 in.ndjson >b.ndjson
}
tins() { led "select coalesce(sum(qty), 0) from picks where sku = 'LIMIT-1'"; }
stat_of() { grep "^{" "$2" | jq -r ".$1"; }

# The reference: A alone, never stopped.
ingest
run pick-list --stats --window 0 a.ndjson
is "A alone: exit 0, its plan kept" "$rc $(stat_of replanned err)" "0 0"
cp out alone.ndjson
is "A alone: ten tins given" "$(tins)" "10 "

# Nothing changes while A is stopped: the plan made ahead is kept.
ingest
FULFIL_PICK_STOP=ahead pick-list --stats --window 0 a.ndjson >a.out 2>a.err &
a=$!
check "A stopped, planned, before its lock" stopped $a
is "... nothing of it in the ledger yet" \
    "$(led "select count(*) from orders where status = 'picked'")" "0 "
kill -CONT $a
rc=0
wait $a || rc=$?
is "A went on: exit 0, its plan kept" "$rc $(stat_of replanned a.err)" "0 0"
same "... its output as A's alone" a.out alone.ndjson

# B takes two tins while A is stopped with a plan that gave A ten.
ingest
FULFIL_PICK_STOP=ahead pick-list --stats --window 0 a.ndjson >a.out 2>a.err &
a=$!
check "A stopped again" stopped $a
run pick-list --window 0 b.ndjson
is "B meanwhile: exit 0, two tins" "$rc $(tins)" "0 2 "
kill -CONT $a
rc=0
wait $a || rc=$?
is "A went on: exit 0, its window planned again" "$rc $(stat_of replanned a.err)" "0 1"
is "the tins: ten in all, no more" "$(tins)" "10 "
is "A: eight of its twelve tin orders picked, four held" \
    "$(jq -r 'select(any(.lines[]; .sku == "LIMIT-1")) | .status' a.out | sort | uniq -c | tr -s ' ' | tr '\n' ';')" \
    " 4 held; 8 picked;"
is "every order once" "$(cat a.out out | jq -r .order_id | sort | uniq -d | wc -l | tr -d ' ') $(cat a.out out | wc -l | tr -d ' ')" "0 59"

# An update of W-01 (two, not one) ingested while A is stopped: A picks
# the update, not the text it planned.
ingest
FULFIL_PICK_STOP=ahead pick-list --stats --window 0 a.ndjson >a.out 2>a.err &
a=$!
check "A stopped a third time" stopped $a
order 1 2 >update.ndjson
run ingest-orders update.ndjson
is "the update ingested" "$rc $(jq -r '.revision' out)" "0 2"
kill -CONT $a
rc=0
wait $a || rc=$?
is "A went on: exit 0, planned again" "$rc $(stat_of replanned a.err)" "0 1"
is "W-01 picked as updated: two" \
    "$(led "select qty from picks where order_id = 'W-01'")" "2 "
is "... and written out so" \
    "$(jq -r 'select(.order_id == "W-01") | "\(.revision) \(.status) \(.lines[0].qty)"' a.out)" "2 picked 2"
is "the tins: ten" "$(tins)" "10 "

# In windows: each window stops, the plan of each kept.
ingest
FULFIL_PICK_STOP=ahead pick-list --stats --window 20 a.ndjson >a.out 2>a.err &
a=$!
n=0
while stopped $a; do
	kill -CONT $a
	n=$((n + 1))
done
rc=0
wait $a || rc=$?
is "windows of 20: three stops, exit 0, no window planned again" \
    "$n $rc $(stat_of replanned a.err)" "3 0 0"
is "... every order once, ten tins" \
    "$(jq -r .order_id a.out | sort -u | wc -l | tr -d ' ') $(tins)" "49 10 "

done_testing
