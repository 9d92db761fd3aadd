#include <string.h>

#include "country.h"

/*
 * One assigned ISO 3166-1 country.  cc is its ITU-T E.164 calling code
 * and trunk the prefix its subscribers dial before a national number, or
 * "" where there is none or where a leading 0 belongs to the number, as
 * in Italy.  NANP countries (cc "1") have no trunk prefix: the 1 dialled
 * there is handled on its own.
 */
struct country {
	char alpha2[3];
	char cc[4];
	char trunk[3];
};

/* Sorted by alpha2, for the binary search in lookup(). */
/* clang-format off */
static const struct country countries[] = {
	{ "AD", "376", "" },  { "AE", "971", "0" }, { "AF", "93", "0" },
	{ "AG", "1", "" },    { "AI", "1", "" },    { "AL", "355", "0" },
	{ "AM", "374", "0" }, { "AO", "244", "" },  { "AQ", "672", "" },
	{ "AR", "54", "0" },  { "AS", "1", "" },    { "AT", "43", "0" },
	{ "AU", "61", "0" },  { "AW", "297", "" },  { "AX", "358", "0" },
	{ "AZ", "994", "0" }, { "BA", "387", "0" }, { "BB", "1", "" },
	{ "BD", "880", "0" }, { "BE", "32", "0" },  { "BF", "226", "" },
	{ "BG", "359", "0" }, { "BH", "973", "" },  { "BI", "257", "" },
	{ "BJ", "229", "" },  { "BL", "590", "0" }, { "BM", "1", "" },
	{ "BN", "673", "" },  { "BO", "591", "0" }, { "BQ", "599", "0" },
	{ "BR", "55", "0" },  { "BS", "1", "" },    { "BT", "975", "" },
	{ "BV", "47", "" },   { "BW", "267", "" },  { "BY", "375", "8" },
	{ "BZ", "501", "" },  { "CA", "1", "" },    { "CC", "61", "0" },
	{ "CD", "243", "0" }, { "CF", "236", "" },  { "CG", "242", "" },
	{ "CH", "41", "0" },  { "CI", "225", "" },  { "CK", "682", "" },
	{ "CL", "56", "" },   { "CM", "237", "" },  { "CN", "86", "0" },
	{ "CO", "57", "0" },  { "CR", "506", "" },  { "CU", "53", "0" },
	{ "CV", "238", "" },  { "CW", "599", "0" }, { "CX", "61", "0" },
	{ "CY", "357", "" },  { "CZ", "420", "" },  { "DE", "49", "0" },
	{ "DJ", "253", "" },  { "DK", "45", "" },   { "DM", "1", "" },
	{ "DO", "1", "" },    { "DZ", "213", "0" }, { "EC", "593", "0" },
	{ "EE", "372", "" },  { "EG", "20", "0" },  { "EH", "212", "0" },
	{ "ER", "291", "0" }, { "ES", "34", "" },   { "ET", "251", "0" },
	{ "FI", "358", "0" }, { "FJ", "679", "" },  { "FK", "500", "" },
	{ "FM", "691", "" },  { "FO", "298", "" },  { "FR", "33", "0" },
	{ "GA", "241", "" },  { "GB", "44", "0" },  { "GD", "1", "" },
	{ "GE", "995", "0" }, { "GF", "594", "0" }, { "GG", "44", "0" },
	{ "GH", "233", "0" }, { "GI", "350", "" },  { "GL", "299", "" },
	{ "GM", "220", "" },  { "GN", "224", "" },  { "GP", "590", "0" },
	{ "GQ", "240", "" },  { "GR", "30", "" },   { "GS", "500", "" },
	{ "GT", "502", "" },  { "GU", "1", "" },    { "GW", "245", "" },
	{ "GY", "592", "" },  { "HK", "852", "" },  { "HM", "672", "" },
	{ "HN", "504", "" },  { "HR", "385", "0" }, { "HT", "509", "" },
	{ "HU", "36", "06" }, { "ID", "62", "0" },  { "IE", "353", "0" },
	{ "IL", "972", "0" }, { "IM", "44", "0" },  { "IN", "91", "0" },
	{ "IO", "246", "" },  { "IQ", "964", "0" }, { "IR", "98", "0" },
	{ "IS", "354", "" },  { "IT", "39", "" },   { "JE", "44", "0" },
	{ "JM", "1", "" },    { "JO", "962", "0" }, { "JP", "81", "0" },
	{ "KE", "254", "0" }, { "KG", "996", "0" }, { "KH", "855", "0" },
	{ "KI", "686", "0" }, { "KM", "269", "" },  { "KN", "1", "" },
	{ "KP", "850", "0" }, { "KR", "82", "0" },  { "KW", "965", "" },
	{ "KY", "1", "" },    { "KZ", "7", "8" },   { "LA", "856", "0" },
	{ "LB", "961", "0" }, { "LC", "1", "" },    { "LI", "423", "" },
	{ "LK", "94", "0" },  { "LR", "231", "0" }, { "LS", "266", "" },
	{ "LT", "370", "8" }, { "LU", "352", "" },  { "LV", "371", "" },
	{ "LY", "218", "0" }, { "MA", "212", "0" }, { "MC", "377", "0" },
	{ "MD", "373", "0" }, { "ME", "382", "0" }, { "MF", "590", "0" },
	{ "MG", "261", "0" }, { "MH", "692", "" },  { "MK", "389", "0" },
	{ "ML", "223", "" },  { "MM", "95", "0" },  { "MN", "976", "0" },
	{ "MO", "853", "" },  { "MP", "1", "" },    { "MQ", "596", "0" },
	{ "MR", "222", "" },  { "MS", "1", "" },    { "MT", "356", "" },
	{ "MU", "230", "" },  { "MV", "960", "" },  { "MW", "265", "0" },
	{ "MX", "52", "" },   { "MY", "60", "0" },  { "MZ", "258", "" },
	{ "NA", "264", "0" }, { "NC", "687", "" },  { "NE", "227", "" },
	{ "NF", "672", "" },  { "NG", "234", "0" }, { "NI", "505", "" },
	{ "NL", "31", "0" },  { "NO", "47", "" },   { "NP", "977", "0" },
	{ "NR", "674", "" },  { "NU", "683", "" },  { "NZ", "64", "0" },
	{ "OM", "968", "" },  { "PA", "507", "" },  { "PE", "51", "0" },
	{ "PF", "689", "" },  { "PG", "675", "" },  { "PH", "63", "0" },
	{ "PK", "92", "0" },  { "PL", "48", "" },   { "PM", "508", "0" },
	{ "PN", "64", "" },   { "PR", "1", "" },    { "PS", "970", "0" },
	{ "PT", "351", "" },  { "PW", "680", "" },  { "PY", "595", "0" },
	{ "QA", "974", "" },  { "RE", "262", "0" }, { "RO", "40", "0" },
	{ "RS", "381", "0" }, { "RU", "7", "8" },   { "RW", "250", "0" },
	{ "SA", "966", "0" }, { "SB", "677", "" },  { "SC", "248", "" },
	{ "SD", "249", "0" }, { "SE", "46", "0" },  { "SG", "65", "" },
	{ "SH", "290", "" },  { "SI", "386", "0" }, { "SJ", "47", "" },
	{ "SK", "421", "0" }, { "SL", "232", "0" }, { "SM", "378", "" },
	{ "SN", "221", "" },  { "SO", "252", "0" }, { "SR", "597", "" },
	{ "SS", "211", "0" }, { "ST", "239", "" },  { "SV", "503", "" },
	{ "SX", "1", "" },    { "SY", "963", "0" }, { "SZ", "268", "" },
	{ "TC", "1", "" },    { "TD", "235", "" },  { "TF", "262", "0" },
	{ "TG", "228", "" },  { "TH", "66", "0" },  { "TJ", "992", "" },
	{ "TK", "690", "" },  { "TL", "670", "" },  { "TM", "993", "8" },
	{ "TN", "216", "" },  { "TO", "676", "" },  { "TR", "90", "0" },
	{ "TT", "1", "" },    { "TV", "688", "" },  { "TW", "886", "0" },
	{ "TZ", "255", "0" }, { "UA", "380", "0" }, { "UG", "256", "0" },
	{ "UM", "1", "" },    { "US", "1", "" },    { "UY", "598", "0" },
	{ "UZ", "998", "" },  { "VA", "39", "" },   { "VC", "1", "" },
	{ "VE", "58", "0" },  { "VG", "1", "" },    { "VI", "1", "" },
	{ "VN", "84", "0" },  { "VU", "678", "" },  { "WF", "681", "" },
	{ "WS", "685", "" },  { "YE", "967", "0" }, { "YT", "262", "0" },
	{ "ZA", "27", "0" },  { "ZM", "260", "0" }, { "ZW", "263", "0" },
};
/* clang-format on */

#define NCOUNTRIES (sizeof countries / sizeof countries[0])

/*
 * Every calling code an international number may start with, sorted: the
 * codes of the table above, those of places without an alpha-2 code of
 * their own (247 Ascension, 383 Kosovo), and the non-geographic ones for
 * freephone and satellite services.  E.164 calling codes form a prefix
 * code, so at most one of them begins a number.
 */
/* clang-format off */
static const unsigned short callcodes[] = {
	1, 7, 20, 27, 30, 31, 32, 33, 34, 36, 39, 40,
	41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54,
	55, 56, 57, 58, 60, 61, 62, 63, 64, 65, 66, 81,
	82, 84, 86, 90, 91, 92, 93, 94, 95, 98, 211, 212,
	213, 216, 218, 220, 221, 222, 223, 224, 225, 226, 227, 228,
	229, 230, 231, 232, 233, 234, 235, 236, 237, 238, 239, 240,
	241, 242, 243, 244, 245, 246, 247, 248, 249, 250, 251, 252,
	253, 254, 255, 256, 257, 258, 260, 261, 262, 263, 264, 265,
	266, 267, 268, 269, 290, 291, 297, 298, 299, 350, 351, 352,
	353, 354, 355, 356, 357, 358, 359, 370, 371, 372, 373, 374,
	375, 376, 377, 378, 380, 381, 382, 383, 385, 386, 387, 389,
	420, 421, 423, 500, 501, 502, 503, 504, 505, 506, 507, 508,
	509, 590, 591, 592, 593, 594, 595, 596, 597, 598, 599, 670,
	672, 673, 674, 675, 676, 677, 678, 679, 680, 681, 682, 683,
	685, 686, 687, 688, 689, 690, 691, 692, 800, 808, 850, 852,
	853, 855, 856, 870, 880, 881, 882, 883, 886, 888, 960, 961,
	962, 963, 964, 965, 966, 967, 968, 970, 971, 972, 973, 974,
	975, 976, 977, 979, 992, 993, 994, 995, 996, 998,
};
/* clang-format on */

#define NCALLCODES (sizeof callcodes / sizeof callcodes[0])

/* "011" and the 15 digits E.164 allows are the most a number can have. */
#define PHONE_MAXDIGITS 18

static int
isupper_ascii(int c)
{
	return c >= 'A' && c <= 'Z';
}

static const struct country *
lookup(const char *alpha2)
{
	size_t lo, hi, mid;
	int key, k;

	if (alpha2 == NULL || !isupper_ascii((unsigned char)alpha2[0]) ||
	    !isupper_ascii((unsigned char)alpha2[1]) || alpha2[2] != '\0')
		return NULL;
	key = alpha2[0] << 8 | alpha2[1];
	lo = 0;
	hi = NCOUNTRIES;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		k = countries[mid].alpha2[0] << 8 | countries[mid].alpha2[1];
		if (k == key)
			return &countries[mid];
		if (k < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int
country_valid(const char *alpha2)
{
	return lookup(alpha2) != NULL;
}

const char *
country_calling_code(const char *alpha2)
{
	const struct country *c;

	c = lookup(alpha2);
	return c != NULL ? c->cc : NULL;
}

static int
callcode_known(unsigned int v)
{
	size_t lo, hi, mid;

	lo = 0;
	hi = NCALLCODES;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (callcodes[mid] == v)
			return 1;
		if (callcodes[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/*
 * The length of the calling code that begins the n digits at d, or 0 if
 * none does.  Codes have one to three digits and never start with 0.
 */
static size_t
callcode_len(const char *d, size_t n)
{
	unsigned int v;
	size_t i;

	if (n == 0 || d[0] == '0')
		return 0;
	v = 0;
	for (i = 0; i < 3 && i < n; i++) {
		v = v * 10 + (unsigned int)(d[i] - '0');
		if (callcode_known(v))
			return i + 1;
	}
	return 0;
}

/*
 * How many of the n digits at d are an international prefix to drop, or
 * -1 if the number is not international.  A '+' has already been taken
 * off; "011" counts only where the ship-to country is in the NANP.
 */
static int
intl_prefix(const char *d, size_t n, int plus, int nanp)
{
	if (plus)
		return 0;
	if (n >= 2 && d[0] == '0' && d[1] == '0')
		return 2;
	if (nanp && n >= 3 && memcmp(d, "011", 3) == 0)
		return 3;
	return -1;
}

/*
 * Gather the digits of raw into d (PHONE_MAXDIGITS long) and their count
 * into *np, noting a leading '+' in *plusp.  Returns -1 if raw has
 * anything but digits and separators, or more digits than any number may.
 */
static int
phone_digits(const char *raw, int nanp, char *d, size_t *np, int *plusp)
{
	const char *p;
	size_t n;
	int plus, pre;

	n = 0;
	plus = 0;
	for (p = raw; *p != '\0'; p++) {
		switch (*p) {
		case ' ':
		case '\t':
		case '-':
		case '.':
		case '/':
		case ')':
			continue;
		case '(':
			/*
			 * "+44 (0)20 ..." shows the trunk prefix for national
			 * callers; it is not dialled from abroad.
			 */
			pre = intl_prefix(d, n, plus, nanp);
			if (pre >= 0 && n > (size_t)pre && p[1] == '0' &&
			    p[2] == ')')
				p += 2;
			continue;
		case '+':
			if (plus || n > 0)
				return -1;
			plus = 1;
			continue;
		default:
			break;
		}
		if (*p < '0' || *p > '9' || n == PHONE_MAXDIGITS)
			return -1;
		d[n++] = *p;
	}
	*np = n;
	*plusp = plus;
	return 0;
}

int
phone_e164(const char *raw, const char *country, char *out, size_t outlen)
{
	const struct country *c;
	const char *nat;
	char d[PHONE_MAXDIGITS], num[15];
	size_t n, natlen, cclen, tlen, len;
	int nanp, plus, pre;

	if (raw == NULL || out == NULL)
		return -1;
	c = lookup(country);
	nanp = c != NULL && strcmp(c->cc, "1") == 0;
	if (phone_digits(raw, nanp, d, &n, &plus) == -1)
		return -1;
	pre = intl_prefix(d, n, plus, nanp);
	if (pre >= 0) {
		len = n - (size_t)pre;
		if (len < 8 || len > 15)
			return -1;
		cclen = callcode_len(d + pre, len);
		if (cclen == 0 || cclen == len)
			return -1;
		memcpy(num, d + pre, len);
	} else {
		if (c == NULL)
			return -1;
		nat = d;
		natlen = n;
		if (nanp) {
			if (natlen == 11 && nat[0] == '1') {
				nat++;
				natlen--;
			} else if (natlen != 10)
				return -1;
		} else {
			tlen = strlen(c->trunk);
			if (tlen > 0 && natlen >= tlen &&
			    memcmp(nat, c->trunk, tlen) == 0) {
				nat += tlen;
				natlen -= tlen;
			}
		}
		cclen = strlen(c->cc);
		len = cclen + natlen;
		if (natlen == 0 || len < 8 || len > 15)
			return -1;
		memcpy(num, c->cc, cclen);
		memcpy(num + cclen, nat, natlen);
	}
	if (outlen < len + 2)
		return -1;
	out[0] = '+';
	memcpy(out + 1, num, len);
	out[len + 1] = '\0';
	return 0;
}
