#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "csvin.h"
#include "err.h"
#include "money.h"
#include "ndjson.h"
#include "reader.h"
#include "status.h"

/*
 * The canonical fields a CSV column can fill.  Line fields make one line
 * per row; the others are taken from the first row of an order that has
 * them.  Money is decimal text in major units, converted once the order's
 * currency is known; a line's price_total is the price of all its units.
 */
enum ftype { F_TEXT, F_MONEY, F_LINE_TOTAL };

/* Indexes into fields[], in its order. */
enum {
	F_ORDER_ID,
	F_SOURCE,
	F_PLACED_AT,
	F_CURRENCY,
	F_CUSTOMER_NAME,
	F_CUSTOMER_EMAIL,
	F_CUSTOMER_PHONE,
	F_CUSTOMER_LOCALE,
	F_SHIP_TO_NAME,
	F_SHIP_TO_COMPANY,
	F_SHIP_TO_LINE1,
	F_SHIP_TO_LINE2,
	F_SHIP_TO_CITY,
	F_SHIP_TO_REGION,
	F_SHIP_TO_POSTCODE,
	F_SHIP_TO_COUNTRY,
	F_SHIP_TO_PHONE,
	F_SUBTOTAL,
	F_SHIPPING,
	F_TAX,
	F_DISCOUNT,
	F_TOTAL,
	F_PAYMENT_METHOD,
	F_PAYMENT_COD_AMOUNT,
	F_SERVICE,
	F_WINDOW_FROM,
	F_WINDOW_TO,
	F_PREF_PACKAGING,
	F_PREF_NOTE,
	F_STATUS,
	F_LINES_SKU,
	F_LINES_NAME,
	F_LINES_QTY,
	F_LINES_UNIT_PRICE,
	F_LINES_PRICE_TOTAL,
	NFIELDS
};

/*
 * path is what a map names; parent and leaf place the value (lines.*
 * fields go into each row's line).  The order is canonical: an order is
 * built from these in this order, lines before subtotal, and so needs no
 * reordering later.
 */
static const struct field {
	const char *path;
	const char *parent; /* NULL: a top-level field */
	const char *leaf;
	int line;
	enum ftype type;
} fields[NFIELDS] = {
    [F_ORDER_ID] = {"order_id", NULL, "order_id", 0, F_TEXT},
    [F_SOURCE] = {"source", NULL, "source", 0, F_TEXT},
    [F_PLACED_AT] = {"placed_at", NULL, "placed_at", 0, F_TEXT},
    [F_CURRENCY] = {"currency", NULL, "currency", 0, F_TEXT},
    [F_CUSTOMER_NAME] = {"customer.name", "customer", "name", 0, F_TEXT},
    [F_CUSTOMER_EMAIL] = {"customer.email", "customer", "email", 0, F_TEXT},
    [F_CUSTOMER_PHONE] = {"customer.phone", "customer", "phone", 0, F_TEXT},
    [F_CUSTOMER_LOCALE] = {"customer.locale", "customer", "locale", 0, F_TEXT},
    [F_SHIP_TO_NAME] = {"ship_to.name", "ship_to", "name", 0, F_TEXT},
    [F_SHIP_TO_COMPANY] = {"ship_to.company", "ship_to", "company", 0, F_TEXT},
    [F_SHIP_TO_LINE1] = {"ship_to.line1", "ship_to", "line1", 0, F_TEXT},
    [F_SHIP_TO_LINE2] = {"ship_to.line2", "ship_to", "line2", 0, F_TEXT},
    [F_SHIP_TO_CITY] = {"ship_to.city", "ship_to", "city", 0, F_TEXT},
    [F_SHIP_TO_REGION] = {"ship_to.region", "ship_to", "region", 0, F_TEXT},
    [F_SHIP_TO_POSTCODE] = {"ship_to.postcode", "ship_to", "postcode", 0,
	F_TEXT},
    [F_SHIP_TO_COUNTRY] = {"ship_to.country", "ship_to", "country", 0, F_TEXT},
    [F_SHIP_TO_PHONE] = {"ship_to.phone", "ship_to", "phone", 0, F_TEXT},
    [F_SUBTOTAL] = {"subtotal", NULL, "subtotal", 0, F_MONEY},
    [F_SHIPPING] = {"shipping", NULL, "shipping", 0, F_MONEY},
    [F_TAX] = {"tax", NULL, "tax", 0, F_MONEY},
    [F_DISCOUNT] = {"discount", NULL, "discount", 0, F_MONEY},
    [F_TOTAL] = {"total", NULL, "total", 0, F_MONEY},
    [F_PAYMENT_METHOD] = {"payment.method", "payment", "method", 0, F_TEXT},
    [F_PAYMENT_COD_AMOUNT] = {"payment.cod_amount", "payment", "cod_amount", 0,
	F_MONEY},
    [F_SERVICE] = {"service", NULL, "service", 0, F_TEXT},
    [F_WINDOW_FROM] = {"delivery_window.from", "delivery_window", "from", 0,
	F_TEXT},
    [F_WINDOW_TO] = {"delivery_window.to", "delivery_window", "to", 0, F_TEXT},
    [F_PREF_PACKAGING] = {"preferences.packaging", "preferences", "packaging",
	0, F_TEXT},
    [F_PREF_NOTE] = {"preferences.note", "preferences", "note", 0, F_TEXT},
    [F_STATUS] = {"status", NULL, "status", 0, F_TEXT},
    [F_LINES_SKU] = {"lines.sku", "lines", "sku", 1, F_TEXT},
    [F_LINES_NAME] = {"lines.name", "lines", "name", 1, F_TEXT},
    [F_LINES_QTY] = {"lines.qty", "lines", "qty", 1, F_TEXT},
    [F_LINES_UNIT_PRICE] = {"lines.unit_price", "lines", "unit_price", 1,
	F_MONEY},
    [F_LINES_PRICE_TOTAL] = {"lines.price_total", "lines", "price_total", 1,
	F_LINE_TOTAL},
};

static int
field_index(const char *path)
{
	size_t i;

	for (i = 0; i < NFIELDS; i++)
		if (strcmp(fields[i].path, path) == 0)
			return (int)i;
	return -1;
}

/*
 * A dialect: which columns fill which fields (alternatives separated by
 * '|', the first present wins), and a hook for what a table cannot say.
 */
struct reader;
struct group;

struct dialect {
	const char *name;
	const char *source;
	int delim;
	const char *cols[NFIELDS];
	const char *extra[8]; /* more columns the hook reads */
	/*
	 * Per row: NULL keeps the row's line; a reason moves it to the
	 * order's not_shipped list (a gift card, a line shipped already).
	 */
	const char *(*row)(struct reader *, struct group *, json_t *line);
	/* Per order, once all rows are in. */
	void (*order)(struct reader *, struct group *);
};

struct colmap {
	char *col[NFIELDS];
	enum money_style style;
	int delim;
	char *source;
};

struct group {
	int open;            /* rows are being added */
	char *val[NFIELDS];  /* order-level values, first row that has one */
	json_t *lines;       /* one object per row */
	json_t *not_shipped; /* rows with nothing to ship, and why */
	json_t *order;       /* built when the group is handed out */
	char *key;
	long line;
	char *raw;
	size_t rawlen, rawcap;
	int rows, dropped;
	char bad[200]; /* set: the order is rejected for this */
};

struct reader {
	struct input *in;
	const struct config *cfg;
	enum format fmt;
	const struct dialect *d;
	struct dialect mapped; /* FORMAT_CSV */
	struct csvin *csv;
	struct csvrow *row; /* the row being read */
	int col[NFIELDS];
	int xcol[8];
	enum money_style style;
	const char *source;
	struct group cur, out;
	int eof;
	char *pending_bad; /* a bad row to report next */
	long pending_line;
	char *pending_raw;
};

static const char *
cell(const struct reader *r, int col)
{
	return col >= 0 && (size_t)col < r->row->nf ? r->row->f[col] : "";
}

/* The value of an extra column of the dialect, by its position there. */
static const char *
extra(const struct reader *r, int i)
{
	return cell(r, r->xcol[i]);
}

static int
blank(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return *s == '\0';
}

/* Set an order-level value of the group (a copy of v; NULL clears). */
static void
setval(struct group *g, int f, const char *v)
{
	char *old = g->val[f];

	g->val[f] = v != NULL ? xstrdup(v) : NULL;
	free(old);
}

static int
contains(const char *hay, const char *needle)
{
	return strcasestr(hay, needle) != NULL;
}

/* Shopify: the extra columns its hooks read, by position. */
enum {
	SH_CANCELLED,
	SH_FINANCIAL,
	SH_PAYMENT,
	SH_METHOD,
	SH_REQUIRES,
	SH_LINE_FULFILLED,
	SH_STREET,
	SH_ADDRESS1
};

static const char *
shopify_row(struct reader *r, struct group *g, json_t *line)
{
	(void)g;
	(void)line;
	/* Gift cards and downloads need no parcel; shipped lines are done. */
	if (strcasecmp(extra(r, SH_REQUIRES), "false") == 0)
		return "needs no shipping";
	if (strcasecmp(extra(r, SH_LINE_FULFILLED), "fulfilled") == 0)
		return "fulfilled already";
	return NULL;
}

/* A Shopify shipping method name to a service, unless the map knows it. */
static const char *
guess_service(const struct config *cfg, const char *method)
{
	char low[128];
	size_t i;

	for (i = 0; i < sizeof low - 1 && method[i] != '\0'; i++)
		low[i] = (char)tolower((unsigned char)method[i]);
	low[i] = '\0';
	if (i == 0)
		return "standard";
	if ((cfg->service_map != NULL &&
		json_object_get(cfg->service_map, low) != NULL) ||
	    config_has_service(cfg, low))
		return NULL;
	if (strstr(low, "schedul") != NULL || strstr(low, "timed") != NULL)
		return "scheduled";
	if (strstr(low, "express") != NULL || strstr(low, "expedit") != NULL ||
	    strstr(low, "next day") != NULL || strstr(low, "priority") != NULL)
		return "express";
	return "standard";
}

static void
shopify_order(struct reader *r, struct group *g)
{
	const char *fin = extra(r, SH_FINANCIAL), *pay = extra(r, SH_PAYMENT);
	const char *method = extra(r, SH_METHOD), *svc, *id;

	/* The first row of the order is the one these hooks see. */
	if (!blank(extra(r, SH_CANCELLED)) || strcasecmp(fin, "voided") == 0 ||
	    strcasecmp(fin, "refunded") == 0)
		setval(g, F_STATUS, status_name(ST_CANCELLED));
	if (contains(pay, "cash on delivery") || contains(pay, "(COD)") ||
	    strcasecmp(pay, "cod") == 0)
		setval(g, F_PAYMENT_METHOD, "cod");
	svc = guess_service(r->cfg, method);
	setval(g, F_SERVICE, svc != NULL ? svc : method);
	if (g->val[F_SHIP_TO_LINE1] == NULL && !blank(extra(r, SH_STREET)))
		setval(g, F_SHIP_TO_LINE1, extra(r, SH_STREET));
	/* "#1058" is order 1058. */
	id = g->val[F_ORDER_ID];
	if (id != NULL && id[0] == '#' && id[1] != '\0')
		memmove(g->val[F_ORDER_ID], id + 1, strlen(id));
}

static const struct dialect shopify = {"shopify", "shopify", ',',
    {
	[F_ORDER_ID] = "Name",
	[F_PLACED_AT] = "Created at",
	[F_CURRENCY] = "Currency",
	[F_CUSTOMER_NAME] = "Billing Name|Shipping Name",
	[F_CUSTOMER_EMAIL] = "Email",
	[F_CUSTOMER_PHONE] = "Phone|Billing Phone",
	[F_SHIP_TO_NAME] = "Shipping Name",
	[F_SHIP_TO_COMPANY] = "Shipping Company",
	[F_SHIP_TO_LINE1] = "Shipping Address1",
	[F_SHIP_TO_LINE2] = "Shipping Address2",
	[F_SHIP_TO_CITY] = "Shipping City",
	[F_SHIP_TO_REGION] = "Shipping Province Name|Shipping Province",
	[F_SHIP_TO_POSTCODE] = "Shipping Zip",
	[F_SHIP_TO_COUNTRY] = "Shipping Country",
	[F_SHIP_TO_PHONE] = "Shipping Phone",
	[F_SUBTOTAL] = "Subtotal",
	[F_SHIPPING] = "Shipping",
	[F_TAX] = "Taxes",
	[F_DISCOUNT] = "Discount Amount",
	[F_TOTAL] = "Total",
	[F_PREF_NOTE] = "Notes",
	[F_LINES_SKU] = "Lineitem sku",
	[F_LINES_NAME] = "Lineitem name",
	[F_LINES_QTY] = "Lineitem quantity",
	[F_LINES_UNIT_PRICE] = "Lineitem price",
    },
    {"Cancelled at", "Financial Status", "Payment Method", "Shipping Method",
	"Lineitem requires shipping", "Lineitem fulfillment status",
	"Shipping Street", "Shipping Address1"},
    shopify_row, shopify_order};

enum { AZ_ADDRESS3, AZ_LEVEL, AZ_PAYMENT, AZ_COD, AZ_TOSHIP };

static const char *
amazon_row(struct reader *r, struct group *g, json_t *line)
{
	(void)g;
	/* What is left to ship, when the report says. */
	if (!blank(extra(r, AZ_TOSHIP))) {
		if (strcmp(extra(r, AZ_TOSHIP), "0") == 0)
			return "shipped already";
		/* item-price is for the units bought, not those left. */
		if (json_object_get(line, "qty") != NULL)
			json_object_set(
			    line, "price_qty", json_object_get(line, "qty"));
		json_object_set_new(
		    line, "qty", json_string(extra(r, AZ_TOSHIP)));
	}
	return NULL;
}

static void
amazon_order(struct reader *r, struct group *g)
{
	const char *a3 = extra(r, AZ_ADDRESS3), *lvl = extra(r, AZ_LEVEL);
	const char *l2 = g->val[F_SHIP_TO_LINE2], *svc;
	char *both;

	if (!blank(a3)) {
		if (l2 != NULL && !blank(l2)) {
			xasprintf(&both, "%s, %s", l2, a3);
			setval(g, F_SHIP_TO_LINE2, both);
			free(both);
		} else
			setval(g, F_SHIP_TO_LINE2, a3);
	}
	svc = guess_service(r->cfg, lvl);
	setval(g, F_SERVICE, svc != NULL ? svc : lvl);
	if (strcasecmp(extra(r, AZ_PAYMENT), "cod") == 0) {
		setval(g, F_PAYMENT_METHOD, "cod");
		if (!blank(extra(r, AZ_COD)))
			setval(g, F_PAYMENT_COD_AMOUNT, extra(r, AZ_COD));
	}
}

static const struct dialect amazon = {"amazon", "amazon", '\t',
    {
	[F_ORDER_ID] = "order-id",
	[F_PLACED_AT] = "purchase-date",
	[F_CURRENCY] = "currency",
	[F_CUSTOMER_NAME] = "buyer-name",
	[F_CUSTOMER_EMAIL] = "buyer-email",
	[F_CUSTOMER_PHONE] = "buyer-phone-number",
	[F_SHIP_TO_NAME] = "recipient-name",
	[F_SHIP_TO_LINE1] = "ship-address-1",
	[F_SHIP_TO_LINE2] = "ship-address-2",
	[F_SHIP_TO_CITY] = "ship-city",
	[F_SHIP_TO_REGION] = "ship-state",
	[F_SHIP_TO_POSTCODE] = "ship-postal-code",
	[F_SHIP_TO_COUNTRY] = "ship-country",
	[F_SHIP_TO_PHONE] = "ship-phone-number",
	[F_WINDOW_FROM] = "delivery-start-date",
	[F_WINDOW_TO] = "delivery-end-date",
	[F_LINES_SKU] = "sku",
	[F_LINES_NAME] = "product-name",
	[F_LINES_QTY] = "quantity-purchased",
	[F_LINES_PRICE_TOTAL] = "item-price",
    },
    {"ship-address-3", "ship-service-level", "payment-method",
	"cod-collectible-amount", "quantity-to-ship"},
    amazon_row, amazon_order};

int
format_parse(const char *s, enum format *f)
{
	static const char *const names[] = {
	    "auto", "ndjson", "csv", "shopify", "amazon"};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(s, names[i]) == 0) {
			*f = (enum format)i;
			return 0;
		}
	return -1;
}

/* Map files: {"columns": {field: column}, "number_format", ...} or CSV. */
static int
map_option(struct colmap *m, const char *key, const char *val, char *why,
    size_t whylen)
{
	int f;

	if (strcmp(key, "number_format") == 0) {
		if (money_style_parse(val, &m->style) == -1) {
			snprintf(why, whylen,
			    "number_format: unknown style "
			    "'%.32s' (plain, en, eu, sp, ch)",
			    val);
			return -1;
		}
	} else if (strcmp(key, "delimiter") == 0) {
		if (strcmp(val, "\\t") == 0 || strcmp(val, "tab") == 0)
			m->delim = '\t';
		else if (strlen(val) == 1 && val[0] != '"' && val[0] != '\n')
			m->delim = val[0];
		else {
			snprintf(why, whylen,
			    "delimiter: must be one "
			    "character or \"tab\"");
			return -1;
		}
	} else if (strcmp(key, "source") == 0) {
		free(m->source);
		m->source = xstrdup(val);
	} else if ((f = field_index(key)) != -1) {
		free(m->col[f]);
		m->col[f] = xstrdup(val);
	} else {
		snprintf(why, whylen, "unknown field '%.64s'", key);
		return -1;
	}
	return 0;
}

static int
map_json(struct colmap *m, json_t *j, char *why, size_t whylen)
{
	const char *key;
	json_t *v, *cols;
	char sub[200];

	json_object_foreach(j, key, v)
	{
		if (key[0] == '_' || strcmp(key, "columns") == 0)
			continue;
		if (!json_is_string(v)) {
			snprintf(why, whylen, "%.64s: must be a string", key);
			return -1;
		}
		if (map_option(m, key, json_string_value(v), why, whylen) < 0)
			return -1;
	}
	if ((cols = json_object_get(j, "columns")) == NULL ||
	    !json_is_object(cols)) {
		snprintf(why, whylen, "columns: missing or not an object");
		return -1;
	}
	json_object_foreach(cols, key, v)
	{
		if (key[0] == '_')
			continue;
		if (!json_is_string(v) || field_index(key) == -1) {
			snprintf(sub, sizeof sub, "columns.%.64s: %s", key,
			    json_is_string(v) ? "unknown field"
					      : "must be a column name");
			snprintf(why, whylen, "%s", sub);
			return -1;
		}
		map_option(m, key, json_string_value(v), why, whylen);
	}
	return 0;
}

static int
map_csv(struct colmap *m, const char *path, char *why, size_t whylen)
{
	struct input *in = input_open(path);
	struct csvin *c;
	struct csvrow *row;
	char sub[200];
	int r, fc, cc;

	if (in == NULL) {
		snprintf(why, whylen, "%s", strerror(errno));
		return -1;
	}
	if ((c = csvin_open(in, ',', sub, sizeof sub)) == NULL) {
		snprintf(why, whylen, "%s", sub);
		input_close(in);
		return -1;
	}
	fc = csvin_column(c, "field");
	cc = csvin_column(c, "column");
	if (fc < 0 || cc < 0) {
		snprintf(why, whylen, "the header must be field,column");
		r = CSVIN_BAD;
		goto out;
	}
	while ((r = csvin_next(c, &row, sub, sizeof sub)) == CSVIN_ROW) {
		if (map_option(m, row->f[fc], row->f[cc], sub, sizeof sub) <
		    0) {
			snprintf(why, whylen, "line %ld: %s", row->line, sub);
			r = CSVIN_BAD;
			break;
		}
	}
	if (r != CSVIN_EOF && r != CSVIN_BAD)
		snprintf(why, whylen, "line %ld: %s", row->line, sub);
out:
	csvin_close(c);
	input_close(in);
	return r == CSVIN_EOF ? 0 : -1;
}

struct colmap *
colmap_load(const char *path, char *why, size_t whylen)
{
	struct colmap *m = xcalloc(1, sizeof *m);
	json_error_t e;
	json_t *j;
	const char *dot = strrchr(path, '.');
	int r;

	m->delim = ',';
	if (dot != NULL && strcasecmp(dot, ".csv") == 0)
		r = map_csv(m, path, why, whylen);
	else if ((j = ndjson_load_file(path, JSON_REJECT_DUPLICATES, &e)) ==
		 NULL) {
		if (e.line > 0)
			snprintf(
			    why, whylen, "%d:%d: %s", e.line, e.column, e.text);
		else
			snprintf(why, whylen, "%s", e.text);
		r = -1;
	} else {
		r = json_is_object(j)
			? map_json(m, j, why, whylen)
			: (snprintf(why, whylen, "must be a JSON object"), -1);
		json_decref(j);
	}
	if (r == 0 &&
	    (m->col[F_ORDER_ID] == NULL || m->col[F_LINES_SKU] == NULL ||
		m->col[F_LINES_QTY] == NULL)) {
		snprintf(why, whylen,
		    "order_id, lines.sku and lines.qty "
		    "must be mapped");
		r = -1;
	}
	if (r == -1) {
		colmap_free(m);
		return NULL;
	}
	return m;
}

void
colmap_free(struct colmap *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < NFIELDS; i++)
		free(m->col[i]);
	free(m->source);
	free(m);
}

/* A column the reader wants is in the header twice: -1 and why. */
static int
twice(const char *name, char *why, size_t whylen)
{
	snprintf(
	    why, whylen, "column '%.64s' appears twice in the header", name);
	return -1;
}

/* Resolve the dialect's column names against the header. */
static int
resolve(struct reader *r, char *why, size_t whylen)
{
	char alt[256], *p, *save;
	size_t i;

	for (i = 0; i < NFIELDS; i++) {
		r->col[i] = -1;
		if (r->d->cols[i] == NULL)
			continue;
		snprintf(alt, sizeof alt, "%s", r->d->cols[i]);
		for (p = strtok_r(alt, "|", &save);
		     p != NULL && r->col[i] == -1;
		     p = strtok_r(NULL, "|", &save))
			if ((r->col[i] = csvin_column(r->csv, p)) ==
			    CSVIN_TWICE)
				return twice(p, why, whylen);
		/* A map names its columns: each must be there. */
		if (r->col[i] == -1 && r->fmt == FORMAT_CSV) {
			snprintf(why, whylen,
			    "no column '%.64s' (mapped to "
			    "%s)",
			    r->d->cols[i], fields[i].path);
			return -1;
		}
	}
	for (i = 0; i < 8; i++)
		if ((r->xcol[i] = r->d->extra[i] != NULL
				      ? csvin_column(r->csv, r->d->extra[i])
				      : -1) == CSVIN_TWICE)
			return twice(r->d->extra[i], why, whylen);
	if (r->col[F_ORDER_ID] == -1 || r->col[F_LINES_SKU] == -1 ||
	    r->col[F_LINES_QTY] == -1) {
		snprintf(why, whylen,
		    "not %s %s: the header lacks the order, "
		    "SKU or quantity column",
		    r->fmt == FORMAT_AMAZON ? "an" : "a", r->d->name);
		return -1;
	}
	return 0;
}

/* Which format is this, from its first line. */
static enum format
sniff(struct input *in, const struct colmap *map)
{
	char *line;
	ssize_t n = input_getline(in, &line);
	const char *p;

	input_unget(in);
	if (n < 0)
		return FORMAT_NDJSON; /* empty, or a line too long for CSV */
	p = line;
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '{')
		return FORMAT_NDJSON;
	if (strchr(line, '\t') != NULL && strstr(line, "order-id") != NULL)
		return FORMAT_AMAZON;
	if (strstr(line, "Lineitem quantity") != NULL &&
	    strstr(line, "Name") != NULL)
		return FORMAT_SHOPIFY;
	return map != NULL ? FORMAT_CSV : FORMAT_AUTO;
}

struct reader *
reader_open(struct input *in, enum format fmt, const struct colmap *map,
    const struct config *cfg, const char *source, char *why, size_t whylen)
{
	struct reader *r;
	size_t i;

	if (fmt == FORMAT_AUTO && (fmt = sniff(in, map)) == FORMAT_AUTO) {
		snprintf(why, whylen,
		    "cannot tell the format: name it with "
		    "-f, and give a column map for CSV");
		return NULL;
	}
	if (fmt == FORMAT_CSV && map == NULL) {
		snprintf(why, whylen, "CSV needs a column map (--map)");
		return NULL;
	}
	/* A field left out of the table would be all zeros. */
	for (i = 0; i < NFIELDS; i++)
		if (fields[i].path == NULL)
			abort();
	r = xcalloc(1, sizeof *r);
	r->in = in;
	r->cfg = cfg;
	r->fmt = fmt;
	r->style = MONEY_PLAIN;
	if (fmt == FORMAT_NDJSON)
		return r;
	if (fmt == FORMAT_SHOPIFY)
		r->d = &shopify;
	else if (fmt == FORMAT_AMAZON)
		r->d = &amazon;
	else {
		r->mapped.name = "CSV file matching the map";
		r->mapped.source = map->source != NULL ? map->source : "csv";
		r->mapped.delim = map->delim;
		for (i = 0; i < NFIELDS; i++)
			r->mapped.cols[i] = map->col[i];
		r->style = map->style;
		r->d = &r->mapped;
	}
	r->source = source != NULL ? source : r->d->source;
	if ((r->csv = csvin_open(in, r->d->delim, why, whylen)) == NULL ||
	    resolve(r, why, whylen) == -1) {
		reader_close(r);
		return NULL;
	}
	return r;
}

static void
group_free(struct group *g)
{
	size_t i;

	for (i = 0; i < NFIELDS; i++)
		free(g->val[i]);
	json_decref(g->lines);
	json_decref(g->not_shipped);
	json_decref(g->order);
	free(g->key);
	free(g->raw);
	memset(g, 0, sizeof *g);
}

static void
group_raw(struct group *g, const char *raw, size_t len)
{
	xgrow(&g->raw, &g->rawcap, g->rawlen + len + 2, 1);
	if (g->rawlen > 0)
		g->raw[g->rawlen++] = '\n';
	memcpy(g->raw + g->rawlen, raw, len);
	g->rawlen += len;
	g->raw[g->rawlen] = '\0';
}

/* Start a group with the current row. */
static void
group_start(struct reader *r, struct group *g, const char *key)
{
	group_free(g);
	g->open = 1;
	g->lines = json_array();
	g->key = xstrdup(key);
	g->line = r->row->line;
}

/* Add the current row to the group. */
static void
group_add(struct reader *r, struct group *g)
{
	json_t *line = json_object();
	const char *v, *why;
	size_t i;

	group_raw(g, r->row->raw, r->row->rawlen);
	for (i = 0; i < NFIELDS; i++) {
		if (r->col[i] == -1 || blank(v = cell(r, r->col[i])))
			continue;
		if (fields[i].line)
			json_object_set_new(
			    line, fields[i].leaf, json_string(v));
		else if (g->val[i] == NULL)
			g->val[i] = xstrdup(v);
	}
	if (g->rows++ == 0 && r->d->order != NULL)
		r->d->order(r, g);
	if (r->d->row != NULL && (why = r->d->row(r, g, line)) != NULL) {
		/* Kept on the record, so nothing disappears unseen. */
		if (g->not_shipped == NULL)
			g->not_shipped = json_array();
		json_object_del(line, "unit_price");
		json_object_del(line, "price_total");
		json_object_del(line, "price_qty");
		v = json_string_value(json_object_get(line, "qty"));
		if (v != NULL && v[0] != '\0' &&
		    strspn(v, "0123456789") == strlen(v) && strlen(v) < 10)
			json_object_set_new(line, "qty", json_integer(atol(v)));
		json_object_set_new(line, "reason", json_string(why));
		json_array_append_new(g->not_shipped, line);
		g->dropped++;
		return;
	}
	json_array_append_new(g->lines, line);
}

/*
 * The order, in canonical order: the values in the order of fields[],
 * lines where subtotal would start, not_shipped before status.
 */
static void
group_build(struct reader *r, struct group *g)
{
	json_t *o = json_object(), *sub = NULL;
	const char *parent = NULL;
	size_t i;

	for (i = 0; i < NFIELDS && !fields[i].line; i++) {
		if (i == F_SUBTOTAL)
			json_object_set(o, "lines", g->lines);
		if (i == F_STATUS && g->not_shipped != NULL)
			json_object_set(o, "not_shipped", g->not_shipped);
		/*
		 * Defaults go in their place here, so that normalising
		 * does not append them and reorder the order.
		 */
		if (g->val[i] == NULL &&
		    (i == F_SOURCE ||
			(i == F_CURRENCY && r->cfg->currency != NULL) ||
			i == F_SERVICE ||
			(i == F_PAYMENT_METHOD &&
			    g->val[F_PAYMENT_COD_AMOUNT] == NULL)))
			g->val[i] = xstrdup(i == F_SOURCE     ? r->source
					    : i == F_CURRENCY ? r->cfg->currency
					    : i == F_SERVICE  ? "standard"
							      : "prepaid");
		if (g->val[i] == NULL)
			continue;
		if (fields[i].parent == NULL) {
			json_object_set_new(
			    o, fields[i].leaf, json_string(g->val[i]));
			continue;
		}
		if (parent == NULL || strcmp(parent, fields[i].parent) != 0) {
			parent = fields[i].parent;
			sub = json_object();
			json_object_set_new(o, parent, sub);
		}
		json_object_set_new(
		    sub, fields[i].leaf, json_string(g->val[i]));
	}
	g->order = o;
}

/*
 * Decimal text to minor units at key in o; 0, or -1 with g->bad set,
 * naming the field as obj[i].key (obj NULL: key; i < 0: obj.key).
 */
static int
money_at(struct reader *r, struct group *g, json_t *o, const char *key,
    const char *obj, long i, int exp)
{
	json_t *v = json_object_get(o, key);
	const char *why;
	int64_t x;

	if (v == NULL || !json_is_string(v))
		return 0;
	if (money_parse(json_string_value(v), exp, r->style, &x, &why) < 0) {
		if (obj == NULL)
			snprintf(g->bad, sizeof g->bad, "%s: %s", key, why);
		else if (i < 0)
			snprintf(
			    g->bad, sizeof g->bad, "%s.%s: %s", obj, key, why);
		else
			snprintf(g->bad, sizeof g->bad, "%s[%ld].%s: %s", obj,
			    i, key, why);
		return -1;
	}
	json_object_set_new(o, key, json_integer(x));
	return 0;
}

/* Convert the group's money now that its currency is known. */
static int
group_money(struct reader *r, struct group *g)
{
	const char *cur =
	    json_string_value(json_object_get(g->order, "currency"));
	json_t *l, *pay, *tot, *q;
	int64_t t, n;
	char up[8];
	size_t i;
	int exp;

	if (cur == NULL)
		cur = r->cfg->currency;
	if (cur == NULL)
		return 0; /* order_normalise() says what is missing */
	for (i = 0; i < sizeof up - 1 && cur[i] != '\0'; i++)
		up[i] = (char)toupper((unsigned char)cur[i]);
	up[i] = '\0';
	if ((exp = money_exponent(up)) == -1)
		return 0; /* and what is wrong */
	for (i = 0; i < NFIELDS; i++)
		if (!fields[i].line && fields[i].type == F_MONEY &&
		    fields[i].parent == NULL &&
		    money_at(r, g, g->order, fields[i].leaf, NULL, -1, exp) < 0)
			return -1;
	if ((pay = json_object_get(g->order, "payment")) != NULL &&
	    money_at(r, g, pay, "cod_amount", "payment", -1, exp) < 0)
		return -1;
	json_array_foreach(g->lines, i, l)
	{
		if (money_at(r, g, l, "unit_price", "lines", (long)i, exp) <
			0 ||
		    money_at(r, g, l, "price_total", "lines", (long)i, exp) < 0)
			return -1;
		if ((tot = json_object_get(l, "price_total")) == NULL) {
			json_object_del(l, "price_qty");
			continue;
		}
		/* A price for all the units: each costs its share. */
		if ((q = json_object_get(l, "price_qty")) == NULL)
			q = json_object_get(l, "qty");
		n = json_is_string(q) ? strtoll(json_string_value(q), NULL, 10)
				      : 0;
		t = json_integer_value(tot);
		if (json_object_get(l, "unit_price") == NULL && n > 0) {
			if (t % n != 0) {
				snprintf(g->bad, sizeof g->bad,
				    "lines[%zu]: "
				    "price %lld does not divide by qty %lld",
				    i, (long long)t, (long long)n);
				return -1;
			}
			json_object_set_new(
			    l, "unit_price", json_integer(t / n));
		}
		json_object_del(l, "price_total");
		json_object_del(l, "price_qty");
	}
	return 0;
}

/* Hand the finished group out as a record. */
static int
group_out(struct reader *r, struct record *rec)
{
	struct group *g = &r->out;

	rec->line = g->line;
	rec->raw = g->raw != NULL ? g->raw : "";
	rec->rawlen = g->rawlen;
	rec->header = csvin_header(r->csv);
	group_build(r, g);
	if (g->bad[0] != '\0') {
		snprintf(rec->why, sizeof rec->why, "%s", g->bad);
		rec->order = json_incref(g->order); /* for its id */
		return READ_BAD;
	}
	if (json_array_size(g->lines) == 0 && g->dropped > 0) {
		snprintf(rec->why, sizeof rec->why,
		    "nothing to ship: every "
		    "line is shipped already or needs no shipping");
		return READ_SKIP;
	}
	if (group_money(r, g) < 0) {
		snprintf(rec->why, sizeof rec->why, "%s", g->bad);
		rec->order = json_incref(g->order);
		return READ_BAD;
	}
	rec->order = json_incref(g->order);
	return READ_ORDER;
}

/* Rotate: the group being built is finished and handed out. */
static void
finish(struct reader *r)
{
	group_free(&r->out);
	r->out = r->cur;
	memset(&r->cur, 0, sizeof r->cur);
}

static int
next_csv(struct reader *r, struct record *rec)
{
	const char *key;
	int c;

	for (;;) {
		if (r->pending_bad != NULL) {
			/* A malformed row is reported after its group. */
			snprintf(
			    rec->why, sizeof rec->why, "%s", r->pending_bad);
			free(r->pending_bad);
			r->pending_bad = NULL;
			group_free(&r->out);
			r->out.raw = r->pending_raw;
			r->out.rawlen = strlen(r->pending_raw);
			r->pending_raw = NULL;
			rec->line = r->pending_line;
			rec->raw = r->out.raw;
			rec->rawlen = r->out.rawlen;
			rec->header = csvin_header(r->csv);
			return READ_BAD;
		}
		if (r->eof) {
			if (!r->cur.open)
				return READ_EOF;
			finish(r);
			return group_out(r, rec);
		}
		c = csvin_next(r->csv, &r->row, rec->why, sizeof rec->why);
		if (c == CSVIN_ERROR)
			return READ_ERROR;
		if (c == CSVIN_EOF) {
			r->eof = 1;
			continue;
		}
		if (c == CSVIN_BAD) {
			/*
			 * The row cannot be read, so neither can the order
			 * it may belong to: both are set aside.
			 */
			r->pending_bad = xstrdup(rec->why);
			r->pending_line = r->row->line;
			r->pending_raw = xstrndup(r->row->raw, r->row->rawlen);
			if (r->cur.open && r->cur.bad[0] == '\0')
				snprintf(r->cur.bad, sizeof r->cur.bad,
				    "set aside: the malformed row after it "
				    "(line %ld) may be part of it",
				    r->row->line);
			if (r->cur.open) {
				finish(r);
				c = group_out(r, rec);
				/* Rows that follow with its key join it. */
				r->cur.key = r->out.key != NULL
						 ? xstrdup(r->out.key)
						 : NULL;
				return c;
			}
			continue;
		}
		key = cell(r, r->col[F_ORDER_ID]);
		if (r->cur.open && strcmp(key, r->cur.key) == 0) {
			group_add(r, &r->cur);
			continue;
		}
		if (!r->cur.open && r->cur.key != NULL &&
		    strcmp(key, r->cur.key) == 0) {
			/* The rest of an order already set aside. */
			group_start(r, &r->cur, key);
			snprintf(r->cur.bad, sizeof r->cur.bad,
			    "set aside: "
			    "part of an order with a malformed row");
			group_add(r, &r->cur);
			continue;
		}
		if (!r->cur.open) {
			group_start(r, &r->cur, key);
			group_add(r, &r->cur);
			continue;
		}
		finish(r);
		group_start(r, &r->cur, key);
		group_add(r, &r->cur);
		return group_out(r, rec);
	}
}

static int
next_ndjson(struct reader *r, struct record *rec)
{
	ssize_t n;
	char *line;
	const char *p;

	for (;;) {
		n = input_getline(r->in, &line);
		rec->line = input_lineno(r->in);
		rec->header = NULL;
		if (n == INPUT_EOF)
			return READ_EOF;
		if (n == INPUT_ERROR) {
			snprintf(rec->why, sizeof rec->why, "%s",
			    input_error(r->in));
			return READ_ERROR;
		}
		if (n == INPUT_TOOLONG) {
			rec->raw = "";
			rec->rawlen = 0;
			snprintf(rec->why, sizeof rec->why,
			    "line longer than "
			    "%ld bytes",
			    INPUT_MAX_LINE);
			return READ_BAD;
		}
		for (p = line; p < line + n && isspace((unsigned char)*p); p++)
			;
		if (p == line + n)
			continue; /* blank lines are no orders */
		rec->raw = line;
		rec->rawlen = (size_t)n;
		rec->order =
		    ndjson_parse(line, (size_t)n, rec->why, sizeof rec->why);
		return rec->order != NULL ? READ_ORDER : READ_BAD;
	}
}

int
reader_next(struct reader *r, struct record *rec)
{
	rec->order = NULL;
	rec->why[F_ORDER_ID] = '\0';
	if (r->fmt == FORMAT_NDJSON)
		return next_ndjson(r, rec);
	return next_csv(r, rec);
}

void
reader_close(struct reader *r)
{
	if (r == NULL)
		return;
	group_free(&r->cur);
	group_free(&r->out);
	free(r->pending_bad);
	free(r->pending_raw);
	csvin_close(r->csv);
	free(r);
}
