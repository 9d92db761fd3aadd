/*
 * promo: gifts with purchase, from the "promotions" rules of the
 * configuration (fulfil.json(5)).
 *
 * A rule applies to an order placed inside its from/to range that buys
 * any of its SKUs (or anything, when it names none) and reaches its
 * min_total in its currency.  It adds one line {"sku", "name", "qty",
 * "unit_price": 0, "gift": true, "promotion": id}, qty gifts (per unit
 * bought with per_unit), never more than its limit, and never when the
 * order already carries that gift.  Pickers pick gifts like any line.
 *
 * promo_apply() changes the order (borrowed) and returns the number of
 * gift lines it added.
 */
#ifndef FULFIL_PROMO_H
#define FULFIL_PROMO_H

#include <jansson.h>

struct config;

int promo_apply(const struct config *, json_t *order);

#endif
