#include <stdint.h>
#include <string.h>

#include "config.h"
#include "promo.h"
#include "when.h"

static int
buys(const struct promo *p, const char *sku)
{
	size_t i;

	for (i = 0; i < p->nbuy; i++)
		if (strcmp(p->buy_any[i], sku) == 0)
			return 1;
	return 0;
}

/* Units of the rule's SKUs bought, the lines' value, and gift presence. */
static void
scan(const struct promo *p, json_t *lines, int64_t *units, int64_t *value,
    int *has_gift)
{
	json_t *l;
	size_t i;

	*units = *value = 0;
	*has_gift = 0;
	json_array_foreach(lines, i, l)
	{
		const char *sku = json_string_value(json_object_get(l, "sku"));
		int64_t q = json_integer_value(json_object_get(l, "qty"));
		int64_t u =
		    json_integer_value(json_object_get(l, "unit_price"));

		if (json_is_true(json_object_get(l, "gift"))) {
			if (strcmp(sku, p->gift_sku) == 0)
				*has_gift = 1;
			continue;
		}
		if (p->nbuy == 0 || buys(p, sku))
			*units += q;
		if (!__builtin_mul_overflow(q, u, &u))
			*value = __builtin_add_overflow(*value, u, value)
				     ? INT64_MAX
				     : *value;
	}
}

int
promo_apply(const struct config *c, json_t *order)
{
	json_t *lines = json_object_get(order, "lines"), *total, *g;
	const char *cur = json_string_value(json_object_get(order, "currency"));
	int64_t units, value, qty;
	struct when placed;
	size_t i;
	int has, added = 0;

	if (c->npromos == 0 ||
	    when_parse(json_string_value(json_object_get(order, "placed_at")),
		&placed) == -1)
		return 0;
	for (i = 0; i < c->npromos; i++) {
		const struct promo *p = &c->promos[i];

		if (placed.t < p->from || placed.t > p->to)
			continue;
		scan(p, lines, &units, &value, &has);
		if (has || units == 0)
			continue;
		if (p->min_total >= 0) {
			if (strcmp(cur, p->currency) != 0)
				continue;
			total = json_object_get(order, "total");
			if ((total != NULL ? json_integer_value(total)
					   : value) < p->min_total)
				continue;
		}
		qty = p->per_unit ? p->qty * units : p->qty;
		if (qty > p->limit)
			qty = p->limit;
		g = json_pack("{s:s,s:s?,s:I,s:i,s:b,s:s}", "sku", p->gift_sku,
		    "name", p->gift_name, "qty", (json_int_t)qty, "unit_price",
		    0, "gift", 1, "promotion", p->id);
		json_array_append_new(lines, g);
		added++;
	}
	return added;
}
