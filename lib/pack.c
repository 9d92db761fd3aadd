#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog.h"
#include "err.h"
#include "labels.h"
#include "ledger.h"
#include "ledger_pack.h"
#include "ndjson.h"
#include "pack.h"
#include "slip.h"
#include "status.h"

/* Where the scan being handled came from, for the lines it makes. */
struct scan {
	const char *file;
	long line;
	const char *code;
};

void
pack_init(
    struct pack *p, struct labels *u, struct catalog *cat, const char *station)
{
	memset(p, 0, sizeof *p);
	p->u = u;
	p->cat = cat;
	p->station = station;
	p->bell = isatty(STDERR_FILENO);
	catalog_index(cat);
}

/*
 * A scanned code as it may be shown: a scanner can type anything, and
 * a terminal must not take it for a command.
 */
static char *
shown(const char *code)
{
	char *s = xstrndup(code, 64), *c;

	for (c = s; *c != '\0'; c++)
		if (iscntrl((unsigned char)*c))
			*c = '?';
	return s;
}

/* The scan kept in the ledger, with the open order, before it is said. */
static void
keep(
    struct pack *p, const struct scan *sc, const char *sku, const char *verdict)
{
	struct ledger_pack_scan s = {
	    p->station, p->source, p->id, sc->code, sku, verdict};

	ledger_begin(p->u->ledger);
	ledger_pack_scan_add(p->u->ledger, &s);
	ledger_commit(p->u->ledger);
}

/* A refused scan: kept, said on one line naming the scan, and a bell. */
static void __attribute__((format(printf, 5, 6)))
refuse(struct pack *p, const struct scan *sc, const char *sku,
    const char *verdict, const char *fmt, ...)
{
	char why[512];
	va_list ap;

	keep(p, sc, sku, verdict);
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	err_line(sc->file, sc->line, "%s%s", why, p->bell ? "\a" : "");
	p->refused++;
}

/* "left: 1 x TEA-1, 2 x POT-1" or "complete" into buf. */
static void
left(const struct pack *p, char *buf, size_t len)
{
	int64_t n = 0;
	size_t i, at;

	at = (size_t)snprintf(buf, len, "left:");
	for (i = 0; i < p->nlines; i++) {
		if (p->lines[i].boxed >= p->lines[i].qty)
			continue;
		if (at < len)
			at += (size_t)snprintf(buf + at, len - at,
			    "%s %" PRId64 " x %s", n > 0 ? "," : "",
			    p->lines[i].qty - p->lines[i].boxed,
			    p->lines[i].sku);
		n += p->lines[i].qty - p->lines[i].boxed;
	}
	if (n == 0)
		snprintf(buf, len, "complete");
}

/* How many items the open order's box holds. */
static int64_t
in_box(const struct pack *p)
{
	int64_t n = 0;
	size_t i;

	for (i = 0; i < p->nlines; i++)
		n += p->lines[i].boxed;
	return n;
}

/* Every line of the open order in the box. */
static int
full(const struct pack *p)
{
	size_t i;

	for (i = 0; i < p->nlines; i++)
		if (p->lines[i].boxed < p->lines[i].qty)
			return 0;
	return p->nlines > 0;
}

/* One line for the packer: the open order, what happened, what is left. */
static void
say(struct pack *p, const char *what)
{
	char rest[512];
	int64_t all = 0;
	size_t i;

	left(p, rest, sizeof rest);
	for (i = 0; i < p->nlines; i++)
		all += p->lines[i].qty;
	fprintf(stderr,
	    "%s: order %s: %s; %" PRId64 " of %" PRId64 " in the box; %s\n",
	    progname, p->id, what, in_box(p), all, rest);
}

static void
close_order(struct pack *p)
{
	size_t i;

	for (i = 0; i < p->nlines; i++)
		free(p->lines[i].sku);
	free(p->lines);
	free(p->source);
	free(p->id);
	p->lines = NULL;
	p->nlines = 0;
	p->source = p->id = NULL;
}

static struct pack_line *
line_of(struct pack *p, const char *sku)
{
	size_t i;

	for (i = 0; i < p->nlines; i++)
		if (strcmp(p->lines[i].sku, sku) == 0)
			return &p->lines[i];
	return NULL;
}

static void
boxed(void *arg, const char *sku, int64_t qty)
{
	struct pack_line *l = line_of(arg, sku);

	if (l != NULL)
		l->boxed = qty;
}

static enum status
status_of(struct pack *p, const char *source, const char *id)
{
	struct ledger_order lo = {0};
	enum status st;

	ledger_order_get(p->u->ledger, source, id, &lo);
	st = status_parse(lo.status);
	ledger_order_free(&lo);
	return st;
}

/*
 * The open order as the ledger has it now, since another station may
 * have packed into its box or labelled it: 1, or 0 when it is no longer
 * there to pack (refused, closed).
 */
static int
still_open(struct pack *p, const struct scan *sc)
{
	enum status st = status_of(p, p->source, p->id);
	size_t i;

	if (st != ST_PICKED) {
		refuse(p, sc, NULL, "refused",
		    "order %s is %s: nothing to pack", p->id, status_name(st));
		close_order(p);
		return 0;
	}
	for (i = 0; i < p->nlines; i++)
		p->lines[i].boxed = 0;
	ledger_pack_boxed(p->u->ledger, p->source, p->id, boxed, p);
	return 1;
}

/* The order's lines, a SKU once with its quantities summed. */
static void
load_lines(struct pack *p, json_t *j)
{
	const struct item *it;
	struct pack_line *l;
	const char *sku;
	json_t *v;
	size_t i;

	p->lines = xcalloc(
	    json_array_size(json_object_get(j, "lines")) + 1, sizeof *p->lines);
	json_array_foreach(json_object_get(j, "lines"), i, v)
	{
		if ((sku = ndjson_str(v, "sku")) == NULL)
			continue;
		if ((l = line_of(p, sku)) == NULL) {
			l = &p->lines[p->nlines++];
			l->sku = xstrdup(sku);
			it = catalog_find(p->cat, sku);
			l->name = it != NULL ? it->name : l->sku;
		}
		l->qty += json_integer_value(json_object_get(v, "qty"));
	}
	ledger_pack_boxed(p->u->ledger, p->source, p->id, boxed, p);
}

/*
 * The box is full: label the order as label(1) would, once.  A box
 * found full when its order is scanned (the run that filled it died
 * before the label) is labelled the same way.
 */
static void
complete(struct pack *p, const struct scan *sc)
{
	int rc;

	keep(p, sc, NULL, "complete");
	rc = labels_order(p->u, p->source, p->id);
	if (rc == -1) {
		err_line(sc->file, sc->line,
		    "order %s: packed, but not labelled (said above)%s", p->id,
		    p->bell ? "\a" : "");
		p->failed++;
	} else {
		fprintf(stderr, "%s: order %s: packed: %s\n", progname, p->id,
		    rc == 1 ? "label printed"
			    : "labelled before, not printed again");
		p->packed++;
	}
	close_order(p);
}

/*
 * An order or tote scanned: it is opened, with what its box holds.  The
 * order open before is left as it is, to be scanned again.
 */
static void
open_order(struct pack *p, const struct scan *sc, char *source, char *id)
{
	size_t len;
	char *rec;
	json_t *j;

	if (p->source != NULL &&
	    (strcmp(p->source, source) != 0 || strcmp(p->id, id) != 0)) {
		say(p, "left unfinished, scan it again to go on");
		p->unfinished++;
	}
	close_order(p);
	p->source = source;
	p->id = id;
	if (!still_open(p, sc))
		return;
	if ((rec = ledger_order_record(p->u->ledger, source, id, &len)) ==
		NULL ||
	    (j = ndjson_parse(rec, len, NULL, 0)) == NULL)
		err_exit(EXIT_TROUBLE,
		    "order %s: the ledger's record is not JSON", id);
	free(rec);
	load_lines(p, j);
	json_decref(j);
	keep(p, sc, NULL, "order");
	say(p, "open");
	if (full(p))
		complete(p, sc);
}

/* "T12": the order in tote 12, 1; -1 when the code is no tote's. */
static int
tote(struct pack *p, const char *code, char **source, char **id)
{
	int64_t n = 0, batches;
	const char *c;

	if (code[0] != 'T' || code[1] == '\0' || strlen(code) > 9)
		return -1;
	for (c = code + 1; *c != '\0'; c++) {
		if (!isdigit((unsigned char)*c))
			return -1;
		n = n * 10 + (*c - '0');
	}
	if (!ledger_pack_tote(
		p->u->ledger, status_name(ST_PICKED), n, source, id, &batches))
		return -1;
	/* Totes are numbered per cart: the newest cart's is the one here. */
	if (batches > 1)
		fprintf(stderr,
		    "%s: tote %s: %" PRId64 " picked orders were put in it, "
		    "the newest taken: scan the slip if it is not order %s\n",
		    progname, code, batches, *id);
	return 1;
}

/* The catalogue's item a code names, by SKU or by barcode, or NULL. */
static const struct item *
item_of(struct pack *p, const char *code, size_t *n)
{
	const struct item *it;

	*n = 1;
	if ((it = catalog_find(p->cat, code)) != NULL)
		return it;
	*n = catalog_by_barcode(p->cat, code, &it, 1);
	return *n == 1 ? it : NULL;
}

static void
item(struct pack *p, const struct scan *sc)
{
	const struct item *it;
	struct pack_line *l;
	char *c, what[256];
	size_t n;

	if (p->source != NULL && !still_open(p, sc))
		return;
	c = shown(sc->code);
	if ((it = item_of(p, sc->code, &n)) == NULL) {
		if (n > 1)
			refuse(p, sc, NULL, "unknown",
			    "barcode '%s' is %zu SKUs' in the catalog: scan "
			    "the SKU",
			    c, n);
		else if (p->source == NULL)
			refuse(p, sc, NULL, "unknown",
			    "unknown code '%s': scan an order or a tote first",
			    c);
		else
			refuse(p, sc, NULL, "unknown",
			    "unknown code '%s': not an item, order or tote", c);
	} else if (p->source == NULL)
		refuse(p, sc, it->sku, "wrong",
		    "item %s before an order: scan an order or a tote first",
		    it->sku);
	else if ((l = line_of(p, it->sku)) == NULL)
		refuse(p, sc, it->sku, "wrong",
		    "wrong item: %s (%s) is not in order %s: put it back",
		    it->sku, it->name, p->id);
	else if (l->boxed >= l->qty)
		refuse(p, sc, it->sku, "extra",
		    "extra item: order %s has all %" PRId64
		    " of %s in the box: take this one out",
		    p->id, l->qty, it->sku);
	else {
		keep(p, sc, it->sku, "item");
		l->boxed++;
		snprintf(what, sizeof what, "+ %s %s", it->sku, it->name);
		say(p, what);
		if (full(p))
			complete(p, sc);
	}
	free(c);
}

/* One scanned line. */
static void
scan(struct pack *p, struct scan *sc)
{
	char *source, *id;

	if (strcmp(sc->code, PACK_CANCEL) == 0) {
		if (p->source == NULL) {
			refuse(
			    p, sc, NULL, "refused", "no order open to cancel");
			return;
		}
		keep(p, sc, NULL, "cancel");
		if (in_box(p) == 0)
			fprintf(stderr, "%s: order %s: cancelled\n", progname,
			    p->id);
		else
			fprintf(stderr,
			    "%s: order %s: cancelled: take the %" PRId64
			    " item%s out of the box\n",
			    progname, p->id, in_box(p),
			    in_box(p) == 1 ? "" : "s");
		close_order(p);
		return;
	}
	if (slip_code_parse(sc->code, &source, &id) == 0) {
		if (status_of(p, source, id) != ST_NONE) {
			open_order(p, sc, source, id);
			return;
		}
		free(source);
		free(id);
	}
	if (tote(p, sc->code, &source, &id) == 1) {
		open_order(p, sc, source, id);
		return;
	}
	item(p, sc);
}

int
pack_run(struct pack *p, struct input *in)
{
	struct scan sc;
	ssize_t n;
	char *line, *s, *e;

	sc.file = input_name(in);
	while ((n = input_getline(in, &line)) != INPUT_EOF) {
		if (n == INPUT_ERROR)
			input_fail(in);
		if (n == INPUT_TOOLONG)
			continue;
		/* A scanner's suffix may be CR, TAB or a space. */
		for (s = line; isspace((unsigned char)*s); s++)
			;
		for (e = line + n; e > s && isspace((unsigned char)e[-1]); e--)
			;
		*e = '\0';
		if (*s == '\0' || strlen(s) != (size_t)(e - s))
			continue;
		sc.line = input_lineno(in);
		sc.code = s;
		scan(p, &sc);
		p->scans++;
	}
	if (p->source != NULL) {
		say(p, "left unfinished, scan it again to go on");
		p->unfinished++;
		close_order(p);
	}
	return p->refused > 0 || p->failed > 0 ? EXIT_REJECTS : EXIT_OK;
}

void
pack_summary(const struct pack *p)
{
	fprintf(stderr,
	    "%s: %ld scan%s, %ld order%s packed, %ld left unfinished, "
	    "%ld refused\n",
	    progname, p->scans, p->scans == 1 ? "" : "s", p->packed,
	    p->packed == 1 ? "" : "s", p->unfinished, p->refused);
}

void
pack_done(struct pack *p)
{
	close_order(p);
}
