#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aftercare.h"
#include "csvin.h"
#include "err.h"
#include "ledger.h"
#include "ledger_journey.h"
#include "ndjson.h"
#include "tasks.h"

/* Records decided per transaction. */
#define CHUNK 1000

/* An NDJSON input being read: what its records are, and their handler. */
struct each {
	struct aftercare *u;
	const char *type;
	aftercare_fn *fn;
};

/*
 * One line: a record of the type read goes to the handler, one of
 * another type is set aside.  A line that is not JSON decides nothing
 * and does not count towards the chunk.
 */
static void
each_line(void *arg, const char *file, long line, const char *text, size_t len)
{
	struct each *e = arg;
	struct aftercare *u = e->u;
	char why[256];
	json_t *j = ndjson_parse(text, len, why, sizeof why);
	const char *type;

	if (j == NULL) {
		aftercare_reject(u, file, line, text, len, "%s", why);
		return;
	}
	type = ndjson_str(j, "type");
	if (type != NULL && strcmp(type, e->type) != 0)
		aftercare_reject(u, file, line, text, len,
		    "a %s record, not a %s%s", type, e->type,
		    strcmp(e->type, "tracking") == 0 ? " event" : "");
	else
		e->fn(u, j, file, line, text, len);
	json_decref(j);
	aftercare_next(u);
}

void
aftercare_read(
    struct aftercare *u, struct input *in, const char *type, aftercare_fn *fn)
{
	struct each e = {u, type, fn};

	u->rejected += input_each(in, each_line, &e);
}

int
aftercare_csv_row(
    struct aftercare *u, struct input *in, struct csvin *c, struct csvrow **row)
{
	char why[256];
	int r;

	while ((r = csvin_next(c, row, why, sizeof why)) != CSVIN_EOF) {
		if (r == CSVIN_ERROR)
			aftercare_csv_stop(c, "%s: %s", input_name(in), why);
		if (r != CSVIN_BAD)
			return 1;
		aftercare_reject(u, input_name(in), (*row)->line, (*row)->raw,
		    (*row)->rawlen, "%s", why);
	}
	return 0;
}

/*
 * Closed before the exit, so that a run stopped on a bad header leaves
 * no memory it cannot reach: the sanitizers' leak check stays quiet.
 */
void
aftercare_csv_stop(struct csvin *c, const char *fmt, ...)
{
	va_list ap;
	char *msg;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (n == -1)
		err_exit(EXIT_TROUBLE, "out of memory");
	csvin_close(c);
	err_warn("%s", msg);
	free(msg);
	exit(EXIT_TROUBLE);
}

void
aftercare_next(struct aftercare *u)
{
	if (++u->inchunk == CHUNK)
		aftercare_checkpoint(u, 1);
}

/* Commit what is decided, then write it: never output before its commit. */
void
aftercare_checkpoint(struct aftercare *u, int again)
{
	size_t i;
	json_t *v;

	ledger_commit(u->ledger);
	json_array_foreach(u->out, i, v) ndjson_write(v);
	json_array_clear(u->out);
	u->inchunk = 0;
	if (again)
		ledger_begin(u->ledger);
}

void
aftercare_reject(struct aftercare *u, const char *file, long line,
    const char *raw, size_t len, const char *fmt, ...)
{
	char why[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	err_line(file, line, "%s", why);
	rejects_put(&u->rejects, file, line, NULL, why, raw, len, NULL);
	u->rejected++;
}

/* The order's latest record from the ledger; NULL if it has none. */
json_t *
aftercare_order(struct aftercare *u, const char *source, const char *id)
{
	size_t len;
	char *text = ledger_order_record(u->ledger, source, id, &len);
	json_t *j;

	if (text == NULL)
		return NULL;
	j = ndjson_parse(text, len, NULL, 0);
	free(text);
	return j;
}

/*
 * Keep a notice (key unique) and queue it for output: 1 if new, 0 if
 * made before.
 */
int
aftercare_notice(struct aftercare *u, json_t *n)
{
	char *text;
	size_t len;
	int isnew;

	text = ndjson_dump(n, &len);
	isnew = ledger_notice_add(u->ledger, ndjson_str(n, "key"),
	    ndjson_str(n, "source"), ndjson_str(n, "order_id"),
	    ndjson_str(n, "event"), text, len);
	if (isnew) {
		json_array_append(u->out, n);
		u->notices++;
	}
	free(text);
	json_decref(n);
	return isnew;
}

static void
unsent(void *arg, const char *record, size_t len)
{
	struct aftercare *u = arg;
	json_t *j = ndjson_parse(record, len, NULL, 0);

	if (j != NULL) {
		json_array_append_new(u->out, j);
		u->notices++;
	}
}

/*
 * --pending: the notices of the last week that no message was made of,
 * written again: a pipe that died between followup and notify loses
 * nothing.  notify sends each once whatever it is given.
 */
void
aftercare_pending(struct aftercare *u)
{
	char now[WHEN_BUFSZ];

	ledger_notices_unsent(u->ledger, when_format(&u->now, now), unsent, u);
}

/* A new notice about a parcel; the customer gets only what they need. */
json_t *
aftercare_notice_new(const char *event, const char *key, const char *source,
    const char *id, const char *tracking)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "type", "notice", "event",
	    event, "key", key, "source", source, "order_id", id, "tracking",
	    tracking);
}

/* The one list of what leaves a customer's matter open (aftercare.h). */
int
aftercare_unresolved(struct aftercare *u, const char *source, const char *id)
{
	return ledger_tasks_open_count(u->ledger, source, id,
		   "[\"call_customer\",\"replace_or_refund\","
		   "\"inspect_return\"]") > 0;
}

/* What staff need to act on a parcel: the full phone is for them. */
json_t *
aftercare_detail(struct aftercare *u, json_t *order, const char *carrier,
    const char *status, const char *reason)
{
	return tasks_detail(u->cfg, order, carrier, status, reason);
}
