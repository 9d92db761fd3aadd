#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "err.h"
#include "mime.h"
#include "tap.h"
#include "utf8.h"
#include "when.h"

#define FFFD UTF8_REPLACEMENT
#define WANG "\xe7\x8e\x8b\xe5\xb0\x8f\xe6\x98\x8e" /* a Chinese name */
#define PARCEL "\xf0\x9f\x93\xa6"                   /* U+1F4E6 */

/* The fields mime_message() writes, in order. */
static const char *const fields[] = {"Date", "From", "To", "Subject",
    "Message-ID", "MIME-Version", "Content-Type", "Content-Transfer-Encoding"};
#define NFIELDS (sizeof fields / sizeof fields[0])

/* 1 if all of s is valid UTF-8. */
static int
all_utf8(const char *s, size_t n)
{
	uint32_t cp;
	size_t k, i;

	for (i = 0; i < n; i += k)
		if (s[i] == '\0' || (k = utf8_decode(s + i, &cp)) == 0)
			return 0;
	return 1;
}

/* Append cp as UTF-8 to s, which has room. */
static void
put_cp(char *s, uint32_t cp)
{
	char *p = s + strlen(s);

	if (cp < 0x80)
		*p++ = (char)cp;
	else if (cp < 0x800) {
		*p++ = (char)(0xc0 | cp >> 6);
		*p++ = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*p++ = (char)(0xe0 | cp >> 12);
		*p++ = (char)(0x80 | (cp >> 6 & 0x3f));
		*p++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*p++ = (char)(0xf0 | cp >> 18);
		*p++ = (char)(0x80 | (cp >> 12 & 0x3f));
		*p++ = (char)(0x80 | (cp >> 6 & 0x3f));
		*p++ = (char)(0x80 | (cp & 0x3f));
	}
	*p = '\0';
}

/*
 * Decode n base64 characters into out (room for 3n/4 + 1 bytes) and
 * NUL-terminate.  libcrypto counts the bytes of the padding too: they are
 * taken off again.  Returns the length, or -1.
 */
static long
b64dec(const char *s, size_t n, char *out)
{
	int len;

	if (n % 4 != 0)
		return -1;
	len = EVP_DecodeBlock(
	    (unsigned char *)out, (const unsigned char *)s, (int)n);
	if (len < 0)
		return -1;
	if (n > 0 && s[n - 1] == '=')
		len--;
	if (n > 1 && s[n - 2] == '=')
		len--;
	out[len] = '\0';
	return len;
}

/*
 * Decode the encoded-words of a header value, separated by white space
 * (folds included).  Every token must be an encoded-word of at most 75
 * characters whose text is whole UTF-8 characters.  Returns the text or
 * NULL; the caller frees.
 */
static char *
unwords(const char *v)
{
	static const char open[] = "=?UTF-8?B?";
	char *out = xmalloc(strlen(v) + 1), *end;
	size_t len = 0, n;
	long got;

	while (*v != '\0') {
		v += strspn(v, " \r\n");
		if (*v == '\0')
			break;
		n = strcspn(v, " \r\n");
		end = strstr(v, "?=");
		if (n > 75 || strncmp(v, open, sizeof open - 1) != 0 ||
		    end == NULL || end + 2 != v + n)
			goto bad;
		got = b64dec(v + sizeof open - 1,
		    (size_t)(end - v) - (sizeof open - 1), out + len);
		if (got <= 0 || !all_utf8(out + len, (size_t)got))
			goto bad;
		len += (size_t)got;
		v += n;
	}
	out[len] = '\0';
	return out;
bad:
	free(out);
	return NULL;
}

/* The end of the header block: the blank line.  NULL if there is none. */
static const char *
header_end(const char *msg)
{
	const char *p = strstr(msg, "\r\n\r\n");

	return p != NULL ? p + 2 : NULL;
}

/*
 * The value of a field, folded lines and all, from after "Name: " to the
 * CRLF that ends it.  The caller frees; NULL if there is no such field.
 */
static char *
field(const char *msg, const char *name)
{
	const char *p = msg, *end = header_end(msg), *v, *eol;
	size_t n = strlen(name);

	if (end == NULL)
		return NULL;
	/* Every line before the blank one ends in CRLF. */
	for (; p < end; p = strstr(p, "\r\n") + 2) {
		if (strncmp(p, name, n) != 0 || p[n] != ':' || p[n + 1] != ' ')
			continue;
		/* The value ends at the first CRLF that is not a fold. */
		v = eol = p + n + 2;
		while ((eol = strstr(eol, "\r\n")) != NULL && eol[2] == ' ')
			eol += 2;
		return eol != NULL ? xstrndup(v, (size_t)(eol - v)) : NULL;
	}
	return NULL;
}

/*
 * Check every line of the header block: no CR or LF but the CRLF that
 * ends it, a continuation starting with a space, every other line one of
 * our fields in order, no line longer than max.  Returns 1 if all is well.
 */
static int
headers_sound(const char *msg, size_t max)
{
	const char *p = msg, *end = header_end(msg), *eol;
	size_t next = 0, i, n;

	if (end == NULL)
		return 0;
	for (; p < end; p = eol + 2) {
		eol = strstr(p, "\r\n");
		n = (size_t)(eol - p);
		if (memchr(p, '\r', n) != NULL || memchr(p, '\n', n) != NULL ||
		    n > max || n == 0) {
			printf("#   bad line: %.*s\n", (int)n, p);
			return 0;
		}
		if (*p == ' ')
			continue;
		for (i = next; i < NFIELDS; i++)
			if (strncmp(p, fields[i], strlen(fields[i])) == 0 &&
			    p[strlen(fields[i])] == ':')
				break;
		if (i == NFIELDS) {
			printf("#   unexpected field: %.*s\n", (int)n, p);
			return 0;
		}
		next = i + 1;
	}
	return 1;
}

/*
 * The body decoded: base64 lines of 76 characters (the last may be
 * shorter).  The caller frees; NULL if a line is wrong.
 */
static char *
body(const char *msg)
{
	const char *p = header_end(msg) + 2, *eol;
	char *out = xmalloc(strlen(p) + 1);
	size_t len = 0, n;
	long got;

	for (; *p != '\0'; p = eol + 2) {
		if ((eol = strstr(p, "\r\n")) == NULL)
			goto bad;
		n = (size_t)(eol - p);
		if (n > 76 || (n < 76 && eol[2] != '\0') ||
		    (got = b64dec(p, n, out + len)) < 0)
			goto bad;
		len += (size_t)got;
	}
	out[len] = '\0';
	return out;
bad:
	free(out);
	return NULL;
}

static void
clean_is(const char *in, const char *want, const char *name)
{
	char *got = mime_clean(in);

	is_str(got, want, "clean: %s", name);
	free(got);
}

static void
test_clean(void)
{
	clean_is("Ann Lee", "Ann Lee", "plain text stays");
	clean_is("a\r\nb", "a  b", "CR LF become two spaces");
	clean_is("a\rb\nc\td", "a b c d", "CR, LF and TAB become spaces");
	clean_is("\x01\x1b\x1f\x7f", "    ", "C0 controls and DEL");
	clean_is("x\xc2\x85y", "x y", "C1 control NEL");
	clean_is("caf\xc3\xa9 " WANG " " PARCEL, "caf\xc3\xa9 " WANG " " PARCEL,
	    "UTF-8 stays");
	clean_is("a\377b", "a" FFFD "b", "byte FF");
	clean_is("\xc3", FFFD, "cut short at the end");
	clean_is("\xc0\xaf", FFFD FFFD, "overlong form, one per byte");
	clean_is("\xed\xa0\x80", FFFD FFFD FFFD, "surrogate, one per byte");
	clean_is("\xe4\xb8\r\n", FFFD FFFD "  ", "cut short by CR LF");
	clean_is("", "", "empty");
	clean_is(NULL, "", "NULL is empty");
}

static void
test_addr(void)
{
	static const char *const good[] = {"ann@example.com", "a@b.cc",
	    "ann.lee@mail.example.co.uk", "o'brien@example.ie",
	    "user+tag@example.com", "x_y-z@ex-ample.com", "1@2.3",
	    "!#$%&'*+-/=?^_`{|}~@example.com", "ANN@EXAMPLE.COM"};
	static const char *const bad[] = {"", "ann", "ann@", "@example.com",
	    "ann@example", "ann@@example.com", "ann@ex@ample.com",
	    ".ann@example.com", "ann.@example.com", "an..n@example.com",
	    "ann@.example.com", "ann@example.com.", "ann@example..com",
	    "ann@-example.com", "ann@example-.com", "ann@exa_mple.com",
	    "ann lee@example.com", "ann@example.com ", " ann@example.com",
	    "<ann@example.com>", "ann@example.com>", "ann,bob@example.com",
	    "ann@example.com,bob@example.com", "ann;bob@example.com",
	    "\"ann\"@example.com", "ann@example.com\r\nBcc: x@y.zz",
	    "ann\n@example.com", "ann\t@example.com", "ann(x)@example.com",
	    "ann@[127.0.0.1]", "j\xc3\xb6rg@example.com", "ann@b\xc3\xbc.de",
	    "ann\\@example.com", "ann@example.com\x7f"};
	char buf[300];
	size_t i;

	for (i = 0; i < sizeof good / sizeof good[0]; i++)
		is_int(mime_addr_ok(good[i]), 1, "accept '%s'", good[i]);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		is_int(mime_addr_ok(bad[i]), 0, "reject address %zu", i);
	is_int(mime_addr_ok(NULL), 0, "reject NULL");

	/* Lengths: 64 in the local part, 63 in a label, 254 in all. */
	memset(buf, 'a', 64);
	strcpy(buf + 64, "@example.com");
	is_int(mime_addr_ok(buf), 1, "local part of 64");
	memmove(buf + 1, buf, strlen(buf) + 1);
	is_int(mime_addr_ok(buf), 0, "local part of 65");
	strcpy(buf, "a@");
	memset(buf + 2, 'b', 63);
	strcpy(buf + 65, ".com");
	is_int(mime_addr_ok(buf), 1, "label of 63");
	strcpy(buf + 2, "b");
	memset(buf + 3, 'b', 63);
	strcpy(buf + 66, ".com");
	is_int(mime_addr_ok(buf), 0, "label of 64");
	/* "a@", 62 labels "bbb." (250 characters), then "cccc". */
	strcpy(buf, "a@");
	for (i = 0; i < 62; i++)
		strcat(buf, "bbb.");
	strcat(buf, "cccc");
	is_int((long long)strlen(buf), 254, "built an address of 254");
	is_int(mime_addr_ok(buf), 1, "address of 254");
	strcat(buf, "c");
	is_int(mime_addr_ok(buf), 0, "address of 255");
}

/* A text of n characters cycling through 1-, 2-, 3- and 4-byte ones. */
static void
mixed(char *s, int n)
{
	static const uint32_t cps[] = {'a', 0xe9, 0x4e2d, 0x1f4e6, ' ', 0x3b1};
	int i;

	s[0] = '\0';
	for (i = 0; i < n; i++)
		put_cp(s, cps[i % 6] + (uint32_t)(i / 6));
}

/*
 * mime_encode_header() gives the cleaned text back, as it is when that
 * is printable ASCII, else as words that decode to it.
 */
static int
round_trips(const char *text)
{
	char *clean = mime_clean(text), *enc = mime_encode_header(text);
	char *dec = unwords(enc);
	const char *p;
	int ascii = 1, same;

	for (p = clean; *p != '\0'; p++)
		if (*p < 0x20 || *p > 0x7e)
			ascii = 0;
	if (ascii)
		same = strcmp(enc, clean) == 0;
	else
		same = dec != NULL && strcmp(dec, clean) == 0;

	free(clean);
	free(enc);
	free(dec);
	return same;
}

static void
header_is(const char *in, const char *want, const char *name)
{
	char *got = mime_encode_header(in);

	is_str(got, want, "header: %s", name);
	free(got);
}

static void
test_encode_header(void)
{
	char cjk[60 * 3 + 1] = "", text[400], *enc, *p, *dec;
	int i, words = 0, n, bad = 0;

	header_is("Your order has shipped", "Your order has shipped",
	    "printable ASCII as it is");
	header_is("", "", "empty");
	header_is("Hi\r\nBcc: x@example.com", "Hi  Bcc: x@example.com",
	    "ASCII with CR LF is cleaned");
	header_is("caf\xc3\xa9", "=?UTF-8?B?Y2Fmw6k=?=", "one word");
	header_is("=?UTF-8?B?SGk=?=", "=?UTF-8?B?PT9VVEYtOD9CP1NHaz0/PQ==?=",
	    "ASCII that looks like an encoded-word is encoded");

	/* 60 Chinese characters, all different, 180 bytes. */
	for (i = 0; i < 60; i++)
		put_cp(cjk, 0x4e00 + (uint32_t)i * 37);
	enc = mime_encode_header(cjk);
	for (p = enc; (p = strstr(p, "=?UTF-8?B?")) != NULL; p++)
		words++;
	ok(words == 4, "60 Chinese characters take 4 words (got %d)", words);
	ok(strstr(enc, "?=\r\n =?") != NULL, "words are folded by CRLF SPACE");
	for (p = enc; *p != '\0'; p += n) {
		n = (int)strcspn(p, "\r\n ");
		if (n > 75)
			bad++;
		n += (int)strspn(p + n, "\r\n ");
	}
	is_int(bad, 0, "every word is at most 75 characters");
	dec = unwords(enc);
	is_str(dec, cjk, "60 Chinese characters decode back");
	free(dec);
	free(enc);

	/* Every length of a mix of widths, across many word boundaries. */
	for (i = 1, bad = 0; i <= 120; i++) {
		mixed(text, i);
		bad += !round_trips(text);
	}
	is_int(bad, 0, "mixed texts of 1 to 120 characters round-trip");
	ok(round_trips("a\377b\r\n" WANG), "cleaned text round-trips");
	header_is("a\xff", "=?UTF-8?B?Ye+/vQ==?=", "invalid byte as U+FFFD");
}

static void
test_date(void)
{
	char buf[MIME_DATE_MAX];
	int64_t t;

	t = days_from_civil(2026, 11, 23) * 86400 + 2 * 3600;
	is_int(t, 1795399200, "2026-11-23T10:00:00+08:00 is 1795399200");
	is_str(mime_date(t, 480, buf), "Mon, 23 Nov 2026 10:00:00 +0800",
	    "date at +08:00");
	is_str(mime_date(t, 0, buf), "Mon, 23 Nov 2026 02:00:00 +0000",
	    "the same instant in UTC");
	is_str(mime_date(t, -210, buf), "Sun, 22 Nov 2026 22:30:00 -0330",
	    "the day before at -03:30");
	is_str(mime_date(0, 0, buf), "Thu, 01 Jan 1970 00:00:00 +0000",
	    "the epoch");
	is_str(mime_date(-1, 0, buf), "Wed, 31 Dec 1969 23:59:59 +0000",
	    "a second before the epoch");
	t = days_from_civil(2024, 2, 29) * 86400 + 86399;
	is_str(mime_date(t, 345, buf), "Fri, 01 Mar 2024 05:44:59 +0545",
	    "past a leap day at +05:45");
	t = days_from_civil(9999, 12, 31) * 86400 + 86399;
	is_str(mime_date(t, 0, buf), "Fri, 31 Dec 9999 23:59:59 +0000",
	    "the last second of 9999");
	ok(mime_date(t, 1, buf) == NULL && buf[0] == '\0',
	    "year 10000 is refused");
	t = days_from_civil(1900, 1, 1) * 86400;
	is_str(mime_date(t, 0, buf), "Mon, 01 Jan 1900 00:00:00 +0000",
	    "the first second of 1900");
	ok(mime_date(t, -1, buf) == NULL, "1899 is refused");
	ok(mime_date(0, 24 * 60, buf) == NULL, "offset of 24 hours refused");
	ok(mime_date(INT64_MAX, 0, buf) == NULL, "INT64_MAX refused");
	ok(mime_date(INT64_MIN, 0, buf) == NULL, "INT64_MIN refused");
}

static void
test_message_id(void)
{
	char a[100], b[100], small[40];

	is_str(mime_message_id("abc", "shop.example", a, sizeof a),
	    "ba7816bf8f01cfea414140de5dae2223@shop.example",
	    "SHA-256 of 'abc', first 32 hex digits");
	mime_message_id("shopify/1058/shipped", "shop.example", a, sizeof a);
	mime_message_id("shopify/1058/shipped", "shop.example", b, sizeof b);
	is_str(a, b, "same key, same id");
	mime_message_id("shopify/1058/delivered", "shop.example", b, sizeof b);
	ok(strcmp(a, b) != 0, "another key, another id");
	ok(mime_message_id("k", "localhost", a, sizeof a) != NULL,
	    "a domain without a dot is fine");
	ok(mime_message_id("k", "bad domain", a, sizeof a) == NULL &&
		a[0] == '\0',
	    "a domain with a space is refused");
	ok(mime_message_id("k", "", a, sizeof a) == NULL, "empty domain");
	ok(mime_message_id("k", "x.", a, sizeof a) == NULL, "trailing dot");
	ok(mime_message_id("k", "a@b", a, sizeof a) == NULL, "'@' in domain");
	ok(mime_message_id("k", "shop.example", small, 45) == NULL,
	    "buffer one byte short");
	ok(mime_message_id("k", "shop.example", a, 46) != NULL,
	    "buffer that just fits");
}

/* A message everyone agrees on; the tests change one thing at a time. */
static struct mime_msg
sample(void)
{
	static char date[MIME_DATE_MAX], id[100];
	struct mime_msg m = {"orders@shop.example", "Shop", "ann@example.com",
	    "Ann Lee", "Your order has shipped",
	    "Hello Ann,\n\nIt is on its way.\n", NULL, NULL};

	mime_date(days_from_civil(2026, 11, 23) * 86400 + 2 * 3600, 480, date);
	mime_message_id("shopify/1058/shipped", "shop.example", id, sizeof id);
	m.date = date;
	m.message_id = id;
	return m;
}

/* The message of m, checked sound; the caller frees. */
static char *
compose(const struct mime_msg *m, size_t max, const char *name)
{
	char why[80] = "", *msg;
	size_t len = 0;

	msg = mime_message(m, &len, why, sizeof why);
	if (msg == NULL) {
		ok(0, "%s: composed", name);
		printf("#   %s\n", why);
		return NULL;
	}
	ok(len == strlen(msg) && headers_sound(msg, max), "%s: sound headers",
	    name);
	return msg;
}

static void
field_is(const char *msg, const char *name, const char *want)
{
	char *got = msg != NULL ? field(msg, name) : NULL;

	is_str(got, want, "field %s", name);
	free(got);
}

/* The subject decoded must be want. */
static void
subject_is(const char *msg, const char *want, const char *name)
{
	char *v = msg != NULL ? field(msg, "Subject") : NULL;
	char *dec = v != NULL ? unwords(v) : NULL;

	is_str(dec, want, "%s decodes back", name);
	free(dec);
	free(v);
}

static void
test_message(void)
{
	struct mime_msg m = sample();
	char *msg, *b, want[200];

	msg = compose(&m, 78, "plain message");
	field_is(msg, "Date", "Mon, 23 Nov 2026 10:00:00 +0800");
	field_is(msg, "From", "Shop <orders@shop.example>");
	field_is(msg, "To", "Ann Lee <ann@example.com>");
	field_is(msg, "Subject", "Your order has shipped");
	snprintf(want, sizeof want, "<%s>", m.message_id);
	field_is(msg, "Message-ID", want);
	field_is(msg, "MIME-Version", "1.0");
	field_is(msg, "Content-Type", "text/plain; charset=UTF-8");
	field_is(msg, "Content-Transfer-Encoding", "base64");
	b = msg != NULL ? body(msg) : NULL;
	is_str(b, "Hello Ann,\r\n\r\nIt is on its way.\r\n",
	    "body decodes back, with CRLF");
	free(b);
	free(msg);

	m.body = "one\ntwo\r\nthree\rfour\r\n\r\nbad \xff byte";
	msg = compose(&m, 78, "mixed line endings");
	b = msg != NULL ? body(msg) : NULL;
	is_str(b, "one\r\ntwo\r\nthree\r\nfour\r\n\r\nbad " FFFD " byte",
	    "line endings made CRLF, invalid UTF-8 made U+FFFD");
	free(b);
	free(msg);

	m.body = "";
	msg = compose(&m, 78, "empty body");
	ok(msg != NULL && strcmp(header_end(msg), "\r\n") == 0,
	    "empty body: the message ends with the blank line");
	free(msg);

	m = sample();
	m.subject = m.from_name = m.to_name = m.message_id = m.date = NULL;
	m.body = NULL;
	msg = compose(&m, 78, "bare message");
	field_is(msg, "From", "orders@shop.example");
	field_is(msg, "To", "ann@example.com");
	ok(msg != NULL && strstr(msg, "Subject") == NULL &&
		strstr(msg, "Date") == NULL &&
		strstr(msg, "Message-ID") == NULL,
	    "no Subject, Date or Message-ID when they are NULL");
	free(msg);
}

static void
test_long_body(void)
{
	struct mime_msg m = sample();
	char *text = xmalloc(5001), *msg, *b;
	int i;

	for (i = 0; i < 5000; i++)
		text[i] = (char)('a' + i % 26);
	text[5000] = '\0';
	m.body = text;
	msg = compose(&m, 78, "long body");
	b = msg != NULL ? body(msg) : NULL;
	is_str(b, text, "5000 bytes of body in lines of 76 decode back");
	free(b);
	free(msg);
	free(text);
}

static void
test_names(void)
{
	struct mime_msg m = sample();
	char *msg, *v, *dec;

	m.to_name = "Lee, Ann";
	m.from_name = "Shop \"Best\" \\ Co.";
	msg = compose(&m, 78, "names with specials");
	field_is(msg, "To", "\"Lee, Ann\" <ann@example.com>");
	field_is(msg, "From",
	    "\"Shop \\\"Best\\\" \\\\ Co.\" <orders@shop.example>");
	free(msg);

	m.to_name = "  Ann  ";
	m.from_name = " \t ";
	msg = compose(&m, 78, "blank and padded names");
	field_is(msg, "To", "Ann <ann@example.com>");
	field_is(msg, "From", "orders@shop.example");
	free(msg);

	m.to_name = WANG;
	msg = compose(&m, 76, "Chinese name");
	v = msg != NULL ? field(msg, "To") : NULL;
	ok(v != NULL && strstr(v, " <ann@example.com>") != NULL,
	    "encoded name then the address");
	if (v != NULL)
		*strstr(v, " <") = '\0';
	dec = v != NULL ? unwords(v) : NULL;
	is_str(dec, WANG, "Chinese name decodes back");
	free(dec);
	free(v);
	free(msg);
}

/*
 * Header injection: CR and LF in names and the subject must not start
 * lines of their own.  headers_sound() checks every header line.
 */
static void
test_injection(void)
{
	struct mime_msg m = sample();
	char *msg;

	m.to_name = "Eve\r\nBcc: victim@example.org";
	m.from_name = "Shop\nBcc: victim@example.org\r\n\r\nfake body";
	m.subject = "Hi\r\nBcc: victim@example.org\r\n\r\nfake body";
	msg = compose(&m, 998, "ASCII injection");
	ok(msg != NULL && strstr(msg, "\r\nBcc") == NULL, "no Bcc field");
	field_is(msg, "Subject", "Hi  Bcc: victim@example.org    fake body");
	field_is(
	    msg, "To", "\"Eve  Bcc: victim@example.org\" <ann@example.com>");
	free(msg);

	m.subject = WANG "\r\nBcc: victim@example.org\n\r" WANG;
	m.to_name = WANG "\rBcc: v@example.org";
	msg = compose(&m, 76, "UTF-8 injection");
	ok(msg != NULL && strstr(msg, "\r\nBcc") == NULL, "no Bcc field");
	subject_is(
	    msg, WANG "  Bcc: victim@example.org  " WANG, "subject with CR LF");
	free(msg);
}

static void
test_long_subjects(void)
{
	struct mime_msg m = sample();
	char cjk[60 * 3 + 1] = "", text[400], *msg, long_ascii[1200];
	int i, bad = 0;

	for (i = 0; i < 60; i++)
		put_cp(cjk, 0x4e00 + (uint32_t)i * 37);
	m.subject = cjk;
	msg = compose(&m, 76, "60 Chinese characters in Subject");
	subject_is(msg, cjk, "60 Chinese characters");
	free(msg);

	for (i = 1; i <= 120; i++) {
		mixed(text, i);
		m.subject = text;
		if ((msg = mime_message(&m, NULL, NULL, 0)) == NULL ||
		    !headers_sound(msg, 76))
			bad++;
		free(msg);
	}
	is_int(bad, 0, "subjects of 1 to 120 mixed characters: lines <= 76");

	memset(long_ascii, 'x', sizeof long_ascii - 1);
	long_ascii[sizeof long_ascii - 1] = '\0';
	m.subject = long_ascii;
	msg = compose(&m, 76, "1199 ASCII characters in one word");
	subject_is(msg, long_ascii, "a subject too long for one line");
	free(msg);
}

static void
refused(const struct mime_msg *m, const char *want, const char *name)
{
	char why[80] = "", *msg;
	size_t len = 12345;

	msg = mime_message(m, &len, why, sizeof why);
	ok(msg == NULL && len == 12345, "%s: refused", name);
	is_str(why, want, "%s: reason", name);
	ok(strchr(why, '@') == NULL, "%s: reason names no address", name);
	free(msg);
}

static void
test_refused(void)
{
	struct mime_msg m = sample();
	char small[8];

	m.to_addr = "ann@example.com\r\nBcc: eve@example.org";
	refused(&m, "bad address 'to'", "to with CR LF");
	m.to_addr = "Ann <ann@example.com>";
	refused(&m, "bad address 'to'", "to with a name");
	m.to_addr = NULL;
	refused(&m, "bad address 'to'", "no to");
	m = sample();
	m.from_addr = "orders@shop";
	refused(&m, "bad address 'from'", "from without a dot");
	m = sample();
	m.message_id = "<x@y>";
	refused(&m, "bad message id", "message id with brackets");
	m.message_id = "x y@z";
	refused(&m, "bad message id", "message id with a space");
	m.message_id = "x@y\r\nBcc: eve@example.org";
	refused(&m, "bad message id", "message id with CR LF");
	m.message_id = "xyz";
	refused(&m, "bad message id", "message id without '@'");
	m = sample();
	m.date = "Mon, 23 Nov 2026\r\nBcc: eve@example.org";
	refused(&m, "bad date", "date with CR LF");
	refused(NULL, "no message", "no message");

	m.to_addr = "bad";
	ok(mime_message(&m, NULL, small, sizeof small) == NULL &&
		strcmp(small, "bad add") == 0,
	    "a short why is cut, not overrun");
	ok(mime_message(&m, NULL, NULL, 0) == NULL, "why may be NULL");
}

/*
 * With $MIME_DUMP set, write one message there, for a look with other
 * parsers (Python's email package, say).
 */
static void
dump(void)
{
	const char *path = getenv("MIME_DUMP");
	struct mime_msg m = sample();
	char subject[200] = "", *msg;
	size_t len;
	FILE *fp;
	int i;

	if (path == NULL)
		return;
	strcpy(subject, "Votre commande " WANG " ");
	for (i = 0; i < 30; i++)
		put_cp(subject, 0x4e00 + (uint32_t)i * 37);
	strcat(subject, " " PARCEL);
	m.subject = subject;
	m.to_name = WANG;
	m.from_name = "Shop, Inc.";
	m.body = "Bonjour " WANG ",\n\nVotre colis " PARCEL " est parti.\n";
	msg = mime_message(&m, &len, NULL, 0);
	if (msg == NULL || (fp = fopen(path, "wb")) == NULL ||
	    fwrite(msg, 1, len, fp) != len || fclose(fp) != 0)
		ok(0, "dump to %s", path);
	free(msg);
}

int
main(void)
{
	test_clean();
	test_addr();
	test_encode_header();
	test_date();
	test_message_id();
	test_message();
	test_long_body();
	test_names();
	test_injection();
	test_long_subjects();
	test_refused();
	dump();
	return done_testing();
}
