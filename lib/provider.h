/*
 * provider: tracking as carrier aggregators send it (issue 16).
 * AfterShip, EasyPost, 17TRACK and Shippo push webhooks whose payloads
 * carry a parcel's events in their own shapes and words; this module
 * turns one payload (one JSON document) into the tracking records
 * journey.h reads (fulfil-tracking in followup(1): type "tracking",
 * tracking, carrier, status, substatus, occurred_at, location, message,
 * and "provider" with the provider's own words kept for the notice),
 * through one documented table per provider.
 *
 * The parts: provider.c (recognising and reading payloads), journey.c
 * (journey_payload: the events into the ledger), listen.c (followup
 * --listen, --events: payloads received, verified, stored, then handed
 * to journey_payload).
 *
 * Ownership: provider_events() appends new references to events, which
 * stays the caller's; doc is borrowed.
 */
#ifndef FULFIL_PROVIDER_H
#define FULFIL_PROVIDER_H

#include <stddef.h>

#include <jansson.h>

struct aftercare;

enum provider {
	PROVIDER_NONE,
	PROVIDER_AFTERSHIP,
	PROVIDER_EASYPOST,
	PROVIDER_17TRACK,
	PROVIDER_SHIPPO
};

/* "aftership", "easypost", "17track", "shippo"; -1 if none of them. */
int provider_parse(const char *name, enum provider *);
const char *provider_name(enum provider);

/* Whose payload doc is, by its shape; PROVIDER_NONE if nobody's. */
enum provider provider_sniff(const json_t *doc);

/*
 * Append the tracking records of payload doc, which p sent, to array
 * events.  Returns how many (0: a payload with nothing to record, such
 * as a test ping), or -1 with a reason in why (never a field's
 * contents) when doc is not a payload of p.
 */
int provider_events(enum provider p, const json_t *doc, json_t *events,
    char *why, size_t whylen);

/*
 * Read payload doc of p (PROVIDER_NONE: recognise it) as followup's
 * journey reads a tracking record: each event checked, kept once, its
 * parcel moved, notices and tasks queued in u.  origin and line say
 * where it came from, for messages and rejects; raw is its text.
 * Returns the number of events read, -1 if it is no payload (set aside
 * with the reason).
 */
int journey_payload(struct aftercare *u, enum provider p, const json_t *doc,
    const char *origin, long line, const char *raw, size_t len);

#endif
