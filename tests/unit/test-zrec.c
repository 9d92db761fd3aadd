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
	return done_testing();
}
