/*
 * amazon: Seller Central's order reports, tab-separated, one row per
 * item with the order's fields repeated on each:
 *
 *  - the unshipped-orders report (order-id, ...): the recipient and
 *    address, what is left to ship; prices and currency only in some
 *    marketplaces' versions (item-price, currency, cod-collectible-amount);
 *  - the all-orders report (amazon-order-id, ...): the order's and each
 *    item's status, prices and currency, but no name, street or phone.
 *
 * A report without prices is read in the warehouse's currency, with one
 * warning for the file.  An order of the all-orders report that still
 * has something to ship is rejected, as it names no one to ship to.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "err.h"
#include "reader_int.h"

enum {
	AZ_ADDRESS3,
	AZ_LEVEL,
	AZ_PAYMENT,
	AZ_COD,
	AZ_TOSHIP,
	AZ_CHANNEL,
	AZ_ALL_ORDERS
};

/* order-status, for the money. */
static const char *const payment[] = {"Pending", "pending", "*", "paid", NULL};
/* order-status, for a cancellation. */
static const char *const cancelled[] = {
    "Cancelled", "cancelled", "Canceled", "cancelled", "*", "", NULL};
/* order-status, for what has been shipped. */
static const char *const shipped[] = {"Shipped", "fulfilled",
    "PartiallyShipped", "partial", "Unshipped", "unfulfilled", "Pending",
    "unfulfilled", "*", "", NULL};
/* item-status. */
static const char *const item[] = {"Shipped", "fulfilled", "Cancelled",
    "cancelled", "Canceled", "cancelled", "*", "", NULL};

static const char *
amazon_row(struct reader *r, struct group *g, json_t *line)
{
	const char *toship = reader_extra(r, AZ_TOSHIP), *q;
	char num[24];
	long bought, left;

	(void)g;
	/* Amazon's own warehouses send these. */
	if (strcasecmp(reader_extra(r, AZ_CHANNEL), "Amazon") == 0 ||
	    strcasecmp(reader_extra(r, AZ_CHANNEL), "AFN") == 0)
		return "fulfilled by Amazon";
	/* What is left to ship, when the report says: the rest is sent. */
	q = json_string_value(json_object_get(line, "qty"));
	if (reader_blank(toship) || q == NULL)
		return NULL;
	bought = strtol(q, NULL, 10);
	left = strtol(toship, NULL, 10);
	if (bought > left && left >= 0) {
		snprintf(num, sizeof num, "%ld", bought - left);
		json_object_set_new(line, "shipped_qty", json_string(num));
	}
	return NULL;
}

static void
amazon_order(struct reader *r, struct group *g)
{
	const char *a3 = reader_extra(r, AZ_ADDRESS3);
	const char *lvl = reader_extra(r, AZ_LEVEL);
	const char *l2 = g->val[F_SHIP_TO_LINE2], *svc;
	char *both;

	if (!reader_blank(a3)) {
		if (l2 != NULL && !reader_blank(l2)) {
			xasprintf(&both, "%s, %s", l2, a3);
			reader_setval(g, F_SHIP_TO_LINE2, both);
			free(both);
		} else
			reader_setval(g, F_SHIP_TO_LINE2, a3);
	}
	svc = reader_guess_service(r->cfg, lvl);
	reader_setval(g, F_SERVICE, svc != NULL ? svc : lvl);
	if (strcasecmp(reader_extra(r, AZ_PAYMENT), "cod") == 0) {
		reader_setval(g, F_PAYMENT_METHOD, "cod");
		if (!reader_blank(reader_extra(r, AZ_COD)))
			reader_setval(
			    g, F_PAYMENT_COD_AMOUNT, reader_extra(r, AZ_COD));
	}
}

/*
 * An order still to ship from the all-orders report, which names no one
 * to ship to (unless some marketplace's version does).
 */
static void
amazon_done(struct reader *r, struct group *g)
{
	if (r->main.xcol[AZ_ALL_ORDERS] >= 0 &&
	    r->main.col[F_SHIP_TO_LINE1].n == 0 &&
	    json_array_size(g->lines) > 0 &&
	    (g->val[F_STATUS] == NULL ||
		strcmp(g->val[F_STATUS], "cancelled") != 0))
		snprintf(g->bad, sizeof g->bad,
		    "the report has no recipient or street: take the "
		    "order from the unshipped-orders report");
}

static const char *
amazon_check(struct reader *r)
{
	static char w[200];

	if (r->main.col[F_LINES_PRICE_TOTAL].n > 0)
		return NULL;
	if (r->main.col[F_CURRENCY].n == 0 && r->cfg->currency != NULL)
		snprintf(w, sizeof w,
		    "the report has no prices: its orders are taken in %s, "
		    "the warehouse's currency, without prices",
		    r->cfg->currency);
	else
		snprintf(w, sizeof w,
		    "the report has no prices: its orders are taken without "
		    "prices");
	return w;
}

const struct dialect dialect_amazon = {
    .name = "amazon",
    .source = "amazon",
    .delim = '\t',
    .cols =
	{
	    [F_ORDER_ID] = "order-id|amazon-order-id",
	    [F_PLACED_AT] = "purchase-date",
	    [F_CURRENCY] = "currency",
	    [F_CUSTOMER_NAME] = "buyer-name",
	    [F_CUSTOMER_EMAIL] = "buyer-email",
	    [F_CUSTOMER_PHONE] = "buyer-phone-number",
	    [F_SHIP_TO_NAME] = "recipient-name",
	    [F_SHIP_TO_LINE1] = "ship-address-1",
	    [F_SHIP_TO_LINE2] = "ship-address-2",
	    [F_SHIP_TO_CITY] = "ship-city",
	    [F_SHIP_TO_REGION] = "ship-state",
	    [F_SHIP_TO_POSTCODE] = "ship-postal-code",
	    [F_SHIP_TO_COUNTRY] = "ship-country",
	    [F_SHIP_TO_PHONE] = "ship-phone-number",
	    [F_PAYMENT_STATUS] = "order-status",
	    [F_WINDOW_FROM] = "delivery-start-date",
	    [F_WINDOW_TO] = "delivery-end-date",
	    [F_SHIPPING_METHOD] = "ship-service-level",
	    [F_FULFILLMENT_STATUS] = "order-status",
	    [F_STATUS] = "order-status",
	    [F_LINES_SKU] = "sku",
	    [F_LINES_NAME] = "product-name",
	    [F_LINES_QTY] = "quantity-purchased|quantity",
	    [F_LINES_PRICE_TOTAL] = "item-price",
	    [F_LINES_FULFILMENT] = "item-status",
	},
    .values =
	{
	    [F_PAYMENT_STATUS] = payment,
	    [F_FULFILLMENT_STATUS] = shipped,
	    [F_STATUS] = cancelled,
	    [F_LINES_FULFILMENT] = item,
	},
    .extra = {"ship-address-3", "ship-service-level", "payment-method",
	"cod-collectible-amount", "quantity-to-ship", "fulfillment-channel",
	"amazon-order-id"},
    .row = amazon_row,
    .order = amazon_order,
    .done = amazon_done,
    .check = amazon_check,
};
