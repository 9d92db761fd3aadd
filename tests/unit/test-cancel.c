/*
 * What a cancellation undoes (cancel.h), called as ingest-orders calls
 * it: a bare cancellation (the key and a status) of orders the ledger
 * has labelled, picked, collected or never seen.  The stages' own runs
 * are t0430's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cancel.h"
#include "config.h"
#include "err.h"
#include "ledger.h"
#include "ledger_parcels.h"
#include "ledger_picks.h"
#include "ndjson.h"
#include "tap.h"
#include "tools.h"

/* An order as the ledger has it, in status, with a pick and a shipment. */
static void
put(struct ledger *l, const char *id, const char *status)
{
	char *rec;

	xasprintf(&rec,
	    "{\"order_id\":\"%s\",\"source\":\"t\",\"status\":\"%s\","
	    "\"customer\":{\"name\":\"Ann Lee\",\"email\":\"ann@example.com\"},"
	    "\"lines\":[{\"sku\":\"TEA-1\",\"qty\":2}],"
	    "\"pickup\":{\"location\":\"Store A\",\"ready_at\":"
	    "\"2026-11-23T09:00:00+08:00\"},"
	    "\"pick\":{\"wave\":\"2026-11-23 18:30\",\"batch\":4,\"tote\":2},"
	    "\"shipment\":{\"carrier\":\"sf\",\"tracking\":\"SF1\"}}",
	    id, status);
	ledger_order_put(l, "t", id, status, rec, strlen(rec), NULL, 0, 0);
	free(rec);
}

/* A bare cancellation of order id, the ledger's status prev before it. */
static json_t *
cancel(struct ledger *l, const struct config *cfg, const char *id,
    const char *prev, const char *extra)
{
	char text[256];
	json_t *o;

	snprintf(text, sizeof text,
	    "{\"order_id\":\"%s\",\"source\":\"t\",\"status\":\"cancelled\"%s}",
	    id, extra);
	o = ndjson_parse(text, strlen(text), NULL, 0);
	cancel_apply(l, cfg, o, prev);
	return o;
}

/* Member path of o as compact JSON, for comparing; static. */
static const char *
show(json_t *o, const char *a, const char *b)
{
	static char buf[512];
	json_t *v = json_object_get(o, a);
	char *s;

	if (b != NULL)
		v = json_object_get(v, b);
	if (v == NULL)
		return "(none)";
	s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	snprintf(buf, sizeof buf, "%s", s);
	free(s);
	return buf;
}

int
main(void)
{
	struct config *cfg = config_load("tests/data/fulfil.json");
	struct ledger_parcel p = {.tracking = "SF1",
	    .carrier = "sf",
	    .service = "standard",
	    .source = "t",
	    .order_id = "L",
	    .n = 1,
	    .m = 1,
	    .weight_g = 500,
	    .serial = 1};
	struct ledger *l;
	json_t *o;

	err_init("test-cancel");
	setenv("FULFIL_NOW", "2026-11-23T10:00:00+08:00", 1);
	tmpdir("test-cancel");
	l = ledger_open("l.db");
	ledger_run(l, NULL);
	ledger_begin(l);

	/* Labelled: a bare cancellation takes the rest from the ledger. */
	put(l, "L", "labelled");
	ledger_pick_add(l, "t", "L", "TEA-1", 2, 4, 1000);
	ledger_parcel_add(l, &p);
	ledger_parcel_claim_print(l, "SF1", "/labels/run-1.zpl");
	o = cancel(l, cfg, "L", "labelled", "");
	is_str(show(o, "customer", "email"), "\"ann@example.com\"",
	    "bare: the customer from the ledger, to tell");
	is_str(show(o, "status", NULL), "\"cancelled\"", "bare: cancelled");
	is_str(show(o, "cancellation", "was"), "\"labelled\"",
	    "labelled: what it was");
	is_str(show(o, "cancellation", "voided"), "[\"SF1\"]",
	    "labelled: its number voided");
	is_str(show(o, "cancellation", "released"),
	    "[{\"sku\":\"TEA-1\",\"qty\":2}]", "labelled: its stock back");
	is_str(show(o, "cancellation", "task"), "\"T-000001\"",
	    "labelled: a task");
	is_str(show(o, "shipment", NULL), "(none)",
	    "labelled: no shipment left in the record");
	is_str(show(o, "pick", NULL), "(none)", "labelled: nor a pick");
	json_decref(o);

	/* Ready at the counter: the shop's pickup object keeps ready_at. */
	put(l, "R", "ready_for_pickup");
	o = cancel(l, cfg, "R", "ready_for_pickup",
	    ",\"pickup\":{\"location\":\"Store A\"}");
	is_str(show(o, "pickup", "ready_at"), "\"2026-11-23T09:00:00+08:00\"",
	    "pickup: ready_at kept from the ledger");
	is_str(show(o, "cancellation", "task"), "\"T-000002\"",
	    "pickup: a task to fetch the goods");
	json_decref(o);

	/* Collected: too late, nothing undone, no task. */
	put(l, "C", "collected");
	o = cancel(l, cfg, "C", "collected", "");
	is_str(
	    show(o, "cancellation", "too_late"), "true", "collected: too late");
	is_str(show(o, "cancellation", "task"), "(none)", "collected: no task");
	json_decref(o);

	/* Never seen: nothing to take or undo. */
	o = cancel(l, cfg, "N", NULL, "");
	is_str(show(o, "cancellation", "was"), "(none)",
	    "never seen: no status before");
	is_str(show(o, "customer", NULL), "(none)", "never seen: bare");
	json_decref(o);

	ledger_commit(l);
	ledger_close(l);
	config_free(cfg);
	unlink("l.db");
	unlink("l.db-wal");
	unlink("l.db-shm");
	tmpdir_remove();
	return done_testing();
}
