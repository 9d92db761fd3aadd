#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"
#include "when.h"

#define SH "Asia/Shanghai"
#define NY "America/New_York"

/* 2026-11-23T01:14:00Z, the instant most cases below write. */
#define T0 INT64_C(1795396440)
/* Day numbers of the days the DST tests look at. */
#define MAR8 INT64_C(20520)  /* 2026-03-08, clocks go forward */
#define NOV1 INT64_C(20758)  /* 2026-11-01, clocks go back */
#define NOV23 INT64_C(20780) /* 2026-11-23, a Monday */

static int64_t
day(int y, int m, int d)
{
	return days_from_civil(y, m, d);
}

/* s parses (strictly, or loosely in zone tz) to instant t shown at off. */
static void
parses(int loose, const char *tz, const char *s, int64_t t, int off)
{
	struct when w = {-42, -42};
	int r = loose ? when_parse_loose(s, tz, &w) : when_parse(s, &w);

	if (!ok(r == 0 && w.t == t && w.off == off, "%s '%s'%s%s is %lld%+d",
		loose ? "loose" : "strict", s, tz != NULL ? " in " : "",
		tz != NULL ? tz : "", (long long)t, off))
		printf("#   got %d, %lld%+d\n", r, (long long)w.t, w.off);
}

static void
rejects(int loose, const char *tz, const char *s)
{
	struct when w;
	int r = loose ? when_parse_loose(s, tz, &w) : when_parse(s, &w);

	is_int(r, -1, "%s rejects '%s'%s%s", loose ? "loose" : "strict",
	    s != NULL ? s : "(null)", tz != NULL ? " in " : "",
	    tz != NULL ? tz : "");
}

static void
test_strict(void)
{
	parses(0, NULL, "2026-11-23T09:14:00+08:00", T0, 480);
	parses(0, NULL, "2026-11-23T01:14:00Z", T0, 0);
	parses(0, NULL, "2026-11-22T19:44:00-05:30", T0, -330);
	parses(0, NULL, "2026-11-23T01:14:00-00:00", T0, 0);
	parses(0, NULL, "2026-11-23T09:14:00.999999+08:00", T0, 480);
	parses(0, NULL, "2026-11-23T01:14:00.5Z", T0, 0);
	parses(0, NULL, "2026-11-23t01:14:00z", T0, 0);
	parses(0, NULL, "2024-02-29T00:00:00Z", INT64_C(1709164800), 0);
	parses(0, NULL, "2000-02-29T12:00:00Z",
	    day(2000, 2, 29) * 86400 + 43200, 0);
	parses(0, NULL, "1969-12-31T23:59:59Z", -1, 0);
	parses(0, NULL, "1900-01-01T00:00:00Z", INT64_C(-2208988800), 0);
	/* A leap second is read as the second before it. */
	parses(0, NULL, "2026-12-31T23:59:60Z", INT64_C(1798761599), 0);
	parses(0, NULL, "2027-01-01T07:59:60+08:00", INT64_C(1798761599), 480);

	rejects(0, NULL, "2026-02-29T00:00:00Z");
	rejects(0, NULL, "2100-02-29T00:00:00Z");
	rejects(0, NULL, "2026-04-31T00:00:00Z");
	rejects(0, NULL, "2026-13-01T00:00:00Z");
	rejects(0, NULL, "2026-00-10T00:00:00Z");
	rejects(0, NULL, "2026-11-00T00:00:00Z");
	rejects(0, NULL, "2026-11-23T24:00:00Z");
	rejects(0, NULL, "2026-11-23T09:60:00Z");
	rejects(0, NULL, "2026-11-23T09:14:61Z");
	rejects(0, NULL, "2026-11-23T09:14:00");
	rejects(0, NULL, "2026-11-23T09:14:00Zjunk");
	rejects(0, NULL, "2026-11-23T09:14:00+08:00 ");
	rejects(0, NULL, "2026-11-23T09:14:00+08:00x");
	rejects(0, NULL, "2026-11-23T09:14:00+0800");
	rejects(0, NULL, "2026-11-23T09:14:00+08");
	rejects(0, NULL, "2026-11-23T09:14:00+24:00");
	rejects(0, NULL, "2026-11-23T09:14:00+08:60");
	rejects(0, NULL, "2026-11-23T09:14:00 UTC");
	rejects(0, NULL, "2026-11-23T09:14:00.Z");
	rejects(0, NULL, "2026-11-23 09:14:00Z");
	rejects(0, NULL, "2026-11-23T09:14Z");
	rejects(0, NULL, "2026-11-23");
	rejects(0, NULL, "2026-1-23T09:14:00Z");
	rejects(0, NULL, "26-11-23T09:14:00Z");
	rejects(0, NULL, "2026-11-23T9:14:00Z");
	rejects(0, NULL, "");
	rejects(0, NULL, NULL);
}

static void
test_loose(void)
{
	parses(1, NULL, "2026-11-23 09:14:00 +0800", T0, 480);
	parses(1, NULL, "2026-11-23 09:14 +0800", T0, 480);
	parses(1, NULL, "2026-11-23 09:14:00+0800", T0, 480);
	parses(1, NULL, "2026-11-23 09:14:00 +08", T0, 480);
	parses(1, NULL, "2026-11-22 19:44:00 -0530", T0, -330);
	parses(1, NULL, "2026-11-23T01:14:00 UTC", T0, 0);
	parses(1, NULL, "2026-11-23 01:14 GMT", T0, 0);
	parses(1, NULL, "2026-11-23T09:14:00+08:00", T0, 480);
	parses(1, SH, "2026-11-23T01:14:00Z", T0, 0);
	/* No offset: the wall clock in the zone. */
	parses(1, SH, "2026-11-23 09:14:00", T0, 480);
	parses(1, SH, "2026-11-23 09:14", T0, 480);
	parses(1, SH, "2026-11-23T09:14:00", T0, 480);
	parses(1, NY, "2026-11-22 20:14:00", T0, -300);
	/* A bare date is its midnight in the zone. */
	parses(1, SH, "2026-11-23", INT64_C(1795363200), 480);
	parses(1, NY, "2026-03-08", INT64_C(1772946000), -300);
	/* A time the spring change skips moves forward. */
	parses(1, NY, "2026-03-08 02:30", INT64_C(1772955000), -240);

	rejects(1, NULL, "2026-11-23 09:14:00");
	rejects(1, NULL, "2026-11-23");
	rejects(1, SH, "2026-11-23 09:14:00 PST");
	rejects(1, SH, "2026-11-23 09:14:00 +8:00");
	rejects(1, SH, "2026-11-23 09:14:00 +080");
	rejects(1, SH, "2026-11-23 9:14");
	rejects(1, SH, "2026-11-23 09");
	rejects(1, SH, "2026-11-23  09:14");
	rejects(1, SH, "2026-02-29");
	rejects(1, SH, "2026-11-23x");
	rejects(1, SH, "2026-11-23 24:00");
}

static void
formats(int64_t t, int off, const char *want)
{
	struct when w = {t, off};
	char buf[WHEN_BUFSZ];

	is_str(when_format(&w, buf), want, "format %lld%+d", (long long)t, off);
}

static void
round_trip(const char *s)
{
	struct when w;
	char buf[WHEN_BUFSZ] = "(did not parse)";

	if (when_parse(s, &w) == 0)
		when_format(&w, buf);
	if (!ok(strcmp(buf, s) == 0, "round trip '%s'", s))
		printf("#   got '%s'\n", buf);
}

static void
test_format(void)
{
	char buf[WHEN_BUFSZ];
	struct when w = {T0, 480};

	ok(when_format(&w, buf) == buf, "when_format returns its buffer");
	formats(T0, 480, "2026-11-23T09:14:00+08:00");
	formats(T0, 0, "2026-11-23T01:14:00+00:00");
	formats(T0, -330, "2026-11-22T19:44:00-05:30");
	formats(T0, -45, "2026-11-23T00:29:00-00:45");
	formats(T0, 345, "2026-11-23T06:59:00+05:45");
	formats(0, 0, "1970-01-01T00:00:00+00:00");
	formats(-1, 0, "1969-12-31T23:59:59+00:00");
	formats(0, -60, "1969-12-31T23:00:00-01:00");
	formats(INT64_C(-2208988800), 0, "1900-01-01T00:00:00+00:00");
	formats(day(1, 1, 1) * 86400, 0, "0001-01-01T00:00:00+00:00");
	formats(
	    day(9999, 12, 31) * 86400 + 86399, 0, "9999-12-31T23:59:59+00:00");
	formats(day(10000, 1, 1) * 86400, 0, "10000-01-01T00:00:00+00:00");

	round_trip("2026-11-23T09:14:00+08:00");
	round_trip("2026-11-22T19:44:00-05:30");
	round_trip("2026-11-23T01:14:00+00:00");
	round_trip("2024-02-29T23:59:59-12:00");
	round_trip("1969-07-20T20:17:40+00:00");
	round_trip("1901-12-13T20:45:52-09:30");
	round_trip("2038-01-19T03:14:08+14:00");
}

static void
test_day_secs(void)
{
	struct when w;

	w = (struct when){-1, 0};
	is_int(when_day(&w), -1, "when_day of the last second of 1969");
	is_int(when_secs(&w), 86399, "when_secs of the last second of 1969");
	w = (struct when){-86400, 0};
	is_int(when_day(&w), -1, "when_day of 1969-12-31T00:00Z");
	is_int(when_secs(&w), 0, "when_secs of 1969-12-31T00:00Z");
	w = (struct when){-86401, 0};
	is_int(when_day(&w), -2, "when_day one second earlier");
	is_int(when_secs(&w), 86399, "when_secs one second earlier");
	w = (struct when){0, -60};
	is_int(when_day(&w), -1, "when_day of the epoch at -01:00");
	is_int(when_secs(&w), 82800, "when_secs of the epoch at -01:00");
	w = (struct when){INT64_C(-2208988800), 0};
	is_int(when_day(&w), -25567, "when_day of 1900-01-01");
	w = (struct when){T0, 480};
	is_int(when_day(&w), NOV23, "when_day in its own offset");
	is_int(when_secs(&w), 9 * 3600 + 14 * 60, "when_secs in its offset");
	w = (struct when){T0, -330};
	is_int(when_day(&w), NOV23 - 1, "when_day at -05:30 is the day before");
	is_int(when_secs(&w), 19 * 3600 + 44 * 60, "when_secs at -05:30");
}

static void
test_civil(void)
{
	int64_t d, bad = 0;
	int y, m, dd, py, pm, pd, w, pw;

	is_int(days_from_civil(1970, 1, 1), 0, "1970-01-01 is day 0");
	is_int(days_from_civil(2026, 11, 23), NOV23, "2026-11-23");
	is_int(days_from_civil(2000, 2, 29), 11016, "2000-02-29");
	is_int(days_from_civil(2000, 3, 1), 11017, "2000-03-01");
	is_int(days_from_civil(1969, 12, 31), -1, "1969-12-31");
	is_int(days_from_civil(1600, 3, 1), -135080, "1600-03-01");
	is_int(days_from_civil(1, 1, 1), -719162, "0001-01-01");
	is_int(days_from_civil(0, 12, 31), -719163, "0000-12-31");
	civil_from_days(-719163, &y, &m, &dd);
	ok(y == 0 && m == 12 && dd == 31, "day -719163 is 0000-12-31");
	civil_from_days(11016, &y, &m, &dd);
	ok(y == 2000 && m == 2 && dd == 29, "day 11016 is 2000-02-29");

	/*
	 * Every day over some 11,000 years: back and forth agree, and each
	 * day is the one after the day before.
	 */
	civil_from_days(-2000001, &py, &pm, &pd);
	pw = weekday(-2000001);
	for (d = -2000000; d <= 2000000; d++) {
		civil_from_days(d, &y, &m, &dd);
		w = weekday(d);
		if (days_from_civil(y, m, dd) != d || w != (pw + 1) % 7 ||
		    !((y == py && m == pm && dd == pd + 1) ||
			(y == py && m == pm + 1 && dd == 1) ||
			(y == py + 1 && m == 1 && pm == 12 && dd == 1))) {
			if (bad++ == 0)
				printf("#   day %lld: %d-%d-%d after "
				       "%d-%d-%d\n",
				    (long long)d, y, m, dd, py, pm, pd);
		}
		py = y;
		pm = m;
		pd = dd;
		pw = w;
	}
	is_int(bad, 0,
	    "days_from_civil and civil_from_days agree, "
	    "years -3506..7445");
	is_int(py, 7445, "the range ends in 7445");

	is_int(weekday(NOV23), 0, "2026-11-23 is a Monday");
	is_int(weekday(0), 3, "1970-01-01 is a Thursday");
	is_int(weekday(-1), 2, "1969-12-31 is a Wednesday");
	is_int(weekday(days_from_civil(1, 1, 1)), 0, "0001-01-01 is a Monday");
	is_int(weekday(NOV23 + 6), 6, "2026-11-29 is a Sunday");
}

static void
test_parse_parts(void)
{
	int64_t d = -42;
	int s = -42;

	ok(parse_date("2026-11-23", &d) == 0 && d == NOV23,
	    "parse_date 2026-11-23");
	ok(parse_date("1969-12-31", &d) == 0 && d == -1,
	    "parse_date 1969-12-31");
	ok(parse_date("2024-02-29", &d) == 0 && d == 19782,
	    "parse_date 2024-02-29");
	is_int(parse_date("2026-02-29", &d), -1, "parse_date 2026-02-29");
	is_int(parse_date("2026-11-23T00:00:00Z", &d), -1,
	    "parse_date wants a bare date");
	is_int(parse_date("2026-11-23 ", &d), -1, "parse_date trailing blank");
	is_int(parse_date("2026-11-3", &d), -1, "parse_date one-digit day");
	is_int(parse_date("2026/11/23", &d), -1, "parse_date slashes");
	is_int(parse_date("", &d), -1, "parse_date empty");

	ok(parse_clock("09:14", &s) == 0 && s == 33240, "parse_clock 09:14");
	ok(parse_clock("09:14:30", &s) == 0 && s == 33270,
	    "parse_clock 09:14:30");
	ok(parse_clock("00:00", &s) == 0 && s == 0, "parse_clock 00:00");
	ok(parse_clock("23:59:59", &s) == 0 && s == 86399,
	    "parse_clock 23:59:59");
	is_int(parse_clock("24:00", &s), -1, "parse_clock 24:00");
	is_int(parse_clock("12:60", &s), -1, "parse_clock 12:60");
	is_int(parse_clock("9:14", &s), -1, "parse_clock 9:14");
	is_int(parse_clock("09:14:", &s), -1, "parse_clock 09:14:");
	is_int(parse_clock("09:14Z", &s), -1, "parse_clock 09:14Z");
	is_int(parse_clock("0914", &s), -1, "parse_clock 0914");
	is_int(parse_clock("", &s), -1, "parse_clock empty");

	is_int(parse_weekday("mon"), 0, "parse_weekday mon");
	is_int(parse_weekday("Monday"), 0, "parse_weekday Monday");
	is_int(parse_weekday("TUE"), 1, "parse_weekday TUE");
	is_int(parse_weekday("wednesday"), 2, "parse_weekday wednesday");
	is_int(parse_weekday("Thu"), 3, "parse_weekday Thu");
	is_int(parse_weekday("fri"), 4, "parse_weekday fri");
	is_int(parse_weekday("SATURDAY"), 5, "parse_weekday SATURDAY");
	is_int(parse_weekday("sun"), 6, "parse_weekday sun");
	is_int(parse_weekday("sunday"), 6, "parse_weekday sunday");
	is_int(parse_weekday("tues"), -1, "parse_weekday tues");
	is_int(parse_weekday("mo"), -1, "parse_weekday mo");
	is_int(parse_weekday("mondays"), -1, "parse_weekday mondays");
	is_int(parse_weekday("xyz"), -1, "parse_weekday xyz");
	is_int(parse_weekday(""), -1, "parse_weekday empty");
}

static void
test_zones(void)
{
	struct when w;
	char buf[WHEN_BUFSZ];

	is_int(when_zone_valid(SH), 1, "Asia/Shanghai is a zone");
	is_int(when_zone_valid("UTC"), 1, "UTC is a zone");
	is_int(when_zone_valid("Mars/Olympus_Mons"), 0, "no Mars zone");
	is_int(when_zone_valid("America"), 0, "a directory is no zone");
	is_int(when_zone_valid("../../../etc/passwd"), 0, "no .. in zones");
	is_int(when_zone_valid("/etc/passwd"), 0, "no absolute zones");
	is_int(when_zone_valid(""), 0, "no empty zone");

	w = when_in_zone(T0, SH);
	ok(w.t == T0 && w.off == 480, "Shanghai is +08:00");
	is_str(when_format(&w, buf), "2026-11-23T09:14:00+08:00",
	    "Shanghai wall clock");
	is_int(when_local(SH, NOV23, 9 * 3600 + 14 * 60), T0,
	    "when_local Shanghai 09:14");
	is_int(when_local(SH, NOV23, 0), INT64_C(1795363200),
	    "when_local Shanghai midnight");
	w = when_in_zone(T0, "UTC");
	is_int(w.off, 0, "UTC is +00:00");

	/* Spring forward in New York: 02:00 EST becomes 03:00 EDT. */
	is_int(when_local(NY, MAR8, 0), INT64_C(1772946000),
	    "New York 2026-03-08 00:00 is 05:00Z");
	is_int(when_local(NY, MAR8, 5400), INT64_C(1772951400),
	    "New York 2026-03-08 01:30 is 06:30Z");
	is_int(when_local(NY, MAR8, 9000), INT64_C(1772955000),
	    "New York 2026-03-08 02:30, skipped, moves to 03:30 EDT");
	is_int(when_local(NY, MAR8, 12600), INT64_C(1772955000),
	    "New York 2026-03-08 03:30 is 07:30Z");
	is_int(when_local(NY, MAR8, 43200), INT64_C(1772985600),
	    "New York 2026-03-08 12:00 is 16:00Z");
	is_int(when_local(NY, MAR8 + 1, 0), INT64_C(1772946000) + 86400 - 3600,
	    "New York 2026-03-09 00:00 is 04:00Z");
	is_int(when_in_zone(INT64_C(1772951400), NY).off, -300,
	    "New York before the change is -05:00");
	is_int(when_in_zone(INT64_C(1772955000), NY).off, -240,
	    "New York after the change is -04:00");
	w = when_in_zone(INT64_C(1772955000), NY);
	is_str(when_format(&w, buf), "2026-03-08T03:30:00-04:00",
	    "New York wall clock after the change");

	/* Fall back: 02:00 EDT becomes 01:00 EST. */
	is_int(when_local(NY, NOV1, 0), INT64_C(1793505600),
	    "New York 2026-11-01 00:00 is 04:00Z");
	is_int(when_local(NY, NOV1, 3 * 3600 + 1800), INT64_C(1793521800),
	    "New York 2026-11-01 03:30 is 08:30Z");
	is_int(when_local(NY, NOV1, 43200), INT64_C(1793552400),
	    "New York 2026-11-01 12:00 is 17:00Z");
	is_int(when_in_zone(INT64_C(1793511000), NY).off, -240,
	    "New York 05:30Z on 2026-11-01 is still -04:00");
	is_int(when_in_zone(INT64_C(1793514600), NY).off, -300,
	    "New York 06:30Z on 2026-11-01 is -05:00");
	w = when_in_zone(INT64_C(1793514600), NY);
	is_str(when_format(&w, buf), "2026-11-01T01:30:00-05:00",
	    "New York wall clock in the repeated hour");

	/* Before 1970. */
	is_int(when_local(NY, day(1969, 7, 20), 16 * 3600 + 17 * 60 + 40),
	    INT64_C(-14182940), "New York 1969-07-20 16:17:40 is 20:17:40Z");
	is_int(when_in_zone(INT64_C(-14182940), NY).off, -240,
	    "New York in July 1969 is -04:00");
	is_int(when_in_zone(INT64_C(-14182940) - 180 * 86400, NY).off, -300,
	    "New York in January 1969 is -05:00");
	is_int(when_in_zone(-1, SH).off, 480, "Shanghai in 1969 is +08:00");

	/* Switching zones back and forth gives each its own answer. */
	ok(when_in_zone(T0, SH).off == 480 &&
		when_in_zone(T0, NY).off == -300 &&
		when_in_zone(T0, SH).off == 480,
	    "switching zones back and forth");
}

/*
 * Over all of 2026 in New York: every offset agrees with localtime_r(),
 * and every wall-clock time maps back to itself except the two that the
 * spring change skips.
 */
static void
test_zone_year(void)
{
	static const int secs[] = {
	    0, 3599, 3600, 5400, 7200, 9000, 10799, 10800, 43200, 86399};
	int64_t t, d, from = day(2026, 1, 1), to = day(2027, 1, 1);
	long wrong = 0, skipped = 0, moved = 0;
	struct when w;
	struct tm tm;
	time_t tt;
	size_t i;

	for (t = from * 86400; t < to * 86400; t += 1200) {
		w = when_in_zone(t, NY); /* sets $TZ for localtime_r */
		tt = (time_t)t;
		localtime_r(&tt, &tm);
		if (w.off != tm.tm_gmtoff / 60 && wrong++ == 0)
			printf("#   %lld: %d, localtime_r %ld\n", (long long)t,
			    w.off, (long)tm.tm_gmtoff / 60);
	}
	is_int(wrong, 0, "New York offsets every 20 minutes of 2026");

	wrong = 0;
	for (d = from; d < to; d++)
		for (i = 0; i < sizeof secs / sizeof secs[0]; i++) {
			w = when_in_zone(when_local(NY, d, secs[i]), NY);
			if (when_day(&w) == d && when_secs(&w) == secs[i])
				continue;
			if (d == MAR8 && secs[i] >= 7200 && secs[i] < 10800) {
				skipped++;
				if (when_day(&w) == d &&
				    when_secs(&w) == secs[i] + 3600)
					moved++;
				continue;
			}
			if (wrong++ == 0)
				printf("#   day %lld %d: day %lld %d\n",
				    (long long)d, secs[i],
				    (long long)when_day(&w), when_secs(&w));
		}
	is_int(wrong, 0, "New York wall clocks of 2026 map back");
	is_int(skipped, 3, "three of them fall in the spring gap");
	is_int(moved, 3, "and move forward an hour");
}

static void
test_calendar(void)
{
	struct calendar c;
	size_t i;
	int sorted = 1;
	int64_t thu26 = day(2026, 11, 26), fri27 = day(2026, 11, 27);
	int64_t sat28 = day(2026, 11, 28), mon30 = day(2026, 11, 30);
	int64_t d24 = day(2026, 12, 24), d25 = day(2026, 12, 25);
	int64_t d23 = day(2026, 12, 23), d28 = day(2026, 12, 28);
	int64_t d31 = day(2026, 12, 31), jan1 = day(2027, 1, 1);

	cal_init(&c, 0x1f); /* Monday to Friday */
	cal_add_holiday(&c, d25);
	cal_add_holiday(&c, thu26);
	cal_add_holiday(&c, jan1);
	cal_add_holiday(&c, d24);
	cal_add_holiday(&c, day(2026, 1, 1));
	is_int(c.nhol, 5, "five holidays");
	for (i = 1; i < c.nhol; i++)
		if (c.hol[i - 1] > c.hol[i])
			sorted = 0;
	ok(sorted, "holidays added out of order are kept sorted");

	is_int(cal_works(&c, NOV23), 1, "Monday works");
	is_int(cal_works(&c, day(2026, 11, 25)), 1, "Wednesday works");
	is_int(cal_works(&c, thu26), 0, "a holiday Thursday does not");
	is_int(cal_works(&c, fri27), 1, "Friday works");
	is_int(cal_works(&c, sat28), 0, "Saturday does not");
	is_int(cal_works(&c, sat28 + 1), 0, "Sunday does not");
	is_int(cal_works(&c, d23), 1, "2026-12-23 works");
	is_int(cal_works(&c, d24), 0, "2026-12-24 is a holiday");
	is_int(cal_works(&c, d25), 0, "2026-12-25 is a holiday");
	is_int(cal_works(&c, jan1), 0, "2027-01-01 is a holiday");
	is_int(cal_works(&c, day(2026, 1, 1)), 0, "2026-01-01 is a holiday");
	is_int(cal_works(&c, day(2026, 1, 2)), 1, "2026-01-02 works");

	is_int(cal_next(&c, NOV23), NOV23, "cal_next of a working day");
	is_int(cal_next(&c, thu26), fri27, "cal_next skips a holiday");
	is_int(cal_next(&c, sat28), mon30, "cal_next skips a weekend");
	is_int(cal_next(&c, d24), d28, "cal_next skips holidays and weekend");

	is_int(cal_add(&c, NOV23, 0), NOV23, "cal_add 0");
	is_int(cal_add(&c, NOV23, 1), NOV23 + 1, "cal_add 1");
	is_int(
	    cal_add(&c, day(2026, 11, 25), 1), fri27, "cal_add over a holiday");
	is_int(cal_add(&c, fri27, 1), mon30, "cal_add over a weekend");
	is_int(cal_add(&c, sat28, 1), mon30, "cal_add from a Saturday");
	is_int(cal_add(&c, d23, 1), d28, "cal_add over Christmas");
	is_int(cal_add(&c, d23, 2), d28 + 1, "cal_add 2 over Christmas");
	is_int(cal_add(&c, d31, 1), jan1 + 3, "cal_add over New Year");
	is_int(cal_add(&c, NOV23, 10), day(2026, 12, 8), "cal_add 10");
	cal_free(&c);
	ok(c.hol == NULL && c.nhol == 0, "cal_free empties the calendar");

	cal_init(&c, 1u << 6); /* Sundays only */
	is_int(cal_next(&c, NOV23), NOV23 + 6, "Sundays only: next Sunday");
	is_int(cal_add(&c, NOV23 + 6, 2), NOV23 + 20,
	    "Sundays only: two Sundays on");
	cal_free(&c);

	cal_init(&c, 0);
	is_int(cal_works(&c, NOV23), 0, "no working days: Monday idle");
	ok(cal_next(&c, NOV23) == CAL_NONE, "no working days: cal_next");
	ok(cal_add(&c, NOV23, 1) == CAL_NONE, "no working days: cal_add");
	cal_free(&c);
}

/* Run when_now() in a child with FULFIL_NOW=val; its status and stderr. */
static int
now_in_child(const char *val, char *errbuf, size_t errlen)
{
	int p[2], status;
	pid_t pid;
	ssize_t n;
	size_t got = 0;

	fflush(stdout);
	if (pipe(p) == -1 || (pid = fork()) == -1)
		return -1;
	if (pid == 0) {
		close(p[0]);
		dup2(p[1], STDERR_FILENO);
		setenv("FULFIL_NOW", val, 1);
		(void)when_now();
		_exit(0);
	}
	close(p[1]);
	while (got + 1 < errlen &&
	       (n = read(p[0], errbuf + got, errlen - got - 1)) > 0)
		got += (size_t)n;
	errbuf[got] = '\0';
	close(p[0]);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static void
test_now(void)
{
	static char env[64];
	struct when w;
	char msg[512];
	time_t before, after;

	setenv("FULFIL_NOW", "2026-11-23T09:14:00+08:00", 1);
	w = when_now();
	ok(w.t == T0 && w.off == 480, "when_now reads FULFIL_NOW");
	setenv("FULFIL_NOW", "2026-11-22T19:44:00-05:30", 1);
	w = when_now();
	ok(w.t == T0 && w.off == -330, "when_now keeps FULFIL_NOW's offset");
	w = when_now();
	ok(w.t == T0 && w.off == -330, "asked again: the same");
	setenv("FULFIL_NOW", "2026-11-23T09:14:00+08:00", 1);
	w = when_now();
	ok(w.t == T0 && w.off == 480, "set back: read again");
	/* Changed in place, by putenv()'s string: read again too. */
	strcpy(env, "FULFIL_NOW=2026-11-23T01:14:00+00:00");
	putenv(env);
	w = when_now();
	ok(w.t == T0 && w.off == 0, "putenv: read");
	memcpy(env + strlen("FULFIL_NOW=2026-11-23T0"), "2", 1);
	w = when_now();
	ok(w.t == T0 + 3600 && w.off == 0, "its string changed in place: read");
	/* Longer than is kept: read every time, still right. */
	setenv("FULFIL_NOW",
	    "2026-11-23T09:14:00.000000000000000000000000000000000000000000000"
	    "00000000000000+08:00",
	    1);
	w = when_now();
	ok(w.t == T0 && w.off == 480, "a long FULFIL_NOW");
	w = when_now();
	ok(w.t == T0 && w.off == 480, "a long FULFIL_NOW, again");

	unsetenv("FULFIL_NOW");
	before = time(NULL);
	w = when_now();
	after = time(NULL);
	ok(w.t >= before && w.t <= after && w.off == 0,
	    "when_now without FULFIL_NOW is the clock, in UTC");
	setenv("FULFIL_NOW", "", 1);
	before = time(NULL);
	w = when_now();
	after = time(NULL);
	ok(w.t >= before && w.t <= after, "an empty FULFIL_NOW is the clock");
	unsetenv("FULFIL_NOW");

	is_int(now_in_child("2026-11-23T09:14:00+08:00", msg, sizeof msg), 0,
	    "a good FULFIL_NOW: the child goes on");
	is_str(msg, "", "a good FULFIL_NOW: nothing said");
	is_int(now_in_child("2026-11-23 09:14", msg, sizeof msg), 2,
	    "a malformed FULFIL_NOW exits 2");
	ok(strstr(msg, "FULFIL_NOW") != NULL, "the message names FULFIL_NOW");
	is_int(now_in_child("yesterday", msg, sizeof msg), 2,
	    "FULFIL_NOW=yesterday exits 2");
}

int
main(void)
{
	test_strict();
	test_loose();
	test_format();
	test_day_secs();
	test_civil();
	test_parse_parts();
	test_zones();
	test_zone_year();
	test_calendar();
	test_now();
	return done_testing();
}
