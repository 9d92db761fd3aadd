/*
 * stage: lines read and parsed by the reader thread reach the deciding
 * thread in order, in chunks; stage_share() hands each item out exactly
 * once and the reader thread takes some of them while it runs.
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

static void
flush(void *arg, void *recs, size_t n)
{
	struct job *jobs = recs;
	size_t i;

	chunks++;
	stage_share(&st, work, jobs, n);
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
	unlink(path);

	is_int(st.read, LINES + 1, "every line read");
	is_int(bad, 1, "the bad line arrives unparsed");
	is_int(next_n, LINES, "every good line arrives");
	is_int(out_of_order, 0, "in the order read");
	is_int(shared_runs, LINES + 1, "each shared item runs exactly once");
	ok(by_reader > 0, "the reader thread took some shared work (%ld)",
	    by_reader);
	is_int(chunks, (LINES + 1 + CHUNK - 1) / CHUNK, "in chunks");

	/* With no reader running, the deciding thread does it all. */
	{
		struct job jobs[3];

		memset(jobs, 0, sizeof jobs);
		stage_share(&st, work, jobs, 3);
		ok(jobs[0].runs == 1 && jobs[2].runs == 1 && !jobs[1].by_reader,
		    "without a reader, stage_share runs here");
	}
	return done_testing();
}
