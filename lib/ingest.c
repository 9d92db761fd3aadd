#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "digest.h"
#include "err.h"
#include "ingest.h"
#include "ledger.h"
#include "ndjson.h"
#include "order.h"
#include "promise.h"
#include "promo.h"

/* Orders per transaction: fsync once per batch, not per order. */
#define BATCH	1000

void
ingest_init(struct ingest *g)
{
	memset(g, 0, sizeof *g);
	g->progress = !quiet && isatty(STDERR_FILENO);
}

void
ingest_flush(struct ingest *g)
{
	size_t i;

	if (ledger_in_transaction(g->ledger))
		ledger_commit(g->ledger);
	for (i = 0; i < g->nout; i++) {
		ndjson_put(g->outq[i], g->outlen[i]);
		free(g->outq[i]);
	}
	g->nout = 0;
	if (fflush(stdout) == EOF)
		stdout_failed();
}

/* Queue an order's line; it goes out after the batch commits. */
static void
emit(struct ingest *g, char *text, size_t len)
{
	xgrow(&g->outq, &g->capout, g->nout + 1, sizeof *g->outq);
	xgrow(&g->outlen, &g->caplen, g->nout + 1, sizeof *g->outlen);
	g->outq[g->nout] = text;
	g->outlen[g->nout++] = len;
}

/*
 * Set a record aside: one line on stderr, the record whole in the
 * rejects file, and in the audit trail when we know which order it is.
 */
static void __attribute__((format(printf, 4, 5)))
reject(struct ingest *g, struct input *in, const struct record *rec,
    const char *fmt, ...)
{
	json_t *r, *parsed, *text, *v;
	const char *id = NULL, *src = NULL;
	char why[512], *b64, num[32];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	g->rejected++;
	if (rec->order != NULL) {
		v = json_object_get(rec->order, "order_id");
		id = json_string_value(v);
		if (json_is_integer(v)) {
			snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT,
			    json_integer_value(v));
			id = num;
		}
		src = json_string_value(json_object_get(rec->order, "source"));
	}
	if (id != NULL)
		lineerr(input_name(in), rec->line, "order %s: %s", id, why);
	else
		lineerr(input_name(in), rec->line, "%s", why);
	if (id != NULL && g->ledger != NULL) {
		if (!ledger_in_transaction(g->ledger))
			ledger_begin(g->ledger);
		ledger_event(g->ledger, src != NULL ? src : g->source, id,
		    "rejected", why);
	}
	if (g->rejects == NULL)
		return;
	r = json_pack("{s:s,s:I,s:s}", "file", input_name(in), "line",
	    (json_int_t)rec->line, "reason", why);
	if (id != NULL)
		json_object_set_new(r, "order_id", json_string(id));
	if (rec->header != NULL)
		json_object_set_new(r, "header", json_string(rec->header));
	if (rec->header == NULL && (parsed = json_loadb(rec->raw, rec->rawlen,
	    0, NULL)) != NULL)
		json_object_set_new(r, "record", parsed);
	else if ((text = json_stringn(rec->raw, rec->rawlen)) != NULL)
		json_object_set_new(r, "raw", text);
	else {
		/* Not UTF-8: kept whole all the same, as base64. */
		b64 = digest_base64(rec->raw, rec->rawlen);
		json_object_set_new(r, "raw_base64", json_string(b64));
		free(b64);
	}
	if (json_dumpf(r, g->rejects, JSON_COMPACT) < 0 ||
	    fputc('\n', g->rejects) == EOF)
		err(EXIT_TROUBLE, "cannot write rejects to '%s'",
		    g->rejects_path);
	json_decref(r);
}

/* Accept (or update) a normalised order: gifts, promise, ledger, out. */
static int
accept(struct ingest *g, json_t *o, json_t *warnings, const char *hash,
    int revision, char *why, size_t whylen)
{
	char *text;
	size_t len;

	promo_apply(g->cfg, o);
	json_object_set_new(o, "status", json_string("accepted"));
	json_object_set_new(o, "revision", json_integer(revision));
	if (promise_make(g->cfg, o, warnings, why, whylen) < 0)
		return -1;
	if (json_array_size(warnings) > 0)
		json_object_set(o, "warnings", warnings);
	text = ndjson_dump(o, &len);
	ledger_order_put(g->ledger, order_source(o), order_id(o), "accepted",
	    text, len, hash, revision, 1);
	ledger_event(g->ledger, order_source(o), order_id(o),
	    revision == 1 ? "accepted" : "updated", NULL);
	emit(g, text, len);
	return 0;
}

/* Record a cancellation; emit it when the order had been accepted. */
static void
cancel(struct ingest *g, json_t *o, const struct ledger_order *prev,
    const char *hash)
{
	char *text, detail[64];
	size_t len;
	int rev = prev != NULL ? prev->revision + 1 : 1;

	json_object_set_new(o, "revision", json_integer(rev));
	text = ndjson_dump(o, &len);
	ledger_order_put(g->ledger, order_source(o), order_id(o), "cancelled",
	    text, len, hash, rev, prev != NULL && prev->accepted);
	snprintf(detail, sizeof detail, "was %s", prev != NULL ?
	    prev->status : "never accepted");
	ledger_event(g->ledger, order_source(o), order_id(o), "cancelled",
	    detail);
	g->cancelled++;
	if (prev != NULL && prev->accepted)
		emit(g, text, len);
	else
		free(text);
}

static int
in_fulfilment(const char *status)
{
	return strcmp(status, "accepted") != 0 && strcmp(status, "held") != 0;
}

/* Decide what an order read is: new, update, duplicate, cancellation. */
static void
one(struct ingest *g, struct input *in, struct record *rec)
{
	struct ledger_order prev;
	json_t *o, *warnings = json_array();
	char why[256], hash[DIGEST_HEX_LEN], *text;
	size_t len;
	int found, rev;

	o = order_normalise(rec->order, g->cfg, g->source != NULL ?
	    g->source : "default", warnings, why, sizeof why);
	if (o == NULL) {
		reject(g, in, rec, "%s", why);
		json_decref(warnings);
		return;
	}
	if (g->source != NULL && json_object_get(rec->order, "source") ==
	    NULL)
		json_object_set_new(o, "source", json_string(g->source));
	/* The hash covers the order as the shop sent it, normalised. */
	text = ndjson_dump(o, &len);
	digest_sha256_hex(text, len, hash);
	free(text);
	if (!ledger_in_transaction(g->ledger))
		ledger_begin(g->ledger);
	found = ledger_order_get(g->ledger, order_source(o), order_id(o),
	    &prev);
	if (found && strcmp(prev.hash != NULL ? prev.hash : "", hash) == 0)
		g->duplicate++;
	else if (found && prev.run == ledger_run_id(g->ledger))
		reject(g, in, rec, "order_id appears again in this input with "
		    "different content");
	else if (order_cancelled(o)) {
		if (found && strcmp(prev.status, "cancelled") == 0)
			g->duplicate++;
		else
			cancel(g, o, found ? &prev : NULL, hash);
	} else if (found && strcmp(prev.status, "cancelled") == 0)
		reject(g, in, rec, "the order was cancelled and cannot be "
		    "taken again");
	else if (found && in_fulfilment(prev.status))
		reject(g, in, rec, "changed, but already in fulfilment "
		    "(status %s)", prev.status);
	else {
		rev = found ? prev.revision + 1 : 1;
		if (accept(g, o, warnings, hash, rev, why, sizeof why) < 0)
			reject(g, in, rec, "%s", why);
		else if (found)
			g->updated++;
		else
			g->accepted++;
	}
	if (found)
		ledger_order_free(&prev);
	json_decref(warnings);
	json_decref(o);
}

static void
progress(struct ingest *g)
{
	if (g->progress && g->read % 10000 == 0)
		fprintf(stderr, "\r%s: %ld read", progname, g->read);
}

int
ingest_input(struct ingest *g, struct input *in)
{
	struct reader *rd;
	struct record rec;
	char why[256];
	long before = g->rejected;
	int r, status = 0;

	rd = reader_open(in, g->format, g->map, g->cfg, why, sizeof why);
	if (rd == NULL) {
		warnx("%s: %s", input_name(in), why);
		return 2;
	}
	while ((r = reader_next(rd, &rec)) != READ_EOF) {
		if (r == READ_ERROR) {
			lineerr(input_name(in), rec.line, "%s; the rest of the "
			    "file is not read", rec.why);
			status = 1;
			break;
		}
		g->read++;
		if (r == READ_BAD)
			reject(g, in, &rec, "%s", rec.why);
		else if (r == READ_SKIP)
			g->skipped++;
		else
			one(g, in, &rec);
		json_decref(rec.order);
		progress(g);
		if (g->nout >= BATCH || !input_ready(in))
			ingest_flush(g);
	}
	ingest_flush(g);
	reader_close(rd);
	return status != 0 || g->rejected > before ? 1 : 0;
}

void
ingest_summary(const struct ingest *g)
{
	if (quiet)
		return;
	if (g->progress)
		fputs("\r\033[K", stderr);
	fprintf(stderr, "%s: %ld read, %ld accepted, %ld updated, "
	    "%ld duplicate, %ld cancelled, %ld rejected", progname, g->read,
	    g->accepted, g->updated, g->duplicate, g->cancelled, g->rejected);
	if (g->skipped > 0)
		fprintf(stderr, ", %ld with nothing to ship", g->skipped);
	fputc('\n', stderr);
}

void
ingest_done(struct ingest *g)
{
	free(g->outq);
	free(g->outlen);
}
