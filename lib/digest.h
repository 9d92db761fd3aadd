/*
 * digest: hashes from libcrypto, as lower-case hex.
 *
 * digest_sha256_hex() writes 64 hex digits and a NUL into out.  The
 * context is kept between calls (it is costly to fetch); nothing else is
 * allocated that the caller must free, but digest_base64()'s result.
 */
#ifndef FULFIL_DIGEST_H
#define FULFIL_DIGEST_H

#include <stddef.h>

#define DIGEST_HEX_LEN	65

void	digest_sha256_hex(const void *, size_t, char out[DIGEST_HEX_LEN]);
/* Base64 (RFC 4648) of the bytes, NUL-terminated; the caller frees. */
char	*digest_base64(const void *, size_t);

#endif
