/*
 * report: the KPI page.  A full sample and a sparse one are rendered and
 * read back: every data-kpi figure is recomputed from the object by the
 * rules of report.h (written again here, not called), strings from the
 * data come out escaped, the page loads nothing from anywhere, zero data
 * draws finite charts, and report_html writes what report_html_string
 * returns.  Files are made in a temporary directory.
 *
 * REPORT_DUMP=DIR also writes the full sample's page to DIR/report.html
 * and its KPI object, one NDJSON line, to DIR/kpi.ndjson, for
 * tests/report-check.py to read in a real browser.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "err.h"
#include "ndjson.h"
#include "report.h"
#include "tap.h"
#include "tools.h"

#define DASH "\xe2\x80\x93"
#define ELLIPSIS "\xe2\x80\xa6"
#define SHANGHAI "\xe4\xb8\x8a\xe6\xb5\xb7" /* 上海 */
#define SVGNS "xmlns=\"http://www.w3.org/2000/svg\""

static const char sample[] =
    "{\"type\":\"kpi\",\"warehouse\":\"Fulfil Demo Warehouse " SHANGHAI "\","
    "\"from\":\"2026-11-01\",\"to\":\"2026-11-30\","
    "\"generated_at\":\"2026-11-30T18:00:00+08:00\",\"currency\":\"CNY\","
    "\"orders\":120,"
    "\"order_to_ship\":{\"n\":100,\"p50_s\":27900,\"p95_s\":80000},"
    "\"shipped_on_time\":{\"n\":100,\"on_time\":95,\"pct\":95.0},"
    "\"promise_kept\":{\"n\":80,\"kept\":76,\"pct\":95.0},"
    "\"caught\":{\"stalls\":5,\"at_risk\":3,\"before_deliver_by\":7},"
    "\"exceptions_by_carrier\":["
    "{\"carrier\":\"sf\",\"name\":\"SF Express\",\"parcels\":60,"
    "\"exceptions\":2,\"pct\":3.3},"
    "{\"carrier\":\"evil\",\"name\":\"<b>&\\\"\",\"parcels\":30,"
    "\"exceptions\":3,\"pct\":10.0},"
    "{\"carrier\":\"yto\",\"parcels\":10,\"exceptions\":0,\"pct\":0}],"
    "\"reviews\":{\"n\":20,\"average\":4.2,\"negative\":3,"
    "\"called_back\":2,\"called_back_pct\":66.7,"
    "\"median_hours_to_call\":3.5},"
    "\"returns\":{\"orders\":100,\"returns\":4,\"exchanges\":2,"
    "\"rate_pct\":6.0,\"by_reason\":[{\"reason\":\"damaged\",\"n\":2},"
    "{\"reason\":\"wrong size <i>'\\u0007\",\"n\":4}]},"
    "\"pickup\":{\"orders\":9,\"ready\":8,\"collected\":6,\"waiting\":2,"
    "\"placed_to_ready\":{\"n\":8,\"p50_s\":7200,\"p95_s\":10800}}}";

static const char sparse[] =
    "{\"type\":\"kpi\",\"from\":\"2026-11-01\",\"to\":\"2026-11-30\","
    "\"orders\":0}";

/* Every chart given data, all of it zero. */
static const char zeros[] =
    "{\"orders\":0,\"daily\":[{\"day\":\"2026-11-01\",\"orders\":0,"
    "\"shipped\":0,\"on_time\":0},{\"day\":\"2026-11-02\"}],"
    "\"exceptions_by_carrier\":[{\"carrier\":\"sf\",\"parcels\":0,"
    "\"exceptions\":0,\"pct\":0.0}],"
    "\"returns\":{\"by_reason\":[{\"reason\":\"damaged\",\"n\":0}]}}";

/* The figures every page has, data or not. */
static const char *const headline[] = {"orders", "order_to_ship.p50_s",
    "order_to_ship.p95_s", "shipped_on_time.pct", "promise_kept.pct",
    "caught.before_deliver_by", "reviews.average", "reviews.called_back_pct",
    "returns.rate_pct", "pickup.collected"};

static json_t *
parse(const char *text)
{
	json_error_t e;
	json_t *o = json_loads(text, 0, &e);

	if (o == NULL)
		err_exit(2, "test object: %s at column %d", e.text, e.column);
	return o;
}

/* The sample with thirty days of figures, one at zero. */
static json_t *
full_sample(void)
{
	json_t *o = parse(sample), *daily = json_array();
	char day[16];
	int i;

	for (i = 1; i <= 30; i++) {
		snprintf(day, sizeof day, "2026-11-%02d", i);
		json_array_append_new(
		    daily, json_pack("{s:s,s:i,s:i,s:i}", "day", day, "orders",
			       i == 7 ? 0 : 2 + i % 7, "shipped",
			       i == 7 ? 0 : 1 + i % 6, "on_time", i % 5));
	}
	json_object_set_new(o, "daily", daily);
	return o;
}

/* The value at a dotted path, a number indexing an array; or NULL. */
static const json_t *
at(const json_t *o, const char *path)
{
	char buf[128], *key, *save = NULL;

	snprintf(buf, sizeof buf, "%s", path);
	for (key = strtok_r(buf, ".", &save); key != NULL && o != NULL;
	     key = strtok_r(NULL, ".", &save)) {
		if (!json_is_array(o))
			o = json_object_get(o, key);
		else if (strspn(key, "0123456789") == strlen(key))
			o = json_array_get(o, strtoul(key, NULL, 10));
		else
			o = NULL;
	}
	return o;
}

static int
ends(const char *path, const char *key)
{
	size_t n = strlen(path), k = strlen(key);

	return n >= k && strcmp(path + n - k, key) == 0 &&
	       (n == k || path[n - k - 1] == '.');
}

/*
 * An amount of cash on delivery: minor units as major ones, with the
 * row's "exponent" of decimals (tests/report-check.py says the same).
 */
static void
money_text(const json_t *kpi, const char *path, char *buf, size_t n)
{
	char row[128];
	const json_t *v = at(kpi, path), *e;
	long long x, p = 1, i;

	snprintf(row, sizeof row, "%.*s.exponent",
	    (int)(strrchr(path, '.') - path), path);
	e = at(kpi, row);
	if (!json_is_integer(v) || !json_is_integer(e) ||
	    json_integer_value(e) < 0 || json_integer_value(e) > 18) {
		snprintf(buf, n, "%s", DASH);
		return;
	}
	for (i = 0; i < json_integer_value(e); i++)
		p *= 10;
	x = (long long)json_integer_value(v);
	if (p == 1)
		snprintf(buf, n, "%lld", x);
	else
		snprintf(buf, n, "%s%lld.%0*lld", x < 0 ? "-" : "",
		    llabs(x) / p, (int)json_integer_value(e), llabs(x) % p);
}

/* The units of time of the page being checked: en's, or zh-CN's. */
static const char *hours = "h", *minutes = "m";

/* The text report.h promises for the figure at path of kpi. */
static void
want_text(const json_t *kpi, const char *path, char *buf, size_t n)
{
	const json_t *v = at(kpi, path);
	double x = json_number_value(v);
	long long m;

	if (!json_is_number(v))
		snprintf(buf, n, "%s", DASH);
	else if (ends(path, "pct") || ends(path, "rate_pct") ||
		 ends(path, "called_back_pct"))
		snprintf(buf, n, "%.1f%%", x);
	else if (ends(path, "p50_s") || ends(path, "p95_s")) {
		if (x < 0 || x >= 1e15) {
			snprintf(buf, n, "%s", DASH);
			return;
		}
		/* Whole seconds round in whole numbers. */
		m = json_is_integer(v) ? (json_integer_value(v) + 30) / 60
				       : (long long)floor(x / 60 + 0.5);
		snprintf(
		    buf, n, "%lld%s%02lld%s", m / 60, hours, m % 60, minutes);
	} else if (strncmp(path, "cod.by_carrier.", 15) == 0 &&
		   (ends(path, "due") || ends(path, "collected") ||
		       ends(path, "remitted") || ends(path, "outstanding")))
		money_text(kpi, path, buf, n);
	else if (ends(path, "average"))
		snprintf(buf, n, "%.1f", x);
	else if (ends(path, "median_hours_to_call"))
		snprintf(buf, n, "%.1f%s", x, hours);
	else if (json_is_integer(v))
		snprintf(buf, n, "%lld", (long long)json_integer_value(v));
	else
		snprintf(buf, n, "%.0f", x);
}

/*
 * Check every data-kpi element of page against the NDJSON line of kpi:
 * its text, up to the next tag, is what want_text() says of the object
 * read back from the line.  Returns how many were found.
 */
static int
check_figures(const char *page, const json_t *obj, const char *what)
{
	const char *p = page, *q, *end;
	char path[128], got[512], want[512], *line;
	int n = 0, bad = 0;
	size_t len;
	json_t *kpi;

	line = ndjson_dump(obj, &len);
	kpi = parse(line);
	free(line);

	while ((p = strstr(p, "data-kpi=\"")) != NULL) {
		p += strlen("data-kpi=\"");
		q = strchr(p, '"');
		end = q != NULL ? strchr(q, '>') : NULL;
		if (end == NULL || (size_t)(q - p) >= sizeof path) {
			ok(0, "%s: data-kpi attribute well formed", what);
			json_decref(kpi);
			return n;
		}
		snprintf(path, sizeof path, "%.*s", (int)(q - p), p);
		q = strchr(++end, '<');
		snprintf(got, sizeof got, "%.*s", (int)(q - end), end);
		want_text(kpi, path, want, sizeof want);
		if (strcmp(got, want) != 0) {
			printf("#   %s: %s is '%s', want '%s'\n", what, path,
			    got, want);
			bad++;
		}
		n++;
		p = q;
	}
	ok(bad == 0, "%s: %d data-kpi figures follow the rules", what, n);
	json_decref(kpi);
	return n;
}

static int
has_figure(const char *page, const char *path)
{
	char attr[160];

	snprintf(attr, sizeof attr, "data-kpi=\"%s\">", path);
	return strstr(page, attr) != NULL;
}

/* A copy of s in lower case, to search without regard to case. */
static char *
lower(const char *s)
{
	char *l = xstrdup(s), *p;

	for (p = l; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p += 'a' - 'A';
	return l;
}

/*
 * Nothing runs and nothing loads: no script, no URL but the SVG
 * namespace, no src, href, url() or @import.
 */
static void
check_closed(const char *page, const char *what)
{
	char *l = lower(page), *p;
	int urls = 0;

	ok(strstr(l, "<script") == NULL, "%s: no script", what);
	for (p = l; (p = strstr(p, "http")) != NULL; p++)
		if ((strncmp(p, "http://", 7) == 0 ||
			strncmp(p, "https://", 8) == 0) &&
		    !(p - l >= 7 && strncmp(p - 7, SVGNS, strlen(SVGNS)) == 0))
			urls++;
	is_int(urls, 0, "%s: no URL but the SVG namespace", what);
	ok(strstr(l, "src=") == NULL && strstr(l, "href=") == NULL &&
		strstr(l, "url(") == NULL && strstr(l, "@import") == NULL,
	    "%s: no src, href, url() or @import", what);
	ok(strstr(l, "<meta charset=\"utf-8\">") != NULL, "%s: UTF-8", what);
	ok(strstr(l, "name=\"viewport\"") != NULL, "%s: viewport", what);
	ok(strstr(l, "@media (max-width:30rem){.tiles{grid-template-columns:"
		     "1fr}}") != NULL,
	    "%s: tiles in one column on a phone", what);
	ok(strstr(l, "nan") == NULL && strstr(l, "inf") == NULL,
	    "%s: no nan or inf", what);
	free(l);
}

static void
test_full(void)
{
	json_t *kpi = full_sample();
	size_t len = 0, i;
	char *page = report_html_string(kpi, NULL, &len);

	ok(page != NULL && strlen(page) == len, "full: page and its length");
	ok(strncmp(page, "<!DOCTYPE html>", 15) == 0, "full: HTML5");
	check_closed(page, "full");
	ok(check_figures(page, kpi, "full") > 60, "full: figures found");
	for (i = 0; i < sizeof headline / sizeof headline[0]; i++)
		ok(has_figure(page, headline[i]), "full: %s shown",
		    headline[i]);

	/* The examples of the brief, by hand. */
	ok(strstr(page, "<span data-kpi=\"promise_kept.pct\">95.0%</span>") !=
		NULL,
	    "full: promise kept 95.0%%");
	ok(strstr(page, "<span data-kpi=\"pickup.collected\">6</span>") !=
		    NULL &&
		strstr(page, "data-kpi=\"pickup.placed_to_ready.p50_s\">"
			     "2h00m<") != NULL,
	    "full: pickups collected, and how soon ready");
	ok(strstr(page, "<span data-kpi=\"orders\">120</span>") != NULL,
	    "full: 120 orders");
	ok(strstr(page,
	       "<span data-kpi=\"order_to_ship.p50_s\">7h45m</span>") != NULL,
	    "full: p50 7h45m");
	ok(strstr(page, "data-kpi=\"order_to_ship.p95_s\">22h13m<") != NULL,
	    "full: p95 22h13m");
	ok(strstr(page, "<span data-kpi=\"reviews.average\">4.2</span>") !=
		NULL,
	    "full: average review 4.2");
	ok(strstr(page, "data-kpi=\"reviews.called_back_pct\">66.7%<") != NULL,
	    "full: 66.7%% called back");
	ok(strstr(page, "data-kpi=\"reviews.median_hours_to_call\">3.5h<") !=
		NULL,
	    "full: 3.5h to call");
	ok(strstr(page, "data-kpi=\"exceptions_by_carrier.1.pct\">10.0%<") !=
		NULL,
	    "full: carrier bar figure");
	ok(strstr(page, "data-kpi=\"daily.29.shipped\">") != NULL,
	    "full: the last day's figures");

	/* Strings from the data, escaped. */
	ok(strstr(page, "&lt;b&gt;&amp;&quot;") != NULL,
	    "full: hostile carrier name escaped");
	ok(strstr(page, "<b>") == NULL && strstr(page, "<i>") == NULL,
	    "full: no markup from the data");
	ok(strstr(page, "wrong size &lt;i&gt;&#39;<") != NULL,
	    "full: hostile reason escaped, its control character dropped");
	ok(strstr(page, "<title>yto</title>") != NULL,
	    "full: carrier code when there is no name");
	ok(strstr(page, "Fulfil Demo Warehouse " SHANGHAI "</h1>") != NULL,
	    "full: UTF-8 warehouse name in the title");
	ok(strstr(page, "KPI report for 2026-11-01 to 2026-11-30<") != NULL,
	    "full: period");

	is_int(count(page, "<svg "), 3, "full: three charts");
	is_int(count(page, "viewBox=\"0 0 400 "), 3, "full: sized by viewBox");
	is_int(count(page, "width=\"100%\""), 3, "full: 100%% wide");
	ok(count(page, "<title id=") == 3 && count(page, "<desc id=") == 3,
	    "full: each chart has a title and a description");
	ok(strstr(page, ">11-23</text>") != NULL, "full: day labels");
	ok(count(page, "fill=\"#") > 60, "full: coloured bars");

	free(page);
	json_decref(kpi);
}

static void
test_sparse(void)
{
	json_t *kpi = parse(sparse);
	char *page = report_html_string(kpi, NULL, NULL);
	size_t i;

	check_closed(page, "sparse");
	is_int(check_figures(page, kpi, "sparse"),
	    sizeof headline / sizeof headline[0], "sparse: headlines only");
	ok(strstr(page, "<span data-kpi=\"orders\">0</span>") != NULL,
	    "sparse: 0 orders");
	for (i = 1; i < sizeof headline / sizeof headline[0]; i++) {
		char attr[160];

		snprintf(attr, sizeof attr, "data-kpi=\"%s\">" DASH "<",
		    headline[i]);
		ok(strstr(page, attr) != NULL, "sparse: %s is a dash",
		    headline[i]);
	}
	is_int(count(page, "<svg"), 0, "sparse: no chart");
	is_int(count(page, "<p class=\"none\">" DASH "</p>"), 3,
	    "sparse: a dash for each chart");
	ok(strstr(page, "<h1>KPI report</h1>") != NULL,
	    "sparse: title without a warehouse");
	free(page);
	json_decref(kpi);

	page = report_html_string(NULL, NULL, NULL);
	ok(page != NULL && strstr(page, "</html>") != NULL,
	    "no object: a page of dashes");
	free(page);
	kpi = json_array();
	page = report_html_string(kpi, NULL, NULL);
	ok(page != NULL && count(page, "data-kpi=") ==
			       (int)(sizeof headline / sizeof headline[0]),
	    "an array: a page of dashes");
	free(page);
	json_decref(kpi);
}

static void
test_zeros(void)
{
	json_t *kpi = parse(zeros);
	char *page = report_html_string(kpi, NULL, NULL);

	check_closed(page, "zeros");
	check_figures(page, kpi, "zeros");
	is_int(count(page, "<svg "), 3, "zeros: three charts");
	ok(count(page, "stroke=\"#4a5568\"") == 6,
	    "zeros: each chart has its two axes");
	ok(strstr(page, ">1</text>") != NULL &&
		strstr(page, ">1%</text>") != NULL,
	    "zeros: axes up to 1 and 1%%");
	ok(strstr(page, "data-kpi=\"daily.1.orders\">" DASH "<") != NULL,
	    "zeros: a day without figures");
	free(page);
	json_decref(kpi);
}

/* Members of the wrong type are missing figures, never a crash. */
static void
test_wrong_types(void)
{
	json_t *kpi =
	    parse("{\"warehouse\":7,\"from\":[],\"orders\":{},"
		  "\"order_to_ship\":5,\"caught\":[1,2],\"reviews\":\"good\","
		  "\"daily\":[1,[2],null,{\"day\":3,\"orders\":\"4\"}],"
		  "\"exceptions_by_carrier\":{\"sf\":1},"
		  "\"returns\":{\"rate_pct\":false,\"by_reason\":[1,null,\"s\","
		  "{\"reason\":5,\"n\":-2},{\"reason\":\"x\",\"n\":1e300}]}}");
	char *page = report_html_string(kpi, NULL, NULL);

	check_closed(page, "wrong types");
	check_figures(page, kpi, "wrong types");
	is_int(count(page, "<svg "), 2, "wrong types: charts of the arrays");
	ok(strstr(page, "data-kpi=\"returns.by_reason.4.n\">1") != NULL,
	    "wrong types: a huge count in full");
	free(page);
	json_decref(kpi);
}

/* Figures on the edges of the rules, one object at a time. */
static void
test_rules(void)
{
	static const struct {
		const char *json, *path, *want;
	} cases[] = {
	    {"{\"order_to_ship\":{\"p50_s\":0}}", "order_to_ship.p50_s",
		"0h00m"},
	    {"{\"order_to_ship\":{\"p50_s\":29}}", "order_to_ship.p50_s",
		"0h00m"},
	    {"{\"order_to_ship\":{\"p50_s\":30}}", "order_to_ship.p50_s",
		"0h01m"},
	    {"{\"order_to_ship\":{\"p50_s\":59}}", "order_to_ship.p50_s",
		"0h01m"},
	    {"{\"order_to_ship\":{\"p50_s\":3599.9}}", "order_to_ship.p50_s",
		"1h00m"},
	    {"{\"order_to_ship\":{\"p95_s\":363600}}", "order_to_ship.p95_s",
		"101h00m"},
	    {"{\"order_to_ship\":{\"p95_s\":-1}}", "order_to_ship.p95_s", DASH},
	    {"{\"order_to_ship\":{\"p95_s\":1e15}}", "order_to_ship.p95_s",
		DASH},
	    {"{\"order_to_ship\":{\"p95_s\":\"7h\"}}", "order_to_ship.p95_s",
		DASH},
	    {"{\"promise_kept\":{\"pct\":100}}", "promise_kept.pct", "100.0%"},
	    {"{\"promise_kept\":{\"pct\":66.65}}", "promise_kept.pct", "66.7%"},
	    {"{\"promise_kept\":{\"pct\":null}}", "promise_kept.pct", DASH},
	    /* Written "0.15" on the NDJSON line, which rounds down. */
	    {"{\"promise_kept\":{\"pct\":0.15000000000000002}}",
		"promise_kept.pct", "0.1%"},
	    {"{\"reviews\":{\"average\":4.25}}", "reviews.average", "4.2"},
	    {"{\"reviews\":{\"average\":5}}", "reviews.average", "5.0"},
	    {"{\"orders\":120.0}", "orders", "120"},
	    {"{\"orders\":-3}", "orders", "-3"},
	    {"{\"orders\":true}", "orders", DASH},
	    {"{\"orders\":\"120\"}", "orders", DASH},
	    {"{\"orders\":9007199254740993}", "orders", "9007199254740993"},
	};
	char attr[256];
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		json_t *kpi = parse(cases[i].json);
		char *page = report_html_string(kpi, NULL, NULL);

		snprintf(attr, sizeof attr, "data-kpi=\"%s\">%s<",
		    cases[i].path, cases[i].want);
		ok(strstr(page, attr) != NULL, "%s shows '%s'", cases[i].json,
		    cases[i].want);
		check_figures(page, kpi, cases[i].json);
		free(page);
		json_decref(kpi);
	}
}

/* A long label is cut short on the bar and whole in its title. */
static void
test_long_label(void)
{
	json_t *kpi = parse("{\"returns\":{\"by_reason\":[{\"reason\":"
			    "\"" SHANGHAI "abcdefghijklmnopqrstuvwxyz0123456789"
			    "\",\"n\":1}]}}");
	char *page = report_html_string(kpi, NULL, NULL);

	ok(strstr(page, ">" SHANGHAI "abcdefghijklmnopqrstuvwxyz012" ELLIPSIS
			"</text>") != NULL,
	    "long label: 31 characters and an ellipsis");
	ok(strstr(page, "<title>" SHANGHAI
			"abcdefghijklmnopqrstuvwxyz0123456789</title>") != NULL,
	    "long label: whole in the title");
	free(page);
	json_decref(kpi);
}

static void
test_file(void)
{
	json_t *kpi = full_sample();
	char why[256] = "", *page, *file;
	size_t len, flen = 0;
	struct stat st;

	tmpdir("test-report");
	page = report_html_string(kpi, NULL, &len);
	is_int(report_html(kpi, NULL, "out/report.html", why, sizeof why), 0,
	    "report_html writes out/report.html, making out");
	file = slurp("out/report.html", &flen);
	ok(file != NULL && flen == len && memcmp(file, page, len) == 0,
	    "the file is report_html_string's page");
	free(file);
	is_int(report_html(kpi, NULL, "out/report.html", why, sizeof why), 0,
	    "and replaces it");
	ok(unlink("out/report.html") == 0 && rmdir("out") == 0,
	    "leaving no temporary file");

	is_int(report_html(
		   kpi, NULL, "/nonexistent-dir/sub/r.html", why, sizeof why),
	    -1, "a missing parent directory fails");
	is_str(why,
	    "cannot create directory '/nonexistent-dir/sub': No such file "
	    "or directory",
	    "and says why");
	ok(stat("/nonexistent-dir", &st) == -1, "making nothing");

	why[0] = '\0';
	is_int(report_html(kpi, NULL, "out?/r.html", why, sizeof why), 0,
	    "any directory name will do");
	ok(unlink("out?/r.html") == 0 && rmdir("out?") == 0, "cleaned up");
	is_int(report_html(kpi, NULL, "bad name.html", why, sizeof why), -1,
	    "an unsafe file name fails");
	ok(strstr(why, "cannot write 'bad name.html': ") == why, "says '%s'",
	    why);
	is_int(report_html(kpi, NULL, "", why, sizeof why), -1, "so does none");
	is_int(report_html(kpi, NULL, "dir/", why, sizeof why), -1,
	    "and a directory");
	ok(stat("dir", &st) == -1, "which is not made");
	save("plain", "", 0);
	is_int(report_html(kpi, NULL, "plain/r.html", why, sizeof why), -1,
	    "a plain file is no directory");
	is_str(
	    why, "cannot write 'plain/r.html': Not a directory", "and says so");
	is_int(report_html(kpi, NULL, "plain/r.html", NULL, 0), -1,
	    "without room for a reason");
	unlink("plain");
	tmpdir_remove();
	free(page);
	json_decref(kpi);
}

/*
 * The page in zh-CN: the same figures in its units, its dates, a reason
 * by its zh-CN label, and none of the en page's headings.
 */
static void
test_zh(void)
{
	static const char *const en[] = {"<h2>Orders</h2>", "Order to ship",
	    "median</small>", "percentile", " of ", "Daily",
	    "Returns by reason", "Exceptions by carrier", "KPI report",
	    "Generated", " parcels<", "On time", "Headline"};
	json_t *kpi = full_sample();
	char *page;
	size_t i;

	json_object_set_new(kpi, "cod",
	    parse("{\"by_carrier\":[{\"carrier\":\"sf\",\"name\":\"SF\","
		  "\"currency\":\"CNY\",\"exponent\":2,\"parcels\":1,"
		  "\"due\":100,\"collected\":100,\"remitted\":0,"
		  "\"outstanding\":100,\"discrepancies\":1}],"
		  "\"discrepancies\":1}"));
	json_array_append_new(
	    json_object_get(json_object_get(kpi, "returns"), "by_reason"),
	    parse("{\"reason\":\"wrong_item\",\"label\":\"Wrong item\","
		  "\"labels\":{\"en\":\"Wrong item\",\"zh-CN\":"
		  "\"\xe5\x8f\x91\xe9\x94\x99\"},\"n\":1}"));
	hours = "\xe5\xb0\x8f\xe6\x97\xb6"; /* 小时 */
	minutes = "\xe5\x88\x86";           /* 分 */
	page = report_html_string(kpi, "zh-CN", NULL);
	ok(strstr(page, "<html lang=\"zh-CN\">") != NULL, "zh-CN: its lang");
	ok(check_figures(page, kpi, "zh-CN") > 60, "zh-CN: figures found");
	check_closed(page, "zh-CN");
	ok(strstr(page, "data-kpi=\"order_to_ship.p50_s\">7\xe5\xb0\x8f"
			"\xe6\x97\xb6"
			"45\xe5\x88\x86<") != NULL,
	    "zh-CN: p50 7 hours 45 minutes");
	ok(strstr(page, "2026\xe5\xb9\xb4"
			"11\xe6\x9c\x88"
			"1\xe6\x97\xa5") != NULL,
	    "zh-CN: 2026-11-01 as a Chinese date");
	ok(strstr(page, ">\xe5\x8f\x91\xe9\x94\x99<") != NULL &&
		strstr(page, "Wrong item") == NULL,
	    "zh-CN: a reason by its zh-CN label");
	for (i = 0; i < sizeof en / sizeof en[0]; i++)
		ok(strstr(page, en[i]) == NULL, "zh-CN: no '%s'", en[i]);
	free(page);
	hours = "h";
	minutes = "m";
	page = report_html_string(kpi, "en", NULL);
	ok(strstr(page, ">Wrong item<") != NULL, "en: the en label");
	ok(strstr(page, "<h2>Cash on delivery</h2>") != NULL, "en: in en");
	free(page);
	json_decref(kpi);

	ok(report_locale_known("en") && report_locale_known("zh-CN"),
	    "en and zh-CN are known");
	ok(!report_locale_known("zh") && !report_locale_known("zh-cn") &&
		!report_locale_known("EN") && !report_locale_known("") &&
		!report_locale_known(NULL),
	    "zh, zh-cn, EN, nothing are not");
}

/* REPORT_DUMP=DIR: the full sample for tests/report-check.py. */
static void
dump(const char *dir)
{
	json_t *kpi = full_sample();
	char why[256], *path, *line;
	size_t len;
	FILE *fp;

	xasprintf(&path, "%s/report.html", dir);
	if (report_html(kpi, NULL, path, why, sizeof why) != 0)
		err_exit(2, "%s", why);
	free(path);
	xasprintf(&path, "%s/kpi.ndjson", dir);
	line = ndjson_dump(kpi, &len);
	fp = create(path);
	if (fprintf(fp, "%s\n", line) < 0)
		err_exit_sys(2, "cannot write '%s'", path);
	shut(fp, path);
	printf("# wrote %s/report.html and %s\n", dir, path);
	free(line);
	free(path);
	json_decref(kpi);
}

int
main(int argc, char **argv)
{
	const char *d = getenv("REPORT_DUMP");

	err_init(argv[0]);
	if (d != NULL && *d != '\0')
		dump(d);
	test_full();
	test_sparse();
	test_zeros();
	test_wrong_types();
	test_rules();
	test_long_label();
	test_file();
	test_zh();
	return done_testing();
}
