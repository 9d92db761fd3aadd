/*
 * notify: tell each customer what became of their order, once per event
 * and channel, in their language.  Reads orders and followup's notices,
 * writes them on unchanged but for a "notified" note, and sends the
 * messages: e-mail over SMTP, webhooks and SMS over HTTP, or an outbox
 * file.  See notify(1).
 *
 * Exactly once: each message is keyed in the ledger by (order, event,
 * channel) and kept there as it goes on the wire.  It is claimed by this
 * run (status sending, run) and committed before it is sent, and its
 * outcome is committed right after, one message at a time.  Another live
 * run never sends what this one claimed; a crash leaves at most the
 * message on the wire in doubt, and the run that takes over the dead
 * run's claims sends the same bytes again: the same Message-ID, the same
 * idempotency key.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

#include "config.h"
#include "err.h"
#include "ledger_int.h"
#include "mime.h"
#include "ndjson.h"
#include "opts.h"
#include "rejects.h"
#include "send.h"
#include "sms.h"
#include "stage.h"
#include "template.h"
#include "when.h"

/* Records per chunk: their messages are keyed in one transaction. */
#define CHUNK 64

enum channel { CH_EMAIL, CH_SMS, CH_WEBHOOK, CH_OUTBOX, CH_MAX };

static const char *const channel_names[CH_MAX] = {
    "email", "sms", "webhook", "outbox"};

/* A message on its way: a row of the messages table. */
struct msg {
	int64_t row;
	enum channel ch;
	char *recipient, *message_id, *payload, *event;
	size_t len;
	int attempts;
	json_t *note; /* the record's note for it, or NULL */
};

struct job {
	struct stage_rec r;
	json_t *notes; /* "notified" */
	int failed;
};

struct run {
	struct config *cfg;
	struct notify_cfg *n;
	struct ledger *ledger;
	struct rejects rejects;
	struct stage stage;
	struct tmpl_set *tmpl;
	struct sender *sender;
	int use[CH_MAX];
	int dry_run, retry;
	const char *outbox_path;
	FILE *outbox;
	struct msg *msgs;
	size_t nmsgs, msgscap;
	struct when now;
	long passed, sent, deferred, retrying, failed, already, opted_out,
	    errors, elsewhere;
	sqlite3_stmt *st_find, *st_insert, *st_update, *st_optout, *st_claim,
	    *st_notified;
};

/* How far back notify --pending looks for orders never announced. */
#define PENDING_DAYS 7

static void __attribute__((noreturn)) usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: %s [-hq] [--pending] [--retry] [--dry-run] "
	    "[--channel list]\n"
	    "       [--templates dir] [-o outbox] [--opt-out address] "
	    "[--opt-in address]\n"
	    "       [--config file] [--db file] [--rejects file] "
	    "[--version] [file ...]\n",
	    progname);
	exit(status ? status : close_stdout(EXIT_OK));
}

/* Which event an order in this status announces; NULL: none. */
static const char *
status_event(const char *status)
{
	static const char *const map[][2] = {{"accepted", "order_confirmed"},
	    {"held", "stock_delay"}, {"dispatched", "shipped"}};
	size_t i;

	for (i = 0; status != NULL && i < sizeof map / sizeof map[0]; i++)
		if (strcmp(status, map[i][0]) == 0)
			return map[i][1];
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

/* The customer's time zone: customer.timezone, else the warehouse's. */
static const char *
customer_tz(const struct run *u, json_t *rec)
{
	const char *tz =
	    ndjson_str(json_object_get(rec, "customer"), "timezone");

	return tz != NULL && when_zone_valid(tz) ? tz : u->cfg->tz;
}

/*
 * The end of quiet hours when t falls in them (the customer's local
 * time), else t.
 */
static int64_t
after_quiet(const struct run *u, int64_t t, const char *tz)
{
	struct when w = when_in_zone(t, tz);
	int64_t local = t + (int64_t)w.off * 60;
	int64_t day = local >= 0 ? local / 86400 : (local - 86399) / 86400;
	int secs = (int)(local - day * 86400);
	int from = u->n->quiet_from, to = u->n->quiet_to, in;

	if (!u->n->quiet || from == to)
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

static const char *
recipient(json_t *rec, enum channel ch)
{
	json_t *c = json_object_get(rec, "customer");
	const char *phone = ndjson_str(c, "phone");

	if (phone == NULL)
		phone = ndjson_str(json_object_get(rec, "ship_to"), "phone");
	switch (ch) {
	case CH_EMAIL:
		return ndjson_str(c, "email");
	case CH_SMS:
		return phone;
	case CH_WEBHOOK:
		return "webhook";
	default:
		return ndjson_str(c, "email") ? ndjson_str(c, "email") : phone;
	}
}

static int
opted_out(struct run *u, const char *addr)
{
	int r;

	sqlite3_bind_text(u->st_optout, 1, addr, -1, SQLITE_STATIC);
	r = sqlite3_step(u->st_optout) == SQLITE_ROW;
	sqlite3_reset(u->st_optout);
	return r;
}

static json_t *
note(struct job *jb, const char *event, enum channel ch, const char *status)
{
	json_t *o = json_pack("{s:s,s:s,s:s}", "event", event, "channel",
	    channel_names[ch], "status", status);

	json_array_append_new(jb->notes, o);
	return o;
}

/* What every message's JSON form starts with. */
static json_t *
message_head(const char *mid, enum channel ch, const char *event, json_t *rec,
    const char *locale)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "message_id", mid,
	    "channel", channel_names[ch], "event", event, "order_id",
	    ndjson_str(rec, "order_id"), "source", ndjson_str(rec, "source"),
	    "locale", locale);
}

/* What goes on the wire for channel ch; NULL with why on error. */
static char *
payload(struct run *u, json_t *rec, enum channel ch, const char *event,
    const char *to, const char *mid, const char *subject, const char *body,
    const char *locale, size_t *len, char *why, size_t whylen)
{
	json_t *o;
	char *s, date[40];
	struct mime_msg m;
	struct sms_count sc;

	if (ch == CH_EMAIL) {
		struct when w = when_in_zone(u->now.t, u->cfg->tz);

		memset(&m, 0, sizeof m);
		m.from_addr = u->n->from_addr;
		m.from_name =
		    u->n->from_name ? u->n->from_name : u->cfg->wh_name;
		m.to_addr = to;
		m.to_name =
		    ndjson_str(json_object_get(rec, "customer"), "name");
		m.subject = subject;
		m.body = body;
		m.message_id = mid;
		m.date = mime_date(u->now.t, w.off, date);
		return mime_message(&m, len, why, whylen);
	}
	o = message_head(mid, ch, event, rec, locale);
	ndjson_set_time(o, "created_at", u->now.t, u->cfg->tz);
	if (ch == CH_SMS) {
		if (sms_count(body, &sc) == -1) {
			snprintf(why, whylen, "text is not UTF-8");
			json_decref(o);
			return NULL;
		}
		if (sc.segments > u->n->max_segments) {
			snprintf(why, whylen,
			    "text needs %d SMS segments, more than the %d "
			    "allowed",
			    sc.segments, u->n->max_segments);
			json_decref(o);
			return NULL;
		}
		json_object_set_new(o, "to", json_string(to));
		if (u->n->sms_sender != NULL)
			json_object_set_new(
			    o, "from", json_string(u->n->sms_sender));
		json_object_set_new(
		    o, "encoding", json_string(sc.ucs2 ? "ucs2" : "gsm7"));
		json_object_set_new(o, "segments", json_integer(sc.segments));
	} else if (ch == CH_OUTBOX) {
		json_object_set_new(o, "to", json_string(to));
		if (subject != NULL)
			json_object_set_new(o, "subject", json_string(subject));
	}
	json_object_set_new(o, "text", json_string(body));
	s = ndjson_dump(o, len);
	json_decref(o);
	return s;
}

/* The context templates see: the order, its notice, shop and carrier. */
static json_t *
context(struct run *u, json_t *order, json_t *notice)
{
	json_t *ctx = json_copy(order), *k;
	const struct carrier *c = config_carrier(
	    u->cfg, ndjson_str(json_object_get(order, "shipment"), "carrier"));

	if (notice != NULL)
		json_object_set(ctx, "notice", notice);
	json_object_set_new(ctx, "shop",
	    json_pack("{s:s}", "name",
		u->n->from_name ? u->n->from_name : u->cfg->wh_name));
	if (c != NULL) {
		k = json_pack("{s:s,s:s}", "code", c->code, "name",
		    c->name ? c->name : c->code);
		json_object_set_new(ctx, "carrier", k);
	}
	return ctx;
}

static void
queue(struct run *u, int64_t row, enum channel ch, const char *to,
    const char *mid, const char *pl, size_t len, const char *event,
    int attempts, json_t *nt)
{
	struct msg *m;

	xgrow(&u->msgs, &u->msgscap, u->nmsgs + 1, sizeof *u->msgs);
	m = &u->msgs[u->nmsgs++];
	m->row = row;
	m->ch = ch;
	m->recipient = xstrdup(to);
	m->message_id = xstrdup(mid);
	m->payload = xmalloc(len + 1);
	memcpy(m->payload, pl, len);
	m->payload[len] = '\0';
	m->len = len;
	m->event = xstrdup(event);
	m->attempts = attempts;
	m->note = nt;
}

static void
msg_free(struct msg *m)
{
	free(m->recipient);
	free(m->message_id);
	free(m->payload);
	free(m->event);
}

/* The message queued last goes after all. */
static void
unqueue(struct run *u)
{
	msg_free(&u->msgs[--u->nmsgs]);
}

/*
 * Claim message row for this run, when it is still as seen (status,
 * and the run that had it): 1 if it is ours now.
 */
static int
claim(struct run *u, int64_t row, const char *status, int64_t run)
{
	sqlite3_stmt *st = u->st_claim;

	sqlite3_bind_int64(st, 1, row);
	sqlite3_bind_int64(st, 2, ledger_run_id(u->ledger));
	sqlite3_bind_text(st, 3, status, -1, SQLITE_STATIC);
	if (run != 0)
		sqlite3_bind_int64(st, 4, run);
	ledger_step(u->ledger, st);
	return sqlite3_changes(ledger_db(u->ledger)) == 1;
}

/*
 * A message already keyed: 1 (noted, maybe queued) or 0 (none yet).
 * Pending and due (quiet hours over, or left before claims were kept),
 * or claimed by a run that died: claimed here and queued.  Claimed by a
 * live run: that run sends it.
 */
static int
known(struct run *u, struct job *jb, const char *source, const char *id,
    const char *key, enum channel ch)
{
	sqlite3_stmt *st = u->st_find;
	const char *status, *shown;
	int64_t not_before, owner, row;
	int r = 0, take = 0;
	char *mid;
	json_t *nt;

	sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, channel_names[ch], -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return 0;
	}
	r = 1;
	row = sqlite3_column_int64(st, 0);
	mid = xstrdup((const char *)sqlite3_column_text(st, 4));
	status = (const char *)sqlite3_column_text(st, 1);
	not_before = sqlite3_column_int64(st, 3);
	owner = sqlite3_column_int64(st, 7);
	shown = status;
	if (strcmp(status, "pending") == 0)
		take = not_before <= u->now.t;
	else if (strcmp(status, "sending") == 0)
		take = owner != ledger_run_id(u->ledger) &&
		       !ledger_run_alive(u->ledger, owner);
	if (take) {
		/* Copied out before the claim writes under the read. */
		queue(u, row, ch, (const char *)sqlite3_column_text(st, 5),
		    (const char *)sqlite3_column_text(st, 4),
		    (const char *)sqlite3_column_blob(st, 6),
		    (size_t)sqlite3_column_bytes(st, 6), key,
		    sqlite3_column_int(st, 2), NULL);
	}
	if (take && claim(u, row, status, owner)) {
		u->msgs[u->nmsgs - 1].note = nt = note(jb, key, ch, "pending");
	} else {
		if (take)
			unqueue(u);
		if (strcmp(status, "pending") == 0)
			shown = "deferred";
		else if (strcmp(status, "sending") == 0) {
			/* On the wire from a run that is alive. */
			shown = "pending";
			u->elsewhere++;
		} else if (strcmp(status, "sent") == 0)
			u->already++;
		nt = note(jb, key, ch, shown);
	}
	json_object_set_new(nt, "message_id", json_string(mid));
	sqlite3_reset(st);
	free(mid);
	return r;
}

static int64_t
insert(struct run *u, const char *source, const char *id, const char *key,
    enum channel ch, const char *to, const char *locale, const char *mid,
    const char *pl, size_t len, const char *status, int64_t not_before,
    const char *error)
{
	sqlite3_stmt *st = u->st_insert;

	sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, channel_names[ch], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, to, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, locale, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, mid, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 8, pl ? pl : "", (int)len, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 10, not_before);
	sqlite3_bind_text(st, 11, error, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 12, ledger_stamp(u->ledger), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 13, ledger_run_id(u->ledger));
	ledger_step(u->ledger, st);
	return sqlite3_last_insert_rowid(ledger_db(u->ledger));
}

/* A per-message error: said, noted, and the run's status is 1. */
static void
fail(struct run *u, struct job *jb, json_t *nt, const char *why)
{
	const char *id = ndjson_str(jb->r.j, "order_id");

	err_line(jb->r.file, jb->r.line, "order %s: %s", id, why);
	json_object_set_new(nt, "status", json_string("failed"));
	json_object_set_new(nt, "error", json_string(why));
	jb->failed = 1;
	u->errors++;
}

/* One event of one record on one channel. */
static void
plan_channel(struct run *u, struct job *jb, json_t *ctx, const char *event,
    const char *key, enum channel ch)
{
	const char *source = ndjson_str(jb->r.j, "source");
	const char *id = ndjson_str(jb->r.j, "order_id");
	const char *want =
	    ndjson_str(json_object_get(ctx, "customer"), "locale");
	const char *to = recipient(ctx, ch), *tz = customer_tz(u, ctx);
	struct tmpl_env env;
	struct tmpl *t;
	char why[512], mkey[512], mid[256], *body, *subject = NULL, *pl;
	size_t len = 0;
	int64_t nb, row;
	json_t *nt;
	int r;

	r = tmpl_find(u->tmpl, want, event,
	    ch == CH_OUTBOX ? "email" : channel_names[ch], &t);
	if (r == -1 && errno == EINVAL) /* a locale no directory can have */
		r = tmpl_find(u->tmpl, NULL, event,
		    ch == CH_OUTBOX ? "email" : channel_names[ch], &t);
	if (r == -1)
		err_exit_sys(EXIT_TROUBLE, "templates '%s'", u->n->templates);
	if (r == 1)
		return; /* nothing to say on this channel */
	if (!u->dry_run && known(u, jb, source, id, key, ch))
		return;
	if (to == NULL) {
		note(jb, key, ch, "no_address");
		return;
	}
	nt = note(jb, key, ch, "pending");
	snprintf(mkey, sizeof mkey, "%s/%s/%s/%s", source, id, key,
	    channel_names[ch]);
	mime_message_id(mkey, u->n->domain ? u->n->domain : "fulfil.invalid",
	    mid, sizeof mid);
	json_object_set_new(nt, "message_id", json_string(mid));
	if (!u->dry_run && opted_out(u, to) &&
	    (u->n->optout_all ||
		listed(u->n->non_essential, u->n->nnon_essential, event))) {
		insert(u, source, id, key, ch, to, tmpl_locale(t), mid, NULL, 0,
		    "skipped", u->now.t, "opted out");
		json_object_set_new(nt, "status", json_string("opted_out"));
		u->opted_out++;
		return;
	}
	if (ch == CH_EMAIL && !mime_addr_ok(to)) {
		fail(u, jb, nt, "bad e-mail address");
		return;
	}
	memset(&env, 0, sizeof env);
	env.tz = tz;
	if ((body = tmpl_render(t, ctx, &env, &subject, why, sizeof why)) ==
	    NULL) {
		fail(u, jb, nt, why);
		return;
	}
	if (u->dry_run) {
		/* What would go, as an outbox line, whatever the channel. */
		json_t *o = message_head(mid, ch, event, ctx, tmpl_locale(t));

		json_object_set_new(o, "to", json_string(to));
		json_object_set_new(o, "text", json_string(body));
		if (subject != NULL)
			json_object_set_new(o, "subject", json_string(subject));
		ndjson_write(o);
		json_decref(o);
		free(body);
		free(subject);
		return;
	}
	pl = payload(u, ctx, ch, event, to, mid, subject, body, tmpl_locale(t),
	    &len, why, sizeof why);
	free(body);
	free(subject);
	if (pl == NULL) {
		fail(u, jb, nt, why);
		return;
	}
	nb = ch == CH_SMS || ch == CH_WEBHOOK ? after_quiet(u, u->now.t, tz)
					      : u->now.t;
	row = insert(u, source, id, key, ch, to, tmpl_locale(t), mid, pl, len,
	    nb > u->now.t ? "pending" : "sending", nb, NULL);
	if (nb > u->now.t) {
		json_object_set_new(nt, "status", json_string("deferred"));
		ndjson_set_time(nt, "not_before", nb, tz);
		u->deferred++;
	} else
		queue(u, row, ch, to, mid, pl, len, key, 0, nt);
	free(pl);
}

/* The ledger's record of the order a notice names; NULL: rejected. */
static json_t *
order_of(struct run *u, struct job *jb)
{
	size_t len;
	char *text =
	    ledger_order_record(u->ledger, ndjson_str(jb->r.j, "source"),
		ndjson_str(jb->r.j, "order_id"), &len);
	json_t *order = text ? ndjson_parse(text, len, NULL, 0) : NULL;

	free(text);
	if (order == NULL)
		stage_reject(&u->stage, &jb->r,
		    "notice for an order the ledger does not have");
	return order;
}

/*
 * The order's status is announced (its messages keyed, or none to
 * send): notify --pending looks no more for it.
 */
static void
announced(struct run *u, struct job *jb)
{
	sqlite3_stmt *st = u->st_notified;

	sqlite3_bind_text(
	    st, 1, ndjson_str(jb->r.j, "source"), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(
	    st, 2, ndjson_str(jb->r.j, "order_id"), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(
	    st, 3, ndjson_str(jb->r.j, "status"), -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 4, ledger_run_id(u->ledger));
	sqlite3_bind_int64(st, 5, u->now.t);
	ledger_step(u->ledger, st);
}

/* Decide what a record announces and key its messages. */
static void
plan(struct run *u, struct job *jb)
{
	const char *type, *event, *key;
	json_t *order = NULL, *ctx;
	char rkey[128];
	int ch;

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
		if ((order = order_of(u, jb)) == NULL)
			return;
		ctx = context(u, order, jb->r.j);
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
		ctx = context(u, order, jb->r.j);
		json_decref(order);
	} else if (type != NULL || (event = status_event(ndjson_str(
					jb->r.j, "status"))) == NULL) {
		u->passed++;
		return;
	} else {
		if (!u->dry_run)
			announced(u, jb);
		/*
		 * A replacement shipped is an exchange shipped; its being
		 * accepted is no news to the customer, who asked for it.
		 */
		if (json_is_object(json_object_get(jb->r.j, "exchange_of"))) {
			if (strcmp(event, "order_confirmed") == 0) {
				u->passed++;
				return;
			}
			if (strcmp(event, "shipped") == 0)
				event = "exchange_shipped";
		}
		key = event;
		ctx = context(u, jb->r.j, NULL);
	}
	jb->notes = json_array();
	for (ch = 0; ch < CH_MAX; ch++)
		if (u->use[ch])
			plan_channel(u, jb, ctx, event, key, (enum channel)ch);
	json_decref(ctx);
}

static void
update(struct run *u, struct msg *m, const char *status, int attempts,
    int64_t not_before, const char *error)
{
	sqlite3_stmt *st = u->st_update;

	sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, attempts);
	sqlite3_bind_int64(st, 3, not_before);
	sqlite3_bind_text(st, 4, error, -1, SQLITE_STATIC);
	if (strcmp(status, "sent") == 0)
		sqlite3_bind_text(
		    st, 5, ledger_stamp(u->ledger), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, m->row);
	ledger_step(u->ledger, st);
}

/* Put m on the wire; its outcome is kept in why and the result. */
static enum send_result
deliver(struct run *u, struct msg *m, char *why, size_t whylen)
{
	const char *secret;

	switch (m->ch) {
	case CH_EMAIL:
		return send_mail(u->sender, u->n->smtp_url, u->n->from_addr,
		    m->recipient, m->payload, m->len, why, whylen);
	case CH_SMS:
		secret = getenv("FULFIL_SMS_SECRET");
		return send_post(u->sender, u->n->sms_url, secret,
		    m->message_id, m->payload, m->len, why, whylen);
	case CH_WEBHOOK:
		secret = getenv("FULFIL_WEBHOOK_SECRET");
		return send_post(u->sender, u->n->webhook_url, secret,
		    m->message_id, m->payload, m->len, why, whylen);
	default:
		if (fwrite(m->payload, 1, m->len, u->outbox) != m->len ||
		    putc('\n', u->outbox) == EOF)
			err_exit_sys(EXIT_TROUBLE, "'%s'", u->outbox_path);
		return SEND_OK;
	}
}

/*
 * Send what is queued, each message's outcome committed as soon as it is
 * known: a crash leaves at most the message on the wire in doubt.
 */
static void
send_queued(struct run *u)
{
	enum send_result res;
	char why[256];
	int64_t wait;
	size_t i;
	int a;

	for (i = 0; i < u->nmsgs; i++) {
		struct msg *m = &u->msgs[i];
		const char *st = "sent";

		res = deliver(u, m, why, sizeof why);
		/* The outbox holds it before the ledger says it went. */
		if (m->ch == CH_OUTBOX && (fflush(u->outbox) == EOF ||
					      fsync(fileno(u->outbox)) == -1))
			err_exit_sys(EXIT_TROUBLE, "'%s'", u->outbox_path);
		a = m->attempts + 1;
		ledger_begin(u->ledger);
		if (res == SEND_OK) {
			update(u, m, "sent", a, u->now.t, NULL);
			u->sent++;
		} else if (res == SEND_RETRY && a < u->n->max_attempts) {
			/* Twice as long to wait after every failure. */
			wait = (int64_t)u->n->backoff_s
			       << (a - 1 < 20 ? a - 1 : 20);
			update(u, m, "retry", a, u->now.t + wait, why);
			st = "retry";
			u->retrying++;
		} else {
			update(u, m, "failed", a, u->now.t, why);
			st = "failed";
			u->failed++;
		}
		ledger_commit(u->ledger);
		if (res != SEND_OK)
			err_warn("message %s (%s): %s%s", m->message_id,
			    channel_names[m->ch], why,
			    strcmp(st, "retry") == 0 ? ", will retry"
						     : ", given up");
		if (m->note != NULL) {
			json_object_set_new(m->note, "status", json_string(st));
			if (res != SEND_OK)
				json_object_set_new(
				    m->note, "error", json_string(why));
		}
		msg_free(m);
	}
	u->nmsgs = 0;
}

static void
plan_one(void *arg, void *rec)
{
	plan(arg, rec);
}

static void
send_all(void *arg, void *recs, size_t n)
{
	struct run *u = arg;

	if (!u->dry_run)
		send_queued(u);
}

/* A dry run writes the messages instead, as it plans them. */
static void
write_one(void *arg, void *rec)
{
	struct run *u = arg;
	struct job *jb = rec;

	if (jb->r.j == NULL || u->dry_run)
		return;
	if (jb->notes != NULL && json_array_size(jb->notes))
		json_object_set(jb->r.j, "notified", jb->notes);
	ndjson_write(jb->r.j);
}

static void
clear_one(void *arg, void *rec)
{
	json_decref(((struct job *)rec)->notes);
}

static const struct stage_ops notify_ops = {
    .decide = plan_one,
    .effects = send_all,
    .write = write_one,
    .clear = clear_one,
};

/*
 * --pending and --retry: the ledger's messages whose time has come, and
 * those a run that died had claimed.  A page at a time: read, claimed
 * (each only if nobody claimed it meanwhile), then sent.
 */
static void
resend(struct run *u)
{
	sqlite3_stmt *st = ledger_prepare(u->ledger,
	    "SELECT id, channel, recipient, message_id, payload, event, "
	    "attempts, status, run FROM messages WHERE id > ?1 AND "
	    "((status = 'pending' AND not_before <= ?2) OR (?3 AND status = "
	    "'retry' AND not_before <= ?2) OR (status = 'sending' AND run IS "
	    "NOT ?4 AND NOT fulfil_alive(run))) ORDER BY id LIMIT 100");
	struct {
		int64_t row, run;
		char status[16];
	} seen[100];
	int64_t last = 0;
	size_t n, i, kept;
	int ch;

	do {
		n = 0;
		sqlite3_bind_int64(st, 1, last);
		sqlite3_bind_int64(st, 2, u->now.t);
		sqlite3_bind_int(st, 3, u->retry);
		sqlite3_bind_int64(st, 4, ledger_run_id(u->ledger));
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *name =
			    (const char *)sqlite3_column_text(st, 1);

			n++;
			last = sqlite3_column_int64(st, 0);
			for (ch = 0; ch < CH_MAX; ch++)
				if (strcmp(name, channel_names[ch]) == 0)
					break;
			if (ch == CH_MAX || !u->use[ch])
				continue;
			seen[u->nmsgs].row = last;
			seen[u->nmsgs].run = sqlite3_column_int64(st, 8);
			snprintf(seen[u->nmsgs].status,
			    sizeof seen[u->nmsgs].status, "%s",
			    (const char *)sqlite3_column_text(st, 7));
			queue(u, last, (enum channel)ch,
			    (const char *)sqlite3_column_text(st, 2),
			    (const char *)sqlite3_column_text(st, 3),
			    (const char *)sqlite3_column_blob(st, 4),
			    (size_t)sqlite3_column_bytes(st, 4),
			    (const char *)sqlite3_column_text(st, 5),
			    sqlite3_column_int(st, 6), NULL);
		}
		sqlite3_reset(st);
		if (u->nmsgs == 0)
			continue;
		ledger_begin(u->ledger);
		for (i = kept = 0; i < u->nmsgs; i++) {
			if (!claim(
				u, seen[i].row, seen[i].status, seen[i].run)) {
				msg_free(&u->msgs[i]);
				continue;
			}
			u->msgs[kept++] = u->msgs[i];
		}
		ledger_commit(u->ledger);
		u->nmsgs = kept;
		send_queued(u);
	} while (n > 0);
	sqlite3_finalize(st);
}

/* The outbox, appended to; created 0600: it holds customers' messages. */
static FILE *
outbox_open(const char *path)
{
	FILE *fp;
	int fd;

	if ((fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
		 0600)) == -1 ||
	    (fp = fdopen(fd, "a")) == NULL)
		err_exit_sys(EXIT_TROUBLE, "'%s'", path);
	return fp;
}

static void
channels(struct run *u, const char *list)
{
	char *copy, *p, *tok;
	int ch;

	if (list == NULL && u->n->channels != NULL) {
		size_t i;

		for (i = 0; i < u->n->nchannels; i++)
			channels(u, u->n->channels[i]);
		return;
	}
	if (list == NULL) {
		u->use[CH_EMAIL] = u->n->smtp_url != NULL;
		u->use[CH_SMS] = u->n->sms_url != NULL;
		u->use[CH_WEBHOOK] = u->n->webhook_url != NULL;
		u->use[CH_OUTBOX] = u->outbox_path != NULL;
		return;
	}
	copy = xstrdup(list);
	for (p = copy; (tok = strsep(&p, ",")) != NULL;) {
		for (ch = 0; ch < CH_MAX; ch++)
			if (strcmp(tok, channel_names[ch]) == 0)
				break;
		if (ch == CH_MAX)
			err_exit(EXIT_TROUBLE,
			    "--channel: no channel '%s' (email, sms, "
			    "webhook, outbox)",
			    tok);
		u->use[ch] = 1;
	}
	free(copy);
}

/* Each channel asked for has somewhere to go. */
static void
check_channels(struct run *u)
{
	static const char *const need[CH_MAX] = {
	    "notify.smtp.url", "notify.sms.url", "notify.webhook.url", NULL};
	const char *have[CH_MAX];
	int ch, any = 0;

	have[CH_EMAIL] = u->n->smtp_url;
	have[CH_SMS] = u->n->sms_url;
	have[CH_WEBHOOK] = u->n->webhook_url;
	have[CH_OUTBOX] = u->outbox_path;
	for (ch = 0; ch < CH_MAX; ch++) {
		if (!u->use[ch])
			continue;
		any = 1;
		if (have[ch] == NULL && ch == CH_OUTBOX)
			err_exit(EXIT_TROUBLE, "the outbox needs -o file");
		if (have[ch] == NULL)
			err_exit(EXIT_TROUBLE, "channel %s: no %s in %s",
			    channel_names[ch], need[ch], u->cfg->file);
	}
	if (!any)
		err_exit(EXIT_TROUBLE,
		    "no channel: configure notify in %s or give --channel",
		    u->cfg->file);
	if (u->use[CH_EMAIL] && u->n->from_addr == NULL)
		err_exit(EXIT_TROUBLE, "e-mail needs notify.from.address in %s",
		    u->cfg->file);
}

static void
opt(struct run *u, char **addrs, size_t n, int out)
{
	sqlite3_stmt *st = ledger_prepare(u->ledger,
	    out ? "INSERT OR IGNORE INTO optouts (address, at) VALUES (?1, ?2)"
		: "DELETE FROM optouts WHERE address = ?1");
	size_t i;

	ledger_begin(u->ledger);
	for (i = 0; i < n; i++) {
		sqlite3_bind_text(st, 1, addrs[i], -1, SQLITE_STATIC);
		if (out)
			sqlite3_bind_text(
			    st, 2, ledger_stamp(u->ledger), -1, SQLITE_STATIC);
		ledger_step(u->ledger, st);
		sqlite3_reset(st);
		ledger_event(
		    u->ledger, NULL, NULL, out ? "opt_out" : "opt_in", NULL);
	}
	ledger_commit(u->ledger);
	sqlite3_finalize(st);
	if (!quiet && n > 0)
		fprintf(stderr, "%s: %zu address%s opted %s\n", progname, n,
		    n == 1 ? "" : "es", out ? "out" : "in");
}

static void
summary(const struct run *u)
{
	fprintf(stderr,
	    "%s: %ld read, %ld sent, %ld deferred, %ld to retry, %ld failed, "
	    "%ld already sent, %ld opted out, %ld rejected",
	    progname, u->stage.read, u->sent, u->deferred, u->retrying,
	    u->failed + u->errors, u->already, u->opted_out, u->stage.rejected);
	if (u->elsewhere > 0)
		fprintf(
		    stderr, "; %ld being sent by another run", u->elsewhere);
	fputc('\n', stderr);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {OPTS_LONG,
	    {"channel", required_argument, NULL, 'c'},
	    {"templates", required_argument, NULL, 'T'},
	    {"dry-run", no_argument, NULL, 'n'},
	    {"retry", no_argument, NULL, 'r'},
	    {"opt-out", required_argument, NULL, 'U'},
	    {"opt-in", required_argument, NULL, 'I'}, {NULL, 0, NULL, 0}};
	static const char *const announcing[] = {
	    "accepted", "held", "dispatched", NULL};
	struct opts o = {0};
	const char *list = NULL, *templates = NULL;
	char *where;
	struct optlist outs = {0}, ins = {0};
	struct input **in = NULL;
	int ch, nin = 0, status;
	struct run u;

	err_init(argv[0]);
	memset(&u, 0, sizeof u);
	while ((ch = getopt_long(
		    argc, argv, "c:n" OPTS_SHORT, longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			list = optarg;
			break;
		case 'T':
			templates = optarg;
			break;
		case 'n':
			u.dry_run = 1;
			break;
		case 'r':
			u.retry = 1;
			break;
		case 'U':
			opts_add(&outs, optarg);
			break;
		case 'I':
			opts_add(&ins, optarg);
			break;
		default:
			if (ch == 'K' || !opts_common(ch, optarg, &o, usage))
				usage(EXIT_TROUBLE);
		}
	}
	argc -= optind;
	argv += optind;
	u.cfg = config_load(o.config);
	u.n = &u.cfg->notify;
	u.outbox_path = o.outdir != NULL ? o.outdir : u.n->outbox;
	channels(&u, list);
	if (templates != NULL) {
		free(u.n->templates);
		u.n->templates = xstrdup(templates);
	}
	u.now = when_now();
	u.ledger = ledger_open(o.db);
	/*
	 * A message's outcome is committed after every message.  A power
	 * cut may lose the last of them: those messages go again with the
	 * same Message-IDs, as after a crash.
	 */
	ledger_crash_safe_only(u.ledger);
	ledger_run(u.ledger);
	opt(&u, outs.v, outs.n, 1);
	opt(&u, ins.v, ins.n, 0);
	if ((outs.n > 0 || ins.n > 0) && argc == 0 && !o.pending && !u.retry) {
		/* Only the opt-outs: no orders are read. */
		free(outs.v);
		free(ins.v);
		ledger_close(u.ledger);
		config_free(u.cfg);
		return close_stdout(EXIT_OK);
	}
	check_channels(&u);
	if (u.outbox_path != NULL && u.use[CH_OUTBOX] && !u.dry_run)
		u.outbox = outbox_open(u.outbox_path);
	in = input_open_args(argc, argv, &nin);
	rejects_open(&u.rejects, o.rejects);
	if ((u.tmpl = tmpl_open(u.n->templates, u.n->locale)) == NULL)
		err_exit(EXIT_TROUBLE,
		    "%s: notify.default_locale '%s' is not a "
		    "locale",
		    u.cfg->file, u.n->locale);
	u.sender = send_open(u.n->timeout_s);
	send_smtp_insecure(u.sender, u.n->smtp_insecure);
	u.st_find = ledger_prepare(u.ledger,
	    "SELECT id, status, attempts, not_before, message_id, recipient, "
	    "payload, run FROM messages WHERE source = ?1 AND order_id = ?2 "
	    "AND event = ?3 AND channel = ?4");
	u.st_claim = ledger_prepare(u.ledger,
	    "UPDATE messages SET status = 'sending', run = ?2 WHERE id = ?1 "
	    "AND status = ?3 AND run IS ?4");
	u.st_notified = ledger_prepare(u.ledger,
	    "INSERT OR IGNORE INTO notified (source, order_id, status, run, "
	    "at) VALUES (?1, ?2, ?3, ?4, ?5)");
	u.st_insert = ledger_prepare(u.ledger,
	    "INSERT INTO messages (source, order_id, event, channel, "
	    "recipient, locale, message_id, payload, status, not_before, "
	    "last_error, created_at, run) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
	    "?7, ?8, ?9, ?10, ?11, ?12, ?13)");
	u.st_update = ledger_prepare(u.ledger,
	    "UPDATE messages SET status = ?1, attempts = ?2, not_before = ?3, "
	    "last_error = ?4, sent_at = coalesce(?5, sent_at) WHERE id = ?6");
	u.st_optout = ledger_prepare(
	    u.ledger, "SELECT 1 FROM optouts WHERE address = ?1");
	u.stage.ledger = u.ledger;
	u.stage.rejects = &u.rejects;
	u.stage.rejected_what = "notify.rejected";
	stage_init_ops(&u.stage, sizeof(struct job), CHUNK, &notify_ops, &u);
	u.stage.notx = u.dry_run;
	/* An unsigned POST is still sent, but nobody should be surprised. */
	if (u.use[CH_WEBHOOK] && !u.dry_run &&
	    getenv("FULFIL_WEBHOOK_SECRET") == NULL)
		err_warn(
		    "FULFIL_WEBHOOK_SECRET is not set: webhooks go unsigned");
	if (u.use[CH_SMS] && !u.dry_run && getenv("FULFIL_SMS_SECRET") == NULL)
		err_warn(
		    "FULFIL_SMS_SECRET is not set: SMS requests go unsigned");
	/* Templates switch $TZ per customer: no second thread. */
	u.stage.serial = 1;
	/*
	 * --pending: the orders of the last days whose status was never
	 * announced (their line died in a pipe), then the messages due.
	 */
	xasprintf(&where,
	    "changed >= %" PRId64 " AND NOT EXISTS (SELECT 1 FROM notified n "
	    "WHERE n.source = orders.source AND n.order_id = orders.order_id "
	    "AND n.status = orders.status)",
	    u.now.t - PENDING_DAYS * 86400);
	u.stage.pending_where = where;
	stage_run(
	    &u.stage, in, nin, o.pending && !u.dry_run ? announcing : NULL);
	free(where);
	if ((o.pending || u.retry) && !u.dry_run)
		resend(&u);
	if (!quiet)
		summary(&u);
	status = u.stage.rejected > 0 || u.errors > 0 || u.failed > 0 ||
			 u.retrying > 0
		     ? EXIT_REJECTS
		     : EXIT_OK;
	sqlite3_finalize(u.st_find);
	sqlite3_finalize(u.st_insert);
	sqlite3_finalize(u.st_update);
	sqlite3_finalize(u.st_optout);
	sqlite3_finalize(u.st_claim);
	sqlite3_finalize(u.st_notified);
	if (u.outbox != NULL && fclose(u.outbox) == EOF)
		err_exit_sys(EXIT_TROUBLE, "'%s'", u.outbox_path);
	free(u.msgs);
	free(outs.v);
	free(ins.v);
	send_close(u.sender);
	tmpl_close(u.tmpl);
	input_close_all(in, nin);
	rejects_close(&u.rejects);
	ledger_close(u.ledger);
	config_free(u.cfg);
	return close_stdout(status);
}
