/*
 * etsy: Etsy's shop downloads (Shop Manager > Settings > Options >
 * Download Data), two CSV files joined by Order ID: "Sold Orders"
 * (EtsySoldOrders*.csv, one row per order: the buyer, the address, the
 * money) and "Sold Order Items" (EtsySoldOrderItems*.csv, one row per
 * item: SKU, quantity, price, variations, the recipient's name, whether
 * the item has shipped).  Dates are M/D/YY without a time; countries are
 * written out in English.
 */
#include <string.h>

#include "reader_int.h"

enum { ET_SHIPPED };

static const char *const dates[] = {"%m/%d/%y", "%m/%d/%Y", "%Y-%m-%d", NULL};
static const char *const payment[] = {"Canceled", "voided", "Cancelled",
    "voided", "Refunded", "refunded", "Fully refunded", "refunded",
    "Partially refunded", "partially_refunded", "*", "paid", NULL};
static const char *const cancelled[] = {"Canceled", "cancelled", "Cancelled",
    "cancelled", "Refunded", "cancelled", "Fully refunded", "cancelled", "*",
    "", NULL};

/* An item with a Date Shipped has gone. */
static const char *
etsy_row(struct reader *r, struct group *g, json_t *line)
{
	(void)g;
	(void)line;
	return reader_blank(reader_extra(r, ET_SHIPPED)) ? NULL : "fulfilled";
}

static void
etsy_order(struct reader *r, struct group *g)
{
	if (!reader_blank(reader_extra(r, ET_SHIPPED)))
		reader_setval(g, F_FULFILLMENT_STATUS, "fulfilled");
}

/* The recipient, when the items file does not name one: the buyer. */
static void
etsy_done(struct reader *r, struct group *g)
{
	(void)r;
	if (g->val[F_SHIP_TO_NAME] == NULL && g->val[F_CUSTOMER_NAME] != NULL)
		reader_setval(g, F_SHIP_TO_NAME, g->val[F_CUSTOMER_NAME]);
}

const struct dialect dialect_etsy = {
    .name = "etsy",
    .source = "etsy",
    .delim = ',',
    .cols =
	{
	    [F_ORDER_ID] = "Order ID",
	    [F_PLACED_AT] = "Sale Date",
	    [F_CURRENCY] = "Currency",
	    [F_CUSTOMER_NAME] = "Full Name|First Name" JOIN "Last Name",
	    [F_SHIP_TO_LINE1] = "Street 1",
	    [F_SHIP_TO_LINE2] = "Street 2",
	    [F_SHIP_TO_CITY] = "Ship City",
	    [F_SHIP_TO_REGION] = "Ship State",
	    [F_SHIP_TO_POSTCODE] = "Ship Zipcode",
	    [F_SHIP_TO_COUNTRY] = "Ship Country",
	    [F_SUBTOTAL] = "Order Value",
	    [F_SHIPPING] = "Shipping",
	    [F_TAX] = "Sales Tax",
	    [F_DISCOUNT] = "Discount Amount",
	    [F_TOTAL] = "Order Total",
	    [F_PAYMENT_STATUS] = "Status",
	    [F_STATUS] = "Status",
	},
    .values =
	{
	    [F_PAYMENT_STATUS] = payment,
	    [F_STATUS] = cancelled,
	},
    .datefmt = dates,
    .extra = {"Date Shipped"},
    .items_name = "Sold Order Items file",
    .icols =
	{
	    [F_ORDER_ID] = "Order ID",
	    [F_CURRENCY] = "Currency",
	    [F_SHIP_TO_NAME] = "Ship Name",
	    [F_SHIP_TO_LINE1] = "Ship Address1",
	    [F_SHIP_TO_LINE2] = "Ship Address2",
	    [F_SHIP_TO_CITY] = "Ship City",
	    [F_SHIP_TO_REGION] = "Ship State",
	    [F_SHIP_TO_POSTCODE] = "Ship Zipcode",
	    [F_SHIP_TO_COUNTRY] = "Ship Country",
	    [F_LINES_SKU] = "SKU",
	    [F_LINES_NAME] = "Item Name",
	    [F_LINES_VARIANT] = "Variations",
	    [F_LINES_QTY] = "Quantity",
	    [F_LINES_UNIT_PRICE] = "Price",
	},
    .iextra = {"Date Shipped"},
    .row = etsy_row,
    .order = etsy_order,
    .done = etsy_done,
};
