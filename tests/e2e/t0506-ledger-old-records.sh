#!/bin/sh
# A ledger written before records were packed (version 16: records and
# message bodies as text) is read by every tool, and migrated: old rows
# stay as they are until rewritten, new ones are packed.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup
# old: the ledger as version 16 left it, every record and body as text.
old() {
	ledger_sql fulfil.db "update orders set record = rec(record);
	    $(sql_to20)
	    update messages set payload = cast(rec(payload, message_id, recipient) as blob);
	    drop index orders_by_archive; alter table orders drop column archive;
	    alter table orders drop column warehouse;
	    alter table runs drop column warehouse;
	    drop table archives;
	    create table events_16 as select * from events; drop view events;
	    drop table event_log; drop table event_names;
	    alter table events_16 rename to events;
	    create table prints_16 as select * from prints; drop view prints;
	    drop table print_log; alter table prints_16 rename to prints;
	    pragma user_version = 16;"
	is "$1: the records as text" \
	    "$(sqlite3 fulfil.db "select count(*) from orders where typeof(record) = 'text'") $(sqlite3 fulfil.db 'pragma user_version')" \
	    "$(sqlite3 fulfil.db 'select count(*) from orders') 16"
}
jq '.notify = {"templates": "'"$FULFIL_ROOT"'/examples/templates",
    "default_locale": "en", "channels": ["outbox"], "outbox": "outbox.ndjson",
    "from": {"name": "Test Shop", "address": "shop@example.com"}}' \
    fulfil.json >f && mv f fulfil.json
ingest-orders -q "$DATA/notify-orders.ndjson" >accepted.ndjson
old "ingested"
# pick-list --pending reads the orders' records from the ledger.
pick-list -q --pending </dev/null >picked.ndjson
is "pick-list --pending: every old record read" "$(jq -r .status picked.ndjson | sort | uniq -c | tr -s ' ')" " 5 picked"
is "migrated" "$(sqlite3 fulfil.db 'pragma user_version')" \
    "$(sed -n 's/^#define LEDGER_VERSION \([0-9]*\).*/\1/p' "$FULFIL_ROOT/lib/ledger.h")"
label -q picked.ndjson | FULFIL_NOW=2026-11-23T16:00:00+08:00 dispatch -q >dispatched.ndjson
FULFIL_NOW=2026-11-23T16:00:00+08:00 notify -q dispatched.ndjson >/dev/null
is "dispatched and told" "$(jq -r .status dispatched.ndjson | sort -u) $(wc -l <outbox.ndjson | tr -d ' ')" "dispatched 5"
FULFIL_NOW=2026-11-30T10:00:00+08:00 followup -q --report --from 2026-11-01 --to 2026-11-30 -o rep >new.ndjson
old "dispatched"
FULFIL_NOW=2026-11-30T10:00:00+08:00 followup -q --report --from 2026-11-01 --to 2026-11-30 -o rep >old.ndjson
same "followup --report: the same from old records" new.ndjson old.ndjson
# followup reads an old record and writes it back packed.
printf '%s\n' "{\"tracking\":\"$(trk N-1)\",\"status\":\"delivered\",\"occurred_at\":\"2026-11-24T11:00:00+08:00\"}" |
    FULFIL_NOW=2026-11-24T12:00:00+08:00 followup -q >/dev/null
is "followup: an old record moved on" \
    "$(ledger_sql fulfil.db "select status, typeof(record), json_extract(rec(record), '$.delivery.at') from orders where order_id = 'N-1'")" \
    "delivered|blob|2026-11-24T11:00:00+08:00"
is "the others: still as they were" \
    "$(sqlite3 fulfil.db "select count(*) from orders where typeof(record) = 'text'")" 4
run ingest-orders "$DATA/notify-orders.ndjson"
is "ingest-orders: old rows are duplicates" "$rc $(tail -n 1 err)" \
    "0 ingest-orders: 5 read, 0 accepted, 0 updated, 5 duplicate, 0 cancelled, 0 rejected"
# notify --retry reads an old message body to send it again.
ledger_sql fulfil.db "update message_log set status = 3, not_before = 0 where id in (select id from messages where order_id = 'N-2')"
FULFIL_NOW=2026-11-24T12:00:00+08:00 notify -q --retry </dev/null >/dev/null
is "notify --retry: an old body sent as it was" \
    "$(grep -c '"order_id":"N-2"' outbox.ndjson) $(grep '"order_id":"N-2"' outbox.ndjson | sort -u | wc -l | tr -d ' ')" "2 1"
# A corrupt packed record is a system error, said, not a crash.
sqlite3 fulfil.db "update orders set record = x'fe01ff00aabbcc' where order_id = 'N-3'"
run followup --report --from 2026-11-01 --to 2026-11-30 -o rep
is "a corrupt record: exit 2, said" "$rc $(grep -c 'does not unpack' err)" "2 1"
done_testing
