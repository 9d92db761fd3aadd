/*
 * The export readers of ingest-orders(1), before order_normalise():
 * which format a file is, told by its first line or named; NDJSON lines
 * as they are, blank lines skipped, bad ones reported; the Shopify
 * export (examples/shopify-orders.csv, tests/data/shopify-75.csv) and
 * the Amazon report (examples/amazon-unshipped.txt) mapped field by
 * field: rows grouped into orders, money in minor units of the order's
 * currency, payment, service and cancellation from their words, lines
 * with nothing to ship set apart or the order skipped; CSV through a
 * column map (examples/erp-map.json, tests/data/erp-map.csv) and the
 * map's own errors; bad rows, which take the order before them along.
 *
 * Small exports made for a case are written to a temporary directory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "err.h"
#include "ndjson.h"
#include "order.h"
#include "reader.h"
#include "tap.h"
#include "tjson.h"

static const struct config *cfg;
static char dir[] = "/tmp/test-reader-XXXXXX";
static char *made[64];
static size_t nmade;

/* Write text to name in the temporary directory; its path. */
static const char *
write_tmp(const char *name, const char *text)
{
	char *path;
	FILE *fp;

	xasprintf(&path, "%s/%s", dir, name);
	if ((fp = fopen(path, "wb")) == NULL || fputs(text, fp) == EOF ||
	    fclose(fp) != 0)
		err_exit_sys(2, "cannot write '%s'", path);
	if (nmade == sizeof made / sizeof made[0])
		err_exit(2, "more than %zu files", nmade);
	made[nmade++] = path;
	return path;
}

/* One input being read, and its last record. */
struct rd {
	struct input *in;
	struct colmap *map;
	struct reader *r;
	struct record rec;
	int got; /* what reader_next() said last */
	char why[256];
};

/*
 * Open path as fmt, with the map at mappath (or none) and source; NULL
 * reader with why set if it cannot be read.
 */
static struct reader *
open_as(struct rd *x, const char *path, enum format fmt, const char *mappath,
    const char *source)
{
	memset(x, 0, sizeof *x);
	if ((x->in = input_open(path)) == NULL)
		err_exit_sys(2, "cannot open '%s'", path);
	if (mappath != NULL &&
	    (x->map = colmap_load(mappath, x->why, sizeof x->why)) == NULL)
		err_exit(2, "map '%s': %s", mappath, x->why);
	x->r =
	    reader_open(x->in, fmt, x->map, cfg, source, x->why, sizeof x->why);
	return x->r;
}

/* Open a joined export: the orders at path, the items at items. */
static struct reader *
open_joined(struct rd *x, const char *path, enum format fmt, const char *items)
{
	memset(x, 0, sizeof *x);
	if ((x->in = input_open(path)) == NULL)
		err_exit_sys(2, "cannot open '%s'", path);
	x->map = items != NULL ? colmap_set_items(NULL, items) : NULL;
	x->r =
	    reader_open(x->in, fmt, x->map, cfg, NULL, x->why, sizeof x->why);
	return x->r;
}

/* The next record; the last one's order is released. */
static int
next(struct rd *x)
{
	json_decref(x->rec.order);
	x->got = reader_next(x->r, &x->rec);
	return x->got;
}

static void
shut(struct rd *x)
{
	json_decref(x->rec.order);
	reader_close(x->r);
	colmap_free(x->map);
	input_close(x->in);
	memset(x, 0, sizeof *x);
}

/* The next record is an order starting at line. */
static json_t *
order_at(struct rd *x, long line, const char *name)
{
	int r = next(x);

	if (!ok(r == READ_ORDER && x->rec.line == line,
		"%s: an order at "
		"line %ld",
		name, line)) {
		printf(
		    "#   got %d at line %ld: %s\n", r, x->rec.line, x->rec.why);
		return NULL;
	}
	return x->rec.order;
}

/*
 * The next record is an order starting at line, which the cases after
 * look into: no case of its own unless it is not.
 */
static json_t *
must_order(struct rd *x, long line, const char *name)
{
	int r = next(x);

	if (r == READ_ORDER && x->rec.line == line)
		return x->rec.order;
	ok(0, "%s: an order at line %ld", name, line);
	printf("#   got %d at line %ld: %s\n", r, x->rec.line, x->rec.why);
	return NULL;
}

/* The next record is r (READ_BAD, READ_SKIP) at line, why being want. */
static void
not_order(struct rd *x, int r, long line, const char *want, const char *name)
{
	int got = next(x);

	if (!ok(got == r && x->rec.line == line &&
		    strcmp(x->rec.why, want) == 0,
		"%s", name))
		printf("#   got %d at line %ld: '%s'\n#   want %d at line "
		       "%ld: '%s'\n",
		    got, x->rec.line, x->rec.why, r, line, want);
}

static void
test_formats(void)
{
	static const char *const names[] = {"auto", "ndjson", "csv", "shopify",
	    "amazon", "woocommerce", "etsy", "taobao"};
	enum format f;
	struct rd x;
	int i, good = 1;

	for (i = 0; i < 8; i++)
		good &= format_parse(names[i], &f) == 0 && (int)f == i;
	ok(good && format_parse("json", &f) == -1 &&
		format_parse("CSV", &f) == -1,
	    "format_parse: the eight names, no others");

	open_as(&x, "examples/shopify-orders.csv", FORMAT_AUTO, NULL, NULL);
	ok(x.r != NULL && next(&x) == READ_ORDER &&
		strcmp(order_source(x.rec.order), "shopify") == 0,
	    "a Shopify header tells itself");
	shut(&x);
	open_as(&x, "examples/amazon-unshipped.txt", FORMAT_AUTO, NULL, NULL);
	ok(x.r != NULL && next(&x) == READ_ORDER &&
		strcmp(order_source(x.rec.order), "amazon") == 0,
	    "an Amazon header tells itself");
	shut(&x);
	open_as(&x, write_tmp("lead.ndjson", "  {\"order_id\": \"1\"}\n"),
	    FORMAT_AUTO, NULL, NULL);
	ok(x.r != NULL && next(&x) == READ_ORDER &&
		strcmp(order_id(x.rec.order), "1") == 0,
	    "an object after blanks: NDJSON");
	shut(&x);
	open_as(&x, "examples/erp.csv", FORMAT_AUTO, NULL, NULL);
	ok(x.r == NULL && strcmp(x.why, "cannot tell the format: name it "
					"with -f, and give a column map "
					"for CSV") == 0,
	    "any other CSV: the format cannot be told");
	shut(&x);
	open_as(
	    &x, "examples/erp.csv", FORMAT_AUTO, "examples/erp-map.json", NULL);
	ok(x.r != NULL && next(&x) == READ_ORDER &&
		strcmp(order_source(x.rec.order), "erp") == 0,
	    "any other CSV with a map: read through it");
	shut(&x);
	open_as(&x, "examples/erp.csv", FORMAT_CSV, NULL, NULL);
	is_str(x.r == NULL ? x.why : "(opened)",
	    "CSV needs a column map (--map)", "-f csv without a map");
	shut(&x);
	open_as(
	    &x, "examples/amazon-unshipped.txt", FORMAT_SHOPIFY, NULL, NULL);
	is_str(x.r == NULL ? x.why : "(opened)",
	    "not a shopify: the header lacks the order, SKU or quantity "
	    "column",
	    "an Amazon report read as Shopify");
	shut(&x);
}

static void
test_ndjson(void)
{
	const char *p = write_tmp("orders.ndjson",
	    "{\"order_id\":1002,\"lines\":[{\"sku\":\"A\",\"qty\":\"2\"}]}\n"
	    "\n   \n"
	    "{\"order_id\":\"A-2\",\"x\":1}\r\n"
	    "{\"order_id\":\"Zhang\",\n"
	    "[1,2]\n"
	    "{\"order_id\":\"A-3\"}\n");
	json_t *o;
	struct rd x;

	open_as(&x, p, FORMAT_NDJSON, NULL, NULL);
	if ((o = must_order(&x, 1, "NDJSON")) != NULL)
		ok(strcmp(tjson_dump(o),
		       "{\"order_id\":1002,\"lines\":[{"
		       "\"sku\":\"A\",\"qty\":\"2\"}]}") == 0 &&
			x.rec.rawlen == strlen(x.rec.raw) &&
			strncmp(x.rec.raw, "{\"order_id\":1002,", 17) == 0 &&
			x.rec.header == NULL,
		    "a line as it is, unchecked; its raw text; no header");
	if (must_order(&x, 4, "after blank lines") != NULL)
		is_str(x.rec.raw, "{\"order_id\":\"A-2\",\"x\":1}",
		    "blank lines are no orders; a CR before the LF is no part "
		    "of the record");
	not_order(&x, READ_BAD, 5,
	    "invalid JSON at byte 20: string or '}' expected",
	    "broken JSON: where, not what (the text may be a customer's)");
	not_order(&x, READ_BAD, 6, "not a JSON object", "an array is no order");
	order_at(&x, 7, "reading goes on after bad lines");
	ok(next(&x) == READ_EOF && next(&x) == READ_EOF,
	    "then the end, and it stays the end");
	shut(&x);
}

/* examples/shopify-orders.csv, the 79-column export. */
static void
test_shopify(void)
{
	const char *region;
	struct rd x;
	json_t *o;

	open_as(&x, "examples/shopify-orders.csv", FORMAT_SHOPIFY, NULL, NULL);
	if ((o = must_order(&x, 2, "Shopify #1001")) != NULL) {
		is_json(o, "order_id", "'1001'", "#1001: the Name without #");
		ok(x.rec.header != NULL &&
			strncmp(x.rec.header, "Name,Email,", 11) == 0 &&
			strncmp(x.rec.raw, "#1001,", 6) == 0 &&
			strstr(x.rec.raw, "\n#1001,") != NULL &&
			strstr(x.rec.raw, "\n#1002") == NULL,
		    "#1001: its raw text is its three rows; the header");
		is_json(o, "customer",
		    "{'name':'王芳','email':'wang.fang@example.com',"
		    "'phone':'138 0013 8000'}",
		    "#1001: the customer from the billing name, the email and "
		    "the billing phone (Phone is blank: the next column)");
		is_json(o, "ship_to",
		    "{'name':'王芳','line1':'浦东新区张江路100号',"
		    "'line2':'3号楼1202室','city':'上海市','region':'Shanghai',"
		    "'postcode':'201203','country':'CN','phone':'138 0013 "
		    "8000'}",
		    "#1001: ship_to from the shipping columns, the province's "
		    "name");
		is_json(o, "lines",
		    "[{'sku':'TEA-LJ-250','name':'Longjing green tea 250 g',"
		    "'qty':'2','unit_price':12800},"
		    "{'sku':'CUP-CEL-6','name':'Celadon cups set of 6',"
		    "'qty':'1','unit_price':16800},"
		    "{'sku':'FLT-SS-1','name':'Steel tea strainer','qty':'1',"
		    "'unit_price':1900}]",
		    "#1001: a line per row, prices in fen");
		ok(strstr(tjson_dump(o),
		       "\"subtotal\":44300,\"shipping\":0,\"tax\":0,"
		       "\"discount\":0,\"total\":44300,\"payment\":{"
		       "\"method\":\"prepaid\",\"status\":\"paid\"},"
		       "\"service\":\"standard\",\"shipping_method\":"
		       "\"Standard Shipping\",\"fulfillment_status\":"
		       "\"unfulfilled\"}") != NULL,
		    "#1001: amounts in fen, prepaid, standard, in canonical "
		    "order");
	}
	if ((o = must_order(&x, 5, "Shopify #1002")) != NULL) {
		is_json(o, "payment", "{'method':'cod','status':'pending'}",
		    "#1002: Cash on Delivery (COD) is cod, the amount left to "
		    "the total; its money is pending, as COD's is");
		is_json(o, "service", "'Express Shipping'",
		    "#1002: a method the service_map knows is left for it");
	}
	if ((o = must_order(&x, 7, "Shopify #1003")) != NULL)
		is_json(o, "status", "'cancelled'", "#1003: voided: cancelled");
	if ((o = must_order(&x, 8, "Shopify #1004")) != NULL)
		is_json(o, "preferences",
		    "{'note':'请在工作日送货。\\n门卫处代收也可以。\\nPlease "
		    "call before delivery.'}",
		    "#1004: a note over three lines");
	if ((o = must_order(&x, 11, "Shopify #1005")) != NULL) {
		ok(strcmp(json_string_value(tjson_at(o, "currency")), "USD") ==
			    0 &&
			json_integer_value(tjson_at(o, "shipping")) == 1500 &&
			json_integer_value(tjson_at(o, "total")) == 9800,
		    "#1005: in dollars, in cents");
	}
	if ((o = must_order(&x, 13, "Shopify #1006")) != NULL) {
		is_json(o, "lines",
		    "[{'sku':'TEA-TGY-100','name':'Tieguanyin oolong 100 g',"
		    "'qty':'2','unit_price':1250}]",
		    "#1006: the gift card is not a line");
		is_json(o, "not_shipped",
		    "[{'sku':'GC-25','name':'Gift card 25','qty':1,"
		    "'reason':'needs no shipping'}]",
		    "#1006: it is kept in not_shipped, why, without its price");
	}
	ok(next(&x) == READ_EOF, "six orders in the export");
	shut(&x);

	/* The 75-column export, after a BOM; its province names are blank. */
	open_as(&x, "tests/data/shopify-75.csv", FORMAT_SHOPIFY, NULL, "s75");
	if ((o = must_order(&x, 2, "Shopify, 75 columns")) != NULL) {
		/*
		 * Shipping Province Name is in this header, but blank: the
		 * province's code is all the row has.
		 */
		region = json_string_value(tjson_at(o, "ship_to.region"));
		ok(region != NULL && strcmp(region, "JP-13") == 0,
		    "a blank Shipping Province Name: Shipping Province, JP-13 "
		    "(the first alternative not blank wins)");
		is_json(o, "lines.1.unit_price", "1200",
		    "1200.00 yen is 1200: zeros beyond the exponent are fine");
		is_json(o, "source", "'s75'", "a source given wins");
	}
	if ((o = must_order(&x, 4, "Shopify #2002")) != NULL)
		is_json(o, "not_shipped.0",
		    "{'sku':'FLT-SS-1','name':'Already sent','qty':1,"
		    "'reason':'fulfilled'}",
		    "#2002: a line fulfilled already is set apart");
	shut(&x);
}

/* A short Shopify export, columns found by name. */
#define SHOPIFY_HEAD                                                           \
	"Lineitem sku,Name,Currency,Total,Shipping Method,Lineitem "           \
	"quantity,Lineitem price,Lineitem requires shipping,Financial "        \
	"Status,Cancelled at,Payment Method,Shipping Street\n"

static void
test_shopify_words(void)
{
	const char *p = write_tmp("words.csv", SHOPIFY_HEAD
	    "A,#1,,12.00,DHL Next Day,1,12.00,true,paid,,cod,1 Road\n"
	    "A,#2,JPY,1200,Timed delivery,1,1200,true,refunded,,,\n"
	    "A,#3,,10.00,,1,10.00,true,paid,2026-11-23,,\n"
	    "GC,#4,,50.00,Free shipping,1,50.00,false,paid,,,\n"
	    "A,#5,KWD,1.5,express,1,1.5,true,paid,,,\n"
	    "A,#6,JPY,1200.5,,1,1200.5,true,paid,,,\n"
	    "A,#7,XYZ,12.00,,1,12.00,true,paid,,,\n");
	struct rd x;
	json_t *o;

	open_as(&x, p, FORMAT_AUTO, NULL, NULL);
	if ((o = must_order(&x, 2, "#1")) != NULL) {
		is_json(o, "service", "'express'", "DHL Next Day: express");
		ok(strcmp(tjson_dump(tjson_at(o, "payment")),
		       "{\"method\":\"cod\",\"status\":\"paid\"}") == 0 &&
			json_integer_value(tjson_at(o, "total")) == 1200 &&
			strcmp(json_string_value(tjson_at(o, "currency")),
			    "CNY") == 0,
		    "#1: cod; no currency: the warehouse's, in fen");
		is_json(o, "ship_to", "{'line1':'1 Road'}",
		    "#1: Shipping Street when there is no Address1");
	}
	if ((o = must_order(&x, 3, "#2")) != NULL)
		ok(strcmp(order_status(o), "cancelled") == 0 &&
			strcmp(json_string_value(tjson_at(o, "service")),
			    "scheduled") == 0 &&
			json_integer_value(tjson_at(o, "total")) == 1200,
		    "#2: refunded is cancelled; timed delivery is scheduled; "
		    "yen");
	if ((o = must_order(&x, 4, "#3")) != NULL)
		ok(strcmp(order_status(o), "cancelled") == 0 &&
			strcmp(json_string_value(tjson_at(o, "service")),
			    "standard") == 0,
		    "#3: Cancelled at is cancelled; no method is standard");
	not_order(&x, READ_SKIP, 5,
	    "nothing to ship: every line is fulfilled, refunded or needs no "
	    "shipping",
	    "#4: a gift card alone is skipped");
	ok(x.rec.order != NULL &&
		json_array_size(tjson_at(x.rec.order, "lines")) == 0 &&
		json_array_size(tjson_at(x.rec.order, "not_shipped")) == 1,
	    "#4: ... handed over for the record, its line in not_shipped");
	if ((o = must_order(&x, 6, "#5")) != NULL)
		ok(json_integer_value(tjson_at(o, "total")) == 1500 &&
			strcmp(json_string_value(tjson_at(o, "service")),
			    "express") == 0,
		    "#5: 1.5 dinar is 1500 fils; a service of the "
		    "configuration is kept");
	not_order(&x, READ_BAD, 7,
	    "total: more decimals than the currency allows",
	    "#6: 1200.5 yen: bad, naming the field");
	if ((o = must_order(&x, 8, "#7")) != NULL)
		is_json(o, "total", "'12.00'",
		    "#7: an unknown currency: amounts left as text for "
		    "order_normalise to reject");
	shut(&x);

	p = write_tmp("twice.csv", "Name,Lineitem quantity,Lineitem sku,"
				   "lineitem SKU \n#1,1,A,A\n");
	open_as(&x, p, FORMAT_AUTO, NULL, NULL);
	is_str(x.r == NULL ? x.why : "(opened)",
	    "column 'Lineitem sku' appears twice in the header",
	    "a column read twice in the header: the file is not read");
	shut(&x);
}

/* examples/amazon-unshipped.txt */
static void
test_amazon(void)
{
	struct rd x;
	json_t *o;

	open_as(&x, "examples/amazon-unshipped.txt", FORMAT_AMAZON, NULL, NULL);
	if ((o = must_order(&x, 2, "Amazon 503-1111111-1111111")) != NULL) {
		is_json(o, "lines",
		    "[{'sku':'TEA-1','name':'Longjing 250 g','qty':'2',"
		    "'unit_price':12800},{'sku':'POT-1','name':'12\\\" bamboo "
		    "tray','qty':'1','unit_price':9990}]",
		    "two rows, one order; item-price for all units divided");
		is_json(o, "ship_to",
		    "{'name':'陈杰','line1':'徐汇区漕溪北路1号',"
		    "'line2':'5楼, A座','city':'上海市','region':'上海市',"
		    "'postcode':'200030','country':'CN',"
		    "'phone':'13911112222'}",
		    "ship_to; address line 3 joins line 2");
		is_json(o, "customer",
		    "{'name':'Chen Jie','email':'a1@marketplace.example',"
		    "'phone':'13911112222'}",
		    "the buyer is the customer");
		ok(strcmp(order_id(o), "503-1111111-1111111") == 0 &&
			strcmp(order_source(o), "amazon") == 0 &&
			strcmp(json_string_value(tjson_at(o, "placed_at")),
			    "2026-11-23T01:10:00+00:00") == 0 &&
			strcmp(json_string_value(tjson_at(o, "service")),
			    "Standard") == 0,
		    "id, source amazon, purchase date; Standard, a service of "
		    "the configuration, kept");
	}
	if ((o = must_order(&x, 4, "Amazon 503-2222222-2222222")) != NULL) {
		is_json(o, "lines.0",
		    "{'sku':'BOOK-1','name':'The book of tea','qty':'2',"
		    "'ordered_qty':3,'unit_price':4500}",
		    "2 of 3 left to ship: qty 2 of 3 ordered, 135.00 for 3 is "
		    "45.00 each");
		is_json(o, "not_shipped",
		    "[{'sku':'BOOK-1','name':'The book of tea','qty':1,"
		    "'reason':'fulfilled'}]",
		    "the unit sent is kept in not_shipped");
		is_json(o, "payment", "{'method':'cod','cod_amount':9000}",
		    "COD with the amount to collect");
		is_json(o, "service", "'express'", "Expedited is express");
	}
	if ((o = must_order(&x, 5, "Amazon 503-3333333-3333333")) != NULL)
		is_json(o, "delivery_window",
		    "{'from':'2026-11-27T10:00:00+08:00',"
		    "'to':'2026-11-27T12:00:00+08:00'}",
		    "a scheduled delivery's window");
	shut(&x);
}

#define AMAZON_HEAD                                                            \
	"order-id\tpurchase-date\tsku\tquantity-purchased\tquantity-to-"       \
	"ship\titem-price\tcurrency\n"

static void
test_amazon_rows(void)
{
	const char *p = write_tmp("az.txt",
	    AMAZON_HEAD "1\t2026-11-23\tA\t2\t0\t20.00\tCNY\n"
			"1\t2026-11-23\tB\t1\t1\t5.00\tCNY\n"
			"2\t2026-11-23\tA\t1\t0\t10.00\tCNY\n"
			"3\t2026-11-23\tA\t3\t\t10.00\tCNY\n"
			"4\t2026-11-23\tA\t1\t1\t10.00\tCNY\n");
	struct rd x;
	json_t *o;

	open_as(&x, p, FORMAT_AUTO, NULL, NULL);
	if ((o = must_order(&x, 2, "Amazon, a row shipped")) != NULL) {
		is_json(o, "lines", "[{'sku':'B','qty':'1','unit_price':500}]",
		    "a row with nothing left to ship is no line");
		is_json(o, "not_shipped",
		    "[{'sku':'A','qty':2,'reason':'fulfilled'}]",
		    "it is kept in not_shipped with the units bought");
	}
	not_order(&x, READ_SKIP, 4,
	    "nothing to ship: every line is fulfilled, refunded or needs no "
	    "shipping",
	    "an order shipped already is skipped");
	not_order(&x, READ_BAD, 5,
	    "lines[0]: price_total does not divide by qty",
	    "10.00 for 3 units: no price for each");
	order_at(&x, 6, "the order after it is read");
	shut(&x);
}

/* examples/erp.csv through its map, as JSON and as CSV. */
static void
test_mapped(void)
{
	struct rd x, y;
	json_t *o;
	int same = 1, r;

	open_as(
	    &x, "examples/erp.csv", FORMAT_CSV, "examples/erp-map.json", NULL);
	if ((o = must_order(&x, 2, "ERP DE-1")) != NULL)
		is_json(o, "",
		    "{'order_id':'DE-1','source':'erp',"
		    "'placed_at':'2026-11-23T08:00:00+01:00','currency':'CNY',"
		    "'ship_to':{'name':'Anna Schmidt','line1':'Hauptstr. 5',"
		    "'city':'Berlin','postcode':'10115','country':'DE'},"
		    "'lines':[{'sku':'TEA-1','qty':'2','unit_price':123450}],"
		    "'total':246900,'payment':{'method':'prepaid'},"
		    "'service':'standard'}",
		    "DE-1 field by field: 1.234,50 is 123450; the map's "
		    "source; columns it does not map are not read; the time "
		    "in RFC 3339");
	if ((o = must_order(&x, 3, "ERP DE-2")) != NULL)
		is_json(o, "lines",
		    "[{'sku':'TEA-2','qty':'1','unit_price':1200},"
		    "{'sku':'POT-1','qty':'2','unit_price':1200}]",
		    "DE-2: two rows, two lines");
	shut(&x);

	open_as(
	    &x, "examples/erp.csv", FORMAT_CSV, "examples/erp-map.json", NULL);
	open_as(
	    &y, "examples/erp.csv", FORMAT_CSV, "tests/data/erp-map.csv", NULL);
	while ((r = next(&x)) != READ_EOF)
		same &= r == next(&y) && json_equal(x.rec.order, y.rec.order);
	ok(same && next(&y) == READ_EOF,
	    "a map as CSV reads the same orders as the map as JSON");
	shut(&x);
	shut(&y);
}

/* Maps: options, and what is wrong with one. */
static void
test_maps(void)
{
	static const struct {
		const char *file, *text, *why;
	} bad[] = {
	    {"m1.json",
		"{\"columns\": {\"order_id\": \"A\", \"lines.sku\": \"B\", "
		"\"lines.qty\": \"C\", \"colour\": \"D\"}}",
		"columns.colour: unknown field"},
	    {"m2.json", "{\"columns\": {\"order_id\": \"A\"}}",
		"order_id, lines.sku and lines.qty must be mapped"},
	    {"m3.json",
		"{\"number_format\": \"us\", \"columns\": {\"order_id\": "
		"\"A\", \"lines.sku\": \"B\", \"lines.qty\": \"C\"}}",
		"number_format: unknown style 'us' (plain, en, eu, sp, ch)"},
	    {"m4.json",
		"{\"delimiter\": \";;\", \"columns\": {\"order_id\": \"A\", "
		"\"lines.sku\": \"B\", \"lines.qty\": \"C\"}}",
		"delimiter: must be one character or \"tab\""},
	    {"m5.json", "[\"order_id\"]", "must be a JSON object"},
	    {"m6.json", "{\"columns\": {\n\"order_id\" \"A\"}}",
		"2:14: ':' expected near '\"A\"'"},
	    {"m7.csv", "name,value\norder_id,A\n",
		"the header must be field,column"},
	    {"m8.csv", "field,column\norder_id,A\ncolor,B\n",
		"line 3: unknown field 'color'"},
	};
	struct colmap *m;
	char why[256];
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		strcpy(why, "(none)");
		m = colmap_load(
		    write_tmp(bad[i].file, bad[i].text), why, sizeof why);
		if (!ok(m == NULL && strcmp(why, bad[i].why) == 0, "map %s: %s",
			bad[i].file, bad[i].why))
			printf("#   got '%s'\n", why);
		colmap_free(m);
	}
}

static void
test_map_options(void)
{
	const char *map = write_tmp("tab.json",
	    "{\"delimiter\": \"tab\", \"number_format\": \"ch\", \"columns\": "
	    "{\"order_id\": \"Id\", \"lines.sku\": \"Sku\", \"lines.qty\": "
	    "\"N\", \"lines.price_total\": \"Sum\", \"currency\": \"Cur\"}}");
	const char *plain = write_tmp("plain.json",
	    "{\"columns\": {\"order_id\": \"Id\", \"lines.sku\": \"Sku\", "
	    "\"lines.qty\": \"N\", \"lines.unit_price\": \"Price\"}}");
	struct rd x;
	json_t *o;

	open_as(&x,
	    write_tmp("tab.tsv", "Id\tSku\tN\tSum\tCur\n"
				 "T1\tA\t4\t1'000.00\tchf\n"),
	    FORMAT_CSV, map, NULL);
	if ((o = must_order(&x, 2, "tab-separated, Swiss numbers")) != NULL)
		ok(strcmp(tjson_dump(tjson_at(o, "lines")),
		       "[{\"sku\":\"A\",\"qty\":\"4\",\"unit_price\":25000}"
		       "]") == 0 &&
			strcmp(order_source(o), "csv") == 0,
		    "a price for all units, 1'000.00 francs for 4; chf read as "
		    "CHF; source csv when the map names none");
	shut(&x);

	open_as(&x,
	    write_tmp("plain.csv", "Id,Sku,N,Price\n"
				   "P1,A,1,\"1,234.50\"\n"
				   "P2,A,1,12.5\n"),
	    FORMAT_CSV, plain, "shop");
	not_order(&x, READ_BAD, 2,
	    "lines[0].unit_price: digit grouping not allowed (see "
	    "number_format)",
	    "1,234.50 in the plain format: bad, naming the line's field");
	if ((o = order_at(&x, 3, "the next order")) != NULL)
		ok(json_integer_value(tjson_at(o, "lines.0.unit_price")) ==
			    1250 &&
			strcmp(order_source(o), "shop") == 0,
		    "12.5 is 1250; the source given");
	shut(&x);

	open_as(&x, write_tmp("nope.csv", "Id,Sku,Qty\nP1,A,1\n"), FORMAT_CSV,
	    plain, NULL);
	is_str(x.r == NULL ? x.why : "(opened)",
	    "no column 'N' (mapped to lines.qty)",
	    "a mapped column the file lacks: not read");
	shut(&x);
}

/*
 * A malformed row cannot say which order it belongs to: the order
 * before it is set aside, and the rest of that order after it too.
 */
static void
test_bad_rows(void)
{
	const char *map = write_tmp("bad-map.json",
	    "{\"columns\": {\"order_id\": \"Id\", \"lines.sku\": \"Sku\", "
	    "\"lines.qty\": \"N\"}}");
	const char *p = write_tmp("bad.csv", "Id,Sku,N\n"
					     "B1,A,1\n"
					     "B2,A,1\n"
					     "B2,B,\"2\"x\n"
					     "B2,C,3\n"
					     "B3,A,1\n"
					     "B1,A,1\n");
	struct rd x;

	open_as(&x, p, FORMAT_CSV, map, NULL);
	must_order(&x, 2, "the order before the order with a bad row");
	not_order(&x, READ_BAD, 3,
	    "set aside: the malformed row after it (line 4) may be part of it",
	    "the order before a malformed row is set aside");
	ok(x.rec.order != NULL && strcmp(order_id(x.rec.order), "B2") == 0 &&
		strcmp(x.rec.raw, "B2,A,1") == 0,
	    "... with its id and its raw row");
	not_order(&x, READ_BAD, 4, "malformed quoted field",
	    "the malformed row itself");
	ok(x.rec.order == NULL && strcmp(x.rec.raw, "B2,B,\"2\"x") == 0 &&
		strcmp(x.rec.header, "Id,Sku,N") == 0,
	    "... with no order, its raw text and the header");
	not_order(&x, READ_BAD, 5,
	    "set aside: part of an order with a "
	    "malformed row",
	    "the rest of that order after it is set aside too");
	order_at(&x, 6, "the next order is read");
	if (order_at(&x, 7, "the same id again, not next to its rows"))
		ok(strcmp(order_id(x.rec.order), "B1") == 0 &&
			json_array_size(tjson_at(x.rec.order, "lines")) == 1,
		    "rows of an id apart make an order each");
	ok(next(&x) == READ_EOF, "the end");
	shut(&x);
}

/*
 * What a Shopify export says about money and fulfilment
 * (tests/data/shopify-states.csv): payment, order and line fulfilment,
 * refunds matched to lines, cancellations and returns.
 */
static void
test_shopify_states(void)
{
	struct rd x;
	json_t *o;

	open_as(&x, "tests/data/shopify-states.csv", FORMAT_AUTO, NULL, NULL);
	if ((o = must_order(&x, 2, "#3001")) != NULL)
		is_json(o, "payment",
		    "{'method':'prepaid','status':'pending','outstanding':"
		    "2400}",
		    "#3001: a bank deposit not yet paid: pending, 24.00 "
		    "outstanding");
	if ((o = must_order(&x, 3, "#3002")) != NULL)
		is_json(o, "payment",
		    "{'method':'prepaid','status':'partially_paid',"
		    "'outstanding':5000}",
		    "#3002: partially paid, 50.00 outstanding");
	if ((o = must_order(&x, 4, "#3003")) != NULL)
		is_json(
		    o, "payment.status", "'authorized'", "#3003: authorized");
	not_order(&x, READ_SKIP, 5,
	    "nothing to ship: every line is fulfilled, refunded or needs no "
	    "shipping",
	    "#3004: the order says fulfilled: nothing to ship, whatever its "
	    "lines say");
	if (x.rec.order != NULL) {
		is_json(x.rec.order, "not_shipped",
		    "[{'sku':'TEA-2','name':'Tieguanyin oolong 100 g','qty':1,"
		    "'reason':'fulfilled'}]",
		    "#3004: its line in not_shipped, fulfilled");
		is_json(x.rec.order, "fulfillment_status", "'fulfilled'",
		    "#3004: the order's fulfillment_status kept");
	}
	if ((o = must_order(&x, 6, "#3005")) != NULL) {
		is_json(o, "lines",
		    "[{'sku':'TEA-2','name':'Tieguanyin oolong 100 g',"
		    "'qty':'3','unit_price':4500,'fulfilment':'partial'},"
		    "{'sku':'ANVIL-1','name':'Garden anvil','qty':'1',"
		    "'unit_price':3800}]",
		    "#3005: a partial line keeps its quantity, marked partial");
		is_json(o, "not_shipped",
		    "[{'sku':'TEA-1','name':'Longjing green tea 250 g',"
		    "'qty':1,'reason':'fulfilled'}]",
		    "#3005: the fulfilled line is not shipped");
	}
	not_order(&x, READ_SKIP, 9,
	    "nothing to ship: every line is fulfilled, refunded or needs no "
	    "shipping",
	    "#3006: a refund of 79.99 covers the one pending line of 79.99");
	if (x.rec.order != NULL)
		is_json(x.rec.order, "not_shipped",
		    "[{'sku':'BOOK-1','name':'The book of tea','qty':1,"
		    "'reason':'fulfilled'},{'sku':'POT-1','name':'Yixing clay "
		    "teapot','qty':1,'reason':'refunded'}]",
		    "#3006: one line fulfilled, the other refunded");
	if ((o = must_order(&x, 11, "#3007")) != NULL) {
		is_json(o, "lines.0.fulfilment", "'partial'",
		    "#3007: 30.00 refunded, a line sent and a line to send of "
		    "30.00 each: cannot tell, partial");
		is_json(
		    o, "payment.refunded", "3000", "#3007: the refund kept");
	}
	if ((o = must_order(&x, 13, "#3008")) != NULL)
		ok(tjson_at(o, "lines.0.fulfilment") == NULL &&
			json_array_size(tjson_at(o, "lines")) == 1,
		    "#3008: the shipping refunded: the line ships");
	if ((o = must_order(&x, 14, "#3009")) != NULL)
		ok(strcmp(order_status(o), "cancelled") == 0 &&
			json_array_size(tjson_at(o, "lines")) == 1,
		    "#3009: refunded before anything was sent: cancelled, "
		    "its line as read");
	not_order(&x, READ_SKIP, 15,
	    "nothing to ship: every line is fulfilled, refunded or needs no "
	    "shipping",
	    "#3010: refunded after it was sent: a return, not a "
	    "cancellation");
	if (x.rec.order != NULL)
		ok(tjson_at(x.rec.order, "status") == NULL,
		    "#3010: not cancelled");
	if ((o = must_order(&x, 16, "#3011")) != NULL)
		is_json(o, "shipping_method", "'Collect from Store A'",
		    "#3011: the shipping method as the export says it");
	if ((o = must_order(&x, 17, "#3012")) != NULL) {
		is_json(o, "ship_to.phone", "'+44 20 7946 0321'",
		    "#3012: the spreadsheet's apostrophe goes from the phone");
		ok(tjson_at(o, "fulfillment_status") == NULL,
		    "#3012: a blank Fulfillment Status says nothing");
	}
	if ((o = must_order(&x, 18, "#3013")) != NULL) {
		is_json(o, "status", "'cancelled'",
		    "#3013: voided: cancelled, though it has no SKU or "
		    "address");
		is_json(o, "cancelled_at", "'2026-11-23T09:00:00+08:00'",
		    "#3013: cancelled_at in RFC 3339");
	}
	ok(next(&x) == READ_EOF, "thirteen orders");
	shut(&x);
}

/* Refunds against lines, and lines that say what was sent or refunded. */
static void
test_refunds(void)
{
	const char *p = write_tmp("refunds.csv",
	    "Name,Currency,Shipping,Refunded Amount,Fulfillment Status,"
	    "Lineitem quantity,Lineitem sku,Lineitem price,Lineitem "
	    "fulfillment status\n"
	    /* Everything refunded, sent or not: nothing ships. */
	    "#1,USD,0,60.00,partial,1,A,30.00,fulfilled\n"
	    "#1,,,,,1,B,30.00,pending\n"
	    /* Whole lines, most expensive first: 50 = 40 + 10. */
	    "#2,USD,0,50.00,,1,A,40.00,pending\n"
	    "#2,,,,,1,B,10.00,pending\n"
	    "#2,,,,,1,C,25.00,pending\n"
	    /* A sent line accounts for it: a return. */
	    "#3,USD,0,25.00,partial,1,A,25.00,fulfilled\n"
	    "#3,,,,,1,B,40.00,pending\n"
	    /* Nothing adds up to 7.00. */
	    "#4,USD,5.00,7.00,,1,A,40.00,pending\n"
	    "#4,,,,,2,B,10.00,pending\n");
	const char *m = write_tmp("qty-map.json",
	    "{\"columns\": {\"order_id\": \"Id\", \"lines.sku\": \"Sku\", "
	    "\"lines.qty\": \"N\", \"lines.shipped_qty\": \"Sent\", "
	    "\"lines.refunded_qty\": \"Back\", \"lines.unit_price\": \"P\"}}");
	const char *q = write_tmp("qty.csv", "Id,Sku,N,Sent,Back,P\n"
					     "Q1,A,5,1,-2,3.00\n"
					     "Q2,A,2,1,1,3.00\n"
					     "Q3,A,2,x,,3.00\n");
	struct rd x;
	json_t *o;

	open_as(&x, p, FORMAT_SHOPIFY, NULL, NULL);
	not_order(&x, READ_SKIP, 2,
	    "nothing to ship: every line is fulfilled, refunded or needs no "
	    "shipping",
	    "a refund of every line, sent or not: nothing ships");
	if ((o = must_order(&x, 4, "#2")) != NULL) {
		is_json(o, "lines", "[{'sku':'C','qty':'1','unit_price':2500}]",
		    "50.00 refunded: the 40.00 and 10.00 lines, not the "
		    "25.00 one");
		is_json(o, "not_shipped",
		    "[{'sku':'A','qty':1,'reason':'refunded'},"
		    "{'sku':'B','qty':1,'reason':'refunded'}]",
		    "... which are kept as refunded");
	}
	if ((o = must_order(&x, 7, "#3")) != NULL)
		is_json(o, "lines", "[{'sku':'B','qty':'1','unit_price':4000}]",
		    "25.00 refunded and a sent line of 25.00: a return, the "
		    "rest ships");
	if ((o = must_order(&x, 9, "#4")) != NULL)
		is_json(o, "lines",
		    "[{'sku':'A','qty':'1','unit_price':4000,'fulfilment':"
		    "'partial'},{'sku':'B','qty':'2','unit_price':1000,"
		    "'fulfilment':'partial'}]",
		    "7.00 refunded, no lines add up to it, not the shipping: "
		    "partial, for a person");
	shut(&x);

	open_as(&x, q, FORMAT_CSV, m, NULL);
	if ((o = must_order(&x, 2, "Q1")) != NULL) {
		is_json(o, "lines",
		    "[{'sku':'A','qty':'2','unit_price':300,'ordered_qty':5}]",
		    "5 ordered, 1 sent, 2 refunded (written -2): 2 to ship");
		is_json(o, "not_shipped",
		    "[{'sku':'A','qty':1,'reason':'fulfilled'},"
		    "{'sku':'A','qty':2,'reason':'refunded'}]",
		    "the units sent and refunded are kept");
	}
	not_order(&x, READ_SKIP, 3,
	    "nothing to ship: every line is fulfilled, refunded or needs no "
	    "shipping",
	    "2 ordered, 1 sent, 1 refunded: nothing to ship");
	if ((o = must_order(&x, 4, "Q3")) != NULL)
		is_json(o, "lines.0.qty", "'2'",
		    "a count that is no number says nothing");
	shut(&x);
}

/* Maps that convert: defaults, value tables, dates, countries. */
static void
test_convert(void)
{
	const char *m = write_tmp("conv.json",
	    "{\"date_format\": [\"%d.%m.%Y %H:%M\", \"%Y-%m-%dT%H:%M:%S%z\"],"
	    " \"timezone\": \"America/New_York\", \"number_format\": \"eu\","
	    " \"columns\": {\"order_id\": \"Id\", \"lines.sku\": \"Sku\","
	    " \"lines.qty\": \"N\", \"placed_at\": \"At\","
	    " \"ship_to.name\": [\"First\", \"Last\"],"
	    " \"ship_to.country\": \"Land\", \"ship_to.phone\": \"Tel\","
	    " \"ship_to.postcode\": \"Zip\", \"payment.method\": \"Pay\","
	    " \"lines.unit_price\": \"P\", \"status\": \"State\"},"
	    " \"defaults\": {\"currency\": \"EUR\", \"ship_to.country\": "
	    "\"DE\", \"service\": \"express\", \"lines.qty\": \"1\"},"
	    " \"values\": {\"payment.method\": {\"货到付款\": \"cod\", \"*\":"
	    " \"prepaid\"}, \"status\": {\"storniert\": \"cancelled\"}}}");
	const char *p = write_tmp("conv.csv",
	    "Id,Sku,N,At,First,Last,Land,Tel,Zip,Pay,P,State\n"
	    "C1,A,2,23.11.2026 09:30,Ann,Lee,United States,'+1 617 555 "
	    "0101,\"=\"\"02108\"\"\",Karte,\"12,50\",\n"
	    "C2,A,,2026-11-23T09:30:00+0100,,Lee,u.s.a.,,,货到付款,\"1.000,"
	    "00\",STORNIERT\n"
	    "C3,A,1,30.02.2026 09:30,Ann,,中华人民共和国,,,,1,\n"
	    "C4,A,1,01.03.2026 09:30,Ann,,,,,,1,\n"
	    "C5,A,1,01.03.2026 09:30,Ann,,香港,,,,1,\n"
	    "C6,A,1,01.03.2026 09:30,Ann,,Atlantis,,,,1,\n");
	struct rd x;
	json_t *o;

	open_as(&x, p, FORMAT_CSV, m, NULL);
	if ((o = must_order(&x, 2, "C1")) != NULL) {
		is_json(o, "placed_at", "'2026-11-23T09:30:00-05:00'",
		    "a date by the map's pattern, in the map's zone");
		is_json(o, "ship_to",
		    "{'name':'Ann Lee','postcode':'02108','country':'US',"
		    "'phone':'+1 617 555 0101'}",
		    "two columns joined; =\"02108\" is 02108; United States is "
		    "US; no apostrophe on the phone");
		is_json(o, "payment", "{'method':'prepaid'}",
		    "a word the table lacks: its \"*\"");
		ok(strcmp(json_string_value(tjson_at(o, "currency")), "EUR") ==
			    0 &&
			strcmp(json_string_value(tjson_at(o, "service")),
			    "express") == 0 &&
			json_integer_value(tjson_at(o, "lines.0.unit_price")) ==
			    1250,
		    "defaults for currency and service; 12,50 is 1250");
	}
	if ((o = must_order(&x, 3, "C2")) != NULL) {
		is_json(o, "placed_at", "'2026-11-23T09:30:00+01:00'",
		    "a pattern with %z keeps the offset read");
		ok(strcmp(json_string_value(tjson_at(o, "ship_to.country")),
		       "US") == 0 &&
			strcmp(json_string_value(tjson_at(o, "payment.method")),
			    "cod") == 0 &&
			strcmp(order_status(o), "cancelled") == 0 &&
			strcmp(json_string_value(tjson_at(o, "lines.0.qty")),
			    "1") == 0,
		    "u.s.a. is US; 货到付款 is cod; STORNIERT is cancelled, "
		    "whatever its case; a blank quantity is the default 1");
	}
	not_order(&x, READ_BAD, 4, "placed_at: matches no date_format pattern",
	    "the 30th of February matches no pattern");
	if ((o = must_order(&x, 5, "C4")) != NULL)
		is_json(
		    o, "ship_to.country", "'DE'", "no country: the default");
	if ((o = must_order(&x, 6, "C5")) != NULL)
		is_json(o, "ship_to.country", "'HK'", "香港 is HK");
	if ((o = must_order(&x, 7, "C6")) != NULL)
		is_json(o, "ship_to.country", "'Atlantis'",
		    "a name that is no country is left for order_normalise");
	shut(&x);
}

/* Map files that convert, and what can be wrong with them. */
static void
test_convert_maps(void)
{
	static const struct {
		const char *file, *text, *why;
	} bad[] = {
	    {"c1.json",
		"{\"timezone\": \"Mars/Olympus\", \"columns\": {\"order_id\": "
		"\"A\", \"lines.sku\": \"B\", \"lines.qty\": \"C\"}}",
		"timezone: not a zone this system knows ('Mars/Olympus')"},
	    {"c2.json",
		"{\"date_format\": \"dd.mm.yyyy\", \"columns\": {\"order_id\": "
		"\"A\", \"lines.sku\": \"B\", \"lines.qty\": \"C\"}}",
		"date_format: not a strptime pattern"},
	    {"c3.json",
		"{\"values\": {\"colour\": {}}, \"columns\": {\"order_id\": "
		"\"A\", \"lines.sku\": \"B\", \"lines.qty\": \"C\"}}",
		"values.colour: unknown field"},
	    {"c4.json",
		"{\"values\": {\"status\": {\"x\": 1}}, \"columns\": "
		"{\"order_id\": \"A\", \"lines.sku\": \"B\", \"lines.qty\": "
		"\"C\"}}",
		"values.status: each word must map to a string"},
	    {"c5.json",
		"{\"defaults\": {\"currency\": 1}, \"columns\": {\"order_id\": "
		"\"A\", \"lines.sku\": \"B\", \"lines.qty\": \"C\"}}",
		"defaults.currency: must be a string"},
	    {"c6.json",
		"{\"columns\": {\"order_id\": [\"A\"], \"lines.sku\": \"B\", "
		"\"lines.qty\": \"C\"}}",
		"columns.order_id: must be a column name, or 2 to 4 to join"},
	};
	const char *csvmap = write_tmp("d.csv", "field,column,default\n"
						"order_id,Id,\n"
						"lines.sku,Sku,\n"
						"placed_at,When,\n"
						"lines.qty,,1\n"
						"currency,,JPY\n"
						"date_format,%Y/%m/%d,\n"
						"timezone,Asia/Tokyo,\n");
	struct colmap *cm;
	char why[256];
	struct rd x;
	json_t *o;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		strcpy(why, "(none)");
		cm = colmap_load(
		    write_tmp(bad[i].file, bad[i].text), why, sizeof why);
		if (!ok(cm == NULL && strcmp(why, bad[i].why) == 0,
			"map %s: %s", bad[i].file, bad[i].why))
			printf("#   got '%s'\n", why);
		colmap_free(cm);
	}
	open_as(&x, write_tmp("d-in.csv", "Id,Sku,When\nD1,A,2026/11/23\n"),
	    FORMAT_CSV, csvmap, NULL);
	if (x.r == NULL)
		ok(0, "a CSV map with defaults: %s", x.why);
	else if ((o = must_order(&x, 2, "a CSV map with defaults")) != NULL)
		ok(strcmp(json_string_value(tjson_at(o, "currency")), "JPY") ==
			    0 &&
			strcmp(json_string_value(tjson_at(o, "lines.0.qty")),
			    "1") == 0,
		    "a CSV map: defaults in its third column, a field with "
		    "no column");
	shut(&x);
}

/* tests/data/woocommerce-orders.csv, the Default - One Row per Item. */
static void
test_woocommerce(void)
{
	struct rd x;
	json_t *o;

	open_as(
	    &x, "tests/data/woocommerce-orders.csv", FORMAT_AUTO, NULL, NULL);
	if ((o = must_order(&x, 2, "WooCommerce 2001")) != NULL)
		is_json(o, "",
		    "{'order_id':'2001','source':'woocommerce',"
		    "'placed_at':'2026-11-22T21:05:00+08:00','currency':'USD',"
		    "'customer':{'name':'Ann "
		    "Lee','email':'ann.lee@example.com',"
		    "'phone':'617-555-0120'},'ship_to':{'name':'Ann Lee',"
		    "'line1':'1 Main St','city':'Boston','region':'MA',"
		    "'postcode':'02108','country':'US','phone':'617-555-0120'},"
		    "'lines':[{'sku':'BOOK-1','name':'The book of tea','qty':"
		    "'2','unit_price':2400}],'shipping':500,'tax':0,"
		    "'discount':0,'total':5300,'payment':{'method':'prepaid',"
		    "'status':'paid','refunded':0},'service':'standard',"
		    "'shipping_method':'Flat rate'}",
		    "2001 field by field: processing is paid; first and last "
		    "names joined; the subtotal of the line over its "
		    "quantity");
	if ((o = must_order(&x, 3, "WooCommerce 2002")) != NULL)
		is_json(o, "payment.status", "'pending'",
		    "2002: on-hold (a bank transfer awaited) is pending");
	not_order(&x, READ_SKIP, 4,
	    "nothing to ship: every line is fulfilled, refunded or needs no "
	    "shipping",
	    "2003: completed is fulfilled: nothing to ship");
	if ((o = must_order(&x, 5, "WooCommerce 2004")) != NULL)
		ok(strcmp(order_status(o), "cancelled") == 0 &&
			strcmp(json_string_value(tjson_at(o, "payment.status")),
			    "voided") == 0,
		    "2004: cancelled, its payment void");
	if ((o = must_order(&x, 6, "WooCommerce 2005")) != NULL) {
		is_json(o, "lines",
		    "[{'sku':'TEA-2','name':'Tieguanyin oolong 100 g','qty':"
		    "'2','ordered_qty':3,'unit_price':4500}]",
		    "2005: one of three refunded (item_refunded_qty -1): two "
		    "to ship");
		is_json(o, "not_shipped",
		    "[{'sku':'TEA-2','name':'Tieguanyin oolong 100 g','qty':1,"
		    "'reason':'refunded'}]",
		    "2005: the refunded unit kept; refunded_total is not "
		    "matched "
		    "again");
	}
	if ((o = must_order(&x, 7, "WooCommerce 2006")) != NULL)
		ok(strcmp(json_string_value(tjson_at(o, "payment.method")),
		       "cod") == 0 &&
			strcmp(
			    json_string_value(tjson_at(o, "shipping_method")),
			    "Local pickup") == 0,
		    "2006: the cod gateway is cod; Local pickup kept");
	ok(next(&x) == READ_EOF, "six WooCommerce orders");
	shut(&x);
}

/* Etsy's Sold Orders joined with its Sold Order Items. */
static void
test_etsy(void)
{
	struct rd x;
	json_t *o;

	open_joined(&x, "tests/data/etsy-sold-orders.csv", FORMAT_AUTO, NULL);
	is_str(x.r == NULL ? x.why : "(opened)",
	    "a etsy export is two files: name the Sold Order Items file with "
	    "--items",
	    "Etsy without its items file");
	shut(&x);
	open_joined(&x, "tests/data/etsy-sold-order-items.csv", FORMAT_ETSY,
	    "tests/data/etsy-sold-order-items.csv");
	is_str(x.r == NULL ? x.why : "(opened)",
	    "this is the Sold Order Items file: name it with --items, and "
	    "read the orders file",
	    "the items file given as the orders: not read");
	shut(&x);
	open_joined(&x, "tests/data/etsy-sold-orders.csv", FORMAT_AUTO,
	    "tests/data/etsy-sold-order-items.csv");
	if ((o = must_order(&x, 2, "Etsy 3100000001")) != NULL)
		is_json(o, "",
		    "{'order_id':'3100000001','source':'etsy','placed_at':"
		    "'2026-11-20T00:00:00+08:00','currency':'USD','customer':"
		    "{'name':'Ann Lee'},'ship_to':{'name':'Ann Lee','line1':"
		    "'1 Main St','city':'Boston','region':'MA','postcode':"
		    "'02108','country':'US'},'lines':[{'sku':'POT-1','name':"
		    "'Hand-thrown tea "
		    "bowl','variant':'Glaze:Celadon','qty':'1',"
		    "'unit_price':3400},{'sku':'BOOK-1','name':'The book of "
		    "tea','qty':'2','unit_price':1200}],'subtotal':5800,"
		    "'shipping':500,'tax':213,'discount':0,'total':6513,"
		    "'payment':{'method':'prepaid'},'service':'standard'}",
		    "3100000001 field by field: M/D/YY; United States is US; "
		    "the lines from the items file, with their variations");
	if ((o = must_order(&x, 3, "Etsy 3100000002")) != NULL)
		ok(strcmp(json_string_value(tjson_at(o, "ship_to.name")),
		       "Cy Wu") == 0 &&
			strcmp(json_string_value(tjson_at(o, "customer.name")),
			    "Bo Chen") == 0 &&
			strcmp(
			    json_string_value(tjson_at(o, "ship_to.country")),
			    "CA") == 0,
		    "a gift: shipped to the items file's Ship Name; Canada is "
		    "CA");
	not_order(&x, READ_SKIP, 4,
	    "nothing to ship: every line is fulfilled, refunded or needs no "
	    "shipping",
	    "an order with a Date Shipped has gone");
	if ((o = must_order(&x, 5, "Etsy 3100000004")) != NULL)
		is_json(o, "not_shipped",
		    "[{'sku':'TEA-1','name':'Longjing green tea 250 g','qty':1,"
		    "'reason':'fulfilled'}]",
		    "an item with a Date Shipped is not shipped again");
	if ((o = must_order(&x, 6, "Etsy 3100000005")) != NULL)
		ok(strcmp(order_status(o), "cancelled") == 0,
		    "Canceled is cancelled");
	ok(next(&x) == READ_EOF, "five Etsy orders");
	shut(&x);

	open_joined(&x,
	    write_tmp("etsy-one.csv", "Sale Date,Order ID,Full Name,Street "
				      "1\n11/20/26,999,Ann Lee,1 Main St\n"),
	    FORMAT_ETSY, "tests/data/etsy-sold-order-items.csv");
	not_order(&x, READ_BAD, 2,
	    "no line in the items file (--items) has this order id",
	    "an order the items file does not have: bad");
	shut(&x);
}

/* Taobao's 订单报表 joined with its 宝贝报表 (examples/). */
static void
test_taobao(void)
{
	struct rd x;
	json_t *o;

	open_joined(&x,
	    write_tmp("gbk.csv", "\xb6\xa9\xb5\xa5\xb1\xe0\xba\xc5,"
				 "x\n1,2\n"),
	    FORMAT_TAOBAO, "examples/taobao-items.csv");
	is_str(x.r == NULL ? x.why : "(opened)",
	    "the header is not UTF-8 (convert the file first; a GBK export: "
	    "iconv -f GBK -t UTF-8)",
	    "a GBK header: says how to convert it");
	shut(&x);
	open_joined(&x, "examples/taobao-orders.csv", FORMAT_AUTO,
	    "examples/taobao-items.csv");
	if ((o = must_order(&x, 2, "Taobao 3108811200001")) != NULL)
		is_json(o, "",
		    "{'order_id':'3108811200001','source':'taobao','placed_at':"
		    "'2026-11-23T08:14:00+08:00','currency':'CNY','customer':"
		    "{'name':'王芳','phone':'13800138000'},'ship_to':{'name':"
		    "'王芳','line1':'张江路123号','line2':'浦东新区','city':"
		    "'上海市','region':'上海','postcode':'201203','country':"
		    "'CN','phone':'13800138000'},'lines':[{'sku':'TEA-1',"
		    "'name':'明前龙井 250g','variant':'净含量：250g','qty':'2',"
		    "'unit_price':12800},{'sku':'POT-1','name':'宜兴紫砂壶 "
		    "300ml','variant':'容量：300ml','qty':'1','unit_price':"
		    "39800}],'subtotal':65400,'shipping':0,'total':65400,"
		    "'payment':{'method':'prepaid','status':'paid'},'service':"
		    "'standard','preferences':{'note':'请周末送货'},"
		    "'shipping_method':'快递','fulfillment_status':"
		    "'unfulfilled'}",
		    "3108811200001 field by field: 收货地址 split, the phone "
		    "without its apostrophe, lines from the 宝贝报表, Beijing "
		    "time");
	if ((o = must_order(&x, 3, "Taobao 3108811200002")) != NULL)
		is_json(o, "ship_to.line1", "'文新街道 文一西路100号'",
		    "a 街道 after the district is part of the street");
	if ((o = must_order(&x, 4, "Taobao 3108811200003")) != NULL)
		ok(tjson_at(o, "ship_to.line2") == NULL &&
			strcmp(json_string_value(tjson_at(o, "ship_to.line1")),
			    "长安镇 长青路1号") == 0,
		    "东莞市 has towns, no districts: no line2");
	if ((o = must_order(&x, 5, "Taobao 3108811200004")) != NULL)
		ok(strcmp(order_status(o), "cancelled") == 0 &&
			strcmp(json_string_value(tjson_at(o, "payment.status")),
			    "refunded") == 0,
		    "交易关闭 after payment: cancelled, refunded");
	not_order(&x, READ_SKIP, 6,
	    "nothing to ship: every line is fulfilled, refunded or needs no "
	    "shipping",
	    "卖家已发货: nothing to ship");
	if ((o = must_order(&x, 7, "Taobao 3108811200006")) != NULL) {
		is_json(o, "not_shipped",
		    "[{'sku':'POT-1','name':'宜兴紫砂壶 300ml','qty':1,"
		    "'reason':'fulfilled'}]",
		    "卖家部分发货: the item sent is not shipped");
		is_json(o, "lines.0.sku", "'TEA-1'", "... the other is");
	}
	if ((o = must_order(&x, 8, "Taobao 3108811200007")) != NULL)
		ok(strcmp(json_string_value(tjson_at(o, "ship_to.line2")),
		       "锦江区") == 0 &&
			tjson_at(o, "ship_to.postcode") == NULL,
		    "修改后的收货地址 wins; (000000) is no postcode");
	if ((o = must_order(&x, 9, "Taobao 3108811200008")) != NULL)
		ok(strcmp(json_string_value(tjson_at(o, "ship_to.country")),
		       "HK") == 0,
		    "香港特别行政区 is HK");
	ok(next(&x) == READ_EOF, "eight Taobao orders");
	shut(&x);
}

/* The Amazon reports: all orders, and unshipped without prices. */
static void
test_amazon_reports(void)
{
	struct rd x;
	json_t *o;

	open_as(
	    &x, "tests/data/amazon-all-orders.txt", FORMAT_AUTO, NULL, NULL);
	not_order(&x, READ_SKIP, 2,
	    "nothing to ship: every line is fulfilled, refunded or needs no "
	    "shipping",
	    "Shipped: nothing to ship");
	ok(x.rec.warning[0] == '\0', "a report with prices: no warning");
	if ((o = must_order(&x, 3, "Cancelled")) != NULL)
		ok(strcmp(order_status(o), "cancelled") == 0,
		    "Cancelled is cancelled");
	not_order(&x, READ_SKIP, 4,
	    "nothing to ship: every line is fulfilled, refunded or needs no "
	    "shipping",
	    "fulfilled by Amazon: nothing to ship");
	if (x.rec.order != NULL)
		is_json(x.rec.order, "not_shipped.0.reason",
		    "'fulfilled by Amazon'", "... and says so");
	not_order(&x, READ_BAD, 5,
	    "the report has no recipient or street: take the order from the "
	    "unshipped-orders report",
	    "Unshipped: no one to ship to in this report");
	if (x.rec.order != NULL)
		ok(json_integer_value(
		       tjson_at(x.rec.order, "lines.1.unit_price")) == 7999 &&
			strcmp(json_string_value(
				   tjson_at(x.rec.order, "currency")),
			    "USD") == 0 &&
			strcmp(json_string_value(
				   tjson_at(x.rec.order, "payment.status")),
			    "paid") == 0,
		    "... though its prices and currency are read");
	not_order(&x, READ_BAD, 7,
	    "the report has no recipient or street: take the order from the "
	    "unshipped-orders report",
	    "Pending: the same");
	if (x.rec.order != NULL)
		is_json(x.rec.order, "payment.status", "'pending'",
		    "... its payment pending");
	not_order(&x, READ_BAD, 8,
	    "the report has no recipient or street: take the order from the "
	    "unshipped-orders report",
	    "PartiallyShipped: the same");
	if (x.rec.order != NULL)
		is_json(x.rec.order, "not_shipped",
		    "[{'sku':'BOOK-1','name':'The book of tea','qty':1,"
		    "'reason':'fulfilled'}]",
		    "... its shipped item set aside");
	ok(next(&x) == READ_EOF, "six orders");
	shut(&x);

	open_as(
	    &x, "tests/data/amazon-unshipped-us.txt", FORMAT_AUTO, NULL, NULL);
	if ((o = must_order(&x, 2, "unshipped, no prices")) != NULL) {
		is_str(x.rec.warning,
		    "the report has no prices: its orders are taken in CNY, "
		    "the warehouse's currency, without prices",
		    "no prices: a warning with the first record");
		ok(tjson_at(o, "lines.0.unit_price") == NULL &&
			strcmp(json_string_value(tjson_at(o, "currency")),
			    "CNY") == 0,
		    "... the warehouse's currency, no prices");
	}
	if ((o = must_order(&x, 3, "unshipped, 2 rows")) != NULL)
		ok(x.rec.warning[0] == '\0' && json_integer_value(tjson_at(o,
						   "lines.0.ordered_qty")) == 3,
		    "one warning a file; 2 of 3 left to ship");
	shut(&x);
}

int
main(void)
{
	struct config *c;
	size_t i;

	err_init("test-reader");
	cfg = c = config_load("tests/data/fulfil.json");
	if (mkdtemp(dir) == NULL)
		err_exit_sys(2, "mkdtemp");
	test_formats();
	test_ndjson();
	test_shopify();
	test_shopify_words();
	test_amazon();
	test_amazon_rows();
	test_mapped();
	test_maps();
	test_map_options();
	test_bad_rows();
	test_shopify_states();
	test_refunds();
	test_convert();
	test_convert_maps();
	test_woocommerce();
	test_etsy();
	test_taobao();
	test_amazon_reports();
	for (i = 0; i < nmade; i++) {
		unlink(made[i]);
		free(made[i]);
	}
	if (rmdir(dir) != 0)
		err_exit_sys(2, "cannot remove '%s'", dir);
	config_free(c);
	return done_testing();
}
