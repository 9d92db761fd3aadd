#!/bin/sh
# notify, exactly once across crashes and overlapping runs: a message is
# claimed by a live run before it goes and recorded sent right after; a
# live run's claims are left to it, a dead run's are taken over with the
# same Message-ID; an order whose line died in a pipe before notify is
# still announced by --pending; two runs at once send each message once.
# (The kill -9 trials themselves are in t0700-crash.)
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup
mkdir mail
start_smtp "$T/mail"
notify_config "$SMTP_PORT" 9
nmail() { ls mail | grep -c '\.eml$' || :; }
# mids: how many Message-IDs arrived once, twice...: "1x2 2x1" is two
# sent once and one twice.
mids() { grep -h '^Message-ID:' mail/*.eml | sort | uniq -c | awk '{print $1}' | sort -n | uniq -c | awk '{ s = s (NR > 1 ? " " : "") $2 "x" $1 } END { print s }'; }

ingest-orders -q "$DATA/notify-orders.ndjson" | pick-list -q | label -q >labelled.ndjson
# dispatch's output dies in the pipe: nobody has told the customers.
dispatch -q labelled.ndjson >/dev/null
run notify --channel email </dev/null
is "without --pending: nothing to do" "$(nmail)" 0
run notify --channel email --pending </dev/null
is "--pending: the dispatched orders never announced are" "$(jq -r .order_id out | sort | tr '\n' ' ')" \
    "N-1 N-2 N-3 N-4 N-5 "
is "--pending: shipped e-mails sent (N-4's address is bad, N-5 has none)" "$(nmail)" 3
is "--pending: noted" "$(jq -c '[.order_id, (.notified | map(.status))]' out | sort | tr '\n' ' ')" \
    '["N-1",["sent"]] ["N-2",["sent"]] ["N-3",["sent"]] ["N-4",["failed"]] ["N-5",["no_address"]] '
run notify --channel email --pending </dev/null
is "--pending again: nothing" "$(cat out)$(nmail)" 3
is "the ledger notes each status announced" \
    "$(ledger_sql fulfil.db "select count(*) from notified where status = 'dispatched'")" 5

# Orders that changed longer ago than a week are not looked for: a
# ledger that never had notify does not mail its history.
ledger_sql fulfil.db "delete from notified_log; update orders set changed = changed - 8 * 86400 where order_id = 'N-1'"
run notify --channel email --pending </dev/null
is "a week on: not announced again" "$(jq -r .order_id out | grep -c N-1 || :)" 0

# A message claimed by a run that is alive (the test shell stands in for
# it): nobody else sends it, neither given the order nor --pending.  Its
# lease lasts (2100): on PostgreSQL a run is alive while its lease does.
grep '"N-2"' labelled.ndjson | jq -c '.status = "dispatched"' >n2.ndjson
ledger_sql fulfil.db "insert into runs (tool, started_at, pid, lease_until) values ('notify', 'now', $$, 4102444800);
    update message_log set status = 1, run = (select max(id) from runs) where id in (select id from messages where order_id = 'N-2')"
n=$(nmail)
run notify --channel email n2.ndjson
is "live claim: not sent" "$(nmail)" "$n"
check "live claim: said" grep -q "; 1 being sent by another run" err
run notify --channel email --pending </dev/null
is "live claim: --pending leaves it" "$(nmail)" "$n"

# Claimed by a run that died (its message maybe on the wire): --pending
# sends it again, the same bytes and Message-ID, and then never again.
ledger_sql fulfil.db "update runs set ended_at = 'then' where pid = $$"
run notify --channel email --pending </dev/null
is "dead claim: sent again" "$(nmail)" $((n + 1))
is "dead claim: the same Message-ID as before" "$(mids)" "1x2 2x1"
run notify --channel email --pending </dev/null
is "dead claim: then not again" "$(nmail)" $((n + 1))

# The outbox holds customers' messages: 0600.
run notify --channel outbox -o outbox.ndjson n2.ndjson
is "outbox: 0600" "$(stat -c %a outbox.ndjson)" 600

# Two runs at once over the same orders: every message once.
rm -rf mail && fresh_ledger && mkdir mail
"$FULFIL_ROOT/scripts/gen-orders" -n 300 -s 5 >many.ndjson
jq -c '.customer.email = "c\(.order_id)@example.com"' many.ndjson |
    ingest-orders -q >d.ndjson
notify -q --channel email d.ndjson >a.ndjson 2>a.err &
p1=$!
notify -q --channel email --pending d.ndjson >b.ndjson 2>b.err &
p2=$!
wait $p1 && wait $p2
is "two at once: no errors" "$(cat a.err b.err)" ""
is "two at once: 300 e-mails" "$(nmail)" 300
is "two at once: each Message-ID once" "$(mids)" "1x300"
done_testing
