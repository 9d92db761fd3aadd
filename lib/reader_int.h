/*
 * reader_int.h: the insides of the export readers, shared by reader.c
 * (grouping rows into orders), colmap.c (--map files and the conversions
 * they ask for) and the dialects, one file per shop's export (shopify.c,
 * amazon.c, woocommerce.c, etsy.c, taobao.c).  Nothing else includes it.
 *
 * A dialect is data first: which columns fill which canonical fields,
 * value tables that turn a shop's words into ours, defaults, the date
 * patterns and zone of its times.  Hooks do what a table cannot (split a
 * Taobao address, read a Shopify payment method).
 *
 * Values are read as text and converted in this order: trimmed, an
 * Excel guard ="..." unwrapped, a spreadsheet apostrophe dropped from a
 * phone or postcode, looked up in the field's value table, a time put in
 * RFC 3339 by the date patterns and zone, a country name made an ISO
 * 3166 code.  Money stays decimal text until the order's currency is
 * known.
 *
 * Ownership: the reader owns its groups, their values (g->val, copies)
 * and their JSON; hooks borrow everything they are handed.  A dialect is
 * static, or owned by the colmap it was built from.
 */
#ifndef FULFIL_READER_INT_H
#define FULFIL_READER_INT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "money.h"
#include "reader.h"

/* The canonical fields a column can fill; see fields[] in reader.c. */
enum {
	F_ORDER_ID,
	F_SOURCE,
	F_PLACED_AT,
	F_CURRENCY,
	F_CUSTOMER_NAME,
	F_CUSTOMER_EMAIL,
	F_CUSTOMER_PHONE,
	F_CUSTOMER_LOCALE,
	F_SHIP_TO_NAME,
	F_SHIP_TO_COMPANY,
	F_SHIP_TO_LINE1,
	F_SHIP_TO_LINE2,
	F_SHIP_TO_CITY,
	F_SHIP_TO_REGION,
	F_SHIP_TO_POSTCODE,
	F_SHIP_TO_COUNTRY,
	F_SHIP_TO_PHONE,
	F_SUBTOTAL,
	F_SHIPPING,
	F_TAX,
	F_DISCOUNT,
	F_TOTAL,
	F_PAYMENT_METHOD,
	F_PAYMENT_COD_AMOUNT,
	F_PAYMENT_STATUS,
	F_PAYMENT_OUTSTANDING,
	F_PAYMENT_REFUNDED,
	F_SERVICE,
	F_WINDOW_FROM,
	F_WINDOW_TO,
	F_PREF_PACKAGING,
	F_PREF_NOTE,
	F_SHIPPING_METHOD,
	F_FULFILLMENT_STATUS,
	F_CANCELLED_AT,
	F_STATUS,
	F_LINES_SKU,
	F_LINES_NAME,
	F_LINES_VARIANT,
	F_LINES_QTY,
	F_LINES_UNIT_PRICE,
	F_LINES_PRICE_TOTAL,
	F_LINES_FULFILMENT,
	F_LINES_SHIPPED_QTY,
	F_LINES_REFUNDED_QTY,
	NFIELDS
};

/* What a field is, beyond where it goes. */
enum {
	FL_LINE = 1,       /* one per row, into the row's line */
	FL_MONEY = 2,      /* decimal text in major units */
	FL_LINE_TOTAL = 4, /* the price of all the line's units */
	FL_TIME = 8,       /* a time: date patterns and zone apply */
	FL_COUNTRY = 16,   /* a country: names become codes */
	FL_PHONE = 32,     /* a phone: a spreadsheet apostrophe goes */
	FL_POSTCODE = 64,  /* so it does from a postcode */
	FL_INPUT = 128     /* read by the reader, not written */
};

struct field {
	const char *path;   /* as a map names it */
	const char *parent; /* NULL: a top-level field */
	const char *leaf;
	unsigned flags;
};

extern const struct field fields[NFIELDS];

/* The field a map names ("ship_to.postcode"), or -1. */
int field_index(const char *path);

/*
 * In a dialect's column names, '|' separates alternatives (the first
 * that is in the header and not blank in the row wins) and JOIN joins
 * columns with a space ("First" JOIN "Last").
 */
#define JOIN "\x1f"
#define MAXEXTRA 16

struct reader;
struct group;

struct dialect {
	const char *name;
	const char *source;
	int delim;
	const char *cols[NFIELDS];
	/* Value tables: {from, to, ..., NULL}; "*" matches any value. */
	const char *const *values[NFIELDS];
	const char *defaults[NFIELDS]; /* for a field absent or blank */
	const char *const *datefmt;    /* strptime patterns, NULL-ended */
	const char *tz;                /* zone of times without an offset */
	enum money_style style;
	const char *extra[MAXEXTRA]; /* more columns the hooks read */
	/*
	 * The second file of a joined export (--items), one row per line,
	 * joined to its order by the order id: its columns, and the extra
	 * ones its hook reads.  NULL name: one file.
	 */
	const char *items_name;
	const char *icols[NFIELDS];
	const char *iextra[MAXEXTRA];
	/*
	 * Per row (of the items file, for a joined export): NULL keeps the
	 * line; a reason moves it to the order's not_shipped list.
	 */
	const char *(*row)(struct reader *, struct group *, json_t *line);
	/* Per order, on its first row, once that row's values are in. */
	void (*order)(struct reader *, struct group *);
	/*
	 * Per order, once every line is in and placed (lines or
	 * not_shipped), before the order is built: may set g->bad.
	 */
	void (*done)(struct reader *, struct group *);
	/* Per file, once the header is known: a warning, or NULL. */
	const char *(*check)(struct reader *);
};

extern const struct dialect dialect_shopify, dialect_amazon,
    dialect_woocommerce, dialect_etsy, dialect_taobao;

/* A field's columns in a header: alternatives, or parts joined. */
struct colref {
	int idx[4];
	int n;
	int join;
};

struct group {
	int open;            /* rows are being added */
	char *val[NFIELDS];  /* order-level values, first row that has one */
	json_t *lines;       /* one object per row */
	json_t *not_shipped; /* rows with nothing to ship, and why */
	json_t *order;       /* built when the group is handed out */
	char *key;
	long line;
	char *raw;
	size_t rawlen, rawcap;
	int rows, dropped;
	char bad[200]; /* set: the order is rejected for this */
};

/* A CSV file being read: its columns, and the row at hand. */
struct src {
	struct csvin *csv;
	struct csvrow *row;
	struct colref col[NFIELDS];
	int xcol[MAXEXTRA];
};

/* The items file of a joined export, read whole: rows by order id. */
struct items;

struct reader {
	struct input *in;
	const struct config *cfg;
	const struct colmap *map;
	enum format fmt;
	const struct dialect *d;
	struct src main;
	struct src *cur; /* whose row the hooks read: main, or items */
	struct items *items;
	const char *source;
	struct group cur_g, out;
	int eof;
	char *pending_bad; /* a bad row to report next */
	long pending_line;
	char *pending_raw;
	char *warning; /* about the file, for the next record */
	int priced;    /* the export has prices */
};

/* The value of the row at hand in column col ("" if none). */
const char *reader_cell(const struct reader *, int col);
/* Its value in the dialect's extra column i (of the file at hand). */
const char *reader_extra(const struct reader *, int i);
/* 1 if s is empty or blanks. */
int reader_blank(const char *s);
/* Set an order-level value of the group (a copy of v; NULL clears). */
void reader_setval(struct group *, int f, const char *v);
/*
 * A shipping method's words to a service ("DHL Next Day" is express),
 * or NULL when the configuration's service_map or carriers know the
 * words as they are.
 */
const char *reader_guess_service(const struct config *, const char *method);

/*
 * Convert a value read for field f by the dialect's tables (see the top
 * of this file).  Returns v itself, a table's string, or buf; NULL with
 * why set when a time matches none of the date patterns.
 */
const char *convert_value(const struct dialect *, const struct config *, int f,
    const char *v, char *buf, size_t buflen, char *why, size_t whylen);

/* The dialect a map describes (owned by the map). */
const struct dialect *colmap_dialect(const struct colmap *);
/* The --items file named with the map, or NULL. */
const char *colmap_items(const struct colmap *);
/* 1 if the map maps columns (a --map), 0 if it only names --items. */
int colmap_has_columns(const struct colmap *);

#endif
