#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "utf8.h"

size_t
utf8_decode(const char *s, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t c = u[0], min;
	size_t n, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	/*
	 * The lead byte gives the length and the smallest code point that
	 * length may carry: anything below it is an overlong form.
	 */
	if (c >= 0xc2 && c < 0xe0)
		n = 2, c &= 0x1f, min = 0x80;
	else if (c >= 0xe0 && c < 0xf0)
		n = 3, c &= 0x0f, min = 0x800;
	else if (c >= 0xf0 && c < 0xf5)
		n = 4, c &= 0x07, min = 0x10000;
	else
		return 0;
	/* A NUL is no continuation byte: the loop stops at the end. */
	for (i = 1; i < n; i++) {
		if ((u[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (u[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

size_t
utf8_span(const char *s, size_t n)
{
	char c[5] = {0};
	uint32_t cp;
	size_t len;

	/* At most four bytes, NUL-ended: utf8_decode() reads no further. */
	memcpy(c, s, n < 4 ? n : 4);
	len = utf8_decode(c, &cp);
	return len >= 2 && len <= n ? len : 0;
}
