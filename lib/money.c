#include <stdint.h>
#include <string.h>

#include "money.h"

/*
 * ISO 4217 list one as amended through amendment 180 (2026-01-01): every
 * current currency and fund code with a minor unit, sorted by code for
 * money_exponent()'s binary search.  Left out are the codes whose minor
 * unit is "N.A." (precious metals, bond market units, XDR, XSU, XUA, XTS,
 * XXX) and those moved to list three: HRK, SLL, ZWL, CUC, ANG and BGN.
 *
 * Debian's iso-codes ships ISO 4217 too, but without the minor units,
 * which are what this table is for, and an amount read with a guessed
 * exponent is wrong a hundredfold; its list in Debian 12 (4.15) is also
 * older than this one.  So the table stays, and tests/unit/test-money.c
 * holds it against iso-codes' list, where a code new there shows.
 */
/* clang-format off */
static const struct currency {
	char		code[4];
	signed char	exponent;
} currencies[] = {
	{ "AED", 2 }, { "AFN", 2 }, { "ALL", 2 }, { "AMD", 2 }, { "AOA", 2 },
	{ "ARS", 2 }, { "AUD", 2 }, { "AWG", 2 }, { "AZN", 2 }, { "BAM", 2 },
	{ "BBD", 2 }, { "BDT", 2 }, { "BHD", 3 }, { "BIF", 0 }, { "BMD", 2 },
	{ "BND", 2 }, { "BOB", 2 }, { "BOV", 2 }, { "BRL", 2 }, { "BSD", 2 },
	{ "BTN", 2 }, { "BWP", 2 }, { "BYN", 2 }, { "BZD", 2 }, { "CAD", 2 },
	{ "CDF", 2 }, { "CHE", 2 }, { "CHF", 2 }, { "CHW", 2 }, { "CLF", 4 },
	{ "CLP", 0 }, { "CNY", 2 }, { "COP", 2 }, { "COU", 2 }, { "CRC", 2 },
	{ "CUP", 2 }, { "CVE", 2 }, { "CZK", 2 }, { "DJF", 0 }, { "DKK", 2 },
	{ "DOP", 2 }, { "DZD", 2 }, { "EGP", 2 }, { "ERN", 2 }, { "ETB", 2 },
	{ "EUR", 2 }, { "FJD", 2 }, { "FKP", 2 }, { "GBP", 2 }, { "GEL", 2 },
	{ "GHS", 2 }, { "GIP", 2 }, { "GMD", 2 }, { "GNF", 0 }, { "GTQ", 2 },
	{ "GYD", 2 }, { "HKD", 2 }, { "HNL", 2 }, { "HTG", 2 }, { "HUF", 2 },
	{ "IDR", 2 }, { "ILS", 2 }, { "INR", 2 }, { "IQD", 3 }, { "IRR", 2 },
	{ "ISK", 0 }, { "JMD", 2 }, { "JOD", 3 }, { "JPY", 0 }, { "KES", 2 },
	{ "KGS", 2 }, { "KHR", 2 }, { "KMF", 0 }, { "KPW", 2 }, { "KRW", 0 },
	{ "KWD", 3 }, { "KYD", 2 }, { "KZT", 2 }, { "LAK", 2 }, { "LBP", 2 },
	{ "LKR", 2 }, { "LRD", 2 }, { "LSL", 2 }, { "LYD", 3 }, { "MAD", 2 },
	{ "MDL", 2 }, { "MGA", 2 }, { "MKD", 2 }, { "MMK", 2 }, { "MNT", 2 },
	{ "MOP", 2 }, { "MRU", 2 }, { "MUR", 2 }, { "MVR", 2 }, { "MWK", 2 },
	{ "MXN", 2 }, { "MXV", 2 }, { "MYR", 2 }, { "MZN", 2 }, { "NAD", 2 },
	{ "NGN", 2 }, { "NIO", 2 }, { "NOK", 2 }, { "NPR", 2 }, { "NZD", 2 },
	{ "OMR", 3 }, { "PAB", 2 }, { "PEN", 2 }, { "PGK", 2 }, { "PHP", 2 },
	{ "PKR", 2 }, { "PLN", 2 }, { "PYG", 0 }, { "QAR", 2 }, { "RON", 2 },
	{ "RSD", 2 }, { "RUB", 2 }, { "RWF", 0 }, { "SAR", 2 }, { "SBD", 2 },
	{ "SCR", 2 }, { "SDG", 2 }, { "SEK", 2 }, { "SGD", 2 }, { "SHP", 2 },
	{ "SLE", 2 }, { "SOS", 2 }, { "SRD", 2 }, { "SSP", 2 }, { "STN", 2 },
	{ "SVC", 2 }, { "SYP", 2 }, { "SZL", 2 }, { "THB", 2 }, { "TJS", 2 },
	{ "TMT", 2 }, { "TND", 3 }, { "TOP", 2 }, { "TRY", 2 }, { "TTD", 2 },
	{ "TWD", 2 }, { "TZS", 2 }, { "UAH", 2 }, { "UGX", 0 }, { "USD", 2 },
	{ "USN", 2 }, { "UYI", 0 }, { "UYU", 2 }, { "UYW", 4 }, { "UZS", 2 },
	{ "VED", 2 }, { "VES", 2 }, { "VND", 0 }, { "VUV", 0 }, { "WST", 2 },
	{ "XAD", 2 }, { "XAF", 0 }, { "XCD", 2 }, { "XCG", 2 }, { "XOF", 0 },
	{ "XPF", 0 }, { "YER", 2 }, { "ZAR", 2 }, { "ZMW", 2 }, { "ZWG", 2 },
};
/* clang-format on */

#define NCURRENCIES (sizeof currencies / sizeof currencies[0])

/* The largest magnitudes a positive and a negative int64_t can have. */
#define MAG_POS ((uint64_t)INT64_MAX)
#define MAG_NEG ((uint64_t)INT64_MAX + 1)

static const char e_syntax[] = "not a decimal number";
static const char e_decimals[] = "more decimals than the currency allows";
static const char e_range[] = "amount out of range";
static const char e_plain[] = "digit grouping not allowed (see number_format)";
static const char e_group[] = "bad digit grouping";
static const char e_exponent[] = "currency exponent out of range";

int
money_style_parse(const char *name, enum money_style *out)
{
	static const struct {
		const char *name;
		enum money_style style;
	} styles[] = {
	    {"plain", MONEY_PLAIN},
	    {"en", MONEY_EN},
	    {"eu", MONEY_EU},
	    {"sp", MONEY_SP},
	    {"ch", MONEY_CH},
	};
	size_t i;

	if (name == NULL)
		return -1;
	for (i = 0; i < sizeof styles / sizeof styles[0]; i++)
		if (strcmp(name, styles[i].name) == 0) {
			*out = styles[i].style;
			return 0;
		}
	return -1;
}

int
money_exponent(const char *code)
{
	size_t lo = 0, hi = NCURRENCIES, mid;
	int cmp, i;

	if (code == NULL)
		return -1;
	for (i = 0; i < 3; i++)
		if (code[i] < 'A' || code[i] > 'Z')
			return -1;
	if (code[3] != '\0')
		return -1;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		cmp = memcmp(code, currencies[mid].code, 3);
		if (cmp == 0)
			return currencies[mid].exponent;
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

static int
is_space(int c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/*
 * The length in bytes of a thousands separator of the given style at p, or
 * 0 if there is none.  A plain space counts only when a digit follows it,
 * since otherwise it is the white space that may end the text.
 */
static size_t
sep_len(const char *p, enum money_style style)
{
	const unsigned char *u = (const unsigned char *)p;

	switch (style) {
	case MONEY_EN:
		return u[0] == ',';
	case MONEY_EU:
		return u[0] == '.';
	case MONEY_SP:
		if (u[0] == ' ')
			return is_digit(u[1]);
		if (u[0] == 0xc2 && u[1] == 0xa0)
			return 2;
		if (u[0] == 0xe2 && u[1] == 0x80 && u[2] == 0xaf)
			return 3;
		return 0;
	case MONEY_CH:
		if (u[0] == '\'')
			return 1;
		if (u[0] == 0xe2 && u[1] == 0x80 && u[2] == 0x99)
			return 3;
		return 0;
	default:
		return 0;
	}
}

/*
 * Whether p holds what some other style would take for a thousands
 * separator (or, for ',', a decimal point).  Plain text must not: such an
 * amount was most likely written for a number_format other than the one
 * configured, and saying so is more use than "not a decimal number".
 */
static int
foreign_sep(const char *p)
{
	return sep_len(p, MONEY_EN) != 0 || sep_len(p, MONEY_SP) != 0 ||
	       sep_len(p, MONEY_CH) != 0;
}

/*
 * Append digit d to the magnitude *mag, or return -1, leaving *mag as it
 * was, if the result would pass limit.
 */
static int
push_digit(uint64_t *mag, uint64_t limit, unsigned int d)
{
	if (*mag > (limit - d) / 10)
		return -1;
	*mag = *mag * 10 + d;
	return 0;
}

static int
fail(const char **why, const char *msg)
{
	if (why != NULL)
		*why = msg;
	return -1;
}

/*
 * One pass over the text.  Errors of form return at once; an amount that
 * is well formed but too large or too precise is only noted in pending, so
 * that "12.345abc" is reported as not a number rather than as having too
 * many decimals.
 */
int
money_parse(const char *text, int exponent, enum money_style style,
    int64_t *out, const char **why)
{
	const char *p = text, *sep = NULL, *pending = NULL;
	uint64_t mag = 0, limit;
	size_t n, seplen = 0;
	int neg = 0, group = 0, ngroups = 0, nfrac = 0;
	char point;

	if (exponent < 0 || exponent > MONEY_EXPONENT_MAX)
		return fail(why, e_exponent);
	if (p == NULL)
		return fail(why, e_syntax);
	point = style == MONEY_EU || style == MONEY_SP ? ',' : '.';

	while (is_space(*p))
		p++;
	if (*p == '-') {
		neg = 1;
		p++;
	}
	limit = neg ? MAG_NEG : MAG_POS;
	if (!is_digit(*p))
		return fail(why, e_syntax);

	/* The whole part, checking the grouping as it goes. */
	for (;;) {
		if (is_digit(*p)) {
			if (pending == NULL &&
			    push_digit(&mag, limit, *p - '0') == -1)
				pending = e_range;
			/* Four tells as much as more, and cannot overflow. */
			if (group <= 3)
				group++;
			p++;
			continue;
		}
		if (style == MONEY_PLAIN || (n = sep_len(p, style)) == 0)
			break;
		if (ngroups == 0 ? group > 3 : group != 3)
			return fail(why, e_group);
		if (sep != NULL && (n != seplen || memcmp(p, sep, n) != 0))
			return fail(why, e_group);
		if (!is_digit(p[n]))
			return fail(why, e_group);
		sep = p;
		seplen = n;
		ngroups++;
		group = 0;
		p += n;
	}
	if (ngroups > 0 && group != 3)
		return fail(why, e_group);

	if (*p == point) {
		p++;
		if (!is_digit(*p))
			return fail(why, e_syntax);
		for (; is_digit(*p); p++) {
			if (nfrac < exponent) {
				nfrac++;
				if (pending == NULL &&
				    push_digit(&mag, limit, *p - '0') == -1)
					pending = e_range;
			} else if (*p != '0' && pending == NULL)
				pending = e_decimals;
		}
	}
	for (; nfrac < exponent; nfrac++)
		if (pending == NULL && push_digit(&mag, limit, 0) == -1)
			pending = e_range;

	if (style == MONEY_PLAIN ? foreign_sep(p) : sep_len(p, style) != 0)
		return fail(why, style == MONEY_PLAIN ? e_plain : e_group);
	while (is_space(*p))
		p++;
	if (*p != '\0')
		return fail(why, e_syntax);
	if (pending != NULL)
		return fail(why, pending);

	if (!neg)
		*out = (int64_t)mag;
	else if (mag == MAG_NEG)
		*out = INT64_MIN;
	else
		*out = -(int64_t)mag;
	return 0;
}

int
money_format(int64_t minor, int exponent, char *buf, size_t n)
{
	char tmp[MONEY_FORMAT_MAX], *p = tmp + sizeof tmp;
	uint64_t mag;
	size_t len, k;
	int i;

	if (exponent < 0 || exponent > MONEY_EXPONENT_MAX) {
		if (n > 0)
			buf[0] = '\0';
		return -1;
	}
	/* Negate in unsigned arithmetic, where INT64_MIN has a magnitude. */
	mag = minor < 0 ? (uint64_t)0 - (uint64_t)minor : (uint64_t)minor;
	for (i = 0; i < exponent; i++) {
		*--p = '0' + mag % 10;
		mag /= 10;
	}
	if (exponent > 0)
		*--p = '.';
	do {
		*--p = '0' + mag % 10;
		mag /= 10;
	} while (mag != 0);
	if (minor < 0)
		*--p = '-';

	len = tmp + sizeof tmp - p;
	if (n > 0) {
		k = len < n ? len : n - 1;
		memcpy(buf, p, k);
		buf[k] = '\0';
	}
	return (int)len;
}
