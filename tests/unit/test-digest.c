/*
 * digest: a content hash is the same for the same JSON, differs for
 * other content, and its 64-bit form (the
 * ledger's from schema 26) is the first 16 digits of the 128-bit one,
 * so that the migration's cut hashes still match what ingest-orders
 * computes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "digest.h"
#include "tap.h"

static json_t *
parse(const char *s)
{
	json_t *j = json_loads(s, 0, NULL);

	if (j == NULL) {
		fprintf(stderr, "bad JSON in the test: %s\n", s);
		exit(2);
	}
	return j;
}

int
main(void)
{
	json_t *a = parse("{\"order_id\":\"A-1\",\"lines\":[{\"sku\":\"X\","
			  "\"qty\":2}],\"total\":17600}");
	json_t *b = parse("{\"order_id\":\"A-1\",\"lines\":[{\"sku\":\"X\","
			  "\"qty\":2}],\"total\":17600}");
	json_t *c = parse("{\"order_id\":\"A-1\",\"lines\":[{\"sku\":\"X\","
			  "\"qty\":3}],\"total\":17600}");
	char ha[DIGEST_HEX_LEN], hb[DIGEST_HEX_LEN], hc[DIGEST_HEX_LEN];
	char sa[DIGEST_HEX_LEN], sc[DIGEST_HEX_LEN];

	digest_json(a, ha);
	digest_json(b, hb);
	digest_json(c, hc);
	is_int((int)strlen(ha), 3 + 32, "x3: and 32 digits");
	ok(strncmp(ha, "x3:", 3) == 0, "of the x3 kind");
	is_str(ha, hb, "the same content again: the same hash");
	ok(strcmp(ha, hc) != 0, "another quantity: another hash");

	digest_json64(a, sa);
	digest_json64(c, sc);
	is_int((int)strlen(sa), 3 + 16, "the ledger's: x3: and 16 digits");
	ok(strncmp(sa, ha, 3 + 16) == 0, "the first 16 digits of the full one");
	ok(strcmp(sa, sc) != 0, "another quantity: another short hash");

	json_decref(a);
	json_decref(b);
	json_decref(c);
	return done_testing();
}
