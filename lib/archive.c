#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "archive.h"
#include "config.h"
#include "err.h"
#include "ledger.h"
#include "ledger_archive.h"
#include "ndjson.h"
#include "when.h"

/* Orders a batch: a transaction each side of the file's sync. */
#define BATCH 5000

/* The statuses an order never leaves. */
static const char *const finals[] = {"delivered", "collected", "cancelled",
    "fulfilled", "returned", "return_received", NULL};

/*
 * What a stub keeps: the record's members, and the members of its
 * objects, that ledger_kpi, ledger_journey and ledger_split read.
 */
static const char *const keep[] = {"order_id", "source", "status", "revision",
    "placed_at", "service", "promise.deliver_by", "dispatch.dispatched_at",
    "dispatch.order_to_ship_s", "dispatch.late", "delivery.at",
    "pickup.ready_at", "pickup.collected_at", "split.of", "split.part", NULL};

struct stubbed {
	int64_t rowid;
	char *stub;
	size_t len;
};

struct batch {
	gzFile gz;
	struct stubbed *v;
	size_t n, cap;
	int failed;
};

json_t *
archive_stub(const json_t *rec)
{
	json_t *s = json_object(), *v, *o;
	const char *dot;
	char name[32];
	size_t i;

	for (i = 0; keep[i] != NULL; i++) {
		if ((dot = strchr(keep[i], '.')) == NULL) {
			if ((v = json_object_get(rec, keep[i])) != NULL)
				json_object_set(s, keep[i], v);
			continue;
		}
		snprintf(
		    name, sizeof name, "%.*s", (int)(dot - keep[i]), keep[i]);
		v = json_object_get(json_object_get(rec, name), dot + 1);
		if (v == NULL)
			continue;
		if ((o = json_object_get(s, name)) == NULL) {
			o = json_object();
			json_object_set_new(s, name, o);
		}
		json_object_set(o, dot + 1, v);
	}
	json_object_set_new(s, "archived", json_true());
	return s;
}

/*
 * A test's kill -9 at a named point of a run (FULFIL_ARCHIVE_KILL =
 * claimed, writing or synced), so that recovery is tried at each; or a
 * stop there (FULFIL_ARCHIVE_STOP), so that a second run meets this one
 * in the middle.
 */
static void
kill_point(const char *point)
{
	test_point("FULFIL_ARCHIVE_KILL", point, SIGKILL);
	test_point("FULFIL_ARCHIVE_STOP", point, SIGSTOP);
}

static void
one(void *arg, int64_t rowid, const char *source, const char *id,
    const char *record, size_t len)
{
	struct batch *b = arg;
	struct stubbed *s;
	json_t *r, *stub;

	if (b->failed)
		return;
	if (gzwrite(b->gz, record, (unsigned)len) != (int)len ||
	    gzputc(b->gz, '\n') == -1) {
		b->failed = 1;
		return;
	}
	if (b->n == 0 && (getenv("FULFIL_ARCHIVE_KILL") != NULL ||
			     getenv("FULFIL_ARCHIVE_STOP") != NULL)) {
		/* Half a gzip member on disk, as a crash would leave. */
		gzflush(b->gz, Z_SYNC_FLUSH);
		kill_point("writing");
	}
	if ((r = ndjson_parse(record, len, NULL, 0)) == NULL)
		err_exit(EXIT_TROUBLE,
		    "the ledger's record of order '%s' of '%s' is not JSON", id,
		    source);
	stub = archive_stub(r);
	xgrow(&b->v, &b->cap, b->n + 1, sizeof *b->v);
	s = &b->v[b->n++];
	s->rowid = rowid;
	s->stub = ndjson_dump(stub, &s->len);
	json_decref(stub);
	json_decref(r);
}

/* The directory of path synced: a file it made is there for good. */
static void
sync_dir(const char *path)
{
	char *d = xstrdup(path), *slash = strrchr(d, '/');
	int fd;

	if (slash == d)
		slash[1] = '\0';
	else if (slash != NULL)
		*slash = '\0';
	if ((fd = open(slash != NULL ? d : ".", O_RDONLY | O_CLOEXEC)) != -1) {
		fsync(fd);
		close(fd);
	}
	free(d);
}

/*
 * Write batch id's orders to file from size on (cutting what a run
 * that died left after it), sync, then stub them in the ledger.  The
 * run holds file's lock; made says it made the file.  Returns the orders.
 */
static long
batch_write(
    struct ledger *l, int64_t id, const char *file, int64_t size, int made)
{
	struct batch b = {0};
	struct stat sb;
	int fd, gfd;
	size_t i;

	if ((fd = open(file, O_WRONLY | O_CREAT | O_CLOEXEC, 0600)) == -1)
		err_exit_sys(EXIT_TROUBLE, "cannot open '%s'", file);
	if (fstat(fd, &sb) == -1 ||
	    (sb.st_size > size && ftruncate(fd, (off_t)size) == -1) ||
	    lseek(fd, (off_t)size, SEEK_SET) == -1)
		err_exit_sys(EXIT_TROUBLE, "cannot write '%s'", file);
	if (sb.st_size < size)
		err_exit(EXIT_TROUBLE,
		    "'%s' is shorter than the ledger says it was (%lld bytes, "
		    "not %lld): not the archive it began",
		    file, (long long)sb.st_size, (long long)size);
	if ((gfd = dup(fd)) == -1 || (b.gz = gzdopen(gfd, "wb6")) == NULL)
		err_exit_sys(EXIT_TROUBLE, "cannot write '%s'", file);
	ledger_archive_each(l, id, one, &b);
	if (gzclose(b.gz) != Z_OK || b.failed)
		err_exit_sys(EXIT_TROUBLE, "cannot write '%s'", file);
	if (fsync(fd) == -1)
		err_exit_sys(EXIT_TROUBLE, "cannot sync '%s'", file);
	close(fd);
	if (made)
		sync_dir(file);
	kill_point("synced");
	ledger_begin(l);
	for (i = 0; i < b.n; i++) {
		ledger_archive_stub(l, b.v[i].rowid, b.v[i].stub, b.v[i].len);
		free(b.v[i].stub);
	}
	ledger_archive_done(l, id, (long)b.n);
	ledger_commit(l);
	free(b.v);
	return (long)b.n;
}

/*
 * The archive files a run holds.  A run locks a file (flock, which dies
 * with it) before it claims a batch for it or finishes one a run left
 * in it, and keeps it to the end: two runs at once never write one file
 * together, and a run never takes for left the batch of a run still
 * writing it.  A run waits for the lock, as a second cron run should.
 */
struct held {
	struct {
		int fd, made;
		dev_t dev;
		ino_t ino;
		char *path;
	} f[2];
	int n;
};

/* The slot of held that is file, or -1. */
static int
held_find(const struct held *h, const char *file)
{
	struct stat sb;
	int i;

	if (stat(file, &sb) == -1)
		return -1;
	for (i = 0; i < h->n; i++)
		if (h->f[i].dev == sb.st_dev && h->f[i].ino == sb.st_ino)
			return i;
	return -1;
}

/* file locked (made if need be), waiting for a run that has it. */
static int
held_lock(struct held *h, const char *file)
{
	struct stat sb, now;
	int i, fd, made, said = 0;

	if ((i = held_find(h, file)) != -1)
		return i;
	if (h->n == (int)(sizeof h->f / sizeof h->f[0]))
		err_exit(EXIT_TROUBLE, "'%s': a third archive file in one run",
		    file);
	for (;;) {
		made = stat(file, &sb) == -1;
		if ((fd = open(file, O_WRONLY | O_CREAT | O_CLOEXEC, 0600)) ==
		    -1)
			err_exit_sys(EXIT_TROUBLE, "cannot open '%s'", file);
		if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
			if (errno != EWOULDBLOCK)
				err_exit_sys(
				    EXIT_TROUBLE, "cannot lock '%s'", file);
			if (!quiet && !said++)
				fprintf(stderr,
				    "%s: waiting for the run archiving to "
				    "'%s'\n",
				    progname, file);
			while (flock(fd, LOCK_EX) == -1)
				if (errno != EINTR)
					err_exit_sys(EXIT_TROUBLE,
					    "cannot lock '%s'", file);
		}
		/* The run waited for may have removed it, empty. */
		if (fstat(fd, &sb) == 0 && stat(file, &now) == 0 &&
		    sb.st_dev == now.st_dev && sb.st_ino == now.st_ino)
			break;
		close(fd);
	}
	i = h->n++;
	h->f[i].fd = fd;
	h->f[i].made = made;
	h->f[i].dev = sb.st_dev;
	h->f[i].ino = sb.st_ino;
	h->f[i].path = xstrdup(file);
	return i;
}

/* The locks let go; a file the run made and left empty, removed. */
static void
held_release(struct held *h)
{
	struct stat sb;
	int i;

	for (i = 0; i < h->n; i++) {
		if (h->f[i].made && fstat(h->f[i].fd, &sb) == 0 &&
		    sb.st_size == 0)
			unlink(h->f[i].path);
		close(h->f[i].fd);
		free(h->f[i].path);
	}
	h->n = 0;
}

int
archive_run(struct ledger *l, const struct config *cfg, const struct when *now,
    const char *file, const char *before)
{
	int64_t id, size, day, cutoff;
	long n, total = 0, batches = 0, freed;
	struct held h = {0};
	struct stat sb;
	char *left, *path, cwd[4096];
	int incr, mine, k;

	/*
	 * The ledger notes the file by a path that means the same from any
	 * directory, for a run that finishes a batch left.
	 */
	if (file[0] == '/')
		path = xstrdup(file);
	else if (getcwd(cwd, sizeof cwd) != NULL)
		xasprintf(&path, "%s/%s", cwd, file);
	else
		err_exit_sys(EXIT_TROUBLE, "cannot name '%s' whole", file);
	cutoff = now->t - (int64_t)cfg->followup.return_window_days * 86400;
	if (before != NULL) {
		if (parse_date(before, &day) == -1)
			err_exit(EXIT_TROUBLE,
			    "--before: '%s' is not a date, YYYY-MM-DD", before);
		if (when_local(cfg->tz, day, 0) < cutoff)
			cutoff = when_local(cfg->tz, day, 0);
	}
	/*
	 * Batches a run left: finished first, each into the file it
	 * began, once its lock is ours (a run still at it finishes its
	 * own, and then there is nothing left to finish).
	 */
	while ((id = ledger_archive_unfinished(l, &left, &size)) != 0) {
		if ((k = held_find(&h, left)) == -1) {
			held_lock(&h, left);
			free(left);
			continue;
		}
		if (!quiet)
			fprintf(stderr,
			    "%s: finishing the archive a run left in '%s'\n",
			    progname, left);
		total += batch_write(l, id, left, size, h.f[k].made);
		batches++;
		free(left);
	}
	mine = held_lock(&h, path);
	for (;;) {
		/* Its size by the descriptor locked: the file it is. */
		if (fstat(h.f[mine].fd, &sb) == -1)
			err_exit_sys(EXIT_TROUBLE, "cannot read '%s'", file);
		size = (int64_t)sb.st_size;
		id = ledger_archive_claim(
		    l, path, size, finals, cutoff, BATCH, &n);
		if (id == 0)
			break;
		kill_point("claimed");
		total += batch_write(l, id, path, size, h.f[mine].made);
		batches++;
	}
	held_release(&h);
	free(path);
	/*
	 * A page is free when all its rows went: a new ledger gives it
	 * back now; an older one keeps it (and reuses it) until VACUUM.
	 * A PostgreSQL ledger has no pages of its own to say (-1).
	 */
	freed = ledger_free_pages(l, &incr);
	if (incr && freed > 0)
		ledger_release_pages(l);
	if (quiet)
		return EXIT_OK;
	fprintf(stderr, "%s: %ld orders archived to '%s' in %ld batch%s",
	    progname, total, file, batches, batches == 1 ? "" : "es");
	if (freed >= 0)
		fprintf(stderr, "; %ld pages %s", freed,
		    incr ? "given back" : "free in the ledger until VACUUM");
	fputc('\n', stderr);
	return EXIT_OK;
}
