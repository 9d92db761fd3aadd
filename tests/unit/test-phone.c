#include <stdio.h>
#include <string.h>

#include "country.h"
#include "phone.h"
#include "tap.h"

#define UNTOUCHED "untouched"

/*
 * One TAP line per number: want is the E.164 form, or NULL when the
 * number must be refused with out left as it was and a reason given.
 */
static void
phone_is(const char *raw, const char *region, const char *want)
{
	char out[PHONE_E164_MAX], why[128];
	const char *got;
	int r;

	strcpy(out, UNTOUCHED);
	strcpy(why, UNTOUCHED);
	r = phone_normalise(raw, region, out, sizeof out, why, sizeof why);
	if (r >= 0)
		got = out;
	else if (strcmp(out, UNTOUCHED) != 0)
		got = "(out changed on failure)";
	else if (why[0] == '\0' || strcmp(why, UNTOUCHED) == 0)
		got = "(no reason given)";
	else
		got = NULL;
	is_str(got, want, "phone '%s' for %s", raw != NULL ? raw : "(null)",
	    region != NULL ? region : "(null)");
}

/*
 * Numbers as customers write them in the countries our shops ship to,
 * each made up, in a range that is valid but not a subscriber's where
 * the country keeps one for fiction: 555-01xx in the NANP, Ofcom's drama
 * ranges in the UK, ACMA's in Australia; elsewhere plain made-up digits.
 */
static void
test_countries(void)
{
	static const struct {
		const char *raw, *region, *e164;
	} t[] = {
	    {"138 0013 8000", "CN", "+8613800138000"},
	    {"138-0013-8123", "CN", "+8613800138123"},
	    {"010-6552 9988", "CN", "+861065529988"},
	    {"021 6123 4567", "CN", "+862161234567"},
	    {"(212) 555-0123", "US", "+12125550123"},
	    {"1-312-555-0193", "US", "+13125550193"},
	    {"(416) 555-0142", "CA", "+14165550142"},
	    {"020 7946 0321", "GB", "+442079460321"},
	    {"07400 123456", "GB", "+447400123456"},
	    {"030 12345678", "DE", "+493012345678"},
	    {"0151 23456789", "DE", "+4915123456789"},
	    {"01 42 68 53 00", "FR", "+33142685300"},
	    {"06 12 34 56 78", "FR", "+33612345678"},
	    {"03-1234-5678", "JP", "+81312345678"},
	    {"090-1234-5678", "JP", "+819012345678"},
	    {"02-312-3456", "KR", "+8223123456"},
	    {"010-1234-5678", "KR", "+821012345678"},
	    {"0491 570 156", "AU", "+61491570156"},
	    {"(02) 5550 1234", "AU", "+61255501234"},
	    {"0912 345 678", "TW", "+886912345678"},
	    {"5123 4567", "HK", "+85251234567"},
	    {"6123 4567", "SG", "+6561234567"},
	    {"06 6982 1234", "IT", "+390669821234"},
	    {"912 345 678", "ES", "+34912345678"},
	    {"020 123 4567", "NL", "+31201234567"},
	    {"(11) 96123-4567", "BR", "+5511961234567"},
	    {"55 1234 5678", "MX", "+525512345678"},
	    {"8 (495) 123-45-67", "RU", "+74951234567"},
	    {"021 123 4567", "ZA", "+27211234567"},
	    {"98765 43210", "IN", "+919876543210"},
	    {"012-345 6789", "MY", "+60123456789"},
	};
	char seen[64][3];
	size_t i, j, nseen = 0;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		phone_is(t[i].raw, t[i].region, t[i].e164);
		for (j = 0; j < nseen && strcmp(seen[j], t[i].region) != 0; j++)
			;
		if (j == nseen)
			memcpy(seen[nseen++], t[i].region, 3);
	}
	ok(nseen >= 17, "numbers of %zu countries", nseen);
}

/*
 * libphonenumber's own example numbers, fixed and mobile, of every
 * country iso-codes lists: written as the country writes them, each is
 * read back to the same E.164 number, and so is its E.164 form with no
 * region at all.
 */
static void
test_examples(void)
{
	char a2[3], e164[PHONE_E164_MAX], nat[64], out[PHONE_E164_MAX];
	int regions = 0, examples = 0, bad = 0, mobile;

	a2[2] = '\0';
	for (a2[0] = 'A'; a2[0] <= 'Z'; a2[0]++)
		for (a2[1] = 'A'; a2[1] <= 'Z'; a2[1]++) {
			if (!country_valid(a2) || phone_calling_code(a2) == 0)
				continue;
			regions++;
			for (mobile = 0; mobile < 2; mobile++) {
				if (phone_example(a2, mobile, e164, sizeof e164,
					nat, sizeof nat) != 0)
					continue;
				examples++;
				if (phone_normalise(nat, a2, out, sizeof out,
					NULL, 0) < 0 ||
				    strcmp(out, e164) != 0 ||
				    phone_normalise(e164, NULL, out, sizeof out,
					NULL, 0) < 0 ||
				    strcmp(out, e164) != 0) {
					bad++;
					printf("# %s example %s fails\n", a2,
					    e164);
				}
			}
		}
	ok(regions > 240, "%d countries have a numbering plan", regions);
	ok(examples > 400, "%d example numbers", examples);
	is_int(bad, 0, "each reads back to itself");
}

static void
test_forms(void)
{
	/* International forms: '+', "00" and, from the NANP, "011". */
	phone_is("+86 138 0013 8000", "CN", "+8613800138000");
	phone_is("0086 138 0013 8000", "CN", "+8613800138000");
	phone_is("(+86) 138-0013-8000", "CN", "+8613800138000");
	phone_is("+86 138 0013 8000", NULL, "+8613800138000");
	phone_is("011 44 20 7946 0321", "US", "+442079460321");
	phone_is("+1 212 555 0123", "DE", "+12125550123");
	phone_is("+44 (0)20 7946 0321", "GB", "+442079460321");
	phone_is("0049 (0)30 12345678", "FR", "+493012345678");
	/* The ship-to country's calling code written without '+'. */
	phone_is("86 138 0013 8000", "CN", "+8613800138000");
	/* Separators of every kind, and a tab. */
	phone_is("138.0013.8000", "CN", "+8613800138000");
	phone_is("030/12345678", "DE", "+493012345678");
}

static void
test_invalid(void)
{
	char out[PHONE_E164_MAX], why[128];

	/* Without a calling code or a region, nothing to go by. */
	phone_is("138 0013 8000", NULL, NULL);
	phone_is("138 0013 8000", "ZZ", NULL);
	/* The cases: too short, letters, wrong country. */
	phone_is("12", "CN", NULL);
	phone_is("ABCDE", "CN", NULL);
	phone_is("138 0013 800", "CN", NULL);
	phone_is("555-0123", "US", NULL);
	phone_is("+999 1234 5678", NULL, NULL);
	phone_is("+49 123", "DE", NULL);
	/*
	 * Ofcom keeps 07700 900xxx for drama: never in service, and so
	 * not valid to libphonenumber either.
	 */
	phone_is("07700 900461", "GB", NULL);
	phone_is("", "DE", NULL);
	phone_is("  ", "DE", NULL);
	phone_is("+", "DE", NULL);
	phone_is(NULL, "CN", NULL);

	/* The reason never repeats the number. */
	phone_normalise("138 0013 800", "CN", out, sizeof out, why, sizeof why);
	is_str(why, "not in a range its country's numbering plan uses",
	    "a number of a possible length but no range");
	phone_normalise("12", "CN", out, sizeof out, why, sizeof why);
	is_str(why, "too short for a number of its country", "'12'");
	phone_normalise("ABCDE", "CN", out, sizeof out, why, sizeof why);
	is_str(why, "not a phone number", "'ABCDE'");
	phone_normalise("138 001", "CN", out, sizeof out, why, sizeof why);
	is_str(why, "a local number without its area code", "'138 001'");

	/* A buffer too small is refused and left alone. */
	strcpy(out, "keep");
	is_int(phone_normalise("020 7946 0321", "GB", out, 8, NULL, 0), -1,
	    "short buffer refused");
	is_str(out, "keep", "short buffer untouched");
}

/* An extension is read, and left out of E.164 with a word why. */
static void
test_extension(void)
{
	char out[PHONE_E164_MAX], why[128];

	is_int(phone_normalise("+49 30 12345678 ext. 12", "DE", out, sizeof out,
		   why, sizeof why),
	    1, "a number with an extension is read");
	is_str(out, "+493012345678", "without the extension");
	ok(strstr(why, "extension") != NULL && strstr(why, "12") == NULL,
	    "and a reason: %s", why);
	is_int(phone_normalise(
		   "+49 30 12345678", "DE", out, sizeof out, why, sizeof why),
	    0, "the same without is plain");
	is_str(why, "", "with no reason");
}

static void
test_calling_code(void)
{
	is_int(phone_calling_code("CN"), 86, "CN calls 86");
	is_int(phone_calling_code("US"), 1, "US calls 1");
	is_int(phone_calling_code("CA"), 1, "CA shares 1");
	is_int(phone_calling_code("GB"), 44, "GB calls 44");
	is_int(phone_calling_code("JE"), 44, "JE shares 44");
	is_int(phone_calling_code("KZ"), 7, "KZ shares 7 with RU");
	is_int(phone_calling_code("SS"), 211, "SS calls 211");
	is_int(phone_calling_code("ZZ"), 0, "ZZ has none");
	is_int(phone_calling_code(NULL), 0, "NULL has none");
}

static void
test_region(void)
{
	char r[3];

	is_int(phone_region("+8613800138000", r, sizeof r), 0, "a CN mobile");
	is_str(r, "CN", "is CN's");
	is_int(phone_region("+14165550142", r, sizeof r), 0, "a +1 416");
	is_str(r, "CA", "is Canada's");
	is_int(phone_region("+441534123456", r, sizeof r), 0, "a +44 1534");
	is_str(r, "JE", "is Jersey's");
	is_int(phone_region("+999", r, sizeof r), -1, "+999 is nobody's");
}

int
main(void)
{
	test_countries();
	test_forms();
	test_invalid();
	test_extension();
	test_calling_code();
	test_region();
	test_examples();
	return done_testing();
}
