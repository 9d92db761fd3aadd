/*
 * money: amounts of money as exact integers, and the text they come from.
 *
 * An amount is an int64_t counted in its currency's minor unit: cents for
 * USD, fen for CNY, yen for JPY, fils (thousandths) for KWD.  How many
 * decimals the minor unit has is the currency's ISO 4217 exponent, which
 * money_exponent() gives.  Nothing here uses floating point, the locale or
 * the heap, so every call is cheap and safe to make from any thread.
 *
 * Ownership: this module allocates nothing and keeps no state.  Strings it
 * hands back (the *why of money_parse) are static and must not be freed;
 * money_format writes only into the caller's buffer.
 */
#ifndef FULFIL_MONEY_H
#define FULFIL_MONEY_H

#include <stddef.h>
#include <stdint.h>

/*
 * The largest exponent money_parse and money_format accept: 10^18 is the
 * largest power of ten an int64_t holds.
 */
#define MONEY_EXPONENT_MAX 18

/*
 * A buffer this size holds any text money_format writes, with its NUL:
 * a sign, 19 digits and a decimal point.
 */
#define MONEY_FORMAT_MAX 22

/*
 * Decimal and grouping conventions of amount text.
 *
 * MONEY_PLAIN: digits with an optional '.' decimal point and no grouping
 * ("1234.50").  This is the default, and "1,234.50" is an error in it.
 * MONEY_EN: ',' groups thousands, '.' is the decimal point ("1,234.50").
 * MONEY_EU: '.' groups thousands, ',' is the decimal point ("1.234,50").
 * MONEY_SP: a space, U+00A0 NO-BREAK SPACE or U+202F NARROW NO-BREAK SPACE
 * (as UTF-8) groups thousands, ',' is the decimal point ("1 234,50").
 * MONEY_CH: '\'' or U+2019 groups thousands, '.' is the decimal point
 * ("1'234.50").
 *
 * Grouping is optional ("1234.50" is fine in MONEY_EN), but when present
 * it must be well formed: a first group of 1 to 3 digits, then groups of
 * exactly 3, all with the same separator, and only before the decimal
 * point.
 */
enum money_style { MONEY_PLAIN, MONEY_EN, MONEY_EU, MONEY_SP, MONEY_CH };

/*
 * Set *out to the style named "plain", "en", "eu", "sp" or "ch" (lower
 * case, as in the configuration).  Returns 0, or -1 for any other name.
 */
int money_style_parse(const char *name, enum money_style *out);

/*
 * The exponent of an ISO 4217 currency code in active use (three upper-case
 * letters): 2 for "USD", 0 for "JPY", 3 for "KWD".  Returns -1 for anything
 * else, including withdrawn codes and those with no minor unit (XAU, XDR,
 * XXX and the like).
 */
int money_exponent(const char *code);

/*
 * Parse text in major units ("72.00") into minor units of a currency with
 * the given exponent (7200 for exponent 2).  ASCII white space around the
 * number is ignored and one leading '-' is accepted; whether a negative
 * amount makes sense is the caller's business.  Fewer decimals than the
 * exponent are fine ("72.5" is 7250); more are fine only when the extra
 * ones are zeros ("72.000" is 7200, "72.005" is an error).
 *
 * Returns 0 and sets *out, or returns -1, leaves *out alone, and sets *why
 * (unless why is NULL) to a static message in lower case without a full
 * stop, such as "not a decimal number" or "amount out of range".
 */
int money_parse(const char *text, int exponent, enum money_style style,
    int64_t *out, const char **why);

/*
 * Write minor units as plain decimal major units: 7200 with exponent 2 is
 * "72.00", -5 is "-0.05", 1200 with exponent 0 is "1200".  Every int64_t
 * works, INT64_MIN included.  Like snprintf, writes at most n bytes with
 * the NUL, returns the length the whole text has, and takes a NULL buf
 * when n is 0.  Returns -1 if the exponent is out of range.
 */
int money_format(int64_t minor, int exponent, char *buf, size_t n);

#endif
