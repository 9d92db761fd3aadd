#!/bin/sh
# Every tool: --help to stdout with status 0, --version, bad option is 2,
# and a write error on stdout is status 2.
. "$FULFIL_ROOT/tests/e2e/lib.sh"

for tool in ingest-orders pick-list label dispatch notify followup; do
	run $tool --help
	is "$tool --help exits 0" "$rc" 0
	check "$tool --help prints usage" grep -q "^usage: $tool" out
	run $tool --version
	check "$tool --version" grep -q "^$tool [0-9]" out
	run $tool --no-such-option
	is "$tool bad option exits 2" "$rc" 2
	check "$tool bad option prints usage" grep -q "^usage: $tool" err
	run sh -c "$tool --help >/dev/full"
	is "$tool write error exits 2" "$rc" 2
	check "$tool write error is reported" \
	    grep -q "^$tool: write error on standard output" err
done
done_testing
