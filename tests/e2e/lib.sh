# lib.sh: sourced by every end-to-end test.  Strict shell, C locale, a
# private temp dir removed on exit, a fixed clock, and TAP helpers.
set -eu
LC_ALL=C
export LC_ALL
FULFIL_NOW=${FULFIL_NOW:-2026-11-23T10:00:00+08:00}
export FULFIL_NOW
: "${FULFIL_BIN:?run through make check}"
: "${FULFIL_ROOT:?run through make check}"
PATH=$FULFIL_BIN:$PATH
DATA=$FULFIL_ROOT/tests/data
T=$(mktemp -d "${TMPDIR:-/tmp}/fulfil-test.XXXXXX")
_pids=
_pgdb=
# The test's servers stopped, its directory gone.  A server still dying
# may write into it while it goes (cupsd): the removal is tried again, and
# never decides the test's exit status (sh takes the trap's last one).
_cleanup() {
	[ -z "$_pids" ] || kill $_pids 2>/dev/null || :
	[ -z "${KEEP:-}" ] || return 0
	# FORCE: a tool the test left running (killed just now) may hold a
	# connection still.
	[ -z "$_pgdb" ] || psql -X -q -h "$FULFIL_TEST_PG_HOST" -U fulfil \
	    -d postgres -c "DROP DATABASE IF EXISTS $_pgdb WITH (FORCE)" || :
	rm -rf "$T" 2>/dev/null || { sleep 1; rm -rf "$T"; } || :
}
trap '_st=$?; _cleanup; exit $_st' EXIT
cd "$T"
unset FULFIL_DB FULFIL_CONFIG
# FULFIL_TEST_BACKEND=pg: the ledger the tools open by default is a
# throwaway PostgreSQL database, not fulfil.db.  In make check's
# PostgreSQL pass (tests/e2e/pg-pass) one cluster serves the whole run
# and FULFIL_TEST_PG_HOST is its socket's directory: this file gets a
# database of its own there, named by its process id (unique among the
# files prove runs at once) and its name (to find it in the server's
# log), dropped when it ends.  A test run alone starts a cluster of its
# own (tests/e2e/pg.sh).  A file named in tests/e2e/pg-skip is skipped
# on PostgreSQL, saying why there.
if [ "${FULFIL_TEST_BACKEND:-}" = pg ]; then
	_why=$(awk -v f="${0##*/}" '$1 == f { sub(/^[^ \t]+[ \t]+/, ""); print; exit }' \
	    "$FULFIL_ROOT/tests/e2e/pg-skip")
	if [ -n "$_why" ]; then
		echo "1..0 # SKIP on PostgreSQL: $_why"
		exit 0
	fi
	if [ -n "${FULFIL_TEST_PG_HOST:-}" ]; then
		_pgdb=t$$_$(basename "$0" .sh | tr -c 'a-z0-9\n' _ | cut -c 1-40)
		psql -X -q -h "$FULFIL_TEST_PG_HOST" -U fulfil -d postgres \
		    -c "CREATE DATABASE $_pgdb"
		PG_HOST=$FULFIL_TEST_PG_HOST PG_DBNAME=$_pgdb
	else
		. "$FULFIL_ROOT/tests/e2e/pg.sh"
		start_pg
		PG_HOST=$T/pg PG_DBNAME=fulfil
	fi
	PG_URI="postgresql:///$PG_DBNAME?host=$PG_HOST&user=fulfil"
	export PG_URI
	FULFIL_DB=$PG_URI
	export FULFIL_DB
fi

# make check VALGRIND=1: the tools run under memcheck; an error or a
# definite leak is status 99, which no test expects.  A tool's start
# under memcheck costs a second or more of CPU (it maps 25 to 70
# libraries), and that, not the work, is most of the run: so the first
# FULFIL_VALGRIND_RUNS runs of each tool in a test file go under memcheck
# (0: every run), the rest run as they are.  A slot is a directory, so
# runs started at once each take their own.
if [ "${FULFIL_VALGRIND:-}" = 1 ]; then
	mkdir "$T/.vg"
	for tool in "$FULFIL_BIN"/*; do
		cat >"$T/.vg/${tool##*/}" <<VG
#!/bin/sh
i=0
while [ \$i -lt ${FULFIL_VALGRIND_RUNS:-0} ] || [ ${FULFIL_VALGRIND_RUNS:-0} = 0 ]; do
	i=\$((i + 1))
	[ ${FULFIL_VALGRIND_RUNS:-0} = 0 ] || mkdir "$T/.vg/${tool##*/}.\$i" 2>/dev/null || continue
	exec valgrind -q --error-exitcode=99 --leak-check=full \\
	    --errors-for-leak-kinds=definite --show-leak-kinds=definite \\
	    --soname-synonyms=somalloc=*jemalloc* \\
	    "$tool" "\$@"
done
exec "$tool" "\$@"
VG
		chmod +x "$T/.vg/${tool##*/}"
	done
	PATH=$T/.vg:$PATH
fi

# ledger_sql DB [SQL]: the sqlite3 shell with rec(), which reads the
# ledger's packed records and message bodies (lib/sqlite/fulfilrec.c);
# SQL from stdin when not given.  Under FULFIL_TEST_BACKEND=pg the
# default ledger (DB fulfil.db) is the server's: psql, printing as the
# sqlite3 shell does (no headings, columns joined by |, NULL empty, every
# statement's rows), and rec() is there too (lib/ledger_pg.c).  So SQL
# that both take reads either backend; a boolean reads t/f in psql and
# 1/0 in sqlite3, so tests compare with CASE or count rows.
ledger_sql() {
	if [ "${FULFIL_TEST_BACKEND:-}" = pg ] && [ "$1" = fulfil.db ]; then
		shift
		if [ $# -gt 0 ]; then
			printf '%s\n' "$@"
		else
			cat
		fi | psql -X -q -A -t -F '|' -v ON_ERROR_STOP=1 "$PG_URI" -f -
		return
	fi
	sqlite3 -cmd ".load $FULFIL_BIN/../lib/fulfilrec" "$@"
}

_n=0
_failed=0

ok() {
	_n=$((_n + 1))
	echo "ok $_n - $*"
}

not_ok() {
	_n=$((_n + 1))
	_failed=$((_failed + 1))
	echo "not ok $_n - $*"
}

# check NAME CMD...: a case passes when CMD exits 0.
check() {
	_name=$1
	shift
	if "$@"; then ok "$_name"; else not_ok "$_name"; fi
}

# run CMD...: runs CMD with stdout to out, stderr to err, status to $rc.
run() {
	set +e
	"$@" >out 2>err
	rc=$?
	set -e
}

# pipe_setup [CATALOG]: the whole-pipe tests' warehouse in fulfil.json (20
# aisles x 40 bays, carts of 8 totes, notify to outbox.ndjson) and its
# 1,600 SKUs in catalog.csv, which fulfil.json names as CATALOG (default
# catalog.csv; ../catalog.csv for stages run in subdirectories).
pipe_setup() {
	jq --arg t "$FULFIL_ROOT/examples/templates" --arg c "${1:-catalog.csv}" '
	    .layout = {aisles: 20, bays: 40, aisle_pitch_m: 3, bay_pitch_m: 1}
	    | .carts = {totes: 8, tote: {max_weight_g: 20000, max_volume_l: 50}}
	    | .catalog = $c | del(.promotions)
	    | .notify = {templates: $t, default_locale: "en",
	        channels: ["outbox"], outbox: "outbox.ndjson",
	        from: {name: "Test Shop", address: "shop@example.com"}}' \
	    "$FULFIL_ROOT/examples/fulfil.json" >fulfil.json
	"$FULFIL_ROOT/scripts/gen-catalog" -a 20 -b 40 -n 1600 >catalog.csv
	touch -d 2026-11-23T00:00:00Z catalog.csv
}

# pipe_fill N: N generated orders (orders.ndjson) through the whole pipe
# into the ledger, labels in labels/, stdout in out.ndjson: a check that
# every one came out dispatched.
pipe_fill() {
	"$FULFIL_ROOT/scripts/gen-orders" -n "$1" -s 3 --catalog catalog.csv \
	    >orders.ndjson
	ingest-orders -q orders.ndjson | pick-list -q |
	    label -q -f zpl -o labels | dispatch -q | notify -q >out.ndjson
	is "every order through the pipe" \
	    "$(jq -r .status out.ndjson | sort | uniq -c | tr -s ' ')" \
	    " $1 dispatched"
}

# sql_version N: SQL that says the ledger is at schema version N, either
# backend (for a ledger given an older version's tables by hand).
sql_version() {
	if on_pg; then
		echo "update fulfil_meta set value = '$1' where key = 'schema_version';"
	else
		echo "pragma user_version = $1;"
	fi
}

# pipe_more: three more generated orders (order ids N...) through
# ingest-orders, pick-list, label and dispatch into more.dis, then notify
# (run: its status in rc), as on a ledger a test made older.
pipe_more() {
	"$FULFIL_ROOT/scripts/gen-orders" -n 3 -s 4 --catalog catalog.csv |
	    jq -c '.order_id = "N" + .order_id' >more.ndjson
	ingest-orders -q more.ndjson | pick-list -q |
	    label -q -f zpl -o labels | dispatch -q >more.dis
	run notify more.dis
}

# resend_old: the first message of an order from before the N ones,
# its line taken out of the outbox (as if it never got there) and tried
# again by notify --retry: the line it had in line.want, the line
# written again in line.got.
resend_old() {
	_old=$(ledger_sql fulfil.db "select id from messages
	    where order_id not like 'N%' order by id limit 1")
	_mid=$(ledger_sql fulfil.db "select message_id from message_ids
	    where id = $_old")
	grep -F "\"$_mid\"" outbox.ndjson >line.want
	grep -v -F "\"$_mid\"" outbox.ndjson >o && mv o outbox.ndjson
	# message_log keeps a status by its number (fulfil(7)): 3 is retry.
	ledger_sql fulfil.db "update message_log set status = 3, not_before = 0
	    where id = $_old"
	run notify --retry </dev/null
	tail -n 1 outbox.ndjson >line.got
}

# ledger_version DB: the ledger's schema version, either backend.
ledger_version() {
	if on_pg; then
		ledger_sql "$1" "select value from fulfil_meta where key = 'schema_version'"
	else
		sqlite3 "$1" 'pragma user_version'
	fi
}

# until_lines FILE N: waits (up to 30 s) for FILE to have N lines.
until_lines() {
	_i=0
	while [ "$(wc -l <"$1" 2>/dev/null | tr -d ' ')" != "$2" ] && [ $_i -lt 300 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	wc -l <"$1" | tr -d ' '
}

# pipes_at_once FILE DIR...: the whole pipe on FILE's orders in each DIR
# (made, with DIR's fulfil.json already there or fulfil.json copied),
# all at once, as cron on several machines would: each DIR's stdout in
# DIR/out.ndjson, its status in DIR/rc, its stderr in DIR.err.
pipes_at_once() {
	_in=$1
	shift
	_pp=
	for _d in "$@"; do
		mkdir -p "$_d"
		[ -f "$_d/fulfil.json" ] || cp fulfil.json "$_d"
		(cd "$_d" && ingest-orders -q "$_in" | pick-list -q |
		    label -q -f zpl -o labels | dispatch -q | notify -q >out.ndjson
		    echo $? >rc) 2>"$_d.err" &
		_pp="$_pp $!"
	done
	wait $_pp
}

# fresh_ledger: the default ledger made new: fulfil.db removed, or under
# FULFIL_TEST_BACKEND=pg the server's tables dropped (the next run makes
# them again).
fresh_ledger() {
	rm -f fulfil.db fulfil.db-wal fulfil.db-shm
	[ "${FULFIL_TEST_BACKEND:-}" != pg ] ||
	    ledger_sql fulfil.db 'drop schema public cascade; create schema public' 2>/dev/null
}

# sql_1dp EXPR: SQL for EXPR (a number, not negative, to a tenth) as text
# with one decimal, as the sqlite3 shell prints a whole REAL ("56.0");
# psql prints a double as it is ("56"), and neither takes the other's
# printf.
sql_1dp() {
	echo "(cast(round(($1) * 10) as integer) / 10) || '.' || (cast(round(($1) * 10) as integer) % 10)"
}

# on_pg: true when the default ledger is PostgreSQL's
# (FULFIL_TEST_BACKEND=pg), for the checks that differ or cannot be made.
on_pg() {
	[ "${FULFIL_TEST_BACKEND:-}" = pg ]
}

# no_ledger: true when the default ledger has not been made: no
# fulfil.db, or under PostgreSQL no table in the database.
no_ledger() {
	if on_pg; then
		[ "$(ledger_sql fulfil.db "select count(*) from information_schema.tables
		    where table_schema = current_schema()")" = 0 ]
	else
		[ ! -e fulfil.db ]
	fi
}

# ledger_save NAME: the default ledger as it is now kept as NAME (no
# tool running): a copy of fulfil.db in NAME.db, or under PostgreSQL a
# database made from this one.  ledger_restore NAME puts it back in
# place, keeping NAME for another time; ledger_at NAME is what --db takes
# to open NAME itself.
ledger_save() {
	if on_pg; then
		_pg_admin "DROP DATABASE IF EXISTS ${PG_DBNAME}_$1" \
		    "CREATE DATABASE ${PG_DBNAME}_$1 TEMPLATE $PG_DBNAME"
	else
		sqlite3 fulfil.db ".backup $1.db"
	fi
}
ledger_restore() {
	if on_pg; then
		_pg_admin "DROP DATABASE $PG_DBNAME WITH (FORCE)" \
		    "CREATE DATABASE $PG_DBNAME TEMPLATE ${PG_DBNAME}_$1"
	else
		rm -f fulfil.db-wal fulfil.db-shm
		cp "$1.db" fulfil.db
	fi
}
ledger_at() {
	if on_pg; then
		echo "postgresql:///${PG_DBNAME}_$1?host=$PG_HOST&user=fulfil"
	else
		echo "$1.db"
	fi
}
# _pg_admin SQL...: statements on the cluster's maintenance database (a
# database is not made or dropped from inside itself).
_pg_admin() {
	for _s in "$@"; do
		PGOPTIONS="-c client_min_messages=warning" psql -X -q \
		    -h "$PG_HOST" -U fulfil -v ON_ERROR_STOP=1 -c "$_s" \
		    postgres >/dev/null
	done
}

# ledger_record ORDER_ID JQ: the order's record in the default ledger
# edited by jq's filter JQ and stored back as text (which the ledger
# reads as well as a packed one), its status column set to the record's
# .status: a change made by hand, for both backends (json_set() is
# SQLite's, not PostgreSQL's).
ledger_record() {
	_r=$(ledger_sql fulfil.db "select rec(record) from orders where order_id = '$1'" |
	    jq -c "$2" | sed "s/'/''/g")
	[ -n "$_r" ] || return 1
	ledger_sql fulfil.db "update orders set record = '$_r',
	    status = '$(printf %s "$_r" | jq -r .status)' where order_id = '$1'"
}

# sql_to25: SQL that gives a ledger at 26 version 25's tables back, on
# either backend, part by part as migration 26 made them (lib/ledger.c).
# The version itself is the caller's to set.
sql_to25() {
	if on_pg; then
		_id="bigint generated by default as identity primary key"
		_int=bigint _wr=
	else
		_id="integer primary key" _int=integer _wr=" without rowid"
	fi
	# 26, orders' content hash: 16 bytes (32 digits) again.  The 64
	# bits 26 dropped are gone: these are made up, and 26 cuts them.
	if on_pg; then
		echo "update orders set hash = hash || '0123456789abcdef'
		    where hash like 'x3:%' and length(hash) = 19;"
	else
		echo "update orders set hash = cast(hash || x'0123456789abcdef'
		    as blob) where typeof(hash) = 'blob' and length(hash) = 8;"
	fi
	# 26, the picks' SKUs.
	# pick_log names a SKU by its text again (the view's rows), the
	# SKUs' names (ids below 0) gone from event_names, the view as 24
	# made it.
	cat <<-EOF
	drop view picks;
	create table pick_log_25 (ord integer not null, sku text not null,
	    qty integer not null, batch integer not null, at integer not null,
	    released_at integer, primary key (ord, sku))$_wr;
	insert into pick_log_25 select p.ord, n.name, p.qty, p.batch, p.at,
	    p.released_at from pick_log as p join event_names as n
	    on n.id = p.sku;
	drop table pick_log;
	alter table pick_log_25 rename to pick_log;
	create index pick_log_released on pick_log (released_at)
	    where released_at is not null;
	delete from event_names where id < 0;
	create view picks (source, order_id, sku, qty, batch, at, released_at)
	    as select o.source, o.order_id, p.sku, p.qty, p.batch, p.at,
	    p.released_at from pick_log as p join orders as o
	    on o.rowid = p.ord;
	EOF
	# 26, the messages' times.
	# Times that count from the run's start (an empty off with a
	# created_at) in seconds since the epoch again, with the run's
	# offset; the view messages and message_ids as 25 made them.
	cat <<-'EOF'
	drop view message_ids;
	drop view messages;
	update message_log set
	    created_at = created_at + (select r.t0 from runs as r
	    where r.id = message_log.run),
	    sent_at = sent_at + (select r.t0 from runs as r
	    where r.id = message_log.run),
	    off = (select r.off from runs as r where r.id = message_log.run)
	    where off is null and created_at is not null;
	create view messages (id, source, order_id, event, channel,
	    recipient, locale, message_id, payload, status, attempts,
	    not_before, last_error, run, created_at, sent_at, off, domain) as
	    select m.id, coalesce(m.source, o.source),
	    coalesce(m.order_id, o.order_id), e.name, c.name, m.recipient,
	    m.locale, m.message_id, m.payload, case m.status
	    when 0 then 'pending' when 1 then 'sending' when 2 then 'sent'
	    when 3 then 'retry' when 4 then 'failed' when 5 then 'skipped' end,
	    m.attempts, m.not_before, m.last_error, m.run, m.created_at,
	    m.sent_at, m.off, m.domain
	    from message_log as m join event_names as e on e.id = m.event
	    join event_names as c on c.id = m.channel
	    left join orders as o on o.rowid = m.ord;
	create view message_ids (id, message_id) as select id,
	    coalesce(nullif(messages.message_id, ''), fulfil_message_id(
	    messages.source, messages.order_id, messages.event,
	    messages.channel, (select name from event_names
	    where event_names.id = messages.domain))) from messages;
	EOF
	# 26, the manifests' parcels.  The table again, each row as the
	# view says it; in SQLite, manifests with its rowid not declared.
	cat <<-EOF
	create table manifest_parcels_25 (tracking text primary key,
	    manifest text not null references manifests (id),
	    seq $_int not null, source text not null,
	    order_id text not null, service text not null,
	    n $_int not null, m $_int not null,
	    weight_g $_int not null, cod $_int not null, currency text,
	    handling $_int not null, run $_int,
	    dispatched_at $_int, off $_int)$_wr;
	insert into manifest_parcels_25 select * from manifest_parcels;
	drop view manifest_parcels;
	drop table manifest_parcel_log;
	EOF
	on_pg || cat <<-'EOF'
	create table manifests_25 (id text primary key,
	    carrier text not null, ship_date text not null,
	    status text not null, opened_at text not null, closed_at text,
	    last_seq integer not null default 0, unique (carrier, ship_date));
	insert into manifests_25 (rowid, id, carrier, ship_date, status,
	    opened_at, closed_at, last_seq) select rowid, id, carrier,
	    ship_date, status, opened_at, closed_at, last_seq from manifests;
	drop table manifests;
	alter table manifests_25 rename to manifests;
	EOF
	echo "alter table manifest_parcels_25 rename to manifest_parcels;"
	# 26, the audit trail: event_log with its own offset, tool and
	# order's name again, event_extra gone, the view as 24 made it.
	cat <<-EOF
	drop view events;
	create table event_log_25 (id $_id, at integer not null, off integer,
	    tool integer, run integer, source text, order_id text,
	    what integer not null, detail text, ord integer);
	insert into event_log_25 (id, at, off, tool, run, source, order_id,
	    what, detail, ord) select e.id, e.at, x.off, x.tool, e.run,
	    x.source, x.order_id, e.what, e.detail, e.ord
	    from event_log as e left join event_extra as x on x.id = e.id;
	drop table event_log;
	drop table event_extra;
	alter table event_log_25 rename to event_log;
	EOF
	if on_pg; then
		_at="fulfil_at(e.at + r.t0, coalesce(e.off, r.off))"
		_abs="fulfil_at(e.at, e.off)"
		cat <<-'EOF'
		select setval(pg_get_serial_sequence('event_log', 'id'),
		    coalesce(max(id), 0) + 1, false) from event_log;
		EOF
	else
		_at=$(sql_at "(e.at + r.t0)" "coalesce(e.off, r.off)")
		_abs="case typeof(e.at) when 'integer' then
		    $(sql_at e.at e.off) else e.at end"
	fi
	cat <<-EOF
	create view events (id, at, tool, run, source, order_id, what,
	    detail) as select e.id, case when e.tool is null then $_at
	    else $_abs end, coalesce(t.name, r.tool), e.run,
	    coalesce(e.source, o.source), coalesce(e.order_id, o.order_id),
	    w.name, e.detail
	    from event_log as e join event_names as w on w.id = e.what
	    left join event_names as t on t.id = e.tool
	    left join runs as r on r.id = e.run
	    left join orders as o on o.rowid = e.ord;
	EOF
}

# sql_at S O: SQLite's text of a time of seconds S and offset O
# (minutes), as lib/ledger.c's AT_TEXT writes it.
sql_at() {
	echo "(strftime('%Y-%m-%dT%H:%M:%S', $1 + $2 * 60, 'unixepoch')
	    || case when $2 < 0 then '-' else '+' end
	    || printf('%02d:%02d', abs($2) / 60, abs($2) % 60))"
}

# sql_to24: SQL that gives a ledger at 26 version 24's tables back, on
# either backend: version 25's (sql_to25), then messages and notified tables again (each row as the
# views say it, message ids kept), their indexes and the view
# message_ids as 24 made them.  The version itself is the caller's to
# set.
sql_to24() {
	sql_to25
	if on_pg; then
		_id="bigint generated by default as identity primary key"
		_blob=bytea _wr=
	else
		_id="integer primary key" _blob=blob _wr=" without rowid"
	fi
	cat <<-EOF
	create table messages_24 (id $_id, source text not null,
	    order_id text not null, event text not null, channel text not null,
	    recipient text not null, locale text, message_id text not null,
	    payload $_blob not null, status text not null,
	    attempts integer not null default 0, not_before integer not null,
	    last_error text, run integer, created_at integer, sent_at integer,
	    off integer, domain integer,
	    unique (source, order_id, event, channel));
	insert into messages_24 select * from messages;
	create table notified_24 (source text not null, order_id text not null,
	    status text not null, run integer, at integer not null,
	    primary key (source, order_id, status))$_wr;
	insert into notified_24 select * from notified;
	drop view message_ids;
	drop view messages;
	drop view notified;
	drop table message_log;
	drop table notified_log;
	alter table messages_24 rename to messages;
	alter table notified_24 rename to notified;
	create index messages_by_status on messages (status, not_before)
	    where status = 'pending' or status = 'retry' or status = 'sending';
	create view message_ids (id, message_id) as select id,
	    coalesce(nullif(messages.message_id, ''), fulfil_message_id(
	    messages.source, messages.order_id, messages.event,
	    messages.channel, (select name from event_names
	    where event_names.id = messages.domain))) from messages;
	EOF
	! on_pg || cat <<-'EOF'
	select setval(pg_get_serial_sequence('messages', 'id'),
	    coalesce(max(id), 0) + 1, false) from messages;
	EOF
}

# sql_to23: SQL that gives a ledger at 26 version 23's tables back, on
# either backend: version 24's (sql_to24), then picks a table again, the audit trail naming every
# order by source and order_id (no ord) and each row's time, offset and
# tool its own (not its run's, no runs.t0 or runs.off), its view as 23
# made it, and, in SQLite, orders keyed by (source, order_id) with its
# rowid not declared (PostgreSQL's rowid column is as it was).  The version itself is the caller's to set.
sql_to23() {
	sql_to24
	_wr=" without rowid"
	! on_pg || _wr=
	cat <<-EOF
	drop view picks;
	create table picks (source text not null, order_id text not null,
	    sku text not null, qty integer not null, batch integer not null,
	    at integer not null, released_at integer,
	    primary key (source, order_id, sku))$_wr;
	insert into picks select o.source, o.order_id, p.sku, p.qty, p.batch,
	    p.at, p.released_at from pick_log as p join orders as o
	    on o.rowid = p.ord;
	drop table pick_log;
	create index picks_released on picks (released_at)
	    where released_at is not null;
	EOF
	cat <<-'EOF'
	drop view events;
	insert into event_names (name) select distinct r.tool from runs as r
	    where not exists (select 1 from event_names as n
	    where n.name = r.tool);
	update event_log set
	    at = at + (select r.t0 from runs as r where r.id = event_log.run),
	    off = coalesce(off, (select r.off from runs as r
		where r.id = event_log.run)),
	    tool = (select n.id from event_names as n join runs as r
		on n.name = r.tool where r.id = event_log.run)
	    where tool is null;
	alter table runs drop column t0;
	alter table runs drop column off;
	update event_log set source = (select o.source from orders as o
	    where o.rowid = event_log.ord), order_id = (select o.order_id
	    from orders as o where o.rowid = event_log.ord)
	    where ord is not null;
	alter table event_log drop column ord;
	EOF
	if on_pg; then
		cat <<-'EOF'
		create view events (id, at, tool, run, source, order_id, what,
		    detail) as select e.id, fulfil_at(e.at, e.off), t.name,
		    e.run, e.source, e.order_id, w.name, e.detail
		    from event_log as e join event_names as t on t.id = e.tool
		    join event_names as w on w.id = e.what;
		EOF
		return
	fi
	cat <<-EOF
	create view events (id, at, tool, run, source, order_id, what,
	    detail) as select e.id, case typeof(e.at) when 'integer' then
	    $(sql_at e.at e.off)
	    else e.at end, t.name, e.run, e.source, e.order_id, w.name,
	    e.detail from event_log as e join event_names as t on t.id = e.tool
	    join event_names as w on w.id = e.what;
	EOF
	cat <<-'EOF'
	alter table orders rename to orders_24;
	create table orders (source text not null, order_id text not null,
	    status text not null, revision integer not null default 1,
	    hash text, accepted integer not null default 0, run integer,
	    record text not null, changed integer, archive integer,
	    warehouse text, primary key (source, order_id));
	insert into orders (rowid, source, order_id, status, revision, hash,
	    accepted, run, record, changed, archive, warehouse)
	    select rowid, source, order_id, status, revision, hash, accepted,
	    run, record, changed, archive, warehouse from orders_24;
	drop table orders_24;
	create index orders_by_status on orders (status);
	create index orders_by_archive on orders (archive)
	    where archive is not null;
	EOF
}

# sql_to22: SQL that gives a ledger at 26 version 22's tables back, on
# either backend (the shell's fulfil_message_id() is lib/sqlite/
# fulfilrec's): version 23's (sql_to23), then every message's id in full
# in messages.message_id, no domain column, no view message_ids.  The
# version itself is the caller's to set.
sql_to22() {
	sql_to23
	cat <<-'EOF'
	update messages set message_id = (select i.message_id
	    from message_ids as i where i.id = messages.id)
	    where message_id = '';
	drop view message_ids;
	alter table messages drop column domain;
	EOF
}

# sql_to21: SQL that gives a ledger at 26 version 21's tables back, on
# either backend: version 22's (sql_to22), then the index of picks by
# time, manifest_parcels a table with a rowid (PostgreSQL's own column of
# that name, as lib/ledger_pg makes it) in the order of each manifest's
# seq, with its index by manifest, and manifests without last_seq.  The
# version itself is the caller's to set.
sql_to21() {
	sql_to22
	if on_pg; then
		_rowid=", rowid bigint generated by default as identity unique"
	else
		_rowid=
	fi
	cat <<-EOF
	create index picks_by_time on picks (at);
	alter table manifest_parcels rename to manifest_parcels_22;
	create table manifest_parcels (
	    tracking text primary key,
	    manifest text not null references manifests (id),
	    source text not null, order_id text not null,
	    service text not null, n integer not null, m integer not null,
	    weight_g integer not null, cod integer not null, currency text,
	    handling integer not null, run integer, dispatched_at integer,
	    off integer$_rowid);
	insert into manifest_parcels (tracking, manifest, source, order_id,
	    service, n, m, weight_g, cod, currency, handling, run,
	    dispatched_at, off)
	    select tracking, manifest, source, order_id, service, n, m,
	    weight_g, cod, currency, handling, run, dispatched_at, off
	    from manifest_parcels_22 order by manifest, seq;
	drop table manifest_parcels_22;
	create index manifest_parcels_by_manifest on manifest_parcels
	    (manifest);
	alter table manifests drop column last_seq;
	EOF
}

# sql_to20: SQL that gives a ledger at 26 version 20's columns back, on
# either backend (the shell's fulfil_at() is lib/sqlite/fulfilrec's):
# version 21's tables (sql_to21), then orders.updated_at (from changed,
# in UTC), parcels.label_path, and the times of parcels, messages and
# manifest_parcels as text.  The version itself is the caller's to set.
sql_to20() {
	sql_to21
	cat <<-'EOF'
	alter table orders add column updated_at text not null default '';
	update orders set updated_at = fulfil_at(changed, 0);
	alter table parcels add column label_path text;
	update parcels set label_path = (select path from label_files
	    where id = label_file);
	alter table parcels drop column label_file;
	drop table label_files;
	alter table parcels add column c20 text;
	alter table parcels add column p20 text;
	update parcels set c20 = fulfil_at(created_at, off),
	    p20 = fulfil_at(printed_at, off);
	drop index parcels_unprinted;
	alter table parcels drop column created_at;
	alter table parcels drop column printed_at;
	alter table parcels drop column off;
	alter table parcels rename column c20 to created_at;
	alter table parcels rename column p20 to printed_at;
	create index parcels_unprinted on parcels (source, order_id)
	    where label_due <> 0 and printed_at is null;
	alter table messages add column c20 text not null default '';
	alter table messages add column s20 text;
	update messages set c20 = fulfil_at(created_at, off),
	    s20 = fulfil_at(sent_at, off);
	alter table messages drop column created_at;
	alter table messages drop column sent_at;
	alter table messages drop column off;
	alter table messages rename column c20 to created_at;
	alter table messages rename column s20 to sent_at;
	alter table manifest_parcels add column d20 text not null default '';
	update manifest_parcels set d20 = fulfil_at(dispatched_at, off);
	alter table manifest_parcels drop column dispatched_at;
	alter table manifest_parcels drop column off;
	alter table manifest_parcels rename column d20 to dispatched_at;
	EOF
}

# skip NAME WHY: a case that cannot be made here, said as a TAP skip.
skip() {
	_n=$((_n + 1))
	echo "ok $_n - $1 # SKIP $2"
}

# is NAME GOT WANT
is() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1"
		printf '#   got:  %s\n#   want: %s\n' "$2" "$3"
	fi
}

# same NAME FILE GOLDEN: FILE equals GOLDEN byte for byte.
# A golden file compared; FULFIL_GOLDEN=update writes it instead, for a
# change of output made on purpose (review the diff before committing).
same() {
	if [ "${FULFIL_GOLDEN:-}" = update ] && ! cmp -s "$2" "$3"; then
		cp "$2" "$3"
	fi
	if cmp -s "$2" "$3"; then
		ok "$1"
	else
		not_ok "$1"
		diff -u "$3" "$2" | sed 's/^/# /' | head -40
	fi
}

done_testing() {
	echo "1..$_n"
	[ "$_failed" -eq 0 ]
}

# report_check NAME PAGE KPI [OTHER]: tests/report-check.py reads the
# report's page in Chromium (lib/report.h's rules); its lines are kept
# out of this TAP stream but shown when it fails.
report_check() {
	_rc_name=$1
	shift
	if /usr/bin/python3 "$FULFIL_ROOT/tests/report-check.py" "$@" \
	    >check.out 2>&1; then
		ok "$_rc_name"
	else
		not_ok "$_rc_name"
		sed 's/^/#   /' check.out
	fi
}

# use_helper: the test warehouse's first carrier gets its numbers from
# tests/helpers/carrier-helper.py (fulfil-carrier-helper(5)), which logs
# each request to $T/helper.log and keeps its numbers in $T/helper.state,
# answering as HELPER_MODE says (good).
use_helper() {
	HELPER_LOG=$T/helper.log HELPER_STATE=$T/helper.state HELPER_MODE=good
	export HELPER_LOG HELPER_STATE HELPER_MODE
	cp "$FULFIL_ROOT/tests/helpers/carrier-helper.py" helper
	jq '.carriers[0].helper = "helper"' fulfil.json >f && mv f fulfil.json
}

# setup: the test warehouse in the current directory.
setup() {
	cp "$DATA/fulfil.json" "$DATA/catalog.csv" .
	# Written before FULFIL_NOW, so that picks made "now" count against it.
	touch -d 2026-11-23T00:00:00Z catalog.csv
}

# ship_orders FILE: FILE's orders ingested, picked, labelled and
# dispatched at 16:00 into dispatched.ndjson; trk ORDER_ID is then the
# order's tracking number.
ship_orders() {
	ingest-orders -q "$1" | pick-list -q | label -q |
	    FULFIL_NOW=2026-11-23T16:00:00+08:00 dispatch -q >dispatched.ndjson
}
trk() { jq -r "select(.order_id == \"$1\") | .shipment.tracking" dispatched.ndjson; }

# stopped PID: waits (up to a minute) until PID has stopped itself
# (SIGSTOP: FULFIL_ARCHIVE_STOP, FULFIL_PICK_STOP); 1 when it ended
# instead.  SIGCONT takes effect as it is sent: a stop seen after one is
# the next.
stopped() {
	_i=0
	while :; do
		_s=$(sed 's/.*) //; s/ .*//' "/proc/$1/stat" 2>/dev/null || :)
		[ "$_s" != T ] || return 0
		[ -n "$_s" ] && [ "$_s" != Z ] || return 1
		_i=$((_i + 1))
		[ $_i -lt 600 ] || return 1
		sleep 0.1
	done
}

# A free port on the loopback interface.
free_port() {
	/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_smtp DIR: aiosmtpd on loopback, each message it takes written
# to DIR (tests/servers/sink.py); sets SMTP_PORT.
start_smtp() {
	SMTP_PORT=$(free_port)
	PYTHONPATH=$FULFIL_ROOT/tests/servers /usr/bin/python3 -m aiosmtpd -n \
	    -l "127.0.0.1:$SMTP_PORT" -c sink.Sink "$1" 2>"$T/.smtpd.err" &
	_pids="$_pids $!"
	_i=0
	until /usr/bin/python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', $SMTP_PORT), 1)" 2>/dev/null; do
		_i=$((_i + 1))
		[ $_i -lt 100 ] || { echo "# smtpd did not start" >&2; cat "$T/.smtpd.err" >&2; return 1; }
		sleep 0.1
	done
}

# mail_to RCPT FIELD: a field of each message start_smtp's server took
# for a recipient starting RCPT ("ann@"), as Python's email package reads
# it: subject, to, or body.
mail_to() {
	for _f in "$T"/mail/*.env; do
		[ -e "$_f" ] || continue
		sed -n 2p "$_f" | grep -q "^$1" || continue
		/usr/bin/python3 - "${_f%.env}.eml" "$2" <<'EOF'
import email, email.policy, sys
m = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default)
print(m.get_content().rstrip("\n") if sys.argv[2] == "body" else m.get(sys.argv[2], ""))
EOF
	done
}

# start_server NAME ARGS...: tests/servers/NAME.py PORTFILE ARGS... in the
# background; sets PORT once it has written the port it listens on.
start_server() {
	_name=$1
	shift
	rm -f "$T/.$_name.port"
	/usr/bin/python3 "$FULFIL_ROOT/tests/servers/$_name.py" "$T/.$_name.port" "$@" \
	    2>"$T/.$_name.err" &
	_pids="$_pids $!"
	_i=0
	until [ -s "$T/.$_name.port" ]; do
		_i=$((_i + 1))
		[ $_i -lt 100 ] || { echo "# $_name did not start" >&2; cat "$T/.$_name.err" >&2; return 1; }
		sleep 0.1
	done
	PORT=$(cat "$T/.$_name.port")
}

# start_http LOG: a local HTTP receiver logging each POST to LOG
# (tests/servers/http-sink.py); sets HTTP_PORT.
start_http() {
	start_server http-sink "$1"
	HTTP_PORT=$PORT
}

# start_auth_smtp DIR USER PASSWORD: an SMTP server on loopback that wants
# a login and offers no STARTTLS (tests/servers/auth-sink.py), writing to
# DIR; sets AUTH_PORT.
start_auth_smtp() {
	start_server auth-sink "$@"
	AUTH_PORT=$PORT
}

# notify_config SMTP_PORT HTTP_PORT: the test warehouse's fulfil.json with
# a notify section pointing at the local servers.
notify_config() {
	jq --arg smtp "smtp://127.0.0.1:$1" --arg http "http://127.0.0.1:$2" '.notify = {
	    "templates": "'"$FULFIL_ROOT"'/examples/templates",
	    "default_locale": "en",
	    "from": {"name": "Test Shop", "address": "shop@example.com"},
	    "smtp": {"url": $smtp},
	    "webhook": {"url": ($http + "/ok")},
	    "sms": {"url": ($http + "/ok"), "sender": "TESTSHOP"},
	    "timeout_s": 5,
	    "quiet_hours": {"from": "21:00", "to": "08:00"},
	    "retry": {"max_attempts": 3, "backoff_s": 60}}' "$DATA/fulfil.json" >fulfil.json
}

# ship_notify_orders: ship_orders of tests/data/notify-orders.ndjson.
ship_notify_orders() {
	ship_orders "$DATA/notify-orders.ndjson"
}
