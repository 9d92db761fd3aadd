/*
 * listen: each provider's webhook signature, checked as its
 * documentation says, against digests made apart from us (Python's
 * hmac and hashlib); a wrong secret, a changed body, a stale Shippo
 * time and no header at all refused, with a reason that never repeats
 * the signature.
 */
#include <string.h>

#include "listen.h"
#include "tap.h"

static const char body[] = "{\"event\":\"tracking_update\"}";
#define LEN (sizeof body - 1)
#define NOW 1795910700

static int
signed_by(enum provider p, const char *secret, const char *sig, const char *b,
    char *why)
{
	return listen_signed(p, secret, sig, b, strlen(b), NOW, why, 160);
}

int
main(void)
{
	char why[160];

	is_str(listen_sig_header(PROVIDER_AFTERSHIP), "aftership-hmac-sha256",
	    "aftership: its header");
	is_str(listen_sig_header(PROVIDER_EASYPOST), "X-Hmac-Signature",
	    "easypost: its header");
	is_str(
	    listen_sig_header(PROVIDER_17TRACK), "sign", "17track: its header");
	is_str(listen_sig_header(PROVIDER_SHIPPO), "Shippo-Auth-Signature",
	    "shippo: its header");

	ok(signed_by(PROVIDER_AFTERSHIP, "as-secret",
	       "bMuD6ELioB39xlrLRrpfieOfOGpEUkNgXXSwxU3l1oo=", body, why),
	    "aftership: base64 HMAC-SHA256 of the body");
	ok(!signed_by(PROVIDER_AFTERSHIP, "as-secreT",
	       "bMuD6ELioB39xlrLRrpfieOfOGpEUkNgXXSwxU3l1oo=", body, why),
	    "aftership: another secret");
	is_str(why, "wrong aftership-hmac-sha256", "aftership: why");

	ok(signed_by(PROVIDER_EASYPOST, "ep-secret",
	       "hmac-sha256-hex="
	       "165ec7dd3efaebdb69e06e2a02ecdc352d2a747e6c312afc"
	       "306373a61aa8de4c",
	       body, why),
	    "easypost: hmac-sha256-hex= and hex HMAC-SHA256");
	ok(signed_by(PROVIDER_EASYPOST, "ep-secret",
	       "HMAC-SHA256-HEX="
	       "165EC7DD3EFAEBDB69E06E2A02ECDC352D2A747E6C312AFC"
	       "306373A61AA8DE4C",
	       body, why),
	    "easypost: hex digits in capitals");
	ok(!signed_by(PROVIDER_EASYPOST, "ep-secret",
	       "165ec7dd3efaebdb69e06e2a02ecdc352d2a747e6c312afc306373a61aa8de4"
	       "c",
	       body, why),
	    "easypost: without its prefix");
	ok(!signed_by(PROVIDER_EASYPOST, "ep-secret",
	       "hmac-sha256-hex="
	       "165ec7dd3efaebdb69e06e2a02ecdc352d2a747e6c312afc"
	       "306373a61aa8de4c",
	       "{\"event\":\"tracking_updatE\"}", why),
	    "easypost: a changed body");

	ok(signed_by(PROVIDER_17TRACK, "17-secret",
	       "e1b66ba71c1b3551e34a7e607694c4ded8cace5c8c23f8a823024eb8d47f418"
	       "3",
	       body, why),
	    "17track: hex SHA-256 of body/secret");
	ok(!signed_by(PROVIDER_17TRACK, "17-secreT",
	       "e1b66ba71c1b3551e34a7e607694c4ded8cace5c8c23f8a823024eb8d47f418"
	       "3",
	       body, why),
	    "17track: another secret");

	ok(signed_by(PROVIDER_SHIPPO, "sh-secret",
	       "t=1795910700,v1="
	       "769b054fe22608bd2df4c0776dbcadc8089a3d9cf1d8ce97"
	       "c38277f81ba729ee",
	       body, why),
	    "shippo: t=, v1= hex HMAC-SHA256 of t.body");
	ok(!listen_signed(PROVIDER_SHIPPO, "sh-secret",
	       "t=1795910700,v1="
	       "769b054fe22608bd2df4c0776dbcadc8089a3d9cf1d8ce97"
	       "c38277f81ba729ee",
	       body, LEN, NOW + 301, why, sizeof why),
	    "shippo: more than five minutes old");
	is_str(why, "Shippo-Auth-Signature is more than 300 seconds from now",
	    "shippo: why");
	ok(!signed_by(PROVIDER_SHIPPO, "sh-secret",
	       "t=1795910701,v1="
	       "769b054fe22608bd2df4c0776dbcadc8089a3d9cf1d8ce97"
	       "c38277f81ba729ee",
	       body, why),
	    "shippo: the time is signed too");
	ok(!signed_by(PROVIDER_SHIPPO, "sh-secret", "v1=769b", body, why),
	    "shippo: no t=");
	is_str(why, "Shippo-Auth-Signature is not t=...,v1=...",
	    "shippo: no t=, why");
	ok(!signed_by(PROVIDER_SHIPPO, "sh-secret", "t=17x,v1=00", body, why),
	    "shippo: t not a number");

	ok(!signed_by(PROVIDER_EASYPOST, "ep-secret", NULL, body, why),
	    "no header");
	is_str(why, "no X-Hmac-Signature header", "no header: why");
	ok(!signed_by(PROVIDER_NONE, "x", "y", body, why), "no provider");
	return done_testing();
}
