/*
 * digest: content hashes, FNV-1a for hash tables, and base64.
 *
 * digest_json() (xxHash XXH3, 128 bits) hashes a JSON value by walking
 * it, without writing it out: fast enough to key every order by its
 * content.  It is for telling content apart, not for security.  Nothing
 * is allocated that the caller must free, but digest_base64()'s result
 * (libcrypto's encoder).
 */
#ifndef FULFIL_DIGEST_H
#define FULFIL_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#define DIGEST_HEX_LEN 65 /* room for a content hash and its NUL */

/* "x3:" and 32 hex digits: the form and version of content hashes. */
void digest_json(const json_t *, char out[DIGEST_HEX_LEN]);
/*
 * "x3:" and the first 16 of those digits (the high 64 bits): the form
 * an order's content hash takes in the ledger (schema 26).
 */
void digest_json64(const json_t *, char out[DIGEST_HEX_LEN]);
/*
 * FNV-1a (32 bits) of the string s, going on from h (DIGEST_FNV1A for a
 * first string): for hash tables of short keys, few of them, no
 * attacker.
 */
#define DIGEST_FNV1A 2166136261u
uint32_t digest_fnv1a(uint32_t h, const char *s);
/* Base64 (RFC 4648) of the bytes, NUL-terminated; the caller frees. */
char *digest_base64(const void *, size_t);

#endif
