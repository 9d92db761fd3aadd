#!/bin/sh
# Schema 26 (issue 19), the picks' SKUs: a ledger at version 25, filled
# through the whole pipe, comes up to 26 with nothing lost.  26's
# pick_log names a SKU by its id in event_names, below 0 (the names of
# tools, events and channels keep their small ids); the view picks says
# the SKU's text as before.  The ledger at 25 is this build's, given
# version 25's tables back by hand (lib.sh's sql_to25).
. "$FULFIL_ROOT/tests/e2e/lib.sh"
pipe_setup
pipe_fill 30
n=$(ledger_sql fulfil.db "select count(*) from pick_log")
check "at 26: a pick or more an order ($n)" [ "$n" -ge 30 ]
is "at 26: every pick names its SKU by an id below 0, the view says each" \
    "$(ledger_sql fulfil.db "select count(*) from pick_log
	where sku >= 0")|$(ledger_sql fulfil.db "select count(*) from picks")" \
    "0|$n"
is "at 26: each of them a SKU of the catalogue, by the view" \
    "$(ledger_sql fulfil.db "select count(*) from picks where sku like 'SKU-_____'")" \
    "$(ledger_sql fulfil.db "select count(*) from pick_log")"
is "at 26: the other names keep ids of a byte" \
    "$(ledger_sql fulfil.db "select count(*) from event_names
	where id > 0 and id < 100")" \
    "$(ledger_sql fulfil.db "select count(*) from event_names where id > 0")"

dump() {	# the picks as the view says them, in the order of their key
	ledger_sql fulfil.db "select * from picks
	    order by source, order_id, sku"
}
slotting() {	# what slotting makes of the picks (ledger_picks_between)
	pick-list --slotting --from 2026-11-01 --to 2026-11-30 2>&1
}
dump >before.txt
slotting >slot-before.txt
check "slotting has picks to go on" grep -q "picks in" slot-before.txt
ledger_sql fulfil.db "$(sql_to25)
    $(sql_version 25)"
is "at 25: pick_log keeps a SKU's text" \
    "$(ledger_sql fulfil.db "select count(*) from pick_log
	where sku like 'SKU-_____'")|$(ledger_sql fulfil.db "select count(*)
	from event_names where id < 0")" "$(wc -l <before.txt | tr -d ' ')|0"
dump >at25.txt
same "at 25: the same picks" at25.txt before.txt

# pick-list on the ledger at 25 (slotting, which reads the picks by
# time: ledger_picks_between()): migrated first.
slotting >slot-after.txt
is "at version 26" "$(ledger_version fulfil.db)" 26
same "slotting: the same of the picks migrated" slot-after.txt slot-before.txt
dump >after.txt
same "the picks from before, as they were" after.txt before.txt

# New orders through the pipe on the migrated ledger.
pipe_more
is "notify after them" "$rc" 0
dump | grep -v '|N' >after.txt
same "the picks from before, still as they were" after.txt before.txt
is "every pick names its SKU by an id below 0" \
    "$(ledger_sql fulfil.db "select count(*) from pick_log where sku >= 0")" 0
is "each id a name of event_names" \
    "$(ledger_sql fulfil.db "select count(*) from pick_log as p
	where not exists (select 1 from event_names as n where n.id = p.sku)")" 0
# The new orders' picks, as the view says them: each order's lines, by
# SKU, and their quantities.
jq -r '.order_id as $o | .lines | group_by(.sku)[] |
    "\($o)|\(.[0].sku)|\(map(.qty) | add)"' more.dis | sort >more-want.txt
ledger_sql fulfil.db "select order_id, sku, qty from picks
    where order_id like 'N%' order by 1, 2" >more-got.txt
check "the new orders have picks" test -s more-want.txt
same "the new orders' picks, by the view, as pick-list wrote them" \
    more-got.txt more-want.txt

if on_pg; then
	skip "sound" "SQLite's integrity_check"
else
	is "sound" "$(sqlite3 fulfil.db 'pragma integrity_check')" ok
fi
done_testing
