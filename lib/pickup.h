/*
 * pickup: orders the customer collects at a counter instead of having
 * them carried ("service": "pickup", "pickup": {"location": ...}).  They
 * are picked like any order, cart and tote; then, instead of a label,
 * they wait at the counter: pick-list moves them picked ->
 * ready_for_pickup (pickup_ready()), label and dispatch pass them on,
 * notify(1) tells the customer they are ready to collect, and staff
 * record the collection with followup --collected (pickup_collected()):
 * ready_for_pickup -> collected.  The record keeps when:
 * "pickup": {"location", "ready_at", "collected_at"}.
 *
 * Ownership: strings and records passed in are borrowed; the ids of
 * pickup_collected() too.
 */
#ifndef FULFIL_PICKUP_H
#define FULFIL_PICKUP_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct config;
struct ledger;

/* 1 if the customer collects the order: its service is "pickup". */
int pickup_is(const json_t *order);
/*
 * A pickup order just picked waits at the counter from now on: status
 * ready_for_pickup and pickup.ready_at in the record, if the status
 * model lets a picked order move there.  1 if it moved, else 0.
 */
int pickup_ready(json_t *order, int64_t now, const char *tz);
/*
 * followup --collected: each order ids[0..n-1] (of source, or of the one
 * source that has the id when source is NULL) that waits at the counter
 * is collected now, in one transaction; the records go to stdout after
 * the commit.  EXIT_OK, or EXIT_REJECTS when one is unknown or was not
 * waiting to be collected; one collected before is only a warning.
 */
int pickup_collected(struct ledger *, const struct config *, char **ids,
    size_t n, const char *source);

#endif
