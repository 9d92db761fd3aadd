# pg.sh: sourced by the tests that need a PostgreSQL server, after lib.sh,
# and by tests/e2e/pg-pass.  start_pg starts a throwaway cluster
# (Debian's postgresql) in $T/pg: initdb, then postgres listening on a
# domain socket in $T/pg only (no TCP), as nobody when the tests run as
# root (postgres will not run as root), with trust authentication for
# its one role, fulfil, and a database fulfil.  PG_URI is then the libpq
# URI of that database, and PG_BIN the server's programs.  The cluster
# goes with the test's directory; stop_pg stops it before.  A test that
# cannot start one skips, saying why.

command -v skip_all >/dev/null 2>&1 || skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}

# pg_cluster DIR: a cluster in DIR (made; its parent must be searchable
# by nobody when root), listening on a socket in DIR.  Sets PG_BIN and
# PG_PID; on failure returns 1 with the reason in PG_WHY.  Both start_pg
# and the one cluster of make check's PostgreSQL pass (tests/e2e/pg-pass)
# are made here, so they are made alike.
pg_cluster() {
	PG_WHY=
	PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
	[ -n "$PG_BIN" ] && [ -x "$PG_BIN/initdb" ] ||
	    { PG_WHY="no PostgreSQL server (postgresql)"; return 1; }
	mkdir -p "$1"
	_as=
	if [ "$(id -u)" -eq 0 ]; then
		_as="setpriv --reuid=nobody --regid=$(id -gn nobody) --clear-groups"
		chown nobody "$1"
	fi
	$_as "$PG_BIN/initdb" -D "$1/data" -U fulfil --auth=trust -E UTF8 \
	    --no-locale --no-sync >"$1/initdb.log" 2>&1 ||
	    { PG_WHY="initdb failed: $(tail -n 1 "$1/initdb.log")"; return 1; }
	pg_server "$1"
}

# pg_server DIR: the server of the cluster in DIR (pg_cluster's) started,
# again after stop_pg or for the first time; PG_PID its process.
pg_server() {
	# Tests' data is thrown away: no fsync, unless PG_OPTS says
	# otherwise (scripts/bench-pg).  One socket, in DIR.
	$_as "$PG_BIN/postgres" -D "$1/data" -k "$1" -c listen_addresses= \
	    ${PG_OPTS:--c fsync=off -c synchronous_commit=off -c full_page_writes=off} \
	    >>"$1/server.log" 2>&1 &
	PG_PID=$!
	_i=0
	until "$PG_BIN/pg_isready" -q -h "$1" 2>/dev/null; do
		_i=$((_i + 1))
		if [ $_i -ge 300 ] || ! kill -0 "$PG_PID" 2>/dev/null; then
			PG_WHY="postgres did not start: $(tail -n 1 "$1/server.log")"
			kill "$PG_PID" 2>/dev/null || :
			return 1
		fi
		sleep 0.1
	done
}

start_pg() {
	P=$T/pg
	[ "$(id -u)" -ne 0 ] || chmod 711 "$T"
	if ! pg_cluster "$P"; then
		[ -z "${PG_PID:-}" ] || _pids="$_pids $PG_PID"
		skip_all "$PG_WHY"
		return 1
	fi
	_pids="$_pids $PG_PID"
	"$PG_BIN/createdb" -h "$P" -U fulfil fulfil
	PG_URI="postgresql:///fulfil?host=$P&user=fulfil"
	export PG_URI
}

# stop_pg: the server stopped, fast (its data stays in $T/pg).
stop_pg() {
	kill -INT "$PG_PID" 2>/dev/null || :
	while kill -0 "$PG_PID" 2>/dev/null; do sleep 0.1; done
}

# pg_ledger: start_pg, its database made the ledger the tools open by
# default (FULFIL_DB), and PSQL psql on it printing bare rows.
pg_ledger() {
	start_pg || return
	FULFIL_DB=$PG_URI
	export FULFIL_DB
	PSQL="psql -X -q -At -h $T/pg -U fulfil fulfil"
}
