# backend.sh: sourced after lib.sh by the end-to-end tests t0500-t0999
# that run on both ledgers (FULFIL_TEST_BACKEND=pg: PostgreSQL, else
# SQLite) and need more than ledger_sql and fresh_ledger: to tell which
# ledger it is, to say a case is SQLite's own, and to keep the default
# ledger as it is and put it back (what cp fulfil.db did).

# on_pg: whether the default ledger is the server's.
on_pg() {
	[ "${FULFIL_TEST_BACKEND:-}" = pg ]
}

# skip NAME WHY: a case not run here, TAP's SKIP saying why.
skip() {
	ok "$1 # SKIP $2"
}

# _pg_admin SQL...: statements on the cluster's maintenance database (a
# database is not made or dropped from inside itself).
_pg_admin() {
	for _s in "$@"; do
		PGOPTIONS="-c client_min_messages=warning" psql -X -q \
		    -h "$T/pg" -U fulfil -v ON_ERROR_STOP=1 -c "$_s" \
		    postgres >/dev/null
	done
}

# ledger_save NAME: the default ledger kept as NAME: a copy of the file
# (the tools left no log behind it), or under pg a database made from
# it as a template (which no session may be using).
ledger_save() {
	if on_pg; then
		_pg_admin "drop database if exists $1" \
		    "create database $1 template fulfil"
	else
		sqlite3 fulfil.db ".backup $1.db"
	fi
}

# ledger_restore NAME: the default ledger as ledger_save NAME kept it
# (which is kept still, for another time).
ledger_restore() {
	if on_pg; then
		_pg_admin "drop database fulfil with (force)" \
		    "create database fulfil template $1"
	else
		rm -f fulfil.db-wal fulfil.db-shm
		cp "$1.db" fulfil.db
	fi
}

# sqlite_only WHY: a test file about SQLite's own storage (its file,
# pages, packed rows, its old versions) says it is skipped on PostgreSQL,
# and why; the SQLite pass runs it.
sqlite_only() {
	if on_pg; then
		echo "1..0 # SKIP on PostgreSQL: $*"
		exit 0
	fi
}

# ledger_at NAME: what --db takes for the ledger ledger_save NAME kept.
ledger_at() {
	if on_pg; then
		echo "postgresql:///$1?host=$T/pg&user=fulfil"
	else
		echo "$1.db"
	fi
}
