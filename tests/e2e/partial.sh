# partial.sh: sourced by the partial shipment tests after lib.sh.
# partial_config: the test warehouse with pick.partial "allow" and notify
# writing to outbox.ndjson with the example templates.  led SQL: the
# ledger's answer on one line.
partial_config() {
	jq --arg t "$FULFIL_ROOT/examples/templates" '.pick = {"partial": {"policy": "allow"}} |
	    .notify = {"templates": $t, "default_locale": "en", "channels": ["outbox"],
	    "outbox": "outbox.ndjson", "from": {"name": "Test Shop", "address": "shop@example.com"}}' \
	    "$DATA/fulfil.json" >fulfil.json
}
led() { ledger_sql fulfil.db "$1" | tr '\n' ' '; }
