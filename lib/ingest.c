#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cancel.h"
#include "config.h"
#include "digest.h"
#include "err.h"
#include "ingest.h"
#include "ledger.h"
#include "ndjson.h"
#include "order.h"
#include "promise.h"
#include "promo.h"
#include "progress.h"
#include "status.h"
#include "when.h"

/*
 * Records per transaction, about: fsync once per batch, not per order.
 * The main thread takes a batch's chunks from the worker before it
 * begins, so that it never waits for the worker with the lock held.
 */
#define BATCH 1000
/* Records the worker hands over at a time, and chunks in flight. */
#define CHUNK 256
#define INFLIGHT 8

/*
 * What the worker hands over for one record.  Everything in it belongs
 * to the item: the main thread frees it.
 */
enum kind {
	IT_ORDER,    /* an order to decide on (or one already rejected) */
	IT_BAD,      /* a record that could not be read */
	IT_ERROR,    /* the input failed; the rest of it is not read */
	IT_FLUSH,    /* the input paused: commit and write what we have */
	IT_WARN,     /* a warning about the input as a whole */
	IT_OPENFAIL, /* the input is not orders at all: stop */
	IT_FILE_END  /* an input is done */
};

struct item {
	enum kind kind;
	struct input *in;
	long line;
	enum order_kind what; /* what the record asks for */
	enum hold_reason hold;
	char *say;        /* why it is held, for stderr */
	json_t *order;    /* normalised */
	json_t *warnings; /* from normalising and the promise */
	char *late;       /* rejected if it is to be accepted */
	char hash[DIGEST_HEX_LEN];
	char *id, *source;  /* as read, for messages */
	char *why;          /* rejected already, for this */
	char *raw, *header; /* the record's text, for rejects */
	size_t rawlen;
	/*
	 * A new order's text as accepted and packed, made by the worker:
	 * what record() writes if the ledger has never seen it.
	 */
	char *text;
	size_t textlen;
	struct ledger_rec_packed packed;
};

struct chunk {
	struct item it[CHUNK];
	size_t n;
	struct chunk *next;
};

/* The hand-over between the two threads: a queue of chunks. */
struct pipeline {
	struct ingest *g;
	struct input **in;
	size_t nin;
	pthread_mutex_t mu;
	pthread_cond_t more, room;
	struct chunk *head, *tail;
	int inflight;
	int done;
	struct chunk *cur;   /* the worker's chunk being filled */
	struct chunk *spent; /* consumed, for the worker to free */
	struct chunk *pool;  /* the worker's empty chunks */
};

static void item_free(struct item *);

/*
 * Worker: free what the main thread is done with.  The items were
 * allocated here, and freeing them in the thread that allocated them
 * keeps the two threads out of each other's malloc arenas.
 */
static void
reclaim(struct pipeline *p)
{
	struct chunk *c, *next;
	size_t i;

	pthread_mutex_lock(&p->mu);
	c = p->spent;
	p->spent = NULL;
	pthread_mutex_unlock(&p->mu);
	/*
	 * Chunks are kept for reuse: freeing blocks this big makes malloc
	 * consolidate its small free lists every time.
	 */
	for (; c != NULL; c = next) {
		next = c->next;
		for (i = 0; i < c->n; i++)
			item_free(&c->it[i]);
		c->n = 0;
		c->next = p->pool;
		p->pool = c;
	}
}

/*
 * Whether the worker makes a new order's text ahead (dumped and packed,
 * for record()): while the texts it made were mostly of use.  Re-reading
 * a file the ledger has (every order a duplicate) would dump and pack
 * each for nothing; every 16th line still has one made, to see the
 * input turn to new orders again.
 */
#define AHEAD_FULL 256

static int
ahead(struct ingest *g, const struct item *it)
{
	return atomic_load_explicit(&g->ahead, memory_order_relaxed) >=
		   AHEAD_FULL / 4 ||
	       it->line % 16 == 0;
}

/* Main thread: the text made ahead for an order was used, or not. */
static void
ahead_note(struct ingest *g, int used)
{
	int a = atomic_load_explicit(&g->ahead, memory_order_relaxed);

	atomic_store_explicit(
	    &g->ahead, a - a / 16 + (used ? 16 : 0), memory_order_relaxed);
}

void
ingest_init(struct ingest *g)
{
	memset(g, 0, sizeof *g);
	atomic_init(&g->ahead, AHEAD_FULL);
}

/* Worker: hand the chunk being filled over. */
static void
hand_over(struct pipeline *p)
{
	struct chunk *c = p->cur;

	if (c == NULL || c->n == 0)
		return;
	p->cur = NULL;
	pthread_mutex_lock(&p->mu);
	while (p->inflight >= INFLIGHT)
		pthread_cond_wait(&p->room, &p->mu);
	c->next = NULL;
	if (p->tail != NULL)
		p->tail->next = c;
	else
		p->head = c;
	p->tail = c;
	p->inflight++;
	pthread_cond_signal(&p->more);
	pthread_mutex_unlock(&p->mu);
}

/* Worker: a fresh item at the end of the chunk being filled. */
static struct item *
new_item(struct pipeline *p, enum kind k, struct input *in, long line)
{
	struct item *it;

	if (p->cur != NULL && p->cur->n == CHUNK)
		hand_over(p);
	if (p->cur == NULL) {
		reclaim(p);
		if ((p->cur = p->pool) != NULL)
			p->pool = p->pool->next;
		else
			p->cur = xmalloc(sizeof *p->cur);
		p->cur->n = 0;
	}
	it = &p->cur->it[p->cur->n++];
	memset(it, 0, sizeof *it);
	it->kind = k;
	it->in = in;
	it->line = line;
	return it;
}

/* The record's text, kept only where a reject could need it. */
static void
keep_raw(struct item *it, const struct record *rec)
{
	it->raw = xstrndup(rec->raw != NULL ? rec->raw : "", rec->rawlen);
	it->rawlen = rec->rawlen;
	if (rec->header != NULL)
		it->header = xstrdup(rec->header);
}

static char *
id_of(json_t *o)
{
	json_t *v = json_object_get(o, "order_id");
	char *s;

	/* A blank id is none: "order : ..." would say nothing. */
	if (json_is_string(v) &&
	    strspn(json_string_value(v), " \t") < json_string_length(v))
		return xstrdup(json_string_value(v));
	if (json_is_integer(v)) {
		xasprintf(&s, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return s;
	}
	return NULL;
}

/*
 * Worker: everything about an order that needs no ledger.  The order is
 * made ready to be recorded as new (revision 1): accepted, the common
 * case, on hold or fulfilled; the main thread changes what the ledger
 * says is otherwise.
 */
static void
prepare(struct ingest *g, struct item *it, const struct record *rec)
{
	const char *src;
	json_t *o;
	char why[256], detail[512], say[256];

	it->id = id_of(rec->order);
	src = json_string_value(json_object_get(rec->order, "source"));
	it->source = src != NULL ? xstrdup(src) : NULL;
	if (g->rejects.fp != NULL)
		keep_raw(it, rec);
	it->warnings = json_array();
	it->hold = HOLD_NONE;
	if (order_kind(rec->order) == ORDER_SHIP &&
	    order_resolve_skus(rec->order, g->cat, g->cfg, why, sizeof why) <
		0) {
		it->why = xstrdup(why);
		return;
	}
	o = order_normalise(rec->order, g->cfg,
	    g->source != NULL ? g->source : "default", it->warnings, why,
	    sizeof why);
	if (o == NULL) {
		it->why = xstrdup(why);
		return;
	}
	it->order = o;
	/*
	 * The hash covers the order as the shop sent it, normalised: 64
	 * bits, as the ledger keeps it (schema 26).
	 */
	digest_json64(o, it->hash);
	if ((it->what = order_kind(o)) != ORDER_SHIP) {
		if (it->what == ORDER_NOTHING) {
			json_object_set_new(o, "status",
			    json_string(status_name(ST_FULFILLED)));
			json_object_set_new(o, "revision", json_integer(1));
		}
		if (json_array_size(it->warnings) > 0)
			json_object_set(o, "warnings", it->warnings);
		return;
	}
	it->hold =
	    hold_check(o, g->cfg, detail, sizeof detail, say, sizeof say);
	if (it->hold == HOLD_NONE)
		promo_apply(g->cfg, o);
	json_object_set_new(o, "status",
	    json_string(
		status_name(it->hold == HOLD_NONE ? ST_ACCEPTED : ST_ON_HOLD)));
	json_object_set_new(o, "revision", json_integer(1));
	if (it->hold != HOLD_NONE) {
		json_object_set_new(o, "hold",
		    json_pack("{s:s,s:s}", "reason", hold_name(it->hold),
			"detail", detail));
		it->say = xstrdup(say);
	}
	/*
	 * A held order is checked for a carrier now, but promised nothing
	 * until it is released: its dates start then.
	 */
	if (promise_make(g->cfg, o, it->warnings, why, sizeof why) < 0)
		it->late = xstrdup(why);
	else {
		if (it->hold != HOLD_NONE)
			json_object_del(o, "promise");
		if (json_array_size(it->warnings) > 0)
			json_object_set(o, "warnings", it->warnings);
	}
	if (it->hold == HOLD_NONE && it->late == NULL && ahead(g, it)) {
		it->text = ndjson_dump(o, &it->textlen);
		ledger_rec_pack(g->ledger, it->text, it->textlen, &it->packed);
	}
}

static void *
worker(void *arg)
{
	struct pipeline *p = arg;
	struct ingest *g = p->g;
	struct reader *rd;
	struct record rec;
	struct item *it;
	char why[256];
	size_t i;
	int r;

	pthread_setname_np(pthread_self(), "ingest-reader");
	for (i = 0; i < p->nin; i++) {
		rd = reader_open(p->in[i], g->format, g->map, g->cfg, g->source,
		    why, sizeof why);
		if (rd == NULL) {
			it = new_item(p, IT_OPENFAIL, p->in[i], 0);
			it->why = xstrdup(why);
			break;
		}
		while ((r = reader_next(rd, &rec)) != READ_EOF) {
			if (rec.warning[0] != '\0')
				new_item(p, IT_WARN, p->in[i], 0)->why =
				    xstrdup(rec.warning);
			if (r == READ_ERROR) {
				it = new_item(p, IT_ERROR, p->in[i],
				    input_errline(p->in[i]));
				it->why = xstrdup(rec.why);
				break;
			}
			/* Nothing to ship is an order too: recorded fulfilled.
			 */
			it = new_item(p, r == READ_BAD ? IT_BAD : IT_ORDER,
			    p->in[i], rec.line);
			if (r == READ_BAD) {
				it->why = xstrdup(rec.why);
				it->id =
				    rec.order != NULL ? id_of(rec.order) : NULL;
				keep_raw(it, &rec);
			} else
				prepare(g, it, &rec);
			json_decref(rec.order);
			if (!input_ready(p->in[i])) {
				new_item(p, IT_FLUSH, p->in[i], 0);
				hand_over(p);
			}
		}
		reader_close(rd);
		new_item(p, IT_FILE_END, p->in[i], 0);
	}
	hand_over(p);
	pthread_mutex_lock(&p->mu);
	p->done = 1;
	pthread_cond_signal(&p->more);
	pthread_mutex_unlock(&p->mu);
	reclaim(p);
	return NULL;
}

/*
 * Main thread: give back the chunks just consumed (a list), and take the
 * next batch's: chunks up to BATCH records, fewer when the input paused
 * or an input ended (IT_FLUSH, IT_FILE_END: what is read goes now), as a
 * list; NULL when the worker is done.  Waiting for the worker happens
 * here, between transactions, never inside one.
 */
static struct chunk *
take(struct pipeline *p, struct chunk *used)
{
	struct chunk *c, *batch = NULL, **tail = &batch, *next;
	size_t n = 0;
	int stop = 0;

	if (ledger_in_transaction(p->g->ledger))
		err_exit(EXIT_TROUBLE, "internal error: waiting for the "
				       "reader with the ledger's lock held");
	pthread_mutex_lock(&p->mu);
	for (; used != NULL; used = next) {
		next = used->next;
		used->next = p->spent;
		p->spent = used;
	}
	while (n < BATCH && !stop) {
		while (p->head == NULL && !p->done)
			pthread_cond_wait(&p->more, &p->mu);
		if ((c = p->head) == NULL)
			break;
		if ((p->head = c->next) == NULL)
			p->tail = NULL;
		p->inflight--;
		pthread_cond_signal(&p->room);
		c->next = NULL;
		*tail = c;
		tail = &c->next;
		n += c->n;
		stop = c->n > 0 && (c->it[c->n - 1].kind == IT_FLUSH ||
				       c->it[c->n - 1].kind == IT_FILE_END);
	}
	pthread_mutex_unlock(&p->mu);
	return batch;
}

static void
flush(struct ingest *g)
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

static void
begin(struct ingest *g)
{
	if (!ledger_in_transaction(g->ledger))
		ledger_begin(g->ledger);
}

/*
 * Set a record aside: one line on stderr, the record whole in the
 * rejects file, and in the audit trail when we know which order it is.
 */
static void __attribute__((format(printf, 3, 4)))
reject(struct ingest *g, const struct item *it, const char *fmt, ...)
{
	const char *name = input_name(it->in);
	char why[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	g->rejected++;
	if (it->id != NULL)
		err_line(name, it->line, "order %s: %s", it->id, why);
	else
		err_line(name, it->line, "%s", why);
	if (it->id != NULL) {
		begin(g);
		ledger_event(g->ledger,
		    it->source != NULL ? it->source : g->source, it->id,
		    "rejected", why);
	}
	rejects_put(&g->rejects, name, it->line, it->id, why, it->raw,
	    it->rawlen, it->header);
}

/*
 * The warnings normalising added, one line each on stderr: the field and
 * what is wrong with it, never its contents.
 */
static void
say_warnings(struct ingest *g, const struct item *it)
{
	json_t *w;
	size_t i;

	json_array_foreach(it->warnings, i, w)
	{
		const char *f = json_string_value(json_object_get(w, "field"));
		const char *m =
		    json_string_value(json_object_get(w, "message"));

		g->warnings++;
		if (quiet)
			continue;
		if (it->id != NULL)
			err_line(input_name(it->in), it->line,
			    "order %s: warning: %s: %s", it->id, f, m);
		else
			err_line(input_name(it->in), it->line,
			    "warning: %s: %s", f, m);
	}
}

/*
 * Record the order in its new status, with an event; it is written out
 * when it is to be picked, or when it had been before, so that the
 * stages after see the change.
 */
static void
record(struct ingest *g, struct item *it, enum status st, int revision,
    const struct ledger_order *prev, const char *what, const char *detail)
{
	const struct ledger_rec_packed *pk = NULL;
	json_t *o = it->order;
	int was = prev != NULL && prev->accepted;
	char *text;
	size_t len;

	json_object_set_new(o, "revision", json_integer(revision));
	/* New and accepted: o is as the worker wrote it (revision 1). */
	if (prev == NULL && st == ST_ACCEPTED && it->text != NULL) {
		text = it->text;
		len = it->textlen;
		it->text = NULL;
		pk = &it->packed;
	} else
		text = ndjson_dump(o, &len);
	ledger_order_put_packed(g->ledger, order_source(o), order_id(o),
	    status_name(st), text, len, pk, it->hash, revision,
	    st == ST_ACCEPTED || was);
	ledger_event(g->ledger, order_source(o), order_id(o), what, detail);
	if (st == ST_ACCEPTED || was)
		emit(g, text, len);
	else
		free(text);
}

/* Accept (or update, or release) an order. */
static void
accept(struct ingest *g, struct item *it, const struct ledger_order *prev)
{
	int released = prev != NULL && status_parse(prev->status) == ST_ON_HOLD;

	if (it->late != NULL) {
		reject(g, it, "%s", it->late);
		return;
	}
	record(g, it, ST_ACCEPTED, prev != NULL ? prev->revision + 1 : 1, prev,
	    released       ? "released"
	    : prev == NULL ? "accepted"
			   : "updated",
	    released ? "was on_hold" : NULL);
	if (released)
		g->released++;
	else if (prev == NULL)
		g->accepted++;
	else
		g->updated++;
}

/* Hold an order: recorded, said on stderr, not picked. */
static void
hold(struct ingest *g, struct item *it, const struct ledger_order *prev)
{
	if (it->late != NULL) {
		reject(g, it, "%s", it->late);
		return;
	}
	record(g, it, ST_ON_HOLD, prev != NULL ? prev->revision + 1 : 1, prev,
	    "on_hold", hold_name(it->hold));
	g->held[it->hold]++;
	if (!quiet)
		err_line(input_name(it->in), it->line,
		    "order %s: on hold: %s: %s", order_id(it->order),
		    hold_name(it->hold), it->say);
}

/* Nothing left to ship: recorded as fulfilled, never picked. */
static void
fulfil(struct ingest *g, struct item *it, const struct ledger_order *prev)
{
	record(g, it, ST_FULFILLED, prev != NULL ? prev->revision + 1 : 1, prev,
	    "fulfilled", "nothing left to ship");
	g->fulfilled++;
}

/* Record a cancellation; emit it when the order had been accepted. */
static void
cancel(struct ingest *g, json_t *o, const struct ledger_order *prev,
    const char *hash)
{
	char *text, detail[64];
	size_t len;
	int rev = prev != NULL ? prev->revision + 1 : 1;

	cancel_apply(g->ledger, g->cfg, o, prev != NULL ? prev->status : NULL);
	json_object_set_new(o, "revision", json_integer(rev));
	text = ndjson_dump(o, &len);
	ledger_order_put(g->ledger, order_source(o), order_id(o),
	    status_name(ST_CANCELLED), text, len, hash, rev,
	    prev != NULL && prev->accepted);
	snprintf(detail, sizeof detail, "was %s",
	    prev != NULL ? prev->status : "never accepted");
	ledger_event(
	    g->ledger, order_source(o), order_id(o), "cancelled", detail);
	g->cancelled++;
	if (prev != NULL && prev->accepted)
		emit(g, text, len);
	else
		free(text);
}

/*
 * Taken further than accepted (or held, by ingest or for stock): its
 * content is fixed.
 */
static int
in_fulfilment(const char *status)
{
	enum status st = status_parse(status);

	return st != ST_ACCEPTED && st != ST_HELD && st != ST_ON_HOLD;
}

/* Main thread: what a record with new content does, against the ledger. */
static void
change(struct ingest *g, struct item *it, const struct ledger_order *prev)
{
	enum status was = prev != NULL ? status_parse(prev->status) : ST_NONE;

	if (it->what == ORDER_CANCEL)
		cancel(g, it->order, prev, it->hash);
	else if (was == ST_CANCELLED && it->what == ORDER_NOTHING)
		g->duplicate++; /* cancelled stays cancelled */
	else if (was == ST_CANCELLED)
		reject(g, it,
		    "the order was cancelled and cannot be taken "
		    "again");
	else if (was == ST_FULFILLED && it->what == ORDER_NOTHING)
		g->duplicate++; /* still nothing to ship */
	else if (was == ST_FULFILLED)
		reject(g, it,
		    "the shop said nothing was left to ship; the order "
		    "cannot be taken again");
	else if (prev != NULL && in_fulfilment(prev->status))
		reject(g, it, "changed, but already in fulfilment (status %s)",
		    prev->status);
	else if (it->what == ORDER_NOTHING)
		fulfil(g, it, prev);
	else if (it->hold != HOLD_NONE)
		hold(g, it, prev);
	else
		accept(g, it, prev);
}

/* Main thread: decide what an order read is, against the ledger. */
static void
decide(struct ingest *g, struct item *it)
{
	struct ledger_order prev;
	json_t *o = it->order;
	int found, made = it->text != NULL;

	if (it->why != NULL) {
		say_warnings(g, it);
		reject(g, it, "%s", it->why);
		return;
	}
	begin(g);
	found =
	    ledger_order_get(g->ledger, order_source(o), order_id(o), &prev);
	/*
	 * Another warehouse's order (claimed there, or new and not this
	 * one's by its claim): that warehouse's ingest takes it.  Counted,
	 * never output, never recorded here.
	 */
	if (found ? ledger_elsewhere(g->ledger, &prev) != NULL
		  : !config_claims(g->cfg, o))
		g->elsewhere++;
	else if (found &&
		 strcmp(prev.hash != NULL ? prev.hash : "", it->hash) == 0)
		g->duplicate++;
	else if (found && prev.run == ledger_run_id(g->ledger))
		reject(g, it,
		    "order_id appears again in this input with "
		    "different content");
	else if (found && it->what == ORDER_CANCEL &&
		 status_parse(prev.status) == ST_CANCELLED)
		g->duplicate++;
	else {
		say_warnings(g, it);
		change(g, it, found ? &prev : NULL);
	}
	if (found)
		ledger_order_free(&prev);
	if (made)
		ahead_note(g, it->text == NULL);
}

static void
item_free(struct item *it)
{
	json_decref(it->order);
	free(it->id);
	free(it->source);
	free(it->why);
	json_decref(it->warnings);
	free(it->late);
	free(it->say);
	free(it->raw);
	free(it->header);
	free(it->text);
	ledger_rec_packed_free(&it->packed);
}

/* Main thread: one item; returns what it does to the exit status. */
static int
consume(struct ingest *g, struct item *it)
{
	int status = 0;

	switch (it->kind) {
	case IT_ORDER:
	case IT_BAD:
		g->read++;
		if (it->kind == IT_ORDER)
			decide(g, it);
		else
			reject(g, it, "%s", it->why);
		progress_count(g->read);
		break;
	case IT_ERROR:
		if (it->line > 0)
			err_line(input_name(it->in), it->line,
			    "%s; the rest of the file is not read", it->why);
		else
			err_warn("%s: %s; the rest of the file is not read",
			    input_name(it->in), it->why);
		status = 1;
		break;
	case IT_OPENFAIL:
		err_warn("%s: %s", input_name(it->in), it->why);
		status = 2;
		break;
	case IT_WARN:
		if (!quiet)
			err_warn("%s: %s", input_name(it->in), it->why);
		break;
	case IT_FLUSH:
	case IT_FILE_END:
		flush(g);
		break;
	}
	return status;
}

int
ingest_run(struct ingest *g, struct input **in, size_t nin)
{
	struct pipeline p;
	struct chunk *b, *c;
	pthread_t t;
	long before = g->rejected;
	size_t i;
	int r, status = 0;

	/*
	 * What the threads share is read-only from here on: jansson's hash
	 * seed and the time zone are set before the worker starts.
	 */
	json_object_seed(0);
	(void)when_in_zone(0, g->cfg->tz);
	memset(&p, 0, sizeof p);
	p.g = g;
	p.in = in;
	p.nin = nin;
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.more, NULL);
	pthread_cond_init(&p.room, NULL);
	if ((r = pthread_create(&t, NULL, worker, &p)) != 0)
		err_exit(
		    EXIT_TROUBLE, "cannot start a thread: %s", strerror(r));
	progress_begin("orders read");
	for (b = take(&p, NULL); b != NULL; b = take(&p, b)) {
		for (c = b; c != NULL; c = c->next)
			for (i = 0; i < c->n; i++) {
				r = consume(g, &c->it[i]);
				if (r > status)
					status = r;
			}
		/* Committed before the next wait for the worker. */
		flush(g);
	}
	progress_end();
	pthread_join(t, NULL);
	reclaim(&p);
	while ((c = p.pool) != NULL) {
		p.pool = c->next;
		free(c);
	}
	pthread_mutex_destroy(&p.mu);
	pthread_cond_destroy(&p.more);
	pthread_cond_destroy(&p.room);
	flush(g);
	if (status == 0 && g->rejected > before)
		status = 1;
	return status;
}

void
ingest_summary(const struct ingest *g)
{
	/* The one that clears itself first; those for a person after. */
	static const enum hold_reason shown[HOLD_N] = {
	    HOLD_PAYMENT, HOLD_PARTIAL, HOLD_REFUNDED};
	long held = 0;
	int r, n = 0;

	if (quiet)
		return;
	fprintf(stderr,
	    "%s: %ld read, %ld accepted, %ld updated, "
	    "%ld duplicate, %ld cancelled, %ld rejected",
	    progname, g->read, g->accepted, g->updated, g->duplicate,
	    g->cancelled, g->rejected);
	if (g->released > 0)
		fprintf(stderr, ", %ld released", g->released);
	for (r = 0; r < HOLD_N; r++)
		held += g->held[r];
	if (held > 0) {
		fprintf(stderr, ", %ld on hold (", held);
		for (r = 0; r < HOLD_N; r++)
			if (g->held[shown[r]] > 0)
				fprintf(stderr, "%s%ld %s", n++ > 0 ? ", " : "",
				    g->held[shown[r]], hold_label(shown[r]));
		fputc(')', stderr);
	}
	if (g->fulfilled > 0)
		fprintf(stderr, ", %ld fulfilled (nothing left to ship)",
		    g->fulfilled);
	if (g->elsewhere > 0)
		fprintf(stderr, ", %ld for other warehouses", g->elsewhere);
	if (g->warnings > 0)
		fprintf(stderr, ", %ld warning%s", g->warnings,
		    g->warnings == 1 ? "" : "s");
	fputc('\n', stderr);
}

void
ingest_done(struct ingest *g)
{
	free(g->outq);
	free(g->outlen);
}
