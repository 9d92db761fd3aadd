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
trap '[ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
cd "$T"
unset FULFIL_DB FULFIL_CONFIG

# make check VALGRIND=1: every tool runs under memcheck; an error or a
# definite leak is status 99, which no test expects.
if [ "${FULFIL_VALGRIND:-}" = 1 ]; then
	mkdir "$T/.vg"
	for tool in "$FULFIL_BIN"/*; do
		cat >"$T/.vg/${tool##*/}" <<VG
#!/bin/sh
exec valgrind -q --error-exitcode=99 --leak-check=full \\
    --errors-for-leak-kinds=definite --show-leak-kinds=definite \\
    --soname-synonyms=somalloc=*jemalloc* \\
    "$tool" "\$@"
VG
		chmod +x "$T/.vg/${tool##*/}"
	done
	PATH=$T/.vg:$PATH
fi

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
same() {
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

# setup: the test warehouse in the current directory.
setup() {
	cp "$DATA/fulfil.json" "$DATA/catalog.csv" .
	# Written before FULFIL_NOW, so that picks made "now" count against it.
	touch -d 2026-11-23T00:00:00Z catalog.csv
}
