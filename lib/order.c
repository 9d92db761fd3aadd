#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "country.h"
#include "err.h"
#include "money.h"
#include "order.h"
#include "when.h"

/* Limits that keep a record sane; beyond them it is rejected. */
#define MAX_ID		128
#define MAX_TEXT	1024
#define MAX_NOTE	8192
#define MAX_QTY		1000000

struct norm {
	const struct config	*cfg;
	json_t			*warn;
	char			*why;
	size_t			 whylen;
};

static int __attribute__((format(printf, 2, 3)))
fail(struct norm *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(n->why, n->whylen, fmt, ap);
	va_end(ap);
	return -1;
}

void
order_warn(json_t *warnings, const char *field, const char *fmt, ...)
{
	va_list ap;
	char msg[512];

	if (warnings == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	json_array_append_new(warnings, json_pack("{s:s,s:s}", "field", field,
	    "message", msg));
}

enum {
	T_REQUIRED = 1,		/* missing or empty is an error */
	T_MULTILINE = 2,	/* newlines and tabs allowed */
	T_NUMBER = 4		/* a JSON integer is taken as its digits */
};

/*
 * A text field, trimmed: 1 with *out set (caller frees), 0 when absent or
 * empty, -1 when wrong.
 */
static int
text(struct norm *n, json_t *obj, const char *key, const char *path,
    int flags, size_t max, char **out)
{
	json_t *v = obj != NULL ? json_object_get(obj, key) : NULL;
	const char *s, *e;
	char buf[32];
	size_t len, i;

	*out = NULL;
	if (v == NULL || json_is_null(v))
		goto absent;
	if (json_is_integer(v) && (flags & T_NUMBER)) {
		snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		*out = xstrdup(buf);
		return 1;
	}
	if (!json_is_string(v))
		return fail(n, "%s must be a string", path);
	s = json_string_value(v);
	e = s + json_string_length(v);
	while (s < e && isspace((unsigned char)*s))
		s++;
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	len = (size_t)(e - s);
	if (len == 0)
		goto absent;
	if (len > max)
		return fail(n, "%s is longer than %zu bytes", path, max);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 || c == 0x7f) && !((flags & T_MULTILINE) &&
		    (c == '\n' || c == '\t' || c == '\r')))
			return fail(n, "%s contains a control character",
			    path);
	}
	*out = xstrndup(s, len);
	return 1;
absent:
	if (flags & T_REQUIRED)
		return fail(n, "%s is missing", path);
	return 0;
}

/*
 * An integer field: a JSON integer or a string of digits.  1 with *out
 * set, 0 when absent, -1 when wrong or outside [min, max].
 */
static int
integer(struct norm *n, json_t *obj, const char *key, const char *path,
    int64_t min, int64_t max, int64_t *out)
{
	json_t *v = obj != NULL ? json_object_get(obj, key) : NULL;
	const char *s;
	int64_t x = 0;
	int neg = 0;

	if (v == NULL || json_is_null(v))
		return 0;
	if (json_is_integer(v))
		x = json_integer_value(v);
	else if (json_is_string(v)) {
		s = json_string_value(v);
		while (isspace((unsigned char)*s))
			s++;
		if (*s == '\0')
			return 0;
		if (*s == '-') {
			neg = 1;
			s++;
		}
		if (!isdigit((unsigned char)*s))
			return fail(n, "%s must be an integer", path);
		for (; isdigit((unsigned char)*s); s++) {
			if (x > (INT64_MAX - (*s - '0')) / 10)
				return fail(n, "%s is out of range", path);
			x = x * 10 + (*s - '0');
		}
		while (isspace((unsigned char)*s))
			s++;
		if (*s != '\0')
			return fail(n, "%s must be an integer", path);
		if (neg)
			x = -x;
	} else
		return fail(n, "%s must be an integer", path);
	if (x < min || x > max) {
		if (min == 1 && x < 1)
			return fail(n, "%s must be a positive integer", path);
		if (min == 0 && x < 0)
			return fail(n, "%s must not be negative", path);
		return fail(n, "%s is out of range", path);
	}
	*out = x;
	return 1;
}

/* Set key to a string we own (NULL: leave it out). */
static void
put(json_t *o, const char *key, char *s)
{
	if (s != NULL)
		json_object_set_new(o, key, json_string(s));
	free(s);
}

static int
known(const char *key, const char *const *keys)
{
	size_t i;

	for (i = 0; keys[i] != NULL; i++)
		if (strcmp(key, keys[i]) == 0)
			return 1;
	return 0;
}

/* Copy the fields of from that are not in keys, in their order. */
static void
rest(json_t *to, json_t *from, const char *const *keys)
{
	const char *key;
	json_t *v;

	json_object_foreach(from, key, v)
		if (!known(key, keys) && json_object_get(to, key) == NULL)
			json_object_set(to, key, v);
}

/* "zh_cn" -> "zh-CN", "EN" -> "en": BCP 47 case conventions. */
static int
locale(char *s)
{
	char *p, *part;
	int i = 0;

	for (p = s; *p != '\0'; p++)
		if (*p == '_')
			*p = '-';
	for (part = s; part != NULL; i++) {
		size_t len = strcspn(part, "-");

		for (p = part; p < part + len; p++) {
			if (!isalnum((unsigned char)*p))
				return -1;
			*p = (char)(i == 0 || len > 4 ?
			    tolower((unsigned char)*p) :
			    len == 2 ? toupper((unsigned char)*p) :
			    len == 4 && p == part ?
			    toupper((unsigned char)*p) :
			    tolower((unsigned char)*p));
		}
		if (len == 0 || (i == 0 && (len < 2 || len > 3)))
			return -1;
		part = part[len] == '-' ? part + len + 1 : NULL;
	}
	return 0;
}

static int
email_ok(const char *s)
{
	const char *at = strchr(s, '@');

	return at != NULL && at != s && strchr(at + 1, '@') == NULL &&
	    strchr(at + 1, '.') != NULL && at[1] != '.' &&
	    s[strlen(s) - 1] != '.' && strpbrk(s, " \t\r\n<>,;") == NULL;
}

static void
phone(struct norm *n, json_t *o, const char *path, char *raw,
    const char *country)
{
	char e164[COUNTRY_E164_MAX];

	if (raw == NULL)
		return;
	if (phone_e164(raw, country, e164, sizeof e164) == 0)
		json_object_set_new(o, "phone", json_string(e164));
	else {
		json_object_set_new(o, "phone", json_string(raw));
		order_warn(n->warn, path, "not a phone number that can be "
		    "written in E.164; kept as given");
	}
	free(raw);
}

static int
customer(struct norm *n, json_t *in, json_t *out, const char *country)
{
	static const char *const keys[] = { "name", "email", "phone",
	    "locale", NULL };
	json_t *c = json_object_get(in, "customer"), *o;
	char *name, *email, *ph, *loc;

	if (c == NULL || json_is_null(c))
		return 0;
	if (!json_is_object(c))
		return fail(n, "customer must be an object");
	if (text(n, c, "name", "customer.name", 0, MAX_TEXT, &name) < 0)
		return -1;
	if (text(n, c, "email", "customer.email", 0, MAX_TEXT, &email) < 0 ||
	    text(n, c, "phone", "customer.phone", T_NUMBER, MAX_TEXT,
	    &ph) < 0 ||
	    text(n, c, "locale", "customer.locale", 0, 35, &loc) < 0) {
		free(name);
		free(email);
		free(ph);
		return -1;
	}
	o = json_object();
	put(o, "name", name);
	if (email != NULL && !email_ok(email))
		order_warn(n->warn, "customer.email", "not an email address");
	put(o, "email", email);
	phone(n, o, "customer.phone", ph, country);
	if (loc != NULL && locale(loc) == -1) {
		order_warn(n->warn, "customer.locale", "not a language tag; "
		    "left out");
		free(loc);
		loc = NULL;
	}
	put(o, "locale", loc);
	rest(o, c, keys);
	json_object_set_new(out, "customer", o);
	return 0;
}

static int
ship_to(struct norm *n, json_t *in, json_t *out, char **country)
{
	static const char *const keys[] = { "name", "company", "line1",
	    "line2", "city", "region", "postcode", "country", "phone", NULL };
	static const struct {
		const char	*key;
		int		 flags;
	} f[] = {
		{ "name", T_REQUIRED }, { "company", 0 },
		{ "line1", T_REQUIRED }, { "line2", 0 },
		{ "city", T_REQUIRED }, { "region", 0 },
		{ "postcode", T_NUMBER }, { "country", T_REQUIRED },
	};
	json_t *s = json_object_get(in, "ship_to"), *o;
	char path[32], *v[8], *ph, *p;
	size_t i, j;

	if (s == NULL || json_is_null(s))
		return fail(n, "ship_to is missing");
	if (!json_is_object(s))
		return fail(n, "ship_to must be an object");
	for (i = 0; i < 8; i++) {
		snprintf(path, sizeof path, "ship_to.%s", f[i].key);
		if (text(n, s, f[i].key, path, f[i].flags, MAX_TEXT,
		    &v[i]) < 0) {
			for (j = 0; j < i; j++)
				free(v[j]);
			return -1;
		}
	}
	/* Country: upper case, the one common alias, and it must exist. */
	for (p = v[7]; *p != '\0'; p++)
		*p = (char)toupper((unsigned char)*p);
	if (strcmp(v[7], "UK") == 0)
		strcpy(v[7], "GB");
	if (!country_valid(v[7])) {
		fail(n, "ship_to.country: unknown country code '%.8s'", v[7]);
		for (j = 0; j < 8; j++)
			free(v[j]);
		return -1;
	}
	/* Spreadsheets keep leading zeros behind an apostrophe. */
	if (v[6] != NULL) {
		if (v[6][0] == '\'')
			memmove(v[6], v[6] + 1, strlen(v[6]));
		for (p = v[6]; *p != '\0'; p++)
			*p = (char)toupper((unsigned char)*p);
		if (v[6][0] == '\0') {
			free(v[6]);
			v[6] = NULL;
		}
	}
	*country = xstrdup(v[7]);
	if (text(n, s, "phone", "ship_to.phone", T_NUMBER, MAX_TEXT,
	    &ph) < 0) {
		for (j = 0; j < 8; j++)
			free(v[j]);
		return -1;
	}
	o = json_object();
	for (i = 0; i < 8; i++)
		put(o, f[i].key, v[i]);
	phone(n, o, "ship_to.phone", ph, *country);
	rest(o, s, keys);
	json_object_set_new(out, "ship_to", o);
	return 0;
}

/* Multiply-add with overflow check: *acc += a * b. */
static int
madd(int64_t *acc, int64_t a, int64_t b)
{
	int64_t p;

	return __builtin_mul_overflow(a, b, &p) ||
	    __builtin_add_overflow(*acc, p, acc) ? -1 : 0;
}

static int
lines(struct norm *n, json_t *in, json_t *out, int64_t *sum, int *priced)
{
	static const char *const keys[] = { "sku", "name", "qty",
	    "unit_price", "gift", NULL };
	json_t *a = json_object_get(in, "lines"), *l, *o, *arr, *g;
	char path[64], *sku, *name;
	int64_t qty, price;
	size_t i;
	int has;

	if (a == NULL || json_is_null(a))
		return fail(n, "lines is missing");
	if (!json_is_array(a))
		return fail(n, "lines must be an array");
	if (json_array_size(a) == 0)
		return fail(n, "lines is empty");
	*sum = 0;
	*priced = 1;
	arr = json_array();
	json_array_foreach(a, i, l) {
		if (!json_is_object(l)) {
			json_decref(arr);
			return fail(n, "lines[%zu] must be an object", i);
		}
		snprintf(path, sizeof path, "lines[%zu].sku", i);
		if (text(n, l, "sku", path, T_REQUIRED | T_NUMBER, MAX_ID,
		    &sku) < 0) {
			json_decref(arr);
			return -1;
		}
		snprintf(path, sizeof path, "lines[%zu].name", i);
		if (text(n, l, "name", path, 0, MAX_TEXT, &name) < 0)
			goto bad;
		snprintf(path, sizeof path, "lines[%zu].qty", i);
		if ((has = integer(n, l, "qty", path, 1, MAX_QTY, &qty)) <= 0) {
			if (has == 0)
				fail(n, "%s is missing", path);
			goto bad;
		}
		snprintf(path, sizeof path, "lines[%zu].unit_price", i);
		if ((has = integer(n, l, "unit_price", path, 0, INT64_MAX,
		    &price)) < 0)
			goto bad;
		g = json_object_get(l, "gift");
		if (g != NULL && !json_is_boolean(g) && !json_is_null(g)) {
			fail(n, "lines[%zu].gift must be true or false", i);
			goto bad;
		}
		o = json_object();
		put(o, "sku", sku);
		put(o, "name", name);
		json_object_set_new(o, "qty", json_integer(qty));
		if (has)
			json_object_set_new(o, "unit_price", json_integer(price));
		if (json_is_true(g))
			json_object_set_new(o, "gift", json_true());
		rest(o, l, keys);
		json_array_append_new(arr, o);
		if (!has)
			*priced = 0;
		else if (madd(sum, qty, price) == -1) {
			json_decref(arr);
			return fail(n, "lines: amounts out of range");
		}
		continue;
bad:
		free(sku);
		free(name);
		json_decref(arr);
		return -1;
	}
	json_object_set_new(out, "lines", arr);
	return 0;
}

/* The order-level amounts; total checked against the lines. */
static int
amounts(struct norm *n, json_t *in, json_t *out, int64_t sum, int priced,
    int64_t *total)
{
	static const char *const names[] = { "subtotal", "shipping", "tax",
	    "discount", "total" };
	int64_t v[5] = { 0, 0, 0, 0, -1 }, with, without;
	int has[5], i;

	for (i = 0; i < 5; i++) {
		if ((has[i] = integer(n, in, names[i], names[i], 0, INT64_MAX,
		    &v[i])) < 0)
			return -1;
		if (has[i])
			json_object_set_new(out, names[i],
			    json_integer(v[i]));
	}
	*total = v[4];
	/* Lines left out (a gift card) are in the total but not here. */
	if (!has[4] || !priced || json_object_get(in, "not_shipped") != NULL)
		return 0;
	/*
	 * Prices may include tax or not: a total that matches either way
	 * adds up.  A mismatch is a warning, since shops discount in ways
	 * an export does not always show.
	 */
	if (__builtin_sub_overflow(sum, v[3], &without) ||
	    __builtin_add_overflow(without, v[1], &without) ||
	    __builtin_add_overflow(without, v[2], &with))
		return fail(n, "total: amounts out of range");
	if (v[4] != with && v[4] != without)
		order_warn(n->warn, "total", "total %lld does not match the "
		    "lines (%lld) less discount plus shipping and tax",
		    (long long)v[4], (long long)sum);
	return 0;
}

static int
payment(struct norm *n, json_t *in, json_t *out, int64_t total)
{
	static const char *const keys[] = { "method", "cod_amount", NULL };
	json_t *p = json_object_get(in, "payment"), *o;
	char *m = NULL, *q;
	int64_t cod = -1;
	int cash = 0, r;

	if (p != NULL && !json_is_null(p) && !json_is_object(p))
		return fail(n, "payment must be an object");
	if (text(n, p, "method", "payment.method", 0, 64, &m) < 0)
		return -1;
	if (m != NULL) {
		for (q = m; *q != '\0'; q++)
			*q = *q == ' ' || *q == '-' ? '_' :
			    (char)tolower((unsigned char)*q);
		if (strcmp(m, "cod") == 0 ||
		    strcmp(m, "cash_on_delivery") == 0)
			cash = 1;
		else if (strcmp(m, "prepaid") != 0) {
			free(m);
			return fail(n, "payment.method must be prepaid or "
			    "cod");
		}
		free(m);
	}
	if ((r = integer(n, p, "cod_amount", "payment.cod_amount", 0,
	    INT64_MAX, &cod)) < 0)
		return -1;
	o = json_object();
	json_object_set_new(o, "method", json_string(cash ? "cod" :
	    "prepaid"));
	if (cash) {
		if (r == 0)
			cod = total;
		if (cod < 0)
			return json_decref(o), fail(n, "payment: a cod order "
			    "needs cod_amount or total");
		json_object_set_new(o, "cod_amount", json_integer(cod));
	}
	if (p != NULL)
		rest(o, p, keys);
	json_object_set_new(out, "payment", o);
	return 0;
}

static int
service(struct norm *n, json_t *in, json_t *out)
{
	json_t *alias;
	char *s, *p;

	if (text(n, in, "service", "service", 0, 64, &s) < 0)
		return -1;
	if (s == NULL)
		s = xstrdup("standard");
	for (p = s; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	if (n->cfg->service_map != NULL &&
	    (alias = json_object_get(n->cfg->service_map, s)) != NULL) {
		free(s);
		s = xstrdup(json_string_value(alias));
	}
	if (!config_has_service(n->cfg, s)) {
		fail(n, "service: no carrier offers '%.32s'", s);
		free(s);
		return -1;
	}
	put(out, "service", s);
	return 0;
}

/* An RFC 3339 field, normalised; loose forms read in the warehouse zone. */
static int
instant(struct norm *n, json_t *obj, const char *key, const char *path,
    int required, json_t *out, struct when *w)
{
	char *s, buf[WHEN_BUFSZ];
	int r;

	if ((r = text(n, obj, key, path, required ? T_REQUIRED : 0, 64,
	    &s)) <= 0)
		return r;
	if (when_parse_loose(s, n->cfg->tz, w) == -1) {
		free(s);
		return fail(n, "%s is not an RFC 3339 time", path);
	}
	free(s);
	json_object_set_new(out, key, json_string(when_format(w, buf)));
	return 1;
}

static int
window(struct norm *n, json_t *in, json_t *out)
{
	json_t *d = json_object_get(in, "delivery_window"), *o;
	struct when from, to;

	if (d == NULL || json_is_null(d))
		return 0;
	if (!json_is_object(d))
		return fail(n, "delivery_window must be an object");
	o = json_object();
	if (instant(n, d, "from", "delivery_window.from", 1, o, &from) < 0 ||
	    instant(n, d, "to", "delivery_window.to", 1, o, &to) < 0) {
		json_decref(o);
		return -1;
	}
	if (to.t <= from.t) {
		json_decref(o);
		return fail(n, "delivery_window: to is not after from");
	}
	json_object_set_new(out, "delivery_window", o);
	return 0;
}

static int
preferences(struct norm *n, json_t *in, json_t *out)
{
	static const char *const keys[] = { "packaging", "note", NULL };
	json_t *p = json_object_get(in, "preferences"), *o;
	char *pack, *note;

	if (p == NULL || json_is_null(p))
		return 0;
	if (!json_is_object(p))
		return fail(n, "preferences must be an object");
	if (text(n, p, "packaging", "preferences.packaging", 0, MAX_TEXT,
	    &pack) < 0)
		return -1;
	if (text(n, p, "note", "preferences.note", T_MULTILINE, MAX_NOTE,
	    &note) < 0) {
		free(pack);
		return -1;
	}
	o = json_object();
	put(o, "packaging", pack);
	put(o, "note", note);
	rest(o, p, keys);
	if (json_object_size(o) > 0)
		json_object_set_new(out, "preferences", o);
	else
		json_decref(o);
	return 0;
}

static int
status(struct norm *n, json_t *in, json_t *out)
{
	json_t *s = json_object_get(in, "status");

	if (s == NULL || json_is_null(s))
		return 0;
	if (!json_is_string(s))
		return fail(n, "status must be a string");
	/* Only a cancellation means something coming in. */
	if (strcmp(json_string_value(s), "cancelled") == 0)
		json_object_set_new(out, "status", json_string("cancelled"));
	return 0;
}

/* Order-level fields, in canonical order; unknown ones follow them. */
static const char *const order_keys[] = { "order_id", "source",
    "placed_at", "currency", "customer", "ship_to", "lines", "subtotal",
    "shipping", "tax", "discount", "total", "payment", "service",
    "delivery_window", "preferences", "status", "promise", "revision",
    "warnings", NULL };

json_t *
order_normalise(json_t *in, const struct config *cfg, const char *dsource,
    json_t *warnings, char *why, size_t whylen)
{
	struct norm n = { cfg, warnings, why, whylen };
	json_t *out = json_object(), *tmp = json_object();
	char *id = NULL, *src = NULL, *cur = NULL, *country = NULL, *p;
	int64_t sum = 0, total = -1;
	struct when placed;
	int priced = 0;

	if (text(&n, in, "order_id", "order_id", T_REQUIRED | T_NUMBER,
	    MAX_ID, &id) < 0 ||
	    text(&n, in, "source", "source", 0, 64, &src) < 0)
		goto bad;
	put(out, "order_id", id);
	put(out, "source", src != NULL ? src : xstrdup(dsource));
	src = NULL;
	if (instant(&n, in, "placed_at", "placed_at", 1, out, &placed) < 0)
		goto bad;
	if (text(&n, in, "currency", "currency", 0, 8, &cur) < 0)
		goto bad;
	if (cur == NULL && cfg->currency != NULL)
		cur = xstrdup(cfg->currency);
	if (cur == NULL) {
		fail(&n, "currency is missing");
		goto bad;
	}
	for (p = cur; *p != '\0'; p++)
		*p = (char)toupper((unsigned char)*p);
	if (money_exponent(cur) == -1) {
		fail(&n, "currency: not an ISO 4217 code: '%.8s'", cur);
		goto bad;
	}
	put(out, "currency", cur);
	cur = NULL;
	/* ship_to first: its country reads the customer's phone too. */
	if (ship_to(&n, in, tmp, &country) < 0 ||
	    customer(&n, in, tmp, country) < 0)
		goto bad;
	if (json_object_get(tmp, "customer") != NULL)
		json_object_set(out, "customer", json_object_get(tmp,
		    "customer"));
	json_object_set(out, "ship_to", json_object_get(tmp, "ship_to"));
	if (lines(&n, in, out, &sum, &priced) < 0 ||
	    amounts(&n, in, out, sum, priced, &total) < 0 ||
	    payment(&n, in, out, total) < 0 ||
	    service(&n, in, out) < 0 ||
	    window(&n, in, out) < 0 ||
	    preferences(&n, in, out) < 0)
		goto bad;
	rest(out, in, order_keys);
	if (status(&n, in, out) < 0)
		goto bad;
	free(country);
	json_decref(tmp);
	return out;
bad:
	free(src);
	free(cur);
	free(country);
	json_decref(tmp);
	json_decref(out);
	return NULL;
}

int
order_cancelled(const json_t *o)
{
	return strcmp(order_status(o), "cancelled") == 0;
}

static const char *
str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL ? s : "";
}

const char *
order_id(const json_t *o)
{
	return str(o, "order_id");
}

const char *
order_source(const json_t *o)
{
	return str(o, "source");
}

const char *
order_status(const json_t *o)
{
	return str(o, "status");
}
