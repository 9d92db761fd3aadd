#include <stdint.h>
#include <stdlib.h>

#include <openssl/evp.h>

#include "digest.h"
#include "err.h"

static EVP_MD_CTX *ctx;
static EVP_MD *sha256;

static void
release(void)
{
	EVP_MD_CTX_free(ctx);
	EVP_MD_free(sha256);
}

void
digest_sha256_hex(const void *p, size_t n, char out[DIGEST_HEX_LEN])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len, i;

	if (ctx == NULL) {
		if ((sha256 = EVP_MD_fetch(NULL, "SHA256", NULL)) == NULL ||
		    (ctx = EVP_MD_CTX_new()) == NULL)
			errx(EXIT_TROUBLE, "libcrypto: cannot set up SHA-256");
		atexit(release);
	}
	if (!EVP_DigestInit_ex(ctx, sha256, NULL) ||
	    !EVP_DigestUpdate(ctx, p, n) || !EVP_DigestFinal_ex(ctx, md, &len))
		errx(EXIT_TROUBLE, "libcrypto: SHA-256 failed");
	for (i = 0; i < len; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[2 * len] = '\0';
}

char *
digest_base64(const void *p, size_t n)
{
	char *out;

	if (n > (size_t)INT32_MAX / 2)
		errx(EXIT_TROUBLE, "base64: input too large");
	out = xmalloc(4 * ((n + 2) / 3) + 1);
	EVP_EncodeBlock((unsigned char *)out, p, (int)n);
	return out;
}
