/*
 * recsplice: a stage writes a record as its own text with the values it
 * changed dumped in, and that must be the bytes a parse and a dump
 * give.  Hand cases, then the promise on many texts (one byte changed,
 * put in or taken out of a record) each changed the ways stages change
 * a record: a status set, a field appended, a field replaced, a field
 * taken out, a field whose name wants escaping; and set without the
 * JSON (recsplice_with()) as pick-list sets status and pick.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ndjson.h"
#include "recsplice.h"
#include "tap.h"

static void
is_canon(const char *text, int want, const char *name)
{
	struct recsplice rs;

	is_int(recsplice_scan(&rs, text, strlen(text)), want, "%s: %s",
	    want ? "canonical" : "not canonical", name);
}

/* One change a stage makes, and the keys it names. */
static void
change(json_t *j, int how, const char **changed)
{
	json_t *s;

	changed[0] = changed[1] = changed[2] = NULL;
	switch (how) {
	case 0: /* label: status, and a shipment appended */
		json_object_set_new(j, "status", json_string("labelled"));
		s = json_pack("{s:s,s:[{s:i,s:f}]}", "carrier", "ems",
		    "parcels", "n", 1, "w", 1.25);
		json_object_set_new(j, "shipment", s);
		changed[0] = "status";
		changed[1] = "shipment";
		break;
	case 1: /* a value changed in place, under a key that stays */
		s = json_object_get(j, "lines");
		if (json_is_array(s))
			json_array_append_new(s, json_string("\xe2\x82\xac"));
		else
			json_object_set_new(j, "lines", json_integer(-7));
		changed[0] = "lines";
		break;
	case 2: /* a field taken out, another's status set */
		json_object_del(j, "customer");
		json_object_set_new(j, "status", json_string("dispatched"));
		changed[0] = "status";
		break;
	case 3: /* an appended field whose name wants escaping */
		json_object_set_new(j, "we\"ird\n", json_true());
		break;
	default: /* nothing changed at all */
		break;
	}
}

/* The promise on one text; returns whether it was spliced. */
static int
promise(const char *text, size_t len, int how, int *broken)
{
	struct recsplice rs;
	const char *changed[3];
	json_t *j;
	char *dump, *out;
	size_t dlen, olen;
	int yes = recsplice_scan(&rs, text, len);

	if ((j = ndjson_parse(text, len, NULL, 0)) == NULL ||
	    !json_is_object(j)) {
		json_decref(j);
		return 0; /* the stages only splice records that parsed */
	}
	/* recsplice_with(): pick-list's status and pick, set unparsed. */
	{
		const char *keys[] = {"status", "pick"};
		json_t *vals[2];
		json_t *w = json_deep_copy(j);

		vals[0] = json_string("picked");
		vals[1] = json_pack("{s:i,s:f,s:[]}", "batch", how, "route_m",
		    238.0, "handling");
		out = recsplice_with(&rs, keys, (const json_t *const *)vals,
		    2, &olen);
		json_object_set(w, keys[0], vals[0]);
		json_object_set(w, keys[1], vals[1]);
		dump = ndjson_dump(w, &dlen);
		if (out != NULL ? dlen != olen || memcmp(dump, out, dlen) != 0
				: yes && rs.n > 0) {
			printf("# set otherwise than dumped: %.*s\n# %s\n",
			    (int)len, text, out ? out : "(null)");
			(*broken)++;
		}
		free(dump);
		free(out);
		json_decref(vals[0]);
		json_decref(vals[1]);
		json_decref(w);
	}
	change(j, how, changed);
	dump = ndjson_dump(j, &dlen);
	out = recsplice_dump(&rs, j, changed, &olen);
	if (dlen != olen || memcmp(dump, out, dlen) != 0) {
		printf("# spliced otherwise than dumped (%d): %.*s\n# %s\n",
		    how, (int)len, text, out);
		(*broken)++;
	}
	free(dump);
	free(out);
	json_decref(j);
	return yes;
}

static const char rec[] =
    "{\"order_id\":\"G1\",\"source\":\"gen\",\"customer\":{\"name\":"
    "\"\xe6\x9d\x9c\xe5\x8b\x87\",\"note\":\"a \\\"b\\\" \\\\ c\\n\"},"
    "\"lines\":[{\"sku\":\"SKU-1\",\"qty\":1,\"unit_price\":11500},"
    "{\"sku\":\"SKU-2\",\"qty\":-3,\"gift\":true,\"x\":null,"
    "\"w\":238.0,\"v\":0.125}],"
    "\"empty\":{},\"none\":[],\"total\":0,\"status\":\"accepted\","
    "\"promise\":{\"ship_by\":\"2026-11-23T18:30:00+08:00\","
    "\"status\":\"x\"}}";

int
main(void)
{
	const char *glyphs = " \t\n,:{}[]\"\\/0123456789-+.eEtfnul";
	const char *changed[3];
	char buf[sizeof rec + 8], *out;
	size_t len = sizeof rec - 1, at, olen;
	struct recsplice rs;
	json_t *j;
	int k, yes = 0, broken = 0;

	ok(recsplice_scan(&rs, rec, len) && rs.n == 9 &&
		rs.k[7].klen == 6 &&
		memcmp(rec + rs.k[7].koff, "status", 6) == 0 &&
		rs.k[7].vlen == 10 &&
		memcmp(rec + rs.k[7].voff, "\"accepted\"", 10) == 0,
	    "a record: canonical, its nine top-level values found");
	is_canon("{}", 1, "an empty object");
	is_canon("[1]", 0, "an array");
	is_canon("{\"a\":[1,[2,{}],\"x\"],\"b\":{\"c\":false}}", 1,
	    "nested arrays and objects");
	is_canon("{\"a\": 1}", 0, "a space after the colon");
	is_canon("{\"a\":1} ", 0, "a space after the record");
	{
		/* More top-level keys than it keeps places for. */
		char many[RECSPLICE_KEYS * 12 + 8];
		size_t n = 0;

		for (k = 0; k < RECSPLICE_KEYS; k++)
			n += (size_t)sprintf(many + n, "%s\"k%d\":%d",
			    k ? "," : "{", k, k);
		sprintf(many + n, "}");
		is_canon(many, 1, "64 top-level keys");
		sprintf(many + n, ",\"k%d\":%d}", k, k);
		is_canon(many, 0, "65 top-level keys");
	}
	is_canon("{\"a\":1.5,\"b\":238.0,\"c\":-0.25}", 1,
	    "real numbers as jansson prints them");
	is_canon("{\"a\":1.50}", 0, "a real with a trailing zero");
	is_canon("{\"a\":238}", 1, "an integer");
	is_canon("{\"a\":1e3}", 0, "an exponent jansson would not write");
	is_canon("{\"a\":1.5e+300}", 0, "an exponent with a plus");
	is_canon("{\"a\":1.5e300}", 1, "an exponent as jansson writes it");
	is_canon("{\"a\":-0}", 0, "minus zero");
	is_canon("{\"a\":1234567890123456789}", 0, "19 digits");
	is_canon("{\"a\":\"\\u00e9\"}", 0, "a \\u escape");
	is_canon("{\"a\":\"\\/\"}", 0, "an escaped slash");
	is_canon("{\"a\\n\":1}", 0, "a top-level name with an escape");
	is_canon("{\"a\":{\"b\\n\":1}}", 1, "a nested name with an escape");

	/* A record spliced: status replaced, shipment appended. */
	j = ndjson_parse(rec, len, NULL, 0);
	change(j, 0, changed);
	recsplice_scan(&rs, rec, len);
	out = recsplice_dump(&rs, j, changed, &olen);
	ok(strstr(out, "\"status\":\"labelled\",\"promise\"") != NULL &&
		strstr(out, "},\"shipment\":{\"carrier\":\"ems\"") != NULL,
	    "status replaced where it was, shipment appended");
	free(out);
	json_decref(j);

	srand(26);
	for (k = 0; k < 25000; k++) {
		int how = (k / 3) % 5;

		memcpy(buf, rec, len);
		at = (size_t)rand() % len;
		switch (k % 3) {
		case 0:
			buf[at] = glyphs[rand() % (int)strlen(glyphs)];
			yes += promise(buf, len, how, &broken);
			break;
		case 1:
			memmove(buf + at + 1, buf + at, len - at);
			buf[at] = glyphs[rand() % (int)strlen(glyphs)];
			yes += promise(buf, len + 1, how, &broken);
			break;
		default:
			memmove(buf + at, buf + at + 1, len - at - 1);
			yes += promise(buf, len - 1, how, &broken);
		}
	}
	is_int(broken, 0,
	    "25,000 changed records, changed five ways and set as "
	    "pick-list would: every splice is the dump");
	ok(yes > 1000, "... and many were spliced (%d)", yes);
	return done_testing();
}
