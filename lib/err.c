#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "progress.h"

const char *progname = "fulfil";
int quiet;

void
err_init(const char *argv0)
{
	const char *slash;

	if (argv0 == NULL || *argv0 == '\0')
		return;
	slash = strrchr(argv0, '/');
	progname = slash != NULL ? slash + 1 : argv0;
}

static void
vmsg(const char *fmt, va_list ap, const char *suffix)
{
	fflush(stdout);
	progress_clear();
	fprintf(stderr, "%s: ", progname);
	vfprintf(stderr, fmt, ap);
	if (suffix != NULL)
		fprintf(stderr, ": %s", suffix);
	fputc('\n', stderr);
}

void
err_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap, NULL);
	va_end(ap);
}

void
err_warn_sys(const char *fmt, ...)
{
	va_list ap;
	const char *e = strerror(errno);

	va_start(ap, fmt);
	vmsg(fmt, ap, e);
	va_end(ap);
}

void
err_line(const char *file, long line, const char *fmt, ...)
{
	va_list ap;

	progress_clear();
	fprintf(stderr, "%s: %s:%ld: ", progname, file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
err_exit(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap, NULL);
	va_end(ap);
	exit(status);
}

void
err_exit_sys(int status, const char *fmt, ...)
{
	va_list ap;
	const char *e = strerror(errno);

	va_start(ap, fmt);
	vmsg(fmt, ap, e);
	va_end(ap);
	exit(status);
}

static void
nomem(size_t n)
{
	err_exit(EXIT_TROUBLE, "out of memory allocating %zu bytes", n);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		nomem(n);
	return p;
}

void *
xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz ? sz : 1);

	if (p == NULL)
		nomem(n * sz);
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		nomem(n);
	return q;
}

void
xgrow(void *pp, size_t *cap, size_t n, size_t sz)
{
	void **p = pp;
	size_t c = *cap ? *cap : 8;

	if (n <= *cap)
		return;
	while (c < n) {
		if (c > SIZE_MAX / 2 / sz)
			nomem(SIZE_MAX);
		c *= 2;
	}
	*p = xrealloc(*p, c * sz);
	*cap = c;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

int
xasprintf(char **ret, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(ret, fmt, ap);
	va_end(ap);
	if (n < 0)
		nomem(strlen(fmt));
	return n;
}

void
stdout_failed(void)
{
	if (errno == EPIPE) {
		/* The reader went away: die as SIGPIPE would have us. */
		signal(SIGPIPE, SIG_DFL);
		raise(SIGPIPE);
		_exit(EXIT_TROUBLE);
	}
	err_exit_sys(EXIT_TROUBLE, "write error on standard output");
}

int
close_stdout(int status)
{
	int bad;

	errno = 0;
	bad = fflush(stdout) != 0 || ferror(stdout);
	if (!bad && fclose(stdout) != 0)
		bad = 1;
	if (bad) {
		if (errno == 0)
			errno = EIO;
		stdout_failed();
	}
	return status;
}

void
test_point(const char *var, const char *point, int sig)
{
	const char *e = getenv(var);

	if (e != NULL && strcmp(e, point) == 0)
		raise(sig);
}
