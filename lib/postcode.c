#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "postcode.h"

/* The longest postcode compared; longer text is no postcode. */
#define PC_MAX 16

/*
 * One country's postcode forms.  In a form 'N' is a digit, 'A' a letter,
 * and ' ' or '-' is written as it stands; zero says that the postcodes
 * are all digits and may begin with 0, so one digit short is a lost zero.
 */
static const struct rule {
	char country[3];
	const char *forms[6];
	int zero;
	const char *says; /* the forms, for the warning */
} rules[] = {
    {"AU", {"NNNN"}, 1, "4 digits"},
    {"CA", {"ANA NAN"}, 0, "A9A 9A9"},
    {"CN", {"NNNNNN"}, 1, "6 digits"},
    {"DE", {"NNNNN"}, 1, "5 digits"},
    {"ES", {"NNNNN"}, 1, "5 digits"},
    {"FR", {"NNNNN"}, 1, "5 digits"},
    {"GB", {"AN NAA", "ANN NAA", "ANA NAA", "AAN NAA", "AANN NAA", "AANA NAA"},
	0, "A9 9AA, A99 9AA, A9A 9AA, AA9 9AA, AA99 9AA or AA9A 9AA"},
    {"JP", {"NNN-NNNN"}, 1, "7 digits, 999-9999"},
    {"NL", {"NNNN AA"}, 0, "4 digits and 2 letters, 9999 AA"},
    {"US", {"NNNNN", "NNNNN-NNNN"}, 1, "5 digits, or ZIP+4 99999-9999"},
};

static const struct rule *
rule_of(const char *country)
{
	size_t i;

	for (i = 0; i < sizeof rules / sizeof rules[0]; i++)
		if (strcmp(rules[i].country, country) == 0)
			return &rules[i];
	return NULL;
}

static void __attribute__((format(printf, 3, 4)))
say(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (why == NULL || len == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
}

/* Copy s into out (len bytes): 0, or -1 when it does not fit. */
static int
put(const char *s, char *out, size_t len)
{
	size_t n = strlen(s);

	if (n >= len)
		return -1;
	memcpy(out, s, n + 1);
	return 0;
}

/*
 * Write compact (n bytes: digits and upper-case letters) into out in
 * form when it fits it.  Returns 0, or -1 when it does not fit.
 */
static int
shape(const char *form, const char *compact, size_t n, char *out, size_t len)
{
	size_t i = 0, k = 0;
	const char *f;

	for (f = form; *f != '\0'; f++) {
		if (k + 1 >= len)
			return -1;
		if (*f == ' ' || *f == '-') {
			out[k++] = *f;
			continue;
		}
		if (i == n)
			return -1;
		if (*f == 'N' ? compact[i] < '0' || compact[i] > '9'
			      : compact[i] < 'A' || compact[i] > 'Z')
			return -1;
		out[k++] = compact[i++];
	}
	if (i != n)
		return -1;
	out[k] = '\0';
	return 0;
}

static int
fits(const struct rule *r, const char *compact, size_t n, char *out, size_t len)
{
	size_t i;

	for (i = 0;
	     i < sizeof r->forms / sizeof r->forms[0] && r->forms[i] != NULL;
	     i++)
		if (shape(r->forms[i], compact, n, out, len) == 0)
			return 0;
	return -1;
}

int
postcode_check(const char *country, const char *raw, char *out, size_t len,
    char *why, size_t whylen)
{
	const struct rule *r;
	char compact[PC_MAX + 2], buf[PC_MAX * 2];
	size_t n = 0, digits = 0, seps = 0;
	const char *p;

	say(why, whylen, "%s", "");
	if (raw == NULL || country == NULL)
		return -1;
	if ((r = rule_of(country)) == NULL)
		return put(raw, out, len);
	/* Room for a zero in front, should one be missing. */
	compact[n++] = '0';
	for (p = raw; *p != '\0'; p++) {
		char c = *p;

		if (c == ' ' || c == '-') {
			seps++;
			continue;
		}
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (n == sizeof compact - 1)
			goto bad;
		digits += c >= '0' && c <= '9';
		compact[n++] = c;
	}
	compact[n] = '\0';
	if (fits(r, compact + 1, n - 1, buf, sizeof buf) == 0)
		return put(buf, out, len);
	/* A number to a spreadsheet: digits alone, no separator. */
	if (r->zero && n > 1 && digits == n - 1 && seps == 0 &&
	    fits(r, compact, n, buf, sizeof buf) == 0) {
		if (put(buf, out, len) == -1)
			return -1;
		say(why, whylen,
		    "a digit short: the leading zero a spreadsheet drops "
		    "is put back (postcodes of %s are %s)",
		    country, r->says);
		return 1;
	}
bad:
	say(why, whylen,
	    "not in the form of a postcode of %s (%s); kept as given", country,
	    r->says);
	return -1;
}
