/*
 * ndjson: the stream every tool reads and writes.
 *
 * An input is a file or stdin read line by line.  Compressed input is
 * recognised by the gzip magic, not by the file name, and inflated with
 * zlib as it streams (concatenated members too).  Reads never wait for
 * more than the producer has written, so a tool in the middle of a pipe
 * sees each line as soon as it is complete.  A line ends at LF; a CR
 * before it is dropped, and so is a UTF-8 byte order mark at the start
 * of the (inflated) input.  Lines longer than INPUT_MAX_LINE are skipped
 * and reported, never truncated.
 *
 * Ownership: input_open() returns an input the caller closes with
 * input_close().  The line returned by input_getline() is NUL-terminated,
 * belongs to the input and is valid until the next call.
 *
 * Output: ndjson_put() writes one line to stdout; a write error ends the
 * process (EPIPE quietly, see err.h).  ndjson_dump() returns a compact
 * dump the caller frees.  ndjson_parse() returns a new reference.
 */
#ifndef FULFIL_NDJSON_H
#define FULFIL_NDJSON_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <jansson.h>

#define INPUT_MAX_LINE (16L * 1024 * 1024)

enum {
	INPUT_EOF = -1,    /* no more lines */
	INPUT_ERROR = -2,  /* read or gzip error: see input_error() */
	INPUT_TOOLONG = -3 /* a line was too long and skipped */
};

struct input;

/*
 * Open path for reading; "-" is stdin.  On failure returns NULL with errno
 * set and prints nothing.
 */
struct input *input_open(const char *path);
/*
 * The files a tool is given, or its standard input when none is named,
 * all opened (exits 2 naming the first that cannot be); *n gets how many.
 * input_close_all() closes them and frees the array.
 */
struct input **input_open_args(int argc, char **argv, int *n);
void input_close_all(struct input **, int n);
/* Display name for messages: the path, or "<stdin>". */
const char *input_name(const struct input *);
/*
 * Next line into *line, its length as the result (embedded NUL bytes are
 * kept: the length tells).  Or one of INPUT_EOF, INPUT_ERROR,
 * INPUT_TOOLONG; after INPUT_TOOLONG reading may go on.
 */
ssize_t input_getline(struct input *, char **line);
/*
 * Give the line last returned back: the next input_getline() returns it
 * (or INPUT_TOOLONG) again.  Only right after an input_getline().
 */
void input_unget(struct input *);
/* Number of the line last returned (1-based). */
long input_lineno(const struct input *);
/* What went wrong after INPUT_ERROR, as "gzip data corrupt" etc. */
const char *input_error(const struct input *);
/*
 * The line being read when INPUT_ERROR came (the one after the last
 * returned), or 0 if it came before any byte of the input: messages
 * then name the file alone, never "file:0".
 */
long input_errline(const struct input *);
/* After INPUT_ERROR: say so, naming file and line, and exit 2. */
void input_fail(const struct input *) __attribute__((noreturn));
/*
 * 1 if another line can be read without waiting for the producer: used
 * to commit work before blocking on a slow pipe.
 */
int input_ready(struct input *);
/* The same, waiting up to ms milliseconds for the producer. */
int input_wait(struct input *, int ms);
void input_close(struct input *);

/*
 * Parse one line as a JSON object.  Returns a new reference, or NULL with
 * a reason (no input text in it, so no customer data) in why.
 */
json_t *ndjson_parse(const char *line, size_t len, char *why, size_t whylen);
/*
 * Every non-empty line of in to fn, with the input's name and the line's
 * number; a line too long is reported ("file:line: line too long,
 * skipped") and counted in the return value.  A read error exits 2.
 */
long input_each(struct input *,
    void (*fn)(
	void *arg, const char *file, long line, const char *text, size_t len),
    void *arg);
/*
 * The same; after a line, when the next one has not come within ms
 * milliseconds (input_wait()), idle(arg) is called before waiting on.
 */
long input_each_idle(struct input *,
    void (*fn)(
	void *arg, const char *file, long line, const char *text, size_t len),
    void (*idle)(void *arg), int ms, void *arg);
/*
 * json_load_file() for the files people edit (fulfil.json, column
 * maps): a UTF-8 byte order mark before the JSON is skipped, and the
 * error's line and column are counted without it.  Returns a new
 * reference, or NULL with e set (line -1 when the file cannot be read).
 */
json_t *ndjson_load_file(const char *path, size_t flags, json_error_t *e);
/* Set o's key to the RFC 3339 time t as shown in zone tz. */
void ndjson_set_time(json_t *o, const char *key, int64_t t, const char *tz);
/* The string member key of o, or NULL. */
const char *ndjson_str(const json_t *o, const char *key);

/* Compact one-line dump; *lenp gets its length.  Caller frees. */
char *ndjson_dump(const json_t *, size_t *lenp);
/* Write s (len bytes) and a newline to stdout. */
void ndjson_put(const char *s, size_t len);
/*
 * A stage's stdout, before anything is written to it: into a pipe or a
 * file in 64 KiB writes, not the default 4 KiB (a line of ours is 1-3 KB:
 * a write a line or two).  A terminal keeps its line buffering.
 */
void ndjson_stdout(void);
/* Dump and write one object. */
void ndjson_write(const json_t *);

#endif
