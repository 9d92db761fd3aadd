#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "aftercare.h"
#include "config.h"
#include "err.h"
#include "feedback.h"
#include "ledger.h"
#include "ledger_feedback.h"
#include "ledger_parcels.h"
#include "ledger_returns.h"
#include "ndjson.h"
#include "returns.h"
#include "slip.h"
#include "status.h"
#include "tasks.h"

/* The outcomes of an inspection, in the order they are recorded. */
static const char *const outcomes[] = {"resellable", "damaged", "missing"};
#define NOUTCOMES (sizeof outcomes / sizeof outcomes[0])

const struct return_reason *
returns_reason(const struct config *cfg, const char *code, const char *text)
{
	const struct returns_cfg *rc = &cfg->returns;
	size_t i, j;

	if (code != NULL) {
		for (i = 0; i < rc->nreasons; i++)
			if (strcmp(rc->reasons[i].code, code) == 0)
				return &rc->reasons[i];
		return NULL;
	}
	for (i = 0; text != NULL && i < rc->nreasons; i++)
		for (j = 0; j < rc->reasons[i].nkeywords; j++)
			if (strcasestr(text, rc->reasons[i].keywords[j]) !=
			    NULL)
				return &rc->reasons[i];
	return &rc->reasons[rc->nreasons - 1];
}

/* Where a code or an inspection came from, for its reject. */
struct from {
	const char *file;
	long line;
	const char *raw;
	size_t len;
};

/*
 * An RMA's record, with its status as the ledger has it (the record's
 * own says "requested" before its label); NULL if there is no such RMA.
 */
static json_t *
rma_record(struct aftercare *u, const char *rma, enum status *st)
{
	json_t *ret = aftercare_order(u, "rma", rma);
	struct ledger_order o;

	*st = ST_NONE;
	if (ret != NULL && ledger_order_get(u->ledger, "rma", rma, &o)) {
		*st = status_parse(o.status);
		ledger_order_free(&o);
	}
	return ret;
}

/* 1 if an RMA in status st waits for its parcel: it may be taken in. */
static int
on_its_way(enum status st)
{
	return st == ST_LABELLED || st == ST_RETURN_IN_TRANSIT;
}

/*
 * Take an RMA in at the desk as its carrier's "delivered" would: the
 * customer told, staff to inspect.
 */
static void
receive_rma(
    struct aftercare *u, struct returns_tally *t, const char *rma, json_t *ret)
{
	const char *tracking = ndjson_str(ret, "tracking");
	json_t *ev;

	ledger_event(u->ledger, "rma", rma, "return.scanned", "desk");
	ev = json_pack("{s:s}", "message", "Received at the returns desk");
	feedback_return_parcel(u, rma, ndjson_str(ret, "carrier"),
	    tracking != NULL ? tracking : "", "delivered", u->now.t, ev);
	json_decref(ev);
	t->received++;
}

static void
add_rma(void *arg, const char *rma)
{
	json_array_append_new(arg, json_string(rma));
}

/*
 * The RMAs a code at the desk names: an RMA, a return parcel's
 * tracking number, or an order (SOURCE:ORDER_ID, as its packing slip's
 * barcode reads, or an order id one source has, for every RMA of the
 * order): a new array, empty if none.
 */
static json_t *
rmas_of(struct aftercare *u, const char *code)
{
	json_t *a = json_array(), *ret;
	char *source = NULL, *id = NULL;
	int voided;

	if ((ret = aftercare_order(u, "rma", code)) != NULL) {
		json_decref(ret);
		json_array_append_new(a, json_string(code));
		return a;
	}
	if (ledger_parcel_find(u->ledger, code, &source, &id, &voided) &&
	    strcmp(source, "rma") == 0) {
		json_array_append_new(a, json_string(id));
		goto out;
	}
	free(source);
	free(id);
	/* The slip's barcode, percent-encoded (slip.h), else a bare id. */
	if (slip_code_parse(code, &source, &id) == -1) {
		id = xstrdup(code);
		source = NULL;
		if (ledger_order_sources(u->ledger, id, NULL, &source) != 1) {
			free(source);
			source = NULL;
		}
	}
	if (source != NULL)
		ledger_order_rmas(u->ledger, source, id, add_rma, a);
out:
	free(source);
	free(id);
	return a;
}

/*
 * A code read at the desk: the RMAs it names that are on their way are
 * taken in.  One received before is nothing new; one without a return
 * label cannot be (its customer sent it without ours: staff decide).
 */
static void
receive_code(struct aftercare *u, struct returns_tally *t, const char *code,
    const struct from *f)
{
	json_t *a, *v, *ret;
	enum status st, last = ST_NONE;
	size_t i;
	int took = 0, before = 0;

	a = rmas_of(u, code);
	json_array_foreach(a, i, v)
	{
		ret = rma_record(u, json_string_value(v), &st);
		if (on_its_way(st)) {
			receive_rma(u, t, json_string_value(v), ret);
			took++;
		} else if (st == ST_RETURN_RECEIVED)
			before++;
		else
			last = st;
		json_decref(ret);
	}
	if (json_array_size(a) == 0)
		aftercare_reject(u, f->file, f->line, f->raw, f->len,
		    "'%s': no RMA, return parcel or order with a return", code);
	else if (took == 0 && before > 0)
		t->again++;
	else if (took == 0)
		aftercare_reject(u, f->file, f->line, f->raw, f->len,
		    "'%s': no return label yet (status %s): label --return "
		    "first",
		    code, status_name(last));
	json_decref(a);
	aftercare_next(u);
}

struct desk {
	struct aftercare *u;
	struct returns_tally *t;
};

/* A line read at the desk: a scanner's code, blanks around it dropped. */
static void
desk_line(void *arg, const char *file, long line, const char *text, size_t len)
{
	struct desk *d = arg;
	struct from f = {file, line, text, len};
	char *code;
	size_t b = 0;

	while (b < len && (text[b] == ' ' || text[b] == '\t'))
		b++;
	while (len > b && strchr(" \t\r", text[len - 1]) != NULL)
		len--;
	if (len == b)
		return;
	code = xstrndup(text + b, len - b);
	receive_code(d->u, d->t, code, &f);
	free(code);
}

void
returns_receive(
    struct aftercare *u, struct returns_tally *t, char **codes, size_t n)
{
	struct desk d = {u, t};
	struct input *in;
	size_t i;

	for (i = 0; i < n; i++) {
		struct from f = {
		    "--receive", (long)i + 1, codes[i], strlen(codes[i])};

		if (strcmp(codes[i], "-") != 0) {
			receive_code(u, t, codes[i], &f);
			continue;
		}
		if ((in = input_open("-")) == NULL)
			err_exit_sys(EXIT_TROUBLE, "cannot open '-'");
		u->rejected += input_each(in, desk_line, &d);
		input_close(in);
	}
}

/* The order's price of one unit of sku: its first line not a gift. */
static json_int_t
unit_price(json_t *order, const char *sku)
{
	json_t *l;
	size_t i;

	json_array_foreach(json_object_get(order, "lines"), i, l)
	{
		if (ndjson_str(l, "sku") != NULL &&
		    strcmp(ndjson_str(l, "sku"), sku) == 0 &&
		    !json_is_true(json_object_get(l, "gift")))
			return json_integer_value(
			    json_object_get(l, "unit_price"));
	}
	return 0;
}

/* How many of each SKU came back, by the RMA: {sku: qty}. */
static json_t *
returned(json_t *ret)
{
	json_t *by = json_object(), *l;
	const char *sku;
	size_t i;

	json_array_foreach(json_object_get(ret, "lines"), i, l)
	{
		if ((sku = ndjson_str(l, "sku")) == NULL)
			continue;
		json_object_set_new(by, sku,
		    json_integer(
			json_integer_value(json_object_get(by, sku)) +
			json_integer_value(json_object_get(l, "qty"))));
	}
	return by;
}

static int
outcome_known(const char *s)
{
	size_t i;

	for (i = 0; s != NULL && i < NOUTCOMES; i++)
		if (strcmp(s, outcomes[i]) == 0)
			return 1;
	return 0;
}

/*
 * An inspection's lines as {sku: {outcome: qty}}, checked against what
 * came back (back, {sku: qty}): every unit of every SKU has one
 * outcome; a line without qty is the whole of its SKU.  NULL and why.
 */
static json_t *
tally(json_t *lines, json_t *back, char *why, size_t whylen)
{
	json_t *by = json_object(), *l, *o, *q;
	const char *sku, *outcome;
	json_int_t n, got;
	size_t i;

	if (json_array_size(lines) == 0) {
		snprintf(why, whylen, "no lines inspected");
		goto bad;
	}
	json_array_foreach(lines, i, l)
	{
		sku = ndjson_str(l, "sku");
		outcome = ndjson_str(l, "outcome");
		q = json_object_get(l, "qty");
		if (sku == NULL || !outcome_known(outcome)) {
			snprintf(why, whylen,
			    "line %zu: needs a sku and an outcome: "
			    "resellable, damaged or missing",
			    i + 1);
			goto bad;
		}
		if (json_object_get(back, sku) == NULL) {
			snprintf(
			    why, whylen, "SKU %s is not in the return", sku);
			goto bad;
		}
		n = q != NULL ? json_integer_value(q)
			      : json_integer_value(json_object_get(back, sku));
		if (n < 1) {
			snprintf(why, whylen, "line %zu: qty must be 1 or more",
			    i + 1);
			goto bad;
		}
		if ((o = json_object_get(by, sku)) == NULL)
			json_object_set_new(by, sku, o = json_object());
		json_object_set_new(o, outcome,
		    json_integer(
			json_integer_value(json_object_get(o, outcome)) + n));
	}
	json_object_foreach(back, sku, q)
	{
		got = 0;
		json_object_foreach(json_object_get(by, sku), outcome, o) got +=
		    json_integer_value(o);
		if (got != json_integer_value(q)) {
			snprintf(why, whylen,
			    "SKU %s: %lld came back, %lld inspected", sku,
			    (long long)json_integer_value(q), (long long)got);
			goto bad;
		}
	}
	return by;
bad:
	json_decref(by);
	return NULL;
}

static void
had_line(void *arg, const struct ledger_return_line *r)
{
	json_t *o;

	if ((o = json_object_get(arg, r->sku)) == NULL)
		json_object_set_new(arg, r->sku, o = json_object());
	json_object_set_new(o, r->outcome, json_integer(r->qty));
}

/*
 * The refund of a return: what came back (resellable or damaged; not
 * what is missing) at the order's prices, by its payment method; cash
 * on delivery is paid back by bank transfer, for which staff collect
 * the customer's bank details.  Once per RMA.
 */
static void
refund(struct aftercare *u, struct returns_tally *t, json_t *ret, json_t *order,
    json_t *lines)
{
	const char *rma = ndjson_str(ret, "rma");
	const char *source = ndjson_str(order, "source");
	const char *id = ndjson_str(order, "order_id");
	const char *pay =
	    ndjson_str(json_object_get(order, "payment"), "method");
	const char *tracking = ndjson_str(ret, "tracking");
	int cod = pay != NULL && strcmp(pay, "cod") == 0;
	const char *method;
	json_t *rec, *rl = json_array(), *l, *n, *d;
	json_int_t amount = 0, a;
	struct ledger_refund row;
	char key[96], reason[256];
	size_t i, len;
	char *text;

	json_array_foreach(lines, i, l)
	{
		if (strcmp(ndjson_str(l, "outcome"), "missing") == 0)
			continue;
		a = json_integer_value(json_object_get(l, "qty")) *
		    json_integer_value(json_object_get(l, "unit_price"));
		amount += a;
		json_array_append_new(
		    rl, json_pack("{s:O,s:O,s:O,s:I}", "sku",
			    json_object_get(l, "sku"), "qty",
			    json_object_get(l, "qty"), "unit_price",
			    json_object_get(l, "unit_price"), "amount",
			    (json_int_t)a));
	}
	if (amount <= 0) {
		json_decref(rl);
		return;
	}
	if (cod)
		method = "bank_transfer";
	else
		method = pay != NULL ? pay : "original";
	rec = json_pack("{s:s,s:s,s:s,s:s,s:I,s:O?,s:s,s:o,s:s}", "type",
	    "refund", "rma", rma, "source", source, "order_id", id, "amount",
	    amount, "currency", json_object_get(order, "currency"), "method",
	    method, "lines", rl, "status",
	    cod ? "awaiting_bank_details" : "issued");
	ndjson_set_time(rec, "created_at", u->now.t, u->cfg->tz);
	text = ndjson_dump(rec, &len);
	row = (struct ledger_refund){.rma = rma,
	    .source = source,
	    .order_id = id,
	    .amount = amount,
	    .currency = ndjson_str(order, "currency"),
	    .method = method,
	    .record = text,
	    .len = len};
	if (!ledger_refund_add(u->ledger, &row)) {
		free(text);
		json_decref(rec);
		return;
	}
	free(text);
	ledger_event(u->ledger, source, id, "refund", rma);
	json_array_append(u->out, rec);
	t->refunds++;
	snprintf(key, sizeof key, "refund_issued:%s", rma);
	n = aftercare_notice_new(
	    "refund_issued", key, source, id, tracking != NULL ? tracking : "");
	json_object_set_new(n, "rma", json_string(rma));
	json_object_set(n, "amount", json_object_get(rec, "amount"));
	json_object_set(n, "currency", json_object_get(rec, "currency"));
	json_object_set(n, "method", json_object_get(rec, "method"));
	json_object_set_new(n, "bank_transfer", json_boolean(cod));
	aftercare_notice(u, n);
	if (cod) {
		snprintf(reason, sizeof reason,
		    "refund of return %s, paid cash on delivery: ask the "
		    "customer for bank details and transfer it",
		    rma);
		d = aftercare_detail(u, order, "",
		    ndjson_str(order, "status") ? ndjson_str(order, "status")
						: "",
		    reason);
		json_object_set_new(d, "rma", json_string(rma));
		json_object_set(d, "amount", json_object_get(rec, "amount"));
		json_object_set(
		    d, "currency", json_object_get(rec, "currency"));
		snprintf(key, sizeof key, "collect_bank_details:%s", rma);
		tasks_open(
		    u, "collect_bank_details", key, source, id, "", 0, d);
	}
	json_decref(rec);
}

/*
 * Keep an inspection checked by tally() (by): its rows, the stock back
 * on the shelf, the RMA's record, and its output; then the refund.
 */
static void
record(struct aftercare *u, struct returns_tally *t, json_t *ret, json_t *order,
    json_t *by)
{
	const char *rma = ndjson_str(ret, "rma"), *sku, *outcome;
	json_t *lines = json_array(), *restocked = json_array(), *o, *q, *rec;
	struct ledger_return_line row;
	size_t i, len;
	char *text;

	json_object_foreach(by, sku, o)
	{
		for (i = 0; i < NOUTCOMES; i++) {
			outcome = outcomes[i];
			if ((q = json_object_get(o, outcome)) == NULL)
				continue;
			row.rma = rma;
			row.sku = sku;
			row.outcome = outcome;
			row.qty = json_integer_value(q);
			row.unit_price = unit_price(order, sku);
			ledger_return_line_add(u->ledger, &row);
			json_array_append_new(lines,
			    json_pack("{s:s,s:s,s:I,s:I}", "sku", sku,
				"outcome", outcome, "qty", (json_int_t)row.qty,
				"unit_price", (json_int_t)row.unit_price));
			if (i != 0 || !ledger_stock_adjust(u->ledger, sku,
					  row.qty, "return", rma, u->now.t))
				continue;
			json_array_append_new(
			    restocked, json_pack("{s:s,s:I}", "sku", sku, "qty",
					   (json_int_t)row.qty));
			t->restocked += (long)row.qty;
		}
	}
	json_object_set(ret, "inspection", lines);
	ndjson_set_time(ret, "inspected_at", u->now.t, u->cfg->tz);
	text = ndjson_dump(ret, &len);
	ledger_order_put(u->ledger, "rma", rma, ndjson_str(ret, "status"), text,
	    len, NULL, 0, 0);
	free(text);
	ledger_event(u->ledger, ndjson_str(ret, "source"),
	    ndjson_str(ret, "order_id"), "return.inspected", rma);
	rec = json_pack("{s:s,s:s,s:O,s:O,s:O,s:O,s:o}", "type", "inspection",
	    "rma", rma, "kind", json_object_get(ret, "kind"), "source",
	    json_object_get(ret, "source"), "order_id",
	    json_object_get(ret, "order_id"), "lines", lines, "restocked",
	    restocked);
	ndjson_set_time(rec, "inspected_at", u->now.t, u->cfg->tz);
	json_array_append_new(u->out, rec);
	t->inspected++;
	/* An exchange's customer had a replacement, not their money. */
	if (strcmp(ndjson_str(ret, "kind"), "return") == 0)
		refund(u, t, ret, order, lines);
	json_decref(lines);
}

/* One inspection, {rma, lines: [{sku, outcome, qty}]}: checked, kept. */
static void
inspect(struct aftercare *u, struct returns_tally *t, json_t *rec,
    const struct from *f)
{
	const char *rma = ndjson_str(rec, "rma");
	json_t *ret = NULL, *order = NULL, *back = NULL, *by = NULL, *had;
	enum status st;
	char why[512];

	if (rma == NULL) {
		aftercare_reject(u, f->file, f->line, f->raw, f->len, "no rma");
		return;
	}
	if ((ret = rma_record(u, rma, &st)) == NULL) {
		aftercare_reject(u, f->file, f->line, f->raw, f->len,
		    "%s: no such RMA", rma);
		return;
	}
	if (st != ST_RETURN_RECEIVED) {
		aftercare_reject(u, f->file, f->line, f->raw, f->len,
		    "%s: not received yet (status %s): --receive it first", rma,
		    status_name(st));
		goto out;
	}
	back = returned(ret);
	if ((by = tally(json_object_get(rec, "lines"), back, why,
		 sizeof why)) == NULL) {
		aftercare_reject(
		    u, f->file, f->line, f->raw, f->len, "%s: %s", rma, why);
		goto out;
	}
	had = json_object();
	if (ledger_return_lines(u->ledger, rma, had_line, had) > 0) {
		if (json_equal(had, by))
			t->again++;
		else
			aftercare_reject(u, f->file, f->line, f->raw, f->len,
			    "%s: inspected before, with other outcomes", rma);
		json_decref(had);
		goto out;
	}
	json_decref(had);
	if ((order = aftercare_order(u, ndjson_str(ret, "source"),
		 ndjson_str(ret, "order_id"))) == NULL) {
		aftercare_reject(u, f->file, f->line, f->raw, f->len,
		    "%s: its order's record cannot be read", rma);
		goto out;
	}
	record(u, t, ret, order, by);
out:
	json_decref(ret);
	json_decref(order);
	json_decref(back);
	json_decref(by);
}

/* SKU=OUTCOME[:QTY] as {sku, outcome, qty}; NULL if it is not that. */
static json_t *
parse_word(const char *w)
{
	const char *eq = strrchr(w, '='), *colon;
	char *outcome, *end;
	long long q = 0;
	json_t *l;

	if (eq == NULL || eq == w)
		return NULL;
	colon = strchr(eq, ':');
	if (colon != NULL) {
		q = strtoll(colon + 1, &end, 10);
		if (*end != '\0' || end == colon + 1 || q < 1)
			return NULL;
	}
	outcome = colon != NULL ? xstrndup(eq + 1, (size_t)(colon - eq - 1))
				: xstrdup(eq + 1);
	l = json_pack(
	    "{s:s%,s:s}", "sku", w, (size_t)(eq - w), "outcome", outcome);
	free(outcome);
	if (colon != NULL)
		json_object_set_new(l, "qty", json_integer(q));
	return l;
}

/* An inspection record read from stdin (type "inspection" or none). */
static void
inspect_line(
    void *arg, const char *file, long line, const char *text, size_t len)
{
	struct desk *d = arg;
	struct from f = {file, line, text, len};
	char why[256];
	json_t *j = ndjson_parse(text, len, why, sizeof why);
	const char *type = ndjson_str(j, "type");

	if (j == NULL)
		aftercare_reject(d->u, file, line, text, len, "%s", why);
	else if (type != NULL && strcmp(type, "inspection") != 0)
		aftercare_reject(d->u, file, line, text, len,
		    "a %s record, not an inspection", type);
	else
		inspect(d->u, d->t, j, &f);
	json_decref(j);
	aftercare_next(d->u);
}

void
returns_inspect(struct aftercare *u, struct returns_tally *t, const char *rma,
    char **words, size_t n)
{
	struct from f = {"--inspect", 1, rma, strlen(rma)};
	json_t *rec, *lines, *l;
	struct input *in;
	size_t i;

	if (strcmp(rma, "-") == 0) {
		struct desk d = {u, t};

		if ((in = input_open("-")) == NULL)
			err_exit_sys(EXIT_TROUBLE, "cannot open '-'");
		u->rejected += input_each(in, inspect_line, &d);
		input_close(in);
		return;
	}
	lines = json_array();
	for (i = 0; i < n; i++) {
		if ((l = parse_word(words[i])) == NULL) {
			aftercare_reject(u, "--inspect", (long)i + 2, words[i],
			    strlen(words[i]),
			    "'%s' is not SKU=OUTCOME or SKU=OUTCOME:QTY",
			    words[i]);
			json_decref(lines);
			return;
		}
		json_array_append_new(lines, l);
	}
	rec = json_pack("{s:s,s:o}", "rma", rma, "lines", lines);
	inspect(u, t, rec, &f);
	json_decref(rec);
	aftercare_next(u);
}
