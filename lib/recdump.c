/*
 * recdump: JSON written as jansson writes it for ndjson_dump() (see
 * recdump.h).  Each rule is jansson 2.14's dump.c with those flags:
 * compact separators, keys in the object's order, strings escaped as
 * dump_string() escapes them ('"', '\\', the controls, "\u%04X" for the
 * controls without a short escape; '/' and non-ASCII as they are).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "recdump.h"
#include "utf8.h"

struct out {
	char *s;
	size_t len, cap;
};

static void
grow(struct out *o, size_t n)
{
	if (o->len + n + 1 > o->cap) {
		o->cap = 2 * (o->len + n + 1);
		o->s = xrealloc(o->s, o->cap);
	}
}

static void
put(struct out *o, const char *s, size_t n)
{
	grow(o, n);
	memcpy(o->s + o->len, s, n);
	o->len += n;
}

/* Plain bytes of a string: not '"', '\\', a control, or >= 0x80. */
static const unsigned char plain[256] = {
    [0x20 ... 0x21] = 1, [0x23 ... 0x5b] = 1, [0x5d ... 0x7f] = 1};

static int
string(struct out *o, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n, *st;
	char esc[8];
	size_t u;

	/* At most 6 bytes out for a byte in, and the quotes. */
	grow(o, 6 * n + 2);
	o->s[o->len++] = '"';
	while (p < end) {
		st = p;
		while (p < end && plain[*p])
			p++;
		memcpy(o->s + o->len, st, (size_t)(p - st));
		o->len += (size_t)(p - st);
		if (p == end)
			break;
		if (*p >= 0x80) {
			if ((u = utf8_span(
				 (const char *)p, (size_t)(end - p))) == 0)
				return -1;
			memcpy(o->s + o->len, p, u);
			o->len += u;
			p += u;
			continue;
		}
		switch (*p) {
		case '\\':
			memcpy(esc, "\\\\", 2);
			break;
		case '"':
			memcpy(esc, "\\\"", 2);
			break;
		case '\b':
			memcpy(esc, "\\b", 2);
			break;
		case '\f':
			memcpy(esc, "\\f", 2);
			break;
		case '\n':
			memcpy(esc, "\\n", 2);
			break;
		case '\r':
			memcpy(esc, "\\r", 2);
			break;
		case '\t':
			memcpy(esc, "\\t", 2);
			break;
		default:
			snprintf(esc, sizeof esc, "\\u%04X", *p);
			memcpy(o->s + o->len, esc, 6);
			o->len += 6;
			p++;
			continue;
		}
		memcpy(o->s + o->len, esc, 2);
		o->len += 2;
		p++;
	}
	o->s[o->len++] = '"';
	return 0;
}

static int
value(struct out *o, const json_t *j, int depth)
{
	char num[64];
	size_t n, i;
	const char *key;
	json_t *v;
	void *it;
	int first;

	switch (json_typeof(j)) {
	case JSON_OBJECT:
		if (depth == RECDUMP_DEPTH)
			return -1;
		put(o, "{", 1);
		first = 1;
		for (it = json_object_iter((json_t *)j); it != NULL;
		     it = json_object_iter_next((json_t *)j, it)) {
			key = json_object_iter_key(it);
			v = json_object_iter_value(it);
			if (!first)
				put(o, ",", 1);
			first = 0;
			if (string(o, key, json_object_iter_key_len(it)) == -1)
				return -1;
			put(o, ":", 1);
			if (value(o, v, depth + 1) == -1)
				return -1;
		}
		put(o, "}", 1);
		return 0;
	case JSON_ARRAY:
		if (depth == RECDUMP_DEPTH)
			return -1;
		put(o, "[", 1);
		n = json_array_size(j);
		for (i = 0; i < n; i++) {
			if (i > 0)
				put(o, ",", 1);
			if (value(o, json_array_get(j, i), depth + 1) == -1)
				return -1;
		}
		put(o, "]", 1);
		return 0;
	case JSON_STRING:
		return string(o, json_string_value(j), json_string_length(j));
	case JSON_INTEGER:
		n = (size_t)snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(j));
		put(o, num, n);
		return 0;
	case JSON_REAL:
		/* jansson's own digits: its dtostr, precision 15. */
		n = json_dumpb(j, num, sizeof num,
		    JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(15));
		if (n == 0 || n > sizeof num)
			return -1;
		put(o, num, n);
		return 0;
	case JSON_TRUE:
		put(o, "true", 4);
		return 0;
	case JSON_FALSE:
		put(o, "false", 5);
		return 0;
	case JSON_NULL:
		put(o, "null", 4);
		return 0;
	}
	return -1;
}

char *
recdump(const json_t *j, size_t *lenp)
{
	struct out o = {NULL, 0, 0};

	if (j == NULL)
		return NULL;
	o.cap = 1024;
	o.s = xmalloc(o.cap);
	if (value(&o, j, 0) == -1) {
		free(o.s);
		return NULL;
	}
	o.s[o.len] = '\0';
	*lenp = o.len;
	return o.s;
}
