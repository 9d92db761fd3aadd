#!/bin/sh
# Schema 26 (issue 19): an order's content hash is kept in 64 bits (8
# bytes in SQLite, 16 digits in PostgreSQL's text), the first half of
# the 128 kept before.  A ledger at 25, filled through the whole pipe,
# comes up to 26 with every hash cut so, and the same orders sent again
# are still the same orders: duplicates, not changes.  The ledger at 25
# is this build's, given 25's 16-byte hashes back by hand (lib.sh's
# sql_to25: their last 8 bytes made up, which 26 drops).
. "$FULFIL_ROOT/tests/e2e/lib.sh"
pipe_setup
pipe_fill 12

# The hashes as the tools read them: x3: and 16 digits.
hashes() {
	if on_pg; then
		ledger_sql fulfil.db "select order_id, hash from orders order by 1"
	else
		ledger_sql fulfil.db "select order_id, typeof(hash), length(hash),
		    lower(hex(hash)) from orders order by 1"
	fi
}
width() {	# bytes (SQLite) or characters (PostgreSQL) of every hash
	if on_pg; then
		ledger_sql fulfil.db "select distinct length(hash) from orders"
	else
		ledger_sql fulfil.db "select distinct typeof(hash) || ' ' ||
		    length(hash) from orders"
	fi
}
if on_pg; then w26=19 w25=35; else w26="blob 8" w25="blob 16"; fi
is "at 26: every hash 64 bits" "$(width)" "$w26"
hashes >before.txt

ledger_sql fulfil.db "$(sql_to25)
    $(sql_version 25)"
is "at 25: every hash 128 bits" "$(width)" "$w25"

# The same orders again, on the ledger at 25: migrated first, and known.
run ingest-orders orders.ndjson
is "ingest-orders on the ledger at 25: exit 0" "$rc" 0
is "at version 26" "$(ledger_version fulfil.db)" 26
is "the same orders again: 12 duplicates, nothing new or changed" \
    "$(grep -o '[0-9]* accepted, [0-9]* updated, [0-9]* duplicate' err)" \
    "0 accepted, 0 updated, 12 duplicate"
is "no order output again" "$(wc -l <out | tr -d ' ')" 0
is "every hash cut to 64 bits" "$(width)" "$w26"
hashes >after.txt
same "the hashes the orders had at 26, again" after.txt before.txt

# A new order, then the same changed: told apart, its hashes 64 bits.
head -n 1 orders.ndjson | jq -c '.order_id = "N1"' >new.ndjson
jq -c '.lines[0].qty += 1' new.ndjson >changed.ndjson
run ingest-orders new.ndjson
run ingest-orders changed.ndjson
is "the order changed: updated" \
    "$(grep -o '[0-9]* accepted, [0-9]* updated' err)" "0 accepted, 1 updated"
is "its revision 2, every hash 64 bits" \
    "$(ledger_sql fulfil.db "select revision from orders
	where order_id = 'N1'") $(width)" "2 $w26"
done_testing
