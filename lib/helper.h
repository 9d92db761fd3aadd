/*
 * helper: tracking numbers from a carrier's own program instead of its
 * range, for carriers that issue numbers and sort codes through an API
 * (fulfil-carrier-helper(5)).  The carrier's entry names an executable
 * (helper); label(1) runs it once per parcel, by fork and execve with
 * the argv { path, "allocate" }, writes one JSON request to its stdin and
 * reads one JSON answer from its stdout, within helper_timeout_s.
 *
 * Exactly once: each request carries an idempotency key made from the
 * parcel (source, order, carrier, n of m, and how many of the order's
 * parcels were voided, so that a voided label gets a new number).  The
 * request is committed to the ledger before the helper runs; the answer
 * is committed as it came before it is used.  A helper that hangs,
 * crashes, answers garbage or twice, or gives a number already used or
 * another number for a key it answered before, leaves the parcel
 * unnumbered with a reason, and the next run asks again with the same key.
 *
 * Ownership: helper_allocate() fills the caller's struct helper_number
 * array; helper_numbers_free() frees what it hung there.  helper_run()'s
 * answer is the caller's to free.
 */
#ifndef FULFIL_HELPER_H
#define FULFIL_HELPER_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "tracking.h"

struct carrier;
struct config;
struct ledger;

/* What a helper gave one parcel. */
struct helper_number {
	char tracking[TRACK_MAX];
	char *sort_code; /* or NULL */
	json_t *label;   /* the helper's label data, or NULL (a reference) */
};

/* The order being numbered, as the request describes it. */
struct helper_order {
	const char *source, *order_id, *service;
	json_t *ship_to, *ship_from; /* borrowed; either may be NULL */
	json_t *payment;             /* borrowed, or NULL */
	const char *currency;
	int m;                   /* parcels */
	const int64_t *weight_g; /* each parcel's */
};

/*
 * Numbers for the order's parcels from k's helper, into out[m].  Called
 * inside the caller's ledger transaction: it commits that, keeps the
 * requests, runs the helper with the ledger free, keeps the answers,
 * and returns inside a new transaction.  0: numbered; 1: another live
 * run is asking for these parcels now (leave the order to it); -1 with
 * why: not numbered (the next run asks again with the same keys).
 */
int helper_allocate(struct ledger *, const struct carrier *k,
    const struct helper_order *, struct helper_number *out, char *why,
    size_t whylen);
void helper_numbers_free(struct helper_number *, int m);

/* What helper_tell_voids() did. */
struct helper_voids {
	long told;       /* the helper answered "voided": true */
	long failed;     /* it could not: the next run tells it again */
	long untellable; /* its helper does not void numbers, or is gone */
};

/*
 * Tell the carriers' helpers of the numbers they gave that the ledger
 * has voided since (ledger_parcels_void() queues them: label --void,
 * a cancellation), with the argv { path, "void" } and a request under
 * its own idempotency key; each told once it says so.  One line on
 * stderr for each not told.  Called outside a ledger transaction.
 */
void helper_tell_voids(
    struct ledger *, const struct config *, struct helper_voids *);

/*
 * Run path with the argv { path, op }, request on its stdin, and wait at
 * most timeout_s seconds for it to end: 0 with its stdout in *out
 * (NUL-terminated, *len bytes), or -1 with why (it could not start,
 * timed out and was killed, died by a signal, exited non-zero); -2 if
 * it exited 2 without a word: it does not know op.
 */
int helper_run(const char *path, const char *op, int timeout_s,
    const char *request, size_t reqlen, char **out, size_t *len, char *why,
    size_t whylen);

#endif
