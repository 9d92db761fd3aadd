#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "sms.h"
#include "tap.h"

#define HAN "\xe4\xb8\xad"        /* U+4E2D, three bytes, one unit */
#define EURO "\xe2\x82\xac"       /* U+20AC, GSM extension table */
#define PARCEL "\xf0\x9f\x93\xa6" /* U+1F4E6, outside the BMP */
#define CUT "\344\270abc"         /* a character cut short */

/* Write n copies of the u bytes of unit at p; returns the end. */
static char *
fill(char *p, const char *unit, size_t u, size_t n)
{
	for (; n > 0; n--, p += u)
		memcpy(p, unit, u);
	return p;
}

/* n copies of unit, then mid, then m copies of unit; the caller frees. */
static char *
rep(const char *unit, size_t n, const char *mid, size_t m)
{
	size_t u = strlen(unit), k = strlen(mid);
	char *s = xmalloc(u * (n + m) + k + 1), *p;

	p = fill(s, unit, u, n);
	memcpy(p, mid, k);
	p = fill(p + k, unit, u, m);
	*p = '\0';
	return s;
}

static void
count_is(const char *s, int ucs2, size_t units, int segments, const char *name)
{
	struct sms_count c = {-1, 0, -1};

	if (sms_count(s, &c) != 0) {
		ok(0, "%s", name);
		printf("#   sms_count failed\n");
		return;
	}
	ok(c.ucs2 == ucs2 && c.units == units && c.segments == segments, "%s",
	    name);
	if (c.ucs2 != ucs2 || c.units != units || c.segments != segments)
		printf("#   got ucs2 %d, %zu units, %d segments; "
		       "want %d, %zu, %d\n",
		    c.ucs2, c.units, c.segments, ucs2, units, segments);
}

/* Like count_is, for rep(unit, n, mid, m). */
static void
rep_is(const char *unit, size_t n, const char *mid, size_t m, int ucs2,
    size_t units, int segments, const char *name)
{
	char *s = rep(unit, n, mid, m);

	count_is(s, ucs2, units, segments, name);
	free(s);
}

static void
test_gsm(void)
{
	count_is("", 0, 0, 1, "empty text is one segment");
	count_is("Your order has shipped", 0, 22, 1, "plain ASCII");
	rep_is("a", 160, "", 0, 0, 160, 1, "160 'a' is 1 segment");
	rep_is("a", 161, "", 0, 0, 161, 2, "161 'a' is 2 segments");
	rep_is("a", 306, "", 0, 0, 306, 2, "306 'a' is 2 segments");
	rep_is("a", 307, "", 0, 0, 307, 3, "307 'a' is 3 segments");
	rep_is("a", 459, "", 0, 0, 459, 3, "459 'a' is 3 segments");
	rep_is("a", 460, "", 0, 0, 460, 4, "460 'a' is 4 segments");
	count_is(EURO, 0, 2, 1, "euro sign counts 2 septets");
	count_is("^{}\\[~]|\f", 0, 18, 1, "extension table counts 2 each");
	count_is("@$_\n\r", 0, 5, 1, "@ $ _ LF CR are basic");
	count_is("\xc2\xa3\xc2\xa5\xc3\xa8\xc3\xa9\xc3\xb9\xc3\xac\xc3\xb2"
		 "\xc3\x87\xc3\x98\xc3\xb8\xc3\x85\xc3\xa5",
	    0, 12, 1,
	    "\xc2\xa3\xc2\xa5\xc3\xa8\xc3\xa9\xc3\xb9\xc3\xac\xc3\xb2"
	    "\xc3\x87\xc3\x98\xc3\xb8\xc3\x85\xc3\xa5 are basic");
	count_is("\xce\x94\xce\xa6\xce\x93\xce\x9b\xce\xa9\xce\xa0\xce\xa8"
		 "\xce\xa3\xce\x98\xce\x9e",
	    0, 10, 1, "the Greek capitals of the table are basic");
	count_is("\xc3\x86\xc3\xa6\xc3\x9f\xc3\x89\xc3\x84\xc3\x96\xc3\x91"
		 "\xc3\x9c\xc2\xa7\xc2\xbf\xc3\xa4\xc3\xb6\xc3\xb1\xc3\xbc"
		 "\xc3\xa0\xc2\xa1\xc2\xa4",
	    0, 17, 1, "the other Latin letters and signs are basic");
	rep_is(EURO, 80, "", 0, 0, 160, 1, "80 euro signs fill one message");
	rep_is(EURO, 81, "", 0, 0, 162, 2, "81 euro signs need two");
}

/*
 * At the 153 boundary an escape pair moves whole to the next part, so
 * that a text can need one part more than its septets divided by 153.
 */
static void
test_gsm_boundary(void)
{
	rep_is("a", 151, EURO, 7, 0, 160, 1,
	    "160 septets with a pair inside is 1 segment");
	rep_is("a", 151, EURO, 8, 0, 161, 2,
	    "a pair that ends part one exactly: 153 + 8");
	rep_is("a", 152, EURO, 7, 0, 161, 2,
	    "escape pair at 153 starts part two: 152 + 9");
	/* 152 + 2 + 152 = 306 septets, yet the pair cannot fit 152 + 1. */
	rep_is("a", 152, EURO, 152, 0, 306, 3,
	    "escape pair at septet 153 is not split: 306 septets, 3 segments");
}

static void
test_ucs2(void)
{
	rep_is(HAN, 70, "", 0, 1, 70, 1, "70 Chinese characters is 1 segment");
	rep_is(HAN, 71, "", 0, 1, 71, 2, "71 Chinese characters is 2 segments");
	rep_is(HAN, 134, "", 0, 1, 134, 2, "134 is 2 segments");
	rep_is(HAN, 135, "", 0, 1, 135, 3, "135 is 3 segments");
	count_is(PARCEL, 1, 2, 1, "emoji outside the BMP counts 2 units");
	rep_is("a", 159, PARCEL, 0, 1, 161, 3,
	    "one emoji makes the whole text UCS-2");
	rep_is("a", 68, PARCEL, 0, 1, 70, 1, "68 + surrogate pair fits 70");
	rep_is("a", 69, PARCEL, 0, 1, 71, 2, "69 + surrogate pair does not");
	/* 66 + 2 + 66 = 134 units, yet the pair cannot fit 66 + 1. */
	rep_is("a", 66, PARCEL, 66, 1, 134, 3,
	    "surrogate pair at unit 67 is not split: 134 units, 3 segments");
	count_is("`", 1, 1, 1, "backtick is not GSM");
	count_is("a\tb", 1, 3, 1, "TAB is not GSM");
	count_is("\xc3\xa7", 1, 1, 1, "small c cedilla is not GSM");
	count_is(EURO "\xc3\xa7", 1, 2, 1, "euro counts 1 unit in UCS-2");
}

static void
test_invalid(void)
{
	struct sms_count c = {7, 7, 7};

	is_int(sms_count(CUT, &c), -1, "invalid UTF-8 returns -1");
	ok(c.ucs2 == 7 && c.units == 7 && c.segments == 7,
	    "and leaves the count alone");
	is_int(sms_count("\xed\xa0\x80", &c), -1, "surrogate returns -1");
	is_int(sms_count("\xc0\xaf", &c), -1, "overlong form returns -1");
	is_int(sms_count("ok\xff", &c), -1, "byte FF returns -1");
	is_int(sms_count(NULL, &c), -1, "NULL returns -1");
}

/*
 * The whole alphabet: of all BMP characters, 127 take one septet (the
 * basic table but ESC) and 10 take two (the extension table).
 */
static void
test_alphabet(void)
{
	struct sms_count c;
	char buf[4];
	uint32_t cp;
	int one = 0, two = 0;

	for (cp = 1; cp <= 0xffff; cp++) {
		if (cp >= 0xd800 && cp <= 0xdfff)
			continue;
		if (cp < 0x80) {
			buf[0] = (char)cp;
			buf[1] = '\0';
		} else if (cp < 0x800) {
			buf[0] = (char)(0xc0 | cp >> 6);
			buf[1] = (char)(0x80 | (cp & 0x3f));
			buf[2] = '\0';
		} else {
			buf[0] = (char)(0xe0 | cp >> 12);
			buf[1] = (char)(0x80 | (cp >> 6 & 0x3f));
			buf[2] = (char)(0x80 | (cp & 0x3f));
			buf[3] = '\0';
		}
		if (sms_count(buf, &c) != 0 || c.ucs2)
			continue;
		if (c.units == 1)
			one++;
		else if (c.units == 2)
			two++;
	}
	is_int(one, 127, "127 characters in the basic table");
	is_int(two, 10, "10 characters in the extension table");
}

int
main(void)
{
	test_gsm();
	test_gsm_boundary();
	test_ucs2();
	test_invalid();
	test_alphabet();
	return done_testing();
}
