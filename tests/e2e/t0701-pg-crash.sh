#!/bin/sh
# The crash and overlap trials of t0700 on PostgreSQL ledgers, one of
# each kind (tests/crash/crash.py --backend pg): each trial's ledger a
# database of its own in this file's cluster, the tools killed with
# SIGKILL leaving the server their sessions to lose, two runs at once
# vying for the rows; then the cron line of fulfil(7) once, and nothing
# may be lost or doubled.  "make torture" runs many more.  The TAP is
# crash.py's.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
. "$FULFIL_ROOT/tests/e2e/pg.sh"
start_pg

# As t0700: fewer, smaller trials under the sanitizers.
orders=300
case $FULFIL_BIN in
*/build-san/* | */build-tsan/*) orders=150 ;;
esac

FULFIL_TEST_PG_HOST=$T/pg TMPDIR=$T /usr/bin/python3 "$FULFIL_ROOT/tests/crash/crash.py" \
    --backend pg --bin "$FULFIL_BIN" --root "$FULFIL_ROOT" --seed "${CRASH_SEED:-1}" \
    --trials 1 --orders $orders ${KEEP:+--keep}
