#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <zlib.h>

#include "err.h"
#include "ndjson.h"
#include "tap.h"

#define MAXLINE ((size_t)INPUT_MAX_LINE)

/* Text being put together for a test file. */
struct text {
	char *p;
	size_t len, cap;
};

static void
add(struct text *t, const void *s, size_t len)
{
	xgrow(&t->p, &t->cap, t->len + len + 1, 1);
	memcpy(t->p + t->len, s, len);
	t->len += len;
}

static void
adds(struct text *t, const char *s)
{
	add(t, s, strlen(s));
}

/* n bytes of a pattern that starts at seed, so a cut or shift shows. */
static void
addpat(struct text *t, size_t n, unsigned seed)
{
	size_t i;

	xgrow(&t->p, &t->cap, t->len + n + 1, 1);
	for (i = 0; i < n; i++)
		t->p[t->len + i] = (char)('a' + (seed + i) % 26);
	t->len += n;
}

static int
ispat(const char *s, size_t n, unsigned seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] != (char)('a' + (seed + i) % 26))
			return 0;
	return 1;
}

static void
text_free(struct text *t)
{
	free(t->p);
	memset(t, 0, sizeof *t);
}

/* Temporary files, removed at the end. */
static char tmpnames[64][32];
static int ntmp;

static const char *
tmpname(void)
{
	int fd;
	char *name;

	if (ntmp == 64)
		abort();
	name = tmpnames[ntmp++];
	snprintf(name, sizeof tmpnames[0], "/tmp/test-ndjson-XXXXXX");
	if ((fd = mkstemp(name)) == -1) {
		perror("mkstemp");
		exit(2);
	}
	close(fd);
	return name;
}

static void
cleanup(void)
{
	int i;

	for (i = 0; i < ntmp; i++)
		unlink(tmpnames[i]);
}

static const char *
plainfile(const void *s, size_t len)
{
	const char *name = tmpname();
	FILE *f = fopen(name, "wb");

	if (f == NULL || fwrite(s, 1, len, f) != len || fclose(f) != 0) {
		perror(name);
		exit(2);
	}
	return name;
}

/* Append one gzip member holding s to the file name ("wb" or "ab"). */
static void
gzmember(const char *name, const char *mode, const void *s, size_t len)
{
	gzFile g = gzopen(name, mode);

	if (g == NULL ||
	    (len > 0 && gzwrite(g, s, (unsigned)len) != (int)len) ||
	    gzclose(g) != Z_OK) {
		fprintf(stderr, "gzip %s failed\n", name);
		exit(2);
	}
}

static const char *
gzfile(const void *s, size_t len)
{
	const char *name = tmpname();

	gzmember(name, "wb", s, len);
	return name;
}

#define plainstr(s) plainfile(s, strlen(s))
#define gzstr(s) gzfile(s, strlen(s))

static long
filesize(const char *name)
{
	FILE *f = fopen(name, "rb");
	long n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0)
		return -1;
	n = ftell(f);
	fclose(f);
	return n;
}

/* The next line is want (of wantlen bytes) and line number no. */
static void
line_is(struct input *in, const char *want, size_t wantlen, long no,
    const char *name)
{
	char *line = NULL;
	ssize_t n = input_getline(in, &line);

	if (!ok(n == (ssize_t)wantlen && memcmp(line, want, wantlen) == 0 &&
		    line[wantlen] == '\0' && input_lineno(in) == no,
		"%s: line %ld", name, no)) {
		printf("#   got %zd", n);
		if (n >= 0)
			printf(" '%.*s'", (int)(n < 60 ? n : 60), line);
		printf(" at line %ld\n", input_lineno(in));
	}
}

static void
code_is(struct input *in, ssize_t want, long no, const char *name)
{
	char *line;
	ssize_t n = input_getline(in, &line);

	if (!ok(n == want && input_lineno(in) == no, "%s: %s at line %ld", name,
		want == INPUT_EOF       ? "EOF"
		: want == INPUT_TOOLONG ? "too long"
					: "error",
		no))
		printf("#   got %zd at line %ld\n", n, input_lineno(in));
}

#define LINE(in, s, no, name) line_is(in, s, strlen(s), no, name)

static void
test_plain(void)
{
	static const char nul[] = "a\0b\nc\0\0\n";
	struct input *in;
	const char *name;
	char *line, *first;

	name = plainstr("one\ntwo\n\nfour\n");
	in = input_open(name);
	ok(in != NULL, "input_open a file");
	is_str(input_name(in), name, "input_name is the path");
	is_int(input_lineno(in), 0, "no line read yet");
	LINE(in, "one", 1, "LF");
	LINE(in, "two", 2, "LF");
	LINE(in, "", 3, "LF empty line");
	LINE(in, "four", 4, "LF");
	code_is(in, INPUT_EOF, 4, "LF");
	code_is(in, INPUT_EOF, 4, "LF again");
	input_close(in);

	in = input_open(plainstr("one\r\ntwo\r\n\r\nx\ry\r\nlast"));
	LINE(in, "one", 1, "CRLF");
	LINE(in, "two", 2, "CRLF");
	LINE(in, "", 3, "CRLF empty line");
	LINE(in, "x\ry", 4, "CRLF keeps a CR inside");
	LINE(in, "last", 5, "CRLF last line without newline");
	code_is(in, INPUT_EOF, 5, "CRLF");
	input_close(in);

	in = input_open(plainstr(""));
	code_is(in, INPUT_EOF, 0, "empty file");
	input_close(in);

	in = input_open(plainstr("\n\n"));
	LINE(in, "", 1, "only newlines");
	LINE(in, "", 2, "only newlines");
	code_is(in, INPUT_EOF, 2, "only newlines");
	input_close(in);

	in = input_open(plainstr("\x1f"));
	line_is(in, "\x1f", 1, 1, "half a gzip magic is plain text");
	input_close(in);

	in = input_open(plainfile(nul, sizeof nul - 1));
	line_is(in, "a\0b", 3, 1, "embedded NUL");
	line_is(in, "c\0\0", 3, 2, "embedded NULs");
	code_is(in, INPUT_EOF, 2, "embedded NUL");
	input_close(in);

	in = input_open(plainstr("a\nb\n"));
	input_getline(in, &first);
	input_unget(in);
	is_int(input_lineno(in), 0, "input_unget steps the line number back");
	ok(input_getline(in, &line) == 1 && line == first &&
		strcmp(line, "a") == 0 && input_lineno(in) == 1,
	    "input_unget: the same line again, same number");
	input_unget(in);
	LINE(in, "a", 1, "input_unget twice");
	LINE(in, "b", 2, "after input_unget");
	input_unget(in);
	LINE(in, "b", 2, "input_unget of the last line");
	code_is(in, INPUT_EOF, 2, "after input_unget");
	input_unget(in);
	code_is(in, INPUT_EOF, 2, "input_unget after EOF: EOF again");
	input_close(in);

	errno = 0;
	in = input_open("/nonexistent/test-ndjson");
	ok(in == NULL && errno == ENOENT, "a missing file: NULL and ENOENT");

	in = input_open("/tmp");
	ok(in != NULL, "a directory opens");
	code_is(in, INPUT_ERROR, 0, "reading a directory");
	is_str(input_error(in), strerror(EISDIR), "reading a directory: why");
	input_close(in);
}

/* Lines from stdin, which input_close() leaves open. */
static void
test_stdin(void)
{
	struct input *in;
	int saved = dup(STDIN_FILENO);
	FILE *f = fopen(plainstr("from stdin\n"), "rb");

	fflush(stdout);
	dup2(fileno(f), STDIN_FILENO);
	in = input_open("-");
	is_str(input_name(in), "<stdin>", "input_name of - is <stdin>");
	LINE(in, "from stdin", 1, "stdin");
	code_is(in, INPUT_EOF, 1, "stdin");
	input_close(in);
	ok(fcntl(STDIN_FILENO, F_GETFD) != -1, "input_close leaves stdin open");
	dup2(saved, STDIN_FILENO);
	close(saved);
	fclose(f);
}

static void
test_long(void)
{
	struct text t = {0};
	struct input *in;
	char *line;
	ssize_t n;

	adds(&t, "short\n");
	addpat(&t, 1024 * 1024, 1);
	adds(&t, "\n");
	adds(&t, "tail\n");
	in = input_open(plainfile(t.p, t.len));
	LINE(in, "short", 1, "1 MiB");
	n = input_getline(in, &line);
	ok(n == 1024 * 1024 && ispat(line, (size_t)n, 1) && line[n] == '\0' &&
		input_lineno(in) == 2,
	    "a 1 MiB line is read whole");
	LINE(in, "tail", 3, "1 MiB");
	input_close(in);
	text_free(&t);

	/* Over-long lines are skipped, once each; the count goes on. */
	adds(&t, "first\n");
	addpat(&t, MAXLINE + 10, 2);
	adds(&t, "\n");
	adds(&t, "after\n");
	addpat(&t, 3 * MAXLINE, 3);
	adds(&t, "\n");
	adds(&t, "end\n");
	in = input_open(plainfile(t.p, t.len));
	LINE(in, "first", 1, "too long");
	code_is(in, INPUT_TOOLONG, 2, "too long");
	input_unget(in);
	is_int(input_lineno(in), 1, "input_unget of a line too long");
	code_is(in, INPUT_TOOLONG, 2, "too long again after input_unget");
	LINE(in, "after", 3, "too long");
	code_is(in, INPUT_TOOLONG, 4, "three times too long");
	LINE(in, "end", 5, "too long");
	code_is(in, INPUT_EOF, 5, "too long");
	input_close(in);
	text_free(&t);

	/* The limit itself is allowed, CR or not. */
	addpat(&t, MAXLINE, 4);
	adds(&t, "\n");
	addpat(&t, MAXLINE, 5);
	adds(&t, "\r\n");
	addpat(&t, MAXLINE + 1, 6);
	adds(&t, "\r\n");
	adds(&t, "ok\n");
	in = input_open(plainfile(t.p, t.len));
	n = input_getline(in, &line);
	ok(n == (ssize_t)MAXLINE && ispat(line, MAXLINE, 4) &&
		input_lineno(in) == 1,
	    "a line of INPUT_MAX_LINE bytes is read");
	n = input_getline(in, &line);
	ok(n == (ssize_t)MAXLINE && ispat(line, MAXLINE, 5) &&
		line[n] == '\0' && input_lineno(in) == 2,
	    "a line of INPUT_MAX_LINE bytes and CRLF is read");
	code_is(in, INPUT_TOOLONG, 3, "INPUT_MAX_LINE + 1 bytes");
	LINE(in, "ok", 4, "at the limit");
	input_close(in);
	text_free(&t);

	/* An over-long last line without its newline is still reported. */
	adds(&t, "first\n");
	addpat(&t, MAXLINE + 1024 * 1024, 7);
	in = input_open(plainfile(t.p, t.len));
	LINE(in, "first", 1, "too long at EOF");
	code_is(in, INPUT_TOOLONG, 2, "too long at EOF");
	code_is(in, INPUT_EOF, 2, "too long at EOF");
	input_close(in);
	text_free(&t);

	/* The same when the end comes right after a part was dropped. */
	adds(&t, "first\n");
	addpat(&t, 2 * MAXLINE, 8);
	in = input_open(plainfile(t.p, t.len));
	LINE(in, "first", 1, "twice too long at EOF");
	code_is(in, INPUT_TOOLONG, 2, "twice too long at EOF");
	code_is(in, INPUT_EOF, 2, "twice too long at EOF");
	input_close(in);
	text_free(&t);

	addpat(&t, MAXLINE + 1, 8);
	in = input_open(plainfile(t.p, t.len));
	code_is(in, INPUT_TOOLONG, 1, "only one line, too long, no newline");
	code_is(in, INPUT_EOF, 1, "only one line, too long, no newline");
	input_close(in);
	text_free(&t);
}

static void
test_gzip(void)
{
	struct text t = {0};
	struct input *in;
	const char *name;
	char *line;
	ssize_t n;
	long size;
	FILE *f;
	int i, lines;

	name = gzstr("one\ntwo\r\n\nlast");
	in = input_open(name);
	is_str(input_name(in), name, "gzip: input_name is the path");
	LINE(in, "one", 1, "gzip");
	LINE(in, "two", 2, "gzip CRLF");
	LINE(in, "", 3, "gzip empty line");
	LINE(in, "last", 4, "gzip last line without newline");
	code_is(in, INPUT_EOF, 4, "gzip");
	input_close(in);

	name = gzstr("m1a\nm1b\nhalf");
	gzmember(name, "ab", " and half\nm2b\n", 14);
	gzmember(name, "ab", "m3\n", 3);
	in = input_open(name);
	LINE(in, "m1a", 1, "two gzip members");
	LINE(in, "m1b", 2, "two gzip members");
	LINE(in, "half and half", 3, "a line across gzip members");
	LINE(in, "m2b", 4, "second gzip member");
	LINE(in, "m3", 5, "third gzip member");
	code_is(in, INPUT_EOF, 5, "gzip members");
	input_close(in);

	name = gzstr("");
	in = input_open(name);
	code_is(in, INPUT_EOF, 0, "gzip of nothing");
	input_close(in);

	/* Much more than one buffer, and an over-long line. */
	for (i = 0; i < 20000; i++) {
		char buf[64];

		snprintf(buf, sizeof buf, "{\"n\":%d}\n", i);
		adds(&t, buf);
	}
	addpat(&t, 1024 * 1024, 9);
	adds(&t, "\n");
	addpat(&t, MAXLINE + 5, 10);
	adds(&t, "\nend");
	in = input_open(gzfile(t.p, t.len));
	for (i = 0, lines = 0; i < 20000; i++) {
		char want[64];

		n = input_getline(in, &line);
		snprintf(want, sizeof want, "{\"n\":%d}", i);
		if (n == (ssize_t)strlen(want) && strcmp(line, want) == 0 &&
		    input_lineno(in) == i + 1)
			lines++;
	}
	is_int(lines, 20000, "gzip: 20000 short lines");
	n = input_getline(in, &line);
	ok(n == 1024 * 1024 && ispat(line, (size_t)n, 9),
	    "gzip: a 1 MiB line is read whole");
	code_is(in, INPUT_TOOLONG, 20002, "gzip: too long");
	LINE(in, "end", 20003, "gzip: after too long");
	code_is(in, INPUT_EOF, 20003, "gzip: big");
	input_close(in);
	text_free(&t);

	/* Cut off in the trailer: every line is there, the end is not. */
	name = gzstr("hello\nworld\n");
	size = filesize(name);
	ok(size > 8 && truncate(name, size - 4) == 0, "truncate a gzip file");
	in = input_open(name);
	LINE(in, "hello", 1, "truncated gzip");
	LINE(in, "world", 2, "truncated gzip");
	code_is(in, INPUT_ERROR, 2, "truncated gzip");
	is_str(input_error(in), "gzip data truncated", "truncated gzip: why");
	is_int(input_errline(in), 3, "truncated gzip: line 3 was being read");
	input_close(in);

	/* Cut off in the middle of the data. */
	for (i = 0; i < 5000; i++)
		addpat(&t, 30, (unsigned)i), adds(&t, "\n");
	name = gzfile(t.p, t.len);
	text_free(&t);
	size = filesize(name);
	ok(truncate(name, size / 2) == 0, "truncate a gzip file in half");
	in = input_open(name);
	lines = 0;
	while ((n = input_getline(in, &line)) >= 0)
		if (n == 30 && ispat(line, 30, (unsigned)lines))
			lines++;
	ok(n == INPUT_ERROR && lines > 0 && lines < 5000 &&
		input_lineno(in) == lines,
	    "gzip truncated in half: the lines before, then an error");
	is_str(input_error(in), "gzip data truncated",
	    "gzip truncated in half: why");
	is_int(input_errline(in), lines + 1,
	    "gzip truncated in half: in the line after them");
	input_close(in);

	/* Only the magic. */
	in = input_open(plainstr("\x1f\x8b"));
	code_is(in, INPUT_ERROR, 0, "gzip magic alone");
	is_str(input_error(in), "gzip data truncated", "gzip magic alone: why");
	is_int(input_errline(in), 0, "gzip magic alone: no line begun");
	input_close(in);

	/* A bad check value at the end. */
	name = gzstr("hello\nworld\n");
	size = filesize(name);
	f = fopen(name, "r+b");
	fseek(f, size - 8, SEEK_SET);
	i = fgetc(f);
	fseek(f, size - 8, SEEK_SET);
	fputc(i ^ 0xff, f);
	fclose(f);
	in = input_open(name);
	while ((n = input_getline(in, &line)) >= 0)
		;
	is_int(n, INPUT_ERROR, "gzip with a bad CRC: an error");
	is_str(
	    input_error(in), "gzip data corrupt", "gzip with a bad CRC: why");
	input_close(in);

	/* A reserved block type right after the header. */
	name = gzstr("hello\nworld\n");
	f = fopen(name, "r+b");
	fseek(f, 10, SEEK_SET);
	fputc(0xff, f);
	fclose(f);
	in = input_open(name);
	code_is(in, INPUT_ERROR, 0, "corrupt gzip data");
	is_str(input_error(in), "gzip data corrupt", "corrupt gzip data: why");
	input_close(in);

	/* Garbage where a second member should start. */
	name = gzstr("hello\n");
	f = fopen(name, "ab");
	fputs("\x1f\x8bnot gzip at all", f);
	fclose(f);
	in = input_open(name);
	LINE(in, "hello", 1, "garbage after a member");
	code_is(in, INPUT_ERROR, 1, "garbage after a member");
	is_str(input_error(in), "gzip data corrupt",
	    "garbage after a member: why");
	input_close(in);
}

/* Block until the other end writes a byte; 0, or -1 after 5 s. */
static int
await(int fd)
{
	struct pollfd p = {fd, POLLIN, 0};
	char c;

	if (poll(&p, 1, 5000) != 1 || read(fd, &c, 1) != 1)
		return -1;
	return 0;
}

static void
sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, ms % 1000 * 1000000L};

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

static void
put(int fd, const void *s, size_t n)
{
	if (write(fd, s, n) != (ssize_t)n)
		_exit(3);
}

/* One whole gzip member holding s, made in memory; its length. */
static size_t
gzmem(const char *s, unsigned char *out, size_t cap)
{
	z_stream zs;
	size_t n;

	memset(&zs, 0, sizeof zs);
	if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
	    Z_OK)
		abort();
	zs.next_in = (unsigned char *)(uintptr_t)s;
	zs.avail_in = (uInt)strlen(s);
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	if (deflate(&zs, Z_FINISH) != Z_STREAM_END)
		abort();
	n = cap - zs.avail_out;
	deflateEnd(&zs);
	return n;
}

/*
 * Producers, each the writing end of a pipe in a child process.  They
 * wait for the reader's word on acks where a reader that waited for more
 * than was written would hang; they exit 1 if the word never comes.
 */

/* "first\nsecond\n"; word; 200 ms; "third\n"; word. */
static void
plain_producer(int out, int acks)
{
	int r;

	put(out, "first\nsecond\n", 13);
	r = await(acks);
	sleep_ms(200);
	put(out, "third\n", 6);
	r |= await(acks);
	_exit(r != 0);
}

/* The same, gzip with a sync flush after each write. */
static void
gzip_producer(int out, int acks)
{
	gzFile g = gzdopen(out, "wb");
	int r;

	if (g == NULL)
		_exit(3);
	gzputs(g, "first\nsecond\n");
	gzflush(g, Z_SYNC_FLUSH);
	r = await(acks);
	sleep_ms(200);
	gzputs(g, "third\n");
	gzflush(g, Z_SYNC_FLUSH);
	r |= await(acks);
	gzclose(g);
	_exit(r != 0);
}

/* Two whole gzip members in one write; word; 200 ms; a third; word. */
static void
members_producer(int out, int acks)
{
	unsigned char gz[256];
	size_t n;
	int r;

	n = gzmem("first\n", gz, sizeof gz);
	n += gzmem("second\n", gz + n, sizeof gz - n);
	put(out, gz, n);
	r = await(acks);
	sleep_ms(200);
	put(out, gz, gzmem("third\n", gz, sizeof gz));
	r |= await(acks);
	_exit(r != 0);
}

/* A gzip member whose first byte comes alone, 100 ms before the rest. */
static void
split_producer(int out, int acks)
{
	unsigned char gz[256];
	size_t n = gzmem("first\nsecond\n", gz, sizeof gz);
	int r;

	put(out, gz, 1);
	sleep_ms(100);
	put(out, gz + 1, n - 1);
	r = await(acks);
	put(out, gz, gzmem("third\n", gz, sizeof gz));
	r |= await(acks);
	_exit(r != 0);
}

/*
 * Every producer sends the lines "first", "second" and "third", the
 * third only after the reader said it has the second.
 */
static void
test_pipe(const char *what, void (*producer)(int, int))
{
	int data[2], acks[2], status;
	char path[32];
	struct input *in;
	pid_t pid;

	fflush(stdout);
	if (pipe(data) == -1 || pipe(acks) == -1 || (pid = fork()) == -1) {
		ok(0, "%s: set up", what);
		return;
	}
	if (pid == 0) {
		close(data[0]);
		close(acks[1]);
		producer(data[1], acks[0]);
	}
	close(data[1]);
	close(acks[0]);
	snprintf(path, sizeof path, "/dev/fd/%d", data[0]);
	in = input_open(path);
	close(data[0]);
	ok(in != NULL, "%s: open", what);
	LINE(in, "first", 1, what);
	is_int(input_ready(in), 1, "%s: ready, the second line is there", what);
	LINE(in, "second", 2, what);
	is_int(
	    input_ready(in), 0, "%s: not ready while the producer waits", what);
	is_int(write(acks[1], "a", 1), 1, "%s: tell the producer", what);
	LINE(in, "third", 3, what);
	is_int(write(acks[1], "b", 1), 1, "%s: tell the producer", what);
	code_is(in, INPUT_EOF, 3, what);
	is_int(input_ready(in), 1, "%s: ready at EOF", what);
	input_close(in);
	close(acks[1]);
	ok(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
		WEXITSTATUS(status) == 0,
	    "%s: lines came without waiting for the end", what);
}

#define BOM "\xef\xbb\xbf"

/* A byte order mark is dropped once, at the start of an input. */
static void
test_bom(void)
{
	struct input *in;
	char *first, *line;

	in = input_open(plainstr(BOM "{\"a\":1}\n" BOM "x\n"));
	LINE(in, "{\"a\":1}", 1, "BOM: dropped before the first line");
	LINE(in, BOM "x", 2, "BOM: kept further on");
	input_close(in);

	in = input_open(plainstr(BOM "one\r\n"));
	input_getline(in, &first);
	input_unget(in);
	ok(input_getline(in, &line) == 3 && line == first &&
		strcmp(line, "one") == 0,
	    "BOM: dropped with CRLF, and the same after input_unget");
	input_close(in);

	in = input_open(plainstr(BOM "\nx"));
	LINE(in, "", 1, "BOM: alone on the first line");
	LINE(in, "x", 2, "BOM: alone on the first line");
	input_close(in);

	in = input_open(plainstr("\xef\xbb\n"));
	LINE(in, "\xef\xbb", 1, "BOM: two bytes of one are data");
	input_close(in);

	in = input_open(gzstr(BOM "gz\n"));
	LINE(in, "gz", 1, "BOM: inside gzip");
	input_close(in);
}

/* A writer that hands over a byte order mark alone, then the JSON. */
static void
bom_producer(int out)
{
	put(out, BOM, 3);
	sleep_ms(50);
	put(out, "{\"b\":2}", 7);
	_exit(0);
}

static void
test_load_file(void)
{
	json_error_t e;
	char path[32];
	int p[2], status;
	json_t *j;
	pid_t pid;

	j = ndjson_load_file(plainstr(BOM "{\"a\": 1}\n"), 0, &e);
	is_int(json_integer_value(json_object_get(j, "a")), 1,
	    "ndjson_load_file: after a BOM");
	json_decref(j);
	j = ndjson_load_file(plainstr(BOM "{\n \"a\": x}"), 0, &e);
	ok(j == NULL && e.line == 2 && e.column == 7,
	    "ndjson_load_file: the error's line and column, BOM or not");
	if (j == NULL)
		printf("#   %d:%d: %s\n", e.line, e.column, e.text);
	j = ndjson_load_file(plainstr("{\"a\": \"\\u0000\"}"), 0, &e);
	is_str(j == NULL ? e.text : NULL,
	    "string contains a NUL character (\\u0000)",
	    "ndjson_load_file: \\u0000 in plain words");
	j = ndjson_load_file(plainstr("\xef\xbb\xbf"), 0, &e);
	ok(j == NULL && e.line == 1, "ndjson_load_file: a BOM is no JSON");
	j = ndjson_load_file("/nonexistent/x.json", 0, &e);
	ok(j == NULL && e.line == -1 &&
		strcmp(e.text, "unable to open /nonexistent/x.json: No such "
			       "file or directory") == 0,
	    "ndjson_load_file: a missing file");
	j = ndjson_load_file("/tmp", 0, &e);
	ok(j == NULL && e.line == -1 && strcmp(e.text, strerror(EISDIR)) == 0,
	    "ndjson_load_file: a directory");

	fflush(stdout);
	if (pipe(p) == -1 || (pid = fork()) == -1) {
		ok(0, "ndjson_load_file from a pipe: set up");
		return;
	}
	if (pid == 0) {
		close(p[0]);
		bom_producer(p[1]);
	}
	close(p[1]);
	snprintf(path, sizeof path, "/dev/fd/%d", p[0]);
	j = ndjson_load_file(path, 0, &e);
	close(p[0]);
	is_int(json_integer_value(json_object_get(j, "b")), 2,
	    "ndjson_load_file: a BOM that comes alone from a pipe");
	json_decref(j);
	waitpid(pid, &status, 0);
}

/* ndjson_parse fails with a reason that starts with want. */
static void
parse_fails(const char *s, size_t len, const char *want, const char *secret)
{
	char why[256] = "untouched";
	json_t *j = ndjson_parse(s, len, why, sizeof why);

	if (!ok(j == NULL && strncmp(why, want, strlen(want)) == 0,
		"ndjson_parse rejects %s: %s", secret != NULL ? secret : "it",
		want))
		printf("#   why '%s'\n", why);
	if (secret != NULL)
		if (!ok(strstr(why, secret) == NULL,
			"the reason does not quote '%s'", secret))
			printf("#   why '%s'\n", why);
	json_decref(j);
}

static void
test_parse(void)
{
	static const char nul[] = "{\"a\":\"x\0y\"}";
	const char *s;
	char why[256], c;
	json_t *j;
	int pos;

	s = "{\"name\":\"Zhang Wei\",\"qty\":2}";
	j = ndjson_parse(s, strlen(s), why, sizeof why);
	ok(json_is_object(j) &&
		json_integer_value(json_object_get(j, "qty")) == 2 &&
		strcmp(json_string_value(json_object_get(j, "name")),
		    "Zhang Wei") == 0,
	    "ndjson_parse reads an object");
	json_decref(j);
	s = " \t{} ";
	j = ndjson_parse(s, strlen(s), why, sizeof why);
	ok(json_is_object(j) && json_object_size(j) == 0,
	    "ndjson_parse: blanks around an empty object");
	json_decref(j);
	s = "{\"a\":1}{\"b\":2}";
	j = ndjson_parse(s, 7, why, sizeof why);
	ok(json_is_object(j) && json_object_size(j) == 1,
	    "ndjson_parse reads len bytes only");
	json_decref(j);
	s = "{\"city\":\"\xe4\xb8\x8a\xe6\xb5\xb7\"}";
	j = ndjson_parse(s, strlen(s), why, sizeof why);
	is_str(json_string_value(json_object_get(j, "city")),
	    "\xe4\xb8\x8a\xe6\xb5\xb7", "ndjson_parse keeps UTF-8");
	json_decref(j);

	parse_fails("[1,2]", 5, "not a JSON object", NULL);
	parse_fails("\"Zhang\"", 7, "invalid JSON at byte", "Zhang");
	parse_fails("42", 2, "invalid JSON at byte", NULL);
	parse_fails("", 0, "invalid JSON at byte", NULL);
	parse_fails("{\"a\":", 5, "invalid JSON at byte", NULL);
	parse_fails("{\"name\":\"Zhang", 14, "invalid JSON at byte", "Zhang");
	parse_fails("{\"name\": Zhang}", 15, "invalid JSON at byte", "Zhang");
	parse_fails("{\"name\": Zhang}", 15, "invalid JSON at byte", "'Z");
	parse_fails(
	    "{\"a\":1} trailing", 16, "invalid JSON at byte", "trailing");
	parse_fails("{\"a\":\"\xff\xfe\"}", 9, "invalid JSON at byte", "\xff");
	parse_fails("{\"a\":\"\xc3\"}", 8, "invalid JSON at byte", "\xc3");
	parse_fails(
	    "{\"name\":\"Zh\\qang\"}", 18, "invalid JSON at byte", "Zh");
	parse_fails(
	    "{\"Zhang\":1,\"Zhang\":2}", 21, "invalid JSON at byte", "Zhang");
	parse_fails(nul, sizeof nul - 1, "NUL byte in line", NULL);
	parse_fails("{\"a\":\"x\\u0000y\"}", 15,
	    "invalid JSON at byte 15: string contains a NUL character "
	    "(\\u0000)",
	    "JSON_ALLOW_NUL");
	parse_fails("\0{}", 3, "NUL byte in line", NULL);

	s = "{\"a\":1,\"a\":2}";
	ok(ndjson_parse(s, strlen(s), why, sizeof why) == NULL &&
		strstr(why, "duplicate") != NULL,
	    "duplicate keys are rejected");
	s = "{\"name\": Zhang}";
	ok(ndjson_parse(s, strlen(s), why, sizeof why) == NULL &&
		sscanf(why, "invalid JSON at byte %d: %c", &pos, &c) == 2 &&
		pos >= 9 && pos <= (int)strlen(s),
	    "the reason gives the byte");
	s = "[]";
	ok(ndjson_parse(s, strlen(s), why, 6) == NULL &&
		strcmp(why, "not a") == 0,
	    "the reason is cut to fit");
}

static void
test_dump(void)
{
	json_t *j =
	    json_pack("{s:i,s:s,s:[i,b]}", "a", 1, "b", "x\ny", "c", 2, 1);
	char *s, out[128];
	size_t len = 0;
	int p[2], status;
	ssize_t n, got = 0;
	pid_t pid;

	s = ndjson_dump(j, &len);
	is_str(s, "{\"a\":1,\"b\":\"x\\ny\",\"c\":[2,true]}",
	    "ndjson_dump is compact, one line");
	is_int(len, strlen(s), "ndjson_dump gives the length");
	free(s);

	fflush(stdout);
	if (pipe(p) == -1 || (pid = fork()) == -1) {
		ok(0, "ndjson_write: set up");
		json_decref(j);
		return;
	}
	if (pid == 0) {
		close(p[0]);
		dup2(p[1], STDOUT_FILENO);
		ndjson_write(j);
		ndjson_put("raw", 3);
		json_decref(j);
		_exit(fflush(stdout) != 0);
	}
	close(p[1]);
	while ((n = read(p[0], out + got, sizeof out - 1 - (size_t)got)) > 0)
		got += n;
	out[got] = '\0';
	close(p[0]);
	ok(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
		WEXITSTATUS(status) == 0,
	    "ndjson_write: the writer exits 0");
	is_str(out, "{\"a\":1,\"b\":\"x\\ny\",\"c\":[2,true]}\nraw\n",
	    "ndjson_write and ndjson_put write lines to stdout");
	json_decref(j);
}

int
main(void)
{
	test_plain();
	test_stdin();
	test_long();
	test_gzip();
	test_pipe("pipe", plain_producer);
	test_pipe("gzip pipe", gzip_producer);
	test_pipe("gzip members in one read", members_producer);
	test_pipe("gzip magic split across reads", split_producer);
	test_bom();
	test_load_file();
	test_parse();
	test_dump();
	cleanup();
	return done_testing();
}
