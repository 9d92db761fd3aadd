#include <stdint.h>
#include <string.h>

#include "tap.h"
#include "utf8.h"

static void
valid(const char *s, size_t len, uint32_t want, const char *name)
{
	uint32_t cp = 0xdead;
	size_t n = utf8_decode(s, &cp);

	ok(n == len && cp == want, "%s decodes", name);
	if (n != len || cp != want)
		printf("#   got length %zu, U+%04X\n", n, (unsigned)cp);
}

static void
invalid(const char *s, const char *name)
{
	uint32_t cp = 0xdead;

	is_int(utf8_decode(s, &cp), 0, "%s is invalid", name);
	is_int(cp, 0xdead, "%s leaves *cp alone", name);
}

/* Encode cp (no checks) as 1 to 4 bytes into buf, NUL-terminated. */
static size_t
encode(uint32_t cp, char *buf)
{
	size_t n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
	static const unsigned char lead[] = {0, 0, 0xc0, 0xe0, 0xf0};
	size_t i;

	for (i = n - 1; i > 0; i--) {
		buf[i] = (char)(0x80 | (cp & 0x3f));
		cp >>= 6;
	}
	buf[0] = (char)(n == 1 ? cp : lead[n] | cp);
	buf[n] = '\0';
	return n;
}

int
main(void)
{
	char buf[8];
	uint32_t cp, got;
	size_t bad = 0;

	valid("A", 1, 'A', "ASCII");
	valid("", 1, 0, "NUL");
	valid("\xc3\xa9", 2, 0xe9, "U+00E9");
	valid("\xe4\xb8\xad", 3, 0x4e2d, "U+4E2D");
	valid("\xf0\x9f\x93\xa6", 4, 0x1f4e6, "U+1F4E6");
	valid("\xef\xbf\xbe", 3, 0xfffe, "noncharacter U+FFFE");
	valid("\xf4\x8f\xbf\xbf", 4, 0x10ffff, "U+10FFFF");
	invalid("\x80", "lone continuation byte");
	invalid("\xc0\xaf", "overlong '/' in two bytes");
	invalid("\xc1\xbf", "overlong U+007F");
	invalid("\xe0\x80\xaf", "overlong '/' in three bytes");
	invalid("\xf0\x8f\xbf\xbf", "overlong U+FFFF in four bytes");
	invalid("\xed\xa0\x80", "surrogate U+D800");
	invalid("\xed\xbf\xbf", "surrogate U+DFFF");
	invalid("\xf4\x90\x80\x80", "U+110000");
	invalid("\xf5\x80\x80\x80", "lead byte F5");
	invalid("\xff", "byte FF");
	invalid("\xc3", "two-byte form cut by the end");
	invalid("\xe4\xb8", "three-byte form cut by the end");
	invalid("\344A\255", "continuation byte missing");

	/* Every scalar value round-trips; no surrogate decodes. */
	for (cp = 0; cp <= 0x10ffff; cp++) {
		size_t n = encode(cp, buf);
		int surrogate = cp >= 0xd800 && cp <= 0xdfff;

		got = 0;
		if (surrogate)
			bad += utf8_decode(buf, &got) != 0;
		else
			bad += utf8_decode(buf, &got) != n || got != cp;
	}
	is_int(bad, 0, "all of U+0000 to U+10FFFF decode as encoded");
	return done_testing();
}
