#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "config.h"
#include "err.h"
#include "ledger.h"
#include "ledger_messages.h"
#include "mime.h"
#include "ndjson.h"
#include "notify.h"
#include "recparse.h"
#include "recsplice.h"
#include "send.h"
#include "split.h"
#include "status.h"
#include "template.h"

/* How far back notify --pending looks for orders never announced. */
#define PENDING_DAYS 7
/* Messages due read from the ledger at a time by a resend. */
#define DUE_PAGE 100

/*
 * Which event an order in each status announces: --pending looks for
 * the orders in these statuses whose announcement was lost.
 */
static const struct {
	enum status status;
	const char *event;
} announce[] = {
    {ST_ACCEPTED, "order_confirmed"},
    {ST_HELD, "stock_delay"},
    {ST_DISPATCHED, "shipped"},
    {ST_READY_FOR_PICKUP, "ready_to_collect"},
    {ST_CANCELLED, "order_cancelled"},
};

#define NANNOUNCE (sizeof announce / sizeof announce[0])

/* A message on its way: claimed by this run, to send. */
struct notify_msg {
	struct ledger_message m;
	enum message_channel ch;
	json_t *note; /* the record's note for it, or NULL */
};

/*
 * A message of an order's status news made before the lock (prepare()):
 * filled in and put into its channel's form, for plan_channel() to key
 * when the ledger has none yet.
 */
struct draft {
	int made;     /* prepare() made it */
	int rendered; /* its template was filled in (foreign() counts it) */
	/* message_of()'s, made with it: plan_channel() asks no more */
	struct tmpl *t;
	struct message msg; /* its message_id is mid */
	char mid[256];
	/* mid's domain when the id is derived from its key, else NULL */
	const char *domain;
	char *pl; /* the payload; NULL: it failed, and why says why */
	size_t len;
	char *why;
	/* pl packed for the ledger, as to this id and recipient, or NULL */
	unsigned char *packed;
	size_t plen;
	char *packed_id, *packed_to;
};

struct job {
	struct stage_rec r;
	json_t *notes; /* "notified" */
	int renoted;   /* return_notice() set its keys */
	json_t *ctx;   /* prepare()'s message context, or NULL */
	struct draft d[MESSAGE_NCHANNELS];
};

/* Which event an order in this status announces; NULL: none. */
static const char *
status_event(const char *name)
{
	enum status s = status_parse(name);
	size_t i;

	for (i = 0; i < NANNOUNCE; i++)
		if (announce[i].status == s)
			return announce[i].event;
	return NULL;
}

static int
is_name(const char *s)
{
	size_t n = 0;

	for (; s[n]; n++)
		if (!(s[n] >= 'a' && s[n] <= 'z') && s[n] != '_' &&
		    !(s[n] >= 'A' && s[n] <= 'Z') &&
		    !(s[n] >= '0' && s[n] <= '9') && s[n] != '-' &&
		    s[n] != ':' && s[n] != '.')
			return 0;
	return n > 0 && n <= 64;
}

static int
listed(char *const *v, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return 1;
	return 0;
}

/*
 * The end of quiet hours when t falls in them (the customer's local
 * time), else t.
 */
static int64_t
after_quiet(const struct notify *u, int64_t t, const char *tz)
{
	const struct notify_cfg *n = &u->cfg->notify;
	struct when w = when_in_zone(t, tz);
	int64_t local = t + (int64_t)w.off * 60;
	int64_t day = local >= 0 ? local / 86400 : (local - 86399) / 86400;
	int secs = (int)(local - day * 86400);
	int from = n->quiet_from, to = n->quiet_to, in;

	if (!n->quiet || from == to)
		return t;
	if (from < to)
		in = secs >= from && secs < to;
	else
		in = secs >= from || secs < to;
	if (!in)
		return t;
	if (secs >= to)
		day++;
	return when_local(tz, day, to);
}

static json_t *
note(struct job *jb, const char *event, enum message_channel ch,
    const char *status)
{
	json_t *o = json_object();

	json_object_set_new(o, "event", json_string(event));
	json_object_set_new(
	    o, "channel", json_string(message_channel_name(ch)));
	json_object_set_new(o, "status", json_string(status));
	json_array_append_new(jb->notes, o);
	return o;
}

/* Queue m (taken over) to send on channel ch, with its note. */
static void
queue(struct notify *u, struct ledger_message *m, enum message_channel ch,
    json_t *nt)
{
	struct notify_msg *q;

	xgrow(&u->msgs, &u->msgscap, u->nmsgs + 1, sizeof *u->msgs);
	q = &u->msgs[u->nmsgs++];
	q->m = *m;
	q->ch = ch;
	q->note = nt;
}

/*
 * A message just keyed, queued to send: a copy of its strings, and the
 * payload taken over (*pl, len bytes, NULL after).
 */
static void
queue_new(struct notify *u, int64_t row, const struct message *msg,
    const char *key, char **pl, size_t len, json_t *nt)
{
	struct ledger_message m;

	memset(&m, 0, sizeof m);
	m.id = row;
	m.status = LEDGER_MSG_SENDING;
	m.channel = xstrdup(message_channel_name(msg->ch));
	m.event = xstrdup(key);
	m.recipient = xstrdup(msg->to);
	m.message_id = xstrdup(msg->message_id);
	m.payload = *pl;
	*pl = NULL;
	m.len = len;
	queue(u, &m, msg->ch, nt);
}

/*
 * A message already keyed: 1 (noted, maybe queued) or 0 (none yet).
 * Pending and due (quiet hours over, or left before claims were kept),
 * or claimed by a run that died: claimed here and queued.  Claimed by a
 * live run: that run sends it.
 */
static int
known(struct notify *u, struct job *jb, const char *source, const char *id,
    const char *key, enum message_channel ch)
{
	struct ledger_message m;
	const char *shown;
	int take = 0;
	json_t *nt;

	if (!ledger_message_find(
		u->ledger, source, id, key, message_channel_name(ch), &m))
		return 0;
	if (m.status == LEDGER_MSG_PENDING)
		take = m.not_before <= u->now.t;
	else if (m.status == LEDGER_MSG_SENDING)
		take = m.run != ledger_run_id(u->ledger) &&
		       !ledger_run_alive(u->ledger, m.run);
	if (take && ledger_message_claim(u->ledger, m.id, m.status, m.run)) {
		nt = note(jb, key, ch, "pending");
		json_object_set_new(
		    nt, "message_id", json_string(m.message_id));
		queue(u, &m, ch, nt);
		return 1;
	}
	shown = ledger_message_status_name(m.status);
	if (m.status == LEDGER_MSG_PENDING)
		shown = "deferred";
	else if (m.status == LEDGER_MSG_SENDING) {
		/* On the wire from a run that is alive. */
		shown = "pending";
		u->elsewhere++;
	} else if (m.status == LEDGER_MSG_SENT)
		u->already++;
	nt = note(jb, key, ch, shown);
	json_object_set_new(nt, "message_id", json_string(m.message_id));
	ledger_message_free(&m);
	return 1;
}

/* A per-message error: said, noted, and the run's status is 1. */
static void
fail(struct notify *u, struct job *jb, json_t *nt, const char *why)
{
	const char *id = ndjson_str(jb->r.j, "order_id");

	err_line(jb->r.file, jb->r.line, "order %s: %s", id, why);
	json_object_set_new(nt, "status", json_string("failed"));
	json_object_set_new(nt, "error", json_string(why));
	u->errors++;
}

/*
 * The template for event on channel ch in the customer's locale want:
 * 0 with *t, or 1 when there is nothing to say on the channel.
 */
static int
find_template(struct notify *u, const char *want, const char *event,
    enum message_channel ch, struct tmpl **t)
{
	const char *name =
	    ch == MESSAGE_OUTBOX ? "email" : message_channel_name(ch);
	int r;

	r = tmpl_find(u->tmpl, want, event, name, t);
	if (r == -1 && errno == EINVAL) /* a locale no directory can have */
		r = tmpl_find(u->tmpl, NULL, event, name, t);
	/* Templates written before partial shipments: the shipped notice. */
	if (r == 1 && strcmp(event, "partial_shipment") == 0)
		return find_template(u, want, "shipped", ch, t);
	if (r == -1)
		err_exit_sys(
		    EXIT_TROUBLE, "templates '%s'", u->cfg->notify.templates);
	return r;
}

/*
 * A message in another language than its customer's (tmpl_find's
 * fallback): counted for the summary, and said once per run for each
 * language missing, so that the shop learns which templates to write.
 */
static void
foreign(struct notify *u, const struct tmpl *t, const char *want,
    const char *event, enum message_channel ch)
{
	char lang[TMPL_LOCALE_MAX + 1];
	json_t *n;

	if (!tmpl_foreign(t, want, lang, sizeof lang))
		return;
	u->foreign++;
	if (u->missing == NULL)
		u->missing = json_object();
	if ((n = json_object_get(u->missing, lang)) != NULL) {
		json_integer_set(n, json_integer_value(n) + 1);
		return;
	}
	json_object_set_new(u->missing, lang, json_integer(1));
	err_warn("no template in '%s' for %s.%s: sent in %s instead", lang,
	    event, ch == MESSAGE_OUTBOX ? "email" : message_channel_name(ch),
	    tmpl_locale(t));
}

void
notify_foreign_summary(const struct notify *u, FILE *fp)
{
	const char *lang, *sep = "";
	json_t *n;

	fprintf(fp, "; %ld not in their customer's language (", u->foreign);
	json_object_foreach(u->missing, lang, n)
	{
		fprintf(fp, "%s%s %lld", sep, lang,
		    (long long)json_integer_value(n));
		sep = ", ";
	}
	fputc(')', fp);
}

/*
 * Fill in the message and put it into its channel's form, into d: its
 * payload, or why it could not be made.  Asks nothing of the ledger;
 * made before the lock, the payload is packed for it there too (with the
 * ledger's codec: notify decides on one thread).  A dry run writes the
 * message out instead.
 */
static void
render(struct notify *u, struct draft *d, const struct tmpl *t,
    struct message *msg, const char *tz)
{
	struct tmpl_env env;
	char why[512], *body, *subject = NULL;

	d->made = 1;
	if (msg->ch == MESSAGE_EMAIL && !mime_addr_ok(msg->to)) {
		d->why = xstrdup("bad e-mail address");
		return;
	}
	memset(&env, 0, sizeof env);
	env.tz = tz;
	if ((body = tmpl_render(
		 t, msg->ctx, &env, &subject, why, sizeof why)) == NULL) {
		d->why = xstrdup(why);
		return;
	}
	d->rendered = 1;
	msg->subject = subject;
	msg->body = body;
	if (u->dry_run) {
		/* What would go, as an outbox line, whatever the channel. */
		json_t *o = message_preview(msg);

		ndjson_write(o);
		json_decref(o);
	} else if ((d->pl = message_payload(
			u->cfg, msg, &d->len, why, sizeof why)) == NULL)
		d->why = xstrdup(why);
	else if (!ledger_in_transaction(u->ledger) &&
		 (d->packed = ledger_message_pack(u->ledger, d->pl, d->len,
		      msg->message_id, msg->to, &d->plen)) != NULL) {
		d->packed_id = xstrdup(msg->message_id);
		d->packed_to = xstrdup(msg->to);
	}
	free(body);
	free(subject);
	msg->subject = msg->body = NULL;
}

static void
draft_free(struct draft *d)
{
	free(d->pl);
	free(d->why);
	free(d->packed);
	free(d->packed_id);
	free(d->packed_to);
	memset(d, 0, sizeof *d);
}

/*
 * Key the message, as d has it filled in (prepare()) or, d not made, as
 * filled in here: to send now, or when the customer's quiet hours are
 * over.  A dry run writes it out instead.
 */
static void
compose(struct notify *u, struct job *jb, json_t *nt, const struct tmpl *t,
    struct message *msg, struct ledger_message_new *add, const char *tz,
    struct draft *d)
{
	char *pl;
	size_t len;
	int64_t nb, row;

	if (!d->made)
		render(u, d, t, msg, tz);
	if (d->rendered)
		foreign(u, t,
		    ndjson_str(json_object_get(msg->ctx, "customer"), "locale"),
		    msg->event, msg->ch);
	if (d->why != NULL)
		fail(u, jb, nt, d->why);
	if (u->dry_run || d->pl == NULL)
		return;
	pl = d->pl;
	len = d->len;
	nb = msg->ch == MESSAGE_SMS || msg->ch == MESSAGE_WEBHOOK
		 ? after_quiet(u, u->now.t, tz)
		 : u->now.t;
	add->payload = pl;
	add->len = len;
	/* Packed before the lock, for the same message. */
	if (d->packed != NULL && strcmp(d->packed_id, add->message_id) == 0 &&
	    strcmp(d->packed_to, add->recipient) == 0) {
		add->packed = d->packed;
		add->plen = d->plen;
	}
	add->status = nb > u->now.t ? LEDGER_MSG_PENDING : LEDGER_MSG_SENDING;
	add->not_before = nb;
	row = ledger_message_add(u->ledger, add);
	if (nb > u->now.t) {
		json_object_set_new(nt, "status", json_string("deferred"));
		ndjson_set_time(nt, "not_before", nb, tz);
		u->deferred++;
	} else
		queue_new(u, row, msg, add->event, &d->pl, len, nt);
}

/*
 * The message of event about the order (source, id) on channel ch, ctx
 * its context, keyed key, as far as it goes without the ledger: 0 with
 * *t and msg (its recipient NULL when the customer has none on ch), or
 * 1 when there is nothing to say on the channel.
 */
static int
message_of(struct notify *u, const char *source, const char *id, json_t *ctx,
    const char *event, const char *key, enum message_channel ch,
    struct tmpl **t, struct message *msg, char *mid, size_t midlen)
{
	if (find_template(u,
		ndjson_str(json_object_get(ctx, "customer"), "locale"), event,
		ch, t) == 1)
		return 1;
	memset(msg, 0, sizeof *msg);
	msg->ch = ch;
	msg->event = event;
	msg->ctx = ctx;
	msg->to = message_recipient(ctx, ch);
	msg->message_id = mid;
	msg->locale = tmpl_locale(*t);
	msg->now = u->now.t;
	message_id(u->cfg, source, id, key, ch, mid, midlen);
	return 0;
}

/*
 * Whether any address opted out, asked once a transaction: none
 * (usually), and no message's address need be looked up.  Nobody else
 * writes while this run holds the lock, nor does plan().
 */
static int
optouts(struct notify *u)
{
	if (u->optouts == -1)
		u->optouts = ledger_optout_any(u->ledger);
	return u->optouts;
}

/* One event of one record on one channel. */
static void
plan_channel(struct notify *u, struct job *jb, json_t *ctx, const char *event,
    const char *key, enum message_channel ch)
{
	const struct notify_cfg *n = &u->cfg->notify;
	const char *source = ndjson_str(jb->r.j, "source");
	const char *id = ndjson_str(jb->r.j, "order_id");
	const char *tz = message_tz(u->cfg, ctx);
	struct draft *d = &jb->d[ch];
	struct ledger_message_new add;
	struct message msg;
	struct tmpl *t;
	char buf[256], *mid = buf;
	json_t *nt;

	if (d->made) {
		/* prepare() made it from this very context, event and key. */
		t = d->t;
		msg = d->msg;
		mid = d->mid;
	} else if (message_of(u, source, id, ctx, event, key, ch, &t, &msg, mid,
		       sizeof buf) == 1)
		return; /* nothing to say on this channel */
	if (!u->dry_run && known(u, jb, source, id, key, ch))
		return;
	if (msg.to == NULL) {
		note(jb, key, ch, "no_address");
		return;
	}
	nt = note(jb, key, ch, "pending");
	json_object_set_new(nt, "message_id", json_string(mid));
	memset(&add, 0, sizeof add);
	add.source = source;
	add.order_id = id;
	add.event = key;
	add.channel = message_channel_name(ch);
	add.recipient = msg.to;
	add.locale = msg.locale;
	add.message_id = mid;
	if (d->made) {
		add.domain = d->domain;
		add.domain_known = 1;
	}
	if (!u->dry_run && optouts(u) && ledger_optout_has(u->ledger, msg.to) &&
	    (n->optout_all ||
		listed(n->non_essential, n->nnon_essential, event))) {
		add.status = LEDGER_MSG_SKIPPED;
		add.not_before = u->now.t;
		add.error = "opted out";
		ledger_message_add(u->ledger, &add);
		json_object_set_new(nt, "status", json_string("opted_out"));
		u->opted_out++;
		return;
	}
	compose(u, jb, nt, t, &msg, &add, tz, d);
}

/* The ledger's record of the order a notice names; NULL: rejected. */
static json_t *
order_of(struct notify *u, struct job *jb)
{
	size_t len;
	char *text =
	    ledger_order_record(u->ledger, ndjson_str(jb->r.j, "source"),
		ndjson_str(jb->r.j, "order_id"), &len);
	json_t *order = text ? recparse_line(text, len, NULL, 0) : NULL;

	free(text);
	if (order == NULL)
		stage_reject(&u->stage, &jb->r,
		    "notice for an order the ledger does not have");
	return order;
}

/*
 * A notice about a return parcel that names its RMA (as followup made
 * them before return parcels had a journey, issue 16): the RMA's record
 * has no customer to write to.  Its customer hears only that the return
 * arrived, as return_received about the order the RMA is of, under the
 * key followup now gives it; the parcel's other news is the
 * warehouse's.  0 when the notice is passed on.
 */
static int
return_notice(struct notify *u, struct job *jb)
{
	const char *rma = ndjson_str(jb->r.j, "order_id");
	const char *event = ndjson_str(jb->r.j, "event");
	char key[128], *text;
	json_t *ret;
	size_t len;

	if (strcmp(event, "delivered") != 0 &&
	    strcmp(event, "return_received") != 0) {
		u->passed++;
		return 0;
	}
	text = ledger_order_record(u->ledger, "rma", rma, &len);
	ret = text ? recparse_line(text, len, NULL, 0) : NULL;
	free(text);
	if (ndjson_str(ret, "source") == NULL ||
	    ndjson_str(ret, "order_id") == NULL) {
		json_decref(ret);
		return 1; /* order_of() says the ledger does not have it */
	}
	snprintf(key, sizeof key, "return_received:%s", rma);
	jb->renoted = 1;
	json_object_set_new(jb->r.j, "rma", json_string(rma));
	json_object_set_new(jb->r.j, "event", json_string("return_received"));
	json_object_set_new(jb->r.j, "key", json_string(key));
	json_object_set(jb->r.j, "source", json_object_get(ret, "source"));
	json_object_set(jb->r.j, "order_id", json_object_get(ret, "order_id"));
	json_decref(ret);
	return 1;
}

/* Decide what a record announces and key its messages. */
/*
 * An order shipped in parts (lib/split) is told once, at its first
 * shipment: what comes now and what later (partial_shipment, instead of
 * shipped).  Its backorder waiting for stock is no news then, nor
 * cancelled with its order (1: say nothing); its own shipment later is
 * the shipped notice, naming the order the customer knows.
 */
static int
split_news(const char **event, json_t *order)
{
	if (split_of(order) == NULL)
		return 0;
	if (strcmp(*event, "stock_delay") == 0)
		return 1;
	/* A backorder cancelled with its order: the order's notice tells. */
	if (strcmp(*event, "order_cancelled") == 0 &&
	    strcmp(split_of(order), ndjson_str(order, "order_id")) != 0)
		return 1;
	if (strcmp(*event, "shipped") == 0 && split_more_to_come(order))
		*event = "partial_shipment";
	return 0;
}

/*
 * What an order's record announces by its status: 0 with *event, 1 when
 * that is no news to the customer, -1 when it announces nothing (or is
 * not an order's record).
 */
static int
announces(json_t *j, const char **event)
{
	if (ndjson_str(j, "type") != NULL ||
	    (*event = status_event(ndjson_str(j, "status"))) == NULL)
		return -1;
	/*
	 * A cancellation is news to a customer the warehouse had taken the
	 * order of (lib/cancel says what it was); one of an order it never
	 * saw is the shop's to tell.
	 */
	if (strcmp(*event, "order_cancelled") == 0 &&
	    json_object_get(json_object_get(j, "cancellation"), "was") == NULL)
		return 1;
	if (split_news(event, j))
		return 1;
	/*
	 * A replacement shipped is an exchange shipped; its being accepted
	 * is no news to the customer, who asked for it.
	 */
	if (json_is_object(json_object_get(j, "exchange_of"))) {
		if (strcmp(*event, "order_confirmed") == 0)
			return 1;
		if (strcmp(*event, "shipped") == 0)
			*event = "exchange_shipped";
	}
	return 0;
}

/*
 * Before the lock (stage_ops.prepare): the record parsed and, when its
 * status is news, its messages filled in and put into their channels'
 * forms, so that the transaction only keys them.  Nothing here asks the
 * ledger: whether a message is keyed already, or its address opted
 * out, is plan()'s to say, and a draft it does not need is let go.
 * Notices and returns need the ledger's record of the order: plan()
 * makes theirs.
 */
static void
prepare(void *arg, void *rec)
{
	struct notify *u = arg;
	struct job *jb = rec;
	const char *event, *source, *id;
	struct ledger_message_new key;
	struct draft *d;
	int ch;

	if (u->dry_run)
		return;
	stage_parse_early(&jb->r);
	if (jb->r.j == NULL ||
	    (source = ndjson_str(jb->r.j, "source")) == NULL ||
	    (id = ndjson_str(jb->r.j, "order_id")) == NULL ||
	    announces(jb->r.j, &event) != 0)
		return;
	jb->ctx = message_context(u->cfg, jb->r.j, NULL);
	for (ch = 0; ch < MESSAGE_NCHANNELS; ch++) {
		d = &jb->d[ch];
		if (!u->use[ch] ||
		    message_of(u, source, id, jb->ctx, event, event,
			(enum message_channel)ch, &d->t, &d->msg, d->mid,
			sizeof d->mid) == 1 ||
		    d->msg.to == NULL)
			continue;
		render(u, d, d->t, &d->msg, message_tz(u->cfg, jb->ctx));
		/* Whether the ledger need keep its id (ledger_message_add). */
		memset(&key, 0, sizeof key);
		key.source = source;
		key.order_id = id;
		key.event = event;
		key.channel = message_channel_name((enum message_channel)ch);
		key.message_id = d->mid;
		d->domain = ledger_message_domain(&key);
	}
}

static void
plan(void *arg, void *rec)
{
	struct notify *u = arg;
	struct job *jb = rec;
	const char *type, *event, *key;
	json_t *order = NULL, *ctx;
	char rkey[128];
	int ch, news;

	if (stage_parse_only(&u->stage, &jb->r) == -1)
		return;
	type = ndjson_str(jb->r.j, "type");
	if (type != NULL && strcmp(type, "notice") == 0) {
		event = ndjson_str(jb->r.j, "event");
		key = ndjson_str(jb->r.j, "key") ? ndjson_str(jb->r.j, "key")
						 : event;
		if (event == NULL || !is_name(event) || !is_name(key)) {
			stage_reject(
			    &u->stage, &jb->r, "notice without a valid event");
			return;
		}
		if (ndjson_str(jb->r.j, "source") != NULL &&
		    strcmp(ndjson_str(jb->r.j, "source"), "rma") == 0) {
			if (!return_notice(u, jb))
				return;
			event = ndjson_str(jb->r.j, "event");
			key = ndjson_str(jb->r.j, "key");
		}
		if ((order = order_of(u, jb)) == NULL)
			return;
		ctx = message_context(u->cfg, order, jb->r.j);
		json_decref(order);
	} else if (type != NULL && strcmp(type, "return") == 0) {
		/* label --return numbered it: the customer's label is ready. */
		if (ndjson_str(jb->r.j, "tracking") == NULL ||
		    ndjson_str(jb->r.j, "rma") == NULL) {
			u->passed++;
			return;
		}
		event = "return_label_ready";
		snprintf(rkey, sizeof rkey, "return_label_ready:%s",
		    ndjson_str(jb->r.j, "rma"));
		key = rkey;
		if ((order = order_of(u, jb)) == NULL)
			return;
		ctx = message_context(u->cfg, order, jb->r.j);
		json_decref(order);
	} else if ((news = announces(jb->r.j, &event)) == -1) {
		u->passed++;
		return;
	} else {
		/*
		 * The order's status is announced (its messages keyed, or
		 * none to send): notify --pending looks no more for it.
		 */
		if (!u->dry_run)
			ledger_notified_add(u->ledger,
			    ndjson_str(jb->r.j, "source"),
			    ndjson_str(jb->r.j, "order_id"),
			    ndjson_str(jb->r.j, "status"), u->now.t);
		if (news == 1) {
			u->passed++;
			return;
		}
		key = event;
		/* Made before the lock from this very record (prepare()). */
		ctx = jb->ctx != NULL ? jb->ctx
				      : message_context(u->cfg, jb->r.j, NULL);
		jb->ctx = NULL;
	}
	jb->notes = json_array();
	for (ch = 0; ch < MESSAGE_NCHANNELS; ch++)
		if (u->use[ch])
			plan_channel(
			    u, jb, ctx, event, key, (enum message_channel)ch);
	/* Let go after the commit (clear_one()), not under the lock. */
	json_decref(jb->ctx);
	jb->ctx = ctx;
}

/* Put m on the wire; its outcome is kept in why and the result. */
static enum send_result
deliver(struct notify *u, struct notify_msg *q, char *why, size_t whylen)
{
	const struct notify_cfg *n = &u->cfg->notify;
	const struct ledger_message *m = &q->m;
	const char *secret;

	switch (q->ch) {
	case MESSAGE_EMAIL:
		return send_mail(u->sender, n->smtp_url, n->from_addr,
		    m->recipient, m->payload, m->len, why, whylen);
	case MESSAGE_SMS:
		secret = getenv("FULFIL_SMS_SECRET");
		return send_post(u->sender, n->sms_url, secret, m->message_id,
		    m->payload, m->len, why, whylen);
	case MESSAGE_WEBHOOK:
		secret = getenv("FULFIL_WEBHOOK_SECRET");
		return send_post(u->sender, n->webhook_url, secret,
		    m->message_id, m->payload, m->len, why, whylen);
	default:
		if (fwrite(m->payload, 1, m->len, u->outbox) != m->len ||
		    putc('\n', u->outbox) == EOF)
			err_exit_sys(EXIT_TROUBLE, "'%s'", u->outbox_path);
		return SEND_OK;
	}
}

/*
 * The message ids of the outbox file, read once and sorted, for
 * outbox_holds().  Each line begins {"message_id":"...", as message.c
 * writes it.
 */
static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
outbox_ids(struct notify *u)
{
	static const char head[] = "{\"message_id\":\"";
	char *line = NULL, *e;
	size_t cap = 0;
	ssize_t n;
	FILE *fp;

	while (u->nboxids > 0)
		free(u->boxids[--u->nboxids]);
	u->outbox_read = 1;
	if (fflush(u->outbox) == EOF)
		err_exit_sys(EXIT_TROUBLE, "'%s'", u->outbox_path);
	/* Taken away since it was opened: nothing in it to find. */
	if ((fp = fopen(u->outbox_path, "r")) == NULL && errno == ENOENT)
		return;
	if (fp == NULL)
		err_exit_sys(EXIT_TROUBLE, "'%s'", u->outbox_path);
	while ((n = getline(&line, &cap, fp)) != -1) {
		/* Half a line, from a run that died writing it, is not sent. */
		if (line[n - 1] != '\n' ||
		    strncmp(line, head, sizeof head - 1) != 0 ||
		    (e = strchr(line + sizeof head - 1, '"')) == NULL)
			continue;
		xgrow(&u->boxids, &u->boxidscap, u->nboxids + 1,
		    sizeof *u->boxids);
		u->boxids[u->nboxids++] = xstrndup(line + sizeof head - 1,
		    (size_t)(e - line) - (sizeof head - 1));
	}
	if (ferror(fp))
		err_exit_sys(EXIT_TROUBLE, "'%s'", u->outbox_path);
	fclose(fp);
	free(line);
	qsort(u->boxids, u->nboxids, sizeof *u->boxids, cmp_str);
}

/*
 * Whether the outbox already holds message q, which a run that died had
 * claimed: it may have written it and died before the ledger said so.
 * Read only when such a message comes up, which is after a crash, and
 * again for each batch that has one (another run may have died since).
 */
static int
outbox_holds(struct notify *u, const struct notify_msg *q)
{
	const char *id = q->m.message_id;

	if (q->m.status != LEDGER_MSG_SENDING || q->m.run == 0)
		return 0; /* never on the wire */
	if (!u->outbox_read)
		outbox_ids(u);
	return bsearch(&id, u->boxids, u->nboxids, sizeof *u->boxids,
		   cmp_str) != NULL;
}

/* Keep q's outcome res in the ledger (inside a transaction). */
static enum ledger_msg_status
outcome(struct notify *u, struct notify_msg *q, enum send_result res,
    const char *why)
{
	const struct notify_cfg *n = &u->cfg->notify;
	int a = q->m.attempts + 1;
	int64_t wait;

	if (res == SEND_OK) {
		ledger_message_outcome(
		    u->ledger, q->m.id, LEDGER_MSG_SENT, a, u->now.t, NULL);
		u->sent++;
		return LEDGER_MSG_SENT;
	}
	if (res == SEND_RETRY && a < n->max_attempts) {
		/* Twice as long to wait after every failure. */
		wait = (int64_t)n->backoff_s << (a - 1 < 20 ? a - 1 : 20);
		ledger_message_outcome(u->ledger, q->m.id, LEDGER_MSG_RETRY, a,
		    u->now.t + wait, why);
		u->retrying++;
		return LEDGER_MSG_RETRY;
	}
	ledger_message_outcome(
	    u->ledger, q->m.id, LEDGER_MSG_FAILED, a, u->now.t, why);
	u->failed++;
	return LEDGER_MSG_FAILED;
}

/* After the commit: said if it failed, noted in its record, let go. */
static void
settled(struct notify_msg *q, enum ledger_msg_status st, enum send_result res,
    const char *why)
{
	if (res != SEND_OK)
		err_warn("message %s (%s): %s%s", q->m.message_id,
		    message_channel_name(q->ch), why,
		    st == LEDGER_MSG_RETRY ? ", will retry" : ", given up");
	if (q->note != NULL) {
		json_object_set_new(q->note, "status",
		    json_string(ledger_message_status_name(st)));
		if (res != SEND_OK)
			json_object_set_new(q->note, "error", json_string(why));
	}
	ledger_message_free(&q->m);
}

/*
 * The outbox is ours alone until unlocked: runs at once append whole
 * batches in turn (stdio writes a batch in pieces that need not end at
 * a line's end).  A half line at the end is what a run killed while
 * writing left (a live writer holds the lock): it is cut off, and its
 * message, still claimed in the ledger, is written whole by whichever
 * run takes it over.
 */
static void
outbox_lock(struct notify *u)
{
	int fd = fileno(u->outbox);
	char buf[4096];
	struct stat sb;
	off_t end, at;
	ssize_t n;

	while (flock(fd, LOCK_EX) == -1)
		if (errno != EINTR)
			err_exit_sys(
			    EXIT_TROUBLE, "cannot lock '%s'", u->outbox_path);
	if (fstat(fd, &sb) == -1)
		err_exit_sys(EXIT_TROUBLE, "'%s'", u->outbox_path);
	for (end = at = sb.st_size; at > 0; at -= n) {
		n = at < (off_t)sizeof buf ? (ssize_t)at : (ssize_t)sizeof buf;
		if (pread(fd, buf, (size_t)n, at - n) != n)
			err_exit_sys(EXIT_TROUBLE, "'%s'", u->outbox_path);
		while (n > 0 && buf[n - 1] != '\n')
			n--, at--;
		if (n > 0)
			break;
	}
	if (at < end) {
		err_warn("'%s': half a line at its end, left by a run that "
			 "died writing it, cut off",
		    u->outbox_path);
		if (ftruncate(fd, at) == -1)
			err_exit_sys(EXIT_TROUBLE, "'%s'", u->outbox_path);
	}
}

static void
outbox_unlock(struct notify *u)
{
	if (fflush(u->outbox) == EOF || fsync(fileno(u->outbox)) == -1)
		err_exit_sys(EXIT_TROUBLE, "'%s'", u->outbox_path);
	flock(fileno(u->outbox), LOCK_UN);
}

/*
 * Send what is queued.  The outbox's lines first, all of them, then one
 * fsync and one transaction for their outcomes (an fsync a message held
 * notify to ~250 messages/s): the outbox holds them before the ledger
 * says they went, and a run that dies in between leaves them claimed,
 * which the next run finds in the outbox (outbox_holds) instead of
 * writing them twice.  Every other channel's outcome is committed as
 * soon as it is known: a crash leaves at most the message on the wire
 * in doubt.
 */
static void
send_queued(struct notify *u)
{
	enum ledger_msg_status st;
	enum send_result res;
	char why[256];
	size_t i, nbox = 0;

	u->outbox_read = 0;
	for (i = 0; i < u->nmsgs; i++) {
		struct notify_msg *q = &u->msgs[i];

		if (q->ch != MESSAGE_OUTBOX)
			continue;
		if (nbox++ == 0)
			outbox_lock(u);
		if (!outbox_holds(u, q))
			deliver(u, q, why, sizeof why);
	}
	if (nbox > 0) {
		outbox_unlock(u);
		ledger_begin(u->ledger);
		for (i = 0; i < u->nmsgs; i++)
			if (u->msgs[i].ch == MESSAGE_OUTBOX)
				outcome(u, &u->msgs[i], SEND_OK, NULL);
		ledger_commit(u->ledger);
		for (i = 0; i < u->nmsgs; i++)
			if (u->msgs[i].ch == MESSAGE_OUTBOX)
				settled(&u->msgs[i], LEDGER_MSG_SENT, SEND_OK,
				    NULL);
	}
	for (i = 0; i < u->nmsgs; i++) {
		struct notify_msg *q = &u->msgs[i];

		if (q->ch == MESSAGE_OUTBOX)
			continue;
		res = deliver(u, q, why, sizeof why);
		ledger_begin(u->ledger);
		st = outcome(u, q, res, why);
		ledger_commit(u->ledger);
		settled(q, st, res, why);
	}
	u->nmsgs = 0;
}

static void
send_all(void *arg, void *recs, size_t n)
{
	struct notify *u = arg;

	if (!u->dry_run)
		send_queued(u);
}

/* A dry run writes the messages instead, as it plans them. */
static void
write_one(void *arg, void *rec)
{
	static const char *const notified[] = {"notified", NULL};
	static const char *const renoted[] = {
	    "notified", "rma", "event", "key", "source", "order_id", NULL};
	struct notify *u = arg;
	struct job *jb = rec;
	size_t len;
	char *out;

	if (jb->r.j == NULL || u->dry_run)
		return;
	if (jb->notes != NULL && json_array_size(jb->notes))
		json_object_set(jb->r.j, "notified", jb->notes);
	/*
	 * What plan() and return_notice() may have set; the rest goes on
	 * as the text the record was parsed from (recsplice).
	 */
	out = stage_splice(&jb->r, jb->renoted ? renoted : notified, &len);
	ndjson_put(out, len);
	free(out);
}

static void
clear_one(void *arg, void *rec)
{
	struct job *jb = rec;
	int ch;

	json_decref(jb->notes);
	json_decref(jb->ctx);
	jb->ctx = NULL;
	for (ch = 0; ch < MESSAGE_NCHANNELS; ch++)
		draft_free(&jb->d[ch]);
}

/* Before the chunk's transaction: what it asks once, not asked yet. */
static void
begin(void *arg, void *recs, size_t n)
{
	((struct notify *)arg)->optouts = -1;
}

static const struct stage_ops notify_ops = {
    .begin = begin,
    .prepare = prepare,
    .decide = plan,
    .effects = send_all,
    .write = write_one,
    .clear = clear_one,
    .group = STAGE_GROUP,
};

/*
 * --pending and --retry: the ledger's messages whose time has come, and
 * those a run that died had claimed.  A page at a time: read, claimed
 * (each only if nobody claimed it meanwhile), then sent.
 */
static void
resend(struct notify *u)
{
	struct ledger_message page[DUE_PAGE];
	int64_t last = 0;
	size_t n, i, kept;
	int ch;

	do {
		n = ledger_messages_due(
		    u->ledger, last, u->now.t, u->retry, page, DUE_PAGE);
		for (i = 0; i < n; i++) {
			last = page[i].id;
			ch = message_channel_parse(page[i].channel);
			if (ch == -1 || !u->use[ch]) {
				ledger_message_free(&page[i]);
				continue;
			}
			queue(u, &page[i], (enum message_channel)ch, NULL);
		}
		if (u->nmsgs == 0)
			continue;
		ledger_begin(u->ledger);
		for (i = kept = 0; i < u->nmsgs; i++) {
			struct notify_msg *q = &u->msgs[i];

			if (!ledger_message_claim(
				u->ledger, q->m.id, q->m.status, q->m.run)) {
				ledger_message_free(&q->m);
				continue;
			}
			u->msgs[kept++] = *q;
		}
		ledger_commit(u->ledger);
		u->nmsgs = kept;
		send_queued(u);
	} while (n > 0);
}

void
notify_channels(struct notify *u, const char *list)
{
	const struct notify_cfg *n = &u->cfg->notify;
	char *copy, *p, *tok;
	int ch;

	if (list == NULL && n->channels != NULL) {
		size_t i;

		for (i = 0; i < n->nchannels; i++)
			notify_channels(u, n->channels[i]);
		return;
	}
	if (list == NULL) {
		u->use[MESSAGE_EMAIL] = n->smtp_url != NULL;
		u->use[MESSAGE_SMS] = n->sms_url != NULL;
		u->use[MESSAGE_WEBHOOK] = n->webhook_url != NULL;
		u->use[MESSAGE_OUTBOX] = u->outbox_path != NULL;
		return;
	}
	copy = xstrdup(list);
	for (p = copy; (tok = strsep(&p, ",")) != NULL;) {
		if ((ch = message_channel_parse(tok)) == -1)
			err_exit(EXIT_TROUBLE,
			    "--channel: no channel '%s' (email, sms, "
			    "webhook, outbox)",
			    tok);
		u->use[ch] = 1;
	}
	free(copy);
}

void
notify_optout(struct notify *u, char *const *addrs, size_t n, int out)
{
	size_t i;

	ledger_begin(u->ledger);
	for (i = 0; i < n; i++) {
		if (out)
			ledger_optout_add(u->ledger, addrs[i]);
		else
			ledger_optout_remove(u->ledger, addrs[i]);
		ledger_event(
		    u->ledger, NULL, NULL, out ? "opt_out" : "opt_in", NULL);
	}
	ledger_commit(u->ledger);
}

/*
 * The outbox, appended to (and read: outbox_lock); created 0600: it
 * holds customers' messages.
 */
static FILE *
outbox_open(const char *path)
{
	FILE *fp;
	int fd;

	if ((fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600)) ==
		-1 ||
	    (fp = fdopen(fd, "a")) == NULL)
		err_exit_sys(EXIT_TROUBLE, "'%s'", path);
	return fp;
}

void
notify_outputs(struct notify *u)
{
	static const char *const need[MESSAGE_NCHANNELS] = {
	    "notify.smtp.url", "notify.sms.url", "notify.webhook.url", NULL};
	const struct notify_cfg *n = &u->cfg->notify;
	const char *have[MESSAGE_NCHANNELS];
	int ch, any = 0;

	have[MESSAGE_EMAIL] = n->smtp_url;
	have[MESSAGE_SMS] = n->sms_url;
	have[MESSAGE_WEBHOOK] = n->webhook_url;
	have[MESSAGE_OUTBOX] = u->outbox_path;
	for (ch = 0; ch < MESSAGE_NCHANNELS; ch++) {
		if (!u->use[ch])
			continue;
		any = 1;
		if (have[ch] == NULL && ch == MESSAGE_OUTBOX)
			err_exit(EXIT_TROUBLE, "the outbox needs -o file");
		if (have[ch] == NULL)
			err_exit(EXIT_TROUBLE, "channel %s: no %s in %s",
			    message_channel_name(ch), need[ch], u->cfg->file);
	}
	if (!any)
		err_exit(EXIT_TROUBLE,
		    "no channel: configure notify in %s or give --channel",
		    u->cfg->file);
	if (u->use[MESSAGE_EMAIL] && n->from_addr == NULL)
		err_exit(EXIT_TROUBLE, "e-mail needs notify.from.address in %s",
		    u->cfg->file);
	if (u->outbox_path != NULL && u->use[MESSAGE_OUTBOX] && !u->dry_run)
		u->outbox = outbox_open(u->outbox_path);
}

void
notify_open(struct notify *u)
{
	const struct notify_cfg *n = &u->cfg->notify;

	if ((u->tmpl = tmpl_open(n->templates, n->locale)) == NULL)
		err_exit(EXIT_TROUBLE,
		    "%s: notify.default_locale '%s' is not a "
		    "locale",
		    u->cfg->file, n->locale);
	u->sender = send_open(n->timeout_s);
	send_smtp_insecure(u->sender, n->smtp_insecure);
	u->stage.ledger = u->ledger;
	u->stage.rejects = &u->rejects;
	u->stage.rejected_what = "notify.rejected";
	stage_init_ops(
	    &u->stage, sizeof(struct job), STAGE_CHUNK, &notify_ops, u);
	u->stage.notx = u->dry_run;
	/* An unsigned POST is still sent, but nobody should be surprised. */
	if (u->use[MESSAGE_WEBHOOK] && !u->dry_run &&
	    getenv("FULFIL_WEBHOOK_SECRET") == NULL)
		err_warn(
		    "FULFIL_WEBHOOK_SECRET is not set: webhooks go unsigned");
	if (u->use[MESSAGE_SMS] && !u->dry_run &&
	    getenv("FULFIL_SMS_SECRET") == NULL)
		err_warn(
		    "FULFIL_SMS_SECRET is not set: SMS requests go unsigned");
	/*
	 * Lines are read on this thread, no reader thread.  One would be
	 * safe (the zone is switched here only; lib/when, lib/stage), but
	 * in the pipe, five stages on two cores, it cost notify more CPU
	 * than it took off this thread (1,000,000 orders: 47.2 -> 55.5 s,
	 * the pipe 152.1 -> 161.5 s): records handed across and freed on
	 * the other thread.
	 */
	u->stage.serial = 1;
}

void
notify_run(struct notify *u, struct input **in, int nin)
{
	const char *announcing[NANNOUNCE + 1];
	char *where;
	size_t i;

	for (i = 0; i < NANNOUNCE; i++)
		announcing[i] = status_name(announce[i].status);
	announcing[NANNOUNCE] = NULL;
	/*
	 * --pending: the orders of the last days whose status was never
	 * announced (their line died in a pipe), then the messages due.
	 */
	where = ledger_notified_pending_where(u->now.t - PENDING_DAYS * 86400);
	u->stage.pending_where = where;
	stage_run(
	    &u->stage, in, nin, u->pending && !u->dry_run ? announcing : NULL);
	u->stage.pending_where = NULL;
	free(where);
	if ((u->pending || u->retry) && !u->dry_run)
		resend(u);
}

void
notify_close(struct notify *u)
{
	if (u->outbox != NULL && fclose(u->outbox) == EOF)
		err_exit_sys(EXIT_TROUBLE, "'%s'", u->outbox_path);
	u->outbox = NULL;
	free(u->msgs);
	u->msgs = NULL;
	send_close(u->sender);
	tmpl_close(u->tmpl);
	while (u->nboxids > 0)
		free(u->boxids[--u->nboxids]);
	free(u->boxids);
	u->boxids = NULL;
	json_decref(u->missing);
	u->missing = NULL;
}
