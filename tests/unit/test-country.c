#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "country.h"
#include "tap.h"

static void
code_is(const char *text, const char *want)
{
	is_str(country_code(text), want, "'%s' is %s", text ? text : "(null)",
	    want ? want : "nobody's");
}

static void
test_valid(void)
{
	static const char *const yes[] = {"CN", "US", "GB", "DE", "JP", "FR",
	    "AX", "SS", "AD", "ZW", "BQ", "CW", "SX", "VA", "TW", "HK", "MO"};
	static const char *const no[] = {"XK", "cn", "Cn", "", "C", "CHN", "UK",
	    "EU", "AA", "ZZ", "C1", "@A", "Z["};
	size_t i;

	for (i = 0; i < sizeof yes / sizeof yes[0]; i++)
		is_int(country_valid(yes[i]), 1, "'%s' is assigned", yes[i]);
	for (i = 0; i < sizeof no / sizeof no[0]; i++)
		is_int(country_valid(no[i]), 0, "'%s' is not", no[i]);
	is_int(country_valid(NULL), 0, "NULL is not a country");
}

/*
 * Every country of iso-codes' own file: 249 of them, each found by its
 * alpha-2 code, its alpha-3 code and every English name it has, as
 * written and in upper case.
 */
static void
test_iso_codes(void)
{
	static const char *const names[] = {
	    "alpha_2", "alpha_3", "name", "official_name", "common_name"};
	const char *dir = getenv("FULFIL_ISO_CODES");
	char path[4096], up[512];
	json_t *root, *c;
	const char *a2, *s, *got;
	size_t i, j, k;
	int n = 0, bad = 0;

	snprintf(path, sizeof path, "%s/iso-codes/json/iso_3166-1.json",
	    dir != NULL && *dir != '\0' ? dir : ISO_CODES_DIR);
	root = json_load_file(path, 0, NULL);
	if (!ok(root != NULL, "iso-codes' file reads"))
		return;
	json_array_foreach(json_object_get(root, "3166-1"), i, c)
	{
		a2 = json_string_value(json_object_get(c, "alpha_2"));
		n++;
		if (!country_valid(a2)) {
			bad++;
			printf("# %s is not valid\n", a2);
		}
		for (j = 0; j < sizeof names / sizeof names[0]; j++) {
			if ((s = json_string_value(
				 json_object_get(c, names[j]))) == NULL)
				continue;
			snprintf(up, sizeof up, "%s", s);
			for (k = 0; up[k] != '\0'; k++)
				if (up[k] >= 'a' && up[k] <= 'z')
					up[k] = (char)(up[k] - 'a' + 'A');
			if ((got = country_code(s)) == NULL ||
			    strcmp(got, a2) != 0 ||
			    (got = country_code(up)) == NULL ||
			    strcmp(got, a2) != 0) {
				bad++;
				printf("# %s: '%s' is %s\n", a2, s,
				    got ? got : "nobody's");
			}
		}
	}
	json_decref(root);
	is_int(n, 249, "249 countries");
	is_int(bad, 0, "each found by its codes and names");
}

static void
test_english(void)
{
	/* The names, and how they are written. */
	code_is("United States", "US");
	code_is("United States of America", "US");
	code_is("USA", "US");
	code_is("U.S.A.", "US");
	code_is("U.S.", "US");
	code_is("usa", "US");
	code_is("  united   states ", "US");
	code_is("UNITED STATES", "US");
	code_is("us", "US");
	code_is("UK", "GB");
	code_is("U.K.", "GB");
	code_is("United Kingdom", "GB");
	code_is("Great Britain", "GB");
	code_is("GBR", "GB");
	code_is("China", "CN");
	code_is("People's Republic of China", "CN");
	code_is("PRC", "CN");
	code_is("Hong Kong", "HK");
	code_is("Taiwan", "TW");
	code_is("South Korea", "KR");
	code_is("Korea, Republic of", "KR");
	code_is("North Korea", "KP");
	code_is("Vietnam", "VN");
	code_is("Russia", "RU");
	code_is("Turkey", "TR");
	code_is("Türkiye", "TR");
	code_is("Czechia", "CZ");
	code_is("Czech Republic", "CZ");
	code_is("Côte d'Ivoire", "CI");
	code_is("Cote d'Ivoire", "CI");
	/* Not countries, or more than one. */
	code_is("Korea", NULL);
	code_is("UNITED S", NULL);
	code_is("Europe", NULL);
	code_is("", NULL);
	code_is("   ", NULL);
	code_is("...", NULL);
	code_is("XK", NULL);
	code_is(NULL, NULL);
}

static void
test_translations(void)
{
	/* Simplified Chinese (zh_CN). */
	code_is("中国", "CN");
	code_is("中华人民共和国", "CN");
	code_is("香港", "HK");
	code_is("澳门", "MO");
	code_is("台湾", "TW");
	code_is("美国", "US");
	code_is("英国", "GB");
	code_is("德国", "DE");
	code_is("日本", "JP");
	code_is("韩国", "KR");
	code_is("大韩民国", "KR");
	/* Traditional Chinese (zh_TW, zh_HK). */
	code_is("中國", "CN");
	code_is("中華人民共和國", "CN");
	code_is("臺灣", "TW");
	code_is("台灣", "TW");
	code_is("澳門", "MO");
	code_is("美國", "US");
	code_is("南韓", "KR");
	/* The aliases in Chinese. */
	code_is("中国大陆", "CN");
	code_is("中国香港", "HK");
	code_is("中國香港", "HK");
	code_is("中国澳门", "MO");
	code_is("中国台湾", "TW");
	/* Other languages of the list. */
	code_is("ドイツ", "DE");
	code_is("アメリカ合衆国", "US");
	code_is("독일", "DE");
	code_is("Deutschland", "DE");
	code_is("deutschland", "DE");
	code_is("Allemagne", "DE");
	code_is("Alemania", "DE");
	code_is("Vereinigte Staaten", "US");
	code_is("Royaume-Uni", "GB");
	code_is("Spanje", "ES");
	code_is("Германия", "DE");
	/*
	 * Where two catalogues disagree, the first in the list wins:
	 * pt_BR gives Afghanistan Pakistan's official name in Portuguese,
	 * which pt, earlier, gives Pakistan.
	 */
	code_is("República Islâmica do Paquistão", "PK");
}

/* The names labels print: English, and the country's own. */
static void
test_names(void)
{
	is_str(country_name("DE"), "Germany", "DE in English");
	is_str(country_name("TW"), "Taiwan", "the common name, where given");
	is_str(country_name("KR"), "South Korea", "KR: the common name");
	is_str(country_name("GB"), "United Kingdom", "GB in English");
	ok(country_name("XK") == NULL && country_name(NULL) == NULL &&
		country_name("de") == NULL,
	    "no name for what is not a code");
	is_str(country_local("DE"), "Deutschland", "DE's own name");
	is_str(country_local("JP"), "日本", "JP's own name");
	is_str(country_local("CN"), "中国", "CN's own name");
	ok(country_local("CH") == NULL && country_local("US") == NULL &&
		country_local("GB") == NULL,
	    "none for a country of several languages, or of English");
}

int
main(void)
{
	test_valid();
	test_iso_codes();
	test_english();
	test_translations();
	test_names();
	return done_testing();
}
