#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "tracking.h"

static const char *const kinds[] = {
    [TRACK_S10] = "s10",
    [TRACK_SSCC] = "sscc",
    [TRACK_UPS1Z] = "ups1z",
    [TRACK_PLAIN] = "plain",
};

int
track_kind_parse(const char *s, enum track_kind *k)
{
	size_t i;

	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(s, kinds[i]) == 0) {
			*k = (enum track_kind)i;
			return 0;
		}
	return -1;
}

int
s10_check(const char *d)
{
	static const int w[8] = {8, 6, 4, 2, 3, 5, 9, 7};
	int i, sum = 0, c;

	for (i = 0; i < 8; i++)
		sum += (d[i] - '0') * w[i];
	c = 11 - sum % 11;
	return c == 10 ? 0 : c == 11 ? 5 : c;
}

int
gs1_check(const char *d, size_t n)
{
	size_t i;
	int sum = 0;

	/* Weights 3, 1, 3, ... from the rightmost data digit. */
	for (i = 0; i < n; i++)
		sum += (d[n - 1 - i] - '0') * (i % 2 == 0 ? 3 : 1);
	return (10 - sum % 10) % 10;
}

int
ups_check(const char *s)
{
	int i, v, sum = 0;

	for (i = 0; i < 15; i++) {
		v = isdigit((unsigned char)s[i])
			? s[i] - '0'
			: (toupper((unsigned char)s[i]) - 63) % 10;
		sum += i % 2 == 1 ? 2 * v : v;
	}
	return (10 - sum % 10) % 10;
}

static int
all(const char *s, size_t n, int (*is)(int))
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] == '\0' || !is((unsigned char)s[i]))
			return 0;
	return 1;
}

static int
upper_alnum(int c)
{
	return isdigit(c) || isupper(c);
}

static int64_t
pow10_(int n)
{
	int64_t p = 1;

	while (n-- > 0)
		p *= 10;
	return p;
}

int
track_format_check(struct track_format *f, char *why, size_t whylen)
{
	size_t n = strlen(f->prefix);

	switch (f->kind) {
	case TRACK_S10:
		if (n != 2 || !all(f->prefix, 2, isupper) ||
		    strlen(f->country) != 2 || !all(f->country, 2, isupper)) {
			snprintf(why, whylen,
			    "s10 needs a 2-letter service "
			    "indicator and a 2-letter country");
			return -1;
		}
		f->digits = 8;
		break;
	case TRACK_SSCC:
		/* Extension digit and a GS1 company prefix of 7-10 digits. */
		if (n < 8 || n > 11 || !all(f->prefix, n, isdigit)) {
			snprintf(why, whylen,
			    "sscc needs an extension digit and "
			    "a company prefix of 7 to 10 digits");
			return -1;
		}
		f->digits = 17 - (int)n;
		break;
	case TRACK_UPS1Z:
		if (n != 8 || !all(f->prefix, 8, upper_alnum)) {
			snprintf(why, whylen,
			    "ups1z needs a 6-character shipper "
			    "number and a 2-character service");
			return -1;
		}
		f->digits = 7;
		break;
	case TRACK_PLAIN:
		if (f->digits < 1 || f->digits > 18 ||
		    n + (size_t)f->digits >= TRACK_MAX) {
			snprintf(why, whylen, "plain needs 1 to 18 digits");
			return -1;
		}
		break;
	}
	if (f->first < 0 || f->last < f->first ||
	    f->last >= pow10_(f->digits)) {
		snprintf(why, whylen,
		    "the serial range must run from 0 up to %" PRId64,
		    pow10_(f->digits) - 1);
		return -1;
	}
	return 0;
}

int
track_make(const struct track_format *f, int64_t serial, char out[TRACK_MAX])
{
	char d[TRACK_MAX];
	int n = 0;

	if (serial < f->first || serial > f->last)
		return -1;
	/* Lengths are checked so: a format track_format_check() passed fits. */
	switch (f->kind) {
	case TRACK_S10:
		if (snprintf(d, sizeof d, "%08" PRId64, serial) != 8)
			return -1;
		n = snprintf(out, TRACK_MAX, "%s%s%d%s", f->prefix, d,
		    s10_check(d), f->country);
		break;
	case TRACK_SSCC:
		if ((n = snprintf(d, sizeof d, "%s%0*" PRId64, f->prefix,
			 f->digits, serial)) != 17)
			return -1;
		n = snprintf(out, TRACK_MAX, "%s%d", d, gs1_check(d, 17));
		break;
	case TRACK_UPS1Z:
		if (snprintf(d, sizeof d, "%s%07" PRId64, f->prefix, serial) !=
		    15)
			return -1;
		n = snprintf(out, TRACK_MAX, "1Z%s%d", d, ups_check(d));
		break;
	case TRACK_PLAIN:
		n = snprintf(out, TRACK_MAX, "%s%0*" PRId64, f->prefix,
		    f->digits, serial);
		break;
	}
	return n > 0 && n < TRACK_MAX ? 0 : -1;
}

int
track_valid(enum track_kind k, const char *s)
{
	size_t n = strlen(s);

	switch (k) {
	case TRACK_S10:
		return n == 13 && all(s, 2, isupper) &&
		       all(s + 2, 9, isdigit) && all(s + 11, 2, isupper) &&
		       s10_check(s + 2) == s[10] - '0';
	case TRACK_SSCC:
		return n == 18 && all(s, 18, isdigit) &&
		       gs1_check(s, 17) == s[17] - '0';
	case TRACK_UPS1Z:
		return n == 18 && strncmp(s, "1Z", 2) == 0 &&
		       all(s + 2, 16, upper_alnum) &&
		       isdigit((unsigned char)s[17]) &&
		       ups_check(s + 2) == s[17] - '0';
	case TRACK_PLAIN:
		return n > 0;
	}
	return 0;
}
