/*
 * recdump: JSON written without jansson's writer must be the bytes
 * json_dumps() writes with ndjson_dump()'s flags, or declined (NULL).
 * Hand cases where the two could part (escapes, controls, UTF-8, reals,
 * big integers, key order after a delete), then many random values:
 * strings of random bytes and code points, random reals, nested.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "recdump.h"
#include "tap.h"

#define FLAGS (JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(15))

/* 1 written as jansson writes it, 0 declined where jansson fails too, -1 otherwise. */
static int
same(const json_t *j)
{
	size_t len;
	char *r = recdump(j, &len), *d = json_dumps(j, FLAGS);
	int ok;

	if (r == NULL)
		ok = d == NULL ? 0 : -1;
	else
		ok = d != NULL && strlen(d) == len && memcmp(r, d, len) == 0
			 ? 1
			 : -1;
	if (ok == -1)
		printf("# otherwise: %s\n#      vs: %s\n", r ? r : "(null)",
		    d ? d : "(null)");
	free(r);
	free(d);
	return ok;
}

static void
writes(json_t *j, int want, const char *name)
{
	is_int(same(j), want, "%s: %s", want ? "as jansson writes it"
					     : "declined, as jansson fails",
	    name);
	json_decref(j);
}

/* A random string: bytes of every kind, valid UTF-8 or not. */
static json_t *
rstring(int valid)
{
	static const char *const pieces[] = {"a", "\"", "\\", "/", "\b",
	    "\f", "\n", "\r", "\t", "\x01", "\x1f", "\x7f", "\xc3\xa9",
	    "\xe2\x82\xac", "\xf0\x9f\x93\xa6", "\xef\xbf\xbf", " ", "{",
	    "\xed\x9f\xbf", "\xf4\x8f\xbf\xbf"};
	static const char *const bad[] = {"\xc3", "\xc0\xaf", "\xed\xa0\x80",
	    "\xf4\x90\x80\x80", "\xff", "\x80"};
	char buf[256];
	size_t n = 0, k = (size_t)rand() % 12, i;

	for (i = 0; i < k; i++) {
		const char *p = pieces[rand() % 20];

		memcpy(buf + n, p, strlen(p));
		n += strlen(p);
	}
	if (!valid) {
		const char *p = bad[rand() % 6];
		size_t at = n ? (size_t)rand() % n : 0;

		/* Put in at a character's start: after an ASCII byte or at 0. */
		while (at > 0 && (unsigned char)buf[at - 1] >= 0x80)
			at--;
		memmove(buf + at + strlen(p), buf + at, n - at);
		memcpy(buf + at, p, strlen(p));
		n += strlen(p);
	}
	return json_stringn_nocheck(buf, n);
}

static json_t *
rvalue(int depth, int *bad)
{
	json_t *v;
	int k, n, i;
	double d;

	switch (k = rand() % (depth > 4 ? 6 : 9)) {
	case 0:
		return json_integer((json_int_t)rand() * (rand() % 3 - 1) *
				    (rand() % 2 ? 1 : 1000000007LL));
	case 1:
		switch (rand() % 5) {
		case 0: d = rand() % 1000; break;
		case 1: d = (double)rand() / 7.0; break;
		case 2: d = 1e300 * (1 + rand() % 100); break;
		case 3: d = -1e-300 / (1 + rand()); break;
		default: d = (rand() % 100000) / 100.0; break;
		}
		return json_real(d);
	case 2: {
		int valid = rand() % 40 != 0;

		*bad |= !valid;
		return rstring(valid);
	}
	case 3:
		return json_true();
	case 4:
		return json_false();
	case 5:
		return json_null();
	case 6:
	case 7:
		v = json_object();
		n = rand() % 6;
		for (i = 0; i < n; i++) {
			json_t *key = rstring(1);

			json_object_setn_new_nocheck(v, json_string_value(key),
			    json_string_length(key), rvalue(depth + 1, bad));
			json_decref(key);
		}
		/* Taken out and put back: jansson's order, not the first. */
		if (n > 2 && rand() % 2) {
			const char *first = json_object_iter_key(
			    json_object_iter(v));
			char *f = strdup(first);

			json_object_del(v, f);
			json_object_set_new_nocheck(v, f, json_integer(n));
			free(f);
		}
		return v;
	default:
		v = json_array();
		n = rand() % 6;
		for (i = 0; i < n; i++)
			json_array_append_new(v, rvalue(depth + 1, bad));
		return v;
	}
}

int
main(void)
{
	int k, r, bad, broken = 0, declined = 0, written = 0;
	json_t *j;

	writes(json_pack("{s:s,s:i,s:b,s:n,s:[],s:{}}", "a", "x", "b", -7,
		   "c", 1, "d", "e", "f"),
	    1, "a small record");
	writes(json_string("\x01\x1f\x7f/\"\\\b\f\n\r\t"), 1,
	    "controls, DEL, slash and the short escapes");
	writes(json_stringn("a\0b", 3), 1, "a NUL in a string");
	writes(json_string("\xc3\xa9\xe2\x82\xac\xf0\x9f\x93\xa6"), 1,
	    "UTF-8 of two, three and four bytes");
	writes(json_stringn_nocheck("\xc3", 1), 0, "UTF-8 cut short");
	writes(json_stringn_nocheck("\xed\xa0\x80", 3), 0, "a surrogate");
	writes(json_integer(-9223372036854775807LL - 1), 1, "INT64_MIN");
	writes(json_real(238.0), 1, "238.0");
	writes(json_real(0.1), 1, "0.1");
	writes(json_real(1e300), 1, "1e300");
	writes(json_real(-1.5e-300), 1, "-1.5e-300");
	writes(json_real(1.0 / 3), 1, "a third");
	writes(json_array(), 1, "an empty array");
	writes(json_object(), 1, "an empty object");
	writes(json_integer(5), 1, "an integer alone");
	j = json_pack("{s:i,s:i,s:i}", "a", 1, "b", 2, "c", 3);
	json_object_del(j, "a");
	json_object_set_new(j, "a", json_integer(4));
	json_object_set_new(j, "b", json_integer(5));
	writes(j, 1, "a key taken out and put back, one replaced");
	{
		/* Deeper than recdump goes: declined, though jansson writes it. */
		json_t *deep = json_array(), *in = deep;

		for (k = 0; k < RECDUMP_DEPTH; k++) {
			json_t *a = json_array();

			json_array_append_new(in, a);
			in = a;
		}
		ok(recdump(deep, &(size_t){0}) == NULL,
		    "nested deeper than RECDUMP_DEPTH: declined");
		json_decref(deep);
	}

	srand(27);
	for (k = 0; k < 20000; k++) {
		bad = 0;
		j = rvalue(0, &bad);
		r = same(j);
		broken += r == -1 || (r == 0 && !bad);
		declined += r == 0;
		written += r == 1;
		json_decref(j);
	}
	is_int(broken, 0,
	    "20,000 random values: each as jansson writes it, or declined "
	    "only where jansson fails too");
	ok(written > 15000 && declined > 100,
	    "... written %d, declined %d", written, declined);
	return done_testing();
}
