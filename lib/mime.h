/*
 * mime: composing the e-mail messages notify sends (RFC 5322, with the
 * MIME of RFC 2045 and the encoded-words of RFC 2047), safely.
 *
 * Everything that reaches a header from outside (names, subjects) is
 * cleaned first: no CR or LF ever gets into a header, so customer data
 * cannot add headers of its own.  Addresses and Message-IDs are not
 * cleaned but checked, and refused when they do not pass.  The body is
 * sent as UTF-8 in base64, which no byte of it can break out of.
 *
 * Ownership: mime_clean(), mime_encode_header() and mime_message()
 * return strings the caller frees.  mime_date() and mime_message_id()
 * write into the caller's buffer and allocate nothing.  No call keeps
 * state; all are thread-safe.
 */
#ifndef FULFIL_MIME_H
#define FULFIL_MIME_H

#include <stddef.h>
#include <stdint.h>

/* A buffer this size holds any date mime_date() writes, with its NUL. */
#define MIME_DATE_MAX 40

/* The longest addr-spec mime_addr_ok() accepts (RFC 5321's path limit). */
#define MIME_ADDR_MAX 254

/*
 * A copy of s that is safe in a header: CR, LF, TAB and every other
 * control character (C0, DEL, and the C1 controls U+0080 to U+009F)
 * become one space each, and every byte that is not part of valid UTF-8
 * becomes U+FFFD.  The result is valid UTF-8 without controls.  NULL is
 * taken for "".
 */
char *mime_clean(const char *s);

/*
 * 1 if addr is one plausible addr-spec "local@domain", else 0.  The local
 * part is at most 64 ASCII characters of atext and dots (no dot first,
 * last or next to another); the domain is two or more labels of
 * letters, digits and '-' (not first or last in a label), each at most
 * 63 long, joined by dots; the whole at most MIME_ADDR_MAX.  Quoted local
 * parts, comments, IP literals, non-ASCII and anything with spaces,
 * controls, '<', '>', ',', ';' or '"' are refused.  So is NULL.
 */
int mime_addr_ok(const char *addr);

/*
 * Header text for an unstructured field such as Subject, from UTF-8
 * text that goes through mime_clean() first.  Printable ASCII comes back
 * as it is.  Anything else (and also ASCII that holds "=?", which a
 * reader could take for an encoded-word, or that is too long for one
 * header line) becomes RFC 2047 encoded-words "=?UTF-8?B?...?=", each at
 * most 75 characters and holding only whole characters, separated by
 * CRLF SPACE (folding).
 */
char *mime_encode_header(const char *text);

/*
 * The RFC 5322 date "Mon, 23 Nov 2026 10:00:00 +0800" of the instant t
 * (seconds since the epoch) shown at off_minutes east of UTC, in English
 * whatever the locale.  Returns buf, or NULL (buf holding "") when the
 * offset is more than 23:59 either way or the date falls outside the
 * years 1900 to 9999, which RFC 5322 cannot write.
 */
char *mime_date(int64_t t, int off_minutes, char buf[MIME_DATE_MAX]);

/*
 * A message to compose.  The strings are the caller's and only read.
 * from_addr and to_addr must pass mime_addr_ok().  The names and the
 * subject are any UTF-8 (cleaned as mime_clean() does); a NULL or blank
 * name writes the bare address.  body is UTF-8 text with any line
 * endings; NULL is an empty body.  message_id is given without angle
 * brackets.  date is a date as mime_date() writes it.  A NULL subject,
 * message_id or date leaves that header out (the submission server adds
 * Date and Message-ID, RFC 6409 section 8).
 */
struct mime_msg {
	const char *from_addr, *from_name;
	const char *to_addr, *to_name;
	const char *subject;
	const char *body;
	const char *message_id;
	const char *date;
};

/*
 * The whole message, CRLF line endings throughout: Date, From, To,
 * Subject, Message-ID, MIME-Version, Content-Type (text/plain, UTF-8) and
 * Content-Transfer-Encoding (base64), a blank line, and the body with
 * its line endings made CRLF, its invalid UTF-8 made U+FFFD, in base64
 * lines of 76 characters.  Sets *len (unless len is NULL) to the length
 * of the NUL-terminated text returned.
 *
 * Returns NULL and writes a reason into why (unless why is NULL or
 * whylen 0), such as "bad address 'to'", when an address fails
 * mime_addr_ok(), or the Message-ID is not id-left "@" id-right of
 * atext and dots, or the date holds anything but printable ASCII.  The
 * reason never quotes the value itself: it is customer data.
 */
char *mime_message(
    const struct mime_msg *m, size_t *len, char *why, size_t whylen);

/*
 * A stable Message-ID, without angle brackets, for a key such as
 * "shopify/1058/shipped": the first 32 hex digits of the SHA-256 of the
 * key, '@' and domain.  The same key and domain always give the same id,
 * so a message sent twice is recognisably the same message.  Returns
 * buf, or NULL (buf holding "" when n > 0) when the domain is empty or
 * not atext and dots, or when n is too small.
 */
char *mime_message_id(const char *key, const char *domain, char *buf, size_t n);

#endif
