/*
 * catalog: the product catalogue, a CSV file (fulfil.json(5), "catalog"):
 * sku, name, location, weight_g, length_mm, width_mm, height_mm,
 * handling, stock, and optional barcode, hs_code, origin_country and
 * customs_description (the customs declaration's, customs.h).
 *
 * catalog_load() reads every row.  A row that cannot be used (a location
 * outside the layout, a missing weight, a SKU listed twice) is reported
 * once as "file:line: SKU x: why" and kept with bad set, so that orders
 * needing it can say why they are set aside.  A file that cannot be read
 * or lacks a required column exits 2.
 *
 * catalog_index() adds what ingest-orders needs to find a SKU for a line
 * that has none (ingest.sku_from): the rows by name and by barcode.
 *
 * Ownership: everything hangs off the struct catalog; catalog_free().
 */
#ifndef FULFIL_CATALOG_H
#define FULFIL_CATALOG_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "config.h"

enum {
	HANDLE_FRAGILE = 1,
	HANDLE_UPRIGHT = 2,
	HANDLE_NOSTACK = 4,
	HANDLE_KEEPDRY = 8,
	HANDLE_N = 4
};

/* The names used in the catalog and in pick.handling, by bit. */
extern const char *const handling_names[HANDLE_N];
/* The bits of a JSON array of those names (pick.handling). */
unsigned handling_bits(const json_t *names);

struct item {
	char *sku;
	char *name;
	char *barcode;  /* as written, or NULL */
	char *location; /* as written, A03-12-2 */
	long line;      /* of the catalog file */
	int aisle, bay, level;
	int64_t weight_g; /* one unit */
	double volume_l;  /* one unit, from its dimensions */
	unsigned handling;
	int64_t stock;
	char *bad; /* why the row cannot be used, or NULL */
	/* Customs: each NULL when not given or not valid (then warn says). */
	char *hs_code;             /* 6 to 10 digits, dots dropped */
	char *origin_country;      /* ISO 3166-1 alpha-2 */
	char *customs_description; /* for a customs officer, English */
	char *warn;                /* a customs value left out, or NULL */
};

/* A folded name or barcode, and the row it is of. */
struct catalog_key {
	char *key;
	size_t item;
};

struct catalog {
	char *file;
	struct item *items; /* sorted by SKU */
	size_t n;
	size_t nbad; /* rows reported */
	/* catalog_index(): by folded name and barcode, sorted by key. */
	struct catalog_key *names, *barcodes;
	size_t nnames, nbarcodes;
};

struct catalog *catalog_load(const char *path, const struct layout *);
/*
 * The catalogue a tool works with: path (--catalog) if not NULL, else
 * the configuration's; with neither, exits 2 saying so.
 */
struct catalog *catalog_open(const struct config *, const char *path);
void catalog_free(struct catalog *);
/* The item with this SKU, or NULL. */
const struct item *catalog_find(const struct catalog *, const char *sku);

/* Index the rows by name and barcode, for the two lookups below. */
void catalog_index(struct catalog *);
/*
 * The rows whose name (or barcode) is this one once both are folded:
 * up to max of them, one per SKU, into out; returns how many SKUs match
 * (0, 1, or more).  Names compare ignoring ASCII case and runs of
 * blanks; barcodes ignoring blanks, hyphens, a spreadsheet's leading
 * apostrophe and, when all digits, leading zeros (UPC-A in EAN-13).
 */
size_t catalog_by_name(const struct catalog *, const char *name,
    const struct item **out, size_t max);
size_t catalog_by_barcode(const struct catalog *, const char *barcode,
    const struct item **out, size_t max);
/* s folded as those lookups fold it; the caller frees. */
char *catalog_fold_name(const char *s);
char *catalog_fold_barcode(const char *s);

#endif
