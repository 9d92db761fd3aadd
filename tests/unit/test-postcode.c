#include <stdio.h>
#include <string.h>

#include "postcode.h"
#include "tap.h"

#define UNTOUCHED "untouched"

/*
 * One TAP line per postcode: want is the normal form, or NULL when it
 * does not have its country's form; fixed says a repair is expected.
 */
static void
pc_is(const char *country, const char *raw, const char *want, int fixed)
{
	char out[32], why[200];
	const char *got;
	int r;

	strcpy(out, UNTOUCHED);
	r = postcode_check(country, raw, out, sizeof out, why, sizeof why);
	if (r < 0)
		got = strcmp(out, UNTOUCHED) == 0 ? NULL : "(out changed)";
	else if (r != fixed)
		got = r == 1 ? "(repaired)" : "(not repaired)";
	else if ((r == 1) != (why[0] != '\0'))
		got = "(reason wrong)";
	else
		got = out;
	is_str(got, want, "%s postcode '%s'", country, raw);
}

static void
test_forms(void)
{
	pc_is("CN", "100022", "100022", 0);
	pc_is("CN", "201 203", "201203", 0);
	pc_is("CN", "10002", "010002", 1);
	pc_is("CN", "1000222", NULL, 0);
	pc_is("CN", "ABCDE", NULL, 0);
	pc_is("CN", "", NULL, 0);

	pc_is("US", "02134", "02134", 0);
	pc_is("US", "02134-1234", "02134-1234", 0);
	pc_is("US", "021341234", "02134-1234", 0);
	pc_is("US", "2134", "02134", 1);
	pc_is("US", "21341234", "02134-1234", 1);
	/* A separator says it was text: no spreadsheet dropped a zero. */
	pc_is("US", "2134-1234", NULL, 0);
	pc_is("US", "2 134", NULL, 0);
	pc_is("US", "134", NULL, 0);
	pc_is("US", "0213", "00213", 1);
	pc_is("US", "02134-12", NULL, 0);
	pc_is("US", "SW1A 1AA", NULL, 0);

	pc_is("DE", "10115", "10115", 0);
	pc_is("DE", "1067", "01067", 1);
	pc_is("DE", "D-10115", NULL, 0);

	pc_is("JP", "100-0001", "100-0001", 0);
	pc_is("JP", "1000001", "100-0001", 0);
	pc_is("JP", "060-0914", "060-0914", 0);
	pc_is("JP", "600914", "060-0914", 1);
	pc_is("JP", "100-001", NULL, 0);

	pc_is("GB", "SW1A 1AA", "SW1A 1AA", 0);
	pc_is("GB", "sw1a1aa", "SW1A 1AA", 0);
	pc_is("GB", "M1 1AE", "M1 1AE", 0);
	pc_is("GB", "B33 8TH", "B33 8TH", 0);
	pc_is("GB", "CR2 6XH", "CR2 6XH", 0);
	pc_is("GB", "DN55 1PT", "DN55 1PT", 0);
	pc_is("GB", "W1A 0AX", "W1A 0AX", 0);
	pc_is("GB", "EC1A  1BB", "EC1A 1BB", 0);
	pc_is("GB", "SW1A", NULL, 0);
	pc_is("GB", "12345", NULL, 0);
	pc_is("GB", "SW1A 1A", NULL, 0);

	pc_is("CA", "K1A 0B1", "K1A 0B1", 0);
	pc_is("CA", "k1a0b1", "K1A 0B1", 0);
	pc_is("CA", "K1A-0B1", "K1A 0B1", 0);
	pc_is("CA", "K1A 0B", NULL, 0);
	pc_is("CA", "12345", NULL, 0);

	pc_is("FR", "75008", "75008", 0);
	pc_is("ES", "28013", "28013", 0);
	pc_is("AU", "2000", "2000", 0);
	pc_is("AU", "800", "0800", 1);
	pc_is("NL", "1012ab", "1012 AB", 0);
	pc_is("NL", "1012", NULL, 0);

	/* Countries without a rule keep what they have. */
	pc_is("HK", "anything", "anything", 0);
	pc_is("IE", "D02 X285", "D02 X285", 0);
}

static void
test_messages(void)
{
	char out[32], why[200];

	is_int(postcode_check("CN", "ABCDE", out, sizeof out, why, sizeof why),
	    -1, "CN 'ABCDE' does not fit");
	is_str(why,
	    "not in the form of a postcode of CN (6 digits); kept as given",
	    "and says what would");
	ok(strstr(why, "ABCDE") == NULL, "without the postcode");
	is_int(postcode_check("US", "2134", out, sizeof out, why, sizeof why),
	    1, "US '2134' is repaired");
	is_str(why,
	    "a digit short: the leading zero a spreadsheet drops is put back "
	    "(postcodes of US are 5 digits, or ZIP+4 99999-9999)",
	    "and says how");
	is_int(postcode_check("GB", "SW1A 1AA", out, 4, why, sizeof why), -1,
	    "no room: refused");
	is_int(postcode_check(NULL, "x", out, sizeof out, NULL, 0), -1,
	    "no country: refused");
}

int
main(void)
{
	test_forms();
	test_messages();
	return done_testing();
}
