#include <stdio.h>
#include <stdlib.h>

#include "aftercare.h"
#include "config.h"
#include "err.h"
#include "ledger.h"
#include "ledger_journey.h"
#include "ndjson.h"
#include "tasks.h"

json_t *
tasks_add(struct ledger *l, const struct config *cfg, int64_t now,
    const char *kind, const char *key, const char *source, const char *id,
    const char *tracking, int high, json_t *detail)
{
	int hours = high ? cfg->followup.urgent_due_hours
			 : cfg->followup.chase_due_hours;
	struct ledger_task row;
	char tid[32], *text;
	json_t *t;
	int isnew;

	snprintf(tid, sizeof tid, "T-%06lld", (long long)ledger_task_next(l));
	t = json_pack("{s:s,s:s,s:s,s:s,s:s}", "type", "task", "id", tid,
	    "kind", kind, "source", source, "order_id", id);
	if (tracking != NULL)
		json_object_set_new(t, "tracking", json_string(tracking));
	json_object_set_new(
	    t, "priority", json_string(high ? "high" : "normal"));
	ndjson_set_time(t, "due", now + (int64_t)hours * 3600, cfg->tz);
	ndjson_set_time(t, "created_at", now, cfg->tz);
	json_object_set_new(t, "detail", detail);
	row.id = tid;
	row.key = key;
	row.kind = kind;
	row.source = source;
	row.order_id = id;
	row.priority = ndjson_str(t, "priority");
	row.due = ndjson_str(t, "due");
	row.record = text = ndjson_dump(t, &row.len);
	if ((isnew = ledger_task_add(l, &row)) != 0)
		ledger_event(l, source, id, "task.opened", tid);
	free(text);
	if (!isnew) {
		json_decref(t);
		return NULL;
	}
	return t;
}

/* Open a task (key unique) for staff: 1 if new, 0 if opened before. */
int
tasks_open(struct aftercare *u, const char *kind, const char *key,
    const char *source, const char *id, const char *tracking, int high,
    json_t *detail)
{
	json_t *t = tasks_add(u->ledger, u->cfg, u->now.t, kind, key, source,
	    id, tracking, high, detail);

	if (t == NULL)
		return 0;
	json_array_append_new(u->out, t);
	u->tasks++;
	return 1;
}

json_t *
tasks_detail(const struct config *cfg, json_t *order, const char *carrier,
    const char *status, const char *reason)
{
	json_t *c = json_object_get(order, "customer");
	json_t *to = json_object_get(order, "ship_to");
	const struct carrier *k =
	    carrier != NULL ? config_carrier(cfg, carrier) : NULL;
	const char *phone = ndjson_str(c, "phone");
	json_t *d = json_pack("{s:s}", "reason", reason);

	if (carrier != NULL)
		json_object_set_new(d, "carrier", json_string(carrier));
	json_object_set_new(d, "status", json_string(status));
	if (k != NULL && k->name != NULL)
		json_object_set_new(d, "carrier_name", json_string(k->name));
	if (phone == NULL)
		phone = ndjson_str(to, "phone");
	if (ndjson_str(c, "name") != NULL || ndjson_str(to, "name") != NULL)
		json_object_set_new(d, "customer",
		    json_string(ndjson_str(c, "name")
				    ? ndjson_str(c, "name")
				    : ndjson_str(to, "name")));
	if (phone != NULL)
		json_object_set_new(d, "phone", json_string(phone));
	if (ndjson_str(c, "email") != NULL)
		json_object_set(d, "email", json_object_get(c, "email"));
	if (ndjson_str(json_object_get(order, "promise"), "deliver_by"))
		json_object_set(d, "deliver_by",
		    json_object_get(
			json_object_get(order, "promise"), "deliver_by"));
	return d;
}

static void
put(void *arg, const char *record, size_t len)
{
	long *n = arg;

	ndjson_put(record, len);
	(*n)++;
}

long
tasks_list(struct ledger *l)
{
	long n = 0;

	ledger_tasks_open(l, put, &n);
	return n;
}

int
tasks_done(struct ledger *l, char **ids, size_t n)
{
	int status = EXIT_OK;
	char *source, *id, *at;
	size_t i;

	ledger_begin(l);
	for (i = 0; i < n; i++) {
		if (ledger_task_close(l, ids[i], &source, &id)) {
			ledger_event(l, source, id, "task.done", ids[i]);
			if (!quiet)
				fprintf(stderr, "%s: task %s done\n", progname,
				    ids[i]);
			free(source);
			free(id);
		} else if (ledger_task_done_at(l, ids[i], &at)) {
			err_warn("task %s was done already, at %s", ids[i], at);
			free(at);
		} else {
			err_warn("no task %s", ids[i]);
			status = EXIT_REJECTS;
		}
	}
	ledger_commit(l);
	return status;
}
