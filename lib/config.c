#include <arpa/inet.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "err.h"
#include "money.h"
#include "ndjson.h"
#include "report.h"
#include "when.h"

/*
 * The walk keeps the JSON path of the value being checked, so that every
 * error can say exactly where it is: "$.carriers[1].services.express".
 */
struct walk {
	const char *file;
	char path[512];
	size_t len;
};

static void __attribute__((noreturn, format(printf, 2, 3)))
bad(struct walk *w, const char *fmt, ...)
{
	va_list ap;
	char msg[512];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	err_exit(EXIT_TROUBLE, "%s: %s: %s", w->file, w->path, msg);
}

/* Append to the path (".key", "[3]"); returns where to pop back to. */
static size_t __attribute__((format(printf, 2, 3)))
push(struct walk *w, const char *fmt, ...)
{
	size_t old = w->len;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(w->path + old, sizeof w->path - old, fmt, ap);
	va_end(ap);
	w->len =
	    n > 0 && old + (size_t)n < sizeof w->path ? old + (size_t)n : old;
	return old;
}

static void
pop(struct walk *w, size_t old)
{
	w->len = old;
	w->path[old] = '\0';
}

/* Every key of obj must be in allowed (a NULL-terminated list). */
static void
known_keys(struct walk *w, json_t *obj, const char *const *allowed)
{
	const char *key;
	json_t *v;
	size_t i;

	json_object_foreach(obj, key, v)
	{
		if (key[0] == '_')
			continue;
		for (i = 0; allowed[i] != NULL; i++)
			if (strcmp(key, allowed[i]) == 0)
				break;
		if (allowed[i] == NULL)
			bad(w, "unknown key '%s'", key);
	}
}

static json_t *
want_object(struct walk *w, json_t *obj, const char *key, int required)
{
	json_t *v = json_object_get(obj, key);
	size_t old = push(w, ".%s", key);

	if (v == NULL && required)
		bad(w, "missing");
	if (v != NULL && !json_is_object(v))
		bad(w, "must be an object");
	pop(w, old);
	return v;
}

static json_t *
want_array(struct walk *w, json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	size_t old = push(w, ".%s", key);

	if (v != NULL && !json_is_array(v))
		bad(w, "must be an array");
	pop(w, old);
	return v;
}

static char *
want_string(struct walk *w, json_t *obj, const char *key, int required)
{
	json_t *v = json_object_get(obj, key);
	size_t old = push(w, ".%s", key);
	char *s = NULL;

	if (v == NULL && required)
		bad(w, "missing");
	if (v != NULL) {
		if (!json_is_string(v) || json_string_length(v) == 0)
			bad(w, "must be a non-empty string");
		s = xstrdup(json_string_value(v));
	}
	pop(w, old);
	return s;
}

static int64_t
want_int(struct walk *w, json_t *obj, const char *key, int64_t min, int64_t max,
    int64_t dflt)
{
	json_t *v = json_object_get(obj, key);
	size_t old = push(w, ".%s", key);
	int64_t n = dflt;

	if (v != NULL) {
		if (!json_is_integer(v))
			bad(w, "must be an integer");
		n = json_integer_value(v);
		if (n < min || n > max)
			bad(w, "must be from %lld to %lld", (long long)min,
			    (long long)max);
	}
	pop(w, old);
	return n;
}

static double
want_number(
    struct walk *w, json_t *obj, const char *key, double min, double dflt)
{
	json_t *v = json_object_get(obj, key);
	size_t old = push(w, ".%s", key);
	double n = dflt;

	if (v != NULL) {
		if (!json_is_number(v))
			bad(w, "must be a number");
		n = json_number_value(v);
		if (!(n > min))
			bad(w, "must be more than %g", min);
	}
	pop(w, old);
	return n;
}

static int
want_bool(struct walk *w, json_t *obj, const char *key, int dflt)
{
	json_t *v = json_object_get(obj, key);
	size_t old = push(w, ".%s", key);

	if (v != NULL && !json_is_boolean(v))
		bad(w, "must be true or false");
	pop(w, old);
	return v != NULL ? json_is_true(v) : dflt;
}

static int
want_clock(struct walk *w, json_t *obj, const char *key, int dflt)
{
	char *s = want_string(w, obj, key, 0);
	size_t old;
	int secs = dflt;

	if (s != NULL) {
		old = push(w, ".%s", key);
		if (parse_clock(s, &secs) == -1)
			bad(w, "must be a time of day, HH:MM");
		pop(w, old);
		free(s);
	}
	return secs;
}

/* An array of strings, each checked by ok() when given. */
static char **
want_strings(struct walk *w, json_t *obj, const char *key, size_t *n,
    int (*ok)(const char *), const char *what)
{
	json_t *a = want_array(w, obj, key), *v;
	size_t old, i, o;
	char **out;

	*n = 0;
	if (a == NULL)
		return NULL;
	old = push(w, ".%s", key);
	out = xcalloc(json_array_size(a) + 1, sizeof *out);
	json_array_foreach(a, i, v)
	{
		o = push(w, "[%zu]", i);
		if (!json_is_string(v) ||
		    (ok != NULL && !ok(json_string_value(v))))
			bad(w, "must be %s", what);
		out[(*n)++] = xstrdup(json_string_value(v));
		pop(w, o);
	}
	pop(w, old);
	return out;
}

static void
free_strings(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int
is_pattern(const char *s)
{
	return *s != '\0';
}

static int
is_weekday(const char *s)
{
	return parse_weekday(s) != -1;
}

static int
is_country(const char *s)
{
	return strlen(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' &&
	       s[1] <= 'Z';
}

static unsigned
want_week(struct walk *w, json_t *obj, const char *key, unsigned dflt)
{
	size_t n, i;
	char **days = want_strings(
	    w, obj, key, &n, is_weekday, "a day of the week (mon ... sun)");
	unsigned mask = 0;

	if (days == NULL)
		return dflt;
	for (i = 0; i < n; i++)
		mask |= 1u << parse_weekday(days[i]);
	free_strings(days, n);
	return mask;
}

/* warehouse.claim: the orders a warehouse takes when several share one. */
static void
load_claims(struct walk *w, struct config *c, json_t *wh)
{
	static const char *const keys[] = {
	    "country", "region", "postcode", "source", NULL};
	json_t *a = want_array(w, wh, "claim"), *v;
	size_t old, o, i;
	struct claim_rule *r;

	if (a == NULL)
		return;
	old = push(w, ".%s", "claim");
	if (json_array_size(a) == 0)
		bad(w, "claims no order: leave it out to claim every order");
	c->claims = xcalloc(json_array_size(a), sizeof *c->claims);
	json_array_foreach(a, i, v)
	{
		o = push(w, "[%zu]", i);
		r = &c->claims[c->nclaims++];
		if (!json_is_object(v) || json_object_size(v) == 0) {
			bad(w, "must be an object with country, region, "
			       "postcode or source");
			pop(w, o);
			continue;
		}
		known_keys(w, v, keys);
		r->country = want_strings(w, v, "country", &r->ncountry,
		    is_country, "a country code (ISO 3166-1 alpha-2)");
		r->region = want_strings(
		    w, v, "region", &r->nregion, is_pattern, "a region");
		r->postcode = want_strings(w, v, "postcode", &r->npostcode,
		    is_pattern, "the start of a postcode");
		r->source = want_strings(
		    w, v, "source", &r->nsource, is_pattern, "a source");
		pop(w, o);
	}
	pop(w, old);
}

static int
listed(char **v, size_t n, const char *s, int prefix)
{
	size_t i;

	if (v == NULL)
		return 1;
	if (s == NULL)
		return 0;
	for (i = 0; i < n; i++)
		if (prefix ? strncmp(s, v[i], strlen(v[i])) == 0
			   : strcmp(s, v[i]) == 0)
			return 1;
	return 0;
}

int
config_claims(const struct config *c, json_t *order)
{
	json_t *to = json_object_get(order, "ship_to");
	const char *wh = json_string_value(json_object_get(order, "warehouse"));
	const char *country, *region, *postcode, *source;
	const struct claim_rule *r;
	size_t i;

	if (wh != NULL)
		return strcmp(wh, c->wh_id) == 0;
	if (c->claims == NULL)
		return 1;
	country = json_string_value(json_object_get(to, "country"));
	region = json_string_value(json_object_get(to, "region"));
	postcode = json_string_value(json_object_get(to, "postcode"));
	source = json_string_value(json_object_get(order, "source"));
	for (i = 0; i < c->nclaims; i++) {
		r = &c->claims[i];
		if (listed(r->country, r->ncountry, country, 0) &&
		    listed(r->region, r->nregion, region, 0) &&
		    listed(r->postcode, r->npostcode, postcode, 1) &&
		    listed(r->source, r->nsource, source, 0))
			return 1;
	}
	return 0;
}

static void
load_warehouse(struct walk *w, struct config *c)
{
	static const char *const keys[] = {"id", "name", "timezone",
	    "working_days", "holidays", "currency", "address", "return_address",
	    "dispatch_time", "claim", NULL};
	json_t *wh = want_object(w, c->root, "warehouse", 1);
	size_t old = push(w, ".%s", "warehouse"), o, i;
	int64_t day;
	char **hol;
	size_t nhol;

	known_keys(w, wh, keys);
	c->wh_id = want_string(w, wh, "id", 1);
	c->wh_name = want_string(w, wh, "name", 0);
	c->tz = want_string(w, wh, "timezone", 1);
	if (!when_zone_valid(c->tz)) {
		o = push(w, ".%s", "timezone");
		bad(w, "unknown time zone '%s'", c->tz);
	}
	c->currency = want_string(w, wh, "currency", 0);
	if (c->currency != NULL && money_exponent(c->currency) == -1) {
		o = push(w, ".%s", "currency");
		bad(w, "not an ISO 4217 currency code: '%s'", c->currency);
	}
	cal_init(&c->cal, want_week(w, wh, "working_days", 0x1f));
	if (c->cal.week == 0) {
		o = push(w, ".%s", "working_days");
		bad(w, "no working days");
	}
	hol = want_strings(w, wh, "holidays", &nhol, NULL, "a date");
	for (i = 0; i < nhol; i++) {
		o = push(w, ".%s", "holidays");
		push(w, "[%zu]", i);
		if (parse_date(hol[i], &day) == -1)
			bad(w, "must be a date, YYYY-MM-DD");
		cal_add_holiday(&c->cal, day);
		pop(w, o);
	}
	free_strings(hol, nhol);
	c->dispatch = want_clock(w, wh, "dispatch_time", 18 * 3600);
	c->return_address = want_object(w, wh, "return_address", 0);
	load_claims(w, c, wh);
	pop(w, old);
}

/*
 * The CN22 limit (UPU: 300 SDR) in the currencies orders come in, minor
 * units; fulfil.json(5) says which figures.  A currency not listed gets
 * a CN23, which serves at any value.
 */
static const struct customs_limit cn22_default[] = {{"CNY", 290000},
    {"EUR", 37000}, {"GBP", 31500}, {"HKD", 310000}, {"JPY", 60000},
    {"USD", 40000}};

/*
 * label.customs; the warehouse's country is that of warehouse.address,
 * else of warehouse.return_address (load_warehouse() comes first).
 */
static void
load_customs(struct walk *w, struct config *c, json_t *label)
{
	static const char *const keys[] = {"cn22_limit", "enabled", NULL};
	size_t lab = push(w, ".%s", "label"), old, n = 0, at;
	json_t *o = want_object(w, label, "customs", 0), *lim, *v;
	struct customs_cfg *k = &c->customs;
	const char *cur;

	k->home = json_string_value(json_object_get(
	    json_object_get(json_object_get(c->root, "warehouse"), "address"),
	    "country"));
	if (k->home == NULL)
		k->home = json_string_value(
		    json_object_get(c->return_address, "country"));
	k->enabled = 1;
	if (o != NULL) {
		old = push(w, ".%s", "customs");
		known_keys(w, o, keys);
		k->enabled = want_bool(w, o, "enabled", 1);
		if ((lim = want_object(w, o, "cn22_limit", 0)) != NULL) {
			at = push(w, ".%s", "cn22_limit");
			k->cn22 =
			    xcalloc(json_object_size(lim) + 1, sizeof *k->cn22);
			json_object_foreach(lim, cur, v)
			{
				if (money_exponent(cur) == -1)
					bad(w,
					    "not an ISO 4217 currency code: "
					    "'%s'",
					    cur);
				k->cn22[n].amount =
				    want_int(w, lim, cur, 0, INT64_MAX, 0);
				snprintf(k->cn22[n].currency,
				    sizeof k->cn22[n].currency, "%s", cur);
				n++;
			}
			k->ncn22 = n;
			pop(w, at);
		}
		pop(w, old);
	}
	if (k->cn22 == NULL) {
		k->ncn22 = sizeof cn22_default / sizeof cn22_default[0];
		k->cn22 = xcalloc(k->ncn22, sizeof *k->cn22);
		memcpy(k->cn22, cn22_default, sizeof cn22_default);
	}
	pop(w, lab);
}

static void
load_label(struct walk *w, struct config *c)
{
	static const char *const keys[] = {
	    "customs", "packaging_g", "printer_font", "print", "size", NULL};
	static const char *const pkeys[] = {"mask_phone", NULL};
	static const char *const qkeys[] = {
	    "pdf_queue", "queue", "zpl_queue", NULL};
	json_t *o, *q;
	size_t old;
	char *s;

	c->packaging_g = 100;
	c->mask_phone = 1;
	if ((o = want_object(w, c->root, "label", 0)) != NULL) {
		old = push(w, ".%s", "label");
		known_keys(w, o, keys);
		c->packaging_g =
		    want_int(w, o, "packaging_g", 0, 100000, c->packaging_g);
		c->printer_font = want_string(w, o, "printer_font", 0);
		if ((s = want_string(w, o, "size", 0)) != NULL &&
		    strcmp(s, "4x6") != 0 && strcmp(s, "100x150") != 0) {
			push(w, ".%s", "size");
			bad(w, "must be 4x6 or 100x150");
		}
		c->label_size = s;
		/* label --print: the CUPS queues lot files go to. */
		if ((q = want_object(w, o, "print", 0)) != NULL) {
			push(w, ".%s", "print");
			known_keys(w, q, qkeys);
			c->print_queue = want_string(w, q, "queue", 0);
			c->print_zpl_queue = want_string(w, q, "zpl_queue", 0);
			c->print_pdf_queue = want_string(w, q, "pdf_queue", 0);
		}
		pop(w, old);
	}
	load_customs(w, c, o);
	if ((o = want_object(w, c->root, "privacy", 0)) != NULL) {
		old = push(w, ".%s", "privacy");
		known_keys(w, o, pkeys);
		c->mask_phone = want_bool(w, o, "mask_phone", 1);
		pop(w, old);
	}
}

static void
load_cutoffs(struct walk *w, struct config *c)
{
	json_t *cut = want_object(w, c->root, "cutoffs", 0), *v;
	const char *key;
	size_t old;
	int secs;

	if (cut == NULL)
		return;
	old = push(w, ".%s", "cutoffs");
	c->cutoffs = xcalloc(json_object_size(cut) + 1, sizeof *c->cutoffs);
	json_object_foreach(cut, key, v)
	{
		if (key[0] == '_')
			continue;
		secs = want_clock(w, cut, key, 0);
		c->cutoffs[c->ncutoffs].service =
		    strcmp(key, "default") == 0 ? NULL : xstrdup(key);
		c->cutoffs[c->ncutoffs++].secs = secs;
	}
	pop(w, old);
}

/*
 * Each element of the array obj.key to fn, with the path at its index;
 * nothing when the key is absent.  The caller sizes its own array by
 * elements(obj, key) first.
 */
static void
each(struct walk *w, json_t *obj, const char *key,
    void (*fn)(struct walk *, json_t *, size_t, void *), void *arg)
{
	json_t *a = want_array(w, obj, key), *v;
	size_t old, o, i;

	if (a == NULL)
		return;
	old = push(w, ".%s", key);
	json_array_foreach(a, i, v)
	{
		o = push(w, "[%zu]", i);
		fn(w, v, i, arg);
		pop(w, o);
	}
	pop(w, old);
}

/* Room for the elements of obj.key, zeroed, at least one. */
static void *
elements(json_t *obj, const char *key, size_t size)
{
	return xcalloc(json_array_size(json_object_get(obj, key)) + 1, size);
}

static void
load_tracking(struct walk *w, json_t *o, struct carrier *k)
{
	static const char *const keys[] = {"format", "prefix", "country",
	    "digits", "first", "last", "low_warning", NULL};
	struct track_format *f = &k->tracking;
	char *s, why[160];
	json_t *t;
	size_t old;

	if ((t = want_object(w, o, "tracking", 0)) == NULL)
		return;
	old = push(w, ".%s", "tracking");
	known_keys(w, t, keys);
	s = want_string(w, t, "format", 1);
	if (track_kind_parse(s, &f->kind) == -1) {
		push(w, ".%s", "format");
		bad(w, "must be s10, sscc, ups1z or plain");
	}
	free(s);
	if ((s = want_string(w, t, "prefix", f->kind != TRACK_PLAIN)) != NULL) {
		if (strlen(s) >= sizeof f->prefix)
			bad(w, "prefix too long");
		strcpy(f->prefix, s);
		free(s);
	}
	if ((s = want_string(w, t, "country", f->kind == TRACK_S10)) != NULL) {
		snprintf(f->country, sizeof f->country, "%s", s);
		if (strlen(s) != 2)
			f->country[0] = '\0';
		free(s);
	}
	f->digits = (int)want_int(w, t, "digits", 1, 18, 10);
	f->first = want_int(w, t, "first", 0, INT64_MAX, 1);
	f->last = want_int(w, t, "last", 0, INT64_MAX, -1);
	if (json_object_get(t, "last") == NULL)
		bad(w, "needs last, the end of the serial range allotted");
	if (track_format_check(f, why, sizeof why) == -1)
		bad(w, "%s", why);
	/* Warn when a hundredth of the range is left, or 100 numbers. */
	k->low_warning = want_int(w, t, "low_warning", 0, INT64_MAX,
	    (f->last - f->first + 1) / 100 > 100
		? (f->last - f->first + 1) / 100
		: 100);
	k->has_tracking = 1;
	pop(w, old);
}

static void
load_rate(struct walk *w, json_t *r, size_t i, void *arg)
{
	static const char *const keys[] = {"up_to_g", "price", NULL};
	struct carrier *k = arg;

	if (!json_is_object(r))
		bad(w, "must be an object");
	known_keys(w, r, keys);
	k->rates[i].up_to_g =
	    want_int(w, r, "up_to_g", 1, INT64_C(1) << 40, -1);
	k->rates[i].price = want_int(w, r, "price", 0, INT64_MAX, -1);
	if (k->rates[i].up_to_g == -1 || k->rates[i].price == -1)
		bad(w, "needs up_to_g and price");
	if (i > 0 && k->rates[i].up_to_g <= k->rates[i - 1].up_to_g)
		bad(w, "bands must rise in up_to_g");
	k->nrates++;
}

static void
load_rates(struct walk *w, json_t *o, struct carrier *k)
{
	k->rates = elements(o, "rates", sizeof *k->rates);
	each(w, o, "rates", load_rate, k);
}

static void
load_carrier(struct walk *w, struct config *c, json_t *o, struct carrier *k)
{
	static const char *const keys[] = {"code", "name", "countries",
	    "pickup", "cod", "max_weight_g", "delivery_days", "services",
	    "tracking", "tracking_url", "rates", "account", "stall_hours",
	    "return_service", "helper", "helper_timeout_s", NULL};
	static const char *const skeys[] = {
	    "transit_days", "name", "code", NULL};
	json_t *svc, *v;
	const char *key;
	size_t old, i;
	char *s;

	if (!json_is_object(o))
		bad(w, "must be an object");
	known_keys(w, o, keys);
	k->json = o;
	k->code = want_string(w, o, "code", 1);
	k->name = want_string(w, o, "name", 0);
	k->countries = want_strings(w, o, "countries", &k->ncountries,
	    is_country, "an ISO 3166-1 alpha-2 code in upper case");
	k->pickup = want_clock(w, o, "pickup", c->dispatch);
	k->stall_hours = (int)want_int(w, o, "stall_hours", 1, 24 * 60, 48);
	k->cod = want_bool(w, o, "cod", 0);
	k->max_weight_g =
	    want_int(w, o, "max_weight_g", 0, INT64_C(1) << 40, 0);
	cal_init(&k->delivery, want_week(w, o, "delivery_days", 0x1f));
	for (i = 0; i < c->cal.nhol; i++)
		cal_add_holiday(&k->delivery, c->cal.hol[i]);
	svc = want_object(w, o, "services", 1);
	old = push(w, ".%s", "services");
	k->services = xcalloc(json_object_size(svc) + 1, sizeof *k->services);
	json_object_foreach(svc, key, v)
	{
		size_t o2;

		if (key[0] == '_')
			continue;
		o2 = push(w, ".%s", key);
		if (!json_is_object(v))
			bad(w, "must be an object");
		known_keys(w, v, skeys);
		k->services[k->nservices].name = xstrdup(key);
		k->services[k->nservices++].transit_days =
		    (int)want_int(w, v, "transit_days", 0, 60, -1);
		if (k->services[k->nservices - 1].transit_days == -1) {
			push(w, ".%s", "transit_days");
			bad(w, "missing");
		}
		pop(w, o2);
	}
	if (k->nservices == 0)
		bad(w, "no services");
	pop(w, old);
	load_tracking(w, o, k);
	load_rates(w, o, k);
	k->tracking_url = want_string(w, o, "tracking_url", 0);
	k->account = want_string(w, o, "account", 0);
	/* A helper hands out the numbers: its own path, no shell. */
	if ((s = want_string(w, o, "helper", 0)) != NULL) {
		k->helper = config_path(c, s);
		free(s);
	}
	k->helper_timeout_s =
	    (int)want_int(w, o, "helper_timeout_s", 1, 3600, 30);
}

static void
load_carrier_at(struct walk *w, json_t *v, size_t i, void *arg)
{
	struct config *c = arg;
	size_t j;

	load_carrier(w, c, v, &c->carriers[i]);
	c->ncarriers++;
	for (j = 0; j < i; j++)
		if (strcmp(c->carriers[j].code, c->carriers[i].code) == 0)
			bad(w, "carrier code '%s' used twice",
			    c->carriers[i].code);
}

static void
load_carriers(struct walk *w, struct config *c)
{
	c->carriers = elements(c->root, "carriers", sizeof *c->carriers);
	each(w, c->root, "carriers", load_carrier_at, c);
}

/* A promotion date bound: a date (its midnight, or end of day) or time. */
static int64_t
want_bound(struct walk *w, const struct config *c, json_t *o, const char *key,
    int end, int64_t dflt)
{
	char *s = want_string(w, o, key, 0);
	struct when t;
	int64_t day;
	size_t old;

	if (s == NULL)
		return dflt;
	old = push(w, ".%s", key);
	if (parse_date(s, &day) == 0)
		t.t =
		    end ? when_day_end(c->tz, day) : when_local(c->tz, day, 0);
	else if (when_parse(s, &t) == -1)
		bad(w, "must be a date (YYYY-MM-DD) or an RFC 3339 time");
	pop(w, old);
	free(s);
	return t.t;
}

static void
load_promo(struct walk *w, struct config *c, json_t *o, struct promo *p)
{
	static const char *const keys[] = {"id", "gift", "buy_any", "min_total",
	    "currency", "from", "to", "per_unit", "limit", NULL};
	static const char *const gkeys[] = {"sku", "name", "qty", NULL};
	json_t *g;
	char *cur;
	size_t old;

	if (!json_is_object(o))
		bad(w, "must be an object");
	known_keys(w, o, keys);
	p->id = want_string(w, o, "id", 1);
	g = want_object(w, o, "gift", 1);
	old = push(w, ".%s", "gift");
	known_keys(w, g, gkeys);
	p->gift_sku = want_string(w, g, "sku", 1);
	p->gift_name = want_string(w, g, "name", 0);
	p->qty = (int)want_int(w, g, "qty", 1, 1000, 1);
	pop(w, old);
	p->buy_any = want_strings(w, o, "buy_any", &p->nbuy, NULL, "a SKU");
	p->min_total = want_int(w, o, "min_total", 0, INT64_MAX, -1);
	cur = want_string(
	    w, o, "currency", p->min_total != -1 && c->currency == NULL);
	if (cur == NULL && c->currency != NULL)
		cur = xstrdup(c->currency);
	if (cur != NULL) {
		old = push(w, ".%s", "currency");
		if (money_exponent(cur) == -1)
			bad(w, "not an ISO 4217 currency code: '%s'", cur);
		pop(w, old);
		memcpy(p->currency, cur, 4);
		free(cur);
	}
	p->from = want_bound(w, c, o, "from", 0, INT64_MIN);
	p->to = want_bound(w, c, o, "to", 1, INT64_MAX);
	p->per_unit = want_bool(w, o, "per_unit", 0);
	p->limit = (int)want_int(w, o, "limit", 1, 1000, p->qty);
}

static void
load_promo_at(struct walk *w, json_t *v, size_t i, void *arg)
{
	struct config *c = arg;

	load_promo(w, c, v, &c->promos[i]);
	c->npromos++;
}

static void
load_promotions(struct walk *w, struct config *c)
{
	c->promos = elements(c->root, "promotions", sizeof *c->promos);
	each(w, c->root, "promotions", load_promo_at, c);
}

/*
 * ingest.sku_from: where a line's SKU comes from, in the order tried.
 * Each of "sku", "barcode" and "name" at most once.
 */
static void
load_sku_from(struct walk *w, struct config *c, json_t *in)
{
	static const char *const names[SKU_FROM_N] = {[SKU_FROM_SKU] = "sku",
	    [SKU_FROM_BARCODE] = "barcode",
	    [SKU_FROM_NAME] = "name"};
	char **v;
	size_t n, i, j, old, o;
	int k;

	if ((v = want_strings(w, in, "sku_from", &n, NULL, "a string")) == NULL)
		return;
	old = push(w, ".%s", "sku_from");
	if (n == 0)
		bad(w, "must name at least one of sku, barcode, name");
	c->nsku_from = 0;
	for (i = 0; i < n; i++) {
		o = push(w, "[%zu]", i);
		for (k = 0; k < SKU_FROM_N; k++)
			if (strcmp(v[i], names[k]) == 0)
				break;
		if (k == SKU_FROM_N)
			bad(w, "must be sku, barcode or name");
		for (j = 0; j < c->nsku_from; j++)
			if (c->sku_from[j] == (enum sku_from)k)
				bad(w, "'%s' is named twice", v[i]);
		pop(w, o);
		c->sku_from[c->nsku_from++] = (enum sku_from)k;
	}
	pop(w, old);
	free_strings(v, n);
}

static void
load_ingest(struct walk *w, struct config *c)
{
	static const char *const keys[] = {
	    "service_map", "ship_authorized", "sku_from", NULL};
	json_t *in = want_object(w, c->root, "ingest", 0), *v;
	const char *key;
	size_t old, o;

	c->ship_authorized = 1;
	c->sku_from[0] = SKU_FROM_SKU;
	c->nsku_from = 1;
	if (in == NULL)
		return;
	old = push(w, ".%s", "ingest");
	known_keys(w, in, keys);
	c->ship_authorized = want_bool(w, in, "ship_authorized", 1);
	load_sku_from(w, c, in);
	c->service_map = want_object(w, in, "service_map", 0);
	if (c->service_map != NULL) {
		o = push(w, ".%s", "service_map");
		json_object_foreach(c->service_map, key, v)
		{
			size_t o2 = push(w, ".%s", key);

			if (!json_is_string(v) ||
			    !config_has_service(c, json_string_value(v)))
				bad(w, "must name a service some carrier "
				       "offers");
			pop(w, o2);
		}
		pop(w, o);
	}
	pop(w, old);
}

/* A pattern list: one string or an array of them, none empty. */
static char **
want_patterns(struct walk *w, json_t *obj, const char *key, size_t *n)
{
	json_t *v = json_object_get(obj, key);
	char **out;
	size_t old;

	if (!json_is_string(v))
		return want_strings(
		    w, obj, key, n, is_pattern, "a non-empty pattern");
	old = push(w, ".%s", key);
	if (!is_pattern(json_string_value(v)))
		bad(w, "must be a non-empty pattern");
	pop(w, old);
	out = xcalloc(2, sizeof *out);
	out[0] = xstrdup(json_string_value(v));
	*n = 1;
	return out;
}

/*
 * pickup: the shipping methods that mean the customer collects, and the
 * places collected from, each with the methods that name it.
 */
static void
load_pickup(struct walk *w, struct config *c)
{
	static const char *const keys[] = {
	    "methods", "locations", "default_location", "ready_time", NULL};
	struct pickup_cfg *p = &c->pickup;
	json_t *o = want_object(w, c->root, "pickup", 0), *locs, *v;
	const char *key;
	size_t old, o2, o3;

	if (o == NULL)
		return;
	old = push(w, ".%s", "pickup");
	known_keys(w, o, keys);
	p->on = 1;
	p->match = want_patterns(w, o, "methods", &p->nmatch);
	if ((locs = want_object(w, o, "locations", 0)) != NULL) {
		o2 = push(w, ".%s", "locations");
		p->places =
		    xcalloc(json_object_size(locs) + 1, sizeof *p->places);
		json_object_foreach(locs, key, v)
		{
			struct pickup_place *pl = &p->places[p->nplaces];

			if (key[0] == '_')
				continue;
			o3 = push(w, ".%s", key);
			if (key[0] == '\0')
				bad(w, "a location needs a name");
			pop(w, o3);
			pl->location = xstrdup(key);
			pl->match = want_patterns(w, locs, key, &pl->nmatch);
			if (pl->nmatch == 0) {
				push(w, ".%s", key);
				bad(w, "needs a shipping method pattern");
			}
			p->nplaces++;
		}
		pop(w, o2);
	}
	if (p->nmatch == 0 && p->nplaces == 0)
		bad(w, "needs methods or locations");
	p->location = want_string(w, o, "default_location", 0);
	if (p->location == NULL)
		p->location =
		    xstrdup(c->wh_name != NULL ? c->wh_name : c->wh_id);
	p->ready = want_clock(w, o, "ready_time", c->dispatch);
	pop(w, old);
}

/* One zone's block: the keys of a layout without zones. */
static void
load_block(struct walk *w, json_t *o, struct layout *l)
{
	static const char *const keys[] = {"aisles", "bays", "aisle_pitch_m",
	    "bay_pitch_m", "depot_aisle", "cross_aisles", "cross_aisle_width_m",
	    NULL};
	json_t *a, *v;
	size_t i, old;

	known_keys(w, o, keys);
	if (json_object_get(o, "aisles") == NULL ||
	    json_object_get(o, "bays") == NULL)
		bad(w, "needs aisles and bays");
	l->aisles = (int)want_int(w, o, "aisles", 1, 1000, 0);
	l->bays = (int)want_int(w, o, "bays", 1, 10000, 0);
	l->aisle_pitch = want_number(w, o, "aisle_pitch_m", 0, 3.0);
	l->bay_pitch = want_number(w, o, "bay_pitch_m", 0, 1.0);
	l->depot = (int)want_int(w, o, "depot_aisle", 1, l->aisles, 1);
	l->cross_width = want_number(w, o, "cross_aisle_width_m", 0, 2.0);
	if ((a = want_array(w, o, "cross_aisles")) == NULL)
		return;
	old = push(w, ".%s", "cross_aisles");
	if (json_array_size(a) > LAYOUT_CROSS_MAX)
		bad(w, "at most %d middle cross aisles", LAYOUT_CROSS_MAX);
	json_array_foreach(a, i, v)
	{
		size_t o2 = push(w, "[%zu]", i);

		if (!json_is_integer(v) || json_integer_value(v) < 1 ||
		    json_integer_value(v) >= l->bays)
			bad(w, "must be a bay from 1 to %d", l->bays - 1);
		l->cross[i] = (int)json_integer_value(v);
		if (i > 0 && l->cross[i] <= l->cross[i - 1])
			bad(w, "must follow the one before");
		pop(w, o2);
		l->ncross++;
	}
	pop(w, old);
}

static void
load_layout(struct walk *w, struct config *c)
{
	struct layout *l = &c->layout, *zv;
	json_t *o, *zs, *v;
	const char *key;
	size_t old, o2;
	int k;

	if ((o = want_object(w, c->root, "layout", 0)) == NULL)
		return;
	old = push(w, ".%s", "layout");
	if ((zs = json_object_get(o, "zones")) == NULL) {
		load_block(w, o, l);
		pop(w, old);
		return;
	}
	{
		static const char *const keys[] = {"zones", NULL};

		known_keys(w, o, keys);
	}
	zs = want_object(w, o, "zones", 1);
	o2 = push(w, ".%s", "zones");
	l->zones = xcalloc(json_object_size(zs) + 1, sizeof *l->zones);
	/* jansson keeps keys in insertion order: sort them by letter. */
	for (k = 'A'; k <= 'Z'; k++) {
		char name[2] = {(char)k, '\0'};
		size_t o3;

		if ((v = json_object_get(zs, name)) == NULL)
			continue;
		o3 = push(w, ".%s", name);
		if (!json_is_object(v))
			bad(w, "must be an object");
		load_block(w, v, &l->zones[l->nzones]);
		l->zones[l->nzones++].zone = (char)k;
		pop(w, o3);
	}
	json_object_foreach(zs, key, v)
	{
		if (key[0] == '_')
			continue;
		if (!(key[0] >= 'A' && key[0] <= 'Z' && key[1] == '\0')) {
			push(w, ".%s", key);
			bad(w, "a zone is a capital letter, as in locations");
		}
	}
	if (l->nzones == 0)
		bad(w, "needs a zone");
	pop(w, o2);
	/* The set's own fields are its first zone's, zone and zones aside. */
	zv = l->zones;
	k = l->nzones;
	*l = zv[0];
	l->zone = 0;
	l->zones = zv;
	l->nzones = k;
	pop(w, old);
}

/* max_weight_g and max_volume_l of a tote or a whole cart. */
static void
load_capacity(struct walk *w, json_t *o, const char *key, int64_t *g, double *l)
{
	static const char *const keys[] = {
	    "max_weight_g", "max_volume_l", NULL};
	json_t *v;
	size_t old;

	if ((v = want_object(w, o, key, 0)) == NULL)
		return;
	old = push(w, ".%s", key);
	known_keys(w, v, keys);
	*g = want_int(w, v, "max_weight_g", 1, INT64_C(1000000000), *g);
	*l = want_number(w, v, "max_volume_l", 0, *l);
	pop(w, old);
}

static void
load_carts(struct walk *w, struct config *c)
{
	static const char *const keys[] = {"totes", "tote", "cart", NULL};
	struct carts *k = &c->carts;
	json_t *o;
	size_t old;

	/* A cart of 8 totes of 15 kg and 40 l, unless told otherwise. */
	k->totes = 8;
	k->tote_weight_g = 15000;
	k->tote_volume_l = 40;
	if ((o = want_object(w, c->root, "carts", 0)) != NULL) {
		old = push(w, ".%s", "carts");
		known_keys(w, o, keys);
		k->totes = (int)want_int(w, o, "totes", 1, 1000, k->totes);
		load_capacity(
		    w, o, "tote", &k->tote_weight_g, &k->tote_volume_l);
		pop(w, old);
	}
	k->cart_weight_g = k->tote_weight_g * k->totes;
	k->cart_volume_l = k->tote_volume_l * k->totes;
	if (o != NULL) {
		old = push(w, ".%s", "carts");
		load_capacity(
		    w, o, "cart", &k->cart_weight_g, &k->cart_volume_l);
		pop(w, old);
	}
}

static int
is_channel(const char *s)
{
	return strcmp(s, "email") == 0 || strcmp(s, "sms") == 0 ||
	       strcmp(s, "webhook") == 0 || strcmp(s, "outbox") == 0;
}

static int
is_event(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s; s++)
		if (!(*s >= 'a' && *s <= 'z') && *s != '_' &&
		    !(*s >= '0' && *s <= '9'))
			return 0;
	return 1;
}

static char *
want_url(struct walk *w, json_t *o, const char *key)
{
	char *s = want_string(w, o, key, 0);
	size_t old;

	if (s != NULL && strncmp(s, "smtp://", 7) != 0 &&
	    strncmp(s, "smtps://", 8) != 0 && strncmp(s, "http://", 7) != 0 &&
	    strncmp(s, "https://", 8) != 0) {
		old = push(w, ".%s", key);
		bad(w, "must be an smtp://, smtps://, http:// or https:// URL");
		pop(w, old);
	}
	return s;
}

/*
 * 1 if the URL's host is this machine's loopback interface (127.0.0.0/8,
 * ::1, localhost): nothing on the network sees what goes there.  Hosts
 * written any other way (a name, 127.1) are not taken for it.
 */
static int
loopback_url(const char *url)
{
	const char *p = url != NULL ? strstr(url, "://") : NULL, *end, *at;
	struct in6_addr a6;
	struct in_addr a4;
	char host[64];
	size_t n;

	if (p == NULL)
		return 0;
	p += 3;
	end = p + strcspn(p, "/?#");
	for (at = end; at > p && at[-1] != '@'; at--)
		;
	if (at > p)
		p = at; /* after user:password@ */
	if (*p == '[') {
		n = strcspn(++p, "]");
		if (p + n >= end)
			return 0;
	} else
		n = strcspn(p, ":/?#");
	if (n == 0 || n >= sizeof host)
		return 0;
	memcpy(host, p, n);
	host[n] = '\0';
	if (strcasecmp(host, "localhost") == 0)
		return 1;
	if (inet_pton(AF_INET, host, &a4) == 1)
		return ntohl(a4.s_addr) >> 24 == 127;
	return inet_pton(AF_INET6, host, &a6) == 1 && IN6_IS_ADDR_LOOPBACK(&a6);
}

static void
load_notify(struct walk *w, struct config *c)
{
	static const char *const keys[] = {"channels", "templates", "outbox",
	    "default_locale", "from", "message_id_domain", "smtp", "webhook",
	    "sms", "timeout_s", "quiet_hours", "retry", "opt_out", NULL};
	static const char *const url[] = {"url", NULL};
	static const char *const smtp[] = {"url", "insecure", NULL};
	static const char *const sms[] = {
	    "url", "sender", "max_segments", NULL};
	static const char *const from[] = {"name", "address", NULL};
	static const char *const hours[] = {"from", "to", NULL};
	static const char *const retry[] = {"max_attempts", "backoff_s", NULL};
	static const char *const optout[] = {"policy", "non_essential", NULL};
	struct notify_cfg *n = &c->notify;
	json_t *o = want_object(w, c->root, "notify", 0), *v;
	size_t old, o2;
	char *s, *at;

	n->locale = xstrdup("en");
	n->timeout_s = 30;
	n->max_segments = 3;
	n->max_attempts = 5;
	n->backoff_s = 300;
	if (o == NULL) {
		n->templates = config_path(c, "templates");
		n->non_essential = xcalloc(2, sizeof *n->non_essential);
		n->non_essential[0] = xstrdup("survey");
		n->nnon_essential = 1;
		return;
	}
	old = push(w, ".%s", "notify");
	known_keys(w, o, keys);
	n->channels = want_strings(w, o, "channels", &n->nchannels, is_channel,
	    "email, sms, webhook or outbox");
	s = want_string(w, o, "templates", 0);
	n->templates = config_path(c, s != NULL ? s : "templates");
	free(s);
	if ((s = want_string(w, o, "outbox", 0)) != NULL) {
		n->outbox = config_path(c, s);
		free(s);
	}
	if ((s = want_string(w, o, "default_locale", 0)) != NULL) {
		free(n->locale);
		n->locale = s;
	}
	if ((v = want_object(w, o, "from", 0)) != NULL) {
		o2 = push(w, ".%s", "from");
		known_keys(w, v, from);
		n->from_name = want_string(w, v, "name", 0);
		n->from_addr = want_string(w, v, "address", 1);
		pop(w, o2);
	}
	n->domain = want_string(w, o, "message_id_domain", 0);
	if (n->domain == NULL && n->from_addr != NULL &&
	    (at = strrchr(n->from_addr, '@')) != NULL)
		n->domain = xstrdup(at + 1);
	if ((v = want_object(w, o, "smtp", 0)) != NULL) {
		o2 = push(w, ".%s", "smtp");
		known_keys(w, v, smtp);
		n->smtp_url = want_url(w, v, "url");
		n->smtp_insecure = want_bool(w, v, "insecure", 0);
		if (n->smtp_insecure && !loopback_url(n->smtp_url)) {
			push(w, ".%s", "insecure");
			bad(w, "only for a url on this machine (127.0.0.0/8, "
			       "::1, localhost): elsewhere credentials would "
			       "cross the network in clear text");
		}
		pop(w, o2);
	}
	if ((v = want_object(w, o, "webhook", 0)) != NULL) {
		o2 = push(w, ".%s", "webhook");
		known_keys(w, v, url);
		n->webhook_url = want_url(w, v, "url");
		pop(w, o2);
	}
	if ((v = want_object(w, o, "sms", 0)) != NULL) {
		o2 = push(w, ".%s", "sms");
		known_keys(w, v, sms);
		n->sms_url = want_url(w, v, "url");
		n->sms_sender = want_string(w, v, "sender", 0);
		n->max_segments =
		    (int)want_int(w, v, "max_segments", 1, 10, n->max_segments);
		pop(w, o2);
	}
	n->timeout_s = (int)want_int(w, o, "timeout_s", 1, 600, n->timeout_s);
	if ((v = want_object(w, o, "quiet_hours", 0)) != NULL) {
		o2 = push(w, ".%s", "quiet_hours");
		known_keys(w, v, hours);
		n->quiet = 1;
		n->quiet_from = want_clock(w, v, "from", 21 * 3600);
		n->quiet_to = want_clock(w, v, "to", 8 * 3600);
		pop(w, o2);
	}
	if ((v = want_object(w, o, "retry", 0)) != NULL) {
		o2 = push(w, ".%s", "retry");
		known_keys(w, v, retry);
		n->max_attempts = (int)want_int(
		    w, v, "max_attempts", 1, 100, n->max_attempts);
		n->backoff_s =
		    (int)want_int(w, v, "backoff_s", 1, 86400, n->backoff_s);
		pop(w, o2);
	}
	if ((v = want_object(w, o, "opt_out", 0)) != NULL) {
		o2 = push(w, ".%s", "opt_out");
		known_keys(w, v, optout);
		if ((s = want_string(w, v, "policy", 0)) != NULL) {
			if (strcmp(s, "all") != 0 &&
			    strcmp(s, "transactional") != 0) {
				push(w, ".%s", "policy");
				bad(w, "must be all or transactional");
			}
			n->optout_all = strcmp(s, "all") == 0;
			free(s);
		}
		n->non_essential = want_strings(w, v, "non_essential",
		    &n->nnon_essential, is_event, "an event name");
		pop(w, o2);
	}
	if (n->non_essential == NULL) {
		n->non_essential = xcalloc(2, sizeof *n->non_essential);
		n->non_essential[0] = xstrdup("survey");
		n->nnon_essential = 1;
	}
	pop(w, old);
}

/* Words from the configuration, or the defaults; a copy either way. */
static char **
want_words(struct walk *w, json_t *o, const char *key, const char *const *dflt,
    size_t *n)
{
	char **v =
	    o != NULL ? want_strings(w, o, key, n, NULL, "a string") : NULL;
	size_t i;

	if (v != NULL)
		return v;
	for (*n = 0; dflt[*n] != NULL; (*n)++)
		;
	v = xcalloc(*n + 1, sizeof *v);
	for (i = 0; i < *n; i++)
		v[i] = xstrdup(dflt[i]);
	return v;
}

/*
 * followup.cod: when a COD parcel delivered with nothing remitted for it
 * is overdue (lib/cod).
 */
static void
load_cod(struct walk *w, json_t *o, struct followup_cfg *f)
{
	static const char *const keys[] = {"overdue_days", NULL};
	json_t *cod = o != NULL ? want_object(w, o, "cod", 0) : NULL;
	size_t old = 0;

	if (cod != NULL) {
		old = push(w, ".%s", "cod");
		known_keys(w, cod, keys);
	}
	f->cod_overdue_days = (int)want_int(w, cod, "overdue_days", 1, 365, 14);
	if (cod != NULL)
		pop(w, old);
}

/*
 * followup.webhooks: each provider's secret, by its name
 * (provider_parse()), for followup --listen.
 */
static void
load_webhooks(struct walk *w, json_t *o, struct followup_cfg *f)
{
	static const char *const keys[] = {"secret", NULL};
	json_t *hooks = o != NULL ? want_object(w, o, "webhooks", 0) : NULL;
	const char *name;
	enum provider p;
	size_t old, o2;
	json_t *v;

	if (hooks == NULL)
		return;
	old = push(w, ".%s", "webhooks");
	json_object_foreach(hooks, name, v)
	{
		o2 = push(w, ".%s", name);
		if (provider_parse(name, &p) == -1)
			bad(w, "not a provider: aftership, easypost, 17track "
			       "or shippo");
		if (!json_is_object(v))
			bad(w, "must be an object");
		known_keys(w, v, keys);
		f->webhook_secret[p] = want_string(w, v, "secret", 1);
		pop(w, o2);
	}
	pop(w, old);
}

static void
load_followup(struct walk *w, struct config *c)
{
	static const char *const keys[] = {"chase_due_hours",
	    "urgent_due_hours", "review_threshold", "negative_keywords",
	    "damaged_keywords", "high_value", "survey_after_days", "survey_url",
	    "return_window_days", "webhooks", "cod", "report_locale", NULL};
	static const char *const negative[] = {"broken", "damaged", "late",
	    "never arrived", "refund", "terrible", "worst", "disappointed",
	    "rude", "破损", "坏了", "太慢", "没收到", "退款", "差评", "失望",
	    "垃圾", NULL};
	static const char *const damaged[] = {"damaged", "broken",
	    "arrived damaged", "broken on opening", "crushed", "破损", "坏了",
	    "碎了", NULL};
	struct followup_cfg *f = &c->followup;
	json_t *o = want_object(w, c->root, "followup", 0);
	size_t old = 0;

	if (o != NULL) {
		old = push(w, ".%s", "followup");
		known_keys(w, o, keys);
	}
	f->chase_due_hours = (int)want_int(w, o, "chase_due_hours", 0, 720, 8);
	f->urgent_due_hours =
	    (int)want_int(w, o, "urgent_due_hours", 0, 720, 2);
	f->review_threshold = (int)want_int(w, o, "review_threshold", 0, 5, 2);
	f->negative =
	    want_words(w, o, "negative_keywords", negative, &f->nnegative);
	f->damaged =
	    want_words(w, o, "damaged_keywords", damaged, &f->ndamaged);
	f->high_value =
	    want_int(w, o, "high_value", 0, INT64_C(1) << 50, 50000);
	f->survey_after_days =
	    (int)want_int(w, o, "survey_after_days", 0, 365, 3);
	f->survey_url = want_string(w, o, "survey_url", 0);
	f->return_window_days =
	    (int)want_int(w, o, "return_window_days", 0, 3650, 30);
	f->report_locale = want_string(w, o, "report_locale", 0);
	if (f->report_locale == NULL)
		f->report_locale = xstrdup("en");
	else if (!report_locale_known(f->report_locale)) {
		push(w, ".%s", "report_locale");
		bad(w, "must be en or zh-CN");
	}
	load_webhooks(w, o, f);
	load_cod(w, o, f);
	if (o != NULL)
		pop(w, old);
}

/*
 * The shop, as its customers know it: its name in messages (notify.from
 * .name, the From name, used to stand in for it, and still does).
 */
static void
load_shop(struct walk *w, struct config *c)
{
	static const char *const keys[] = {"name", NULL};
	json_t *o = want_object(w, c->root, "shop", 0);
	size_t old;

	if (o == NULL)
		return;
	old = push(w, ".%s", "shop");
	known_keys(w, o, keys);
	c->shop_name = want_string(w, o, "name", 0);
	pop(w, old);
}

/* One partial-shipment policy: {"policy", "min_share"}. */
static void
load_partial_one(struct walk *w, json_t *o, struct partial_cfg *p)
{
	static const char *const keys[] = {"policy", "min_share", NULL};
	char *s;
	size_t old;

	p->policy = PARTIAL_NEVER;
	p->min_share = 0.5;
	known_keys(w, o, keys);
	if ((s = want_string(w, o, "policy", 0)) != NULL) {
		old = push(w, ".%s", "policy");
		if (strcmp(s, "never") == 0)
			p->policy = PARTIAL_NEVER;
		else if (strcmp(s, "allow") == 0)
			p->policy = PARTIAL_ALLOW;
		else if (strcmp(s, "above") == 0)
			p->policy = PARTIAL_ABOVE;
		else
			bad(w, "must be \"never\", \"allow\" or \"above\"");
		pop(w, old);
		free(s);
	}
	p->min_share = want_number(w, o, "min_share", 0, p->min_share);
	if (p->min_share > 1) {
		(void)push(w, ".%s", "min_share");
		bad(w, "must be at most 1");
	}
}

/*
 * pick: the partial-shipment policy, and its overrides by source.  The
 * default is "never": an order short of stock is held whole, as it
 * always was.  pick.window: the orders pick-list(1) plans, commits and
 * writes out at a time; 0 is the whole input at once.
 */
static void
load_pick(struct walk *w, struct config *c)
{
	static const char *const keys[] = {
	    "partial", "partial_by_source", "window", NULL};
	json_t *o = want_object(w, c->root, "pick", 0), *by, *v;
	const char *src;
	size_t old, o2, o3;

	c->partial.policy = PARTIAL_NEVER;
	c->partial.min_share = 0.5;
	c->pick_window = PICK_WINDOW;
	if (o == NULL)
		return;
	old = push(w, ".%s", "pick");
	known_keys(w, o, keys);
	c->pick_window =
	    want_int(w, o, "window", 0, PICK_WINDOW_MAX, PICK_WINDOW);
	if (want_object(w, o, "partial", 0) != NULL) {
		o2 = push(w, ".%s", "partial");
		load_partial_one(w, json_object_get(o, "partial"), &c->partial);
		pop(w, o2);
	}
	if ((by = want_object(w, o, "partial_by_source", 0)) != NULL) {
		o2 = push(w, ".%s", "partial_by_source");
		c->partial_by =
		    xcalloc(json_object_size(by) + 1, sizeof *c->partial_by);
		json_object_foreach(by, src, v)
		{
			struct partial_cfg *p =
			    &c->partial_by[c->npartial_by++];

			(void)want_object(w, by, src, 1);
			o3 = push(w, ".%s", src);
			load_partial_one(w, v, p);
			p->source = xstrdup(src);
			pop(w, o3);
		}
		pop(w, o2);
	}
	pop(w, old);
}

const struct partial_cfg *
config_partial(const struct config *c, const char *source)
{
	size_t i;

	for (i = 0; source != NULL && i < c->npartial_by; i++)
		if (strcmp(c->partial_by[i].source, source) == 0)
			return &c->partial_by[i];
	return &c->partial;
}

/* A copy of n words. */
static char **
copy_words(char *const *v, size_t n)
{
	char **out = xcalloc(n + 1, sizeof *out);
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = xstrdup(v[i]);
	return out;
}

/*
 * One reason of returns.reasons, code to {en, zh-CN, keywords}; a code
 * the defaults know (dflt, else NULL) keeps their words unless given.
 */
static void
load_reason(struct walk *w, struct return_reason *r, const char *code,
    json_t *v, const struct return_reason *dflt)
{
	static const char *const keys[] = {"en", "zh-CN", "keywords", NULL};
	size_t old = push(w, ".%s", code);

	if (*code == '\0' ||
	    code[strspn(code, "abcdefghijklmnopqrstuvwxyz0123456789_")] != '\0')
		bad(w, "a reason code is lower case letters, digits and '_'");
	if (!json_is_object(v))
		bad(w, "must be an object");
	known_keys(w, v, keys);
	r->code = xstrdup(code);
	r->en = want_string(w, v, "en", 1);
	r->zh_cn = want_string(w, v, "zh-CN", 1);
	r->keywords =
	    want_strings(w, v, "keywords", &r->nkeywords, NULL, "a string");
	if (r->keywords == NULL && dflt != NULL) {
		r->nkeywords = dflt->nkeywords;
		r->keywords = copy_words(dflt->keywords, dflt->nkeywords);
	}
	pop(w, old);
}

static void
copy_reason(struct return_reason *r, const struct return_reason *from)
{
	r->code = xstrdup(from->code);
	r->en = xstrdup(from->en);
	r->zh_cn = xstrdup(from->zh_cn);
	r->nkeywords = from->nkeywords;
	r->keywords = copy_words(from->keywords, from->nkeywords);
}

/*
 * returns.reasons, or the default list, in the order a request's free
 * text is matched against their words.  "other" is always there, and
 * last: a text that matches no reason's words gets it.  The default
 * "damaged" reason's words are followup.damaged_keywords, so that the
 * code and the damaged flag agree.
 */
static void
load_returns(struct walk *w, struct config *c)
{
	static const char *const keys[] = {"reasons", NULL};
	static const char *const labels[][3] = {{"damaged", "Damaged", "破损"},
	    {"wrong_item", "Wrong item", "发错商品"},
	    {"not_as_described", "Not as described", "与描述不符"},
	    {"too_late", "Arrived too late", "送达太晚"},
	    {"changed_mind", "Changed mind", "不想要了"},
	    {"other", "Other", "其他"}};
	static const char *const words[][12] = {{NULL},
	    {"wrong item", "wrong size", "wrong colour", "wrong color",
		"wrong product", "sent the wrong", "发错", "错发", "尺码不对",
		"不是我订的", NULL},
	    {"not as described", "not as pictured", "different from",
		"描述不符", "与图片不符", "和图片不一样", NULL},
	    {"too late", "arrived late", "took too long", "太晚", "迟到", NULL},
	    {"changed my mind", "change of mind", "no longer need",
		"don't need", "不想要", "不需要", "不要了", NULL},
	    {NULL}};
	enum { NDFLT = sizeof labels / sizeof labels[0] };
	struct returns_cfg *rc = &c->returns;
	struct return_reason d[NDFLT], *df;
	json_t *o = want_object(w, c->root, "returns", 0), *rs = NULL, *v;
	const char *code;
	size_t old = 0, o2, i, j;

	for (i = 0; i < NDFLT; i++) {
		d[i].code = (char *)labels[i][0];
		d[i].en = (char *)labels[i][1];
		d[i].zh_cn = (char *)labels[i][2];
		d[i].keywords = (char **)words[i];
		for (j = 0; words[i][j] != NULL; j++)
			;
		d[i].nkeywords = j;
	}
	d[0].keywords = c->followup.damaged;
	d[0].nkeywords = c->followup.ndamaged;
	if (o != NULL) {
		old = push(w, ".%s", "returns");
		known_keys(w, o, keys);
		rs = want_object(w, o, "reasons", 0);
	}
	rc->reasons = xcalloc((rs != NULL ? json_object_size(rs) : 0) + NDFLT,
	    sizeof *rc->reasons);
	if (rs == NULL) {
		for (i = 0; i < NDFLT; i++)
			copy_reason(&rc->reasons[rc->nreasons++], &d[i]);
	} else {
		o2 = push(w, ".%s", "reasons");
		json_object_foreach(rs, code, v)
		{
			if (*code == '_' || strcmp(code, "other") == 0)
				continue;
			for (df = NULL, j = 0; j < NDFLT; j++)
				if (strcmp(code, d[j].code) == 0)
					df = &d[j];
			load_reason(
			    w, &rc->reasons[rc->nreasons++], code, v, df);
		}
		if ((v = json_object_get(rs, "other")) != NULL)
			load_reason(
			    w, &rc->reasons[rc->nreasons++], "other", v, NULL);
		else
			copy_reason(
			    &rc->reasons[rc->nreasons++], &d[NDFLT - 1]);
		pop(w, o2);
	}
	if (o != NULL)
		pop(w, old);
}

struct config *
config_load(const char *path)
{
	static const char *const sections[] = {"warehouse", "cutoffs",
	    "carriers", "layout", "carts", "promotions", "notify", "followup",
	    "privacy", "catalog", "ingest", "label", "pickup", "shop",
	    "returns", "pick", NULL};
	struct config *c;
	struct walk w;
	json_error_t e;
	char *slash, *cat;
	const char *p;

	if (path == NULL && (p = getenv("FULFIL_CONFIG")) != NULL && *p)
		path = p;
	if (path == NULL)
		path = "fulfil.json";
	c = xcalloc(1, sizeof *c);
	c->file = xstrdup(path);
	c->dir = xstrdup(path);
	if ((slash = strrchr(c->dir, '/')) != NULL)
		slash[slash == c->dir ? 1 : 0] = '\0';
	else {
		free(c->dir);
		c->dir = xstrdup(".");
	}
	c->root = ndjson_load_file(path, JSON_REJECT_DUPLICATES, &e);
	if (c->root == NULL) {
		if (e.line == -1)
			err_exit(EXIT_TROUBLE,
			    "cannot read configuration '%s': "
			    "%s",
			    path, e.text);
		err_exit(EXIT_TROUBLE, "%s:%d:%d: %s", path, e.line, e.column,
		    e.text);
	}
	memset(&w, 0, sizeof w);
	w.file = path;
	strcpy(w.path, "$");
	w.len = 1;
	if (!json_is_object(c->root))
		bad(&w, "must be an object");
	known_keys(&w, c->root, sections);
	load_warehouse(&w, c);
	load_shop(&w, c);
	load_cutoffs(&w, c);
	load_carriers(&w, c);
	load_promotions(&w, c);
	load_ingest(&w, c);
	load_pickup(&w, c);
	load_layout(&w, c);
	load_carts(&w, c);
	load_pick(&w, c);
	load_label(&w, c);
	load_notify(&w, c);
	load_followup(&w, c);
	load_returns(&w, c);
	if ((cat = want_string(&w, c->root, "catalog", 0)) != NULL) {
		c->catalog = config_path(c, cat);
		free(cat);
	}
	return c;
}

void
config_free(struct config *c)
{
	size_t i, j;

	if (c == NULL)
		return;
	for (i = 0; i < c->ncarriers; i++) {
		struct carrier *k = &c->carriers[i];

		free(k->code);
		free(k->name);
		free_strings(k->countries, k->ncountries);
		for (j = 0; j < k->nservices; j++)
			free(k->services[j].name);
		free(k->services);
		free(k->rates);
		free(k->tracking_url);
		free(k->account);
		free(k->helper);
		cal_free(&k->delivery);
	}
	free(c->carriers);
	for (i = 0; i < c->npromos; i++) {
		struct promo *p = &c->promos[i];

		free(p->id);
		free(p->gift_sku);
		free(p->gift_name);
		free_strings(p->buy_any, p->nbuy);
	}
	free(c->promos);
	free(c->layout.zones);
	for (i = 0; i < c->ncutoffs; i++)
		free(c->cutoffs[i].service);
	free(c->cutoffs);
	cal_free(&c->cal);
	for (i = 0; i < c->nclaims; i++) {
		free_strings(c->claims[i].country, c->claims[i].ncountry);
		free_strings(c->claims[i].region, c->claims[i].nregion);
		free_strings(c->claims[i].postcode, c->claims[i].npostcode);
		free_strings(c->claims[i].source, c->claims[i].nsource);
	}
	free(c->claims);
	free(c->wh_id);
	free(c->wh_name);
	free(c->shop_name);
	free(c->tz);
	free(c->currency);
	free(c->catalog);
	free(c->printer_font);
	free(c->label_size);
	free(c->print_queue);
	free(c->print_zpl_queue);
	free(c->print_pdf_queue);
	free(c->customs.cn22);
	free_strings(c->notify.channels, c->notify.nchannels);
	free(c->notify.templates);
	free(c->notify.outbox);
	free(c->notify.locale);
	free(c->notify.from_name);
	free(c->notify.from_addr);
	free(c->notify.domain);
	free(c->notify.smtp_url);
	free(c->notify.webhook_url);
	free(c->notify.sms_url);
	free(c->notify.sms_sender);
	free_strings(c->notify.non_essential, c->notify.nnon_essential);
	free_strings(c->followup.negative, c->followup.nnegative);
	free_strings(c->followup.damaged, c->followup.ndamaged);
	free(c->followup.survey_url);
	free(c->followup.report_locale);
	for (i = 0; i <= PROVIDER_SHIPPO; i++)
		free(c->followup.webhook_secret[i]);
	for (i = 0; i < c->returns.nreasons; i++) {
		free(c->returns.reasons[i].code);
		free(c->returns.reasons[i].en);
		free(c->returns.reasons[i].zh_cn);
		free_strings(c->returns.reasons[i].keywords,
		    c->returns.reasons[i].nkeywords);
	}
	free(c->returns.reasons);
	free_strings(c->pickup.match, c->pickup.nmatch);
	for (i = 0; i < c->pickup.nplaces; i++) {
		free(c->pickup.places[i].location);
		free_strings(
		    c->pickup.places[i].match, c->pickup.places[i].nmatch);
	}
	free(c->pickup.places);
	for (i = 0; i < c->npartial_by; i++)
		free(c->partial_by[i].source);
	free(c->partial_by);
	free(c->pickup.location);
	free(c->file);
	free(c->dir);
	json_decref(c->root);
	free(c);
}

int
config_cutoff(const struct config *c, const char *service)
{
	size_t i;
	int dflt = 15 * 3600;

	for (i = 0; i < c->ncutoffs; i++) {
		if (c->cutoffs[i].service == NULL)
			dflt = c->cutoffs[i].secs;
		else if (strcmp(c->cutoffs[i].service, service) == 0)
			return c->cutoffs[i].secs;
	}
	return dflt;
}

const struct service *
carrier_service(const struct carrier *k, const char *service)
{
	size_t i;

	for (i = 0; i < k->nservices; i++)
		if (strcmp(k->services[i].name, service) == 0)
			return &k->services[i];
	return NULL;
}

const struct carrier *
config_carrier(const struct config *c, const char *code)
{
	size_t i;

	for (i = 0; code != NULL && i < c->ncarriers; i++)
		if (strcmp(c->carriers[i].code, code) == 0)
			return &c->carriers[i];
	return NULL;
}

int
carrier_serves(const struct carrier *k, const char *country)
{
	size_t i;

	if (k->ncountries == 0)
		return 1;
	for (i = 0; i < k->ncountries; i++)
		if (strcmp(k->countries[i], country) == 0)
			return 1;
	return 0;
}

const struct carrier *
config_carrier_for(
    const struct config *c, const char *country, const char *service, int cod)
{
	size_t i;

	for (i = 0; i < c->ncarriers; i++) {
		const struct carrier *k = &c->carriers[i];

		if (carrier_serves(k, country) &&
		    carrier_service(k, service) != NULL && (!cod || k->cod))
			return k;
	}
	return NULL;
}

int
config_has_service(const struct config *c, const char *service)
{
	size_t i;

	for (i = 0; i < c->ncarriers; i++)
		if (carrier_service(&c->carriers[i], service) != NULL)
			return 1;
	return 0;
}

/*
 * s with its blanks folded: trimmed, each run of blanks one space.  Shops
 * type their method names by hand, and a double space should not make
 * a pickup a parcel.
 */
static void
fold_blanks(const char *s, char *out, size_t len)
{
	size_t n = 0;
	int gap = 0;

	for (; *s != '\0' && n + 1 < len; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') {
			gap = n > 0;
			continue;
		}
		if (gap && n + 2 < len)
			out[n++] = ' ';
		gap = 0;
		out[n++] = *s;
	}
	out[n] = '\0';
}

static int
pickup_matches(char *const *pats, size_t n, const char *method)
{
	char pat[512];
	size_t i;

	for (i = 0; i < n; i++) {
		fold_blanks(pats[i], pat, sizeof pat);
		if (fnmatch(pat, method, FNM_CASEFOLD) == 0)
			return 1;
	}
	return 0;
}

const char *
config_pickup(const struct config *c, const char *method)
{
	const struct pickup_cfg *p = &c->pickup;
	char m[1024];
	size_t i;

	if (!p->on || method == NULL)
		return NULL;
	fold_blanks(method, m, sizeof m);
	if (m[0] == '\0')
		return NULL;
	for (i = 0; i < p->nplaces; i++)
		if (pickup_matches(p->places[i].match, p->places[i].nmatch, m))
			return p->places[i].location;
	return pickup_matches(p->match, p->nmatch, m) ? p->location : NULL;
}

int
config_sku_lookup(const struct config *c)
{
	size_t i;

	for (i = 0; i < c->nsku_from; i++)
		if (c->sku_from[i] != SKU_FROM_SKU)
			return 1;
	return 0;
}

char *
config_path(const struct config *c, const char *rel)
{
	char *p;

	if (rel[0] == '/')
		return xstrdup(rel);
	xasprintf(&p, "%s/%s", c->dir, rel);
	return p;
}
