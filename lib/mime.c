#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "err.h"
#include "mime.h"
#include "utf8.h"
#include "when.h"

/* The longest line that holds encoded-words (RFC 2047 section 2). */
#define LINE_WORDS 76
/* The longest encoded-word (RFC 2047 section 2). */
#define WORD_MAX 75
#define WORD_OPEN "=?UTF-8?B?"
#define WORD_CLOSE "?="
#define WORD_FRAME (sizeof WORD_OPEN - 1 + sizeof WORD_CLOSE - 1)
/*
 * The longest ASCII text (a subject, a display name, a quoted name with
 * its escapes) written as it is; longer text is made encoded-words,
 * which fold.  With a field name, and an address folded onto a line of
 * its own, such a line stays well within the 998 characters RFC 5322
 * allows.
 */
#define TEXT_MAX 900
/* Bytes of body in one line of 76 base64 characters. */
#define BODY_CHUNK 57
/* Hex digits of the SHA-256 in a Message-ID: 128 bits. */
#define ID_HEX 32

/* The RFC 5322 specials: ASCII that a display name must quote. */
static const char specials[] = "()<>[]:;@\\,.\"";

/*
 * Text as it grows, always NUL-terminated, with where its current line
 * starts, so that the column is known when encoded-words are folded.
 */
struct sbuf {
	char *p;
	size_t len, cap;
	size_t line;
};

static void
sb_init(struct sbuf *b, size_t hint)
{
	b->cap = hint + 1;
	b->p = xmalloc(b->cap);
	b->p[0] = '\0';
	b->len = b->line = 0;
}

static void
sb_add(struct sbuf *b, const void *p, size_t n)
{
	xgrow(&b->p, &b->cap, b->len + n + 1, 1);
	memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
sb_str(struct sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

/* End the line: the next text starts a new field (or the body). */
static void
sb_eol(struct sbuf *b)
{
	sb_add(b, "\r\n", 2);
	b->line = b->len;
}

/* Fold: CRLF SPACE, which a reader takes away again (RFC 5322 2.2.3). */
static void
sb_fold(struct sbuf *b)
{
	sb_eol(b);
	sb_add(b, " ", 1);
}

static size_t
sb_col(const struct sbuf *b)
{
	return b->len - b->line;
}

/*
 * Append the base64 of n bytes.  n is at most a body line or an
 * encoded-word's worth, far from the int that libcrypto takes.
 */
static void
sb_base64(struct sbuf *b, const void *p, size_t n)
{
	size_t out = 4 * ((n + 2) / 3);

	xgrow(&b->p, &b->cap, b->len + out + 1, 1);
	EVP_EncodeBlock((unsigned char *)b->p + b->len, p, (int)n);
	b->len += out;
}

/*
 * Append UTF-8 text with its invalid bytes made U+FFFD, one each.  For a
 * header, every control character becomes a space.  For a body, CRLF,
 * a lone CR and a lone LF all become CRLF, and other controls stay.
 */
static void
sb_utf8(struct sbuf *b, const char *s, int header)
{
	uint32_t cp;
	size_t n;

	while (*s != '\0') {
		if (!header && (*s == '\r' || *s == '\n')) {
			sb_add(b, "\r\n", 2);
			s += s[0] == '\r' && s[1] == '\n' ? 2 : 1;
		} else if ((n = utf8_decode(s, &cp)) == 0) {
			sb_str(b, UTF8_REPLACEMENT);
			s++;
		} else if (header && (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))) {
			sb_add(b, " ", 1);
			s += n;
		} else {
			sb_add(b, s, n);
			s += n;
		}
	}
}

char *
mime_clean(const char *s)
{
	struct sbuf b;

	if (s == NULL)
		s = "";
	sb_init(&b, strlen(s));
	sb_utf8(&b, s, 1);
	return b.p;
}

static int
is_atext(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') ||
	       (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

/*
 * The length of the dot-atom-text (RFC 5322 3.2.3) that s starts with:
 * runs of atext joined by single dots.  0 if there is none, or if a dot
 * is not followed by atext.
 */
static size_t
dot_atom_len(const char *s)
{
	size_t i = 0;

	for (;;) {
		if (!is_atext((unsigned char)s[i]))
			return 0;
		while (is_atext((unsigned char)s[i]))
			i++;
		if (s[i] != '.')
			return i;
		i++;
	}
}

/* A host name: two or more labels of letters, digits and inner '-'. */
static int
domain_ok(const char *d)
{
	const char *label;
	int nlabels = 0;

	for (;;) {
		label = d;
		while ((*d >= 'a' && *d <= 'z') || (*d >= 'A' && *d <= 'Z') ||
		       (*d >= '0' && *d <= '9') || *d == '-')
			d++;
		if (d == label || d - label > 63 || *label == '-' ||
		    d[-1] == '-')
			return 0;
		nlabels++;
		if (*d == '\0')
			return nlabels >= 2;
		if (*d++ != '.')
			return 0;
	}
}

int
mime_addr_ok(const char *addr)
{
	size_t n;

	if (addr == NULL || strnlen(addr, MIME_ADDR_MAX + 1) > MIME_ADDR_MAX)
		return 0;
	n = dot_atom_len(addr);
	if (n == 0 || n > 64 || addr[n] != '@')
		return 0;
	return domain_ok(addr + n + 1);
}

/*
 * A Message-ID without its brackets: dot-atom-text '@' dot-atom-text
 * (RFC 5322 3.6.4), short enough for its header line.
 */
static int
msgid_ok(const char *id)
{
	size_t left, right;

	if (strnlen(id, TEXT_MAX + 1) > TEXT_MAX)
		return 0;
	left = dot_atom_len(id);
	if (left == 0 || id[left] != '@')
		return 0;
	right = dot_atom_len(id + left + 1);
	return right > 0 && id[left + 1 + right] == '\0';
}

/* Non-empty printable ASCII, short enough for a header line. */
static int
printable(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i;

	for (i = 0; u[i] != '\0'; i++)
		if (u[i] < 0x20 || u[i] > 0x7e || i >= TEXT_MAX)
			return 0;
	return i > 0;
}

/*
 * Whether clean text may be written as it is.  "=?" is kept out: a reader
 * would decode what looks like an encoded-word, so that a customer could
 * make the header show other text than the one sent.
 */
static int
plain_ok(const char *s)
{
	return (*s == '\0' || printable(s)) && strstr(s, "=?") == NULL;
}

/*
 * How many bytes of text one encoded-word starting at column col holds:
 * as many whole base64 quanta as fit in the word and the line, 0 when
 * not even a 4-byte character fits.
 */
static size_t
word_room(size_t col)
{
	size_t width = col < LINE_WORDS ? LINE_WORDS - col : 0;

	if (width > WORD_MAX)
		width = WORD_MAX;
	if (width < WORD_FRAME + 8)
		return 0;
	return (width - WORD_FRAME) / 4 * 3;
}

/*
 * Clean text as encoded-words, from the current column on: each word
 * holds whole characters, and each one after the first starts a folded
 * line, so that readers can split the text again between any two.
 */
static void
put_words(struct sbuf *b, const char *s)
{
	size_t room, n, k;
	uint32_t cp;
	int first = 1;

	while (*s != '\0') {
		if (!first || word_room(sb_col(b)) == 0)
			sb_fold(b);
		room = word_room(sb_col(b));
		for (n = 0; s[n] != '\0'; n += k) {
			/* Clean text is UTF-8; the 1 only guards the loop. */
			if ((k = utf8_decode(s + n, &cp)) == 0)
				k = 1;
			if (n + k > room)
				break;
		}
		sb_str(b, WORD_OPEN);
		sb_base64(b, s, n);
		sb_str(b, WORD_CLOSE);
		s += n;
		first = 0;
	}
}

/* Clean text of an unstructured field: as it is, else encoded-words. */
static void
put_text(struct sbuf *b, const char *s)
{
	if (plain_ok(s))
		sb_str(b, s);
	else
		put_words(b, s);
}

char *
mime_encode_header(const char *text)
{
	struct sbuf b;
	char *clean = mime_clean(text);

	if (plain_ok(clean))
		return clean;
	sb_init(&b, strlen(clean) * 2);
	put_words(&b, clean);
	free(clean);
	return b.p;
}

/*
 * A display name (clean text, trimmed): atoms as they are, other ASCII
 * as a quoted-string, anything else (or too long once quoted) as
 * encoded-words, which RFC 2047 section 5 allows in a phrase.
 */
static void
put_phrase(struct sbuf *b, const char *s)
{
	size_t i, quoted;

	if (!plain_ok(s)) {
		put_words(b, s);
		return;
	}
	if (strpbrk(s, specials) == NULL) {
		sb_str(b, s);
		return;
	}
	for (i = 0, quoted = 2; s[i] != '\0'; i++)
		quoted += s[i] == '"' || s[i] == '\\' ? 2 : 1;
	if (quoted > TEXT_MAX) {
		put_words(b, s);
		return;
	}
	sb_add(b, "\"", 1);
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] == '"' || s[i] == '\\')
			sb_add(b, "\\", 1);
		sb_add(b, s + i, 1);
	}
	sb_add(b, "\"", 1);
}

/* The name cleaned, without the spaces around it: "" for none. */
static char *
clean_name(const char *name)
{
	char *s = mime_clean(name), *p = s;
	size_t n;

	while (*p == ' ')
		p++;
	n = strlen(p);
	while (n > 0 && p[n - 1] == ' ')
		n--;
	memmove(s, p, n);
	s[n] = '\0';
	return s;
}

/*
 * A From or To field: "Name <addr>", or the bare address.  The address
 * goes on a folded line of its own when it would make the line too long.
 */
static void
put_mailbox(
    struct sbuf *b, const char *field, const char *addr, const char *name)
{
	char *nm = clean_name(name);

	sb_str(b, field);
	sb_str(b, ": ");
	if (*nm == '\0')
		sb_str(b, addr);
	else {
		put_phrase(b, nm);
		if (sb_col(b) + strlen(addr) + 3 > LINE_WORDS)
			sb_fold(b);
		else
			sb_add(b, " ", 1);
		sb_add(b, "<", 1);
		sb_str(b, addr);
		sb_add(b, ">", 1);
	}
	sb_eol(b);
	free(nm);
}

/* The body as base64 lines of 76 characters, of UTF-8 with CRLF. */
static void
put_body(struct sbuf *b, const char *body)
{
	struct sbuf t;
	size_t i, n;

	sb_init(&t, strlen(body) + strlen(body) / 8);
	sb_utf8(&t, body, 0);
	for (i = 0; i < t.len; i += n) {
		n = t.len - i < BODY_CHUNK ? t.len - i : BODY_CHUNK;
		sb_base64(b, t.p + i, n);
		sb_eol(b);
	}
	free(t.p);
}

/* What is wrong with the message, or NULL. */
static const char *
check(const struct mime_msg *m)
{
	if (m == NULL)
		return "no message";
	if (!mime_addr_ok(m->from_addr))
		return "bad address 'from'";
	if (!mime_addr_ok(m->to_addr))
		return "bad address 'to'";
	if (m->message_id != NULL && !msgid_ok(m->message_id))
		return "bad message id";
	if (m->date != NULL && !printable(m->date))
		return "bad date";
	return NULL;
}

static void
put_field(struct sbuf *b, const char *field, const char *value)
{
	sb_str(b, field);
	sb_str(b, ": ");
	sb_str(b, value);
	sb_eol(b);
}

char *
mime_message(const struct mime_msg *m, size_t *len, char *why, size_t whylen)
{
	struct sbuf b;
	const char *bad;
	char *subject;

	if ((bad = check(m)) != NULL) {
		if (why != NULL && whylen > 0)
			snprintf(why, whylen, "%s", bad);
		return NULL;
	}
	sb_init(&b, 1024);
	if (m->date != NULL)
		put_field(&b, "Date", m->date);
	put_mailbox(&b, "From", m->from_addr, m->from_name);
	put_mailbox(&b, "To", m->to_addr, m->to_name);
	if (m->subject != NULL) {
		subject = mime_clean(m->subject);
		sb_str(&b, "Subject: ");
		put_text(&b, subject);
		sb_eol(&b);
		free(subject);
	}
	if (m->message_id != NULL) {
		sb_str(&b, "Message-ID: <");
		sb_str(&b, m->message_id);
		sb_add(&b, ">", 1);
		sb_eol(&b);
	}
	put_field(&b, "MIME-Version", "1.0");
	put_field(&b, "Content-Type", "text/plain; charset=UTF-8");
	put_field(&b, "Content-Transfer-Encoding", "base64");
	sb_eol(&b);
	put_body(&b, m->body != NULL ? m->body : "");
	if (len != NULL)
		*len = b.len;
	return b.p;
}

/*
 * Bounds that keep the arithmetic of mime_date() from overflowing; the
 * years it writes are checked after.
 */
#define DATE_T_LIMIT ((int64_t)1 << 40)
#define DATE_OFF_LIMIT (24 * 60 - 1)

char *
mime_date(int64_t t, int off_minutes, char buf[MIME_DATE_MAX])
{
	/* weekday() counts from Monday. */
	static const char days[7][4] = {
	    "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
	static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May",
	    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	int64_t local, day, secs;
	int y, m, d, a;

	buf[0] = '\0';
	if (t < -DATE_T_LIMIT || t > DATE_T_LIMIT ||
	    off_minutes < -DATE_OFF_LIMIT || off_minutes > DATE_OFF_LIMIT)
		return NULL;
	local = t + (int64_t)off_minutes * 60;
	day = local / 86400 - (local % 86400 < 0);
	secs = local - day * 86400;
	if (day < days_from_civil(1900, 1, 1) ||
	    day >= days_from_civil(10000, 1, 1))
		return NULL;
	civil_from_days(day, &y, &m, &d);
	a = off_minutes < 0 ? -off_minutes : off_minutes;
	snprintf(buf, MIME_DATE_MAX,
	    "%s, %02d %s %04d %02d:%02d:%02d %c%02d%02d", days[weekday(day)], d,
	    months[m - 1], y, (int)(secs / 3600), (int)(secs / 60 % 60),
	    (int)(secs % 60), off_minutes < 0 ? '-' : '+', a / 60, a % 60);
	return buf;
}

char *
mime_message_id(const char *key, const char *domain, char *buf, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	size_t dlen, i;

	if (n > 0)
		buf[0] = '\0';
	if (key == NULL || domain == NULL)
		return NULL;
	dlen = strlen(domain);
	if (n < ID_HEX + 1 + dlen + 1)
		return NULL;
	if (EVP_Digest(key, strlen(key), md, &mdlen, EVP_sha256(), NULL) != 1 ||
	    mdlen < ID_HEX / 2)
		return NULL;
	for (i = 0; i < ID_HEX / 2; i++) {
		buf[2 * i] = hex[md[i] >> 4];
		buf[2 * i + 1] = hex[md[i] & 0xf];
	}
	buf[ID_HEX] = '@';
	memcpy(buf + ID_HEX + 1, domain, dlen + 1);
	/* The domain must make an id that mime_message() takes. */
	if (!msgid_ok(buf)) {
		buf[0] = '\0';
		return NULL;
	}
	return buf;
}
