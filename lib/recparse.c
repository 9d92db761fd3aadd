/*
 * recparse: a compact record read into JSON without jansson's reader
 * (recparse.h says which texts, and who owns what).
 *
 * Every rule below is jansson's (json_loadb() with
 * JSON_REJECT_DUPLICATES, as ndjson_parse() calls it) narrowed: where
 * jansson would take a text in a way this code does not do (a \u
 * escape, whitespace, a big integer), it declines and jansson reads it.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "ndjson.h"
#include "recparse.h"
#include "recsplice.h"
#include "utf8.h"

struct ps {
	const char *p, *end;
	/*
	 * recparse_scan(): where the top-level values are, and whether the
	 * text is canonical as recsplice_scan() means it (canon 0: not).
	 */
	struct recsplice *rs;
	int canon;
};

/*
 * Bytes that end a run of plain ASCII in a string: '"', '\\', control
 * bytes, and the first byte of a UTF-8 character (checked as jansson
 * checks it).
 */
static const unsigned char stop[256] = {
    [0 ... 0x1f] = 1, ['"'] = 1, ['\\'] = 1, [0x80 ... 0xff] = 1};

/*
 * The string whose opening quote was just read: its text [*s, *s+*n)
 * when it has no escape (*buf NULL), else decoded into *buf (malloc'd,
 * the caller frees).  -1 when declined.
 */
static int
string(struct ps *ps, const char **s, size_t *n, char **buf)
{
	const unsigned char *p = (const unsigned char *)ps->p,
			    *end = (const unsigned char *)ps->end, *st = p;
	int escaped = 0;
	size_t u;

	*buf = NULL;
	for (;;) {
		while (p < end && !stop[*p])
			p++;
		if (p == end)
			return -1;
		if (*p == '"')
			break;
		if (*p == '\\') {
			if (p + 1 == end ||
			    strchr("\"\\/bfnrt", p[1]) == NULL || p[1] == '\0')
				return -1; /* \u, or not an escape at all */
			escaped = 1;
			/* jansson writes '/' as it is: not canonical. */
			if (p[1] == '/')
				ps->canon = 0;
			p += 2;
		} else if (*p < 0x20)
			return -1;
		else if ((u = utf8_span((const char *)p, (size_t)(end - p))) ==
			 0)
			return -1;
		else
			p += u;
	}
	ps->p = (const char *)p + 1;
	if (!escaped) {
		*s = (const char *)st;
		*n = (size_t)(p - st);
		return 0;
	}
	{
		char *d = xmalloc((size_t)(p - st) + 1), *o = d;
		const unsigned char *q = st;

		while (q < p) {
			if (*q != '\\') {
				*o++ = (char)*q++;
				continue;
			}
			switch (q[1]) {
			case 'b':
				*o++ = '\b';
				break;
			case 'f':
				*o++ = '\f';
				break;
			case 'n':
				*o++ = '\n';
				break;
			case 'r':
				*o++ = '\r';
				break;
			case 't':
				*o++ = '\t';
				break;
			default:
				*o++ = (char)q[1];
				break; /* " \ / */
			}
			q += 2;
		}
		*buf = d;
		*s = d;
		*n = (size_t)(o - d);
	}
	return 0;
}

/*
 * A number: jansson's grammar, -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?,
 * an integer when it has neither fraction nor exponent.
 */
static json_t *
number(struct ps *ps)
{
	const char *p = ps->p, *end = ps->end, *st = p, *digits;
	int real = 0;

	if (p < end && *p == '-')
		p++;
	digits = p;
	if (p == end || *p < '0' || *p > '9')
		return NULL;
	if (*p == '0') {
		p++;
		if (p < end && *p >= '0' && *p <= '9')
			return NULL;
	} else
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	if (p < end && *p == '.') {
		p++;
		real = 1;
		if (p == end || *p < '0' || *p > '9')
			return NULL;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		real = 1;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (p == end || *p < '0' || *p > '9')
			return NULL;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	}
	ps->p = p;
	if (!real) {
		/* 18 digits always fit; jansson reads more (or refuses). */
		json_int_t v = 0;
		const char *q;

		if (p - digits > 18)
			return NULL;
		if (*st == '-' && *digits == '0')
			ps->canon = 0; /* read as 0, written "0" */
		if (p - st > 18)
			ps->canon = 0; /* recsplice_scan(): 18 bytes at most */
		for (q = digits; q < p; q++)
			v = v * 10 + (*q - '0');
		return json_integer(*st == '-' ? -v : v);
	}
	{
		char num[64], *e;
		double v;

		if ((size_t)(p - st) >= sizeof num)
			return NULL;
		memcpy(num, st, (size_t)(p - st));
		num[p - st] = '\0';
		errno = 0;
		v = strtod(num, &e);
		/* jansson refuses an overflow; an underflow: let it say. */
		if (*e != '\0' || errno != 0 || !isfinite(v))
			return NULL;
		if (ps->rs != NULL && ps->canon) {
			/* Canonical when jansson writes it back as it is. */
			char back[64];
			json_t *r = json_real(v);
			size_t bl = json_dumpb(r, back, sizeof back,
			    JSON_COMPACT | JSON_ENCODE_ANY |
				JSON_REAL_PRECISION(15));

			if (bl != (size_t)(p - st) || memcmp(back, st, bl) != 0)
				ps->canon = 0;
			return r;
		}
		return json_real(v);
	}
}

static json_t *value(struct ps *ps, int depth);

static json_t *
object(struct ps *ps, int depth)
{
	json_t *o = json_object(), *v;
	const char *k;
	size_t kl, size = 0;
	char *kb;

	if (ps->p < ps->end && *ps->p == '}') {
		ps->p++;
		return o;
	}
	for (;;) {
		const char *kst, *vst;

		if (ps->p == ps->end || *ps->p != '"')
			goto no;
		kst = ++ps->p;
		if (string(ps, &k, &kl, &kb) == -1)
			goto no;
		if (ps->p == ps->end || *ps->p != ':') {
			free(kb);
			goto no;
		}
		vst = ++ps->p;
		if ((v = value(ps, depth)) == NULL) {
			free(kb);
			goto no;
		}
		if (depth == 1 && ps->rs != NULL && ps->canon) {
			/* Top-level names are matched as they are. */
			struct recsplice *rs = ps->rs;

			if (kb != NULL || rs->n == RECSPLICE_KEYS)
				ps->canon = 0;
			else {
				rs->k[rs->n].koff = (uint32_t)(kst - rs->text);
				rs->k[rs->n].klen = (uint32_t)kl;
				rs->k[rs->n].voff = (uint32_t)(vst - rs->text);
				rs->k[rs->n].vlen = (uint32_t)(ps->p - vst);
				rs->n++;
			}
		}
		json_object_setn_new_nocheck(o, k, kl, v);
		free(kb);
		/* A key twice: jansson refuses the line; let it say so. */
		if (json_object_size(o) != ++size)
			goto no;
		if (ps->p == ps->end)
			goto no;
		if (*ps->p == '}') {
			ps->p++;
			return o;
		}
		if (*ps->p++ != ',')
			goto no;
	}
no:
	json_decref(o);
	return NULL;
}

static json_t *
array(struct ps *ps, int depth)
{
	json_t *a = json_array(), *v;

	if (ps->p < ps->end && *ps->p == ']') {
		ps->p++;
		return a;
	}
	for (;;) {
		if ((v = value(ps, depth)) == NULL)
			goto no;
		json_array_append_new(a, v);
		if (ps->p == ps->end)
			goto no;
		if (*ps->p == ']') {
			ps->p++;
			return a;
		}
		if (*ps->p++ != ',')
			goto no;
	}
no:
	json_decref(a);
	return NULL;
}

static json_t *
value(struct ps *ps, int depth)
{
	const char *s;
	size_t n;
	char *buf;
	json_t *v;

	if (ps->p == ps->end)
		return NULL;
	switch (*ps->p) {
	case '{':
		if (depth == RECPARSE_DEPTH)
			return NULL;
		if (depth >= RECSPLICE_DEPTH)
			ps->canon = 0;
		ps->p++;
		return object(ps, depth + 1);
	case '[':
		if (depth == RECPARSE_DEPTH)
			return NULL;
		if (depth >= RECSPLICE_DEPTH)
			ps->canon = 0;
		ps->p++;
		return array(ps, depth + 1);
	case '"':
		ps->p++;
		if (string(ps, &s, &n, &buf) == -1)
			return NULL;
		v = json_stringn_nocheck(s, n);
		free(buf);
		return v;
	case 't':
		if (ps->end - ps->p < 4 || memcmp(ps->p, "true", 4) != 0)
			return NULL;
		ps->p += 4;
		return json_true();
	case 'f':
		if (ps->end - ps->p < 5 || memcmp(ps->p, "false", 5) != 0)
			return NULL;
		ps->p += 5;
		return json_false();
	case 'n':
		if (ps->end - ps->p < 4 || memcmp(ps->p, "null", 4) != 0)
			return NULL;
		ps->p += 4;
		return json_null();
	default:
		return number(ps);
	}
}

json_t *
recparse_scan(const char *text, size_t len, struct recsplice *rs)
{
	struct ps ps = {text, text + len, rs, 1};
	json_t *j;

	if (rs != NULL) {
		rs->text = text;
		rs->len = len;
		rs->n = 0;
	}
	if (len == 0 || text[0] != '{' || len >= UINT32_MAX)
		j = NULL;
	else {
		ps.p++;
		if ((j = object(&ps, 1)) != NULL && ps.p != ps.end) {
			json_decref(j);
			j = NULL;
		}
	}
	if (rs != NULL && (j == NULL || !ps.canon))
		rs->n = -1;
	return j;
}

json_t *
recparse(const char *text, size_t len)
{
	return recparse_scan(text, len, NULL);
}

json_t *
recparse_line(const char *text, size_t len, char *why, size_t whylen)
{
	return recparse_line_scan(text, len, why, whylen, NULL);
}

json_t *
recparse_line_scan(const char *text, size_t len, char *why, size_t whylen,
    struct recsplice *rs)
{
	json_t *j = recparse_scan(text, len, rs), *full;
	struct recsplice again;
	char *a, *b;
	size_t al, bl;
	int same;

	if (j == NULL)
		return ndjson_parse(text, len, why, whylen);
	if (recsplice_checking()) {
		full = ndjson_parse(text, len, NULL, 0);
		same = full != NULL && json_equal(j, full);
		if (same) {
			/* json_equal() does not see the order of keys. */
			a = ndjson_dump(j, &al);
			b = ndjson_dump(full, &bl);
			same = al == bl && memcmp(a, b, al) == 0;
			free(a);
			free(b);
		}
		json_decref(full);
		/* And the scan as recsplice_scan() makes it. */
		if (same && rs != NULL) {
			recsplice_scan(&again, text, len);
			same = again.n == rs->n &&
			       (rs->n <= 0 ||
				   memcmp(again.k, rs->k,
				       (size_t)rs->n * sizeof *rs->k) == 0);
		}
		if (!same)
			err_exit(EXIT_TROUBLE,
			    "FULFIL_SPLICE_CHECK: a record read by recparse "
			    "is not what jansson reads");
	}
	return j;
}
