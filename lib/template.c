/*
 * Message templates: lookup with locale fallback, a cache of the files
 * read, a compiler to a flat list of nodes, and the renderer.
 *
 * A template is compiled when it is first read, so a malformed one is
 * found before any record is rendered with it.  The compiled form is a
 * list of nodes: text (pointing into the file's text), fields, and
 * {{#if}} / {{else}} as jumps; {{/if}} leaves no node.  Rendering walks
 * the list once, so nesting costs nothing and cannot recurse.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "err.h"
#include "money.h"
#include "ndjson.h"
#include "template.h"
#include "utf8.h"
#include "when.h"

/* Longest "locale/event.channel", with its NUL. */
#define NAME_BUFSZ (TMPL_LOCALE_MAX + 2 * TMPL_NAME_MAX + 3)
/* How much of a tag or path an error message quotes. */
#define QUOTE_MAX 40

enum node_kind { NODE_TEXT, NODE_FIELD, NODE_IF, NODE_ELSE };

struct node {
	enum node_kind kind;
	const char *text; /* NODE_TEXT: bytes in the template's text */
	size_t len;
	char *path; /* NODE_FIELD, NODE_IF: "lines.0.name", then segs */
	char *segs; /* the same with NULs for dots, nseg of them */
	size_t nseg;
	int fmt;     /* NODE_FIELD: index in formatters[], or -1 */
	size_t jump; /* NODE_IF when false, NODE_ELSE always: next node */
};

struct prog {
	struct node *v;
	size_t n, cap;
};

struct tmpl {
	char *name;   /* "zh-CN/shipped.email" */
	char *locale; /* "zh-CN" */
	int present;  /* 0: no such file (a cached miss) */
	int email;    /* has a Subject line */
	char *text;   /* the file, NUL-terminated */
	char *error;  /* malformed: why, else NULL */
	struct prog subject, body;
	struct tmpl *next; /* in its hash bucket */
};

struct tmpl_set {
	char *dir;
	char deflocale[TMPL_LOCALE_MAX + 1];
	struct tmpl **bucket;
	size_t nbucket, n;
};

static int
is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
is_space(int c)
{
	return c == ' ' || c == '\t';
}

static int
to_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int
to_upper(int c)
{
	return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c;
}

static int
clip(size_t n)
{
	return n > QUOTE_MAX ? QUOTE_MAX : (int)n;
}

/*
 * The case BCP 47 writes a subtag in: the language in lower case, a
 * two-letter region in upper case, a four-letter script with a capital,
 * anything else in lower case.
 */
static void
recase(char *s, size_t n, int first)
{
	size_t i;
	int letters = 1;

	for (i = 0; i < n; i++)
		letters &= is_alpha(s[i]);
	for (i = 0; i < n; i++) {
		if (!first && letters && (n == 2 || (n == 4 && i == 0)))
			s[i] = (char)to_upper(s[i]);
		else
			s[i] = (char)to_lower(s[i]);
	}
}

/*
 * Check a locale (letters and digits in subtags joined by '-' or '_')
 * and write it to out in canonical form.  Nothing but letters, digits
 * and '-' reaches a path, so a locale cannot leave the directory.
 */
static int
canonical(const char *in, char out[TMPL_LOCALE_MAX + 1])
{
	size_t n = strlen(in), i, start = 0;

	if (n == 0 || n > TMPL_LOCALE_MAX)
		return -1;
	for (i = 0; i <= n; i++) {
		if (in[i] == '-' || in[i] == '_' || in[i] == '\0') {
			if (i == start)
				return -1; /* an empty subtag */
			recase(out + start, i - start, start == 0);
			out[i] = in[i] == '\0' ? '\0' : '-';
			start = i + 1;
		} else if (is_alpha(in[i]) || is_digit(in[i]))
			out[i] = in[i];
		else
			return -1;
	}
	return 0;
}

/* An event or channel: [a-z0-9_]+, not too long. */
static int
name_ok(const char *s)
{
	size_t i;

	if (s == NULL || *s == '\0' || strlen(s) > TMPL_NAME_MAX)
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if (!(s[i] >= 'a' && s[i] <= 'z') && !is_digit(s[i]) &&
		    s[i] != '_')
			return 0;
	return 1;
}

/* Dotted segments of [A-Za-z0-9_-]+. */
static int
path_ok(const char *p, size_t n)
{
	size_t i;

	if (n == 0 || p[0] == '.' || p[n - 1] == '.')
		return 0;
	for (i = 0; i < n; i++) {
		if (p[i] == '.' && p[i + 1] == '.')
			return 0;
		if (p[i] != '.' && p[i] != '_' && p[i] != '-' &&
		    !is_alpha(p[i]) && !is_digit(p[i]))
			return 0;
	}
	return 1;
}

/* 1 if the locale's language (its first subtag) is lang. */
static int
language_is(const char *locale, const char *lang)
{
	size_t n = strlen(lang);

	return strncmp(locale, lang, n) == 0 &&
	       (locale[n] == '\0' || locale[n] == '-');
}

/* Rendering. */

struct job {
	const struct tmpl *t;
	const json_t *ctx;
	const struct tmpl_env *env;
	int zh; /* Chinese formats, else English */
	char *why;
	size_t whylen;
	char *out;
	size_t len, cap;
};

static int __attribute__((format(printf, 2, 3)))
fail(struct job *j, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(j->why, j->whylen, "template %s: ", j->t->name);
	if (n >= 0 && (size_t)n < j->whylen) {
		va_start(ap, fmt);
		vsnprintf(j->why + n, j->whylen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Append n bytes to the output, which stays NUL-terminated. */
static int
put(struct job *j, const char *s, size_t n)
{
	if (n > TMPL_OUTPUT_MAX - j->len)
		return fail(j, "output longer than %d bytes", TMPL_OUTPUT_MAX);
	xgrow(&j->out, &j->cap, j->len + n + 1, 1);
	memcpy(j->out + j->len, s, n);
	j->len += n;
	j->out[j->len] = '\0';
	return 0;
}

static int
put_str(struct job *j, const char *s)
{
	return put(j, s, strlen(s));
}

/*
 * One step down a path: a key of an object, or an index of an array
 * when the segment is a number.
 */
static const json_t *
step(const json_t *v, const char *seg)
{
	size_t i, n = strlen(seg);

	if (json_is_object(v))
		return json_object_get(v, seg);
	if (!json_is_array(v) || n > 9)
		return NULL;
	for (i = 0; i < n; i++)
		if (!is_digit(seg[i]))
			return NULL;
	return json_array_get(v, (size_t)strtoul(seg, NULL, 10));
}

/* The value at the node's path, or NULL if there is none. */
static const json_t *
resolve(const json_t *ctx, const struct node *nd)
{
	const json_t *v = ctx;
	const char *seg = nd->segs;
	size_t k;

	for (k = 0; k < nd->nseg && v != NULL; k++) {
		v = step(v, seg);
		seg += strlen(seg) + 1;
	}
	return v;
}

/* The truth of {{#if}}: present, and not null, false, "", 0, [] or {}. */
static int
truthy(const json_t *v)
{
	if (v == NULL)
		return 0;
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return json_object_size(v) > 0;
	case JSON_ARRAY:
		return json_array_size(v) > 0;
	case JSON_STRING:
		return json_string_length(v) > 0;
	case JSON_INTEGER:
		return json_integer_value(v) != 0;
	case JSON_REAL:
		return json_real_value(v) != 0.0;
	case JSON_TRUE:
		return 1;
	default:
		return 0;
	}
}

/* A field as text: strings verbatim, numbers in digits, true/false. */
static int
scalar(struct job *j, const struct node *nd, const json_t *v)
{
	char buf[64];

	switch (json_typeof(v)) {
	case JSON_STRING:
		return put_str(j, json_string_value(v));
	case JSON_INTEGER:
		snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		return put_str(j, buf);
	case JSON_REAL:
		snprintf(buf, sizeof buf, "%.15g", json_real_value(v));
		return put_str(j, buf);
	case JSON_TRUE:
		return put_str(j, "true");
	case JSON_FALSE:
		return put_str(j, "false");
	case JSON_OBJECT:
		return fail(j, "field '%s' is an object", nd->path);
	case JSON_ARRAY:
		return fail(j, "field '%s' is an array", nd->path);
	default:
		return fail(j, "field '%s' is null", nd->path);
	}
}

static int
fmt_upper(struct job *j, const struct node *nd, const json_t *v)
{
	size_t from = j->len, i;

	if (scalar(j, nd, v) != 0)
		return -1;
	for (i = from; i < j->len; i++)
		j->out[i] = (char)to_upper(j->out[i]);
	return 0;
}

/* Symbols of the currencies that have one, per language. */
static const struct symbol {
	const char *code, *en, *zh; /* NULL: the code and a space */
} symbols[] = {
    {"CNY", NULL, "¥"},
    {"EUR", "€", "€"},
    {"GBP", "£", "£"},
    {"USD", "$", "US$"},
};

static const char *
symbol(const char *code, int zh)
{
	size_t i;

	for (i = 0; i < sizeof symbols / sizeof symbols[0]; i++)
		if (strcmp(symbols[i].code, code) == 0)
			return zh ? symbols[i].zh : symbols[i].en;
	return NULL;
}

/*
 * Plain decimal text ("-1234567.89") with its thousands grouped and its
 * sign left out ("1,234,567.89") into out, which has room for the
 * commas: 19 digits take 6.
 */
static void
group(const char *num, char out[MONEY_FORMAT_MAX + 8])
{
	const char *p = num + (*num == '-');
	size_t n = strcspn(p, "."), i;

	for (i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			*out++ = ',';
		*out++ = p[i];
	}
	strcpy(out, p + n);
}

static int
fmt_money(struct job *j, const struct node *nd, const json_t *v)
{
	const char *code = ndjson_str(j->ctx, "currency"), *sym;
	char num[MONEY_FORMAT_MAX], digits[MONEY_FORMAT_MAX + 8], text[64];
	int e;

	if (!json_is_integer(v))
		return fail(j, "field '%s' is not an integer amount", nd->path);
	if (code == NULL && j->env != NULL)
		code = j->env->currency;
	if (code == NULL)
		return fail(j, "field '%s': no currency", nd->path);
	if ((e = money_exponent(code)) < 0)
		return fail(
		    j, "field '%s': unknown currency '%.8s'", nd->path, code);
	money_format(json_integer_value(v), e, num, sizeof num);
	group(num, digits);
	sym = symbol(code, j->zh);
	snprintf(text, sizeof text, "%s%s%s%s", num[0] == '-' ? "-" : "",
	    sym != NULL ? sym : code, sym != NULL ? "" : " ", digits);
	return put_str(j, text);
}

/*
 * The day and the seconds since its midnight of an RFC 3339 time, in
 * env->tz or else in the offset it was written with.
 */
static int
local_time(struct job *j, const struct node *nd, const json_t *v, int64_t *day,
    int *secs)
{
	const char *s = json_string_value(v);
	const char *tz = j->env != NULL ? j->env->tz : NULL;
	struct when w;

	if (s == NULL || when_parse(s, &w) != 0)
		return fail(j, "field '%s' is not an RFC 3339 time", nd->path);
	if (tz != NULL) {
		if (!when_zone_valid(tz))
			return fail(j, "unknown time zone '%.*s'",
			    clip(strlen(tz)), tz);
		w = when_in_zone(w.t, tz);
	}
	*day = when_day(&w);
	*secs = when_secs(&w);
	return 0;
}

static int
put_date(struct job *j, int64_t day)
{
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May",
	    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	char buf[64];
	int y, m, d;

	civil_from_days(day, &y, &m, &d);
	if (j->zh)
		snprintf(buf, sizeof buf, "%d年%d月%d日", y, m, d);
	else
		snprintf(buf, sizeof buf, "%d %s %d", d, months[m - 1], y);
	return put_str(j, buf);
}

static int
put_clock(struct job *j, int secs)
{
	char buf[16];

	snprintf(buf, sizeof buf, "%02d:%02d", secs / 3600, secs / 60 % 60);
	return put_str(j, buf);
}

static int
fmt_date(struct job *j, const struct node *nd, const json_t *v)
{
	int64_t day;
	int secs;

	if (local_time(j, nd, v, &day, &secs) != 0)
		return -1;
	return put_date(j, day);
}

static int
fmt_datetime(struct job *j, const struct node *nd, const json_t *v)
{
	int64_t day;
	int secs;

	if (local_time(j, nd, v, &day, &secs) != 0 || put_date(j, day) != 0 ||
	    put_str(j, j->zh ? " " : ", ") != 0)
		return -1;
	return put_clock(j, secs);
}

static int
fmt_time(struct job *j, const struct node *nd, const json_t *v)
{
	int64_t day;
	int secs;

	if (local_time(j, nd, v, &day, &secs) != 0)
		return -1;
	return put_clock(j, secs);
}

static int
fmt_weekday(struct job *j, const struct node *nd, const json_t *v)
{
	static const char *const en[] = {"Monday", "Tuesday", "Wednesday",
	    "Thursday", "Friday", "Saturday", "Sunday"};
	static const char *const zh[] = {"星期一", "星期二", "星期三", "星期四",
	    "星期五", "星期六", "星期日"};
	int64_t day;
	int secs;

	if (local_time(j, nd, v, &day, &secs) != 0)
		return -1;
	return put_str(j, (j->zh ? zh : en)[weekday(day)]);
}

static const struct formatter {
	const char *name;
	int (*fn)(struct job *, const struct node *, const json_t *);
} formatters[] = {
    {"date", fmt_date},
    {"datetime", fmt_datetime},
    {"money", fmt_money},
    {"time", fmt_time},
    {"upper", fmt_upper},
    {"weekday", fmt_weekday},
};

static int
formatter_find(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof formatters / sizeof formatters[0]; i++)
		if (strlen(formatters[i].name) == n &&
		    memcmp(formatters[i].name, s, n) == 0)
			return (int)i;
	return -1;
}

/* A field's text; missing and null fields are errors, never blanks. */
static int
field(struct job *j, const struct node *nd)
{
	const json_t *v = resolve(j->ctx, nd);

	if (v == NULL)
		return fail(j, "no field '%s'", nd->path);
	if (json_is_null(v))
		return fail(j, "field '%s' is null", nd->path);
	if (nd->fmt >= 0)
		return formatters[nd->fmt].fn(j, nd, v);
	return scalar(j, nd, v);
}

/* Run a program into a new string, or NULL with j->why. */
static char *
run(struct job *j, const struct prog *pr)
{
	const struct node *nd;
	size_t i = 0;
	int r = 0;

	j->out = NULL;
	j->len = j->cap = 0;
	xgrow(&j->out, &j->cap, 1, 1);
	j->out[0] = '\0';
	while (i < pr->n && r == 0) {
		nd = &pr->v[i];
		switch (nd->kind) {
		case NODE_TEXT:
			r = put(j, nd->text, nd->len);
			i++;
			break;
		case NODE_FIELD:
			r = field(j, nd);
			i++;
			break;
		case NODE_IF:
			i = truthy(resolve(j->ctx, nd)) ? i + 1 : nd->jump;
			break;
		case NODE_ELSE:
			i = nd->jump;
			break;
		}
	}
	if (r != 0) {
		free(j->out);
		return NULL;
	}
	return j->out;
}

char *
tmpl_render(const struct tmpl *t, const json_t *ctx, const struct tmpl_env *env,
    char **subject, char *why, size_t whylen)
{
	struct job j = {0};
	char *subj = NULL, *body;

	if (subject != NULL)
		*subject = NULL;
	if (t->error != NULL) {
		snprintf(why, whylen, "%s", t->error);
		return NULL;
	}
	j.t = t;
	j.ctx = ctx;
	j.env = env;
	j.zh = language_is(t->locale, "zh");
	j.why = why;
	j.whylen = whylen;
	if (t->email && subject != NULL &&
	    (subj = run(&j, &t->subject)) == NULL)
		return NULL;
	if ((body = run(&j, &t->body)) == NULL) {
		free(subj);
		return NULL;
	}
	if (subject != NULL)
		*subject = subj;
	return body;
}

/* Compiling. */

struct compiler {
	struct tmpl *t;
	struct prog *pr;
	const char *start, *end; /* the region compiled */
	int depth;
	/* Per open {{#if}}: its node, its {{else}} node or 0, its tag. */
	size_t ifnode[TMPL_DEPTH_MAX], elsenode[TMPL_DEPTH_MAX];
	const char *tag[TMPL_DEPTH_MAX];
};

/* Line number of pos in the template's text, counting from 1. */
static int
line_of(const char *text, const char *pos)
{
	int line = 1;

	for (; text < pos; text++)
		line += *text == '\n';
	return line;
}

/* Record why the template is malformed, at the line of pos. */
static int __attribute__((format(printf, 3, 4)))
bad(struct tmpl *t, const char *pos, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	xasprintf(&t->error, "template %s: line %d: %s", t->name,
	    line_of(t->text, pos), msg);
	return -1;
}

static struct node *
emit(struct prog *pr, enum node_kind kind)
{
	struct node *nd;

	xgrow(&pr->v, &pr->cap, pr->n + 1, sizeof *pr->v);
	nd = &pr->v[pr->n++];
	memset(nd, 0, sizeof *nd);
	nd->kind = kind;
	nd->fmt = -1;
	return nd;
}

static void
emit_text(struct prog *pr, const char *s, size_t n)
{
	struct node *nd;

	if (n == 0)
		return;
	nd = emit(pr, NODE_TEXT);
	nd->text = s;
	nd->len = n;
}

/* A node for a checked path, keeping it also split at the dots. */
static void
emit_path(
    struct prog *pr, enum node_kind kind, const char *p, size_t n, int fmt)
{
	struct node *nd = emit(pr, kind);
	size_t i;

	nd->fmt = fmt;
	nd->path = xmalloc(2 * n + 2);
	memcpy(nd->path, p, n);
	nd->path[n] = '\0';
	nd->segs = nd->path + n + 1;
	nd->nseg = 1;
	for (i = 0; i <= n; i++) {
		nd->segs[i] = nd->path[i] == '.' ? '\0' : nd->path[i];
		nd->nseg += nd->path[i] == '.';
	}
}

static void
prog_free(struct prog *pr)
{
	size_t i;

	for (i = 0; i < pr->n; i++)
		free(pr->v[i].path);
	free(pr->v);
}

static const char *
skip_ws(const char *p, const char *end)
{
	while (p < end && is_space(*p))
		p++;
	return p;
}

static const char *
trim_end(const char *start, const char *p)
{
	while (p > start && is_space(p[-1]))
		p--;
	return p;
}

/* The first pair of c in [p, end), or NULL. */
static const char *
find_pair(const char *p, const char *end, char c)
{
	for (; end - p >= 2; p++)
		if (p[0] == c && p[1] == c)
			return p;
	return NULL;
}

static int
is_word(const char *a, const char *b, const char *word)
{
	return (size_t)(b - a) == strlen(word) &&
	       memcmp(a, word, (size_t)(b - a)) == 0;
}

/*
 * A block tag alone on its line (but for blanks) takes the whole line
 * with it: widen [*from, *to) to the line and its newline.  p is where
 * the text not yet emitted starts.
 */
static void
standalone(
    const struct compiler *c, const char *p, const char **from, const char **to)
{
	const char *i = *from, *k = *to;

	while (i > p && is_space(i[-1]))
		i--;
	if (i != c->start && i[-1] != '\n')
		return;
	k = skip_ws(k, c->end);
	if (c->end - k >= 2 && k[0] == '\r' && k[1] == '\n')
		k++;
	if (k < c->end && *k != '\n')
		return;
	*from = i;
	*to = k < c->end ? k + 1 : k;
}

static int
open_if(struct compiler *c, const char *tag, const char *a, const char *b)
{
	if (a == b)
		return bad(c->t, tag, "'{{#if}}' without a field");
	if (!path_ok(a, (size_t)(b - a)))
		return bad(c->t, tag, "bad field name '%.*s'",
		    clip((size_t)(b - a)), a);
	if (c->depth == TMPL_DEPTH_MAX)
		return bad(
		    c->t, tag, "blocks nested deeper than %d", TMPL_DEPTH_MAX);
	c->ifnode[c->depth] = c->pr->n;
	c->elsenode[c->depth] = 0;
	c->tag[c->depth] = tag;
	c->depth++;
	emit_path(c->pr, NODE_IF, a, (size_t)(b - a), -1);
	return 0;
}

static int
do_else(struct compiler *c, const char *tag)
{
	size_t k = c->pr->n;

	if (c->depth == 0)
		return bad(c->t, tag, "'{{else}}' outside '{{#if}}'");
	if (c->elsenode[c->depth - 1] != 0)
		return bad(c->t, tag, "second '{{else}}' in one '{{#if}}'");
	emit(c->pr, NODE_ELSE);
	c->elsenode[c->depth - 1] = k;
	c->pr->v[c->ifnode[c->depth - 1]].jump = k + 1;
	return 0;
}

static int
close_if(struct compiler *c, const char *tag)
{
	size_t e;

	if (c->depth == 0)
		return bad(c->t, tag, "'{{/if}}' without '{{#if}}'");
	c->depth--;
	e = c->elsenode[c->depth];
	c->pr->v[e != 0 ? e : c->ifnode[c->depth]].jump = c->pr->n;
	return 0;
}

/* {{#if path}}, {{else}} or {{/if}}: the tag is [q, after), a..b inside. */
static int
block(struct compiler *c, const char **pp, const char *q, const char *after,
    const char *a, const char *b)
{
	const char *from = q, *to = after;

	standalone(c, *pp, &from, &to);
	emit_text(c->pr, *pp, (size_t)(from - *pp));
	*pp = to;
	if (b - a >= 3 && memcmp(a, "#if", 3) == 0 &&
	    (b - a == 3 || is_space(a[3])))
		return open_if(c, q, skip_ws(a + 3, b), b);
	if (is_word(a, b, "else"))
		return do_else(c, q);
	if (is_word(a, b, "/if"))
		return close_if(c, q);
	return bad(c->t, q, "unknown tag '%.*s'", clip((size_t)(b - a)), a);
}

/* {{ path }} or {{ path | formatter }}, a..b inside the braces. */
static int
placeholder(struct compiler *c, const char *q, const char *a, const char *b)
{
	const char *bar = memchr(a, '|', (size_t)(b - a));
	const char *pe = bar != NULL ? trim_end(a, bar) : b, *f;
	int fmt = -1;

	if (a == b)
		return bad(c->t, q, "empty placeholder");
	if (bar != NULL) {
		f = skip_ws(bar + 1, b);
		if ((fmt = formatter_find(f, (size_t)(b - f))) < 0)
			return bad(c->t, q, "unknown formatter '%.*s'",
			    clip((size_t)(b - f)), f);
	}
	if (!path_ok(a, (size_t)(pe - a)))
		return bad(c->t, q, "bad field name '%.*s'",
		    clip((size_t)(pe - a)), a);
	emit_path(c->pr, NODE_FIELD, a, (size_t)(pe - a), fmt);
	return 0;
}

/* {{ 'text' }}: the text between the quotes, as it is. */
static int
literal(struct compiler *c, const char **pp, const char *q, const char *a,
    const char *eol)
{
	const char *b = memchr(a + 1, *a, (size_t)(eol - a - 1)), *close;

	if (b == NULL)
		return bad(c->t, q, "unterminated quote");
	close = skip_ws(b + 1, eol);
	if (eol - close < 2 || close[0] != '}' || close[1] != '}')
		return bad(c->t, q, "expected '}}' after the quoted text");
	emit_text(c->pr, *pp, (size_t)(q - *pp));
	emit_text(c->pr, a + 1, (size_t)(b - a - 1));
	*pp = close + 2;
	return 0;
}

/*
 * The tag starting at q (its "{{"); *pp is where the text not yet
 * emitted starts, and is moved past the tag.  A tag ends on its line,
 * so that a stray "{{" is reported where it is.
 */
static int
tag(struct compiler *c, const char **pp, const char *q)
{
	const char *eol = memchr(q, '\n', (size_t)(c->end - q));
	const char *a, *b, *close;

	if (eol == NULL)
		eol = c->end;
	a = skip_ws(q + 2, eol);
	if (a < eol && (*a == '\'' || *a == '"'))
		return literal(c, pp, q, a, eol);
	if ((close = find_pair(a, eol, '}')) == NULL)
		return bad(c->t, q, "unterminated '{{'");
	b = trim_end(a, close);
	if (a < b && (*a == '#' || *a == '/' || is_word(a, b, "else")))
		return block(c, pp, q, close + 2, a, b);
	emit_text(c->pr, *pp, (size_t)(q - *pp));
	*pp = close + 2;
	return placeholder(c, q, a, b);
}

/* Compile [start, end) of the template's text into pr. */
static int
compile(struct tmpl *t, struct prog *pr, const char *start, const char *end)
{
	struct compiler c;
	const char *p = start, *q;

	memset(&c, 0, sizeof c);
	c.t = t;
	c.pr = pr;
	c.start = start;
	c.end = end;
	while (p < end) {
		if ((q = find_pair(p, end, '{')) == NULL) {
			emit_text(pr, p, (size_t)(end - p));
			break;
		}
		if (tag(&c, &p, q) != 0)
			return -1;
	}
	if (c.depth > 0)
		return bad(
		    t, c.tag[c.depth - 1], "'{{#if}}' without '{{/if}}'");
	return 0;
}

/*
 * Where the text stops being UTF-8 without NUL bytes, or NULL.  text is
 * NUL-terminated at len, so no sequence is read past it.
 */
static const char *
not_text(const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	uint32_t cp;
	size_t n;

	while (p < end) {
		if (*p == '\0' || (n = utf8_decode(p, &cp)) == 0)
			return p;
		p += n;
	}
	return NULL;
}

/*
 * An email template's first two lines: "Subject: ..." and an empty one.
 * Sets [*s0, *s1) to the subject and moves *pp to the body.
 */
static int
header(struct tmpl *t, const char **pp, const char *end, const char **s0,
    const char **s1)
{
	const char *p = *pp, *nl;

	if (end - p < 8 || strncasecmp(p, "Subject:", 8) != 0)
		return bad(t, p, "no Subject line");
	if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
		return bad(t, p, "no empty line after the Subject line");
	*s0 = skip_ws(p + 8, nl);
	*s1 = nl;
	while (*s1 > *s0 && (is_space((*s1)[-1]) || (*s1)[-1] == '\r'))
		(*s1)--;
	if (*s0 == *s1)
		return bad(t, p, "empty Subject line");
	p = nl + 1;
	if (p < end && *p == '\r')
		p++;
	if (p >= end || *p != '\n')
		return bad(t, nl + 1, "no empty line after the Subject line");
	*pp = p + 1;
	return 0;
}

/* Check and compile a template just read; errors go to t->error. */
static void
parse(struct tmpl *t, size_t len)
{
	const char *p = t->text, *end = t->text + len, *wrong;
	const char *s0 = NULL, *s1 = NULL;

	if (len > TMPL_OUTPUT_MAX) {
		xasprintf(&t->error, "template %s: larger than %d bytes",
		    t->name, TMPL_OUTPUT_MAX);
		return;
	}
	if ((wrong = not_text(p, len)) != NULL) {
		bad(t, wrong, *wrong == '\0' ? "NUL byte" : "not UTF-8");
		return;
	}
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3; /* a byte order mark */
	if (t->email && (header(t, &p, end, &s0, &s1) != 0 ||
			    compile(t, &t->subject, s0, s1) != 0))
		return;
	if (end > p && end[-1] == '\n')
		end--;
	if (end > p && end[-1] == '\r')
		end--;
	compile(t, &t->body, p, end);
}

/* Reading and caching. */

/*
 * Read the file at path whole, NUL-terminated, but not much more than a
 * template may hold.  Returns 0; 1 if there is no such file; -1 with
 * errno if it cannot be read.
 */
static int
slurp(const char *path, char **text, size_t *len)
{
	size_t cap = TMPL_OUTPUT_MAX + 2, n = 0;
	char *buf;
	ssize_t r;
	int fd, e;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return errno == ENOENT || errno == ENOTDIR ? 1 : -1;
	buf = xmalloc(cap);
	while (n < cap - 1) {
		if ((r = read(fd, buf + n, cap - 1 - n)) == 0)
			break;
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			e = errno;
			free(buf);
			close(fd);
			errno = e;
			return -1;
		}
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	*text = xrealloc(buf, n + 1);
	*len = n;
	return 0;
}

static uint64_t
hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a */

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

static struct tmpl *
cache_get(const struct tmpl_set *s, const char *name)
{
	struct tmpl *t;

	for (t = s->bucket[hash(name) & (s->nbucket - 1)]; t != NULL;
	     t = t->next)
		if (strcmp(t->name, name) == 0)
			return t;
	return NULL;
}

/* Add t, doubling the buckets when there are as many entries. */
static void
cache_put(struct tmpl_set *s, struct tmpl *t)
{
	struct tmpl **old = s->bucket, *u, *next;
	size_t nold = s->nbucket, i, h;

	if (s->n >= s->nbucket) {
		s->nbucket *= 2;
		s->bucket = xcalloc(s->nbucket, sizeof *s->bucket);
		for (i = 0; i < nold; i++)
			for (u = old[i]; u != NULL; u = next) {
				next = u->next;
				h = hash(u->name) & (s->nbucket - 1);
				u->next = s->bucket[h];
				s->bucket[h] = u;
			}
		free(old);
	}
	h = hash(t->name) & (s->nbucket - 1);
	t->next = s->bucket[h];
	s->bucket[h] = t;
	s->n++;
}

/*
 * Read DIR/name into a new entry: a template, a malformed one (with its
 * error), or a miss.  NULL with errno if the file cannot be read.
 */
static struct tmpl *
load(const struct tmpl_set *s, const char *name, const char *locale,
    const char *channel)
{
	struct tmpl *t;
	char *path, *text = NULL;
	size_t len = 0;
	int r, e;

	xasprintf(&path, "%s/%s", s->dir, name);
	r = slurp(path, &text, &len);
	e = errno;
	free(path);
	if (r < 0) {
		errno = e;
		return NULL;
	}
	t = xcalloc(1, sizeof *t);
	t->name = xstrdup(name);
	t->locale = xstrdup(locale);
	if (r == 0) {
		t->present = 1;
		t->text = text;
		t->email = strcmp(channel, "email") == 0;
		parse(t, len);
	}
	return t;
}

static void
tmpl_free(struct tmpl *t)
{
	prog_free(&t->subject);
	prog_free(&t->body);
	free(t->name);
	free(t->locale);
	free(t->text);
	free(t->error);
	free(t);
}

/*
 * Try the locale and then each shorter one (dropping the last subtag):
 * 0 with *out, 1 if none has the template, -1 on a read error.  locale
 * is changed.
 */
static int
try_locale(struct tmpl_set *s, char *locale, const char *event,
    const char *channel, struct tmpl **out)
{
	char name[NAME_BUFSZ], *dash;
	struct tmpl *t;

	for (;;) {
		snprintf(name, sizeof name, "%s/%s.%s", locale, event, channel);
		if ((t = cache_get(s, name)) == NULL) {
			if ((t = load(s, name, locale, channel)) == NULL)
				return -1;
			cache_put(s, t);
		}
		if (t->present) {
			*out = t;
			return 0;
		}
		if ((dash = strrchr(locale, '-')) == NULL)
			return 1;
		*dash = '\0';
	}
}

struct tmpl_set *
tmpl_open(const char *dir, const char *default_locale)
{
	struct tmpl_set *s;
	char loc[TMPL_LOCALE_MAX + 1];

	if (dir == NULL || default_locale == NULL ||
	    canonical(default_locale, loc) != 0) {
		errno = EINVAL;
		return NULL;
	}
	s = xcalloc(1, sizeof *s);
	s->dir = xstrdup(dir);
	memcpy(s->deflocale, loc, sizeof loc);
	s->nbucket = 64;
	s->bucket = xcalloc(s->nbucket, sizeof *s->bucket);
	return s;
}

void
tmpl_close(struct tmpl_set *s)
{
	struct tmpl *t, *next;
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nbucket; i++)
		for (t = s->bucket[i]; t != NULL; t = next) {
			next = t->next;
			tmpl_free(t);
		}
	free(s->bucket);
	free(s->dir);
	free(s);
}

int
tmpl_find(struct tmpl_set *s, const char *locale, const char *event,
    const char *channel, struct tmpl **out)
{
	char loc[TMPL_LOCALE_MAX + 1];
	int r;

	*out = NULL;
	if (!name_ok(event) || !name_ok(channel) ||
	    (locale != NULL && canonical(locale, loc) != 0)) {
		errno = EINVAL;
		return -1;
	}
	if (locale != NULL &&
	    (r = try_locale(s, loc, event, channel, out)) != 1)
		return r;
	memcpy(loc, s->deflocale, sizeof loc);
	if ((r = try_locale(s, loc, event, channel, out)) != 1 ||
	    language_is(s->deflocale, "en"))
		return r;
	/* English is the last resort: the examples all have it. */
	memcpy(loc, "en", 3);
	return try_locale(s, loc, event, channel, out);
}

int
tmpl_foreign(const struct tmpl *t, const char *locale, char *lang, size_t n)
{
	char loc[TMPL_LOCALE_MAX + 1], *dash;

	if (locale == NULL || canonical(locale, loc) != 0)
		return 0;
	if ((dash = strchr(loc, '-')) != NULL)
		*dash = '\0';
	snprintf(lang, n, "%s", loc);
	return !language_is(t->locale, loc);
}

const char *
tmpl_locale(const struct tmpl *t)
{
	return t->locale;
}

const char *
tmpl_name(const struct tmpl *t)
{
	return t->name;
}

const char *
tmpl_error(const struct tmpl *t)
{
	return t->error;
}
