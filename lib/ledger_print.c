#include <stdlib.h>

#include "err.h"
#include "ledger_int.h"
#include "ledger_print.h"

void
ledger_print_job_add(struct ledger *l, const char *file, const char *queue,
    const char *format, const char *title, int64_t labels)
{
	struct db_stmt *st = ledger_sql(l,
	    "INSERT INTO print_jobs (file, queue, format, title, labels, run,"
	    "  queued_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
	    " ON CONFLICT (file, queue) DO NOTHING");

	db_bind_text(st, 1, file, -1);
	db_bind_text(st, 2, queue, -1);
	db_bind_text(st, 3, format, -1);
	db_bind_text(st, 4, title, -1);
	db_bind_int64(st, 5, labels);
	db_bind_int64(st, 6, ledger_run_id(l));
	db_bind_text(st, 7, ledger_stamp(l), -1);
	ledger_done(l, st);
}

struct ledger_print_job *
ledger_print_jobs_unsent(struct ledger *l, size_t *n)
{
	struct db_stmt *st = ledger_sql(l,
	    "SELECT file, queue, format, title, labels, run FROM print_jobs"
	    " WHERE job_id IS NULL ORDER BY rowid");
	struct ledger_print_job *v = NULL, *j;
	size_t cap = 0;

	*n = 0;
	while (ledger_row(l, st)) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 8;
			v = xrealloc(v, cap * sizeof *v);
		}
		j = &v[(*n)++];
		j->file = ledger_coldup(st, 0);
		j->queue = ledger_coldup(st, 1);
		j->format = ledger_coldup(st, 2);
		j->title = ledger_coldup(st, 3);
		j->labels = db_column_int64(st, 4);
		j->run = db_column_int64(st, 5);
	}
	return v;
}

void
ledger_print_jobs_free(struct ledger_print_job *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].file);
		free(v[i].queue);
		free(v[i].format);
		free(v[i].title);
	}
	free(v);
}

int
ledger_print_job_take(
    struct ledger *l, const char *file, const char *queue, int64_t run)
{
	struct db_stmt *st = ledger_sql(l,
	    "UPDATE print_jobs SET run = ?4"
	    " WHERE file = ?1 AND queue = ?2 AND run = ?3 AND job_id IS NULL");

	db_bind_text(st, 1, file, -1);
	db_bind_text(st, 2, queue, -1);
	db_bind_int64(st, 3, run);
	db_bind_int64(st, 4, ledger_run_id(l));
	ledger_done(l, st);
	return db_changes(l->dbh) == 1;
}

void
ledger_print_job_sent(
    struct ledger *l, const char *file, const char *queue, int job_id)
{
	struct db_stmt *st =
	    ledger_sql(l, "UPDATE print_jobs SET job_id = ?3, sent_at = ?4"
			  " WHERE file = ?1 AND queue = ?2");

	db_bind_text(st, 1, file, -1);
	db_bind_text(st, 2, queue, -1);
	db_bind_int64(st, 3, job_id);
	db_bind_text(st, 4, ledger_stamp(l), -1);
	ledger_done(l, st);
}
