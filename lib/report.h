/*
 * report: the shop's KPI report as one self-contained HTML page.
 *
 * followup --report computes the KPIs from its ledger into a JSON object
 * (the same object it writes as one NDJSON line, "type":"kpi") and hands
 * it here, with the language of its texts (see Languages).  The page
 * is UTF-8 HTML with its CSS inline and its charts as
 * inline SVG: no script, no font, image or style sheet from anywhere else,
 * and a Content-Security-Policy that says so.  Tiles stack in one column
 * on a phone.  Every string taken from the data is HTML-escaped; control
 * characters are dropped and bytes that are not UTF-8 become U+FFFD.
 *
 * The object's members (any may be missing or null; a figure that is not
 * a JSON number, booleans included, counts as missing):
 *
 *   type, warehouse, from, to, generated_at, currency      strings
 *   orders                                                 count
 *   order_to_ship {n, p50_s, p95_s}                        seconds
 *   shipped_on_time {n, on_time, pct}
 *   promise_kept {n, kept, pct}
 *   caught {stalls, at_risk, before_deliver_by}
 *   exceptions_by_carrier [{carrier, name, parcels, exceptions, pct}]
 *   reviews {n, average, negative, called_back, called_back_pct,
 *            median_hours_to_call}
 *   returns {orders, returns, exchanges, rate_pct,
 *            by_reason [{reason, n}]}
 *   pickup {orders, ready, collected, waiting,
 *           placed_to_ready {n, p50_s, p95_s}}
 *   cod {by_carrier [{carrier, name, currency, exponent, parcels, due,
 *        collected, remitted, outstanding, discrepancies}],
 *        discrepancies}                                  amounts in minor
 *                                                        units; no section
 *                                                        without it
 *   daily [{day, orders, shipped, on_time}]
 *
 * Figures on the page.  Every number shown for a KPI is the whole text
 * of an element carrying data-kpi="PATH", where PATH is the member's
 * dotted path in the object, an array index being a number
 * ("orders", "promise_kept.pct", "daily.3.shipped",
 * "exceptions_by_carrier.0.pct", "returns.by_reason.1.n").  A test can
 * recompute each element's text from the NDJSON line by these rules,
 * chosen by the last key of PATH:
 *
 *   pct, rate_pct, called_back_pct
 *           printf "%.1f%%": "95.0%", "66.7%"
 *   p50_s, p95_s
 *           seconds as hours and minutes, "%lldH%02lldM" of
 *           m / 60 and m % 60 where m = floor(s / 60.0 + 0.5), the
 *           nearest minute, halves up, H and M being the language's
 *           units: "h" and "m" in en, "\u5c0f\u65f6" and "\u5206"
 *           (小时, 分) in zh-CN.  27900 is "7h45m" (zh-CN "7小时45分"),
 *           80000 is "22h13m", 59 is "0h01m", 0 is "0h00m".  A number
 *           below 0 or from 1e15 up is shown as missing.
 *   average
 *           printf "%.1f": "4.2"
 *   median_hours_to_call
 *           printf "%.1fH": "3.5h" (zh-CN "3.5小时")
 *   due, collected, remitted, outstanding (of cod.by_carrier)
 *           an integer of minor units in major ones, with the row's
 *           "exponent" of decimals, as money_format() writes it:
 *           279300 with exponent 2 is "2793.00"; not an integer, or
 *           no exponent: missing
 *   every other key (the counts)
 *           a JSON integer in plain decimal ("120", "-3"), a real as
 *           printf "%.0f"
 *
 * A missing figure is "\u2013" (an en dash, "–" in UTF-8).  A real is
 * first taken to 15 significant digits ("%.15g" read back), as
 * ndjson_dump writes it, so that the page agrees with the NDJSON line:
 * the rules applied to the number a JSON parser reads from that line
 * give the page's text.  The printf rounding is that of the binary
 * value, which Python's "%" operator rounds the same way.
 *
 * Which paths appear: orders, order_to_ship.p50_s, order_to_ship.p95_s,
 * shipped_on_time.pct, promise_kept.pct, caught.before_deliver_by,
 * reviews.average, reviews.called_back_pct, returns.rate_pct and
 * pickup.collected always; the other numeric members of those objects
 * listed above when the
 * object is there; and for each element of an array, its numeric
 * members (daily.N.orders, .shipped, .on_time;
 * exceptions_by_carrier.N.pct, .exceptions, .parcels;
 * returns.by_reason.N.n).  A chart is drawn only for an array with at
 * least one element; all zeros still give a chart with its axes.  What
 * a tile shows beside its headline may grow: a test should check every
 * data-kpi element it finds against the rules, not expect a fixed list
 * beyond the headlines.
 *
 * Languages.  The page is written in en or zh-CN, the tag in <html
 * lang>; every text of its own (headings, labels, notes, units, a
 * chart's title and description) comes from one table of texts in
 * report.c, a row per text and a column per language, and the page's
 * code is the same for both.  The figures are the same numbers in both,
 * by the rules above; only the units of p50_s, p95_s and
 * median_hours_to_call differ.  Dates (YYYY-MM-DD) are as given in en
 * and "2026年11月3日" in zh-CN ("11-03" and "11月3日" under a day's
 * bars); a reason's label is its labels[LANG] when the object has one.
 * Text from the data (names, codes) is shown as it is.
 *
 * Ownership: kpi is borrowed and not changed.  report_html_string()
 * returns a NUL-terminated string the caller frees.  Nothing is kept
 * between calls.
 */
#ifndef FULFIL_REPORT_H
#define FULFIL_REPORT_H

#include <stddef.h>

#include <jansson.h>

/*
 * 1 if the page can be written in the language of tag ("en", "zh-CN";
 * as written, case and all), else 0.  The functions below take only
 * such a tag, or NULL for en.
 */
int report_locale_known(const char *tag);

/*
 * The page for kpi (NULL or not an object: a page of dashes) in the
 * language of locale, allocated; *len (unless len is NULL) gets its
 * length in bytes.
 */
char *report_html_string(const json_t *kpi, const char *locale, size_t *len);

/*
 * Write the page to path through outfile (a temporary name in the same
 * directory, renamed into place), making the directory if it is missing,
 * like every side artefact.  The file name must satisfy outfile_safe().
 * Returns 0, or -1 with a message in why (unless whylen is 0) when the
 * name is unsafe or the directory cannot be made or written in.  A
 * failure after that (a full disk) exits 2, as outfile does.
 */
int report_html(const json_t *kpi, const char *locale, const char *path,
    char *why, size_t whylen);

/*
 * followup --report's files in dir: the KPIs as an NDJSON line,
 * report-FROM-TO.ndjson, and their page, report-FROM-TO.html, whose path
 * goes into path.  Any failure exits 2.
 */
void report_write(const json_t *kpi, const char *locale, const char *dir,
    char *path, size_t pathlen);

#endif
