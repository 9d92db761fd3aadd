#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "ndjson.h"
#include "pick.h"
#include "split.h"
#include "status.h"

/* Units of the record's line i that o takes now. */
static json_int_t
taken(const struct pick_order *o, size_t i)
{
	json_int_t n = 0;
	int k;

	for (k = 0; k < o->nlines; k++)
		if (o->lines[k].src == (int)i)
			n += o->lines[k].qty;
	return n;
}

/* A copy of line l with qty units. */
static json_t *
with_qty(json_t *l, json_int_t qty)
{
	json_t *c = json_deep_copy(l);

	json_object_set_new(c, "qty", json_integer(qty));
	return c;
}

/*
 * "name × qty, ...": the lines as the customer's message lists them (a
 * template cannot loop), in the names the shop gave them.
 */
static json_t *
listed(json_t *lines)
{
	json_t *l;
	char *s = xstrdup(""), *t;
	const char *name;
	size_t i;

	json_array_foreach(lines, i, l)
	{
		if ((name = ndjson_str(l, "name")) == NULL)
			name = ndjson_str(l, "sku");
		xasprintf(&t, "%s%s%s \xc3\x97 %lld", s, i ? ", " : "",
		    name != NULL ? name : "?",
		    (long long)json_integer_value(json_object_get(l, "qty")));
		free(s);
		s = t;
	}
	l = json_string(s);
	free(s);
	return l;
}

json_t *
split_order(json_t *order, const struct pick_order *o,
    int (*taken_id)(void *arg, const char *id), void *arg)
{
	json_t *lines = json_object_get(order, "lines"), *l, *now, *rest,
	       *later, *bo, *sp, *shorts;
	json_int_t part = 1, next, q, t;
	const char *of = split_of(order);
	char *id;
	size_t i;
	int k;

	if (of == NULL)
		of = ndjson_str(order, "order_id");
	if (json_is_integer(
		json_object_get(json_object_get(order, "split"), "part")))
		part = json_integer_value(
		    json_object_get(json_object_get(order, "split"), "part"));
	/* An id some other order has already is passed over. */
	for (next = part + 1;; next++) {
		xasprintf(&id, "%s/%lld", of, (long long)next);
		if (!taken_id(arg, id))
			break;
		free(id);
	}
	now = json_array();
	rest = json_array();
	later = json_array();
	json_array_foreach(lines, i, l)
	{
		q = json_integer_value(json_object_get(l, "qty"));
		t = taken(o, i);
		if (t > 0)
			json_array_append_new(now, with_qty(l, t));
		if (q - t <= 0)
			continue;
		json_array_append_new(rest, with_qty(l, q - t));
		json_array_append_new(
		    later, json_pack("{s:O?,s:O?,s:I}", "sku",
			       json_object_get(l, "sku"), "name",
			       json_object_get(l, "name"), "qty", q - t));
	}
	/* The backorder: the order as it came, but its id and lines. */
	bo = json_deep_copy(order);
	json_object_set_new(bo, "order_id", json_string(id));
	json_object_set_new(bo, "lines", rest);
	json_object_set_new(bo, "status", json_string(status_name(ST_HELD)));
	shorts = json_array();
	for (k = 0; k < o->nshort; k++)
		json_array_append_new(shorts,
		    json_pack("{s:s,s:I}", "sku", o->shorts[k].item->sku,
			"qty_short", (json_int_t)o->shorts[k].qty));
	json_object_set_new(bo, "pick", json_pack("{s:o}", "short", shorts));
	json_object_set_new(bo, "split",
	    json_pack("{s:s,s:I,s:I}", "of", of, "part", next, "parts", next));
	/* The part going now says what comes later, and under which id. */
	sp = json_pack("{s:s,s:I,s:I,s:s,s:o,s:o,s:o}", "of", of, "part", part,
	    "parts", next, "backorder", id, "now_text", listed(now),
	    "later_text", listed(later), "later", later);
	json_object_set_new(order, "lines", now);
	json_object_set_new(order, "split", sp);
	free(id);
	return bo;
}

const char *
split_of(const json_t *order)
{
	return ndjson_str(json_object_get(order, "split"), "of");
}

int
split_more_to_come(const json_t *order)
{
	return json_array_size(json_object_get(
		   json_object_get(order, "split"), "later")) > 0;
}
