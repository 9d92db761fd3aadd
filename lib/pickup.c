#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "err.h"
#include "ledger.h"
#include "ledger_feedback.h"
#include "ndjson.h"
#include "pickup.h"
#include "status.h"
#include "when.h"

int
pickup_is(const json_t *order)
{
	const char *s = ndjson_str(order, "service");

	return s != NULL && strcmp(s, "pickup") == 0;
}

/* The record's "pickup" object, made if it has none. */
static json_t *
pickup_of(json_t *order)
{
	json_t *p = json_object_get(order, "pickup");

	if (!json_is_object(p)) {
		p = json_object();
		json_object_set_new(order, "pickup", p);
	}
	return p;
}

int
pickup_ready(json_t *order, int64_t now, const char *tz)
{
	if (!status_may(
		status_parse(ndjson_str(order, "status")), ST_READY_FOR_PICKUP))
		return 0;
	ndjson_set_time(pickup_of(order), "ready_at", now, tz);
	json_object_set_new(
	    order, "status", json_string(status_name(ST_READY_FOR_PICKUP)));
	return 1;
}

/*
 * The order id of source (NULL: the one source that has it) is
 * collected at now: its record queued on out.  EXIT_OK or EXIT_REJECTS.
 */
static int
collect(struct ledger *l, const struct config *cfg, const char *id,
    const char *source, int64_t now, json_t *out)
{
	struct ledger_order lo;
	char *found, *text;
	json_t *j = NULL, *p;
	size_t len;
	int n, rc = EXIT_REJECTS;

	n = ledger_order_sources(l, id, source, &found);
	if (n != 1) {
		err_warn(n == 0 ? "no order %s"
				: "order %s: in more than one source; give "
				  "--source",
		    id);
		free(found);
		return EXIT_REJECTS;
	}
	if (!ledger_order_get(l, found, id, &lo)) {
		free(found);
		return EXIT_REJECTS;
	}
	if ((text = ledger_order_record(l, found, id, &len)) != NULL)
		j = ndjson_parse(text, len, NULL, 0);
	free(text);
	p = json_object_get(j, "pickup");
	if (j == NULL)
		err_warn("order %s: its record cannot be read", id);
	else if (status_parse(lo.status) == ST_COLLECTED) {
		err_warn("order %s was collected already, at %s", id,
		    ndjson_str(p, "collected_at")
			? ndjson_str(p, "collected_at")
			: "an unknown time");
		rc = EXIT_OK;
	} else if (!status_may(status_parse(lo.status), ST_COLLECTED))
		err_warn("order %s is %s: not waiting to be collected", id,
		    lo.status);
	else {
		ndjson_set_time(pickup_of(j), "collected_at", now, cfg->tz);
		json_object_set_new(
		    j, "status", json_string(status_name(ST_COLLECTED)));
		text = ndjson_dump(j, &len);
		ledger_order_put(l, found, id, status_name(ST_COLLECTED), text,
		    len, NULL, 0, 0);
		ledger_event(l, found, id, "collected", NULL);
		free(text);
		json_array_append(out, j);
		if (!quiet)
			fprintf(
			    stderr, "%s: order %s collected\n", progname, id);
		rc = EXIT_OK;
	}
	json_decref(j);
	ledger_order_free(&lo);
	free(found);
	return rc;
}

int
pickup_collected(struct ledger *l, const struct config *cfg, char **ids,
    size_t n, const char *source)
{
	json_t *out = json_array(), *j;
	int64_t now = when_now().t;
	int status = EXIT_OK;
	size_t i;

	ledger_begin(l);
	for (i = 0; i < n; i++)
		if (collect(l, cfg, ids[i], source, now, out) != EXIT_OK)
			status = EXIT_REJECTS;
	ledger_commit(l);
	json_array_foreach(out, i, j) ndjson_write(j);
	json_decref(out);
	return status;
}
