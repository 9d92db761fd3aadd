/*
 * progress: one line on stderr that says how far a long run has got,
 * as git does: "label: 120000 records read, 41000/s".  It shows only
 * when stderr is a terminal and -q was not given, and only once a run
 * has gone on for a second, so that pipes, files, cron mail and quick
 * runs never see it.  The line is rewritten in place (carriage return)
 * at most five times a second and cleared before any other line goes
 * to stderr (err.h clears it) and at progress_end().
 *
 * One per process: the tools run one stage at a time.  Only the
 * deciding (main) thread calls progress_begin/count/end; progress_clear()
 * may be called from any thread.
 */
#ifndef FULFIL_PROGRESS_H
#define FULFIL_PROGRESS_H

/* From now on, count what (e.g. "orders read"); the clock starts. */
void progress_begin(const char *what);
/* n of what so far: shown if it is time. */
void progress_count(long n);
/* Counting something else from now on, the clock and rate anew. */
void progress_phase(const char *what);
/* Clear the line, for good. */
void progress_end(void);
/* Clear the line if it shows, for another line to be written. */
void progress_clear(void);

#endif
