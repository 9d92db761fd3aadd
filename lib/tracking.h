/*
 * tracking: carriers' tracking numbers, made from a serial number of the
 * range a carrier allots to the shipper, with their check digits.
 *
 *   s10    UPU S10: service indicator (2 letters), 8-digit serial, check
 *          digit (weights 8 6 4 2 3 5 9 7, 11 - sum mod 11; 10 -> 0,
 *          11 -> 5), country (2 letters): EE123456785CN.
 *   sscc   GS1 SSCC-18: extension digit, company prefix, serial reference
 *          (17 digits together), mod-10 check digit (weights 3 1 3 ...
 *          from the right): 106141411234567897.
 *   ups1z  UPS: "1Z", shipper number (6), service (2), 7-digit package
 *          number, check digit: 1Z999AA10123456784.
 *   plain  prefix and a zero-padded serial, no check digit.
 *
 * Ownership: plain values; nothing is allocated.
 */
#ifndef FULFIL_TRACKING_H
#define FULFIL_TRACKING_H

#include <stddef.h>
#include <stdint.h>

enum track_kind { TRACK_S10, TRACK_SSCC, TRACK_UPS1Z, TRACK_PLAIN };

#define TRACK_MAX 40 /* longest number, with its NUL */

struct track_format {
	enum track_kind kind;
	/*
	 * s10: the service indicator; sscc: extension digit and company
	 * prefix; ups1z: shipper number and service code; plain: the prefix.
	 */
	char prefix[24];
	char country[3]; /* s10 */
	int digits;      /* of the serial: fixed but for plain */
	int64_t first, last;
};

/* "s10" and so on to a kind; -1 if unknown. */
int track_kind_parse(const char *, enum track_kind *);
/*
 * Check a format as configured (prefix shape, range inside what the
 * serial's digits can hold), setting digits; -1 with why if wrong.
 */
int track_format_check(struct track_format *, char *why, size_t whylen);
/* The number for a serial in range, into out[TRACK_MAX]; -1 if out of it. */
int track_make(
    const struct track_format *, int64_t serial, char out[TRACK_MAX]);
/* 1 if s is a well-formed number of the kind with a right check digit. */
int track_valid(enum track_kind, const char *s);

/* Check digits, for tests and for readers of other carriers' numbers. */
int s10_check(const char *digits8);
int gs1_check(const char *digits, size_t n);
int ups_check(const char *fifteen);

#endif
