#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#define XXH_STATIC_LINKING_ONLY /* for a state on the stack */
#include <xxhash.h>

#include "digest.h"
#include "err.h"

char *
digest_base64(const void *p, size_t n)
{
	char *out;

	if (n > (size_t)INT32_MAX / 2)
		err_exit(EXIT_TROUBLE, "base64: input too large");
	out = xmalloc(4 * ((n + 2) / 3) + 1);
	EVP_EncodeBlock((unsigned char *)out, p, (int)n);
	return out;
}

/*
 * The bytes fed to the hash: a value with type tags and lengths, so that
 * no two different values feed the same bytes.  They are gathered in a
 * buffer first, since XXH3 updates cost more than copying.
 */
struct feeder {
	XXH3_state_t *st;
	size_t len;
	unsigned char buf[4096];
};

static void
put(struct feeder *f, const void *p, size_t n)
{
	if (f->len + n > sizeof f->buf) {
		XXH3_128bits_update(f->st, f->buf, f->len);
		f->len = 0;
		if (n > sizeof f->buf) {
			XXH3_128bits_update(f->st, p, n);
			return;
		}
	}
	memcpy(f->buf + f->len, p, n);
	f->len += n;
}

static void
tagged(struct feeder *f, unsigned char tag, const void *p, size_t n)
{
	put(f, &tag, 1);
	put(f, p, n);
}

static void
feed(struct feeder *f, const json_t *j)
{
	const char *key;
	json_t *v;
	size_t i, n;
	json_int_t x;
	double d;

	switch (json_typeof(j)) {
	case JSON_OBJECT:
		n = json_object_size(j);
		tagged(f, 'o', &n, sizeof n);
		json_object_foreach((json_t *)j, key, v)
		{
			n = strlen(key);
			put(f, &n, sizeof n);
			put(f, key, n);
			feed(f, v);
		}
		break;
	case JSON_ARRAY:
		n = json_array_size(j);
		tagged(f, 'a', &n, sizeof n);
		json_array_foreach(j, i, v) feed(f, v);
		break;
	case JSON_STRING:
		n = json_string_length(j);
		tagged(f, 's', &n, sizeof n);
		put(f, json_string_value(j), n);
		break;
	case JSON_INTEGER:
		x = json_integer_value(j);
		tagged(f, 'i', &x, sizeof x);
		break;
	case JSON_REAL:
		d = json_real_value(j);
		tagged(f, 'r', &d, sizeof d);
		break;
	default:
		tagged(f,
		    json_is_true(j)    ? 't'
		    : json_is_false(j) ? 'f'
				       : 'n',
		    "", 0);
		break;
	}
}

static XXH128_hash_t
digest128(const json_t *j)
{
	XXH3_state_t st;
	struct feeder f;

	XXH3_INITSTATE(&st);
	XXH3_128bits_reset(&st);
	f.st = &st;
	f.len = 0;
	feed(&f, j);
	XXH3_128bits_update(&st, f.buf, f.len);
	return XXH3_128bits_digest(&st);
}

uint32_t
digest_fnv1a(uint32_t h, const char *s)
{
	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

void
digest_json(const json_t *j, char out[DIGEST_HEX_LEN])
{
	XXH128_hash_t h = digest128(j);

	snprintf(out, DIGEST_HEX_LEN, "x3:%016llx%016llx",
	    (unsigned long long)h.high64, (unsigned long long)h.low64);
}

void
digest_json64(const json_t *j, char out[DIGEST_HEX_LEN])
{
	snprintf(out, DIGEST_HEX_LEN, "x3:%016llx",
	    (unsigned long long)digest128(j).high64);
}
