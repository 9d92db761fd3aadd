/*
 * tjson.h: JSON in the unit tests of the order, the configuration and
 * the readers (test-order, test-config, test-reader).  A test writes its
 * JSON with ' for " so that it reads as it would in a file (an
 * apostrophe in a value is \\u0027), finds members by a dotted path
 * ("lines.0.qty": numbers index arrays; "" is the value itself) and
 * shows values compactly.  Header-only like tap.h, as each test is one
 * program.
 *
 * tjson() returns a new reference, and exits 2 on a mistake in the
 * test's JSON.  tjson_at() returns a borrowed pointer, or NULL.
 * tjson_dump() writes into one of four static buffers in turn, so that
 * one message can show a value got and one wanted.
 */
#ifndef FULFIL_TJSON_H
#define FULFIL_TJSON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "err.h"
#include "tap.h"

#define TJSON_UNUSED __attribute__((unused))

static TJSON_UNUSED json_t *
tjson(const char *text)
{
	char *s = xstrdup(text), *p;
	json_error_t e;
	json_t *j;

	for (p = s; *p != '\0'; p++)
		if (*p == '\'')
			*p = '"';
	if ((j = json_loads(s, JSON_DECODE_ANY, &e)) == NULL)
		err_exit(2, "bad JSON in the test: %s: %s", e.text, text);
	free(s);
	return j;
}

static TJSON_UNUSED json_t *
tjson_at(json_t *o, const char *path)
{
	char buf[128], *p, *save;

	snprintf(buf, sizeof buf, "%s", path);
	for (p = strtok_r(buf, ".", &save); p != NULL && o != NULL;
	     p = strtok_r(NULL, ".", &save))
		o = json_is_array(o) ? json_array_get(o, (size_t)atoi(p))
				     : json_object_get(o, p);
	return o;
}

/* Compact JSON, keys in their order; "(null)" for NULL. */
static TJSON_UNUSED const char *
tjson_dump(const json_t *j)
{
	static char buf[4][4096];
	static int n;
	char *s;

	if (j == NULL)
		return "(null)";
	n = (n + 1) % 4;
	s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
	snprintf(buf[n], sizeof buf[n], "%s", s != NULL ? s : "(unencodable)");
	free(s);
	return buf[n];
}

/*
 * A case: the member of o at path is want (JSON, ' for "; NULL: there
 * is none), keys in the same order.
 */
static TJSON_UNUSED int
is_json(json_t *o, const char *path, const char *want, const char *name)
{
	json_t *w = want != NULL ? tjson(want) : NULL;
	const char *got = tjson_dump(tjson_at(o, path));
	const char *exp = tjson_dump(w);
	int good = strcmp(got, exp) == 0;

	if (!ok(good, "%s", name))
		printf("#   got  %s\n#   want %s\n", got, exp);
	json_decref(w);
	return good;
}

#endif
