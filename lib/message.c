#include <stdio.h>
#include <string.h>

#include "config.h"
#include "message.h"
#include "mime.h"
#include "ndjson.h"
#include "sms.h"
#include "when.h"

static const char *const channel_names[MESSAGE_NCHANNELS] = {
    "email", "sms", "webhook", "outbox"};

const char *
message_channel_name(enum message_channel ch)
{
	return channel_names[ch];
}

int
message_channel_parse(const char *name)
{
	int ch;

	for (ch = 0; ch < MESSAGE_NCHANNELS; ch++)
		if (strcmp(name, channel_names[ch]) == 0)
			return ch;
	return -1;
}

const char *
message_recipient(json_t *rec, enum message_channel ch)
{
	json_t *c = json_object_get(rec, "customer");
	const char *phone = ndjson_str(c, "phone");

	if (phone == NULL)
		phone = ndjson_str(json_object_get(rec, "ship_to"), "phone");
	switch (ch) {
	case MESSAGE_EMAIL:
		return ndjson_str(c, "email");
	case MESSAGE_SMS:
		return phone;
	case MESSAGE_WEBHOOK:
		return "webhook";
	default:
		return ndjson_str(c, "email") ? ndjson_str(c, "email") : phone;
	}
}

const char *
message_tz(const struct config *cfg, json_t *rec)
{
	const char *tz =
	    ndjson_str(json_object_get(rec, "customer"), "timezone");

	return tz != NULL && when_zone_valid(tz) ? tz : cfg->tz;
}

/*
 * The shop's name in its texts: shop.name, else notify.from.name (which
 * stood in for it before shop.name was), else the warehouse's name or id.
 */
static const char *
shop_name(const struct config *cfg)
{
	if (cfg->shop_name != NULL)
		return cfg->shop_name;
	if (cfg->notify.from_name != NULL)
		return cfg->notify.from_name;
	return cfg->wh_name != NULL ? cfg->wh_name : cfg->wh_id;
}

/* The From name of its e-mails: notify.from.name, else the shop's. */
static const char *
from_name(const struct config *cfg)
{
	return cfg->notify.from_name ? cfg->notify.from_name : shop_name(cfg);
}

/*
 * The order the customer knows: a replacement's is the order it
 * replaces, for its own id is its RMA's number, which they never saw; a
 * backorder's is the order it is part of (lib/split), not "1001/2".
 */
static json_t *
order_ref(json_t *order)
{
	json_t *of =
	    json_object_get(json_object_get(order, "exchange_of"), "order_id");

	if (!json_is_string(of))
		of = json_object_get(json_object_get(order, "split"), "of");

	return json_is_string(of) ? of : json_object_get(order, "order_id");
}

json_t *
message_context(const struct config *cfg, json_t *order, json_t *notice)
{
	json_t *ctx = json_copy(order), *k;
	const struct carrier *c = config_carrier(
	    cfg, ndjson_str(json_object_get(order, "shipment"), "carrier"));

	if (notice != NULL)
		json_object_set(ctx, "notice", notice);
	if (order_ref(order) != NULL)
		json_object_set(ctx, "order_ref", order_ref(order));
	json_object_set_new(
	    ctx, "shop", json_pack("{s:s}", "name", shop_name(cfg)));
	if (c != NULL) {
		k = json_pack("{s:s,s:s}", "code", c->code, "name",
		    c->name ? c->name : c->code);
		json_object_set_new(ctx, "carrier", k);
	}
	return ctx;
}

char *
message_id(const struct config *cfg, const char *source, const char *id,
    const char *key, enum message_channel ch, char *buf, size_t n)
{
	char mkey[512];

	snprintf(mkey, sizeof mkey, "%s/%s/%s/%s", source, id, key,
	    channel_names[ch]);
	return mime_message_id(mkey,
	    cfg->notify.domain ? cfg->notify.domain : "fulfil.invalid", buf, n);
}

/* What every message's JSON form starts with. */
static json_t *
message_head(const struct message *m)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "message_id",
	    m->message_id, "channel", channel_names[m->ch], "event", m->event,
	    "order_id", ndjson_str(m->ctx, "order_id"), "source",
	    ndjson_str(m->ctx, "source"), "locale", m->locale);
}

/* The e-mail: from the shop, dated now in the warehouse's zone. */
static char *
mail(const struct config *cfg, const struct message *m, size_t *len, char *why,
    size_t whylen)
{
	struct when w = when_in_zone(m->now, cfg->tz);
	struct mime_msg mm;
	char date[MIME_DATE_MAX];

	memset(&mm, 0, sizeof mm);
	mm.from_addr = cfg->notify.from_addr;
	mm.from_name = from_name(cfg);
	mm.to_addr = m->to;
	mm.to_name = ndjson_str(json_object_get(m->ctx, "customer"), "name");
	mm.subject = m->subject;
	mm.body = m->body;
	mm.message_id = m->message_id;
	mm.date = mime_date(m->now, w.off, date);
	return mime_message(&mm, len, why, whylen);
}

char *
message_payload(const struct config *cfg, const struct message *m, size_t *len,
    char *why, size_t whylen)
{
	const struct notify_cfg *n = &cfg->notify;
	struct sms_count sc;
	json_t *o;
	char *s;

	if (m->ch == MESSAGE_EMAIL)
		return mail(cfg, m, len, why, whylen);
	o = message_head(m);
	ndjson_set_time(o, "created_at", m->now, cfg->tz);
	if (m->ch == MESSAGE_SMS) {
		if (sms_count(m->body, &sc) == -1) {
			snprintf(why, whylen, "text is not UTF-8");
			json_decref(o);
			return NULL;
		}
		if (sc.segments > n->max_segments) {
			snprintf(why, whylen,
			    "text needs %d SMS segments, more than the %d "
			    "allowed",
			    sc.segments, n->max_segments);
			json_decref(o);
			return NULL;
		}
		json_object_set_new(o, "to", json_string(m->to));
		if (n->sms_sender != NULL)
			json_object_set_new(
			    o, "from", json_string(n->sms_sender));
		json_object_set_new(
		    o, "encoding", json_string(sc.ucs2 ? "ucs2" : "gsm7"));
		json_object_set_new(o, "segments", json_integer(sc.segments));
	} else if (m->ch == MESSAGE_OUTBOX) {
		json_object_set_new(o, "to", json_string(m->to));
		if (m->subject != NULL)
			json_object_set_new(
			    o, "subject", json_string(m->subject));
	}
	json_object_set_new(o, "text", json_string(m->body));
	s = ndjson_dump(o, len);
	json_decref(o);
	return s;
}

json_t *
message_preview(const struct message *m)
{
	json_t *o = message_head(m);

	json_object_set_new(o, "to", json_string(m->to));
	json_object_set_new(o, "text", json_string(m->body));
	if (m->subject != NULL)
		json_object_set_new(o, "subject", json_string(m->subject));
	return o;
}
