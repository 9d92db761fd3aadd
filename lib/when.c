#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "err.h"
#include "when.h"

/* Howard Hinnant's days-from-civil, on a year starting in March. */
int64_t
days_from_civil(int y, int m, int d)
{
	int64_t yy = (int64_t)y - (m <= 2);
	int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
	int64_t yoe = yy - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

void
civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

char *
day_format(int64_t day, char buf[16])
{
	int y, m, d;

	civil_from_days(day, &y, &m, &d);
	snprintf(buf, 16, "%04d-%02d-%02d", y % 10000, m, d);
	return buf;
}

int
weekday(int64_t day)
{
	/* 1970-01-01 was a Thursday (3). */
	int64_t w = (day + 3) % 7;

	return (int)(w < 0 ? w + 7 : w);
}

static int
mdays(int y, int m)
{
	static const int n[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return n[m - 1];
}

/* Exactly n digits into *v; returns the text after them or NULL. */
static const char *
digits(const char *s, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return NULL;
		*v = *v * 10 + (s[i] - '0');
	}
	return s + n;
}

static const char *
date_part(const char *s, int *y, int *m, int *d)
{
	if ((s = digits(s, 4, y)) == NULL || *s++ != '-' ||
	    (s = digits(s, 2, m)) == NULL || *s++ != '-' ||
	    (s = digits(s, 2, d)) == NULL)
		return NULL;
	if (*m < 1 || *m > 12 || *d < 1 || *d > mdays(*y, *m))
		return NULL;
	return s;
}

int
parse_date(const char *s, int64_t *day)
{
	int y, m, d;

	if ((s = date_part(s, &y, &m, &d)) == NULL || *s != '\0')
		return -1;
	*day = days_from_civil(y, m, d);
	return 0;
}

/* HH:MM[:SS[.frac]]; loose allows the seconds to be left out. */
static const char *
clock_part(const char *s, int loose, int *secs)
{
	int h, mi, se = 0;

	if ((s = digits(s, 2, &h)) == NULL || *s++ != ':' ||
	    (s = digits(s, 2, &mi)) == NULL)
		return NULL;
	if (*s == ':') {
		if ((s = digits(s + 1, 2, &se)) == NULL)
			return NULL;
		if (*s == '.') {
			if (!isdigit((unsigned char)*++s))
				return NULL;
			while (isdigit((unsigned char)*s))
				s++;
		}
	} else if (!loose)
		return NULL;
	if (h > 23 || mi > 59 || se > 60)
		return NULL;
	if (se == 60)
		se = 59; /* a leap second: the moment before will do */
	*secs = h * 3600 + mi * 60 + se;
	return s;
}

int
parse_clock(const char *s, int *secs)
{
	s = clock_part(s, 1, secs);
	return s != NULL && *s == '\0' ? 0 : -1;
}

/* Z, +hh:mm, and when loose +hhmm, +hh, " UTC". */
static const char *
offset_part(const char *s, int loose, int *off, int *have)
{
	int sign, h, m = 0;

	*have = 1;
	if (loose && *s == ' ')
		s++;
	if (*s == 'Z' || *s == 'z') {
		*off = 0;
		return s + 1;
	}
	if (loose && (strcmp(s, "UTC") == 0 || strcmp(s, "GMT") == 0)) {
		*off = 0;
		return s + 3;
	}
	if (*s != '+' && *s != '-') {
		*have = 0;
		return loose ? s : NULL;
	}
	sign = *s++ == '-' ? -1 : 1;
	if ((s = digits(s, 2, &h)) == NULL)
		return NULL;
	if (*s == ':') {
		if ((s = digits(s + 1, 2, &m)) == NULL)
			return NULL;
	} else if (!loose)
		return NULL;
	else if (isdigit((unsigned char)*s) && (s = digits(s, 2, &m)) == NULL)
		return NULL;
	if (h > 23 || m > 59)
		return NULL;
	*off = sign * (h * 60 + m);
	return s;
}

static int
parse(const char *s, int loose, const char *tz, struct when *w)
{
	int y, mo, d, secs = 0, off = 0, have = 0;
	int64_t day;

	if (s == NULL || (s = date_part(s, &y, &mo, &d)) == NULL)
		return -1;
	day = days_from_civil(y, mo, d);
	if (*s == '\0') {
		if (!loose || tz == NULL)
			return -1;
		w->t = when_local(tz, day, 0);
		*w = when_in_zone(w->t, tz);
		return 0;
	}
	if (*s == 'T' || *s == 't' || (*s == ' ' && loose))
		s++;
	else
		return -1;
	if ((s = clock_part(s, loose, &secs)) == NULL ||
	    (s = offset_part(s, loose, &off, &have)) == NULL || *s != '\0')
		return -1;
	if (!have) {
		if (tz == NULL)
			return -1;
		*w = when_in_zone(when_local(tz, day, secs), tz);
		return 0;
	}
	w->t = day * 86400 + secs - (int64_t)off * 60;
	w->off = off;
	return 0;
}

int
when_parse(const char *s, struct when *w)
{
	return parse(s, 0, NULL, w);
}

int
when_parse_loose(const char *s, const char *tz, struct when *w)
{
	return parse(s, 1, tz, w);
}

int64_t
when_day(const struct when *w)
{
	int64_t l = w->t + (int64_t)w->off * 60;

	return l >= 0 ? l / 86400 : -((-l + 86399) / 86400);
}

int
when_secs(const struct when *w)
{
	return (int)(w->t + (int64_t)w->off * 60 - when_day(w) * 86400);
}

/* Two digits of v at p. */
static void
two(char *p, int v)
{
	p[0] = (char)('0' + v / 10 % 10);
	p[1] = (char)('0' + v % 10);
}

/* Written by hand: it runs several times for every order. */
char *
when_format(const struct when *w, char buf[WHEN_BUFSZ])
{
	int y, m, d, s = when_secs(w), off = w->off < 0 ? -w->off : w->off;

	civil_from_days(when_day(w), &y, &m, &d);
	if (y < 0 || y > 9999) {
		snprintf(buf, WHEN_BUFSZ,
		    "%d-%02d-%02dT%02d:%02d:%02d%c%02d:"
		    "%02d",
		    y, m, d, s / 3600, s / 60 % 60, s % 60,
		    w->off < 0 ? '-' : '+', off / 60, off % 60);
		return buf;
	}
	memcpy(buf, "0000-00-00T00:00:00+00:00", 26);
	two(buf, y / 100);
	two(buf + 2, y % 100);
	two(buf + 5, m);
	two(buf + 8, d);
	two(buf + 11, s / 3600);
	two(buf + 14, s / 60 % 60);
	two(buf + 17, s % 60);
	buf[19] = w->off < 0 ? '-' : '+';
	two(buf + 20, off / 60);
	two(buf + 23, off % 60);
	return buf;
}

/*
 * $FULFIL_NOW is parsed once and kept with the text it was parsed from:
 * the ledger asks for now at every row it stamps (three times a message
 * in notify), and a test that changes the variable (setenv) is read
 * again.  Each thread keeps its own (pick-list asks on two).
 */
static _Thread_local struct {
	char text[64]; /* "": none kept */
	struct when w;
} nowkept;

struct when
when_now(void)
{
	const char *e = getenv("FULFIL_NOW");
	struct when w;

	if (e != NULL && *e != '\0') {
		if (strcmp(e, nowkept.text) == 0)
			return nowkept.w;
		if (when_parse(e, &w) == -1)
			err_exit(EXIT_TROUBLE,
			    "FULFIL_NOW: not an RFC 3339 time: "
			    "'%s'",
			    e);
		if (strlen(e) < sizeof nowkept.text) {
			strcpy(nowkept.text, e);
			nowkept.w = w;
		}
		return w;
	}
	w.t = (int64_t)time(NULL);
	w.off = 0;
	return w;
}

/* The zone $TZ is set to, so that switching back and forth is cheap. */
static char *curzone;

/*
 * Offsets of the current zone by six-hour bucket, direct-mapped: orders
 * cluster in time, so localtime_r() is rarely asked.  A bucket is cached
 * only when its first and last second have the same offset; no zone
 * changes its offset twice within six hours.  Each thread has its own.
 */
#define BUCKET 21600
#define NCACHE 64

static _Thread_local struct {
	int64_t bucket;
	int off;
	int valid;
} cache[NCACHE];

static void
usezone(const char *tz)
{
	if (curzone != NULL && strcmp(curzone, tz) == 0)
		return;
	free(curzone);
	curzone = xstrdup(tz);
	setenv("TZ", tz, 1);
	tzset();
	memset(cache, 0, sizeof cache); /* another zone's offsets */
}

int
when_zone_valid(const char *tz)
{
	const char *dir = getenv("TZDIR");
	char path[PATH_MAX];
	struct stat st;

	if (tz == NULL || *tz == '\0' || tz[0] == '/' ||
	    strstr(tz, "..") != NULL)
		return 0;
	if (strcmp(tz, "UTC") == 0)
		return 1;
	/*
	 * The last zone found, remembered: notify asks twice a message,
	 * most customers in the shop's zone, and a stat() each time was 3%
	 * of its work.  Zone files do not come and go in a run.
	 */
	static _Thread_local char last[128];

	if (strcmp(tz, last) == 0)
		return 1;
	snprintf(path, sizeof path, "%s/%s",
	    dir != NULL ? dir : "/usr/share/zoneinfo", tz);
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return 0;
	if (strlen(tz) < sizeof last)
		strcpy(last, tz);
	return 1;
}

static int
offset_at(int64_t t)
{
	struct tm tm;
	time_t tt = (time_t)t;

	localtime_r(&tt, &tm);
	return (int)(tm.tm_gmtoff / 60);
}

static int
zone_offset(int64_t t)
{
	int64_t b = t >= 0 ? t / BUCKET : -((-t + BUCKET - 1) / BUCKET);
	size_t i = (size_t)(b & (NCACHE - 1));
	int o;

	if (cache[i].valid && cache[i].bucket == b)
		return cache[i].off;
	o = offset_at(b * BUCKET);
	if (offset_at(b * BUCKET + BUCKET - 1) != o)
		return offset_at(t);
	cache[i].bucket = b;
	cache[i].off = o;
	cache[i].valid = 1;
	return o;
}

struct when
when_in_zone(int64_t t, const char *tz)
{
	struct when w;

	usezone(tz);
	w.t = t;
	w.off = zone_offset(t);
	return w;
}

int64_t
when_local(const char *tz, int64_t day, int secs)
{
	struct tm tm;
	int64_t guess;
	int y, m, d, off;

	usezone(tz);
	/*
	 * Wall clock minus the offset there is the answer, unless the day
	 * changes offset near that time: then mktime() decides.
	 */
	guess = day * 86400 + secs;
	off = zone_offset(guess);
	guess -= (int64_t)off * 60;
	if (zone_offset(guess) == off && zone_offset(guess - BUCKET) == off &&
	    zone_offset(guess + BUCKET) == off)
		return guess;
	civil_from_days(day, &y, &m, &d);
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	/*
	 * The wall clock goes into hours and minutes, not all into tm_sec:
	 * glibc's mktime() applies the offset in force at midnight to an
	 * out-of-range tm_sec, so a time after a DST change on the day of
	 * the change came out an hour off.
	 */
	tm.tm_hour = secs / 3600;
	tm.tm_min = secs / 60 % 60;
	tm.tm_sec = secs % 60;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm);
}

int64_t
when_day_end(const char *tz, int64_t day)
{
	return when_local(tz, day + 1, 0) - 1;
}

int
parse_weekday(const char *s)
{
	static const char *names[] = {"monday", "tuesday", "wednesday",
	    "thursday", "friday", "saturday", "sunday"};
	size_t n = strlen(s);
	int i;

	for (i = 0; i < 7; i++)
		if ((n == 3 || n == strlen(names[i])) &&
		    strncasecmp(s, names[i], n) == 0)
			return i;
	return -1;
}

void
cal_init(struct calendar *c, unsigned week)
{
	memset(c, 0, sizeof *c);
	c->week = week;
}

void
cal_add_holiday(struct calendar *c, int64_t day)
{
	size_t i;

	xgrow(&c->hol, &c->caphol, c->nhol + 1, sizeof *c->hol);
	for (i = c->nhol; i > 0 && c->hol[i - 1] > day; i--)
		c->hol[i] = c->hol[i - 1];
	c->hol[i] = day;
	c->nhol++;
}

void
cal_free(struct calendar *c)
{
	free(c->hol);
	memset(c, 0, sizeof *c);
}

int
cal_works(const struct calendar *c, int64_t day)
{
	size_t lo = 0, hi = c->nhol, mid;

	if (!(c->week & (1u << weekday(day))))
		return 0;
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (c->hol[mid] == day)
			return 0;
		if (c->hol[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 1;
}

int64_t
cal_next(const struct calendar *c, int64_t day)
{
	int i;

	for (i = 0; i < 3660; i++, day++)
		if (cal_works(c, day))
			return day;
	return CAL_NONE;
}

int64_t
cal_add(const struct calendar *c, int64_t day, int n)
{
	while (n-- > 0) {
		day = cal_next(c, day + 1);
		if (day == CAL_NONE)
			return CAL_NONE;
	}
	return day;
}

int64_t
when_mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}
