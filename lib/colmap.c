/*
 * colmap: --map files, which describe a CSV export the reader does not
 * know, and the conversions every dialect's values go through (see
 * reader_int.h).  A map becomes a dialect like the built-in ones.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "config.h"
#include "country.h"
#include "csvin.h"
#include "err.h"
#include "money.h"
#include "ndjson.h"
#include "reader.h"
#include "reader_int.h"
#include "when.h"

#define MAXDATEFMT 8

struct colmap {
	struct dialect d;
	char *col[NFIELDS];
	char *deflt[NFIELDS];
	char **values[NFIELDS]; /* {from, to, ..., NULL} */
	char *datefmt[MAXDATEFMT + 1];
	char *tz;
	char *source;
	char *items;
	int has_columns;
};

static struct colmap *
colmap_new(void)
{
	struct colmap *m = xcalloc(1, sizeof *m);

	m->d.name = "CSV file matching the map";
	m->d.source = "csv";
	m->d.delim = ',';
	m->d.style = MONEY_PLAIN;
	return m;
}

static void
set_str(char **p, const char *v)
{
	free(*p);
	*p = xstrdup(v);
}

static int
add_datefmt(struct colmap *m, const char *fmt, char *why, size_t whylen)
{
	size_t n;

	for (n = 0; m->datefmt[n] != NULL; n++)
		;
	if (n == MAXDATEFMT) {
		snprintf(why, whylen, "date_format: at most %d patterns",
		    MAXDATEFMT);
		return -1;
	}
	if (strchr(fmt, '%') == NULL) {
		snprintf(why, whylen, "date_format: not a strptime pattern");
		return -1;
	}
	m->datefmt[n] = xstrdup(fmt);
	return 0;
}

/* A setting or a field's column: 0, or -1 and why. */
static int
map_option(struct colmap *m, const char *key, const char *val, char *why,
    size_t whylen)
{
	int f;

	if (strcmp(key, "number_format") == 0) {
		if (money_style_parse(val, &m->d.style) == -1) {
			snprintf(why, whylen,
			    "number_format: unknown style "
			    "'%.32s' (plain, en, eu, sp, ch)",
			    val);
			return -1;
		}
	} else if (strcmp(key, "delimiter") == 0) {
		if (strcmp(val, "\\t") == 0 || strcmp(val, "tab") == 0)
			m->d.delim = '\t';
		else if (strlen(val) == 1 && val[0] != '"' && val[0] != '\n')
			m->d.delim = val[0];
		else {
			snprintf(why, whylen,
			    "delimiter: must be one "
			    "character or \"tab\"");
			return -1;
		}
	} else if (strcmp(key, "source") == 0) {
		set_str(&m->source, val);
	} else if (strcmp(key, "date_format") == 0) {
		return add_datefmt(m, val, why, whylen);
	} else if (strcmp(key, "timezone") == 0) {
		if (!when_zone_valid(val)) {
			snprintf(why, whylen,
			    "timezone: not a zone this system knows "
			    "('%.64s')",
			    val);
			return -1;
		}
		set_str(&m->tz, val);
	} else if ((f = field_index(key)) != -1) {
		set_str(&m->col[f], val);
		m->has_columns = 1;
	} else {
		snprintf(why, whylen, "unknown field '%.64s'", key);
		return -1;
	}
	return 0;
}

/* A field a map section names: its index, or -1 and why. */
static int
map_field(const char *section, const char *key, char *why, size_t whylen)
{
	int f = field_index(key);

	if (f == -1)
		snprintf(why, whylen, "%s.%.64s: unknown field", section, key);
	return f;
}

/* "columns": a field's column, or columns joined (an array). */
static int
map_columns(struct colmap *m, json_t *cols, char *why, size_t whylen)
{
	const char *key;
	char *joined;
	size_t i, len;
	json_t *v, *c;
	int f;

	json_object_foreach(cols, key, v)
	{
		if (key[0] == '_')
			continue;
		if ((f = map_field("columns", key, why, whylen)) == -1)
			return -1;
		if (json_is_string(v)) {
			map_option(m, key, json_string_value(v), why, whylen);
			continue;
		}
		if (!json_is_array(v) || json_array_size(v) < 2 ||
		    json_array_size(v) > 4) {
			snprintf(why, whylen,
			    "columns.%.64s: must be a column name, or 2 to 4 "
			    "to join",
			    key);
			return -1;
		}
		len = 1;
		json_array_foreach(v, i, c)
		{
			if (!json_is_string(c)) {
				snprintf(why, whylen,
				    "columns.%.64s: must be column names", key);
				return -1;
			}
			len += strlen(json_string_value(c)) + 1;
		}
		joined = xcalloc(len, 1);
		json_array_foreach(v, i, c)
		{
			if (i > 0)
				strcat(joined, JOIN);
			strcat(joined, json_string_value(c));
		}
		free(m->col[f]);
		m->col[f] = joined;
		m->has_columns = 1;
	}
	return 0;
}

/* "defaults": a field's value when its column is absent or blank. */
static int
map_defaults(struct colmap *m, json_t *defs, char *why, size_t whylen)
{
	const char *key;
	json_t *v;
	int f;

	json_object_foreach(defs, key, v)
	{
		if (key[0] == '_')
			continue;
		if ((f = map_field("defaults", key, why, whylen)) == -1)
			return -1;
		if (!json_is_string(v)) {
			snprintf(why, whylen,
			    "defaults.%.64s: must be a string", key);
			return -1;
		}
		set_str(&m->deflt[f], json_string_value(v));
	}
	return 0;
}

/* "values": a field's table, {"their word": "ours"}. */
static int
map_values(struct colmap *m, json_t *vals, char *why, size_t whylen)
{
	const char *key, *from;
	json_t *t, *to;
	size_t n;
	int f;

	json_object_foreach(vals, key, t)
	{
		if (key[0] == '_')
			continue;
		if ((f = map_field("values", key, why, whylen)) == -1)
			return -1;
		if (!json_is_object(t)) {
			snprintf(why, whylen,
			    "values.%.64s: must be an object of words", key);
			return -1;
		}
		m->values[f] =
		    xcalloc(2 * json_object_size(t) + 1, sizeof *m->values[f]);
		n = 0;
		json_object_foreach(t, from, to)
		{
			if (!json_is_string(to)) {
				snprintf(why, whylen,
				    "values.%.64s: each word must map to a "
				    "string",
				    key);
				return -1;
			}
			m->values[f][n++] = xstrdup(from);
			m->values[f][n++] = xstrdup(json_string_value(to));
		}
	}
	return 0;
}

static int
map_json(struct colmap *m, json_t *j, char *why, size_t whylen)
{
	const char *key;
	json_t *v, *s;
	size_t i;

	json_object_foreach(j, key, v)
	{
		if (key[0] == '_' || strcmp(key, "columns") == 0 ||
		    strcmp(key, "defaults") == 0 || strcmp(key, "values") == 0)
			continue;
		if (strcmp(key, "date_format") == 0 && json_is_array(v)) {
			json_array_foreach(v, i, s)
			{
				if (!json_is_string(s)) {
					snprintf(why, whylen,
					    "date_format: must be patterns");
					return -1;
				}
				if (add_datefmt(m, json_string_value(s), why,
					whylen) < 0)
					return -1;
			}
			continue;
		}
		if (!json_is_string(v)) {
			snprintf(why, whylen, "%.64s: must be a string", key);
			return -1;
		}
		if (map_option(m, key, json_string_value(v), why, whylen) < 0)
			return -1;
	}
	if ((s = json_object_get(j, "columns")) == NULL || !json_is_object(s)) {
		snprintf(why, whylen, "columns: missing or not an object");
		return -1;
	}
	if (map_columns(m, s, why, whylen) < 0)
		return -1;
	if ((s = json_object_get(j, "defaults")) != NULL &&
	    (!json_is_object(s) || map_defaults(m, s, why, whylen) < 0)) {
		if (!json_is_object(s))
			snprintf(why, whylen, "defaults: not an object");
		return -1;
	}
	if ((s = json_object_get(j, "values")) != NULL &&
	    (!json_is_object(s) || map_values(m, s, why, whylen) < 0)) {
		if (!json_is_object(s))
			snprintf(why, whylen, "values: not an object");
		return -1;
	}
	return 0;
}

/*
 * field,column[,default]: a row per field; the settings take their
 * value from the column.
 */
static int
map_csv(struct colmap *m, const char *path, char *why, size_t whylen)
{
	struct input *in = input_open(path);
	struct csvin *c;
	struct csvrow *row;
	const char *col, *def;
	char sub[200];
	int r, fc, cc, dc, f;

	if (in == NULL) {
		snprintf(why, whylen, "%s", strerror(errno));
		return -1;
	}
	if ((c = csvin_open(in, ',', sub, sizeof sub)) == NULL) {
		snprintf(why, whylen, "%s", sub);
		input_close(in);
		return -1;
	}
	fc = csvin_column(c, "field");
	cc = csvin_column(c, "column");
	dc = csvin_column(c, "default");
	if (fc < 0 || cc < 0) {
		snprintf(why, whylen, "the header must be field,column");
		r = CSVIN_BAD;
		goto out;
	}
	while ((r = csvin_next(c, &row, sub, sizeof sub)) == CSVIN_ROW) {
		col = (size_t)cc < row->nf ? row->f[cc] : "";
		def = dc >= 0 && (size_t)dc < row->nf ? row->f[dc] : "";
		f = field_index(row->f[fc]);
		if (f != -1 && def[0] != '\0')
			set_str(&m->deflt[f], def);
		if ((f != -1 && col[0] == '\0' && def[0] != '\0') ||
		    map_option(m, row->f[fc], col, sub, sizeof sub) == 0)
			continue;
		snprintf(why, whylen, "line %ld: %s", row->line, sub);
		r = CSVIN_BAD;
		break;
	}
	if (r != CSVIN_EOF && r != CSVIN_BAD)
		snprintf(why, whylen, "line %ld: %s", row->line, sub);
out:
	csvin_close(c);
	input_close(in);
	return r == CSVIN_EOF ? 0 : -1;
}

/* Point the map's dialect at what the map holds. */
static void
colmap_link(struct colmap *m)
{
	size_t i;

	for (i = 0; i < NFIELDS; i++) {
		m->d.cols[i] = m->col[i];
		m->d.defaults[i] = m->deflt[i];
		m->d.values[i] = (const char *const *)m->values[i];
	}
	m->d.datefmt =
	    m->datefmt[0] != NULL ? (const char *const *)m->datefmt : NULL;
	m->d.tz = m->tz;
	if (m->source != NULL)
		m->d.source = m->source;
}

struct colmap *
colmap_load(const char *path, char *why, size_t whylen)
{
	struct colmap *m = colmap_new();
	json_error_t e;
	json_t *j;
	const char *dot = strrchr(path, '.');
	int r;

	if (dot != NULL && strcasecmp(dot, ".csv") == 0)
		r = map_csv(m, path, why, whylen);
	else if ((j = ndjson_load_file(path, JSON_REJECT_DUPLICATES, &e)) ==
		 NULL) {
		if (e.line > 0)
			snprintf(
			    why, whylen, "%d:%d: %s", e.line, e.column, e.text);
		else
			snprintf(why, whylen, "%s", e.text);
		r = -1;
	} else {
		r = json_is_object(j)
			? map_json(m, j, why, whylen)
			: (snprintf(why, whylen, "must be a JSON object"), -1);
		json_decref(j);
	}
	if (r == 0 &&
	    (m->col[F_ORDER_ID] == NULL || m->col[F_LINES_SKU] == NULL ||
		(m->col[F_LINES_QTY] == NULL &&
		    m->deflt[F_LINES_QTY] == NULL))) {
		snprintf(why, whylen,
		    "order_id, lines.sku and lines.qty "
		    "must be mapped");
		r = -1;
	}
	if (r == -1) {
		colmap_free(m);
		return NULL;
	}
	m->has_columns = 1;
	colmap_link(m);
	return m;
}

struct colmap *
colmap_set_items(struct colmap *m, const char *path)
{
	if (m == NULL) {
		m = colmap_new();
		colmap_link(m);
	}
	set_str(&m->items, path);
	return m;
}

void
colmap_free(struct colmap *m)
{
	size_t i, j;

	if (m == NULL)
		return;
	for (i = 0; i < NFIELDS; i++) {
		free(m->col[i]);
		free(m->deflt[i]);
		for (j = 0; m->values[i] != NULL && m->values[i][j] != NULL;
		     j++)
			free(m->values[i][j]);
		free(m->values[i]);
	}
	for (i = 0; m->datefmt[i] != NULL; i++)
		free(m->datefmt[i]);
	free(m->tz);
	free(m->source);
	free(m->items);
	free(m);
}

const struct dialect *
colmap_dialect(const struct colmap *m)
{
	return &m->d;
}

const char *
colmap_items(const struct colmap *m)
{
	return m->items;
}

int
colmap_has_columns(const struct colmap *m)
{
	return m->has_columns;
}

/* The word table's value for v: exact (ASCII case aside), else "*". */
static const char *
lookup(const char *const *t, const char *v)
{
	const char *any = NULL;

	for (; t[0] != NULL; t += 2) {
		if (strcasecmp(t[0], v) == 0)
			return t[1];
		if (strcmp(t[0], "*") == 0)
			any = t[1];
	}
	return any;
}

/*
 * A time by strptime patterns, in zone tz unless the pattern reads an
 * offset (%z): 0, or -1 if no pattern matches the whole text.
 */
static int
by_pattern(
    const char *s, const char *const *fmts, const char *tz, struct when *w)
{
	const char *end;
	struct tm tm;
	int64_t day;
	int y, mo, d, secs;

	for (; *fmts != NULL; fmts++) {
		memset(&tm, 0, sizeof tm);
		tm.tm_mday = 1;
		if ((end = strptime(s, *fmts, &tm)) == NULL)
			continue;
		while (isspace((unsigned char)*end))
			end++;
		if (*end != '\0')
			continue;
		day = days_from_civil(
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
		civil_from_days(day, &y, &mo, &d);
		if (y != tm.tm_year + 1900 || mo != tm.tm_mon + 1 ||
		    d != tm.tm_mday)
			continue; /* the 30th of February */
		secs = tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
		if (strstr(*fmts, "%z") != NULL) {
			w->t = day * 86400 + secs - tm.tm_gmtoff;
			w->off = (int)(tm.tm_gmtoff / 60);
		} else
			*w = when_in_zone(when_local(tz, day, secs), tz);
		return 0;
	}
	return -1;
}

const char *
convert_value(const struct dialect *d, const struct config *cfg, int f,
    const char *v, char *buf, size_t buflen, char *why, size_t whylen)
{
	unsigned fl = fields[f].flags;
	const char *p = v, *e, *to, *code;
	struct when w;
	size_t n;

	while (isspace((unsigned char)*p))
		p++;
	e = p + strlen(p);
	while (e > p && isspace((unsigned char)e[-1]))
		e--;
	n = (size_t)(e - p);
	/* ="0042": how spreadsheets are told to keep digits as text. */
	if (n >= 3 && p[0] == '=' && p[1] == '"' && e[-1] == '"') {
		p += 2;
		n -= 3;
	}
	/* So is an apostrophe before a phone or a postcode. */
	if ((fl & (FL_PHONE | FL_POSTCODE)) && n > 0 && p[0] == '\'') {
		p++;
		n--;
	}
	if (n >= buflen)
		return v; /* text too long to be a word, time or country */
	if (p == v && n == strlen(v) && d->values[f] == NULL &&
	    !(fl & (FL_TIME | FL_COUNTRY)))
		return v;
	memcpy(buf, p, n);
	buf[n] = '\0';
	if (d->values[f] != NULL && (to = lookup(d->values[f], buf)) != NULL) {
		if (strlen(to) >= buflen)
			return to;
		memmove(buf, to, strlen(to) + 1);
	}
	/* Times in RFC 3339; one the reader cannot read is left as read. */
	if ((fl & FL_TIME) && buf[0] != '\0') {
		if (d->datefmt != NULL) {
			if (by_pattern(buf, d->datefmt,
				d->tz != NULL ? d->tz : cfg->tz, &w) < 0) {
				snprintf(why, whylen,
				    "matches no date_format pattern");
				return NULL;
			}
			when_format(&w, buf);
		} else if (when_parse_loose(
			       buf, d->tz != NULL ? d->tz : cfg->tz, &w) == 0)
			when_format(&w, buf);
	}
	if ((fl & FL_COUNTRY) && buf[0] != '\0' &&
	    !(strlen(buf) == 2 && isalpha((unsigned char)buf[0]) &&
		isalpha((unsigned char)buf[1])) &&
	    (code = country_code(buf)) != NULL)
		snprintf(buf, buflen, "%s", code);
	return buf;
}
