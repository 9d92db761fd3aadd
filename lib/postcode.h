/*
 * postcode: the forms postcodes take in the countries most parcels go
 * to, checked, and written the way each country's post writes them.
 *
 * The forms are one table in postcode.c, by ISO 3166-1 alpha-2 code:
 *
 *   CN  6 digits                       100022
 *   US  5 digits, or ZIP+4             02134, 02134-1234
 *   CA  letter digit letter, digit letter digit   K1A 0B1
 *   GB  the six UK forms               SW1A 1AA, M1 1AE, B33 8TH, CR2 6XH,
 *                                      DN55 1PT, W1A 0AX
 *   JP  7 digits                       100-0001
 *   DE, FR, ES  5 digits               10115, 75008, 28013
 *   AU  4 digits                       2000
 *   NL  4 digits and 2 letters         1012 AB
 *
 * A postcode is compared with spaces and hyphens taken out and letters
 * in upper case, and written back in the form shown: "sw1a1aa" is
 * "SW1A 1AA", "1000001" is "100-0001".  Where a country's postcodes are
 * all digits and may start with 0, a postcode of digits alone, one short
 * (a spreadsheet took it for a number and dropped the zero: "2134" for
 * 02134), gets the zero back, with a warning saying so.  Countries not
 * in the table are not checked.
 *
 * Ownership: out and why are the caller's buffers; nothing is kept.
 * Messages never repeat the postcode (they end up in warnings).
 */
#ifndef FULFIL_POSTCODE_H
#define FULFIL_POSTCODE_H

#include <stddef.h>

/*
 * Check raw as a postcode of country and write its normal form into out
 * (len bytes; raw as given for a country without a rule).  Returns 0
 * when it is fine; 1 when it is fine after a repair said in why (the
 * lost leading zero); -1 when it does not have the country's form, with
 * the form expected in why and out untouched.  why may be NULL.
 */
int postcode_check(const char *country, const char *raw, char *out, size_t len,
    char *why, size_t whylen);

#endif
