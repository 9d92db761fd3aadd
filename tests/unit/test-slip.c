/*
 * slip: the order barcode's data, slip_code_make() and its decoder
 * slip_code_parse(): every key has one code and comes back from it.
 */
#include <stdlib.h>
#include <string.h>

#include "slip.h"
#include "tap.h"

/* (source, id) to a code and back. */
static void
round_trip(const char *source, const char *id, const char *want)
{
	char buf[256], *s, *i;

	ok(slip_code_make(source, id, buf, sizeof buf) == 0, "%s: made", want);
	is_str(buf, want, "%s: the code", want);
	ok(slip_code_parse(buf, &s, &i) == 0, "%s: parsed", want);
	is_str(s, source, "%s: its source back", want);
	is_str(i, id, "%s: its id back", want);
	free(s);
	free(i);
}

/* code is not an order's: both halves NULL. */
static void
not_code(const char *code, const char *why)
{
	char *s, *i;

	ok(slip_code_parse(code, &s, &i) == -1 && s == NULL && i == NULL,
	    "not an order code: %s", why);
}

int
main(void)
{
	char small[8];

	round_trip("web", "P-1", "web:P-1");
	round_trip("web", "订单7", "web:%E8%AE%A2%E5%8D%957");
	round_trip("shop:cn", "a%b c", "shop%3Acn:a%25b%20c");
	round_trip("web", "?", "web:?");
	not_code("TEA-1", "no colon");
	not_code("a:b:c", "two colons");
	not_code(":P-1", "no source");
	not_code("web:", "no id");
	not_code("web:P%2", "a cut escape");
	not_code("web:P%zz", "not hex");
	not_code("web:P%00", "a NUL byte");
	not_code("web:P 1", "a space not escaped");
	ok(slip_code_make("web", "P-12345", small, sizeof small) == -1,
	    "a key too long for the buffer is refused, not cut");
	return done_testing();
}
