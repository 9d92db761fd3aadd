#!/bin/sh
# followup --listen and its spool killed with SIGKILL again and again
# while payloads are posted and dropped (tests/crash/listen.py): no
# payload acknowledged is lost, every spool file is stored once, every
# event is recorded once and no notice is written twice.  The TAP is
# listen.py's.
. "$FULFIL_ROOT/tests/e2e/lib.sh"

trials=5 payloads=200
case $FULFIL_BIN in
*/build-san/* | */build-tsan/*) trials=3 payloads=80 ;;
esac
[ "${FULFIL_VALGRIND:-}" != 1 ] || { echo "1..0 # SKIP kills timed for runs without valgrind"; exit 0; }

TMPDIR=$T /usr/bin/python3 "$FULFIL_ROOT/tests/crash/listen.py" \
    --bin "$FULFIL_BIN" --root "$FULFIL_ROOT" --seed "${CRASH_SEED:-1}" \
    --trials $trials --payloads $payloads ${KEEP:+--keep}
