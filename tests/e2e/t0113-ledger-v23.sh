#!/bin/sh
# Schema 23 (issue 19): a ledger at version 22, filled through the whole
# pipe, comes up to 23 with nothing lost.  23 keeps a message's id only
# when it is not the one notify derives from the row's key and domain
# (messages.message_id empty, domain an id in event_names); the view
# message_ids gives every id whole.  The ledger at 22 is this build's,
# given version 22's tables back by hand (lib.sh's sql_to22): every row
# with its id in full, as 22 wrote them.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
pipe_setup
pipe_fill 30
is "at 23: no message keeps the id it derives" \
    "$(ledger_sql fulfil.db "select count(*) from messages where message_id = ''
	and domain = (select id from event_names where name = 'example.com')")" 30
is "at 23: the ids the outbox has" \
    "$(ledger_sql fulfil.db "select message_id from message_ids order by 1")" \
    "$(jq -r .message_id outbox.ndjson | sort)"

# Every message, its id and body whole, as it was.
dump() {
	ledger_sql fulfil.db "select m.id, m.source, m.order_id, m.event,
	    m.channel, m.recipient, m.locale, i.message_id,
	    rec(m.payload, i.message_id, m.recipient), m.status, m.attempts,
	    m.not_before, m.last_error, m.run, m.created_at, m.sent_at, m.off
	    from messages as m join message_ids as i using (id) order by 1"
}
dump >before.txt
if on_pg; then
	version="update fulfil_meta set value = '22' where key = 'schema_version'"
else
	version="pragma user_version = 22"
fi
ledger_sql fulfil.db "$(sql_to22)
    $version;"
is "at 22: every message keeps its id" \
    "$(ledger_sql fulfil.db "select count(*) from messages where message_id
	like '%@example.com'")" 30
ledger_sql fulfil.db "select id, message_id, rec(payload, message_id,
    recipient) from messages order by 1" >at22.txt
is "at 22: the bodies whole" "$(cut -d '|' -f 2 at22.txt | sort)" \
    "$(jq -r .message_id outbox.ndjson | sort)"

# New orders through the pipe on the ledger at 22: migrated first.
"$FULFIL_ROOT/scripts/gen-orders" -n 3 -s 4 --catalog catalog.csv |
    jq -c '.order_id = "N" + .order_id' >more.ndjson
ingest-orders -q more.ndjson | pick-list -q | label -q -f zpl -o labels |
    dispatch -q >more.dis
run notify more.dis
is "notify on the ledger at 22: migrated" "$rc" 0
got=$(ledger_version fulfil.db)
is "at version 26 (through 23, 24, 25)" "$got" 26
dump | grep -v '|N' >after.txt
same "every message reads as it did" after.txt before.txt
is "the rows from before keep their ids" \
    "$(ledger_sql fulfil.db "select count(*) from messages where message_id
	like '%@example.com' and domain is null")" 30
is "the new ones keep none" \
    "$(ledger_sql fulfil.db "select count(*) from messages where message_id = ''
	and order_id like 'N%'")" 3
is "the new ones' ids: the outbox's" \
    "$(ledger_sql fulfil.db "select i.message_id from messages as m join
	message_ids as i using (id) where m.order_id like 'N%' order by 1")" \
    "$(jq -r 'select(.order_id | startswith("N")) | .message_id' outbox.ndjson | sort)"
if on_pg; then
	skip "sound" "SQLite's integrity_check"
else
	is "sound" "$(sqlite3 fulfil.db 'pragma integrity_check')" ok
	is "the shell's rec() of a row without its id: an error that says so" \
	    "$(ledger_sql fulfil.db "select rec(payload, message_id, recipient)
		from messages where order_id like 'N%' limit 1" 2>&1)" \
	    "Error: stepping, message id not kept: message_ids has it"
fi

# A message from before sent again (its line gone from the outbox, as
# if it never got there): the same Message-ID, the same line.
resend_old
is "--retry: exit 0" "$rc" 0
same "--retry: the message from before again, as it was" line.got line.want
done_testing
