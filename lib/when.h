/*
 * when: instants, RFC 3339 text, time zones and the working calendar.
 *
 * An instant is seconds since the epoch (UTC) plus the UTC offset, in
 * minutes, that it was written with, so that a time read with +08:00 is
 * written back with +08:00.  Days are counted as days since 1970-01-01
 * ("day numbers") on the proleptic Gregorian calendar.
 *
 * Time zones are IANA names ("Asia/Shanghai") looked up in the system's
 * zoneinfo; conversions switch $TZ when the zone changes, which is not
 * thread-safe: either threads agree on the zone before they start (then
 * $TZ is never written again; the offset cache is per thread), or one
 * thread alone converts while the others touch no zone and read no
 * environment (a stage's reader thread, lib/stage: it reads, parses and
 * packs records, and takes its one look at the environment first).
 *
 * "Now" is $FULFIL_NOW when set (RFC 3339), else the clock: nothing else
 * in fulfil reads the clock.  $FULFIL_NOW is parsed once per thread and
 * again only when its text changes.
 *
 * Nothing here allocates except cal_* (cal_free releases).
 */
#ifndef FULFIL_WHEN_H
#define FULFIL_WHEN_H

#include <stdint.h>
#include <time.h>

#define WHEN_BUFSZ 48 /* "2026-11-23T09:14:00+08:00", NUL, room */

struct when {
	int64_t t; /* seconds since the epoch, UTC */
	int off;   /* minutes east of UTC it is shown in */
};

/* RFC 3339 date-time; fractions of a second are dropped.  0 or -1. */
int when_parse(const char *, struct when *);
/*
 * As when_parse, and also the forms exports use: a space for the 'T',
 * "+0800" offsets, " UTC", no seconds, and (read in zone tz) no offset or
 * a bare date meaning its midnight.
 */
int when_parse_loose(const char *, const char *tz, struct when *);
/* Always "YYYY-MM-DDTHH:MM:SS+hh:mm". */
char *when_format(const struct when *, char buf[WHEN_BUFSZ]);
/*
 * Now, from $FULFIL_NOW or the clock.  A malformed $FULFIL_NOW is a
 * usage error: the process exits 2.
 */
struct when when_now(void);
/*
 * Microseconds of the monotonic clock, for timeouts and durations:
 * real time, never FULFIL_NOW's business time.
 */
int64_t when_mono_us(void);

/* 1 if tz names a zone this system knows. */
int when_zone_valid(const char *tz);
/* The instant t as it is shown in zone tz. */
struct when when_in_zone(int64_t t, const char *tz);
/*
 * The instant at wall-clock day+secs (secs since local midnight) in zone
 * tz; a time skipped by a DST change moves forward.
 */
int64_t when_local(const char *tz, int64_t day, int secs);
/* The last second of wall-clock day `day` in zone tz (23:59:59). */
int64_t when_day_end(const char *tz, int64_t day);
/* Day number of an instant in its own offset. */
int64_t when_day(const struct when *);
/* Seconds since local midnight of an instant in its own offset. */
int when_secs(const struct when *);

int64_t days_from_civil(int y, int m, int d);
void civil_from_days(int64_t day, int *y, int *m, int *d);
/* The day as YYYY-MM-DD, into buf; returns buf. */
char *day_format(int64_t day, char buf[16]);
/* 0 = Monday ... 6 = Sunday. */
int weekday(int64_t day);
/* "YYYY-MM-DD" into a day number: 0 or -1. */
int parse_date(const char *, int64_t *);
/* "HH:MM" or "HH:MM:SS" into seconds since midnight: 0 or -1. */
int parse_clock(const char *, int *);
/* "mon".."sun" (any case, or full names) into 0..6, else -1. */
int parse_weekday(const char *);

/* Working days: a weekday mask and a sorted list of holidays. */
struct calendar {
	unsigned week; /* bit n set: weekday n works */
	int64_t *hol;
	size_t nhol, caphol;
};

void cal_init(struct calendar *, unsigned week);
void cal_add_holiday(struct calendar *, int64_t day);
void cal_free(struct calendar *);
int cal_works(const struct calendar *, int64_t day);
/* No working day found: a calendar with no working days. */
#define CAL_NONE INT64_MIN

/* The first working day on or after day (within ten years), or CAL_NONE. */
int64_t cal_next(const struct calendar *, int64_t day);
/* day plus n working days (n >= 0; day itself need not work), or CAL_NONE. */
int64_t cal_add(const struct calendar *, int64_t day, int n);

#endif
