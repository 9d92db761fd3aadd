/*
 * err: diagnostics, allocation that cannot fail, and the checked exit.
 *
 * Every tool calls err_init(argv[0]) first.  Messages go to stderr as
 * "tool: message" with the house rules of STYLE.md: lower case, no full
 * stop, never a customer's personal data.  The names are our own, err_,
 * not libc's err(3) family, which a program linked with us might want.
 *
 * The x-prefixed allocators never return NULL: on failure they print the
 * size asked for and exit 2.  Memory they return is the caller's to free.
 *
 * Exit statuses are those of ARCHITECTURE.md section 6.
 */
#ifndef FULFIL_ERR_H
#define FULFIL_ERR_H

#include <stddef.h>
#include <stdio.h>

enum {
	EXIT_OK = 0,      /* every record handled */
	EXIT_REJECTS = 1, /* some records rejected, the rest handled */
	EXIT_TROUBLE = 2  /* usage, configuration or system error */
};

extern const char *progname;
extern int quiet; /* -q: no summary line */

void err_init(const char *argv0);

void err_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* err_warn() with ": strerror(errno)" appended. */
void err_warn_sys(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "tool: file:line: message", the form of every data error. */
void err_line(const char *file, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void err_exit(int status, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 2, 3)));
void err_exit_sys(int status, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 2, 3)));

void *xmalloc(size_t);
void *xcalloc(size_t, size_t);
void *xrealloc(void *, size_t);
/* Grow *p, an array of *cap elements of size sz, to hold at least n. */
void xgrow(void *pp, size_t *cap, size_t n, size_t sz);
char *xstrdup(const char *);
char *xstrndup(const char *, size_t);
int xasprintf(char **, const char *, ...) __attribute__((format(printf, 2, 3)));

/*
 * Flush and close stdout.  A write error is reported and turns status
 * into EXIT_TROUBLE; EPIPE ends the process by SIGPIPE, quietly, the way
 * it would have died had it not been caught in stdio.  Returns the status
 * to exit with.
 */
int close_stdout(int status);
/* Call after a failed write to stdout: handles EPIPE, else exits 2. */
void stdout_failed(void) __attribute__((noreturn));
/*
 * A test's hook at a named point of a run: when the environment variable
 * var names point, the process sends itself sig (SIGKILL, a crash there;
 * SIGSTOP, a pause for a second run to meet it).
 */
void test_point(const char *var, const char *point, int sig);

#endif
