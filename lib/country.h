/*
 * country: ISO 3166-1 country codes, their telephone calling codes, and
 * the normalisation of a customer's phone number to E.164.
 *
 * The module knows the 249 officially assigned alpha-2 codes, each with
 * its ITU-T E.164 calling code and its national trunk prefix.  Codes are
 * matched as given: only upper case is a country.
 *
 * Ownership: nothing here allocates.  Returned strings are static and
 * must not be freed or changed; phone_e164() writes into the caller's
 * buffer.  Nothing is printed either: the caller reports.
 *
 * Phone numbers are normalised by these rules, in order:
 *
 *  1. Spaces, tabs, '-', '.', '/', '(' and ')' are dropped.  A '+' may
 *     stand before the first digit.  Any other character makes the number
 *     unparsable, and so does an extension ("ext", "x" or "#" and digits):
 *     extensions are not stored.
 *  2. A number that starts with '+', "00", or "011" when the ship-to
 *     country's calling code is 1, is international: the prefix is
 *     dropped and the rest must begin with an assigned calling code.  In
 *     an international number a "(0)", the trunk prefix written for
 *     national callers as in "+44 (0)20 7946 0000", is dropped as well.
 *  3. Any other number is national to the ship-to country, which must
 *     then be known.  For the North American Numbering Plan (calling code
 *     1) it is 10 digits, or 11 digits starting with 1.  Elsewhere one
 *     leading trunk prefix is removed if the country has one ("0" in most
 *     of Europe, China, Japan, India; "8" in Russia and Kazakhstan; "06"
 *     in Hungary; none in Italy, Spain, Portugal, Greece, Denmark,
 *     Norway...) and the calling code is put in front.  So for CN,
 *     "13800000000" and "021-6123 4567" become "+8613800000000" and
 *     "+862161234567".
 *  4. The result must have 8 to 15 digits, with at least one after the
 *     calling code.
 */
#ifndef FULFIL_COUNTRY_H
#define FULFIL_COUNTRY_H

#include <stddef.h>

/* Room for '+', the 15 digits E.164 allows, and the NUL. */
#define COUNTRY_E164_MAX 17

/* 1 if alpha2 is an assigned ISO 3166-1 alpha-2 code (upper case), else 0. */
int country_valid(const char *alpha2);

/*
 * The alpha-2 code of the country text names, by code (either case) or
 * by name: "GB" for "gb", "GBR", "UK", "United Kingdom", "英国"; NULL when
 * it names no country or more than one.  Leading and trailing white
 * space is ignored.
 */
const char *country_code(const char *text);

/*
 * The ITU calling code of the country as digits, e.g. "86" for CN, "1"
 * for US and CA, "44" for GB; NULL if the code is not assigned.
 */
const char *country_calling_code(const char *alpha2);

/*
 * Normalise raw to E.164 ("+8613800000000") for country, the ship-to
 * country's alpha-2 code, by the rules above; country may be NULL or
 * unknown, and then only international numbers parse.  Returns 0 with a
 * NUL-terminated string in out, or -1 if the number is not parsable or
 * does not fit in outlen bytes (COUNTRY_E164_MAX is always enough); out
 * is untouched on failure.
 */
int phone_e164(const char *raw, const char *country, char *out, size_t outlen);

#endif
