/*
 * send: notify's wire.  E-mail goes over SMTP (or SMTPS) through
 * libcurl, one connection kept for the whole run; webhooks and the SMS
 * gateway get an HTTP POST of a JSON body signed with HMAC-SHA256, also
 * over one kept connection.  Nothing here knows about orders.
 *
 * Every call says what became of the message: delivered, worth another
 * try later (the server said 4xx or 5xx for HTTP, a timeout, no
 * connection), or failed for good (the server refused it: SMTP 5xx,
 * HTTP 4xx).  why gets a reason without the recipient in it.
 *
 * SMTP credentials come from the environment (FULFIL_SMTP_USER and
 * FULFIL_SMTP_PASSWORD) or the URL (smtp://user:password@host).  With
 * credentials, mail goes over TLS (SMTPS, or STARTTLS) or not at all:
 * a server that offers no STARTTLS is a failure worth another try
 * later, unless send_smtp_insecure() allows clear text (notify's
 * configuration allows it for a loopback server only).  Without
 * credentials, STARTTLS is used when the server offers it.
 *
 * Ownership: send_open() returns a sender freed by send_close(); the
 * caller keeps every buffer it passes.
 */
#ifndef FULFIL_SEND_H
#define FULFIL_SEND_H

#include <stddef.h>

enum send_result { SEND_OK, SEND_RETRY, SEND_FAILED };

struct sender;

struct sender *send_open(int timeout_s);
/* Let SMTP credentials go without TLS (default: never). */
void send_smtp_insecure(struct sender *, int insecure);
void send_close(struct sender *);

/* msg is a whole RFC 5322 message with CRLF line ends. */
enum send_result send_mail(struct sender *, const char *url, const char *from,
    const char *to, const char *msg, size_t len, char *why, size_t whylen);

/*
 * POST body (JSON) to url with X-Fulfil-Signature (when secret is not
 * NULL) and Idempotency-Key: key.
 */
enum send_result send_post(struct sender *, const char *url, const char *secret,
    const char *key, const char *body, size_t len, char *why, size_t whylen);

/* "sha256=" and the hex HMAC-SHA256 of body under secret. */
char *send_signature(
    const char *secret, const char *body, size_t len, char buf[72]);

#endif
