#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "country.h"
#include "csvin.h"
#include "err.h"
#include "ndjson.h"
#include "zones.h"

const char *const handling_names[HANDLE_N] = {
    "fragile", "upright", "no-stack", "keep-dry"};

unsigned
handling_bits(const json_t *names)
{
	const json_t *v;
	unsigned bits = 0;
	size_t i;
	int m;

	for (i = 0; i < json_array_size(names); i++) {
		v = json_array_get(names, i);
		for (m = 0; m < HANDLE_N; m++)
			if (json_is_string(v) && strcmp(json_string_value(v),
						     handling_names[m]) == 0)
				bits |= 1u << m;
	}
	return bits;
}

enum {
	C_SKU,
	C_NAME,
	C_LOC,
	C_WEIGHT,
	C_LEN,
	C_WID,
	C_HEI,
	C_HAND,
	C_STOCK,
	C_BARCODE,
	C_HS,
	C_ORIGIN,
	C_CUSTOMS,
	C_N
};

static const struct {
	const char *name;
	int required;
} columns[C_N] = {
    [C_SKU] = {"sku", 1},
    [C_NAME] = {"name", 0},
    [C_LOC] = {"location", 1},
    [C_WEIGHT] = {"weight_g", 1},
    [C_LEN] = {"length_mm", 1},
    [C_WID] = {"width_mm", 1},
    [C_HEI] = {"height_mm", 1},
    [C_HAND] = {"handling", 0},
    [C_STOCK] = {"stock", 1},
    [C_BARCODE] = {"barcode", 0},
    [C_HS] = {"hs_code", 0},
    [C_ORIGIN] = {"origin_country", 0},
    [C_CUSTOMS] = {"customs_description", 0},
};

/* A whole number from lo up; -1 if s is not one. */
static int64_t
number(const char *s, int64_t lo)
{
	char *end;
	long long v;

	while (isspace((unsigned char)*s))
		s++;
	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	while (isspace((unsigned char)*end))
		end++;
	if (errno != 0 || *end != '\0' || v < lo)
		return -1;
	return v;
}

/* Digits, up to max of them, into *v; where they end, or NULL. */
static const char *
digits(const char *s, int max, int *v)
{
	int n;

	for (n = 0, *v = 0; n < max && isdigit((unsigned char)s[n]); n++)
		*v = *v * 10 + (s[n] - '0');
	return n > 0 && !isdigit((unsigned char)s[n]) ? s + n : NULL;
}

/* Zone letter, aisle, bay, level: A03-12-2, nothing else. */
static int
location(const char *s, int *aisle, int *bay, int *level)
{
	if (!isalpha((unsigned char)*s))
		return -1;
	if ((s = digits(s + 1, 4, aisle)) == NULL || *s++ != '-' ||
	    (s = digits(s, 5, bay)) == NULL || *s++ != '-' ||
	    (s = digits(s, 3, level)) == NULL || *s != '\0')
		return -1;
	return 0;
}

static int
handling(const char *s, unsigned *bits)
{
	char buf[256], *tok, *save = NULL;
	int i;

	*bits = 0;
	if (strlen(s) >= sizeof buf)
		return -1;
	strcpy(buf, s);
	for (tok = strtok_r(buf, ";, ", &save); tok != NULL;
	     tok = strtok_r(NULL, ";, ", &save)) {
		for (i = 0; i < HANDLE_N; i++)
			if (strcasecmp(tok, handling_names[i]) == 0)
				break;
		if (i == HANDLE_N)
			return -1;
		*bits |= 1u << i;
	}
	return 0;
}

/* A field with the blanks around it dropped (in place). */
static const char *
field(const struct csvrow *row, const int *col, int c)
{
	char *f, *end;

	if (col[c] < 0 || (size_t)col[c] >= row->nf)
		return "";
	for (f = row->f[col[c]]; isspace((unsigned char)*f); f++)
		;
	for (end = f + strlen(f); end > f && isspace((unsigned char)end[-1]);)
		*--end = '\0';
	return f;
}

/*
 * The HS code as digits only ("0902.10" is 090210), or NULL with why
 * when it is not 6 to 10 digits: the first six are the Harmonized
 * System's, the rest a country's own.
 */
static char *
hs_code(const char *s)
{
	char *out = xmalloc(strlen(s) + 1), *o = out;

	for (; *s != '\0'; s++)
		if (isdigit((unsigned char)*s))
			*o++ = *s;
		else if (*s != '.' && *s != ' ')
			break;
	*o = '\0';
	if (*s != '\0' || o - out < 6 || o - out > 10) {
		free(out);
		return NULL;
	}
	return out;
}

/* Add why to the row's warnings. */
static void
warn(struct item *it, const char *why)
{
	char *s;

	xasprintf(
	    &s, "%s%s%s", it->warn ? it->warn : "", it->warn ? "; " : "", why);
	free(it->warn);
	it->warn = s;
}

/*
 * The customs columns, all optional.  A value that is wrong is left out
 * with a warning (it->warn) and the row stays usable: only parcels that
 * cross a border need them, and those say what is missing.
 */
static void
parse_customs(struct item *it, const struct csvrow *row, const int *col)
{
	const char *s;
	char *why;

	if (*(s = field(row, col, C_HS)) != '\0' &&
	    (it->hs_code = hs_code(s)) == NULL) {
		xasprintf(&why,
		    "hs_code '%s' is not 6 to 10 digits (dots allowed), left "
		    "out",
		    s);
		warn(it, why);
		free(why);
	}
	if (*(s = field(row, col, C_ORIGIN)) != '\0') {
		if (country_valid(s)) {
			it->origin_country = xstrdup(s);
		} else {
			xasprintf(&why,
			    "origin_country '%s' is not an ISO 3166-1 "
			    "alpha-2 code, left out",
			    s);
			warn(it, why);
			free(why);
		}
	}
	if (*(s = field(row, col, C_CUSTOMS)) != '\0')
		it->customs_description = xstrdup(s);
}

/* Fill it from the row; on a problem, set it->bad. */
static void
parse_row(struct item *it, const struct csvrow *row, const int *col,
    const struct layout *lay)
{
	const struct layout *z = lay;
	int64_t dim[3];
	int i;

	it->name = xstrdup(field(row, col, C_NAME));
	if (*field(row, col, C_BARCODE) != '\0')
		it->barcode = xstrdup(field(row, col, C_BARCODE));
	parse_customs(it, row, col);
	it->location = xstrdup(field(row, col, C_LOC));
	if (location(it->location, &it->aisle, &it->bay, &it->level) == -1) {
		xasprintf(&it->bad, "location '%s' is not like A03-12-2",
		    it->location);
		return;
	}
	/* The zone of its letter, in a layout of zones. */
	if (lay->nzones > 0 && (z = zones_of(lay, it->location[0])) == NULL) {
		xasprintf(&it->bad,
		    "location %s is in zone %c, which the layout does not "
		    "describe",
		    it->location, toupper((unsigned char)it->location[0]));
		return;
	}
	if (lay->aisles > 0 && (it->aisle < 1 || it->aisle > z->aisles ||
				   it->bay < 1 || it->bay > z->bays)) {
		xasprintf(&it->bad,
		    "location %s is outside the layout (aisles 1-%d, bays "
		    "1-%d)",
		    it->location, z->aisles, z->bays);
		return;
	}
	if ((it->weight_g = number(field(row, col, C_WEIGHT), 1)) == -1) {
		it->bad = xstrdup(
		    *field(row, col, C_WEIGHT) == '\0'
			? "missing weight_g"
			: "weight_g must be a whole number of grams above 0");
		return;
	}
	for (i = 0; i < 3; i++)
		if ((dim[i] = number(field(row, col, C_LEN + i), 1)) == -1) {
			xasprintf(&it->bad,
			    "%s must be a whole number of "
			    "millimetres above 0",
			    columns[C_LEN + i].name);
			return;
		}
	it->volume_l = (double)dim[0] * (double)dim[1] * (double)dim[2] / 1e6;
	if (handling(field(row, col, C_HAND), &it->handling) == -1) {
		xasprintf(&it->bad,
		    "handling '%s': use fragile, upright, no-stack, keep-dry",
		    field(row, col, C_HAND));
		return;
	}
	if ((it->stock = number(field(row, col, C_STOCK), 0)) == -1)
		it->bad = xstrdup("stock must be a whole number");
}

static int
by_sku(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	int c = strcmp(x->sku, y->sku);

	return c != 0 ? c : (x->line > y->line) - (x->line < y->line);
}

static int
by_line(const void *a, const void *b)
{
	const struct item *x = *(const struct item *const *)a;
	const struct item *y = *(const struct item *const *)b;

	return (x->line > y->line) - (x->line < y->line);
}

/*
 * One line per unusable row, in the file's order; a usable row with a
 * customs value left out is a warning, not counted as bad.
 */
static void
report(struct catalog *cat, const char *path)
{
	const struct item **v = xcalloc(cat->n + 1, sizeof *v);
	size_t i, n = 0;

	for (i = 0; i < cat->n; i++)
		if (cat->items[i].bad != NULL || cat->items[i].warn != NULL)
			v[n++] = &cat->items[i];
	qsort(v, n, sizeof *v, by_line);
	for (i = 0; i < n; i++)
		if (v[i]->bad != NULL) {
			err_line(path, v[i]->line, "SKU %s: %s", v[i]->sku,
			    v[i]->bad);
			cat->nbad++;
		} else {
			err_line(path, v[i]->line, "SKU %s: warning: %s",
			    v[i]->sku, v[i]->warn);
		}
	free(v);
}

struct catalog *
catalog_load(const char *path, const struct layout *lay)
{
	struct catalog *cat;
	struct input *in;
	struct csvin *csv;
	struct csvrow *row;
	char why[256];
	size_t cap = 0, i, j, k;
	int col[C_N], c, r;

	if ((in = input_open(path)) == NULL)
		err_exit_sys(EXIT_TROUBLE, "cannot open catalog '%s'", path);
	if ((csv = csvin_open(in, ',', why, sizeof why)) == NULL)
		err_exit(EXIT_TROUBLE, "catalog '%s': %s", path, why);
	for (c = 0; c < C_N; c++) {
		if ((col[c] = csvin_column(csv, columns[c].name)) ==
		    CSVIN_TWICE)
			err_exit(EXIT_TROUBLE,
			    "catalog '%s': column '%s' appears twice in the "
			    "header",
			    path, columns[c].name);
		if (col[c] == -1 && columns[c].required)
			err_exit(EXIT_TROUBLE, "catalog '%s': no column '%s'",
			    path, columns[c].name);
	}
	cat = xcalloc(1, sizeof *cat);
	cat->file = xstrdup(path);
	while ((r = csvin_next(csv, &row, why, sizeof why)) != CSVIN_EOF) {
		if (r == CSVIN_ERROR)
			err_exit(EXIT_TROUBLE, "catalog '%s': %s", path, why);
		if (r == CSVIN_BAD) {
			err_line(path, row->line, "%s", why);
			cat->nbad++;
			continue;
		}
		if (*field(row, col, C_SKU) == '\0') {
			err_line(path, row->line, "missing sku");
			cat->nbad++;
			continue;
		}
		xgrow(&cat->items, &cap, cat->n + 1, sizeof *cat->items);
		memset(&cat->items[cat->n], 0, sizeof cat->items[0]);
		cat->items[cat->n].sku = xstrdup(field(row, col, C_SKU));
		cat->items[cat->n].line = row->line;
		parse_row(&cat->items[cat->n], row, col, lay);
		cat->n++;
	}
	csvin_close(csv);
	input_close(in);
	if (cat->n > 0)
		qsort(cat->items, cat->n, sizeof *cat->items, by_sku);
	for (i = 0; i < cat->n; i = j) {
		for (j = i + 1; j < cat->n && strcmp(cat->items[i].sku,
						  cat->items[j].sku) == 0;
		     j++)
			;
		if (j - i == 1)
			continue;
		/* None of the rows can be trusted: all are set aside. */
		for (k = i; k < j; k++) {
			free(cat->items[k].bad);
			xasprintf(&cat->items[k].bad,
			    "listed %zu times (first on line %ld)", j - i,
			    cat->items[i].line);
		}
	}
	report(cat, path);
	return cat;
}

struct catalog *
catalog_open(const struct config *cfg, const char *path)
{
	if (path == NULL && (path = cfg->catalog) == NULL)
		err_exit(EXIT_TROUBLE,
		    "no catalog: give --catalog or set \"catalog\" in %s",
		    cfg->file);
	return catalog_load(path, &cfg->layout);
}

void
catalog_free(struct catalog *cat)
{
	size_t i;

	if (cat == NULL)
		return;
	for (i = 0; i < cat->n; i++) {
		free(cat->items[i].sku);
		free(cat->items[i].name);
		free(cat->items[i].barcode);
		free(cat->items[i].location);
		free(cat->items[i].bad);
		free(cat->items[i].warn);
		free(cat->items[i].hs_code);
		free(cat->items[i].origin_country);
		free(cat->items[i].customs_description);
	}
	free(cat->items);
	for (i = 0; i < cat->nnames; i++)
		free(cat->names[i].key);
	for (i = 0; i < cat->nbarcodes; i++)
		free(cat->barcodes[i].key);
	free(cat->names);
	free(cat->barcodes);
	free(cat->file);
	free(cat);
}

const struct item *
catalog_find(const struct catalog *cat, const char *sku)
{
	size_t lo = 0, hi = cat->n, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = strcmp(sku, cat->items[mid].sku)) == 0) {
			/* The first of equal SKUs. */
			while (mid > 0 &&
			       strcmp(sku, cat->items[mid - 1].sku) == 0)
				mid--;
			return &cat->items[mid];
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* A blank, ASCII or the ideographic space U+3000; its length, or 0. */
static size_t
blank_at(const char *s)
{
	if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		return 1;
	if ((unsigned char)s[0] == 0xe3 && (unsigned char)s[1] == 0x80 &&
	    (unsigned char)s[2] == 0x80)
		return 3;
	return 0;
}

char *
catalog_fold_name(const char *s)
{
	char *out = xmalloc(strlen(s) + 1), *o = out;
	size_t b;
	int gap = 0;

	while (*s != '\0') {
		if ((b = blank_at(s)) > 0) {
			gap = o > out;
			s += b;
			continue;
		}
		if (gap)
			*o++ = ' ';
		gap = 0;
		*o++ = (char)tolower((unsigned char)*s++);
	}
	*o = '\0';
	return out;
}

char *
catalog_fold_barcode(const char *s)
{
	char *out = xmalloc(strlen(s) + 1), *o = out, *p;
	size_t b;

	while ((b = blank_at(s)) > 0)
		s += b;
	if (*s == '\'')
		s++;
	for (; *s != '\0'; s++)
		if ((b = blank_at(s)) > 0)
			s += b - 1;
		else if (*s != '-')
			*o++ = (char)toupper((unsigned char)*s);
	*o = '\0';
	for (p = out; isdigit((unsigned char)*p); p++)
		;
	if (*p == '\0') {
		for (p = out; p[0] == '0' && p[1] != '\0'; p++)
			;
		memmove(out, p, strlen(p) + 1);
	}
	return out;
}

static int
by_key(const void *a, const void *b)
{
	const struct catalog_key *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c != 0 ? c : (x->item > y->item) - (x->item < y->item);
}

/* The index of one column: every row with a value, folded and sorted. */
static struct catalog_key *
index_of(const struct catalog *cat, int barcode, size_t *n)
{
	struct catalog_key *v = xcalloc(cat->n + 1, sizeof *v);
	const char *s;
	size_t i;

	*n = 0;
	for (i = 0; i < cat->n; i++) {
		s = barcode ? cat->items[i].barcode : cat->items[i].name;
		if (s == NULL)
			continue;
		v[*n].key =
		    barcode ? catalog_fold_barcode(s) : catalog_fold_name(s);
		if (v[*n].key[0] == '\0') {
			free(v[*n].key);
			continue;
		}
		v[(*n)++].item = i;
	}
	qsort(v, *n, sizeof *v, by_key);
	return v;
}

void
catalog_index(struct catalog *cat)
{
	if (cat->names != NULL)
		return;
	cat->names = index_of(cat, 0, &cat->nnames);
	cat->barcodes = index_of(cat, 1, &cat->nbarcodes);
}

/* The rows under key, one per SKU (rows are sorted by SKU). */
static size_t
lookup(const struct catalog *cat, const struct catalog_key *v, size_t n,
    const char *key, const struct item **out, size_t max)
{
	size_t lo = 0, hi = n, mid, k = 0;
	const struct item *it, *last = NULL;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(v[mid].key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < n && strcmp(v[lo].key, key) == 0; lo++) {
		it = &cat->items[v[lo].item];
		if (last != NULL && strcmp(last->sku, it->sku) == 0)
			continue;
		if (k < max)
			out[k] = it;
		last = it;
		k++;
	}
	return k;
}

size_t
catalog_by_name(const struct catalog *cat, const char *name,
    const struct item **out, size_t max)
{
	char *key = catalog_fold_name(name);
	size_t k = lookup(cat, cat->names, cat->nnames, key, out, max);

	free(key);
	return k;
}

size_t
catalog_by_barcode(const struct catalog *cat, const char *barcode,
    const struct item **out, size_t max)
{
	char *key = catalog_fold_barcode(barcode);
	size_t k = key[0] == '\0' ? 0
				  : lookup(cat, cat->barcodes, cat->nbarcodes,
					key, out, max);

	free(key);
	return k;
}
