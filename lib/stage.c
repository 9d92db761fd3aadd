#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "stage.h"

void
stage_init(struct stage *s, size_t slot, size_t chunk,
    void (*flush)(void *, void *, size_t), void *arg)
{
	s->slot = slot;
	s->chunk = chunk;
	s->flush = flush;
	s->arg = arg;
	s->recs = xcalloc(chunk, slot);
	s->n = 0;
}

static void
add(void *arg, const char *file, long line, const char *text, size_t len)
{
	struct stage *s = arg;
	struct stage_rec *r = (struct stage_rec *)(s->recs + s->n++ * s->slot);

	r->raw = xstrndup(text, len);
	r->len = len;
	r->file = file;
	r->line = line;
	s->read++;
	if (s->n == s->chunk) {
		s->flush(s->arg, s->recs, s->n);
		s->n = 0;
	}
}

void
stage_input(struct stage *s, struct input *in)
{
	s->rejected += input_each(in, add, s);
}

static int
pending_one(void *arg, const char *rec, size_t len)
{
	struct stage *s = arg;

	add(s, ledger_path(s->ledger), ++s->pending_line, rec, len);
	return 0;
}

void
stage_pending(struct stage *s, const char *const *statuses)
{
	if (s->n > 0) {
		s->flush(s->arg, s->recs, s->n);
		s->n = 0;
	}
	ledger_pending(s->ledger, statuses, pending_one, s);
}

void
stage_finish(struct stage *s)
{
	if (s->n > 0)
		s->flush(s->arg, s->recs, s->n);
	s->n = 0;
	free(s->recs);
	s->recs = NULL;
}

void
stage_clear(struct stage *s, void *rec)
{
	struct stage_rec *r = rec;

	json_decref(r->j);
	free(r->raw);
	memset(rec, 0, s->slot);
}

void
stage_reject(struct stage *s, struct stage_rec *r, const char *fmt, ...)
{
	const char *id = r->j ? json_str(r->j, "order_id") : NULL;
	const char *source = r->j ? json_str(r->j, "source") : NULL;
	char why[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	if (id != NULL)
		lineerr(r->file, r->line, "order %s: %s", id, why);
	else
		lineerr(r->file, r->line, "%s", why);
	if (id != NULL && source != NULL)
		ledger_event(s->ledger, source, id, s->rejected_what, why);
	rejects_put(
	    s->rejects, r->file, r->line, id, why, r->raw, r->len, NULL);
	json_decref(r->j);
	r->j = NULL;
	s->rejected++;
}

int
stage_parse(struct stage *s, struct stage_rec *r, int changed)
{
	const char *id, *source, *status;
	struct ledger_order lo;
	char why[256], *led;
	size_t len;
	json_t *lj;

	if ((r->j = ndjson_parse(r->raw, r->len, why, sizeof why)) == NULL) {
		stage_reject(s, r, "%s", why);
		return -1;
	}
	id = json_str(r->j, "order_id");
	source = json_str(r->j, "source");
	if (id == NULL || source == NULL) {
		json_decref(r->j);
		r->j = NULL;
		stage_reject(
		    s, r, "not an order record (no order_id or source)");
		return -1;
	}
	if (!ledger_order_get(s->ledger, source, id, &lo))
		return 0;
	status = json_str(r->j, "status");
	if ((!changed || status == NULL || strcmp(status, lo.status) != 0) &&
	    (led = ledger_order_record(s->ledger, source, id, &len)) != NULL) {
		if ((lj = ndjson_parse(led, len, NULL, 0)) != NULL) {
			json_decref(r->j);
			r->j = lj;
			free(r->raw);
			r->raw = led;
			r->len = len;
		} else
			free(led);
	}
	ledger_order_free(&lo);
	return 0;
}
