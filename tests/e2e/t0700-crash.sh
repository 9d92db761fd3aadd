#!/bin/sh
# Crash and overlap trials, a few of each kind (tests/crash/crash.py):
# each stage, and one stage of the whole pipe, killed with SIGKILL at a
# random moment; each stage, and the whole cron line, run twice at once;
# then the cron line of fulfil(7) once, and nothing may be lost or
# doubled in the ledger, the labels or the mail.  "make torture" runs
# many more.  The TAP is crash.py's.
. "$FULFIL_ROOT/tests/e2e/lib.sh"

# The sanitizers slow every tool several times over: fewer, smaller
# trials keep the file to a minute or two.  (Under valgrind crash.py
# skips itself: its kills are timed to runs that would take minutes.)
trials=2 orders=300
case $FULFIL_BIN in
*/build-san/* | */build-tsan/*) trials=1 orders=150 ;;
esac

TMPDIR=$T /usr/bin/python3 "$FULFIL_ROOT/tests/crash/crash.py" \
    --bin "$FULFIL_BIN" --root "$FULFIL_ROOT" --seed "${CRASH_SEED:-1}" \
    --trials $trials --orders $orders ${KEEP:+--keep}
