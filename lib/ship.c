#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "promise.h"
#include "ship.h"
#include "when.h"

static int
heavier(const void *a, const void *b)
{
	const struct ship_goods *x = *(const struct ship_goods *const *)a;
	const struct ship_goods *y = *(const struct ship_goods *const *)b;

	return (x->unit_g < y->unit_g) - (x->unit_g > y->unit_g);
}

int
ship_split(const struct ship_goods *g, size_t n, int64_t packaging_g,
    int64_t max_g, struct ship_choice *c, char *why, size_t whylen)
{
	const struct ship_goods **v = xcalloc(n + 1, sizeof *v);
	int64_t left, k, total = packaging_g;
	size_t i, cap = 0;
	int j;

	free(c->weight_g);
	c->weight_g = NULL;
	c->nparcels = 0;
	for (i = 0; i < n; i++) {
		v[i] = &g[i];
		total += g[i].unit_g * g[i].qty;
	}
	if (max_g <= 0) {
		c->weight_g = xcalloc(1, sizeof *c->weight_g);
		c->weight_g[0] = total;
		c->nparcels = 1;
		free(v);
		return 0;
	}
	qsort(v, n, sizeof *v, heavier);
	for (i = 0; i < n; i++) {
		if (v[i]->unit_g + packaging_g > max_g) {
			snprintf(why, whylen,
			    "one unit (%lld g) with packaging is over the "
			    "%lld g limit",
			    (long long)v[i]->unit_g, (long long)max_g);
			free(v);
			return -1;
		}
		/* First fit: each parcel already open, then new ones. */
		left = v[i]->qty;
		for (j = 0; left > 0; j++) {
			if (j == c->nparcels) {
				xgrow(&c->weight_g, &cap,
				    (size_t)c->nparcels + 1,
				    sizeof *c->weight_g);
				c->weight_g[c->nparcels++] = packaging_g;
			}
			k = (max_g - c->weight_g[j]) / v[i]->unit_g;
			if (k > left)
				k = left;
			c->weight_g[j] += k * v[i]->unit_g;
			left -= k;
		}
	}
	if (c->nparcels == 0) {
		c->weight_g = xcalloc(1, sizeof *c->weight_g);
		c->weight_g[c->nparcels++] = packaging_g;
	}
	free(v);
	return 0;
}

int64_t
ship_rate(const struct carrier *k, int64_t weight_g)
{
	size_t i;

	for (i = 0; i < k->nrates; i++)
		if (weight_g <= k->rates[i].up_to_g)
			return k->rates[i].price;
	return -1;
}

/* Append "code: reason" to why. */
static void __attribute__((format(printf, 4, 5)))
because(char *why, size_t whylen, const struct carrier *k, const char *fmt, ...)
{
	size_t at = strlen(why);
	va_list ap;
	int n;

	n = snprintf(why + at, whylen - at, "%s%s: ", at ? "; " : "", k->code);
	if (n < 0 || (size_t)n >= whylen - at)
		return;
	at += (size_t)n;
	va_start(ap, fmt);
	vsnprintf(why + at, whylen - at, fmt, ap);
	va_end(ap);
}

/* Can k take the goods?  0 and c filled, or -1 with a reason added. */
static int
consider(const struct carrier *k, const struct config *cfg, const char *country,
    const char *service, int cod, const struct ship_promise *pr,
    const struct ship_goods *g, size_t n, struct ship_choice *c, char *why,
    size_t whylen)
{
	const struct service *svc;
	char sub[160];
	int64_t p, day;
	int i;

	if (!carrier_serves(k, country)) {
		because(why, whylen, k, "does not deliver to %s", country);
		return -1;
	}
	if ((svc = carrier_service(k, service)) == NULL) {
		because(why, whylen, k, "no %s service", service);
		return -1;
	}
	if (cod && !k->cod) {
		because(why, whylen, k, "does not collect cash on delivery");
		return -1;
	}
	if (!k->has_tracking && k->helper == NULL) {
		because(why, whylen, k, "no tracking number range configured");
		return -1;
	}
	if (ship_split(g, n, cfg->packaging_g, k->max_weight_g, c, sub,
		sizeof sub) == -1) {
		because(why, whylen, k, "%s", sub);
		return -1;
	}
	c->carrier = k;
	c->on_time = 1;
	if (pr != NULL) {
		day = promise_arrival(
		    cfg, k, svc->transit_days, pr->ship_day, NULL);
		c->on_time = day != CAL_NONE && day <= pr->deliver_by;
	}
	c->price = k->nrates ? 0 : -1;
	for (i = 0; k->nrates && i < c->nparcels; i++) {
		if ((p = ship_rate(k, c->weight_g[i])) == -1) {
			because(why, whylen, k,
			    "a %lld g parcel is over its heaviest rate band",
			    (long long)c->weight_g[i]);
			return -1;
		}
		c->price += p;
	}
	return 0;
}

int
ship_choose(const struct config *cfg, const char *forced, const char *country,
    const char *service, int cod, const struct ship_promise *pr,
    const struct ship_goods *g, size_t n, struct ship_choice *best, char *why,
    size_t whylen)
{
	struct ship_choice c = {NULL, 0, NULL, 0, 0};
	size_t i;
	int found = 0;

	why[0] = '\0';
	ship_free(best);
	best->carrier = NULL;
	best->price = 0;
	for (i = 0; i < cfg->ncarriers; i++) {
		const struct carrier *k = &cfg->carriers[i];

		if (forced != NULL && strcmp(forced, k->code) != 0)
			continue;
		if (consider(k, cfg, country, service, cod, pr, g, n, &c, why,
			whylen) == -1)
			continue;
		/*
		 * On time beats late; then priced beats unpriced, cheaper
		 * beats dearer; then the first wins.
		 */
		if (!found || c.on_time > best->on_time ||
		    (c.on_time == best->on_time && c.price >= 0 &&
			(best->price < 0 || c.price < best->price))) {
			ship_free(best);
			*best = c;
			memset(&c, 0, sizeof c);
			found = 1;
		}
	}
	ship_free(&c);
	if (found)
		return 0;
	if (forced != NULL && why[0] == '\0')
		snprintf(why, whylen, "no carrier '%s' in the configuration",
		    forced);
	else if (why[0] == '\0')
		snprintf(why, whylen, "no carriers configured");
	return -1;
}

void
ship_free(struct ship_choice *c)
{
	free(c->weight_g);
	c->weight_g = NULL;
	c->nparcels = 0;
}
