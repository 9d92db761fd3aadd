/*
 * message: one customer message of notify(1), built from an order: who
 * it goes to on each channel, the context its template is filled in
 * from, its stable Message-ID, and the bytes that go on the wire (an
 * RFC 5322 e-mail through lib/mime, or the JSON body of an SMS gateway's,
 * a webhook's or the outbox's message, counted through lib/sms).
 * Nothing here reads the ledger or sends; lib/notify decides what to
 * send and when.
 *
 * Ownership: the strings returned by message_recipient() and
 * message_tz() are borrowed from the record or the configuration.
 * message_context(), message_payload() and message_preview() return
 * what the caller frees (json_decref, free).
 */
#ifndef FULFIL_MESSAGE_H
#define FULFIL_MESSAGE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct config;

enum message_channel {
	MESSAGE_EMAIL,
	MESSAGE_SMS,
	MESSAGE_WEBHOOK,
	MESSAGE_OUTBOX,
	MESSAGE_NCHANNELS
};

/* "email" for MESSAGE_EMAIL. */
const char *message_channel_name(enum message_channel);
/* The channel called name, or -1 for none. */
int message_channel_parse(const char *name);

/*
 * Whom a message of the order goes to on channel ch: the customer's
 * e-mail or phone (the ship-to phone failing that), "webhook" for the
 * webhook; the outbox takes the e-mail, else the phone.  NULL: nobody.
 */
const char *message_recipient(json_t *order, enum message_channel ch);
/* The customer's time zone: customer.timezone, else the warehouse's. */
const char *message_tz(const struct config *, json_t *order);
/*
 * The context templates see: the order, its notice (NULL: none), the
 * shop, the order's carrier and order_ref, the order the customer knows
 * (a replacement's: the order it replaces, not its RMA number).
 */
json_t *message_context(const struct config *, json_t *order, json_t *notice);
/*
 * The Message-ID of the message keyed (source, id, key, channel) into
 * buf: the same key always gives the same id, so a resend is the same
 * message.
 */
char *message_id(const struct config *, const char *source, const char *id,
    const char *key, enum message_channel ch, char *buf, size_t n);

/* A message rendered, to put into its channel's form. */
struct message {
	enum message_channel ch;
	const char *event;
	json_t *ctx; /* the template context: the order, and the notice */
	const char *to, *message_id, *locale;
	const char *subject, *body; /* the template's, filled in */
	int64_t now;                /* when it is made */
};

/*
 * What goes on the wire for the message's channel, *len bytes; NULL
 * with why on error (an SMS too long, an address the mail refuses).
 */
char *message_payload(const struct config *, const struct message *,
    size_t *len, char *why, size_t whylen);
/* What a dry run shows of the message, whatever its channel. */
json_t *message_preview(const struct message *);

#endif
