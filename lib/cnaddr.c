#include <string.h>

#include "cnaddr.h"

#define SPACE3 "\xe3\x80\x80" /* U+3000 IDEOGRAPHIC SPACE */

/* The length of the blank at s: an ASCII blank, U+3000, or 0. */
static size_t
blank(const char *s)
{
	if (*s == ' ' || *s == '\t')
		return 1;
	if (strncmp(s, SPACE3, 3) == 0)
		return 3;
	return 0;
}

static int
ends_with(const char *s, size_t n, const char *tail)
{
	size_t t = strlen(tail);

	return n >= t && memcmp(s + n - t, tail, t) == 0;
}

/* Copy n bytes of s into a part, cut at its size on a UTF-8 boundary. */
static void
put(char *dst, size_t size, const char *s, size_t n)
{
	if (n >= size) {
		n = size - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/*
 * The postal code in brackets at the end of s[0..*n): into pc, and *n
 * cut before it.  3 to 10 digits; all zeros is none.
 */
static void
postcode(const char *s, size_t *n, char *pc, size_t pclen)
{
	static const char *const open[] = {"(", "\xef\xbc\x88", NULL};
	static const char *const shut[] = {")", "\xef\xbc\x89", NULL};
	size_t i, j, end = *n, start, digits;

	pc[0] = '\0';
	for (i = 0; shut[i] != NULL; i++)
		if (ends_with(s, end, shut[i]))
			break;
	if (shut[i] == NULL)
		return;
	end -= strlen(shut[i]);
	start = end;
	while (start > 0 && s[start - 1] >= '0' && s[start - 1] <= '9')
		start--;
	digits = end - start;
	for (j = 0; open[j] != NULL; j++)
		if (ends_with(s, start, open[j]))
			break;
	if (open[j] == NULL || digits < 3 || digits > 10)
		return;
	if (strspn(s + start, "0") < digits)
		put(pc, pclen, s + start, digits);
	*n = start - strlen(open[j]);
	while (*n > 0 && (s[*n - 1] == ' ' || s[*n - 1] == '\t'))
		(*n)--;
}

int
cnaddr_split(const char *s, struct cnaddr *a)
{
	static const char *const districts[] = {"区", "县", "市", "旗", NULL};
	const char *part[3], *p, *end;
	size_t len[3], n, k;
	int np = 0, i;

	memset(a, 0, sizeof *a);
	strcpy(a->country, "CN");
	while ((k = blank(s)) > 0)
		s += k;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
			    s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	postcode(s, &n, a->postcode, sizeof a->postcode);
	end = s + n;
	/* Up to three parts before the street. */
	for (p = s; np < 3 && p < end;) {
		for (k = 0; p + k < end && blank(p + k) == 0; k++)
			;
		if (p + k >= end)
			break; /* the last part is the street */
		part[np] = p;
		len[np++] = k;
		for (p += k; p < end && (k = blank(p)) > 0; p += k)
			;
	}
	/* A third part that is no district is part of the street. */
	if (np == 3) {
		for (i = 0; districts[i] != NULL; i++)
			if (ends_with(part[2], len[2], districts[i]))
				break;
		if (districts[i] == NULL) {
			np = 2;
			p = part[2];
		}
	}
	if (np >= 1)
		put(a->region, sizeof a->region, part[0], len[0]);
	if (np >= 2)
		put(a->city, sizeof a->city, part[1], len[1]);
	if (np >= 3)
		put(a->district, sizeof a->district, part[2], len[2]);
	put(a->line1, sizeof a->line1, p, (size_t)(end - p));
	if (strncmp(a->region, "香港", strlen("香港")) == 0)
		strcpy(a->country, "HK");
	else if (strncmp(a->region, "澳门", strlen("澳门")) == 0 ||
		 strncmp(a->region, "澳門", strlen("澳門")) == 0)
		strcpy(a->country, "MO");
	else if (strncmp(a->region, "台湾", strlen("台湾")) == 0 ||
		 strncmp(a->region, "臺灣", strlen("臺灣")) == 0)
		strcpy(a->country, "TW");
	return np;
}
