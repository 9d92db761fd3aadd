#include <stdio.h>
#include <string.h>

#include "country.h"
#include "tap.h"

#define UNTOUCHED "untouched"

/*
 * One TAP line per number: want is the E.164 form, or NULL when the
 * number must be refused with out left as it was.
 */
static void
phone_is(const char *raw, const char *country, const char *want)
{
	char out[COUNTRY_E164_MAX];
	const char *got;

	strcpy(out, UNTOUCHED);
	if (phone_e164(raw, country, out, sizeof out) == 0)
		got = out;
	else if (strcmp(out, UNTOUCHED) == 0)
		got = NULL;
	else
		got = "(out changed on failure)";
	is_str(got, want, "phone '%s' for %s", raw != NULL ? raw : "(null)",
	    country != NULL ? country : "(null)");
}

static void
test_valid(void)
{
	static const char *const yes[] = {"CN", "US", "GB", "DE", "JP", "FR",
	    "AX", "SS", "AD", "ZW", "BQ", "CW", "SX", "VA"};
	static const char *const no[] = {"XK", "cn", "Cn", "", "C", "CHN", "UK",
	    "EU", "AA", "ZZ", "C1", "@A", "Z["};
	size_t i;

	for (i = 0; i < sizeof yes / sizeof yes[0]; i++)
		is_int(country_valid(yes[i]), 1, "'%s' is assigned", yes[i]);
	for (i = 0; i < sizeof no / sizeof no[0]; i++)
		is_int(country_valid(no[i]), 0, "'%s' is not", no[i]);
	is_int(country_valid(NULL), 0, "NULL is not a country");
}

static void
test_calling_code(void)
{
	is_str(country_calling_code("CN"), "86", "CN calls 86");
	is_str(country_calling_code("US"), "1", "US calls 1");
	is_str(country_calling_code("CA"), "1", "CA shares 1");
	is_str(country_calling_code("JM"), "1", "JM shares 1");
	is_str(country_calling_code("GB"), "44", "GB calls 44");
	is_str(country_calling_code("GG"), "44", "GG shares 44");
	is_str(country_calling_code("JE"), "44", "JE shares 44");
	is_str(country_calling_code("IM"), "44", "IM shares 44");
	is_str(country_calling_code("FI"), "358", "FI calls 358");
	is_str(country_calling_code("AX"), "358", "AX shares 358");
	is_str(country_calling_code("RU"), "7", "RU calls 7");
	is_str(country_calling_code("KZ"), "7", "KZ shares 7");
	is_str(country_calling_code("DE"), "49", "DE calls 49");
	is_str(country_calling_code("JP"), "81", "JP calls 81");
	is_str(country_calling_code("SS"), "211", "SS calls 211");
	is_str(country_calling_code("XK"), NULL, "XK has none");
	is_str(country_calling_code("us"), NULL, "lower case has none");
	is_str(country_calling_code(NULL), NULL, "NULL has none");
}

/*
 * Walk every two-letter code: 249 are assigned, each has a calling code
 * of one to three digits, and an international number with that code
 * parses, so the two tables of lib/country.c agree.
 */
static void
test_table(void)
{
	char a2[3], raw[32], want[32], out[COUNTRY_E164_MAX];
	const char *cc;
	int assigned, badcc, badphone;

	assigned = badcc = badphone = 0;
	a2[2] = '\0';
	for (a2[0] = 'A'; a2[0] <= 'Z'; a2[0]++) {
		for (a2[1] = 'A'; a2[1] <= 'Z'; a2[1]++) {
			if (!country_valid(a2))
				continue;
			assigned++;
			cc = country_calling_code(a2);
			if (cc == NULL || strlen(cc) < 1 || strlen(cc) > 3 ||
			    strspn(cc, "0123456789") != strlen(cc)) {
				badcc++;
				printf("# bad calling code for %s\n", a2);
				continue;
			}
			snprintf(raw, sizeof raw, "+%s 2345 6789", cc);
			snprintf(want, sizeof want, "+%s23456789", cc);
			if (phone_e164(raw, NULL, out, sizeof out) != 0 ||
			    strcmp(out, want) != 0) {
				badphone++;
				printf("# '%s' (%s) fails\n", raw, a2);
			}
		}
	}
	is_int(assigned, 249, "249 codes are assigned");
	is_int(badcc, 0, "every country has a calling code of digits");
	is_int(badphone, 0, "every calling code parses internationally");
}

static void
test_phone(void)
{
	char out[8];

	/* China: mobile, landline with trunk, international forms. */
	phone_is("13800000000", "CN", "+8613800000000");
	phone_is("021-6123 4567", "CN", "+862161234567");
	phone_is("+86 138 0000 0000", "CN", "+8613800000000");
	phone_is("0086 138 0000 0000", "CN", "+8613800000000");
	phone_is("(+86) 138-0000-0000", "CN", "+8613800000000");
	phone_is("138\t0000\t0000", "CN", "+8613800000000");

	/* Unknown or missing country: only international forms. */
	phone_is("+86 138 0000 0000", NULL, "+8613800000000");
	phone_is("0086.138.0000.0000", "ZZ", "+8613800000000");
	phone_is("13800000000", NULL, NULL);
	phone_is("13800000000", "XK", NULL);
	phone_is("13800000000", "cn", NULL);

	/* NANP: 10 digits, 11 starting with 1, "011" abroad. */
	phone_is("(212) 555-0123", "US", "+12125550123");
	phone_is("1-212-555-0123", "US", "+12125550123");
	phone_is("212.555.0123", "CA", "+12125550123");
	phone_is("876 555 0123", "JM", "+18765550123");
	phone_is("011 44 20 7946 0000", "US", "+442079460000");
	phone_is("555-0123", "US", NULL);
	phone_is("2125550123 4", "US", NULL);
	phone_is("0 212 555 0123", "US", NULL);
	phone_is("+1 212 555 0123", "DE", "+12125550123");

	/* "011" is international only in the NANP. */
	phone_is("011 44 20 7946 0000", "GB", NULL);

	/* Trunk prefixes, and countries without one. */
	phone_is("020 7946 0000", "GB", "+442079460000");
	phone_is("01481 712345", "GG", "+441481712345");
	phone_is("030/1234567", "DE", "+49301234567");
	phone_is("06 6982 1234", "IT", "+390669821234");
	phone_is("+39 06 6982 1234", "IT", "+390669821234");
	phone_is("912 345 678", "ES", "+34912345678");
	phone_is("21 123 4567", "PT", "+351211234567");
	phone_is("12 34 56 78", "DK", "+4512345678");
	phone_is("8 (495) 123-45-67", "RU", "+74951234567");
	phone_is("8 727 123 4567", "KZ", "+77271234567");
	phone_is("06 1 234 5678", "HU", "+3612345678");
	phone_is("018 12345", "AX", "+3581812345");
	phone_is("090-1234-5678", "JP", "+819012345678");

	/* A "(0)" in an international number is the trunk prefix. */
	phone_is("+44 (0)20 7946 0000", "GB", "+442079460000");
	phone_is("0049 (0)30 1234567", "FR", "+49301234567");
	phone_is("(0)30 1234567", "DE", "+49301234567");

	/* Length: 8 to 15 digits, something after the calling code. */
	phone_is("+500 12345", NULL, "+50012345");
	phone_is("+500 1234", NULL, NULL);
	phone_is("+49 301 234 567 890 1", NULL, "+493012345678901");
	phone_is("+49 301 234 567 890 12", NULL, NULL);
	phone_is("0049 3012 3456 7890 1234 5678", "DE", NULL);
	phone_is("+49 123", "DE", NULL);
	phone_is("0", "DE", NULL);
	phone_is("+", "DE", NULL);
	phone_is("", "DE", NULL);
	phone_is("  ", "DE", NULL);

	/* Unassigned calling codes. */
	phone_is("+999 1234 5678", NULL, NULL);
	phone_is("+0 1234 5678", NULL, NULL);

	/* Letters, extensions and stray signs. */
	phone_is("030 CALL NOW", "DE", NULL);
	phone_is("+49 30 1234567 ext 12", "DE", NULL);
	phone_is("+49 30 1234567 x12", "DE", NULL);
	phone_is("+49 30 1234567#12", "DE", NULL);
	phone_is("+49 30 1234567;ext=12", "DE", NULL);
	phone_is("+86 138+0000 0000", "CN", NULL);
	phone_is("138 0000 0000 +", "CN", NULL);
	phone_is("138_0000_0000", "CN", NULL);
	phone_is("138\302\2400000 0000", "CN", NULL);
	phone_is(NULL, "CN", NULL);

	/* A buffer too small is refused and left alone. */
	strcpy(out, "keep");
	is_int(phone_e164("+44 20 7946 0000", "GB", out, sizeof out), -1,
	    "short buffer refused");
	is_str(out, "keep", "short buffer untouched");
}

int
main(void)
{
	test_valid();
	test_calling_code();
	test_table();
	test_phone();
	return done_testing();
}
