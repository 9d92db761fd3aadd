#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cups/cups.h>

#include "config.h"
#include "err.h"
#include "ledger.h"
#include "ledger_print.h"
#include "print.h"

int
print_setup(
    struct printer *pr, const struct config *cfg, const char *queue, int zpl)
{
	if (queue == NULL)
		queue = cfg->print_queue;
	pr->zpl_queue = cfg->print_zpl_queue ? cfg->print_zpl_queue : queue;
	pr->pdf_queue = cfg->print_pdf_queue ? cfg->print_pdf_queue
			: zpl                ? NULL
					     : queue;
	return pr->zpl_queue != NULL || pr->pdf_queue != NULL;
}

const char *
print_queue(const struct printer *pr, const char *format)
{
	return strcmp(format, "zpl") == 0 ? pr->zpl_queue : pr->pdf_queue;
}

void
print_lot(struct printer *pr, struct ledger *l, const char *path,
    const char *format, const char *title, long labels)
{
	const char *q = print_queue(pr, format);

	if (q != NULL)
		ledger_print_job_add(l, path, q, format, title, labels);
}

/*
 * The job named title in queue, if CUPS has one that printed or will:
 * its id, else 0.  A job left without its document (the run died while
 * sending it) is cancelled, so that it is sent whole again.  Names are
 * unique: they hold the run and lot.
 */
static int
find_job(const char *queue, const char *title)
{
	cups_job_t *jobs;
	int i, n, id = 0;

	n = cupsGetJobs2(
	    CUPS_HTTP_DEFAULT, &jobs, queue, 1, CUPS_WHICHJOBS_ALL);
	for (i = 0; i < n; i++) {
		if (jobs[i].title == NULL || strcmp(jobs[i].title, title) != 0)
			continue;
		if (jobs[i].state == IPP_JSTATE_CANCELED ||
		    jobs[i].state == IPP_JSTATE_ABORTED)
			continue;
		if (jobs[i].size == 0 &&
		    jobs[i].state < IPP_JSTATE_PROCESSING) {
			cupsCancelJob2(CUPS_HTTP_DEFAULT, queue, jobs[i].id, 0);
			continue;
		}
		id = jobs[i].id;
	}
	cupsFreeJobs(n, jobs);
	return id;
}

/*
 * One lot file as one job: created, its document streamed, closed.  The
 * job id, or 0 with why (a job half made is cancelled, so that nothing
 * half prints).
 */
static int
send_file(const char *queue, const char *path, const char *format,
    const char *title, char *why, size_t len)
{
	const char *mime =
	    strcmp(format, "zpl") == 0 ? CUPS_FORMAT_RAW : CUPS_FORMAT_PDF;
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	char buf[65536];
	ssize_t n;
	int fd, id;

	if ((fd = open(path, O_RDONLY)) == -1) {
		snprintf(
		    why, len, "cannot open '%s': %s", path, strerror(errno));
		return 0;
	}
	if ((id = cupsCreateJob(CUPS_HTTP_DEFAULT, queue, title, 0, NULL)) ==
	    0) {
		snprintf(why, len, "%s", cupsLastErrorString());
		close(fd);
		return 0;
	}
	if (cupsStartDocument(CUPS_HTTP_DEFAULT, queue, id, base, mime, 1) !=
	    HTTP_STATUS_CONTINUE)
		goto fail;
	while ((n = read(fd, buf, sizeof buf)) > 0)
		if (cupsWriteRequestData(CUPS_HTTP_DEFAULT, buf, (size_t)n) !=
		    HTTP_STATUS_CONTINUE)
			goto fail;
	if (n == -1) {
		snprintf(
		    why, len, "cannot read '%s': %s", path, strerror(errno));
		cupsFinishDocument(CUPS_HTTP_DEFAULT, queue);
		cupsCancelJob2(CUPS_HTTP_DEFAULT, queue, id, 0);
		close(fd);
		return 0;
	}
	if (cupsFinishDocument(CUPS_HTTP_DEFAULT, queue) != IPP_STATUS_OK)
		goto fail;
	close(fd);
	return id;
fail:
	snprintf(why, len, "%s", cupsLastErrorString());
	cupsCancelJob2(CUPS_HTTP_DEFAULT, queue, id, 0);
	close(fd);
	return 0;
}

long
print_send(struct printer *pr, struct ledger *l)
{
	struct ledger_print_job *v;
	int64_t me = ledger_run_id(l);
	size_t n, i;
	char why[512];
	long failed = 0;
	int *taken, id;

	/* What is this run's to send, runs that died included. */
	ledger_begin(l);
	v = ledger_print_jobs_unsent(l, &n);
	taken = xcalloc(n + 1, sizeof *taken);
	for (i = 0; i < n; i++) {
		if (v[i].run == me)
			continue;
		if (ledger_run_alive(l, v[i].run) ||
		    !ledger_print_job_take(l, v[i].file, v[i].queue, v[i].run))
			v[i].run = 0;
		else
			taken[i] = 1;
	}
	ledger_commit(l);

	for (i = 0; i < n; i++) {
		if (v[i].run == 0)
			continue;
		if (taken[i] && (id = find_job(v[i].queue, v[i].title)) > 0)
			pr->found++;
		else if ((id = send_file(v[i].queue, v[i].file, v[i].format,
			      v[i].title, why, sizeof why)) > 0)
			pr->sent++;
		else {
			err_warn("print to '%s': '%s': %s; the next label "
				 "--print sends it",
			    v[i].queue, v[i].file, why);
			failed++;
			continue;
		}
		ledger_begin(l);
		ledger_print_job_sent(l, v[i].file, v[i].queue, id);
		ledger_commit(l);
	}
	free(taken);
	ledger_print_jobs_free(v, n);
	pr->failed += failed;
	return failed;
}
