#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "err.h"
#include "ndjson.h"
#include "recsplice.h"
#include "recdump.h"
#include "when.h"

#define RAWSZ (128 * 1024)

struct input {
	char *name;
	int fd;
	int gzip;       /* inflating */
	int started;    /* magic sniffed */
	int regular;    /* a regular file: reads never wait */
	int eof;        /* source exhausted */
	int member_end; /* last inflate ended a member */
	z_stream zs;
	unsigned char *raw; /* compressed bytes (gzip only) */
	char *buf;          /* decoded bytes */
	size_t cap, len, pos;
	size_t scanned; /* no LF in buf[pos, scanned) */
	int skipping;   /* inside an over-long line */
	int again;      /* input_unget() was called */
	char *last;     /* the line last returned */
	ssize_t lastlen;
	long lineno;
	const char *error;
};

struct input *
input_open(const char *path)
{
	struct input *in;
	struct stat st;
	int fd;

	if (strcmp(path, "-") == 0)
		fd = STDIN_FILENO;
	else if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return NULL;
	in = xcalloc(1, sizeof *in);
	in->fd = fd;
	in->regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
	in->name = xstrdup(fd == STDIN_FILENO ? "<stdin>" : path);
	in->cap = RAWSZ;
	in->buf = xmalloc(in->cap + 1);
	return in;
}

const char *
input_name(const struct input *in)
{
	return in->name;
}

long
input_lineno(const struct input *in)
{
	return in->lineno;
}

const char *
input_error(const struct input *in)
{
	return in->error;
}

long
input_errline(const struct input *in)
{
	/* A line was begun if one was returned or part of one is here. */
	if (in->lineno > 0 || in->len > in->pos || in->skipping)
		return in->lineno + 1;
	return 0;
}

static ssize_t
xread(int fd, void *p, size_t n)
{
	ssize_t r;

	do
		r = read(fd, p, n);
	while (r == -1 && errno == EINTR);
	return r;
}

static ssize_t next(struct input *, char **);

/*
 * Inflate into dst whatever the compressed bytes at hand allow, reading
 * more only when nothing could be produced, and only if mayread.  Output
 * that filled dst last time may have left more inside zlib: that is
 * tried before reading.  Returns bytes produced, 0 at the end (or when
 * nothing could be produced without reading), -1 on error.
 */
static ssize_t
inflate_some(struct input *in, char *dst, size_t n, int mayread)
{
	ssize_t r;
	int zr, pending = in->zs.avail_out == 0 && !in->member_end;

	for (;;) {
		if (in->zs.avail_in == 0 && !pending) {
			if (!mayread)
				return 0;
			r = xread(in->fd, in->raw, RAWSZ);
			if (r == -1) {
				in->error = strerror(errno);
				return -1;
			}
			if (r == 0) {
				if (!in->member_end) {
					in->error = "gzip data truncated";
					return -1;
				}
				return 0;
			}
			in->zs.next_in = in->raw;
			in->zs.avail_in = (uInt)r;
		}
		pending = 0;
		if (in->member_end) {
			/* Another member follows: concatenated gzip. */
			if (inflateReset(&in->zs) != Z_OK) {
				in->error = "gzip reset failed";
				return -1;
			}
			in->member_end = 0;
		}
		in->zs.next_out = (unsigned char *)dst;
		in->zs.avail_out = (uInt)n;
		zr = inflate(&in->zs, Z_NO_FLUSH);
		if (zr == Z_STREAM_END)
			in->member_end = 1;
		else if (zr != Z_OK && zr != Z_BUF_ERROR) {
			in->error = "gzip data corrupt";
			return -1;
		}
		if (n - in->zs.avail_out > 0)
			return (ssize_t)(n - in->zs.avail_out);
	}
}

/*
 * The first read decides: gzip magic means inflate from here on, anything
 * else is passed through as it is.
 */
static ssize_t
start(struct input *in, char *dst, size_t n)
{
	ssize_t r, m;

	in->started = 1;
	in->raw = xmalloc(RAWSZ);
	r = xread(in->fd, in->raw, RAWSZ);
	/*
	 * A pipe may hand over the magic's first byte alone: only the next
	 * byte can tell gzip from text that starts with 0x1f.
	 */
	while (r == 1 && in->raw[0] == 0x1f) {
		if ((m = xread(in->fd, in->raw + 1, RAWSZ - 1)) <= 0) {
			r = m == -1 ? -1 : r;
			break;
		}
		r += m;
	}
	if (r == -1) {
		in->error = strerror(errno);
		return -1;
	}
	if (r >= 2 && in->raw[0] == 0x1f && in->raw[1] == 0x8b) {
		in->gzip = 1;
		if (inflateInit2(&in->zs, 15 + 16) != Z_OK) {
			in->error = "cannot start gzip";
			return -1;
		}
		in->zs.next_in = in->raw;
		in->zs.avail_in = (uInt)r;
		return inflate_some(in, dst, n, 1);
	}
	/* Plain data: hand the sniffed bytes over; raw is not needed. */
	if ((size_t)r > n)
		abort(); /* the caller always offers RAWSZ or more */
	memcpy(dst, in->raw, (size_t)r);
	free(in->raw);
	in->raw = NULL;
	return r;
}

static ssize_t
fill(struct input *in, char *dst, size_t n)
{
	ssize_t r;

	if (in->error != NULL)
		return -1; /* errors stick: gzip cannot go on anyway */
	if (!in->started)
		return start(in, dst, n);
	if (in->gzip)
		return inflate_some(in, dst, n, 1);
	r = xread(in->fd, dst, n);
	if (r == -1)
		in->error = strerror(errno);
	return r;
}

ssize_t
input_getline(struct input *in, char **line)
{
	ssize_t n;

	if (in->again) {
		in->again = 0;
		*line = in->last;
		in->lineno++;
		return in->lastlen;
	}
	n = next(in, line);
	in->last = n >= 0 ? *line : NULL;
	in->lastlen = n;
	return n;
}

void
input_unget(struct input *in)
{
	if (in->lastlen == INPUT_EOF || in->lastlen == INPUT_ERROR)
		return; /* they come again anyway */
	in->again = 1;
	in->lineno--;
}

/* 1 if a whole line is waiting in the buffer. */
static int
buffered_line(const struct input *in)
{
	return in->len > in->pos &&
	       memchr(in->buf + in->pos, '\n', in->len - in->pos) != NULL;
}

/*
 * The length of a line is checked when it is whole, so that the limit
 * does not depend on how the reads happened to fall.  A partial line is
 * dropped only once it is longer than the limit plus a CR.
 */
static ssize_t
next(struct input *in, char **line)
{
	char *nl, *s;
	size_t n;
	ssize_t r;

	for (;;) {
		if (in->scanned < in->pos)
			in->scanned = in->pos;
		nl = in->len > in->scanned ? memchr(in->buf + in->scanned, '\n',
						 in->len - in->scanned)
					   : NULL;
		in->scanned = nl != NULL ? (size_t)(nl - in->buf) + 1 : in->len;
		/* A line, a last line without its newline, or the end. */
		if (nl != NULL ||
		    (in->eof && (in->pos < in->len || in->skipping))) {
			s = in->buf + in->pos;
			n = nl != NULL ? (size_t)(nl - s) : in->len - in->pos;
			in->pos += nl != NULL ? n + 1 : n;
			in->lineno++;
			if (n > 0 && s[n - 1] == '\r')
				n--;
			if (in->skipping || n > (size_t)INPUT_MAX_LINE) {
				in->skipping = 0;
				return INPUT_TOOLONG;
			}
			/* A byte order mark, as Windows editors write. */
			if (in->lineno == 1 && n >= 3 &&
			    memcmp(s, "\xef\xbb\xbf", 3) == 0) {
				s += 3;
				n -= 3;
			}
			s[n] = '\0';
			*line = s;
			return (ssize_t)n;
		}
		if (in->eof)
			return INPUT_EOF;
		/* Keep the partial line at the front and read more. */
		if (in->pos > 0) {
			memmove(in->buf, in->buf + in->pos, in->len - in->pos);
			in->len -= in->pos;
			in->scanned -= in->pos;
			in->pos = 0;
		}
		if (in->len > (size_t)INPUT_MAX_LINE + 1) {
			/* Over-long: drop what we have, keep dropping. */
			in->skipping = 1;
			in->len = in->scanned = 0;
		}
		if (in->cap - in->len < RAWSZ) {
			in->cap = in->cap * 2 > in->len + RAWSZ
				      ? in->cap * 2
				      : in->len + RAWSZ;
			in->buf = xrealloc(in->buf, in->cap + 1);
		}
		r = fill(in, in->buf + in->len, in->cap - in->len);
		if (r == -1)
			return INPUT_ERROR;
		if (r == 0)
			in->eof = 1;
		in->len += (size_t)r;
	}
}

/*
 * A regular file never makes a reader wait.  A pipe does unless a line
 * is buffered, or, for gzip, can be inflated from bytes already read:
 * that is tried in the buffer's free space only, since the line last
 * returned points into the buffer and must not move.  When it cannot be
 * told, the answer is 0: the caller commits early, which is harmless.
 * input_wait() gives the producer up to ms milliseconds.
 */
int
input_ready(struct input *in)
{
	return input_wait(in, 0);
}

int
input_wait(struct input *in, int ms)
{
	struct pollfd p;
	ssize_t r;

	if (in->again || in->eof || in->regular || in->error != NULL ||
	    buffered_line(in))
		return 1;
	if (in->gzip) {
		while ((in->zs.avail_in > 0 || in->zs.avail_out == 0) &&
		       in->len < in->cap) {
			r = inflate_some(
			    in, in->buf + in->len, in->cap - in->len, 0);
			if (r == -1)
				return 1; /* the error comes at once */
			if (r == 0)
				break;
			in->len += (size_t)r;
			if (buffered_line(in))
				return 1;
		}
		if (in->zs.avail_in > 0 ||
		    (in->zs.avail_out == 0 && !in->member_end))
			return 0;
	}
	p.fd = in->fd;
	p.events = POLLIN;
	return poll(&p, 1, ms) != 0;
}

void
input_close(struct input *in)
{
	if (in == NULL)
		return;
	if (in->gzip)
		inflateEnd(&in->zs);
	if (in->fd != STDIN_FILENO)
		close(in->fd);
	free(in->raw);
	free(in->buf);
	free(in->name);
	free(in);
}

/* jansson's words for \u0000 name a flag of its API: say what it is. */
static void
plain_error(json_error_t *e)
{
	if (json_error_code(e) == json_error_null_character)
		snprintf(e->text, sizeof e->text,
		    "string contains a NUL character (\\u0000)");
}

json_t *
ndjson_parse(const char *line, size_t len, char *why, size_t whylen)
{
	json_error_t e;
	json_t *j;
	char *near;

	if (memchr(line, '\0', len) != NULL) {
		snprintf(why, whylen, "NUL byte in line");
		return NULL;
	}
	j = json_loadb(line, len, JSON_REJECT_DUPLICATES, &e);
	if (j == NULL) {
		/*
		 * jansson quotes the offending text ("near 'Zhang'"): that
		 * can be customer data, so it is cut off.
		 */
		if ((near = strstr(e.text, " near ")) != NULL)
			*near = '\0';
		plain_error(&e);
		snprintf(why, whylen, "invalid JSON at byte %d: %s", e.position,
		    e.text);
		return NULL;
	}
	if (!json_is_object(j)) {
		snprintf(why, whylen, "not a JSON object");
		json_decref(j);
		return NULL;
	}
	return j;
}

/* A file read for jansson, its byte order mark (if any) left out. */
struct bomless {
	int fd;
	int started;
	int error; /* errno of a failed read */
};

static size_t
bomless_read(void *buf, size_t len, void *arg)
{
	struct bomless *b = arg;
	size_t n = 0;
	ssize_t r;

	/* The mark's three bytes may come in more than one read. */
	do {
		if ((r = xread(b->fd, (char *)buf + n, len - n)) == -1) {
			b->error = errno;
			return (size_t)-1;
		}
		n += (size_t)r;
	} while (!b->started && r > 0 && n < 3 && n < len);
	if (!b->started) {
		b->started = 1;
		if (n >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
			memmove(buf, (char *)buf + 3, n - 3);
			n -= 3;
			/* 0 would tell jansson the file ended. */
			if (n == 0)
				return bomless_read(buf, len, arg);
		}
	}
	return n;
}

json_t *
ndjson_load_file(const char *path, size_t flags, json_error_t *e)
{
	struct bomless b = {-1, 0, 0};
	json_t *j;

	if ((b.fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		memset(e, 0, sizeof *e);
		e->line = e->column = -1;
		snprintf(e->source, sizeof e->source, "%s", path);
		snprintf(e->text, sizeof e->text, "unable to open %s: %s", path,
		    strerror(errno));
		return NULL;
	}
	j = json_load_callback(bomless_read, &b, flags, e);
	if (j == NULL)
		plain_error(e);
	if (b.error != 0) {
		json_decref(j);
		j = NULL;
		e->line = e->column = -1;
		snprintf(e->text, sizeof e->text, "%s", strerror(b.error));
	}
	close(b.fd);
	return j;
}

char *
ndjson_dump(const json_t *j, size_t *lenp)
{
	char *s = recdump(j, lenp), *js;
	size_t jl;

	if (s != NULL) {
		if (recsplice_checking()) {
			js = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY |
					       JSON_REAL_PRECISION(15));
			jl = js != NULL ? strlen(js) : 0;
			if (js == NULL || jl != *lenp || memcmp(js, s, jl) != 0)
				err_exit(EXIT_TROUBLE,
				    "FULFIL_SPLICE_CHECK: recdump wrote "
				    "otherwise than jansson");
			free(js);
		}
		return s;
	}
	/* Not one recdump writes (invalid UTF-8): jansson's, as before. */
	s = json_dumps(
	    j, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(15));

	if (s == NULL)
		err_exit(EXIT_TROUBLE, "cannot encode JSON: out of memory");
	*lenp = strlen(s);
	return s;
}

void
ndjson_put(const char *s, size_t len)
{
	if (fwrite(s, 1, len, stdout) != len || putchar('\n') == EOF)
		stdout_failed();
}

void
ndjson_stdout(void)
{
	/* glibc takes a size only with a buffer: given NULL, it keeps 4 KiB. */
	static char buf[64 * 1024];

	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, buf, _IOFBF, sizeof buf);
}

void
ndjson_write(const json_t *j)
{
	size_t len;
	char *s = ndjson_dump(j, &len);

	ndjson_put(s, len);
	free(s);
}

void
input_fail(const struct input *in)
{
	if (input_errline(in) > 0)
		err_exit(EXIT_TROUBLE, "%s:%ld: %s", input_name(in),
		    input_errline(in), input_error(in));
	err_exit(EXIT_TROUBLE, "%s: %s", input_name(in), input_error(in));
}

long
input_each(struct input *in,
    void (*fn)(void *, const char *, long, const char *, size_t), void *arg)
{
	return input_each_idle(in, fn, NULL, 0, arg);
}

long
input_each_idle(struct input *in,
    void (*fn)(void *, const char *, long, const char *, size_t),
    void (*idle)(void *), int ms, void *arg)
{
	long skipped = 0;
	char *line;
	ssize_t len;

	while ((len = input_getline(in, &line)) != INPUT_EOF) {
		if (len == INPUT_ERROR)
			input_fail(in);
		if (len == INPUT_TOOLONG) {
			err_line(input_name(in), input_lineno(in),
			    "line too long, skipped");
			skipped++;
			continue;
		}
		if (len > 0)
			fn(arg, input_name(in), input_lineno(in), line,
			    (size_t)len);
		if (idle != NULL && !input_wait(in, ms))
			idle(arg);
	}
	return skipped;
}

const char *
ndjson_str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

void
ndjson_set_time(json_t *o, const char *key, int64_t t, const char *tz)
{
	struct when w = when_in_zone(t, tz);
	char buf[WHEN_BUFSZ];

	json_object_set_new(o, key, json_string(when_format(&w, buf)));
}

struct input **
input_open_args(int argc, char **argv, int *n)
{
	static char *stdin_only[] = {"-", NULL};
	struct input **in;
	int i;

	if (argc == 0) {
		argv = stdin_only;
		argc = 1;
	}
	in = xcalloc((size_t)argc, sizeof *in);
	for (i = 0; i < argc; i++)
		if ((in[i] = input_open(argv[i])) == NULL)
			err_exit_sys(EXIT_TROUBLE, "cannot open '%s'", argv[i]);
	*n = argc;
	return in;
}

void
input_close_all(struct input **in, int n)
{
	int i;

	for (i = 0; i < n; i++)
		input_close(in[i]);
	free(in);
}
