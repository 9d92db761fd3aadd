/*
 * Message templates: locale fallback, names that must not reach a path,
 * every formatter in English and Chinese, blocks, and the errors of
 * fields and of malformed templates.  Templates are written to a
 * temporary directory, each under a name of its own (the set caches
 * what it read), and removed at the end.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "tap.h"
#include "template.h"

#define MAXMADE 256

static char dir[] = "/tmp/test-template.XXXXXX";
static char made[MAXMADE][128]; /* files and directories, in order */
static int nmade;
static struct tmpl_set *set;
static const struct tmpl_env shanghai = {"Asia/Shanghai", NULL};
static const struct tmpl_env *env = &shanghai;

static void
cleanup(void)
{
	while (nmade > 0)
		remove(made[--nmade]);
	rmdir(dir);
}

static void
remember(const char *path)
{
	if (nmade == MAXMADE)
		err_exit(2, "more than %d files", MAXMADE);
	snprintf(made[nmade++], sizeof made[0], "%s", path);
}

/*
 * Write n bytes to DIR/rel, making its locale directory.  A name used
 * twice is a mistake in the test (the set would have it cached), so the
 * file must be new.
 */
static void
write_n(const char *rel, const char *text, size_t n)
{
	char path[128], *slash;
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, rel);
	slash = strrchr(path, '/');
	*slash = '\0';
	if (mkdir(path, 0755) == 0)
		remember(path);
	else if (errno != EEXIST)
		err_exit_sys(2, "cannot make '%s'", path);
	*slash = '/';
	if ((f = fopen(path, "wx")) == NULL)
		err_exit_sys(2, "cannot create '%s'", path);
	remember(path);
	if (fwrite(text, 1, n, f) != n || fclose(f) != 0)
		err_exit_sys(2, "cannot write '%s'", path);
}

static void
write_file(const char *rel, const char *text)
{
	write_n(rel, text, strlen(text));
}

/*
 * Find event.channel for locale and render it with the record ctx (JSON
 * text).  Returns the body, or "error: why", or "find: N" when the find
 * did not return 0; the caller frees it, and *subject as tmpl_render.
 */
static char *
render(const char *locale, const char *event, const char *channel,
    const char *ctx, char **subject)
{
	json_error_t jerr;
	json_t *rec = json_loads(ctx, 0, &jerr);
	struct tmpl *t;
	char why[256], *body;
	int r;

	if (rec == NULL)
		err_exit(2, "bad JSON in the test: %s: %s", ctx, jerr.text);
	if ((r = tmpl_find(set, locale, event, channel, &t)) != 0) {
		json_decref(rec);
		xasprintf(&body, "find: %d", r);
		return body;
	}
	why[0] = '\0';
	body = tmpl_render(t, rec, env, subject, why, sizeof why);
	json_decref(rec);
	if (body == NULL)
		xasprintf(&body, "error: %s", why);
	return body;
}

/* Write LOCALE/EVENT.sms with text, render it with ctx, expect want. */
static void
check(const char *locale, const char *event, const char *text, const char *ctx,
    const char *want)
{
	char rel[96], *got;

	snprintf(rel, sizeof rel, "%s/%s.sms", locale, event);
	write_file(rel, text);
	got = render(locale, event, "sms", ctx, NULL);
	is_str(got, want, "%s", rel);
	free(got);
}

/* tmpl_find finds a template, in want_locale. */
static void
found(const char *locale, const char *event, const char *channel,
    const char *want_locale)
{
	const char *shown = locale != NULL ? locale : "NULL";
	struct tmpl *t = NULL;
	int r = tmpl_find(set, locale, event, channel, &t);

	if (!ok(r == 0 && t != NULL, "find %s %s.%s", shown, event, channel)) {
		printf("#   returned %d\n", r);
		return;
	}
	is_str(tmpl_locale(t), want_locale, "  in %s", want_locale);
}

/* tmpl_find finds no template: 1, and *out NULL. */
static void
absent(const char *locale, const char *event, const char *channel)
{
	static char sentinel;
	struct tmpl *t = (struct tmpl *)(void *)&sentinel; /* overwritten */

	is_int(tmpl_find(set, locale, event, channel, &t), 1, "no %s.%s for %s",
	    event, channel, locale);
	ok(t == NULL, "  *out is NULL");
}

static void
invalid(const char *locale, const char *event, const char *channel)
{
	struct tmpl *t;

	errno = 0;
	is_int(tmpl_find(set, locale, event, channel, &t), -1,
	    "'%s' '%s' '%s' is rejected", locale ? locale : "NULL",
	    event ? event : "NULL", channel ? channel : "NULL");
	is_int(errno, EINVAL, "  with EINVAL");
}

static const char order[] =
    "{\"order_id\":\"1058\",\"currency\":\"CNY\",\"total\":7200,"
    "\"ship_to\":{\"name\":\"王小明\"},"
    "\"dispatch\":{\"dispatched_at\":\"2026-11-24T20:00:00Z\"},"
    "\"promise\":{\"at_risk\":true},"
    "\"shipment\":{\"parcels\":[{\"tracking\":\"SF1234567890\"},"
    "{\"tracking\":\"SF2\"}]},"
    "\"lines\":[{\"name\":\"Tea\",\"qty\":2},{\"name\":\"Cup\",\"qty\":1}]}";

static void
setup(void)
{
	write_file("en/shipped.email",
	    "Subject: Order {{ order_id }} has shipped\n"
	    "\n"
	    "Dear {{ship_to.name}},\n"
	    "\n"
	    "Your order of {{ total | money }} left on "
	    "{{ dispatch.dispatched_at | date }}.\n"
	    "{{#if promise.at_risk}}\n"
	    "It may arrive later than we promised.\n"
	    "{{/if}}\n"
	    "Tracking: {{ shipment.parcels.0.tracking }}\n");
	write_file("zh-CN/shipped.email",
	    "Subject: 您的订单 {{order_id}} 已发货\n"
	    "\n"
	    "{{ship_to.name}}，您好：\n"
	    "订单金额 {{total|money}}，已于 "
	    "{{dispatch.dispatched_at|datetime}} 发出。\n"
	    "  {{#if promise.at_risk}}  \n"
	    "可能晚于承诺时间送达。\n"
	    "  {{/if}}\n");
	write_file("zh/shipped.sms", "【商店】订单{{order_id}}已发货，运单号"
				     "{{shipment.parcels.0.tracking}}。\n");
	write_file("en/shipped.sms", "Order {{order_id}} shipped: "
				     "{{shipment.parcels.0.tracking}}\n");
	write_file("en/delivered.sms", "Delivered.\n");
}

static void
test_lookup(void)
{
	struct tmpl *a, *b;
	struct tmpl_set *other;
	char long_ok[TMPL_LOCALE_MAX + 1], too_long[TMPL_LOCALE_MAX + 2];

	found("zh-CN", "shipped", "email", "zh-CN");
	found("zh-TW", "shipped", "sms", "zh");
	found("zh-TW", "shipped", "email", "en");
	found("zh", "shipped", "sms", "zh");
	found("fr", "shipped", "sms", "en");
	found("fr-CA", "shipped", "email", "en");
	found(NULL, "shipped", "sms", "en");
	found("zh_cn", "shipped", "email", "zh-CN");
	found("ZH-cn", "shipped", "email", "zh-CN");
	found("zh-Hans-CN", "shipped", "sms", "zh");
	found("en-US", "shipped", "sms", "en");
	absent("zh-CN", "delivered", "email");
	absent("zh-CN", "shipped", "webhook");
	absent("en", "returned", "sms");

	is_int(tmpl_find(set, "zh-CN", "shipped", "email", &a), 0, "find");
	is_int(tmpl_find(set, "zh_CN", "shipped", "email", &b), 0, "again");
	ok(a == b, "the second find is the cached template");
	is_str(tmpl_name(a), "zh-CN/shipped.email", "tmpl_name");
	ok(tmpl_error(a) == NULL, "no tmpl_error");

	memset(long_ok, 'a', TMPL_LOCALE_MAX);
	long_ok[TMPL_LOCALE_MAX] = '\0';
	found(long_ok, "shipped", "sms", "en");
	memset(too_long, 'a', TMPL_LOCALE_MAX + 1);
	too_long[TMPL_LOCALE_MAX + 1] = '\0';
	invalid(too_long, "shipped", "sms");
	invalid("../../etc", "shipped", "sms");
	invalid("..", "shipped", "sms");
	invalid("zh/CN", "shipped", "sms");
	invalid("", "shipped", "sms");
	invalid("zh-", "shipped", "sms");
	invalid("-zh", "shipped", "sms");
	invalid("zh--CN", "shipped", "sms");
	invalid("zh CN", "shipped", "sms");
	invalid("中文", "shipped", "sms");
	invalid("en", "../shipped", "sms");
	invalid("en", "Shipped", "sms");
	invalid("en", "", "sms");
	invalid("en", NULL, "sms");
	invalid("en", "shipped", "e.mail");
	invalid("en", "shipped", "sms/../x");

	/* The default's language, when the default locale has no template. */
	other = tmpl_open(dir, "en-GB");
	ok(other != NULL, "open with default en-GB");
	is_int(tmpl_find(other, "fr", "shipped", "sms", &a), 0, "fr to en-GB");
	is_str(tmpl_locale(a), "en", "  found in en");
	tmpl_close(other);

	errno = 0;
	ok(tmpl_open(dir, "../x") == NULL && errno == EINVAL,
	    "open with a bad default locale: EINVAL");
	ok(tmpl_open(NULL, "en") == NULL, "open without a directory");

	other = tmpl_open("/nonexistent/templates", "en");
	is_int(tmpl_find(other, "en", "shipped", "sms", &a), 1,
	    "no directory: no template");
	tmpl_close(other);
	tmpl_close(NULL);
}

/* An existing name that cannot be read (a directory) is an error. */
static void
test_read_error(void)
{
	char path[128];
	struct tmpl *t;

	snprintf(path, sizeof path, "%s/en/broken.sms", dir);
	if (mkdir(path, 0755) != 0)
		err_exit_sys(2, "cannot make '%s'", path);
	remember(path);
	errno = 0;
	is_int(tmpl_find(set, "fr", "broken", "sms", &t), -1,
	    "an unreadable template is an error");
	is_int(errno, EISDIR, "  with the read's errno");
}

static void
test_email(void)
{
	char *subject, *body;
	char withsub[sizeof order + 64];

	body = render("en", "shipped", "email", order, &subject);
	is_str(subject, "Order 1058 has shipped", "en subject");
	is_str(body,
	    "Dear 王小明,\n\nYour order of CNY 72.00 left on 25 Nov 2026.\n"
	    "It may arrive later than we promised.\n"
	    "Tracking: SF1234567890",
	    "en body");
	free(subject);
	free(body);

	body = render("zh-CN", "shipped", "email", order, &subject);
	is_str(subject, "您的订单 1058 已发货", "zh-CN subject");
	is_str(body,
	    "王小明，您好：\n订单金额 ¥72.00，已于 2026年11月25日 04:00 "
	    "发出。\n可能晚于承诺时间送达。\n",
	    "zh-CN body");
	free(subject);
	free(body);

	/* The same without promise.at_risk: the block and its lines go. */
	snprintf(withsub, sizeof withsub, "%s", order);
	memcpy(strstr(withsub, "true"), "null", 4);
	body = render("zh-CN", "shipped", "email", withsub, &subject);
	is_str(body,
	    "王小明，您好：\n订单金额 ¥72.00，已于 2026年11月25日 04:00 "
	    "发出。\n",
	    "zh-CN body, not at risk");
	free(subject);
	free(body);

	subject = (char *)withsub;
	body = render("zh-TW", "shipped", "sms", order, &subject);
	is_str(body, "【商店】订单1058已发货，运单号SF1234567890。", "zh sms");
	ok(subject == NULL, "no subject for sms");
	free(body);

	body = render("en", "shipped", "email", order, NULL);
	ok(body != NULL && strncmp(body, "Dear", 4) == 0,
	    "subject NULL: the body alone");
	free(body);

	write_file("en/crlf.email",
	    "\xef\xbb\xbfsubject:\tHi {{n}} \r\n\r\nBody {{n}}\r\nend\r\n");
	body = render("en", "crlf", "email", "{\"n\":1}", &subject);
	is_str(subject, "Hi 1", "BOM, CRLF, lower-case subject: subject");
	is_str(body, "Body 1\r\nend", "BOM, CRLF, lower-case subject: body");
	free(subject);
	free(body);

	write_file("en/empty.email", "Subject: Hello\n\n");
	body = render("en", "empty", "email", "{}", &subject);
	is_str(body, "", "an empty body");
	is_str(subject, "Hello", "  and its subject");
	free(subject);
	free(body);

	write_file("en/subjfield.email", "Subject: {{nope}}\n\nx\n");
	subject = (char *)withsub;
	body = render("en", "subjfield", "email", "{}", &subject);
	is_str(body, "error: template en/subjfield.email: no field 'nope'",
	    "a missing field in the subject");
	ok(subject == NULL, "  *subject is NULL");
	free(body);

	check("en", "subjsms", "Subject: x\n\nbody\n", "{}",
	    "Subject: x\n\nbody");
}

/* Malformed email templates: found, with tmpl_error, and not rendered. */
static void
test_email_errors(void)
{
	static const struct {
		const char *event, *text, *why;
	} cases[] = {
	    {"nosubj", "Hello\n\nbody\n",
		"template en/nosubj.email: line 1: no Subject line"},
	    {"noblank", "Subject: x\nbody\n",
		"template en/noblank.email: line 2: no empty line after the "
		"Subject line"},
	    {"oneline", "Subject: x",
		"template en/oneline.email: line 1: no empty line after the "
		"Subject line"},
	    {"blanksubj", "Subject:  \n\nbody\n",
		"template en/blanksubj.email: line 1: empty Subject line"},
	    {"badsubj", "Subject: {{#if a}}x\n\nbody\n",
		"template en/badsubj.email: line 1: '{{#if}}' without "
		"'{{/if}}'"},
	};
	char rel[64], why[256], *subject, *body;
	struct tmpl *t;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(rel, sizeof rel, "en/%s.email", cases[i].event);
		write_file(rel, cases[i].text);
		is_int(tmpl_find(set, "en", cases[i].event, "email", &t), 0,
		    "%s is found", rel);
		is_str(tmpl_error(t), cases[i].why, "%s: tmpl_error", rel);
		subject = (char *)rel;
		body = tmpl_render(t, NULL, env, &subject, why, sizeof why);
		ok(body == NULL && subject == NULL, "%s is not rendered", rel);
		is_str(why, cases[i].why, "%s: why", rel);
		free(body);
	}
}

static void
test_money(void)
{
	const struct tmpl_env usd = {"Asia/Shanghai", "USD"};

	check("en", "cny_en", "{{a|money}}",
	    "{\"currency\":\"CNY\",\"a\":7200}", "CNY 72.00");
	check("zh-CN", "cny_zh", "{{a|money}}",
	    "{\"currency\":\"CNY\",\"a\":7200}", "¥72.00");
	check("en", "usd_en", "{{ a | money }}",
	    "{\"currency\":\"USD\",\"a\":1250}", "$12.50");
	check("zh-CN", "usd_zh", "{{a | money}}",
	    "{\"currency\":\"USD\",\"a\":1250}", "US$12.50");
	check("en", "eur_en", "{{a|money}}", "{\"currency\":\"EUR\",\"a\":300}",
	    "€3.00");
	check("zh", "eur_zh", "{{a|money}}", "{\"currency\":\"EUR\",\"a\":300}",
	    "€3.00");
	check("zh-CN", "thou_zh", "{{a|money}} {{b|money}} {{c|money}}",
	    "{\"currency\":\"CNY\",\"a\":123450,\"b\":100000,\"c\":99999}",
	    "¥1,234.50 ¥1,000.00 ¥999.99");
	check("en", "thou_en", "{{a|money}}",
	    "{\"currency\":\"CNY\",\"a\":123456789}", "CNY 1,234,567.89");
	check("en", "thou_usd", "{{a|money}}",
	    "{\"currency\":\"USD\",\"a\":123456789}", "$1,234,567.89");
	check("zh-CN", "small", "{{a|money}} {{b|money}}",
	    "{\"currency\":\"CNY\",\"a\":5,\"b\":0}", "¥0.05 ¥0.00");
	check("zh-CN", "neg_zh", "{{a|money}}",
	    "{\"currency\":\"CNY\",\"a\":-123450}", "-¥1,234.50");
	check("en", "neg_en", "{{a|money}} {{b|money}}",
	    "{\"currency\":\"USD\",\"a\":-5,\"b\":-100000}",
	    "-$0.05 -$1,000.00");
	check("en", "neg_code", "{{a|money}}",
	    "{\"currency\":\"CNY\",\"a\":-7200}", "-CNY 72.00");
	check("en", "jpy", "{{a|money}}",
	    "{\"currency\":\"JPY\",\"a\":1234567}", "JPY 1,234,567");
	check("zh-CN", "kwd", "{{a|money}}",
	    "{\"currency\":\"KWD\",\"a\":1234567}", "KWD 1,234.567");
	check("zh-CN", "max", "{{a|money}}",
	    "{\"currency\":\"CNY\",\"a\":9223372036854775807}",
	    "¥92,233,720,368,547,758.07");
	check("en", "nocur", "{{a|money}}", "{\"a\":1}",
	    "error: template en/nocur.sms: field 'a': no currency");
	check("en", "badcur", "{{a|money}}", "{\"currency\":\"XYZ\",\"a\":1}",
	    "error: template en/badcur.sms: field 'a': unknown currency 'XYZ'");
	check("en", "textmoney", "{{a|money}}",
	    "{\"currency\":\"CNY\",\"a\":\"72.00\"}",
	    "error: template en/textmoney.sms: field 'a' is not an integer "
	    "amount");
	check("en", "realmoney", "{{a|money}}",
	    "{\"currency\":\"CNY\",\"a\":72.5}",
	    "error: template en/realmoney.sms: field 'a' is not an integer "
	    "amount");
	check("en", "nullmoney", "{{a|money}}",
	    "{\"currency\":\"CNY\",\"a\":null}",
	    "error: template en/nullmoney.sms: field 'a' is null");

	env = &usd;
	check("en", "envcur", "{{a|money}}", "{\"a\":1250}", "$12.50");
	check("en", "envcur2", "{{a|money}}",
	    "{\"currency\":\"CNY\",\"a\":1250}", "CNY 12.50");
	env = &shanghai;
}

static void
test_dates(void)
{
	const struct tmpl_env newyork = {"America/New_York", NULL};
	const struct tmpl_env mars = {"Mars/Olympus_Mons", NULL};
	static const char late[] = "{\"t\":\"2026-11-24T20:00:00Z\"}";
	static const char afternoon[] = "{\"t\":\"2026-11-25T06:30:00Z\"}";

	check("en", "date_en", "{{t|date}}", late, "25 Nov 2026");
	check("zh-CN", "date_zh", "{{t|date}}", late, "2026年11月25日");
	check("en", "dt_en", "{{t|datetime}}", afternoon, "25 Nov 2026, 14:30");
	check("zh-CN", "dt_zh", "{{t|datetime}}", afternoon,
	    "2026年11月25日 14:30");
	check("en", "dt_mid", "{{ t | datetime }}", late, "25 Nov 2026, 04:00");
	check("en", "time", "{{t|time}}", afternoon, "14:30");
	check("en", "wd_en", "{{t|weekday}}", late, "Wednesday");
	check("zh-CN", "wd_zh", "{{t|weekday}}", late, "星期三");
	check("en", "wd_mon", "{{t|weekday}}",
	    "{\"t\":\"2026-11-23T12:00:00+08:00\"}", "Monday");
	check("zh", "wd_sun", "{{t|weekday}}",
	    "{\"t\":\"2026-11-29T12:00:00+08:00\"}", "星期日");
	check("en", "single", "{{t|date}}",
	    "{\"t\":\"2026-11-05T01:02:00+08:00\"}", "5 Nov 2026");
	check("zh-CN", "single_zh", "{{t|date}}",
	    "{\"t\":\"2026-01-05T01:02:00+08:00\"}", "2026年1月5日");
	check("en", "months", "{{a|date}} {{b|date}} {{c|date}}",
	    "{\"a\":\"2026-01-15T12:00:00Z\",\"b\":\"2026-06-15T12:00:00Z\","
	    "\"c\":\"2026-12-31T12:00:00Z\"}",
	    "15 Jan 2026 15 Jun 2026 31 Dec 2026");
	check("en", "frac", "{{t|datetime}}",
	    "{\"t\":\"2026-11-24T20:00:00.123Z\"}", "25 Nov 2026, 04:00");
	check("en", "notime", "{{t|date}}", "{\"t\":\"tomorrow\"}",
	    "error: template en/notime.sms: field 't' is not an RFC 3339 "
	    "time");
	check("en", "numtime", "{{t|datetime}}", "{\"t\":1764000000}",
	    "error: template en/numtime.sms: field 't' is not an RFC 3339 "
	    "time");
	check("en", "bareday", "{{t|date}}", "{\"t\":\"2026-11-25\"}",
	    "error: template en/bareday.sms: field 't' is not an RFC 3339 "
	    "time");

	env = &newyork;
	check("en", "ny", "{{t|datetime}}", "{\"t\":\"2026-11-25T03:00:00Z\"}",
	    "24 Nov 2026, 22:00");
	check("en", "ny_dst", "{{t|time}}", "{\"t\":\"2026-07-01T12:00:00Z\"}",
	    "08:00");
	env = NULL;
	check("en", "own_offset", "{{t|datetime}} {{a|money}}",
	    "{\"t\":\"2026-11-25T23:30:00+08:00\",\"a\":1,"
	    "\"currency\":\"USD\"}",
	    "25 Nov 2026, 23:30 $0.01");
	env = &mars;
	check("en", "badzone", "{{t|date}}", late,
	    "error: template en/badzone.sms: unknown time zone "
	    "'Mars/Olympus_Mons'");
	env = &shanghai;
}

static void
test_fields(void)
{
	static char big[40000 + 16], exact[32768 + 16];
	char *got;

	check("en", "scalars", "{{n}} {{b}} {{f}} {{r}} {{s}}",
	    "{\"n\":-42,\"b\":true,\"f\":false,\"r\":1.5,\"s\":\"x\"}",
	    "-42 true false 1.5 x");
	check("en", "upper", "{{ c | upper }} {{n|upper}}",
	    "{\"c\":\"sf-express 顺丰\",\"n\":7}", "SF-EXPRESS 顺丰 7");
	check("en", "index", "{{lines.1.name}} x{{lines.1.qty}}", order,
	    "Cup x1");
	check("en", "parcels", "{{shipment.parcels.1.tracking}}", order, "SF2");
	check("en", "index_far", "{{lines.5.name}}", order,
	    "error: template en/index_far.sms: no field 'lines.5.name'");
	check("en", "numkey", "{{o.0}}", "{\"o\":{\"0\":\"zero\"}}", "zero");
	check("en", "intostr", "{{order_id.x}}", order,
	    "error: template en/intostr.sms: no field 'order_id.x'");
	check("en", "missing", "Dear {{ship_to.name}}, {{shipment.tracking}}",
	    order,
	    "error: template en/missing.sms: no field 'shipment.tracking'");
	check("en", "nullf", "Dear {{ship_to.name}}",
	    "{\"ship_to\":{\"name\":null}}",
	    "error: template en/nullf.sms: field 'ship_to.name' is null");
	check("en", "object", "{{ship_to}}", order,
	    "error: template en/object.sms: field 'ship_to' is an object");
	check("en", "array", "{{lines}}", order,
	    "error: template en/array.sms: field 'lines' is an array");
	check("en", "upper_obj", "{{ship_to|upper}}", order,
	    "error: template en/upper_obj.sms: field 'ship_to' is an object");
	check("en", "literal", "{{ '{{' }}name}} {{\"}}\"}} {{'a|b'}}", "{}",
	    "{{name}} }} a|b");
	check(
	    "en", "verbatim", "{{s}}", "{\"s\":\"<b>&amp;\\n\"}", "<b>&amp;\n");
	check("en", "newline", "a\n\n", "{}", "a\n");

	memset(big, 'x', 40000);
	big[40000] = '\0';
	memcpy(exact, "{\"s\":\"", 6);
	memset(exact + 6, 'x', 32768);
	strcpy(exact + 6 + 32768, "\"}");
	write_file("en/exact.sms", "{{s}}{{s}}");
	got = render("en", "exact", "sms", exact, NULL);
	ok(strlen(got) == TMPL_OUTPUT_MAX, "output of exactly %d bytes",
	    TMPL_OUTPUT_MAX);
	free(got);
	{
		char ctx[sizeof big + 16];

		snprintf(ctx, sizeof ctx, "{\"s\":\"%s\"}", big);
		check("en", "toolong", "{{s}}{{s}}", ctx,
		    "error: template en/toolong.sms: output longer than 65536 "
		    "bytes");
	}
}

static void
test_blocks(void)
{
	static const struct {
		const char *value, *want;
	} truth[] = {
	    {"true", "yes"},
	    {"false", ""},
	    {"null", ""},
	    {"\"\"", ""},
	    {"\"x\"", "yes"},
	    {"0", ""},
	    {"1", "yes"},
	    {"0.0", ""},
	    {"[]", ""},
	    {"[0]", "yes"},
	    {"{}", ""},
	    {"{\"k\":1}", "yes"},
	};
	char ctx[64];
	size_t i;

	write_file("en/truth.sms", "{{#if a}}yes{{/if}}");
	for (i = 0; i < sizeof truth / sizeof truth[0]; i++) {
		char *got;

		snprintf(ctx, sizeof ctx, "{\"a\":%s}", truth[i].value);
		got = render("en", "truth", "sms", ctx, NULL);
		is_str(got, truth[i].want, "#if %s", truth[i].value);
		free(got);
	}
	check("en", "absent", "[{{#if a.b.c}}yes{{/if}}]", "{}", "[]");
	check("en", "else1", "{{#if a}}A{{else}}B{{/if}}", "{\"a\":1}", "A");
	check("en", "else0", "{{#if a}}A{{else}}B{{/if}}", "{\"a\":0}", "B");
	check("en", "inline", "x {{#if a}}y{{/if}} z", "{\"a\":0}", "x  z");
	check("en", "nest11",
	    "{{#if a}}a{{#if b}}b{{else}}!b{{/if}}{{else}}!a{{/if}}.",
	    "{\"a\":1,\"b\":1}", "ab.");
	check("en", "nest10",
	    "{{#if a}}a{{#if b}}b{{else}}!b{{/if}}{{else}}!a{{/if}}.",
	    "{\"a\":1,\"b\":0}", "a!b.");
	check("en", "nest01",
	    "{{#if a}}a{{#if b}}b{{else}}!b{{/if}}{{else}}!a{{/if}}.",
	    "{\"a\":0,\"b\":1}", "!a.");
	check("en", "lines1",
	    "Hi\n{{#if a}}\nlate\n{{else}}\nsoon\n{{/if}}\nBye\n",
	    "{\"a\":true}", "Hi\nlate\nBye");
	check("en", "lines0",
	    "Hi\n{{#if a}}\nlate\n{{else}}\nsoon\n{{/if}}\nBye\n",
	    "{\"a\":false}", "Hi\nsoon\nBye");
	check("en", "lastline", "Hi\n{{#if a}}\nlate\n{{/if}}\n", "{}", "Hi\n");
	check("en", "window",
	    "{{#if delivery_window}}Between {{delivery_window.from|time}} and "
	    "{{delivery_window.to|time}}.{{/if}}",
	    "{\"delivery_window\":{\"from\":\"2026-11-25T01:00:00Z\","
	    "\"to\":\"2026-11-25T03:00:00Z\"}}",
	    "Between 09:00 and 11:00.");
	check("en", "nowindow",
	    "{{#if delivery_window}}{{delivery_window.from|"
	    "time}}{{/if}}ok",
	    "{}", "ok");
	check("en", "deep16",
	    "{{#if a}}{{#if a}}{{#if a}}{{#if a}}{{#if a}}{{#if a}}{{#if a}}"
	    "{{#if a}}{{#if a}}{{#if a}}{{#if a}}{{#if a}}{{#if a}}{{#if a}}"
	    "{{#if a}}{{#if a}}deep{{/if}}{{/if}}{{/if}}{{/if}}{{/if}}{{/if}}"
	    "{{/if}}{{/if}}{{/if}}{{/if}}{{/if}}{{/if}}{{/if}}{{/if}}{{/if}}"
	    "{{/if}}",
	    "{\"a\":1}", "deep");
	check("en", "deep17",
	    "{{#if a}}{{#if a}}{{#if a}}{{#if a}}{{#if a}}{{#if a}}{{#if a}}"
	    "{{#if a}}{{#if a}}{{#if a}}{{#if a}}{{#if a}}{{#if a}}{{#if a}}"
	    "{{#if a}}{{#if a}}{{#if a}}x",
	    "{\"a\":1}",
	    "error: template en/deep17.sms: line 1: blocks nested deeper than "
	    "16");
}

static void
test_syntax(void)
{
	static const struct {
		const char *event, *text, *why;
	} cases[] = {
	    {"unterm", "Hello\n{{ship_to.name\n}}",
		"line 2: unterminated '{{'"},
	    {"unterm2", "Hello {{", "line 1: unterminated '{{'"},
	    {"unkfmt", "{{ a | bold }}", "line 1: unknown formatter 'bold'"},
	    {"nofmt", "{{ a | }}", "line 1: unknown formatter ''"},
	    {"chain", "{{ a | date | upper }}",
		"line 1: unknown formatter 'date | upper'"},
	    {"empty", "x\n\n{{ }}", "line 3: empty placeholder"},
	    {"space", "{{ a b }}", "line 1: bad field name 'a b'"},
	    {"dots", "{{ a..b }}", "line 1: bad field name 'a..b'"},
	    {"triple", "{{{a}}}", "line 1: bad field name '{a'"},
	    {"noend", "{{#if a}}x", "line 1: '{{#if}}' without '{{/if}}'"},
	    {"noend2", "{{#if a}}\n{{#if b}}x{{/if}}\n",
		"line 1: '{{#if}}' without '{{/if}}'"},
	    {"nobegin", "x\n{{/if}}", "line 2: '{{/if}}' without '{{#if}}'"},
	    {"loneelse", "{{else}}", "line 1: '{{else}}' outside '{{#if}}'"},
	    {"twoelse", "{{#if a}}{{else}}{{else}}{{/if}}",
		"line 1: second '{{else}}' in one '{{#if}}'"},
	    {"each", "{{#each a}}{{/each}}", "line 1: unknown tag '#each a'"},
	    {"iffy", "{{#iffy}}", "line 1: unknown tag '#iffy'"},
	    {"ifnone", "{{#if }}", "line 1: '{{#if}}' without a field"},
	    {"quote", "{{ 'x }}", "line 1: unterminated quote"},
	    {"quote2", "{{ 'x' y }}",
		"line 1: expected '}}' after the quoted text"},
	    {"latin1", "caf\xe9\n", "line 1: not UTF-8"},
	    {"gbk", "ok\n\xc4\xe3\xba\xc3\n", "line 2: not UTF-8"},
	    {"overlong", "\xc0\xaf", "line 1: not UTF-8"},
	    {"surrogate", "\xed\xa0\x80", "line 1: not UTF-8"},
	};
	char rel[64], want[256], *got;
	static char huge[TMPL_OUTPUT_MAX + 2];
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(want, sizeof want, "error: template en/%s.sms: %s",
		    cases[i].event, cases[i].why);
		check("en", cases[i].event, cases[i].text, "{\"a\":1,\"b\":1}",
		    want);
	}

	write_n("en/nul.sms", "a\nb\0c", 5);
	got = render("en", "nul", "sms", "{}", NULL);
	is_str(got, "error: template en/nul.sms: line 2: NUL byte", "NUL byte");
	free(got);

	memset(huge, 'x', sizeof huge - 1);
	snprintf(rel, sizeof rel, "en/huge.sms");
	write_n(rel, huge, sizeof huge - 1);
	got = render("en", "huge", "sms", "{}", NULL);
	is_str(got, "error: template en/huge.sms: larger than 65536 bytes",
	    "a template too large");
	free(got);
}

int
main(void)
{
	err_init("test-template");
	if (mkdtemp(dir) == NULL)
		err_exit_sys(2, "mkdtemp");
	setup();
	set = tmpl_open(dir, "en");
	ok(set != NULL, "tmpl_open");
	test_lookup();
	test_read_error();
	test_email();
	test_email_errors();
	test_money();
	test_dates();
	test_fields();
	test_blocks();
	test_syntax();
	tmpl_close(set);
	cleanup();
	return done_testing();
}
