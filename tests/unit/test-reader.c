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
static char *made[32];
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
	static const char *const names[] = {
	    "auto", "ndjson", "csv", "shopify", "amazon"};
	enum format f;
	struct rd x;
	int i, good = 1;

	for (i = 0; i < 5; i++)
		good &= format_parse(names[i], &f) == 0 && (int)f == i;
	ok(good && format_parse("json", &f) == -1 &&
		format_parse("CSV", &f) == -1,
	    "format_parse: the five names, no others");

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
	    "lines[0]: price 1000 does not divide by qty 3",
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
	for (i = 0; i < nmade; i++) {
		unlink(made[i]);
		free(made[i]);
	}
	if (rmdir(dir) != 0)
		err_exit_sys(2, "cannot remove '%s'", dir);
	config_free(c);
	return done_testing();
}
