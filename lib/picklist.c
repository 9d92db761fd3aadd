#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog.h"
#include "config.h"
#include "err.h"
#include "ledger.h"
#include "ledger_picks.h"
#include "ndjson.h"
#include "outfile.h"
#include "pick.h"
#include "picklist.h"
#include "pickup.h"
#include "progress.h"
#include "promise.h"
#include "sheet.h"
#include "sheetpdf.h"
#include "slotting.h"
#include "split.h"
#include "status.h"
#include "utf8.h"
#include "when.h"

/* What becomes of a record read. */
enum fate {
	F_PICK, /* to allocate and plan */
	F_PASS, /* passed through as it is (or as the ledger has it) */
	F_WAIT, /* a timed delivery before its day: not written, pending */
	F_GONE, /* rejected */
	F_DROP  /* --pending's, taken by another run since: not ours */
};

/*
 * A record's text is not kept in memory for the run: a big day is
 * millions of records, each read, then written, once.  Both are in
 * the spill file (a temporary file, gone when the run ends), by offset;
 * raw is loaded only while a record is looked at (rec_load()).
 */
struct picklist_rec {
	char *raw; /* the record as read, or the ledger's, while loaded */
	off_t at;  /* ... and in the spill file */
	size_t len;
	const char *file;
	long line;
	char *source, *id;
	enum fate fate;
	/*
	 * The record resolved as it was read (resolve_text()), to be used
	 * if the ledger has no other text for it: PRE_NONE, or what came
	 * of it, with why for PRE_BAD.  Saves parsing it once more.
	 */
	enum { PRE_NONE, PRE_OK, PRE_WAIT, PRE_BAD } pre;
	int out; /* the record written, once decided, is in the spill */
	/*
	 * latest: the text is the ledger's as of this window's lock (read
	 * under it, or relatest() has looked); pending: read by --pending.
	 */
	char latest, pending;
	/*
	 * Where the status's value is in the record's text, when the text
	 * is exactly what settle() would dump of it and it has no "pick":
	 * then the record written is that text with the status spliced in
	 * and the pick appended (splice_out()), not a parse and a dump
	 * once more: soff is its opening quote, 0 if not so (a record
	 * starts '{'); its close is the next quote (the value is a plain
	 * word).  32 bits, next to the ints above, so that a record's
	 * entry is no bigger than before (a big day has millions); a
	 * record of 4 GiB or more is not spliced.
	 */
	uint32_t soff;
	char *prewhy;
	off_t outat;
	size_t outlen;
	char *bo; /* a split order's backorder, written with the held */
	size_t bolen;
};

/*
 * The spill file: opened on first use, unlinked at once.  Written
 * through a big buffer, flushed only when a read wants what it holds
 * (spill_flushed: what is in the file for sure); most records are read
 * back in the order they were written (each record settled, in input
 * order), so such reads come from a window of the file read ahead,
 * not a pread() each.
 */
#define SPILL_BUF (1 << 20)
#define SPILL_WIN (1 << 20)

static off_t
spill_put(struct picklist *p, const char *text, size_t len)
{
	off_t at = p->spill_end;

	if (p->spill == NULL) {
		const char *dir = getenv("TMPDIR");
		char *path;
		int fd;

		xasprintf(&path, "%s/pick-list.XXXXXX",
		    dir != NULL && *dir != '\0' ? dir : "/tmp");
		if ((fd = mkstemp(path)) == -1)
			err_exit_sys(EXIT_TROUBLE,
			    "cannot make a temporary file in %s",
			    dir != NULL && *dir != '\0' ? dir : "/tmp");
		(void)unlink(path);
		free(path);
		if ((p->spill = fdopen(fd, "w+")) == NULL)
			err_exit_sys(EXIT_TROUBLE, "fdopen");
		/* glibc takes a size only with a buffer. */
		p->spillbuf = xmalloc(SPILL_BUF);
		(void)setvbuf(p->spill, p->spillbuf, _IOFBF, SPILL_BUF);
	}
	if (len > 0 && fwrite(text, 1, len, p->spill) != len)
		err_exit_sys(EXIT_TROUBLE, "cannot write a temporary file");
	p->spill_end += (off_t)len;
	return at;
}

static void
spill_pread(struct picklist *p, char *buf, size_t len, off_t at)
{
	size_t got = 0;
	ssize_t k;

	while (got < len) {
		k = pread(fileno(p->spill), buf + got, len - got,
		    at + (off_t)got);
		if (k <= 0)
			err_exit_sys(EXIT_TROUBLE,
			    "cannot read a temporary file");
		got += (size_t)k;
	}
}

/*
 * len bytes at at in the spill, in a buffer of the caller's.  seq: the
 * caller reads on from here (the window is read ahead); 0: anywhere.
 */
static char *
spill_get(struct picklist *p, off_t at, size_t len, int seq)
{
	char *buf = xmalloc(len + 1);
	off_t end = at + (off_t)len;

	if (end > p->spill_flushed) {
		if (fflush(p->spill) == EOF)
			err_exit_sys(
			    EXIT_TROUBLE, "cannot write a temporary file");
		p->spill_flushed = p->spill_end;
	}
	/* The file only grows: what the window holds stays true. */
	if (p->win != NULL && at >= p->win_at &&
	    end <= p->win_at + (off_t)p->win_len)
		memcpy(buf, p->win + (at - p->win_at), len);
	else if (seq && len <= SPILL_WIN / 4) {
		if (p->win == NULL)
			p->win = xmalloc(SPILL_WIN);
		p->win_at = at;
		p->win_len = p->spill_flushed - at < SPILL_WIN
				 ? (size_t)(p->spill_flushed - at)
				 : SPILL_WIN;
		spill_pread(p, p->win, p->win_len, at);
		memcpy(buf, p->win, len);
	} else
		spill_pread(p, buf, len, at);
	buf[len] = '\0';
	return buf;
}

static void
rec_load(struct picklist *p, struct picklist_rec *r)
{
	if (r->raw == NULL)
		r->raw = spill_get(p, r->at, r->len, 1);
}

static void
rec_unload(struct picklist_rec *r)
{
	free(r->raw);
	r->raw = NULL;
}

static void __attribute__((format(printf, 3, 4)))
reject(struct picklist *p, struct picklist_rec *r, const char *fmt, ...)
{
	char why[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	if (r->id != NULL)
		err_line(r->file, r->line, "order %s: %s", r->id, why);
	else
		err_line(r->file, r->line, "%s", why);
	if (r->id != NULL)
		ledger_event(p->ledger, r->source, r->id, "pick.rejected", why);
	rejects_put(
	    &p->rejects, r->file, r->line, r->id, why, r->raw, r->len, NULL);
	r->fate = F_GONE;
	p->rejected++;
}

/*
 * Whether an order in this status is to be picked: accepted and held
 * ones are.  A labelled order is not, though the status model allows
 * labelled -> picked: that move is a voided label's, not a new pick.
 * Every other status passes through, as pick-list has always let it,
 * those the model would refuse (cancelled, delivered, none) included.
 */
static int
pickable(const char *status)
{
	enum status s = status_parse(status);

	return s != ST_LABELLED && status_step(s, ST_PICKED) == STEP_ACT;
}

/*
 * Whether an order short of stock may ship in part (pick.partial, by its
 * source), and with what share of its value on the shelf.  A COD order
 * is never split, for its courier collects one amount for one parcel;
 * nor is one the customer collects, who would come twice.
 */
static void
partial_policy(const struct picklist *p, json_t *j, struct pick_order *o)
{
	const struct partial_cfg *pc =
	    config_partial(p->cfg, ndjson_str(j, "source"));
	const char *m = ndjson_str(json_object_get(j, "payment"), "method");

	if (pc->policy == PARTIAL_NEVER ||
	    (m != NULL && strcmp(m, "cod") == 0) || pickup_is(j))
		return;
	o->partial = 1;
	o->min_share = pc->policy == PARTIAL_ABOVE ? pc->min_share : 0;
}

/*
 * Lines, priority and promise of a record into o: PRE_OK, PRE_WAIT (a
 * timed delivery not due today), or PRE_BAD with why.  Touches nothing
 * but o, so it can be done as the record is read.
 */
static int
resolve_text(const struct picklist *p, json_t *j, struct pick_order *o,
    char *why, size_t whylen)
{
	json_t *lines = json_object_get(j, "lines"), *l, *pr;
	struct when w;
	const char *sku, *s;
	size_t i;

	memset(o, 0, sizeof *o);
	/*
	 * A timed delivery is picked on the day it ships, not before: it
	 * would only wait on the shelf, or leave too soon.  It stays
	 * accepted in the ledger, counted but not written on (the next
	 * stage has nothing to do with it yet), for --pending on its day.
	 */
	if (!promise_pick_now(p->cfg, j, when_now().t))
		return PRE_WAIT;
	o->ship_by = INT64_MAX;
	if ((pr = json_object_get(j, "promise")) != NULL &&
	    (s = ndjson_str(pr, "ship_by")) != NULL) {
		if (when_parse(s, &w) == -1) {
			snprintf(why, whylen,
			    "promise.ship_by '%s' is not an RFC 3339 time", s);
			return PRE_BAD;
		}
		o->ship_by = w.t;
	}
	o->placed = INT64_MAX;
	if ((s = ndjson_str(j, "placed_at")) != NULL && when_parse(s, &w) == 0)
		o->placed = w.t;
	o->express =
	    (s = ndjson_str(j, "service")) != NULL && strcmp(s, "express") == 0;
	if (!json_is_array(lines) || json_array_size(lines) == 0) {
		snprintf(why, whylen, "no lines to pick");
		return PRE_BAD;
	}
	o->lines = xcalloc(json_array_size(lines), sizeof *o->lines);
	json_array_foreach(lines, i, l)
	{
		struct pick_line *pl = &o->lines[o->nlines];
		json_t *q = json_object_get(l, "qty");

		if ((sku = ndjson_str(l, "sku")) == NULL) {
			snprintf(why, whylen, "line %zu: no sku", i + 1);
			return PRE_BAD;
		}
		if ((pl->item = catalog_find(p->cat, sku)) == NULL) {
			snprintf(why, whylen,
			    "unknown SKU %s (not in the catalog)", sku);
			return PRE_BAD;
		}
		if (pl->item->bad != NULL) {
			snprintf(why, whylen, "SKU %s: catalog line %ld: %s",
			    sku, pl->item->line, pl->item->bad);
			return PRE_BAD;
		}
		if (!json_is_integer(q) || json_integer_value(q) < 1) {
			snprintf(why, whylen,
			    "line %zu: qty must be a whole number "
			    "above 0",
			    i + 1);
			return PRE_BAD;
		}
		pl->qty = json_integer_value(q);
		pl->gift = json_is_true(json_object_get(l, "gift"));
		pl->src = (int)i;
		pl->price =
		    json_integer_value(json_object_get(l, "unit_price"));
		o->nlines++;
	}
	partial_policy(p, j, o);
	if (pick_pack(o, &p->cfg->carts, why, whylen) == -1)
		return PRE_BAD;
	return PRE_OK;
}

/* What resolve_text() said, applied: a wait counted, a reject made. */
static void
resolved(struct picklist *p, struct picklist_rec *r, int pre, const char *why)
{
	if (pre == PRE_WAIT) {
		r->fate = F_WAIT;
		p->waiting++;
	} else if (pre == PRE_BAD) {
		rec_load(p, r); /* the rejects file has it whole */
		reject(p, r, "%s", why);
	}
}

/*
 * Every order taken in the run, by source and id, across its windows:
 * an open-addressed table of one word a slot, the top SEEN_TAG bits of
 * the order's hash over the offset (plus 1; 0 is empty) of its source
 * and id in an arena ("source\0id\0"), not a JSON object of keys (a big
 * day has millions), nor the records' own strings, which go with their
 * window.  A hash alone would not do: two orders whose hashes met would
 * be taken for one and the second rejected; the tag only spares most
 * string comparisons.  At a million orders of the benchmark's ids
 * ("gen", "G100001") that is 16 bytes of table and 12 of arena an order.
 */
#define SEEN_TAG 24
#define SEEN_AT ((UINT64_C(1) << (64 - SEEN_TAG)) - 1)

static uint64_t
seen_hash(const char *source, const char *id)
{
	uint64_t h = 14695981039346656037u;
	const unsigned char *c;

	for (c = (const unsigned char *)source; *c; c++)
		h = (h ^ *c) * 1099511628211u;
	h = (h ^ 0x1f) * 1099511628211u;
	for (c = (const unsigned char *)id; *c; c++)
		h = (h ^ *c) * 1099511628211u;
	return h;
}

/* The slot for an order of hash h (tag its top bits): its own, or 0's. */
static uint64_t *
seen_slot(const struct picklist *p, uint64_t h, const char *source,
    const char *id, size_t sl)
{
	size_t k, mask = p->seencap - 1;
	uint64_t tag = h >> (64 - SEEN_TAG) << (64 - SEEN_TAG), *t;
	const char *q;

	for (k = h & mask;; k = (k + 1) & mask) {
		t = &p->seen[k];
		if (*t == 0)
			return t;
		if ((*t & ~SEEN_AT) != tag || source == NULL)
			continue;
		q = p->seenids + (*t & SEEN_AT) - 1;
		if (strcmp(q, source) == 0 && strcmp(q + sl, id) == 0)
			return t;
	}
}

/* Whether the order is taken already in the run; if not, it is now. */
static int
seen_add(struct picklist *p, const char *source, const char *id)
{
	size_t k, sl = strlen(source) + 1, il = strlen(id) + 1;
	uint64_t h = seen_hash(source, id), *t;

	if (2 * (p->nseen + 1) > p->seencap) {
		uint64_t *old = p->seen;
		size_t oldcap = p->seencap;

		/* Each hash again, from the arena: the slots keep no more. */
		p->seencap = oldcap ? 2 * oldcap : 1024;
		p->seen = xcalloc(p->seencap, sizeof *p->seen);
		for (k = 0; k < oldcap; k++) {
			const char *q;

			if (old[k] == 0)
				continue;
			q = p->seenids + (old[k] & SEEN_AT) - 1;
			*seen_slot(p, seen_hash(q, q + strlen(q) + 1), NULL,
			    NULL, 0) = old[k];
		}
		free(old);
	}
	t = seen_slot(p, h, source, id, sl);
	if (*t != 0)
		return 1;
	if (p->seenidslen + sl + il >= SEEN_AT)
		err_exit(EXIT_TROUBLE, "too many orders in one run");
	xgrow(&p->seenids, &p->seenidscap, p->seenidslen + sl + il, 1);
	memcpy(p->seenids + p->seenidslen, source, sl);
	memcpy(p->seenids + p->seenidslen + sl, id, il);
	*t = (h >> (64 - SEEN_TAG) << (64 - SEEN_TAG)) | (p->seenidslen + 1);
	p->seenidslen += sl + il;
	p->nseen++;
	return 0;
}

/*
 * Whether text is, byte for byte, what ndjson_dump() makes of it once
 * parsed, found by reading it once (a dump costs more than the parse):
 * compact, strings with only the escapes jansson writes (\" \\ \b \f
 * \n \r \t), integers as they print, no key twice in an object.  It
 * errs on the side of no: a \u escape, a real number, an object of
 * more than CANON_KEYS keys or nesting deeper than CANON_DEPTH say
 * no, and then settle() parses and dumps as it always did.  The top
 * level's "status", when its value is a string, is given in *soff
 * (its opening quote) and *slen (quotes included), or *slen is 0.
 * Does not check that text is JSON at all: the caller parsed it.
 */
#define CANON_DEPTH 16
#define CANON_KEYS 64

struct canon_obj {
	const char *key[CANON_KEYS];
	size_t klen[CANON_KEYS];
	int n;
};

/* The string at text[*at], its opening quote; *at past its close. */
static int
canon_string(const char *text, size_t len, size_t *at)
{
	size_t i = *at + 1;

	for (; i < len; i++) {
		if (text[i] == '"') {
			*at = i + 1;
			return 1;
		}
		if (text[i] == '\\') {
			if (++i >= len || strchr("\"\\bfnrt", text[i]) == NULL)
				return 0;
		} else if ((unsigned char)text[i] < 0x20)
			return 0;
	}
	return 0;
}

/*
 * picklist_canonical(), and when top is not NULL the top level's keys
 * (quotes included) into it, with where each one's value ends in vend:
 * past a string or a container's close, at the ',' or '}' after a
 * number or a word.
 */
static int
canonical(const char *text, size_t len, size_t *soff, size_t *slen,
    struct canon_obj *top, size_t *vend)
{
	struct canon_obj obj[CANON_DEPTH];
	char kind[CANON_DEPTH]; /* '{' or '[' */
	int depth = 0, want_key = 0, k;
	size_t i = 0, st, n;

	*slen = 0;
	while (i < len) {
		char c = text[i];

		if (depth > 0 && kind[depth - 1] == '{' && want_key) {
			struct canon_obj *o = &obj[depth - 1];

			/* A key, then ':' then its value. */
			st = i;
			if (c != '"' || !canon_string(text, len, &i) ||
			    i >= len || text[i] != ':' || o->n == CANON_KEYS)
				return 0;
			n = i - st;
			for (k = 0; k < o->n; k++)
				if (o->klen[k] == n &&
				    memcmp(o->key[k], text + st, n) == 0)
					return 0;
			o->key[o->n] = text + st;
			o->klen[o->n++] = n;
			i++;
			want_key = 0;
			if (depth == 1 && n == sizeof "\"status\"" - 1 &&
			    memcmp(text + st, "\"status\"", n) == 0 &&
			    i < len && text[i] == '"') {
				st = i;
				if (!canon_string(text, len, &i))
					return 0;
				*soff = st;
				*slen = i - st;
				goto after_value;
			}
			continue;
		}
		switch (c) {
		case '{':
		case '[':
			if (depth == CANON_DEPTH)
				return 0;
			kind[depth] = c;
			obj[depth].n = 0;
			depth++;
			i++;
			if (i < len && text[i] == (c == '{' ? '}' : ']'))
				break; /* empty: closed below */
			want_key = c == '{';
			continue;
		case '"':
			if (!canon_string(text, len, &i))
				return 0;
			goto after_value;
		case 't':
			if (len - i < 4 || memcmp(text + i, "true", 4) != 0)
				return 0;
			i += 4;
			goto after_value;
		case 'f':
			if (len - i < 5 || memcmp(text + i, "false", 5) != 0)
				return 0;
			i += 5;
			goto after_value;
		case 'n':
			if (len - i < 4 || memcmp(text + i, "null", 4) != 0)
				return 0;
			i += 4;
			goto after_value;
		default:
			/*
			 * An integer prints as it is read: no '+', no
			 * leading zero, not "-0", at most 18 digits (well
			 * inside int64).  A real may not: it says no.
			 */
			st = i;
			if (c == '-')
				i++;
			if (i >= len || text[i] < '0' || text[i] > '9' ||
			    (text[i] == '0' && (c == '-' || (i + 1 < len &&
				    text[i + 1] >= '0' && text[i + 1] <= '9'))))
				return 0;
			while (i < len && text[i] >= '0' && text[i] <= '9')
				i++;
			if (i - st > 18 || (i < len && (text[i] == '.' ||
				text[i] == 'e' || text[i] == 'E')))
				return 0;
			goto after_value;
		}
		/* An empty object or array, its close. */
	after_close:
		i++;
		depth--;
	after_value:
		if (depth == 1 && vend != NULL && kind[0] == '{')
			vend[obj[0].n - 1] = i;
		if (depth == 0) {
			if (top != NULL && i == len)
				*top = obj[0];
			return i == len;
		}
		if (i >= len)
			return 0;
		if (text[i] == ',') {
			i++;
			want_key = kind[depth - 1] == '{';
			continue;
		}
		if (text[i] != (kind[depth - 1] == '{' ? '}' : ']'))
			return 0;
		goto after_close;
	}
	return 0;
}

int
picklist_canonical(const char *text, size_t len, size_t *soff, size_t *slen)
{
	return canonical(text, len, soff, slen, NULL, NULL);
}

/*
 * Whether the record can be written spliced (splice_out()): canonical,
 * with a plain status, no pick and not a pickup (settle() changes more
 * of those).  Where the status's value is, in r.  canon: 1 when
 * picklist_canonical() said yes already, with soff and slen (0: it is
 * asked here).
 */
static void
splice_find(struct picklist_rec *r, json_t *j, const char *text, size_t len,
    int canon, size_t soff, size_t slen)
{
	size_t k;

	r->soff = 0;
	if (len >= UINT32_MAX || json_object_get(j, "pick") != NULL ||
	    pickup_is(j) ||
	    (!canon && !picklist_canonical(text, len, &soff, &slen)) ||
	    slen < 3)
		return;
	for (k = soff + 1; k < soff + slen - 1; k++)
		if (!(text[k] >= 'a' && text[k] <= 'z') && text[k] != '_')
			return;
	r->soff = (uint32_t)soff;
}

/*
 * The top-level keys take() reads of a record, through resolve_text()
 * and what it calls (promise_pick_now(), promise_window(),
 * partial_policy(), pickup_is(), pickable()) and splice_find().
 * Whoever reads another key of the record as it is taken adds it here,
 * or it reads as absent (test-pick-canonical compares the two parses).
 */
static const char *const take_keys[] = {"order_id", "source", "status",
    "placed_at", "service", "pick", "payment", "promise", "delivery_window",
    "lines", NULL};

/* Whether s[0 .. len) is strict UTF-8 (s[len] is a NUL). */
static int
utf8_valid(const char *s, size_t len)
{
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		if ((n = utf8_decode(s + i, &cp)) == 0)
			return 0;
		i += n;
	}
	return 1;
}

/*
 * The value at t[*i] of a canonical text that is UTF-8, built as
 * json_loadb() would build it, *i past it: the text is known well
 * formed, so it is only walked.  NULL for what is left to json_loadb()
 * (a key with an escape).
 */
static json_t *
canon_build(const char *t, size_t len, size_t *i)
{
	json_t *v, *e;
	size_t s, k, n;
	int64_t num;
	int neg;
	char *buf;

	switch (t[*i]) {
	case '{':
		v = json_object();
		for (++*i; *i < len && t[*i] == '"';) {
			s = *i + 1;
			for (k = s; t[k] != '"'; k++)
				if (t[k] == '\\') {
					json_decref(v);
					return NULL;
				}
			*i = k + 2; /* past the quote and the ':' */
			if ((e = canon_build(t, len, i)) == NULL) {
				json_decref(v);
				return NULL;
			}
			json_object_setn_new_nocheck(v, t + s, k - s, e);
			if (t[*i] == ',')
				++*i;
		}
		++*i; /* the '}' */
		return v;
	case '[':
		v = json_array();
		for (++*i; *i < len && t[*i] != ']';) {
			if ((e = canon_build(t, len, i)) == NULL) {
				json_decref(v);
				return NULL;
			}
			json_array_append_new(v, e);
			if (t[*i] == ',')
				++*i;
		}
		++*i;
		return v;
	case '"':
		s = *i + 1;
		for (k = s; t[k] != '"'; k++)
			if (t[k] == '\\')
				break;
		if (t[k] == '"') {
			*i = k + 1;
			return json_stringn_nocheck(t + s, k - s);
		}
		/* Escapes: only those jansson writes, in a canonical text. */
		buf = xmalloc(len - s + 1);
		for (k = s, n = 0; t[k] != '"'; k++) {
			if (t[k] != '\\') {
				buf[n++] = t[k];
				continue;
			}
			switch (t[++k]) {
			case 'b':
				buf[n++] = '\b';
				break;
			case 'f':
				buf[n++] = '\f';
				break;
			case 'n':
				buf[n++] = '\n';
				break;
			case 'r':
				buf[n++] = '\r';
				break;
			case 't':
				buf[n++] = '\t';
				break;
			default: /* '"' or '\\' */
				buf[n++] = t[k];
			}
		}
		*i = k + 1;
		v = json_stringn_nocheck(buf, n);
		free(buf);
		return v;
	case 't':
		*i += 4;
		return json_true();
	case 'f':
		*i += 5;
		return json_false();
	case 'n':
		*i += 4;
		return json_null();
	default:
		/* An integer of at most 18 digits: no overflow. */
		neg = t[*i] == '-';
		*i += (size_t)neg;
		for (num = 0; *i < len && t[*i] >= '0' && t[*i] <= '9'; ++*i)
			num = num * 10 + (t[*i] - '0');
		return json_integer(neg ? -num : num);
	}
}

json_t *
picklist_take_parse(const char *text, size_t len, size_t *soff, size_t *slen)
{
	struct canon_obj top;
	size_t vend[CANON_KEYS];
	json_error_t e;
	json_t *j, *v;
	size_t i, ks, kl, ve, at;
	int k, n;

	*soff = *slen = 0;
	/*
	 * What the whole parse would turn down is not read here: a NUL, a
	 * top level that is no object, bytes that are not UTF-8; text
	 * that is not canonical (then whatever else JSON allows).
	 */
	if (len < 2 || text[0] != '{' || memchr(text, '\0', len) != NULL ||
	    !canonical(text, len, soff, slen, &top, vend) ||
	    !utf8_valid(text, len))
		return NULL;
	j = json_object();
	/* The keys and where their values end, as canonical() found them. */
	for (n = 0; n < top.n; n++) {
		/* A key: no \u escape in a canonical text, so as written. */
		ks = (size_t)(top.key[n] - text) + 1;
		kl = top.klen[n] - 2;
		i = ks + kl + 2; /* past the quote and the ':' */
		ve = vend[n];
		for (k = 0; take_keys[k] != NULL; k++)
			if (strlen(take_keys[k]) == kl &&
			    memcmp(take_keys[k], text + ks, kl) == 0)
				break;
		if (take_keys[k] != NULL) {
			at = i;
			if ((v = canon_build(text, len, &at)) == NULL &&
			    (v = json_loadb(text + i, ve - i,
				 JSON_DECODE_ANY | JSON_REJECT_DUPLICATES,
				 &e)) == NULL) {
				json_decref(j);
				return NULL;
			}
			json_object_setn_new_nocheck(j, text + ks, kl, v);
		}
	}
	return j;
}

/* Take one record, from a file or the ledger. */
static void
take(struct picklist *p, const char *file, long line, const char *text,
    size_t len, int pending)
{
	struct picklist_rec *r;
	json_t *j;
	char why[256];
	size_t soff, slen;
	int canon = 0;

	xgrow(&p->r, &p->cap, p->n + 1, sizeof *p->r);
	xgrow(&p->o, &p->ocap, p->n + 1, sizeof *p->o);
	memset(&p->o[p->n], 0, sizeof *p->o);
	r = &p->r[p->n];
	memset(r, 0, sizeof *r);
	r->at = spill_put(p, text, len);
	r->raw = xstrndup(text, len);
	r->len = len;
	r->file = file;
	r->line = line;
	r->fate = F_PICK;
	/*
	 * Read under this window's lock, unless a window was committed
	 * since the page it came in was read (pending_one()).
	 */
	r->pending = (char)pending;
	r->latest = (char)(pending && !p->stale);
	p->n++;
	progress_count(++p->read);
	/*
	 * Most records are as a dump writes them: only the keys read are
	 * parsed then (picklist_take_parse()), a third of the record.
	 */
	if ((j = picklist_take_parse(r->raw, len, &soff, &slen)) != NULL)
		canon = 1;
	else if ((j = ndjson_parse(text, len, why, sizeof why)) == NULL) {
		reject(p, r, "%s", why);
		return;
	}
	if (ndjson_str(j, "order_id") == NULL ||
	    ndjson_str(j, "source") == NULL) {
		reject(p, r, "not an order record (no order_id or source)");
		json_decref(j);
		return;
	}
	r->id = xstrdup(ndjson_str(j, "order_id"));
	r->source = xstrdup(ndjson_str(j, "source"));
	if (seen_add(p, r->source, r->id)) {
		if (pending) {
			/* In the input already: the input's copy is used. */
			rec_unload(r);
			free(r->id);
			free(r->source);
			p->n--;
			p->read--;
		} else
			reject(p, r, "appears twice in the input");
		json_decref(j);
		return;
	}
	if (!pickable(ndjson_str(j, "status"))) {
		r->fate = F_PASS;
		p->passed++;
	} else {
		r->pre = resolve_text(p, j, &p->o[p->n - 1], why, sizeof why);
		if (r->pre == PRE_BAD)
			r->prewhy = xstrdup(why);
		else if (r->pre == PRE_OK)
			splice_find(r, j, text, len, canon, soff, slen);
	}
	json_decref(j);
}

static void window_ahead(struct picklist *);
static void window_end(struct picklist *);

static void
take_line(void *arg, const char *file, long line, const char *text, size_t len)
{
	struct picklist *p = arg;

	take(p, file, line, text, len, 0);
	if (p->n > 0)
		rec_unload(&p->r[p->n - 1]);
	/* A window full: decided, committed and written now. */
	if (p->window > 0 && p->n >= (size_t)p->window) {
		window_ahead(p);
		ledger_begin(p->ledger);
		window_end(p);
	}
}

struct pend {
	struct picklist *p;
	long n;
};

static int
pending_one(void *arg, const char *rec, size_t len)
{
	struct pend *pd = arg;
	struct picklist *p = pd->p;

	take(p, ledger_path(p->ledger), ++pd->n, rec, len, 1);
	if (p->n > 0)
		rec_unload(&p->r[p->n - 1]);
	if (p->window > 0 && p->n >= (size_t)p->window) {
		window_end(p);
		/*
		 * The next window's lock.  The rest of the page
		 * ledger_pending() read was read under the last one: from
		 * now on what it gives is looked up again (relatest()).
		 */
		ledger_begin(p->ledger);
		p->stale = 1;
	}
	return 0;
}

/*
 * The input was read before the lock: what the ledger has now is each
 * order's latest record (an update ingested since, or a run that picked
 * it meanwhile).  Records read under the lock (--pending's) are as the
 * ledger has them already.  One --pending read before another window's
 * commit that another run has picked since is dropped: it is no longer
 * waiting, and it was not in the input.  Returns how many it found
 * otherwise than read: another text, dropped, set aside, or no longer
 * to be picked.
 */
static long
relatest(struct picklist *p)
{
	struct ledger_order lo;
	struct picklist_rec *r;
	char *led;
	size_t i, len;
	long changed = 0;

	for (i = 0; i < p->n; i++) {
		r = &p->r[i];
		if (r->latest)
			continue;
		r->latest = 1;
		if (r->fate != F_PICK ||
		    !ledger_order_get_record(
			p->ledger, r->source, r->id, &lo, NULL, &led, &len))
			continue;
		if (r->pending && !pickable(lo.status)) {
			r->fate = F_DROP;
			p->read--;
			free(led);
			ledger_order_free(&lo);
			changed++;
			continue;
		}
		if (ledger_elsewhere(p->ledger, &lo) != NULL) {
			rec_load(p, r);
			reject(p, r, "claimed by warehouse '%s'", lo.warehouse);
			rec_unload(r);
			free(led);
			ledger_order_free(&lo);
			changed++;
			continue;
		}
		if (led != NULL) {
			rec_load(p, r);
			if (len != r->len || memcmp(led, r->raw, len) != 0) {
				/* Another text: resolved again. */
				r->pre = PRE_NONE;
				r->soff = 0;
				pick_order_free(&p->o[i]);
				/* Freed once more at the end, if not resolved. */
				memset(&p->o[i], 0, sizeof p->o[i]);
				r->at = spill_put(p, led, len);
				r->len = len;
				changed++;
			}
			rec_unload(r);
			free(led);
		}
		if (!pickable(lo.status)) {
			r->fate = F_PASS;
			p->passed++;
			changed++;
		}
		ledger_order_free(&lo);
	}
	return changed;
}

struct stock {
	const struct catalog *cat;
	int64_t *avail;
};

static void
taken(void *arg, const char *sku, int64_t qty)
{
	struct stock *s = arg;
	const struct item *it;

	if ((it = catalog_find(s->cat, sku)) != NULL)
		s->avail[it - s->cat->items] -= qty;
}

static int
same_mark(const struct ledger_stock_mark *a, const struct ledger_stock_mark *b)
{
	return a->batch == b->batch && a->released == b->released &&
	       a->released_qty == b->released_qty &&
	       a->adjusted == b->adjusted && a->adjusted_qty == b->adjusted_qty;
}

/* The catalog file's time: the stock's counts are as of then. */
static int64_t
catalog_time(const struct picklist *p)
{
	struct stat sb;

	if (stat(p->cat->file, &sb) == -1)
		err_exit_sys(
		    EXIT_TROUBLE, "cannot stat catalog '%s'", p->cat->file);
	return (int64_t)sb.st_mtime;
}

/*
 * Stock left on the shelf, into p->avail: the catalog's count, less
 * what this ledger sent pickers for since the catalog file was written.
 * A window after the first keeps what the last left (pick_allocate()
 * took its picks off) when the ledger's stock mark is what it was at
 * the last commit: nobody else picked, released or adjusted since.
 * Reading every pick of the day again for each window would cost more
 * than the window's plan at a million orders.
 *
 * The mark is read before the picks: a pick committed between the two
 * moves it, so a stock read together with a mark it does not match is
 * never taken for the ledger's (the mark is read again before use).
 * What available() read is as of ahead_since and ahead_mark.
 */
static void
available(struct picklist *p)
{
	struct stock s = {p->cat, p->avail};
	int64_t since = catalog_time(p);
	struct ledger_stock_mark m = ledger_stock_mark(p->ledger, since);
	size_t i;

	p->ahead_since = since;
	p->ahead_mark = m;
	if (p->avail != NULL && since == p->stock_since &&
	    same_mark(&m, &p->stock_mark))
		return;
	if (s.avail == NULL)
		s.avail = p->avail = xcalloc(p->cat->n + 1, sizeof *s.avail);
	for (i = 0; i < p->cat->n; i++)
		s.avail[i] = p->cat->items[i].stock;
	p->stock_since = since;
	p->stock_mark = m;
	ledger_picked_since(p->ledger, p->stock_since, taken, &s);
}

/* The wave's name: its ship_by in the warehouse's time, or "unscheduled". */
static void
wave_name(const struct picklist *p, int64_t ship_by, char *buf, size_t len)
{
	char s[WHEN_BUFSZ];
	struct when w;

	if (ship_by == INT64_MAX) {
		snprintf(buf, len, "unscheduled");
		return;
	}
	w = when_in_zone(ship_by, p->cfg->tz);
	when_format(&w, s);
	/* 2026-11-23T18:30:00+08:00 -> 2026-11-23 18:30 */
	snprintf(buf, len, "%.10s %.5s", s, s + 11);
}

/* Number the batches in the ledger. */
static void
record_batches(struct picklist *p)
{
	char wave[64];
	int b;

	for (b = 0; b < p->plan.nbatches; b++) {
		struct pick_batch *pb = &p->plan.batches[b];

		wave_name(
		    p, p->plan.waves[pb->wave].ship_by, wave, sizeof wave);
		pb->id =
		    ledger_batch_add(p->ledger, wave, pb->norders, pb->route_m);
	}
}

static double
tenth(double m)
{
	return (double)(int64_t)(m * 10 + 0.5) / 10;
}

/*
 * The order's stock, one row per SKU however many lines name it, in
 * one statement (ledger_picks_add()), not one a line.
 */
static void
record_picks(struct picklist *p, const struct picklist_rec *r,
    const struct pick_order *o, int64_t batch)
{
	struct ledger_pick_row one[8], *rows = one;
	int k, m, n = 0;

	if (o->nlines > 8)
		rows = xcalloc((size_t)o->nlines, sizeof *rows);
	for (k = 0; k < o->nlines; k++) {
		int64_t qty = 0;

		for (m = 0; m < o->nlines; m++)
			if (o->lines[m].item == o->lines[k].item) {
				if (m < k)
					break;
				qty += o->lines[m].qty;
			}
		if (m < k)
			continue;
		rows[n++] = (struct ledger_pick_row){
		    o->lines[k].item->sku, qty, batch};
	}
	ledger_picks_add(p->ledger, r->source, r->id, rows, n, when_now().t);
	if (rows != one)
		free(rows);
}

struct id_of {
	struct picklist *p;
	const char *source;
};

/* Whether the ledger has an order of this id (from the source) already. */
static int
id_taken(void *arg, const char *id)
{
	struct id_of *x = arg;
	struct ledger_order lo;

	if (!ledger_order_get(x->p->ledger, x->source, id, &lo))
		return 0;
	ledger_order_free(&lo);
	return 1;
}

/*
 * A split order: the record keeps what ships now, and the rest is
 * recorded as its backorder, held, for a later run to pick (lib/split).
 */
static void
backorder(struct picklist *p, struct picklist_rec *r, json_t *j,
    const struct pick_order *o)
{
	struct id_of x = {p, r->source};
	json_t *bo = split_order(j, o, id_taken, &x);
	const char *id = ndjson_str(bo, "order_id");
	char detail[256];

	snprintf(detail, sizeof detail, "backorder %s, short of %d SKU%s", id,
	    o->nshort, o->nshort == 1 ? "" : "s");
	ledger_event(p->ledger, r->source, r->id, "split", detail);
	r->bo = ndjson_dump(bo, &r->bolen);
	ledger_order_put(p->ledger, r->source, id, status_name(ST_HELD), r->bo,
	    r->bolen, NULL, 1, 1);
	snprintf(detail, sizeof detail, "backorder of %s", r->id);
	ledger_event(p->ledger, r->source, id, status_name(ST_HELD), detail);
	p->split++;
	json_decref(bo);
}

/*
 * The record as settle() would dump it, from its canonical text
 * (splice_find()): the status's value replaced, the pick appended.
 */
static char *
splice_out(struct picklist *p, struct picklist_rec *r, const char *status,
    const json_t *pick, size_t *lenp)
{
	size_t plen, sl = strlen(status), at, len, slen;
	char *pd = ndjson_dump(pick, &plen), *out;

	rec_load(p, r);
	/* The old value, quotes and all: a word, so up to the next quote. */
	for (slen = 1; r->raw[r->soff + slen] != '"'; slen++)
		;
	slen++;
	len = r->len - slen + sl + 2 - 1 + sizeof ",\"pick\":" - 1 + plen + 1;
	out = xmalloc(len + 1);
	memcpy(out, r->raw, r->soff);
	at = r->soff;
	out[at++] = '"';
	memcpy(out + at, status, sl);
	at += sl;
	out[at++] = '"';
	memcpy(out + at, r->raw + r->soff + slen, r->len - 1 - r->soff - slen);
	at += r->len - 1 - r->soff - slen;
	memcpy(out + at, ",\"pick\":", sizeof ",\"pick\":" - 1);
	at += sizeof ",\"pick\":" - 1;
	memcpy(out + at, pd, plen);
	at += plen;
	out[at++] = '}';
	out[at] = '\0';
	rec_unload(r);
	free(pd);
	*lenp = at;
	return out;
}

/* The record as it leaves: status and pick set, ledger updated. */
static void
settle(struct picklist *p, size_t i)
{
	struct picklist_rec *r = &p->r[i];
	struct pick_order *o = &p->o[i];
	const struct pick_order *z;
	enum status to = o->state == PICK_HELD ? ST_HELD : ST_PICKED;
	json_t *j, *pick, *a;
	char wave[64], detail[128], *out;
	int k, again, ready;

	/* A split order's backorder is made from the record parsed. */
	if (r->soff > 0 && !o->split)
		j = NULL;
	else {
		rec_load(p, r);
		j = ndjson_parse(r->raw, r->len, NULL, 0);
		rec_unload(r);
	}

	pick = json_object();
	if (o->state == PICK_HELD) {
		a = json_array();
		for (k = 0; k < o->nshort; k++)
			json_array_append_new(
			    a, json_pack("{s:s,s:I}", "sku",
				   o->shorts[k].item->sku, "qty_short",
				   (json_int_t)o->shorts[k].qty));
		json_object_set_new(pick, "short", a);
		snprintf(detail, sizeof detail, "short of %d SKU%s", o->nshort,
		    o->nshort == 1 ? "" : "s");
	} else {
		const struct pick_batch *b = &p->plan.batches[o->batch];

		wave_name(p, p->plan.waves[o->wave].ship_by, wave, sizeof wave);
		json_object_set_new(pick, "wave", json_string(wave));
		json_object_set_new(pick, "batch", json_integer(b->id));
		json_object_set_new(pick, "tote", json_integer(o->tote));
		if (o->ntotes > 1) {
			a = json_array();
			for (k = 0; k < o->ntotes; k++)
				json_array_append_new(
				    a, json_integer(o->tote + k));
			json_object_set_new(pick, "totes", a);
		}
		json_object_set_new(
		    pick, "route_m", json_real(tenth(b->route_m)));
		json_object_set_new(pick, "seq", json_integer(o->seq));
		a = json_array();
		for (k = 0; k < HANDLE_N; k++)
			if (o->handling & (1u << k))
				json_array_append_new(
				    a, json_string(handling_names[k]));
		json_object_set_new(pick, "handling", a);
		json_object_set_new(
		    pick, "weight_g", json_integer(o->weight_g));
		snprintf(detail, sizeof detail, "batch %" PRId64 " tote %d",
		    b->id, o->tote);
		zones_record(p->zr, &p->plan, i, pick);
	}
	if (j == NULL) {
		/* Not a pickup, and no pick before: neither again nor ready. */
		out = splice_out(p, r, status_name(to), pick, &r->outlen);
		json_decref(pick);
		again = ready = 0;
	} else {
		if (o->split)
			backorder(p, r, j, o);
		json_object_set_new(j, "status", json_string(status_name(to)));
		/* Held again for the same shortage: nothing new to record. */
		again = o->state == PICK_HELD &&
			json_equal(json_object_get(j, "pick"), pick);
		json_object_set_new(j, "pick", pick);
		/*
		 * A pickup order is picked like any other; then, instead of
		 * a label, it waits at the counter (lib/pickup).
		 */
		ready = to == ST_PICKED && pickup_is(j) &&
			pickup_ready(j, when_now().t, p->cfg->tz);
		out = ndjson_dump(j, &r->outlen);
		json_decref(j);
	}
	r->outat = spill_put(p, out, r->outlen);
	r->out = 1;
	if (!again)
		ledger_order_put(p->ledger, r->source, r->id,
		    status_name(ready ? ST_READY_FOR_PICKUP : to), out,
		    r->outlen, NULL, 0, 0);
	free(out);
	/* Each zone's pick is of its own batch; the order is written. */
	if (o->state != PICK_HELD)
		for (k = 0; (z = zones_pick(p->zr, p->o, i, k)) != NULL; k++)
			record_picks(p, r, z, p->plan.batches[z->batch].id);
	if (again)
		return;
	ledger_event(p->ledger, r->source, r->id, status_name(to), detail);
	if (ready)
		ledger_event(p->ledger, r->source, r->id,
		    status_name(ST_READY_FOR_PICKUP), NULL);
}

static void
write_sheets(struct picklist *p)
{
	size_t np = zones_npicks(p->zr, p->n);
	const char **ids = xcalloc(np + 1, sizeof *ids);
	struct outfile f;
	struct sheet sh;
	struct when now = when_in_zone(when_now().t, p->cfg->tz);
	char name[64], wave[64], printed[WHEN_BUFSZ];
	size_t i;
	int b;

	/* The batches index the picks by zone, if the layout has zones. */
	for (i = 0; i < np; i++)
		ids[i] = p->r[zones_order_of(p->zr, i)].id;
	sh.orders = zones_orders(p->zr, p->o);
	sh.zr = p->zr;
	sh.ids = ids;
	sh.warehouse = p->cfg->wh_id;
	sh.printed = when_format(&now, printed);
	sh.wave = wave;
	for (b = 0; b < p->plan.nbatches; b++) {
		sh.batch = &p->plan.batches[b];
		sh.zone = zones_batch_zone(p->zr, &p->cfg->layout, b);
		wave_name(p, p->plan.waves[sh.batch->wave].ship_by, wave,
		    sizeof wave);
		snprintf(
		    name, sizeof name, "batch-%06" PRId64 ".txt", sh.batch->id);
		sheet_text(outfile_open(&f, p->outdir, name), &sh);
		outfile_commit(&f);
		snprintf(
		    name, sizeof name, "batch-%06" PRId64 ".csv", sh.batch->id);
		sheet_csv(outfile_open(&f, p->outdir, name), &sh);
		outfile_commit(&f);
		snprintf(
		    name, sizeof name, "batch-%06" PRId64 ".pdf", sh.batch->id);
		sheet_pdf(outfile_open(&f, p->outdir, name), &sh, sh.zone);
		outfile_commit(&f);
	}
	free(ids);
}

static int
by_cart(const void *a, const void *b, void *arg)
{
	const struct pick_order *v = arg;
	const struct pick_order *p = &v[*(const size_t *)a],
				*q = &v[*(const size_t *)b];

	/* Batches are numbered wave by wave, so batch then tote. */
	if (p->batch != q->batch)
		return p->batch - q->batch;
	return p->tote - q->tote;
}

static void
put(struct picklist *p, const struct picklist_rec *r, int seq)
{
	size_t len = r->out ? r->outlen : r->len;
	char *text = spill_get(p, r->out ? r->outat : r->at, len, seq);

	ndjson_put(text, len);
	free(text);
}

/* Passed through in input order, then cart by cart, then held. */
static void
output(struct picklist *p)
{
	size_t i, *ix = xcalloc(p->n + 1, sizeof *ix), nix = 0;

	for (i = 0; i < p->n; i++)
		if (p->r[i].fate == F_PASS)
			put(p, &p->r[i], 1);
		else if (p->r[i].fate == F_PICK && p->o[i].state == PICK_OK)
			ix[nix++] = i;
	qsort_r(ix, nix, sizeof *ix, by_cart, p->o);
	for (i = 0; i < nix; i++)
		put(p, &p->r[ix[i]], 0);
	for (i = 0; i < p->n; i++)
		if (p->r[i].fate == F_PICK && p->o[i].state == PICK_HELD)
			put(p, &p->r[i], 1);
	for (i = 0; i < p->n; i++)
		if (p->r[i].bo != NULL)
			ndjson_put(p->r[i].bo, p->r[i].bolen);
	free(ix);
	/* The next stage starts on the window now, not at the run's end. */
	if (fflush(stdout) == EOF)
		stdout_failed();
}

/*
 * The window's records, orders, plan and zones freed, its figures added
 * to the run's, the spill file emptied: nothing of it is kept but what
 * the run keeps of every order (seen_add()).
 */
static void
window_free(struct picklist *p)
{
	struct pick_total *t = &p->total;
	size_t i;

	t->nwaves += p->plan.nwaves;
	t->nbatches += p->plan.nbatches;
	t->route_m += p->plan.route_m;
	t->first_come_m += p->plan.first_come_m;
	t->first_come_opt_m += p->plan.first_come_opt_m;
	t->one_by_one_m += p->plan.one_by_one_m;
	for (i = 0; i < p->n; i++) {
		free(p->r[i].raw);
		free(p->r[i].prewhy);
		free(p->r[i].bo);
		free(p->r[i].id);
		free(p->r[i].source);
		pick_order_free(&p->o[i]);
	}
	p->n = 0;
	pick_plan_free(&p->plan);
	zones_free(p->zr);
	p->zr = NULL;
	if (p->spill != NULL) {
		if (fflush(p->spill) == EOF ||
		    ftruncate(fileno(p->spill), 0) == -1 ||
		    fseeko(p->spill, 0, SEEK_SET) == -1)
			err_exit_sys(
			    EXIT_TROUBLE, "cannot write a temporary file");
		p->spill_end = p->spill_flushed = 0;
		p->win_at = 0;
		p->win_len = 0;
	}
}

void
picklist_init(struct picklist *p)
{
	memset(p, 0, sizeof *p);
}

/*
 * Record i resolved from its text, unless it is already (take() does it
 * for most): r->pre, and r->prewhy for PRE_BAD.  What came of it is
 * applied by resolved(), under the lock.
 */
static void
resolve_rec(struct picklist *p, size_t i)
{
	struct picklist_rec *r = &p->r[i];
	char why[256];
	json_t *j;

	if (r->fate != F_PICK || r->pre != PRE_NONE)
		return;
	rec_load(p, r);
	j = ndjson_parse(r->raw, r->len, NULL, 0);
	r->pre = resolve_text(p, j, &p->o[i], why, sizeof why);
	if (r->pre == PRE_BAD)
		r->prewhy = xstrdup(why);
	json_decref(j);
	rec_unload(r);
}

/*
 * The window's orders to pick given stock and planned: waves, carts and
 * routes into p->plan.  Orders not to be picked have state PICK_SKIP.
 */
static void
plan_window(struct picklist *p)
{
	char why[256];
	size_t i;

	available(p);
	if (p->ahead_avail == NULL)
		p->ahead_avail = xcalloc(p->cat->n + 1, sizeof *p->ahead_avail);
	memcpy(p->ahead_avail, p->avail, p->cat->n * sizeof *p->avail);
	pick_allocate(p->o, p->n, p->cat, p->avail);
	/* A split order packs into totes again: it is smaller now. */
	for (i = 0; i < p->n; i++)
		if (p->o[i].split)
			(void)pick_pack(
			    &p->o[i], &p->cfg->carts, why, sizeof why);
	/* The long part, all orders at once: said before it starts. */
	if (p->window == 0) {
		progress_phase("orders: planning waves, carts and routes");
		progress_count((long)p->n);
	}
	/* Without sheets (-o), no batch's stops are kept. */
	p->zr = zones_plan(&p->plan, p->o, p->n, &p->cfg->layout,
	    &p->cfg->carts,
	    (p->stats ? PICK_COMPARE : 0) |
		(p->outdir == NULL ? PICK_NO_STOPS : 0));
}

/*
 * Before the window's lock, while other runs write: its orders planned
 * as they were read and with the stock as the ledger has it now.  The
 * plan is most of a window's work; under the lock window_end() keeps
 * it when the ledger is still as the plan read it, and the lock is held
 * for the writing only.  --pending's windows, read under the lock, are
 * planned there.
 */
static void
window_ahead(struct picklist *p)
{
	size_t i;

	xgrow(&p->o, &p->ocap, p->n + 1, sizeof *p->o);
	for (i = 0; i < p->n; i++) {
		const struct picklist_rec *r = &p->r[i];

		resolve_rec(p, i);
		/* As resolved() will have it: waiting, or set aside. */
		if (r->fate != F_PICK || r->pre != PRE_OK)
			p->o[i].state = PICK_SKIP;
	}
	plan_window(p);
	p->ahead = 1;
	/*
	 * FULFIL_PICK_STOP=ahead: a test's second run changes the ledger
	 * under the plan, before its lock is asked for.
	 */
	test_point("FULFIL_PICK_STOP", "ahead", SIGSTOP);
}

/*
 * Under the lock: whether the plan made ahead still holds.  relatest()
 * found every order as it was read (changed 0: the same text, still to
 * be picked here), and nobody picked, released or adjusted stock, nor
 * wrote the catalog, since available() read them.
 */
static int
ahead_holds(struct picklist *p, long changed)
{
	struct ledger_stock_mark m;

	if (changed > 0 || catalog_time(p) != p->ahead_since)
		return 0;
	m = ledger_stock_mark(p->ledger, p->ahead_since);
	return same_mark(&m, &p->ahead_mark);
}

/*
 * The plan made ahead let go, the stock as it was before it: each order
 * is resolved again from its text (the allocation may have cut its
 * lines) and planned under the lock.
 */
static void
ahead_drop(struct picklist *p)
{
	size_t i;

	memcpy(p->avail, p->ahead_avail, p->cat->n * sizeof *p->avail);
	pick_plan_free(&p->plan);
	zones_free(p->zr);
	p->zr = NULL;
	for (i = 0; i < p->n; i++) {
		pick_order_free(&p->o[i]);
		memset(&p->o[i], 0, sizeof p->o[i]);
		p->r[i].pre = PRE_NONE;
		free(p->r[i].prewhy);
		p->r[i].prewhy = NULL;
	}
	p->ahead = 0;
	p->replans++;
}

/*
 * The window taken so far, in the transaction its caller began: each
 * order as the ledger has it, resolved, given stock and planned (or the
 * plan made ahead kept); the batches numbered, the orders settled, the
 * sheets written; committed, then written out.  Then all of it freed,
 * the spill emptied, for the next window.  With no window (pick.window
 * 0) this is the whole run.
 */
static void
window_end(struct picklist *p)
{
	long changed = relatest(p);
	size_t i;

	if (p->ahead && !ahead_holds(p, changed))
		ahead_drop(p);
	xgrow(&p->o, &p->ocap, p->n + 1, sizeof *p->o);
	for (i = 0; i < p->n; i++) {
		struct picklist_rec *r = &p->r[i];

		if (r->fate != F_PICK)
			continue;
		resolve_rec(p, i);
		resolved(p, r, r->pre, r->prewhy);
		rec_unload(r);
	}
	/* Only what is to be picked takes part. */
	for (i = 0; i < p->n; i++)
		if (p->r[i].fate != F_PICK)
			p->o[i].state = PICK_SKIP;
	if (!p->ahead)
		plan_window(p);
	p->ahead = 0;
	record_batches(p);
	if (p->window == 0)
		progress_phase("orders recorded");
	for (i = 0; i < p->n; i++)
		if (p->r[i].fate == F_PICK) {
			settle(p, i);
			p->held += p->o[i].state == PICK_HELD;
			if (p->window == 0)
				progress_count((long)i + 1);
		}
	if (p->outdir != NULL)
		write_sheets(p);
	/* Under the lock still: the stock as this window leaves it. */
	if (p->window > 0)
		p->stock_mark = ledger_stock_mark(p->ledger, p->stock_since);
	ledger_commit(p->ledger);
	output(p);
	window_free(p);
}

void
picklist_run(struct picklist *p, struct input **in, int nin)
{
	const char *const waiting[] = {
	    status_name(ST_ACCEPTED), status_name(ST_HELD), NULL};
	struct pend pend = {p, 0};
	int k;

	/*
	 * Each window is one transaction: what the ledger says about each
	 * of its orders, the stock left and the batches are read and
	 * written under one write lock, so two runs at once cannot pick
	 * one order twice or give away the same stock.  The input is
	 * read outside it (take_line() ends each window full); --pending's
	 * orders are read under it, after the input's.
	 */
	progress_begin("orders read");
	for (k = 0; k < nin; k++)
		p->rejected += input_each(in[k], take_line, p);
	if (!p->pending)
		window_ahead(p);
	ledger_begin(p->ledger);
	if (p->pending) {
		relatest(p);
		ledger_pending(p->ledger, waiting, NULL, pending_one, &pend);
	}
	window_end(p);
	progress_end();
	p->picked = p->read - p->rejected - p->passed - p->held;
}

void
picklist_stats(const struct picklist *p)
{
	const struct pick_total *pl = &p->total;
	json_t *s = json_pack("{s:I,s:I,s:I,s:I,s:i,s:i,s:f,s:f,s:f,s:f}",
	    "orders", (json_int_t)p->read, "picked", (json_int_t)p->picked,
	    "held", (json_int_t)p->held, "rejected", (json_int_t)p->rejected,
	    "waves", pl->nwaves, "batches", pl->nbatches, "route_m",
	    tenth(pl->route_m), "first_come_sshape_m", tenth(pl->first_come_m),
	    "first_come_optimal_m", tenth(pl->first_come_opt_m),
	    "one_order_at_a_time_m", tenth(pl->one_by_one_m));

	json_object_set_new(s, "replanned", json_integer(p->replans));
	if (pl->first_come_m > 0)
		json_object_set_new(s, "saving_vs_first_come",
		    json_real(
			(double)(int64_t)((1 - pl->route_m / pl->first_come_m) *
					      1000 +
					  0.5) /
			1000));
	json_dumpf(s, stderr, JSON_COMPACT | JSON_REAL_PRECISION(15));
	fputc('\n', stderr);
	json_decref(s);
}

void
picklist_done(struct picklist *p)
{
	/* What the last window left, when the run did not get to its end. */
	window_free(p);
	free(p->r);
	free(p->o);
	if (p->spill != NULL)
		fclose(p->spill);
	free(p->spillbuf);
	free(p->win);
	free(p->avail);
	free(p->ahead_avail);
	free(p->seen);
	free(p->seenids);
}

/* --slotting: the period's picks, gathered from the ledger's rows. */
struct slot_rows {
	const struct catalog *cat;
	size_t *slot; /* per catalogue row: its index among the SKUs */
	long *picks;  /* per SKU */
	size_t *visit, nvisit, vcap;
	size_t *first, nbatch, fcap;
	int64_t last;
	long rows, unknown;
};

static void
slot_row(void *arg, int64_t batch, const char *sku, int64_t qty)
{
	struct slot_rows *r = arg;
	const struct item *it = catalog_find(r->cat, sku);
	size_t k;

	r->rows++;
	if (it == NULL || it->bad != NULL) {
		r->unknown++;
		return;
	}
	k = r->slot[it - r->cat->items];
	if (r->nbatch == 0 || batch != r->last) {
		xgrow(&r->first, &r->fcap, r->nbatch + 2, sizeof *r->first);
		r->first[r->nbatch++] = r->nvisit;
		r->last = batch;
	}
	xgrow(&r->visit, &r->vcap, r->nvisit + 1, sizeof *r->visit);
	r->visit[r->nvisit++] = k;
	r->picks[k]++;
}

/* A count with thousands separators, as a person reads it: 1,234. */
static char *
grouped(long v, char buf[32])
{
	char digits[24];
	int n = snprintf(digits, sizeof digits, "%ld", v < 0 ? -v : v), i;
	char *o = buf;

	if (v < 0)
		*o++ = '-';
	for (i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			*o++ = ',';
		*o++ = digits[i];
	}
	*o = '\0';
	return buf;
}

static void
slot_summary(const struct slotting *s, const char *period, long picks)
{
	char a[32], b[32], c[32];

	if (quiet)
		return;
	fprintf(stderr, "%s: slotting %s: %s pick%s in %s batch%s; ", progname,
	    period, grouped(picks, a), picks == 1 ? "" : "s",
	    grouped((long)s->nbatch, b), s->nbatch == 1 ? "" : "es");
	if (s->nmoves == 0)
		fprintf(stderr, "no move would have saved any of %s m\n",
		    grouped(lround(s->before_m), c));
	else
		fprintf(stderr,
		    "%d move%s proposed would have saved %s m of %s m "
		    "(%ld%%)\n",
		    s->nmoves, s->nmoves == 1 ? "" : "s",
		    grouped(lround(s->before_m - s->after_m), a),
		    grouped(lround(s->before_m), b),
		    s->before_m > 0
			? lround(100 * (s->before_m - s->after_m) / s->before_m)
			: 0L);
}

int
picklist_slotting(
    struct picklist *p, int64_t from_day, int64_t to_day, int moves)
{
	const struct catalog *cat = p->cat;
	struct slot_rows r = {0};
	struct slot_sku *skus = xcalloc(cat->n + 1, sizeof *skus);
	struct slotting s = {0};
	char d1[16], d2[16], period[40];
	size_t i, n = 0;
	int m;

	snprintf(period, sizeof period, "%s..%s", day_format(from_day, d1),
	    day_format(to_day, d2));
	r.cat = cat;
	r.slot = xcalloc(cat->n + 1, sizeof *r.slot);
	r.picks = xcalloc(cat->n + 1, sizeof *r.picks);
	/* Every usable row is a place, whether picked or not. */
	for (i = 0; i < cat->n; i++) {
		const struct item *it = &cat->items[i];

		if (it->bad != NULL)
			continue;
		r.slot[i] = n;
		skus[n++] = (struct slot_sku){
		    it->sku, it->location, it->aisle, it->bay, 0};
	}
	ledger_picks_between(p->ledger, when_local(p->cfg->tz, from_day, 0),
	    when_day_end(p->cfg->tz, to_day), slot_row, &r);
	if (r.unknown > 0)
		err_warn("slotting: %ld pick%s of SKUs not in the catalogue "
			 "left out",
		    r.unknown, r.unknown == 1 ? "" : "s");
	if (r.nvisit == 0) {
		if (!quiet)
			fprintf(stderr,
			    "%s: slotting %s: no picks in the period\n",
			    progname, period);
	} else {
		for (i = 0; i < n; i++)
			skus[i].picks = r.picks[i];
		r.first[r.nbatch] = r.nvisit;
		s.lay = &p->cfg->layout;
		s.skus = skus;
		s.nsku = n;
		s.visit = r.visit;
		s.first = r.first;
		s.nbatch = r.nbatch;
		s.max_moves = moves;
		if (slotting_plan(&s) != 0)
			err_exit(EXIT_TROUBLE,
			    "internal error: slotting outside the layout");
		for (m = 0; m < s.nmoves; m++) {
			const struct slot_sku *f = &skus[s.moves[m].sku],
					      *g = &skus[s.moves[m].with];
			json_t *j = json_pack("{s:s,s:s,s:s,s:I,s:f,s:s,s:I}",
			    "sku", f->sku, "from", f->location, "to",
			    g->location, "picks", (json_int_t)f->picks,
			    "saved_m", tenth(s.moves[m].saved_m), "with",
			    g->sku, "with_picks", (json_int_t)g->picks);

			ndjson_write(j);
			json_decref(j);
		}
		slot_summary(&s, period, (long)r.nvisit);
		slotting_free(&s);
	}
	free(skus);
	free(r.slot);
	free(r.picks);
	free(r.visit);
	free(r.first);
	return EXIT_OK;
}
