/*
 * recdump: JSON written as ndjson_dump() writes it (jansson's
 * json_dumps() with JSON_COMPACT | JSON_ENCODE_ANY |
 * JSON_REAL_PRECISION(15)), byte for byte, without going through
 * jansson's writer, which costs a stage about as much as reading the
 * record did (it writes a byte at a time through a callback).
 * ndjson_dump() calls it first.
 *
 * Reals are written by jansson itself (they are few: a route's metres);
 * a string that is not valid UTF-8, or nesting deeper than
 * RECDUMP_DEPTH, makes it return NULL, and the caller asks jansson.
 * With FULFIL_SPLICE_CHECK=1 in the environment (a test hook, fulfil(7))
 * ndjson_dump() compares the two on every call.
 *
 * Ownership: the string returned is the caller's to free.
 */
#ifndef FULFIL_RECDUMP_H
#define FULFIL_RECDUMP_H

#include <stddef.h>

#include <jansson.h>

#define RECDUMP_DEPTH 256

char *recdump(const json_t *j, size_t *lenp);

#endif
