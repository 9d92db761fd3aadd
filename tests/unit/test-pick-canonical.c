/*
 * picklist_canonical(): pick-list writes a record with its status and
 * pick spliced into the text it read only when that text is byte for
 * byte what ndjson_dump() makes of it.  Hand cases, then the promise
 * itself on many texts: whenever it says yes, parsing and dumping gives
 * the text back, and the status it points at is the record's.  Then
 * picklist_take_parse() on the same texts: whenever it gives an object,
 * the whole parse takes the text too, and has the same value at each
 * key pick-list reads (and the object no other key).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ndjson.h"
#include "picklist.h"
#include "tap.h"

/* Says yes exactly when it should, on a hand-made text. */
static void
is_canon(const char *text, int want, const char *name)
{
	size_t soff = 0, slen = 0;

	is_int(picklist_canonical(text, strlen(text), &soff, &slen), want,
	    "%s: %s", want ? "canonical" : "not canonical", name);
}

/*
 * The promise on one text: a yes only if the dump of the parse is the
 * text, with the status where it says.  Returns whether it said yes.
 */
static int
promise(const char *text, size_t len, int *broken)
{
	size_t soff = 0, slen = 0, dlen;
	json_t *j, *st;
	char *dump;
	int yes = picklist_canonical(text, len, &soff, &slen);

	if (!yes)
		return 0;
	if ((j = ndjson_parse(text, len, NULL, 0)) == NULL)
		return 1; /* not JSON: the caller never asks */
	dump = ndjson_dump(j, &dlen);
	if (dlen != len || memcmp(dump, text, len) != 0) {
		printf("# said canonical, dumps otherwise: %.*s\n", (int)len,
		    text);
		(*broken)++;
	}
	/* The status's text, quotes and escapes as they are written. */
	st = json_object_get(j, "status");
	free(dump);
	dump = json_is_string(st) ? ndjson_dump(st, &dlen) : NULL;
	if (dump != NULL ? slen != dlen || memcmp(text + soff, dump, dlen) != 0
			 : slen != 0) {
		printf("# the status is not where it says: %.*s\n", (int)len,
		    text);
		(*broken)++;
	}
	free(dump);
	json_decref(j);
	return 1;
}

/* picklist.c's take_keys. */
static const char *const keys[] = {"order_id", "source", "status",
    "placed_at", "service", "pick", "payment", "promise", "delivery_window",
    "lines", NULL};

/*
 * picklist_take_parse() against the whole parse on one text.  Returns
 * whether it gave an object.
 */
static int
subset(const char *text, size_t len, int *broken)
{
	char *t = strndup(text, len);
	size_t soff, slen, soff2 = 0, slen2 = 0;
	json_t *sub = picklist_take_parse(t, len, &soff, &slen), *j;
	int k, canon = picklist_canonical(t, len, &soff2, &slen2), n = 0;

	j = ndjson_parse(t, len, NULL, 0);
	free(t);
	if (sub == NULL) {
		json_decref(j);
		return 0;
	}
	if (j == NULL) {
		printf("# taken, the whole parse turns it down: %.*s\n",
		    (int)len, text);
		(*broken)++;
		json_decref(sub);
		return 1;
	}
	if (!canon || soff != soff2 || slen != slen2) {
		printf("# not as picklist_canonical() says: %.*s\n", (int)len,
		    text);
		(*broken)++;
	}
	for (k = 0; keys[k] != NULL; k++) {
		json_t *a = json_object_get(sub, keys[k]),
		       *b = json_object_get(j, keys[k]);

		n += a != NULL;
		if ((a == NULL) != (b == NULL) ||
		    (a != NULL && !json_equal(a, b))) {
			printf("# key %s differs: %.*s\n", keys[k], (int)len,
			    text);
			(*broken)++;
		}
	}
	if ((size_t)n != json_object_size(sub)) {
		printf("# a key not asked for: %.*s\n", (int)len, text);
		(*broken)++;
	}
	json_decref(sub);
	json_decref(j);
	return 1;
}

static const char rec[] =
    "{\"order_id\":\"G1\",\"source\":\"gen\",\"customer\":{\"name\":"
    "\"\xe6\x9d\x9c\xe5\x8b\x87\",\"note\":\"a \\\"b\\\" \\\\ c\\n\"},"
    "\"lines\":[{\"sku\":\"SKU-1\",\"qty\":1,\"unit_price\":11500},"
    "{\"sku\":\"SKU-2\",\"qty\":-3,\"gift\":true,\"x\":null}],"
    "\"empty\":{},\"none\":[],\"total\":0,\"status\":\"accepted\","
    "\"promise\":{\"ship_by\":\"2026-11-23T18:30:00+08:00\","
    "\"status\":\"x\"}}";

/* Every key pick-list reads, among others, some of them twice nested. */
static const char full[] =
    "{\"order_id\":\"G2\",\"source\":\"gen\",\"placed_at\":"
    "\"2026-11-23T08:00:00+08:00\",\"customer\":{\"name\":"
    "\"\xe6\x9d\x9c\xe5\x8b\x87\",\"lines\":[1]},\"lines\":[{\"sku\":"
    "\"SKU-1\",\"name\":\"\xc3\xa9 \\\"x\\\"\",\"qty\":2,\"unit_price\":"
    "11500,\"gift\":true}],\"payment\":{\"method\":\"cod\"},\"service\":"
    "\"express\",\"status\":\"held\",\"pick\":{\"short\":[{\"sku\":"
    "\"SKU-1\",\"qty_short\":1}]},\"delivery_window\":{\"from\":"
    "\"2026-11-24T09:00:00+08:00\",\"to\":\"2026-11-24T12:00:00+08:00\"},"
    "\"promise\":{\"ship_by\":\"2026-11-23T18:30:00+08:00\"},\"x\":null}";

int
main(void)
{
	const char *glyphs = " \t\n,:{}[]\"\\/0123456789-+.eEtfnul\x80\xbf\xc3\xe6\xf5";
	char buf[sizeof full + 8];
	json_t *sub;
	size_t soff = 0, slen = 0, len = sizeof rec - 1, at;
	int k, yes = 0, broken = 0, said;

	ok(picklist_canonical(rec, len, &soff, &slen) && slen == 10 &&
		memcmp(rec + soff, "\"accepted\"", 10) == 0,
	    "a record: canonical, its top-level status found (not the "
	    "promise's)");
	is_canon("{}", 1, "an empty object");
	is_canon("{\"a\":[1,[2,{}],\"x\"],\"b\":{\"c\":false}}", 1,
	    "nested arrays and objects");
	is_canon("{\"a\": 1}", 0, "a space after the colon");
	is_canon("{\"a\":1} ", 0, "a space after the record");
	is_canon("{\"a\":1}\r", 0, "a carriage return after the record");
	is_canon("{\"a\":1,\"a\":2}", 0, "a key twice");
	is_canon("{\"a\":1.5}", 0, "a real number");
	is_canon("{\"a\":1e3}", 0, "an exponent");
	is_canon("{\"a\":-0}", 0, "minus zero");
	is_canon("{\"a\":0}", 1, "zero");
	is_canon("{\"a\":1234567890123456789}", 0, "19 digits");
	is_canon("{\"a\":\"\\u00e9\"}", 0, "a \\u escape");
	is_canon("{\"a\":\"\\/\"}", 0, "an escaped slash");
	is_canon("{\"a\":\"\\t\\b\\f\\r\"}", 1, "the escapes jansson writes");
	is_canon("{\"a\":tru}", 0, "a cut literal");
	is_canon("{\"a\":[1,2}", 0, "a bracket for a brace");
	is_canon("{\"a\":1", 0, "unclosed");
	is_canon("{\"status\":null}", 1, "a status that is no string");
	ok(picklist_canonical("{\"status\":null}", 15, &soff, &slen) &&
		slen == 0,
	    "... and no status found");

	/*
	 * The promise on the record with one byte changed, put in or
	 * taken out, everywhere: many are not JSON, many are JSON but
	 * not canonical, some are still canonical.
	 */
	srand(19);
	for (k = 0; k < 20000; k++) {
		memcpy(buf, rec, len);
		at = (size_t)rand() % len;
		switch (k % 3) {
		case 0:
			buf[at] = glyphs[rand() % (int)strlen(glyphs)];
			said = promise(buf, len, &broken);
			break;
		case 1:
			memmove(buf + at + 1, buf + at, len - at);
			buf[at] = glyphs[rand() % (int)strlen(glyphs)];
			said = promise(buf, len + 1, &broken);
			break;
		default:
			memmove(buf + at, buf + at + 1, len - at - 1);
			said = promise(buf, len - 1, &broken);
		}
		yes += said;
	}
	is_int(broken, 0,
	    "20,000 changed records: every one said canonical dumps to "
	    "itself");
	ok(yes > 1000, "... and many said so (%d)", yes);

	sub = picklist_take_parse(full, sizeof full - 1, &soff, &slen);
	ok(sub != NULL && json_object_size(sub) == 10 &&
		json_object_get(sub, "customer") == NULL &&
		json_integer_value(json_object_get(
		    json_array_get(json_object_get(sub, "lines"), 0), "qty")) ==
		    2,
	    "a record parsed for what pick-list reads: its ten keys, "
	    "not the customer");
	json_decref(sub);
	ok(picklist_take_parse("{\"name\":\"a\xff\"}", 13, &soff, &slen) ==
		NULL,
	    "... not a record that is not UTF-8");
	ok(picklist_take_parse("[1]", 3, &soff, &slen) == NULL,
	    "... not an array");
	ok(picklist_take_parse("{\"a\": 1}", 8, &soff, &slen) == NULL,
	    "... not a record that is not canonical");
	for (broken = 0, yes = 0, k = 0; k < 30000; k++) {
		const char *base = k % 2 ? full : rec;

		len = (k % 2 ? sizeof full : sizeof rec) - 1;
		memcpy(buf, base, len);
		at = (size_t)rand() % len;
		switch (k / 2 % 3) {
		case 0:
			buf[at] = glyphs[rand() % (int)strlen(glyphs)];
			yes += subset(buf, len, &broken);
			break;
		case 1:
			memmove(buf + at + 1, buf + at, len - at);
			buf[at] = glyphs[rand() % (int)strlen(glyphs)];
			yes += subset(buf, len + 1, &broken);
			break;
		default:
			memmove(buf + at, buf + at + 1, len - at - 1);
			yes += subset(buf, len - 1, &broken);
		}
	}
	is_int(broken, 0,
	    "30,000 changed records: every one taken by the short parse "
	    "is the whole parse's, at the keys read");
	ok(yes > 1000, "... and many were taken so (%d)", yes);
	return done_testing();
}
