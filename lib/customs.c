#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "config.h"
#include "country.h"
#include "customs.h"
#include "err.h"
#include "money.h"
#include "ndjson.h"

/* The fields a line may lack, as the record and the warning name them. */
static const char *const fields[] = {
    "hs_code", "origin_country", "value", "weight_g"};

/* The country the parcel leaves: the customer's for a return. */
static const char *
from_country(const struct config *cfg, const json_t *j)
{
	const char *c = ndjson_str(json_object_get(j, "ship_from"), "country");

	return c != NULL ? c : cfg->customs.home;
}

/* 1 if value in currency is below the CN22 limit set for it. */
static int
below_limit(const struct config *cfg, const char *currency, int64_t value)
{
	size_t i;

	for (i = 0; i < cfg->customs.ncn22; i++)
		if (strcmp(cfg->customs.cn22[i].currency, currency) == 0)
			return value < cfg->customs.cn22[i].amount;
	return 0;
}

/* A string or JSON null. */
static json_t *
str_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

/*
 * One line of the declaration, from the order line and its catalogue
 * row (may be NULL); what it lacks is listed under "missing".
 */
static json_t *
item(const json_t *l, const struct item *it, const char *currency)
{
	json_int_t qty = json_integer_value(json_object_get(l, "qty"));
	const json_t *price = json_object_get(l, "unit_price");
	const char *sku = ndjson_str(l, "sku");
	const char *desc = it != NULL && it->customs_description != NULL
			       ? it->customs_description
			       : ndjson_str(l, "name");
	json_t *o, *miss = json_array();
	size_t i;

	if (desc == NULL && it != NULL)
		desc = it->name;
	o = json_pack("{s:o,s:o,s:I,s:o,s:s,s:o,s:o,s:o}", "sku",
	    str_or_null(sku), "description", str_or_null(desc), "qty", qty,
	    "value",
	    json_is_integer(price)
		? json_integer(json_integer_value(price) * qty)
		: json_null(),
	    "currency", currency, "weight_g",
	    it != NULL ? json_integer(it->weight_g * qty) : json_null(),
	    "hs_code", str_or_null(it != NULL ? it->hs_code : NULL),
	    "origin_country",
	    str_or_null(it != NULL ? it->origin_country : NULL));
	if (json_is_true(json_object_get(l, "gift")))
		json_object_set_new(o, "gift", json_true());
	for (i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		if (!json_is_null(json_object_get(o, fields[i])))
			continue;
		json_array_append_new(miss, json_string(fields[i]));
	}
	if (json_array_size(miss) > 0)
		json_object_set(o, "missing", miss);
	json_decref(miss);
	return o;
}

json_t *
customs_declare(const struct config *cfg, const struct catalog *cat,
    const json_t *j, const char *file, long line)
{
	json_t *d = customs_build(cfg, cat, j);

	customs_warn(d, j, file, line);
	return d;
}

void
customs_warn(const json_t *d, const json_t *j, const char *file, long line)
{
	const char *order = ndjson_str(j, "order_id"), *sku;
	const json_t *o, *m;
	size_t i, k;

	json_array_foreach(json_object_get(d, "items"), i, o)
	{
		sku = ndjson_str(o, "sku");
		json_array_foreach(json_object_get(o, "missing"), k, m)
		{
			err_line(file, line,
			    "order %s: warning: SKU %s: no %s for the "
			    "customs declaration",
			    order ? order : "(none)",
			    sku != NULL ? sku : "(none)",
			    json_string_value(m));
		}
	}
}

json_t *
customs_build(
    const struct config *cfg, const struct catalog *cat, const json_t *j)
{
	const char *from = from_country(cfg, j), *currency, *sku;
	const char *to = ndjson_str(json_object_get(j, "ship_to"), "country");
	const struct item *it;
	json_t *items = json_array(), *l, *o;
	int64_t value = 0, weight = 0;
	size_t i, gifts = 0;

	if (!cfg->customs.enabled || from == NULL || to == NULL ||
	    strcmp(from, to) == 0) {
		json_decref(items);
		return NULL;
	}
	if ((currency = ndjson_str(j, "currency")) == NULL &&
	    (currency = cfg->currency) == NULL)
		currency = "";
	json_array_foreach(json_object_get(j, "lines"), i, l)
	{
		sku = ndjson_str(l, "sku");
		it = sku != NULL && cat != NULL ? catalog_find(cat, sku) : NULL;
		o = item(l, it, currency);
		value += json_integer_value(json_object_get(o, "value"));
		weight += json_integer_value(json_object_get(o, "weight_g"));
		gifts += json_is_true(json_object_get(o, "gift"));
		json_array_append_new(items, o);
	}
	return json_pack("{s:s,s:s,s:s,s:s,s:o,s:I,s:s,s:I}", "form",
	    below_limit(cfg, currency, value) ? "CN22" : "CN23", "category",
	    json_is_object(json_object_get(j, "ship_from")) ? "returned_goods"
	    : gifts > 0 && gifts == json_array_size(items)  ? "gift"
							    : "sale_of_goods",
	    "from_country", from, "to_country", to, "items", items,
	    "total_value", (json_int_t)value, "currency", currency,
	    "total_weight_g", (json_int_t)weight);
}

/*
 * The form and the strings its cells point to: customs_form() hands out
 * &f, customs_form_free() takes it back.
 */
struct owned_form {
	struct form f;
	size_t cap;
	char **strs;
	size_t nstrs, strcap;
};

/* A new row; rule: a line above it. */
static struct form_row *
row(struct owned_form *of, int rule)
{
	struct form_row *r;

	xgrow(&of->f.rows, &of->cap, of->f.n + 1, sizeof *of->f.rows);
	r = &of->f.rows[of->f.n++];
	memset(r, 0, sizeof *r);
	r->rule = rule;
	return r;
}

/* A cell in r holding s, which the form now owns. */
static void
cell(struct owned_form *of, struct form_row *r, char *s, double share,
    double size, int bold, int max)
{
	if (r->n == FORM_CELLS) {
		free(s);
		return;
	}
	xgrow(&of->strs, &of->strcap, of->nstrs + 1, sizeof *of->strs);
	of->strs[of->nstrs++] = s;
	r->cell[r->n++] = (struct form_cell){s, share, size, bold, max, 0};
}

static char *
dup_or_empty(const char *s)
{
	return xstrdup(s != NULL ? s : "");
}

/* "1234.50" in the currency's minor units, or "missing". */
static char *
amount(const json_t *v, const char *currency)
{
	char buf[MONEY_FORMAT_MAX];
	int e = money_exponent(currency);

	if (!json_is_integer(v) || money_format(json_integer_value(v),
				       e < 0 ? 2 : e, buf, sizeof buf) == -1)
		return xstrdup("MISSING");
	return xstrdup(buf);
}

static char *
grams(const json_t *v)
{
	char *s;

	if (!json_is_integer(v))
		return xstrdup("MISSING");
	xasprintf(&s, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	return s;
}

/* w added to the end of *s, after sep unless *s is empty. */
static void
append(char **s, const char *sep, const char *w)
{
	char *t;

	xasprintf(&t, "%s%s%s", *s, **s != '\0' ? sep : "", w);
	free(*s);
	*s = t;
}

static int
given(const char *s)
{
	return s != NULL && s[0] != '\0';
}

/* An address as one text: name, lines, place, country in English. */
static char *
place(const char *tag, const struct label_addr *a)
{
	const char *c = country_name(a->country);
	const char *w[] = {
	    a->name, a->line1, a->line2, NULL, c != NULL ? c : a->country};
	const char *pl[] = {a->postcode, a->city, a->region};
	char *s = xstrdup(""), *where = xstrdup(""), *out;
	size_t i;

	for (i = 0; i < sizeof pl / sizeof pl[0]; i++)
		if (given(pl[i]))
			append(&where, " ", pl[i]);
	w[3] = where;
	for (i = 0; i < sizeof w / sizeof w[0]; i++)
		if (given(w[i]))
			append(&s, ", ", w[i]);
	xasprintf(&out, "%s %s", tag, s);
	free(where);
	free(s);
	return out;
}

static const struct {
	const char *code, *words;
} categories[] = {{"sale_of_goods", "Sale of goods"}, {"gift", "Gift"},
    {"returned_goods", "Returned goods"}};

/* The category boxes, the declaration's ticked. */
static char *
category(const char *code)
{
	char *s = xstrdup("Category of item:"), *box;
	size_t i;

	for (i = 0; i < sizeof categories / sizeof categories[0]; i++) {
		xasprintf(&box, "[%s] %s",
		    code != NULL && strcmp(code, categories[i].code) == 0 ? "X"
									  : " ",
		    categories[i].words);
		append(&s, "  ", box);
		free(box);
	}
	return s;
}

/* The columns of the contents, their shares of the width. */
static const double cols[] = {0.36, 0.07, 0.13, 0.15, 0.16, 0.13};

static void
contents(struct owned_form *of, const json_t *d, const char *currency)
{
	const char *head[] = {"Description of contents", "Qty", "Weight (g)",
	    NULL, "HS tariff no.", "Origin"};
	struct form_row *r = row(of, 1);
	const json_t *it;
	char *value;
	size_t i;
	int k;

	xasprintf(&value, "Value (%s)", currency);
	for (k = 0; k < 6; k++)
		cell(of, r, head[k] ? xstrdup(head[k]) : value, cols[k], 20, 1,
		    3);
	json_array_foreach(json_object_get(d, "items"), i, it)
	{
		const char *desc = ndjson_str(it, "description");
		const char *hs = ndjson_str(it, "hs_code");
		const char *origin = ndjson_str(it, "origin_country");
		char *text;

		xasprintf(&text, "%s%s", desc ? desc : "MISSING",
		    json_is_true(json_object_get(it, "gift")) ? " (gift)" : "");
		r = row(of, 0);
		cell(of, r, text, cols[0], 22, 0, 4);
		cell(of, r, grams(json_object_get(it, "qty")), cols[1], 20, 0,
		    1);
		cell(of, r, grams(json_object_get(it, "weight_g")), cols[2], 20,
		    0, 1);
		cell(of, r, amount(json_object_get(it, "value"), currency),
		    cols[3], 20, 0, 1);
		cell(of, r, xstrdup(hs ? hs : "MISSING"), cols[4], 20, 0, 1);
		cell(of, r, xstrdup(origin ? origin : "MISSING"), cols[5], 20,
		    0, 1);
	}
	r = row(of, 1);
	cell(of, r, xstrdup("Total"), cols[0] + cols[1], 22, 1, 1);
	cell(of, r, grams(json_object_get(d, "total_weight_g")), cols[2], 22, 1,
	    1);
	cell(of, r, amount(json_object_get(d, "total_value"), currency),
	    cols[3], 20, 1, 1);
}

/* "Incomplete, missing: TEA-1 hs_code, TEA-2 origin_country", or NULL. */
static char *
missing(const json_t *d)
{
	const json_t *it, *m;
	const char *sku;
	char *s = xstrdup(""), *one, *out;
	size_t i, k;

	json_array_foreach(json_object_get(d, "items"), i, it)
	{
		sku = ndjson_str(it, "sku") ? ndjson_str(it, "sku") : "?";
		json_array_foreach(json_object_get(it, "missing"), k, m)
		{
			xasprintf(&one, "%s %s", sku, json_string_value(m));
			append(&s, ", ", one);
			free(one);
		}
	}
	if (s[0] == '\0') {
		free(s);
		return NULL;
	}
	xasprintf(&out, "Incomplete, missing: %s", s);
	free(s);
	return out;
}

struct form *
customs_form(const json_t *d, const struct label *l)
{
	struct owned_form *of = xcalloc(1, sizeof *of);
	const char *form = ndjson_str(d, "form");
	const char *currency = ndjson_str(d, "currency");
	struct form_row *r;
	char *s;

	currency = currency ? currency : "";
	r = row(of, 0);
	cell(of, r, dup_or_empty(form), 0.25, 60, 1, 1);
	cell(of, r, xstrdup("CUSTOMS DECLARATION"), 0.75, 36, 1, 1);
	r = row(of, 0);
	cell(of, r, xstrdup("May be opened officially"), 0.5, 22, 0, 2);
	xasprintf(&s, "Designated operator: %s", l->carrier ? l->carrier : "");
	cell(of, r, s, 0.5, 22, 0, 2);
	r = row(of, 1);
	cell(of, r, place("From (sender):", &l->from), 1, 22, 0, 3);
	r = row(of, 0);
	cell(of, r, place("To (addressee):", &l->to), 1, 22, 0, 3);
	r = row(of, 1);
	cell(of, r, category(ndjson_str(d, "category")), 1, 22, 0, 2);
	contents(of, d, currency);
	if ((s = missing(d)) != NULL) {
		r = row(of, 1);
		cell(of, r, s, 1, 22, 1, 3);
	}
	r = row(of, 1);
	xasprintf(&s, "Order %s  Tracking %s", l->order_ref ? l->order_ref : "",
	    l->tracking ? l->tracking : "");
	cell(of, r, s, 1, 22, 0, 2);
	r = row(of, 1);
	cell(of, r,
	    xstrdup("I certify that the particulars given in this "
		    "declaration are correct and that this item does not "
		    "contain any dangerous article or articles prohibited by "
		    "legislation or by postal or customs regulations."),
	    1, 20, 0, 5);
	r = row(of, 0); /* room to sign */
	cell(of, r, xstrdup(""), 1, 48, 0, 1);
	r = row(of, 0);
	xasprintf(&s, "Date: %s", l->date ? l->date : "");
	cell(of, r, s, 0.4, 24, 0, 2);
	cell(of, r, xstrdup("Sender's signature: ________"), 0.6, 24, 0, 2);
	return &of->f;
}

void
customs_form_free(struct form *f)
{
	struct owned_form *of = (struct owned_form *)f;
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < of->nstrs; i++)
		free(of->strs[i]);
	free(of->strs);
	free(of->f.rows);
	free(of);
}
