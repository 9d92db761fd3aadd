#include <ctype.h>
#include <errno.h>
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
#include "reader_int.h"
#include "recparse.h"
#include "status.h"
#include "utf8.h"

/*
 * The canonical fields, in canonical order: an order is built from these
 * in this order (lines where subtotal starts, not_shipped before status)
 * and so needs no reordering later.  Line fields make one line per row;
 * the others are taken from the first row of an order that has them.
 */
const struct field fields[NFIELDS] = {
    [F_ORDER_ID] = {"order_id", NULL, "order_id", 0},
    [F_SOURCE] = {"source", NULL, "source", 0},
    [F_PLACED_AT] = {"placed_at", NULL, "placed_at", FL_TIME},
    [F_CURRENCY] = {"currency", NULL, "currency", 0},
    [F_CUSTOMER_NAME] = {"customer.name", "customer", "name", 0},
    [F_CUSTOMER_EMAIL] = {"customer.email", "customer", "email", 0},
    [F_CUSTOMER_PHONE] = {"customer.phone", "customer", "phone", FL_PHONE},
    [F_CUSTOMER_LOCALE] = {"customer.locale", "customer", "locale", 0},
    [F_SHIP_TO_NAME] = {"ship_to.name", "ship_to", "name", 0},
    [F_SHIP_TO_COMPANY] = {"ship_to.company", "ship_to", "company", 0},
    [F_SHIP_TO_LINE1] = {"ship_to.line1", "ship_to", "line1", 0},
    [F_SHIP_TO_LINE2] = {"ship_to.line2", "ship_to", "line2", 0},
    [F_SHIP_TO_CITY] = {"ship_to.city", "ship_to", "city", 0},
    [F_SHIP_TO_REGION] = {"ship_to.region", "ship_to", "region", 0},
    [F_SHIP_TO_POSTCODE] = {"ship_to.postcode", "ship_to", "postcode",
	FL_POSTCODE},
    [F_SHIP_TO_COUNTRY] = {"ship_to.country", "ship_to", "country", FL_COUNTRY},
    [F_SHIP_TO_PHONE] = {"ship_to.phone", "ship_to", "phone", FL_PHONE},
    [F_SUBTOTAL] = {"subtotal", NULL, "subtotal", FL_MONEY},
    [F_SHIPPING] = {"shipping", NULL, "shipping", FL_MONEY},
    [F_TAX] = {"tax", NULL, "tax", FL_MONEY},
    [F_DISCOUNT] = {"discount", NULL, "discount", FL_MONEY},
    [F_TOTAL] = {"total", NULL, "total", FL_MONEY},
    [F_PAYMENT_METHOD] = {"payment.method", "payment", "method", 0},
    [F_PAYMENT_COD_AMOUNT] = {"payment.cod_amount", "payment", "cod_amount",
	FL_MONEY},
    [F_PAYMENT_STATUS] = {"payment.status", "payment", "status", 0},
    [F_PAYMENT_OUTSTANDING] = {"payment.outstanding", "payment", "outstanding",
	FL_MONEY},
    [F_PAYMENT_REFUNDED] = {"payment.refunded", "payment", "refunded",
	FL_MONEY},
    [F_SERVICE] = {"service", NULL, "service", 0},
    [F_WINDOW_FROM] = {"delivery_window.from", "delivery_window", "from",
	FL_TIME},
    [F_WINDOW_TO] = {"delivery_window.to", "delivery_window", "to", FL_TIME},
    [F_PREF_PACKAGING] = {"preferences.packaging", "preferences", "packaging",
	0},
    [F_PREF_NOTE] = {"preferences.note", "preferences", "note", 0},
    [F_SHIPPING_METHOD] = {"shipping_method", NULL, "shipping_method", 0},
    [F_FULFILLMENT_STATUS] = {"fulfillment_status", NULL, "fulfillment_status",
	0},
    [F_CANCELLED_AT] = {"cancelled_at", NULL, "cancelled_at", FL_TIME},
    [F_STATUS] = {"status", NULL, "status", 0},
    [F_LINES_SKU] = {"lines.sku", "lines", "sku", FL_LINE},
    [F_LINES_NAME] = {"lines.name", "lines", "name", FL_LINE},
    [F_LINES_VARIANT] = {"lines.variant", "lines", "variant", FL_LINE},
    [F_LINES_QTY] = {"lines.qty", "lines", "qty", FL_LINE},
    [F_LINES_UNIT_PRICE] = {"lines.unit_price", "lines", "unit_price",
	FL_LINE | FL_MONEY},
    [F_LINES_PRICE_TOTAL] = {"lines.price_total", "lines", "price_total",
	FL_LINE | FL_LINE_TOTAL},
    [F_LINES_FULFILMENT] = {"lines.fulfilment", "lines", "fulfilment", FL_LINE},
    [F_LINES_SHIPPED_QTY] = {"lines.shipped_qty", "lines", "shipped_qty",
	FL_LINE | FL_INPUT},
    [F_LINES_REFUNDED_QTY] = {"lines.refunded_qty", "lines", "refunded_qty",
	FL_LINE | FL_INPUT},
};

/* The words the record contract allows in these fields. */
static const char *const payment_words[] = {"paid", "pending", "authorized",
    "partially_paid", "refunded", "partially_refunded", "voided", NULL};
static const char *const fulfillment_words[] = {
    "fulfilled", "partial", "unfulfilled", "restocked", NULL};

int
field_index(const char *path)
{
	size_t i;

	for (i = 0; i < NFIELDS; i++)
		if (strcmp(fields[i].path, path) == 0)
			return (int)i;
	return -1;
}

static int
one_of(const char *s, const char *const *words)
{
	for (; *words != NULL; words++)
		if (strcmp(s, *words) == 0)
			return 1;
	return 0;
}

/* The items file of a joined export, read whole before the orders. */
struct items {
	struct src src;
	struct csvrow *rows;
	size_t n, cap;
	json_t *byid; /* order id -> [row index, ...] */
	char *header;
};

const char *
reader_cell(const struct reader *r, int col)
{
	const struct csvrow *row = r->cur->row;

	return col >= 0 && (size_t)col < row->nf ? row->f[col] : "";
}

const char *
reader_extra(const struct reader *r, int i)
{
	return reader_cell(r, r->cur->xcol[i]);
}

int
reader_blank(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return *s == '\0';
}

void
reader_setval(struct group *g, int f, const char *v)
{
	char *old = g->val[f];

	g->val[f] = v != NULL ? xstrdup(v) : NULL;
	free(old);
}

const char *
reader_guess_service(const struct config *cfg, const char *method)
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

int
format_parse(const char *s, enum format *f)
{
	static const char *const names[] = {"auto", "ndjson", "csv", "shopify",
	    "amazon", "woocommerce", "etsy", "taobao"};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(s, names[i]) == 0) {
			*f = (enum format)i;
			return 0;
		}
	return -1;
}

/* A column the reader wants is in the header twice: -1 and why. */
static int
twice(const char *name, char *why, size_t whylen)
{
	snprintf(
	    why, whylen, "column '%.64s' appears twice in the header", name);
	return -1;
}

/*
 * One column spec against the header: alternatives split by '|', each
 * perhaps columns joined by JOIN.  0 with ref->n == 0 when none is
 * there; -1 when a column wanted is there twice.
 */
static int
resolve_one(struct csvin *csv, const char *spec, struct colref *ref, char *why,
    size_t whylen)
{
	char alt[512], *p, *save, *q, *save2;
	int c, idx[4], n, whole;

	memset(ref, 0, sizeof *ref);
	snprintf(alt, sizeof alt, "%s", spec);
	for (p = strtok_r(alt, "|", &save); p != NULL;
	     p = strtok_r(NULL, "|", &save)) {
		if (strstr(p, JOIN) == NULL) {
			if ((c = csvin_column(csv, p)) == CSVIN_TWICE)
				return twice(p, why, whylen);
			if (c >= 0 && ref->n < 4 && !ref->join)
				ref->idx[ref->n++] = c;
			continue;
		}
		n = 0;
		whole = 1;
		for (q = strtok_r(p, JOIN, &save2); q != NULL && n < 4;
		     q = strtok_r(NULL, JOIN, &save2)) {
			if ((c = csvin_column(csv, q)) == CSVIN_TWICE)
				return twice(q, why, whylen);
			if (c < 0)
				whole = 0;
			idx[n++] = c;
		}
		if (whole && ref->n == 0) {
			memcpy(ref->idx, idx, sizeof idx);
			ref->n = n;
			ref->join = 1;
		}
	}
	return 0;
}

/* A map's column is not in the header: -1, naming the first missing. */
static int
missing(struct csvin *csv, const char *spec, const char *path, char *why,
    size_t whylen)
{
	char name[256];
	size_t n;

	for (;;) {
		n = strcspn(spec, "|" JOIN);
		snprintf(name, sizeof name, "%.*s", (int)n, spec);
		if (csvin_column(csv, name) < 0 || spec[n] == '\0')
			break;
		spec += n + 1;
	}
	snprintf(why, whylen, "no column '%.64s' (mapped to %s)", name, path);
	return -1;
}

/*
 * Resolve a dialect's column names (cols and extra) against a header.
 * strict: every column named must be there (a map's).
 */
static int
resolve(struct src *s, const char *const *cols, const char *const *extra,
    int strict, char *why, size_t whylen)
{
	size_t i;

	for (i = 0; i < NFIELDS; i++) {
		memset(&s->col[i], 0, sizeof s->col[i]);
		if (cols[i] == NULL)
			continue;
		if (resolve_one(s->csv, cols[i], &s->col[i], why, whylen) < 0)
			return -1;
		if (s->col[i].n == 0 && strict)
			return missing(
			    s->csv, cols[i], fields[i].path, why, whylen);
	}
	for (i = 0; i < MAXEXTRA; i++)
		if ((s->xcol[i] = extra[i] != NULL
				      ? csvin_column(s->csv, extra[i])
				      : -1) == CSVIN_TWICE)
			return twice(extra[i], why, whylen);
	return 0;
}

/* The raw value of a field in a row: the first alternative not blank. */
static const char *
raw_value(
    const struct reader *r, const struct colref *ref, char *buf, size_t len)
{
	const char *v;
	size_t used = 0;
	int i;

	if (!ref->join) {
		for (i = 0; i < ref->n; i++)
			if (!reader_blank(v = reader_cell(r, ref->idx[i])))
				return v;
		return "";
	}
	buf[0] = '\0';
	for (i = 0; i < ref->n; i++) {
		v = reader_cell(r, ref->idx[i]);
		while (isspace((unsigned char)*v))
			v++;
		if (*v == '\0')
			continue;
		used +=
		    (size_t)snprintf(buf + used, used < len ? len - used : 0,
			"%s%s", used > 0 ? " " : "", v);
	}
	return buf;
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
	if (map != NULL && colmap_has_columns(map))
		return FORMAT_CSV;
	if (strchr(line, '\t') != NULL && strstr(line, "order-id") != NULL)
		return FORMAT_AMAZON;
	if (strstr(line, "Lineitem quantity") != NULL &&
	    strstr(line, "Name") != NULL)
		return FORMAT_SHOPIFY;
	if (strstr(line, "item_quantity") != NULL &&
	    strstr(line, "billing_first_name") != NULL)
		return FORMAT_WOOCOMMERCE;
	if (strstr(line, "Sale Date") != NULL &&
	    strstr(line, "Order ID") != NULL)
		return FORMAT_ETSY;
	if (strstr(line, "订单编号") != NULL)
		return FORMAT_TAOBAO;
	return FORMAT_AUTO;
}

/* 1 if the first line of the input is UTF-8 (or there is none). */
static int
header_utf8(struct input *in)
{
	char *line;
	ssize_t n = input_getline(in, &line);
	const char *p, *end;
	uint32_t cp;
	size_t k;

	input_unget(in);
	if (n < 0)
		return 1;
	for (p = line, end = line + n; p < end; p += k)
		if ((k = utf8_decode(p, &cp)) == 0)
			return 0;
	return 1;
}

static void
items_free(struct items *it)
{
	size_t i, j;

	if (it == NULL)
		return;
	for (i = 0; i < it->n; i++) {
		for (j = 0; j < it->rows[i].nf; j++)
			free(it->rows[i].f[j]);
		free(it->rows[i].f);
		free(it->rows[i].raw);
	}
	free(it->rows);
	json_decref(it->byid);
	free(it->header);
	free(it);
}

/* Keep a copy of the items file's row at hand, under its order id. */
static void
items_keep(struct reader *r, struct items *it)
{
	const struct csvrow *row = it->src.row;
	struct csvrow *c;
	const char *id;
	char buf[512], why[64];
	json_t *a;
	size_t j;

	xgrow(&it->rows, &it->cap, it->n + 1, sizeof *it->rows);
	c = &it->rows[it->n];
	c->line = row->line;
	c->nf = row->nf;
	c->f = xcalloc(row->nf > 0 ? row->nf : 1, sizeof *c->f);
	for (j = 0; j < row->nf; j++)
		c->f[j] = xstrdup(row->f[j]);
	c->raw = xstrndup(row->raw, row->rawlen);
	c->rawlen = row->rawlen;
	id = raw_value(r, &it->src.col[F_ORDER_ID], buf, sizeof buf);
	id = convert_value(
	    r->d, r->cfg, F_ORDER_ID, id, buf, sizeof buf, why, sizeof why);
	if (id != NULL && !reader_blank(id)) {
		if ((a = json_object_get(it->byid, id)) == NULL)
			json_object_set_new(it->byid, id, a = json_array());
		json_array_append_new(a, json_integer((json_int_t)it->n));
	}
	it->n++;
}

/*
 * Read the items file of a joined export whole: -1 and why (naming the
 * file) if it cannot be, or is not the dialect's items file.
 */
static int
items_load(struct reader *r, const char *path, char *why, size_t whylen)
{
	struct items *it = xcalloc(1, sizeof *it);
	struct input *in;
	char sub[200];
	int c, ok = -1;

	r->items = it;
	it->byid = json_object();
	if ((in = input_open(path)) == NULL) {
		snprintf(
		    why, whylen, "items file '%s': %s", path, strerror(errno));
		return -1;
	}
	if (!header_utf8(in)) {
		snprintf(why, whylen,
		    "items file '%s': the header is not UTF-8 (convert "
		    "the file first; a GBK export: iconv -f GBK -t UTF-8)",
		    path);
		goto out;
	}
	if ((it->src.csv = csvin_open(in, r->d->delim, sub, sizeof sub)) ==
	    NULL) {
		snprintf(why, whylen, "items file '%s': %s", path, sub);
		goto out;
	}
	if (resolve(&it->src, r->d->icols, r->d->iextra, 0, sub, sizeof sub) <
	    0) {
		snprintf(why, whylen, "items file '%s': %s", path, sub);
		goto out;
	}
	if (it->src.col[F_ORDER_ID].n == 0 || it->src.col[F_LINES_QTY].n == 0) {
		snprintf(why, whylen,
		    "items file '%s': not the %s: the header lacks the order "
		    "or quantity column",
		    path, r->d->items_name);
		goto out;
	}
	it->header = xstrdup(csvin_header(it->src.csv));
	r->cur = &it->src;
	while ((c = csvin_next(it->src.csv, &it->src.row, sub, sizeof sub)) ==
	       CSVIN_ROW)
		items_keep(r, it);
	r->cur = &r->main;
	if (c == CSVIN_EOF)
		ok = 0;
	else
		/* A line with no item would lose a line of some order. */
		snprintf(why, whylen, "items file '%s': line %ld: %s", path,
		    c == CSVIN_BAD ? it->src.row->line : input_errline(in),
		    sub);
out:
	csvin_close(it->src.csv);
	it->src.csv = NULL;
	it->src.row = NULL;
	input_close(in);
	return ok;
}

struct reader *
reader_open(struct input *in, enum format fmt, const struct colmap *map,
    const struct config *cfg, const char *source, char *why, size_t whylen)
{
	static const struct dialect *const byformat[] = {
	    [FORMAT_SHOPIFY] = &dialect_shopify,
	    [FORMAT_AMAZON] = &dialect_amazon,
	    [FORMAT_WOOCOMMERCE] = &dialect_woocommerce,
	    [FORMAT_ETSY] = &dialect_etsy,
	    [FORMAT_TAOBAO] = &dialect_taobao,
	};
	const char *items = map != NULL ? colmap_items(map) : NULL;
	const char *w;
	struct colref qty;
	struct reader *r;
	size_t i;

	if (fmt == FORMAT_AUTO && (fmt = sniff(in, map)) == FORMAT_AUTO) {
		snprintf(why, whylen,
		    "cannot tell the format: name it with "
		    "-f, and give a column map for CSV");
		return NULL;
	}
	if (fmt == FORMAT_CSV && (map == NULL || !colmap_has_columns(map))) {
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
	r->map = map;
	r->fmt = fmt;
	r->cur = &r->main;
	if (fmt == FORMAT_NDJSON)
		return r;
	r->d = fmt == FORMAT_CSV ? colmap_dialect(map) : byformat[fmt];
	r->source = source != NULL ? source : r->d->source;
	if (!header_utf8(in)) {
		snprintf(why, whylen,
		    "the header is not UTF-8 (convert the file first; a GBK "
		    "export: iconv -f GBK -t UTF-8)");
		goto fail;
	}
	if (r->d->items_name != NULL && items == NULL) {
		snprintf(why, whylen,
		    "a %s export is two files: name the %s with --items",
		    r->d->name, r->d->items_name);
		goto fail;
	}
	if ((r->main.csv = csvin_open(in, r->d->delim, why, whylen)) == NULL ||
	    resolve(&r->main, r->d->cols, r->d->extra, fmt == FORMAT_CSV, why,
		whylen) == -1)
		goto fail;
	if (r->d->items_name != NULL &&
	    resolve_one(r->main.csv, r->d->icols[F_LINES_QTY], &qty, why,
		whylen) == 0 &&
	    qty.n > 0) {
		snprintf(why, whylen,
		    "this is the %s: name it with --items, and read the "
		    "orders file",
		    r->d->items_name);
		goto fail;
	}
	if (r->main.col[F_ORDER_ID].n == 0 ||
	    (r->d->items_name == NULL &&
		(r->main.col[F_LINES_SKU].n == 0 ||
		    (r->main.col[F_LINES_QTY].n == 0 &&
			r->d->defaults[F_LINES_QTY] == NULL)))) {
		snprintf(why, whylen,
		    "not %s %s: the header lacks the order, SKU or quantity "
		    "column",
		    strchr("aeiou", r->d->name[0]) != NULL ? "an" : "a",
		    r->d->name);
		goto fail;
	}
	if (r->d->items_name != NULL && items_load(r, items, why, whylen) == -1)
		goto fail;
	if (r->d->check != NULL && (w = r->d->check(r)) != NULL)
		r->warning = xstrdup(w);
	return r;
fail:
	reader_close(r);
	return NULL;
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
	g->line = r->main.row->line;
}

/* The first thing wrong with the order: "field: what". */
static void
set_bad(struct group *g, const char *field, const char *what)
{
	if (g->bad[0] == '\0')
		snprintf(g->bad, sizeof g->bad, "%s: %s", field, what);
}

/*
 * The row at hand of file s, into the group: its order-level values
 * where the group has none yet, and its line fields into line (when
 * not NULL).  1 if the row has a line field.
 */
static int
take_row(struct reader *r, struct group *g, const struct src *s, json_t *line)
{
	char raw[1024], buf[1024], why[160];
	const char *v;
	size_t i;
	int any = 0;

	for (i = 0; i < NFIELDS; i++) {
		if (s->col[i].n == 0 &&
		    !(fields[i].flags & FL_LINE && r->d->defaults[i] != NULL))
			continue;
		if (!(fields[i].flags & FL_LINE) && g->val[i] != NULL)
			continue;
		if ((fields[i].flags & FL_LINE) && line == NULL)
			continue;
		v = s->col[i].n > 0 ? raw_value(r, &s->col[i], raw, sizeof raw)
				    : "";
		if (reader_blank(v) && (fields[i].flags & FL_LINE)) {
			if (r->d->defaults[i] == NULL)
				continue;
			v = r->d->defaults[i];
		}
		if (reader_blank(v))
			continue;
		if ((v = convert_value(r->d, r->cfg, (int)i, v, buf, sizeof buf,
			 why, sizeof why)) == NULL) {
			set_bad(g, fields[i].path, why);
			continue;
		}
		if (reader_blank(v))
			continue;
		if (fields[i].flags & FL_LINE) {
			json_object_set_new(
			    line, fields[i].leaf, json_string(v));
			any = 1;
		} else
			g->val[i] = xstrdup(v);
	}
	return any;
}

/* A count from text: digits, perhaps negative (a refund); -1 if not. */
static long
count(const char *s)
{
	char *end;
	long n;

	if (s == NULL)
		return -1;
	errno = 0;
	n = strtol(s, &end, 10);
	while (isspace((unsigned char)*end))
		end++;
	if (end == s || *end != '\0' || errno != 0 || n < -1000000 ||
	    n > 1000000)
		return -1;
	return n < 0 ? -n : n;
}

/*
 * Set a line, or n of its units (n > 0), aside in not_shipped with the
 * reason: kept on the record, so nothing disappears unseen.  Its prices
 * stay until the refunds are matched; the caller keeps line.
 */
static void
set_aside(struct group *g, json_t *line, const char *reason, long n)
{
	json_t *c = json_deep_copy(line);
	const char *q;

	if (g->not_shipped == NULL)
		g->not_shipped = json_array();
	json_object_del(c, "fulfilment");
	json_object_del(c, "ordered_qty");
	q = json_string_value(json_object_get(c, "qty"));
	if (n > 0) {
		/* A price for all the units is for those ordered. */
		if (json_object_get(c, "price_qty") == NULL &&
		    json_object_get(c, "qty") != NULL)
			json_object_set(
			    c, "price_qty", json_object_get(c, "qty"));
		json_object_set_new(c, "qty", json_integer(n));
	} else if (q != NULL && q[0] != '\0' &&
		   strspn(q, "0123456789") == strlen(q) && strlen(q) < 10)
		json_object_set_new(c, "qty", json_integer(atol(q)));
	json_object_set_new(c, "reason", json_string(reason));
	json_array_append_new(g->not_shipped, c);
	g->dropped++;
}

/*
 * What the export says about a line it has read: fulfilled, refunded,
 * cancelled or partial, or units shipped or refunded.  1 if the line is
 * to ship (perhaps fewer units), 0 if it went to not_shipped.
 */
static int
line_state(struct group *g, json_t *line)
{
	const char *f = json_string_value(json_object_get(line, "fulfilment"));
	long qty, shipped, refunded, left;
	char num[24];

	if (f != NULL) {
		if (strcmp(f, "fulfilled") == 0 || strcmp(f, "refunded") == 0 ||
		    strcmp(f, "cancelled") == 0) {
			set_aside(g, line, f, 0);
			return 0;
		}
		if (strcmp(f, "partial") != 0) {
			if (strcmp(f, "pending") != 0 &&
			    strcmp(f, "unfulfilled") != 0)
				set_bad(g, "lines.fulfilment",
				    "not fulfilled, partial, refunded, "
				    "cancelled, pending or unfulfilled");
			json_object_del(line, "fulfilment");
		}
	}
	shipped =
	    count(json_string_value(json_object_get(line, "shipped_qty")));
	refunded =
	    count(json_string_value(json_object_get(line, "refunded_qty")));
	json_object_del(line, "shipped_qty");
	json_object_del(line, "refunded_qty");
	qty = count(json_string_value(json_object_get(line, "qty")));
	if (shipped <= 0 && refunded <= 0)
		return 1;
	if (qty <= 0)
		return 1; /* order_normalise() says what is wrong */
	if (shipped < 0)
		shipped = 0;
	if (refunded < 0)
		refunded = 0;
	left = qty - shipped - refunded;
	if (left <= 0) {
		/* The units refunded first: a refund outweighs a shipment. */
		if (refunded > 0)
			set_aside(g, line, "refunded",
			    refunded < qty ? refunded : qty);
		if (shipped > 0 && refunded < qty)
			set_aside(g, line, "fulfilled", qty - refunded);
		return 0;
	}
	if (shipped > 0)
		set_aside(g, line, "fulfilled", shipped);
	if (refunded > 0)
		set_aside(g, line, "refunded", refunded);
	if (json_object_get(line, "price_qty") == NULL)
		json_object_set(
		    line, "price_qty", json_object_get(line, "qty"));
	snprintf(num, sizeof num, "%ld", left);
	json_object_set_new(line, "qty", json_string(num));
	json_object_set_new(line, "ordered_qty", json_integer(qty));
	return 1;
}

/*
 * A line of the row at hand of s, with what its hook says of it; where
 * it goes is decided with the whole order (place_lines).
 */
static void
add_line(struct reader *r, struct group *g, const struct src *s)
{
	json_t *line = json_object();
	const char *why;

	if (!take_row(r, g, s, line)) {
		json_decref(line);
		return;
	}
	if (r->d->row != NULL && (why = r->d->row(r, g, line)) != NULL)
		json_object_set_new(line, "_aside", json_string(why));
	json_array_append_new(g->lines, line);
}

/*
 * Each line to lines or not_shipped, by what its hook and the export
 * say of it.  A cancellation is recorded as it was read: every line in
 * lines, none of them to ship.
 */
static void
place_lines(struct group *g, int cancelled)
{
	json_t *keep = json_array(), *l;
	const char *why;
	char reason[64];
	size_t i;

	json_array_foreach(g->lines, i, l)
	{
		why = json_string_value(json_object_get(l, "_aside"));
		if (cancelled) {
			json_object_del(l, "_aside");
			json_object_del(l, "fulfilment");
			json_object_del(l, "shipped_qty");
			json_object_del(l, "refunded_qty");
			json_array_append(keep, l);
		} else if (why != NULL) {
			snprintf(reason, sizeof reason, "%s", why);
			json_object_del(l, "_aside");
			set_aside(g, l, reason, 0);
		} else if (line_state(g, l))
			json_array_append(keep, l);
	}
	json_decref(g->lines);
	g->lines = keep;
}

/* Add the current row to the group. */
static void
group_add(struct reader *r, struct group *g)
{
	group_raw(g, r->main.row->raw, r->main.row->rawlen);
	if (r->d->items_name != NULL) {
		take_row(r, g, &r->main, NULL);
		if (g->rows++ == 0 && r->d->order != NULL)
			r->d->order(r, g);
		return;
	}
	take_row(r, g, &r->main, NULL);
	if (g->rows++ == 0 && r->d->order != NULL)
		r->d->order(r, g);
	add_line(r, g, &r->main);
}

/* A joined export: the order's lines from the items file. */
static void
join_items(struct reader *r, struct group *g)
{
	const char *id = g->val[F_ORDER_ID];
	json_t *a = id != NULL ? json_object_get(r->items->byid, id) : NULL;
	json_t *k;
	size_t i;

	json_array_foreach(a, i, k)
	{
		r->items->src.row = &r->items->rows[json_integer_value(k)];
		r->cur = &r->items->src;
		add_line(r, g, &r->items->src);
	}
	r->cur = &r->main;
	if (a == NULL && g->bad[0] == '\0')
		snprintf(g->bad, sizeof g->bad,
		    "no line in the items file (--items) has this order id");
}

/* The group's currency exponent, or -1 if it cannot be told yet. */
static int
group_exponent(const struct reader *r, const struct group *g)
{
	const char *cur = g->val[F_CURRENCY];
	char up[8];
	size_t i;

	if (cur == NULL)
		cur = r->cfg->currency;
	if (cur == NULL)
		return -1; /* order_normalise() says what is missing */
	for (i = 0; i < sizeof up - 1 && cur[i] != '\0'; i++)
		up[i] = (char)toupper((unsigned char)cur[i]);
	up[i] = '\0';
	return money_exponent(up); /* and what is wrong */
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
	enum money_style style = r->d->style;
	const char *why;
	int64_t x;

	if (v == NULL || !json_is_string(v))
		return 0;
	if (money_parse(json_string_value(v), exp, style, &x, &why) < 0) {
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

/* The prices of a list of lines (lines or not_shipped) in minor units. */
static int
lines_money(
    struct reader *r, struct group *g, json_t *list, const char *name, int exp)
{
	json_t *l, *tot, *q;
	int64_t t, n;
	size_t i;

	json_array_foreach(list, i, l)
	{
		if (money_at(r, g, l, "unit_price", name, (long)i, exp) < 0 ||
		    money_at(r, g, l, "price_total", name, (long)i, exp) < 0)
			return -1;
		if ((tot = json_object_get(l, "price_total")) == NULL) {
			json_object_del(l, "price_qty");
			continue;
		}
		/* A price for all the units: each costs its share. */
		if ((q = json_object_get(l, "price_qty")) == NULL)
			q = json_object_get(l, "qty");
		n = json_is_string(q) ? strtoll(json_string_value(q), NULL, 10)
		    : json_is_integer(q) ? json_integer_value(q)
					 : 0;
		t = json_integer_value(tot);
		if (json_object_get(l, "unit_price") == NULL && n > 0) {
			if (t % n != 0) {
				/* Named, not shown: they are the record's. */
				snprintf(g->bad, sizeof g->bad,
				    "%s[%zu]: price_total does not divide by "
				    "qty",
				    name, i);
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

/* What a line is worth (unit_price times qty), or -1 if unknown. */
static int64_t
line_value(json_t *l)
{
	json_t *p = json_object_get(l, "unit_price"), *q;
	long n;

	if (!json_is_integer(p))
		return -1;
	q = json_object_get(l, "qty");
	n = json_is_integer(q) ? (long)json_integer_value(q)
			       : count(json_string_value(q));
	if (n <= 0 || json_integer_value(p) > INT64_MAX / n)
		return -1;
	return json_integer_value(p) * n;
}

/*
 * Whole lines of list whose values add up to want, most expensive first
 * (taken marks them): 1 if they do exactly.  only: the lines of list
 * with this reason (NULL: all).
 */
static int
cover(json_t *list, const char *only, int64_t want, char *taken)
{
	size_t i, best, n = json_array_size(list);
	int64_t v, bv;
	json_t *l;

	memset(taken, 0, n);
	while (want > 0) {
		bv = -1;
		best = n;
		json_array_foreach(list, i, l)
		{
			if (taken[i] ||
			    (only != NULL &&
				strcmp(only, json_string_value(
						 json_object_get(l, "reason"))
						 ?: "") != 0))
				continue;
			v = line_value(l);
			if (v > 0 && v <= want && v > bv) {
				bv = v;
				best = i;
			}
		}
		if (best == n)
			break;
		taken[best] = 1;
		want -= bv;
	}
	return want == 0;
}

/*
 * The refunded amount against the lines still to ship, when the export
 * says how much was refunded but not which lines (Shopify's Refunded
 * Amount).  Whole lines only, never a guess that could ship what was
 * paid back.  Lines the export itself says were refunded are taken off
 * the amount first; then, of what is left:
 *  - a refund of everything, shipped or not: no line ships;
 *  - lines to ship whose values add up to it exactly (taken most
 *    expensive first), when lines shipped already do not: those lines
 *    were refunded;
 *  - lines shipped already that add up to it, when lines to ship do not:
 *    a return; everything ships;
 *  - exactly the shipping: everything ships;
 *  - anything else cannot be told: each line to ship is marked partial,
 *    for a person to decide.
 */
static void
match_refund(struct reader *r, struct group *g)
{
	const char *why;
	size_t i, n = json_array_size(g->lines);
	int64_t refund, all = 0, ship = -1, v;
	char *tp, *tf;
	json_t *l, *keep;
	int exp, byp, byf, known = 1;

	if (n == 0 || g->val[F_PAYMENT_REFUNDED] == NULL ||
	    r->main.col[F_LINES_REFUNDED_QTY].n > 0 ||
	    (r->items != NULL &&
		r->items->src.col[F_LINES_REFUNDED_QTY].n > 0) ||
	    (exp = group_exponent(r, g)) < 0 ||
	    money_parse(g->val[F_PAYMENT_REFUNDED], exp, r->d->style, &refund,
		&why) < 0 ||
	    refund <= 0)
		return;
	if (g->val[F_SHIPPING] != NULL &&
	    money_parse(g->val[F_SHIPPING], exp, r->d->style, &ship, &why) < 0)
		ship = -1;
	json_array_foreach(g->lines, i, l)
	{
		if ((v = line_value(l)) < 0)
			known = 0;
		else
			all += v;
	}
	json_array_foreach(g->not_shipped, i, l)
	{
		why = json_string_value(json_object_get(l, "reason"));
		if (why == NULL || (v = line_value(l)) <= 0)
			continue;
		if (strcmp(why, "fulfilled") == 0)
			all += v;
		/* Lines the export says were refunded are accounted for. */
		else if (strcmp(why, "refunded") == 0)
			refund -= v;
	}
	if (refund <= 0)
		return;
	if (known && refund >= all) {
		keep = json_array();
		json_array_foreach(g->lines, i, l)
		    set_aside(g, l, "refunded", 0);
		json_decref(g->lines);
		g->lines = keep;
		return;
	}
	tp = xcalloc(n + 1, 1);
	tf = xcalloc(json_array_size(g->not_shipped) + 1, 1);
	byp = known && cover(g->lines, NULL, refund, tp);
	byf = g->not_shipped != NULL &&
	      cover(g->not_shipped, "fulfilled", refund, tf);
	if (byp && !byf) {
		keep = json_array();
		json_array_foreach(g->lines, i, l)
		{
			if (tp[i])
				set_aside(g, l, "refunded", 0);
			else
				json_array_append(keep, l);
		}
		json_decref(g->lines);
		g->lines = keep;
	} else if (!(byf && !byp) && refund != ship)
		json_array_foreach(g->lines, i, l) json_object_set_new(
		    l, "fulfilment", json_string("partial"));
	free(tp);
	free(tf);
}

/* Check a value against the words the record contract allows. */
static void
check_words(struct group *g, int f, const char *const *words)
{
	char *p;

	if (g->val[f] == NULL)
		return;
	for (p = g->val[f]; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	if (!one_of(g->val[f], words))
		set_bad(g, fields[f].path,
		    "not a word of fulfil-order(5) (give the map a value "
		    "table)");
}

/*
 * Everything that needs the whole order: its lines from the items file,
 * defaults, what the order-level statuses say about its lines, and the
 * refunds.  Lines still to ship stay in g->lines, the others go to
 * g->not_shipped.
 */
static void
group_finish(struct reader *r, struct group *g)
{
	char buf[512], why[160];
	const char *v, *st;
	int64_t amount;
	json_t *l;
	size_t i;
	int marked = 0, exp, cancelled;

	if (r->items != NULL)
		join_items(r, g);
	for (i = 0; i < NFIELDS; i++)
		if (g->val[i] == NULL && !(fields[i].flags & FL_LINE) &&
		    r->d->defaults[i] != NULL) {
			v = convert_value(r->d, r->cfg, (int)i,
			    r->d->defaults[i], buf, sizeof buf, why,
			    sizeof why);
			if (v == NULL)
				set_bad(g, fields[i].path, why);
			else if (!reader_blank(v))
				g->val[i] = xstrdup(v);
		}
	check_words(g, F_PAYMENT_STATUS, payment_words);
	check_words(g, F_FULFILLMENT_STATUS, fulfillment_words);
	cancelled = g->val[F_STATUS] != NULL &&
		    status_parse(g->val[F_STATUS]) == ST_CANCELLED;
	place_lines(g, cancelled);
	st = cancelled ? NULL : g->val[F_FULFILLMENT_STATUS];
	if (st != NULL && strcmp(st, "fulfilled") == 0) {
		json_array_foreach(g->lines, i, l)
		    set_aside(g, l, "fulfilled", 0);
		json_array_clear(g->lines);
	} else if (st != NULL && strcmp(st, "partial") == 0) {
		/*
		 * Partly fulfilled, and no line says which: none can be
		 * shipped in full.
		 */
		json_array_foreach(g->lines, i, l) marked |=
		    json_object_get(l, "fulfilment") != NULL ||
		    json_object_get(l, "ordered_qty") != NULL;
		if (!marked && g->dropped == 0)
			json_array_foreach(g->lines, i, l) json_object_set_new(
			    l, "fulfilment", json_string("partial"));
	}
	if (g->bad[0] != '\0' || (exp = group_exponent(r, g)) < 0)
		return;
	/* The order's own amounts are checked first, as they come first. */
	for (i = 0; i < NFIELDS; i++)
		if ((fields[i].flags & (FL_MONEY | FL_LINE)) == FL_MONEY &&
		    g->val[i] != NULL &&
		    money_parse(g->val[i], exp, r->d->style, &amount, &v) < 0) {
			set_bad(g, fields[i].path, v);
			return;
		}
	if (lines_money(r, g, g->lines, "lines", exp) < 0 ||
	    (g->not_shipped != NULL &&
		lines_money(r, g, g->not_shipped, "not_shipped", exp) < 0))
		return;
	if (!cancelled)
		match_refund(r, g);
	/* Kept for the record without its prices, as it is not shipped. */
	json_array_foreach(g->not_shipped, i, l)
	{
		json_object_del(l, "unit_price");
		json_object_del(l, "price_total");
		json_object_del(l, "price_qty");
	}
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

	for (i = 0; i < NFIELDS && !(fields[i].flags & FL_LINE); i++) {
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

/* The order-level money, now that its currency is known. */
static int
order_money(struct reader *r, struct group *g)
{
	json_t *pay;
	size_t i;
	int exp;

	if ((exp = group_exponent(r, g)) < 0)
		return 0;
	for (i = 0; i < NFIELDS; i++)
		if (!(fields[i].flags & FL_LINE) &&
		    (fields[i].flags & FL_MONEY) && fields[i].parent == NULL &&
		    money_at(r, g, g->order, fields[i].leaf, NULL, -1, exp) < 0)
			return -1;
	if ((pay = json_object_get(g->order, "payment")) != NULL)
		for (i = 0; i < NFIELDS; i++)
			if ((fields[i].flags & FL_MONEY) &&
			    fields[i].parent != NULL &&
			    strcmp(fields[i].parent, "payment") == 0 &&
			    money_at(r, g, pay, fields[i].leaf, "payment", -1,
				exp) < 0)
				return -1;
	return 0;
}

/* Hand the finished group out as a record. */
static int
group_out(struct reader *r, struct record *rec)
{
	struct group *g = &r->out;
	int cancelled;

	rec->line = g->line;
	rec->raw = g->raw != NULL ? g->raw : "";
	rec->rawlen = g->rawlen;
	rec->header = csvin_header(r->main.csv);
	if (g->bad[0] == '\0')
		group_finish(r, g);
	if (g->bad[0] == '\0' && r->d->done != NULL)
		r->d->done(r, g);
	group_build(r, g);
	rec->order = json_incref(g->order); /* for its id, if nothing else */
	if (g->bad[0] != '\0' || order_money(r, g) < 0) {
		snprintf(rec->why, sizeof rec->why, "%s", g->bad);
		return READ_BAD;
	}
	cancelled = g->val[F_STATUS] != NULL &&
		    status_parse(g->val[F_STATUS]) == ST_CANCELLED;
	if (!cancelled && json_array_size(g->lines) == 0 && g->dropped > 0) {
		snprintf(rec->why, sizeof rec->why,
		    "nothing to ship: every line is fulfilled, refunded or "
		    "needs no shipping");
		return READ_SKIP;
	}
	return READ_ORDER;
}

/* Rotate: the group being built is finished and handed out. */
static void
finish(struct reader *r)
{
	group_free(&r->out);
	r->out = r->cur_g;
	memset(&r->cur_g, 0, sizeof r->cur_g);
}

/* The order id of the row at hand, as rows are grouped by it. */
static const char *
row_key(struct reader *r, char *buf, size_t len)
{
	return raw_value(r, &r->main.col[F_ORDER_ID], buf, len);
}

static int
next_csv(struct reader *r, struct record *rec)
{
	char kbuf[512];
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
			rec->header = csvin_header(r->main.csv);
			return READ_BAD;
		}
		if (r->eof) {
			if (!r->cur_g.open)
				return READ_EOF;
			finish(r);
			return group_out(r, rec);
		}
		c = csvin_next(
		    r->main.csv, &r->main.row, rec->why, sizeof rec->why);
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
			r->pending_line = r->main.row->line;
			r->pending_raw =
			    xstrndup(r->main.row->raw, r->main.row->rawlen);
			if (r->cur_g.open && r->cur_g.bad[0] == '\0')
				snprintf(r->cur_g.bad, sizeof r->cur_g.bad,
				    "set aside: the malformed row after it "
				    "(line %ld) may be part of it",
				    r->main.row->line);
			if (r->cur_g.open) {
				finish(r);
				c = group_out(r, rec);
				/* Rows that follow with its key join it. */
				r->cur_g.key = r->out.key != NULL
						   ? xstrdup(r->out.key)
						   : NULL;
				return c;
			}
			continue;
		}
		key = row_key(r, kbuf, sizeof kbuf);
		if (r->cur_g.open && strcmp(key, r->cur_g.key) == 0) {
			group_add(r, &r->cur_g);
			continue;
		}
		if (!r->cur_g.open && r->cur_g.key != NULL &&
		    strcmp(key, r->cur_g.key) == 0) {
			/* The rest of an order already set aside. */
			group_start(r, &r->cur_g, key);
			snprintf(r->cur_g.bad, sizeof r->cur_g.bad,
			    "set aside: "
			    "part of an order with a malformed row");
			group_add(r, &r->cur_g);
			continue;
		}
		if (!r->cur_g.open) {
			group_start(r, &r->cur_g, key);
			group_add(r, &r->cur_g);
			continue;
		}
		finish(r);
		group_start(r, &r->cur_g, key);
		group_add(r, &r->cur_g);
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
		    recparse_line(line, (size_t)n, rec->why, sizeof rec->why);
		return rec->order != NULL ? READ_ORDER : READ_BAD;
	}
}

int
reader_next(struct reader *r, struct record *rec)
{
	int got;

	rec->order = NULL;
	rec->why[0] = '\0';
	rec->warning[0] = '\0';
	got = r->fmt == FORMAT_NDJSON ? next_ndjson(r, rec) : next_csv(r, rec);
	if (r->warning != NULL && got != READ_EOF && got != READ_ERROR) {
		snprintf(rec->warning, sizeof rec->warning, "%s", r->warning);
		free(r->warning);
		r->warning = NULL;
	}
	return got;
}

void
reader_close(struct reader *r)
{
	if (r == NULL)
		return;
	group_free(&r->cur_g);
	group_free(&r->out);
	free(r->pending_bad);
	free(r->pending_raw);
	free(r->warning);
	csvin_close(r->main.csv);
	items_free(r->items);
	free(r);
}
