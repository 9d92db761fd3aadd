#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "catalog.h"
#include "config.h"
#include "country.h"
#include "err.h"
#include "money.h"
#include "order.h"
#include "phone.h"
#include "postcode.h"
#include "status.h"
#include "when.h"

/* Limits that keep a record sane; beyond them it is rejected. */
#define MAX_ID 128
#define MAX_TEXT 1024
#define MAX_NOTE 8192
#define MAX_QTY 1000000

/*
 * The canonical order of each object's known keys.  An object is put in
 * this order (known keys first, unknown ones after them as they came)
 * only when it is not in it already: most inputs are.
 */
static const char *const order_keys[] = {"order_id", "source", "placed_at",
    "currency", "customer", "ship_to", "lines", "subtotal", "shipping", "tax",
    "discount", "total", "payment", "service", "shipping_method", "pickup",
    "delivery_window", "preferences", NULL};
static const char *const customer_keys[] = {
    "name", "email", "phone", "locale", NULL};
static const char *const ship_to_keys[] = {"name", "company", "line1", "line2",
    "city", "region", "postcode", "country", "phone", NULL};
static const char *const line_keys[] = {"sku", "sku_from", "barcode", "name",
    "variant", "qty", "ordered_qty", "unit_price", "gift", "fulfilment", NULL};
static const char *const payment_keys[] = {
    "method", "cod_amount", "status", "outstanding", NULL};
/* What an export may say about the money (fulfil-order(5)). */
static const char *const pay_statuses[] = {"paid", "pending", "authorized",
    "partially_paid", "refunded", "partially_refunded", "voided", NULL};
static const char *const window_keys[] = {"from", "to", NULL};
static const char *const pref_keys[] = {"packaging", "note", NULL};

struct norm {
	const struct config *cfg;
	json_t *warn;
	char *why;
	size_t whylen;
	int pickup;        /* the customer collects: no ship_to needed */
	const char *place; /* where, when the shipping method says */
	int nothing;       /* nothing left to ship: no lines needed */
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
 * A text field of obj, trimmed in place: 1 when present (the value is
 * then a clean string), 0 when absent or empty (the key is removed), -1
 * when wrong.
 */
static int
text(struct norm *n, json_t *obj, const struct at *a, int flags, size_t max)
{
	json_t *v = json_object_get(obj, a->key);
	const char *s, *b, *e;
	char buf[32];
	size_t i;

	if (v == NULL || json_is_null(v))
		goto absent;
	if (json_is_integer(v) && (flags & T_NUMBER)) {
		snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		json_object_set_new(obj, a->key, json_string(buf));
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
	if (b != s || e != s + json_string_length(v))
		json_object_set_new(
		    obj, a->key, json_stringn_nocheck(b, (size_t)(e - b)));
	return 1;
absent:
	if (v != NULL)
		json_object_del(obj, a->key);
	if (flags & T_REQUIRED)
		return fail_at(n, a, "is missing");
	return 0;
}

/* The string value of a key (present: text() said so). */
static const char *
sval(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

/*
 * An integer field: a JSON integer or a string of digits, made an
 * integer in place.  1 with *out set, 0 when absent, -1 when wrong or
 * outside [min, max].
 */
static int
integer(struct norm *n, json_t *obj, const struct at *a, int64_t min,
    int64_t max, int64_t *out)
{
	json_t *v = json_object_get(obj, a->key);
	const char *s;
	int64_t x = 0;
	int neg = 0;

	if (v == NULL || json_is_null(v)) {
		if (v != NULL)
			json_object_del(obj, a->key);
		return 0;
	}
	if (json_is_integer(v))
		x = json_integer_value(v);
	else if (json_is_string(v)) {
		s = json_string_value(v);
		while (isspace((unsigned char)*s))
			s++;
		if (*s == '\0') {
			json_object_del(obj, a->key);
			return 0;
		}
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
	if (!json_is_integer(v))
		json_object_set_new(obj, a->key, json_integer(x));
	*out = x;
	return 1;
}

/* Set key to the string s (which is freed). */
static void
set_free(json_t *obj, const char *key, char *s)
{
	json_object_set_new(obj, key, json_string(s));
	free(s);
}

static int
rank(const char *key, const char *const *keys)
{
	int i;

	for (i = 0; keys[i] != NULL; i++)
		if (strcmp(key, keys[i]) == 0)
			return i;
	return -1;
}

/*
 * Put obj's keys in canonical order: the known ones in the order of keys,
 * then the others as they came, then those in last (NULL-terminated, may
 * be NULL).  Nothing moves when the order is right already.
 */
static void
reorder(json_t *obj, const char *const *keys, const char *const *last)
{
	const char *key;
	json_t *v, *tmp;
	int r, prev = -1, unknown = 0, tail = 0, fine = 1;
	size_t i;

	json_object_foreach(obj, key, v)
	{
		int is_last = last != NULL && rank(key, last) >= 0;

		r = is_last ? -1 : rank(key, keys);
		if (tail && !is_last)
			fine = 0;
		else if (is_last)
			tail = 1;
		else if (r >= 0 && (unknown || r < prev))
			fine = 0;
		else if (r >= 0)
			prev = r;
		else
			unknown = 1;
		if (!fine)
			break;
	}
	if (fine)
		return;
	tmp = json_copy(obj);
	json_object_clear(obj);
	for (i = 0; keys[i] != NULL; i++)
		if ((v = json_object_get(tmp, keys[i])) != NULL)
			json_object_set(obj, keys[i], v);
	json_object_foreach(tmp, key,
	    v) if (rank(key, keys) < 0 && (last == NULL || rank(key, last) < 0))
	    json_object_set(obj, key, v);
	for (i = 0; last != NULL && last[i] != NULL; i++)
		if ((v = json_object_get(tmp, last[i])) != NULL)
			json_object_set(obj, last[i], v);
	json_decref(tmp);
}

/* An object member: NULL when absent or null, -1 when not an object. */
static int
member(struct norm *n, json_t *in, const char *key, json_t **out)
{
	json_t *v = json_object_get(in, key);

	*out = NULL;
	if (v == NULL || json_is_null(v)) {
		if (v != NULL)
			json_object_del(in, key);
		return 0;
	}
	if (!json_is_object(v))
		return fail(n, "%s must be an object", key);
	*out = v;
	return 1;
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

/*
 * A spreadsheet keeps a leading zero or '+' by an apostrophe in front,
 * which the export then carries: take it off key of obj.
 */
static void
unquote(json_t *obj, const char *key)
{
	const char *v = sval(obj, key);

	if (v == NULL || v[0] != '\'')
		return;
	if (v[1] == '\0')
		json_object_del(obj, key);
	else
		json_object_set_new(obj, key, json_string(v + 1));
}

/*
 * The phone of obj in E.164, read by libphonenumber (phone.h) as a number
 * of the ship-to country unless it has a calling code of its own; kept
 * as given, with a warning, when it is not a valid number.
 */
static void
phone(struct norm *n, json_t *obj, const char *path, const char *country)
{
	char e164[PHONE_E164_MAX], why[128];
	const char *raw;
	int r;

	unquote(obj, "phone");
	if ((raw = sval(obj, "phone")) == NULL)
		return;
	r = phone_normalise(raw, country, e164, sizeof e164, why, sizeof why);
	if (r >= 0 && strcmp(e164, raw) != 0)
		json_object_set_new(obj, "phone", json_string(e164));
	if (r < 0)
		order_warn(n->warn, path, "%s; kept as given", why);
	else if (r > 0)
		order_warn(n->warn, path, "%s", why);
}

/*
 * A string member in upper (up) or lower case, in place; copied only
 * when a letter is in the other case, which is seldom.
 */
static void
recase(json_t *obj, const char *key, int up)
{
	const char *s = sval(obj, key), *p;
	char *u, *q;

	for (p = s; *p != '\0'; p++)
		if (up ? islower((unsigned char)*p)
		       : isupper((unsigned char)*p))
			break;
	if (*p == '\0')
		return;
	u = xstrdup(s);
	for (q = u; *q != '\0'; q++)
		*q = (char)(up ? toupper((unsigned char)*q)
			       : tolower((unsigned char)*q));
	set_free(obj, key, u);
}

static void
upper(json_t *obj, const char *key)
{
	recase(obj, key, 1);
}

static void
lower(json_t *obj, const char *key)
{
	recase(obj, key, 0);
}

static int
customer(struct norm *n, json_t *in, const char *country)
{
	static const struct at a[] = {{"customer", -1, "name"},
	    {"customer", -1, "email"}, {"customer", -1, "phone"},
	    {"customer", -1, "locale"}};
	json_t *c;
	char *loc;
	int r;

	if ((r = member(n, in, "customer", &c)) <= 0)
		return r;
	if (text(n, c, &a[0], 0, MAX_TEXT) < 0 ||
	    text(n, c, &a[1], 0, MAX_TEXT) < 0 ||
	    text(n, c, &a[2], T_NUMBER, MAX_TEXT) < 0 ||
	    text(n, c, &a[3], 0, 35) < 0)
		return -1;
	if (sval(c, "email") != NULL && !email_ok(sval(c, "email")))
		order_warn(n->warn, "customer.email", "not an email address");
	phone(n, c, "customer.phone", country);
	if (sval(c, "locale") != NULL) {
		loc = xstrdup(sval(c, "locale"));
		if (locale(loc) == -1) {
			order_warn(n->warn, "customer.locale",
			    "not a language tag; left out");
			json_object_del(c, "locale");
			free(loc);
		} else if (strcmp(loc, sval(c, "locale")) != 0)
			set_free(c, "locale", loc);
		else
			free(loc);
	}
	reorder(c, customer_keys, NULL);
	return 0;
}

/*
 * The country a pickup order's phone numbers are read in when it has no
 * ship-to country: the warehouse's own, from its return address.
 */
static int
home_country(const struct config *cfg, char *country, size_t clen)
{
	const char *c =
	    json_string_value(json_object_get(cfg->return_address, "country"));

	snprintf(country, clen, "%s", c != NULL ? c : "");
	return 0;
}

/*
 * The postcode of ship_to in upper case and in its country's form
 * (postcode.h); one that does not have the form is kept, with a warning.
 */
static void
postcode(struct norm *n, json_t *s, const char *country)
{
	char pc[MAX_TEXT + 1], why[160];
	int r;

	unquote(s, "postcode");
	if (sval(s, "postcode") == NULL)
		return;
	upper(s, "postcode");
	r = postcode_check(
	    country, sval(s, "postcode"), pc, sizeof pc, why, sizeof why);
	if (r >= 0 && strcmp(pc, sval(s, "postcode")) != 0)
		json_object_set_new(s, "postcode", json_string(pc));
	if (r != 0)
		order_warn(n->warn, "ship_to.postcode", "%s", why);
}

static int
ship_to(struct norm *n, json_t *in, char *country, size_t clen)
{
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
	const char *cc;
	json_t *s;
	size_t i;
	int r;

	if ((r = member(n, in, "ship_to", &s)) < 0)
		return -1;
	if (r == 0 && n->pickup)
		return home_country(n->cfg, country, clen);
	if (r == 0)
		return fail(n, "ship_to is missing");
	for (i = 0; i < sizeof f / sizeof f[0]; i++)
		if (text(n, s, &f[i].at,
			n->pickup ? f[i].flags & ~T_REQUIRED : f[i].flags,
			MAX_TEXT) < 0)
			return -1;
	if (n->pickup && sval(s, "country") == NULL) {
		/* Collected: the address is contact details, if any. */
		home_country(n->cfg, country, clen);
		phone(n, s, "ship_to.phone", country);
		reorder(s, ship_to_keys, NULL);
		return 0;
	}
	/* A code or a name (country.h), written as the alpha-2 code. */
	if ((cc = country_code(sval(s, "country"))) == NULL)
		return fail(n, "ship_to.country is not a country code or name");
	if (strcmp(cc, sval(s, "country")) != 0)
		json_object_set_new(s, "country", json_string(cc));
	snprintf(country, clen, "%s", cc);
	postcode(n, s, country);
	phone(n, s, "ship_to.phone", country);
	reorder(s, ship_to_keys, NULL);
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

/*
 * A line's fields beside the item and its price: its barcode and
 * variant (what a SKU was found by), the quantity ordered when more than
 * is left to ship, and fulfilment, of which "partial" holds the order.
 */
static int
line_more(struct norm *n, json_t *l, long i)
{
	struct at a = {"lines", i, "barcode"};
	int64_t q;

	if (text(n, l, &a, T_NUMBER, MAX_ID) < 0)
		return -1;
	a.key = "variant";
	if (text(n, l, &a, 0, MAX_TEXT) < 0)
		return -1;
	a.key = "ordered_qty";
	if (integer(n, l, &a, 1, MAX_QTY, &q) < 0)
		return -1;
	a.key = "fulfilment";
	if (text(n, l, &a, 0, 64) < 0)
		return -1;
	if (sval(l, "fulfilment") != NULL)
		lower(l, "fulfilment");
	return 0;
}

/* One line item, in place; -1 with the reason. */
static int
line(struct norm *n, json_t *l, long i, int64_t *sum, int *priced)
{
	struct at a = {"lines", i, "sku"};
	int64_t qty, price;
	json_t *g;
	int has;

	if (!json_is_object(l))
		return fail(n, "lines[%ld] must be an object", i);
	if (text(n, l, &a, T_REQUIRED | T_NUMBER, MAX_ID) < 0)
		return -1;
	a.key = "name";
	if (text(n, l, &a, 0, MAX_TEXT) < 0)
		return -1;
	a.key = "qty";
	if ((has = integer(n, l, &a, 1, MAX_QTY, &qty)) <= 0)
		return has == 0 ? fail_at(n, &a, "is missing") : -1;
	if (line_more(n, l, i) < 0)
		return -1;
	a.key = "unit_price";
	if ((has = integer(n, l, &a, 0, INT64_MAX, &price)) < 0)
		return -1;
	g = json_object_get(l, "gift");
	if (g != NULL && !json_is_boolean(g) && !json_is_null(g))
		return fail(n, "lines[%ld].gift must be true or false", i);
	if (g != NULL && !json_is_true(g))
		json_object_del(l, "gift");
	reorder(l, line_keys, NULL);
	if (!has)
		*priced = 0;
	else if (madd(sum, qty, price) == -1)
		return fail(n, "lines: amounts out of range");
	return 0;
}

static int
lines(struct norm *n, json_t *in, int64_t *sum, int *priced)
{
	json_t *a = json_object_get(in, "lines"), *l;
	size_t i;

	*sum = 0;
	*priced = 1;
	/* Everything shipped or refunded already: not_shipped says what. */
	if (n->nothing && (a == NULL || json_is_null(a) ||
			      (json_is_array(a) && json_array_size(a) == 0))) {
		*priced = 0;
		return 0;
	}
	if (a == NULL || json_is_null(a))
		return fail(n, "lines is missing");
	if (!json_is_array(a))
		return fail(n, "lines must be an array");
	if (json_array_size(a) == 0)
		return fail(n, "lines is empty");
	json_array_foreach(
	    a, i, l) if (line(n, l, (long)i, sum, priced) < 0) return -1;
	return 0;
}

/* The order-level amounts; total checked against the lines. */
static int
amounts(struct norm *n, json_t *in, int64_t sum, int priced, int64_t *total)
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
		    "does not match the lines less discount plus "
		    "shipping and tax");
	return 0;
}

/* "Cash on delivery" as a word: cash_on_delivery (the caller frees). */
static char *
word(const char *s)
{
	char *m = xstrdup(s), *q;

	for (q = m; *q != '\0'; q++)
		*q = *q == ' ' || *q == '-' ? '_'
					    : (char)tolower((unsigned char)*q);
	return m;
}

/*
 * payment.status, what the export says about the money, as a word of
 * pay_statuses ("Partially paid" is partially_paid), and
 * payment.outstanding, what is still to pay.
 */
static int
pay_status(struct norm *n, json_t *p)
{
	static const struct at as = {"payment", -1, "status"};
	static const struct at ao = {"payment", -1, "outstanding"};
	int64_t owed;
	char *m;
	size_t i;

	if (text(n, p, &as, 0, 64) < 0 ||
	    integer(n, p, &ao, 0, INT64_MAX, &owed) < 0)
		return -1;
	if (sval(p, "status") == NULL)
		return 0;
	m = word(sval(p, "status"));
	for (i = 0; pay_statuses[i] != NULL; i++)
		if (strcmp(m, pay_statuses[i]) == 0)
			break;
	if (pay_statuses[i] == NULL) {
		free(m);
		return fail_at(n, &as,
		    "must be paid, pending, authorized, partially_paid, "
		    "refunded, partially_refunded or voided");
	}
	if (strcmp(m, sval(p, "status")) != 0)
		set_free(p, "status", m);
	else
		free(m);
	return 0;
}

static int
payment(struct norm *n, json_t *in, int64_t total)
{
	static const struct at am = {"payment", -1, "method"};
	static const struct at ac = {"payment", -1, "cod_amount"};
	json_t *p;
	int64_t cod = -1;
	int cash = 0, r;
	char *m;

	if (member(n, in, "payment", &p) < 0)
		return -1;
	if (p == NULL) {
		p = json_object();
		json_object_set_new(in, "payment", p);
	}
	if (text(n, p, &am, 0, 64) < 0)
		return -1;
	if (sval(p, "method") != NULL) {
		m = word(sval(p, "method"));
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
	if (pay_status(n, p) < 0)
		return -1;
	if (cash && r == 0)
		cod = total;
	if (cash && cod < 0)
		return fail(n, "payment: a cod order needs cod_amount or "
			       "total");
	if (strcmp(sval(p, "method") != NULL ? sval(p, "method") : "",
		cash ? "cod" : "prepaid") != 0)
		json_object_set_new(
		    p, "method", json_string(cash ? "cod" : "prepaid"));
	if (cash && r == 0)
		json_object_set_new(p, "cod_amount", json_integer(cod));
	else if (!cash && r == 1)
		json_object_del(p, "cod_amount");
	reorder(p, payment_keys, NULL);
	return 0;
}

/*
 * Whether the customer collects the order: the configuration's pickup
 * section knows its shipping method (or its service, when there is no
 * shipping method, as a map may have it), or the service is pickup.
 */
static int
pickup_of(struct norm *n, json_t *in)
{
	static const struct at am = {NULL, -1, "shipping_method"};
	static const struct at as = {NULL, -1, "service"};
	const char *m;

	if (text(n, in, &am, 0, MAX_TEXT) < 0 || text(n, in, &as, 0, 64) < 0)
		return -1;
	m = sval(in, "shipping_method");
	n->place = config_pickup(n->cfg, m != NULL ? m : sval(in, "service"));
	n->pickup = n->place != NULL ||
		    (sval(in, "service") != NULL &&
			strcasecmp(sval(in, "service"), "pickup") == 0);
	return 0;
}

/* A pickup order: service pickup and the location it is collected from. */
static int
pickup(struct norm *n, json_t *in)
{
	static const struct at al = {"pickup", -1, "location"};
	json_t *p;

	if (!n->cfg->pickup.on)
		return fail(n, "service pickup needs a pickup section in the "
			       "configuration");
	if (strcmp(sval(in, "service") != NULL ? sval(in, "service") : "",
		"pickup") != 0)
		json_object_set_new(in, "service", json_string("pickup"));
	if (member(n, in, "pickup", &p) < 0)
		return -1;
	if (p == NULL) {
		p = json_object();
		json_object_set_new(in, "pickup", p);
	}
	if (text(n, p, &al, 0, MAX_TEXT) < 0)
		return -1;
	if (sval(p, "location") == NULL)
		json_object_set_new(p, "location",
		    json_string(
			n->place != NULL ? n->place : n->cfg->pickup.location));
	return 0;
}

static int
service(struct norm *n, json_t *in)
{
	static const struct at a = {NULL, -1, "service"};
	json_t *alias;

	if (text(n, in, &a, 0, 64) < 0)
		return -1;
	if (n->pickup)
		return pickup(n, in);
	if (json_object_get(in, "pickup") != NULL) {
		json_object_del(in, "pickup");
		order_warn(
		    n->warn, "pickup", "the service is not pickup; left out");
	}
	if (sval(in, "service") == NULL)
		json_object_set_new(in, "service", json_string("standard"));
	lower(in, "service");
	if (n->cfg->service_map != NULL &&
	    (alias = json_object_get(
		 n->cfg->service_map, sval(in, "service"))) != NULL)
		json_object_set(in, "service", alias);
	if (!config_has_service(n->cfg, sval(in, "service")))
		return fail(n, "service is not one any carrier offers");
	return 0;
}

/* An RFC 3339 field, normalised; loose forms read in the warehouse zone. */
static int
instant(struct norm *n, json_t *obj, const struct at *a, int required,
    struct when *w)
{
	char buf[WHEN_BUFSZ];
	int r;

	if ((r = text(n, obj, a, required ? T_REQUIRED : 0, 64)) <= 0)
		return r;
	if (when_parse_loose(sval(obj, a->key), n->cfg->tz, w) == -1)
		return fail_at(n, a, "is not an RFC 3339 time");
	when_format(w, buf);
	if (strcmp(buf, sval(obj, a->key)) != 0)
		json_object_set_new(obj, a->key, json_string(buf));
	return 1;
}

static int
window(struct norm *n, json_t *in)
{
	static const struct at af = {"delivery_window", -1, "from"};
	static const struct at at = {"delivery_window", -1, "to"};
	struct when from, to;
	json_t *d;
	int r;

	if ((r = member(n, in, "delivery_window", &d)) <= 0)
		return r;
	if (instant(n, d, &af, 1, &from) < 0 || instant(n, d, &at, 1, &to) < 0)
		return -1;
	if (to.t <= from.t)
		return fail(n, "delivery_window: to is not after from");
	reorder(d, window_keys, NULL);
	return 0;
}

static int
preferences(struct norm *n, json_t *in)
{
	static const struct at ap = {"preferences", -1, "packaging"};
	static const struct at an = {"preferences", -1, "note"};
	json_t *p;
	int r;

	if ((r = member(n, in, "preferences", &p)) <= 0)
		return r;
	if (text(n, p, &ap, 0, MAX_TEXT) < 0 ||
	    text(n, p, &an, T_MULTILINE, MAX_NOTE) < 0)
		return -1;
	if (json_object_size(p) == 0)
		json_object_del(in, "preferences");
	else
		reorder(p, pref_keys, NULL);
	return 0;
}

/*
 * Fields ingest-orders owns: a status means something coming in only
 * when it is a cancellation; promise, revision and warnings are made
 * afresh.
 */
static int
owned(struct norm *n, json_t *in)
{
	json_t *s = json_object_get(in, "status");

	if (s != NULL && !json_is_null(s) && !json_is_string(s))
		return fail(n, "status must be a string");
	if (s != NULL && (json_is_null(s) || status_parse(json_string_value(
						 s)) != ST_CANCELLED))
		json_object_del(in, "status");
	json_object_del(in, "promise");
	json_object_del(in, "revision");
	json_object_del(in, "warnings");
	json_object_del(in, "hold");
	return 0;
}

/* Everything of an order but its key, which is checked already. */
static int
full(struct norm *n, json_t *in)
{
	static const struct at aplaced = {NULL, -1, "placed_at"};
	static const struct at acur = {NULL, -1, "currency"};
	static const char *const last[] = {"status", NULL};
	char country[8];
	int64_t sum = 0, total = -1;
	struct when placed;
	int priced = 0;

	if (instant(n, in, &aplaced, 1, &placed) < 0 ||
	    text(n, in, &acur, 0, 8) < 0)
		return -1;
	if (sval(in, "currency") == NULL && n->cfg->currency != NULL)
		json_object_set_new(
		    in, "currency", json_string(n->cfg->currency));
	if (sval(in, "currency") == NULL)
		return fail(n, "currency is missing");
	upper(in, "currency");
	if (money_exponent(sval(in, "currency")) == -1)
		return fail(n, "currency is not an ISO 4217 currency code");
	if (pickup_of(n, in) < 0)
		return -1;
	/* ship_to first: its country reads the customer's phone too. */
	if (ship_to(n, in, country, sizeof country) < 0 ||
	    customer(n, in, country) < 0 || lines(n, in, &sum, &priced) < 0 ||
	    amounts(n, in, sum, priced, &total) < 0 ||
	    payment(n, in, total) < 0 || service(n, in) < 0 ||
	    window(n, in) < 0 || preferences(n, in) < 0 || owned(n, in) < 0)
		return -1;
	reorder(in, order_keys, last);
	return 0;
}

/*
 * A cancellation's time, when it has one: normalised if it can be read,
 * else kept as given with a warning, since a cancellation is never
 * refused for anything but its key.
 */
static void
cancelled_at(struct norm *n, json_t *in)
{
	static const struct at a = {NULL, -1, "cancelled_at"};
	char why[64];
	struct when w;
	struct norm q = *n;

	q.why = why;
	q.whylen = sizeof why;
	if (json_object_get(in, "cancelled_at") != NULL &&
	    instant(&q, in, &a, 0, &w) < 0)
		order_warn(n->warn, "cancelled_at",
		    "not an RFC 3339 time; kept as given");
}

/*
 * A record that asks for nothing to be shipped (a cancellation, an order
 * with nothing left to ship) is taken on its key alone: fields owned by
 * ingest-orders dropped, everything else kept as it came.
 */
static void
key_only(struct norm *n, json_t *in)
{
	static const char *const last[] = {"status", NULL};
	json_t *s = json_object_get(in, "status");

	if (s != NULL && status_parse(json_string_value(s)) != ST_CANCELLED)
		json_object_del(in, "status");
	(void)owned(n, in);
	reorder(in, order_keys, last);
}

json_t *
order_normalise(json_t *in, const struct config *cfg, const char *dsource,
    json_t *warnings, char *why, size_t whylen)
{
	static const struct at aid = {NULL, -1, "order_id"};
	static const struct at asrc = {NULL, -1, "source"};
	struct norm n = {cfg, warnings, why, whylen, 0, NULL, 0};
	enum order_kind kind;
	json_t *copy;
	size_t nwarn;

	if (text(&n, in, &aid, T_REQUIRED | T_NUMBER, MAX_ID) < 0 ||
	    text(&n, in, &asrc, 0, 64) < 0)
		return NULL;
	if (sval(in, "source") == NULL)
		json_object_set_new(in, "source", json_string(dsource));
	if ((kind = order_kind(in)) == ORDER_SHIP)
		return full(&n, in) < 0 ? NULL : json_incref(in);
	/*
	 * Nothing to ship: normal form if the whole order is good, else the
	 * record as it came, on its key.  Only these are copied first, and
	 * they are few.
	 */
	n.nothing = 1;
	cancelled_at(&n, in);
	copy = json_deep_copy(in);
	nwarn = json_array_size(warnings);
	if (full(&n, in) < 0) {
		json_object_clear(in);
		json_object_update(in, copy);
		while (json_array_size(warnings) > nwarn)
			json_array_remove(warnings, nwarn);
		key_only(&n, in);
	}
	json_decref(copy);
	return json_incref(in);
}

/* A string that is word, whatever its case and the blanks around it. */
static int
says(const json_t *v, const char *word)
{
	const char *s = json_string_value(v);
	size_t len = strlen(word);

	if (s == NULL)
		return 0;
	while (isspace((unsigned char)*s))
		s++;
	if (strncasecmp(s, word, len) != 0)
		return 0;
	for (s += len; isspace((unsigned char)*s); s++)
		;
	return *s == '\0';
}

enum order_kind
order_kind(const json_t *o)
{
	const json_t *l = json_object_get(o, "lines");
	const json_t *ns = json_object_get(o, "not_shipped");

	if (order_cancelled(o))
		return ORDER_CANCEL;
	if (says(json_object_get(o, "fulfillment_status"), "fulfilled"))
		return ORDER_NOTHING;
	if ((l == NULL || json_is_null(l) ||
		(json_is_array(l) && json_array_size(l) == 0)) &&
	    json_array_size(ns) > 0)
		return ORDER_NOTHING;
	return ORDER_SHIP;
}

int
order_cancelled(const json_t *o)
{
	return status_parse(order_status(o)) == ST_CANCELLED;
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

size_t
order_tracking(const json_t *o, const char ***v)
{
	json_t *ps = json_object_get(json_object_get(o, "shipment"), "parcels");
	json_t *p;
	size_t i, n = 0;

	*v = NULL;
	if (json_array_size(ps) > 0)
		*v = xcalloc(json_array_size(ps), sizeof **v);
	json_array_foreach(ps, i, p)
	{
		const char *t =
		    json_string_value(json_object_get(p, "tracking"));

		if (t != NULL)
			(*v)[n++] = t;
	}
	return n;
}

/* A line's text field, a number taken as its digits; NULL when blank. */
static const char *
line_text(json_t *l, const char *key, char *buf, size_t len)
{
	json_t *v = json_object_get(l, key);
	const char *p;

	if (json_is_integer(v)) {
		snprintf(
		    buf, len, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return buf;
	}
	if ((p = json_string_value(v)) == NULL)
		return NULL;
	while (isspace((unsigned char)*p))
		p++;
	return *p != '\0' ? json_string_value(v) : NULL;
}

/* "name - variant", as Shopify writes a variant's line item name. */
static char *
name_of(json_t *l)
{
	char b1[32], b2[32], *s;
	const char *name = line_text(l, "name", b1, sizeof b1);
	const char *variant = line_text(l, "variant", b2, sizeof b2);

	if (name == NULL)
		return NULL;
	if (variant == NULL)
		return xstrdup(name);
	xasprintf(&s, "%s - %s", name, variant);
	return s;
}

/*
 * One line's SKU, by the sources of ingest.sku_from in order: the first
 * that finds exactly one SKU gives it; one that finds two is an error,
 * since guessing would ship the wrong thing.  Messages name the line and
 * the source, never the name or barcode looked for.
 */
static int
resolve_line(json_t *l, size_t i, const struct catalog *cat,
    const struct config *cfg, char *why, size_t whylen)
{
	static const char *const src[SKU_FROM_N] = {[SKU_FROM_SKU] = "sku",
	    [SKU_FROM_BARCODE] = "barcode",
	    [SKU_FROM_NAME] = "name"};
	const struct item *m[2];
	char buf[32], *key, tried[64] = "";
	const char *v;
	size_t k, found;

	for (k = 0; k < cfg->nsku_from; k++) {
		enum sku_from f = cfg->sku_from[k];

		if (f == SKU_FROM_SKU) {
			if (line_text(l, "sku", buf, sizeof buf) != NULL)
				return 0;
			continue;
		}
		if (f == SKU_FROM_BARCODE) {
			if ((v = line_text(l, "barcode", buf, sizeof buf)) ==
			    NULL)
				continue;
			found = catalog_by_barcode(cat, v, m, 2);
		} else {
			if ((key = name_of(l)) == NULL)
				continue;
			found = catalog_by_name(cat, key, m, 2);
			free(key);
		}
		if (found == 1) {
			json_object_set_new(l, "sku", json_string(m[0]->sku));
			json_object_set_new(l, "sku_from", json_string(src[f]));
			return 0;
		}
		if (found > 1) {
			snprintf(why, whylen,
			    "lines[%zu].%s matches %zu SKUs in the catalogue "
			    "(%.40s, %.40s%s)",
			    i, src[f], found, m[0]->sku, m[1]->sku,
			    found > 2 ? ", ..." : "");
			return -1;
		}
		snprintf(tried + strlen(tried), sizeof tried - strlen(tried),
		    "%s%s", tried[0] != '\0' ? " or " : "", src[f]);
	}
	if (tried[0] == '\0')
		snprintf(why, whylen,
		    "lines[%zu] has nothing to find its SKU by "
		    "(ingest.sku_from)",
		    i);
	else
		snprintf(why, whylen,
		    "lines[%zu]: no product in the catalogue has its %s", i,
		    tried);
	return -1;
}

int
order_resolve_skus(json_t *in, const struct catalog *cat,
    const struct config *cfg, char *why, size_t whylen)
{
	json_t *a = json_object_get(in, "lines"), *l;
	size_t i;

	if (cat == NULL || !config_sku_lookup(cfg))
		return 0;
	/* What is not an array of objects, order_normalise() says. */
	json_array_foreach(a, i, l)
	{
		if (json_is_object(l) &&
		    resolve_line(l, i, cat, cfg, why, whylen) < 0)
			return -1;
	}
	return 0;
}
