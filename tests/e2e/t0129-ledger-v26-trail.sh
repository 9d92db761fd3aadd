#!/bin/sh
# Schema 26 (issue 19): the audit trail's rows keep their id, time, run,
# what, detail and order's row in event_log; what few rows say beyond
# them (their own offset and tool, an order the ledger does not have, by
# its name) is event_extra's.  The view events says every row as before.
# A ledger at 25, filled through the whole pipe, comes up to 26 with
# every row kept.  The ledger at 25 is this build's, given 25's trail
# back by hand (lib.sh's sql_to25).
. "$FULFIL_ROOT/tests/e2e/lib.sh"
pipe_setup
pipe_fill 20
is "at 26: the pipe's rows all in event_log, none beside" \
    "$(ledger_sql fulfil.db "select count(*), count(ord) from event_log")|$(ledger_sql fulfil.db \
	"select count(*) from event_extra")" "80|80|0"
is "at 26: the view names each order's four events, with its tool" \
    "$(ledger_sql fulfil.db "select count(distinct source || '/' || order_id),
	count(*), count(distinct tool) from events")" "20|80|4"

# A record set aside before it reached the ledger: its event names it,
# beside the row.
printf '%s\n' '{"source":"gen","order_id":"X1","status":"picked","lines":[]}' >bad.ndjson
run label -f zpl -o labels bad.ndjson
is "label sets aside an order the ledger does not have" "$rc" 1
is "its event's name beside it, in event_extra" \
    "$(ledger_sql fulfil.db "select count(*) from event_log as e
	join event_extra as x on x.id = e.id where e.ord is null
	and x.source = 'gen' and x.order_id = 'X1' and x.tool is null")" 1
is "the view names it, with the run's tool and time" \
    "$(ledger_sql fulfil.db "select tool, at from events where order_id = 'X1'")" \
    "label|2026-11-23T10:00:00+08:00"

dump() {	# the trail as the view says it
	ledger_sql fulfil.db "select * from events order by id"
}
dump >before.txt
ledger_sql fulfil.db "$(sql_to25)
    $(sql_version 25)"
is "at 25: the trail one table, names in it" \
    "$(ledger_sql fulfil.db "select count(*), count(source) from event_log")" \
    "81|1"
dump >at25.txt
same "at 25: the same trail" at25.txt before.txt

# New orders through the pipe on the ledger at 25: migrated first.
pipe_more
is "notify on the ledger at 25: migrated" "$rc" 0
is "at version 26" "$(ledger_version fulfil.db)" 26
dump | grep -v '|N' >after.txt
same "the trail from before, as it was" after.txt before.txt
is "one row beside, X1's; the new orders' rows in event_log" \
    "$(ledger_sql fulfil.db "select count(*) from event_extra")|$(ledger_sql fulfil.db \
	"select count(*) from events where order_id like 'N%'")" "1|12"
is "new rows go on after the old ids" \
    "$(ledger_sql fulfil.db "select min(id) > 81 from events
	where order_id like 'N%'")" "$(on_pg && echo t || echo 1)"
done_testing
