#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aftercare.h"
#include "cod.h"
#include "config.h"
#include "csvin.h"
#include "err.h"
#include "ledger.h"
#include "ledger_cod.h"
#include "ledger_journey.h"
#include "money.h"
#include "ndjson.h"
#include "tasks.h"
#include "when.h"

/* A statement's fields, by our names: the default layout's headers. */
enum { F_TRACKING, F_AMOUNT, F_CURRENCY, F_AT, F_CARRIER, F_STATEMENT, NF };

static const char *const fields[NF] = {
    "tracking", "amount", "currency", "remitted_at", "carrier", "statement"};

/* A statement that lacks one of these cannot be reconciled. */
#define REQUIRED(f) ((f) == F_TRACKING || (f) == F_AMOUNT || (f) == F_STATEMENT)

/* One statement being read: where each field is, and the map's givens. */
struct statement {
	struct aftercare *u;
	struct cod_tally *tally;
	struct input *in;
	int col[NF];                    /* -1: not in the file */
	const char *carrier, *currency; /* the map's, or NULL */
	enum money_style style;
};

/* One line of a statement, decided. */
struct line {
	const char *v[NF]; /* "" when not given */
	char currency[4];
	int64_t amount, expected, total;
	char at[WHEN_BUFSZ];
	const char *outcome;
};

static void __attribute__((noreturn, format(printf, 2, 3)))
map_bad(const char *path, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	err_exit(EXIT_TROUBLE, "--map '%s': %s", path, why);
}

static int
field_of(const char *name)
{
	int f;

	for (f = 0; f < NF; f++)
		if (strcmp(fields[f], name) == 0)
			return f;
	return -1;
}

json_t *
cod_map_load(const char *path)
{
	static const char *const keys[] = {
	    "carrier", "currency", "columns", "money", "delimiter", NULL};
	json_error_t e;
	json_t *m = ndjson_load_file(path, JSON_REJECT_DUPLICATES, &e);
	json_t *cols, *v;
	const char *k, *s;
	enum money_style style;
	size_t i;
	int f;

	if (m == NULL)
		map_bad(path, "%s", e.text);
	if (!json_is_object(m))
		map_bad(path, "not a JSON object");
	json_object_foreach(m, k, v)
	{
		i = 0;
		while (keys[i] != NULL && strcmp(keys[i], k) != 0)
			i++;
		if (keys[i] == NULL)
			map_bad(path, "unknown key '%s'", k);
	}
	cols = json_object_get(m, "columns");
	if (!json_is_object(cols))
		map_bad(path, "columns must be an object");
	json_object_foreach(cols, k, v)
	{
		if ((f = field_of(k)) == -1)
			map_bad(path,
			    "columns.%s: not one of tracking, amount, "
			    "currency, "
			    "remitted_at, carrier, statement",
			    k);
		if (!json_is_string(v) || *json_string_value(v) == '\0')
			map_bad(path, "columns.%s must name a column", k);
	}
	for (f = 0; f < NF; f++)
		if (REQUIRED(f) && json_object_get(cols, fields[f]) == NULL)
			map_bad(path,
			    "columns must name tracking, amount and statement");
	if ((s = ndjson_str(m, "currency")) != NULL && money_exponent(s) < 0)
		map_bad(path, "currency '%s' is not an ISO 4217 code", s);
	if ((v = json_object_get(m, "money")) != NULL &&
	    (!json_is_string(v) ||
		money_style_parse(json_string_value(v), &style) == -1))
		map_bad(path, "money is one of plain, en, eu, sp, ch");
	if ((v = json_object_get(m, "delimiter")) != NULL &&
	    (!json_is_string(v) ||
		(strcmp(json_string_value(v), ",") != 0 &&
		    strcmp(json_string_value(v), "\t") != 0)))
		map_bad(path, "delimiter is \",\" or \"\\t\"");
	if ((v = json_object_get(m, "carrier")) != NULL && !json_is_string(v))
		map_bad(path, "carrier is a carrier's code");
	return m;
}

/* "CNY 27.93" */
static const char *
amount_text(int64_t minor, const char *currency, char *buf, size_t n)
{
	char num[MONEY_FORMAT_MAX];

	money_format(minor, money_exponent(currency), num, sizeof num);
	snprintf(buf, n, "%s %s", currency, num);
	return buf;
}

/*
 * What staff need to act on a discrepancy: why, and the figures, in
 * minor units.  Nothing of the customer's: the carrier owes the money.
 */
static json_t *
detail(const struct config *cfg, const char *reason, const char *carrier,
    const char *tracking, const char *currency)
{
	const struct carrier *k =
	    carrier != NULL ? config_carrier(cfg, carrier) : NULL;
	json_t *d = json_pack("{s:s,s:s,s:s}", "reason", reason, "tracking",
	    tracking, "currency", currency);

	if (carrier != NULL)
		json_object_set_new(d, "carrier", json_string(carrier));
	if (k != NULL && k->name != NULL)
		json_object_set_new(d, "carrier_name", json_string(k->name));
	return d;
}

/* The task a line's outcome opens, if any. */
static void
discrepancy(struct statement *s, const struct line *ln, const char *carrier,
    const char *source, const char *id)
{
	char kind[32], key[512], reason[256], a[48], b[48], c[48];
	int64_t diff = ln->total - ln->expected;
	json_t *d;

	if (strcmp(ln->outcome, "paid") == 0)
		return;
	if (strcmp(ln->outcome, "unknown") == 0)
		snprintf(reason, sizeof reason,
		    "statement %s remits %s for a parcel we did not ship COD",
		    ln->v[F_STATEMENT],
		    amount_text(ln->amount, ln->currency, a, sizeof a));
	else
		snprintf(reason, sizeof reason,
		    "COD %s to collect, %s remitted in all (statement %s): %s "
		    "%s",
		    amount_text(ln->expected, ln->currency, a, sizeof a),
		    amount_text(ln->total, ln->currency, b, sizeof b),
		    ln->v[F_STATEMENT],
		    amount_text(
			diff < 0 ? -diff : diff, ln->currency, c, sizeof c),
		    diff < 0 ? "short" : "over");
	d = detail(s->u->cfg, reason, carrier, ln->v[F_TRACKING], ln->currency);
	json_object_set_new(d, "statement", json_string(ln->v[F_STATEMENT]));
	json_object_set_new(d, "amount", json_integer(ln->amount));
	json_object_set_new(d, "remitted_at", json_string(ln->at));
	if (strcmp(ln->outcome, "unknown") != 0) {
		json_object_set_new(d, "expected", json_integer(ln->expected));
		json_object_set_new(d, "remitted", json_integer(ln->total));
	}
	snprintf(kind, sizeof kind, "cod_%s", ln->outcome);
	snprintf(key, sizeof key, "%s:%s:%s", kind, ln->v[F_TRACKING],
	    ln->v[F_STATEMENT]);
	tasks_open(s->u, kind, key, source, id, ln->v[F_TRACKING], 0, d);
}

/*
 * Whose parcel a line names when it is none of our COD parcels: its
 * order if we labelled it, else the statement's, for the task and the
 * audit trail.
 */
static void
stranger(struct statement *s, struct line *ln, const char *carrier)
{
	struct ledger_shipment sh;
	struct ledger_remittance r = {0};
	int labelled;

	labelled =
	    ledger_shipment_find(s->u->ledger, ln->v[F_TRACKING], &sh) >= 0;
	ln->outcome = "unknown";
	r.statement = ln->v[F_STATEMENT];
	r.tracking = ln->v[F_TRACKING];
	r.carrier = carrier != NULL ? carrier : (labelled ? sh.carrier : NULL);
	r.amount = ln->amount;
	r.currency = ln->currency;
	r.at = ln->at;
	r.outcome = ln->outcome;
	r.source = labelled ? sh.source : NULL;
	r.order_id = labelled ? sh.order_id : NULL;
	if (!ledger_remittance_add(s->u->ledger, &r))
		s->tally->dup++;
	else {
		s->tally->unknown++;
		discrepancy(s, ln, r.carrier,
		    labelled ? sh.source : "remittance",
		    labelled ? sh.order_id : ln->v[F_STATEMENT]);
	}
	if (labelled)
		ledger_shipment_free(&sh);
}

static void reject(struct statement *s, struct csvrow *row, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));

static void
reject(struct statement *s, struct csvrow *row, const char *fmt, ...)
{
	char why[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	aftercare_reject(s->u, input_name(s->in), row->line, row->raw,
	    row->rawlen, "%s", why);
	s->tally->rejected++;
}

/* A line for one of our COD parcels: paid, short or over, once. */
static void
ours(struct statement *s, struct line *ln, const struct ledger_cod_parcel *p)
{
	struct ledger_remittance r = {0};
	char what[128];

	ln->expected = p->cod;
	ln->total =
	    ledger_cod_remitted(s->u->ledger, ln->v[F_TRACKING], ln->currency) +
	    ln->amount;
	ln->outcome = ln->total == ln->expected  ? "paid"
		      : ln->total < ln->expected ? "short"
						 : "over";
	r.statement = ln->v[F_STATEMENT];
	r.tracking = ln->v[F_TRACKING];
	r.carrier = p->carrier;
	r.amount = ln->amount;
	r.currency = ln->currency;
	r.at = ln->at;
	r.outcome = ln->outcome;
	r.has_expected = 1;
	r.expected = p->cod;
	r.source = p->source;
	r.order_id = p->order_id;
	if (!ledger_remittance_add(s->u->ledger, &r)) {
		s->tally->dup++;
		return;
	}
	snprintf(what, sizeof what, "statement %s: %s", ln->v[F_STATEMENT],
	    ln->outcome);
	ledger_event(
	    s->u->ledger, p->source, p->order_id, "cod.remitted", what);
	if (strcmp(ln->outcome, "paid") == 0)
		s->tally->paid++;
	else if (strcmp(ln->outcome, "short") == 0)
		s->tally->shortpaid++;
	else
		s->tally->over++;
	discrepancy(s, ln, p->carrier, p->source, p->order_id);
}

/* The currency a line is in: its own, the map's, the parcel's, the shop's. */
static const char *
line_currency(struct statement *s, const struct line *ln,
    const struct ledger_cod_parcel *p, int found)
{
	if (*ln->v[F_CURRENCY] != '\0')
		return ln->v[F_CURRENCY];
	if (s->currency != NULL)
		return s->currency;
	if (found)
		return p->currency;
	return s->u->cfg->currency != NULL ? s->u->cfg->currency : "";
}

static void
one_line(struct statement *s, struct csvrow *row)
{
	struct ledger_cod_parcel p = {0};
	const char *carrier, *cur, *why;
	struct line ln;
	struct when w;
	int f, found;

	memset(&ln, 0, sizeof ln);
	s->tally->lines++;
	for (f = 0; f < NF; f++)
		ln.v[f] = s->col[f] >= 0 && (size_t)s->col[f] < row->nf
			      ? row->f[s->col[f]]
			      : "";
	if (*ln.v[F_TRACKING] == '\0' || *ln.v[F_STATEMENT] == '\0') {
		reject(s, row, "no %s",
		    *ln.v[F_TRACKING] == '\0' ? "tracking number"
					      : "statement id");
		return;
	}
	found = ledger_cod_parcel(s->u->ledger, ln.v[F_TRACKING], &p);
	carrier = *ln.v[F_CARRIER] != '\0' ? ln.v[F_CARRIER] : s->carrier;
	cur = line_currency(s, &ln, &p, found);
	if (money_exponent(cur) < 0)
		reject(s, row,
		    "tracking %s: currency '%s' is not an ISO 4217 code",
		    ln.v[F_TRACKING], cur);
	else if (found && carrier != NULL && strcmp(carrier, p.carrier) != 0)
		reject(s, row,
		    "tracking %s: carrier %s, but the parcel went with %s",
		    ln.v[F_TRACKING], carrier, p.carrier);
	else if (found && strcmp(cur, p.currency) != 0)
		reject(s, row,
		    "tracking %s: remitted in %s, but its COD amount is in %s",
		    ln.v[F_TRACKING], cur, p.currency);
	else if (money_parse(ln.v[F_AMOUNT], money_exponent(cur), s->style,
		     &ln.amount, &why) == -1)
		reject(s, row, "tracking %s: amount '%s': %s", ln.v[F_TRACKING],
		    ln.v[F_AMOUNT], why);
	else if (ln.amount < 0)
		reject(s, row, "tracking %s: amount '%s' is below zero",
		    ln.v[F_TRACKING], ln.v[F_AMOUNT]);
	else if (*ln.v[F_AT] != '\0' &&
		 when_parse_loose(ln.v[F_AT], s->u->cfg->tz, &w) == -1)
		reject(s, row, "tracking %s: remitted_at '%s' is not a time",
		    ln.v[F_TRACKING], ln.v[F_AT]);
	else {
		snprintf(ln.currency, sizeof ln.currency, "%s", cur);
		if (*ln.v[F_AT] == '\0')
			w = s->u->now;
		when_format(&w, ln.at);
		if (found)
			ours(s, &ln, &p);
		else
			stranger(s, &ln, carrier);
	}
	if (found)
		ledger_cod_parcel_free(&p);
}

/* Where each field is in the statement's header; exit 2 if it cannot be. */
static void
header(struct statement *s, struct csvin *c, const json_t *map)
{
	const json_t *cols = json_object_get(map, "columns");
	const char *name;
	int f;

	for (f = 0; f < NF; f++) {
		name = map != NULL ? ndjson_str(cols, fields[f]) : fields[f];
		s->col[f] = name != NULL ? csvin_column(c, name) : -1;
		if (s->col[f] == CSVIN_TWICE)
			aftercare_csv_stop(c,
			    "%s: column '%s' appears twice in the header",
			    input_name(s->in), name);
		/* A column the map names must be there. */
		if (s->col[f] == -1 && name != NULL &&
		    (REQUIRED(f) || map != NULL))
			aftercare_csv_stop(c, "%s: no column '%s' (for %s)",
			    input_name(s->in), name, fields[f]);
	}
}

static void
statement(struct aftercare *u, const json_t *map, struct input *in,
    struct cod_tally *t)
{
	const char *delim = ndjson_str(map, "delimiter");
	struct statement s;
	struct csvrow *row;
	struct csvin *c;
	char why[256];

	memset(&s, 0, sizeof s);
	s.u = u;
	s.tally = t;
	s.in = in;
	s.carrier = ndjson_str(map, "carrier");
	s.currency = ndjson_str(map, "currency");
	s.style = MONEY_PLAIN;
	if (ndjson_str(map, "money") != NULL)
		money_style_parse(ndjson_str(map, "money"), &s.style);
	if ((c = csvin_open(in, delim && strcmp(delim, "\t") == 0 ? '\t' : ',',
		 why, sizeof why)) == NULL)
		err_exit(EXIT_TROUBLE, "%s: %s", input_name(in), why);
	header(&s, c, map);
	while (aftercare_csv_row(u, in, c, &row)) {
		one_line(&s, row);
		aftercare_next(u);
	}
	csvin_close(c);
}

void
cod_remittances(struct aftercare *u, const json_t *map, char **paths, size_t n,
    struct cod_tally *t)
{
	struct input *in;
	size_t i;

	for (i = 0; i < n; i++) {
		if ((in = input_open(paths[i])) == NULL)
			err_exit_sys(
			    EXIT_TROUBLE, "cannot open '%s'", paths[i]);
		statement(u, map, in, t);
		input_close(in);
	}
}

struct scan {
	struct aftercare *u;
	struct cod_tally *tally;
};

static void
overdue(void *arg, const struct ledger_cod_parcel *p)
{
	struct scan *sc = arg;
	const struct config *cfg = sc->u->cfg;
	char reason[256], a[48], key[256], day[16];
	struct when w = when_in_zone(p->delivered_at, cfg->tz);
	json_t *d;

	snprintf(reason, sizeof reason,
	    "COD %s collected on delivery %s, nothing remitted in %d days",
	    amount_text(p->cod, p->currency, a, sizeof a),
	    day_format(when_day(&w), day), cfg->followup.cod_overdue_days);
	d = detail(cfg, reason, p->carrier, p->tracking, p->currency);
	json_object_set_new(d, "expected", json_integer(p->cod));
	ndjson_set_time(d, "delivered_at", p->delivered_at, cfg->tz);
	snprintf(key, sizeof key, "cod_missing:%s", p->tracking);
	sc->tally->missing += tasks_open(sc->u, "cod_missing", key, p->source,
	    p->order_id, p->tracking, 0, d);
}

void
cod_scan(struct aftercare *u, struct cod_tally *t)
{
	struct scan sc = {u, t};

	ledger_cod_unremitted(u->ledger,
	    u->now.t - (int64_t)u->cfg->followup.cod_overdue_days * 86400,
	    overdue, &sc);
}

void
cod_summary(const struct cod_tally *t, long tasks)
{
	if (quiet)
		return;
	fprintf(stderr,
	    "%s: %ld remittance lines read, %ld duplicate, %ld rejected; %ld "
	    "paid, %ld short, %ld over, %ld unknown; %ld missing; %ld tasks\n",
	    progname, t->lines, t->dup, t->rejected, t->paid, t->shortpaid,
	    t->over, t->unknown, t->missing, tasks);
}
