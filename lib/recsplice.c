/*
 * recsplice: records written by splicing their text (recsplice.h says
 * when that is the same bytes as a dump, and who owns what).
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "ndjson.h"
#include "recsplice.h"

/* The bytes that end a run of a string's plain text: '"', '\\', controls. */
static const unsigned char stops[256] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, ['"'] = 1, ['\\'] = 1};

/*
 * The string at text[*at], its opening quote; *at past its close, and
 * *escaped set if it has an escape.
 */
static int
scan_string(const char *text, size_t len, size_t *at, int *escaped)
{
	size_t i = *at + 1;

	for (; i < len; i++) {
		while (i < len && !stops[(unsigned char)text[i]])
			i++;
		if (i == len)
			break;
		if (text[i] == '"') {
			*at = i + 1;
			return 1;
		}
		if (text[i] == '\\') {
			/* Only what jansson writes itself: no \u, no \/. */
			if (++i >= len || strchr("\"\\bfnrt", text[i]) == NULL)
				return 0;
			*escaped = 1;
		} else if ((unsigned char)text[i] < 0x20)
			return 0;
	}
	return 0;
}

/*
 * A real number from text[st], its digits before any '.' or exponent
 * read up to *at: whether it prints as it is read.  Reals are few in a
 * record (a route's metres), so it is simply printed as ndjson_dump()
 * prints it and compared; *at past it.
 */
static int
scan_real(const char *text, size_t len, size_t st, size_t *at)
{
	char num[48], *end, *d;
	size_t i = *at, dl;
	double v;
	json_t *r;
	int same;

	while (
	    i < len && ((text[i] >= '0' && text[i] <= '9') || text[i] == '.' ||
			   text[i] == 'e' || text[i] == 'E' || text[i] == '+' ||
			   text[i] == '-'))
		i++;
	if (i - st >= sizeof num)
		return 0;
	memcpy(num, text + st, i - st);
	num[i - st] = '\0';
	v = strtod(num, &end);
	if (*end != '\0' || (r = json_real(v)) == NULL)
		return 0;
	d = ndjson_dump(r, &dl);
	same = dl == i - st && memcmp(d, num, dl) == 0;
	free(d);
	json_decref(r);
	*at = i;
	return same;
}

static int
scan(struct recsplice *rs, const char *text, size_t len)
{
	char kind[RECSPLICE_DEPTH]; /* '{' or '[' */
	int depth = 0, want_key = 0, escaped;
	size_t i = 0, st, n;

	if (len == 0 || text[0] != '{' || len >= UINT32_MAX)
		return 0;
	while (i < len) {
		char c = text[i];

		if (depth > 0 && kind[depth - 1] == '{' && want_key) {
			/*
			 * A key, then ':' then its value.  No key twice: the
			 * text parsed, and ndjson_parse() refuses that.
			 */
			st = i;
			escaped = 0;
			if (c != '"' || !scan_string(text, len, &i, &escaped) ||
			    i >= len || text[i] != ':')
				return 0;
			n = i - st;
			i++;
			want_key = 0;
			if (depth == 1) {
				/* Top-level names are matched as they are. */
				if (escaped || rs->n == RECSPLICE_KEYS)
					return 0;
				rs->k[rs->n].koff = (uint32_t)st + 1;
				rs->k[rs->n].klen = (uint32_t)n - 2;
				rs->k[rs->n].voff = (uint32_t)i;
			}
			continue;
		}
		switch (c) {
		case '{':
		case '[':
			if (depth == RECSPLICE_DEPTH)
				return 0;
			kind[depth] = c;
			depth++;
			i++;
			if (i < len && text[i] == (c == '{' ? '}' : ']'))
				break; /* empty: closed below */
			want_key = c == '{';
			continue;
		case '"':
			escaped = 0;
			if (!scan_string(text, len, &i, &escaped))
				return 0;
			goto after_value;
		case 't':
			if (len - i < 4 || memcmp(text + i, "true", 4) != 0)
				return 0;
			i += 4;
			goto after_value;
		case 'f':
			if (len - i < 5 || memcmp(text + i, "false", 5) != 0)
				return 0;
			i += 5;
			goto after_value;
		case 'n':
			if (len - i < 4 || memcmp(text + i, "null", 4) != 0)
				return 0;
			i += 4;
			goto after_value;
		default:
			/*
			 * An integer prints as it is read: no '+', no
			 * leading zero, not "-0", at most 18 digits (well
			 * inside int64).  A real may not: it says no.
			 */
			st = i;
			if (c == '-')
				i++;
			if (i >= len || text[i] < '0' || text[i] > '9' ||
			    (text[i] == '0' && i + 1 < len &&
				text[i + 1] >= '0' && text[i + 1] <= '9'))
				return 0;
			while (i < len && text[i] >= '0' && text[i] <= '9')
				i++;
			if (i < len && (text[i] == '.' || text[i] == 'e' ||
					   text[i] == 'E')) {
				if (!scan_real(text, len, st, &i))
					return 0;
			} else if (i - st > 18 ||
				   (c == '-' && text[st + 1] == '0'))
				return 0; /* "-0" is read as 0 */
			goto after_value;
		}
		/* An empty object or array, its close. */
	after_close:
		i++;
		depth--;
	after_value:
		if (depth == 1) {
			/* A top-level value ends here. */
			rs->k[rs->n].vlen = (uint32_t)(i - rs->k[rs->n].voff);
			rs->n++;
		}
		if (depth == 0)
			return i == len;
		if (i >= len)
			return 0;
		if (text[i] == ',') {
			i++;
			want_key = kind[depth - 1] == '{';
			continue;
		}
		if (text[i] != (kind[depth - 1] == '{' ? '}' : ']'))
			return 0;
		goto after_close;
	}
	return 0;
}

int
recsplice_scan(struct recsplice *rs, const char *text, size_t len)
{
	rs->text = text;
	rs->len = len;
	rs->n = 0;
	if (!scan(rs, text, len)) {
		rs->n = -1;
		return 0;
	}
	return 1;
}

struct buf {
	char *s;
	size_t len, cap;
};

static void
put(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = 2 * (b->len + n + 1);
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
}

static int
named(const char *const *changed, const char *key)
{
	for (; changed != NULL && *changed != NULL; changed++)
		if (strcmp(*changed, key) == 0)
			return 1;
	return 0;
}

/* Whether jansson writes key as it is, quotes around it. */
static int
plain(const char *key)
{
	for (; *key; key++)
		if (*key == '"' || *key == '\\' || (unsigned char)*key < 0x20)
			return 0;
	return 1;
}

static char *
splice(const struct recsplice *rs, const json_t *j, const char *const *changed,
    size_t *lenp)
{
	struct buf b = {NULL, 0, 0};
	const char *key;
	json_t *v;
	int at = 0, i, first = 1;

	b.cap = rs->len + 512;
	b.s = xmalloc(b.cap);
	put(&b, "{", 1);
	json_object_foreach((json_t *)j, key, v)
	{
		size_t kl = strlen(key);
		const struct recsplice_key *k = NULL;

		/* Keys come in the text's order, mostly: look there first. */
		for (i = 0; i < rs->n; i++) {
			const struct recsplice_key *c =
			    &rs->k[(at + i) % rs->n];

			if (c->klen == kl &&
			    memcmp(rs->text + c->koff, key, kl) == 0) {
				k = c;
				at = (at + i + 1) % rs->n;
				break;
			}
		}
		if (!first)
			put(&b, ",", 1);
		first = 0;
		if (k != NULL && !named(changed, key)) {
			/* "key":value, as the text has it. */
			put(&b, rs->text + k->koff - 1,
			    k->voff + k->vlen - (k->koff - 1));
			continue;
		}
		if (!plain(key)) {
			free(b.s);
			return NULL;
		}
		{
			size_t vl;
			char *vd = ndjson_dump(v, &vl);

			put(&b, "\"", 1);
			put(&b, key, kl);
			put(&b, "\":", 2);
			put(&b, vd, vl);
			free(vd);
		}
	}
	put(&b, "}", 1);
	b.s[b.len] = '\0';
	*lenp = b.len;
	return b.s;
}

char *
recsplice_with(const struct recsplice *rs, const char *const *keys,
    const json_t *const *vals, size_t n, size_t *lenp)
{
	struct buf b = {NULL, 0, 0};
	char *vd, *done = xcalloc(n + 1, 1);
	size_t i, vl, kl;
	int k;

	if (rs->n <= 0) {
		free(done);
		return NULL;
	}
	for (i = 0; i < n; i++)
		if (!plain(keys[i])) {
			free(done);
			return NULL;
		}
	b.cap = rs->len + 512;
	b.s = xmalloc(b.cap);
	put(&b, "{", 1);
	/* The text's keys in its order, a value given in place of its own. */
	for (k = 0; k < rs->n; k++) {
		const struct recsplice_key *c = &rs->k[k];

		if (k > 0)
			put(&b, ",", 1);
		for (i = 0; i < n; i++)
			if (!done[i] && strlen(keys[i]) == c->klen &&
			    memcmp(rs->text + c->koff, keys[i], c->klen) == 0)
				break;
		put(&b, rs->text + c->koff - 1, c->voff - (c->koff - 1));
		if (i == n) {
			put(&b, rs->text + c->voff, c->vlen);
			continue;
		}
		done[i] = 1;
		vd = ndjson_dump(vals[i], &vl);
		put(&b, vd, vl);
		free(vd);
	}
	/* Then the keys it did not have, appended as jansson would. */
	for (i = 0; i < n; i++) {
		if (done[i])
			continue;
		kl = strlen(keys[i]);
		put(&b, ",\"", 2);
		put(&b, keys[i], kl);
		put(&b, "\":", 2);
		vd = ndjson_dump(vals[i], &vl);
		put(&b, vd, vl);
		free(vd);
	}
	free(done);
	put(&b, "}", 1);
	b.s[b.len] = '\0';
	*lenp = b.len;
	return b.s;
}

int
recsplice_checking(void)
{
	/* Atomic: a stage's reader thread and its deciding one both ask. */
	static _Atomic int on = -1;
	const char *e;

	if (on == -1) {
		e = getenv("FULFIL_SPLICE_CHECK");
		on = e != NULL && strcmp(e, "1") == 0;
	}
	return on;
}

char *
recsplice_dump(const struct recsplice *rs, const json_t *j,
    const char *const *changed, size_t *lenp)
{
	char *out = NULL, *d;
	size_t dl;

	if (rs->n > 0 && json_is_object(j))
		out = splice(rs, j, changed, lenp);
	if (out == NULL)
		return ndjson_dump(j, lenp);
	if (recsplice_checking()) {
		d = ndjson_dump(j, &dl);
		if (dl != *lenp || memcmp(d, out, dl) != 0)
			err_exit(EXIT_TROUBLE,
			    "FULFIL_SPLICE_CHECK: a spliced record is not "
			    "its dump (a value changed that the stage did "
			    "not name)");
		free(d);
	}
	return out;
}

char *
recsplice_text(const char *text, size_t len, const json_t *j,
    const char *const *changed, size_t *lenp)
{
	struct recsplice rs;

	recsplice_scan(&rs, text, len);
	return recsplice_dump(&rs, j, changed, lenp);
}
