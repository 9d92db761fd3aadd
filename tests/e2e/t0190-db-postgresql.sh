#!/bin/sh
# lib/db over a real PostgreSQL server (a throwaway cluster on a socket
# in the test's directory, tests/e2e/pg.sh): the statements of
# tests/unit/test-db.c give the same answers as from SQLite.  The TAP is
# test-db's.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
. "$FULFIL_ROOT/tests/e2e/pg.sh"
start_pg
rc=0
FULFIL_TEST_PG=$PG_URI "$FULFIL_BIN/../tests/test-db" || rc=$?
stop_pg
exit $rc
