#!/bin/sh
# Schema 26 (issue 19), the messages' times: message_log's created_at and
# sent_at count from the start of the message's run (runs.t0), off empty
# when it is the run's, as the audit trail's times do (24).  The view
# messages gives them as before: seconds since the epoch and the offset.
# A message claimed by a later run (--retry) counts from that run's
# start, or, when that run's offset is another, says its times whole.  A
# ledger taken back to 25 by hand (lib.sh's sql_to25) comes up to 26
# with every message as it was: times from a run's start where the run
# has one in the message's offset, the others (no run, a run with no
# start, another offset, no created_at) kept whole.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
pipe_setup
pipe_fill 30
# FULFIL_NOW is 2026-11-23T10:00:00+08:00: 1795399200, offset 480.
is "at 26: every message's times from its run's start" \
    "$(ledger_sql fulfil.db "select count(*) from message_log
	where off is null and created_at = 0 and sent_at = 0")" 30
is "the view: seconds since the epoch and the offset" \
    "$(ledger_sql fulfil.db "select distinct created_at, sent_at, off
	from messages")" "1795399200|1795399200|480"

# A message from before sent again by a later run (--retry, an hour and
# a half on): it counts from that run's start now.
now0=$FULFIL_NOW
FULFIL_NOW=2026-11-23T11:30:00+08:00
resend_old
is "--retry, later: exit 0" "$rc" 0
same "--retry, later: the message again, as it was" line.got line.want
is "the retried message counts from its new run" \
    "$(ledger_sql fulfil.db "select m.created_at, m.sent_at, m.off,
	m.run = (select max(id) from runs) from message_log as m
	where m.id = $_old")" "-5400|0||$(on_pg && echo t || echo 1)"
is "the view: made at 10:00, sent at 11:30" \
    "$(ledger_sql fulfil.db "select created_at, sent_at, off, status
	from messages where id = $_old")" "1795399200|1795404600|480|sent"

# Again by a run whose clock says UTC: not the message's offset, so its
# times are said whole, with the offset it was made in.
FULFIL_NOW=2026-11-23T04:00:00+00:00
resend_old
FULFIL_NOW=$now0
is "--retry in another offset: exit 0" "$rc" 0
is "the message says its times whole" \
    "$(ledger_sql fulfil.db "select created_at, sent_at, off from message_log
	where id = $_old")" "1795399200|1795406400|480"
is "the view the same" \
    "$(ledger_sql fulfil.db "select created_at, sent_at, off from messages
	where id = $_old")" "1795399200|1795406400|480"

dump() {	# messages as the views say them, ids in full
	ledger_sql fulfil.db "select m.id, m.source, m.order_id, m.event,
	    m.channel, m.recipient, m.locale, i.message_id, m.status,
	    m.attempts, m.not_before, m.last_error, m.run, m.created_at,
	    m.sent_at, m.off from messages as m join message_ids as i
	    on i.id = m.id order by m.id"
}
dump >before.txt

# Back to 25: every time whole again.  One message's run is then made
# one with no start (as a run from before 24), one message has no run,
# and one has no created_at and no off (as a row of schema 20 whose time
# could not be read; its sent_at was).
ledger_sql fulfil.db "$(sql_to25)
    $(sql_version 25)"
is "at 25: no time counts from a run" \
    "$(ledger_sql fulfil.db "select count(*), count(off) from message_log
	where created_at = 1795399200")" "30|30"
dump >at25.txt
same "at 25: the messages as they were" at25.txt before.txt
ledger_sql fulfil.db "insert into runs (tool, started_at, pid)
    values ('notify', '2026-11-23T10:00:00+08:00', 1);
    update message_log set run = (select max(id) from runs)
    where id = (select max(id) from message_log);
    update message_log set run = null
    where id = (select max(id) - 1 from message_log);
    update message_log set created_at = null, off = null
    where id = (select max(id) - 2 from message_log)"
dump >before.txt

# New orders through the pipe on the ledger at 25: migrated first.
pipe_more
is "notify on the ledger at 25: migrated" "$rc" 0
is "at version 26" "$(ledger_version fulfil.db)" 26
dump | grep -v '|N' >after.txt
same "the messages from before, as they were" after.txt before.txt
is "from their run's start: those whose run has one, in their offset" \
    "$(ledger_sql fulfil.db "select count(*) from message_log
	where off is null and created_at = 0 and order_id is null
	and (select o.order_id from orders as o where o.rowid = ord)
	not like 'N%'")" 26
is "kept whole: no run, a run with no start, another offset" \
    "$(ledger_sql fulfil.db "select count(*) from message_log
	where off = 480 and created_at = 1795399200")" 3
is "kept: a message with no created_at and no off" \
    "$(ledger_sql fulfil.db "select count(*) from message_log
	where off is null and created_at is null and sent_at = 1795399200")" 1
is "the new orders' messages from their run's start" \
    "$(ledger_sql fulfil.db "select count(*) from message_log as m
	join orders as o on o.rowid = m.ord where o.order_id like 'N%'
	and m.off is null and m.created_at = 0 and m.sent_at = 0")" 3
is "the new orders' messages in the view" \
    "$(ledger_sql fulfil.db "select distinct created_at, sent_at, off
	from messages where order_id like 'N%'")" "1795399200|1795399200|480"

if on_pg; then
	skip "sound" "SQLite's integrity_check"
else
	is "sound" "$(sqlite3 fulfil.db 'pragma integrity_check')" ok
fi
done_testing
