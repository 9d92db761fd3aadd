#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "money.h"
#include "ndjson.h"
#include "outfile.h"
#include "report.h"
#include "utf8.h"

#define DASH "\xe2\x80\x93"     /* U+2013 EN DASH, for a missing figure */
#define ELLIPSIS "\xe2\x80\xa6" /* U+2026, after a label cut short */
#define MIDDOT " \xc2\xb7 "     /* U+00B7 between the figures of a line */

/* Room for any figure: printf "%.0f" of the largest double is 309 digits. */
#define FIGURE_MAX 400
/* Characters of a bar's label shown before it is cut short. */
#define LABEL_MAX 32
/* Figures are drawn no longer than this, which keeps the axes finite. */
#define DRAW_MAX 1e15

/* Chart geometry, in SVG user units: every chart is this wide. */
#define CW 400.0

/* The page's languages: a column of texts[] each. */
enum lang { EN, ZH_CN, NLANG };
static const char *const lang_tag[NLANG] = {"en", "zh-CN"};

/*
 * Every text of the page's own, by what it says.  A text is static HTML;
 * in a template ("{0} of {1}"), {N} stands for the Nth figure (or date)
 * its caller gives, so that each language puts them in its own order.
 */
enum text {
	T_NONE,
	T_REPORT,
	T_PERIOD,
	T_WH_SEP,
	T_GENERATED,
	T_HEADLINES,
	T_ORDERS,
	T_TO_SHIP,
	T_TO_SHIP_V,
	T_TO_SHIP_S,
	T_TO_SHIP_M,
	T_ON_TIME,
	T_ON_TIME_M,
	T_KEPT,
	T_KEPT_M,
	T_CAUGHT,
	T_CAUGHT_S,
	T_CAUGHT_M,
	T_REVIEW,
	T_REVIEW_M,
	T_CALLED,
	T_CALLED_M,
	T_RETURNS,
	T_RETURNS_M,
	T_PICKUP,
	T_PICKUP_M,
	T_FIGURE,
	T_DAILY,
	T_DAILY_D,
	T_SHIPPED,
	T_DAILY_FIGURES,
	T_DAY,
	T_ON_TIME_COL,
	T_CARRIERS,
	T_CARRIERS_D,
	T_CARRIERS_ROW,
	T_REASONS,
	T_REASONS_D,
	T_COD,
	T_COD_OPEN,
	T_CARRIER,
	T_CURRENCY,
	T_PARCELS,
	T_DUE,
	T_COLLECTED,
	T_REMITTED,
	T_OUTSTANDING,
	T_OPEN,
	T_SPLIT,
	T_SPLIT_M,
	T_ORDER,
	T_SHIPMENT,
	T_STATUS,
	T_DISPATCHED,
	T_LATE,
	T_LATE_YES,
	T_HOURS,
	T_MINUTES,
	T_DATE,
	T_DATE_SHORT,
	T_TIME,
	T_SITES,
	T_WAREHOUSE,
	NTEXT
};

static const char *const texts[NTEXT][NLANG] = {
    [T_NONE] = {"", ""},
    [T_SITES] = {"By warehouse", "各仓库"},
    [T_WAREHOUSE] = {"Warehouse", "仓库"},
    [T_REPORT] = {"KPI report", "关键指标报告"},
    [T_PERIOD] = {"KPI report for {0} to {1}", "{0}至{1}关键指标报告"},
    [T_WH_SEP] = {": ", "："},
    [T_GENERATED] = {"Generated {0}", "生成于 {0}"},
    [T_HEADLINES] = {"Headline figures", "主要指标"},
    [T_ORDERS] = {"Orders", "订单"},
    [T_TO_SHIP] = {"Order to ship", "下单到发货"},
    [T_TO_SHIP_V] = {"{0} <small>median</small>", "{0} <small>中位数</small>"},
    [T_TO_SHIP_S] = {"95th percentile {1}", "第 95 百分位 {1}"},
    [T_TO_SHIP_M] = {MIDDOT "shipped {2}", MIDDOT "已发货 {2}"},
    [T_ON_TIME] = {"Shipped on time", "按时发货"},
    [T_ON_TIME_M] = {"by the ship-by time: {1} of {2}",
	"{2} 单中 {1} 单在发货时限前发出"},
    [T_KEPT] = {"Promise kept", "兑现送达承诺"},
    [T_KEPT_M] = {"delivered by the deliver-by date: {1} of {2}",
	"{2} 单中 {1} 单在承诺送达日前送达"},
    [T_CAUGHT] = {"Delays caught", "提前发现的延误"},
    [T_CAUGHT_S] = {"before the deliver-by date", "在承诺送达日之前"},
    [T_CAUGHT_M] = {MIDDOT "stalled {1}" MIDDOT "at risk {2}",
	MIDDOT "停滞 {1}" MIDDOT "有延误风险 {2}"},
    [T_REVIEW] = {"Average review", "平均评分"},
    [T_REVIEW_M] = {"reviews {1}", "评价 {1} 条"},
    [T_CALLED] = {"Negative reviews called back", "差评已回访"},
    [T_CALLED_M] = {"{1} of {2}" MIDDOT "median wait {3}",
	"{2} 条中 {1} 条" MIDDOT "等待时间中位数 {3}"},
    [T_RETURNS] = {"Returns and exchanges", "退货与换货"},
    [T_RETURNS_M] = {"returns {1}" MIDDOT "exchanges {2}" MIDDOT "orders {3}",
	"退货 {1}" MIDDOT "换货 {2}" MIDDOT "订单 {3}"},
    [T_PICKUP] = {"Pickups collected", "自提已取件"},
    [T_PICKUP_M] = {"of {1}" MIDDOT "waiting {2}" MIDDOT "ready in {3} "
		    "<small>median</small>",
	"共 {1} 单" MIDDOT "待取 {2}" MIDDOT "备好用时 {3} "
	"<small>中位数</small>"},
    [T_FIGURE] = {"{0}", "{0}"},
    [T_DAILY] = {"Daily orders and shipped", "每日订单与发货"},
    [T_DAILY_D] = {"Orders received and orders shipped each day, as pairs "
		   "of bars",
	"每天收到的订单与发出的订单，每天一对柱形"},
    [T_SHIPPED] = {"Shipped", "已发货"},
    [T_DAILY_FIGURES] = {"Daily figures", "每日数据"},
    [T_DAY] = {"Day", "日期"},
    [T_ON_TIME_COL] = {"On time", "按时"},
    [T_CARRIERS] = {"Exceptions by carrier", "各承运商的异常"},
    [T_CARRIERS_D] = {"Share of each carrier's parcels with a delivery "
		      "exception",
	"各承运商的包裹中出现派送异常的比例"},
    [T_CARRIERS_ROW] = {"{0}" MIDDOT "{1} of {2} parcels",
	"{0}" MIDDOT "{2} 件中 {1} 件"},
    [T_REASONS] = {"Returns by reason", "退货原因"},
    [T_REASONS_D] = {"Returns and exchanges for each reason code",
	"每个原因代码的退货与换货数"},
    [T_COD] = {"Cash on delivery", "货到付款"},
    [T_COD_OPEN] = {"Discrepancies open now: {0}", "目前未解决的差异：{0}"},
    [T_CARRIER] = {"Carrier", "承运商"},
    [T_CURRENCY] = {"Currency", "币种"},
    [T_PARCELS] = {"Parcels", "包裹"},
    [T_DUE] = {"Due", "应收"},
    [T_COLLECTED] = {"Collected", "已代收"},
    [T_REMITTED] = {"Remitted", "已汇款"},
    [T_OUTSTANDING] = {"Outstanding", "未结清"},
    [T_OPEN] = {"Open", "未解决"},
    [T_SPLIT] = {"Split orders", "分批发货的订单"},
    [T_SPLIT_M] = {"Orders shipped in parts: {0}" MIDDOT "backorders {1}" MIDDOT
		   "waiting for stock {2}",
	"分批发货的订单：{0}" MIDDOT "补发单 {1}" MIDDOT "等待到货 {2}"},
    [T_ORDER] = {"Order", "订单号"},
    [T_SHIPMENT] = {"Shipment", "发货批次"},
    [T_STATUS] = {"Status", "状态"},
    [T_DISPATCHED] = {"Dispatched", "发出时间"},
    [T_LATE] = {"Late", "延误"},
    [T_LATE_YES] = {"late", "延误"},
    [T_HOURS] = {"h", "小时"},
    [T_MINUTES] = {"m", "分"},
    [T_DATE] = {"{0}-{1}-{2}", "{0}年{3}月{4}日"},
    [T_DATE_SHORT] = {"{1}-{2}", "{3}月{4}日"},
    [T_TIME] = {"{0}T{1}", "{0} {1}"},
};

static const char *const palette[] = {
    "#2b6cb0", "#2f855a", "#dd6b20", "#b83280", "#6b46c1", "#319795"};
#define NPALETTE (sizeof palette / sizeof palette[0])

/* The page as it grows, and the language of its texts. */
struct page {
	char *s;
	size_t len, cap;
	enum lang lang;
};

/*
 * The text id in the page's language.  A text the table lacks in one is
 * a mistake of this file, found by the first page that shows it.
 */
static const char *
tx(const struct page *pg, enum text id)
{
	if (texts[id][pg->lang] == NULL)
		err_exit(EXIT_TROUBLE, "internal error: no text %d in %s",
		    (int)id, lang_tag[pg->lang]);
	return texts[id][pg->lang];
}

static void
page_add(struct page *pg, const char *s, size_t n)
{
	xgrow(&pg->s, &pg->cap, pg->len + n + 1, 1);
	memcpy(pg->s + pg->len, s, n);
	pg->len += n;
	pg->s[pg->len] = '\0';
}

static void
page_puts(struct page *pg, const char *s)
{
	page_add(pg, s, strlen(s));
}

static void __attribute__((format(printf, 2, 3)))
page_printf(struct page *pg, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		err_exit(EXIT_TROUBLE, "internal error: bad format '%s'", fmt);
	xgrow(&pg->s, &pg->cap, pg->len + (size_t)n + 1, 1);
	va_start(ap, fmt);
	vsnprintf(pg->s + pg->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	pg->len += (size_t)n;
}

/*
 * Where to cut s to show at most max characters, the last an ellipsis:
 * NULL when s fits.  Bytes that are not UTF-8 count one character each.
 */
static const char *
text_cut(const char *s, size_t max)
{
	const char *p, *cut = NULL;
	size_t chars, n;
	uint32_t cp;

	for (p = s, chars = 0; *p != '\0'; p += n != 0 ? n : 1, chars++) {
		if (chars + 1 == max)
			cut = p;
		if (chars == max)
			return cut;
		n = utf8_decode(p, &cp);
	}
	return NULL;
}

/*
 * Text from the data, escaped for HTML text and attribute values alike.
 * Control characters (C0 but tab and newline, DEL, C1) would be parse
 * errors and are dropped; what is not UTF-8 becomes U+FFFD.  With max
 * above 0, text of more than max characters is cut short by text_cut().
 * NULL is a dash.
 */
static void
page_text(struct page *pg, const char *s, size_t max)
{
	const char *p, *cut;
	size_t n;
	uint32_t cp;

	if (s == NULL) {
		page_puts(pg, DASH);
		return;
	}
	cut = max > 0 ? text_cut(s, max) : NULL;
	for (p = s; *p != '\0' && p != cut; p += n != 0 ? n : 1) {
		n = utf8_decode(p, &cp);
		if (n == 0)
			page_puts(pg, UTF8_REPLACEMENT);
		else if (cp == '&')
			page_puts(pg, "&amp;");
		else if (cp == '<')
			page_puts(pg, "&lt;");
		else if (cp == '>')
			page_puts(pg, "&gt;");
		else if (cp == '"')
			page_puts(pg, "&quot;");
		else if (cp == '\'')
			page_puts(pg, "&#39;");
		else if ((cp >= 0x20 && cp < 0x7f) || cp >= 0xa0 ||
			 cp == '\t' || cp == '\n')
			page_add(pg, p, n);
	}
	if (cut != NULL)
		page_puts(pg, ELLIPSIS);
}

/* The member at a dotted path of object keys ("reviews.average"), or NULL. */
static const json_t *
member(const json_t *o, const char *path)
{
	char key[64];
	const char *dot;
	size_t n;

	while (o != NULL && *path != '\0') {
		dot = strchr(path, '.');
		n = dot != NULL ? (size_t)(dot - path) : strlen(path);
		if (n >= sizeof key)
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		o = json_object_get(o, key);
		path += n + (dot != NULL);
	}
	return o;
}

/*
 * The number v as whoever reads the NDJSON line gets it back: ndjson_dump
 * writes reals to 15 significant digits, and rounding the full double to
 * one decimal could disagree with rounding that (0.15000000000000002 is
 * written "0.15").
 */
static double
as_dumped(const json_t *v)
{
	char buf[32];

	if (json_is_integer(v))
		return (double)json_integer_value(v);
	snprintf(buf, sizeof buf, "%.15g", json_real_value(v));
	return strtod(buf, NULL);
}

/*
 * The text of a figure by the rules of report.h, chosen by the last key
 * of its path, with the units of pg's language.  buf holds FIGURE_MAX
 * bytes.
 */
static void
figure_text(const struct page *pg, const json_t *v, const char *path, char *buf)
{
	const char *key = strrchr(path, '.');
	double x;
	long long m;

	key = key != NULL ? key + 1 : path;
	if (!json_is_number(v)) {
		snprintf(buf, FIGURE_MAX, "%s", DASH);
		return;
	}
	x = as_dumped(v);
	if (strcmp(key, "pct") == 0 || strcmp(key, "rate_pct") == 0 ||
	    strcmp(key, "called_back_pct") == 0)
		snprintf(buf, FIGURE_MAX, "%.1f%%", x);
	else if (strcmp(key, "p50_s") == 0 || strcmp(key, "p95_s") == 0) {
		if (!(x >= 0 && x < 1e15)) {
			snprintf(buf, FIGURE_MAX, "%s", DASH);
			return;
		}
		m = (long long)floor(x / 60.0 + 0.5);
		snprintf(buf, FIGURE_MAX, "%lld%s%02lld%s", m / 60,
		    tx(pg, T_HOURS), m % 60, tx(pg, T_MINUTES));
	} else if (strcmp(key, "average") == 0)
		snprintf(buf, FIGURE_MAX, "%.1f", x);
	else if (strcmp(key, "median_hours_to_call") == 0)
		snprintf(buf, FIGURE_MAX, "%.1f%s", x, tx(pg, T_HOURS));
	else if (json_is_integer(v))
		snprintf(buf, FIGURE_MAX, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
	else
		snprintf(buf, FIGURE_MAX, "%.0f", x);
}

/* <tag data-kpi="path">figure</tag>, v being the member at path. */
static void
figure(struct page *pg, const char *tag, const json_t *v, const char *path)
{
	char buf[FIGURE_MAX];

	figure_text(pg, v, path, buf);
	page_printf(pg, "<%s data-kpi=\"", tag);
	page_text(pg, path, 0);
	page_printf(pg, "\">%s</%s>", buf, tag);
}

/*
 * The text id, its {N} each written by put(pg, N, arg): the one place a
 * template of texts[] is read.
 */
static void
say(struct page *pg, enum text id,
    void (*put)(struct page *, unsigned, const void *), const void *arg)
{
	const char *t = tx(pg, id), *p;

	while ((p = strchr(t, '{')) != NULL) {
		page_add(pg, t, (size_t)(p - t));
		if (p[1] >= '0' && p[1] <= '9' && p[2] == '}') {
			put(pg, (unsigned)(p[1] - '0'), arg);
			t = p + 3;
		} else {
			page_add(pg, p, 1);
			t = p + 1;
		}
	}
	page_puts(pg, t);
}

/* Figures by their members' keys, for say(). */
struct figs {
	const char *tag;         /* the figure's element */
	const json_t *o;         /* the object the keys are of */
	const char *prefix;      /* o's path, with its '.', or "" */
	const char *const *keys; /* {N}'s key, a dotted path under o */
};

static void
put_fig(struct page *pg, unsigned n, const void *arg)
{
	const struct figs *f = arg;
	char path[128];

	snprintf(path, sizeof path, "%s%s", f->prefix, f->keys[n]);
	figure(pg, f->tag, member(f->o, f->keys[n]), path);
}

/* The text id with the figures of o's keys, in spans. */
static void
say_figs(
    struct page *pg, enum text id, const json_t *o, const char *const *keys)
{
	const struct figs f = {"span", o, "", keys};

	say(pg, id, put_fig, &f);
}

/* A date's parts for say(): {0} year, {1} {2} month and day as given, {3}
 * {4} as numbers ("03", "3"). */
struct date {
	char part[5][5];
};

static void
put_date(struct page *pg, unsigned n, const void *arg)
{
	const struct date *d = arg;

	if (n < 5)
		page_puts(pg, d->part[n]);
}

/*
 * A date of the data, YYYY-MM-DD, by T_DATE (short: T_DATE_SHORT, under a
 * day's bars).  Anything else is shown as it is.
 */
static void
date_text(struct page *pg, const char *s, int shrt)
{
	struct date d;
	int m, dd, i;

	for (i = 0; s != NULL && i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-'
				     : !(s[i] >= '0' && s[i] <= '9'))
			break;
	if (s == NULL || i < 10 || s[10] != '\0') {
		page_text(pg, s, shrt ? 10 : 0);
		return;
	}
	m = atoi(s + 5);
	dd = atoi(s + 8);
	snprintf(d.part[0], sizeof d.part[0], "%.4s", s);
	snprintf(d.part[1], sizeof d.part[1], "%.2s", s + 5);
	snprintf(d.part[2], sizeof d.part[2], "%.2s", s + 8);
	snprintf(d.part[3], sizeof d.part[3], "%d", m);
	snprintf(d.part[4], sizeof d.part[4], "%d", dd);
	say(pg, shrt ? T_DATE_SHORT : T_DATE, put_date, &d);
}

/* An RFC 3339 time's parts for say(): {0} the date, {1} the rest. */
static void
put_time(struct page *pg, unsigned n, const void *arg)
{
	const char *s = arg;
	char day[11];

	if (n == 0) {
		memcpy(day, s, 10);
		day[10] = '\0';
		date_text(pg, day, 0);
	} else
		page_text(pg, s + 11, 0);
}

/* A time of the data, RFC 3339, by T_TIME; anything else as it is. */
static void
time_text(struct page *pg, const char *s)
{
	if (s == NULL || strlen(s) < 11 || s[10] != 'T')
		page_text(pg, s, 0);
	else
		say(pg, T_TIME, put_time, s);
}

/* A member's value for drawing: a number from 0 to DRAW_MAX, else 0. */
static double
draw_value(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);
	double x;

	if (!json_is_number(v))
		return 0;
	x = json_number_value(v);
	if (!(x > 0))
		return 0;
	return x < DRAW_MAX ? x : DRAW_MAX;
}

/*
 * Ticks for an axis from 0 to at least max: a step of 1, 2 or 5 times a
 * power of ten giving about four of them (at least 1 for counts), and
 * the top tick in *top.  No data (max 0) still gets an axis up to 1.
 */
static double
axis_step(double max, int counts, double *top)
{
	double raw, mag, norm, step;

	if (!(max > 0))
		max = 1;
	raw = max / 4.0;
	mag = pow(10, floor(log10(raw)));
	norm = raw / mag;
	step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
	if (counts && step < 1)
		step = 1;
	*top = ceil(max / step) * step;
	return step;
}

/*
 * A headline tile: its title, its figure (value, with {0} the first of
 * paths), then a line of the figures behind it: sub always, more when
 * the object at guard is there (a KPI object made before it was).
 */
struct tile {
	enum text title, value, sub, more;
	const char *guard;
	const char *paths[4]; /* {N}: paths[N] */
};

static const struct tile tile_list[] = {
    {T_ORDERS, T_FIGURE, T_NONE, T_NONE, NULL, {"orders"}},
    {T_TO_SHIP, T_TO_SHIP_V, T_TO_SHIP_S, T_TO_SHIP_M, "order_to_ship",
	{"order_to_ship.p50_s", "order_to_ship.p95_s", "order_to_ship.n"}},
    {T_ON_TIME, T_FIGURE, T_NONE, T_ON_TIME_M, "shipped_on_time",
	{"shipped_on_time.pct", "shipped_on_time.on_time",
	    "shipped_on_time.n"}},
    {T_KEPT, T_FIGURE, T_NONE, T_KEPT_M, "promise_kept",
	{"promise_kept.pct", "promise_kept.kept", "promise_kept.n"}},
    {T_CAUGHT, T_FIGURE, T_CAUGHT_S, T_CAUGHT_M, "caught",
	{"caught.before_deliver_by", "caught.stalls", "caught.at_risk"}},
    {T_REVIEW, T_FIGURE, T_NONE, T_REVIEW_M, "reviews",
	{"reviews.average", "reviews.n"}},
    {T_CALLED, T_FIGURE, T_NONE, T_CALLED_M, "reviews",
	{"reviews.called_back_pct", "reviews.called_back", "reviews.negative",
	    "reviews.median_hours_to_call"}},
    {T_RETURNS, T_FIGURE, T_NONE, T_RETURNS_M, "returns",
	{"returns.rate_pct", "returns.returns", "returns.exchanges",
	    "returns.orders"}},
    {T_PICKUP, T_FIGURE, T_NONE, T_PICKUP_M, "pickup",
	{"pickup.collected", "pickup.orders", "pickup.waiting",
	    "pickup.placed_to_ready.p50_s"}},
};

static void
tile(struct page *pg, const json_t *k, const struct tile *t)
{
	int more = t->guard != NULL && json_is_object(member(k, t->guard)) &&
		   *tx(pg, t->more) != '\0';

	page_printf(pg, "<div class=\"tile\"><h2>%s</h2>\n<p class=\"value\">",
	    tx(pg, t->title));
	say_figs(pg, t->value, k, t->paths);
	if (*tx(pg, t->sub) != '\0' || more) {
		page_puts(pg, "</p>\n<p class=\"sub\">");
		say_figs(pg, t->sub, k, t->paths);
		if (more)
			say_figs(pg, t->more, k, t->paths);
	}
	page_puts(pg, "</p></div>\n");
}

/* The headline figures, a tile each, with the counts behind them. */
static void
tiles(struct page *pg, const json_t *k)
{
	size_t i;

	page_printf(pg, "<section class=\"tiles\" aria-label=\"%s\">\n",
	    tx(pg, T_HEADLINES));
	for (i = 0; i < sizeof tile_list / sizeof tile_list[0]; i++)
		tile(pg, k, &tile_list[i]);
	page_puts(pg, "</section>\n");
}

static void
svg_open(
    struct page *pg, const char *id, double h, enum text title, enum text desc)
{
	page_printf(pg,
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f "
	    "%.0f\" width=\"100%%\" role=\"img\" aria-labelledby=\"%s-t "
	    "%s-d\" font-size=\"12\">\n<title id=\"%s-t\">%s</title>\n"
	    "<desc id=\"%s-d\">%s</desc>\n",
	    CW, h, id, id, id, tx(pg, title), id, tx(pg, desc));
}

static void
chart_open(struct page *pg, enum text title)
{
	page_printf(
	    pg, "<section class=\"chart\"><h2>%s</h2>\n", tx(pg, title));
}

/* What a chart with no data shows instead. */
static void
chart_none(struct page *pg)
{
	page_puts(pg, "<p class=\"none\">" DASH "</p></section>\n");
}

/* A table's start, to its body, with the head's texts. */
static void
table_head(struct page *pg, const enum text *cols, size_t n)
{
	size_t i;

	page_puts(pg, "<div class=\"scroll\"><table>\n<thead><tr>");
	for (i = 0; i < n; i++)
		page_printf(pg, "<th>%s</th>", tx(pg, cols[i]));
	page_puts(pg, "</tr></thead>\n<tbody>\n");
}

static const enum text daily_cols[] = {
    T_DAY, T_ORDERS, T_SHIPPED, T_ON_TIME_COL};

/* Daily orders and shipped as grouped bars, then the figures in a table. */
static void
chart_daily(struct page *pg, const json_t *daily)
{
	const double left = 36, top = 26, ph = 150, bottom = 44;
	const double pw = CW - left - 6, base = top + ph;
	const char *const series[] = {"orders", "shipped"};
	const enum text names[] = {T_ORDERS, T_SHIPPED};
	const json_t *d;
	size_t n = json_array_size(daily), i, s, every, ticks, t;
	double max = 0, axis, step, slot, bw, h;

	chart_open(pg, T_DAILY);
	if (n == 0) {
		chart_none(pg);
		return;
	}
	json_array_foreach(daily, i, d)
	{
		for (s = 0; s < 2; s++)
			if (draw_value(d, series[s]) > max)
				max = draw_value(d, series[s]);
	}
	step = axis_step(max, 1, &axis);
	slot = pw / (double)n;
	bw = slot * 0.4;
	/* Rotated labels need about 14 units between them. */
	every = slot >= 14 ? 1 : (size_t)ceil(14 / slot);

	svg_open(pg, "daily", top + ph + bottom, T_DAILY, T_DAILY_D);
	for (s = 0; s < 2; s++)
		page_printf(pg,
		    "<rect x=\"%.1f\" y=\"6\" width=\"10\" height=\"10\" "
		    "fill=\"%s\"/><text x=\"%.1f\" y=\"15\">%s</text>\n",
		    left + 80.0 * (double)s, palette[s],
		    left + 80.0 * (double)s + 14, tx(pg, names[s]));
	ticks = (size_t)floor(axis / step + 0.5);
	for (t = 0; t <= ticks; t++) {
		double y = base - ph * (double)t / (double)ticks;

		page_printf(pg,
		    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
		    "stroke=\"#e2e8f0\"/><text x=\"%.1f\" y=\"%.1f\" "
		    "text-anchor=\"end\" fill=\"#4a5568\">%g</text>\n",
		    left, y, left + pw, y, left - 4, y + 4, step * (double)t);
	}
	json_array_foreach(daily, i, d)
	{
		double x = left + slot * (double)i + slot * 0.1;

		page_puts(pg, "<g>");
		for (s = 0; s < 2; s++) {
			char path[64];

			h = ph * draw_value(d, series[s]) / axis;
			snprintf(
			    path, sizeof path, "daily.%zu.%s", i, series[s]);
			page_printf(pg,
			    "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" "
			    "height=\"%.2f\" fill=\"%s\">",
			    x + bw * (double)s, base - h, bw, h, palette[s]);
			figure(
			    pg, "title", json_object_get(d, series[s]), path);
			page_puts(pg, "</rect>");
		}
		if (i % every == 0) {
			page_printf(pg,
			    "<text transform=\"translate(%.2f %.1f) "
			    "rotate(-45)\" text-anchor=\"end\" "
			    "font-size=\"10\" fill=\"#4a5568\">",
			    x + bw, base + 12);
			date_text(pg, ndjson_str(d, "day"), 1);
			page_puts(pg, "</text>");
		}
		page_puts(pg, "</g>\n");
	}
	page_printf(pg,
	    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
	    "stroke=\"#4a5568\"/><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
	    "y2=\"%.1f\" stroke=\"#4a5568\"/>\n</svg>\n",
	    left, base, left + pw, base, left, top, left, base);

	page_printf(
	    pg, "<details><summary>%s</summary>\n", tx(pg, T_DAILY_FIGURES));
	table_head(pg, daily_cols, sizeof daily_cols / sizeof daily_cols[0]);
	json_array_foreach(daily, i, d)
	{
		static const char *const cols[] = {
		    "orders", "shipped", "on_time"};
		char path[64];

		page_puts(pg, "<tr><td>");
		date_text(pg, ndjson_str(d, "day"), 0);
		page_puts(pg, "</td>");
		for (s = 0; s < 3; s++) {
			snprintf(path, sizeof path, "daily.%zu.%s", i, cols[s]);
			figure(pg, "td", json_object_get(d, cols[s]), path);
		}
		page_puts(pg, "</tr>\n");
	}
	page_puts(pg, "</tbody></table></div></details>\n</section>\n");
}

/* What a chart of horizontal bars draws, one bar per array element. */
struct hbars {
	const char *id; /* of the SVG's title, and the array's path */
	enum text title, desc;
	const char *labels;      /* NULL, or the key of labels by language */
	const char *label, *alt; /* member keys of the label, in order */
	enum text text;          /* the text after the bar */
	const char *keys[3];     /* {N} of text; {0} is the bar's length */
	const char *unit;        /* after the axis ticks */
	int counts;              /* the value is a count: whole ticks */
	double room;             /* right of the longest bar, for the text */
};

/*
 * The label of an element of a chart of bars: its labels in the page's
 * language, else its label, else its alt, else NULL.
 */
static const char *
bar_label(const struct page *pg, const json_t *e, const struct hbars *c)
{
	const char *label = NULL;

	if (c->labels != NULL)
		label = ndjson_str(
		    json_object_get(e, c->labels), lang_tag[pg->lang]);
	if (label == NULL)
		label = ndjson_str(e, c->label);
	if (label == NULL && c->alt != NULL)
		label = ndjson_str(e, c->alt);
	return label;
}

static void
chart_hbars(struct page *pg, const json_t *a, const struct hbars *c)
{
	const double x0 = 14, row = 36, top = 6;
	const double pw = CW - x0 - c->room;
	const json_t *e;
	size_t n = json_array_size(a), i, ticks, t;
	double max = 0, axis, step, base, w;
	char path[96];
	struct figs f = {"tspan", NULL, path, c->keys};

	chart_open(pg, c->title);
	if (n == 0) {
		chart_none(pg);
		return;
	}
	json_array_foreach(a, i, e)
	{
		if (draw_value(e, c->keys[0]) > max)
			max = draw_value(e, c->keys[0]);
	}
	step = axis_step(max, c->counts, &axis);
	base = top + row * (double)n;
	svg_open(pg, c->id, base + 24, c->title, c->desc);
	ticks = (size_t)floor(axis / step + 0.5);
	for (t = 0; t <= ticks; t++) {
		double x = x0 + pw * (double)t / (double)ticks;

		page_printf(pg,
		    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
		    "stroke=\"#e2e8f0\"/><text x=\"%.1f\" y=\"%.1f\" "
		    "text-anchor=\"middle\" fill=\"#4a5568\">%g%s</text>\n",
		    x, top, x, base, x, base + 16, step * (double)t, c->unit);
	}
	json_array_foreach(a, i, e)
	{
		const char *label = bar_label(pg, e, c);
		double y = top + row * (double)i;

		w = pw * draw_value(e, c->keys[0]) / axis;
		page_puts(pg, "<g><title>");
		page_text(pg, label, 0);
		page_printf(
		    pg, "</title><text x=\"%.1f\" y=\"%.1f\">", x0 + 2, y + 12);
		page_text(pg, label, LABEL_MAX);
		page_printf(pg,
		    "</text><rect x=\"%.1f\" y=\"%.1f\" width=\"%.2f\" "
		    "height=\"14\" fill=\"%s\"/><text x=\"%.2f\" y=\"%.1f\">",
		    x0, y + 16, w, palette[i % NPALETTE], x0 + w + 4, y + 27);
		snprintf(path, sizeof path, "%s.%zu.", c->id, i);
		f.o = e;
		say(pg, c->text, put_fig, &f);
		page_puts(pg, "</text></g>\n");
	}
	page_printf(pg,
	    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
	    "stroke=\"#4a5568\"/><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
	    "y2=\"%.1f\" stroke=\"#4a5568\"/>\n</svg>\n</section>\n",
	    x0, top, x0, base, x0, base, x0 + pw, base);
}

static const struct hbars carriers = {"exceptions_by_carrier", T_CARRIERS,
    T_CARRIERS_D, NULL, "name", "carrier", T_CARRIERS_ROW,
    {"pct", "exceptions", "parcels"}, "%", 0, 170};

static const struct hbars reasons = {"returns.by_reason", T_REASONS,
    T_REASONS_D, "labels", "label", "reason", T_FIGURE, {"n"}, "", 1, 50};

/*
 * An amount of a row of cod.by_carrier in a cell: minor units shown in
 * major ones, with the decimals of the row's "exponent".
 */
static void
money_cell(struct page *pg, const json_t *row, const char *key, size_t i)
{
	const json_t *v = json_object_get(row, key);
	const json_t *e = json_object_get(row, "exponent");
	char buf[MONEY_FORMAT_MAX];

	page_printf(pg, "<td data-kpi=\"cod.by_carrier.%zu.%s\">", i, key);
	if (json_is_integer(v) && json_is_integer(e) &&
	    money_format(json_integer_value(v), (int)json_integer_value(e), buf,
		sizeof buf) >= 0)
		page_puts(pg, buf);
	else
		page_puts(pg, DASH);
	page_puts(pg, "</td>");
}

/*
 * Cash on delivery: a row per carrier and currency, then what is open;
 * nothing from an object without it (a report made before lib/cod).
 */
static void
cod_table(struct page *pg, const json_t *k)
{
	static const char *const money[] = {
	    "due", "collected", "remitted", "outstanding"};
	static const enum text cols[] = {T_CARRIER, T_CURRENCY, T_PARCELS,
	    T_DUE, T_COLLECTED, T_REMITTED, T_OUTSTANDING, T_OPEN};
	static const char *const open_now[] = {"cod.discrepancies"};
	const json_t *rows = member(k, "cod.by_carrier"), *r;
	char path[96];
	size_t i, m;

	if (!json_is_object(member(k, "cod")))
		return;
	chart_open(pg, T_COD);
	page_puts(pg, "<p class=\"sub\">");
	say_figs(pg, T_COD_OPEN, k, open_now);
	page_puts(pg, "</p>\n");
	if (json_array_size(rows) == 0) {
		chart_none(pg);
		return;
	}
	table_head(pg, cols, sizeof cols / sizeof cols[0]);
	json_array_foreach(rows, i, r)
	{
		page_puts(pg, "<tr><td>");
		page_text(pg,
		    ndjson_str(r, "name") != NULL ? ndjson_str(r, "name")
						  : DASH,
		    LABEL_MAX);
		page_puts(pg, "</td><td>");
		page_text(pg, ndjson_str(r, "currency"), 3);
		page_puts(pg, "</td>");
		snprintf(path, sizeof path, "cod.by_carrier.%zu.parcels", i);
		figure(pg, "td", json_object_get(r, "parcels"), path);
		for (m = 0; m < sizeof money / sizeof money[0]; m++)
			money_cell(pg, r, money[m], i);
		snprintf(
		    path, sizeof path, "cod.by_carrier.%zu.discrepancies", i);
		figure(pg, "td", json_object_get(r, "discrepancies"), path);
		page_puts(pg, "</tr>\n");
	}
	page_puts(pg, "</tbody></table></div>\n</section>\n");
}

/*
 * Split orders (lib/split): the counts, then a row per part shipped or
 * waiting.  Only when the period has any: a shop that never splits an
 * order sees the page it always did.
 */
static void
split_table(struct page *pg, const json_t *k)
{
	static const char *const figs[] = {
	    "split.orders", "split.backorders", "split.waiting"};
	static const enum text cols[] = {
	    T_ORDER, T_SHIPMENT, T_STATUS, T_DISPATCHED, T_LATE};
	const json_t *list = member(k, "split.list"), *o, *parts, *pt;
	size_t i, j;

	if (json_array_size(list) == 0)
		return;
	chart_open(pg, T_SPLIT);
	page_puts(pg, "<p class=\"sub\">");
	say_figs(pg, T_SPLIT_M, k, figs);
	page_puts(pg, "</p>\n");
	table_head(pg, cols, sizeof cols / sizeof cols[0]);
	json_array_foreach(list, i, o)
	{
		parts = json_object_get(o, "parts");
		json_array_foreach(parts, j, pt)
		{
			page_puts(pg, "<tr><td>");
			page_text(pg, ndjson_str(o, "order_id"), LABEL_MAX);
			page_puts(pg, "</td><td>");
			page_text(pg, ndjson_str(pt, "order_id"), LABEL_MAX);
			page_puts(pg, "</td><td>");
			page_text(pg, ndjson_str(pt, "status"), LABEL_MAX);
			page_puts(pg, "</td><td>");
			if (ndjson_str(pt, "dispatched_at") != NULL)
				time_text(pg, ndjson_str(pt, "dispatched_at"));
			else
				page_puts(pg, DASH);
			page_printf(pg, "</td><td>%s</td></tr>\n",
			    json_is_true(json_object_get(pt, "late"))
				? tx(pg, T_LATE_YES)
				: DASH);
		}
	}
	page_puts(pg, "</tbody></table></div>\n</section>\n");
}

/*
 * Several warehouses on one ledger: each one's headline figures, a row
 * each (kpi_report(): "warehouses"), under the whole's.  A ledger of one
 * warehouse has no such table.
 */
static void
sites_table(struct page *pg, const json_t *k)
{
	static const enum text cols[] = {
	    T_WAREHOUSE, T_ORDERS, T_TO_SHIP, T_ON_TIME, T_KEPT};
	static const char *const figs[] = {"orders", "order_to_ship.p50_s",
	    "shipped_on_time.pct", "promise_kept.pct"};
	const json_t *list = json_object_get(k, "warehouses"), *w;
	char buf[FIGURE_MAX];
	size_t i, j;

	if (json_array_size(list) == 0)
		return;
	chart_open(pg, T_SITES);
	table_head(pg, cols, sizeof cols / sizeof cols[0]);
	json_array_foreach(list, i, w)
	{
		page_puts(pg, "<tr><td>");
		page_text(pg, ndjson_str(w, "warehouse"), LABEL_MAX);
		page_puts(pg, "</td>");
		for (j = 0; j < sizeof figs / sizeof figs[0]; j++) {
			figure_text(pg, member(w, figs[j]), figs[j], buf);
			page_printf(pg, "<td>%s</td>", buf);
		}
		page_puts(pg, "</tr>\n");
	}
	page_puts(pg, "</tbody></table></div>\n</section>\n");
}

static const char style[] =
    "*{box-sizing:border-box}\n"
    "body{margin:0;font:16px/1.4 system-ui,-apple-system,\"Segoe UI\","
    "Roboto,\"Noto Sans\",\"Noto Sans CJK SC\",sans-serif;"
    "color:#1a202c;background:#f7fafc}\n"
    "header,main{max-width:60rem;margin:0 auto;padding:1rem}\n"
    "main{padding-top:0}\n"
    "h1{font-size:1.5rem;margin:0 0 .25rem;overflow-wrap:anywhere}\n"
    "header p{margin:0;color:#4a5568}\n"
    ".tiles{display:grid;grid-template-columns:repeat(4,1fr);gap:.75rem}\n"
    "@media (max-width:60rem){.tiles{grid-template-columns:"
    "repeat(2,1fr)}}\n"
    "@media (max-width:30rem){.tiles{grid-template-columns:1fr}}\n"
    ".tile,.chart{background:#fff;border:1px solid #e2e8f0;"
    "border-radius:.5rem;padding:.75rem}\n"
    ".tile h2{font-size:.9rem;font-weight:600;color:#4a5568;margin:0}\n"
    ".value{font-size:1.8rem;font-weight:700;margin:.25rem 0}\n"
    ".value small{font-size:.9rem;font-weight:400;color:#4a5568}\n"
    ".sub{font-size:.85rem;color:#4a5568;margin:0}\n"
    ".chart{margin-top:1rem}\n"
    ".chart h2{font-size:1.1rem;margin:0 0 .5rem}\n"
    "svg{display:block;width:100%;height:auto;max-width:32rem}\n"
    ".none{font-size:1.8rem;color:#a0aec0;margin:0}\n"
    ".scroll{overflow-x:auto}\n"
    "table{border-collapse:collapse;font-size:.85rem}\n"
    "th,td{padding:.15rem .5rem;text-align:right}\n"
    "th:first-child,td:first-child{text-align:left}\n"
    "summary{cursor:pointer;color:#2b6cb0;margin-top:.5rem}\n";

static void
put_period(struct page *pg, unsigned n, const void *arg)
{
	date_text(pg, ndjson_str(arg, n == 0 ? "from" : "to"), 0);
}

/* "KPI report for 2026-11-01 to 2026-11-30", in the title and under it. */
static void
period(struct page *pg, const json_t *kpi)
{
	say(pg, T_PERIOD, put_period, kpi);
}

static void
put_generated(struct page *pg, unsigned n, const void *arg)
{
	time_text(pg, arg);
}

int
report_locale_known(const char *tag)
{
	size_t i;

	for (i = 0; i < NLANG; i++)
		if (tag != NULL && strcmp(tag, lang_tag[i]) == 0)
			return 1;
	return 0;
}

char *
report_html_string(const json_t *kpi, const char *locale, size_t *len)
{
	struct page pg = {NULL, 0, 0, EN};
	const char *wh;
	size_t i;

	for (i = 0; i < NLANG; i++)
		if (locale != NULL && strcmp(locale, lang_tag[i]) == 0)
			pg.lang = (enum lang)i;
	if (!json_is_object(kpi))
		kpi = NULL;
	wh = ndjson_str(kpi, "warehouse");
	page_puts(&pg, "<!DOCTYPE html>\n<html lang=\"");
	page_puts(&pg, lang_tag[pg.lang]);
	page_puts(&pg,
	    "\">\n<head>\n<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n"
	    "<meta http-equiv=\"Content-Security-Policy\" "
	    "content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
	    "<title>");
	if (wh != NULL) {
		page_text(&pg, wh, 0);
		page_puts(&pg, tx(&pg, T_WH_SEP));
	}
	period(&pg, kpi);
	page_printf(
	    &pg, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", style);

	page_puts(&pg, "<header>\n<h1>");
	if (wh != NULL)
		page_text(&pg, wh, 0);
	else
		page_puts(&pg, tx(&pg, T_REPORT));
	page_puts(&pg, "</h1>\n<p class=\"period\">");
	period(&pg, kpi);
	page_puts(&pg, "</p>\n");
	if (ndjson_str(kpi, "generated_at") != NULL) {
		page_puts(&pg, "<p class=\"generated\">");
		say(&pg, T_GENERATED, put_generated,
		    ndjson_str(kpi, "generated_at"));
		page_puts(&pg, "</p>\n");
	}
	page_puts(&pg, "</header>\n<main>\n");

	tiles(&pg, kpi);
	sites_table(&pg, kpi);
	chart_daily(&pg, member(kpi, "daily"));
	chart_hbars(&pg, member(kpi, carriers.id), &carriers);
	chart_hbars(&pg, member(kpi, reasons.id), &reasons);
	cod_table(&pg, kpi);
	split_table(&pg, kpi);

	page_puts(&pg, "</main>\n</body>\n</html>\n");
	if (len != NULL)
		*len = pg.len;
	return pg.s;
}

/* 1 if path is a directory, else 0 with errno set. */
static int
is_dir(const char *path)
{
	struct stat st;

	if (stat(path, &st) == -1)
		return 0;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return 0;
	}
	return 1;
}

/* Put the message in why (when there is room for one) and return -1. */
static int __attribute__((format(printf, 3, 4)))
report_fail(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	if (whylen > 0) {
		va_start(ap, fmt);
		vsnprintf(why, whylen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

int
report_html(const json_t *kpi, const char *locale, const char *path, char *why,
    size_t whylen)
{
	struct outfile f;
	const char *slash = strrchr(path, '/'), *name;
	char *dir, *page;
	size_t len;
	int rc = 0;

	if (slash != NULL) {
		name = slash + 1;
		dir = slash == path ? xstrdup("/")
				    : xstrndup(path, (size_t)(slash - path));
	} else {
		name = path;
		dir = xstrdup(".");
	}
	/* What outfile would exit for, found first to be told to the caller. */
	if (!outfile_safe(name))
		rc = report_fail(why, whylen,
		    "cannot write '%s': file name not letters, digits, '.', "
		    "'-' and '_'",
		    path);
	else if (mkdir(dir, 0777) == -1 && errno != EEXIST)
		rc = report_fail(why, whylen,
		    "cannot create directory '%s': %s", dir, strerror(errno));
	else if (!is_dir(dir) || access(dir, W_OK | X_OK) == -1)
		rc = report_fail(why, whylen, "cannot write '%s': %s", path,
		    strerror(errno));
	else {
		page = report_html_string(kpi, locale, &len);
		fwrite(page, 1, len, outfile_open(&f, dir, name));
		outfile_commit(&f);
		free(page);
	}
	free(dir);
	return rc;
}

void
report_write(const json_t *kpi, const char *locale, const char *dir, char *path,
    size_t pathlen)
{
	const char *from = ndjson_str(kpi, "from"), *to = ndjson_str(kpi, "to");
	struct outfile of;
	char name[96], why[512], *text;
	size_t len;

	text = ndjson_dump(kpi, &len);
	snprintf(name, sizeof name, "report-%s-%s.ndjson", from, to);
	fprintf(outfile_open(&of, dir, name), "%s\n", text);
	outfile_commit(&of);
	free(text);
	snprintf(path, pathlen, "%s/report-%s-%s.html", dir, from, to);
	if (report_html(kpi, locale, path, why, sizeof why) == -1)
		err_exit(EXIT_TROUBLE, "%s", why);
}
