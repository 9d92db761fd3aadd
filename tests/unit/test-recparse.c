/*
 * recparse: a compact record read without jansson's reader must be what
 * ndjson_parse() reads, value for value, type for type, key order and
 * all, or declined; and the scan recparse_scan() makes on the way must
 * be recsplice_scan()'s.  Hand cases where the two could part (numbers,
 * escapes, UTF-8, a key twice, nesting), then many texts (a record with
 * one byte changed, put in or taken out, any byte) each read both ways.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ndjson.h"
#include "recparse.h"
#include "recsplice.h"
#include "tap.h"

/*
 * Both ways: 1 read alike, 0 declined, -1 read otherwise (said).  A
 * text jansson refuses must be declined.
 */
static int
both(const char *text, size_t len)
{
	struct recsplice rs, scan;
	json_t *r = recparse_scan(text, len, &rs),
	       *f = ndjson_parse(text, len, NULL, 0);
	char *a, *b;
	size_t al, bl;
	int same;

	if (r == NULL) {
		json_decref(f);
		return 0;
	}
	same = f != NULL && json_equal(r, f);
	/* The scan made on the way: recsplice_scan()'s. */
	recsplice_scan(&scan, text, len);
	if (scan.n != rs.n || (rs.n > 0 && memcmp(scan.k, rs.k,
						(size_t)rs.n * sizeof *rs.k)))
		printf("# scanned otherwise (%d, %d): %.*s\n", rs.n, scan.n,
		    (int)len, text), same = 0;
	if (same) {
		a = ndjson_dump(r, &al);
		b = ndjson_dump(f, &bl);
		same = al == bl && memcmp(a, b, al) == 0;
		free(a);
		free(b);
	}
	if (!same)
		printf("# read otherwise than jansson: %.*s\n", (int)len, text);
	json_decref(r);
	json_decref(f);
	return same ? 1 : -1;
}

static void
reads(const char *text, int want, const char *name)
{
	is_int(both(text, strlen(text)), want, "%s: %s",
	    want ? "read as jansson reads it" : "declined", name);
}

static const char rec[] =
    "{\"order_id\":\"G1\",\"source\":\"gen\",\"customer\":{\"name\":"
    "\"\xe6\x9d\x9c\xe5\x8b\x87\",\"note\":\"a \\\"b\\\" \\\\ c\\n\\/\"},"
    "\"lines\":[{\"sku\":\"SKU-1\",\"qty\":1,\"unit_price\":11500},"
    "{\"sku\":\"SKU-2\",\"qty\":-3,\"gift\":true,\"x\":null,"
    "\"w\":238.0,\"v\":0.125,\"e\":1.5e300,\"f\":2E-3}],"
    "\"empty\":{},\"none\":[],\"total\":0,\"status\":\"accepted\","
    "\"\xf0\x9f\x93\xa6\":\"\xc3\xa9\","
    "\"promise\":{\"ship_by\":\"2026-11-23T18:30:00+08:00\","
    "\"status\":\"x\"}}";

int
main(void)
{
	char buf[sizeof rec + 8];
	size_t len = sizeof rec - 1, at;
	int k, r, alike = 0, broken = 0;
	json_t *j;

	is_int(both(rec, len), 1, "a record read as jansson reads it");
	j = recparse(rec, len);
	ok(j != NULL && json_object_size(j) == 10 &&
		json_is_real(json_object_get(
		    json_array_get(json_object_get(j, "lines"), 1), "w")) &&
		json_is_integer(json_object_get(j, "total")),
	    "... its ten keys, 238.0 a real, 0 an integer");
	json_decref(j);
	reads("{}", 1, "an empty object");
	reads("{\"\":\"\"}", 1, "an empty key and string");
	reads("[1]", 0, "an array at the top");
	reads("\"a\"", 0, "a string at the top");
	reads("{\"a\": 1}", 0, "a space");
	reads("{\"a\":1} ", 0, "a space after the record");
	reads("{\"a\":1}x", 0, "something after the record");
	reads("{\"a\":1,\"a\":2}", 0, "a key twice");
	reads("{\"b\":{\"a\":1,\"a\":2}}", 0, "a key twice, nested");
	reads("{\"a\":-0}", 1, "minus zero, an integer (not canonical)");
	reads("{\"a\":\"\\/\"}", 1, "an escaped slash (not canonical)");
	reads("{\"a\":1E3,\"b\":238.0}", 1, "a real not as jansson writes it");
	reads("{\"a\":-0.0}", 1, "minus zero, a real");
	reads("{\"a\":01}", 0, "a leading zero");
	reads("{\"a\":1.}", 0, "a point with no digits");
	reads("{\"a\":.5}", 0, "no digit before the point");
	reads("{\"a\":1e}", 0, "an exponent with no digits");
	reads("{\"a\":-}", 0, "a lone minus");
	reads("{\"a\":+1}", 0, "a plus");
	reads("{\"a\":123456789012345678}", 1, "18 digits");
	reads("{\"a\":-123456789012345678}", 1, "18 digits, negative");
	reads("{\"a\":1234567890123456789}", 0, "19 digits: jansson's");
	reads("{\"a\":1e400}", 0, "a real too big");
	reads("{\"a\":1e-400}", 0, "a real too small: jansson's");
	reads("{\"a\":1.5E+3,\"b\":1e-2}", 1, "exponents");
	reads("{\"a\":\"\\u00e9\"}", 0, "a \\u escape: jansson's");
	reads("{\"a\":\"\\x\"}", 0, "not an escape");
	reads("{\"a\":\"\\b\\f\\n\\r\\t\\/\\\\\\\"\"}", 1, "every escape");
	reads("{\"a\\n\":1}", 1, "a key with an escape");
	reads("{\"a\":\"\t\"}", 0, "a tab in a string");
	reads("{\"a\":\"\xc3\"}", 0, "a UTF-8 character cut short");
	reads("{\"a\":\"\xc0\xaf\"}", 0, "an overlong UTF-8 form");
	reads("{\"a\":\"\xe0\x80\xaf\"}", 0, "an overlong, three bytes");
	reads("{\"a\":\"\xed\xa0\x80\"}", 0, "a surrogate in UTF-8");
	reads("{\"a\":\"\xf4\x90\x80\x80\"}", 0, "past U+10FFFF");
	reads("{\"a\":\"\xf4\x8f\xbf\xbf\"}", 1, "U+10FFFF");
	reads("{\"a\":\"\xff\"}", 0, "a byte never in UTF-8");
	reads("{\"a\":tru}", 0, "true cut short");
	reads("{\"a\":[1,]}", 0, "a comma before ]");
	reads("{\"a\":1,}", 0, "a comma before }");
	reads("{\"a\"}", 0, "a key with no value");
	{
		char deep[2 * RECPARSE_DEPTH + 16];
		int n, d, want;

		/* The record and RECPARSE_DEPTH - 1 arrays in it: read. */
		for (want = 1; want >= 0; want--) {
			n = sprintf(deep, "{\"a\":");
			for (d = want; d < RECPARSE_DEPTH; d++)
				deep[n++] = '[';
			for (d = want; d < RECPARSE_DEPTH; d++)
				deep[n++] = ']';
			sprintf(deep + n, "}");
			reads(deep, want, want ? "nested RECPARSE_DEPTH deep"
					       : "nested deeper");
		}
	}
	is_int(both("{\"a\":\"b\0\"}", 9), 0, "declined: a NUL byte");
	{
		/*
		 * recsplice's depth: the record and 15 containers in it are
		 * canonical, 16 are not (both() compares the scans).
		 */
		char deep[256];
		int n, d, in;

		for (in = 15; in <= 16; in++) {
			n = sprintf(deep, "{\"a\":");
			for (d = 0; d < in; d++)
				n += sprintf(deep + n, d % 2 ? "[" : "{\"b\":");
			deep[n++] = '1';
			for (d = in - 1; d >= 0; d--)
				deep[n++] = d % 2 ? ']' : '}';
			sprintf(deep + n, "}");
			reads(deep, 1, in == 15 ? "16 deep, scanned alike"
						: "17 deep, scanned alike");
		}
	}

	/* Any byte changed, put in or taken out, anywhere. */
	srand(27);
	for (k = 0; k < 60000; k++) {
		size_t n = len;

		memcpy(buf, rec, len);
		at = (size_t)rand() % len;
		switch (k % 3) {
		case 0:
			buf[at] = (char)(rand() % 256);
			break;
		case 1:
			memmove(buf + at + 1, buf + at, len - at);
			buf[at] = (char)(rand() % 256);
			n++;
			break;
		default:
			/* Taken out, and a second change half the time. */
			memmove(buf + at, buf + at + 1, len - at - 1);
			n--;
			if (k % 2)
				buf[rand() % (int)n] = "{}[]\",:0e.-\\"[k % 12];
		}
		if ((r = both(buf, n)) == -1)
			broken++;
		alike += r == 1;
	}
	is_int(broken, 0, "60,000 changed records: none read otherwise");
	ok(alike > 5000, "... and many read (%d)", alike);
	return done_testing();
}
