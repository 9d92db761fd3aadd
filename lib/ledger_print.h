/*
 * ledger_print: label --print's table in the ledger.  print_jobs holds a
 * row for each lot file to be sent to a CUPS queue: written in the
 * transaction that records the lot's labels as printed (so after the
 * file is durable and before anything is sent), given CUPS's job id once
 * the job is in the queue.  A row without a job id belongs to the run
 * named in it; when that run has died, the next run that prints takes
 * the row over (ledger_print_job_take()) and sends it.  These functions
 * are the only ones that touch the table.
 *
 * They run inside the caller's transaction (ledger_begin()).  Any
 * failure of the database exits 2.  Strings passed in are borrowed for
 * the call only; the array ledger_print_jobs_unsent() returns is the
 * caller's, freed with ledger_print_jobs_free().
 */
#ifndef FULFIL_LEDGER_PRINT_H
#define FULFIL_LEDGER_PRINT_H

#include <stddef.h>
#include <stdint.h>

struct ledger;

/* A lot file to send: format is "zpl" or "pdf". */
struct ledger_print_job {
	char *file, *queue, *format, *title;
	int64_t labels; /* how many labels the lot holds */
	int64_t run;    /* the run that is to send it */
};

/* A lot file to send to queue, by this run; once per (file, queue). */
void ledger_print_job_add(struct ledger *, const char *file, const char *queue,
    const char *format, const char *title, int64_t labels);
/* The rows not sent yet, oldest first; *n of them. */
struct ledger_print_job *ledger_print_jobs_unsent(struct ledger *, size_t *n);
void ledger_print_jobs_free(struct ledger_print_job *, size_t n);
/*
 * The row of (file, queue), unsent and still run's, made this run's: 1,
 * or 0 when another run took it or it was sent meanwhile.
 */
int ledger_print_job_take(
    struct ledger *, const char *file, const char *queue, int64_t run);
/* The job is in CUPS's queue as job_id. */
void ledger_print_job_sent(
    struct ledger *, const char *file, const char *queue, int job_id);

#endif
