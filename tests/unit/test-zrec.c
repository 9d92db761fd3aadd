/*
 * zrec: records packed and unpacked the same, rows written before read
 * as they are, and a corrupt blob an error, not a crash.
 */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "tap.h"
#include "zrec.h"

static const char rec[] =
    "{\"order_id\":\"A-1\",\"source\":\"shop\",\"placed_at\":"
    "\"2026-11-23T08:00:00+08:00\",\"currency\":\"CNY\",\"customer\":"
    "{\"name\":\"Wang Fang\",\"email\":\"wf@example.com\"},\"lines\":"
    "[{\"sku\":\"TEA-LJ-250\",\"qty\":2,\"unit_price\":8800}],"
    "\"total\":17600,\"status\":\"dispatched\",\"revision\":1}";

/* A cut and joined body, n values: whether it comes back whole. */
static void
cut_join(const char *text, const char *const *vals, int n, const char *what)
{
	const char *why = "";
	size_t cn, jn;
	char *c = zrec_cut(text, strlen(text), vals, n, &cn), *j;

	if (c == NULL) {
		ok(0, "%s: cut", what);
		return;
	}
	j = zrec_join(c, cn, vals, n, &jn, &why);
	is_str(j, text, "%s: joined whole", what);
	free(j);
	free(c);
}

/* Message bodies without their row's message id and recipient. */
static void
cuts(void)
{
	const char *body = "{\"message_id\":\"ab12@example.com\",\"to\":"
			   "\"c1@example.com\",\"text\":\"Hi c1@example.com\"}";
	const char *both[] = {"ab12@example.com", "c1@example.com"};
	const char *none[] = {"zz@example.com", "yy@example.com"};
	const char *nul[] = {NULL, "c1@example.com"};
	const char *why = "";
	size_t n, m;
	char *c, *j;

	c = zrec_cut(body, strlen(body), both, 2, &n);
	ok(c != NULL && zrec_is_cut(c, n) && n < strlen(body) - 20,
	    "cut: both values taken out");
	ok(c != NULL && memmem(c, n, "ab12@", 5) == NULL,
	    "cut: the message id is not kept");
	j = zrec_join(c, n, none, 2, &m, &why);
	ok(j == NULL || strcmp(j, body) != 0,
	    "joined with other values: not the body");
	free(j);
	free(c);
	cut_join(body, both, 2, "both");
	cut_join(body, nul, 2, "no message id");
	ok(zrec_cut(body, strlen(body), none, 2, &n) == NULL,
	    "no value in it: kept whole");
	cut_join("\001 starts like a cut one", none, 2,
	    "a body that starts as a cut");
	cut_join("ab12@example.comc1@example.com", both, 2, "values only");
	why = NULL;
	ok(zrec_join("\001\200", 2, both, 2, &m, &why) == NULL && why != NULL,
	    "a cut body cut short");
	why = NULL;
	ok(zrec_join("\001\100\000x", 4, both, 2, &m, &why) == NULL &&
		why != NULL,
	    "a place past the end");
}

int
main(void)
{
	struct zrec *z = zrec_new();
	unsigned char *p, *bad;
	const char *why = NULL;
	char *t, big[70000];
	size_t n, m, i;

	err_init("test-zrec");
	p = zrec_pack(z, rec, strlen(rec), &n);
	ok(zrec_packed(p, n), "packed: starts with the magic");
	is_int(p[1], ZREC_DICT, "packed: names its dictionary");
	ok(n < strlen(rec) * 2 / 3, "packed: smaller (%zu of %zu)", n,
	    strlen(rec));
	t = zrec_unpack(z, p, n, &m, &why);
	is_str(t, rec, "round trip");
	is_int((long long)m, (long long)strlen(rec), "round trip: its length");
	free(t);

	/* The same again: the streams are reused. */
	free(p);
	p = zrec_pack(z, rec, strlen(rec), &n);
	t = zrec_unpack(z, p, n, &m, &why);
	is_str(t, rec, "round trip, streams reused");
	free(t);

	/* An empty record, and one bigger than a varint's byte. */
	free(p);
	p = zrec_pack(z, "", 0, &n);
	t = zrec_unpack(z, p, n, &m, &why);
	ok(t != NULL && m == 0 && *t == '\0', "the empty text");
	free(t);
	free(p);
	for (i = 0; i < sizeof big - 1; i++)
		big[i] = (char)('a' + (i * 7919 % 26));
	big[sizeof big - 1] = '\0';
	p = zrec_pack(z, big, sizeof big - 1, &n);
	t = zrec_unpack(z, p, n, &m, &why);
	ok(t != NULL && m == sizeof big - 1 && strcmp(t, big) == 0,
	    "70,000 bytes: a three-byte length");
	free(t);
	free(p);

	/* Rows written before: plain JSON, read as it is. */
	ok(!zrec_packed(rec, strlen(rec)), "old text: not packed");
	t = zrec_unpack(z, rec, strlen(rec), &m, &why);
	is_str(t, rec, "old text: read as it is");
	free(t);
	ok(!zrec_packed("", 0), "nothing: not packed");

	/* Corrupt blobs: NULL and why, never a crash. */
	p = zrec_pack(z, rec, strlen(rec), &n);
	bad = malloc(n);
	memcpy(bad, p, n);
	bad[1] = 200;
	why = NULL;
	ok(zrec_unpack(z, bad, n, &m, &why) == NULL && why != NULL &&
		strstr(why, "dictionary") != NULL,
	    "an unknown dictionary");
	memcpy(bad, p, n);
	why = NULL;
	ok(zrec_unpack(z, bad, n - 4, &m, &why) == NULL && why != NULL,
	    "cut short");
	memcpy(bad, p, n);
	bad[2] ^= 0x01; /* the length, one off */
	why = NULL;
	ok(zrec_unpack(z, bad, n, &m, &why) == NULL && why != NULL,
	    "a length that is not the stream's");
	memcpy(bad, p, n);
	for (i = 4; i < n; i++)
		bad[i] = (unsigned char)(bad[i] ^ 0x5a);
	why = NULL;
	ok(zrec_unpack(z, bad, n, &m, &why) == NULL && why != NULL,
	    "a garbled stream");
	why = NULL;
	ok(zrec_unpack(z, "\xfe\x01", 2, &m, &why) == NULL && why != NULL,
	    "a header alone");
	ok(zrec_unpack(z, "\xfe\x01\xff\xff\xff\xff\xff\x01", 8, &m, &why) ==
		NULL,
	    "a huge length: refused before any allocation");
	/* And the codec still works after errors. */
	t = zrec_unpack(z, p, n, &m, &why);
	is_str(t, rec, "after the errors: a good blob unpacks");
	free(t);
	free(bad);
	free(p);
	zrec_free(z);
	cuts();
	return done_testing();
}
