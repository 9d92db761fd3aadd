#!/bin/sh
# A ledger in PostgreSQL (--db postgresql://...): made from the same
# migrations as SQLite's (lib/ledger_pg.c), so the same tables; and every
# SQL statement the ledger's C files hold (tests/sql-of, through the C
# preprocessor) is taken by PostgreSQL, translated by lib/db.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
. "$FULFIL_ROOT/tests/e2e/pg.sh"
start_pg
PSQL="psql -X -q -At -h $T/pg -U fulfil fulfil"
cp "$FULFIL_ROOT/examples/fulfil.json" .
"$FULFIL_ROOT/scripts/gen-catalog" -a 10 -b 20 -n 100 >catalog.csv
VERSION=$(sed -n 's/^#define LEDGER_VERSION \([0-9]*\).*/\1/p' "$FULFIL_ROOT/lib/ledger.h")

run ingest-orders -q --db "$PG_URI" </dev/null
is "an empty input on a new PostgreSQL ledger" "$rc" 0
is "its schema version" "$($PSQL -c "select value from fulfil_meta where key = 'schema_version'")" "$VERSION"
run env FULFIL_DB="$PG_URI" dispatch -q </dev/null
is "\$FULFIL_DB names it too; opened again, nothing to do" "$rc" 0
ingest-orders -q --db lite.db </dev/null
is "the same tables as SQLite's" \
    "$($PSQL -c "select table_name from information_schema.tables where table_schema = 'public' and table_name <> 'fulfil_meta' order by 1" | tr '\n' ' ')" \
    "$(sqlite3 lite.db "select name from sqlite_master where type in ('table', 'view') order by 1" | tr '\n' ' ')"
is "the same indexes, SQLite's own left out" \
    "$($PSQL -c "select indexname from pg_indexes where schemaname = 'public' and indexname not like '%pkey' and indexname not like '%key' and indexname not like '%key1' and indexname not like '%key2' order by 1" | tr '\n' ' ')" \
    "$(sqlite3 lite.db "select name from sqlite_master where type = 'index' and name not like 'sqlite_%' order by 1" | tr '\n' ' ')"

"$FULFIL_ROOT/tests/sql-of" "$FULFIL_ROOT"/lib/ledger*.c >sql.bin
n=$(tr -cd '\0' <sql.bin | wc -c)
check "the ledger's statements found ($n)" [ "$n" -ge 100 ]
FULFIL_TEST_PG=$PG_URI "$FULFIL_BIN/../tests/test-db" --prepare <sql.bin >prep.tap || :
is "every one prepared by PostgreSQL" "$(grep -c '^ok' prep.tap)" "$n"
grep '^not ok' prep.tap | sed 's/^/# /'

# What the statements above leave out: the conditions --pending and the
# reports add to them (lib/ledger*.c's *_where()), run for real.
for t in pick-list label dispatch notify followup; do
	run $t -q --db "$PG_URI" --pending
	is "$t --pending on PostgreSQL" "$rc $(cat err)" "0 "
done
for a in --scan "--report -o rep" --tasks; do
	run followup -q --db "$PG_URI" $a
	is "followup $a on PostgreSQL" "$rc $(head -n 1 err)" "0 "
done

run ingest-orders -q --db "postgresql://fulfil:s3cret@/nothing?host=$T/none" </dev/null
is "no server: trouble" "$rc" 2
check "said in one line, the password not in it" \
    sh -c "[ \$(wc -l <err) = 1 ] && grep -q 'cannot open ledger' err && ! grep -q s3cret err"
stop_pg
done_testing
