# customs.sh: sourced by the customs declaration tests (t038*) after
# lib.sh and setup.  customs_picked FILTER: the test catalogue with its
# customs columns as catalog.csv, and the orders of customs-orders.ndjson
# (one staying in China, the others to Germany, the USA, Japan and
# Switzerland) ingested, picked and those jq's select(FILTER) keeps in
# picked.ndjson.
customs_picked() {
	cp "$DATA/customs-catalog.csv" catalog.csv
	ingest-orders -q "$DATA/customs-orders.ndjson" | pick-list -q |
	    jq -c "select($1)" >picked.ndjson
}
