#!/bin/sh
# Schema 25 (issue 19): a ledger at version 24, filled through the whole
# pipe, comes up to 25 with nothing lost.  25's messages name their
# order by its row in orders (message_log.ord), their event and channel
# by their ids in event_names and their status by number; notified
# names its order and status so too.  The views messages and notified
# say the columns as before.  A message whose order the ledger does not
# have names it by source and order_id, and is found so: sent once.  The
# ledger at 24 is this build's, given version 24's tables back by hand
# (lib.sh's sql_to24).
. "$FULFIL_ROOT/tests/e2e/lib.sh"
pipe_setup
pipe_fill 30
is "at 25: every message names its order by its row" \
    "$(ledger_sql fulfil.db "select count(*), count(ord), count(source),
	count(order_id) from message_log")" "30|30|0|0"
is "at 25: the view names each order's message" \
    "$(ledger_sql fulfil.db "select count(distinct source || '/' || order_id),
	count(*) from messages where event = 'shipped' and channel = 'outbox'
	and status = 'sent'")" "30|30"
is "at 25: notified by row" \
    "$(ledger_sql fulfil.db "select count(*) from notified_log")|$(ledger_sql fulfil.db \
	"select count(*) from notified where status = 'dispatched'")" "30|30"

dump() {	# messages and notes, as the views say them, ids in full
	ledger_sql fulfil.db "select m.id, m.source, m.order_id, m.event,
	    m.channel, m.recipient, m.locale, i.message_id, m.status,
	    m.attempts, m.not_before, m.last_error, m.run, m.created_at,
	    m.sent_at, m.off from messages as m join message_ids as i
	    on i.id = m.id order by m.id"
	ledger_sql fulfil.db "select * from notified order by 1, 2, 3"
}
dump >before.txt
ledger_sql fulfil.db "$(sql_to24)
    $(sql_version 24)"
is "at 24: messages a table" \
    "$(ledger_sql fulfil.db "select count(distinct order_id) from messages
	where status = 'sent'")" 30
dump >at24.txt
same "at 24: the same messages and notes" at24.txt before.txt

# New orders through the pipe on the ledger at 24: migrated first.
pipe_more
is "notify on the ledger at 24: migrated" "$rc" 0
is "at version 26 (through 25)" "$(ledger_version fulfil.db)" 26
dump | grep -v '|N' >after.txt
same "the messages and notes from before, as they were" after.txt before.txt
is "every message names its order by row" \
    "$(ledger_sql fulfil.db "select count(*), count(ord) from message_log")" \
    "33|33"
is "the new orders' messages, by the view" \
    "$(ledger_sql fulfil.db "select count(*) from messages
	where order_id like 'N%' and status = 'sent'")" 3

# A message from before sent again (its line gone from the outbox, as
# if it never got there): the same Message-ID, the same line.
resend_old
is "--retry: exit 0" "$rc" 0
same "--retry: the message from before again, as it was" line.got line.want

# An order the ledger does not have: its message names it by source and
# order_id, and a second notify finds it so, even once the ledger has
# the order: sent once.
head -n 1 more.dis | jq -c '.order_id = "Y1"' >y1.ndjson
n=$(wc -l <outbox.ndjson)
run notify y1.ndjson
is "an order not in the ledger: notified" "$rc $(($(wc -l <outbox.ndjson) - n))" "0 1"
is "its message names it by source and order_id" \
    "$(ledger_sql fulfil.db "select count(*) from message_log where ord is null
	and order_id = 'Y1'")" 1
is "the view too" \
    "$(ledger_sql fulfil.db "select count(*) from messages where order_id = 'Y1'")" 1
is "no note for --pending: it looks only at the ledger's orders" \
    "$(ledger_sql fulfil.db "select count(*) from notified where order_id = 'Y1'")" 0
run notify y1.ndjson
is "again: not sent twice" "$rc $(($(wc -l <outbox.ndjson) - n))" "0 1"
jq -c '.order_id = "Y1"' more.ndjson | head -n 1 >y1-order.ndjson
ingest-orders -q y1-order.ndjson >/dev/null
is "the ledger has the order now" \
    "$(ledger_sql fulfil.db "select count(*) from orders where order_id = 'Y1'")" 1
run notify y1.ndjson
is "once the ledger has it: still not sent twice" \
    "$rc $(($(wc -l <outbox.ndjson) - n))" "0 1"
is "still one message" \
    "$(ledger_sql fulfil.db "select count(*) from messages where order_id = 'Y1'")" 1

if on_pg; then
	skip "sound" "SQLite's integrity_check"
else
	is "sound" "$(sqlite3 fulfil.db 'pragma integrity_check')" ok
fi
done_testing
