/*
 * template: the messages notify sends, one file per locale, event and
 * channel, filled in from an order record.
 *
 * Files: DIR/LOCALE/EVENT.CHANNEL, UTF-8, such as templates/zh-CN/
 * shipped.email or templates/en/shipped.sms.  An email template's first
 * line is "Subject: ..." and its second is empty; the rest is the body.
 * Other channels are all body.  One final newline of the file (the one
 * editors add) is not part of the body; a UTF-8 byte order mark is
 * ignored, and so is a CR before the LF of the Subject line and the
 * empty line.
 *
 * Locales are BCP 47 tags of letters and digits in subtags joined by
 * '-' (or '_'), at most TMPL_LOCALE_MAX bytes; they are looked up in
 * canonical case ("zh_cn" is looked for as "zh-CN", "zh-hant-tw" as
 * "zh-Hant-TW"), so the directories must be named that way.  A lookup
 * tries the locale, then the locale with its last subtag dropped, and
 * so on to the language alone ("zh-Hant-TW", "zh-Hant", "zh"), then the
 * same for the default locale, then "en".  Events and channels are
 * [a-z0-9_]+.
 *
 * Placeholders, in the subject and the body:
 *
 *   {{ path }}              the field, verbatim: strings as they are,
 *                           integers as digits, reals as %.15g,
 *                           true and false as those words
 *   {{ path | formatter }}  the field formatted (below)
 *   {{#if path}} ... {{else}} ... {{/if}}
 *                           the first part when the field is true: present
 *                           and not null, false, "", 0, [] or {}; the
 *                           part after the optional {{else}} otherwise.
 *                           Blocks nest, up to TMPL_DEPTH_MAX deep.  A
 *                           block tag alone on its line takes the line
 *                           with it, so blocks can be written on lines
 *                           of their own without leaving empty lines.
 *   {{ '{{' }}              a quoted literal (either quote): "{{" as text
 *
 * Spaces inside the braces are optional; a tag ends on its own line.  A
 * path is dotted keys from the record: ship_to.name, lines.0.name (a
 * number indexes an array, and is a key in an object).  A field that is
 * missing or null, or an object or array, is an error, never a blank.
 *
 * Formatters work in the template's locale (tmpl_locale: Chinese for
 * the language "zh", English for every other) and in env->tz:
 *
 *   money     integer minor units of the record's "currency" (else
 *             env->currency): zh "¥1,234.50", "US$12.50", "€3.00";
 *             en "CNY 1,234.50", "$12.50", "€3.00"; other currencies
 *             "JPY 1,200" in both.  Minus before the symbol.
 *   date      an RFC 3339 time as its local date: "2026年11月25日",
 *             "25 Nov 2026"
 *   datetime  "2026年11月25日 14:30", "25 Nov 2026, 14:30"
 *   time      "14:30" in both
 *   weekday   "星期三", "Wednesday"
 *   upper     the field with ASCII letters in upper case
 *
 * Errors: a malformed template (no Subject line, an unterminated "{{",
 * an unknown formatter, unbalanced blocks, invalid UTF-8, more than
 * TMPL_OUTPUT_MAX bytes) is still found by tmpl_find; tmpl_error() says
 * what is wrong, and tmpl_render() fails with the same message.  Every
 * message starts "template zh-CN/shipped.email: " and quotes field paths
 * but never values, so no customer data gets into logs.
 *
 * Ownership: tmpl_open() returns a set the caller frees with
 * tmpl_close().  The struct tmpl of tmpl_find() and the strings of
 * tmpl_locale(), tmpl_name() and tmpl_error() belong to the set and are
 * valid until tmpl_close().  tmpl_render() borrows ctx and env and
 * returns a body, and *subject, that the caller frees.
 *
 * Threads: a set must not be shared between threads without a lock
 * (tmpl_find fills its cache); dates use when_in_zone(), with the
 * restrictions when.h gives.
 */
#ifndef FULFIL_TEMPLATE_H
#define FULFIL_TEMPLATE_H

#include <stddef.h>

#include <jansson.h>

#define TMPL_LOCALE_MAX 35    /* bytes in a locale tag */
#define TMPL_NAME_MAX 32      /* bytes in an event or channel name */
#define TMPL_OUTPUT_MAX 65536 /* bytes in a rendered subject or body */
#define TMPL_DEPTH_MAX 16     /* nested {{#if}} blocks */

struct tmpl_set;
struct tmpl;

/*
 * What rendering needs besides the record.  tz: the IANA zone dates are
 * shown in (NULL: each time in the offset it was written with); a zone
 * this system does not know is an error.  currency: the ISO 4217 code of
 * amounts in a record without a "currency" field (NULL: none).  env
 * itself may be NULL.
 */
struct tmpl_env {
	const char *tz;
	const char *currency;
};

/*
 * The templates in dir, with default_locale as the last resort.  Reads
 * nothing yet: files are read on first use and kept.  Returns NULL with
 * errno EINVAL if dir is NULL or default_locale is not a locale.
 */
struct tmpl_set *tmpl_open(const char *dir, const char *default_locale);
void tmpl_close(struct tmpl_set *);

/*
 * The template for event and channel in the customer's locale (NULL for
 * none known), falling back as described above.  Returns 0 and sets
 * *out; 1 and sets *out to NULL when there is none in any of those
 * locales (that channel is not used for the event); -1 with errno when
 * an existing file cannot be read, or EINVAL when locale, event or
 * channel is malformed.
 */
int tmpl_find(struct tmpl_set *, const char *locale, const char *event,
    const char *channel, struct tmpl **out);

/*
 * 1 when the template is not in locale's language (a fallback to the
 * default locale or English: the customer's language has none), with
 * that language ("de" for "de-AT") in lang; 0 when it is, or locale is
 * NULL or malformed (the default is what such a customer gets).
 */
int tmpl_foreign(const struct tmpl *, const char *locale, char *lang, size_t n);
/* The locale the template was found in, such as "zh". */
const char *tmpl_locale(const struct tmpl *);
/* "zh-CN/shipped.email", for messages. */
const char *tmpl_name(const struct tmpl *);
/* What is wrong with a malformed template, or NULL if nothing is. */
const char *tmpl_error(const struct tmpl *);

/*
 * Fill the template in from ctx.  Returns the body and, for an email
 * template, sets *subject (unless subject is NULL) to the subject; for
 * other channels *subject is set to NULL.  On an error returns NULL,
 * sets *subject to NULL, and writes the reason to why.
 */
char *tmpl_render(const struct tmpl *, const json_t *ctx,
    const struct tmpl_env *env, char **subject, char *why, size_t whylen);

#endif
