/*
 * country: ISO 3166-1 countries as Debian's iso-codes package lists them,
 * found by code or by name, in English, Chinese and the other languages
 * iso-codes translates them into.
 *
 * The data is iso-codes' own, read once per process, on the first call
 * of any function here (or at country_init(), which a tool calls before
 * it reads any order, so that a missing file stops it there):
 *
 *   DIR/iso-codes/json/iso_3166-1.json       codes, English names
 *   DIR/locale/LANG/LC_MESSAGES/iso_3166-1.mo  translated names
 *
 * DIR is $FULFIL_ISO_CODES when set (tests), else the ISO_CODES_DIR the
 * tools were built with (/usr/share).  Without the JSON file no address
 * can be checked: the tool exits 2 with a message naming the file and
 * the package.  A catalogue missing only loses that language's names
 * (installations may leave translations out, e.g. by dpkg path-exclude).
 *
 * Names are matched after folding ASCII letters to lower case, dropping
 * full stops and squeezing white space: "U.S.A.", "usa" and "USA" are one
 * name.  They come from, in this order of precedence (a name that two
 * countries claim at one level is nobody's; at two levels, the first
 * wins):
 *
 *   1. alpha-2 and alpha-3 codes: "CN", "CHN";
 *   2. iso-codes' English name, official name and common name: "United
 *      States", "United States of America", "Taiwan";
 *   3. the aliases in country.c: names in everyday use that iso-codes
 *      does not carry ("UK", "Great Britain", "Russia", "中国香港"...);
 *   4. the translations of the names in iso-codes' catalogues of the
 *      languages in country.c's list, Chinese first (中国,
 *      中华人民共和国, 中國, 香港, 台湾, 臺灣), then Japanese, Korean and
 *      the main European languages ("Deutschland", "Allemagne").
 *
 * Non-ASCII letters match only as written ("Österreich", not
 * "ÖSTERREICH").
 *
 * Ownership: the strings returned are the module's, valid for the life
 * of the process; never free or change them.  Nothing is printed except
 * the fatal message about missing data.  Every function is safe from any
 * thread.
 */
#ifndef FULFIL_COUNTRY_H
#define FULFIL_COUNTRY_H

/* Read the data now, or exit 2 saying which file is missing. */
void country_init(void);

/*
 * 1 if alpha2 is an ISO 3166-1 alpha-2 code as the standard writes it
 * (two upper-case letters) and iso-codes lists it, else 0.
 */
int country_valid(const char *alpha2);

/*
 * The alpha-2 code of the country text names, by code (either case) or
 * by name as above: "GB" for "gb", "GBR", "UK", "United Kingdom", "英国";
 * NULL when it names no country or more than one.  Leading and trailing
 * white space is ignored.
 */
const char *country_code(const char *text);

/*
 * The country's name in English, as labels print it: iso-codes' common
 * name where it has one ("Taiwan", "South Korea"), else its name
 * ("Germany"); NULL for a code it does not list.
 */
const char *country_name(const char *alpha2);

/*
 * The same name in the country's own language, when it has one language
 * whose catalogue is read ("Deutschland", "日本", "中国"), else NULL.
 */
const char *country_local(const char *alpha2);

#endif
