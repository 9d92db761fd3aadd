#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "money.h"
#include "tap.h"

/* The separators of MONEY_SP and MONEY_CH beyond ASCII, in UTF-8. */
#define NBSP "\xc2\xa0"
#define NNBSP "\xe2\x80\xaf"
#define RSQUO "\xe2\x80\x99"

static const char syntax[] = "not a decimal number";
static const char decimals[] = "more decimals than the currency allows";
static const char range[] = "amount out of range";
static const char plain[] = "digit grouping not allowed (see number_format)";
static const char group[] = "bad digit grouping";

static const char *const style_names[] = {"plain", "en", "eu", "sp", "ch"};

/*
 * A printable copy of text for a test's name: control bytes would break
 * the TAP line, and separators such as U+00A0 are easier to tell apart
 * as escapes.  The copy is in a static buffer, good until the next call.
 */
static const char *
show(const char *text)
{
	static char buf[256];
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)text;
	size_t i = 0;

	if (text == NULL)
		return "(null)";
	for (; *u != '\0' && i + 5 < sizeof buf; u++) {
		if (*u >= 0x20 && *u < 0x7f) {
			buf[i++] = *u;
			continue;
		}
		buf[i++] = '\\';
		buf[i++] = 'x';
		buf[i++] = hex[*u >> 4];
		buf[i++] = hex[*u & 0xf];
	}
	buf[i] = '\0';
	return buf;
}

static void
parse_ok(const char *text, int exponent, enum money_style style, int64_t want)
{
	int64_t got = -1;
	const char *why = NULL;

	if (money_parse(text, exponent, style, &got, &why) != 0) {
		ok(0, "parse '%s' (exponent %d, %s)", show(text), exponent,
		    style_names[style]);
		printf("#   failed: %s\n", why != NULL ? why : "(no reason)");
		return;
	}
	is_int(got, want, "parse '%s' (exponent %d, %s)", show(text), exponent,
	    style_names[style]);
}

static void
parse_bad(const char *text, int exponent, enum money_style st, const char *msg)
{
	int64_t got = 12345;
	const char *why = NULL;

	if (money_parse(text, exponent, st, &got, &why) == 0) {
		ok(0, "reject '%s' (exponent %d, %s)", show(text), exponent,
		    style_names[st]);
		printf("#   parsed as %lld\n", (long long)got);
		return;
	}
	if (got != 12345) {
		ok(0, "reject '%s' (exponent %d, %s) leaves *out alone",
		    show(text), exponent, style_names[st]);
		return;
	}
	is_str(why, msg, "reject '%s' (exponent %d, %s)", show(text), exponent,
	    style_names[st]);
}

static void
format_is(int64_t minor, int exponent, const char *want)
{
	char buf[MONEY_FORMAT_MAX];
	int len;

	len = money_format(minor, exponent, buf, sizeof buf);
	is_str(buf, want, "format %lld with exponent %d", (long long)minor,
	    exponent);
	is_int(len, (long long)strlen(want), "length of %lld at exponent %d",
	    (long long)minor, exponent);
}

/* Format an amount, parse the text back and expect the same amount. */
static void
round_trip(int64_t minor, int exponent)
{
	char buf[MONEY_FORMAT_MAX];
	int64_t back = 0;
	const char *why = NULL;
	int rc;

	money_format(minor, exponent, buf, sizeof buf);
	rc = money_parse(buf, exponent, MONEY_PLAIN, &back, &why);
	ok(rc == 0 && back == minor, "round trip %lld at exponent %d as '%s'",
	    (long long)minor, exponent, buf);
}

static void
test_exponents(void)
{
	char code[4];
	int a, b, c, known = 0;

	is_int(money_exponent("CNY"), 2, "CNY has 2 decimals");
	is_int(money_exponent("USD"), 2, "USD has 2 decimals");
	is_int(money_exponent("EUR"), 2, "EUR has 2 decimals");
	is_int(money_exponent("JPY"), 0, "JPY has no decimals");
	is_int(money_exponent("KRW"), 0, "KRW has no decimals");
	is_int(money_exponent("XOF"), 0, "XOF has no decimals");
	is_int(money_exponent("KWD"), 3, "KWD has 3 decimals");
	is_int(money_exponent("BHD"), 3, "BHD has 3 decimals");
	is_int(money_exponent("CLF"), 4, "CLF has 4 decimals");
	is_int(money_exponent("UYW"), 4, "UYW has 4 decimals");
	is_int(money_exponent("AED"), 2, "AED, first in the table");
	is_int(money_exponent("ZWG"), 2, "ZWG, last in the table");
	is_int(money_exponent("XCG"), 2, "XCG, the Caribbean guilder");
	is_int(money_exponent("cny"), -1, "lower case is not a code");
	is_int(money_exponent("XAU"), -1, "gold has no minor unit");
	is_int(money_exponent("XXX"), -1, "no currency has no minor unit");
	is_int(money_exponent("ZZZ"), -1, "ZZZ is no currency");
	is_int(money_exponent("HRK"), -1, "HRK is withdrawn");
	is_int(money_exponent("BGN"), -1, "BGN is withdrawn");
	is_int(money_exponent(""), -1, "empty code");
	is_int(money_exponent("USDX"), -1, "four letters");
	is_int(money_exponent("US"), -1, "two letters");
	is_int(money_exponent(NULL), -1, "NULL code");

	/*
	 * A binary search of a table out of order misses codes: try all
	 * 17,576 three-letter codes and count those found.
	 */
	code[3] = '\0';
	for (a = 'A'; a <= 'Z'; a++)
		for (b = 'A'; b <= 'Z'; b++)
			for (c = 'A'; c <= 'Z'; c++) {
				code[0] = a;
				code[1] = b;
				code[2] = c;
				if (money_exponent(code) >= 0)
					known++;
			}
	is_int(known, 165, "165 currencies found among all codes");
}

/*
 * lib/money.c keeps its own ISO 4217 table because iso-codes' has no
 * minor units; here the two lists are held against each other, so that
 * a code iso-codes gains and the table lacks shows.  Every code of
 * iso-codes is in the table, unless it is withdrawn since Debian 12's
 * iso-codes 4.15 or has no minor unit; every code of the table is in
 * iso-codes, unless it is newer than 4.15.
 */
static void
test_iso_codes(void)
{
	static const char withdrawn[] = "ANG BGN CUC HRK SLL ZWL";
	static const char no_minor[] =
	    "XAG XAU XBA XBB XBC XBD XDR XPD XPT XSU XTS XUA XXX";
	static const char newer[] = "XAD XCG ZWG";
	const char *dir = getenv("FULFIL_ISO_CODES"), *code;
	char path[4096], all[4096] = " ";
	json_t *root, *c;
	size_t i;
	int missing = 0, extra = 0, a, b, d;
	char k[4] = "";

	snprintf(path, sizeof path, "%s/iso-codes/json/iso_4217.json",
	    dir != NULL && *dir != '\0' ? dir : ISO_CODES_DIR);
	if (!ok((root = json_load_file(path, 0, NULL)) != NULL,
		"iso-codes' ISO 4217 file reads"))
		return;
	json_array_foreach(json_object_get(root, "4217"), i, c)
	{
		code = json_string_value(json_object_get(c, "alpha_3"));
		if (code == NULL || strlen(code) != 3)
			continue;
		strcat(all, code);
		strcat(all, " ");
		if (money_exponent(code) < 0 &&
		    strstr(withdrawn, code) == NULL &&
		    strstr(no_minor, code) == NULL) {
			missing++;
			printf("# %s is in iso-codes, not in money.c\n", code);
		}
	}
	json_decref(root);
	for (a = 'A'; a <= 'Z'; a++)
		for (b = 'A'; b <= 'Z'; b++)
			for (d = 'A'; d <= 'Z'; d++) {
				char spaced[6];

				k[0] = (char)a;
				k[1] = (char)b;
				k[2] = (char)d;
				snprintf(spaced, sizeof spaced, " %s ", k);
				if (money_exponent(k) >= 0 &&
				    strstr(all, spaced) == NULL &&
				    strstr(newer, k) == NULL) {
					extra++;
					printf("# %s is in money.c, not in "
					       "iso-codes\n",
					    k);
				}
			}
	is_int(missing, 0, "every current code of iso-codes has its exponent");
	is_int(extra, 0, "every code of the table is in iso-codes or newer");
}

static void
test_styles(void)
{
	enum money_style st = MONEY_PLAIN;

	ok(money_style_parse("plain", &st) == 0 && st == MONEY_PLAIN,
	    "style plain");
	ok(money_style_parse("en", &st) == 0 && st == MONEY_EN, "style en");
	ok(money_style_parse("eu", &st) == 0 && st == MONEY_EU, "style eu");
	ok(money_style_parse("sp", &st) == 0 && st == MONEY_SP, "style sp");
	ok(money_style_parse("ch", &st) == 0 && st == MONEY_CH, "style ch");
	is_int(money_style_parse("EN", &st), -1, "style names are lower case");
	is_int(money_style_parse("us", &st), -1, "unknown style");
	is_int(money_style_parse("", &st), -1, "empty style");
}

static void
test_decimals(void)
{
	parse_ok("72.00", 2, MONEY_PLAIN, 7200);
	parse_ok("72", 2, MONEY_PLAIN, 7200);
	parse_ok("72.5", 2, MONEY_PLAIN, 7250);
	parse_ok("72.000", 2, MONEY_PLAIN, 7200);
	parse_ok("0.05", 2, MONEY_PLAIN, 5);
	parse_ok("-0.05", 2, MONEY_PLAIN, -5);
	parse_ok("-0", 2, MONEY_PLAIN, 0);
	parse_ok("007.10", 2, MONEY_PLAIN, 710);
	parse_ok(" \t72.00\r\n", 2, MONEY_PLAIN, 7200);
	parse_ok("1200.00", 0, MONEY_PLAIN, 1200);
	parse_ok("1200", 0, MONEY_PLAIN, 1200);
	parse_ok("1.234", 3, MONEY_PLAIN, 1234);
	parse_ok("1.5", 4, MONEY_PLAIN, 15000);
	parse_bad("72.005", 2, MONEY_PLAIN, decimals);
	parse_bad("1200.50", 0, MONEY_PLAIN, decimals);
	parse_bad("12.345abc", 2, MONEY_PLAIN, syntax);
	parse_bad("", 2, MONEY_PLAIN, syntax);
	parse_bad("   ", 2, MONEY_PLAIN, syntax);
	parse_bad(NULL, 2, MONEY_PLAIN, syntax);
	parse_bad("-", 2, MONEY_PLAIN, syntax);
	parse_bad("- 5", 2, MONEY_PLAIN, syntax);
	parse_bad("--5", 2, MONEY_PLAIN, syntax);
	parse_bad("72.", 2, MONEY_PLAIN, syntax);
	parse_bad(".50", 2, MONEY_PLAIN, syntax);
	parse_bad("+72", 2, MONEY_PLAIN, syntax);
	parse_bad("$72", 2, MONEY_PLAIN, syntax);
	parse_bad("72 USD", 2, MONEY_PLAIN, syntax);
	parse_bad("abc", 2, MONEY_PLAIN, syntax);
	parse_bad("1e3", 2, MONEY_PLAIN, syntax);
	parse_bad("1.5e3", 2, MONEY_PLAIN, syntax);
	parse_bad("1.2.3", 2, MONEY_PLAIN, syntax);
	parse_bad("0x10", 2, MONEY_PLAIN, syntax);
	parse_bad("72.00", -1, MONEY_PLAIN, "currency exponent out of range");
	parse_bad("72.00", 19, MONEY_PLAIN, "currency exponent out of range");
	parse_ok("9.223372036854775807", 18, MONEY_PLAIN, INT64_MAX);
}

static void
test_range(void)
{
	parse_ok("9223372036854775807", 0, MONEY_PLAIN, INT64_MAX);
	parse_ok("-9223372036854775808", 0, MONEY_PLAIN, INT64_MIN);
	parse_ok("92233720368547758.07", 2, MONEY_PLAIN, INT64_MAX);
	parse_ok("-92233720368547758.08", 2, MONEY_PLAIN, INT64_MIN);
	parse_ok("000000000000000000000000001", 0, MONEY_PLAIN, 1);
	parse_bad("9223372036854775808", 0, MONEY_PLAIN, range);
	parse_bad("-9223372036854775809", 0, MONEY_PLAIN, range);
	parse_bad("92233720368547758.08", 2, MONEY_PLAIN, range);
	parse_bad("92233720368547758", 3, MONEY_PLAIN, range);
	parse_bad("99999999999999999999999", 0, MONEY_PLAIN, range);
	parse_bad("9,223,372,036,854,775,808", 0, MONEY_EN, range);
}

static void
test_grouping(void)
{
	/* Plain takes no grouping, whatever the separator. */
	parse_ok("1234.50", 2, MONEY_PLAIN, 123450);
	parse_bad("1,234.50", 2, MONEY_PLAIN, plain);
	parse_bad("1 234.50", 2, MONEY_PLAIN, plain);
	parse_bad("1'234.50", 2, MONEY_PLAIN, plain);
	parse_bad("72,50", 2, MONEY_PLAIN, plain);
	parse_bad("1.234,50", 2, MONEY_PLAIN, plain);
	parse_ok("72.50 ", 2, MONEY_PLAIN, 7250);

	parse_ok("1,234.50", 2, MONEY_EN, 123450);
	parse_ok("1234.50", 2, MONEY_EN, 123450);
	parse_ok("12,345,678", 2, MONEY_EN, 1234567800);
	parse_ok("-1,000", 0, MONEY_EN, -1000);
	parse_ok("999", 2, MONEY_EN, 99900);
	parse_bad("1,23.50", 2, MONEY_EN, group);
	parse_bad("1234,567", 2, MONEY_EN, group);
	parse_bad("1,2345", 2, MONEY_EN, group);
	parse_bad("1,,234", 2, MONEY_EN, group);
	parse_bad("1,234,", 2, MONEY_EN, group);
	parse_bad("1,234.5,0", 2, MONEY_EN, group);
	parse_bad("1.234,50", 2, MONEY_EN, group);
	parse_bad(",234", 2, MONEY_EN, syntax);

	parse_ok("1.234,50", 2, MONEY_EU, 123450);
	parse_ok("1234,50", 2, MONEY_EU, 123450);
	parse_ok("1.234.567", 0, MONEY_EU, 1234567);
	parse_ok("0,5", 2, MONEY_EU, 50);
	parse_bad("1.5", 2, MONEY_EU, group);
	parse_bad("1,234.50", 2, MONEY_EU, group);
	parse_bad("1.234,", 2, MONEY_EU, syntax);
	parse_bad("1.234,505", 2, MONEY_EU, decimals);

	parse_ok("1 234,50", 2, MONEY_SP, 123450);
	parse_ok("1" NBSP "234,50", 2, MONEY_SP, 123450);
	parse_ok("1" NNBSP "234" NNBSP "567", 0, MONEY_SP, 1234567);
	parse_ok("1234,50", 2, MONEY_SP, 123450);
	parse_ok(" 1 234,50 ", 2, MONEY_SP, 123450);
	parse_bad("1 23,50", 2, MONEY_SP, group);
	parse_bad("1  234", 2, MONEY_SP, syntax);
	parse_bad("1 234" NBSP "567", 0, MONEY_SP, group);
	parse_bad("1" NBSP, 0, MONEY_SP, group);
	parse_bad("1 234.50", 2, MONEY_SP, syntax);

	parse_ok("1'234.50", 2, MONEY_CH, 123450);
	parse_ok("1" RSQUO "234.50", 2, MONEY_CH, 123450);
	parse_ok("12'345'678.9", 1, MONEY_CH, 123456789);
	parse_ok("1234.50", 2, MONEY_CH, 123450);
	parse_bad("1'2345.50", 2, MONEY_CH, group);
	parse_bad("1'234" RSQUO "567", 0, MONEY_CH, group);
	parse_bad("1,234.50", 2, MONEY_CH, syntax);
}

static void
test_format(void)
{
	char buf[8];
	int e, i;
	static const int64_t amounts[] = {0, 1, -1, 5, -5, 99, 100, 7200, -7200,
	    123456789, INT64_MAX, INT64_MIN, INT64_MIN + 1, INT64_MAX - 1};

	format_is(7200, 2, "72.00");
	format_is(-5, 2, "-0.05");
	format_is(1200, 0, "1200");
	format_is(1234, 3, "1.234");
	format_is(0, 2, "0.00");
	format_is(0, 0, "0");
	format_is(5, 4, "0.0005");
	format_is(INT64_MAX, 0, "9223372036854775807");
	format_is(INT64_MIN, 0, "-9223372036854775808");
	format_is(INT64_MIN, 2, "-92233720368547758.08");
	format_is(INT64_MIN, 18, "-9.223372036854775808");
	format_is(-1, 18, "-0.000000000000000001");

	for (i = 0; i < (int)(sizeof amounts / sizeof amounts[0]); i++)
		for (e = 0; e <= MONEY_EXPONENT_MAX; e += 2)
			round_trip(amounts[i], e);
	round_trip(INT64_MIN, 3);
	round_trip(INT64_MAX, 4);

	is_int(money_format(-123456789, 2, buf, sizeof buf), 11,
	    "truncated format returns the full length");
	is_str(buf, "-123456", "truncated format keeps what fits");
	is_int(money_format(7200, 2, buf, 5), 5, "buffer one byte short");
	is_str(buf, "72.0", "which holds all but the last byte");
	is_int(money_format(7200, 2, buf, 6), 5, "buffer that just fits");
	is_str(buf, "72.00", "which holds it all");
	is_int(money_format(7200, 2, NULL, 0), 5, "no buffer: measure only");
	is_int(money_format(7200, 19, buf, sizeof buf), -1,
	    "format rejects exponent 19");
	is_str(buf, "", "and leaves the buffer empty");
}

int
main(void)
{
	test_exponents();
	test_iso_codes();
	test_styles();
	test_decimals();
	test_range();
	test_grouping();
	test_format();
	return done_testing();
}
