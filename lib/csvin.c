#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <csv.h>

#include "csvin.h"
#include "err.h"
#include "ndjson.h"

/* One record being built or waiting to be handed out. */
struct rec {
	struct csvrow row;
	char *buf; /* fields, each NUL-terminated */
	size_t len, cap;
	size_t *off; /* field offsets into buf */
	size_t capoff;
	size_t caprow; /* capacity of row.f */
	size_t caprw;  /* capacity of row.raw */
};

/* A line kept to be read again after an unterminated quote. */
struct line {
	char *s;
	size_t len;
	long no;
};

struct csvin {
	struct input *in;
	struct csv_parser p;
	int delim;
	int eof;
	struct rec cur;   /* the record being parsed */
	struct rec *done; /* completed records, a queue */
	size_t ndone, firstdone, capdone;
	int inrec; /* a record has begun */
	long recline;
	struct line *lines; /* lines of the current record */
	size_t nlines, caplines;
	struct line *replay; /* lines to read again */
	size_t nreplay, posreplay, capreplay;
	char *feed; /* line plus LF for libcsv */
	size_t capfeed;
	char **cols; /* header names, trimmed */
	size_t ncols;
	char *header;
	struct rec out; /* the row handed out last */
};

static int
nospace(unsigned char c)
{
	(void)c;
	return 0; /* fields are trimmed by whoever reads them */
}

/*
 * Records end at LF only.  libcsv would also end one at a CR, which the
 * input has already taken off line ends: one left inside a line is data,
 * not a second record with the first one's line number and text.
 */
static int
isterm(unsigned char c)
{
	return c == '\n';
}

static void
parser_init(struct csvin *c)
{
	if (csv_init(&c->p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) !=
	    0)
		err_exit(EXIT_TROUBLE, "libcsv: cannot initialise");
	csv_set_delim(&c->p, (unsigned char)c->delim);
	/* Tab-separated reports are not quoted; NUL never reaches here. */
	csv_set_quote(&c->p, c->delim == '\t' ? '\0' : '"');
	csv_set_space_func(&c->p, nospace);
	csv_set_term_func(&c->p, isterm);
}

static void
add_field(void *s, size_t len, void *arg)
{
	struct csvin *c = arg;
	struct rec *r = &c->cur;

	xgrow(&r->buf, &r->cap, r->len + len + 1, 1);
	xgrow(&r->off, &r->capoff, r->row.nf + 1, sizeof *r->off);
	r->off[r->row.nf++] = r->len;
	if (len > 0)
		memcpy(r->buf + r->len, s, len);
	r->len += len;
	r->buf[r->len++] = '\0';
}

static void
copy_raw(struct csvin *c, struct rec *r)
{
	size_t i, n = 0;

	for (i = 0; i < c->nlines; i++)
		n += c->lines[i].len + 1;
	xgrow(&r->row.raw, &r->caprw, n + 1, 1);
	n = 0;
	for (i = 0; i < c->nlines; i++) {
		memcpy(r->row.raw + n, c->lines[i].s, c->lines[i].len);
		n += c->lines[i].len;
		if (i + 1 < c->nlines)
			r->row.raw[n++] = '\n';
	}
	r->row.raw[n] = '\0';
	r->row.rawlen = n;
}

/* Move the finished current record onto the queue. */
static void
end_record(int ch, void *arg)
{
	struct csvin *c = arg;
	struct rec *r, tmp;
	size_t i, nc;

	(void)ch;
	if (c->firstdone == c->ndone)
		c->firstdone = c->ndone = 0;
	if (c->ndone == c->capdone) {
		/* Slots are recycled with their buffers, so zero new ones. */
		nc = c->capdone ? c->capdone * 2 : 4;
		c->done = xrealloc(c->done, nc * sizeof *c->done);
		memset(c->done + c->capdone, 0,
		    (nc - c->capdone) * sizeof *c->done);
		c->capdone = nc;
	}
	r = &c->done[c->ndone];
	/* Swap buffers: the queue slot takes the parsed fields. */
	tmp = *r;
	*r = c->cur;
	c->cur = tmp;
	c->cur.len = 0;
	c->cur.row.nf = 0;
	xgrow(&r->row.f, &r->caprow, r->row.nf + 1, sizeof *r->row.f);
	for (i = 0; i < r->row.nf; i++)
		r->row.f[i] = r->buf + r->off[i];
	r->row.line = c->recline;
	copy_raw(c, r);
	c->ndone++;
	c->inrec = 0;
}

static void
free_rec(struct rec *r)
{
	free(r->buf);
	free(r->off);
	free(r->row.f);
	free(r->row.raw);
}

static void
clear_lines(struct csvin *c)
{
	size_t i;

	for (i = 0; i < c->nlines; i++)
		free(c->lines[i].s);
	c->nlines = 0;
}

/* The next line, from the replay list first; INPUT_* codes as ndjson. */
static ssize_t
next_line(struct csvin *c, char **s, long *no)
{
	struct line *l;
	ssize_t n;

	if (c->posreplay < c->nreplay) {
		l = &c->replay[c->posreplay++];
		*no = l->no;
		if (l->s == NULL) {
			/* A line too long, to be reported in its turn. */
			n = INPUT_TOOLONG;
		} else {
			xgrow(&c->feed, &c->capfeed, l->len + 2, 1);
			memcpy(c->feed, l->s, l->len);
			c->feed[l->len] = '\0';
			free(l->s);
			*s = c->feed;
			n = (ssize_t)l->len;
		}
		if (c->posreplay == c->nreplay)
			c->posreplay = c->nreplay = 0;
		return n;
	}
	n = input_getline(c->in, s);
	*no = input_lineno(c->in);
	return n;
}

/*
 * Give up on the current record: the first of its lines is the bad one,
 * the others are read again, before any lines already waiting.  If
 * toolong is a line number, that line (too long to keep) follows them,
 * to be reported in its turn.
 */
static void
abandon(struct csvin *c, struct rec *bad, long toolong)
{
	size_t keep = c->nlines, k = keep > 0 ? keep - 1 : 0, w, i;
	size_t extra = toolong > 0 ? 1 : 0;
	struct line *nr;

	c->nlines = keep > 0 ? 1 : 0;
	copy_raw(c, bad);
	c->nlines = keep;
	bad->row.line = c->recline;
	bad->row.nf = 0;
	if (k + extra > 0) {
		w = c->nreplay - c->posreplay;
		nr = xcalloc(k + extra + w + 1, sizeof *nr);
		for (i = 1; i < keep; i++)
			nr[i - 1] = c->lines[i];
		if (extra)
			nr[k].no = toolong; /* s stays NULL */
		if (w > 0)
			memcpy(nr + k + extra, c->replay + c->posreplay,
			    w * sizeof *nr);
		free(c->replay);
		c->replay = nr;
		c->capreplay = k + extra + w + 1;
		c->nreplay = k + extra + w;
		c->posreplay = 0;
	}
	if (keep > 0)
		free(c->lines[0].s);
	c->nlines = 0;
	csv_free(&c->p);
	parser_init(c);
	c->cur.len = 0;
	c->cur.row.nf = 0;
	c->inrec = 0;
}

static void
keep_line(struct csvin *c, const char *s, size_t len, long no)
{
	xgrow(&c->lines, &c->caplines, c->nlines + 1, sizeof *c->lines);
	c->lines[c->nlines].s = xstrndup(s, len);
	c->lines[c->nlines].len = len;
	c->lines[c->nlines++].no = no;
}

/*
 * Read lines into the parser until a record is complete.  Returns
 * CSVIN_ROW with the record on the queue, or another CSVIN_ code.
 */
static int
parse_more(struct csvin *c, char *why, size_t whylen)
{
	ssize_t n;
	long no;
	char *s;

	while (c->firstdone == c->ndone) {
		if (c->eof)
			return CSVIN_EOF;
		n = next_line(c, &s, &no);
		if (n == INPUT_ERROR) {
			snprintf(why, whylen, "%s", input_error(c->in));
			return CSVIN_ERROR;
		}
		if (n == INPUT_TOOLONG) {
			if (c->inrec) {
				/*
				 * Inside a quoted field: its record goes the
				 * way of an unterminated one, and the line is
				 * reported after the lines read again.
				 */
				abandon(c, &c->out, no);
				snprintf(why, whylen,
				    "quoted field runs into "
				    "line %ld, longer than %ld bytes",
				    no, INPUT_MAX_LINE);
				return CSVIN_BAD;
			}
			xgrow(&c->out.row.raw, &c->out.caprw, 1, 1);
			c->out.row.raw[0] = '\0';
			c->out.row.rawlen = 0;
			c->out.row.nf = 0;
			c->out.row.line = no;
			snprintf(why, whylen, "line longer than %ld bytes",
			    INPUT_MAX_LINE);
			return CSVIN_BAD;
		}
		if (n == INPUT_EOF) {
			c->eof = 1;
			if (csv_fini(&c->p, add_field, end_record, c) != 0) {
				abandon(c, &c->out, 0);
				c->eof = c->nreplay == 0;
				snprintf(why, whylen,
				    "unterminated quoted "
				    "field");
				return CSVIN_BAD;
			}
			continue;
		}
		if (!c->inrec) {
			if (n == 0)
				continue; /* blank lines between rows */
			c->inrec = 1;
			c->recline = no;
		}
		keep_line(c, s, (size_t)n, no);
		if (memchr(s, '\0', (size_t)n) != NULL) {
			/* Inside a quoted field, the line is read again. */
			if (c->nlines > 1)
				snprintf(why, whylen,
				    "quoted field runs into "
				    "line %ld, which has a NUL byte",
				    no);
			else
				snprintf(why, whylen, "NUL byte in line");
			abandon(c, &c->out, 0);
			return CSVIN_BAD;
		}
		if (s != c->feed) {
			xgrow(&c->feed, &c->capfeed, (size_t)n + 2, 1);
			memcpy(c->feed, s, (size_t)n);
		}
		c->feed[n] = '\n';
		if (csv_parse(&c->p, c->feed, (size_t)n + 1, add_field,
			end_record, c) != (size_t)n + 1) {
			abandon(c, &c->out, 0);
			snprintf(why, whylen, "malformed quoted field");
			return CSVIN_BAD;
		}
		if (c->firstdone == c->ndone && c->nlines >= CSVIN_MAX_LINES) {
			abandon(c, &c->out, 0);
			snprintf(why, whylen, "unterminated quoted field");
			return CSVIN_BAD;
		}
		if (c->firstdone < c->ndone)
			clear_lines(c);
	}
	return CSVIN_ROW;
}

int
csvin_next(struct csvin *c, struct csvrow **row, char *why, size_t whylen)
{
	struct rec tmp;
	int r;

	r = parse_more(c, why, whylen);
	*row = &c->out.row;
	if (r != CSVIN_ROW)
		return r;
	/* Hand out the oldest queued record by swapping it into out. */
	tmp = c->out;
	c->out = c->done[c->firstdone];
	c->done[c->firstdone++] = tmp;
	if (c->cols != NULL && c->out.row.nf != c->ncols) {
		snprintf(why, whylen, "row has %zu fields, the header %zu",
		    c->out.row.nf, c->ncols);
		return CSVIN_BAD;
	}
	return CSVIN_ROW;
}

struct csvin *
csvin_open(struct input *in, int delim, char *why, size_t whylen)
{
	struct csvin *c = xcalloc(1, sizeof *c);
	struct csvrow *row;
	size_t i;
	char *s, *e;
	int r;

	c->in = in;
	c->delim = delim;
	parser_init(c);
	r = csvin_next(c, &row, why, whylen);
	if (r != CSVIN_ROW) {
		if (r == CSVIN_EOF)
			snprintf(why, whylen, "no header row");
		csvin_close(c);
		return NULL;
	}
	c->header = xstrdup(row->raw);
	c->ncols = row->nf;
	c->cols = xcalloc(row->nf + 1, sizeof *c->cols);
	for (i = 0; i < row->nf; i++) {
		s = row->f[i];
		while (isspace((unsigned char)*s))
			s++;
		e = s + strlen(s);
		while (e > s && isspace((unsigned char)e[-1]))
			e--;
		c->cols[i] = xstrndup(s, (size_t)(e - s));
	}
	return c;
}

int
csvin_column(const struct csvin *c, const char *name)
{
	size_t i;
	int col = -1;

	for (i = 0; i < c->ncols; i++)
		if (strcasecmp(c->cols[i], name) == 0) {
			if (col != -1)
				return CSVIN_TWICE;
			col = (int)i;
		}
	return col;
}

size_t
csvin_ncolumns(const struct csvin *c)
{
	return c->ncols;
}

const char *
csvin_column_name(const struct csvin *c, size_t i)
{
	return i < c->ncols ? c->cols[i] : NULL;
}

const char *
csvin_header(const struct csvin *c)
{
	return c->header;
}

void
csvin_close(struct csvin *c)
{
	size_t i;

	if (c == NULL)
		return;
	csv_free(&c->p);
	free_rec(&c->cur);
	free_rec(&c->out);
	for (i = 0; i < c->capdone; i++)
		free_rec(&c->done[i]);
	free(c->done);
	clear_lines(c);
	free(c->lines);
	for (i = c->posreplay; i < c->nreplay; i++)
		free(c->replay[i].s);
	free(c->replay);
	free(c->feed);
	for (i = 0; i < c->ncols; i++)
		free(c->cols[i]);
	free(c->cols);
	free(c->header);
	free(c);
}
