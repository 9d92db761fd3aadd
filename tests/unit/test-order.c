/*
 * The order record of fulfil-order(5), checked and normalised by
 * order_normalise() with the test warehouse (tests/data/fulfil.json):
 * required fields and their messages, trimming and the limits on text,
 * numbers read from strings, quantities from 1, amounts that must not be
 * negative, currency and country codes, E.164 phones, e-mail addresses
 * and locales (warnings, not rejections), totals against the lines,
 * payment and service, delivery windows, the fields ingest-orders owns
 * (a cancellation's status kept, the rest dropped), unknown fields kept,
 * the canonical key order, and that normalising twice changes nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog.h"
#include "config.h"
#include "err.h"
#include "ndjson.h"
#include "order.h"
#include "tap.h"
#include "tjson.h"

/*
 * The smallest order the schema allows: everything else is filled in or
 * left out.  (JSON with ' for ", as tjson.h reads it.)
 */
static const char base[] =
    "{'order_id':'A1','placed_at':'2026-11-23T09:14:00+08:00',"
    "'ship_to':{'name':'Wang Fang','line1':'100 Zhangjiang Road',"
    "'city':'Shanghai','country':'CN'},"
    "'lines':[{'sku':'TEA-1','qty':1,'unit_price':12800}]}";

static struct config *cfg;
static json_t *warn; /* the warnings of the last normalise() */
static char why[256];

/*
 * The base order with patch applied: each key of patch replaces the
 * base's, "ship_to.country" a key inside an object, and the value
 * "(none)" removes the key.
 */
static json_t *
order(const char *patch)
{
	json_t *o = tjson(base), *p = tjson(patch), *v, *obj;
	const char *key, *dot, *leaf;
	char parent[32];

	json_object_foreach(p, key, v)
	{
		obj = o;
		leaf = key;
		if ((dot = strchr(key, '.')) != NULL) {
			snprintf(parent, sizeof parent, "%.*s",
			    (int)(dot - key), key);
			obj = json_object_get(o, parent);
			leaf = dot + 1;
		}
		if (json_is_string(v) &&
		    strcmp(json_string_value(v), "(none)") == 0)
			json_object_del(obj, leaf);
		else
			json_object_set(obj, leaf, v);
	}
	json_decref(p);
	return o;
}

/* Normalise o (which is released) with source "test"; NULL: see why. */
static json_t *
normalise_with(json_t *o, const struct config *c)
{
	json_t *out;

	json_decref(warn);
	warn = json_array();
	strcpy(why, "(not set)");
	out = order_normalise(o, c, "test", warn, why, sizeof why);
	json_decref(o);
	return out;
}

static json_t *
normalise(const char *patch)
{
	return normalise_with(order(patch), cfg);
}

/*
 * patch normalises, path then holds want (JSON, ' for "; NULL: absent)
 * and the warnings are warns (NULL: not looked at).
 */
static void
gives_w(const char *patch, const char *path, const char *want,
    const char *warns, const char *name)
{
	json_t *o = normalise(patch), *w = want != NULL ? tjson(want) : NULL;
	json_t *ww = warns != NULL ? tjson(warns) : NULL;
	int good = o != NULL;

	if (good && w != NULL)
		good = json_equal(tjson_at(o, path), w);
	else if (good)
		good = tjson_at(o, path) == NULL;
	if (!ok(good && (ww == NULL || json_equal(warn, ww)), "%s", name)) {
		if (o == NULL)
			printf("#   rejected: %s\n", why);
		else
			printf("#   got %s, want %s; warnings %s\n",
			    tjson_dump(tjson_at(o, path)), tjson_dump(w),
			    tjson_dump(warn));
	}
	json_decref(ww);
	json_decref(w);
	json_decref(o);
}

static void
gives(const char *patch, const char *path, const char *want, const char *name)
{
	gives_w(patch, path, want, NULL, name);
}

/* patch is rejected, why being want. */
static void
rejects(const char *patch, const char *want, const char *name)
{
	json_t *o = normalise(patch);

	if (!ok(o == NULL && strcmp(why, want) == 0, "%s", name))
		printf("#   got '%s'%s, want '%s'\n", why,
		    o != NULL ? " (accepted)" : "", want);
	json_decref(o);
}

/* The example of fulfil-order(5), as ingest-orders writes it. */
static const char example[] =
    "{'order_id':'1002','source':'shopify',"
    "'placed_at':'2026-11-23T09:20:31+08:00','currency':'CNY',"
    "'customer':{'name':'Li Wei','email':'li.wei@example.com'},"
    "'ship_to':{'name':'Li Wei','line1':'88 Jianguo Road',"
    "'city':'Beijing','postcode':'100022','country':'CN',"
    "'phone':'+8613910002000'},"
    "'lines':[{'sku':'SET-GF-1','name':'Gongfu tea set','qty':1,"
    "'unit_price':68800}],"
    "'total':68800,'payment':{'method':'cod','cod_amount':68800},"
    "'service':'express','status':'accepted','revision':1,"
    "'promise':{'ship_by':'2026-11-23T18:30:00+08:00',"
    "'deliver_by':'2026-11-24T23:59:59+08:00'}}";

static void
test_whole(void)
{
	json_t *in, *o, *want;

	/* The smallest order, filled in. */
	o = normalise("{}");
	is_str(tjson_dump(o),
	    "{\"order_id\":\"A1\",\"source\":\"test\","
	    "\"placed_at\":\"2026-11-23T09:14:00+08:00\",\"currency\":\"CNY\","
	    "\"ship_to\":{\"name\":\"Wang Fang\",\"line1\":\"100 Zhangjiang "
	    "Road\",\"city\":\"Shanghai\",\"country\":\"CN\"},"
	    "\"lines\":[{\"sku\":\"TEA-1\",\"qty\":1,\"unit_price\":12800}],"
	    "\"payment\":{\"method\":\"prepaid\"},\"service\":\"standard\"}",
	    "a minimal order: default source, warehouse currency, prepaid, "
	    "standard service");
	is_int(json_array_size(warn), 0, "a minimal order: no warnings");
	json_decref(o);

	/* The example of fulfil-order(5), less what ingest-orders adds. */
	in = tjson(example);
	json_incref(in);
	o = normalise_with(in, cfg);
	ok(o == in && in->refcount == 2,
	    "the result is the input itself, with a new reference");
	want = tjson(example);
	json_object_del(want, "status");
	json_object_del(want, "revision");
	json_object_del(want, "promise");
	is_str(tjson_dump(o), tjson_dump(want),
	    "the example of fulfil-order(5) is in normal form: only status, "
	    "revision and promise go");
	json_decref(want);
	json_decref(o);
	json_decref(in);
}

static void
test_top(void)
{
	char id[200], patch[300], want[300];

	gives("{'order_id':1002}", "order_id", "'1002'",
	    "an order id that is a number is its digits");
	gives("{'order_id':'  A1 \\t'}", "order_id", "'A1'",
	    "an order id is trimmed");
	rejects("{'order_id':'(none)'}", "order_id is missing",
	    "no order id: rejected");
	rejects("{'order_id':'   '}", "order_id is missing",
	    "a blank order id is a missing one");
	rejects("{'order_id':'A\\u00011'}",
	    "order_id contains a control character",
	    "a control character in an order id");
	memset(id, 'x', 128);
	id[128] = '\0';
	snprintf(patch, sizeof patch, "{'order_id':'%s'}", id);
	snprintf(want, sizeof want, "'%s'", id);
	gives(patch, "order_id", want, "an order id of 128 bytes is taken");
	id[128] = 'x';
	id[129] = '\0';
	snprintf(patch, sizeof patch, "{'order_id':'%s'}", id);
	rejects(patch, "order_id is longer than 128 bytes",
	    "an order id of 129 bytes is not");
}

static void
test_time_currency(void)
{
	gives("{'placed_at':'2026-11-23 15:30:00 +0800'}", "placed_at",
	    "'2026-11-23T15:30:00+08:00'",
	    "placed_at in an export's form is made RFC 3339");
	gives("{'placed_at':'2026-11-23 15:30'}", "placed_at",
	    "'2026-11-23T15:30:00+08:00'",
	    "placed_at without an offset is in the warehouse's zone");
	rejects("{'placed_at':'yesterday'}",
	    "placed_at is not an RFC 3339 time", "placed_at that is no time");
	rejects(
	    "{'placed_at':'(none)'}", "placed_at is missing", "no placed_at");
	gives("{'currency':' gbp '}", "currency", "'GBP'",
	    "a currency code is trimmed and made upper case");
	rejects("{'currency':'XYZ'}",
	    "currency is not an ISO 4217 currency code", "an unknown currency");
}

static void
test_ship_to(void)
{
	rejects("{'ship_to':'(none)'}", "ship_to is missing", "no ship_to");
	rejects("{'ship_to.name':'(none)'}", "ship_to.name is missing",
	    "no ship_to.name");
	rejects("{'ship_to.line1':' '}", "ship_to.line1 is missing",
	    "a blank ship_to.line1");
	rejects("{'ship_to.line1':'1 Road\\nFlat 2'}",
	    "ship_to.line1 contains a control character",
	    "a newline in an address line");
	gives("{'ship_to.name':'  Li Wei  '}", "ship_to.name", "'Li Wei'",
	    "a name is trimmed");
	gives("{'ship_to.country':'cn'}", "ship_to.country", "'CN'",
	    "a country code is made upper case");
	gives(
	    "{'ship_to.country':'uk'}", "ship_to.country", "'GB'", "UK is GB");
	rejects("{'ship_to.country':'XX'}",
	    "ship_to.country is not a country code or name",
	    "an unassigned country code, not repeated");
	rejects("{'ship_to.country':'UNITED S'}",
	    "ship_to.country is not a country code or name",
	    "a cut name is no country, and not repeated");
	gives("{'ship_to.country':'United States'}", "ship_to.country", "'US'",
	    "a country's English name is its code");
	gives("{'ship_to.country':'U.S.A.'}", "ship_to.country", "'US'",
	    "U.S.A. is US");
	gives("{'ship_to.country':'中华人民共和国'}", "ship_to.country", "'CN'",
	    "a country's Chinese name is its code");
	gives("{'ship_to.country':'香港'}", "ship_to.country", "'HK'",
	    "香港 is HK");
	gives("{'ship_to.postcode':'\\u0027060-0914'}", "ship_to.postcode",
	    "'060-0914'", "a spreadsheet's apostrophe before a postcode goes");
	gives("{'ship_to.postcode':'\\u0027'}", "ship_to.postcode", NULL,
	    "an apostrophe alone is no postcode");
	gives("{'ship_to.postcode':'sw1a 2aa','ship_to.country':'GB'}",
	    "ship_to.postcode", "'SW1A 2AA'", "a postcode is made upper case");
	gives_w("{'ship_to.postcode':'sw1a2aa','ship_to.country':'GB'}",
	    "ship_to.postcode", "'SW1A 2AA'", "[]",
	    "a UK postcode gets its space");
	gives_w("{'ship_to.postcode':'ABCDE'}", "ship_to.postcode", "'ABCDE'",
	    "[{'field':'ship_to.postcode','message':'not in the form of a "
	    "postcode of CN (6 digits); kept as given'}]",
	    "a postcode not of the country's form: kept, warned without "
	    "repeating it");
	gives_w("{'ship_to.postcode':'2134','ship_to.country':'US'}",
	    "ship_to.postcode", "'02134'",
	    "[{'field':'ship_to.postcode','message':'a digit short: the "
	    "leading zero a spreadsheet drops is put back (postcodes of US "
	    "are 5 digits, or ZIP+4 99999-9999)'}]",
	    "a ZIP code that lost its zero gets it back, warned");
	{
		/* json_equal ignores the order: compare the text. */
		json_t *o = normalise(
		    "{'ship_to':{'door':'4711','country':'CN','city':'S',"
		    "'line1':'L','name':'N','company':'Co'}}");

		is_str(tjson_dump(tjson_at(o, "ship_to")),
		    "{\"name\":\"N\",\"company\":\"Co\",\"line1\":\"L\","
		    "\"city\":\"S\",\"country\":\"CN\",\"door\":\"4711\"}",
		    "ship_to's keys in canonical order, unknown ones after");
		json_decref(o);
	}
}

static void
test_phones(void)
{
	gives_w("{'ship_to.phone':'138 0013 8000'}", "ship_to.phone",
	    "'+8613800138000'", "[]", "a Chinese mobile number in E.164");
	gives("{'ship_to.phone':'020 7946 0123','ship_to.country':'GB'}",
	    "ship_to.phone", "'+442079460123'",
	    "a London number: trunk 0 dropped, 44 in front");
	gives_w("{'ship_to.phone':'call after 6'}", "ship_to.phone",
	    "'call after 6'",
	    "[{'field':'ship_to.phone','message':'not a phone number; kept "
	    "as given'}]",
	    "a phone that is not one: kept as given, a warning that does "
	    "not repeat it");
	gives_w("{'ship_to.phone':'12'}", "ship_to.phone", "'12'",
	    "[{'field':'ship_to.phone','message':'too short for a number of "
	    "its country; kept as given'}]",
	    "the issue's phone '12': kept, warned");
	gives("{'customer':{'phone':'021-6123 4567'}}", "customer.phone",
	    "'+862161234567'",
	    "the customer's phone is read in the ship-to country");
	gives_w("{'customer':{'phone':'+49 30 12345678 ext. 12'}}",
	    "customer.phone", "'+493012345678'",
	    "[{'field':'customer.phone','message':'extension left out: "
	    "E.164 has none'}]",
	    "an extension is not stored: left out, warned");
	gives_w("{'ship_to.phone':'\\u0027+27 21 123 4567'}", "ship_to.phone",
	    "'+27211234567'", "[]",
	    "a spreadsheet's apostrophe before a phone goes");
	gives("{'ship_to.phone':'\\u0027'}", "ship_to.phone", NULL,
	    "an apostrophe alone is no phone");
}

static void
test_customer(void)
{
	static const char bad_email[] =
	    "[{'field':'customer.email','message':'not an email address'}]";

	gives_w("{'customer':{'email':' wang@example.com '}}", "customer.email",
	    "'wang@example.com'", "[]",
	    "an e-mail address is trimmed, no warning");
	gives_w("{'customer':{'email':'wang.example.com'}}", "customer.email",
	    "'wang.example.com'", bad_email,
	    "an address without @: kept, warned without repeating it");
	gives_w("{'customer':{'email':'wang@localhost'}}", "customer.email",
	    "'wang@localhost'", bad_email,
	    "an address without a dot in its domain: warned");
	gives_w("{'customer':{'email':'Wang <wang@example.com>'}}",
	    "customer.email", "'Wang <wang@example.com>'", bad_email,
	    "a display name and brackets: warned");
	gives("{'customer':{'locale':'zh_cn'}}", "customer.locale", "'zh-CN'",
	    "locale zh_cn is zh-CN");
	gives("{'customer':{'locale':'EN'}}", "customer.locale", "'en'",
	    "locale EN is en");
	gives("{'customer':{'locale':'zh-hant-tw'}}", "customer.locale",
	    "'zh-Hant-TW'", "a script subtag in title case");
	gives_w("{'customer':{'name':'Li','locale':'English!'}}", "customer",
	    "{'name':'Li'}",
	    "[{'field':'customer.locale','message':'not a language tag; "
	    "left out'}]",
	    "a locale that is no language tag: left out, warned");
	rejects("{'customer':'Li Wei'}", "customer must be an object",
	    "a customer that is text");
	{
		json_t *o =
		    normalise("{'customer':{'locale':'en','phone':"
			      "'+8613800138000','email':"
			      "'a@example.com','name':'A','vip':true}}");

		is_str(tjson_dump(tjson_at(o, "customer")),
		    "{\"name\":\"A\",\"email\":\"a@example.com\",\"phone\":"
		    "\"+8613800138000\",\"locale\":\"en\",\"vip\":true}",
		    "the customer's fields in canonical order, unknown ones "
		    "kept after");
		json_decref(o);
	}
}

static void
test_lines(void)
{
	gives("{'lines':[{'sku':'S','qty':'3','unit_price':'39800'}]}", "lines",
	    "[{'sku':'S','qty':3,'unit_price':39800}]",
	    "a quantity and a price that are strings of digits are integers");
	rejects("{'lines':[]}", "lines is empty", "no lines");
	rejects("{'lines':[{'sku':'S','qty':0}]}",
	    "lines[0].qty must be a positive integer", "a quantity of 0");
	rejects("{'lines':[{'sku':'S','qty':'2.5'}]}",
	    "lines[0].qty must be an integer", "a quantity of 2.5");
	rejects("{'lines':[{'sku':'S','qty':1000001}]}",
	    "lines[0].qty is out of range", "a quantity over a million");
	rejects("{'lines':[{'sku':'S','qty':1},{'sku':'T'}]}",
	    "lines[1].qty is missing",
	    "a second line without a quantity: named by its index");
	rejects("{'lines':[{'sku':'S','qty':1,'unit_price':-1}]}",
	    "lines[0].unit_price must not be negative", "a negative price");
	rejects("{'lines':[{'sku':'S','qty':1,'unit_price':'12.50'}]}",
	    "lines[0].unit_price must be an integer",
	    "a price in major units is not minor units");
	gives("{'lines':[{'sku':'S','qty':1,'gift':true,'unit_price':0},"
	      "{'sku':'T','qty':1,'gift':false}]}",
	    "lines",
	    "[{'sku':'S','qty':1,'unit_price':0,'gift':true},"
	    "{'sku':'T','qty':1}]",
	    "gift true is kept, gift false goes");
	rejects("{'lines':[{'sku':'S','qty':1,'gift':'yes'}]}",
	    "lines[0].gift must be true or false", "a gift that is yes");
}

static void
test_amounts(void)
{
	static const char two[] =
	    "'lines':[{'sku':'S','qty':2,'unit_price':1000},"
	    "{'sku':'T','qty':1,'unit_price':500}]";
	char patch[300];

	snprintf(patch, sizeof patch, "{%s,'total':2500}", two);
	gives_w(patch, "total", "2500", "[]",
	    "a total that is the lines: no warning");
	snprintf(patch, sizeof patch,
	    "{%s,'discount':'300','shipping':800,'tax':100,'total':3100}", two);
	gives_w(patch, "discount", "300", "[]",
	    "lines less discount plus shipping and tax");
	snprintf(patch, sizeof patch,
	    "{%s,'discount':300,'shipping':800,'tax':100,'total':3000}", two);
	gives_w(patch, "total", "3000", "[]",
	    "the same with prices that include the tax");
	snprintf(patch, sizeof patch, "{%s,'total':2400}", two);
	gives_w(patch, "total", "2400",
	    "[{'field':'total','message':'does not match the lines less "
	    "discount plus shipping and tax'}]",
	    "a total that does not add up: kept, warned");
	snprintf(patch, sizeof patch,
	    "{%s,'total':100,'not_shipped':[{'sku':'GC','qty':1,"
	    "'reason':'needs no shipping'}]}",
	    two);
	gives_w(patch, "not_shipped.0.sku", "'GC'", "[]",
	    "lines not shipped are in the total but not the lines: no "
	    "warning");
	rejects("{'shipping':-5}", "shipping must not be negative",
	    "a negative shipping charge");
	rejects("{'lines':[{'sku':'S','qty':1000000,"
		"'unit_price':9223372036854775807}]}",
	    "lines: amounts out of range", "quantity times price overflows");
}

static void
test_payment(void)
{
	gives("{'payment':{'method':'COD'},'total':12800}", "payment",
	    "{'method':'cod','cod_amount':12800}",
	    "COD collects the total when no amount is given");
	gives("{'payment':{'method':'Cash on delivery','cod_amount':'500'}}",
	    "payment", "{'method':'cod','cod_amount':500}",
	    "cash on delivery in words, with its amount");
	rejects("{'payment':{'method':'cod'}}",
	    "payment: a cod order needs cod_amount or total",
	    "COD with neither amount nor total");
	gives("{'payment':{'method':'Prepaid','cod_amount':500}}", "payment",
	    "{'method':'prepaid'}", "a prepaid order collects nothing");
	rejects("{'payment':{'method':'card'}}",
	    "payment.method must be prepaid or cod",
	    "a method that is neither");
}

static void
test_service_window(void)
{
	gives("{'service':' Express '}", "service", "'express'",
	    "a service is trimmed and made lower case");
	gives("{'service':'Express Shipping'}", "service", "'express'",
	    "a shop's name for a service, through ingest.service_map");
	rejects("{'service':'overnight'}",
	    "service is not one any carrier offers",
	    "a service no carrier offers");
	gives("{'delivery_window':{'to':'2026-11-27 12:00',"
	      "'from':'2026-11-27T10:00:00+08:00'}}",
	    "delivery_window",
	    "{'from':'2026-11-27T10:00:00+08:00',"
	    "'to':'2026-11-27T12:00:00+08:00'}",
	    "a delivery window: times normalised");
	rejects("{'delivery_window':{'from':'2026-11-27T12:00:00+08:00',"
		"'to':'2026-11-27T12:00:00+08:00'}}",
	    "delivery_window: to is not after from", "an empty window");
	rejects("{'delivery_window':{'from':'2026-11-27T10:00:00+08:00'}}",
	    "delivery_window.to is missing", "a window without its end");
}

static void
test_preferences(void)
{
	gives("{'preferences':{'note':' Leave with neighbour\\nat no. 12 '}}",
	    "preferences.note", "'Leave with neighbour\\nat no. 12'",
	    "a note may hold a newline");
	gives("{'preferences':{'note':'  ','packaging':''}}", "preferences",
	    NULL, "preferences with nothing in them go");
}

static void
test_owned(void)
{
	json_t *o;

	o = normalise("{'status':'cancelled','channel':'wechat'}");
	ok(o != NULL && order_cancelled(o) &&
		strstr(tjson_dump(o),
		    "\"service\":\"standard\",\"channel\":"
		    "\"wechat\",\"status\":\"cancelled\"}") != NULL,
	    "a cancellation keeps its status, last, after unknown fields");
	json_decref(o);
	o = normalise("{'status':'picked','revision':4,'promise':{},"
		      "'warnings':[],'pick':{'batch':'B1'}}");
	ok(o != NULL && !order_cancelled(o) &&
		json_object_get(o, "status") == NULL &&
		json_object_get(o, "revision") == NULL &&
		json_object_get(o, "promise") == NULL &&
		json_object_get(o, "warnings") == NULL &&
		json_object_get(o, "pick") != NULL,
	    "any other status, revision, promise and warnings go; pick stays");
	json_decref(o);
	rejects("{'status':3}", "status must be a string",
	    "a status that is a number");
	o = tjson("{'order_id':'9','source':'s','status':'held'}");
	ok(strcmp(order_id(o), "9") == 0 && strcmp(order_source(o), "s") == 0 &&
		strcmp(order_status(o), "held") == 0 &&
		strcmp(order_id(tjson_at(o, "nothing")), "") == 0,
	    "order_id, order_source, order_status; \"\" when missing");
	json_decref(o);
}

/* The orders of tests/data normalise, and normalise again unchanged. */
static void
test_twice(void)
{
	struct input *in = input_open("tests/data/orders.ndjson");
	char *line, *once;
	json_t *o;
	ssize_t n;
	int good = in != NULL, count = 0;

	while (good && (n = input_getline(in, &line)) >= 0) {
		o = ndjson_parse(line, (size_t)n, why, sizeof why);
		if ((o = normalise_with(o, cfg)) == NULL) {
			printf("# line %ld: %s\n", input_lineno(in), why);
			good = 0;
			break;
		}
		once = xstrdup(tjson_dump(o));
		o = normalise_with(o, cfg);
		if (o == NULL || strcmp(once, tjson_dump(o)) != 0) {
			printf("# line %ld changed: %s\n", input_lineno(in),
			    tjson_dump(o));
			good = 0;
		}
		count++;
		free(once);
		json_decref(o);
	}
	input_close(in);
	ok(good && count == 3,
	    "the three orders of tests/data: normalising twice changes "
	    "nothing");
}

/* A warehouse without a currency: orders must name theirs. */
static void
test_no_currency(void)
{
	char dir[] = "/tmp/test-order-XXXXXX", path[64];
	json_error_t e;
	struct config *c;
	json_t *j;

	if (mkdtemp(dir) == NULL)
		err_exit_sys(2, "mkdtemp");
	snprintf(path, sizeof path, "%s/fulfil.json", dir);
	if ((j = json_load_file("tests/data/fulfil.json", 0, &e)) == NULL)
		err_exit(2, "tests/data/fulfil.json: %s", e.text);
	json_object_del(json_object_get(j, "warehouse"), "currency");
	if (json_dump_file(j, path, 0) != 0)
		err_exit_sys(2, "cannot write '%s'", path);
	json_decref(j);
	c = config_load(path);
	unlink(path);
	rmdir(dir);
	j = normalise_with(order("{}"), c);
	ok(j == NULL && strcmp(why, "currency is missing") == 0,
	    "no currency in the order nor the warehouse: rejected");
	json_decref(j);
	config_free(c);
}

/* The test warehouse with a pickup section, from a file in /tmp. */
static struct config *
pickup_config(void)
{
	char path[] = "/tmp/test-order-XXXXXX";
	json_t *j = json_load_file("tests/data/fulfil.json", 0, NULL);
	struct config *c;
	int fd;

	json_object_set_new(j, "pickup",
	    tjson("{'methods':['Collect from *'],"
		  "'locations':{'Store A':'Collect from Store A*'}}"));
	json_object_set_new(j, "catalog", json_string("/dev/null"));
	if ((fd = mkstemp(path)) == -1 || json_dumpfd(j, fd, 0) != 0)
		err_exit_sys(2, "%s", path);
	close(fd);
	c = config_load(path);
	unlink(path);
	json_decref(j);
	return c;
}

/*
 * The fields of the record contract of issue 15: payment.status and
 * outstanding, the line's barcode, variant, ordered_qty and fulfilment,
 * shipping_method, and pickup.
 */
static void
test_contract(void)
{
	struct config *pc = pickup_config();
	json_t *o;

	gives("{'payment':{'method':'prepaid','status':' Partially Paid ',"
	      "'outstanding':'1250'}}",
	    "payment",
	    "{'method':'prepaid','status':'partially_paid','outstanding':1250}",
	    "payment.status in words, and outstanding as digits");
	rejects("{'payment':{'status':'unpaid'}}",
	    "payment.status must be paid, pending, authorized, "
	    "partially_paid, refunded, partially_refunded or voided",
	    "a payment status not in the list: named, not shown");
	rejects("{'payment':{'outstanding':-1}}",
	    "payment.outstanding must not be negative",
	    "a negative outstanding amount");
	gives("{'lines':[{'sku':'TEA-1','barcode':6901234567892,"
	      "'variant':' 250 g ','qty':1,'ordered_qty':'3',"
	      "'fulfilment':'Partial'}]}",
	    "lines.0",
	    "{'sku':'TEA-1','barcode':'6901234567892','variant':'250 g',"
	    "'qty':1,'ordered_qty':3,'fulfilment':'partial'}",
	    "a line's barcode, variant, ordered_qty and fulfilment");
	rejects("{'lines':[{'sku':'TEA-1','qty':1,'ordered_qty':0}]}",
	    "lines[0].ordered_qty must be a positive integer",
	    "ordered_qty from 1");
	gives("{'shipping_method':'  Standard Shipping '}", "shipping_method",
	    "'Standard Shipping'", "shipping_method is kept, trimmed");
	rejects("{'service':'pickup'}",
	    "service pickup needs a pickup section in the configuration",
	    "pickup without a pickup section");
	gives_w("{'pickup':{'location':'X'}}", "pickup", NULL,
	    "[{'field':'pickup','message':'the service is not pickup; left "
	    "out'}]",
	    "a pickup location on an order that is not a pickup goes");

	o = normalise_with(order("{'shipping_method':'collect from store a "
				 "(Mon-Fri)','service':'standard',"
				 "'ship_to':'(none)','customer':{'name':'Li',"
				 "'phone':'021 6123 4567'}}"),
	    pc);
	ok(o != NULL &&
		strcmp(tjson_dump(tjson_at(o, "service")), "\"pickup\"") == 0 &&
		strcmp(tjson_dump(tjson_at(o, "pickup")),
		    "{\"location\":\"Store A\"}") == 0 &&
		tjson_at(o, "ship_to") == NULL &&
		strcmp(tjson_dump(tjson_at(o, "customer.phone")),
		    "\"+862161234567\"") == 0,
	    "a pickup method: service pickup at its location, no ship_to "
	    "needed, phones read in the warehouse's country");
	json_decref(o);
	o = normalise_with(order("{'service':'Pickup','ship_to':{'name':'Li',"
				 "'phone':'13800138000'}}"),
	    pc);
	ok(o != NULL &&
		strcmp(tjson_dump(tjson_at(o, "pickup.location")),
		    "\"Test Warehouse\"") == 0 &&
		strcmp(tjson_dump(tjson_at(o, "ship_to")),
		    "{\"name\":\"Li\",\"phone\":\"+8613800138000\"}") == 0,
	    "service pickup: the warehouse by default; a ship_to with only "
	    "a name will do");
	json_decref(o);
	o = normalise_with(order("{'service':'pickup','pickup':{'location':"
				 "' Store B '}}"),
	    pc);
	ok(o != NULL && strcmp(tjson_dump(tjson_at(o, "pickup")),
			    "{\"location\":\"Store B\"}") == 0,
	    "a pickup location given is kept");
	json_decref(o);
	o = normalise_with(order("{'shipping_method':'Standard'}"), pc);
	ok(o != NULL &&
		strcmp(tjson_dump(tjson_at(o, "service")), "\"standard\"") ==
		    0 &&
		tjson_at(o, "pickup") == NULL,
	    "any other method is shipped");
	json_decref(o);
	config_free(pc);
}

/*
 * Records that ask for nothing to ship: cancellations and orders with
 * everything fulfilled or refunded, checked for their key alone.
 */
static void
test_nothing(void)
{
	json_t *o;

	o = normalise_with(
	    tjson("{'order_id':7,'status':'cancelled','promise':{},"
		  "'hold':{},'lines':[{'sku':'','qty':1}]}"),
	    cfg);
	is_str(tjson_dump(o),
	    "{\"order_id\":\"7\",\"source\":\"test\",\"lines\":[{\"sku\":\"\","
	    "\"qty\":1}],\"status\":\"cancelled\"}",
	    "a cancellation that is no order: its key, as it came");
	ok(o != NULL && order_kind(o) == ORDER_CANCEL, "order_kind: cancel");
	json_decref(o);
	o = normalise_with(
	    tjson("{'order_id':'8','status':'cancelled','cancelled_at':"
		  "'2026-11-23 10:00'}"),
	    cfg);
	ok(o != NULL && strcmp(tjson_dump(tjson_at(o, "cancelled_at")),
			    "\"2026-11-23T10:00:00+08:00\"") == 0,
	    "a bare cancellation: its time normalised");
	json_decref(o);
	gives_w("{'status':'cancelled','cancelled_at':'soon'}", "cancelled_at",
	    "'soon'",
	    "[{'field':'cancelled_at','message':'not an RFC 3339 time; kept "
	    "as given'}]",
	    "a cancellation time that cannot be read: kept, warned");
	gives("{'status':'cancelled'}", "service", "'standard'",
	    "a cancellation that is a good order: in normal form");
	rejects("{'order_id':'','status':'cancelled'}", "order_id is missing",
	    "a cancellation needs its key");

	o = normalise("{'lines':[],'not_shipped':[{'sku':'TEA-1','qty':1,"
		      "'reason':'fulfilled'}],'total':12800}");
	ok(o != NULL && order_kind(o) == ORDER_NOTHING &&
		strcmp(tjson_dump(tjson_at(o, "service")), "\"standard\"") == 0,
	    "no lines, all in not_shipped: nothing to ship, normalised");
	json_decref(o);
	o = normalise_with(tjson("{'order_id':'9','lines':[],'not_shipped':"
				 "[{'sku':'A','reason':'refunded'}]}"),
	    cfg);
	ok(o != NULL && order_kind(o) == ORDER_NOTHING &&
		tjson_at(o, "placed_at") == NULL,
	    "nothing to ship and no address: taken on its key");
	json_decref(o);
	o = normalise("{'fulfillment_status':' Fulfilled '}");
	ok(o != NULL && order_kind(o) == ORDER_NOTHING,
	    "the export's fulfillment_status fulfilled: nothing to ship");
	json_decref(o);
	o = normalise("{'fulfillment_status':'partial'}");
	ok(o != NULL && order_kind(o) == ORDER_SHIP,
	    "fulfillment_status partial: lines to ship");
	json_decref(o);
	rejects("{'lines':[]}", "lines is empty",
	    "no lines and nothing in not_shipped: an error still");
}

/* Lines without a SKU, given one from the catalogue by ingest.sku_from. */
static void
test_resolve(void)
{
	struct catalog *cat =
	    catalog_load("tests/data/catalog.csv", &cfg->layout);
	struct config c = *cfg;
	json_t *o;

	catalog_index(cat);
	c.sku_from[0] = SKU_FROM_SKU;
	c.sku_from[1] = SKU_FROM_NAME;
	c.nsku_from = 2;
	o = tjson(
	    "{'lines':[{'sku':'X','qty':1},{'name':' the BOOK of tea',"
	    "'qty':1},{'name':'Yixing clay','variant':'teapot','qty':1}]}");
	ok(order_resolve_skus(o, cat, &c, why, sizeof why) == -1 &&
		strcmp(why,
		    "lines[2]: no product in the catalogue has its name") == 0,
	    "by name: a line no product has, named by its index");
	ok(strcmp(tjson_dump(tjson_at(o, "lines.0")),
	       "{\"sku\":\"X\",\"qty\":1}") == 0 &&
		strcmp(tjson_dump(tjson_at(o, "lines.1.sku")), "\"BOOK-1\"") ==
		    0 &&
		strcmp(tjson_dump(tjson_at(o, "lines.1.sku_from")),
		    "\"name\"") == 0,
	    "a SKU given is kept; a name finds its SKU, and says so");
	json_decref(o);
	o = tjson("{'lines':[{'qty':1}]}");
	ok(order_resolve_skus(o, cat, &c, why, sizeof why) == -1 &&
		strcmp(why, "lines[0] has nothing to find its SKU by "
			    "(ingest.sku_from)") == 0,
	    "neither SKU nor name");
	json_decref(o);
	c.nsku_from = 1;
	o = tjson("{'lines':[{'qty':1}]}");
	ok(order_resolve_skus(o, cat, &c, why, sizeof why) == 0,
	    "sku only: nothing looked up (order_normalise says what is "
	    "missing)");
	json_decref(o);
	catalog_free(cat);
}

/* order_tracking(): the numbers of the record's parcels, as they are. */
static void
test_tracking(void)
{
	json_t *o = tjson("{'shipment': {'tracking': 'SF1', 'parcels': "
			  "[{'n': 1, 'tracking': 'SF1'}, {'n': 2}, "
			  "{'n': 3, 'tracking': 'XX9'}]}}");
	const char **v;
	size_t n = order_tracking(o, &v);

	is_int((int)n, 2, "tracking: a parcel without a number left out");
	is_str(n == 2 ? v[0] : "", "SF1", "tracking: first");
	is_str(n == 2 ? v[1] : "", "XX9", "tracking: then the next");
	free(v);
	json_decref(o);
	o = tjson("{'shipment': {'tracking': 'SF1'}}");
	is_int((int)order_tracking(o, &v), 0, "tracking: no parcels, none");
	ok(v == NULL, "tracking: nothing to free");
	json_decref(o);
}

int
main(void)
{
	err_init("test-order");
	cfg = config_load("tests/data/fulfil.json");
	test_whole();
	test_top();
	test_time_currency();
	test_ship_to();
	test_phones();
	test_customer();
	test_lines();
	test_amounts();
	test_payment();
	test_service_window();
	test_preferences();
	test_owned();
	test_contract();
	test_nothing();
	test_resolve();
	test_twice();
	test_no_currency();
	test_tracking();
	json_decref(warn);
	config_free(cfg);
	return done_testing();
}
