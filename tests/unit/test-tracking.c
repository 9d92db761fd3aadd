/* Check digits against published examples; numbers made and read back. */
#include <string.h>

#include "tap.h"
#include "tracking.h"

static void
made(struct track_format *f, int64_t serial, const char *want)
{
	char out[TRACK_MAX], why[128];

	if (track_format_check(f, why, sizeof why) == -1) {
		ok(0, "%s: %s", want, why);
		return;
	}
	ok(track_make(f, serial, out) == 0 && strcmp(out, want) == 0,
	    "%s from serial %lld (got %s)", want, (long long)serial, out);
	ok(track_valid(f->kind, out), "%s reads back as valid", want);
}

int
main(void)
{
	struct track_format s10 = {TRACK_S10, "EE", "CN", 0, 0, 99999999};
	struct track_format sscc = {
	    TRACK_SSCC, "10614141", "", 0, 0, 999999999};
	struct track_format ups = {TRACK_UPS1Z, "999AA101", "", 0, 0, 9999999};
	struct track_format plain = {TRACK_PLAIN, "SF", "", 12, 1, 999};
	struct track_format bad;
	char out[TRACK_MAX], why[128];
	int i;

	/* UPU S10 (the example) and its two special cases. */
	is_int(s10_check("12345678"), 5, "S10 check of 12345678 is 5");
	made(&s10, 12345678, "EE123456785CN");
	ok(track_valid(TRACK_S10, "EE123456785CN"), "EE123456785CN is valid");
	ok(!track_valid(TRACK_S10, "EE123456784CN"),
	    "a wrong check digit is not");
	ok(!track_valid(TRACK_S10, "E1123456785CN"),
	    "nor a digit in the letters");
	/* Find serials whose sum mod 11 is 1 (check 10 -> 0) and 0 (-> 5). */
	for (i = 0; i < 100; i++) {
		char d[9];
		int sum, k;
		static const int w[8] = {8, 6, 4, 2, 3, 5, 9, 7};

		snprintf(d, sizeof d, "%08d", i);
		for (sum = 0, k = 0; k < 8; k++)
			sum += (d[k] - '0') * w[k];
		if (sum % 11 == 1)
			is_int(s10_check(d), 0,
			    "S10: 11 - sum mod 11 = 10 gives 0 (%s)", d);
		if (sum % 11 == 0)
			is_int(s10_check(d), 5,
			    "S10: 11 - sum mod 11 = 11 gives 5 (%s)", d);
	}

	/* GS1's own SSCC example: (00) 1 0614141 123456789 7. */
	is_int(gs1_check("10614141123456789", 17), 7, "SSCC check digit is 7");
	made(&sscc, 123456789, "106141411234567897");
	/* GS1 GTIN-13 example: 400638133393 -> 1. */
	is_int(
	    gs1_check("400638133393", 12), 1, "GTIN-13 check digit, same rule");

	/* UPS 1Z numbers published as valid. */
	ok(track_valid(TRACK_UPS1Z, "1Z999AA10123456784"),
	    "1Z999AA10123456784");
	ok(track_valid(TRACK_UPS1Z, "1ZWX0692YP40636269"),
	    "1ZWX0692YP40636269");
	ok(!track_valid(TRACK_UPS1Z, "1Z999AA10123456785"),
	    "a wrong one is not");
	made(&ups, 2345678, "1Z999AA10123456784");

	/* Plain: prefix and padding. */
	made(&plain, 42, "SF000000000042");

	/* Ranges: never wrap, never leave the range. */
	ok(track_make(&plain, 0, out) == -1, "below the range: refused");
	ok(track_make(&plain, 1000, out) == -1, "above the range: refused");
	bad = s10;
	bad.last = 100000000;
	ok(track_format_check(&bad, why, sizeof why) == -1 &&
		strstr(why, "99999999") != NULL,
	    "an S10 range past 8 digits: %s", why);
	bad = s10;
	strcpy(bad.prefix, "E1");
	ok(track_format_check(&bad, why, sizeof why) == -1, "S10 prefix: %s",
	    why);
	bad = sscc;
	strcpy(bad.prefix, "123");
	ok(track_format_check(&bad, why, sizeof why) == -1, "SSCC prefix: %s",
	    why);
	bad = ups;
	strcpy(bad.prefix, "12345");
	ok(track_format_check(&bad, why, sizeof why) == -1, "UPS shipper: %s",
	    why);
	return done_testing();
}
