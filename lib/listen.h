/*
 * listen: tracking payloads received (issue 16).  followup --listen
 * [ADDR:]PORT is an HTTP server (libmicrohttpd) for the webhooks that
 * AfterShip, EasyPost, 17TRACK and Shippo POST to /webhooks/<provider>
 * (or to /webhooks, the provider recognised by the payload's shape);
 * followup --events DIR takes the files another web server dropped in
 * DIR.  Either way a payload is first stored in the ledger's inbox and
 * committed (a webhook's signature checked before, and only then is it
 * answered 200; a spool file moved to DIR/done/ after), then processed
 * by journey_payload() and marked processed in one transaction, its
 * notices and tasks written on stdout after the commit and flushed.  A
 * restart takes up what was stored and not processed; nothing is
 * processed twice.
 *
 * The signatures, as each provider documents them (the secret is
 * followup.webhooks.<provider>.secret in fulfil.json(5)):
 *   aftership  aftership-hmac-sha256: base64 HMAC-SHA256 of the body
 *   easypost   X-Hmac-Signature: "hmac-sha256-hex=" hex HMAC-SHA256
 *   17track    sign: hex SHA-256 of the body, "/", the secret
 *   shippo     Shippo-Auth-Signature: "t=T,v1=" hex HMAC-SHA256 of
 *              T "." body, T within five minutes of now
 *
 * Ownership: the struct aftercare is the caller's, with no transaction
 * open; these calls begin and commit their own.
 */
#ifndef FULFIL_LISTEN_H
#define FULFIL_LISTEN_H

#include <stddef.h>
#include <stdint.h>

#include "provider.h"

struct aftercare;

/* Whether path is a spool directory (--events DIR), not a file. */
int listen_is_spool(const char *path);
/*
 * Take the files of spool dirs (each stored, committed, then moved to
 * done/), process what the inbox holds, and, when addr ([ADDR:]PORT)
 * is not NULL, serve webhooks doing the same until SIGTERM or SIGINT.
 * Exits 2 if addr is wrong or cannot be bound.
 */
void listen_run(
    struct aftercare *, const char *addr, char *const *spools, size_t n);

/* The header that carries p's signature. */
const char *listen_sig_header(enum provider p);
/*
 * Whether sig (the header's value; NULL: none) signs body as p
 * documents, with secret, at time now (seconds): 1, or 0 with a reason
 * in why (never the signature itself).
 */
int listen_signed(enum provider p, const char *secret, const char *sig,
    const char *body, size_t len, int64_t now, char *why, size_t whylen);

#endif
