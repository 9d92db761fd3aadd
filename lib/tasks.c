#include <stdio.h>
#include <stdlib.h>

#include "aftercare.h"
#include "err.h"
#include "ledger.h"
#include "ledger_journey.h"
#include "ndjson.h"
#include "tasks.h"

/* Open a task (key unique) for staff: 1 if new, 0 if opened before. */
int
tasks_open(struct aftercare *u, const char *kind, const char *key,
    const char *source, const char *id, const char *tracking, int high,
    json_t *detail)
{
	int hours = high ? u->cfg->followup.urgent_due_hours
			 : u->cfg->followup.chase_due_hours;
	struct ledger_task row;
	char tid[32], *text;
	json_t *t;
	int isnew;

	snprintf(tid, sizeof tid, "T-%06lld",
	    (long long)ledger_task_next(u->ledger));
	t = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "type", "task", "id",
	    tid, "kind", kind, "source", source, "order_id", id, "tracking",
	    tracking, "priority", high ? "high" : "normal");
	ndjson_set_time(t, "due", u->now.t + (int64_t)hours * 3600, u->cfg->tz);
	ndjson_set_time(t, "created_at", u->now.t, u->cfg->tz);
	json_object_set_new(t, "detail", detail);
	row.id = tid;
	row.key = key;
	row.kind = kind;
	row.source = source;
	row.order_id = id;
	row.priority = ndjson_str(t, "priority");
	row.due = ndjson_str(t, "due");
	row.record = text = ndjson_dump(t, &row.len);
	if ((isnew = ledger_task_add(u->ledger, &row)) != 0) {
		json_array_append(u->out, t);
		ledger_event(u->ledger, source, id, "task.opened", tid);
		u->tasks++;
	}
	free(text);
	json_decref(t);
	return isnew;
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
