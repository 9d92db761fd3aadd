/*
 * kpi: whether the shop keeps its promises, from the ledger.  Over the
 * orders placed in a period (days in the warehouse's zone, both ends
 * included; the orders of returns and exchanges are not counted as
 * orders): order-to-ship times, shipped by ship_by, delivered by
 * deliver_by, delays caught before deliver_by, exceptions by carrier,
 * reviews and how fast the negative ones were called back, returns and
 * exchanges by reason, pickup orders (ready, collected, waiting, placed
 * to ready), cash on delivery by carrier (lib/cod: due, collected,
 * remitted, outstanding, open discrepancies), and a line a day.  The shape is report(3)'s
 * input, documented in followup(1).
 *
 * Ownership: kpi_compute() returns a new JSON object, the caller's.
 */
#ifndef FULFIL_KPI_H
#define FULFIL_KPI_H

#include <stdint.h>

#include <jansson.h>

struct config;
struct ledger;

/*
 * followup --report's object: the KPIs of only's orders (the warehouse
 * of that id: those it claimed), or with only NULL of every order, and
 * when more than one warehouse claimed orders in the ledger, theirs a
 * warehouse each in "warehouses" (sorted by id; each without what the
 * whole says: type, from, to, currency, generated_at).  A ledger of one
 * warehouse gets kpi_compute()'s object alone.
 */
json_t *kpi_report(struct ledger *, const struct config *, int64_t from_day,
    int64_t to_day, const char *only);
json_t *kpi_compute(
    struct ledger *, const struct config *, int64_t from_day, int64_t to_day);

#endif
