#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "err.h"
#include "progress.h"
#include "recparse.h"
#include "recsplice.h"
#include "stage.h"
#include "status.h"
#include "when.h"

/* Slots for group chunks of chunk records each. */
static void
init(struct stage *s, size_t slot, size_t chunk, size_t group,
    void (*flush)(void *, void *, size_t), void *arg)
{
	s->slot = slot;
	s->chunk = chunk;
	s->flush = flush;
	s->arg = arg;
	s->group = group;
	s->recs = xcalloc(chunk * group, slot);
	s->n = 0;
	s->in = NULL;
	s->trash = NULL;
	s->ntrash = s->trashcap = 0;
	s->rd = NULL;
}

void
stage_init(struct stage *s, size_t slot, size_t chunk,
    void (*flush)(void *, void *, size_t), void *arg)
{
	init(s, slot, chunk, 1, flush, arg);
}

/* Chunk k of the n records held at recs: where it starts, how long. */
static char *
chunk_at(const struct stage *s, void *recs, size_t k)
{
	return (char *)recs + k * s->chunk * s->slot;
}

static size_t
chunk_len(const struct stage *s, size_t n, size_t k)
{
	return n - k * s->chunk < s->chunk ? n - k * s->chunk : s->chunk;
}

/*
 * The one chunk loop: see struct stage_ops.  recs holds one chunk, or
 * several (group): each is begun and prepared, then all are decided in
 * one transaction, and have their effects after the commit.
 */
static void
chunk_loop(void *arg, void *recs, size_t n)
{
	struct stage *s = arg;
	const struct stage_ops *o = s->ops;
	size_t i, k, nk = (n + s->chunk - 1) / s->chunk;

	for (k = 0; k < nk; k++) {
		char *at = chunk_at(s, recs, k);
		size_t m = chunk_len(s, n, k);

		if (o->begin != NULL)
			o->begin(s->oparg, at, m);
		for (i = 0; o->prepare != NULL && i < m; i++)
			o->prepare(s->oparg, at + i * s->slot);
	}
	if (!s->notx)
		ledger_begin(s->ledger);
	for (i = 0; i < n; i++)
		o->decide(s->oparg, (char *)recs + i * s->slot);
	if (o->settle != NULL)
		o->settle(s->oparg, recs, n);
	if (!s->notx)
		ledger_commit(s->ledger);
	if (o->effects != NULL)
		o->effects(s->oparg, recs, n);
	for (i = 0; i < n; i++) {
		struct stage_rec *r =
		    (struct stage_rec *)((char *)recs + i * s->slot);

		if (o->write != NULL)
			o->write(s->oparg, r);
		else if (r->j != NULL)
			ndjson_write(r->j);
		if (o->clear != NULL)
			o->clear(s->oparg, r);
		stage_clear(s, r);
	}
}

void
stage_init_ops(struct stage *s, size_t slot, size_t chunk,
    const struct stage_ops *ops, void *arg)
{
	init(s, slot, chunk, ops->group > 1 ? ops->group : 1, chunk_loop, s);
	s->ops = ops;
	s->oparg = arg;
}

/*
 * Whether what is held goes now: at a chunk's end, when the group is
 * full or more() says nothing more is read and waiting (more NULL: more
 * is there).  more() is asked only then.
 */
static int
full(struct stage *s, int (*more)(struct stage *))
{
	if (s->n % s->chunk != 0)
		return 0;
	return s->n == s->chunk * s->group || (more != NULL && !more(s));
}

/* Read here, or --pending: the ledger has more until it ends. */
static int
more_here(struct stage *s)
{
	return s->in == NULL || input_wait(s->in, 0);
}

/*
 * The chunk held is decided, committed and written out, and stdout
 * flushed, so that the next stage has it at once.
 */
static void
chunk_out(struct stage *s)
{
	if (s->n == 0)
		return;
	s->flush(s->arg, s->recs, s->n);
	s->n = 0;
	if (fflush(stdout) == EOF)
		stdout_failed();
}

/* The input has waited STAGE_IDLE_MS: what is held goes now. */
static void
idle(void *arg)
{
	chunk_out(arg);
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
	progress_count(++s->read);
	if (full(s, more_here))
		chunk_out(s);
}

/* Chunks of lines read and parsed, on their way to the deciding thread. */
struct batch {
	struct stage_rec *r;
	size_t n;
	int idle; /* the input waited after it: decide what is held */
	int more; /* full, and more input was there at once: wait for it */
	struct batch *next;
};

struct reader {
	struct stage *s;
	struct input *in;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct batch *head, *tail;
	size_t queued;
	int done;
	int more; /* the batch the deciding thread has: its more */
	struct stage_rec *trash; /* handed over by the deciding thread */
	size_t ntrash;
	/* stage_share(): work the reader helps with between lines. */
	atomic_int shared;
	void (*fn)(void *, size_t);
	void *arg;
	size_t jobs, next, finished;
	unsigned char *made; /* stage_share_then(): which are done */
};

static void
rec_free(struct stage_rec *r)
{
	free(r->rs);
	json_decref(r->j);
	free(r->raw);
	free(r->why);
}

static void
trash_free(struct stage_rec *t, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		rec_free(&t[i]);
	free(t);
}

/* Take shared work while there is some; called without the lock. */
static void
help(struct reader *rd)
{
	void (*fn)(void *, size_t);
	void *arg;
	size_t i;

	pthread_mutex_lock(&rd->mu);
	while (rd->fn != NULL && rd->next < rd->jobs) {
		i = rd->next++;
		fn = rd->fn;
		arg = rd->arg;
		pthread_mutex_unlock(&rd->mu);
		fn(arg, i);
		pthread_mutex_lock(&rd->mu);
		if (rd->made != NULL)
			rd->made[i] = 1;
		if (++rd->finished == rd->jobs || rd->made != NULL)
			pthread_cond_broadcast(&rd->cv);
	}
	pthread_mutex_unlock(&rd->mu);
}

/*
 * At most two chunks wait, or a group's: the reader never runs far
 * ahead.
 */
#define QUEUED(s) ((s)->group > 2 ? (s)->group : 2)

static void
push(struct reader *rd, struct batch *b)
{
	struct stage_rec *trash;
	size_t ntrash;

	pthread_mutex_lock(&rd->mu);
	while (rd->queued >= QUEUED(rd->s)) {
		if (rd->fn != NULL && rd->next < rd->jobs) {
			pthread_mutex_unlock(&rd->mu);
			help(rd);
			pthread_mutex_lock(&rd->mu);
			continue;
		}
		pthread_cond_wait(&rd->cv, &rd->mu);
	}
	if (rd->tail != NULL)
		rd->tail->next = b;
	else
		rd->head = b;
	rd->tail = b;
	rd->queued++;
	trash = rd->trash;
	ntrash = rd->ntrash;
	rd->trash = NULL;
	rd->ntrash = 0;
	pthread_cond_broadcast(&rd->cv);
	pthread_mutex_unlock(&rd->mu);
	trash_free(trash, ntrash);
}

/* The deciding thread's trash, for the reader to free. */
static void
give(struct reader *rd)
{
	struct stage *s = rd->s;
	struct stage_rec *old;
	size_t nold;

	if (s->ntrash == 0)
		return;
	pthread_mutex_lock(&rd->mu);
	old = rd->trash;
	nold = rd->ntrash;
	rd->trash = s->trash;
	rd->ntrash = s->ntrash;
	pthread_mutex_unlock(&rd->mu);
	/* The reader has not come round to the last lot: ours, then. */
	trash_free(old, nold);
	s->trash = NULL;
	s->ntrash = s->trashcap = 0;
}

static struct batch *
pop(struct reader *rd)
{
	struct batch *b;

	pthread_mutex_lock(&rd->mu);
	while (rd->head == NULL && !rd->done)
		pthread_cond_wait(&rd->cv, &rd->mu);
	if ((b = rd->head) != NULL) {
		rd->head = b->next;
		if (rd->head == NULL)
			rd->tail = NULL;
		rd->queued--;
		pthread_cond_broadcast(&rd->cv);
	}
	pthread_mutex_unlock(&rd->mu);
	return b;
}

/*
 * Whether a chunk is read and waiting; or, the last one read full with
 * more input there at once (struct batch), whether one comes within
 * STAGE_IDLE_MS: a writer stopped mid-line does not hold up the chunks
 * read.
 */
static int
more_read(struct stage *s)
{
	struct reader *rd = s->rd;
	int64_t us = when_mono_us() + STAGE_IDLE_MS * 1000LL;
	struct timespec until = {us / 1000000, us % 1000000 * 1000};
	int more;

	pthread_mutex_lock(&rd->mu);
	while (rd->head == NULL && !rd->done && rd->more &&
	       pthread_cond_timedwait(&rd->cv, &rd->mu, &until) == 0)
		;
	more = rd->head != NULL;
	pthread_mutex_unlock(&rd->mu);
	return more;
}

/* The reading thread: lines in, parsed; it reports nothing itself. */
static void *
reading(void *arg)
{
	struct reader *rd = arg;
	struct batch *b = NULL;
	struct stage_rec *r;
	char *line;
	ssize_t len;

	for (;;) {
		if (b != NULL && !input_wait(rd->in, STAGE_IDLE_MS)) {
			b->idle = 1;
			push(rd, b);
			b = NULL;
		}
		if ((len = input_getline(rd->in, &line)) == INPUT_EOF)
			break;
		if (atomic_load_explicit(&rd->shared, memory_order_relaxed))
			help(rd);
		if (len == INPUT_ERROR)
			input_fail(rd->in);
		if (len == 0)
			continue;
		if (b == NULL) {
			b = xcalloc(1, sizeof *b);
			b->r = xcalloc(rd->s->chunk, sizeof *b->r);
		}
		r = &b->r[b->n++];
		r->file = input_name(rd->in);
		r->line = input_lineno(rd->in);
		if (len == INPUT_TOOLONG) {
			r->raw = xstrdup("");
			r->toolong = 1;
			r->why = xstrdup("line too long, skipped");
		} else {
			r->raw = xstrndup(line, (size_t)len);
			r->len = (size_t)len;
			stage_parse_early(r);
		}
		if (b->n == rd->s->chunk) {
			b->more = input_wait(rd->in, 0);
			push(rd, b);
			b = NULL;
		}
	}
	if (b != NULL)
		push(rd, b);
	pthread_mutex_lock(&rd->mu);
	rd->done = 1;
	pthread_cond_broadcast(&rd->cv);
	pthread_mutex_unlock(&rd->mu);
	return NULL;
}

void
stage_input(struct stage *s, struct input *in)
{
	pthread_condattr_t ca;
	struct reader rd;
	struct batch *b;
	pthread_t t;
	size_t i;
	int e;

	if (s->serial) {
		s->in = in;
		s->rejected += input_each_idle(in, add, idle, STAGE_IDLE_MS, s);
		s->in = NULL;
		return;
	}
	memset(&rd, 0, sizeof rd);
	rd.s = s;
	rd.in = in;
	pthread_mutex_init(&rd.mu, NULL);
	/* more_read() waits by the monotonic clock, set on or back or not. */
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&rd.cv, &ca);
	pthread_condattr_destroy(&ca);
	/*
	 * The reader's one look at the environment, taken before it starts:
	 * a getenv() racing the deciding thread's setenv("TZ") (lib/when)
	 * may read a freed environment.
	 */
	recsplice_checking();
	if ((e = pthread_create(&t, NULL, reading, &rd)) != 0)
		err_exit(
		    EXIT_TROUBLE, "cannot start the reader: %s", strerror(e));
	s->rd = &rd;
	while ((b = pop(&rd)) != NULL) {
		rd.more = b->more;
		for (i = 0; i < b->n; i++) {
			memcpy(s->recs + s->n++ * s->slot, &b->r[i],
			    sizeof b->r[i]);
			progress_count(++s->read);
			if (full(s, i + 1 == b->n ? more_read : NULL)) {
				chunk_out(s);
				give(&rd);
			}
		}
		if (b->idle && s->n > 0) {
			chunk_out(s);
			give(&rd);
		}
		free(b->r);
		free(b);
	}
	pthread_join(t, NULL);
	s->rd = NULL;
	trash_free(rd.trash, rd.ntrash);
	trash_free(s->trash, s->ntrash);
	s->trash = NULL;
	s->ntrash = s->trashcap = 0;
	pthread_cond_destroy(&rd.cv);
	pthread_mutex_destroy(&rd.mu);
}

/* fn(arg, i) for i < n offered to the reader thread; rd->mu held. */
static void
offer(struct reader *rd, void (*fn)(void *, size_t), void *arg, size_t n)
{
	rd->fn = fn;
	rd->arg = arg;
	rd->jobs = n;
	rd->next = rd->finished = 0;
	atomic_store(&rd->shared, 1);
	pthread_cond_broadcast(&rd->cv);
}

void
stage_share(struct stage *s, void (*fn)(void *, size_t), void *arg, size_t n)
{
	struct reader *rd = s->rd;
	size_t i;

	if (rd == NULL) {
		for (i = 0; i < n; i++)
			fn(arg, i);
		return;
	}
	pthread_mutex_lock(&rd->mu);
	offer(rd, fn, arg, n);
	pthread_mutex_unlock(&rd->mu);
	help(rd);
	pthread_mutex_lock(&rd->mu);
	while (rd->finished < rd->jobs)
		pthread_cond_wait(&rd->cv, &rd->mu);
	rd->fn = NULL;
	atomic_store(&rd->shared, 0);
	pthread_mutex_unlock(&rd->mu);
}

void
stage_share_then(struct stage *s, void (*fn)(void *, size_t),
    void (*then)(void *, size_t), void *arg, size_t n)
{
	struct reader *rd = s->rd;
	size_t i, k;

	if (rd == NULL) {
		for (i = 0; i < n; i++) {
			fn(arg, i);
			then(arg, i);
		}
		return;
	}
	pthread_mutex_lock(&rd->mu);
	rd->made = xcalloc(n > 0 ? n : 1, 1);
	offer(rd, fn, arg, n);
	for (i = 0; i < n; i++) {
		/* i: done, or taken here when the reader has not come to it. */
		while (!rd->made[i]) {
			if (rd->next == i) {
				k = rd->next++;
				pthread_mutex_unlock(&rd->mu);
				fn(arg, k);
				pthread_mutex_lock(&rd->mu);
				rd->made[k] = 1;
				rd->finished++;
			} else
				pthread_cond_wait(&rd->cv, &rd->mu);
		}
		pthread_mutex_unlock(&rd->mu);
		then(arg, i);
		pthread_mutex_lock(&rd->mu);
	}
	rd->fn = NULL;
	atomic_store(&rd->shared, 0);
	free(rd->made);
	rd->made = NULL;
	pthread_mutex_unlock(&rd->mu);
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
	chunk_out(s);
	ledger_pending(s->ledger, statuses, s->pending_where, pending_one, s);
}

void
stage_run(
    struct stage *s, struct input **in, int nin, const char *const *statuses)
{
	int i;

	progress_begin("records read");
	for (i = 0; i < nin; i++)
		stage_input(s, in[i]);
	if (statuses != NULL)
		stage_pending(s, statuses);
	stage_finish(s);
	progress_end();
}

void
stage_finish(struct stage *s)
{
	chunk_out(s);
	free(s->recs);
	s->recs = NULL;
}

void
stage_clear(struct stage *s, void *rec)
{
	struct stage_rec *r = rec;

	if (s->rd != NULL) {
		xgrow(&s->trash, &s->trashcap, s->ntrash + 1, sizeof *s->trash);
		s->trash[s->ntrash++] = *r;
	} else
		rec_free(r);
	memset(rec, 0, s->slot);
}

void
stage_reject(struct stage *s, struct stage_rec *r, const char *fmt, ...)
{
	const char *id = r->j ? ndjson_str(r->j, "order_id") : NULL;
	const char *source = r->j ? ndjson_str(r->j, "source") : NULL;
	char why[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	if (id != NULL)
		err_line(r->file, r->line, "order %s: %s", id, why);
	else
		err_line(r->file, r->line, "%s", why);
	if (id != NULL && source != NULL)
		ledger_event(s->ledger, source, id, s->rejected_what, why);
	rejects_put(
	    s->rejects, r->file, r->line, id, why, r->raw, r->len, NULL);
	json_decref(r->j);
	r->j = NULL;
	s->rejected++;
}

void
stage_parse_early(struct stage_rec *r)
{
	char why[256];

	if (r->j != NULL || r->why != NULL || r->toolong)
		return;
	stage_rescan(r);
	r->rs = xmalloc(sizeof *r->rs);
	if ((r->j = recparse_line_scan(
		 r->raw, r->len, why, sizeof why, r->rs)) == NULL)
		r->why = xstrdup(why);
}

int
stage_parse_only(struct stage *s, struct stage_rec *r)
{
	const char *id, *source;

	if (r->toolong) {
		/* Not kept whole, so not in --rejects: only said. */
		err_line(r->file, r->line, "%s", r->why);
		s->rejected++;
		return -1;
	}
	stage_parse_early(r);
	if (r->j == NULL) {
		stage_reject(s, r, "%s", r->why);
		return -1;
	}
	id = ndjson_str(r->j, "order_id");
	source = ndjson_str(r->j, "source");
	if (id == NULL || source == NULL) {
		json_decref(r->j);
		r->j = NULL;
		stage_reject(
		    s, r, "not an order record (no order_id or source)");
		return -1;
	}
	return 0;
}

/* stage_load() with the ledger's text led (taken), read already. */
static int
take(struct stage_rec *r, char *led, size_t len)
{
	struct recsplice *rs;
	json_t *lj;

	/*
	 * The ledger's text is the line's (the stage before handed on what
	 * it kept, the usual case): r's JSON is parsed from it already.
	 */
	if (r->j != NULL && len == r->len && memcmp(led, r->raw, len) == 0) {
		free(led);
		return 1;
	}
	rs = xmalloc(sizeof *rs);
	if ((lj = recparse_line_scan(led, len, NULL, 0, rs)) == NULL) {
		free(rs);
		free(led);
		return 0;
	}
	json_decref(r->j);
	r->j = lj;
	stage_rescan(r);
	r->rs = rs;
	free(r->raw);
	r->raw = led;
	r->len = len;
	r->reloaded = 1;
	return 1;
}

int
stage_load(
    struct stage *s, struct stage_rec *r, const char *source, const char *id)
{
	size_t len;
	char *led;

	if ((led = ledger_order_record(s->ledger, source, id, &len)) == NULL)
		return 0;
	return take(r, led, len);
}

void
stage_rescan(struct stage_rec *r)
{
	free(r->rs);
	r->rs = NULL;
}

char *
stage_splice(struct stage_rec *r, const char *const *changed, size_t *lenp)
{
	/* The scan is of this very text, or it is not used. */
	if (r->rs != NULL && r->rs->text == r->raw && r->rs->len == r->len)
		return recsplice_dump(r->rs, r->j, changed, lenp);
	return recsplice_text(r->raw, r->len, r->j, changed, lenp);
}

/* -1 after setting r aside: lo is another warehouse's (own_only). */
static int
elsewhere(struct stage *s, struct stage_rec *r, const struct ledger_order *lo)
{
	const char *other;

	if (!s->own_only || (other = ledger_elsewhere(s->ledger, lo)) == NULL)
		return 0;
	stage_reject(s, r, "claimed by warehouse '%s'", other);
	return -1;
}

int
stage_own(
    struct stage *s, struct stage_rec *r, const char *source, const char *id)
{
	struct ledger_order lo;
	int rc;

	if (!ledger_order_get(s->ledger, source, id, &lo))
		return 0;
	rc = elsewhere(s, r, &lo);
	ledger_order_free(&lo);
	return rc;
}

/* stage_parse(), saying in *at the ledger's status of the order. */
static int
parse_at(struct stage *s, struct stage_rec *r, int changed, enum status *at)
{
	const char *id, *source, *status;
	struct ledger_order lo;
	char *led;
	size_t len;

	*at = ST_NONE;
	if (stage_parse_only(s, r) == -1)
		return -1;
	id = ndjson_str(r->j, "order_id");
	source = ndjson_str(r->j, "source");
	status = ndjson_str(r->j, "status");
	/* The record is read with the row unless changed and as r says. */
	if (!ledger_order_get_record(s->ledger, source, id, &lo,
		changed && status != NULL ? status : NULL, &led, &len))
		return 0;
	if (elsewhere(s, r, &lo) == -1) {
		free(led);
		ledger_order_free(&lo);
		return -1;
	}
	*at = status_parse(lo.status);
	if (led != NULL)
		take(r, led, len);
	ledger_order_free(&lo);
	return 0;
}

int
stage_parse(struct stage *s, struct stage_rec *r, int changed)
{
	enum status at;

	return parse_at(s, r, changed, &at);
}

int
stage_parse_move(
    struct stage *s, struct stage_rec *r, int changed, enum status to)
{
	enum status in, at;
	char why[128];

	if (stage_parse_only(s, r) == -1)
		return -1;
	in = status_parse(ndjson_str(r->j, "status"));
	if (parse_at(s, r, changed, &at) == -1)
		return -1;
	if (in != ST_NONE && status_may(in, to) && at != ST_NONE &&
	    status_step(at, to) == STEP_REFUSE) {
		stage_reject(s, r, "%s", status_why(why, sizeof why, at, to));
		return -1;
	}
	return 0;
}
