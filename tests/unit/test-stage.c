/*
 * stage: lines read and parsed by the reader thread reach the deciding
 * thread in order, in chunks; stage_share() hands each item out exactly
 * once and the reader thread takes some of them while it runs;
 * stage_share_then() uses each in turn here once it is made.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "stage.h"
#include "tap.h"

#define LINES 6000
#define CHUNK 100

struct job {
	struct stage_rec r;
	int runs;
	int by_reader;
	int made, made_by_reader;
};

static struct stage st;
static pthread_t deciding;
static long next_n, out_of_order, bad, shared_runs, by_reader, chunks;

static void
work(void *arg, size_t i)
{
	struct job *jb = (struct job *)arg + i;

	jb->runs++;
	jb->by_reader = !pthread_equal(pthread_self(), deciding);
	/* Long enough that the reader, waiting to push, comes to help. */
	usleep(20);
}

static long then_bad, then_runs, made_by_reader;
static size_t then_i;

static void
make(void *arg, size_t i)
{
	struct job *jb = (struct job *)arg + i;

	jb->made++;
	jb->made_by_reader = !pthread_equal(pthread_self(), deciding);
	usleep(20);
}

/* Each in turn, here, after its make() and only once. */
static void
then(void *arg, size_t i)
{
	struct job *jb = (struct job *)arg + i;

	then_bad += i != then_i++ || jb->made != 1 ||
		    !pthread_equal(pthread_self(), deciding);
	then_runs++;
	made_by_reader += jb->made_by_reader;
}

static void
flush(void *arg, void *recs, size_t n)
{
	struct job *jobs = recs;
	size_t i;

	chunks++;
	stage_share(&st, work, jobs, n);
	then_i = 0;
	stage_share_then(&st, make, then, jobs, n);
	for (i = 0; i < n; i++) {
		struct job *jb = &jobs[i];

		if (jb->r.j == NULL)
			bad++;
		else if (json_integer_value(json_object_get(jb->r.j, "n")) !=
			 next_n++)
			out_of_order++;
		shared_runs += jb->runs == 1;
		by_reader += jb->by_reader;
		stage_clear(&st, jb);
	}
}

/* A stage with the chunk loop, up to GROUP chunks a transaction. */
#define GROUP 4

static struct stage gs;
static long begins, effects, settles, decided, written, begun_n, bad_lot;
static size_t settled_max;

static void
g_begin(void *arg, void *recs, size_t n)
{
	begins++;
	begun_n += (long)n;
	bad_lot += n > CHUNK;
}

static void
g_decide(void *arg, void *rec)
{
	decided++;
}

static void
g_settle(void *arg, void *recs, size_t n)
{
	settles++;
	if (n > settled_max)
		settled_max = n;
}

static void
g_effects(void *arg, void *recs, size_t n)
{
	effects++;
}

static void
g_write(void *arg, void *rec)
{
	written++;
}

static const struct stage_ops group_ops = {
    .begin = g_begin,
    .decide = g_decide,
    .settle = g_settle,
    .effects = g_effects,
    .write = g_write,
    .group = GROUP,
};

/*
 * Chunks read and waiting go in one transaction, GROUP at most: from a
 * file (all of it there at once) every one but the last takes GROUP,
 * read here (serial) or by the reader thread.
 */
static void
grouped(const char *path, int serial)
{
	struct input *in;

	begins = effects = settles = decided = written = begun_n = bad_lot = 0;
	settled_max = 0;
	memset(&gs, 0, sizeof gs);
	stage_init_ops(&gs, sizeof(struct job), CHUNK, &group_ops, NULL);
	gs.notx = 1;
	gs.serial = serial;
	if ((in = input_open(path)) == NULL)
		err_exit_sys(2, "%s", path);
	stage_input(&gs, in);
	stage_finish(&gs);
	input_close(in);
	is_int(decided, LINES + 1, "%s: every line decided",
	    serial ? "serial" : "reader");
	is_int(written, LINES + 1, "%s: and written",
	    serial ? "serial" : "reader");
	is_int(settles, effects, "%s: effects once a transaction",
	    serial ? "serial" : "reader");
	is_int(bad_lot, 0, "%s: none longer than a chunk",
	    serial ? "serial" : "reader");
	is_int((long)settled_max, CHUNK * GROUP,
	    "%s: a transaction takes %d chunks", serial ? "serial" : "reader",
	    GROUP);
	is_int(settles, (LINES + CHUNK * GROUP) / (CHUNK * GROUP),
	    "%s: in as many transactions", serial ? "serial" : "reader");
}

int
main(void)
{
	char path[] = "/tmp/test-stage.XXXXXX";
	struct input *in;
	FILE *f;
	int fd, i;

	progname = "test-stage";
	if ((fd = mkstemp(path)) == -1 || (f = fdopen(fd, "w")) == NULL)
		err_exit_sys(2, "%s", path);
	for (i = 0; i < LINES; i++) {
		if (i == 1234)
			fprintf(f, "{not json\n");
		fprintf(f, "{\"order_id\":\"%d\",\"source\":\"t\",\"n\":%d}\n",
		    i, i);
	}
	if (fclose(f) != 0)
		err_exit_sys(2, "%s", path);

	deciding = pthread_self();
	memset(&st, 0, sizeof st);
	stage_init(&st, sizeof(struct job), CHUNK, flush, NULL);
	if ((in = input_open(path)) == NULL)
		err_exit_sys(2, "%s", path);
	stage_input(&st, in);
	stage_finish(&st);
	input_close(in);
	grouped(path, 0);
	grouped(path, 1);
	unlink(path);

	is_int(st.read, LINES + 1, "every line read");
	is_int(bad, 1, "the bad line arrives unparsed");
	is_int(next_n, LINES, "every good line arrives");
	is_int(out_of_order, 0, "in the order read");
	is_int(shared_runs, LINES + 1, "each shared item runs exactly once");
	ok(by_reader > 0, "the reader thread took some shared work (%ld)",
	    by_reader);
	is_int(chunks, (LINES + 1 + CHUNK - 1) / CHUNK, "in chunks");
	is_int(then_runs, LINES + 1, "stage_share_then: every item used");
	is_int(then_bad, 0,
	    "stage_share_then: in turn, here, each once it is made, once");
	ok(made_by_reader > 0, "stage_share_then: the reader made some (%ld)",
	    made_by_reader);

	/* With no reader running, the deciding thread does it all. */
	{
		struct job jobs[3];

		memset(jobs, 0, sizeof jobs);
		stage_share(&st, work, jobs, 3);
		ok(jobs[0].runs == 1 && jobs[2].runs == 1 && !jobs[1].by_reader,
		    "without a reader, stage_share runs here");
		then_i = 0;
		then_bad = 0;
		stage_share_then(&st, make, then, jobs, 3);
		ok(then_i == 3 && then_bad == 0 && !jobs[1].made_by_reader,
		    "without a reader, stage_share_then runs here, in turn");
	}
	return done_testing();
}
