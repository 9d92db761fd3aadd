#!/bin/sh
# A long run shows a progress line on stderr when stderr is a terminal
# (lib/progress): after a second, rewritten in place, cleared before the
# summary; never when stderr is a file or a pipe, nor with -q.  The
# terminal is script(1)'s pseudo-terminal; the input comes slowly, in
# two parts a second and a half apart, so that the run outlasts the
# second's delay.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup

# slowly FILE: FILE's first 3 lines, a pause, the rest.  The pause
# outlasts the tool's start too: under valgrind (make check VALGRIND=1)
# a tool takes seconds to reach main, and its second starts there.
cat >slowly <<SH
#!/bin/sh
head -n 3 "\$1"
sleep ${FULFIL_VALGRIND:+8}${FULFIL_VALGRIND:-1.5}
tail -n +4 "\$1"
SH
chmod +x slowly
# tty CMD: CMD with stdin, stdout and stderr a terminal; the terminal's
# text in tty.log.
tty() { script -qec "$1" tty.log </dev/null >/dev/null; }
CR=$(printf '\r')

"$FULFIL_ROOT/scripts/gen-orders" -n 40 -s 3 >orders.ndjson
tty "./slowly orders.ndjson | ingest-orders --db a.db >accepted.ndjson"
check "ingest-orders: a progress line on a terminal" grep -q "${CR}ingest-orders: [0-9]* orders read" tty.log
is "ingest-orders: the summary on a line of its own" \
    "$(tr '\r' '\n' <tty.log | grep -c '^.\[Kingest-orders: 40 read, 40 accepted')" 1
is "ingest-orders: every order through" "$(wc -l <accepted.ndjson | tr -d ' ')" 40

./slowly orders.ndjson | ingest-orders --db b.db >/dev/null 2>err
is "ingest-orders: none when stderr is a file" "$(grep -c 'orders read' err)" 0
check "ingest-orders: no carriage return in the file" sh -c "! grep -q '$CR' err"
tty "./slowly orders.ndjson | ingest-orders -q --db c.db >/dev/null"
is "ingest-orders -q: none on a terminal" "$(grep -c 'orders read' tty.log)" 0

# pick-list and the stages (label through stage.c; dispatch and notify
# share it).
ingest-orders -q "$DATA/pick-orders.ndjson" >accepted.ndjson
tty "./slowly accepted.ndjson | pick-list >picked.ndjson"
check "pick-list: a progress line on a terminal" grep -q "${CR}pick-list: [0-9]* orders read" tty.log
check "pick-list: the summary after it" grep -q "^.\[Kpick-list: " "$(tr '\r' '\n' <tty.log >t.txt; echo t.txt)"
tty "./slowly picked.ndjson | label -o L >labelled.ndjson"
check "label: a progress line on a terminal" grep -q "${CR}label: [0-9]* records read" tty.log
is "label: every order through" "$(wc -l <labelled.ndjson | tr -d ' ')" 7
./slowly picked.ndjson | label -o M --db d.db >/dev/null 2>err
is "label: none when stderr is a file" "$(grep -c 'records read' err)" 0
done_testing
