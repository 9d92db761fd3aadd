#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvin.h"
#include "err.h"
#include "ndjson.h"
#include "tap.h"

/* The file under test: written, opened, and removed when done. */
struct csvfile {
	char path[32];
	struct input *in;
	struct csvin *c;
	char why[256];
};

static void
write_file(struct csvfile *f, const void *s, size_t len)
{
	FILE *fp;
	int fd;

	snprintf(f->path, sizeof f->path, "/tmp/test-csvin-XXXXXX");
	if ((fd = mkstemp(f->path)) == -1 || (fp = fdopen(fd, "wb")) == NULL ||
	    fwrite(s, 1, len, fp) != len || fclose(fp) != 0) {
		perror(f->path);
		exit(2);
	}
}

/* Write len bytes of s and open them as CSV; NULL csvin: see why. */
static struct csvin *
open_bytes(struct csvfile *f, const void *s, size_t len, int delim)
{
	write_file(f, s, len);
	if ((f->in = input_open(f->path)) == NULL) {
		perror(f->path);
		exit(2);
	}
	strcpy(f->why, "untouched");
	f->c = csvin_open(f->in, delim, f->why, sizeof f->why);
	return f->c;
}

static struct csvin *
open_text(struct csvfile *f, const char *s)
{
	return open_bytes(f, s, strlen(s), ',');
}

static struct csvin *
open_tsv(struct csvfile *f, const char *s)
{
	return open_bytes(f, s, strlen(s), '\t');
}

static void
close_file(struct csvfile *f)
{
	csvin_close(f->c);
	input_close(f->in);
	unlink(f->path);
	memset(f, 0, sizeof *f);
}

/* The fields of a row joined with '|', in a static buffer. */
static const char *
joined(const struct csvrow *row)
{
	static char buf[4096];
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < row->nf && n < sizeof buf; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s",
		    i > 0 ? "|" : "", row->f[i]);
	return buf;
}

/* The next row is a good one at line, with fields want ('|' between). */
static const struct csvrow *
row_is(struct csvfile *f, long line, const char *want, const char *name)
{
	struct csvrow *row = NULL;
	char why[256] = "";
	int r = csvin_next(f->c, &row, why, sizeof why);

	if (r != CSVIN_ROW) {
		ok(0, "%s: row at line %ld", name, line);
		printf("#   got %d: %s (line %ld)\n", r, why,
		    row != NULL ? row->line : -1);
		return NULL;
	}
	if (!ok(row->line == line && strcmp(joined(row), want) == 0,
		"%s: row at line %ld", name, line))
		printf("#   got line %ld '%s', want '%s'\n", row->line,
		    joined(row), want);
	return row;
}

/* The next row is bad at line, the reason starting with want. */
static const struct csvrow *
bad_is(struct csvfile *f, long line, const char *want, const char *name)
{
	struct csvrow *row = NULL;
	char why[256] = "";
	int r = csvin_next(f->c, &row, why, sizeof why);

	if (!ok(r == CSVIN_BAD && row != NULL && row->line == line &&
		    strncmp(why, want, strlen(want)) == 0,
		"%s: bad row at line %ld", name, line))
		printf("#   got %d '%s' at line %ld\n", r, why,
		    row != NULL ? row->line : -1);
	return r == CSVIN_BAD ? row : NULL;
}

static void
eof_is(struct csvfile *f, const char *name)
{
	struct csvrow *row;
	char why[256] = "";
	int r = csvin_next(f->c, &row, why, sizeof why);

	if (!ok(r == CSVIN_EOF, "%s: EOF", name))
		printf("#   got %d '%s' at line %ld\n", r, why, row->line);
}

static void
test_header(void)
{
	struct csvfile f;
	const struct csvrow *row;
	struct csvin *c;

	c = open_text(&f, "\xef\xbb\xbf Order ID ,QTY,\t sku \n1,2,x\n");
	ok(c != NULL, "open: a header with a BOM");
	is_int(csvin_ncolumns(c), 3, "three columns");
	is_int(csvin_column(c, "order id"), 0, "column 'order id'");
	is_int(csvin_column(c, "ORDER ID"), 0, "column 'ORDER ID'");
	is_int(csvin_column(c, "qty"), 1, "column 'qty'");
	is_int(csvin_column(c, "Sku"), 2, "column 'Sku'");
	is_int(csvin_column(c, "order"), -1, "no column 'order'");
	is_int(csvin_column(c, ""), -1, "no column ''");
	is_str(csvin_header(c), " Order ID ,QTY,\t sku ",
	    "the header as read, without the BOM");
	row = row_is(&f, 2, "1|2|x", "after a BOM header");
	ok(row != NULL && row->nf == 3, "the row has three fields");
	eof_is(&f, "after a BOM header");
	close_file(&f);

	c = open_text(&f, "\xef\xbb\xbf\"Order ID\",\"Qty\"\r\n\"A-1\",2\r\n");
	ok(c != NULL, "open: a BOM before a quoted header field");
	if (c == NULL)
		printf("#   why '%s'\n", f.why);
	is_int(c != NULL ? csvin_column(c, "order id") : -2, 0,
	    "the quoted first column after a BOM");
	if (c != NULL) {
		row_is(&f, 2, "A-1|2", "after a quoted BOM header");
		eof_is(&f, "after a quoted BOM header");
	}
	close_file(&f);

	c = open_text(&f, "a, B ,c,b,d,d\n");
	is_int(csvin_column(c, "b"), CSVIN_TWICE, "a name twice: CSVIN_TWICE");
	is_int(csvin_column(c, "c"), 2, "the other names still found");
	is_int(csvin_column(c, "D"), CSVIN_TWICE, "a name twice, case aside");
	close_file(&f);

	c = open_text(&f, "a,\xef\xbb\xbf"
			  "b\n");
	is_int(csvin_column(c, "b"), -1, "a BOM elsewhere is data");
	close_file(&f);

	c = open_text(&f, "\n\nname,qty\n\nx,1\n");
	ok(c != NULL && csvin_column(c, "qty") == 1,
	    "blank lines before the header");
	row_is(&f, 5, "x|1", "blank lines before the header");
	close_file(&f);

	c = open_text(&f, "a,b\n");
	ok(c != NULL && csvin_ncolumns(c) == 2, "open: only a header");
	eof_is(&f, "only a header");
	eof_is(&f, "only a header, again");
	close_file(&f);

	c = open_text(&f, "a,b");
	ok(c != NULL && csvin_ncolumns(c) == 2 &&
		strcmp(csvin_header(c), "a,b") == 0,
	    "open: only a header, no newline");
	eof_is(&f, "only a header, no newline");
	close_file(&f);

	c = open_text(&f, "");
	ok(c == NULL, "an empty file has no header");
	is_str(f.why, "no header row", "an empty file: why");
	close_file(&f);

	c = open_text(&f, "\n\r\n\n");
	ok(c == NULL, "blank lines only: no header");
	is_str(f.why, "no header row", "blank lines only: why");
	close_file(&f);

	c = open_text(&f, "\xef\xbb\xbf");
	ok(c == NULL && strcmp(f.why, "no header row") == 0,
	    "only a BOM: no header");
	close_file(&f);

	c = open_text(&f, "\"a,b\nc,d\n");
	ok(c == NULL, "an unterminated quote in the header");
	is_str(f.why, "unterminated quoted field",
	    "an unterminated quote in the header: why");
	close_file(&f);

	/* The header line given back after a look, as format sniffing does. */
	write_file(&f, "x,y\n1,2\n", 8);
	f.in = input_open(f.path);
	{
		char *line;

		input_getline(f.in, &line);
		input_unget(f.in);
	}
	f.c = csvin_open(f.in, ',', f.why, sizeof f.why);
	ok(f.c != NULL && csvin_column(f.c, "y") == 1,
	    "open after input_unget");
	row_is(&f, 2, "1|2", "open after input_unget");
	close_file(&f);
}

static void
test_quoted(void)
{
	struct csvfile f;
	const struct csvrow *row;

	open_text(&f, "a,b,c\n"
		      "1,\"x, y\",3\n"
		      "2,\"say \"\"hi\"\"\",\"\"\"\"\n"
		      "3,\"line one\nline two\",3\n"
		      "4,\"\",\"\"\n"
		      ",,\n"
		      "6,\"p\n\nq\",r\n"
		      " 7 , b ,c \n"
		      "8,\"x,\"\"\ny\"\"\",z\n"
		      "9,9,9");
	row_is(&f, 2, "1|x, y|3", "a comma inside quotes");
	row_is(&f, 3, "2|say \"hi\"|\"", "doubled quotes");
	row = row_is(&f, 4, "3|line one\nline two|3", "a newline in quotes");
	if (row != NULL) {
		is_str(row->raw, "3,\"line one\nline two\",3",
		    "the raw text holds both lines");
		is_int(row->rawlen, strlen(row->raw), "rawlen");
	}
	row_is(&f, 6, "4||", "empty quoted fields, line after two lines");
	row = row_is(&f, 7, "||", "three empty fields");
	ok(row != NULL && row->nf == 3, "three empty fields are three");
	row = row_is(&f, 8, "6|p\n\nq|r", "a blank line in quotes");
	if (row != NULL)
		is_str(row->raw, "6,\"p\n\nq\",r", "raw with a blank line");
	row_is(&f, 11, " 7 | b |c ", "blanks are kept");
	row_is(&f, 12, "8|x,\"\ny\"|z", "quotes and newline together");
	row = row_is(&f, 14, "9|9|9", "a last row without newline");
	if (row != NULL)
		is_str(row->raw, "9,9,9", "raw of the last row");
	eof_is(&f, "quoted");
	close_file(&f);

	open_text(&f, "a,b\r\n1,2\r\n\"x\r\ny\",3\r\n\r\n4,\"5\"\r\n");
	row_is(&f, 2, "1|2", "CRLF");
	row = row_is(&f, 3, "x\ny|3", "CRLF inside quotes");
	if (row != NULL)
		is_str(row->raw, "\"x\ny\",3", "CRLF: raw without CRs");
	row_is(&f, 6, "4|5", "CRLF after a blank line");
	eof_is(&f, "CRLF");
	close_file(&f);

	open_text(&f, "a,b\n\n1,2\n\n\n3,4\n\n");
	row_is(&f, 3, "1|2", "blank lines between rows");
	row_is(&f, 6, "3|4", "blank lines between rows");
	eof_is(&f, "blank lines between rows");
	close_file(&f);

	/* A CR left inside a line is data, not the end of a record. */
	open_text(&f, "a,b,c\n1,x\ry,3\n4,5,6\n");
	row = row_is(&f, 2, "1|x\ry|3", "a CR inside a line");
	if (row != NULL)
		is_str(row->raw, "1,x\ry,3", "a CR inside a line: raw");
	row_is(&f, 3, "4|5|6", "after a CR inside a line");
	eof_is(&f, "a CR inside a line");
	close_file(&f);
}

static void
test_bad(void)
{
	struct csvfile f;
	const struct csvrow *row;

	open_text(&f, "a,b,c\n1,2\n3,4,5\n6,7,8,9\n10,11,12\n");
	row = bad_is(&f, 2, "row has 2 fields, the header 3", "too few");
	ok(row != NULL && row->nf == 2 && strcmp(row->raw, "1,2") == 0,
	    "too few: the row is there");
	row_is(&f, 3, "3|4|5", "after too few");
	bad_is(&f, 4, "row has 4 fields, the header 3", "too many");
	row_is(&f, 5, "10|11|12", "after too many");
	eof_is(&f, "field counts");
	close_file(&f);

	open_text(&f, "w,x,y\n"
		      "a,\"b\"c,d\n"
		      "e,f,g\n"
		      "h\"i,j,k\n"
		      "\"l\" ,m,n\n"
		      "o,p,q\n");
	row = bad_is(&f, 2, "malformed quoted field", "a,\"b\"c,d");
	if (row != NULL) {
		is_str(row->raw, "a,\"b\"c,d", "malformed: the raw line");
		is_int(row->rawlen, 8, "malformed: rawlen");
	}
	row_is(&f, 3, "e|f|g", "after a malformed quote");
	bad_is(&f, 4, "malformed quoted field", "a quote inside a field");
	bad_is(&f, 5, "malformed quoted field", "a blank after a quote");
	row_is(&f, 6, "o|p|q", "after malformed quotes");
	eof_is(&f, "malformed");
	close_file(&f);

	/* A quote that never closes: its lines are read again. */
	open_text(&f, "a,b,c\n"
		      "1,2,3\n"
		      "4,\"oops,6\n"
		      "7,8,9\n"
		      "10,11,12\n"
		      "\n"
		      "13,14\n"
		      "15,16,17\n");
	row_is(&f, 2, "1|2|3", "unterminated");
	row = bad_is(&f, 3, "unterminated quoted field", "unterminated");
	if (row != NULL)
		is_str(row->raw, "4,\"oops,6", "unterminated: raw is its line");
	row_is(&f, 4, "7|8|9", "read again after unterminated");
	row_is(&f, 5, "10|11|12", "read again after unterminated");
	bad_is(&f, 7, "row has 2 fields",
	    "a short row read again after unterminated");
	row_is(&f, 8, "15|16|17", "read again after unterminated");
	eof_is(&f, "unterminated");
	eof_is(&f, "unterminated, again");
	close_file(&f);

	/*
	 * A stray quote further on closes it, and what follows that quote
	 * makes the record malformed: again its other lines are read again.
	 */
	open_text(&f, "a,b,c\n"
		      "1,2,3\n"
		      "4,\"oops,6\n"
		      "7,8,9\n"
		      "x\"y,1,2\n"
		      "13,14,15\n");
	row_is(&f, 2, "1|2|3", "closed by a stray quote");
	row =
	    bad_is(&f, 3, "malformed quoted field", "closed by a stray quote");
	if (row != NULL)
		is_str(row->raw, "4,\"oops,6", "closed by a stray quote: raw");
	row_is(&f, 4, "7|8|9", "read again after a stray quote");
	bad_is(&f, 5, "malformed quoted field", "the stray quote's line");
	row_is(&f, 6, "13|14|15", "after a stray quote");
	eof_is(&f, "closed by a stray quote");
	close_file(&f);

	/* Two of them: the second is among the lines read again. */
	open_text(&f, "a,b\n1,\"x\n2,3\n4,5\n6,\"y\n7,8\n");
	bad_is(&f, 2, "malformed quoted field", "two open quotes");
	row_is(&f, 3, "2|3", "two open quotes");
	row_is(&f, 4, "4|5", "two open quotes");
	bad_is(&f, 5, "unterminated quoted field", "two open quotes");
	row_is(&f, 6, "7|8", "two open quotes");
	eof_is(&f, "two open quotes");
	close_file(&f);

	open_text(&f, "a,b\n1,2\n3,\"open");
	row_is(&f, 2, "1|2", "unterminated last line");
	row = bad_is(
	    &f, 3, "unterminated quoted field", "unterminated last line");
	if (row != NULL)
		is_str(row->raw, "3,\"open", "unterminated last line: raw");
	eof_is(&f, "unterminated last line");
	close_file(&f);
}

/* A quote open for more than CSVIN_MAX_LINES lines gives up. */
static void
test_max_lines(void)
{
	struct csvfile f;
	struct csvrow *row;
	char *s = NULL, buf[64], why[256];
	size_t len = 0, cap = 0;
	long i, good = 0, last = 0;
	int r;

	/* The header, then a quote at line 2 that never closes. */
	for (i = 1; i <= 2 + 1500; i++) {
		if (i == 1)
			snprintf(buf, sizeof buf, "a,b\n");
		else if (i == 2)
			snprintf(buf, sizeof buf, "1,\"never closed\n");
		else
			snprintf(buf, sizeof buf, "%ld,v%ld\n", i, i);
		xgrow(&s, &cap, len + strlen(buf) + 1, 1);
		memcpy(s + len, buf, strlen(buf));
		len += strlen(buf);
	}
	open_bytes(&f, s, len, ',');
	bad_is(&f, 2, "unterminated quoted field", "1500 lines after a quote");
	while ((r = csvin_next(f.c, &row, why, sizeof why)) == CSVIN_ROW) {
		snprintf(buf, sizeof buf, "%ld|v%ld", row->line, row->line);
		if (row->line == last + 1 + (last == 0 ? 2 : 0) &&
		    strcmp(joined(row), buf) == 0)
			good++;
		last = row->line;
	}
	is_int(r, CSVIN_EOF, "1500 lines after a quote: then EOF");
	is_int(good, 1500,
	    "1500 lines after a quote: each read again, "
	    "numbered right");
	close_file(&f);

	/* Exactly CSVIN_MAX_LINES lines in one record is allowed. */
	len = 0;
	for (i = 1; i <= CSVIN_MAX_LINES + 2; i++) {
		if (i == 1)
			snprintf(buf, sizeof buf, "a,b\n");
		else if (i == 2)
			snprintf(buf, sizeof buf, "1,\"start\n");
		else if (i == CSVIN_MAX_LINES + 1)
			snprintf(buf, sizeof buf, "end\"\n");
		else if (i == CSVIN_MAX_LINES + 2)
			snprintf(buf, sizeof buf, "2,after\n");
		else
			snprintf(buf, sizeof buf, "mid\n");
		xgrow(&s, &cap, len + strlen(buf) + 1, 1);
		memcpy(s + len, buf, strlen(buf));
		len += strlen(buf);
	}
	open_bytes(&f, s, len, ',');
	r = csvin_next(f.c, &row, why, sizeof why);
	ok(r == CSVIN_ROW && row->line == 2 && row->nf == 2 &&
		strncmp(row->f[1], "start\nmid\n", 10) == 0 &&
		strcmp(row->f[1] + strlen(row->f[1]) - 4, "\nend") == 0,
	    "a record of CSVIN_MAX_LINES lines");
	row_is(&f, CSVIN_MAX_LINES + 2, "2|after", "after the longest record");
	eof_is(&f, "the longest record");
	close_file(&f);

	/* One line more is too many. */
	len = 0;
	for (i = 1; i <= CSVIN_MAX_LINES + 3; i++) {
		if (i == 1)
			snprintf(buf, sizeof buf, "a,b\n");
		else if (i == 2)
			snprintf(buf, sizeof buf, "1,\"start\n");
		else if (i == CSVIN_MAX_LINES + 2)
			snprintf(buf, sizeof buf, "end\",x\n");
		else if (i == CSVIN_MAX_LINES + 3)
			snprintf(buf, sizeof buf, "2,after\n");
		else
			snprintf(buf, sizeof buf, "m,%ld\n", i);
		xgrow(&s, &cap, len + strlen(buf) + 1, 1);
		memcpy(s + len, buf, strlen(buf));
		len += strlen(buf);
	}
	open_bytes(&f, s, len, ',');
	bad_is(&f, 2, "unterminated quoted field",
	    "a record of CSVIN_MAX_LINES + 1 lines");
	good = 0;
	for (i = 3; i <= CSVIN_MAX_LINES + 1; i++) {
		r = csvin_next(f.c, &row, why, sizeof why);
		snprintf(buf, sizeof buf, "m|%ld", i);
		if (r == CSVIN_ROW && row->line == i &&
		    strcmp(joined(row), buf) == 0)
			good++;
	}
	is_int(good, CSVIN_MAX_LINES - 1, "its other lines are read again");
	bad_is(&f, CSVIN_MAX_LINES + 2, "malformed quoted field",
	    "the stray closing quote");
	row_is(&f, CSVIN_MAX_LINES + 3, "2|after", "after too many lines");
	eof_is(&f, "too many lines");
	close_file(&f);
	free(s);
}

static void
test_tsv(void)
{
	struct csvfile f;
	struct csvin *c;

	c = open_tsv(&f, "name\tnote\n\"Zhang\"\tsays \"hi\"\n\"\t\"\"\n"
			 "a,b\tc\n");
	ok(c != NULL && csvin_ncolumns(c) == 2 && csvin_column(c, "note") == 1,
	    "TSV header");
	row_is(&f, 2, "\"Zhang\"|says \"hi\"", "TSV keeps quotes");
	row_is(&f, 3, "\"|\"\"", "TSV: lone quotes are data");
	row_is(&f, 4, "a,b|c", "TSV: commas are data");
	eof_is(&f, "TSV");
	close_file(&f);

	c = open_tsv(&f, "a\tb\n\"open\tx\nnext\tline\n");
	row_is(&f, 2, "\"open|x", "TSV: an opening quote opens nothing");
	row_is(&f, 3, "next|line", "TSV: the next line is its own row");
	eof_is(&f, "TSV open quote");
	close_file(&f);
}

static void
test_nul(void)
{
	static const char text[] = "a,b\n1,2\n3\0x,4\n5,6\n";
	static const char inquote[] = "a,b\n1,\"x\n\0y\",2\n3,4\n";
	struct csvfile f;
	const struct csvrow *row;

	open_bytes(&f, text, sizeof text - 1, ',');
	row_is(&f, 2, "1|2", "NUL");
	row = bad_is(&f, 3, "NUL byte in line", "NUL");
	ok(row != NULL && row->rawlen == 5 &&
		memcmp(row->raw, "3\0x,4", 5) == 0,
	    "NUL: the raw line whole");
	row_is(&f, 4, "5|6", "after a NUL");
	eof_is(&f, "NUL");
	close_file(&f);

	open_bytes(&f, inquote, sizeof inquote - 1, ',');
	bad_is(&f, 2, "quoted field runs into line 3, which has a NUL byte",
	    "NUL inside quotes");
	bad_is(&f, 3, "NUL byte in line", "NUL inside quotes, read again");
	row_is(&f, 4, "3|4", "after a NUL inside quotes");
	eof_is(&f, "NUL inside quotes");
	close_file(&f);
}

static void
test_toolong(void)
{
	struct csvfile f;
	const struct csvrow *row;
	size_t n = (size_t)INPUT_MAX_LINE + 1, len;
	char *s = xmalloc(n + 64);

	memcpy(s, "a,b\n1,2\n", 8);
	memset(s + 8, 'x', n);
	memcpy(s + 8 + n, "\n3,4\n", 5);
	open_bytes(&f, s, 8 + n + 5, ',');
	row_is(&f, 2, "1|2", "too long");
	row = bad_is(&f, 3, "line longer than", "too long");
	ok(row != NULL && row->rawlen == 0 && row->raw[0] == '\0' &&
		row->nf == 0,
	    "too long: no raw text");
	row_is(&f, 4, "3|4", "after too long");
	eof_is(&f, "too long");
	close_file(&f);

	/* Inside a quoted field: the record first, then the line. */
	len = 0;
	memcpy(s, "a,b\n1,\"open\n2,3\n", 16);
	len = 16;
	memset(s + len, 'x', n);
	len += n;
	memcpy(s + len, "\n4,5\n", 5);
	len += 5;
	open_bytes(&f, s, len, ',');
	row = bad_is(&f, 2, "quoted field runs into line 4, longer than",
	    "too long inside quotes");
	if (row != NULL)
		is_str(row->raw, "1,\"open", "too long inside quotes: raw");
	row_is(&f, 3, "2|3", "too long inside quotes: read again");
	row = bad_is(&f, 4, "line longer than", "too long inside quotes");
	ok(row != NULL && row->rawlen == 0 && row->raw[0] == '\0',
	    "too long inside quotes: no raw text");
	row_is(&f, 5, "4|5", "after too long inside quotes");
	eof_is(&f, "too long inside quotes");
	close_file(&f);
	free(s);
}

int
main(void)
{
	test_header();
	test_quoted();
	test_bad();
	test_max_lines();
	test_tsv();
	test_nul();
	test_toolong();
	return done_testing();
}
