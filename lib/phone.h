/*
 * phone: telephone numbers read, checked and written in E.164 by
 * libphonenumber, the numbering plans Google keeps for every country
 * (Debian's libphonenumber-dev).  lib/phone.cc is a small C++ shim; this
 * header is its C face, and the rest of fulfil sees nothing of C++.
 *
 * A number is read the way libphonenumber reads it: separators, letters
 * of vanity numbers, an international prefix ("+", "00", "011" from the
 * NANP...), the trunk prefix of national numbers and an "ext." are all
 * understood; a number without a calling code is read as national to the
 * region given (the ship-to country).  It is then checked against that
 * country's numbering plan: a number of the right length in a range in
 * use is valid; anything else is not.
 *
 * Ownership: nothing is allocated for the caller.  e164 and why are the
 * caller's buffers; messages are plain text, lower case, without the
 * number or any part of it (they end up in warnings, which must never
 * show a customer's data).  Every call is safe from any thread:
 * libphonenumber's state is made once, on first use, and then only read.
 */
#ifndef FULFIL_PHONE_H
#define FULFIL_PHONE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Room for '+', the 15 digits E.164 allows, and the NUL. */
#define PHONE_E164_MAX 17

/*
 * Read raw as a phone number of region (an ISO 3166-1 alpha-2 code, the
 * ship-to country; NULL or unknown: only numbers with a calling code
 * read) and write it in E.164 ("+8613800138000") into e164.
 *
 * Returns 0 when the number is valid and written; 1 when it is valid and
 * written but something was left out, said in why (an extension: E.164
 * has none); -1 when it cannot be read or is not a valid number, with the
 * reason in why and e164 untouched.  why may be NULL.
 */
int phone_normalise(const char *raw, const char *region, char *e164, size_t len,
    char *why, size_t whylen);

/*
 * The region (alpha-2 code) an E.164 number belongs to, written into
 * region (3 bytes suffice): "GB" for +44 20..., "JE" for +44 1534...
 * Returns 0, or -1 when the number has no region.
 */
int phone_region(const char *e164, char *region, size_t len);

/* The country calling code of region: 86 for CN, 1 for US; 0 if none. */
int phone_calling_code(const char *region);

/*
 * libphonenumber's example number of region, a mobile one when mobile is
 * non-zero, else a fixed line: in E.164 into e164 and as the region's own
 * people write it ("010 1234 5678") into national.  For tests and
 * documentation.  Returns 0, or -1 when the region has no such example.
 */
int phone_example(const char *region, int mobile, char *e164, size_t elen,
    char *national, size_t nlen);

#ifdef __cplusplus
}
#endif

#endif
