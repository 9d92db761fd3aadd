#!/bin/sh
# notify's outbox: a batch's lines written and made durable together, then
# their outcomes kept in one transaction.  A run that dies in between
# leaves its claims behind; the next run finds the messages already in
# the outbox and does not write them again, and writes the one it had not.
# Half a line (a run killed while writing) is cut off and its message
# written whole; two runs at once append whole lines, in turn.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup
notify_config 9 9

"$FULFIL_ROOT/scripts/gen-orders" -n 150 -s 7 |
    jq -c '.customer.email = "c\(.order_id)@example.com"' |
    ingest-orders -q >d.ndjson
run notify --channel outbox -o outbox.ndjson d.ndjson
is "150 orders, more than a batch: exit 0" "$rc" 0
is "every message in the outbox once" \
    "$(jq -r .message_id outbox.ndjson | sort -u | wc -l) $(wc -l <outbox.ndjson)" \
    "150 150"
is "the ledger says all sent" "$(ledger_sql fulfil.db \
    "select count(*) from messages where channel = 'outbox' and status = 'sent'")" 150
is "noted sent in the records" "$(jq -r '.notified[].status' out | sort | uniq -c |
    awk '{print $1, $2}')" "150 sent"

# A run that died after writing three lines but before the ledger said
# they went, and before the last of them reached the file.
ledger_sql fulfil.db "insert into runs (tool, started_at, pid) values ('notify', 'then', $$);
    update runs set ended_at = 'then' where id = (select max(id) from runs);
    update message_log set status = 1, run = (select max(id) from runs)
    where id in (select id from messages where channel = 'outbox')
    and id > (select max(id) - 3 from messages)"
last=$(ledger_sql fulfil.db "select message_id from message_ids order by id desc limit 1")
grep -v -F "\"$last\"" outbox.ndjson >o && mv o outbox.ndjson
is "the crash: 149 lines left" "$(wc -l <outbox.ndjson)" 149
run notify --channel outbox -o outbox.ndjson --pending </dev/null
is "--pending after the crash: exit 0" "$rc" 0
is "every message in the outbox once, none twice" \
    "$(jq -r .message_id outbox.ndjson | sort -u | wc -l) $(wc -l <outbox.ndjson)" \
    "150 150"
is "the one not written is written last" "$(tail -n 1 outbox.ndjson | jq -r .message_id)" "$last"
is "the ledger says all sent" "$(ledger_sql fulfil.db \
    "select count(*) from messages where channel = 'outbox' and status = 'sent'")" 150

# A run killed while writing: the last message's line is half there.
ledger_sql fulfil.db "insert into runs (tool, started_at, pid) values ('notify', 'then', $$);
    update runs set ended_at = 'then' where id = (select max(id) from runs);
    update message_log set status = 1, run = (select max(id) from runs)
    where id = (select id from message_ids where message_id = '$last')"
head -c $(($(wc -c <outbox.ndjson) - 100)) outbox.ndjson >o && mv o outbox.ndjson
is "half a line: its id still there" "$(tail -n 1 outbox.ndjson | grep -c "$last")" 1
run notify --channel outbox -o outbox.ndjson --pending </dev/null
is "half a line: exit 0" "$rc" 0
is "half a line: said" "$(head -n 1 err)" \
    "notify: 'outbox.ndjson': half a line at its end, left by a run that died writing it, cut off"
is "half a line: every line whole, every message once" \
    "$(jq -r .message_id outbox.ndjson | sort -u | wc -l) $(wc -l <outbox.ndjson)" \
    "150 150"
is "half a line: the message written whole, last" \
    "$(tail -n 1 outbox.ndjson | jq -r .message_id)" "$last"

# Two runs at once, each a batch of many 4 KB pieces, into one outbox.
for s in 8 9; do
	"$FULFIL_ROOT/scripts/gen-orders" -n 300 -s $s |
	    jq -c --arg s $s '.order_id = "S\($s)-\(.order_id)" | .customer.email = "c\(.order_id)@example.com"' |
	    ingest-orders -q >d$s.ndjson
done
notify -q --channel outbox -o outbox.ndjson d8.ndjson >/dev/null 2>e8 &
p=$!
notify -q --channel outbox -o outbox.ndjson d9.ndjson >/dev/null 2>e9 || :
wait $p || :
is "two at once: no errors" "$(cat e8 e9)" ""
is "two at once: every line whole, every message once" \
    "$(jq -r .message_id outbox.ndjson | sort -u | wc -l) $(wc -l <outbox.ndjson)" \
    "750 750"
done_testing
