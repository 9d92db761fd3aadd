#!/bin/sh
# Every man page lints clean with mandoc, and every line of its EXAMPLES
# section runs, in a copy of examples/ with a ledger of the sample Shopify
# export already in it.  A line that needs a tool not built yet is
# skipped, and says so.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
# The examples' sqlite3 shell loads fulfilrec.so, as an installed one
# would from /usr/local/lib.
LD_LIBRARY_PATH=$FULFIL_BIN/../lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export LD_LIBRARY_PATH

for page in "$FULFIL_ROOT"/man/*.[157]; do
	name=${page##*/}
	run mandoc -T lint -W warning "$page"
	is "$name: mandoc -T lint is clean" "$(cat out err)" ""

	rm -rf sandbox
	cp -r "$FULFIL_ROOT/examples" sandbox
	(cd sandbox && ingest-orders -q shopify-orders.csv >/dev/null)
	# The .Dl lines of EXAMPLES, with mdoc's escapes undone.
	sed -n '/^\.Sh EXAMPLES/,/^\.Sh /p' "$page" | sed -n 's/^\.Dl //p' |
	    sed -e 's/\\(dq/"/g' -e 's/\\-/-/g' -e 's/\\e/\\/g' >examples.txt
	while IFS= read -r cmd; do
		missing=
		for word in $(echo "$cmd" | tr '|' '\n' | awk '{print $1}'); do
			case $word in
			ingest-orders|pick-list|label|dispatch|notify|followup)
				[ -x "$FULFIL_BIN/$word" ] ||
				    missing="$missing $word" ;;
			esac
		done
		if [ -n "$missing" ]; then
			_n=$((_n + 1))
			echo "ok $_n - $name: $cmd # SKIP not built yet:$missing"
			continue
		fi
		if (cd sandbox && bash -o pipefail -c "$cmd" >/dev/null \
		    2>../example.err); then
			ok "$name: $cmd"
		else
			not_ok "$name: $cmd"
			sed 's/^/#   /' example.err
		fi
	done <examples.txt
done
done_testing
