#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "err.h"
#include "send.h"

struct sender {
	CURL *smtp, *http; /* each keeps its connection between calls */
	int timeout_s;
	int smtp_insecure; /* credentials may go without TLS */
};

/* The message being uploaded to the SMTP server. */
struct upload {
	const char *p;
	size_t left;
};

static size_t
reader(char *buf, size_t size, size_t n, void *arg)
{
	struct upload *u = arg;
	size_t k = size * n < u->left ? size * n : u->left;

	memcpy(buf, u->p, k);
	u->p += k;
	u->left -= k;
	return k;
}

/* The HTTP response body is not wanted; only its status. */
static size_t
discard(char *buf, size_t size, size_t n, void *arg)
{
	(void)buf;
	(void)arg;
	return size * n;
}

struct sender *
send_open(int timeout_s)
{
	struct sender *s = xcalloc(1, sizeof *s);

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		err_exit(EXIT_TROUBLE, "cannot initialise libcurl");
	s->timeout_s = timeout_s;
	return s;
}

void
send_smtp_insecure(struct sender *s, int insecure)
{
	s->smtp_insecure = insecure;
}

void
send_close(struct sender *s)
{
	if (s == NULL)
		return;
	if (s->smtp != NULL)
		curl_easy_cleanup(s->smtp);
	if (s->http != NULL)
		curl_easy_cleanup(s->http);
	free(s);
	curl_global_cleanup();
}

static CURL *
handle(struct sender *s, CURL **h)
{
	if (*h == NULL) {
		if ((*h = curl_easy_init()) == NULL)
			err_exit(EXIT_TROUBLE, "cannot initialise libcurl");
		curl_easy_setopt(*h, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(*h, CURLOPT_TIMEOUT, (long)s->timeout_s);
		curl_easy_setopt(
		    *h, CURLOPT_CONNECTTIMEOUT, (long)s->timeout_s);
		curl_easy_setopt(
		    *h, CURLOPT_PROTOCOLS_STR, "smtp,smtps,http,https");
	}
	return *h;
}

/* 1 if the URL itself carries a user (smtp://user:password@host). */
static int
url_has_user(const char *url)
{
	CURLU *u = curl_url();
	char *user = NULL;
	int has;

	if (u == NULL)
		err_exit(EXIT_TROUBLE, "cannot initialise libcurl");
	has = curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	      curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK;
	curl_free(user);
	curl_url_cleanup(u);
	return has;
}

enum send_result
send_mail(struct sender *s, const char *url, const char *from, const char *to,
    const char *msg, size_t len, char *why, size_t whylen)
{
	CURL *h = handle(s, &s->smtp);
	struct curl_slist *rcpt = NULL;
	struct upload up = {msg, len};
	const char *user = getenv("FULFIL_SMTP_USER");
	const char *pass = getenv("FULFIL_SMTP_PASSWORD");
	char addr[512];
	long code = 0;
	CURLcode rc;
	int creds;

	snprintf(addr, sizeof addr, "<%s>", to);
	rcpt = curl_slist_append(rcpt, addr);
	snprintf(addr, sizeof addr, "<%s>", from);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, addr);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, reader);
	curl_easy_setopt(h, CURLOPT_READDATA, &up);
	curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	/*
	 * STARTTLS whenever the server offers it; and with credentials,
	 * TLS or nothing: a server that offers none (or a network that
	 * strips the offer) would read the password in clear text.
	 */
	creds = (user != NULL && *user) || url_has_user(url);
	curl_easy_setopt(h, CURLOPT_USE_SSL,
	    creds && !s->smtp_insecure ? (long)CURLUSESSL_ALL
				       : (long)CURLUSESSL_TRY);
	if (user != NULL && *user) {
		curl_easy_setopt(h, CURLOPT_USERNAME, user);
		curl_easy_setopt(h, CURLOPT_PASSWORD, pass ? pass : "");
	}
	rc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, NULL);
	curl_slist_free_all(rcpt);
	if (rc == CURLE_OK)
		return SEND_OK;
	if (rc == CURLE_USE_SSL_FAILED) {
		snprintf(why, whylen,
		    "SMTP: no TLS with the server (it offers no STARTTLS), "
		    "and the credentials are not sent without it");
		return SEND_RETRY;
	}
	if (code >= 500 && code < 600) {
		snprintf(why, whylen, "SMTP server refused it (%ld): %s", code,
		    curl_easy_strerror(rc));
		return SEND_FAILED;
	}
	if (code > 0)
		snprintf(why, whylen, "SMTP server said %ld: %s", code,
		    curl_easy_strerror(rc));
	else
		snprintf(why, whylen, "SMTP: %s", curl_easy_strerror(rc));
	return SEND_RETRY;
}

char *
send_signature(const char *secret, const char *body, size_t len, char buf[72])
{
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;

	HMAC(EVP_sha256(), secret, (int)strlen(secret),
	    (const unsigned char *)body, len, mac, &n);
	memcpy(buf, "sha256=", 7);
	for (i = 0; i < n && i < 32; i++)
		snprintf(buf + 7 + 2 * i, 3, "%02x", mac[i]);
	return buf;
}

enum send_result
send_post(struct sender *s, const char *url, const char *secret,
    const char *key, const char *body, size_t len, char *why, size_t whylen)
{
	CURL *h = handle(s, &s->http);
	struct curl_slist *hd = NULL;
	char line[640], sig[72];
	long code = 0;
	CURLcode rc;

	hd = curl_slist_append(hd, "Content-Type: application/json");
	snprintf(line, sizeof line, "Idempotency-Key: %s", key);
	hd = curl_slist_append(hd, line);
	if (secret != NULL) {
		snprintf(line, sizeof line, "X-Fulfil-Signature: %s",
		    send_signature(secret, body, len, sig));
		hd = curl_slist_append(hd, line);
	}
	/* No "Expect: 100-continue" round trip for small bodies. */
	hd = curl_slist_append(hd, "Expect:");
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
	rc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(hd);
	if (rc != CURLE_OK) {
		snprintf(why, whylen, "HTTP: %s", curl_easy_strerror(rc));
		return SEND_RETRY;
	}
	if (code >= 200 && code < 300)
		return SEND_OK;
	snprintf(why, whylen, "HTTP status %ld", code);
	/* 408 and 429 ask for another try; other 4xx will not change. */
	if (code >= 400 && code < 500 && code != 408 && code != 429)
		return SEND_FAILED;
	return SEND_RETRY;
}
