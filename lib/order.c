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
#define MAX_ID 128
#define MAX_TEXT 1024
#define MAX_NOTE 8192
#define MAX_QTY 1000000

struct norm {
	const struct config *cfg;
	json_t *warn;
	char *why;
	size_t whylen;
};

/*
 * Where a field is: "ship_to.name", "lines[2].qty".  Written out only
 * when there is something to say, since most orders are fine.
 */
struct at {
	const char *obj; /* NULL: top level */
	long i;          /* -1: not in an array */
	const char *key;
};

static const char *
where(const struct at *a, char *buf, size_t len)
{
	if (a->obj == NULL)
		snprintf(buf, len, "%s", a->key);
	else if (a->i < 0)
		snprintf(buf, len, "%s.%s", a->obj, a->key);
	else
		snprintf(buf, len, "%s[%ld].%s", a->obj, a->i, a->key);
	return buf;
}

static int __attribute__((format(printf, 2, 3)))
fail(struct norm *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(n->why, n->whylen, fmt, ap);
	va_end(ap);
	return -1;
}

/* fail() with the field's path in front: "lines[0].qty must be ...". */
static int __attribute__((format(printf, 3, 4)))
fail_at(struct norm *n, const struct at *a, const char *fmt, ...)
{
	char path[96], msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return fail(n, "%s %s", where(a, path, sizeof path), msg);
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
	json_array_append_new(
	    warnings, json_pack("{s:s,s:s}", "field", field, "message", msg));
}

enum {
	T_REQUIRED = 1,  /* missing or empty is an error */
	T_MULTILINE = 2, /* newlines and tabs allowed */
	T_NUMBER = 4     /* a JSON integer is taken as its digits */
};

/*
 * A text field, trimmed: 1 with *out set to a new reference (the input's
 * own string when it is clean already), 0 when absent or empty, -1 when
 * wrong.
 */
static int
text(struct norm *n, json_t *obj, const struct at *a, int flags, size_t max,
    json_t **out)
{
	json_t *v = obj != NULL ? json_object_get(obj, a->key) : NULL;
	const char *s, *b, *e;
	char buf[32];
	size_t i;

	*out = NULL;
	if (v == NULL || json_is_null(v))
		goto absent;
	if (json_is_integer(v) && (flags & T_NUMBER)) {
		snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		*out = json_string(buf);
		return 1;
	}
	if (!json_is_string(v))
		return fail_at(n, a, "must be a string");
	s = b = json_string_value(v);
	e = s + json_string_length(v);
	while (b < e && isspace((unsigned char)*b))
		b++;
	while (e > b && isspace((unsigned char)e[-1]))
		e--;
	if (b == e)
		goto absent;
	if ((size_t)(e - b) > max)
		return fail_at(n, a, "is longer than %zu bytes", max);
	for (i = 0; b + i < e; i++) {
		unsigned char c = (unsigned char)b[i];

		if ((c < 0x20 || c == 0x7f) &&
		    !((flags & T_MULTILINE) &&
			(c == '\n' || c == '\t' || c == '\r')))
			return fail_at(n, a, "contains a control character");
	}
	if (b == s && e == s + json_string_length(v))
		*out = json_incref(v);
	else
		*out = json_stringn_nocheck(b, (size_t)(e - b));
	return 1;
absent:
	if (flags & T_REQUIRED)
		return fail_at(n, a, "is missing");
	return 0;
}

/*
 * An integer field: a JSON integer or a string of digits.  1 with *out
 * set, 0 when absent, -1 when wrong or outside [min, max].
 */
static int
integer(struct norm *n, json_t *obj, const struct at *a, int64_t min,
    int64_t max, int64_t *out)
{
	json_t *v = obj != NULL ? json_object_get(obj, a->key) : NULL;
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
			return fail_at(n, a, "must be an integer");
		for (; isdigit((unsigned char)*s); s++) {
			if (x > (INT64_MAX - (*s - '0')) / 10)
				return fail_at(n, a, "is out of range");
			x = x * 10 + (*s - '0');
		}
		while (isspace((unsigned char)*s))
			s++;
		if (*s != '\0')
			return fail_at(n, a, "must be an integer");
		if (neg)
			x = -x;
	} else
		return fail_at(n, a, "must be an integer");
	if (x < min || x > max) {
		if (min == 1 && x < 1)
			return fail_at(n, a, "must be a positive integer");
		if (min == 0 && x < 0)
			return fail_at(n, a, "must not be negative");
		return fail_at(n, a, "is out of range");
	}
	*out = x;
	return 1;
}

/* Set key to a reference we own (NULL: leave it out). */
static void
put(json_t *o, const char *key, json_t *v)
{
	if (v != NULL)
		json_object_set_new(o, key, v);
}

/* A copy of a string value, changed in place by the caller. */
static char *
dup_of(json_t *v)
{
	return xstrndup(json_string_value(v), json_string_length(v));
}

/* Replace *v by the string s (which is freed). */
static void
replace(json_t **v, char *s)
{
	json_decref(*v);
	*v = json_string(s);
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

	json_object_foreach(from, key,
	    v) if (!known(key, keys) && json_object_get(to, key) == NULL)
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
			*p = (char)(i == 0 || len > 4
					? tolower((unsigned char)*p)
				    : len == 2 ? toupper((unsigned char)*p)
				    : len == 4 && p == part
					? toupper((unsigned char)*p)
					: tolower((unsigned char)*p));
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
phone(struct norm *n, json_t *o, const char *path, json_t *raw,
    const char *country)
{
	char e164[COUNTRY_E164_MAX];

	if (raw == NULL)
		return;
	if (phone_e164(json_string_value(raw), country, e164, sizeof e164) ==
	    0) {
		if (strcmp(e164, json_string_value(raw)) == 0)
			json_object_set(o, "phone", raw);
		else
			json_object_set_new(o, "phone", json_string(e164));
	} else {
		json_object_set(o, "phone", raw);
		order_warn(n->warn, path,
		    "not a phone number that can be "
		    "written in E.164; kept as given");
	}
	json_decref(raw);
}

static int
customer(struct norm *n, json_t *in, json_t *out, const char *country)
{
	static const char *const keys[] = {
	    "name", "email", "phone", "locale", NULL};
	static const struct at a[] = {{"customer", -1, "name"},
	    {"customer", -1, "email"}, {"customer", -1, "phone"},
	    {"customer", -1, "locale"}};
	json_t *c = json_object_get(in, "customer"), *o, *v[4];
	char *loc;
	int i, j;

	if (c == NULL || json_is_null(c))
		return 0;
	if (!json_is_object(c))
		return fail(n, "customer must be an object");
	for (i = 0; i < 4; i++)
		if (text(n, c, &a[i], i == 2 ? T_NUMBER : 0,
			i == 3 ? 35 : MAX_TEXT, &v[i]) < 0) {
			for (j = 0; j < i; j++)
				json_decref(v[j]);
			return -1;
		}
	o = json_object();
	put(o, "name", v[0]);
	if (v[1] != NULL && !email_ok(json_string_value(v[1])))
		order_warn(n->warn, "customer.email", "not an email address");
	put(o, "email", v[1]);
	phone(n, o, "customer.phone", v[2], country);
	if (v[3] != NULL) {
		loc = dup_of(v[3]);
		if (locale(loc) == -1) {
			order_warn(n->warn, "customer.locale",
			    "not a language "
			    "tag; left out");
			free(loc);
			json_decref(v[3]);
			v[3] = NULL;
		} else if (strcmp(loc, json_string_value(v[3])) != 0)
			replace(&v[3], loc);
		else
			free(loc);
	}
	put(o, "locale", v[3]);
	rest(o, c, keys);
	json_object_set_new(out, "customer", o);
	return 0;
}

/* Upper-case a string value in place of its reference, if need be. */
static void
upper(json_t **v)
{
	const char *s = json_string_value(*v);
	char *u, *p;

	for (p = (char *)s; *p != '\0'; p++)
		if (islower((unsigned char)*p))
			break;
	if (*p == '\0')
		return;
	u = dup_of(*v);
	for (p = u; *p != '\0'; p++)
		*p = (char)toupper((unsigned char)*p);
	replace(v, u);
}

static int
ship_to(struct norm *n, json_t *in, json_t *out, char *country, size_t clen)
{
	static const char *const keys[] = {"name", "company", "line1", "line2",
	    "city", "region", "postcode", "country", "phone", NULL};
	static const struct {
		struct at at;
		int flags;
	} f[] = {
	    {{"ship_to", -1, "name"}, T_REQUIRED},
	    {{"ship_to", -1, "company"}, 0},
	    {{"ship_to", -1, "line1"}, T_REQUIRED},
	    {{"ship_to", -1, "line2"}, 0},
	    {{"ship_to", -1, "city"}, T_REQUIRED},
	    {{"ship_to", -1, "region"}, 0},
	    {{"ship_to", -1, "postcode"}, T_NUMBER},
	    {{"ship_to", -1, "country"}, T_REQUIRED},
	    {{"ship_to", -1, "phone"}, T_NUMBER},
	};
	json_t *s = json_object_get(in, "ship_to"), *o, *v[9];
	const char *pc;
	size_t i, j;

	if (s == NULL || json_is_null(s))
		return fail(n, "ship_to is missing");
	if (!json_is_object(s))
		return fail(n, "ship_to must be an object");
	for (i = 0; i < 9; i++)
		if (text(n, s, &f[i].at, f[i].flags, MAX_TEXT, &v[i]) < 0) {
			for (j = 0; j < i; j++)
				json_decref(v[j]);
			return -1;
		}
	/* Country: upper case, the one common alias, and it must exist. */
	upper(&v[7]);
	if (strcmp(json_string_value(v[7]), "UK") == 0)
		replace(&v[7], xstrdup("GB"));
	if (!country_valid(json_string_value(v[7]))) {
		fail(n, "ship_to.country: unknown country code '%.8s'",
		    json_string_value(v[7]));
		for (j = 0; j < 9; j++)
			json_decref(v[j]);
		return -1;
	}
	snprintf(country, clen, "%s", json_string_value(v[7]));
	/* Spreadsheets keep leading zeros behind an apostrophe. */
	if (v[6] != NULL) {
		pc = json_string_value(v[6]);
		if (pc[0] == '\'') {
			if (pc[1] == '\0') {
				json_decref(v[6]);
				v[6] = NULL;
			} else
				replace(&v[6], xstrdup(pc + 1));
		}
		if (v[6] != NULL)
			upper(&v[6]);
	}
	o = json_object();
	for (i = 0; i < 8; i++)
		put(o, keys[i], v[i]);
	phone(n, o, "ship_to.phone", v[8], country);
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
		       __builtin_add_overflow(*acc, p, acc)
		   ? -1
		   : 0;
}

/* One line item into a new object; -1 with the reason. */
static int
line(struct norm *n, json_t *l, long i, json_t **out, int64_t *sum, int *priced)
{
	static const char *const keys[] = {
	    "sku", "name", "qty", "unit_price", "gift", NULL};
	struct at a = {"lines", i, "sku"};
	json_t *sku, *name = NULL, *g, *o;
	int64_t qty, price;
	int has;

	if (!json_is_object(l))
		return fail(n, "lines[%ld] must be an object", i);
	if (text(n, l, &a, T_REQUIRED | T_NUMBER, MAX_ID, &sku) < 0)
		return -1;
	a.key = "name";
	if (text(n, l, &a, 0, MAX_TEXT, &name) < 0)
		goto bad;
	a.key = "qty";
	if ((has = integer(n, l, &a, 1, MAX_QTY, &qty)) <= 0) {
		if (has == 0)
			fail_at(n, &a, "is missing");
		goto bad;
	}
	a.key = "unit_price";
	if ((has = integer(n, l, &a, 0, INT64_MAX, &price)) < 0)
		goto bad;
	g = json_object_get(l, "gift");
	if (g != NULL && !json_is_boolean(g) && !json_is_null(g)) {
		fail(n, "lines[%ld].gift must be true or false", i);
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
	*out = o;
	if (!has)
		*priced = 0;
	else if (madd(sum, qty, price) == -1)
		return fail(n, "lines: amounts out of range");
	return 0;
bad:
	json_decref(sku);
	json_decref(name);
	return -1;
}

static int
lines(struct norm *n, json_t *in, json_t *out, int64_t *sum, int *priced)
{
	json_t *a = json_object_get(in, "lines"), *l, *o, *arr;
	size_t i;

	if (a == NULL || json_is_null(a))
		return fail(n, "lines is missing");
	if (!json_is_array(a))
		return fail(n, "lines must be an array");
	if (json_array_size(a) == 0)
		return fail(n, "lines is empty");
	*sum = 0;
	*priced = 1;
	arr = json_array();
	json_array_foreach(a, i, l)
	{
		o = NULL;
		if (line(n, l, (long)i, &o, sum, priced) < 0) {
			json_decref(o);
			json_decref(arr);
			return -1;
		}
		json_array_append_new(arr, o);
	}
	json_object_set_new(out, "lines", arr);
	return 0;
}

/* The order-level amounts; total checked against the lines. */
static int
amounts(struct norm *n, json_t *in, json_t *out, int64_t sum, int priced,
    int64_t *total)
{
	static const char *const names[] = {
	    "subtotal", "shipping", "tax", "discount", "total"};
	int64_t v[5] = {0, 0, 0, 0, -1}, with, without;
	struct at a = {NULL, -1, NULL};
	int has[5], i;

	for (i = 0; i < 5; i++) {
		a.key = names[i];
		if ((has[i] = integer(n, in, &a, 0, INT64_MAX, &v[i])) < 0)
			return -1;
		if (has[i])
			json_object_set_new(out, names[i], json_integer(v[i]));
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
		order_warn(n->warn, "total",
		    "total %lld does not match the "
		    "lines (%lld) less discount plus shipping and tax",
		    (long long)v[4], (long long)sum);
	return 0;
}

static int
payment(struct norm *n, json_t *in, json_t *out, int64_t total)
{
	static const char *const keys[] = {"method", "cod_amount", NULL};
	struct at am = {"payment", -1, "method"};
	struct at ac = {"payment", -1, "cod_amount"};
	json_t *p = json_object_get(in, "payment"), *o, *mv;
	char *m, *q;
	int64_t cod = -1;
	int cash = 0, r;

	if (p != NULL && !json_is_null(p) && !json_is_object(p))
		return fail(n, "payment must be an object");
	if (text(n, p, &am, 0, 64, &mv) < 0)
		return -1;
	if (mv != NULL) {
		m = dup_of(mv);
		json_decref(mv);
		for (q = m; *q != '\0'; q++)
			*q = *q == ' ' || *q == '-'
				 ? '_'
				 : (char)tolower((unsigned char)*q);
		if (strcmp(m, "cod") == 0 || strcmp(m, "cash_on_delivery") == 0)
			cash = 1;
		else if (strcmp(m, "prepaid") != 0) {
			free(m);
			return fail(n, "payment.method must be prepaid or "
				       "cod");
		}
		free(m);
	}
	if ((r = integer(n, p, &ac, 0, INT64_MAX, &cod)) < 0)
		return -1;
	if (cash && r == 0)
		cod = total;
	if (cash && cod < 0)
		return fail(n, "payment: a cod order needs cod_amount or "
			       "total");
	o = json_object();
	json_object_set_new(o, "method", json_string(cash ? "cod" : "prepaid"));
	if (cash)
		json_object_set_new(o, "cod_amount", json_integer(cod));
	if (p != NULL)
		rest(o, p, keys);
	json_object_set_new(out, "payment", o);
	return 0;
}

static int
service(struct norm *n, json_t *in, json_t *out)
{
	static const struct at a = {NULL, -1, "service"};
	json_t *v, *alias;
	const char *s;
	char *low, *p;

	if (text(n, in, &a, 0, 64, &v) < 0)
		return -1;
	if (v == NULL)
		v = json_string("standard");
	s = json_string_value(v);
	for (p = (char *)s; *p != '\0' && !isupper((unsigned char)*p); p++)
		;
	if (*p != '\0') {
		low = dup_of(v);
		for (p = low; *p != '\0'; p++)
			*p = (char)tolower((unsigned char)*p);
		replace(&v, low);
	}
	if (n->cfg->service_map != NULL &&
	    (alias = json_object_get(
		 n->cfg->service_map, json_string_value(v))) != NULL) {
		json_decref(v);
		v = json_incref(alias);
	}
	if (!config_has_service(n->cfg, json_string_value(v))) {
		fail(n, "service: no carrier offers '%.32s'",
		    json_string_value(v));
		json_decref(v);
		return -1;
	}
	put(out, "service", v);
	return 0;
}

/* An RFC 3339 field, normalised; loose forms read in the warehouse zone. */
static int
instant(struct norm *n, json_t *obj, const struct at *a, int required,
    json_t *out, struct when *w)
{
	char buf[WHEN_BUFSZ];
	json_t *v;
	int r;

	if ((r = text(n, obj, a, required ? T_REQUIRED : 0, 64, &v)) <= 0)
		return r;
	if (when_parse_loose(json_string_value(v), n->cfg->tz, w) == -1) {
		json_decref(v);
		return fail_at(n, a, "is not an RFC 3339 time");
	}
	when_format(w, buf);
	if (strcmp(buf, json_string_value(v)) == 0)
		json_object_set_new(out, a->key, v);
	else {
		json_decref(v);
		json_object_set_new(out, a->key, json_string(buf));
	}
	return 1;
}

static int
window(struct norm *n, json_t *in, json_t *out)
{
	static const struct at af = {"delivery_window", -1, "from"};
	static const struct at at = {"delivery_window", -1, "to"};
	json_t *d = json_object_get(in, "delivery_window"), *o;
	struct when from, to;

	if (d == NULL || json_is_null(d))
		return 0;
	if (!json_is_object(d))
		return fail(n, "delivery_window must be an object");
	o = json_object();
	if (instant(n, d, &af, 1, o, &from) < 0 ||
	    instant(n, d, &at, 1, o, &to) < 0) {
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
	static const char *const keys[] = {"packaging", "note", NULL};
	static const struct at ap = {"preferences", -1, "packaging"};
	static const struct at an = {"preferences", -1, "note"};
	json_t *p = json_object_get(in, "preferences"), *o, *pack, *note;

	if (p == NULL || json_is_null(p))
		return 0;
	if (!json_is_object(p))
		return fail(n, "preferences must be an object");
	if (text(n, p, &ap, 0, MAX_TEXT, &pack) < 0)
		return -1;
	if (text(n, p, &an, T_MULTILINE, MAX_NOTE, &note) < 0) {
		json_decref(pack);
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
static const char *const order_keys[] = {"order_id", "source", "placed_at",
    "currency", "customer", "ship_to", "lines", "subtotal", "shipping", "tax",
    "discount", "total", "payment", "service", "delivery_window", "preferences",
    "status", "promise", "revision", "warnings", NULL};

json_t *
order_normalise(json_t *in, const struct config *cfg, const char *dsource,
    json_t *warnings, char *why, size_t whylen)
{
	static const struct at aid = {NULL, -1, "order_id"};
	static const struct at asrc = {NULL, -1, "source"};
	static const struct at aplaced = {NULL, -1, "placed_at"};
	static const struct at acur = {NULL, -1, "currency"};
	struct norm n = {cfg, warnings, why, whylen};
	json_t *out = json_object(), *tmp = json_object(), *v;
	char country[8];
	int64_t sum = 0, total = -1;
	struct when placed;
	int priced = 0;

	if (text(&n, in, &aid, T_REQUIRED | T_NUMBER, MAX_ID, &v) < 0)
		goto bad;
	put(out, "order_id", v);
	if (text(&n, in, &asrc, 0, 64, &v) < 0)
		goto bad;
	put(out, "source", v != NULL ? v : json_string(dsource));
	if (instant(&n, in, &aplaced, 1, out, &placed) < 0)
		goto bad;
	if (text(&n, in, &acur, 0, 8, &v) < 0)
		goto bad;
	if (v == NULL && cfg->currency != NULL)
		v = json_string(cfg->currency);
	if (v == NULL) {
		fail(&n, "currency is missing");
		goto bad;
	}
	upper(&v);
	if (money_exponent(json_string_value(v)) == -1) {
		fail(&n, "currency: not an ISO 4217 code: '%.8s'",
		    json_string_value(v));
		json_decref(v);
		goto bad;
	}
	put(out, "currency", v);
	/* ship_to first: its country reads the customer's phone too. */
	if (ship_to(&n, in, tmp, country, sizeof country) < 0 ||
	    customer(&n, in, tmp, country) < 0)
		goto bad;
	if (json_object_get(tmp, "customer") != NULL)
		json_object_set(
		    out, "customer", json_object_get(tmp, "customer"));
	json_object_set(out, "ship_to", json_object_get(tmp, "ship_to"));
	if (lines(&n, in, out, &sum, &priced) < 0 ||
	    amounts(&n, in, out, sum, priced, &total) < 0 ||
	    payment(&n, in, out, total) < 0 || service(&n, in, out) < 0 ||
	    window(&n, in, out) < 0 || preferences(&n, in, out) < 0)
		goto bad;
	rest(out, in, order_keys);
	if (status(&n, in, out) < 0)
		goto bad;
	json_decref(tmp);
	return out;
bad:
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
