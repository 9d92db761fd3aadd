#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sms.h"
#include "utf8.h"

/*
 * The characters of the GSM default alphabet's basic table beyond ASCII,
 * sorted for the binary search.  Inside ASCII the table has all printable
 * characters but '`' and those of the extension table, and LF and CR.
 */
/* clang-format off */
static const uint16_t gsm_basic[] = {
	0x00a1, 0x00a3, 0x00a4, 0x00a5, 0x00a7, 0x00bf, /* ¡ £ ¤ ¥ § ¿ */
	0x00c4, 0x00c5, 0x00c6, 0x00c7, 0x00c9, 0x00d1, /* Ä Å Æ Ç É Ñ */
	0x00d6, 0x00d8, 0x00dc, 0x00df, 0x00e0, 0x00e4, /* Ö Ø Ü ß à ä */
	0x00e5, 0x00e6, 0x00e8, 0x00e9, 0x00ec, 0x00f1, /* å æ è é ì ñ */
	0x00f2, 0x00f6, 0x00f8, 0x00f9, 0x00fc,		/* ò ö ø ù ü */
	0x0393, 0x0394, 0x0398, 0x039b, 0x039e, 0x03a0, /* Γ Δ Θ Λ Ξ Π */
	0x03a3, 0x03a6, 0x03a8, 0x03a9,			/* Σ Φ Ψ Ω */
};
/* clang-format on */

/* The extension table: ESC and one of these is one character. */
static const char gsm_ext_ascii[] = "\f^{}\\[~]|";
#define EURO 0x20ac

/* Septets cp takes in the GSM alphabet: 1, 2, or 0 if it is not there. */
static int
gsm_septets(uint32_t cp)
{
	size_t lo = 0, hi = sizeof gsm_basic / sizeof gsm_basic[0], mid;

	if (cp < 0x80) {
		if (cp != 0 && strchr(gsm_ext_ascii, (int)cp) != NULL)
			return 2;
		if (cp == '\n' || cp == '\r')
			return 1;
		return cp >= ' ' && cp < 0x7f && cp != '`';
	}
	if (cp == EURO)
		return 2;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (gsm_basic[mid] == cp)
			return 1;
		if (gsm_basic[mid] < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* The units cp takes in the encoding chosen. */
static size_t
units(uint32_t cp, int ucs2)
{
	if (ucs2)
		return cp > 0xffff ? 2 : 1;
	return (size_t)gsm_septets(cp);
}

/*
 * The parts a valid text of total units takes.  Parts are filled
 * greedily and a character that does not fit whole starts the next
 * part, which is what keeps escape and surrogate pairs together.
 */
static int
parts(const char *s, int ucs2, size_t total)
{
	size_t room = ucs2 ? SMS_UCS2_PART : SMS_GSM_PART, fill = 0, k;
	uint32_t cp;
	int n = 1;

	if (total <= (ucs2 ? SMS_UCS2_SINGLE : SMS_GSM_SINGLE))
		return 1;
	while (*s != '\0') {
		s += utf8_decode(s, &cp);
		k = units(cp, ucs2);
		if (fill + k > room) {
			n++;
			fill = 0;
		}
		fill += k;
	}
	return n;
}

int
sms_count(const char *utf8, struct sms_count *c)
{
	size_t septets = 0, utf16 = 0, n;
	const char *p;
	uint32_t cp;
	int gsm = 1, k;

	if (utf8 == NULL)
		return -1;
	for (p = utf8; *p != '\0'; p += n) {
		if ((n = utf8_decode(p, &cp)) == 0)
			return -1;
		if ((k = gsm_septets(cp)) == 0)
			gsm = 0;
		septets += (size_t)k;
		utf16 += units(cp, 1);
	}
	c->ucs2 = !gsm;
	c->units = gsm ? septets : utf16;
	c->segments = parts(utf8, c->ucs2, c->units);
	return 0;
}
